// The live conformance runner: calls a provider's read operations in the order its plan says,
// through the provider's normal client (so anyjob's transport: timeouts, retries of reads, redirect
// and size limits, redaction), and checks each answer against the spec's generated schemas.
//
// Read-only by construction, three times over: a plan can only name operations of the generated
// conformance table, which holds the spec's reads alone; every step must send exactly one request,
// to its own operation; and the client's fetch refuses any request that is not one of those reads
// (method and path), so even a plan that called a trigger's SDK function would send nothing.

import { InvalidRequestError, type ValidationIssue } from '../errors/index.js';
import type { Client } from '../fetch-client/index.js';
import { transportOf } from '../transport/provider-client.js';
import { Redactor } from '../transport/redact.js';
import { type ConformanceOperation, checkAnswer } from './check.js';
import type { ConformanceCheck, ConformanceFinding, ConformanceReport } from './report.js';

/** What a generated SDK function resolves with (without `throwOnError`). */
export interface SdkAnswer {
  data?: unknown;
  error?: unknown;
  response?: Response;
}

export interface ConformanceStepContext<Input> {
  /** The fields the `anyjob doctor` flags set. */
  input: Input;
  /** The bodies of the earlier steps' 2xx answers, by operation. */
  answers: Readonly<Record<string, unknown>>;
  /** Spread into the SDK call: the client and the abort signal. */
  sdk: { client: Client; signal?: AbortSignal };
}

export interface ConformanceStep<Input, Operation extends string = string> {
  readonly operation: Operation;
  /** Calls the operation's SDK function, or says why it cannot be called (e.g. an empty list before it). */
  call(context: ConformanceStepContext<Input>): Promise<SdkAnswer> | string;
}

export interface ConformancePlan<Input, Operation extends string = string> {
  provider: string;
  /** The spec the schemas come from, for the report (`specs/kognitos.yaml`). */
  spec: string;
  /** The generated conformance table: the spec's read operations and their answers' schemas. */
  operations: Readonly<Record<Operation, ConformanceOperation>>;
  steps: readonly ConformanceStep<Input, Operation>[];
}

export interface RunConformanceOptions<Input, Operation extends string = string> {
  plan: ConformancePlan<Input, Operation>;
  input: Input;
  /** The base URL the client sends to (for the read-only guard's path match). */
  baseUrl: string;
  /** Creates the provider's client with this fetch (the read-only guard around the settings' fetch). */
  createClient(fetch: typeof globalThis.fetch): Client;
  /** The settings' fetch, if any; the guard sends through it. */
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Sent {
  operation: string | undefined;
  status?: number;
}

/** A fetch that sends only the read operations of `operations` to `baseUrl`, and records what it sent. */
function readOnlyFetch(
  baseUrl: string,
  operations: Readonly<Record<string, ConformanceOperation>>,
  inner: typeof globalThis.fetch | undefined,
) {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const routes = Object.entries(operations).map(([name, operation]) => ({
    name,
    method: operation.method.toUpperCase(),
    path: new RegExp(
      `^${escapeRegExp(prefix)}${operation.url
        .split(/\{[^}]*\}/)
        .map(escapeRegExp)
        .join('[^/]+')}$`,
    ),
  }));
  const sent: Sent[] = [];
  let refused: string | undefined;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const route =
      url.origin === base.origin
        ? routes.find((candidate) => candidate.method === method && candidate.path.test(url.pathname))
        : undefined;
    if (!route) {
      refused ??= `${method} ${url.origin}${url.pathname}`;
      throw new Error('anyjob doctor sends read operations of the spec only');
    }
    const entry: Sent = { operation: route.name };
    sent.push(entry);
    const response = await (inner ?? globalThis.fetch)(input, init);
    entry.status = response.status;
    return response;
  };
  return { fetch, sent, refused: () => refused };
}

