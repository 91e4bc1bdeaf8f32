// Every error the CLI can meet, mapped once to an exit code and a message for stderr.
import {
  AbortError,
  ApiError,
  AuthenticationError,
  ConfigError,
  InvalidRequestError,
  JobCanceledError,
  JobFailedError,
  PermissionDeniedError,
  ResponseValidationError,
  UnsupportedOperationError,
  WaitTimeoutError,
} from 'anyjob';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

/**
 * `trigger runchat --wait --timeout`: a Runchat run finishes inside its trigger request, so
 * --timeout bounds that request, and running out of it is the wait timing out (exit 1), not a
 * network failure. The run may still finish on Runchat; with no status endpoint it cannot be followed.
 */
export class RunchatWaitTimeoutError extends Error {
  constructor(timeout: string) {
    super(
      `gave up waiting after ${timeout} (--timeout); the run may still finish on Runchat, but it cannot be followed: Runchat answers only when a run is done and has no status endpoint.`,
    );
    this.name = 'RunchatWaitTimeoutError';
  }
}

// Env vars whose values are API keys: scrubbed from anything printed, whatever produced the text.
export const KEY_ENV_VARS = ['RUNCHAT_API_KEY', 'RUNCHAT_TOKEN', 'TFY_API_KEY', 'KOGNITOS_API_KEY'];

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (InvalidRequestError.isInstance(error) || UnsupportedOperationError.isInstance(error)) return EXIT.usage;
  if (
    ConfigError.isInstance(error) ||
    AuthenticationError.isInstance(error) ||
    PermissionDeniedError.isInstance(error)
  ) {
    return EXIT.config;
  }
  if (
    JobFailedError.isInstance(error) ||
    JobCanceledError.isInstance(error) ||
    WaitTimeoutError.isInstance(error) ||
    error instanceof RunchatWaitTimeoutError
  ) {
    return EXIT.jobFailed;
  }
  if (AbortError.isInstance(error)) return EXIT.interrupted;
  // Everything else is the provider's or the network's: error answers, timeouts, and 2xx bodies
  // anyjob cannot read (ResponseValidationError; often a base URL that points at a web page).
  return EXIT.provider;
}

// The provider packages phrase settings for code (`apiKey` option); say what to do on the command line.
function configHint(message: string): string {
  if (/API key/i.test(message))
    return 'On the command line: set the env var named above, or pass --api-key-file <path>.\n';
  if (/region/i.test(message)) return 'On the command line: pass --region us|eu|uk.\n';
  if (/URL/.test(message))
    return 'On the command line: set the env var named above, or pass --base-url <url>.\n';
  return '';
}

function describe(error: unknown): string {
  if (error instanceof UsageError) return error.render();
  if (InvalidRequestError.isInstance(error)) {
    const issues = error.issues
      .filter((issue) => !error.message.includes(issue.message))
      .map((issue) => `  ${issue.path}: ${issue.message}\n`);
    return `error: ${error.message}\n${issues.join('')}`;
  }
  if (ConfigError.isInstance(error)) return `error: ${error.message}\n${configHint(error.message)}`;
  // A body that is not JSON at all usually means the host is a web page or proxy, not the API.
  if (ResponseValidationError.isInstance(error) && error.issues.some((issue) => issue.path === 'response')) {
    return `error: ${error.message}\nOn the command line: check --base-url or the provider's base URL env var.\n`;
  }
  if (AuthenticationError.isInstance(error) || PermissionDeniedError.isInstance(error)) {
    return `error: ${error.message}\nCheck the API key (the provider's env var or --api-key-file) and its permissions.\n`;
  }
  if (ApiError.isInstance(error) || error instanceof Error) return `error: ${error.message}\n`;
  return `error: ${String(error)}\n`;
}

/** Replaces every known secret with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; real keys are long.
    if (secret.length >= 8) result = result.split(secret).join('***');
  }
  return result;
}

export function formatFailure(error: unknown, secrets: readonly string[]): string {
  return redact(describe(error), secrets);
}
