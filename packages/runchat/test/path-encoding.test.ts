// An id is one path segment whatever it contains: `/`, `..`, `?`, `#`, spaces and non-ASCII are
// percent-encoded, so the request reaches the operation it was made for and never another path.
import { describe, expect, it } from 'vitest';
import { MOCK_API_KEY, mockUrl } from '#test-harness';
import { createRunchatClient, runchatGetFlowSchema, runchatTriggerJob } from '../src/index.js';

// `../<flow>/schema` is the dangerous one: unencoded, /job/../f9Xk2Lq7Vb3N/schema resolves to
// GET /f9Xk2Lq7Vb3N/schema, which is getFlowSchema.
const AWKWARD_IDS = [
  '../f9Xk2Lq7Vb3N/schema',
  'a/b',
  'a..b',
  'job?runchat_id=x',
  'job#fragment',
  'job with spaces',
  'jöb-ünïcødé-作业',
  '%2e%2e',
];

describe('ids are percent-encoded into one path segment', () => {
  const client = createRunchatClient({
    apiKey: MOCK_API_KEY,
    baseUrl: mockUrl('runchat'),
    validateResponses: true,
  });

  for (const id of AWKWARD_IDS) {
    it(`triggerJob(${JSON.stringify(id)}) reaches GET /job/{runchat_job_id}`, async () => {
      // validateResponses: a getFlowSchema body (no `data`/`messages`) would fail triggerJob's schema.
      const { data, request, response } = await runchatTriggerJob({ client, path: { runchat_job_id: id } });
      const { pathname, search, hash } = new URL(request.url);
      expect(pathname).toBe(`/job/${encodeURIComponent(id)}`);
      expect(search + hash).toBe('');
      expect(response.status).toBe(200);
      expect(data && ('data' in data || 'messages' in data)).toBe(true);
    });
  }

  it('getFlowSchema keeps a slash inside the flow id', async () => {
    const { request, response } = await runchatGetFlowSchema({ client, path: { runchat_id: 'job/x' } });
    expect(new URL(request.url).pathname).toBe('/job%2Fx/schema');
    expect(response.status).toBe(200);
  });
});
