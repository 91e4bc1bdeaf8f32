// Bounded body reads: a provider (or whatever answers at its address) must not be able to make
// anyjob hold a 200 MB body, or inflate a small gzip body into gigabytes, in memory. Bodies are
// counted after decompression (fetch decodes `Content-Encoding` itself), and reading stops at the
// limit: the stream is cancelled, which releases the connection.
import { ResponseTooLargeError } from '../errors/index.js';
import { isBrowser } from '../settings.js';

export interface BodyLimit {
  provider: string;
  operation: string;
  limitBytes: number;
}

function tooLarge(limit: BodyLimit, status: number, bytesRead: number): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `${limit.provider} ${limit.operation} answered HTTP ${status} with a body over the ${limit.limitBytes}-byte limit (maxResponseBytes); anyjob stopped reading after ${bytesRead} bytes.`,
    { ...limit, status, bytesRead },
  );
}

/**
 * A copy of `response` with another body, keeping its status, headers and the URL it answered
 * (`url` cannot be passed to the Response constructor, and raw SDK callers read it).
 */
export function withBody(response: Response, body: BodyInit | null, url: string = response.url): Response {
  const copy = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  if (url) Object.defineProperty(copy, 'url', { value: url, configurable: true });
  return copy;
}

/**
 * The declared length when it bounds what will arrive: no Content-Encoding to inflate it, and no
 * Transfer-Encoding, which frames the body instead of Content-Length where both are sent
 * (RFC 9112 §6.3).
 */
function declaredLength(response: Response): number | undefined {
  const { headers } = response;
  const header = headers.get('content-length');
  if (header === null || headers.has('content-encoding') || headers.has('transfer-encoding'))
    return undefined;
  if (!/^\d+$/.test(header.trim())) return undefined;
  return Number(header);
}

/** Reads the whole body, or throws ResponseTooLargeError once more than the limit has arrived. */
export async function readBodyLimited(
  response: Response,
  limit: BodyLimit,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = declaredLength(response);
  if (declared !== undefined && declared > limit.limitBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(limit, response.status, 0);
  }
  if (response.body === null) return new Uint8Array(new ArrayBuffer(0));
  const reader = response.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit.limitBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit, response.status, total);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * `response` with a body that fails with ResponseTooLargeError once more than the limit arrives,
 * for a reader that consumes it later (the generated SDK). `onTooLarge` learns the error, so the
 * caller can report it instead of whatever the reader makes of the failed stream.
 *
 * A body whose declared length is within the limit is handed over as it is, nothing to count or
 * copy: the HTTP client ends it at that length. Node's fetch (undici) parses HTTP/1.1 bodies by
 * Content-Length and fails one of another length (ResponseContentLengthMismatchError); its
 * HTTP/2 streams run on nghttp2, which resets a stream whose DATA exceeds Content-Length; an
 * HTTP/1.1 body is framed by it in any client (RFC 9112 §6.3). Chrome over HTTP/2 was seen to
 * deliver past it, so in a browser page (allowed with `dangerouslyAllowBrowser`) the body is
 * counted anyway.
 */
export function limitBody(
  response: Response,
  limit: BodyLimit,
  onTooLarge: (error: ResponseTooLargeError) => void,
): Response {
  const declared = declaredLength(response);
  if (response.body === null) return response;
  if (declared !== undefined && declared <= limit.limitBytes && !isBrowser()) return response;
  if (declared !== undefined && declared > limit.limitBytes) {
    const error = tooLarge(limit, response.status, 0);
    onTooLarge(error);
    response.body.cancel().catch(() => {});
    return withBody(response, errorStream(error));
  }
  return withBody(response, countedStream(response.body, limit, response.status, onTooLarge));
}

/**
 * `source` passed on chunk by chunk as the reader asks, failing with ResponseTooLargeError once
 * more than the limit has arrived. A pulling stream rather than `pipeThrough` a TransformStream:
 * the same chunks, without the pipe's promise machinery per chunk.
 */
function countedStream(
  source: ReadableStream<Uint8Array>,
  limit: BodyLimit,
  status: number,
  onTooLarge: (error: ResponseTooLargeError) => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let total = 0;
  return new ReadableStream<Uint8Array>(
    {
      // A failed read (the connection cut, an abort) rejects this pull, which errors the stream
      // with the same error, as a pipe would.
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        total += value.byteLength;
        if (total > limit.limitBytes) {
          const error = tooLarge(limit, status, total);
          onTooLarge(error);
          controller.error(error);
          // Cancelling the source releases the connection.
          await reader.cancel(error).catch(() => {});
          return;
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    // Read only when the reader asks: no chunk is held ahead of it.
    { highWaterMark: 0 },
  );
}

function errorStream(error: Error): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.error(error);
    },
  });
}
