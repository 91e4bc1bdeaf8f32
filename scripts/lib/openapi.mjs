// The one way scripts read an OpenAPI document: parse it (YAML or JSON), follow its `$ref`s, and
// walk its operations. Used by the generator, the spec-derived test table, the release diff, the
// provider scaffold and `pnpm specs:update`, so they all agree on what an operation is.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * A parsed OpenAPI document: untyped JSON.
 * @typedef {any} OpenApiDocument
 */

/**
 * @typedef {object} OperationEntry
 * @property {string} method Lower-case HTTP method: `get`, `post`, …
 * @property {string} path
 * @property {Record<string, any>} pathItem
 * @property {Record<string, any>} operation
 * @property {Array<{ name: string, in: string, required?: boolean, deprecated?: boolean, schema?: any }>} parameters
 *   Path-level and operation-level parameters merged (the operation's win), each resolved.
 * @property {Record<string, any> | undefined} requestBody
 * @property {Record<string, any>} responses As written: entries may be `$ref`s.
 */

/** In the order the generator has always listed operations (it decides operations.gen.ts order). */
/** @type {readonly string[]} */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Parses YAML or JSON text (JSON is YAML); a repeated key is an error (`yaml`'s default).
 * @param {string} text
 * @returns {OpenApiDocument}
 */
export function parseSpec(text) {
  return parse(text);
}

/**
 * Reads and parses a spec file.
 * @param {string} path
 * @returns {OpenApiDocument}
 */
export function loadSpec(path) {
  return parseSpec(readFileSync(path, 'utf8'));
}

// A local JSON Pointer resolver rather than @hey-api/json-schema-ref-parser (which hey-api itself
// uses): that package's API is asynchronous (parse/resolve/dereference return promises), while the
// spec-derived suite reads specs synchronously while vitest collects tests, and the generator, the
// diff and the suite need `$ref`s kept as they are (named types, cycle detection by ref), not the
// dereferenced object graph it builds. Every spec here uses only local `#/…` refs, which take a
// dozen lines to follow; anything else is refused loudly instead of being half-handled.

/** The JSON Pointer tokens of a local ref (`#/components/schemas/A~1B` → ['components', 'schemas', 'A/B']). */
function pointerTokens(ref) {
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) throw new Error(`only local $refs (#/…) are supported, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * The value a local ref points at in `spec`; throws when the pointer leads nowhere.
 * @param {OpenApiDocument} spec
 * @param {string} ref
 * @returns {any}
 */
export function getByRef(spec, ref) {
  let current = spec;
  for (const token of pointerTokens(ref)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, token)) {
      throw new Error(`unresolved $ref ${ref}`);
    }
    current = current[token];
  }
  return current;
}

/**
 * Returns the node `node` stands for, following chained `$ref`s (`undefined` stays `undefined`).
 * Throws on a circular chain, a dangling ref or a non-local ref.
 * @param {OpenApiDocument} spec
 * @param {any} node
 * @returns {any}
 */
export function resolveRef(spec, node) {
  let current = node;
  const chain = new Set();
  while (current !== null && typeof current === 'object' && typeof current.$ref === 'string') {
    if (chain.has(current.$ref)) throw new Error(`circular $ref ${[...chain, current.$ref].join(' → ')}`);
    chain.add(current.$ref);
    current = getByRef(spec, current.$ref);
  }
  return current;
}

/**
 * Every operation of a spec, in document order, each with what its users need resolved:
 * `parameters` are the path item's and the operation's merged (an operation parameter replaces a
 * path-level one with the same `in` and `name`, as OpenAPI says), each resolved; `requestBody` is
 * resolved; `responses` is the operation's map as written (entries may be `$ref`s: resolve them
 * with `resolveRef` where the content matters, keep them where the name does).
 *
 * @param {OpenApiDocument} spec
 * @returns {OperationEntry[]}
 */
export function listOperations(spec) {
  const operations = [];
  for (const [path, rawItem] of Object.entries(spec?.paths ?? {})) {
    const pathItem = resolveRef(spec, rawItem);
    for (const method of HTTP_METHODS) {
      const operation = pathItem?.[method];
      if (!operation) continue;
      const byKey = new Map();
      for (const raw of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
        const parameter = resolveRef(spec, raw);
        byKey.set(`${parameter.in}\u0000${parameter.name}`, parameter);
      }
      operations.push({
        method,
        path,
        pathItem,
        operation,
        parameters: [...byKey.values()],
        requestBody: resolveRef(spec, operation.requestBody),
        responses: operation.responses ?? {},
      });
    }
  }
  return operations;
}

/**
 * Calls `visit` with each entry of `listOperations(spec)`.
 * @param {OpenApiDocument} spec
 * @param {(entry: OperationEntry) => void} visit
 */
export function forEachOperation(spec, visit) {
  for (const entry of listOperations(spec)) visit(entry);
}

// Keys that annotate a `$ref` without changing what it validates (OpenAPI 3.1 lets `summary` and
// `description` sit beside a Reference Object). Any other sibling is a constraint: the node then
// means "the target AND the siblings", written out as an `allOf`.
const REF_ANNOTATIONS = new Set(['$ref', 'summary', 'description']);

/**
 * `node` with every local `$ref` replaced by a copy of what it points at, recursively (the spec
 * itself is not changed). A ref met again inside its own expansion (a recursive schema) is not
 * followed: it becomes `onCycle(ref)`, by default `{ $comment: 'recursive: <ref>' }`, which
 * constrains nothing. Siblings of a `$ref` other than `summary` and `description` are kept, the
 * target moving into an `allOf` beside them.
 * @param {OpenApiDocument} spec
 * @param {any} node
 * @param {(ref: string) => unknown} [onCycle]
 * @param {readonly string[]} [stack]
 * @returns {any}
 */
export function inlineRefs(spec, node, onCycle = (ref) => ({ $comment: `recursive: ${ref}` }), stack = []) {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(spec, item, onCycle, stack));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    const target = stack.includes(ref)
      ? onCycle(ref)
      : inlineRefs(spec, getByRef(spec, ref), onCycle, [...stack, ref]);
    const siblings = Object.entries(node).filter(([key]) => !REF_ANNOTATIONS.has(key));
    if (siblings.length === 0) return target;
    const rest = inlineRefs(spec, Object.fromEntries(siblings), onCycle, stack);
    return { ...rest, allOf: [target, ...(rest.allOf ?? [])] };
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, inlineRefs(spec, value, onCycle, stack)]),
  );
}
