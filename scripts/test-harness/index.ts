// What contract tests import: the mock URLs and the violation controls.
import { inject } from 'vitest';
import './provided-context.js';

export { expectRequestViolations, prismViolations } from './prism-violations.js';

/** Base URL of the Prism mock serving `specs/<provider>.yaml`. */
export function mockUrl(provider: string): string {
  const url = inject('mockUrls')[provider];
  if (!url) throw new Error(`No Prism mock for "${provider}"; is there a specs/${provider}.yaml?`);
  return url;
}

/** A syntactically valid credential for the mocks (Prism checks presence and scheme, not value). */
export const MOCK_API_KEY = 'test-key-not-a-secret';

/**
 * A `fetch` setting that asks Prism for the named example `exampleFor(url)` of each request's
 * answer (`Prefer: example=…`), recording every URL it sends in `seen`: how the pagination tests
 * make Prism answer page after page.
 */
export function preferExampleFetch(exampleFor: (url: URL) => string, seen: URL[] = []): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    seen.push(url);
    const headers = new Headers(init?.headers);
    headers.set('Prefer', `example=${exampleFor(url)}`);
    return fetch(input, { ...init, headers });
  };
}
