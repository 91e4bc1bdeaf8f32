// The decision behind `pnpm check:changesets`, kept free of git so it can be tested directly.
import { bumpAtLeast, highestBump } from './changesets.mjs';
import { requiredBumpForBreaking } from './spec-diff.mjs';

/** Directories whose content is generated: a change there is a change users get. */
export function generatedDirs(pkg) {
  return [`packages/${pkg.folder}/src/generated/`, `packages/${pkg.folder}/src/fetch-client/`];
}

/**
 * @param {{
 *   packages: { name: string, folder: string, version: string }[],
 *   changedFiles: string[],
 *   changesets: { file: string, releases: Record<string, string> }[],
 *   specDiffs: Map<string, import('./spec-diff.mjs').SpecDiff>,
 * }} input  specDiffs is keyed by package folder (= spec name) for specs that changed
 * @returns {{ problems: string[], notes: string[], breakingPackages: string[] }}
 */
export function assessChangesets({ packages, changedFiles, changesets, specDiffs }) {
  const problems = [];
  const notes = [];
  const breakingPackages = [];
  for (const pkg of packages) {
    const dirs = generatedDirs(pkg);
    const generated = changedFiles.filter((file) => dirs.some((dir) => file.startsWith(dir)));
    const diff = specDiffs.get(pkg.folder);
    const specChanges = diff ? diff.breaking.length + diff.nonBreaking.length : 0;
    // A spec edit that changes no operation or schema (examples, descriptions) reaches no user.
    if (generated.length === 0 && specChanges === 0) continue;

    const bump = highestBump(changesets, pkg.name);
    const what =
      generated.length > 0
        ? `generated code changed (${generated.length} file(s), e.g. ${generated[0]})`
        : `specs/${pkg.folder}.yaml changed`;
    if (bump === 'none') {
      problems.push(
        `${pkg.name}: ${what} but no changeset names ${pkg.name}. Run \`pnpm changeset\`, select ${pkg.name} and describe the change for users.`,
      );
    }
    if (!diff) continue;
    for (const change of diff.nonBreaking) notes.push(`${pkg.name}: ${change.where}: ${change.message}`);
    if (diff.breaking.length === 0) continue;

    breakingPackages.push(pkg.name);
    const wanted = requiredBumpForBreaking(pkg.version);
    const list = diff.breaking.map((c) => `    - [${c.kind}] ${c.where}: ${c.message}`).join('\n');
    const header = `${pkg.name}: specs/${pkg.folder}.yaml has ${diff.breaking.length} BREAKING change(s):\n${list}`;
    if (!bumpAtLeast(bump, wanted)) {
      const why =
        wanted === 'major'
          ? ''
          : ` (${pkg.name} is ${pkg.version}: below 1.0 a minor bump is the breaking one)`;
      problems.push(
        `${header}\n  A breaking change needs a \`${wanted}\` changeset for ${pkg.name}${why}; found ${bump === 'none' ? 'none' : `\`${bump}\``}. Run \`pnpm changeset\` and pick ${wanted}, or make the spec change backwards compatible.`,
      );
    } else {
      notes.push(`${header}\n  covered by a \`${bump}\` changeset.`);
    }
  }
  return { problems, notes, breakingPackages };
}
