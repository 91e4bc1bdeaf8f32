#!/usr/bin/env node
// Adds a provider in one command (`pnpm new-provider --help` prints the usage below):
//   pnpm new-provider <name> --spec <path.yaml> [--register] [--skip-install]
//                     [--key-env NAME] [--base-url-env NAME] [--env-prefix PREFIX]
// copies the spec to specs/<name>.yaml and scaffolds packages/<name> from scripts/templates/provider:
// the generated client's settings and auth (from the spec's security scheme and servers), and a
// runnable anyjob provider drafted from the spec (scripts/lib/provider-draft.mjs): the operations
// that trigger, read and cancel a run, the status table drafted from the spec's status words, the
// run's id and status fields, and CLI flags from the trigger's request body. Tests: contract tests
// per operation against Prism, the spec-derived suite (test/spec-contract.test.ts: every documented
// status, what `pnpm check:coverage` counts), and the provider's status coverage, trigger, read and
// wait. It adds
// a changeset, links the workspace (`pnpm install --no-frozen-lockfile --prefer-offline`),
// generates the client and prints what is left to do by hand: only what no spec can say.
//
// --register also adds the provider to the facade's default providers: the one line in
// packages/anyjob/src/providers.ts, kept in order (and the facade's dependency on the new package).
//
// The env vars the key and base URL fall back on are the provider's own where known: a flag, else
// the spec (`x-anyjob-env`, else an env var named in the security scheme's description), else
// anyjob's `<NAME>_API_KEY` / `<NAME>_BASE_URL` convention (and the scaffold says so).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sdkFunctionName } from './lib/naming.mjs';
import { resolveRef as deref, listOperations, loadSpec } from './lib/openapi.mjs';
import { draftProvider, envNames, schemaAt, successSchema, withRegistration } from './lib/provider-draft.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const templateDir = join(repoRoot, 'scripts', 'templates', 'provider');

/**
 * Prints the message and exits 2 (a usage error): the script stops here.
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(`new-provider: ${message}`);
  process.exit(2);
}

const USAGE = `Usage: pnpm new-provider <name> --spec <path.yaml> [options]

Copies the OpenAPI 3.1 spec to specs/<name>.yaml and scaffolds packages/<name>: the generated
client, an anyjob provider drafted from the spec, contract and provider tests, a changeset.
Prints what is left to do by hand.

Options:
  --spec <path.yaml>        the provider's OpenAPI 3.1 document (required)
  --register                add the provider to the facade's default providers
                            (packages/anyjob/src/providers.ts, kept sorted)
  --skip-install            do not run pnpm install to link the new package
  --key-env <NAME>          env var the API key falls back on (e.g. DATABRICKS_TOKEN)
  --base-url-env <NAME>     env var the base URL falls back on (e.g. DATABRICKS_HOST)
  --env-prefix <PREFIX>     <PREFIX>_API_KEY and <PREFIX>_BASE_URL (e.g. TFY)
  -h, --help                print this help

Env var names, first found wins: --key-env / --base-url-env, --env-prefix, the spec's
\`x-anyjob-env: { apiKey: NAME, baseUrl: NAME }\` (top level, or \`x-anyjob-env: NAME\` on the
security scheme for the key), an env var in backticks in the security scheme's description
(\`DATABRICKS_TOKEN\`), else <NAME>_API_KEY / <NAME>_BASE_URL.
`;

const VALUE_OPTIONS = {
  '--spec': 'spec',
  '--key-env': 'keyEnv',
  '--base-url-env': 'baseUrlEnv',
  '--env-prefix': 'envPrefix',
};
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * @typedef {object} Args
 * @property {string} name
 * @property {string} spec
 * @property {boolean} install
 * @property {boolean} register
 * @property {string} [keyEnv]
 * @property {string} [baseUrlEnv]
 * @property {string} [envPrefix]
 */

/**
 * The command line, checked: a usage error exits 2.
 * @param {string[]} argv
 * @returns {Args}
 */
function parseArgs(argv) {
  /** @type {Omit<Args, 'name' | 'spec'> & { name?: string, spec?: string }} */
  const args = { name: undefined, spec: undefined, install: true, register: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [option, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (option in VALUE_OPTIONS) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) fail(`${option} needs a value.\n\n${USAGE}`);
      args[VALUE_OPTIONS[option]] = value;
    } else if (arg === '--skip-install') args.install = false;
    else if (arg === '--register') args.register = true;
    else if (!arg.startsWith('-') && args.name === undefined) args.name = arg;
    else fail(`unknown argument ${arg}.\n\n${USAGE}`);
  }
  if (!args.name || !args.spec) fail(`a provider name and --spec are required.\n\n${USAGE}`);
  for (const key of ['keyEnv', 'baseUrlEnv', 'envPrefix']) {
    if (args[key] !== undefined && !ENV_NAME.test(args[key])) {
      fail(
        `${args[key]} is not an env var name: use upper-case letters, digits and underscores (e.g. ACME_TOKEN).`,
      );
    }
  }
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(args.name)) {
    fail(
      `"${args.name}" is not a valid provider name: use lower-case letters, digits and single dashes (e.g. acme-jobs).`,
    );
  }
  return { ...args, name: args.name, spec: args.spec };
}

const words = (name) => name.split('-');
const pascal = (name) =>
  words(name)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const camel = (name) => pascal(name)[0].toLowerCase() + pascal(name).slice(1);

/** Where the spec's security scheme puts the key, in words for docs and comments. */
function authPlacement(doc) {
  const schemes = Object.values(doc.components?.securitySchemes ?? {}).map((s) => deref(doc, s));
  const scheme = schemes[0];
  if (!scheme) return 'nothing (the spec documents no security scheme)';
  if (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer')
    return '`Authorization: Bearer <key>`';
  if (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'basic')
    return '`Authorization: Basic <key>`';
  if (scheme.type === 'apiKey')
    return `the \`${scheme.name}\` ${scheme.in === 'header' ? 'header' : `${scheme.in} parameter`}`;
  fail(
    `security scheme type "${scheme.type}" is not supported by the scaffold; write src/client.ts by hand.`,
  );
}

/** A value Prism accepts for a schema, from its examples or its constraints; undefined if unsure. */
function exampleFor(doc, rawSchema, declared) {
  if (declared !== undefined) return declared;
  const schema = deref(doc, rawSchema) ?? {};
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'string' && !schema.pattern && !schema.format && (schema.maxLength ?? 7) >= 7) {
    return 'example'.padEnd(schema.minLength ?? 0, 'x');
  }
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return true;
  return undefined;
}

