// End-to-end: `anyjob mocks --fake` from the built CLI serves @anyjob/testing's fakes of every
// provider of the registry on a loopback port, prints the export line the other commands work
// with, and stops on Ctrl-C; without @anyjob/testing installed it says how to install it.
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultProviders } from 'anyjob';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, runCli } from './run-cli.js';

function exportedEnv(stdout: string): Record<string, string> {
  const line = stdout.split('\n').find((text) => text.startsWith('export ')) ?? '';
  return Object.fromEntries(
    line
      .slice('export '.length)
      .split(' ')
      .filter(Boolean)
      .map((pair) => pair.split('=', 2) as [string, string]),
  );
}

describe('anyjob mocks --fake', () => {
  it('serves every provider, with an export line the CLI triggers and lists with, until Ctrl-C (exit 0)', {
    timeout: 60_000,
  }, async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'mocks', '--fake'], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => {
          if (stdout.includes('Ctrl-C stops the fakes.')) resolve();
        });
        void exited.then((code) => reject(new Error(`exited ${code}: ${stdout}${stderr}`)));
      });
      const env = exportedEnv(stdout);
      // Each provider's own env vars (from its descriptor), on one loopback port.
      for (const provider of defaultProviders) {
        const [baseUrlVar] = provider.env.baseUrl;
        const [apiKeyVar] = provider.env.apiKey;
        expect(env[apiKeyVar as string], provider.name).toBeTruthy();
        if (baseUrlVar) expect(env[baseUrlVar], provider.name).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      }
      const triggered = await runCli(['trigger', 'truefoundry', '--application', 'app', '--json'], { env });
      expect(triggered.code, triggered.stderr).toBe(0);
      const { id } = JSON.parse(triggered.stdout) as { id: string };
      // The fake holds the run: the provider's list (not an example answer) shows it.
      const listed = await runCli(['list', 'truefoundry', '--application', 'app', '--json'], { env });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(`"id":"${id}"`);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });

  it('without --fake: a usage error naming it', async () => {
    const { code, stdout, stderr } = await runCli(['mocks']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('anyjob mocks: say what to serve: --fake');
  });

  it('a bad --port: a usage error, before anything listens', async () => {
    const { code, stderr } = await runCli(['mocks', '--fake', '--port', '70000']);
    expect(code).toBe(2);
    expect(stderr).toContain('--port needs a port number from 0 to 65535');
  });

  it('without @anyjob/testing installed: exit 3, saying how to install it', async () => {
    // The built CLI in a project whose node_modules has its dependencies but not @anyjob/testing.
    const cliDir = join(dirname(CLI_BIN), '..');
    const project = await mkdtemp(join(tmpdir(), 'anyjob-cli-no-testing-'));
    try {
      const here = join(project, 'node_modules', '@anyjob', 'cli');
      await mkdir(join(project, 'node_modules', '@anyjob'), { recursive: true });
      await cp(join(cliDir, 'dist'), join(here, 'dist'), { recursive: true });
      await cp(join(cliDir, 'package.json'), join(here, 'package.json'));
      const resolved = (name: string) => fileURLToPath(new URL(`../node_modules/${name}`, import.meta.url));
      for (const name of ['anyjob', '@anyjob/core', 'undici'])
        await symlink(resolved(name), join(project, 'node_modules', name), 'dir');
      const { code, stdout, stderr } = await runCli(['mocks', '--fake'], {}, join(here, 'dist', 'bin.js'));
      expect(code).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toContain('anyjob mocks --fake needs @anyjob/testing, which is not installed');
      expect(stderr).toContain('npm install --save-dev @anyjob/testing');
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});
