// The live conformance checker: walks one answer (status, content type, parsed body) against the
// JSON Schemas that scripts/generate.mjs writes into each provider's conformance.gen.ts, and says
// where they disagree.
//
// Written here rather than taken from ajv: a conformance report needs what a validator does not
// give. (1) Undocumented fields: a validator accepts any field not forbidden by
// `additionalProperties: false`, which almost no provider spec says; here every field a schema
// does not list is an `extra` finding. (2) New words of open strings (`knownValues`, from
// `x-anyjob-open-enum`), which no validator knows. (3) One finding per disagreement: for an
// `anyOf`/`oneOf` the branch the value fits best speaks, instead of every branch's errors.
// (4) Findings never quote what the provider sent (a body may echo anything): a value is described
// by its type; only short enum-like words are named. ajv would also bring code generation
// (`new Function`, refused by Workers) and ~120 KB into @anyjob/core for a feature of one command.
//
// The schema subset: `type` (a name or a list, `null` included; `integer` is a whole number),
// `properties`, `patternProperties`, `required`, `additionalProperties`, `items`, `enum`, `const`,
// `allOf`, `anyOf`, `oneOf` (read like `anyOf`: a body matching several branches is not reported),
// `$ref`s already inlined by the generator. Value constraints (`pattern`, `format`, bounds) and
// `not` are not checked.
import type { ConformanceFinding, ConformanceFindingKind } from './report.js';

/** The JSON Schema subset conformance.gen.ts holds (see above); `true` allows anything. */
export type ConformanceSchema =
  | boolean
  | {
      readonly type?: string | readonly string[];
      readonly properties?: Readonly<Record<string, ConformanceSchema>>;
      readonly patternProperties?: Readonly<Record<string, ConformanceSchema>>;
      readonly required?: readonly string[];
      readonly additionalProperties?: ConformanceSchema;
      readonly items?: ConformanceSchema;
      readonly enum?: readonly unknown[];
      readonly const?: unknown;
      readonly allOf?: readonly ConformanceSchema[];
      readonly anyOf?: readonly ConformanceSchema[];
      readonly oneOf?: readonly ConformanceSchema[];
      /** anyjob's keyword: the known values of an open string (its spec's `examples`). */
      readonly knownValues?: readonly unknown[];
      readonly $comment?: string;
    };

type SchemaObject = Exclude<ConformanceSchema, boolean>;

/** One read operation in conformance.gen.ts. */
export interface ConformanceOperation {
  readonly method: string;
  /** The URL template (`/runs/{run_id}`), relative to the base URL. */
  readonly url: string;
  /** Status (`200`, `4XX`, `default`) → the schema of its JSON body, or null when it documents none. */
  readonly responses: Readonly<Record<string, ConformanceSchema | null>>;
}

/** A finding of a value against a schema, before it is tied to an operation and status. */
export type SchemaFinding = Omit<ConformanceFinding, 'operation' | 'status'>;

