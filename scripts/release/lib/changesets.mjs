// Changesets read and summed up with the changesets tool's own libraries, not with regexes:
// @changesets/parse reads a changeset file (front matter of package → bump, then the summary),
// @changesets/assemble-release-plan computes the bump each package gets from all pending
// changesets, dependents included (what `changeset version` will do).
import assembleReleasePlanModule from '@changesets/assemble-release-plan';
import { read as readConfig } from '@changesets/config';
import parseModule from '@changesets/parse';
import { getPackages } from '@manypkg/get-packages';

// Both are CommonJS with an ES `default` inside (their types describe the `default`).
const parse = /** @type {any} */ (parseModule).default ?? parseModule;
const assembleReleasePlan =
  /** @type {any} */ (assembleReleasePlanModule).default ?? assembleReleasePlanModule;

export const BUMPS = ['none', 'patch', 'minor', 'major'];

/** @returns {Record<string, string>} package name → bump */
export function parseChangeset(text, file = 'changeset') {
  let parsed;
  try {
    parsed = parse(text);
  } catch (error) {
    // The library's first line says what is wrong; the rest repeats the file.
    const said = String(error.message)
      .split('\n')[0]
      .replace(/^could not parse changeset - /, '');
    const reason = /frontmatter/i.test(said)
      ? 'no front matter (expected --- "pkg": bump --- at the top)'
      : said;
    throw new Error(`${file}: ${reason}`);
  }
  /** @type {Record<string, string>} */
  const releases = {};
  for (const { name, type } of parsed.releases) {
    if (!BUMPS.includes(type))
      throw new Error(`${file}: "${name}" has bump "${type}", not one of ${BUMPS.join(', ')}`);
    releases[name] = type;
  }
  return releases;
}

/**
 * The bump every package gets from `changesets` (`[{ file, releases }]`), as `changeset version`
 * would compute it (dependents of a bumped workspace package included), as one entry of the same
 * shape: `{ file: 'release plan', releases }`.
 */
export async function releasePlan(changesets, cwd) {
  const packages = await getPackages(cwd);
  const config = await readConfig(cwd, packages);
  const plan = assembleReleasePlan(
    changesets.map(({ file, releases }) => ({
      id: file.replace(/^.*\//, '').replace(/\.md$/, ''),
      summary: '',
      releases: Object.entries(releases).map(([name, type]) => ({ name, type })),
    })),
    packages,
    config,
    undefined,
  );
  return { file: 'release plan', releases: Object.fromEntries(plan.releases.map((r) => [r.name, r.type])) };
}

/** The highest bump the given changesets ask for `name`, or 'none'. */
export function highestBump(changesets, name) {
  let best = 'none';
  for (const { releases } of changesets) {
    const bump = releases[name];
    if (bump && BUMPS.indexOf(bump) > BUMPS.indexOf(best)) best = bump;
  }
  return best;
}

export function bumpAtLeast(bump, wanted) {
  return BUMPS.indexOf(bump) >= BUMPS.indexOf(wanted);
}
