// Starts and stops Stoplight Prism mock servers for the specs. Used by the test harness and the demo,
// so there is one way to run the mocks.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { listProviders, repoRoot } from './providers.mjs';

const prismBin = join(repoRoot, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const STARTUP_TIMEOUT_MS = 60_000;

/**
 * Asks the OS for a free loopback port.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `prism mock` for one spec on 127.0.0.1 and resolves once it accepts requests.
 * `--errors` turns request violations into 4xx answers instead of warnings, so a request that
 * breaks the spec fails the test that sent it. `--seed` makes `Prefer: dynamic=true` repeatable.
 */
export async function startPrism(specPath, { seed = 'anyjob' } = {}) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [prismBin, 'mock', specPath, '--host', '127.0.0.1', '--port', String(port), '--errors', '--seed', seed],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let log = '';
  const collect = (chunk) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  /** @type {() => Promise<void>} */
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        process.kill(-(/** @type {number} */ (child.pid)), 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      setTimeout(() => {
        try {
          process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
        } catch {}
      }, 3_000).unref();
    });

  const url = `http://127.0.0.1:${port}`;
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Prism did not start for ${specPath} within ${STARTUP_TIMEOUT_MS} ms:\n${log}`));
      }, STARTUP_TIMEOUT_MS);
      const onData = () => {
        if (log.includes('Prism is listening')) {
          cleanup();
          resolve();
        }
      };
      const onExit = (code) => {
        cleanup();
        reject(new Error(`Prism exited with code ${code} for ${specPath}:\n${log}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.off('exit', onExit);
      };
      child.stdout.on('data', onData);
      child.once('exit', onExit);
    })
  );
  return { url, stop, log: () => log, pid: child.pid };
}

/**
 * Starts one Prism per spec in parallel.
 * @param {{ providers?: string[] }} [options]
 * @returns {Promise<{ urls: Record<string, string>, stop: () => Promise<void[]> }>}
 */
export async function startMockServers({ providers = listProviders().map((p) => p.name) } = {}) {
  const specs = listProviders().filter((p) => providers.includes(p.name));
  const started = await Promise.allSettled(specs.map((p) => startPrism(p.specPath)));
  const servers = started.filter((s) => s.status === 'fulfilled').map((s) => s.value);
  const stop = () => Promise.all(servers.map((s) => s.stop()));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const urls = Object.fromEntries(specs.map((p, i) => [p.name, servers[i].url]));
  return { urls, stop };
}
