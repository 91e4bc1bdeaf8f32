// Optional OpenTelemetry spans: one per HTTP attempt and one per wait. `@opentelemetry/api` is an
// optional peer dependency: it is looked up with a dynamic import the first time a span could be
// started, so nothing is imported, bundled or paid for where it is not installed; where it is
// installed but no tracer provider is registered, its no-op tracer costs next to nothing.

/** The subset of @opentelemetry/api used here. */
interface OtelSpan {
  /** False for a span nobody records (no tracer provider registered, or sampled out). */
  isRecording?(): boolean;
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: unknown): unknown;
  end(): void;
}
interface OtelTracer {
  startSpan(name: string, options?: { attributes?: Record<string, string | number | boolean> }): OtelSpan;
  startActiveSpan<T>(
    name: string,
    options: { attributes?: Record<string, string | number | boolean> },
    fn: (span: OtelSpan) => T,
  ): T;
}
interface OtelApi {
  trace: { getTracer(name: string, version?: string): OtelTracer };
}

const SPAN_STATUS_ERROR = 2;
// A variable, so bundlers leave the import alone instead of failing to resolve an absent package.
const OTEL_API = '@opentelemetry/api';

let loading: Promise<OtelTracer | undefined> | undefined;
let tracer: OtelTracer | undefined;
/** The look-up found no @opentelemetry/api. */
let absent = false;

/** Looks @opentelemetry/api up once; resolves to undefined when it is not installed. */
export function loadTracer(): Promise<OtelTracer | undefined> {
  loading ??= import(/* webpackIgnore: true */ /* @vite-ignore */ OTEL_API).then(
    (api: OtelApi) => {
      tracer = api.trace.getTracer('anyjob');
      return tracer;
    },
    () => {
      absent = true;
      return undefined;
    },
  );
  return loading;
}

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

function defined(attributes: SpanAttributes): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A started span, or a no-op when tracing is unavailable. */
export interface SpanHandle {
  set(attributes: SpanAttributes): void;
  fail(error: unknown): void;
  end(): void;
}

const NO_SPAN: SpanHandle = { set() {}, fail() {}, end() {} };

function handle(span: OtelSpan): SpanHandle {
  // A span nobody records (the API's no-op tracer) is still ended, but not fed attributes.
  if (span.isRecording?.() === false) {
    return {
      set() {},
      fail() {},
      end() {
        span.end();
      },
    };
  }
  return {
    set(attributes) {
      for (const key in attributes) {
        const value = attributes[key];
        if (value !== undefined) span.setAttribute(key, value);
      }
    },
    fail(error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SPAN_STATUS_ERROR,
        message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    },
    end() {
      span.end();
    },
  };
}

/**
 * `startSpan` without waiting, once @opentelemetry/api has been looked up (found or not);
 * undefined before, when the caller awaits `startSpan` instead.
 */
export function startSpanNow(name: string, attributes: SpanAttributes): SpanHandle | undefined {
  if (tracer) return handle(tracer.startSpan(name, { attributes: defined(attributes) }));
  return absent ? NO_SPAN : undefined;
}

/** Starts a span under the active context (a wait's span, if the request belongs to a wait). */
export async function startSpan(name: string, attributes: SpanAttributes): Promise<SpanHandle> {
  const active = tracer ?? (await loadTracer());
  return active ? handle(active.startSpan(name, { attributes: defined(attributes) })) : NO_SPAN;
}

/** Runs `fn` inside an active span, so the spans of its requests become its children. */
export async function inSpan<T>(
  name: string,
  attributes: SpanAttributes,
  fn: (span: SpanHandle) => Promise<T>,
): Promise<T> {
  const active = tracer ?? (await loadTracer());
  if (!active) return fn(NO_SPAN);
  return active.startActiveSpan(name, { attributes: defined(attributes) }, async (span) => {
    const wrapped = handle(span);
    try {
      return await fn(wrapped);
    } catch (error) {
      wrapped.fail(error);
      throw error;
    } finally {
      span.end();
    }
  });
}
