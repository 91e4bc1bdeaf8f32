// Builds the peer client for the bench: openapi-typescript types for each spec into .generated/,
// a type-check of peer/openapi-fetch.ts against them, and that file transpiled to plain JS.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import openapiTS, { astToString } from 'openapi-typescript';
import { repoRoot } from '../lib/providers.mjs';
import { benchDir, generatedDir, peerModule } from './paths.mjs';

export async function preparePeer() {
  mkdirSync(generatedDir, { recursive: true });
  for (const provider of ['truefoundry', 'kognitos']) {
    const ast = await openapiTS(pathToFileURL(join(repoRoot, 'specs', `${provider}.yaml`)));
    writeFileSync(join(generatedDir, `${provider}.d.ts`), astToString(ast));
  }
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', join(benchDir, 'tsconfig.json')], {
    stdio: 'inherit',
  });
  const source = readFileSync(join(benchDir, 'peer', 'openapi-fetch.ts'), 'utf8');
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'es2022' });
  writeFileSync(peerModule, code);
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const started = performance.now();
  await preparePeer();
  console.log(`prepared the openapi-fetch peer in ${Math.round(performance.now() - started)} ms`);
}
