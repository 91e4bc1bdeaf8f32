// The spec-derived contract suite, run once per provider package (test/spec-contract.test.ts).
// Every case comes from specs/<provider>.yaml through spec-table.mjs, so a new operation, status,
// example or constraint in a spec is tested without a test being written. It drives the
// package's generated SDK functions against Prism with a client from the package's factory.
import { describe, expect, it } from 'vitest';
import { sdkFunctionName } from '../lib/naming.mjs';
import { resolveRef } from '../lib/openapi.mjs';
import { expectRequestViolations, MOCK_API_KEY, mockUrl, prismViolations } from './index.js';
import {
  droppedRequestKeywords,
  loadOperations,
  negativeCorpus,
  pairTag,
  type RequestParts,
} from './spec-table.mjs';

interface Issue {
  path: string;
  rule: string;
  message: string;
}

interface SchemaLike {
  readonly '~standard': { readonly validate: (value: unknown) => unknown };
}

type SdkResult = { data?: unknown; error?: unknown; request: Request; response: Response };
type SdkFunction = (options: Record<string, unknown>) => Promise<SdkResult>;

export interface ProviderUnderTest {
  provider: string;
  /** The package module (`import * as sdk from '../src/index.js'`). */
  sdk: Record<string, unknown>;
  createClient: (settings: {
    apiKey: string;
    baseUrl: string;
    validateRequests?: boolean;
    validateResponses?: boolean;
    maxRetries?: number;
    fetch?: typeof globalThis.fetch;
  }) => unknown;
  /** The package's operations table: the generated one plus its hand-written rules. */
  operations: Readonly<
    Record<
      string,
      {
        readonly response?: SchemaLike;
        readonly errors: Readonly<Record<number, SchemaLike>>;
        readonly rules?: readonly unknown[];
      }
    >
  >;
  /** `checkSchema` from @anyjob/core/internal. */
  checkSchema: (schema: SchemaLike, value: unknown, root: string) => Issue[];
}

const DYNAMIC_RESPONSES = 20;

/** The success answer's schema admits one body only: an object with no properties allowed (`{}`). */
function admitsOneBody(op: { spec: unknown; url: string; method: string }): boolean {
  const spec = op.spec as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
  const responses = spec.paths[op.url]?.[op.method.toLowerCase()]?.responses ?? {};
  const success = Object.entries(responses).find(([status]) => /^2/.test(status))?.[1];
  const media = (resolveRef(spec, success) as { content?: Record<string, { schema?: unknown }> } | undefined)
    ?.content?.['application/json'];
  const schema = resolveRef(spec, media?.schema) as Record<string, unknown> | undefined;
  return (
    schema?.type === 'object' &&
    schema.additionalProperties === false &&
    Object.keys((schema.properties as object | undefined) ?? {}).length === 0
  );
}

