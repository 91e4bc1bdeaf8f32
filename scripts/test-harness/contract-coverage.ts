// A v2 provider contract (status, pagination, run id type, idempotency, trigger answer) against
// the provider's spec: every field, parameter and answer the contract names must be in the spec
// as the contract says, so a descriptor cannot drift from the API it describes.
import { describe, expect, it } from 'vitest';
import type { ProviderContract } from '../../packages/core/src/job/contract-v2.js';
import { statusFields } from '../../packages/core/src/job/run-status.js';
import { listOperations, loadSpec, resolveRef } from '../lib/openapi.mjs';
import { schemaAt, successSchema } from '../lib/provider-draft.mjs';

/** The operations the contract is about, by operationId. */
export interface ContractOperations {
  trigger: string;
  /** Absent where runs cannot be read again: the status is then read from the trigger's answer. */
  get?: string;
  list?: string;
  /** Dotted path of the run in the get's answer; absent when the answer is the run. */
  runAt?: string;
}

type Spec = ReturnType<typeof loadSpec>;
type Schema = Record<string, unknown> & {
  type?: unknown;
  allOf?: unknown[];
  maxLength?: number;
  maximum?: number;
};

/** A schema's own facts, looking through allOf (a `$ref` with a description beside it). */
function facts(spec: Spec, raw: unknown): Schema {
  const schema = resolveRef(spec, raw) as Schema | undefined;
  if (!schema || typeof schema !== 'object') return {};
  const merged: Schema = { ...schema };
  for (const branch of schema.allOf ?? []) Object.assign(merged, facts(spec, branch), schema);
  return merged;
}

/** A schema's type; a nullable one (`type: [array, 'null']`, OpenAPI 3.1) by its non-null type. */
function typeOf(spec: Spec, raw: unknown): unknown {
  const { type } = facts(spec, raw);
  const types = Array.isArray(type) ? type.filter((t) => t !== 'null') : [type];
  return types.length === 1 ? types[0] : type;
}

/** Every way the contract differs from the spec, in words; empty when they agree. */
export function contractIssues(spec: Spec, contract: ProviderContract, ops: ContractOperations): string[] {
  const issues: string[] = [];
  const entries = listOperations(spec);
  const entry = (id: string) => {
    const found = entries.find((e) => e.operation.operationId === id);
    if (!found) issues.push(`no operation ${id} in the spec`);
    return found;
  };
  const statusFrom = ops.get ?? ops.trigger;
  const get = entry(statusFrom);
  if (get) {
    const at = ops.get && ops.runAt ? `${ops.runAt}.` : '';
    for (const field of statusFields(contract.status)) {
      if (!schemaAt(spec, successSchema(spec, get), `${at}${field}`))
        issues.push(`status: ${statusFrom}'s answer has no ${field}`);
    }
  }
  const trigger = entry(ops.trigger);
  if (trigger) {
    const answer = contract.triggerAnswer;
    const success = successSchema(spec, trigger);
    if (
      (answer.kind === 'id' || (answer.kind === 'run' && answer.field)) &&
      'field' in answer &&
      answer.field
    ) {
      const field = schemaAt(spec, success, answer.field);
      if (!field) issues.push(`triggerAnswer: ${ops.trigger}'s answer has no ${answer.field}`);
      else if (answer.kind === 'id' && typeOf(spec, field) !== contract.runId) {
        issues.push(
          `runId: ${ops.trigger}'s ${answer.field} is ${String(typeOf(spec, field))}, the contract says ${contract.runId}`,
        );
      }
    }
    if (
      answer.kind === 'none' &&
      !Object.keys(trigger.responses).some((status) => status === '202' || status === '204')
    ) {
      issues.push(`triggerAnswer: ${ops.trigger} documents no 202 or 204 answer`);
    }
    if (answer.kind === 'location') {
      const documented = Object.entries(trigger.responses).some(
        ([status, raw]) =>
          /^2/.test(status) &&
          Object.keys((resolveRef(spec, raw) as { headers?: object })?.headers ?? {}).some(
            (h) => h.toLowerCase() === 'location',
          ),
      );
      if (!documented)
        issues.push(`triggerAnswer: no 2xx answer of ${ops.trigger} documents a Location header`);
    }
    const key = contract.idempotency;
    if (key?.in === 'body') {
      const body = (trigger.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)
        ?.content?.['application/json']?.schema;
      const field = schemaAt(spec, body, key.name);
      if (!field) issues.push(`idempotency: ${ops.trigger}'s body has no ${key.name}`);
      const max = field ? facts(spec, field).maxLength : undefined;
      if (max !== undefined && key.maxLength !== max)
        issues.push(`idempotency: maxLength ${key.maxLength} where the spec says ${max}`);
    } else if (key?.in === 'header') {
      const found = trigger.parameters.some(
        (p: { in: string; name: string }) =>
          p.in === 'header' && p.name.toLowerCase() === key.name.toLowerCase(),
      );
      if (!found) issues.push(`idempotency: ${ops.trigger} has no header ${key.name}`);
    }
  }
  const pages = contract.pagination;
  if (pages) {
    const list = ops.list ? entry(ops.list) : undefined;
    if (!ops.list) issues.push('pagination: no list operation named');
    if (list) {
      const query = new Map(
        list.parameters
          .filter((p: { in: string }) => p.in === 'query')
          .map((p: { name: string; schema?: unknown }) => [p.name, p]),
      );
      const named = [
        pages.sizeParam,
        pages.style === 'page'
          ? pages.pageParam
          : pages.style === 'offset'
            ? pages.offsetParam
            : pages.style === 'token'
              ? pages.tokenParam
              : undefined,
      ];
      for (const name of named)
        if (name && !query.has(name)) issues.push(`pagination: ${ops.list} has no query parameter ${name}`);
      const maximum = pages.sizeParam
        ? facts(spec, (query.get(pages.sizeParam) as { schema?: unknown })?.schema).maximum
        : undefined;
      if (maximum !== undefined && pages.maxPageSize !== maximum)
        issues.push(`pagination: maxPageSize ${pages.maxPageSize} where the spec says ${maximum}`);
      const success = successSchema(spec, list);
      const items = pages.items === '' ? success : schemaAt(spec, success, pages.items);
      if (typeOf(spec, items) !== 'array')
        issues.push(`pagination: ${ops.list}'s answer has no array at ${pages.items || 'the top'}`);
      const other =
        pages.style === 'token'
          ? pages.nextToken
          : pages.style === 'offset'
            ? pages.total
            : pages.style === 'page'
              ? pages.totalPages
              : undefined;
      if (other && !schemaAt(spec, success, other))
        issues.push(`pagination: ${ops.list}'s answer has no ${other}`);
    }
  }
  return issues;
}

export function describeContractCoverage(
  name: string,
  specPath: string,
  contract: ProviderContract,
  ops: ContractOperations,
): void {
  describe(`${name} contract against ${specPath}`, () => {
    it('names only fields, parameters and answers the spec documents, typed as the contract says', () => {
      expect(contractIssues(loadSpec(specPath), contract, ops)).toEqual([]);
    });
  });
}
