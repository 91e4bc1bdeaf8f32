// Kognitos behind the anyjob provider contract, loaded on the provider's first call: trigger →
// POST /runs, get → GET /runs/{run_id}, list → GET /runs?agent_id&process_id. The REST API v2 has
// no cancel endpoint.
import type { CallOptions, JobProviderImplementation } from '@anyjob/core';
import type { ConfirmedTrigger, FieldChecks, FieldNames, TriggerWindow } from '@anyjob/core/internal';
import {
  camelFieldNames,
  confirmTrigger,
  definedFields,
  fieldCheck,
  isNonEmptyString,
  isPlainObject,
  nonEmptyString,
  objectsWithKey,
  outputsByName,
  parseRequest,
  runOperations,
  scanRuns,
  setUpProvider,
  skewedWindow,
  snakeCaseFields,
  unsupported,
} from '@anyjob/core/internal';
import * as v from 'valibot';
import { createKognitosClient, KOGNITOS_BASE_URL_SETTING, resolveKognitosBaseUrl } from './client.js';
import { kognitosGetRun, kognitosListRuns, kognitosStartRun } from './generated/sdk.gen.js';
import type { NameValue, Run, RunList, StartRunRequest } from './generated/types.gen.js';
import type { KognitosJobRef, KognitosListQuery, KognitosTriggerRequest } from './provider.js';
import { KOGNITOS_CONTRACT, KOGNITOS_PAGES, type KognitosSettings, kognitosRefs } from './provider.js';
import { kognitosOperations } from './validation.js';

const PROVIDER = 'kognitos';
/** How far Kognitos's clock may be from ours when matching a run's creation time. */
const CLOCK_SKEW_MS = 5 * 60_000;
const NO_CANCEL = 'Kognitos runs cannot be canceled: the REST API v2 has no cancel endpoint.';
/** Kognitos does not document its list order, so a search reads at most this many pages. */
const SEARCH_PAGES = 20;

// Wire paths of the operations → the request and ref fields the caller set (`body.agent_id` → `agentId`).
const FIELD_NAMES: FieldNames = [
  ...camelFieldNames(['body', 'query'], ['agent_id', 'process_id', 'name', 'stage', 'inputs', 'file_ids']),
  ['path.run_id', 'ref.runId'],
];

// The friendly request's messages, each naming the field and the fix.
const PROCESS_REQUIRED = '`processId` is required: the id of the process to run.';
const PROCESS_ID =
  '`processId` must be 1–26 characters of letters, digits, `-` and `_` (the process id, not its name).';
const STAGE = '`stage` must be `Published` (default) or `Draft`.';
const NAME = '`name` must be a string of 1–100 characters.';
const INPUTS_TYPE = '`inputs` must be an object (`{ invoice: 42 }`) or an array of `{ name, value }`.';
const INPUT = 'must be `{ name, value }` with a non-empty name, or pass `inputs` as an object.';
const FILE_IDS = '`fileIds` must be an array of file ids (strings).';

/** JSON.stringify drops an undefined value, so the input would reach Kognitos without its `value`. */
const sendable = v.custom<unknown>(
  (value) => value !== undefined,
  'is undefined, which JSON cannot send; pass null for "no value", or leave the input out.',
);
const isInput = (entry: unknown) => isPlainObject(entry) && isNonEmptyString(entry.name) && 'value' in entry;
const inputList = v.array(
  v.pipe(v.custom<NameValue>(isInput, INPUT), v.object({ name: v.string(), value: sendable })),
);
// The object form is sent as the API's own `[{ name, value }]`.
const inputRecord = v.pipe(
  v.custom<object>(isPlainObject, INPUTS_TYPE),
  v.record(v.string(), sendable),
  v.transform((record) => Object.entries(record).map(([name, value]) => ({ name, value }))),
);
const isIdList = (ids: unknown) => Array.isArray(ids) && ids.every(isNonEmptyString);

/** 8 random hex characters: the marker in a default run name. */
const marker = () => globalThis.crypto.getRandomValues(new Uint32Array(1))[0].toString(16).padStart(8, '0');
const defaultName = () => `anyjob ${new Date().toISOString()} ${marker()}`;

/** What triggerJob takes, checked and turned into the body of POST /runs. */
const TRIGGER = v.pipe(
  v.strictObject({
    provider: v.optional(v.unknown()),
    agentId: nonEmptyString('`agentId` must be the non-empty id of the agent.'),
    processId: v.pipe(
      v.string((issue) => (issue.input === undefined ? PROCESS_REQUIRED : PROCESS_ID)),
      v.regex(/^[a-zA-Z0-9-_]{1,26}$/, PROCESS_ID),
    ),
    stage: v.optional(v.picklist(['Draft', 'Published'], STAGE), 'Published'),
    name: v.optional(v.pipe(v.string(NAME), v.minLength(1, NAME), v.maxLength(100, NAME)), defaultName),
    inputs: v.optional(v.lazy((inputs) => (Array.isArray(inputs) ? inputList : inputRecord))),
    fileIds: v.optional(v.custom<string[]>(isIdList, FILE_IDS)),
  }),
  v.transform(
    ({ agentId: agent_id, processId: process_id, stage, name, inputs, fileIds: file_ids }) =>
      definedFields({ agent_id, process_id, name, stage, inputs, file_ids }) as StartRunRequest,
  ),
);

/** What listJobRuns takes; the stage is the spec's to check. */
const LIST_QUERY = v.strictObject({
  provider: v.optional(v.unknown()),
  agentId: nonEmptyString('`agentId` must be the id whose runs to list.'),
  processId: nonEmptyString('`processId` must be the id whose runs to list.'),
  stage: v.optional(v.unknown()),
});