const ROOT = '$';
const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;
/** Words short and plain enough to name in a finding: status words, not ids, keys or prose. */
const WORD = /^[A-Za-z][A-Za-z_ -]{0,31}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(path: string, key: string): string {
  if (key.length > 64) return `${path}[<a key of ${key.length} characters>]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** A value's JSON type, as findings say it. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** An enum value that was not expected: plain words are named, every other string is not. */
function describeWord(value: unknown): string {
  if (typeof value === 'string') return WORD.test(value) ? JSON.stringify(value) : 'a string (not shown)';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return describeValue(value);
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function typesOf(type: string | readonly string[]): readonly string[] {
  return typeof type === 'string' ? [type] : type;
}

function fitsType(value: unknown, type: string | readonly string[]): boolean {
  return typesOf(type).some((name) => {
    switch (name) {
      case 'null':
        return value === null;
      case 'array':
        return Array.isArray(value);
      case 'object':
        return isPlainObject(value);
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value);
      case 'number':
        return typeof value === 'number';
      case 'string':
        return typeof value === 'string';
      case 'boolean':
        return typeof value === 'boolean';
      default:
        return true;
    }
  });
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The schemas a value must satisfy together, `allOf`s opened and `true` dropped. */
function flatten(schemas: readonly ConformanceSchema[], into: ConformanceSchema[] = []): ConformanceSchema[] {
  for (const schema of schemas) {
    if (schema === true) continue;
    if (schema === false) {
      into.push(false);
      continue;
    }
    const { allOf, ...rest } = schema;
    into.push(rest);
    if (allOf) flatten(allOf, into);
  }
  return into;
}

/** What the spec expects of a value under `schemas`, in a few words (for `missing` and `type`). */
function expectedOf(schemas: readonly ConformanceSchema[]): string {
  const flat = flatten(schemas) as SchemaObject[];
  for (const schema of flat) {
    if (schema.enum) return `one of ${schema.enum.map(show).join(', ')}`;
  }
  for (const schema of flat) {
    if (schema.type !== undefined) return typesOf(schema.type).join(' or ');
  }
  for (const schema of flat) {
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) return branches.map((branch) => expectedOf([branch])).join(' or ');
  }
  return 'a value';
}

function walk(value: unknown, schemas: readonly ConformanceSchema[], path: string): SchemaFinding[] {
  const flat = flatten(schemas);
  if (flat.includes(false)) {
    return [
      { path, kind: 'type', expected: 'no value (the schema allows none here)', got: describeValue(value) },
    ];
  }
  const objects = flat as SchemaObject[];

  // anyOf / oneOf: the value is walked once per branch, together with everything else it must
  // satisfy; a branch it fits ends the search, else the branch it fits best speaks.
  const at = objects.findIndex((schema) => schema.anyOf !== undefined || schema.oneOf !== undefined);
  if (at >= 0) {
    const { anyOf, oneOf, ...rest } = objects[at];
    const branches = (anyOf ?? oneOf) as readonly ConformanceSchema[];
    const remaining: SchemaObject = anyOf && oneOf ? { ...rest, oneOf } : rest;
    const others = [...objects.slice(0, at), remaining, ...objects.slice(at + 1)];
    const results = branches.map((branch) => walk(value, [...others, branch], path));
    if (results.length === 0 || results.some((findings) => findings.length === 0)) return [];
    const wrongType = (findings: SchemaFinding[]) =>
      findings.some((f) => f.path === path && f.kind === 'type');
    const fitting = results.filter((findings) => !wrongType(findings));
    if (fitting.length === 0) {
      const expected = [
        ...new Set(
          results.flatMap((findings) => findings.filter((f) => f.path === path).map((f) => f.expected)),
        ),
      ];
      return [{ path, kind: 'type', expected: expected.join(' or '), got: describeValue(value) }];
    }
    return fitting.reduce((best, findings) => (findings.length < best.length ? findings : best));
  }

  for (const schema of objects) {
    if (schema.type !== undefined && !fitsType(value, schema.type)) {
      return [{ path, kind: 'type', expected: typesOf(schema.type).join(' or '), got: describeValue(value) }];
    }
  }

  const findings: SchemaFinding[] = [];
  const add = (kind: ConformanceFindingKind, at: string, expected: string, got: string) =>
    findings.push({ path: at, kind, expected, got });
  for (const schema of objects) {
    if ('const' in schema && schema.const !== undefined && !equal(value, schema.const)) {
      add('enum', path, show(schema.const), describeWord(value));
    }
    if (schema.enum && !schema.enum.some((allowed) => equal(allowed, value))) {
      add('enum', path, `one of ${schema.enum.map(show).join(', ')}`, describeWord(value));
    }
    if (schema.knownValues && typeof value === 'string' && !schema.knownValues.includes(value)) {
      add(
        'enum',
        path,
        `a known value (open string): ${schema.knownValues.map(show).join(', ')}`,
        describeWord(value),
      );
    }
  }

  if (isPlainObject(value)) findings.push(...walkObject(value, objects, path));
  if (Array.isArray(value)) {
    const items = objects.flatMap((schema) => (schema.items === undefined ? [] : [schema.items]));
    if (items.length > 0) for (const item of value) findings.push(...walk(item, items, `${path}[]`));
  }
  return findings;
}

function walkObject(
  value: Record<string, unknown>,
  schemas: readonly SchemaObject[],
  path: string,
): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  const listsFields = schemas.some((schema) => schema.properties !== undefined);
  const closed = schemas.some((schema) => schema.additionalProperties === false);
  const maps = schemas.flatMap((schema) =>
    typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : [],
  );
  const fieldSchemas = (key: string) => [
    ...schemas.flatMap((schema) =>
      schema.properties && Object.hasOwn(schema.properties, key) ? [schema.properties[key]] : [],
    ),
    ...schemas.flatMap((schema) =>
      Object.entries(schema.patternProperties ?? {})
        .filter(([pattern]) => new RegExp(pattern, 'u').test(key))
        .map(([, sub]) => sub),
    ),
  ];

  for (const schema of schemas) {
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key)) {
        findings.push({
          path: childPath(path, key),
          kind: 'missing',
          expected: expectedOf(fieldSchemas(key)),
          got: 'absent',
        });
      }
    }
  }
  for (const [key, field] of Object.entries(value)) {
    const own = fieldSchemas(key);
    if (own.length > 0) {
      findings.push(...walk(field, own, childPath(path, key)));
    } else if (maps.length > 0 && !closed) {
      findings.push(...walk(field, maps, childPath(path, key)));
    } else if (listsFields || closed) {
      // Also where the schema allows more fields (`additionalProperties: true`): that tells clients
      // to tolerate them, while the report is there to get them documented. A schema that lists no
      // fields is a free-form map and has no extras.
      findings.push({
        path: childPath(path, key),
        kind: 'extra',
        expected: 'not in the spec',
        got: describeValue(field),
      });
    }
  }
  return findings;
}

/** Where the spec expects `schema`, the findings of `value` (paths start at `$`), each once. */
export function checkValue(value: unknown, schema: ConformanceSchema): SchemaFinding[] {
  const seen = new Set<string>();
  return walk(value, [schema], ROOT).filter((finding) => {
    const key = JSON.stringify(finding);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The documented answer a status falls under: itself, its range (`4XX`), or `default`. */
export function documentedStatus(operation: ConformanceOperation, status: number): string | undefined {
  const keys = Object.keys(operation.responses);
  const exact = String(status);
  const range = `${exact[0]}XX`;
  return (
    keys.find((key) => key === exact) ??
    keys.find((key) => key.toUpperCase() === range) ??
    keys.find((key) => key === 'default')
  );
}

/** One answer of an operation, as the runner read it. */
export interface ConformanceAnswer {
  status: number;
  /** The Content-Type header, or null. */
  contentType: string | null;
  /** The parsed JSON body; ignored when the content type is not JSON. */
  body: unknown;
  /** The body claimed to be JSON but did not parse. */
  invalidJson?: boolean;
}

function isJsonType(contentType: string | null): boolean {
  const media = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return media === 'application/json' || media.endsWith('+json');
}

function describeContentType(contentType: string | null): string {
  if (contentType === null) return 'a body without a content type';
  const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[\w.+-]+\/[\w.+-]+$/.test(media) ? `a ${media} body` : 'a body of another content type';
}

/** The findings of one answer of `operation` (named `name` in the spec). */
export function checkAnswer(
  name: string,
  operation: ConformanceOperation,
  answer: ConformanceAnswer,
): ConformanceFinding[] {
  const { status } = answer;
  const tie = (findings: SchemaFinding[]): ConformanceFinding[] =>
    findings.map((finding) => ({ operation: name, status, ...finding }));
  const documented = documentedStatus(operation, status);
  if (documented === undefined) {
    return tie([
      {
        path: ROOT,
        kind: 'status',
        expected: `one of ${Object.keys(operation.responses).join(', ')}`,
        got: String(status),
      },
    ]);
  }
  const schema = operation.responses[documented];
  if (schema === null || schema === undefined) return [];
  if (!isJsonType(answer.contentType)) {
    return tie([
      { path: ROOT, kind: 'type', expected: 'a JSON body', got: describeContentType(answer.contentType) },
    ]);
  }
  if (answer.invalidJson) {
    return tie([{ path: ROOT, kind: 'type', expected: 'a JSON body', got: 'a body that is not valid JSON' }]);
  }
  return tie(checkValue(answer.body, schema));
}
