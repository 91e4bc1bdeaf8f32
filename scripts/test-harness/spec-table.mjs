// Reads specs/*.yaml and derives what the contract suite tests: every operation with its
// documented statuses, a valid request built from the spec's examples, every request example,
// and invalid variants of that request generated from the schemas. The coverage gate
// (scripts/coverage-gate.mjs) reads the same table, so a status added to a spec is both tested
// and required without a test being edited.
import { listOperations, loadSpec, resolveRef } from '../lib/openapi.mjs';
import { listProviders } from '../lib/providers.mjs';

/**
 * @typedef {object} RequestParts
 * @property {Record<string, unknown>} [path]
 * @property {Record<string, unknown>} [query]
 * @property {unknown} [body]
 */

/**
 * @typedef {object} SpecOperation
 * @property {string} provider
 * @property {string} operationId
 * @property {string} method
 * @property {string} url
 * @property {Array<{ name: string, in: string, required?: boolean, schema?: unknown }>} parameters
 * @property {unknown} bodySchema
 * @property {Array<{ name: string, value: unknown }>} bodyExamples
 * @property {RequestParts} request A valid request assembled from the spec's parameter and body examples.
 * @property {string[]} statuses Documented response statuses as written in the spec (`'200'`, `'404'`, …).
 * @property {Record<string, unknown>} otherBodies The example of each answer documented in another
 *   media type than `application/json` (`application/problem+json`, `text/plain`), by status: what
 *   Prism serves and the client hands back, with no JSON schema in the operations table.
 * @property {import('../lib/openapi.mjs').OpenApiDocument} spec The whole document, for resolving refs.
 */

/**
 * @typedef {object} InvalidVariant
 * @property {Array<string | number>} at
 * @property {string} path `body.agent_id`, `query.limit`, …
 * @property {string} rule
 * @property {boolean} [drop]
 * @property {unknown} [value]
 * @property {RequestParts} request
 */

/**
 * The test title fragment that marks the test of one (operation, status) pair.
 * @param {string} provider
 * @param {string} operationId
 * @param {string} status
 * @returns {string}
 */
export function pairTag(provider, operationId, status) {
  return `[${provider}.${operationId} ${status}]`;
}

function firstExample(parameter) {
  if (parameter.example !== undefined) return parameter.example;
  const named = Object.values(parameter.examples ?? {})[0];
  return named?.value;
}

/**
 * Every operation of one spec, with a valid request assembled from the spec's examples.
 * @param {string} provider
 * @returns {SpecOperation[]}
 */
export function loadOperations(provider) {
  const paths = listProviders().find((p) => p.name === provider);
  if (!paths) throw new Error(`no spec for provider "${provider}" (specs/${provider}.yaml)`);
  const { specPath } = paths;
  const spec = loadSpec(specPath);
  const operations = [];
  for (const { method, path: url, operation, parameters, requestBody } of listOperations(spec)) {
    const bodyMedia = requestBody?.content?.['application/json'];
    const bodyExamples = Object.entries(bodyMedia?.examples ?? {}).map(([name, example]) => ({
      name,
      value: resolveRef(spec, example).value,
    }));
    const request = {};
    for (const parameter of parameters) {
      if (parameter.in !== 'path' && parameter.in !== 'query') continue;
      // Prism reports a deprecated parameter as a request violation: a valid request leaves it out.
      if (parameter.deprecated && !parameter.required) continue;
      const example = firstExample(parameter);
      if (example === undefined) {
        if (parameter.required) {
          throw new Error(`${provider}.${operation.operationId}: parameter ${parameter.name} has no example`);
        }
        continue;
      }
      request[parameter.in] = { ...request[parameter.in], [parameter.name]: example };
    }
    if (bodyExamples.length > 0) request.body = bodyExamples[0].value;
    else if (requestBody?.required) {
      throw new Error(`${provider}.${operation.operationId}: the required request body has no example`);
    }
    operations.push({
      provider,
      operationId: operation.operationId,
      method: method.toUpperCase(),
      url,
      parameters,
      bodySchema: bodyMedia?.schema,
      bodyExamples,
      request,
      statuses: Object.keys(operation.responses ?? {}),
      otherBodies: otherMediaExamples(spec, operation.responses ?? {}),
      spec,
    });
  }
  return operations;
}

