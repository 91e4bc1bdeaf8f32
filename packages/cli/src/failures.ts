// Every error the CLI can meet, mapped once to an exit code and a message for stderr. Everything
// written goes through core's redactor, so no key (in any spelling) reaches the terminal or a log.

import { Redactor } from '@anyjob/core/internal';
import {
  AbortError,
  type AnyJobProviderDescriptor,
  ApiError,
  AuthenticationError,
  ConfigError,
  InvalidRequestError,
  JobCanceledError,
  JobFailedError,
  PermissionDeniedError,
  RedirectError,
  ResponseValidationError,
  TriggerUnconfirmedError,
  UnsupportedOperationError,
  WaitTimeoutError,
} from 'anyjob';
import { EXIT, exitCodeForSignal } from './exit-codes.js';
import { UsageError } from './usage-error.js';

/**
 * A run that finishes inside its trigger request (a synchronous provider), with `--wait
 * --timeout`: running out of --timeout is the wait timing out (exit 1), not a failed request.
 */
export class SynchronousWaitTimeoutError extends Error {
  constructor(timeout: string, displayName: string) {
    super(
      `gave up waiting after ${timeout} (--timeout); the run may still finish on ${displayName}, but it cannot be followed: ${displayName} answers only when a run is done and has no status endpoint.`,
    );
    this.name = 'SynchronousWaitTimeoutError';
  }
}

/** The env values that hold API keys, for every provider the CLI knows. */
export function keysInEnv(
  providers: readonly AnyJobProviderDescriptor[],
  env: Record<string, string | undefined>,
): string[] {
  return providers.flatMap((provider) => provider.env.apiKey.map((name) => env[name] ?? ''));
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (InvalidRequestError.isInstance(error) || UnsupportedOperationError.isInstance(error)) return EXIT.usage;
  if (TriggerUnconfirmedError.isInstance(error)) return EXIT.unconfirmed;
  if (
    ConfigError.isInstance(error) ||
    AuthenticationError.isInstance(error) ||
    PermissionDeniedError.isInstance(error) ||
    RedirectError.isInstance(error)
  ) {
    return EXIT.config;
  }
  if (
    JobFailedError.isInstance(error) ||
    JobCanceledError.isInstance(error) ||
    WaitTimeoutError.isInstance(error) ||
    error instanceof SynchronousWaitTimeoutError
  ) {
    return EXIT.jobFailed;
  }
  if (AbortError.isInstance(error)) return EXIT.interrupted;
  // Everything else is the provider's or the network's: error answers, timeouts, and 2xx bodies
  // anyjob cannot read (ResponseValidationError; often a base URL that points at a web page).
  return EXIT.provider;
}

// The provider packages phrase settings for code (`apiKey` option); say what to do on the command line.
function configHint(error: ConfigError): string {
  if (error.setting === 'apiKey')
    return 'On the command line: set the env var named above, or pass --api-key-file <path>.\n';
  if (error.setting === 'baseUrl')
    return 'On the command line: set the env var named above, or pass --base-url <url>.\n';
  if (error.setting === 'dangerouslyAllowBrowser') return '';
  return error.setting ? `On the command line: check --${error.setting} or the env var named above.\n` : '';
}

// A body that is not JSON at all usually means the host is a web page or proxy, not the API.
const BASE_URL_HINT = "On the command line: check --base-url or the provider's base URL env var.\n";

function isNotTheApi(error: unknown): error is ResponseValidationError {
  return ResponseValidationError.isInstance(error) && error.issues.some((issue) => issue.path === 'response');
}

// The candidates are what a person decides on (is one of these mine?): each with its id, status and
// creation time, and the ref that `anyjob status -` / `anyjob wait -` read.
function describeUnconfirmed(error: TriggerUnconfirmedError): string {
  const lines = [
    `error: ${error.message}`,
    'The run may have started: do not trigger it again before checking.',
  ];
  if (error.candidates.length > 0) {
    lines.push(
      error.reconciliation.outcome === 'unproven'
        ? "Candidates (none is provably this trigger's: another caller's run of the same job would match as well):"
        : 'Candidates:',
    );
  }
  for (const candidate of error.candidates) {
    const status = candidate.providerStatus
      ? `${candidate.status} (${candidate.providerStatus})`
      : candidate.status;
    lines.push(
      `  candidate: ${candidate.provider} run ${candidate.id}, ${status}, created ${candidate.createdAt ?? 'at an unknown time'}; ref ${JSON.stringify((candidate as { ref?: unknown }).ref)}`,
    );
  }
  return `${lines.join('\n')}\n${isNotTheApi(error.cause) ? BASE_URL_HINT : ''}`;
}

function describe(error: unknown): string {
  if (error instanceof UsageError) return error.render();
  if (TriggerUnconfirmedError.isInstance(error)) return describeUnconfirmed(error);
  if (InvalidRequestError.isInstance(error)) {
    const issues = error.issues
      .filter((issue) => !error.message.includes(issue.message))
      .map((issue) => `  ${issue.path}: ${issue.message}\n`);
    return `error: ${error.message}\n${issues.join('')}`;
  }
  if (ConfigError.isInstance(error)) return `error: ${error.message}\n${configHint(error)}`;
  if (RedirectError.isInstance(error))
    return `error: ${error.message}\nOn the command line: pass --base-url ${error.toOrigin} if that is the API's address.\n`;
  if (isNotTheApi(error)) return `error: ${error.message}\n${BASE_URL_HINT}`;
  if (AuthenticationError.isInstance(error) || PermissionDeniedError.isInstance(error)) {
    return `error: ${error.message}\nCheck the API key (the provider's env var or --api-key-file) and its permissions.\n`;
  }
  if (ApiError.isInstance(error) || error instanceof Error) return `error: ${error.message}\n`;
  return `error: ${String(error)}\n`;
}

/** The error as printed on stderr, every secret redacted. */
export function formatFailure(error: unknown, secrets: readonly string[]): string {
  return new Redactor(secrets).text(describe(error));
}

/** The exit code for a command stopped through `signal` (its reason is the signal's name). */
export function exitCodeForSignalOf(signal: AbortSignal | undefined): number {
  const reason = signal?.reason;
  return exitCodeForSignal(typeof reason === 'string' ? reason : undefined);
}
