// A run's life: a script of steps, each lasting some time or some polls. Time is read from
// `Date.now()`, so vitest's and jest's fake timers move runs along with the client's poll delays.
import {
  type FakeRunHandle,
  type FakeRunView,
  isTerminal,
  type JobStatus,
  mapStatus,
  type StatusTable,
} from '@anyjob/core';
import type { FakeDuration, FakeStep } from './types.js';

export const DEFAULT_SCRIPT: readonly FakeStep[] = [
  { status: 'queued', polls: 1 },
  { status: 'running', polls: 1 },
  { status: 'succeeded' },
];

export interface LiveRun {
  readonly provider: string;
  readonly handle: FakeRunHandle;
  readonly request: Readonly<Record<string, unknown>>;
  /** The id of the request that created it. */
  readonly requestId: number;
  steps: FakeStep[];
  index: number;
  stepStartedAt: number;
  reads: number;
  polls: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  cancelRequested: boolean;
  /** When a read first reported the run final. */
  finalReadAt: number | undefined;
}

export function durationStep(status: JobStatus, duration: FakeDuration): FakeStep {
  return typeof duration === 'number' ? { status, ms: duration } : { status, ...duration };
}

export function checkScript(steps: readonly FakeStep[], where: string): void {
  if (steps.length === 0) throw new TypeError(`${where}: a script needs at least one step`);
  steps.forEach((step, index) => {
    for (const key of ['ms', 'polls'] as const) {
      const value = step[key];
      if (value !== undefined && !(Number.isFinite(value) && value >= 0))
        throw new TypeError(`${where}: step ${index}.${key} must be a finite number ≥ 0`);
    }
    if (isTerminal(step.status) && index !== steps.length - 1)
      throw new TypeError(`${where}: step ${index} is final (${step.status}), so it must be the last`);
  });
}

/** For each of anyjob's statuses, the provider's word for it: the first spelling its table maps there. */
export function wordsFor(
  table: StatusTable,
  spellings: readonly string[],
): Partial<Record<JobStatus, string>> {
  const words: Partial<Record<JobStatus, string>> = {};
  for (const word of spellings) {
    const status = mapStatus(table, word);
    words[status] ??= word;
  }
  return words;
}

function enter(run: LiveRun, at: number): void {
  const step = run.steps[run.index];
  if (step === undefined) return;
  if (step.status === 'running' && run.startedAt === undefined) run.startedAt = at;
  if (isTerminal(step.status)) {
    run.endedAt = at;
    run.startedAt ??= at;
  }
}

/** Moves the run through every step whose time or polls are used up at `now`. */
export function advance(run: LiveRun, now: number): void {
  while (run.index < run.steps.length - 1) {
    const step = run.steps[run.index] as FakeStep;
    if (isTerminal(step.status)) return;
    const timeUp = step.ms !== undefined && now - run.stepStartedAt >= step.ms;
    const pollsUp = step.polls !== undefined && run.reads >= step.polls;
    if (!timeUp && !pollsUp) return;
    run.stepStartedAt = timeUp ? run.stepStartedAt + (step.ms as number) : now;
    run.index += 1;
    run.reads = 0;
    enter(run, run.stepStartedAt);
  }
}

export function startRun(run: LiveRun): void {
  enter(run, run.stepStartedAt);
}

export function settle(run: LiveRun, now: number): void {
  if (run.index < run.steps.length - 1) {
    run.index = run.steps.length - 1;
    run.stepStartedAt = now;
    enter(run, now);
  }
}

/** Replaces what is left of the script: the canceling step, then canceled. False if already final. */
export function requestCancel(
  run: LiveRun,
  now: number,
  after: FakeDuration,
  word: string | undefined,
): boolean {
  advance(run, now);
  const step = run.steps[run.index] as FakeStep;
  if (isTerminal(step.status)) return false;
  run.cancelRequested = true;
  const canceling = durationStep(step.status === 'queued' ? 'queued' : 'running', after);
  run.steps = [
    ...run.steps.slice(0, run.index),
    { ...canceling, ...(word ? { word } : {}) },
    { status: 'canceled' },
  ];
  run.stepStartedAt = now;
  run.reads = 0;
  return true;
}

export function view(run: LiveRun, words: Partial<Record<JobStatus, string>>): FakeRunView {
  const step = run.steps[run.index] as FakeStep;
  const word =
    step.word ?? words[step.status] ?? (isTerminal(step.status) ? words.failed : undefined) ?? step.status;
  return {
    ...run.handle,
    status: step.status,
    word,
    cancelRequested: run.cancelRequested,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    error:
      step.status === 'succeeded'
        ? undefined
        : (step.error ?? (step.status === 'failed' ? 'The run failed' : undefined)),
    outputs: step.status === 'succeeded' ? step.outputs : undefined,
  };
}