/**
 * @param {import('../lib/openapi.mjs').OpenApiDocument} spec
 * @param {Record<string, unknown>} responses
 * @returns {Record<string, unknown>}
 */
function otherMediaExamples(spec, responses) {
  /** @type {Record<string, unknown>} */
  const examples = {};
  for (const [status, raw] of Object.entries(responses)) {
    const content = resolveRef(spec, raw)?.content ?? {};
    if (content['application/json']) continue;
    for (const media of Object.values(content)) {
      const example =
        media.example ?? Object.values(media.examples ?? {}).map((e) => resolveRef(spec, e)?.value)[0];
      if (example !== undefined) {
        examples[status] = example;
        break;
      }
    }
  }
  return examples;
}

/**
 * Every (provider, operation, status) pair documented in specs/.
 * @returns {Array<{ provider: string, operationId: string, status: string }>}
 */
export function listStatusPairs() {
  return listProviders().flatMap(({ name }) =>
    loadOperations(name).flatMap((op) =>
      op.statuses.map((status) => ({ provider: name, operationId: op.operationId, status })),
    ),
  );
}

// --- keywords the generated validators drop ------------------------------------------------

// hey-api's valibot plugin emits nothing for these, so a request schema using one needs a
// hand-written rule (core's withRequestRules) for the client to enforce what the spec says.
const DROPPED_KEYWORDS = ['not'];

function droppedIn(spec, raw, where, found, seen) {
  if (raw === null || typeof raw !== 'object') return;
  if (raw.$ref) {
    if (seen.has(raw.$ref)) return;
    seen.add(raw.$ref);
    return droppedIn(spec, resolveRef(spec, raw), where, found, seen);
  }
  for (const keyword of DROPPED_KEYWORDS) if (raw[keyword] !== undefined) found.push(`${where} ${keyword}`);
  for (const [name, child] of Object.entries(raw.properties ?? {})) {
    droppedIn(spec, child, `${where}.${name}`, found, seen);
  }
  for (const list of ['allOf', 'anyOf', 'oneOf']) {
    for (const child of raw[list] ?? []) droppedIn(spec, child, where, found, seen);
  }
  if (raw.items) droppedIn(spec, raw.items, `${where}[]`, found, seen);
  if (typeof raw.additionalProperties === 'object') {
    droppedIn(spec, raw.additionalProperties, `${where}.*`, found, seen);
  }
}

/**
 * Where an operation's request schemas use a keyword the generated validators drop (`body.input not`).
 * @param {SpecOperation} operation
 * @returns {string[]}
 */
export function droppedRequestKeywords(operation) {
  const found = [];
  for (const parameter of operation.parameters) {
    droppedIn(operation.spec, parameter.schema, `${parameter.in}.${parameter.name}`, found, new Set());
  }
  droppedIn(operation.spec, operation.bodySchema, 'body', found, new Set());
  return [...new Set(found)];
}

// --- negative corpus -----------------------------------------------------------------------

/** Resolves refs, merges `allOf` and unwraps `oneOf/anyOf [X, null]` into a nullable X. */
function normalize(spec, raw) {
  let schema = resolveRef(spec, raw) ?? {};
  if (schema.allOf) {
    const merged = { ...schema, allOf: undefined };
    for (const part of schema.allOf) Object.assign(merged, { ...normalize(spec, part), ...merged });
    schema = merged;
  }
  const union = schema.oneOf ?? schema.anyOf;
  if (union) {
    const nonNull = union.filter((branch) => resolveRef(spec, branch)?.type !== 'null');
    if (nonNull.length !== 1) return { composite: true };
    const inner = normalize(spec, nonNull[0]);
    return { ...inner, type: [...types(inner), 'null'] };
  }
  return schema;
}

