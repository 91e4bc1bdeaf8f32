// Politeness towards each provider, shared by everything in the process that waits on runs: a
// request budget per provider (a token bucket) and a shared pause when the provider answers 429.
// One place for it, so a thousand waits on one provider slow down together instead of each
// retrying on its own.
//
// Budgets are set per provider name; each API origin of a provider (two TrueFoundry tenants are
// two APIs) gets its own bucket at that rate and its own pause. Where the bucket and the pause
// are kept is a RateBudget (rate-budget.ts): this process's memory unless a provider's waits were
// given another (`rateBudget`, e.g. one in Redis shared by every worker on the account).
import { createLocalRateBudget, type RateBudget, rateBudgetKey } from './rate-budget.js';

/** Longest shared pause a 429 can impose (a Retry-After of hours is not taken at its word). */
const MAX_PAUSE_MS = 5 * 60_000;
const budgets = new Map<string, number>();
/** The process's own buckets and pauses: the default RateBudget of every provider. */
const processBudget = createLocalRateBudget();
/** Providers whose budget and pause are kept elsewhere. */
const sharedBudgets = new Map<string, RateBudget>();

/**
 * Sets the request budget of `provider`'s waits for the whole process (the latest setting wins);
 * `undefined` or Infinity removes it.
 */
export function setRequestBudget(provider: string, requestsPerMinute: number | undefined): void {
  if (requestsPerMinute === undefined || !Number.isFinite(requestsPerMinute)) budgets.delete(provider);
  else budgets.set(provider, Math.max(1, requestsPerMinute));
}

/** The budget in force for `provider`, if any. */
export function requestBudget(provider: string): number | undefined {
  return budgets.get(provider);
}

/**
 * Keeps `provider`'s budget and 429 pause in `budget` for the whole process (the latest setting
 * wins); `undefined` goes back to this process's memory.
 */
export function setRateBudget(provider: string, budget: RateBudget | undefined): void {
  if (budget === undefined) sharedBudgets.delete(provider);
  else sharedBudgets.set(provider, budget);
}

/** Pauses every wait's requests to `provider` at `origin` for `ms` (a 429, with its Retry-After). */
export function pauseProvider(provider: string, origin: string, ms: number): void {
  const key = rateBudgetKey(provider, origin);
  const capped = Math.min(ms, MAX_PAUSE_MS);
  // This process pauses whatever becomes of the shared pause: a store that cannot be reached
  // then costs the other processes the pause (they may see a 429 of their own), never this one.
  void processBudget.pause(key, capped);
  const shared = sharedBudgets.get(provider);
  if (shared)
    void Promise.resolve(shared)
      .then((budget) => budget.pause(key, capped))
      .catch(() => {});
}

/** Resolves when a wait's request to `provider` at `origin` may go out: after any pause, within the budget. */
export async function acquireRequest(provider: string, origin: string, signal?: AbortSignal): Promise<void> {
  const key = rateBudgetKey(provider, origin);
  const requestsPerMinute = budgets.get(provider);
  const shared = sharedBudgets.get(provider);
  if (shared === undefined) return processBudget.take(key, { requestsPerMinute, signal });
  await processBudget.take(key, { requestsPerMinute: undefined, signal });
  await shared.take(key, { requestsPerMinute, signal });
}
