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