function paramExample(doc, param) {
  const declared =
    param.example ??
    (param.examples ? Object.values(param.examples).map((e) => deref(doc, e).value)[0] : undefined);
  return exampleFor(doc, param.schema, declared);
}

/**
 * An operation of the spec as the scaffold's tests and docs use it.
 * @typedef {object} ScaffoldOperation
 * @property {string} id The operationId.
 * @property {string} fn The generated SDK function that calls it.
 * @property {string} method Upper-case HTTP method.
 * @property {string} path
 * @property {string} summary
 * @property {{ path?: Record<string, unknown>, query?: Record<string, unknown>, body?: unknown }} args
 *   SDK arguments from the spec's examples.
 * @property {string[]} missing What has no example, so no contract test can call it.
 * @property {boolean} secured
 */

/**
 * Each operation with the SDK arguments to call it with, or why it could not be derived.
 * An operation without an operationId is a usage error (exit 2).
 * @param {import('./lib/openapi.mjs').OpenApiDocument} doc
 * @param {string} name
 * @returns {ScaffoldOperation[]}
 */
function operationsOf(doc, name) {
  /** @type {Array<Omit<ScaffoldOperation, 'id' | 'fn'> & { id?: string, fn?: string }>} */
  const ops = [];
  for (const { method, path, operation: op, parameters, requestBody: body } of listOperations(doc)) {
    const args = {};
    const missing = [];
    for (const param of parameters) {
      if (!param.required || !['path', 'query'].includes(param.in)) continue;
      const value = paramExample(doc, param);
      if (value === undefined) missing.push(`${param.in} parameter ${param.name}`);
      else args[param.in] = { ...args[param.in], [param.name]: value };
    }
    if (body?.required) {
      const media = body.content?.['application/json'];
      const value = media?.example ?? Object.values(media?.examples ?? {}).map((e) => deref(doc, e).value)[0];
      if (value === undefined) missing.push('request body (add an example to the spec)');
      else args.body = value;
    }
    const security = op.security ?? doc.security ?? [];
    ops.push({
      id: op.operationId,
      fn: op.operationId ? sdkFunctionName(name, op.operationId) : undefined,
      method: method.toUpperCase(),
      path,
      summary: op.summary ?? '',
      args,
      missing,
      secured: security.some((requirement) => Object.keys(requirement).length > 0),
    });
  }
  const unnamed = ops.filter((op) => !op.id);
  if (unnamed.length > 0) {
    fail(
      `every operation needs an operationId (it becomes the SDK function name): ${unnamed.map((o) => `${o.method} ${o.path}`).join(', ')}`,
    );
  }
  // Every operation has an operationId (checked above), and so an SDK function.
  return /** @type {ScaffoldOperation[]} */ (ops);
}

// JSON is valid TypeScript; Biome (run on the package below) turns it into the repo's style.
const literal = (value) => JSON.stringify(value);
const argsSource = (args) =>
  Object.entries(args)
    .map(([key, value]) => `, ${key}: ${literal(value)}`)
    .join('');

function operationTests(ops) {
  return ops
    .filter((op) => op.missing.length === 0)
    .map(
      (op) => `  it('${op.id} (${op.method} ${op.path}) answers 2xx with the spec example', async () => {
    const { response } = await ${op.fn}({ client: client()${argsSource(op.args)} });
    expect(response.ok).toBe(true);
  });`,
    )
    .join('\n\n');
}

function settingsTests(ctx) {
  const tests = [];
  const secured = ctx.ops.find((op) => op.secured && op.missing.length === 0);
  if (secured) {
    tests.push(`  it('Prism rejects ${secured.id} without credentials', async () => {
    // A bare hey-api client: no settings, so no credential (a request Prism reports as breaking the spec).
    expectRequestViolations();
    const { response } = await ${secured.fn}({ client: createClient({ baseUrl: mockUrl('${ctx.name}') })${argsSource(secured.args)} });
    expect(response.status).toBe(401);
  });`);
    tests.push(`  it('a missing key names the option and ${ctx.env.apiKey}, before any request', async () => {
    const noKey = create${ctx.Pascal}Client({ baseUrl: mockUrl('${ctx.name}'), env: {} });
    await expect(${secured.fn}({ client: noKey${argsSource(secured.args)} })).rejects.toThrow(/\`apiKey\`.*${ctx.env.apiKey}/);
  });`);
  }
  if (ctx.defaultServer) {
    tests.push(`  it('defaults to the first server of the spec; ${ctx.env.baseUrl} overrides it', () => {
    expect(resolve${ctx.Pascal}BaseUrl({ env: {} })).toBe(${ctx.CONST}_SERVERS[0]);
    expect(resolve${ctx.Pascal}BaseUrl({ env: { ${ctx.env.baseUrl}: 'http://127.0.0.1:4010/' } })).toBe('http://127.0.0.1:4010');
  });`);
  } else {
    tests.push(`  it('asks for a base URL: the spec has no fixed server', () => {
    expect(() => resolve${ctx.Pascal}BaseUrl({ env: {} })).toThrow(/${ctx.env.baseUrl}/);
  });`);
  }
  tests.push(`  it('rejects a base URL that is not absolute', () => {
    expect(() => resolve${ctx.Pascal}BaseUrl({ baseUrl: 'not a url', env: {} })).toThrow(ConfigError);
  });`);
  return tests.join('\n\n');
}

/** Runtime dependencies the generated code needs: the ones every existing provider package shares. */
function sharedProviderDependencies(name) {
  const siblings = readdirSync(join(repoRoot, 'specs'))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .filter((other) => other !== name && existsSync(join(repoRoot, 'packages', other, 'package.json')))
    .map(
      (other) =>
        JSON.parse(readFileSync(join(repoRoot, 'packages', other, 'package.json'), 'utf8')).dependencies ??
        {},
    );
  if (siblings.length === 0) return { '@anyjob/core': 'workspace:^' };
  const [first, ...rest] = siblings;
  return Object.fromEntries(
    Object.entries(first).filter(([dep, version]) => rest.every((deps) => deps[dep] === version)),
  );
}

