// The post-generation patches of hey-api's fetch-client runtime: they apply to what hey-api
// generates today, fail loudly when that code changes, and the patched runtime (the committed
// packages/core/src/fetch-client) no longer hands hey-api's own options to `new Request()`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient as generate } from '@hey-api/openapi-ts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../packages/core/src/fetch-client/index.js';
import { applyRuntimePatches, RUNTIME_PATCHES } from './runtime-patches.mjs';

describe('runtime patches on hey-api output', () => {
  let scratch: string;
  let pristine: Map<string, string>;

  beforeAll(async () => {
    // The same call as scripts/generate.mjs's generateRuntime, without the patches.
    scratch = mkdtempSync(join(tmpdir(), 'anyjob-runtime-patch-test-'));
    await generate({
      input: { openapi: '3.1.0', info: { title: 'runtime', version: '0' }, paths: {} },
      output: { path: scratch, importFileExtension: '.js', clean: true },
      plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
      logs: { level: 'silent' },
    });
    pristine = new Map(RUNTIME_PATCHES.map((p) => [p.file, readFileSync(join(scratch, p.file), 'utf8')]));
  }, 60_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the unpatched runtime spreads the call options into new Request() (the bug being patched)', () => {
    expect(pristine.get('client/client.gen.ts')).toContain("redirect: 'follow',\n      ...opts,");
  });

  it('applies every patch exactly once and marks the files', () => {
    const patched = applyRuntimePatches(pristine);
    const client = patched.get('client/client.gen.ts') ?? '';
    expect(client).toContain('...toRequestInit(opts),');
    expect(client).not.toContain("redirect: 'follow',\n      ...opts,");
    expect(patched.get('core/serverSentEvents.gen.ts')).toContain('...toRequestInit(options),');
    expect(patched.get('core/utils.gen.ts')).toContain('export function toRequestInit(');
    for (const file of new Set(RUNTIME_PATCHES.map((p) => p.file))) {
      expect(patched.get(file)?.split('\n')[1]).toMatch(
        /Patched after generation by scripts\/lib\/runtime-patches\.mjs/,
      );
    }
  });

  it('the committed runtime is the patched hey-api output (what pnpm generate writes)', () => {
    const patched = applyRuntimePatches(pristine);
    const runtimeDir = join(import.meta.dirname, '..', '..', 'packages', 'core', 'src', 'fetch-client');
    for (const [file, text] of patched) expect(readFileSync(join(runtimeDir, file), 'utf8')).toBe(text);
  });

  it('fails loudly, naming the patch and the file, when hey-api changes the code it rewrites', () => {
    const changed = new Map(pristine);
    changed.set(
      'client/client.gen.ts',
      (changed.get('client/client.gen.ts') ?? '').replace(
        "redirect: 'follow',\n      ...opts,",
        "redirect: 'follow',\n      ...sanitize(opts),",
      ),
    );
    expect(() => applyRuntimePatches(changed)).toThrow(
      /runtime patch "request-init: no call options in new Request\(\) \(client\)": expected its code once in client\/client\.gen\.ts, found it 0 times/,
    );
    // Patching twice is the same failure: the code is no longer there.
    expect(() => applyRuntimePatches(applyRuntimePatches(pristine))).toThrow(/found it 0 times/);
  });
});

describe('the patched runtime on a runtime that validates RequestInit strictly (like Deno)', () => {
  const STANDARD_INIT_KEYS = new Set([
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
  ]);
  const inits: object[] = [];

  beforeAll(() => {
    const NodeRequest = globalThis.Request;
    // Deno's check, and a stricter one: no key that is not a standard RequestInit field.
    class StrictRequest extends NodeRequest {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        if (init && 'client' in init) {
          throw new TypeError("Failed to construct 'Request': Argument 2 'client' must be a Deno.HttpClient");
        }
        inits.push({ ...init });
        super(input, init);
      }
    }
    vi.stubGlobal('Request', StrictRequest);
  });
  afterEach(() => {
    inits.length = 0;
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it('sends a call that carries the SDK `client` option, with method, headers, body and signal intact', async () => {
    const seen: Request[] = [];
    const client = createClient({
      baseUrl: 'http://127.0.0.1:9',
      auth: () => 'key-123',
      // The client calls fetch with the Request it built, never a URL.
      fetch: async (request: RequestInfo | URL) => {
        seen.push(request as Request);
        return Response.json({ ok: true });
      },
    });
    const controller = new AbortController();
    // What every generated SDK function does: spreads its options, `client` among them, into the call.
    const sdkOptions = { client, throwOnError: true as const };
    const result = await client.post({
      url: '/jobs/{id}',
      path: { id: 'a b' },
      query: { limit: 5 },
      body: { applicationId: 'app1' },
      security: [{ scheme: 'bearer', type: 'http' }],
      headers: { 'x-trace': 't1' },
      signal: controller.signal,
      ...sdkOptions,
    });
    expect(result.data).toEqual({ ok: true });
    const [request] = seen;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('http://127.0.0.1:9/jobs/a%20b?limit=5');
    expect(request.headers.get('authorization')).toBe('Bearer key-123');
    expect(request.headers.get('x-trace')).toBe('t1');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.json()).toEqual({ applicationId: 'app1' });
    controller.abort();
    expect(request.signal.aborted).toBe(true);
    for (const init of inits) {
      expect(Object.keys(init).filter((key) => !STANDARD_INIT_KEYS.has(key))).toEqual([]);
    }
  });
});
