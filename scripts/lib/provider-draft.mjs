// What a spec says about a provider's runs, drafted for a descriptor: which operations trigger,
// read and cancel a run, where its id and status are, the status words and what they most likely
// mean, and the trigger's CLI flags. Used by `pnpm new-provider` to scaffold a runnable provider,
// and by the status-coverage tests to read the status words a spec documents.
// Also the scaffold's pure helpers: the env var names of the settings, and the registration line.
import { listOperations, resolveRef } from './openapi.mjs';

/**
 * @typedef {import('./openapi.mjs').OpenApiDocument} OpenApiDocument
 * @typedef {import('./openapi.mjs').OperationEntry} OperationEntry
 */

/**
 * The run status a status word most likely means (anyjob's run statuses, but `unknown`).
 * @typedef {'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | 'timed_out'} LikelyStatus
 */

/**
 * Where a status schema's words came from: its enum (or const), its examples, or nowhere.
 * @typedef {'enum' | 'examples' | undefined} StatusSource
 */

/**
 * @typedef {object} StatusWords
 * @property {string[]} words
 * @property {StatusSource} source
 */

/**
 * A CLI flag drafted from one property of the trigger's request body.
 * @typedef {object} DraftedFlag
 * @property {string} name The flag, kebab-case (`--run-name` for `runName`).
 * @property {string} field The body property it sets.
 * @property {'string' | 'boolean' | 'list' | 'pairs' | 'json'} kind
 * @property {string} [value] How the usage line shows its value (`<text>`, `a|b`, `key=value`).
 * @property {string} help
 * @property {boolean} [json] A `pairs` flag whose values may be JSON (`key:=<json>`).
 * @property {boolean} [required]
 */

/**
 * @typedef {object} DraftedOperation
 * @property {string} operationId
 * @property {string} method Upper-case HTTP method.
 * @property {string} path
 */

/**
 * @typedef {object} ProviderDraft
 * @property {DraftedOperation & { hasBody: boolean }} trigger
 * @property {DraftedOperation & { param: string }} get `param`: the path parameter that takes the run id.
 * @property {(DraftedOperation & { param: string, hasBody: boolean }) | undefined} cancel
 * @property {string} statusField The status property of the read's answer (`status` or `state`).
 * @property {string} idField The run id property of the trigger's answer.
 * @property {StatusSource} statusSource
 * @property {Array<{ word: string, status: LikelyStatus | undefined }>} statuses
 * @property {DraftedFlag[]} flags
 * @property {string[]} notes What the spec could not say, for the maintainer to do by hand.
 */

/**
 * Resolves refs and merges allOf / looks into anyOf|oneOf branches for a property.
 * @param {OpenApiDocument} spec
 * @param {unknown} rawSchema
 * @param {string} name
 * @param {Set<unknown>} [seen]
 * @returns {any} The property's schema, resolved; undefined when no branch has it.
 */
