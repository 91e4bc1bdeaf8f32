export { type CliIo, runCli, version } from './cli.js';
export { EXIT } from './exit-codes.js';
export type { ReadStdin } from './inputs.js';
export type { ProgressStream } from './progress.js';
