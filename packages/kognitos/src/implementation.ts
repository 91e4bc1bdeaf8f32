// Kognitos behind the anyjob provider contract, loaded on the provider's first call: trigger →
// POST /runs, get → GET /runs/{run_id}, list → GET /runs?agent_id&process_id. The REST API v2 has
// no cancel endpoint.
import {
  type CallOptions,
  type JobProviderImplementation,
  type ListOptions,
  mapStatus,
  type PageParams,
  type RunPage,
  refOf,
  UnsupportedOperationError,
  type ValidationIssue,
} from '@anyjob/core';
import {
  type ApiAnswer,
  type ConfirmedTrigger,
  checkRefOrigin,
  confirmTrigger,
  type FieldCheck,
  type FieldChecks,
  type FieldNames,
  fieldCheck,
  isNonEmptyString,
  isPlainObject,
  jsonValueIssues,
  operationPages,
  type RunMatches,
  readOperationPage,
  setUpProvider,
  type TriggerWindow,
  throwIfInvalid,
  throwIfResponseIssues,
  unknownFieldIssues,
  withAnswer,
} from '@anyjob/core/internal';
import { createKognitosClient, KOGNITOS_BASE_URL_SETTING, resolveKognitosBaseUrl } from './client.js';
import { kognitosGetRun, kognitosListRuns, kognitosStartRun } from './generated/sdk.gen.js';
import type { NameValue, Run, RunList, StartRunRequest } from './generated/types.gen.js';
import { KOGNITOS_PAGES } from './pagination.js';
import {
  KOGNITOS_STATUSES,
  type KognitosJobRef,
  type KognitosJobRun,
  type KognitosListQuery,
  type KognitosSettings,
  type KognitosTriggerRequest,
  kognitosRefs,
} from './provider.js';
import { kognitosOperations } from './validation.js';

const PROVIDER = 'kognitos';
const { nonEmptyString, string } = fieldCheck;
const FIELDS = ['provider', 'agentId', 'processId', 'stage', 'name', 'inputs', 'fileIds'];
const PROCESS_ID = /^[a-zA-Z0-9-_]{1,26}$/;
const LIST_CONTEXT = { provider: PROVIDER, operation: 'listRuns' };
/** How far Kognitos's clock may be from ours when matching a run's creation time. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Kognitos does not document its list order, so a search reads at most this many pages. */
const SEARCH_PAGES = 20;

// Wire paths of the operations → the request and ref fields the caller set.
const FIELD_NAMES: FieldNames = [
  ['body.agent_id', 'agentId'],
  ['body.process_id', 'processId'],
  ['body.name', 'name'],
  ['body.stage', 'stage'],
  ['body.inputs', 'inputs'],
  ['body.file_ids', 'fileIds'],
  ['path.run_id', 'ref.runId'],
  ['query.agent_id', 'agentId'],
  ['query.process_id', 'processId'],
  ['query.stage', 'stage'],
];

const outputList: FieldCheck = [
  (value) =>
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.name === 'string')),
  'an array of { name, value } or absent',
];

// What toJobRun reads: the run id for the ref, the status, and the outputs by name.
const RUN_FIELDS: FieldChecks<Run> = { id: nonEmptyString, status: string, outputs: outputList };

