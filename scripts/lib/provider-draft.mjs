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
 * @property {'string' | 'boolean' | 'list' | 'pairs' | 'json' | 'integer' | 'number'} kind
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
  [
    'queued',
    /^(queued|pending|created|scheduled|waiting(_for_[a-z_]+)?|submitted|new|accepted|enqueued|initiali[sz]ing|preparing|blocked|requested)$/,
  ],
  ['running', /^(running|in_?progress|started|processing|active|executing|terminating|cancell?ing)$/],
  ['succeeded', /^(succeeded|success|successful|completed?|finished|done|ok)$/],
  ['failed', /^(failed|failure|errored|error)(_with_[a-z_]+)?$|_(failure|failed|error)$/],
  ['canceled', /^(user_)?(cancell?ed|terminated|aborted|stopped|killed)$/],
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

// A first-field word that says only "over": the outcome is in the second field (GitHub's
// `completed` + `conclusion`, Databricks' `TERMINATED` + `termination_details.code`).
const OVER = /^(completed?|terminated|finished|done|ended)$/i;
// An outcome word of a run that is over and did not succeed, by the words APIs use for it.
const FAILURE_WORD = /error|fail|exceeded|invalid|disabled|denied|unavailable|reject|missing|not_found|lost/i;

/**
 * The meaning of an outcome word of a run that is over (the second field).
 * @param {string} word
 * @returns {LikelyStatus | undefined}
 */
function likelyOutcome(word) {
  const likely = likelyStatus(word);
  if (likely && likely !== 'queued' && likely !== 'running') return likely;
  return FAILURE_WORD.test(word) ? 'failed' : undefined;
}

const STATUS_FIELDS = ['status', 'state'];
// The second field of a two-field status: where the outcome of a run that is over is.
const OUTCOME_FIELDS = ['conclusion', 'result', 'outcome', 'result_state'];
const OUTCOME_OBJECTS = /termination|result|outcome|conclusion/i;
const OUTCOME_LEAVES = ['code', 'result', 'state', 'type'];
const ID_FIELDS = ['id', 'run_id', 'runId', 'job_id', 'jobId', 'name'];

/**
 * The schema's type, `null` left out.
 * @param {OpenApiDocument} spec
 * @param {unknown} raw
 * @returns {string | undefined}
 */
function typeOf(spec, raw) {
  const schema = resolveRef(spec, raw);
  if (!schema || typeof schema !== 'object') return undefined;
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t && t !== 'null');
  if (types[0]) return types[0];
  if (schema.enum) return 'string';
  // An id that is an integer or a string (GitHub's workflow id or file name) travels as text.
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].map((branch) => typeOf(spec, branch));
  if (branches.includes('string')) return 'string';
  for (const list of ['allOf', 'anyOf', 'oneOf']) {
    for (const branch of schema[list] ?? []) {
      const found = typeOf(spec, branch);
      if (found) return found;
    }
  }
  if (schema.properties) return 'object';
  return undefined;
}

/**
 * @param {OpenApiDocument} spec
 * @param {unknown} raw
 */
const wordsOf = (spec, raw) => statusWords(spec, raw).words;

/**
 * Where a run object keeps its status: one field, or two (a state and, for a run that is over,
 * its outcome), at the top or inside a status object. Undefined when the schema has none.
 * @param {OpenApiDocument} spec
 * @param {unknown} schema
 * @returns {string[] | undefined}
 */
