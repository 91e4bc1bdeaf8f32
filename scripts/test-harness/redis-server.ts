// A throwaway Redis for the tests that need a real one (Debian's `redis-server`, installed by
// .ci/run): started per test file on a free 127.0.0.1 port and stopped at the end; with no
// persistence, or with an append-only file in a temporary directory (`{ appendOnly: true }`,
// fsync'd on every write) so that a Redis killed and started again has lost nothing. Only files
// that call startRedisServer pay for it.
//
//   const redis = await startRedisServer();   // in beforeAll
//   ... createRedisRateBudget({ connection: redis.url }) ...
//   await redis.kill(); await redis.start();   // an outage, then Redis back on the same port
//   await redis.stop();                        // in afterAll
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /**
   * Kills the server at once (SIGKILL), as a crash would. Without `appendOnly` its data is gone;
   * with it, every write it answered is in the append-only file.
   */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`). */
  start(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function launch(port: number, dir: string | undefined): Promise<ChildProcess> {
  // `appendfsync always`: the test kills Redis with SIGKILL and expects every answered write back.
  const persistence = dir
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]
    : ['--appendonly', 'no'];
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('error', (error) =>
      reject(new Error(`Could not start redis-server (apt-get install redis-server): ${error.message}`)),
    );
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

function ended(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export interface RedisServerOptions {
  /** Keep an append-only file (fsync'd on every write), so `kill` then `start` loses nothing. */
  appendOnly?: boolean;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('redis-server is not installed: `apt-get install redis-server` (.ci/run installs it).');
  }
  const port = await freePort();
  const dir = options.appendOnly ? mkdtempSync(join(tmpdir(), 'anyjob-redis-')) : undefined;
  let child: ChildProcess | undefined = await launch(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      await ended(child, 'SIGKILL');
      child = undefined;
    },
    async start() {
      if (child) return;
      child = await launch(port, dir);
    },
    async stop() {
      await ended(child, 'SIGTERM');
      child = undefined;
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
