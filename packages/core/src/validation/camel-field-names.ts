// Where a provider's friendly request is its wire request in camelCase (`agentId` for `agent_id`),
// the table that renames the spec validator's paths is derived from the wire names, not written out.
import type { FieldNames } from './facade-names.js';

/** `agent_id` → `agentId`, and a flag's `idempotency-key` → `idempotencyKey`. */
export const camelCase = (name: string) =>
  name.replace(/[-_]([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** `[part.wire, camelCase(wire)]` for each wire name in each request part (`body.agent_id` → `agentId`). */
export const camelFieldNames = (parts: readonly string[], wireNames: readonly string[]): FieldNames =>
  wireNames.flatMap((wire) => parts.map((part) => [`${part}.${wire}`, camelCase(wire)] as const));
