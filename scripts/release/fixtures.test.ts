// Every spec under fixtures/ (the `pnpm new-provider` scaffold corpus and the spec-diff base) holds
// to the rules the provider specs do: `pnpm lint:specs` only reads specs/*.yaml, so without this a
// fixture could drift into something the scaffold was never meant to meet (an example that breaks
// its schema, which Prism would then serve, a duplicate operationId, an undocumented 4xx).
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { listOperations, loadSpec, resolveRef } from '../lib/openapi.mjs';
import { repoRoot } from '../lib/providers.mjs';

const exec = promisify(execFile);

/** A request body or response, as far as its examples go. */
type Body = { content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> };
const fixturesDir = join(repoRoot, 'scripts', 'release', 'fixtures');
const fixtures = readdirSync(fixturesDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

it('finds the fixture specs', () => {
  expect(fixtures.length).toBeGreaterThan(0);
});

describe.each(fixtures)('fixtures/%s', (name) => {
  const path = join(fixturesDir, name);

  it('is an OpenAPI 3.1 document', () => {
    expect(loadSpec(path).openapi).toMatch(/^3\.1\./);
  });

  // Run from the repo root so Redocly reads redocly.yaml, the rules `pnpm lint:specs` applies.
  it('passes redocly lint with the repo rules', async () => {
    const result = await exec(join(repoRoot, 'node_modules', '.bin', 'redocly'), ['lint', path], {
      cwd: repoRoot,
    }).then(
      () => ({ ok: true, output: '' }),
      (error: { stdout?: string; stderr?: string }) => ({
        ok: false,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }),
    );
    expect(result.ok, result.output).toBe(true);
  });

  // Prism answers with a body's first example; without one it invents values from the schema,
  // which no real API sends, and a drafted provider's tests would then check nothing real.
  it('gives an example for every request and response body', () => {
    const spec = loadSpec(path);
    const missing: string[] = [];
    for (const { method, path: route, requestBody, responses } of listOperations(spec)) {
      const bodies: [string, Body | undefined][] = [['request', requestBody]];
      for (const [status, response] of Object.entries(responses))
        bodies.push([status, resolveRef(spec, response)]);
      for (const [where, body] of bodies) {
        for (const [mediaType, media] of Object.entries(body?.content ?? {})) {
          if (media.example === undefined && Object.keys(media.examples ?? {}).length === 0)
            missing.push(`${method.toUpperCase()} ${route} ${where} ${mediaType}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  // anyjob's extension: the env var names a provider drafted from the spec reads.
  it('names environment variables in x-anyjob-env, where it has one', () => {
    const env = loadSpec(path)['x-anyjob-env'];
    if (env === undefined) return;
    expect(Object.keys(env).sort()).toEqual(['apiKey', 'baseUrl']);
    for (const value of Object.values(env)) expect(value).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });
});