function schemaProperty(spec, rawSchema, name, seen = new Set()) {
  const schema = resolveRef(spec, rawSchema);
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return undefined;
  seen.add(schema);
  const own = schema.properties?.[name];
  if (own !== undefined) return resolveRef(spec, own);
  for (const list of ['allOf', 'anyOf', 'oneOf']) {
    for (const branch of schema[list] ?? []) {
      const found = schemaProperty(spec, branch, name, seen);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The schema at a dotted path (`data.status`) inside `rawSchema`.
 * @param {OpenApiDocument} spec
 * @param {unknown} rawSchema
 * @param {string} dotted
 * @returns {any}
 */
export function schemaAt(spec, rawSchema, dotted) {
  let current = rawSchema;
  for (const name of dotted.split('.')) {
    current = schemaProperty(spec, current, name);
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * The words a status schema documents: its enum, else (an open string) its examples.
 * @param {OpenApiDocument} spec
 * @param {unknown} rawSchema
 * @returns {StatusWords}
 */
export function statusWords(spec, rawSchema) {
  const schema = resolveRef(spec, rawSchema);
  if (!schema) return { words: [], source: undefined };
  const direct = [...(schema.enum ?? []), ...(schema.const !== undefined ? [schema.const] : [])];
  if (direct.length > 0) return { words: direct.filter((w) => typeof w === 'string'), source: 'enum' };
  for (const list of ['allOf', 'anyOf', 'oneOf']) {
    for (const branch of schema[list] ?? []) {
      const found = statusWords(spec, branch);
      if (found.words.length > 0) return found;
    }
  }
  const examples = Array.isArray(schema.examples)
    ? schema.examples
    : schema.example !== undefined
      ? [schema.example]
      : [];
  return {
    words: examples.filter((w) => typeof w === 'string'),
    source: examples.length > 0 ? 'examples' : undefined,
  };
}

/**
 * The JSON schema of an operation's first 2xx JSON answer.
 * @param {OpenApiDocument} spec
 * @param {Pick<OperationEntry, 'responses'>} entry
 * @returns {any}
 */
export function successSchema(spec, entry) {
  for (const [status, raw] of Object.entries(entry.responses)) {
    if (!/^2/.test(status)) continue;
    const schema = resolveRef(spec, raw)?.content?.['application/json']?.schema;
    if (schema) return schema;
  }
  return undefined;
}

/**
 * The status words a spec documents for `field` (dotted) of `operationId`'s success answer.
 * @param {OpenApiDocument} spec
 * @param {string} operationId
 * @param {string} field
 * @returns {StatusWords}
 */
export function documentedStatusWords(spec, operationId, field) {
  const entry = listOperations(spec).find((op) => op.operation.operationId === operationId);
  if (!entry) throw new Error(`no operation ${operationId}`);
  const schema = schemaAt(spec, successSchema(spec, entry), field);
  if (!schema) throw new Error(`${operationId}'s answer has no ${field}`);
  return statusWords(spec, schema);
}

// The likely meaning of common status words; a word that matches none stays `unknown`, and the
// scaffold says so (only a person who knows the provider can decide what it means).
/** @type {Array<[LikelyStatus, RegExp]>} */
const MEANINGS = [
  ['queued', /^(queued|pending|created|scheduled|waiting|submitted|new|accepted|enqueued|initiali[sz]ing)$/],
  ['running', /^(running|in_?progress|started|processing|active|executing|terminating)$/],
  ['succeeded', /^(succeeded|success|successful|completed?|finished|done|ok)$/],
  ['failed', /^(failed|failure|errored|error)$/],
  ['canceled', /^(cancell?ed|terminated|aborted|stopped|killed)$/],
  ['timed_out', /^(timed_?out|timeout|expired)$/],
];

/**
 * @param {string} word
 * @returns {LikelyStatus | undefined}
 */
export function likelyStatus(word) {
  const key = word.toLowerCase().replaceAll('-', '_');
  return MEANINGS.find(([, pattern]) => pattern.test(key))?.[0];
}

const STATUS_FIELDS = ['status', 'state'];
const ID_FIELDS = ['id', 'run_id', 'runId', 'job_id', 'jobId', 'name'];

/**
 * The status property a run schema has (`status`, else `state`), if any.
 * @param {OpenApiDocument} spec
 * @param {unknown} schema
 * @returns {string | undefined}
 */
function hasStatus(spec, schema) {
  return STATUS_FIELDS.find((field) => schemaProperty(spec, schema, field) !== undefined);
}

/** @param {string} name */
const kebab = (name) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replaceAll('_', '-')
    .toLowerCase();

/**
 * @param {OpenApiDocument} spec
 * @param {string} name
 * @param {unknown} rawSchema
 * @param {boolean} required
 * @returns {DraftedFlag}
 */
function flagOf(spec, name, rawSchema, required) {
  const schema = resolveRef(spec, rawSchema) ?? {};
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t && t !== 'null');
  const type = types[0] ?? (schema.enum ? 'string' : undefined);
  const items = resolveRef(spec, schema.items) ?? {};
  const help = (schema.description ?? name).replace(/\s+/g, ' ').replace(/\.$/, '');
  const base = { name: kebab(name), field: name, help, ...(required ? { required: true } : {}) };
  if (type === 'string') {
    const value = schema.enum ? schema.enum.join('|') : '<text>';
    return { ...base, kind: 'string', value };
  }
  if (type === 'boolean') return { ...base, kind: 'boolean' };
  if (
    type === 'array' &&
    (items.type === 'string' || (Array.isArray(items.type) && items.type.includes('string')))
  ) {
    return { ...base, kind: 'list', value: '<text>', help: `${base.help}, repeatable` };
  }
  if (type === 'object' && schema.additionalProperties !== undefined && !schema.properties) {
    const values = resolveRef(spec, schema.additionalProperties);
    const stringsOnly = values && typeof values === 'object' && values.type === 'string';
    return {
      ...base,
      kind: 'pairs',
      value: 'key=value',
      json: !stringsOnly,
      help: `${base.help}, repeatable${stringsOnly ? '' : '; key:=<json> for a JSON value'}`,
    };
  }
  return { ...base, kind: 'json', value: '<json>' };
}

/**
 * The provider a spec describes, as far as the spec says: `{ trigger, get, cancel, statusField,
 * idField, statuses, flags, notes }`. `notes` lists what the spec could not say.
 * Throws when the spec has no operation to trigger a run or none to read one.
 * @param {OpenApiDocument} spec
 * @returns {ProviderDraft}
 */
export function draftProvider(spec) {
  const ops = listOperations(spec).filter((entry) => entry.operation.operationId);
  /** @type {string[]} */
  const notes = [];
  const withStatus = ops
    .map((entry) => ({ entry, schema: successSchema(spec, entry) }))
    .filter(({ schema }) => schema && hasStatus(spec, schema));
  /** @param {OperationEntry} entry */
  const pathParams = (entry) => entry.parameters.filter((p) => p.in === 'path');
  const get = withStatus.find(({ entry }) => entry.method === 'get' && pathParams(entry).length === 1);
  const triggers = withStatus.filter(({ entry }) => entry.method === 'post');
  const trigger =
    triggers.find(({ entry }) =>
      /trigger|start|create|run|submit|launch/i.test(entry.operation.operationId),
    ) ?? triggers[0];
  if (!trigger)
    throw new Error('no POST operation answers with a run (an object with a status): nothing to trigger');
  if (!get)
    throw new Error('no GET operation with one path parameter answers with a run status: nothing to poll');
  const cancel = ops.find(
    (entry) =>
      ['post', 'delete', 'put', 'patch'].includes(entry.method) &&
      pathParams(entry).length === 1 &&
      /cancel|terminate|stop|abort|kill/i.test(entry.operation.operationId),
  );
  // `get` is one of `withStatus`, whose schemas all have a status field.
  const statusField = /** @type {string} */ (hasStatus(spec, get.schema));
  const getParam = pathParams(get.entry)[0].name;
  const idField =
    [getParam, ...ID_FIELDS].find((field) => schemaProperty(spec, trigger.schema, field) !== undefined) ??
    'id';
  if (schemaProperty(spec, trigger.schema, idField) === undefined) {
    notes.push(
      `the trigger's answer has no id field anyjob could find; set the run id in src/implementation.ts`,
    );
  }
  const { words, source } = statusWords(spec, schemaProperty(spec, get.schema, statusField));
  const statuses = words.map((word) => ({ word, status: likelyStatus(word) }));
  for (const { word, status } of statuses) {
    if (!status)
      notes.push(
        `status "${word}": what it means (it maps to \`unknown\` until you say, in src/provider.ts)`,
      );
  }
  if (words.length === 0) {
    notes.push(
      `the spec documents no status words (no enum or examples on ${statusField}): fill the status table in src/provider.ts`,
    );
  } else if (!statuses.some(({ status }) => status === 'succeeded')) {
    notes.push('no status word reads as success: mark which one is, in src/provider.ts');
  }
  const body = trigger.entry.requestBody?.content?.['application/json']?.schema;
  const bodySchema = resolveRef(spec, body) ?? {};
  const required = new Set(bodySchema.required ?? []);
  const flags = Object.entries(bodySchema.properties ?? {}).map(([name, schema]) =>
    flagOf(spec, name, schema, required.has(name)),
  );
  /**
   * @param {OperationEntry} entry
   * @returns {DraftedOperation}
   */
  const summary = (entry) => ({
    operationId: entry.operation.operationId,
    method: entry.method.toUpperCase(),
    path: entry.path,
  });
  return {
    trigger: { ...summary(trigger.entry), hasBody: body !== undefined },
    get: { ...summary(get.entry), param: getParam },
    cancel: cancel
      ? { ...summary(cancel), param: pathParams(cancel)[0].name, hasBody: cancel.requestBody !== undefined }
      : undefined,
    statusField,
    idField,
    statusSource: source,
    statuses,
    flags,
    notes,
  };
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * The env vars the key and base URL fall back on, and where the names came from: the flags
 * (`--key-env`, `--base-url-env`, `--env-prefix`) first, then the spec (`x-anyjob-env:
 * { apiKey, baseUrl }` at its top level, `x-anyjob-env: NAME` on its security scheme for the key,
 * or an env var in backticks in the scheme's description), then anyjob's `<NAME>_API_KEY` /
 * `<NAME>_BASE_URL` convention. Throws when the spec names something that is no env var name.
 * @param {OpenApiDocument} spec
 * @param {{ apiKey?: string, baseUrl?: string, prefix?: string }} flags
 * @param {string} CONST The provider's name as a constant prefix (`ACME_JOBS`).
 * @returns {{ apiKey: string, baseUrl: string, origin: 'flag' | 'spec' | 'convention' }}
 */
export function envNames(spec, flags, CONST) {
  const schemes = Object.values(spec.components?.securitySchemes ?? {}).map((s) => resolveRef(spec, s) ?? {});
  const top = spec['x-anyjob-env'] ?? {};
  const fromScheme = schemes.map((s) => s['x-anyjob-env']).find((value) => typeof value === 'string');
  const inDescription = schemes
    .map((s) => /`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/.exec(s.description ?? '')?.[1])
    .find(Boolean);
  const { prefix } = flags;
  const flagged = {
    apiKey: flags.apiKey ?? (prefix && `${prefix}_API_KEY`),
    baseUrl: flags.baseUrl ?? (prefix && `${prefix}_BASE_URL`),
  };
  const fromSpec = { apiKey: top.apiKey ?? fromScheme ?? inDescription, baseUrl: top.baseUrl };
  for (const [key, value] of Object.entries(fromSpec)) {
    if (value !== undefined && !(typeof value === 'string' && ENV_NAME.test(value))) {
      throw new Error(
        `x-anyjob-env: ${key} ${JSON.stringify(value)} is not an env var name (upper-case letters, digits, _)`,
      );
    }
  }
  const apiKey = flagged.apiKey ?? fromSpec.apiKey;
  const baseUrl = flagged.baseUrl ?? fromSpec.baseUrl;
  const origin = flagged.apiKey || flagged.baseUrl ? 'flag' : apiKey || baseUrl ? 'spec' : 'convention';
  return { apiKey: apiKey ?? `${CONST}_API_KEY`, baseUrl: baseUrl ?? `${CONST}_BASE_URL`, origin };
}

/**
 * `source` with `line` added to its block of `export * from '…';` lines, the block sorted as Biome
 * sorts it (by module name), so `pnpm lint` passes after --register.
 * @param {string} source
 * @param {string} line
 * @returns {string}
 */
export function withRegistration(source, line) {
  const lines = source.split('\n');
  if (lines.includes(line)) return source;
  /** @param {string} text */
  const isRegistration = (text) => /^export \* from '[^']+';$/.test(text);
  const first = lines.findIndex(isRegistration);
  if (first === -1) return `${source.replace(/\n?$/, '\n')}${line}\n`;
  let end = first;
  while (end < lines.length && isRegistration(lines[end])) end++;
  /** @param {string} text */
  const module = (text) => text.slice(text.indexOf("'") + 1, text.lastIndexOf("'"));
  const block = [...lines.slice(first, end), line].sort((a, b) => (module(a) < module(b) ? -1 : 1));
  return [...lines.slice(0, first), ...block, ...lines.slice(end)].join('\n');
}