/** Throws InvalidRequestError naming each `input` field the plan needs and did not get (a non-empty string). */
export function requireInput(
  provider: string,
  input: Record<string, unknown>,
  fields: readonly string[],
): void {
  const issues: ValidationIssue[] = fields
    .filter((field) => typeof input[field] !== 'string' || (input[field] as string).trim() === '')
    .map((field) => ({ path: field, rule: 'required', message: `\`${field}\` is required.` }));
  if (issues.length > 0) {
    throw new InvalidRequestError(
      `Invalid ${provider} checkConformance request: ${issues.map((issue) => issue.message).join(' ')}`,
      { provider, operation: 'checkConformance', issues },
    );
  }
}

/** Runs the plan and returns the report; the transport's errors (network, missing key) reject. */
export async function runConformance<Input, Operation extends string>(
  options: RunConformanceOptions<Input, Operation>,
): Promise<ConformanceReport> {
  const { plan, input, signal } = options;
  const operations = plan.operations as Readonly<Record<string, ConformanceOperation>>;
  const guard = readOnlyFetch(options.baseUrl, operations, options.fetch);
  const client = options.createClient(guard.fetch);
  const answers: Record<string, unknown> = {};
  const checks: ConformanceCheck[] = [];
  const findings: ConformanceFinding[] = [];
  // After an error answer (a refused key, an unknown id) the rest would most likely answer the
  // same: they are skipped, so a broken setup costs one request.
  let stoppedBy: string | undefined;

  for (const step of plan.steps) {
    const operation = operations[step.operation];
    if (!operation) {
      throw new Error(
        `${plan.provider} conformance plan: ${step.operation} is not a read operation of ${plan.spec}`,
      );
    }
    const route = { operation: step.operation, method: operation.method, url: operation.url };
    if (stoppedBy !== undefined) {
      checks.push({ ...route, findings: 0, skipped: `not called after ${stoppedBy}` });
      continue;
    }
    const before = guard.sent.length;
    const pending = step.call({ input, answers, sdk: { client, ...(signal ? { signal } : {}) } });
    if (typeof pending === 'string') {
      checks.push({ ...route, findings: 0, skipped: pending });
      continue;
    }
    let result: SdkAnswer | undefined;
    let invalidJson = false;
    try {
      result = await pending;
    } catch (error) {
      // The SDK's JSON.parse of a 2xx body that claimed to be JSON.
      if (!(error instanceof SyntaxError) || guard.refused() !== undefined) throw error;
      invalidJson = true;
    }
    const refused = guard.refused();
    if (refused !== undefined) {
      throw new Error(
        `${plan.provider} conformance plan: step ${step.operation} tried to send ${refused}, which is not a read operation of ${plan.spec}; nothing was sent.`,
      );
    }
    const mine = guard.sent.slice(before);
    if (mine.length === 0 || mine.some((sent) => sent.operation !== step.operation)) {
      throw new Error(
        `${plan.provider} conformance plan: step ${step.operation} sent ${mine.map((sent) => sent.operation).join(', ') || 'nothing'}`,
      );
    }
    // No response: the transport failed (connection, timeout, redirect to another origin, size
    // limit, missing key) and the SDK handed its typed error back instead of throwing it.
    if (result !== undefined && result.response === undefined) throw result.error;
    const response = result?.response;
    const status = response?.status ?? (mine.at(-1)?.status as number);
    const body = response?.ok ? result?.data : result?.error;
    const found = checkAnswer(step.operation, operation, {
      status,
      contentType: response ? response.headers.get('content-type') : 'application/json',
      body,
      invalidJson,
    });
    checks.push({ ...route, status, findings: found.length });
    findings.push(...found);
    if (response?.ok && !invalidJson) answers[step.operation] = body;
    if (status >= 400) stoppedBy = `${step.operation} answered ${status}`;
  }

  // Nothing the provider sent is quoted, but a key echoed as a field name would be: scrub them.
  const report: ConformanceReport = {
    provider: plan.provider,
    spec: plan.spec,
    conforms: findings.length === 0,
    checks,
    findings,
  };
  return new Redactor(transportOf(client).base.secrets ?? []).value(report);
}
