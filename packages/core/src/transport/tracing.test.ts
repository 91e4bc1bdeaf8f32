import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTracer, startSpanNow } from './tracing.js';

describe('startSpanNow', () => {
  afterAll(() => trace.disable());

  it('is undefined until @opentelemetry/api has been looked up, then starts spans without waiting', async () => {
    expect(startSpanNow('anyjob.request', { a: 1 })).toBeUndefined();
    await loadTracer();
    const span = startSpanNow('anyjob.request', { a: 1 });
    expect(span).toBeDefined();
    // No tracer provider registered: the API's span records nothing, and the handle takes no work.
    span?.set({ b: 2 });
    span?.fail(new Error('x'));
    span?.end();
  });

  it('records attributes, later ones and failures on a span somebody records', async () => {
    await loadTracer();
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    const span = startSpanNow('anyjob.request', { 'anyjob.provider': 'p', skipped: undefined });
    span?.set({ 'http.response.status_code': 503, none: undefined });
    span?.fail(new Error('boom'));
    span?.end();
    const [finished] = exporter.getFinishedSpans();
    expect(finished?.attributes).toEqual({ 'anyjob.provider': 'p', 'http.response.status_code': 503 });
    expect(finished?.status).toMatchObject({ code: 2, message: 'Error: boom' });
  });
});
