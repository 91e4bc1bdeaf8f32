// The CLI honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY like curl: with a proxy set, every request
// goes through it (measured at a loopback proxy), and NO_PROXY exempts a host.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLoopbackServer } from '../../../scripts/test-harness/loopback-server.js';
import { trueFoundryRun } from '../../../scripts/test-harness/run-fixtures.js';
import { runCli } from './run-cli.js';

const server = useLoopbackServer();
const run = trueFoundryRun('FINISHED');

let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];

beforeAll(async () => {
  proxy = createProxy(createServer());
  // undici's proxy agents tunnel every request, http ones included, through CONNECT.
  proxy.on('connect', (request) => tunnels.push(request.url ?? ''));
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

describe('proxies', () => {
  const args = ['status', '-', '--json'];
  const stdin = JSON.stringify({ provider: 'truefoundry', applicationId: 'app1', jobRunName: 'train-1' });

  it('HTTP_PROXY: the request goes through the proxy', async () => {
    server.script('GET /api/svc/v1/jobs/app1/runs/train-1', { body: { data: run } });
    tunnels.length = 0;
    const { code, stderr } = await runCli(args, {
      env: { TFY_API_KEY: 'tfy-proxy-key-123456', TFY_HOST: server.url, HTTP_PROXY: proxyUrl },
      stdin,
    });
    expect(code, stderr).toBe(0);
    expect(tunnels).toEqual([new URL(server.url).host]);
    expect(server.count()).toBe(1);
  });

  it('NO_PROXY exempts the host: the proxy sees nothing', async () => {
    server.script('GET /api/svc/v1/jobs/app1/runs/train-1', { body: { data: run } });
    tunnels.length = 0;
    const { code } = await runCli(args, {
      env: {
        TFY_API_KEY: 'tfy-proxy-key-123456',
        TFY_HOST: server.url,
        HTTP_PROXY: proxyUrl,
        NO_PROXY: '127.0.0.1',
      },
      stdin,
    });
    expect(code).toBe(0);
    expect(tunnels).toEqual([]);
    expect(server.count()).toBe(1);
  });

  it('without a proxy variable, requests go straight to the host', async () => {
    server.script('GET /api/svc/v1/jobs/app1/runs/train-1', { body: { data: run } });
    tunnels.length = 0;
    const { code } = await runCli(args, {
      env: { TFY_API_KEY: 'tfy-proxy-key-123456', TFY_HOST: server.url },
      stdin,
    });
    expect(code).toBe(0);
    expect(tunnels).toEqual([]);
  });
});
