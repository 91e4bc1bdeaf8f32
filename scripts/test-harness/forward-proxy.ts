// A loopback HTTP proxy that records what passes through it, for tests of proxy support. It
// tunnels CONNECT (what undici's ProxyAgent sends, also for http:// targets) and forwards
// absolute-form requests (`GET http://host/path`, what curl-style clients send for http://).
// For a tunnel it cannot see inside TLS, but the tests' targets are plain HTTP on loopback, so it
// reads the request lines going through and records them too.
//
// Written here rather than taken from npm (the `proxy` package): it is thirty lines with node:http,
// and the tests need the requests inside the tunnels, which no proxy package reports.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

export interface ProxiedRequest {
  /** How it arrived: through a CONNECT tunnel or forwarded. */
  via: 'tunnel' | 'forward';
  /** `host:port` of the target. */
  target: string;
  method: string;
  /** Path and query. */
  path: string;
}

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`, for HTTP_PROXY / HTTPS_PROXY. */
  url: string;
  /** `host:port` of every CONNECT, in order. */
  tunnels: string[];
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

const REQUEST_LINE = /(?:^|\r\n)([A-Z]+) (\/\S*) HTTP\/1\.[01]\r\n/g;

export async function startForwardProxy(): Promise<ForwardProxy> {
  const tunnels: string[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<{ destroy(): void }>();
  const server: Server = createServer((req, res) => {
    // Forwarding: the request line holds the absolute URL.
    const target = new URL(req.url ?? '');
    requests.push({
      via: 'forward',
      target: target.host,
      method: req.method ?? '',
      path: target.pathname + target.search,
    });
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client, head) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const sniff = (chunk: Buffer) => {
      for (const match of chunk.toString('latin1').matchAll(REQUEST_LINE))
        requests.push({ via: 'tunnel', target, method: match[1], path: match[2] });
    };
    const [host, port] = target.split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      sniff(head);
      upstream.write(head);
      client.on('data', sniff);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    upstream.on('error', end);
    client.on('error', end);
    upstream.on('close', end);
    client.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
