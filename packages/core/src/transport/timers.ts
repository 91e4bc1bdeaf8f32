import { AbortError, InvalidRequestError, type ValidationIssue } from '../errors/index.js';

/**
 * The longest delay setTimeout honours: 2^31−1 ms (~24.8 days). Node fires a longer one, and
 * Infinity, after 1 ms, so every timer here is clamped to it ("no limit" in practice).
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Throws InvalidRequestError, before any request, unless each named option is a number ≥ 0 or absent. */
export function checkDurations(options: object, names: readonly string[]): void {
  const issues: ValidationIssue[] = [];
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined || (typeof value === 'number' && value >= 0)) continue;
    issues.push({
      path: name,
      rule: 'type',
      message: `\`${name}\` must be a number of milliseconds ≥ 0 (Infinity for no limit).`,
    });
  }
  if (issues.length > 0) {
    throw new InvalidRequestError(issues.map((issue) => issue.message).join(' '), { issues });
  }
}

/** Waits `ms`, or rejects with AbortError as soon as `signal` aborts (also when it already has). */
export function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError(undefined, { cause: signal.reason }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError(undefined, { cause: signal?.reason }));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