// What a JobRun is read from: the run id for the ref, the status, and the outputs by name.
const RUN_FIELDS: FieldChecks<Run> = {
  id: fieldCheck.nonEmptyString,
  status: fieldCheck.string,
  outputs: objectsWithKey('name', 'an array of { name, value } or absent', (value) => value == null),
};

/** `created_at` in epoch ms; Kognitos writes it without a zone, which is read as UTC. */
function createdAtMs(run: Run): number | undefined {
  if (typeof run.created_at !== 'string') return undefined;
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(run.created_at) ? run.created_at : `${run.created_at}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function createJobProvider(
  settings: KognitosSettings,
): JobProviderImplementation<KognitosTriggerRequest, KognitosJobRef, KognitosListQuery> {
  const setup = setUpProvider({
    provider: PROVIDER,
    settings,
    createClient: createKognitosClient,
    resolveBaseUrl: resolveKognitosBaseUrl,
    operations: kognitosOperations,
    fieldNames: FIELD_NAMES,
  });
  const origin = () => setup.connection().origin;
  const refFor = (run: Run): KognitosJobRef => {
    const scope = definedFields({ agentId: run.agent_id, processId: run.process_id }, Boolean);
    return { provider: PROVIDER, runId: run.id, origin: origin(), ...scope };
  };
  const runs = runOperations<KognitosJobRef, KognitosListQuery, Run>({
    provider: PROVIDER,
    status: KOGNITOS_CONTRACT.status,
    pagination: { ...KOGNITOS_PAGES, defaultPageSize: KOGNITOS_PAGES.maxPageSize },
    setup,
    baseUrlSetting: KOGNITOS_BASE_URL_SETTING,
    refs: kognitosRefs,
    run: (run) => ({ id: run.id, createdAtMs: createdAtMs(run), output: outputsByName(run.outputs) }),
    get: {
      operation: 'getRun',
      parts: (ref) => ({ path: { run_id: ref.runId } }),
      send: kognitosGetRun,
      fields: RUN_FIELDS,
      at: '',
      id: 'id',
    },
    list: {
      operation: 'listRuns',
      query: LIST_QUERY,
      parts: (query, params) => ({ query: { ...snakeCaseFields(query), ...params } }),
      send: kognitosListRuns,
      fields: {
        items: [(value) => value === null || Array.isArray(value), 'an array of runs or null'],
        continuation_token: fieldCheck.optionalString,
      } satisfies FieldChecks<RunList>,
      ref: refFor,
    },
  });

  const checkTrigger = (request: KognitosTriggerRequest) =>
    parseRequest<StartRunRequest>(PROVIDER, 'triggerJob', TRIGGER, request, { json: ['inputs'] });

  /**
   * The trigger of `body` as confirmTrigger takes it: its send and its search, by the name's marker
   * where anyjob made the name (`marked`), else by a name that is only a candidate's.
   */
  function trigger(
    body: StartRunRequest,
    marked: boolean,
    options: CallOptions | undefined,
  ): ConfirmedTrigger<KognitosJobRef> {
    const { agent_id: agentId, process_id: processId, stage, name } = body;
    const window = (at: TriggerWindow) => skewedWindow(at, CLOCK_SKEW_MS);
    return {
      provider: PROVIDER,
      operation: 'triggerJob',
      request: { agentId, processId, stage, name },
      hint: `Look for a run named "${name}" of process ${processId} (\`anyjob list kognitos --agent ${agentId} --process ${processId}\`) before triggering it again.`,
      signal: options?.signal,
      logger: setup.logger,
      async send() {
        const op = { operation: 'startRun', send: kognitosStartRun, fields: RUN_FIELDS };
        const answer = await runs.call<Run>(op, 'triggerJob', { body }, options);
        const { data } = answer;
        const ref = { provider: PROVIDER, runId: data.id, agentId, processId, origin: origin() } as const;
        return runs.jobRun(data, ref, answer);
      },
      search: {
        describe: (at) =>
          `the runs of process ${processId} (agent ${agentId}) named "${name}" created between ${window(at).text}`,
        /**
         * Runs of the process with the trigger's name, created in the window. A name anyjob made
         * carries 8 random hex characters (32 bits) that no other call sends: a run with that name
         * is proof, returned as the trigger's. A name the caller chose is only a candidate: anyjob
         * cannot know it is unique to this call (a cron or a batch often reuses one name, "nightly
         * import"), and another caller's run with the same name in the window matches just as well.
         */
        async find(at, searchOptions) {
          const query = { provider: PROVIDER, agentId, processId, stage } as const;
          const pages = runs.pages(query, searchOptions, { pageSize: 100, maxPages: SEARCH_PAGES });
          const scan = { window: window(at), createdAtMs, matches: (run: Run) => run.name === name };
          const matches = (await scanRuns(pages, scan)).map((run) => runs.jobRun(run, refFor(run)));
          return marked ? { proven: matches, candidates: [] } : { proven: [], candidates: matches };
        },
      },
    };
  }

  return {
    triggerJob: (request, options) =>
      confirmTrigger(trigger(checkTrigger(request), request.name === undefined, options)),
    // A queued trigger keeps the name anyjob made, so the process that finds its run after a crash
    // searches for the same marker (the proof).
    prepareTrigger(request) {
      const body = checkTrigger(request);
      const prepared = { request: { ...request, name: body.name }, origin: origin() };
      return request.name === undefined ? { ...prepared, proof: { name: body.name } } : prepared;
    },
    preparedTrigger: ({ request, proof }, options) =>
      trigger(checkTrigger(request), proof?.name !== undefined && proof.name === request.name, options),
    getJobRun: runs.getJobRun,
    cancelJob: () => unsupported(PROVIDER, 'cancelJob', NO_CANCEL),
    listRunPage: runs.listRunPage,
  };
}
