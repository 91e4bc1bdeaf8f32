// `fake.listen()`: the same fake over HTTP on 127.0.0.1, for the CLI and programs in other
// languages. node:http is imported here, when a server is asked for, so the in-process fetch stays
// free of Node APIs (it runs in workerd and browsers).
import type { Outcome } from './fake.js';
import type { FakeListenOptions, FakeServer } from './types.js';

// A variable, so bundlers targeting browsers and workerd leave the import alone instead of failing
// to resolve a Node built-in (esbuild: `Could not resolve "node:http"`).
const NODE_HTTP = 'node:http';

export type Dispatch = (
  method: string,
  url: URL,
  headers: Headers,
  body: string,
  signal: AbortSignal,
  origin: string,
) => Promise<Outcome>;

/** What a browser on another origin needs to call the fake and read its answers. */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-api-key, content-type',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-expose-headers': 'retry-after, content-length, content-type, location, x-request-id',
  'access-control-max-age': '600',
};

/**
 * Writes a body made as it is read, as fast as the client takes it (backpressure), and stops
 * reading it when the client goes away: a 1 GiB body costs what was sent.
 */
async function pipe(
  body: ReadableStream<Uint8Array>,
  res: import('node:http').ServerResponse,
  fail: () => void,
): Promise<void> {
  const reader = body.getReader();
  const gone = new Promise<'gone'>((resolve) => res.once('close', () => resolve('gone')));
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), gone]);
      if (next === 'gone' || res.destroyed) break;
      if (next.done) {
        res.end();
        return;
      }
      if (!res.write(next.value))
        await Promise.race([new Promise((resolve) => res.once('drain', resolve)), gone]);
    }
  } catch {
    fail();
  }
  await reader.cancel().catch(() => undefined);
}

export async function startServer(
  dispatch: Dispatch,
  providers: readonly (readonly [name: string, basePath: string])[],
  { port = 0, cors = false }: FakeListenOptions,
): Promise<FakeServer> {
  const { createServer }: typeof import('node:http') = await import(
    /* webpackIgnore: true */ /* @vite-ignore */ NODE_HTTP
  );
  let origin = '';
  const server = createServer((req, res) => {
    if (cors) {
      for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
    }
    const chunks: Uint8Array[] = [];
    req.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    req.on('end', async () => {
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) controller.abort(new Error('the client went away'));
      });
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(key, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(key, item);
      }
      let outcome: Outcome;
      try {
        outcome = await dispatch(
          req.method ?? 'GET',
          new URL(req.url ?? '/', origin),
          headers,
          Buffer.concat(chunks).toString('utf8'),
          controller.signal,
          origin,
        );
      } catch {
        // A drift (reported by the fake) or an aborted slow answer: the client gets no answer.
        req.socket.destroy();
        return;
      }
      if (outcome.type === 'reset') {
        req.socket.destroy();
        return;
      }
      if (outcome.type === 'hang') return;
      if (outcome.type === 'stream') {
        res.writeHead(outcome.status, outcome.headers);
        void pipe(outcome.body, res, () => req.socket.destroy());
        return;
      }
      const body = Buffer.from(outcome.body);
      res.writeHead(outcome.status, { ...outcome.headers, 'content-length': body.length });
      if (outcome.cutAt === undefined) {
        res.end(body);
        return;
      }
      res.write(body.subarray(0, outcome.cutAt), () => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('@anyjob/testing: the server has no port');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    url: origin,
    baseUrls: Object.fromEntries(providers.map(([name, basePath]) => [name, `${origin}/${name}${basePath}`])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
