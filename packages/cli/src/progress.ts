// Progress while waiting goes to stderr only, so stdout stays one clean document for --json and
// pipes. On a terminal it is a spinner line redrawn in place; elsewhere (CI logs) one line per
// status change.
import type { JobRun } from 'anyjob';
import { formatDuration } from './duration.js';
import { describeStatus } from './output.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001b[2K';

/** A writable text stream, such as `process.stderr`. */
export interface ProgressStream {
  /** Writes text as is. */
  write(chunk: string): unknown;
  /** True for a terminal: progress is then a spinner line redrawn in place. */
  isTTY?: boolean;
}

export interface Progress {
  update(run: JobRun): void;
  stop(): void;
}

/** `initial` is the run as last known (after a trigger), or a label until the first poll answers. */
export function createProgress(
  stream: ProgressStream,
  initial: JobRun | string,
  now: () => number = Date.now,
): Progress {
  const started = now();
  const labelOf = (run: JobRun) => `${run.provider} run ${run.id}`;
  let label = typeof initial === 'string' ? initial : labelOf(initial);
  let status = typeof initial === 'string' ? 'checking' : describeStatus(initial);
  if (!stream.isTTY) {
    let last: string | undefined;
    return {
      update(run) {
        label = labelOf(run);
        const next = describeStatus(run);
        if (next === last) return;
        last = next;
        stream.write(`${label}: ${next} (${formatDuration(now() - started)})\n`);
      },
      stop() {},
    };
  }
  let frame = 0;
  const draw = () => {
    frame = (frame + 1) % FRAMES.length;
    stream.write(`${CLEAR_LINE}${FRAMES[frame]} ${label}: ${status} · ${formatDuration(now() - started)}`);
  };
  const timer = setInterval(draw, 100);
  // The spinner must never keep the process alive on its own.
  timer.unref();
  draw();
  return {
    update(run) {
      label = labelOf(run);
      status = describeStatus(run);
      draw();
    },
    stop() {
      clearInterval(timer);
      stream.write(CLEAR_LINE);
    },
  };
}
