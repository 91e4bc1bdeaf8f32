// End-to-end: command-line mistakes and missing configuration, all caught before any request.
// Base URLs point at a port nobody listens on, so a request that slipped through would exit 4.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultProviders } from 'anyjob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const NOWHERE = 'http://127.0.0.1:9';
// The registered providers, from the facade's registry (never a list written here).
const providers = defaultProviders.map((provider) => provider.name);
const KEY = 'tfy-test-key-not-a-secret';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anyjob-cli-usage-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('usage errors exit 2 and show the help line that fixes them', () => {
  it('an unknown flag', async () => {
    const { code, stdout, stderr } = await runCli([
      'trigger',
      'truefoundry',
      '--application',
      'a',
      '--colour',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('anyjob trigger truefoundry: unknown option --colour.');
    expect(stderr).toContain('anyjob trigger truefoundry (--application <id> | --deployment <id>)');
    expect(stderr).toContain('Run `anyjob trigger truefoundry --help` for all options.');
  });

  it('a flag of another provider says where it belongs', async () => {
    const { code, stderr } = await runCli(['trigger', 'truefoundry', '--application', 'a', '--region', 'eu']);
    expect(code).toBe(2);
    expect(stderr).toContain('--region is not an option of this command (it applies to: trigger kognitos).');
  });

  it('--api-key is refused with the reason, and the key is not echoed', async () => {
    const { code, stderr } = await runCli(['trigger', 'truefoundry', '--application', 'a', '--api-key', KEY]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--api-key is not accepted: .*shell history and process lists/);
    expect(stderr).toMatch(/--api-key-file <path> +read the API key from this file/);
    expect(stderr).not.toContain(KEY);
  });

  // Conflicts between fields are the provider's rules (its InvalidRequestError), with the fields
  // named as flags; a TrueFoundry provider needs its host before it checks a request.
  it('conflicting options name both and show both help lines', async () => {
    const { code, stderr } = await runCli([
      'trigger',
      'truefoundry',
      '--application',
      'a',
      '--command',
      'x',
      '--param',
      'a=1',
      '--base-url',
      NOWHERE,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('anyjob trigger truefoundry: --param must not be set together with --command');
    expect(stderr).toMatch(/\n {2}--command <cmd> +command to run/);
    expect(stderr).toMatch(/\n {2}--param key=value +job parameter/);
  });

  it('both ids, or neither, name both id flags and show both help lines', async () => {
    for (const ids of [
      ['--application', 'a', '--deployment', 'd'],
      ['--command', 'x'],
    ]) {
      const { code, stderr } = await runCli(['trigger', 'truefoundry', ...ids, '--base-url', NOWHERE]);
      expect(code).toBe(2);
      expect(stderr).toContain('Give exactly one of --application (the job) and --deployment');
      expect(stderr).toMatch(/\n {2}--application <id> +TrueFoundry application id/);
      expect(stderr).toMatch(/\n {2}--deployment <id> +TrueFoundry deployment id/);
    }
  });

  it('--payload with --flow replaces --input, so the two conflict', async () => {
    const { code, stderr } = await runCli(
      ['trigger', 'runchat', '--flow', 'f1', '--input', 'a=1', '--payload', '{}', '--base-url', NOWHERE],
      { env: { RUNCHAT_API_KEY: KEY } },
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--payload is sent as the body instead of `{inputs}`, so it cannot be combined with --input',
    );
    expect(stderr).toMatch(/\n {2}--input key=value +flow input/);
    expect(stderr).toMatch(
      /\n {2}--payload <json \| @file \| -> +JSON body for --job, or for --flow instead of --input/,
    );
  });

  it('a missing required option', async () => {
    const { code, stderr } = await runCli(['trigger', 'kognitos', '--agent', 'a']);
    expect(code).toBe(2);
    expect(stderr).toContain('anyjob trigger kognitos: --process is required');
    expect(stderr).toMatch(/--process <id> +Kognitos process id/);
  });

  it('an option without its value', async () => {
    const { code, stderr } = await runCli(['trigger', 'truefoundry', '--application']);
    expect(code).toBe(2);
    expect(stderr).toContain('--application needs a value (<id>).');
  });

  it('a malformed duration', async () => {
    const { code, stderr } = await runCli([
      'trigger',
      'truefoundry',
      '--application',
      'a',
      '--wait',
      '--timeout',
      '5 minutes',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--timeout "5 minutes" is not a duration; use a number with a unit, e.g. 30s, 5m, 1h30m, 500ms.',
    );
  });

  it('--timeout without --wait on an asynchronous provider', async () => {
    const { code, stderr } = await runCli([
      'trigger',
      'kognitos',
      '--agent',
      'a',
      '--process',
      'p',
      '--timeout',
      '5m',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--timeout only applies with --wait.');
  });

  it('a --param that is not key=value', async () => {
    const { code, stderr } = await runCli([
      'trigger',
      'truefoundry',
      '--application',
      'a',
      '--param',
      'epochs',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--param "epochs" must be key=value or key:=<json>.');
    expect(stderr).toMatch(/\n {2}--param key=value +job parameter/);
  });

  it('--payload that is not JSON', async () => {
    const { code, stderr } = await runCli(['trigger', 'runchat', '--job', 'j', '--payload', '{oops']);
    expect(code).toBe(2);
    expect(stderr).toContain('--payload: the value is not valid JSON.');
  });

  it('--payload @file that does not exist', async () => {
    const { code, stderr } = await runCli([
      'trigger',
      'runchat',
      '--job',
      'j',
      '--payload',
      `@${join(dir, 'nope.json')}`,
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--payload: cannot read .*nope\.json: no such file\./);
  });

  it('an unknown provider and an unknown command', async () => {
    const provider = await runCli(['trigger', 'jenkins']);
    expect(provider.code).toBe(2);
    expect(provider.stderr).toContain(`unknown provider "jenkins"; use one of ${providers.join(', ')}.`);
    const command = await runCli(['start']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "start"');
  });

  it('a ref file that holds no ref', async () => {
    const path = join(dir, 'not-a-ref.json');
    await writeFile(path, '{"hello": "world"}');
    const { code, stderr } = await runCli(['status', path]);
    expect(code).toBe(2);
    expect(stderr).toContain('holds no run ref');
  });

  it('status without a ref argument', async () => {
    const { code, stderr } = await runCli(['status']);
    expect(code).toBe(2);
    expect(stderr).toContain('give the file holding the run ref, or - to read it from stdin.');
    expect(stderr).toContain('anyjob status <ref.json | ->');
  });

  it('a value the provider spec forbids is caught before any request', async () => {
    const { code, stderr } = await runCli(
      ['trigger', 'kognitos', '--agent', 'a', '--process', 'not a valid id!', '--base-url', NOWHERE],
      { env: { KOGNITOS_API_KEY: KEY } },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('--process must be 1–26 characters');
    expect(stderr).not.toContain('processId');
    expect(stderr).toMatch(/\n {2}--process <id> +Kognitos process id\n/);
  });

  it('a value only the spec forbids names the flag, not the wire field, and wins over a missing key', async () => {
    const { code, stderr } = await runCli([
      'trigger',
      'kognitos',
      '--agent',
      'a b',
      '--process',
      'p1',
      '--base-url',
      NOWHERE,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--agent must match the pattern');
    expect(stderr).not.toContain('agentId');
    expect(stderr).not.toContain('agent_id');
    expect(stderr).toMatch(/\n {2}--agent <id> +Kognitos agent id\n/);
  });
});

describe.concurrent('configuration errors exit 3 and name what to set', () => {
  it('a missing API key names the env var and the file option', async () => {
    const { code, stdout, stderr } = await runCli([
      'trigger',
      'truefoundry',
      '--application',
      'a',
      '--base-url',
      NOWHERE,
    ]);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toContain('TFY_API_KEY');
    expect(stderr).toContain('--api-key-file <path>');
  });

  it('a missing TrueFoundry host names TFY_HOST', async () => {
    const { code, stderr } = await runCli(['trigger', 'truefoundry', '--application', 'a'], {
      env: { TFY_API_KEY: KEY },
    });
    expect(code).toBe(3);
    expect(stderr).toContain('TFY_HOST');
  });

  it('an --api-key-file that does not exist', async () => {
    const { code, stderr } = await runCli([
      'trigger',
      'kognitos',
      '--agent',
      'a',
      '--process',
      'p',
      '--api-key-file',
      join(dir, 'missing-key'),
      '--base-url',
      NOWHERE,
    ]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/Cannot read the API key file .*missing-key \(--api-key-file\): no such file\./);
  });

  // The rejected value is never echoed: a region setting may hold anything pasted into it.
  // The provider refuses the setting (a ConfigError for `region`); it came from a flag, so it is a
  // usage error that shows the flag's help line.
  it('--region must be us, eu or uk, named without echoing the value (exit 2)', async () => {
    const { code, stdout, stderr } = await runCli([
      'trigger',
      'kognitos',
      '--agent',
      'a',
      '--process',
      'p',
      '--region',
      'mars',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--region: Kognitos region (from `region`) is not one of us, eu, uk');
    expect(stderr).toMatch(/\n {2}--region us\|eu\|uk +Kognitos region/);
    expect(stderr).not.toMatch(/mars/i);
  });

  it('KOGNITOS_REGION must be us, eu or uk, named without echoing the value', async () => {
    const { code, stderr } = await runCli(['trigger', 'kognitos', '--agent', 'a', '--process', 'p'], {
      env: { KOGNITOS_API_KEY: KEY, KOGNITOS_REGION: 'mars' },
    });
    expect(code).toBe(3);
    expect(stderr).toContain('`KOGNITOS_REGION`) is not one of us, eu, uk');
    expect(stderr).not.toContain('mars');
  });
});

describe.concurrent('help and version exit 0', () => {
  it.each([
    [['--help'], 'anyjob status <ref.json | ->'],
    [['trigger', '--help'], `anyjob trigger <${providers.join(' | ')}> [options]`],
    [['trigger', 'runchat', '--help'], '--flow <id>'],
    [['trigger', 'truefoundry', '-h'], '--deployment <id>'],
    [['trigger', 'kognitos', '--help'], '--region us|eu|uk'],
    [['status', '--help'], 'Show the current status of a run.'],
    [['wait', '--help'], '--poll-interval <duration>'],
    [['cancel', '--help'], 'TrueFoundry only'],
  ])('%j', async (args, expected) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(expected);
    expect(stdout).toContain('Exit codes:\n  0  success');
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('no arguments prints the help on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage:');
  });
});