/** 8 random hex characters: the marker in a default run name. */
function marker(): string {
  const bytes = new Uint8Array(4);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

// JSON.stringify drops an undefined value, so the input would reach Kognitos without the `value`
// its spec requires; null is a JSON value the spec allows.
function undefinedInputIssue(path: string): ValidationIssue {
  return {
    path,
    rule: 'required',
    message: `\`${path}\` is undefined, which JSON cannot send; pass null for "no value", or leave the input out.`,
  };
}

function shapeTrigger(request: KognitosTriggerRequest): StartRunRequest {
  const issues: ValidationIssue[] = unknownFieldIssues(request as never, FIELDS);
  const {
    agentId,
    processId,
    stage = 'Published',
    name = `anyjob ${new Date().toISOString()} ${marker()}`,
    inputs,
    fileIds,
  } = request;
  if (!isNonEmptyString(agentId)) {
    issues.push({
      path: 'agentId',
      rule: 'required',
      message: '`agentId` must be the non-empty id of the agent.',
    });
  }
  if (processId === undefined) {
    issues.push({
      path: 'processId',
      rule: 'required',
      message: '`processId` is required: the id of the process to run.',
    });
  } else if (typeof processId !== 'string' || !PROCESS_ID.test(processId)) {
    issues.push({
      path: 'processId',
      rule: 'pattern',
      message:
        '`processId` must be 1–26 characters of letters, digits, `-` and `_` (the process id, not its name).',
    });
  }
  if (stage !== 'Draft' && stage !== 'Published') {
    issues.push({
      path: 'stage',
      rule: 'enum',
      message: '`stage` must be `Published` (default) or `Draft`.',
    });
  }
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
    issues.push({ path: 'name', rule: 'maxLength', message: '`name` must be a string of 1–100 characters.' });
  }
  let inputList: NameValue[] | undefined;
  if (Array.isArray(inputs)) {
    inputs.forEach((entry, index) => {
      if (!isPlainObject(entry) || !isNonEmptyString(entry.name) || !('value' in entry)) {
        issues.push({
          path: `inputs[${index}]`,
          rule: 'type',
          message: `\`inputs[${index}]\` must be \`{ name, value }\` with a non-empty name, or pass \`inputs\` as an object.`,
        });
      } else if (entry.value === undefined) {
        issues.push(undefinedInputIssue(`inputs[${index}].value`));
      } else {
        issues.push(...jsonValueIssues(entry.value, `inputs[${index}].value`));
      }
    });
    inputList = inputs;
  } else if (inputs !== undefined) {
    if (isPlainObject(inputs)) {
      for (const [key, value] of Object.entries(inputs)) {
        if (value === undefined) issues.push(undefinedInputIssue(`inputs.${key}`));
        else issues.push(...jsonValueIssues(value, `inputs.${key}`));
      }
      inputList = Object.entries(inputs).map(([key, value]) => ({ name: key, value }));
    } else {
      issues.push({
        path: 'inputs',
        rule: 'type',
        message: '`inputs` must be an object (`{ invoice: 42 }`) or an array of `{ name, value }`.',
      });
    }
  }
  if (fileIds !== undefined && !(Array.isArray(fileIds) && fileIds.every(isNonEmptyString))) {
    issues.push({
      path: 'fileIds',
      rule: 'type',
      message: '`fileIds` must be an array of file ids (strings).',
    });
  }
  throwIfInvalid(PROVIDER, 'triggerJob', issues);

  const body: StartRunRequest = { agent_id: agentId, process_id: processId, name, stage };
  if (inputList !== undefined) body.inputs = inputList;
  if (fileIds !== undefined) body.file_ids = fileIds;
  return body;
}