function render(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (match, key) => {
    if (!(key in values)) throw new Error(`template placeholder ${match} has no value`);
    return values[key];
  });
}

function writeTemplates(dir, values) {
  const walk = (from) =>
    readdirSync(join(templateDir, from), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(from, entry.name)) : [join(from, entry.name)],
    );
  for (const file of walk('')) {
    const target = join(dir, file.replace(/\.tmpl$/, ''));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, render(readFileSync(join(templateDir, file), 'utf8'), values));
  }
}

const args = parseArgs(process.argv.slice(2));
const { name } = args;
// pnpm runs scripts from the repo root; INIT_CWD is where the maintainer typed the command.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm, and this is no turbo task
const specSource = resolve(process.env.INIT_CWD ?? process.cwd(), args.spec);
const specTarget = join(repoRoot, 'specs', `${name}.yaml`);
const packageDir = join(repoRoot, 'packages', name);
if (!existsSync(specSource)) fail(`spec ${args.spec} not found`);
if (existsSync(packageDir)) fail(`packages/${name} already exists; pick another name or remove it first.`);
if (existsSync(specTarget) && resolve(specSource) !== specTarget) {
  fail(`specs/${name}.yaml already exists; pass it as --spec specs/${name}.yaml to scaffold its package.`);
}

const doc = loadSpec(specSource);
if (!String(doc?.openapi ?? '').startsWith('3.1'))
  fail(`${args.spec} is not an OpenAPI 3.1 document (openapi: ${doc?.openapi})`);
const ops = operationsOf(doc, name);
let draft;
try {
  draft = draftProvider(doc);
} catch (error) {
  fail(`cannot draft the anyjob provider from ${args.spec}: ${error.message}`);
}
const servers = (doc.servers ?? []).map((server) => server.url);
const defaultServer = servers.find((url) => !url.includes('{'));
const CONST = name.toUpperCase().replaceAll('-', '_');
const title = doc.info?.title ?? `${pascal(name)} API`;
// "Acme Jobs API" → "Acme Jobs", for "Acme Jobs API key" rather than "Acme Jobs API API key".
const display = title.replace(/\s*(REST\s+)?API$/i, '') || pascal(name);
let env;
try {
  env = envNames(doc, { apiKey: args.keyEnv, baseUrl: args.baseUrlEnv, prefix: args.envPrefix }, CONST);
} catch (error) {
  fail(error.message);
}
const ctx = { name, CONST, Pascal: pascal(name), ops, defaultServer, env };
const placement = authPlacement(doc);
const tested = ops.filter((op) => op.missing.length === 0);
const example = tested[0] ?? ops[0];
const opOf = (id) => ops.find((op) => op.id === id);
const triggerOp = opOf(draft.trigger.operationId);
const P = pascal(name);
const q = (text) => `'${String(text).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const typeName = (operationId, suffix) => `${operationId[0].toUpperCase()}${operationId.slice(1)}${suffix}`;
const triggerData = typeName(draft.trigger.operationId, 'Data');
const js = (value) => JSON.stringify(value);

// The status spec, drafted: a word whose meaning the scaffold cannot tell maps to `unknown`.
const { status } = draft;
const statusRows = [
  ...(status.wildcard ? [`'*': 'running', // null until the run is over`] : []),
  ...status.rows.map(
    ({ key, status: meaning }) =>
      `${q(key)}: '${meaning ?? 'unknown'}',${meaning ? '' : ' // TODO: what does this word mean?'}`,
  ),
];
const statusTable = `{\n${statusRows.map((row) => `      ${row}`).join('\n')}\n    }`;
const statusSpec =
  status.fields.length === 1 && !status.wildcard
    ? `{\n    field: ${q(status.fields[0])},\n    table: ${statusTable},\n  }`
    : `{\n    fields: ${js(status.fields)},\n    table: ${statusTable},\n  }`;
/** @anyjob/core's camelCase, as cliFlags applies it to a flag's name. */
const camelFlag = (name) => name.replace(/[-_]([a-z0-9])/g, (_, letter) => letter.toUpperCase());
/** The placeholder @anyjob/core's cliFlags gives a flag of this kind and field when it names none. */
const defaultValue = (kind, field) => {
  if (kind === 'boolean') return undefined;
  if (kind === 'pairs') return 'key=value';
  if (kind === 'json') return '<json | @file | ->';
  if (/Ids?$/.test(field)) return '<id>';
  return kind === 'integer' || kind === 'number' ? '<n>' : '<text>';
};
/** A flag as a cliFlags entry: its help, and only what differs from cliFlags' defaults. */
const flagSource = (flag, base) => {
  const from = base?.find((other) => other.name === flag.name && other.kind === flag.kind) ?? {};
  const kind = from.kind ?? 'string';
  const field =
    from.field ?? `${camelFlag(flag.name)}${flag.kind === 'pairs' && !flag.name.endsWith('s') ? 's' : ''}`;
  const fields = [
    ...(flag.kind !== kind ? [`kind: '${flag.kind}'`] : []),
    ...(flag.field !== field ? [`field: ${q(flag.field)}`] : []),
    ...(flag.value !== (from.value ?? defaultValue(flag.kind, flag.field))
      ? [`value: ${q(flag.value)}`]
      : []),
    ...(Boolean(flag.json) !== Boolean(from.json) ? [`json: ${Boolean(flag.json)}`] : []),
    ...(Boolean(flag.required) !== Boolean(from.required) ? [`required: ${Boolean(flag.required)}`] : []),
  ];
  const key = /^[a-z][a-zA-Z0-9]*$/.test(flag.name) ? flag.name : q(flag.name);
  return fields.length === 0 && flag.help === from.help
    ? `  ${key}: {},`
    : fields.length === 0
      ? `  ${key}: ${q(flag.help)},`
      : `  ${key}: { ${[...fields, ...(flag.help === from.help ? [] : [`help: ${q(flag.help)}`])].join(', ')} },`;
};
/** @type {import('./lib/provider-draft.mjs').DraftedFlag[]} */
const flags = [
  ...draft.flags,
  ...(draft.idempotency
    ? [
        {
          name: 'idempotency-key',
          kind: /** @type {const} */ ('string'),
          field: 'idempotencyKey',
          value: '<key>',
          help: `${display} starts one run per key (${draft.idempotency.name}); default: a new key per call`,
        },
      ]
    : []),
];
const flagRows = flags.map((flag) => flagSource(flag)).join('\n');
const usageLine = flags
  .map((flag) => {
    const text = `--${flag.name}${flag.kind === 'boolean' ? '' : ` ${flag.value ?? '<value>'}`}${flag.kind === 'list' || flag.kind === 'pairs' ? ' ...' : ''}`;
    return flag.required ? text : `[${text}]`;
  })
  .join(' ');
