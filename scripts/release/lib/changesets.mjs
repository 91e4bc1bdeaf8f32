// Reads changeset files (`.changeset/*.md`): YAML front matter mapping package names to bumps.
import { parse } from 'yaml';

export const BUMPS = ['none', 'patch', 'minor', 'major'];

/** @returns {Record<string, string>} package name → bump */
export function parseChangeset(text, file = 'changeset') {
  const match = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(text);
  if (!match) throw new Error(`${file}: no front matter (expected --- "pkg": bump --- at the top)`);
  const releases = parse(match[1]) ?? {};
  for (const [name, bump] of Object.entries(releases)) {
    if (!BUMPS.includes(bump))
      throw new Error(`${file}: "${name}" has bump "${bump}", not one of ${BUMPS.join(', ')}`);
  }
  return releases;
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