export function describeSpecContract(target: ProviderUnderTest): void {
  const { provider, sdk, operations, checkSchema } = target;
  const specOperations = loadOperations(provider);
  const client = (settings: { validateRequests?: boolean; fetch?: typeof globalThis.fetch } = {}) =>
    target.createClient({
      apiKey: MOCK_API_KEY,
      baseUrl: mockUrl(provider),
      validateResponses: true,
      // Each answer once, as Prism sends it: a 429 or 5xx with a Retry-After is not waited out.
      maxRetries: 0,
      ...settings,
    });
  const call = (operationId: string, options: Record<string, unknown>) => {
    // Generated SDK functions are named `<provider><OperationId>` (scripts/lib/naming.mjs).
    const name = sdkFunctionName(provider, operationId);
    const fn = sdk[name];
    if (typeof fn !== 'function') throw new Error(`@anyjob/${provider} exports no SDK function ${name}`);
    return (fn as SdkFunction)(options);
  };

  describe(`${provider}: every operation × every documented status`, () => {
    for (const op of specOperations) {
      for (const status of op.statuses) {
        it(`${op.operationId} answers ${status} as the spec says ${pairTag(provider, op.operationId, status)}`, async () => {
          const code = Number(status);
          expect(Number.isInteger(code), `status "${status}" cannot be elicited with Prefer: code`).toBe(
            true,
          );
          const { data, error, response } = await call(op.operationId, {
            client: client(),
            ...op.request,
            headers: { Prefer: `code=${code}` },
          });
          if (code >= 300 && code < 400) {
            // anyjob follows a redirect on the configured origin only: Prism's example Location
            // names the provider's own host, so the client refuses it before sending anything.
            expect((error as { name?: string } | undefined)?.name).toBe('RedirectError');
            return;
          }
          expect(response.status).toBe(code);
          const schemas = operations[op.operationId];
          if (response.ok) {
            // The client validated the body already (validateResponses); checked again so this test
            // fails on its own if that wiring breaks.
            expect(error).toBeUndefined();
            // A 204 has no body (the SDK hands back `{}`), whatever the operation's other 2xx say.
            if (schemas.response && code !== 204)
              expect(checkSchema(schemas.response, data, 'data')).toEqual([]);
          } else {
            expect(data).toBeUndefined();
            const errorSchema = schemas.errors[code];
            if (errorSchema) expect(checkSchema(errorSchema, error, 'error')).toEqual([]);
            // A body in another media type (problem+json, plain text) is the spec's example as is.
            else if (status in op.otherBodies) expect(error).toEqual(op.otherBodies[status]);
            else expect(error).toEqual({});
          }
        });
      }
    }
  });

  describe(`${provider}: schema-generated responses pass the response validator`, () => {
    for (const op of specOperations) {
      it(`${op.operationId}: ${DYNAMIC_RESPONSES} dynamic responses`, async () => {
        const bodies = new Set<string>();
        const validating = client();
        for (let i = 0; i < DYNAMIC_RESPONSES; i++) {
          // A fixed seed per request: 20 different bodies, the same 20 on every run.
          // validateResponses: a body that breaks the spec rejects with ResponseValidationError.
          const { data, response } = await call(op.operationId, {
            client: validating,
            ...op.request,
            headers: { Prefer: `dynamic=true, seed=anyjob-${i}` },
          });
          expect(response.ok).toBe(true);
          bodies.add(JSON.stringify(data));
        }
        // Generated, not the same example served again: bodies differ unless the schema allows one
        // (`{}` only), or the answer has no body at all (a 201 with a Location, which the SDK reads as {}).
        const oneBody = admitsOneBody(op) || (bodies.size === 1 && bodies.has('{}'));
        expect(bodies.size).toBeGreaterThan(oneBody ? 0 : 1);
      });
    }
  });

  // JSON request examples only (a form body's examples are the provider's to test).
  describe.skipIf(!specOperations.some((op) => op.bodyExamples.length > 0))(
    `${provider}: every request example in the spec is accepted`,
    () => {
      for (const op of specOperations) {
        for (const example of op.bodyExamples) {
          it(`${op.operationId} sends the example "${example.name}"`, async () => {
            const { error, response } = await call(op.operationId, {
              client: client(),
              ...op.request,
              body: example.value,
            });
            expect(error).toBeUndefined();
            expect(response.ok).toBe(true);
          });
        }
      }
    },
  );

  // A spec rule the generated validators drop would otherwise pass the client unnoticed and
  // only fail at the provider.
  const withDropped = specOperations
    .map((op) => ({ op, dropped: droppedRequestKeywords(op) }))
    .filter(({ dropped }) => dropped.length > 0);
  if (withDropped.length > 0) {
    describe(`${provider}: spec rules the generated validators drop are checked by hand`, () => {
      for (const { op, dropped } of withDropped) {
        it(`${op.operationId}: ${dropped.join(', ')}`, () => {
          const rules = operations[op.operationId]?.rules ?? [];
          expect(
            rules.length,
            `add a RequestRule for ${dropped.join(', ')} with withRequestRules in src/validation.ts`,
          ).toBeGreaterThan(0);
        });
      }
    });
  }

  describe(`${provider}: invalid requests are refused by the client and by Prism alike`, () => {
    for (const op of specOperations) {
      for (const variant of negativeCorpus(op)) {
        const change = variant.drop ? 'missing' : JSON.stringify(variant.value).slice(0, 30);
        it(`${op.operationId}: ${variant.path} ${change} breaks ${variant.rule}`, async () => {
          let requestsSent = 0;
          const counting: typeof globalThis.fetch = (input, init) => {
            requestsSent++;
            return globalThis.fetch(input, init);
          };
          const refused = await call(op.operationId, {
            client: client({ fetch: counting }),
            ...variant.request,
          }).then(
            () => undefined,
            (error: unknown) => error,
          );
          expect(requestsSent).toBe(0);
          expect(refused).toMatchObject({
            name: 'InvalidRequestError',
            provider,
            operation: op.operationId,
            issues: expect.arrayContaining([
              expect.objectContaining({ path: variant.path, rule: variant.rule }),
            ]),
          });
          expect((refused as Error).message).toContain(`${variant.path}: `);
          expect((refused as Error).message).toContain(`(${variant.rule})`);

          // Prism reads an empty query value (`tree=`) as absent and checks nothing of it.
          if (variant.path.startsWith('query.') && variant.value === '') return;
          expectRequestViolations();
          const { response, error } = await call(op.operationId, {
            client: client({ validateRequests: false }),
            ...(variant.request as RequestParts),
          });
          expect(response.status, 'Prism accepted a request the client refuses').toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          const reported = prismViolations().flatMap((entry) => entry.violations);
          // Where the operation documents no 400 or 422, Prism answers its own 422 problem
          // ("Invalid request") without the violations header.
          const prismRefused = (error as { title?: unknown } | undefined)?.title === 'Invalid request';
          // Prism matches a path parameter to a route but checks none of its bounds (an empty
          // segment, a number below its minimum): its 4xx is the refusal there.
          if (!variant.path.startsWith('path.') && !prismRefused)
            expect(reported.some((v) => v.location?.[0] === 'request')).toBe(true);
        });
      }
    }
  });
}