/** `created_at` in epoch ms; Kognitos writes it without a zone, which is read as UTC. */
function createdAtMs(run: Run): number | undefined {
  if (typeof run.created_at !== 'string') return undefined;
  const text = /(Z|[+-]\d\d:?\d\d)$/.test(run.created_at) ? run.created_at : `${run.created_at}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function createJobProvider(
  settings: KognitosSettings,
): JobProviderImplementation<KognitosTriggerRequest, KognitosJobRef, KognitosListQuery> {
  const {
    api,
    connection: connect,
    logger,
  } = setUpProvider({
    provider: PROVIDER,
    settings,
    createClient: createKognitosClient,
    resolveBaseUrl: resolveKognitosBaseUrl,
    operations: kognitosOperations,
    fieldNames: FIELD_NAMES,
  });

  function toJobRun(run: Run, ref: KognitosJobRef, answer?: ApiAnswer<unknown>): KognitosJobRun {
    const jobRun: KognitosJobRun = {
      provider: PROVIDER,
      id: run.id,
      status: mapStatus(KOGNITOS_STATUSES, run.status),
      providerStatus: run.status,
      ref,
      raw: run,
    };
    const created = createdAtMs(run);
    if (created !== undefined) jobRun.createdAt = new Date(created).toISOString();
    if (Array.isArray(run.outputs)) {
      // fromEntries defines each name as data: an output named `__proto__` stays an output.
      jobRun.output = Object.fromEntries(run.outputs.map(({ name, value }) => [name, value]));
    }
    return answer ? withAnswer(jobRun, answer) : jobRun;
  }

  function refFor(run: Run): KognitosJobRef {
    const ref: KognitosJobRef = { provider: PROVIDER, runId: run.id, origin: connect().origin };
    if (run.agent_id) ref.agentId = run.agent_id;
    if (run.process_id) ref.processId = run.process_id;
    return ref;
  }

  /** Reads one page of a process's runs with the pagination's `params`. */
  function pageReader(query: KognitosListQuery, options?: CallOptions) {
    return async (params: PageParams) => {
      const parts = {
        query: {
          agent_id: query.agentId,
          process_id: query.processId,
          ...(query.stage !== undefined ? { stage: query.stage } : {}),
          ...params,
        },
      };
      const answer = await api.call<RunList>(
        {
          operation: 'listRuns',
          as: 'listJobRuns',
          parts,
          send: (sdk) => kognitosListRuns({ ...sdk, ...parts }),
          fields: {
            items: [(value) => value === null || Array.isArray(value), 'an array of runs or null'],
            continuation_token: fieldCheck.optionalString,
          },
        },
        options,
      );
      (answer.data.items ?? []).forEach((item, index) => {
        if (!isPlainObject(item)) {
          throwIfResponseIssues(PROVIDER, 'listRuns', [
            { path: `response.items[${index}]`, rule: 'type', message: 'must be a run object' },
          ]);
        }
      });
      return { body: answer.data, headers: answer.response.headers };
    };
  }

  /**
   * Runs of the process with the trigger's name, created in the window. A name anyjob made carries
   * 8 random hex characters (32 bits) that no other call sends: a run with that name is proof,
   * returned as the trigger's. A name the caller chose is only a candidate: anyjob cannot know it is
   * unique to this call (a cron or a batch often reuses one name, "nightly import"), and another
   * caller's run with the same name in the window matches just as well.
   */
  async function findTriggered(
    body: StartRunRequest,
    nameIsMarked: boolean,
    window: TriggerWindow,
    options: CallOptions,
  ): Promise<RunMatches<KognitosJobRef>> {
    const from = window.sentAt - CLOCK_SKEW_MS;
    const to = window.endedAt + CLOCK_SKEW_MS;
    const query: KognitosListQuery = {
      provider: PROVIDER,
      agentId: body.agent_id,
      processId: body.process_id,
      stage: body.stage,
    };
    const matches: KognitosJobRun[] = [];
    const pages = operationPages<Run>(KOGNITOS_PAGES, pageReader(query, options), LIST_CONTEXT, {
      pageSize: KOGNITOS_PAGES.maxPageSize,
      maxPages: SEARCH_PAGES,
    });
    for await (const { items } of pages) {
      for (const run of items) {
        if (run.name !== body.name) continue;
        const created = createdAtMs(run);
        if (created !== undefined && (created < from || created > to)) continue;
        matches.push(toJobRun(run, refFor(run)));
      }
    }
    return nameIsMarked ? { proven: matches, candidates: [] } : { proven: [], candidates: matches };
  }

  /**
   * The trigger of `body` as confirmTrigger takes it: its send and its search, by the name's marker
   * where anyjob made the name (`nameIsMarked`), else by a name that is only a candidate's.
   */
  function trigger(
    body: StartRunRequest,
    nameIsMarked: boolean,
    options: CallOptions | undefined,
  ): ConfirmedTrigger<KognitosJobRef> {
    const parts = { body };
    return {
      provider: PROVIDER,
      operation: 'triggerJob',
      request: { agentId: body.agent_id, processId: body.process_id, stage: body.stage, name: body.name },
      hint: `Look for a run named "${body.name}" of process ${body.process_id} (\`anyjob list kognitos --agent ${body.agent_id} --process ${body.process_id}\`) before triggering it again.`,
      signal: options?.signal,
      logger,
      async send() {
        const answer = await api.call<Run>(
          {
            operation: 'startRun',
            as: 'triggerJob',
            parts,
            send: (sdk) => kognitosStartRun({ ...sdk, ...parts }),
            fields: RUN_FIELDS,
          },
          options,
        );
        return toJobRun(
          answer.data,
          {
            provider: PROVIDER,
            runId: answer.data.id,
            agentId: body.agent_id,
            processId: body.process_id,
            origin: connect().origin,
          },
          answer,
        );
      },
      search: {
        describe: (window) =>
          `the runs of process ${body.process_id} (agent ${body.agent_id}) named "${body.name}" created between ${new Date(window.sentAt - CLOCK_SKEW_MS).toISOString()} and ${new Date(window.endedAt + CLOCK_SKEW_MS).toISOString()}`,
        find: (window, searchOptions) => findTriggered(body, nameIsMarked, window, searchOptions),
      },
    };
  }

  return {
    async triggerJob(request, options) {
      return confirmTrigger(trigger(shapeTrigger(request), request.name === undefined, options));
    },

    // A queued trigger keeps the name anyjob made, so the process that finds its run after a crash
    // searches for the same marker (the proof).
    prepareTrigger(request) {
      const body = shapeTrigger(request);
      const prepared = { request: { ...request, name: body.name }, origin: connect().origin };
      return request.name === undefined ? { ...prepared, proof: { name: body.name } } : prepared;
    },

    preparedTrigger: ({ request, proof }, options) =>
      trigger(shapeTrigger(request), proof?.name !== undefined && proof.name === request.name, options),

    async getJobRun(run, options?: CallOptions) {
      const ref = kognitosRefs.check(refOf(run), 'getJobRun');
      checkRefOrigin(ref, connect().baseUrl, KOGNITOS_BASE_URL_SETTING);
      const parts = { path: { run_id: ref.runId } };
      const answer = await api.call<Run>(
        {
          operation: 'getRun',
          as: 'getJobRun',
          parts,
          send: (sdk) => kognitosGetRun({ ...sdk, ...parts }),
          fields: RUN_FIELDS,
        },
        options,
      );
      if (answer.data.id !== ref.runId) {
        throwIfResponseIssues(PROVIDER, 'getRun', [
          {
            path: 'response.id',
            rule: 'const',
            message: `must be the run that was asked for (${ref.runId}), got another run`,
          },
        ]);
      }
      return toJobRun(answer.data, { ...ref, origin: ref.origin ?? connect().origin }, answer);
    },

    async cancelJob() {
      throw new UnsupportedOperationError(
        'Kognitos runs cannot be canceled: the REST API v2 has no cancel endpoint.',
        {
          provider: PROVIDER,
          operation: 'cancelJob',
        },
      );
    },

    async listRunPage(query, cursor, options?: ListOptions): Promise<RunPage<KognitosJobRef>> {
      const issues: ValidationIssue[] = unknownFieldIssues(query as never, [
        'provider',
        'agentId',
        'processId',
        'stage',
      ]);
      for (const field of ['agentId', 'processId'] as const) {
        if (!isNonEmptyString(query[field])) {
          issues.push({
            path: field,
            rule: 'required',
            message: `\`${field}\` must be the id whose runs to list.`,
          });
        }
      }
      throwIfInvalid(PROVIDER, 'listJobRuns', issues);
      const { items, next } = await readOperationPage<Run>(
        { ...KOGNITOS_PAGES, defaultPageSize: KOGNITOS_PAGES.maxPageSize },
        pageReader(query, options),
        cursor,
        options?.pageSize,
        LIST_CONTEXT,
      );
      return { runs: items.map((run) => toJobRun(run, refFor(run))), next };
    },
  };
}
