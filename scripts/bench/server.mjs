// The loopback server of the per-call benchmark: node:http, keep-alive, one fixed JSON body per
// route, taken from the specs' own examples so the clients parse what the real API would send.
// It runs in its own process (`node server.mjs` prints the port) so the server's CPU time is not
// counted in the client's process.cpuUsage().
import { createServer } from 'node:http';
import { join } from 'node:path';
import { loadSpec } from '../lib/openapi.mjs';
import { repoRoot } from '../lib/providers.mjs';

function example(provider, path, method) {
  const spec = loadSpec(join(repoRoot, 'specs', `${provider}.yaml`));
  const examples = spec.paths[path][method].responses['200'].content['application/json'].examples;
  return Buffer.from(JSON.stringify(Object.values(examples)[0].value));
}

export const routes = {
  trigger: {
    method: 'POST',
    suffix: '/jobs/trigger',
    body: example('truefoundry', '/api/svc/v1/jobs/trigger', 'post'),
  },
  getRun: { method: 'GET', prefix: '/runs/', body: example('kognitos', '/runs/{run_id}', 'get') },
};

function route(req) {
  const url = req.url ?? '';
  if (req.method === 'POST' && url.endsWith(routes.trigger.suffix)) return routes.trigger;
  if (req.method === 'GET' && url.startsWith(routes.getRun.prefix)) return routes.getRun;
  return undefined;
}

export function startServer() {
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const match = route(req);
    // Drain the request body before answering so keep-alive connections stay reusable.
    req.resume();
    req.on('end', () => {
      if (!match) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no route"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': match.body.length });
      res.end(match.body);
    });
  });
  server.maxRequestsPerSocket = 0;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const server = await startServer();
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  // The parent closes stdin when it is done (or dies), which stops the server.
  process.stdin.resume();
  process.stdin.on('end', () => server.close(() => process.exit(0)));
  process.stdin.on('close', () => process.exit(0));
}
