// End-to-end: `anyjob completion <shell>` from the built CLI. The bash script is loaded into a real
// bash and asked to complete, as bash would when the user presses Tab; zsh and fish are not on
// the test machines, so their scripts are checked for the same commands, providers and flags.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defaultProviders } from 'anyjob';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// The registered providers, from the facade's registry (never a list written here).
const providers = defaultProviders.map((provider) => provider.name);
const listing = defaultProviders.filter((p) => p.capabilities.list).map((p) => p.name);
const checked = defaultProviders.filter((p) => p.conformance !== undefined).map((p) => p.name);

const exec = promisify(execFile);

/** What the bash script offers for the words typed so far (the last one is being completed). */
async function completeInBash(script: string, words: string[]): Promise<string[]> {
  const program = `${script}
COMP_WORDS=(${['anyjob', ...words].map((word) => `'${word}'`).join(' ')})
COMP_CWORD=${words.length}
_anyjob
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await exec('bash', ['-c', program]);
  return stdout.split('\n').filter(Boolean);
}

describe('anyjob completion', () => {
  it('bash: completes commands, providers per command, and each command’s flags', async () => {
    const { code, stdout } = await runCli(['completion', 'bash']);
    expect(code).toBe(0);
    expect(await completeInBash(stdout, [''])).toEqual([
      'trigger',
      'list',
      'doctor',
      'status',
      'wait',
      'cancel',
      'completion',
      'mocks',
    ]);
    expect(await completeInBash(stdout, ['d'])).toEqual(['doctor']);
    expect(await completeInBash(stdout, ['trigger', ''])).toEqual(providers);
    // Only providers with a run list are offered after `list` (Runchat has none).
    expect(await completeInBash(stdout, ['list', ''])).toEqual(listing);
    expect(listing).not.toContain('runchat');
    expect(await completeInBash(stdout, ['doctor', ''])).toEqual(checked);
    expect(await completeInBash(stdout, ['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    const tfyTrigger = await completeInBash(stdout, ['trigger', 'truefoundry', '--']);
    expect(tfyTrigger).toEqual(expect.arrayContaining(['--application', '--command', '--param', '--wait']));
    expect(tfyTrigger).not.toContain('--agent');
    expect(await completeInBash(stdout, ['doctor', 'kognitos', '--ag'])).toEqual(['--agent']);
    expect(await completeInBash(stdout, ['wait', '--ti'])).toEqual(['--timeout']);
    expect(await completeInBash(stdout, ['mocks', '--'])).toEqual(['--fake', '--port', '--help']);
  });

  it('zsh and fish: the same commands, providers and flags', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    const fish = await runCli(['completion', 'fish']);
    expect(zsh.code).toBe(0);
    expect(fish.code).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef anyjob/);
    expect(zsh.stdout).toContain('compadd -- trigger list doctor status wait cancel completion mocks');
    expect(zsh.stdout).toContain("'doctor kognitos') opts=(");
    expect(zsh.stdout).toContain('$key == doctor');
    expect(fish.stdout).toContain("-a 'trigger list doctor status wait cancel completion mocks'");
    expect(fish.stdout).toContain(
      "complete -c anyjob -n '__fish_seen_subcommand_from doctor; and __fish_seen_subcommand_from truefoundry' -l application -r",
    );
  });

  it('an unknown shell is a usage error', async () => {
    const { code, stdout, stderr } = await runCli(['completion', 'powershell']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('name the shell: bash, zsh or fish (not "powershell")');
  });
});
