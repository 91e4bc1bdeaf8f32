// truefoundryListJobRunsAll against Prism: it follows offset pagination to `pagination.total`,
// page by page and only as far as it is read. Prism answers each page with the named example the
// test asks for (`Prefer: example=…`), chosen from the offset the iterator sent.

import { NotFoundError } from '@anyjob/core';
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl, preferExampleFetch } from '#test-harness';
import { createTrueFoundryClient, truefoundryListJobRunsAll } from '../src/index.js';

const APP = 'cm8k2x1a00001abcd1234efgh';

function client(exampleFor: (url: URL) => string, seen: URL[] = []) {
  return createTrueFoundryClient({
    apiKey: MOCK_API_KEY,
    baseUrl: mockUrl('truefoundry'),
    fetch: preferExampleFetch(exampleFor, seen),
  });
}

const pageByOffset = (url: URL) => (url.searchParams.get('offset') === '0' ? 'firstPage' : 'lastPage');

describe('truefoundryListJobRunsAll', () => {
  it('reads every page: offset 0, then offset 2, stopping at pagination.total', async () => {
    const seen: URL[] = [];
    const names: string[] = [];
    for await (const run of truefoundryListJobRunsAll(
      { client: client(pageByOffset, seen), path: { jobId: APP } },
      { pageSize: 2 },
    )) {
      names.push(run.name);
    }
    expect(names).toEqual(['my-training-job-9q2ws', 'my-training-job-8h3kd', 'my-training-job-4f8z2']);
    expect(seen.map((url) => [url.searchParams.get('offset'), url.searchParams.get('limit')])).toEqual([
      ['0', '2'],
      ['2', '2'],
    ]);
  });

  it('is lazy: a consumer that stops early reads one page', async () => {
    const seen: URL[] = [];
    for await (const _ of truefoundryListJobRunsAll(
      { client: client(pageByOffset, seen), path: { jobId: APP } },
      { pageSize: 2 },
    )) {
      break;
    }
    expect(seen).toHaveLength(1);
  });

  it('stops after `limit` runs, asking for no more than it needs', async () => {
    const seen: URL[] = [];
    const runs = [];
    for await (const run of truefoundryListJobRunsAll(
      { client: client(pageByOffset, seen), path: { jobId: APP } },
      { limit: 1 },
    )) {
      runs.push(run);
    }
    expect(runs).toHaveLength(1);
    expect(seen.map((url) => url.searchParams.get('limit'))).toEqual(['1']);
  });

  it('an empty list yields nothing after one request', async () => {
    const seen: URL[] = [];
    const runs = [];
    for await (const run of truefoundryListJobRunsAll({
      client: client(() => 'empty', seen),
      path: { jobId: APP },
    })) {
      runs.push(run);
    }
    expect(runs).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('an error answer throws the typed error', async () => {
    const iterate = async () => {
      for await (const _ of truefoundryListJobRunsAll({
        client: createTrueFoundryClient({
          apiKey: MOCK_API_KEY,
          baseUrl: mockUrl('truefoundry'),
          headers: { Prefer: 'code=404' },
        }),
        path: { jobId: APP },
      })) {
        // nothing
      }
    };
    await expect(iterate()).rejects.toSatisfy(NotFoundError.isInstance);
  });
});
