// Runs in every test worker. Prism reports where a request or response breaks the spec in the
// `sl-violations` header; this setup file watches every response (it passes each request through
// unchanged) and fails the current test when one carries a violation the test did not declare.
// Response violations are never allowed: they mean the spec's own examples or schemas disagree.
import { afterEach, beforeEach } from 'vitest';

interface Violation {
  location?: string[];
  code?: string | number;
  message?: string;
  severity?: string;
}

interface Seen {
  method: string;
  url: string;
  status: number;
  violations: Violation[];
}

let seen: Seen[] = [];
let requestViolationsExpected = false;

/** Declares that the current test deliberately sends a request that breaks the spec. */
export function expectRequestViolations(): void {
  requestViolationsExpected = true;
}

/** The violations Prism reported during the current test (for tests asserting on them). */
export function prismViolations(): readonly Seen[] {
  return seen;
}

const passThrough = globalThis.fetch;
globalThis.fetch = async function fetchWatchingPrism(input, init) {
  const response = await passThrough(input, init);
  const header = response.headers.get('sl-violations');
  if (header) {
    const request = input instanceof Request ? input : undefined;
    let violations: Violation[];
    try {
      violations = JSON.parse(header) as Violation[];
    } catch {
      violations = [{ message: header }];
    }
    seen.push({
      method: init?.method ?? request?.method ?? 'GET',
      url: request?.url ?? String(input),
      status: response.status,
      violations,
    });
  }
  return response;
};

beforeEach(() => {
  seen = [];
  requestViolationsExpected = false;
});

afterEach(() => {
  const unexpected = seen.flatMap((entry) =>
    entry.violations
      .filter((v) => !(requestViolationsExpected && v.location?.[0] === 'request'))
      .map(
        (v) =>
          `${entry.method} ${entry.url} → ${entry.status}: ${v.location?.join('.') ?? '?'} ${v.message ?? ''}`,
      ),
  );
  if (unexpected.length > 0) {
    throw new Error(`Prism reported spec violations (sl-violations):\n  ${unexpected.join('\n  ')}`);
  }
});
