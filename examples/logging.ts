// See what anyjob sends: log lines, the raw Response and the provider's request id.
//
//   ANYJOB_LOG=debug TFY_HOST=… TFY_API_KEY=… node logging.js
//
// ANYJOB_LOG (debug | info | warn | error | off; default warn) chooses what is logged, for the
// module-level functions too; the `logLevel` setting overrides it. Lines go to `console` unless the
// `logger` setting names another console-shaped object (pino, winston, or this one). Debug lines
// show method, URL, status, attempt, retry decisions and timing, never a header or a key.
import { createAnyJob, type Logger } from 'anyjob';

// Any object with debug/info/warn/error works. This one writes JSON lines to stderr.
const write =
  (level: string) =>
  (message: string, ...details: unknown[]) =>
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, details })}\n`);
const logger: Logger = {
  debug: write('debug'),
  info: write('info'),
  warn: write('warn'),
  error: write('error'),
};

const jobs = createAnyJob({ logger }); // level: ANYJOB_LOG, else warn; or add `logLevel: 'debug'`

const applicationId = process.env.TFY_APPLICATION_ID ?? 'my-application-id';
// Every call's promise has .withResponse(): the run, and the Response it was read from (its body
// already read). Use it for headers the run does not carry (rate limits, tracing).
const { run, response } = await jobs.triggerJob({ provider: 'truefoundry', applicationId }).withResponse();
console.log(
  `triggered ${run.id}: HTTP ${response?.status}, content-type ${response?.headers.get('content-type')}`,
);
// The provider's request id (x-request-id and the like), when it sends one: quote it to support.
console.log(`request id: ${run.requestId ?? '(the provider sent none)'}`);

const { run: done, response: last } = await jobs.waitForJob(run, { pollIntervalMs: 500 }).withResponse();
console.log(`${done.id} ${done.status}; last poll answered HTTP ${last?.status}`);
