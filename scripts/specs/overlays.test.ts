// The built specs are exactly the providers' published documents with our overlays applied: the
// published documents are read at test time from ../shared/seeds (beside the clone, in CI too) or
// from the pinned npm package that publishes them (GitHub's), never from a copy in the repo. So a hand edit of specs/runchat.yaml or specs/truefoundry.yaml,
// or an overlay edit without `pnpm specs:update`, fails here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildSpec,
  listBuiltProviders,
  loadOverlay,
  loadSelected,
  overlayPath,
  recordedUpstream,
  serializeSpec,
  sharedSeedsDir,
} from '../lib/built-specs.mjs';
import { loadSpec, parseSpec } from '../lib/openapi.mjs';
import { applyOverlay } from '../lib/overlay.mjs';
import { repoRoot } from '../lib/providers.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'anyjob-overlays-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('finds the published documents in ../shared/seeds', () => {
  expect(existsSync(sharedSeedsDir), `${sharedSeedsDir} is missing: the repo expects shared/ beside it`).toBe(
    true,
  );
});

it('GitHub, Runchat and TrueFoundry are built; Kognitos (no published document) is written by hand', () => {
  expect(listBuiltProviders()).toEqual(['github', 'runchat', 'truefoundry']);
});

// Reading GitHub's 13 MB description and cutting it with Redocly takes seconds: once per provider.
const SLOW = 60_000;

describe.each(listBuiltProviders())('specs/%s.yaml', (provider) => {
  const overlay = loadOverlay(provider);
  const upstream = recordedUpstream(overlay);
  const specPath = join(repoRoot, 'specs', `${provider}.yaml`);
  let selected: ReturnType<typeof loadSelected> | undefined;
  const selectedOnce = () => {
    selected ??= loadSelected(upstream, overlay);
    return selected;
  };
  const built = () => applyOverlay(selectedOnce(), overlay);

  it(
    'is the published document(s) + the overlay, every action matching',
    () => {
      const { document, unmatched } = buildSpec(upstream, overlay);
      expect(unmatched.map((u) => u.label)).toEqual([]);
      expect(loadSpec(specPath), `rebuild it: pnpm specs:update ${provider}`).toEqual(document);
    },
    SLOW,
  );

  it(
    'is byte for byte what `pnpm specs:update` writes (no hand edits, not even comments)',
    () => {
      const { document } = built();
      expect(readFileSync(specPath, 'utf8'), `rebuild it: pnpm specs:update ${provider}`).toBe(
        serializeSpec(provider, document),
      );
    },
    SLOW,
  );

  it('gives every action a description (the reason for the change)', () => {
    const missing = overlay.actions.filter((a: { description?: string }) => !a.description?.trim());
    expect(missing).toEqual([]);
  });

  // A second, independent Overlay 1.0 applier: Redocly CLI's `bundle --overlay`. It agrees with
  // scripts/lib/overlay.mjs on our overlays, so they mean what the Overlay specification says.
  // (Redocly's JSONPath library reads `a && b && c` as `a && (b || c)`: keep filters to two terms.)
  it(
    "builds the same document as Redocly's overlay applier",
    () => {
      const input = join(scratch, `${provider}-published.json`);
      const output = join(scratch, `${provider}-redocly.json`);
      writeFileSync(input, JSON.stringify(selectedOnce()));
      execFileSync(
        join(repoRoot, 'node_modules', '.bin', 'redocly'),
        ['bundle', input, '--overlay', overlayPath(provider), '-o', output, '--lint-config', 'off'],
        { cwd: scratch, stdio: 'pipe' },
      );
      expect(parseSpec(readFileSync(output, 'utf8'))).toEqual(built().document);
    },
    SLOW,
  );
});

it('a published document from an npm package is read only at the version the overlay pins', () => {
  const pinned = (version: string) => ({
    'x-anyjob-upstream': [{ package: '@octokit/openapi', version, file: 'generated/api.github.com.json' }],
  });
  expect(recordedUpstream(pinned('23.0.2'))[0]).toMatch(
    /node_modules\/@octokit\/openapi\/generated\/api\.github\.com\.json$/,
  );
  expect(() => recordedUpstream(pinned('22.0.0'))).toThrow(
    /pins @octokit\/openapi@22\.0\.0, but 23\.0\.2 is installed/,
  );
});
