// What `import('anyjob')` loads, read from the built packages (dist/) in a fresh node process that
// records every module it loads: the facade and @anyjob/core's main entry, one file each, and
// nothing of a provider until that provider's first call (scripts/build-package.mjs lays dist/
// out for this; issue: cold import ≤ 1.5× openapi-fetch's).
import { execFileSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const facadeDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(facadeDir, '..', '..');

// A loader hook that reports each module URL Node loads, then the probe's own script.
const RECORDER = [
  "import { register } from 'node:module';",
  "import { MessageChannel } from 'node:worker_threads';",
  'const { port1, port2 } = new MessageChannel();',
  'globalThis.loaded = [];',
  'port1.on("message", (url) => globalThis.loaded.push(url));',
  'port1.unref();',
  'register(`data:text/javascript,let port; export function initialize(data) { port = data.port; }' +
    ' export async function load(url, context, next) { port.postMessage(url); return next(url, context); }`,' +
    ' { data: { port: port2 }, transferList: [port2] });',
].join('\n');

function loadedModules(script: string): string[] {
  const output = execFileSync(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(RECORDER)}`,
      '--input-type=module',
      '-e',
      `${script}\nawait new Promise((resolve) => setTimeout(resolve, 50));\nprocess.stdout.write(JSON.stringify(globalThis.loaded));`,
    ],
    { cwd: facadeDir, encoding: 'utf8', env: { ...process.env, ANYJOB_LOG: 'off' } },
  );
  return (JSON.parse(output) as string[])
    .filter((url) => url.startsWith('file:'))
    .map((url) => relative(repoRoot, fileURLToPath(url)));
}

describe('what loading anyjob loads', () => {
  it('import("anyjob") loads two modules: the facade and @anyjob/core', () => {
    expect(loadedModules("await import('anyjob');")).toEqual([
      'packages/anyjob/dist/index.js',
      'packages/core/dist/index.js',
    ]);
  });

  it("a provider's first call loads that provider's implementation, and no other provider", () => {
    const loaded = loadedModules(
      [
        "const { createAnyJob } = await import('anyjob');",
        "const jobs = createAnyJob({ truefoundry: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' } });",
        // A ref that fails its check: the implementation loads, no request is sent.
        "await jobs.getJobRun({ provider: 'truefoundry' }).catch(() => {});",
      ].join('\n'),
    );
    expect(loaded.some((path) => path === 'packages/truefoundry/dist/implementation.js')).toBe(true);
    // No other package's code: whichever providers are registered beside it.
    expect(
      loaded.filter(
        (path) => path.startsWith('packages/') && !/^packages\/(anyjob|core|truefoundry)\//.test(path),
      ),
    ).toEqual([]);
  });
});
