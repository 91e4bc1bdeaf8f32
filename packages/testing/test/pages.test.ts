// Each fake's run list takes the page sizes its provider's contract allows (`maxPageSize`) and
// refuses one more, so the fakes page as the clients expect and cannot keep a copied limit.
import { defaultProviders } from 'anyjob';
import { describe, expect, it } from 'vitest';
import { createFakeProviders } from '../src/index.js';

/** A list request of each provider with a run list, the page size left to add. */
const LISTS: Record<string, { path: string; query: Record<string, string> }> = {
  truefoundry: { path: '/api/svc/v1/jobs/app-1/runs', query: {} },
  kognitos: { path: '/runs', query: { agent_id: 'agent-1', process_id: 'process-1' } },
  github: { path: '/repos/acme/etl/actions/workflows/nightly.yml/runs', query: {} },
  databricks: { path: '/api/2.2/jobs/runs/list', query: {} },
};

describe('the fakes page by their contract', async () => {
  const fake = await createFakeProviders();
  const paged = defaultProviders.filter((provider) => provider.contract?.pagination?.maxPageSize);

  it('every provider whose contract has a maximum page size is covered', () => {
    expect(paged.map((provider) => provider.name).sort()).toEqual(Object.keys(LISTS).sort());
  });

  it.each(paged.map((provider) => [provider.name, provider] as const))(
    '%s: a page of maxPageSize is answered, one more is refused',
    async (name, provider) => {
      const pages = provider.contract?.pagination;
      const list = LISTS[name];
      if (!pages?.sizeParam || !pages.maxPageSize || !list) throw new Error(`${name}: no list to page`);
      const statusFor = async (size: number) => {
        const url = new URL(`${fake.baseUrl(name)}${list.path}`);
        for (const [key, value] of Object.entries({ ...list.query, [pages.sizeParam as string]: size }))
          url.searchParams.set(key, String(value));
        const answer = await fake.fetch(url, {
          headers: { authorization: `Bearer ${fake.apiKey(name)}`, 'x-api-key': fake.apiKey(name) },
        });
        return answer.status;
      };
      expect(await statusFor(pages.maxPageSize)).toBe(200);
      expect(await statusFor(pages.maxPageSize + 1)).toBeGreaterThanOrEqual(400);
    },
  );
});