const listFlags = draft.list
  ? [
      ...draft.list.path.map((param) => ({
        name: param.replaceAll('_', '-'),
        kind: 'string',
        field: param,
        value: '<text>',
        required: true,
        help: `the ${param} whose runs to list`,
      })),
      ...draft.list.query
        .filter((param) => !draft.list?.path.includes(param.name))
        .map((param) => ({
          name: param.name.replaceAll('_', '-'),
          kind: param.type === 'boolean' ? 'boolean' : param.type === 'integer' ? 'integer' : 'string',
          field: param.name,
          ...(param.type === 'boolean' ? {} : { value: '<value>' }),
          help: `only runs with this ${param.name}`,
        })),
    ]
  : [];

// The trigger example from the spec, as a facade request: its path and body fields, and `provider`.
const triggerFields = Object.fromEntries(
  Object.entries({ ...(triggerOp?.args.path ?? {}), ...(triggerOp?.args.body ?? {}) }).filter(
    ([field]) => field !== draft.idempotency?.name,
  ),
);
const triggerExample = js({ provider: name, ...triggerFields });
/** The CLI's arguments for the trigger example (`--owner octo --inputs key=value …`). */
const cliArgs = flags.flatMap((flag) => {
  const value = triggerFields[flag.field];
  if (value === undefined || value === null) return [];
  if (flag.kind === 'boolean') return value === true ? [`--${flag.name}`] : [];
  if (flag.kind === 'list') return value.flatMap((item) => [`--${flag.name}`, String(item)]);
  if (flag.kind === 'pairs')
    return Object.entries(value).flatMap(([key, item]) => [
      `--${flag.name}`,
      typeof item === 'string' ? `${key}=${item}` : `${key}:=${JSON.stringify(item)}`,
    ]);
  if (flag.kind === 'json') return [`--${flag.name}`, JSON.stringify(value)];
  return [`--${flag.name}`, String(value)];
});
const shellQuote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
// Prism answers the read with the spec's first example: the test waits only if that run is final.
const getEntry = listOperations(doc).find((op) => op.operation.operationId === draft.get.operationId);
const firstExample = (entry) => {
  for (const [code, raw] of Object.entries(entry?.responses ?? {})) {
    if (!/^2/.test(code)) continue;
    const media = deref(doc, raw)?.content?.['application/json'];
    const value = media?.example ?? Object.values(media?.examples ?? {}).map((e) => deref(doc, e)?.value)[0];
    if (value !== undefined) return value;
  }
  return undefined;
};
const getExample = firstExample(getEntry);
const wordAt = (value, path) =>
  path
    .split('.')
    .reduce((current, key) => (current && typeof current === 'object' ? current[key] : undefined), value);
const exampleWords = status.fields.map((field) => wordAt(getExample, field));
const exampleStatus = (() => {
  const table = Object.fromEntries(status.rows.map((row) => [row.key, row.status]));
  const words = exampleWords.map((word) => (typeof word === 'string' ? word.toLowerCase() : undefined));
  for (const key of [words.join('/'), words[0], `${words[0]}/*`, `*/${words[1]}`])
    if (key && table[key]) return table[key];
  return status.wildcard && words[0] === undefined ? 'running' : undefined;
})();
const waits = ['succeeded', 'failed', 'canceled', 'timed_out'].includes(exampleStatus ?? '');
// The read's URL is what a Location must name for anyjob to read the run there.
const locationReadable = (() => {
  if (draft.triggerAnswer.kind !== 'location') return true;
  const entry = listOperations(doc).find((op) => op.operation.operationId === draft.trigger.operationId);
  return Object.entries(entry?.responses ?? {}).some(([code, raw]) => {
    if (!/^2/.test(code)) return false;
    const headers = deref(doc, raw)?.headers ?? {};
    const location = Object.entries(headers).find(([h]) => h.toLowerCase() === 'location')?.[1];
    const example = deref(doc, location)?.example ?? deref(doc, location)?.schema?.example;
    if (typeof example !== 'string') return false;
    const pattern = draft.get.path.replace(/\{[^}]+\}/g, '[^/]+');
    return new RegExp(`${pattern}/?$`).test(new URL(example, 'http://x.invalid').pathname);
  });
})();
// A trigger the draft can follow to its run against Prism: the run, its id, or a readable Location.
const drivable = draft.triggerAnswer.kind !== 'none' && locationReadable;
const cancelFn = draft.cancel ? sdkFunctionName(name, draft.cancel.operationId) : undefined;
const listFn = draft.list ? sdkFunctionName(name, draft.list.operationId) : undefined;
const place = (param) => `{ in: '${param.in}', name: ${q(param.name)} }`;
const getParams = getEntry?.parameters ?? [];
const scopePlaces = draft.get.scope.map((scopeName) => {
  const param = getParams.find((p) => p.name === scopeName && (p.in === 'path' || p.in === 'query'));
  return { in: param?.in ?? 'path', name: scopeName };
});
// `anyjob doctor <name>` (src/conformance.ts): the run list's first page, then one run (--run-id,
// else the first listed), each only where the spec makes it a read. Its flags: what the list and
// the read take in their paths and scope.
const readOperation = (operationId) => {
  const entry = listOperations(doc).find((op) => op.operation.operationId === operationId);
  const declared = entry?.operation['x-anyjob-side-effect'];
  return declared === undefined
    ? ['get', 'head', 'options'].includes(entry?.method ?? '')
    : declared === 'read';
};
const doctorList = draft.list && readOperation(draft.list.operationId) ? draft.list : undefined;
const doctorGet = readOperation(draft.get.operationId) && ['path', 'query'].includes(draft.get.runId.in);
const doctorFields = [...new Set([...(doctorList?.path ?? []), ...(doctorGet ? draft.get.scope : [])])];
const doctorParams = [
  ...(listOperations(doc).find((op) => op.operation.operationId === doctorList?.operationId)?.parameters ??
    []),
  ...getParams,
];
const kebab = (text) =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
const doctorFlags = [
  ...doctorFields.map((field) => ({
    name: kebab(field),
    kind: 'string',
    field,
    value: '<value>',
    required: true,
    help: `the ${field} whose runs are read`,
  })),
  ...(doctorGet
    ? [
        {
          name: 'run-id',
          kind: 'string',
          field: 'runId',
          value: '<id>',
          required: !doctorList,
          help: doctorList ? 'read this run (default: the first one listed)' : 'the run to read',
        },
      ]
    : []),
];
const doctorSize = doctorList?.pagination.sizeParam
  ? { [doctorList.pagination.sizeParam]: Math.min(10, doctorList.pagination.maxPageSize ?? 10) }
  : {};
