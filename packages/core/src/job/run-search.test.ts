import { describe, expect, it } from 'vitest';
import type { Page } from './list.js';
import { scanRuns, skewedWindow } from './run-search.js';

interface Run {
  id: string;
  at?: number;
}

function pagesOf(pages: Run[][], read: number[]): AsyncIterable<Page<Run>> {
  return {
    async *[Symbol.asyncIterator]() {
      for (const [index, items] of pages.entries()) {
        read.push(index);
        yield { items, next: undefined };
      }
    },
  };
}

const window = skewedWindow({ sentAt: 10_000, endedAt: 11_000 }, 1_000);

describe('skewedWindow', () => {
  it('widens the window by the skew on both sides and says it in ISO time', () => {
    expect(window).toEqual({
      from: 9_000,
      to: 12_000,
      text: '1970-01-01T00:00:09.000Z and 1970-01-01T00:00:12.000Z',
    });
  });
});

describe('scanRuns', () => {
  const pages = [
    [{ id: 'late', at: 13_000 }, { id: 'in', at: 10_500 }, { id: 'untimed' }, { id: 'other', at: 10_600 }],
    [
      { id: 'old', at: 8_000 },
      { id: 'edge', at: 9_000 },
    ],
    [{ id: 'never read', at: 10_000 }],
  ];
  const matches = (run: Run) => run.id !== 'other';

  it('keeps the matching runs in the window, untimed ones too, reading every page', async () => {
    const read: number[] = [];
    const found = await scanRuns(pagesOf(pages, read), { window, createdAtMs: (run) => run.at, matches });
    expect(found.map((run) => run.id)).toEqual(['in', 'untimed', 'edge', 'never read']);
    expect(read).toEqual([0, 1, 2]);
  });

  it('newest first: stops after the page that reaches older runs; requireTime skips untimed runs', async () => {
    const read: number[] = [];
    const found = await scanRuns(pagesOf(pages, read), {
      window,
      createdAtMs: (run) => run.at,
      matches,
      requireTime: true,
      newestFirst: true,
    });
    expect(found.map((run) => run.id)).toEqual(['in', 'edge']);
    expect(read).toEqual([0, 1]);
  });
});
