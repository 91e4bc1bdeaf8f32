// A scripted HTTP server on 127.0.0.1 for what Prism cannot do: faults, slow answers, response
// sequences and counting the requests that really arrived.
//
//   const server = useLoopbackServer();           // started in beforeAll, closed in afterAll
//   server.script('POST /api/svc/v1/jobs/trigger', [{ status: 429 }, { status: 200, body: {...} }]);
//   ... call the code under test with baseUrl: server.url ...
//   expect(server.count('POST /api/svc/v1/jobs/trigger')).toBe(2);
//
// Each route answers with its steps in order and repeats the last one. Unscripted routes get 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ScriptedResponse {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with a JSON content type). */
  body?: unknown;
  /** Wait this long before answering (for timeouts). */
  delayMs?: number;
  /** Drop the connection after reading the request, without answering (ECONNRESET / "socket hang up"). */
  destroy?: boolean;
  /** Send the status, headers and half the body at once, the rest only after this long. */
  stallBodyMs?: number;
  /** Send the status, a Content-Length twice the body's and half the body, then drop the connection. */
  cutBody?: boolean;
}

/** A fixed response, or one computed from the request (e.g. to echo a header back). */
export type Step = ScriptedResponse | ((request: RecordedRequest) => ScriptedResponse);

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Sets the responses of `"METHOD /path"`, replacing any earlier script for it. */
  script(route: string, steps: Step | Step[]): void;
  /** Every request received so far, or those of one route. */
  requests(route?: string): RecordedRequest[];
  /** How many requests reached the server, or one route. */
  count(route?: string): number;
  /** Forgets scripts and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, scripted: ScriptedResponse, timers: Set<NodeJS.Timeout>): void {
  const headers: Record<string, string> = { ...scripted.headers };
  let payload = '';
  if (typeof scripted.body === 'string') payload = scripted.body;
  else if (scripted.body !== undefined) {
    payload = JSON.stringify(scripted.body);
    headers['content-type'] ??= 'application/json';
  }
  if (scripted.cutBody) {
    headers['content-length'] = String(Buffer.byteLength(payload) * 2);
    response.writeHead(scripted.status ?? 200, headers);
    response.write(payload.slice(0, Math.floor(payload.length / 2)), () => response.socket?.destroy());
    return;
  }
  response.writeHead(scripted.status ?? 200, headers);
  if (!scripted.stallBodyMs) {
    response.end(payload);
    return;
  }
  const half = Math.floor(payload.length / 2);
  response.write(payload.slice(0, half));
  const timer = setTimeout(() => {
    timers.delete(timer);
    if (!response.destroyed) response.end(payload.slice(half));
  }, scripted.stallBodyMs);
  timers.add(timer);
}

/** Starts a server on a free loopback port. Close it yourself, or use `useLoopbackServer`. */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const scripts = new Map<string, { steps: Step[]; next: number }>();
  let recorded: { route: string; request: RecordedRequest }[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: await readBody(req),
    };
    const route = `${request.method} ${request.path}`;
    recorded.push({ route, request });

    const script = scripts.get(route);
    if (!script) {
      send(res, { status: 404, body: { message: `loopback server: no script for ${route}` } }, timers);
      return;
    }
    const step = script.steps[Math.min(script.next, script.steps.length - 1)];
    script.next++;
    const scripted = typeof step === 'function' ? step(request) : step;
    if (scripted.destroy) {
      req.socket.destroy();
      return;
    }
    if (scripted.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send(res, scripted, timers);
      }, scripted.delayMs);
      timers.add(timer);
      return;
    }
    send(res, scripted, timers);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    script(route, steps) {
      scripts.set(route, { steps: Array.isArray(steps) ? steps : [steps], next: 0 });
    },
    requests(route) {
      return recorded
        .filter((entry) => route === undefined || entry.route === route)
        .map((entry) => entry.request);
    },
    count(route) {
      return recorded.filter((entry) => route === undefined || entry.route === route).length;
    },
    reset() {
      scripts.clear();
      recorded = [];
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Slow responses keep sockets open; end them so close() resolves now.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A loopback server for one test file: started before its tests, reset before each test, closed
 * after the file. Read `url` inside tests or hooks, not at module level.
 */
export function useLoopbackServer(): LoopbackServer {
  let server: LoopbackServer | undefined;
  const current = () => {
    if (!server) throw new Error('The loopback server is used outside a test: it starts in beforeAll.');
    return server;
  };
  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  beforeEach(() => current().reset());
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    get url() {
      return current().url;
    },
    script: (route, steps) => current().script(route, steps),
    requests: (route) => current().requests(route),
    count: (route) => current().count(route),
    reset: () => current().reset(),
    close: () => current().close(),
  };
}

/** A URL on a loopback port that was just freed, so connecting to it is refused (ECONNREFUSED). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
