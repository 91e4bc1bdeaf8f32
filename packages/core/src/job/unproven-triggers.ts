// The trigger methods of a provider whose trigger carries no proof (nothing only that call sent
// comes back on its run): there is nothing to fix before a queued trigger is sent, so a queued
// trigger whose answer is lost with its worker ends unconfirmed, its candidates found as after any
// unknown outcome.
import type { CallOptions, JobRefBase, JobRun, PreparedTrigger } from './provider.js';
import { type ConfirmedTrigger, confirmTrigger } from './reconcile.js';

/** triggerJob, prepareTrigger (checks the request) and preparedTrigger, all from `trigger`. */
export function unprovenTriggers<Request extends { provider: string }, Ref extends JobRefBase>(
  trigger: (request: Request, options?: CallOptions) => ConfirmedTrigger<Ref>,
  origin: () => string,
) {
  return {
    triggerJob: (request: Request, options?: CallOptions): Promise<JobRun<Ref>> =>
      confirmTrigger(trigger(request, options)),
    prepareTrigger(request: Request): PreparedTrigger<Request> {
      trigger(request); // builds the trigger: the request is checked now, not when a worker sends it
      return { request, origin: origin() };
    },
    preparedTrigger: ({ request }: PreparedTrigger<Request>, options?: CallOptions) =>
      trigger(request, options),
  };
}