export function statusFieldsOf(spec, schema) {
  for (const name of STATUS_FIELDS) {
    const field = schemaProperty(spec, schema, name);
    if (field === undefined) continue;
    if (wordsOf(spec, field).length > 0) {
      const outcome = OUTCOME_FIELDS.find(
        (other) => other !== name && wordsOf(spec, schemaProperty(spec, schema, other)).length > 0,
      );
      return outcome ? [name, outcome] : [name];
    }
    if (typeOf(spec, field) !== 'object') continue;
    // A status object: its state, and the outcome in a nested object (`termination_details.code`).
    const state = [...STATUS_FIELDS, 'life_cycle_state'].find(
      (inner) => wordsOf(spec, schemaProperty(spec, field, inner)).length > 0,
    );
    if (!state) continue;
    const object = resolveRef(spec, field);
    for (const [inner, raw] of Object.entries(object?.properties ?? {})) {
      if (!OUTCOME_OBJECTS.test(inner) || typeOf(spec, raw) !== 'object') continue;
      const leaf = OUTCOME_LEAVES.find((l) => wordsOf(spec, schemaProperty(spec, raw, l)).length > 0);
      if (leaf) return [`${name}.${state}`, `${name}.${inner}.${leaf}`];
    }
    return [`${name}.${state}`];
  }
  // No status or state: a result that is null until the run is over (Jenkins' `result`).
  const result = schemaProperty(spec, schema, 'result');
  if (result !== undefined && wordsOf(spec, result).length > 0) return ['result'];
  return undefined;
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
  const type = typeOf(spec, schema);
  const items = resolveRef(spec, schema.items) ?? {};
  const help = (schema.description ?? name)
    .replace(/\s+/g, ' ')
    .replace(/\.$/, '')
    .replace(/^(.{0,100}[^ ]*).*$/, '$1');
  const base = { name: kebab(name), field: name, help, ...(required ? { required: true } : {}) };
  if (type === 'string') {
    const value = schema.enum ? schema.enum.join('|') : '<text>';
    return { ...base, kind: 'string', value };
  }
  if (type === 'integer') return { ...base, kind: 'integer', value: '<n>' };
  if (type === 'number') return { ...base, kind: 'number', value: '<n>' };
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
 * A parameter or body field that carries something: where, its name and JSON type.
 * @typedef {object} DraftedParam
 * @property {'path' | 'query' | 'body' | 'header'} in
 * @property {string} name
 * @property {string | undefined} type
 */

/**
 * The drafted status: its fields, and the table keyed by their words (joined with `/`).
 * @typedef {object} DraftedStatus
 * @property {string[]} fields
 * @property {Array<{ key: string, spelling: string, status: LikelyStatus | undefined }>} rows
 * @property {StatusSource} source
 * @property {boolean} wildcard The first field may be absent (null until the run is over): `*` reads as running.
 */

/**
 * @typedef {object} DraftedList
 * @property {string} operationId
 * @property {string[]} path Path parameters of the list (the run list's scope).
 * @property {DraftedParam[]} query Query parameters a caller may set (not the pagination's).
 * @property {import('../../packages/core/src/job/pagination.js').PaginationSpec} pagination
 */

/**
 * The JSON schema of an operation's 2xx answers, JSON ones, with their status codes.
 * @param {OpenApiDocument} spec
 * @param {OperationEntry} entry
 */
function successAnswers(spec, entry) {
  return Object.entries(entry.responses)
    .filter(([status]) => /^2/.test(status))
    .map(([status, raw]) => {
      const response = resolveRef(spec, raw) ?? {};
      return {
        status,
        schema: response.content?.['application/json']?.schema,
        headers: Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()),
      };
    });
}

/**
 * The provider a spec describes, as far as the spec says, in contract v2's terms: which operations
 * trigger, read, cancel and list runs, where the run id travels in each (path, query or body) and
 * its JSON type, where the status is (one field or two, nested or not) and its table, what the
 * trigger answers (the run, its id, a Location or nothing), the list's pagination, the idempotency
 * key, and the trigger's CLI flags. `notes` lists what the spec could not say.
 * Throws when the spec has no operation to trigger a run or none to read one.
 * @param {OpenApiDocument} spec
 */
