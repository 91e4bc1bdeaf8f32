// kognitosListRunsAll / kognitosListProcessesAll against Prism: they follow continuation tokens
// until one is null, page by page. Prism answers each page with the named example the test asks
// for (`Prefer: example=…`), chosen from whether the iterator sent a token.
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl, preferExampleFetch } from '#test-harness';
import { createKognitosClient, kognitosListProcessesAll, kognitosListRunsAll } from '../src/index.js';

const AGENT = 'b4fznghynbdemslfd5k044fgd';
const PROCESS = 'b4fznghynbdemslfd5k044fgd';

function client(exampleFor: (url: URL) => string, seen: URL[] = []) {
  return createKognitosClient({
    apiKey: MOCK_API_KEY,
    baseUrl: mockUrl('kognitos'),
    fetch: preferExampleFetch(exampleFor, seen),
  });
}

describe('kognitosListRunsAll', () => {
  it('follows the continuation token to the last page (token null)', async () => {
    const seen: URL[] = [];
    const byToken = (url: URL) => (url.searchParams.has('continuation_token') ? 'lastPage' : 'firstPage');
    const ids: string[] = [];
    for await (const run of kognitosListRunsAll(
      { client: client(byToken, seen), query: { agent_id: AGENT, process_id: PROCESS } },
      { pageSize: 1 },
    )) {
      ids.push(run.id);
    }
    expect(ids).toEqual(['9uvw53efr4edt2sywb3wkh5dn', 'sipzz5fk2z9ri19r0wyojfljo']);
    expect(seen.map((url) => url.searchParams.get('continuation_token'))).toEqual([null, 'eyJvZmZzZXQiOjF9']);
    expect(seen.every((url) => url.searchParams.get('limit') === '1')).toBe(true);
  });

  it('an empty page ends the list', async () => {
    const runs = [];
    for await (const run of kognitosListRunsAll({
      client: client(() => 'empty'),
      query: { agent_id: AGENT, process_id: PROCESS },
    })) {
      runs.push(run);
    }
    expect(runs).toEqual([]);
  });
});

describe('kognitosListProcessesAll', () => {
  it('follows the continuation token across pages of processes', async () => {
    const seen: URL[] = [];
    const byToken = (url: URL) => (url.searchParams.has('continuation_token') ? 'lastPage' : 'firstPage');
    const processes = [];
    for await (const process of kognitosListProcessesAll({
      client: client(byToken, seen),
      query: { agent_id: AGENT },
    })) {
      processes.push(process);
    }
    expect(seen).toHaveLength(2);
    expect(processes.length).toBeGreaterThan(1);
  });
});
