import { describe, expect, it } from 'vitest';
import { isSucceeded, isTerminal, isUnsuccessful, mapStatus } from './status.js';

describe('mapStatus', () => {
  const table = { finished: 'succeeded', running: 'running' } as const;

  it('maps case-insensitively through the provider table, and anything else to unknown', () => {
    expect(mapStatus(table, 'FINISHED')).toBe('succeeded');
    expect(mapStatus(table, 'Running')).toBe('running');
    expect(mapStatus(table, 'NEW_WORD')).toBe('unknown');
    expect(mapStatus(table, undefined)).toBe('unknown');
    expect(mapStatus(table, null)).toBe('unknown');
  });

  it('never finds Object.prototype properties', () => {
    expect(mapStatus(table, 'constructor')).toBe('unknown');
    expect(mapStatus(table, '__proto__')).toBe('unknown');
  });

  it('knows which statuses are final', () => {
    expect(['succeeded', 'failed', 'canceled', 'timed_out'].every((s) => isTerminal(s as never))).toBe(true);
    expect(['queued', 'running', 'unknown'].some((s) => isTerminal(s as never))).toBe(false);
    expect(isSucceeded('succeeded') && !isUnsuccessful('succeeded')).toBe(true);
    expect(isUnsuccessful('timed_out')).toBe(true);
  });
});