const doctorReads = [
  ...(doctorList
    ? [
        `    {\n      operation: ${q(doctorList.operationId)},\n      send: ${listFn},\n${doctorList.path.length > 0 ? `      path: { ${doctorList.path.map((p) => `${js(p)}: fromInput(${q(p)})`).join(', ')} },\n` : ''}${Object.keys(doctorSize).length > 0 ? `      query: ${js(doctorSize)},\n` : ''}    },`,
      ]
    : []),
  ...(doctorGet
    ? (() => {
        const runId = doctorList
          ? `fromInput('runId', firstItem(${q(doctorList.operationId)}, ${q(doctorList.pagination.items)}, ${q(draft.idField)}))`
          : "fromInput('runId')";
        const parts = { path: [], query: [] };
        for (const p of scopePlaces) parts[p.in].push(`${js(p.name)}: fromInput(${q(p.name)})`);
        parts[draft.get.runId.in].push(`${js(draft.get.runId.name)}: ${runId}`);
        const lines = Object.entries(parts)
          .filter(([, entries]) => entries.length > 0)
          .map(([part, entries]) => `      ${part}: { ${entries.join(', ')} },`);
        return [
          `    {\n      operation: ${q(draft.get.operationId)},\n      send: ${sdkFunctionName(name, draft.get.operationId)},\n${lines.join('\n')}\n${doctorList ? "      skip: 'no run to read: the list was empty',\n" : ''}    },`,
        ];
      })()
    : []),
];
const doctorExample = Object.fromEntries(
  doctorFlags
    .filter((flag) => flag.required)
    .map((flag) => {
      const wire = flag.field === 'runId' ? draft.get.runId.name : flag.field;
      const param = doctorParams.find((p) => p.name === wire);
      return [flag.field, String((param && paramExample(doc, param)) ?? 'example')];
    }),
);
const doctorUses = doctorReads.join('\n');
const requestFields = ['provider', ...flags.map((flag) => flag.field)];
const fieldNames = [
  ...draft.trigger.pathParams.map((param) => [`path.${param.name}`, param.name]),
  ...draft.flags
    .filter((flag) => !draft.trigger.pathParams.some((param) => param.name === flag.field))
    .map((flag) => [`body.${flag.field}`, flag.field]),
  ...(draft.idempotency ? [[`body.${draft.idempotency.name}`, 'idempotencyKey']] : []),
  [`${draft.get.runId.in}.${draft.get.runId.name}`, 'ref.runId'],
  ...scopePlaces.map((p) => [`${p.in}.${p.name}`, `ref.${p.name}`]),
];
const dedupe = (pairs) =>
  pairs.filter((pair, index) => pairs.findIndex((other) => other[0] === pair[0]) === index);
const triggerTypeParts = [
  ...(draft.trigger.pathParams.length > 0 ? [`${triggerData}['path']`] : []),
  ...(draft.trigger.hasBody
    ? [
        draft.idempotency
          ? `Omit<NonNullable<${triggerData}['body']>, ${q(draft.idempotency.name)}>`
          : `NonNullable<${triggerData}['body']>`,
      ]
    : []),
  ...(draft.idempotency
    ? [
        `{\n  /** ${display} starts one run per key (its \`${draft.idempotency.name}\`); default: a new key per call, reused on retries. */\n  idempotencyKey?: string;\n}`,
      ]
    : []),
];
const { pagination } = draft.list ?? {};
// Basic auth's key is `user:token`: the tests' mock key takes that form.
const basicAuth = placement.includes('Basic');
const mockKey = basicAuth ? "'mock-user:' + MOCK_API_KEY" : 'MOCK_API_KEY';

// The fake (src/testing.ts): the spec's examples, and where the API lives and takes its key.
const triggerEntry = listOperations(doc).find((op) => op.operation.operationId === draft.trigger.operationId);
const triggerAnswerExample = (() => {
  const kind = draft.triggerAnswer.kind;
  for (const [code, raw] of Object.entries(triggerEntry?.responses ?? {})) {
    if (!/^2/.test(code)) continue;
    const response = deref(doc, raw) ?? {};
    const media = response.content?.['application/json'];
    const value = media?.example ?? Object.values(media?.examples ?? {}).map((e) => deref(doc, e)?.value)[0];
    const hasLocation = Object.keys(response.headers ?? {}).some((h) => h.toLowerCase() === 'location');
    if ((kind === 'run' || kind === 'id') && value !== undefined)
      return { status: Number(code), example: value };
    if (kind === 'location' && hasLocation) return { status: Number(code), example: null };
    if (kind === 'none' && !media) return { status: Number(code), example: null };
  }
  return { status: 200, example: null };
})();
const errorExample = (() => {
  for (const entry of listOperations(doc)) {
    for (const [code, raw] of Object.entries(entry.responses)) {
      if (!/^4/.test(code)) continue;
      const media = Object.entries(deref(doc, raw)?.content ?? {}).find(([type]) =>
        type.includes('json'),
      )?.[1];
      const value =
        media?.example ?? Object.values(media?.examples ?? {}).map((e) => deref(doc, e)?.value)[0];
      if (value && typeof value === 'object') return value;
    }
  }
  return { message: 'error' };
})();
const cancelEntry = draft.cancel
  ? listOperations(doc).find((op) => op.operation.operationId === draft.cancel?.operationId)
  : undefined;