export function draftProvider(spec) {
  const ops = listOperations(spec).filter((entry) => entry.operation.operationId);
  /** @type {string[]} */
  const notes = [];
  /** @type {string[]} */
  const guesses = [];
  const CANCEL = /cancel|terminate|stop|abort|kill/i;
  const required = (/** @type {OperationEntry} */ entry) =>
    entry.parameters.filter((p) => p.required && (p.in === 'path' || p.in === 'query'));
  /** @type {(entry: OperationEntry) => { entry: OperationEntry, schema: unknown, fields: string[] } | undefined} */
  const runAnswer = (entry) => {
    for (const { schema } of successAnswers(spec, entry)) {
      if (!schema || typeOf(spec, schema) !== 'object') continue;
      const fields = statusFieldsOf(spec, schema);
      if (fields) return { entry, schema, fields };
    }
    return undefined;
  };
  const triggers = ops.filter(
    (entry) => entry.method === 'post' && !CANCEL.test(entry.operation.operationId),
  );
  const trigger =
    triggers.find((entry) =>
      /trigger|start|create|run|submit|launch|dispatch|build|execute/i.test(entry.operation.operationId),
    ) ?? triggers[0];
  if (!trigger) throw new Error('no POST operation starts a run: nothing to trigger');
  const triggerPath = trigger.parameters.filter((p) => p.in === 'path');
  const sameParam = (/** @type {any} */ a, /** @type {any} */ b) =>
    a.name === b.name && typeOf(spec, a.schema) === typeOf(spec, b.schema);
  // The run's scope: what the read needs beside the run id, given to the trigger in its path too.
  const inScope = (/** @type {any} */ param) => triggerPath.some((p) => sameParam(p, param));
  const gets = ops
    .filter((entry) => entry.method === 'get')
    .map(runAnswer)
    .filter((found) => found && required(found.entry).some((p) => !inScope(p)));
  const get = /** @type {Array<NonNullable<ReturnType<typeof runAnswer>>>} */ (gets).sort(
    (a, b) => required(a.entry).length - required(b.entry).length,
  )[0];
  if (!get) {
    throw new Error(
      'no GET operation answers a run with a status (a `status`, `state` or `result` with documented words) for a run id: nothing to poll',
    );
  }
  const candidates = required(get.entry).filter((p) => !inScope(p));
  // `get` was chosen for having a required parameter outside the scope: there is a candidate.
  const runParam = /** @type {any} */ (
    candidates.find((p) => schemaProperty(spec, get.schema, p.name) !== undefined) ?? candidates.at(-1)
  );
  const scope = required(get.entry)
    .filter((p) => p !== runParam)
    .map((p) => p.name);
  const runIdType = typeOf(spec, runParam.schema) === 'integer' ? 'integer' : 'string';
  const idField =
    [runParam.name, ...ID_FIELDS].find((field) => schemaProperty(spec, get.schema, field) !== undefined) ??
    'id';

  // The status table, drafted from each field's words.
  const fieldWords = get.fields.map((field) => statusWords(spec, schemaAt(spec, get.schema, field)));
  const [first, second] = fieldWords;
  /** @type {DraftedStatus['rows']} */
  const rows = [];
  for (const word of first.words) {
    if (second && OVER.test(word)) {
      for (const outcome of second.words) {
        const status = likelyOutcome(outcome);
        if (status && !likelyStatus(outcome)) guesses.push(`${word}/${outcome}`);
        rows.push({ key: `${word}/${outcome}`.toLowerCase(), spelling: `${word}/${outcome}`, status });
      }
    } else rows.push({ key: word.toLowerCase(), spelling: word, status: likelyStatus(word) });
  }
  if (second && !first.words.some((word) => OVER.test(word))) {
    // No first-field word says "over": every outcome word is a key of its own.
    for (const outcome of second.words)
      rows.push({
        key: `*/${outcome}`.toLowerCase(),
        spelling: `*/${outcome}`,
        status: likelyOutcome(outcome),
      });
  }
  const firstSchema = resolveRef(spec, schemaAt(spec, get.schema, get.fields[0])) ?? {};
  const nullable =
    (Array.isArray(firstSchema.type) && firstSchema.type.includes('null')) ||
    (firstSchema.enum ?? []).includes(null) ||
    firstSchema.nullable === true;
  // A lone field that is null until the run is over, with no word for a run in progress.
  const wildcard =
    get.fields.length === 1 &&
    nullable &&
    !rows.some(({ status }) => status === 'queued' || status === 'running');
  for (const { key, status } of rows) {
    if (!status)
      notes.push(`status "${key}": what it means (it maps to \`unknown\` until you say, in src/provider.ts)`);
  }
  if (rows.length === 0) {
    notes.push(
      `the spec documents no status words (no enum or examples on ${get.fields.join(', ')}): fill the status table in src/provider.ts`,
    );
  } else if (!rows.some(({ status }) => status === 'succeeded')) {
    notes.push('no status word reads as success: mark which one is, in src/provider.ts');
  }

  // What the trigger answers.
  const answers = successAnswers(spec, trigger);
  const idLike = (/** @type {string} */ name) =>
    name === runParam.name || name === idField || /(^|_)run_id$|RunId$/.test(name);
  /** @type {import('../../packages/core/src/job/trigger-answer.js').TriggerAnswerSpec} */
  let triggerAnswer = { kind: 'none' };
  for (const { schema, headers } of answers) {
    if (schema && statusFieldsOf(spec, schema)) {
      triggerAnswer = { kind: 'run' };
      break;
    }
    const props = Object.keys(resolveRef(spec, schema)?.properties ?? {});
    const id = props.find(idLike);
    if (id) {
      triggerAnswer = { kind: 'id', field: id };
      break;
    }
    if (headers.includes('location')) triggerAnswer = { kind: 'location' };
  }
  if (triggerAnswer.kind === 'none') {
    notes.push(
      `${trigger.operation.operationId} answers no run, id or Location: the trigger ends in TriggerUnconfirmedError unless you give it a proof search (a run list search for a marker only this call sent, in src/implementation.ts)`,
    );
  }
  if (answers.some((a) => !a.schema && !a.headers.includes('location')) && triggerAnswer.kind === 'id') {
    notes.push(
      `${trigger.operation.operationId} may also answer without a body (${answers
        .filter((a) => !a.schema)
        .map((a) => a.status)
        .join(
          ', ',
        )}): such a trigger ends in TriggerUnconfirmedError unless the request asks for the run's details (see the spec)`,
    );
  }
  const getPathTemplate = get.entry.path;
  if (triggerAnswer.kind === 'location') {
    notes.push(
      `${trigger.operation.operationId} answers a Location: anyjob reads the run there only when it matches ${getPathTemplate}; a Location naming anything else (a queue item) needs reading by hand (getByLocation in src/implementation.ts)`,
    );
  }

  // The idempotency key, where the trigger sends one the provider deduplicates on.
  const body = trigger.requestBody?.content?.['application/json']?.schema;
  const bodySchema = resolveRef(spec, body) ?? {};
  const IDEMPOTENCY = /^(idempotency[_-]?(key|token)|client[_-]?(request[_-]?)?token)$/i;
  const keyField = Object.keys(bodySchema.properties ?? {}).find((name) => IDEMPOTENCY.test(name));
  const keyHeader = trigger.parameters.find((p) => p.in === 'header' && IDEMPOTENCY.test(p.name));
  /** @type {import('../../packages/core/src/job/idempotency.js').IdempotencySpec | undefined} */
  let idempotency;
  if (keyField) {
    const max = resolveRef(spec, schemaProperty(spec, bodySchema, keyField))?.maxLength;
    idempotency = { in: 'body', name: keyField, ...(max !== undefined ? { maxLength: max } : {}) };
  } else if (keyHeader) {
    const max = resolveRef(spec, keyHeader.schema)?.maxLength;
    idempotency = { in: 'header', name: keyHeader.name, ...(max !== undefined ? { maxLength: max } : {}) };
  }

  // The cancel: where it takes the run id.
  /** @type {(entry: OperationEntry) => DraftedParam | undefined} */
  const runIdIn = (entry) => {
    const param = entry.parameters.find(
      (p) => (p.in === 'path' || p.in === 'query') && p.name === runParam.name && !inScope(p),
    );
    if (param)
      return {
        in: /** @type {'path' | 'query'} */ (param.in),
        name: param.name,
        type: typeOf(spec, param.schema),
      };
    const cancelBody = resolveRef(spec, entry.requestBody?.content?.['application/json']?.schema);
    for (const name of [runParam.name, idField]) {
      const field = schemaProperty(spec, cancelBody, name);
      if (field) return { in: 'body', name, type: typeOf(spec, field) };
    }
    return undefined;
  };
  const cancelEntry = ops
    .filter(
      (entry) =>
        ['post', 'delete', 'put', 'patch'].includes(entry.method) &&
        CANCEL.test(entry.operation.operationId) &&
        runIdIn(entry),
    )
    .sort((a, b) => a.operation.operationId.length - b.operation.operationId.length)[0];
  if (!cancelEntry) {
    notes.push(
      'the spec has no cancel operation anyjob recognises (a POST/DELETE named cancel, stop, abort… taking the run id): cancelJob is unsupported until you write it in src/implementation.ts',
    );
  }

  // The run list and its pagination.
  /** @type {DraftedList | undefined} */
  let list;
  for (const entry of ops.filter((e) => e.method === 'get' && e !== get.entry)) {
    for (const { schema, headers } of successAnswers(spec, entry)) {
      const resolved = resolveRef(spec, schema);
      let items;
      if (typeOf(spec, resolved) === 'array') items = '';
      else {
        items = Object.entries(resolved?.properties ?? {}).find(
          ([, raw]) =>
            typeOf(spec, raw) === 'array' && statusFieldsOf(spec, resolveRef(spec, raw)?.items) !== undefined,
        )?.[0];
      }
      if (items === undefined) continue;
      if (items === '' && !statusFieldsOf(spec, resolved.items)) continue;
      const query = entry.parameters.filter((p) => p.in === 'query');
      const has = (/** @type {RegExp} */ pattern) => query.find((p) => pattern.test(p.name));
      const size = has(/^(limit|per_page|perPage|page_size|pageSize|max|size)$/);
      const base = {
        items,
        ...(size ? { sizeParam: size.name } : {}),
        ...(size && resolveRef(spec, size.schema)?.maximum !== undefined
          ? { maxPageSize: resolveRef(spec, size.schema).maximum }
          : {}),
      };
      const props = Object.keys(resolved?.properties ?? {});
      const token = has(/^(page_?token|pageToken|cursor|continuation_?token|next_?token)$/i);
      const nextToken = props.find((p) => /^next_?(page_?)?(token|cursor)$|^continuation_?token$/i.test(p));
      const offset = has(/^(offset|skip|start)$/);
      const page = has(/^page$/);
      const total =
        ['total_entries', 'total', 'total_count', 'count'].find((p) => props.includes(p)) ??
        (schemaAt(spec, resolved, 'paging.total') ? 'paging.total' : undefined);
      /** @type {DraftedList['pagination'] | undefined} */
      let pagination;
      if (token && nextToken) pagination = { style: 'token', ...base, tokenParam: token.name, nextToken };
      else if (headers.includes('link')) pagination = { style: 'link', ...base };
      else if (offset)
        pagination = { style: 'offset', ...base, offsetParam: offset.name, ...(total ? { total } : {}) };
      else if (page) pagination = { style: 'page', ...base, pageParam: page.name };
      if (!pagination) {
        notes.push(
          `${entry.operation.operationId} lists runs, but pages in a way anyjob cannot describe (no page, offset, token or Link): listJobRuns is unsupported until you write listRunPage in src/implementation.ts`,
        );
        break;
      }
      const paging = new Set(
        [
          pagination.sizeParam,
          'pageParam' in pagination ? pagination.pageParam : undefined,
          'offsetParam' in pagination ? pagination.offsetParam : undefined,
          'tokenParam' in pagination ? pagination.tokenParam : undefined,
        ].filter(Boolean),
      );
      if (pagination.style === 'link' && page) paging.add(page.name);
      list = {
        operationId: entry.operation.operationId,
        path: entry.parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: query
          .filter(
            (p) =>
              !paging.has(p.name) &&
              ['string', 'integer', 'boolean', 'number'].includes(typeOf(spec, p.schema) ?? ''),
          )
          .map((p) => ({ in: 'query', name: p.name, type: typeOf(spec, p.schema) })),
        pagination,
      };
      break;
    }
    if (list) break;
  }
  if (!list && !notes.some((n) => n.includes('lists runs'))) {
    notes.push(
      'the spec has no run list anyjob recognises: listJobRuns is unsupported (and no proof search after a lost trigger answer)',
    );
  }

  const triggerBodyJson = body !== undefined;
  const requiredBody = new Set(bodySchema.required ?? []);
  const pathFlags = triggerPath.map((p) => flagOf(spec, p.name, p.schema, true));
  const bodyFlags = Object.entries(bodySchema.properties ?? {})
    .filter(([name]) => name !== keyField)
    .map(([name, schema]) => flagOf(spec, name, schema, requiredBody.has(name)));
  const flags = [...pathFlags, ...bodyFlags.filter((f) => !pathFlags.some((p) => p.name === f.name))];
  if (trigger.requestBody && !triggerBodyJson) {
    notes.push(
      `${trigger.operation.operationId}'s body is not JSON (${Object.keys(trigger.requestBody.content ?? {}).join(', ')}): its fields are not drafted as request fields or flags`,
    );
  }
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
    trigger: {
      ...summary(trigger),
      path: trigger.path,
      pathParams: triggerPath.map((p) => ({ in: 'path', name: p.name, type: typeOf(spec, p.schema) })),
      hasBody: triggerBodyJson,
      integerFields: Object.entries(bodySchema.properties ?? {})
        .filter(([, raw]) => typeOf(spec, raw) === 'integer')
        .map(([name]) => name),
    },
    get: {
      ...summary(get.entry),
      runId: { in: runParam.in, name: runParam.name, type: runIdType },
      scope,
    },
    cancel: cancelEntry
      ? {
          ...summary(cancelEntry),
          runId: /** @type {DraftedParam} */ (runIdIn(cancelEntry)),
          answersRun: runAnswer(cancelEntry) !== undefined,
        }
      : undefined,
    list,
    runIdType,
    idField,
    status: { fields: get.fields, rows, source: fieldWords[0].source, wildcard },
    triggerAnswer,
    idempotency,
    flags,
    notes,
    guesses,
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
