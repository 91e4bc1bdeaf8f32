// Logging: `ANYJOB_LOG` (debug | info | warn | error | off) or the `logLevel` setting chooses what
// is logged, the `logger` setting where: any console-shaped object, called as
// `logger.debug(line, details)` (console, winston; for pino, whose methods take the object first,
// pass `{ debug: (line, details) => log.debug(details, line), … }`).
// Debug lines show method, URL, status, attempt, retry decision and delay, and timing; never a
// header, so never a key (and URLs pass through the redactor, for keys sent as query parameters).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** Anything with console's four methods. */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

export interface LogSettings {
  /** Where log lines go. Default `console`. */
  logger?: Logger;
  /** What is logged; default `ANYJOB_LOG` from the env, else `warn`. */
  logLevel?: LogLevel;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'off'];

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** Logs at or above a level; `enabled` lets callers skip building a line nobody reads. */
export class LevelLogger {
  readonly #sink: Logger;
  readonly #threshold: number;

  constructor(sink: Logger, level: LogLevel) {
    this.#sink = sink;
    this.#threshold = LEVELS.indexOf(level);
  }

  enabled(level: Exclude<LogLevel, 'off'>): boolean {
    return LEVELS.indexOf(level) >= this.#threshold;
  }

  log(level: Exclude<LogLevel, 'off'>, message: string, details?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    const line = `[anyjob] ${message}`;
    if (details === undefined) this.#sink[level](line);
    else this.#sink[level](line, details);
  }
}

function envLevel(env: Record<string, string | undefined> | undefined): LogLevel | undefined {
  const raw = (env ?? (typeof process === 'undefined' ? {} : process.env)).ANYJOB_LOG?.trim().toLowerCase();
  // An unknown word is ignored rather than refused: a typo in an env var must not break a job.
  return isLogLevel(raw) ? raw : undefined;
}

/** The logger for a client's settings, or undefined when nothing would be logged. */
export function resolveLogger(
  settings: LogSettings & { env?: Record<string, string | undefined> },
): LevelLogger | undefined {
  const level = settings.logLevel ?? envLevel(settings.env) ?? 'warn';
  if (level === 'off') return undefined;
  return new LevelLogger(settings.logger ?? console, level);
}
