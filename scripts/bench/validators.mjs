#!/usr/bin/env node
// Compares the two validator plugins of @hey-api/openapi-ts for the request validation we ship:
// valibot against zod/mini. For one operation (Kognitos `startRun`, the largest request body) it
// reports the minified+gzipped bundle size of "validate this body" and the time per validation of
// a valid and an invalid body. A benchmark, not a test: numbers are printed, nothing is asserted.
//
// Usage: node scripts/bench/validators.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createClient } from '@hey-api/openapi-ts';
import { build } from 'esbuild';
import { repoRoot } from '../lib/providers.mjs';

const spec = join(repoRoot, 'specs', 'kognitos.yaml');
const valid = {
  agent_id: 'b4fznghynbdemslfd5k044fgd',
  process_id: 'b4fznghynbdemslfd5k044fgd',
  name: 'Process invoice 42',
  stage: 'Draft',
  inputs: [{ name: 'order_id', value: 'b4fznghynbdemslfd5k044fgd' }],
  file_ids: ['b4fznghynbdemslfd5k044fgd', '9nvx1hdm9bd74rp585oe81t5i'],
};
const invalid = { ...valid, agent_id: 'a'.repeat(27), stage: 'Live' };

/** @type {{ name: string, plugin: any, file: string, entry: string }[]} */
const candidates = [
  {
    name: 'valibot',
    plugin: { name: 'valibot' },
    file: 'valibot.gen.js',
    entry:
      "import * as v from 'valibot';\nimport { vStartRunBody } from './gen/valibot.gen.js';\nexport const check = (body) => v.safeParse(vStartRunBody, body).success;\n",
  },
  {
    name: 'zod/mini',
    plugin: { name: 'zod', compatibilityVersion: 'mini' },
    file: 'zod.gen.js',
    entry:
      "import { zStartRunBody } from './gen/zod.gen.js';\nexport const check = (body) => zStartRunBody.safeParse(body).success;\n",
  },
];

function time(check, value, iterations) {
  for (let i = 0; i < 2_000; i++) check(value); // warm up the JIT
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) check(value);
  return Number(process.hrtime.bigint() - started) / iterations;
}

const scratch = mkdtempSync(join(tmpdir(), 'anyjob-bench-validators-'));
// valibot is a dependency of the provider packages, zod only a root devDependency.
const nodePaths = [join(repoRoot, 'packages', 'kognitos', 'node_modules'), join(repoRoot, 'node_modules')];
const rows = [];
try {
  for (const candidate of candidates) {
    const dir = join(scratch, candidate.name.replace('/', '-'));
    await createClient({
      input: spec,
      output: { path: join(dir, 'gen'), importFileExtension: '.js' },
      plugins: ['@hey-api/typescript', candidate.plugin],
      logs: { level: 'silent' },
    });
    writeFileSync(join(dir, 'entry.ts'), candidate.entry);
    const result = await build({
      entryPoints: [join(dir, 'entry.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      nodePaths,
      write: false,
      outfile: join(dir, 'out.mjs'),
    });
    const code = result.outputFiles[0].contents;
    writeFileSync(join(dir, 'out.mjs'), code);
    const { check } = await import(join(dir, 'out.mjs'));
    if (!check(valid) || check(invalid))
      throw new Error(`${candidate.name}: validator disagrees with the spec`);
    rows.push({
      validator: candidate.name,
      'min bytes': code.byteLength,
      'min+gzip bytes': gzipSync(code, { level: 9 }).byteLength,
      'valid ns/op': Math.round(time(check, valid, 200_000)),
      'invalid ns/op': Math.round(time(check, invalid, 50_000)),
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`startRun request body, Node ${process.version}`);
console.table(rows);
