// Example requests for any registered provider, derived from its descriptor's CLI data, so tests
// and the demo cover every provider of the registry without naming one. Plain JavaScript: the demo
// (node, no TypeScript) and vitest both import it. (scripts/runtimes/scenario/fake.mjs keeps a
// copy of exampleTriggerRequest: runtimes/run.mjs copies that directory alone into a scratch project.)

/**
 * The flags a usage line requires: those outside `[…]`, and of an alternative `(a | b)` the
 * first.
 * @param {string} usage
 * @returns {string[]} flag names without dashes
 */
function requiredFlags(usage) {
  const flags = usage
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\(([^|)]*)\|[^)]*\)/g, '$1')
    .match(/--[a-z][a-z-]*/g);
  return (flags ?? []).map((flag) => flag.slice(2));
}

/**
 * A valid trigger request for the provider: each field its first CLI usage line requires, set to
 * `<flag>-<suffix>` (digits for an integer id; a placeholder that is a literal shape, like
 * `owner/name`, as it is, with the suffix after a `-` where it is given). `tag`, where given, goes
 * into the request's first key=value field (`inputs`, `params`, …), so calls of one job can be told
 * apart in a fake's request log.
 *
 * @param {{ name: string, cli: { usage: readonly string[], flags: readonly { name: string, kind: string, field?: string, value?: string }[] } }} descriptor
 * @param {{ suffix?: string | number, tag?: string }} [options]
 * @returns {{ provider: string } & Record<string, unknown>}
 */
export function exampleTriggerRequest(descriptor, options = {}) {
  const suffix = options.suffix ?? 1;
  /** @type {{ provider: string } & Record<string, unknown>} */
  const request = { provider: descriptor.name };
  for (const name of requiredFlags(descriptor.cli.usage[0] ?? '')) {
    const flag = descriptor.cli.flags.find((f) => f.name === name);
    if (!flag?.field) continue;
    // A placeholder that is no `<…>` and no choice is the value's shape itself (`owner/name`).
    const literal = flag.value && !/[<>|]/.test(flag.value) ? flag.value : undefined;
    if (flag.kind === 'string')
      request[flag.field] = literal
        ? options.suffix === undefined
          ? literal
          : `${literal}-${suffix}`
        : `${name}-${suffix}`;
    else if (flag.kind === 'integer') request[flag.field] = digitsOf(suffix);
    else if (flag.kind === 'number') request[flag.field] = 1;
  }
  if (options.tag !== undefined) {
    const pairs = descriptor.cli.flags.find((f) => f.kind === 'pairs' && f.field && !(f.field in request));
    if (!pairs?.field) throw new Error(`${descriptor.name}'s CLI has no key=value flag to carry a tag`);
    request[pairs.field] = { call: options.tag };
  }
  return request;
}

/**
 * A positive integer id, as digits, for a suffix: itself when it is digits, else a stable hash of
 * it (a run's job differs per suffix).
 * @param {string | number} suffix
 */
function digitsOf(suffix) {
  const text = String(suffix);
  if (/^[1-9][0-9]*$/.test(text)) return text;
  let hash = 7;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return String(hash + 1);
}

/**
 * The same request as CLI arguments for `anyjob trigger <name>`: `--flag value` for each field
 * set (key=value fields as repeated `--flag key=value`).
 * @param {{ name: string, cli: { flags: readonly { name: string, kind: string, field?: string }[] } }} descriptor
 * @param {Record<string, unknown>} request
 * @returns {string[]}
 */
export function triggerArgs(descriptor, request) {
  /** @type {string[]} */
  const args = [];
  for (const [field, value] of Object.entries(request)) {
    if (field === 'provider') continue;
    const flag = descriptor.cli.flags.find((f) => f.field === field);
    if (!flag) throw new Error(`${descriptor.name} has no CLI flag for the field "${field}"`);
    if (flag.kind === 'pairs' && value && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) args.push(`--${flag.name}`, `${key}=${String(item)}`);
    else args.push(`--${flag.name}`, String(value));
  }
  return args;
}

/**
 * What the ledger tests expect of a provider's trigger, from its descriptor and its fake: the
 * operation (the first request one example trigger sends to a fresh `fake`, which it resets
 * after), whether the provider deduplicates by an idempotency key (the contract's `idempotency`:
 * a retried trigger is safe and a lost answer is found by its key), and whether the run carries
 * proof of the trigger (`prepareTrigger` fills in a `proof`; a run found with it is returned,
 * else it is only a candidate).
 *
 * @param {{ name: string, contract?: { idempotency?: unknown }, create: (settings: Record<string, unknown>) => { triggerJob: (request: any) => Promise<unknown>, prepareTrigger?: (request: any) => Promise<{ proof?: Record<string, string> }> } }} descriptor
 * @param {Record<string, unknown>} request
 * @param {{ fetch: typeof fetch, apiKey: (name: string) => string, baseUrl: (name: string) => string, requests: (filter?: { provider?: string }) => { operation?: string }[], reset: () => void }} fake
 */
export async function triggerContractOf(descriptor, request, fake) {
  const provider = descriptor.create({
    apiKey: fake.apiKey(descriptor.name),
    baseUrl: fake.baseUrl(descriptor.name),
    fetch: fake.fetch,
    env: {},
  });
  fake.reset();
  await provider.triggerJob(request);
  const operation = fake.requests({ provider: descriptor.name })[0]?.operation;
  fake.reset();
  if (!operation) throw new Error(`${descriptor.name}: the example trigger sent nothing`);
  const prepared = await provider.prepareTrigger?.(request);
  return {
    operation,
    idempotent: descriptor.contract?.idempotency !== undefined,
    proves: Object.keys(prepared?.proof ?? {}).length > 0,
  };
}

/**
 * Arguments giving each id flag of a list (`anyjob doctor <name>`'s, `anyjob list <name>`'s) an
 * example value, as exampleTriggerRequest does for a trigger's required flags.
 * @param {readonly { name: string, kind: string, field?: string, value?: string }[]} flags
 * @returns {string[]}
 */
export function exampleFlagArgs(flags) {
  return flags.flatMap((flag) => {
    const literal = flag.value && !/[<>|]/.test(flag.value) ? flag.value : undefined;
    if (flag.kind === 'string') return [`--${flag.name}`, literal ?? `${flag.name}-1`];
    if (flag.kind === 'integer') return [`--${flag.name}`, '1'];
    return [];
  });
}
