// The process-wide pace with a RateBudget kept elsewhere: a 429's pause reaches it, and this
// process pauses whatever becomes of it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireRequest, pauseProvider, setRateBudget } from './pacing.js';
import { createLocalRateBudget, type RateBudget, rateBudgetKey } from './rate-budget.js';

let names = 0;
afterEach(() => {
  vi.useRealTimers();
});

describe('a shared rate budget', () => {
  it('gets every 429 pause of its provider, at most five minutes, under the provider and origin', async () => {
    const provider = `paced-${++names}`;
    const pauses: [string, number][] = [];
    const shared: RateBudget = {
      ...createLocalRateBudget(),
      async pause(key, ms) {
        pauses.push([key, ms]);
      },
    };
    setRateBudget(provider, shared);
    try {
      pauseProvider(provider, 'https://a.example', 1_500);
      pauseProvider(provider, 'https://b.example', 3_600_000);
      await Promise.resolve();
      await Promise.resolve();
      expect(pauses).toEqual([
        [rateBudgetKey(provider, 'https://a.example'), 1_500],
        [rateBudgetKey(provider, 'https://b.example'), 300_000],
      ]);
    } finally {
      setRateBudget(provider, undefined);
    }
  });

  it('this process still pauses when the shared budget cannot record the pause', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const provider = `paced-${++names}`;
    const shared: RateBudget = {
      take: async () => {},
      pause: () => Promise.reject(new Error('unreachable')),
      pausedUntil: async () => 0,
    };
    setRateBudget(provider, shared);
    try {
      pauseProvider(provider, 'https://a.example', 1_000);
      let granted = false;
      const request = acquireRequest(provider, 'https://a.example').then(() => {
        granted = true;
      });
      await vi.advanceTimersByTimeAsync(900);
      expect(granted).toBe(false);
      await vi.advanceTimersByTimeAsync(200);
      await request;
      expect(granted).toBe(true);
    } finally {
      setRateBudget(provider, undefined);
    }
  });
});
