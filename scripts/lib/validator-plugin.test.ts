// The valibot schemas scripts/generate.mjs writes for int64 fields: a bad value is an
// InvalidRequestError naming the field (hey-api 0.95's own schema threw a raw SyntaxError from
// `BigInt('…')` inside validation), and every exact form of an int64 passes.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createClient as generate } from '@hey-api/openapi-ts';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../packages/core/src/errors/index.js';
import {
  assertValidRequest,
  type OperationSchemas,
  type StandardSchema,
} from '../../packages/core/src/validation/schemas.js';
import { listProviders } from './providers.mjs';
import { validatorPlugin } from './validator-plugin.mjs';

const spec = {
  openapi: '3.1.0',
  info: { title: 'int64', version: '1' },
  paths: {
    '/runs/{run_id}': {
      get: {
        operationId: 'getRun',
        parameters: [
          {
            name: 'run_id',
            in: 'path',
            required: true,
            schema: { type: 'integer', format: 'int64', minimum: 1 },
          },
          { name: 'page_size', in: 'query', schema: { type: 'integer', format: 'int64' } },
        ],
        responses: { '204': { description: 'ok' } },
      },
    },
  },
};

let scratch: string;
let getRun: OperationSchemas;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'anyjob-int64-'));
  await generate({
    input: spec,
    output: { path: scratch, importFileExtension: '.js', clean: true },
    plugins: ['@hey-api/typescript', validatorPlugin],
    logs: { level: 'silent' },
  });
  // valibot is a dependency of the provider packages (any one of them), not of the repo root.
  const valibot = createRequire(join(listProviders()[0].packageDir, 'package.json')).resolve('valibot');
  await build({
    entryPoints: [join(scratch, 'valibot.gen.ts')],
    bundle: true,
    format: 'esm',
    outfile: join(scratch, 'valibot.gen.mjs'),
    nodePaths: [dirname(dirname(dirname(valibot)))],
    logLevel: 'silent',
  });
  const schemas = (await import(join(scratch, 'valibot.gen.mjs'))) as Record<string, StandardSchema>;
  getRun = {
    method: 'GET',
    url: '/runs/{run_id}',
    sideEffect: 'read',
    path: schemas.vGetRunPath,
    query: schemas.vGetRunQuery,
    errors: {},
  };
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const check =
  (path: Record<string, unknown>, query: Record<string, unknown> = {}) =>
  () =>
    assertValidRequest('int64', 'getRun', getRun, { path, query });

describe('int64 fields in generated request schemas', () => {
  it.each([
    // Text that is not digits is not an integer, whatever the digit-string form's pattern says.
    ['text', { run_id: 'abc' }, {}, 'path.run_id', 'type'],
    ['a fraction', { run_id: 1.5 }, {}, 'path.run_id', 'type'],
    ['an object', { run_id: { id: 1 } }, {}, 'path.run_id', 'type'],
    ['below the minimum', { run_id: '0' }, {}, 'path.run_id', 'minimum'],
    ['beyond int64', { run_id: 1 }, { page_size: '9223372036854775808' }, 'query.page_size', 'maximum'],
  ])('%s is an InvalidRequestError naming the field', (_, path, query, field, rule) => {
    expect(check(path, query)).toThrow(InvalidRequestError);
    expect(check(path, query)).toThrow(new RegExp(`${field.replace('.', '\\.')}: .*\\(${rule}\\)`));
  });

  it('accepts an integer, a decimal string beyond 2^53 and a bigint', () => {
    expect(check({ run_id: 42 })).not.toThrow();
    expect(check({ run_id: '9007199254740993' }, { page_size: -1 })).not.toThrow();
    expect(check({ run_id: 9223372036854775807n })).not.toThrow();
  });
});
