// Cold import cost: a fresh `node` process per sample that times `await import(<entry>)` from
// inside (so Node's own start-up is excluded), samples interleaved across entries, median
// reported. Each process is new, so nothing is cached in memory; the OS file cache is warm,
// as it is for any real second start.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../lib/providers.mjs';
import { facadeEntry } from './clients.mjs';

const dist = (pkg) => join(repoRoot, 'packages', pkg, 'dist', 'index.js');

function entries() {
  const list = [
    { name: '@anyjob/truefoundry', url: pathToFileURL(dist('truefoundry')).href },
    { name: '@anyjob/core', url: pathToFileURL(dist('core')).href },
    { name: 'openapi-fetch', url: import.meta.resolve('openapi-fetch') },
  ];
  if (existsSync(facadeEntry)) list.unshift({ name: 'anyjob', url: pathToFileURL(facadeEntry).href });
  return list;
}

const PROBE = [
  'const started = performance.now();',
  'await import(process.argv[1]);',
  'process.stdout.write(String(performance.now() - started));',
].join('\n');

function sample(url) {
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, url], { encoding: 'utf8' }),
  );
}

export function measureImports(samples = 9) {
  const list = entries();
  const times = Object.fromEntries(list.map((e) => [e.name, []]));
  for (let i = 0; i < samples; i++) for (const e of list) times[e.name].push(sample(e.url));
  return list.map((e) => {
    const sorted = times[e.name].sort((a, b) => a - b);
    return {
      name: e.name,
      medianMs: sorted[sorted.length >> 1],
      minMs: sorted[0],
      maxMs: sorted.at(-1),
      samples,
    };
  });
}

if (process.argv[1] === new URL(import.meta.url).pathname) console.log(measureImports());