const cancelStatus = Number(Object.keys(cancelEntry?.responses ?? {}).find((code) => /^2/.test(code)) ?? 200);
const serverPath = (() => {
  const server = doc.servers?.[0];
  if (!server) return '';
  const url = server.url.replace(
    /\{([^}]+)\}/g,
    (_, variable) => server.variables?.[variable]?.default ?? 'x',
  );
  try {
    return new URL(url).pathname.replace(/\/$/, '');
  } catch {
    return '';
  }
})();
const fakeAuth = (() => {
  const scheme = deref(doc, Object.values(doc.components?.securitySchemes ?? {})[0]);
  if (scheme?.type === 'apiKey' && scheme.in === 'header')
    return `{ header: ${q(scheme.name.toLowerCase())} }`;
  if (scheme?.type === 'http' && scheme.scheme?.toLowerCase() === 'basic')
    return "{ header: 'authorization', scheme: 'Basic' }";
  return "{ header: 'authorization', scheme: 'Bearer' }";
})();

const values = {
  name,
  title,
  display,
  Pascal: P,
  camel: camel(name),
  CONST,
  servers: `[${servers.map((url) => `'${url}'`).join(', ')}]`,
  authPlacement: placement,
  dependencies: JSON.stringify(sharedProviderDependencies(name), null, 4).replace(/\n}$/, '\n  }'),
  loadBaseUrl: defaultServer ? 'loadOptionalSetting' : 'loadSetting',
  baseUrlDefaultDoc: defaultServer
    ? `, then \`${defaultServer}\``
    : ' (required: the spec has no fixed server)',
  baseUrlDefaultCell: defaultServer ? `\`${defaultServer}\`` : 'required (the spec has no fixed server)',
  baseUrlEnvNote: defaultServer ? '' : ` and ${env.baseUrl}`,
  keyEnv: env.apiKey,
  baseUrlEnv: env.baseUrl,
  envOrigin:
    env.origin === 'convention'
      ? "anyjob's `<PROVIDER>_API_KEY` / `<PROVIDER>_BASE_URL` convention; use the provider's own names if it has them."
      : env.origin === 'flag'
        ? 'the names given to `pnpm new-provider`.'
        : `the names specs/${name}.yaml gives (x-anyjob-env or its security scheme).`,
  resolveBody: defaultServer
    ? `  const url = loadOptionalSetting({ ...baseUrlSource, value: settings.baseUrl, env: settings.env });\n  return normalizeBaseUrl(url ?? ${CONST}_SERVERS[0], baseUrlSource);`
    : `  // The spec's servers are templated (${servers.join(', ') || 'none'}): there is no default to fall back on.\n  const url = loadSetting({ ...baseUrlSource, value: settings.baseUrl, env: settings.env });\n  return normalizeBaseUrl(url, baseUrlSource);`,
  imports: [
    `create${P}Client`,
    ...[...new Set(tested.map((op) => op.fn))],
    `resolve${P}BaseUrl`,
    ...(defaultServer ? [`${CONST}_SERVERS`] : []),
  ]
    .sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }))
    .join(', '),
  // Only the credentials test (written when an operation is secured) uses a bare client.
  bareClientImport: ops.some((op) => op.secured && op.missing.length === 0)
    ? "\nimport { createClient } from '@anyjob/core/fetch-client';"
    : '',
  operationTests: operationTests(ops),
  settingsTests: settingsTests(ctx),
  operationRows: ops
    .map((op) => `| \`${op.fn}\` | \`${op.method} ${op.path}\`${op.summary ? ` — ${op.summary}` : ''} |`)
    .join('\n'),
  exampleOperation: example.fn,
  exampleArgs: argsSource(example.args),
  // The drafted provider.
  triggerOp: draft.trigger.operationId,
  triggerMethod: draft.trigger.method,
  triggerPath: draft.trigger.path,
  triggerFn: sdkFunctionName(name, draft.trigger.operationId),
  triggerPathFields: js(draft.trigger.pathParams.map((param) => param.name)),
  triggerHasBody: String(draft.trigger.hasBody),
  triggerTypeImports: triggerTypeParts.length > 0 ? triggerData : '',
  triggerRequestType: triggerTypeParts.map((part) => ` & ${part}`).join(''),
  getOp: draft.get.operationId,
  getPath: draft.get.path,
  getFn: sdkFunctionName(name, draft.get.operationId),
  getRunId: place(draft.get.runId),
  cancelOperation: draft.cancel
    ? `{ operation: '${draft.cancel.operationId}', send: ${cancelFn} as SdkFunction, runId: ${place(draft.cancel.runId)}, answersRun: ${draft.cancel.answersRun} }`
    : 'undefined',
  listOperation: draft.list
    ? `{ operation: '${draft.list.operationId}', send: ${listFn} as SdkFunction, path: ${js(draft.list.path)} }`
    : 'undefined',
  scope: `[${scopePlaces.map(place).join(', ')}]`,
  integerFields: js(draft.trigger.integerFields),
  requestFields: js(requestFields),
  fieldNames: js(dedupe(fieldNames)),
  cancelOpText: draft.cancel ? draft.cancel.operationId : 'none (the spec has no cancel operation)',
  listOpText: draft.list ? draft.list.operationId : 'none',
  cancelComment: draft.cancel
    ? `, cancel → ${draft.cancel.method} ${draft.cancel.path}`
    : '; the spec has no cancel operation',
  hasCancel: String(Boolean(draft.cancel)),
  hasList: String(Boolean(draft.list)),
  sdkImports: [
    sdkFunctionName(name, draft.trigger.operationId),
    sdkFunctionName(name, draft.get.operationId),
    ...(cancelFn ? [cancelFn] : []),
    ...(listFn ? [listFn] : []),
  ]
    .filter((value, index, all) => all.indexOf(value) === index)
    .sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }))
    .join(', '),
  idField: draft.idField,
  scopeDoc: draft.get.scope.length > 0 ? ` and ${draft.get.scope.map((s) => `\`${s}\``).join(', ')}` : '',
  runIdDoc: draft.runIdType === 'integer' ? ': an integer, as its decimal digits (exact beyond 2^53)' : '',
  scopeFields: draft.get.scope
    .map((s) => `  /** ${s} of the run (the read's ${s}). */\n  ${s}: string;\n`)
    .join(''),
  refFields: `{ runId: ${
    draft.runIdType === 'integer'
      ? "{ required: true, test: (id) => typeof id === 'string' && /^-?(0|[1-9][0-9]*)$/.test(id), rule: 'required', message: () => 'The run reference has no valid `runId` (an integer as its digits); pass the `ref` (or JobRun) that triggerJob returned.' }"
      : "'required'"
  }${draft.get.scope.map((field) => `, ${q(field)}: 'required'`).join('')} }`,
  runIdType: draft.runIdType,
  statusSpec,
  triggerAnswer: js(draft.triggerAnswer),
  paginationLine: pagination ? `\n  pagination: ${js(pagination)},` : '',
  idempotencyLine: draft.idempotency ? `\n  idempotency: ${js(draft.idempotency)},` : '',
  statusOrigin:
    status.source === 'enum'
      ? `the enum of ${draft.get.operationId}'s ${status.fields.map((f) => `\`${f}\``).join(' and ')}`
      : status.source === 'examples'
        ? `the examples of ${draft.get.operationId}'s ${status.fields.map((f) => `\`${f}\``).join(' and ')}`
        : 'none documented: fill this table',
  flagRows,
  listFlagsLine: draft.list
    ? `\n    listFlags: /* @__PURE__ */ cliFlagsFrom(FLAGS, {\n${listFlags.map((flag) => `    ${flagSource(flag, flags)}`).join('\n')}\n    }),`
    : '',
  cliFlagsFromImport: draft.list ? '\n  cliFlagsFrom,' : '',
  usageLine: q(usageLine),
  triggerExample,
  listOp: draft.list?.operationId ?? '',
  contractOps: js({
    trigger: draft.trigger.operationId,
    get: draft.get.operationId,
    ...(draft.list ? { list: draft.list.operationId } : {}),
  }),
  driveTest: drivable
    ? `  it('triggers a run, reads it from its stored ref${waits ? ' and waits for it' : ''}', async () => {
    const provider = ${camel(name)}.create({ apiKey: ${mockKey}, baseUrl: mockUrl('${name}'), env: {} });
    const run = await provider.triggerJob(${triggerExample});
    expect(run.provider).toBe('${name}');
    const stored = JSON.parse(JSON.stringify(run.ref));
    expect((await provider.getJobRun(stored)).id).toBe(run.id);
${
  waits
    ? `    const [result] = await waitForRuns([{ provider, input: stored }], { pollIntervalMs: 1, timeoutMs: 10_000 });
    expect(result.error).toBeUndefined();`
    : `    // ${draft.get.operationId}'s first example is not a final run, so Prism's run never ends: nothing to wait for.`
}
  });`
    : `  // Left to do by hand: ${draft.trigger.operationId}'s answer does not lead to the run anyjob can read.
  it('refuses a trigger answer that names no run it can read', async () => {
    const provider = ${camel(name)}.create({ apiKey: ${mockKey}, baseUrl: mockUrl('${name}'), env: {} });
    // The trigger was accepted, so a run may exist: anyjob says it cannot confirm which.
    await expect(provider.triggerJob(${triggerExample})).rejects.toMatchObject({ name: 'TriggerUnconfirmedError' });
  });`,
  mockKey,
  harnessImports: ops.some((op) => op.secured && op.missing.length === 0)
    ? 'expectRequestViolations, MOCK_API_KEY, mockUrl'
    : 'MOCK_API_KEY, mockUrl',
  specSuiteClient: basicAuth
    ? `(settings) => sdk.create${P}Client({ ...settings, apiKey: 'mock-user:' + settings.apiKey })`
    : `sdk.create${P}Client`,
  // The fake.
  triggerAnswerKind: draft.triggerAnswer.kind === 'none' ? 'nothing' : `its ${draft.triggerAnswer.kind}`,
  runExample: js(getExample ?? {}),
  triggerAnswerExample: js(triggerAnswerExample),
  errorExample: js(errorExample),
  statusFields: js(status.fields),
  statusNullable: js(
    status.fields.map((field) => {
      const schema =
        deref(doc, schemaAt(doc, successSchema(doc, getEntry ?? { responses: {} }), field)) ?? {};
      return (
        (Array.isArray(schema.type) && schema.type.includes('null')) ||
        (schema.enum ?? []).includes(null) ||
        schema.nullable === true
      );
    }),
  ),
  statusSpellings: js([...(status.wildcard ? ['*'] : []), ...status.rows.map((row) => row.spelling)]),
  runIdInteger: String(draft.runIdType === 'integer'),
  cancelRunId: draft.cancel ? place(draft.cancel.runId) : 'undefined',
  cancelData: draft.cancel
    ? `{ operation: '${draft.cancel.operationId}', status: ${cancelStatus}, answersRun: ${draft.cancel.answersRun}, example: ${js(firstExample(cancelEntry) ?? {})} }`
    : 'undefined',
  basePath: serverPath,
  fakeAuth,
  // anyjob doctor's plan (src/conformance.ts).
  conformanceLine:
    doctorReads.length > 0
      ? `\n  // \`anyjob doctor ${name}\`: ${[doctorList?.operationId, doctorGet ? draft.get.operationId : undefined].filter(Boolean).join(', then ')} (src/conformance.ts).\n  conformance: {\n    flags: /* @__PURE__ */ cliFlags({\n${doctorFlags.map((flag) => `    ${flagSource(flag)}`).join('\n')}\n    }),\n    load: () => import('./conformance.js'),\n  },`
      : '',
  conformanceExport:
    doctorReads.length > 0
      ? '\n    "./conformance": {\n      "types": "./dist/conformance.d.ts",\n      "default": "./dist/conformance.js"\n    },'
      : '',
  conformanceImports: [
    'defineConformance',
    ...(doctorUses.includes('firstItem(') ? ['firstItem'] : []),
    ...(doctorUses.includes('fromInput(') ? ['fromInput'] : []),
  ].join(', '),
  conformanceSdkImports: [
    ...new Set([
      ...(doctorList && listFn ? [listFn] : []),
      ...(doctorGet ? [sdkFunctionName(name, draft.get.operationId)] : []),
    ]),
  ]
    .sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }))
    .join(', '),
  conformanceRequired: js(doctorFlags.filter((flag) => flag.required).map((flag) => flag.field)),
  conformanceReads: doctorUses,
  doctorTest:
    doctorReads.length > 0
      ? `

  it("anyjob doctor's plan: every read sent as the spec says, answered and checked", async () => {
    const { checkConformance } = await import('../src/conformance.js');
    const settings = { apiKey: ${mockKey}, baseUrl: mockUrl('${name}'), env: {} };
    const report = await checkConformance(settings, ${js(doctorExample)});
    expect(report.checks.map((check) => check.operation)).toEqual(${js([doctorList?.operationId, doctorGet ? draft.get.operationId : undefined].filter(Boolean))});
    for (const check of report.checks) expect(check.status).toBeLessThan(300);
  });`
      : '',
  waitImport: drivable && waits ? "import { waitForRuns } from '@anyjob/core';\n" : '',
};

