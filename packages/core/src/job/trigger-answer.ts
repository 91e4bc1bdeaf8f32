// What a trigger answers, declared by the provider and turned into a run by core: the run itself,
// only its id (then one get), a `Location` header (then a get of it, on the configured origin
// only), or nothing (a 204: then the run is found by proof — an idempotency key or a marker only
// this call sent — or TriggerUnconfirmedError lists the candidates).
import { ResponseValidationError } from '../errors/index.js';
import { readExactInteger } from './exact-json.js';
import { idText } from './id-text.js';
import type { CallOptions, JobRefBase, JobRun } from './provider.js';
import {
  type RunSearch,
  SEARCH_DELAYS_MS,
  searchForProof,
  type TriggerWindow,
  unconfirmedTrigger,
} from './reconcile.js';
import { valueAt } from './run-status.js';

/**
 * - `run`: the answer is the run (or holds it at `field`).
 * - `id`: the answer holds only the run's id at `field` (`run_id`); one get reads the run.
 * - `location`: the `Location` header names the run; one get of it reads the run.
 * - `none`: the answer says nothing of the run (204); it is found by proof.
 * Whatever the kind, an answer with no body (204, 202 with none) is read as `none`: some APIs
 * answer a run only on request (GitHub's `return_run_details`).
 */
export type TriggerAnswerSpec =
  | { readonly kind: 'run'; readonly field?: string }
  | { readonly kind: 'id'; readonly field: string }
  | { readonly kind: 'location' }
  | { readonly kind: 'none' };

/** What the trigger request answered. */
export interface TriggerAnswer {
  status: number;
  /** The parsed body; undefined when there was none. */
  body: unknown;
  /** The body's text, where read: an integer id beyond 2^53 is read from it exactly. */
  text?: string;
  headers: Headers;
  /** The URL the trigger was sent to, which a relative `Location` resolves against. */
  url: string;
}

export interface TriggerAnswerReader<Ref extends JobRefBase> {
  provider: string;
  operation: string;
  /** The fields that identify the run, for the error. */
  request: Record<string, unknown>;
  /** How a person finds the run, for the error. */
  hint: string;
  /** The origin the client is configured for: a `Location` elsewhere is never read (the key stays home). */
  origin: string;
  /** `run`: the run from the answer's run object. */
  toRun?(run: unknown): JobRun<Ref>;
  /** `id`: reads the run by its id (exact text: digits for an integer). */
  getById?(id: string, options?: CallOptions): Promise<JobRun<Ref>>;
  /** `location`: reads the run at this URL (same origin as the client, checked before). */
  getByLocation?(url: URL, options?: CallOptions): Promise<JobRun<Ref>>;
  /** `none`: finds the run by proof (an idempotency key or marker); absent when nothing can prove it. */
  search?: RunSearch<Ref>;
  /** After a bodiless answer, pauses between searches while the run does not show up yet. Default 1 s, 3 s. */
  searchDelaysMs?: readonly number[];
  /** When the trigger was sent (epoch ms), for the search window. */
  sentAt: number;
  /** Stops the pauses between searches (AbortError). */
  signal?: AbortSignal;
}

function badAnswer(reader: { provider: string; operation: string }, path: string, message: string) {
  return new ResponseValidationError(
    `${reader.provider} ${reader.operation} answered without the run anyjob reads: ${path}: ${message}.`,
    {
      provider: reader.provider,
      operation: reader.operation,
      issues: [{ path, rule: 'required', message }],
    },
  );
}

function hasBody(answer: TriggerAnswer): boolean {
  return answer.status !== 204 && answer.body !== undefined && answer.body !== null && answer.body !== '';
}

/** Turns a trigger's answer into its run by the declared kind (see TriggerAnswerSpec). */
export async function runFromTriggerAnswer<Ref extends JobRefBase>(
  spec: TriggerAnswerSpec,
  answer: TriggerAnswer,
  reader: TriggerAnswerReader<Ref>,
  options?: CallOptions,
): Promise<JobRun<Ref>> {
  const kind = spec.kind === 'location' || hasBody(answer) ? spec.kind : 'none';
  switch (kind) {
    case 'run': {
      const field = spec.kind === 'run' ? spec.field : undefined;
      const run = field ? valueAt(answer.body, field) : answer.body;
      if (typeof run !== 'object' || run === null)
        throw badAnswer(reader, `response${field ? `.${field}` : ''}`, 'must be the run');
      return need(reader.toRun, 'toRun')(run);
    }
    case 'id': {
      const field = (spec as { field: string }).field;
      const id =
        (answer.text !== undefined ? readExactInteger(answer.text, field) : undefined) ??
        idText(valueAt(answer.body, field));
      if (id === undefined || id === '') throw badAnswer(reader, `response.${field}`, 'must be the run id');
      return need(reader.getById, 'getById')(id, options);
    }
    case 'location': {
      const location = answer.headers.get('location');
      if (!location) throw badAnswer(reader, 'headers.location', 'must name the run');
      const url = new URL(location, answer.url);
      if (url.origin !== new URL(reader.origin).origin) {
        throw badAnswer(
          reader,
          'headers.location',
          `must be on ${new URL(reader.origin).origin}, not another origin`,
        );
      }
      return need(reader.getByLocation, 'getByLocation')(url, options);
    }
    default:
      return findByProof(reader);
  }
}

function need<F>(fn: F | undefined, name: string): F {
  if (!fn) throw new TypeError(`runFromTriggerAnswer: the reader has no ${name} for this answer kind`);
  return fn;
}

/**
 * The trigger was accepted but its answer names no run: the run exists (or soon will), so the
 * search looks again after each delay until exactly one run carries this call's proof.
 */
async function findByProof<Ref extends JobRefBase>(reader: TriggerAnswerReader<Ref>): Promise<JobRun<Ref>> {
  const window: TriggerWindow = { sentAt: reader.sentAt, endedAt: Date.now() };
  const unconfirmed = unconfirmedTrigger<Ref>(
    reader,
    window,
    new Error('the trigger was accepted, but its answer names no run'),
  );
  const { search } = reader;
  if (!search) throw unconfirmed({ outcome: 'unsupported', searched: 'nothing' }, []);
  const searched = search.describe(window);
  const delays = reader.searchDelaysMs ?? SEARCH_DELAYS_MS;
  return searchForProof({ ...reader, search, window, searched, delays, unconfirmed });
}
