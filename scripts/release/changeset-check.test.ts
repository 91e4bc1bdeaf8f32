// The changeset rule: generated code changed ⇒ a changeset for the package; breaking spec change ⇒
// a major changeset (minor below 1.0).
import { describe, expect, it } from 'vitest';
import { assessChangesets } from './lib/changeset-check.mjs';
import { parseChangeset } from './lib/changesets.mjs';

const packages = [
  { name: '@anyjob/core', folder: 'core', version: '0.1.0' },
  { name: '@anyjob/kognitos', folder: 'kognitos', version: '0.3.0' },
  { name: '@anyjob/runchat', folder: 'runchat', version: '1.2.0' },
];
const breaking = {
  breaking: [
    { kind: 'required-field-added', where: 'POST /runs request body.name', message: 'became required' },
  ],
  nonBreaking: [],
};
const harmless = {
  breaking: [],
  nonBreaking: [{ kind: 'field-added', where: 'GET /runs response 200.x', message: 'new optional field' }],
};
const changeset = (releases: Record<string, string>) => ({ file: '.changeset/x.md', releases });

describe('assessChangesets', () => {
  it('names the package whose generated code changed without a changeset', () => {
    const { problems } = assessChangesets({
      packages,
      changedFiles: ['packages/kognitos/src/generated/types.gen.ts', 'README.md'],
      changesets: [changeset({ '@anyjob/runchat': 'patch' })],
      specDiffs: new Map(),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^@anyjob\/kognitos: generated code changed .*no changeset names @anyjob\/kognitos/,
    );
  });

  it('counts the shared fetch-client runtime as core generated code', () => {
    const { problems } = assessChangesets({
      packages,
      changedFiles: ['packages/core/src/fetch-client/client/client.gen.ts'],
      changesets: [],
      specDiffs: new Map(),
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['@anyjob/core']);
  });

  it('passes when hand-written code changed only, or a changeset covers the generated change', () => {
    expect(
      assessChangesets({
        packages,
        changedFiles: ['packages/kognitos/src/client.ts'],
        changesets: [],
        specDiffs: new Map(),
      }).problems,
    ).toEqual([]);
    expect(
      assessChangesets({
        packages,
        changedFiles: ['packages/kognitos/src/generated/sdk.gen.ts'],
        changesets: [changeset({ '@anyjob/kognitos': 'patch' })],
        specDiffs: new Map([['kognitos', harmless]]),
      }).problems,
    ).toEqual([]);
  });

  it('needs no changeset for a spec edit that changes no operation or schema (examples, descriptions)', () => {
    const result = assessChangesets({
      packages,
      changedFiles: ['specs/kognitos.yaml'],
      changesets: [],
      specDiffs: new Map([['kognitos', { breaking: [], nonBreaking: [] }]]),
    });
    expect(result.problems).toEqual([]);
  });

  it('asks for a changeset when the spec changed the API even before the code is regenerated', () => {
    const result = assessChangesets({
      packages,
      changedFiles: ['specs/kognitos.yaml'],
      changesets: [],
      specDiffs: new Map([['kognitos', harmless]]),
    });
    expect(result.problems).toEqual([
      expect.stringMatching(/^@anyjob\/kognitos: specs\/kognitos.yaml changed but no changeset/),
    ]);
  });

  it('asks for minor below 1.0 when the spec change is breaking', () => {
    const result = assessChangesets({
      packages,
      changedFiles: ['specs/kognitos.yaml', 'packages/kognitos/src/generated/types.gen.ts'],
      changesets: [changeset({ '@anyjob/kognitos': 'patch' })],
      specDiffs: new Map([['kognitos', breaking]]),
    });
    expect(result.breakingPackages).toEqual(['@anyjob/kognitos']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain('1 BREAKING change(s)');
    expect(result.problems[0]).toContain('[required-field-added] POST /runs request body.name');
    expect(result.problems[0]).toContain('needs a `minor` changeset for @anyjob/kognitos');
    expect(result.problems[0]).toContain('found `patch`');
  });

  it('asks for major from 1.0, and accepts it', () => {
    const input = {
      packages,
      changedFiles: ['specs/runchat.yaml', 'packages/runchat/src/generated/types.gen.ts'],
      specDiffs: new Map([['runchat', breaking]]),
    };
    const minor = assessChangesets({ ...input, changesets: [changeset({ '@anyjob/runchat': 'minor' })] });
    expect(minor.problems[0]).toContain('needs a `major` changeset for @anyjob/runchat');
    const major = assessChangesets({
      ...input,
      changesets: [changeset({ '@anyjob/runchat': 'patch' }), changeset({ '@anyjob/runchat': 'major' })],
    });
    expect(major.problems).toEqual([]);
    expect(major.notes.join('\n')).toContain('covered by a `major` changeset');
  });
});

describe('parseChangeset', () => {
  it('reads the front matter and rejects an unknown bump', () => {
    expect(parseChangeset('---\n"@anyjob/core": minor\n"anyjob": patch\n---\n\nText.\n')).toEqual({
      '@anyjob/core': 'minor',
      anyjob: 'patch',
    });
    expect(() => parseChangeset('---\n"@anyjob/core": huge\n---\n', 'x.md')).toThrow(/x\.md: .*"huge"/);
    expect(() => parseChangeset('no front matter', 'y.md')).toThrow(/y\.md: no front matter/);
  });
});
