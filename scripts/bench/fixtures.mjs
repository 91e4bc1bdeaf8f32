// One request per operation, shared by every client so they all send the same bytes.
export const API_KEY = 'bench-key';

/**
 * The `params` example of specs/truefoundry.yaml's trigger request.
 * @type {{ applicationId: string, input: { params: Record<string, string> } }}
 */
export const TRIGGER_BODY = {
  applicationId: 'cm8k2x1a00001abcd1234efgh',
  input: { params: { epochs: '10', learning_rate: '0.001' } },
};

/** The run id of specs/kognitos.yaml's get-run example. */
export const RUN_ID = '5344tfjgvq4k7bn7xj8b7tfq7';