if (resolve(specSource) !== specTarget) copyFileSync(specSource, specTarget);
writeTemplates(packageDir, values);
// No read the doctor may call (the read is not a GET, and no list): no plan.
if (doctorReads.length === 0) rmSync(join(packageDir, 'src', 'conformance.ts'));
writeFileSync(
  join(repoRoot, '.changeset', `new-provider-${name}.md`),
  `---\n"@anyjob/${name}": minor\n---\n\nNew package: typed client for the ${title} and its anyjob provider, generated from specs/${name}.yaml.\n`,
);
console.log(
  `new-provider: specs/${name}.yaml, packages/${name} and .changeset/new-provider-${name}.md written`,
);

// --register: the one line that makes it a default provider of the facade (and so of the CLI).
const providersFile = join(repoRoot, 'packages', 'anyjob', 'src', 'providers.ts');
const facadeManifest = join(repoRoot, 'packages', 'anyjob', 'package.json');
if (args.register) {
  const source = readFileSync(providersFile, 'utf8');
  writeFileSync(providersFile, withRegistration(source, `export * from '@anyjob/${name}/provider';`));
  const manifest = JSON.parse(readFileSync(facadeManifest, 'utf8'));
  // Exact: the facade bundles the provider's descriptor, which must match the implementation it
  // loads (scripts/build-package.mjs, `anyjobBuild.inline`).
  manifest.dependencies[`@anyjob/${name}`] = 'workspace:*';
  manifest.dependencies = Object.fromEntries(
    Object.entries(manifest.dependencies).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(facadeManifest, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`new-provider: registered with the default providers (packages/anyjob/src/providers.ts)`);
}

const step = (label, command, commandArgs) => {
  console.log(`new-provider: ${label} (${command} ${commandArgs.join(' ')})`);
  execFileSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit' });
};
// A new workspace package must enter the lockfile, so the lockfile may not be frozen here: pnpm
// freezes it by default whenever CI is set, which would refuse exactly this install.
if (args.install) {
  step('linking the new package into the workspace', 'pnpm', [
    'install',
    '--no-frozen-lockfile',
    '--prefer-offline',
  ]);
}
step('generating the client', process.execPath, [join(repoRoot, 'scripts', 'generate.mjs'), name]);
// With --register, providers.ts too: Biome has the last word on the order of its lines.
step('formatting the package', join(repoRoot, 'node_modules', '.bin', 'biome'), [
  'check',
  '--write',
  '--vcs-enabled=false',
  `packages/${name}`,
  ...(args.register ? [relative(repoRoot, providersFile)] : []),
]);

// Only what no spec can say.
const untested = ops.filter((op) => op.missing.length > 0);
const todo = [
  ...draft.notes,
  ...(env.origin === 'convention'
    ? [
        `the env var names ${env.apiKey} and ${env.baseUrl} follow anyjob's <PROVIDER>_API_KEY convention; use ${display}'s own if it has them (src/provider.ts, or scaffold again with --key-env / --base-url-env)`,
      ]
    : []),
  ...(draft.idempotency
    ? []
    : [
        'how to find a run after a trigger whose answer was lost (a run list to search, in src/implementation.ts): the spec cannot say which runs are "the one just triggered"',
      ]),
  ...(waits
    ? []
    : [
        `${draft.get.operationId}'s first example is not a final run, so the scaffolded test does not wait for one: add a final example to the spec`,
      ]),
  ...untested.map(
    (op) =>
      `a contract test for ${op.id}: the spec gives no example for ${op.missing.join(', ')} (add one: test/spec-contract.test.ts and check:coverage need it too)`,
  ),
  ...(args.register
    ? []
    : [
        `register it with the default providers: \`pnpm new-provider ${name} --spec specs/${name}.yaml --register\` in a fresh package, or add \`export * from '@anyjob/${name}/provider';\` to packages/anyjob/src/providers.ts and the dependency to packages/anyjob/package.json`,
      ]),
];
console.log(`
Done. packages/${name} is a runnable anyjob provider: trigger = ${draft.trigger.operationId}, read = ${draft.get.operationId}, cancel = ${draft.cancel?.operationId ?? 'none'}; ${tested.length} contract test(s) against Prism. Run \`pnpm test\`.

Left to do by hand (what the spec cannot say):
${todo.map((item, index) => `  ${index + 1}. ${item}`).join('\n')}
${
  draft.guesses.length > 0
    ? `Drafted by guess, worth a look (src/provider.ts): ${draft.guesses.map((key) => `"${key.toLowerCase()}" → failed`).join(', ')}\n`
    : ''
}
Try it: anyjob trigger ${name} ${cliArgs.map(shellQuote).join(' ')} --wait
Then \`pnpm api-report\` and commit specs/${name}.yaml, packages/${name}, etc/api/${name}.api.md and the changeset.
`);
console.log(`(scaffolded in ${relative(process.cwd(), packageDir) || '.'})`);
