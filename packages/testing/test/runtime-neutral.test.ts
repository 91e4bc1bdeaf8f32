// The in-process fake must run wherever anyjob runs (Node, Bun, Deno, workerd, browsers): bundled
// for the browser, @anyjob/testing builds without any Node built-in, and names none a bundler
// would try to resolve (listen() imports node:http through a variable, when called).
import { build } from 'esbuild';
import { expect, it } from 'vitest';

it('a browser bundle of @anyjob/testing builds and imports no Node built-in', async () => {
  const result = await build({
    entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const builtins = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports.filter((found) => found.path.startsWith('node:')).map((found) => found.path),
  );
  expect(builtins).toEqual([]);
});
