// Where the bench's pieces live. Kept free of heavy imports: the per-call and memory processes
// import it, and must not carry esbuild or openapi-typescript in their heap.
import { join } from 'node:path';
import { repoRoot } from '../lib/providers.mjs';

export const benchDir = join(repoRoot, 'scripts', 'bench');
export const generatedDir = join(benchDir, '.generated');
/** The openapi-fetch peer client, transpiled by prepare.mjs. */
export const peerModule = join(generatedDir, 'openapi-fetch.mjs');

/** The built entry of a workspace package. */
export const distEntry = (pkg) => join(repoRoot, 'packages', pkg, 'dist', 'index.js');
export const facadeEntry = distEntry('anyjob');
