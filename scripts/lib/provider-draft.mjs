// What a spec says about a provider's runs, drafted for a descriptor: which operations trigger,
// read and cancel a run, where its id and status are, the status words and what they most likely
// mean, and the trigger's CLI flags. Used by `pnpm new-provider` to scaffold a runnable provider,
// and by the status-coverage tests to read the status words a spec documents.
import { listOperations, resolveRef } from './openapi.mjs';

/** Resolves refs and merges allOf / looks into anyOf|oneOf branches for a property. */
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

/** The schema at a dotted path (`data.status`) inside `rawSchema`. */
export function schemaAt(spec, rawSchema, dotted) {
  let current = rawSchema;
  for (const name of dotted.split('.')) {
    current = schemaProperty(spec, current, name);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The words a status schema documents: its enum, else (an open string) its examples. */
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

/** The JSON schema of an operation's first 2xx JSON answer. */
export function successSchema(spec, entry) {
  for (const [status, raw] of Object.entries(entry.responses)) {
    if (!/^2/.test(status)) continue;
    const schema = resolveRef(spec, raw)?.content?.['application/json']?.schema;
    if (schema) return schema;
  }
  return undefined;
}

/** The status words a spec documents for `field` (dotted) of `operationId`'s success answer. */
export function documentedStatusWords(spec, operationId, field) {
  const entry = listOperations(spec).find((op) => op.operation.operationId === operationId);
  if (!entry) throw new Error(`no operation ${operationId}`);
  const schema = schemaAt(spec, successSchema(spec, entry), field);
  if (!schema) throw new Error(`${operationId}'s answer has no ${field}`);
  return statusWords(spec, schema);
}

// The likely meaning of common status words; a word that matches none stays `unknown`, and the
// scaffold says so (only a person who knows the provider can decide what it means).
const MEANINGS = [
  ['queued', /^(queued|pending|created|scheduled|waiting|submitted|new|accepted|enqueued|initiali[sz]ing)$/],
  ['running', /^(running|in_?progress|started|processing|active|executing|terminating)$/],
  ['succeeded', /^(succeeded|success|successful|completed?|finished|done|ok)$/],
  ['failed', /^(failed|failure|errored|error)$/],
  ['canceled', /^(cancell?ed|terminated|aborted|stopped|killed)$/],
  ['timed_out', /^(timed_?out|timeout|expired)$/],
];

export function likelyStatus(word) {
  const key = word.toLowerCase().replaceAll('-', '_');
  return MEANINGS.find(([, pattern]) => pattern.test(key))?.[0];
}

const STATUS_FIELDS = ['status', 'state'];
const ID_FIELDS = ['id', 'run_id', 'runId', 'job_id', 'jobId', 'name'];

function hasStatus(spec, schema) {
  return STATUS_FIELDS.find((field) => schemaProperty(spec, schema, field) !== undefined);
}

const kebab = (name) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replaceAll('_', '-')
    .toLowerCase();

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
 */
export function draftProvider(spec) {
  const ops = listOperations(spec).filter((entry) => entry.operation.operationId);
  const notes = [];
  const withStatus = ops
    .map((entry) => ({ entry, schema: successSchema(spec, entry) }))
    .filter(({ schema }) => schema && hasStatus(spec, schema));
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
  const statusField = hasStatus(spec, get.schema);
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
