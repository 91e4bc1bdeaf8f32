/** The CLI's exit codes; `--help` and the README document the same table. */
export const EXIT = {
  /** The command did what was asked: the job succeeded, or it was triggered without `--wait`. */
  ok: 0,
  /** The job failed, was canceled or timed out while waiting. */
  jobFailed: 1,
  /** Bad command line: unknown flag, missing or conflicting options, unreadable ref or payload. */
  usage: 2,
  /** Missing or rejected configuration: API key, base URL, region; 401 and 403 answers. */
  config: 3,
  /** The provider or the network failed: connection errors, timeouts, other error answers, unreadable bodies. */
  provider: 4,
  /** Interrupted with Ctrl-C; the job itself keeps running. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  success, or the job was triggered without --wait
  1  the job failed, was canceled or timed out while waiting
  2  usage error (the message shows the line of help that fixes it)
  3  config or auth error (missing API key, bad base URL or region, 401/403)
  4  network or provider error (connection failed, request timed out, other error answers,
     an answer that is not the provider's documented JSON)`;
