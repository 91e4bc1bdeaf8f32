// Post-generation patches of hey-api's fetch-client runtime (packages/core/src/fetch-client),
// applied by scripts/generate.mjs right after hey-api writes it. Generated code is never edited by
// hand: a fix that hey-api has not shipped lives here, as an exact find/replace on its output.
//
// Every patch must find its `find` text exactly once, or patchFetchClientRuntime throws and
// `pnpm generate` fails: a hey-api upgrade that changes the code cannot silently drop a fix. When
// an upgrade fixes the problem itself, delete the patch (and its test in runtime-patches.test.ts).
//
// Patch 1, "request-init" (hey-api issue #4177, fix proposed in hey-api PR #4178, not released in
// 0.95.0 nor, checked, in 0.99.0; no configuration option controls it): the client builds
// `new Request(url, { redirect: 'follow', ...opts, body })`, and `opts` holds hey-api's own keys
// (`client`, `fetch`, `baseUrl`, `auth`, `bodySerializer`, …). Node and browsers ignore unknown
// RequestInit keys, but Deno reserves `client` for a `Deno.HttpClient`, so every call failed on
// Deno with "Failed to construct 'Request': Argument 2 'client' must be a Deno.HttpClient" (our
// SDK functions always pass `client`). The patch hands `new Request` only the standard RequestInit
// fields, in the main request path and the server-sent-events path (same bug, same fix).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = '// Patched after generation by scripts/lib/runtime-patches.mjs (see there why).';

const REQUEST_INIT_HELPER = `/**
 * The standard \`RequestInit\` fields of \`options\`, and nothing else (anyjob patch, hey-api #4177).
 * The call options also carry hey-api's own keys (\`client\`, \`fetch\`, \`baseUrl\`, …); Deno reserves
 * \`client\` in RequestInit for a \`Deno.HttpClient\` and throws when it is anything else.
 */
const REQUEST_INIT_KEYS = [
  'body',
  'cache',
  'credentials',
  'duplex',
  'headers',
  'integrity',
  'keepalive',
  'method',
  'mode',
  'priority',
  'redirect',
  'referrer',
  'referrerPolicy',
  'signal',
  'window',
] as const;

export function toRequestInit(options: object): RequestInit {
  const init: Record<string, unknown> = {};
  for (const key of REQUEST_INIT_KEYS) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) init[key] = value;
  }
  return init as RequestInit;
}

`;

/**
 * @typedef {{ name: string, file: string, find: string, replace: string }} RuntimePatch
 * `file` is relative to the runtime directory (the one holding `client/` and `core/`).
 */

/** @type {RuntimePatch[]} */
export const RUNTIME_PATCHES = [
  {
    name: 'request-init: add toRequestInit',
    file: 'core/utils.gen.ts',
    find: 'export function getValidRequestBody(options: {',
    replace: `${REQUEST_INIT_HELPER}export function getValidRequestBody(options: {`,
  },
  {
    name: 'request-init: import toRequestInit in the client',
    file: 'client/client.gen.ts',
    find: "import { getValidRequestBody } from '../core/utils.gen.js';",
    replace: "import { getValidRequestBody, toRequestInit } from '../core/utils.gen.js';",
  },
  {
    name: 'request-init: no call options in new Request() (client)',
    file: 'client/client.gen.ts',
    find: `    const requestInit: ReqInit = {
      redirect: 'follow',
      ...opts,
      body: getValidRequestBody(opts),
    };`,
    replace: `    const requestInit: ReqInit = {
      redirect: 'follow',
      ...toRequestInit(opts),
      headers: opts.headers,
      body: getValidRequestBody(opts),
    };`,
  },
  {
    name: 'request-init: import toRequestInit in the SSE client',
    file: 'core/serverSentEvents.gen.ts',
    find: "import type { Config } from './types.gen.js';",
    replace: "import type { Config } from './types.gen.js';\nimport { toRequestInit } from './utils.gen.js';",
  },
  {
    name: 'request-init: no call options in new Request() (SSE)',
    file: 'core/serverSentEvents.gen.ts',
    find: `        const requestInit: RequestInit = {
          redirect: 'follow',
          ...options,
          body: options.serializedBody,`,
    replace: `        const requestInit: RequestInit = {
          redirect: 'follow',
          ...toRequestInit(options),
          body: options.serializedBody,`,
  },
];

function occurrences(text, part) {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + part.length)) count++;
  return count;
}

/**
 * Applies `patches` to the sources in `files` (path → text) and returns the patched map. Throws,
 * naming the patch and file, when a `find` text does not occur exactly once.
 * @param {Map<string, string>} files
 * @param {RuntimePatch[]} [patches]
 */
export function applyRuntimePatches(files, patches = RUNTIME_PATCHES) {
  const patched = new Map(files);
  for (const patch of patches) {
    const source = patched.get(patch.file);
    if (source === undefined) {
      throw new Error(`runtime patch "${patch.name}": ${patch.file} was not generated`);
    }
    const found = occurrences(source, patch.find);
    if (found !== 1) {
      throw new Error(
        `runtime patch "${patch.name}": expected its code once in ${patch.file}, found it ${found} times. ` +
          'hey-api changed its fetch-client runtime: check whether it fixes the problem itself ' +
          '(then delete the patch) or update the patch in scripts/lib/runtime-patches.mjs.',
      );
    }
    patched.set(
      patch.file,
      source.replace(patch.find, () => patch.replace),
    );
  }
  for (const file of new Set(patches.map((p) => p.file))) {
    // Every patch's file was found above, or it threw.
    const source = /** @type {string} */ (patched.get(file));
    const headerEnd = source.indexOf('\n') + 1;
    patched.set(file, `${source.slice(0, headerEnd)}${MARKER}\n${source.slice(headerEnd)}`);
  }
  return patched;
}

/** Patches the generated runtime in `runtimeDir` in place (all files or none). */
export function patchFetchClientRuntime(runtimeDir, patches = RUNTIME_PATCHES) {
  const files = new Map(patches.map((p) => [p.file, readFileSync(join(runtimeDir, p.file), 'utf8')]));
  for (const [file, text] of applyRuntimePatches(files, patches)) writeFileSync(join(runtimeDir, file), text);
}
