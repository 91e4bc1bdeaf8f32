/** The CLI's exit codes; `--help` and the README document the same table. */
export const EXIT = {
  /** The command did what was asked: the job succeeded, or it was triggered without `--wait`. */
  ok: 0,
  /** The job failed, was canceled or timed out while waiting. */
  jobFailed: 1,
  /** Bad command line: unknown flag, missing or conflicting options, unreadable ref or payload. */
  usage: 2,
  /** Missing or rejected configuration: API key, base URL, region; 401 and 403 answers; a redirect to another origin. */
  config: 3,
  /** The provider or the network failed: connection errors, timeouts, other error answers, unreadable bodies. */
  provider: 4,
  /** The trigger's outcome is unknown: the run may have started (a failure or a signal while it was in flight). */
  unconfirmed: 5,
  /** SIGHUP (the terminal closed) while waiting; the run keeps going. */
  hangup: 129,
  /** Interrupted with Ctrl-C (SIGINT); the run keeps going. */
  interrupted: 130,
  /** Terminated (SIGTERM: a CI cancellation, Kubernetes); the run keeps going. */
  terminated: 143,
} as const;

/** 128 + the signal's number, as shells report a process killed by it. */
export function exitCodeForSignal(signal: string | undefined): number {
  if (signal === 'SIGHUP') return EXIT.hangup;
  if (signal === 'SIGTERM') return EXIT.terminated;
  return EXIT.interrupted;
}

export const EXIT_CODES_HELP = `Exit codes:
  0  success, or the job was triggered without --wait
  1  the job failed, was canceled or timed out while waiting
  2  usage error (the message shows the line of help that fixes it)
  3  config or auth error (missing API key, bad base URL or region, 401/403, a redirect to another host)
  4  network or provider error (connection failed, request timed out, other error answers,
     an answer that is not the provider's documented JSON)
  5  the trigger's outcome is unknown: the run may have started (the message says how to find it)
  129, 130, 143  stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM; the last state and the ref are printed`;