function types(schema) {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function jsonType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

const OFF_TYPE_VALUES = [12345, 'text', true, ['text'], { key: 'text' }];

function wrongTypeValue(allowed) {
  const accepts = (value) => {
    const type = jsonType(value);
    return allowed.includes(type) || (type === 'integer' && allowed.includes('number'));
  };
  return OFF_TYPE_VALUES.find((value) => !accepts(value));
}

function patternBreaker(schema) {
  const pattern = new RegExp(schema.pattern);
  const length = Math.max(schema.minLength ?? 1, 1);
  return ['!', ' ', '#', '\u00e9'].map((c) => c.repeat(length)).find((candidate) => !pattern.test(candidate));
}

/**
 * Invalid variants of a valid value: `{ at, rule, value }` (or `drop: true` for a missing
 * required property), where `at` is the path from the request root and `rule` is the spec
 * keyword the variant breaks. `inString` marks query/path values, which travel as text.
 */
function* invalidVariants(spec, rawSchema, value, at, { inString = false } = {}) {
  const schema = normalize(spec, rawSchema);
  if (schema.composite) return;
  const allowed = types(schema);
  // A wrong-typed value breaks an enum too, and validators report it as such: the enum variant covers it.
  if (allowed.length > 0 && !schema.enum) {
    const textual = allowed.includes('string') || allowed.includes('array');
    if (!(inString && textual)) {
      const wrong = inString ? 'text' : wrongTypeValue(allowed);
      // An int64 may also come as its decimal digits (exact beyond 2^53); other text is still a
      // value of the wrong type, and core reports it so (validation/schemas.ts), not as a pattern.
      if (wrong !== undefined) yield { at, rule: 'type', value: wrong };
    }
  }
  if (schema.enum) yield { at, rule: 'enum', value: 'NOT_IN_ENUM' };
  if (schema.maxLength !== undefined)
    yield { at, rule: 'maxLength', value: 'a'.repeat(schema.maxLength + 1) };
  if (schema.minLength > 0) yield { at, rule: 'minLength', value: '' };
  if (schema.pattern) {
    const breaker = patternBreaker(schema);
    if (breaker !== undefined) yield { at, rule: 'pattern', value: breaker };
  }
  if (schema.maximum !== undefined) yield { at, rule: 'maximum', value: schema.maximum + 1 };
  if (schema.minimum !== undefined) yield { at, rule: 'minimum', value: schema.minimum - 1 };
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && schema.properties) {
    for (const name of schema.required ?? []) yield { at: [...at, name], rule: 'required', drop: true };
    for (const [name, propertySchema] of Object.entries(schema.properties)) {
      if (value[name] === undefined) continue;
      yield* invalidVariants(spec, propertySchema, value[name], [...at, name]);
    }
  }
  if (Array.isArray(value) && value.length > 0 && schema.items) {
    yield* invalidVariants(spec, schema.items, value[0], [...at, 0], { inString });
  }
}

function setAt(root, at, variant) {
  const copy = structuredClone(root);
  let parent = copy;
  for (const key of at.slice(0, -1)) {
    parent[key] ??= {};
    parent = parent[key];
  }
  const last = at.at(-1);
  if (variant.drop) delete parent[last];
  else parent[last] = variant.value;
  return copy;
}

/**
 * `body.inputs[0].name`, the way InvalidRequestError issues name a value.
 * @param {Array<string | number>} at
 * @returns {string}
 */
export function formatPath(at) {
  return at.reduce(
    (/** @type {string} */ out, key) =>
      typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key,
    '',
  );
}

/**
 * Invalid requests for one operation, each a copy of its valid request with one rule broken.
 * @param {SpecOperation} operation
 * @returns {InvalidVariant[]}
 */
export function negativeCorpus(operation) {
  const { spec, request } = operation;
  const variants = [];
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'path' && parameter.in !== 'query') continue;
    const at = [parameter.in, parameter.name];
    // A path parameter cannot be left out of a URL template, so only query ones are dropped.
    if (parameter.required && parameter.in === 'query') variants.push({ at, rule: 'required', drop: true });
    const example = request[parameter.in]?.[parameter.name];
    variants.push(...invalidVariants(spec, parameter.schema, example, at, { inString: true }));
  }
  if (request.body !== undefined)
    variants.push(...invalidVariants(spec, operation.bodySchema, request.body, ['body']));
  return variants.map((variant) => ({
    ...variant,
    path: formatPath(variant.at),
    request: setAt(request, variant.at, variant),
  }));
}
