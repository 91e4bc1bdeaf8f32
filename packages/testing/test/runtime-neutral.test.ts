// The in-process fake must run wherever anyjob runs (Node, Bun, Deno, workerd, browsers): bundled
// for the browser, @anyjob/testing reaches a Node built-in only through listen()'s dynamic import.
import { build } from 'esbuild';
import { expect, it } from 'vitest';

it('a browser bundle of @anyjob/testing imports node:http lazily and no other Node built-in', async () => {
  const result = await build({
    entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Built-ins stay imports, so the metafile says how each is reached.
    external: ['node:*'],
  });
  const builtins = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports
      .filter((found) => found.path.startsWith('node:'))
      .map((found) => `${found.kind} ${found.path}`),
  );
  expect(builtins).toEqual(['dynamic-import node:http']);
});
