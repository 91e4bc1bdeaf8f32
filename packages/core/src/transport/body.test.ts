import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResponseTooLargeError } from '../errors/index.js';
import { type BodyLimit, limitBody, readBodyLimited } from './body.js';

const LIMIT: BodyLimit = { provider: 'p', operation: 'op', limitBytes: 10 };
const bytes = (n: number) => new Uint8Array(n).fill(97);

/** A body of `chunks`, with a count of the chunks pulled and whether it was cancelled. */
function source(chunks: Uint8Array[]) {
  const state = { pulled: 0, cancelled: false as unknown };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[state.pulled++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
      cancel(reason) {
        state.cancelled = reason ?? true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

function answer(body: ReadableStream<Uint8Array>, headers: Record<string, string>): Response {
  return new Response(body, { status: 200, headers });
}

describe('limitBody', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('hands over the response itself when Content-Length is within the limit and nothing re-frames it', () => {
    const { stream, state } = source([bytes(10)]);
    const response = answer(stream, { 'content-length': '10' });
    const onTooLarge = vi.fn();
    expect(limitBody(response, LIMIT, onTooLarge)).toBe(response);
    expect(state.pulled).toBe(0);
    expect(onTooLarge).not.toHaveBeenCalled();
  });

  for (const [name, headers] of [
    ['no Content-Length', {}],
    ['a Content-Encoding (it may inflate)', { 'content-length': '4', 'content-encoding': 'gzip' }],
    [
      'a Transfer-Encoding (it frames the body, not Content-Length)',
      { 'content-length': '4', 'transfer-encoding': 'chunked' },
    ],
    ['a Content-Length that is not one number', { 'content-length': '4, 4' }],
  ] as const) {
    it(`counts a body with ${name}: more than the limit fails with ResponseTooLargeError`, async () => {
      const { stream, state } = source([bytes(4), bytes(4), bytes(4), bytes(4)]);
      const response = answer(stream, headers);
      const onTooLarge = vi.fn();
      const limited = limitBody(response, LIMIT, onTooLarge);
      expect(limited).not.toBe(response);
      const error = await limited.text().catch((e: unknown) => e);
      expect(ResponseTooLargeError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 200, limitBytes: 10, bytesRead: 12 });
      expect(onTooLarge).toHaveBeenCalledWith(error);
      // Stopped at the chunk that crossed the limit, and let the source go.
      expect(state.pulled).toBe(3);
      expect(state.cancelled).toBe(error);
    });
  }

  it('passes a counted body within the limit through whole, keeping status, headers and URL', async () => {
    const { stream } = source([new TextEncoder().encode('{"a":'), new TextEncoder().encode('1}')]);
    const response = answer(stream, { 'content-type': 'application/json' });
    Object.defineProperty(response, 'url', { value: 'http://api.test/x' });
    const limited = limitBody(response, LIMIT, () => {});
    expect(limited).not.toBe(response);
    expect(limited.status).toBe(200);
    expect(limited.url).toBe('http://api.test/x');
    expect(limited.headers.get('content-type')).toBe('application/json');
    await expect(limited.json()).resolves.toEqual({ a: 1 });
  });

  it('passes on a failed read (the connection cut) as the same error', async () => {
    const cut = new TypeError('terminated');
    let first = true;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (first) {
          first = false;
          controller.enqueue(bytes(2));
        } else controller.error(cut);
      },
    });
    const limited = limitBody(answer(body, {}), LIMIT, () => {});
    await expect(limited.text()).rejects.toBe(cut);
  });

  it('cancelling the limited body cancels the source', async () => {
    const { stream, state } = source([bytes(2), bytes(2)]);
    const limited = limitBody(answer(stream, {}), LIMIT, () => {});
    await limited.body?.cancel('done');
    expect(state.cancelled).toBe('done');
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const { stream, state } = source([bytes(20)]);
    const onTooLarge = vi.fn();
    const limited = limitBody(answer(stream, { 'content-length': '20' }), LIMIT, onTooLarge);
    const error = await limited.text().catch((e: unknown) => e);
    expect(error).toMatchObject({ bytesRead: 0, limitBytes: 10 });
    expect(onTooLarge).toHaveBeenCalledWith(error);
    expect(state.pulled).toBe(0);
  });

  it('in a browser page the declared length is not trusted: the body is counted', async () => {
    vi.stubGlobal('window', { document: {} });
    vi.stubGlobal('navigator', {});
    const { stream } = source([bytes(8), bytes(8)]);
    const response = answer(stream, { 'content-length': '8' });
    const limited = limitBody(response, LIMIT, () => {});
    expect(limited).not.toBe(response);
    await expect(limited.text()).rejects.toSatisfy(ResponseTooLargeError.isInstance);
  });
});

describe('readBodyLimited', () => {
  it('reads a body within the limit whole, and fails past it', async () => {
    const within = await readBodyLimited(answer(source([bytes(4), bytes(6)]).stream, {}), LIMIT);
    expect(within.byteLength).toBe(10);
    const over = await readBodyLimited(answer(source([bytes(6), bytes(6)]).stream, {}), LIMIT).catch(
      (e: unknown) => e,
    );
    expect(over).toMatchObject({ bytesRead: 12 });
  });
});
