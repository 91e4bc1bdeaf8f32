export interface DescriptorCliData {
  readonly name: string;
  readonly cli: {
    readonly usage: readonly string[];
    readonly flags: readonly {
      readonly name: string;
      readonly kind: string;
      readonly field?: string;
      readonly value?: string;
    }[];
  };
}
/** A valid trigger request for the provider, from its CLI usage and flags (see the .mjs). */
export function exampleTriggerRequest<Name extends string>(
  descriptor: DescriptorCliData & { readonly name: Name },
  options?: { suffix?: string | number; tag?: string },
): { provider: Name } & Record<string, unknown>;
/** The request as `anyjob trigger <name>` arguments. */
export function triggerArgs(descriptor: DescriptorCliData, request: Record<string, unknown>): string[];
/** What the ledger tests expect of a provider's trigger (see the .mjs). */
export function triggerContractOf(
  descriptor: {
    readonly name: string;
    readonly contract?: { readonly idempotency?: unknown };
    // Method syntax: parameters compare bivariantly, so any provider's request type fits.
    create(settings: Record<string, unknown>): {
      triggerJob(request: unknown): Promise<unknown>;
      prepareTrigger?(request: unknown): Promise<{ proof?: Record<string, string> }>;
    };
  },
  request: object,
  fake: {
    readonly fetch: typeof fetch;
    apiKey(name: string): string;
    baseUrl(name: string): string;
    requests(filter?: { provider?: string }): { operation?: string }[];
    reset(): void;
  },
): Promise<{ operation: string; idempotent: boolean; proves: boolean }>;
/** Example arguments for each id flag of a list (a doctor's flags). */
export function exampleFlagArgs(
  flags: readonly {
    readonly name: string;
    readonly kind: string;
    readonly field?: string;
    readonly value?: string;
  }[],
): string[];
