// The one place that turns connection flags (--base-url, --region, --api-key-file) into facade
// settings. Everything else comes from the providers' env vars, read by the provider packages.
import { createAnyJob } from 'anyjob';
import type { ParsedValues } from './args.js';
import type { CommandDef, ProviderName } from './commands.js';
import { readApiKeyFile } from './inputs.js';
import { UsageError } from './usage-error.js';

const REGIONS = ['us', 'eu', 'uk'] as const;

export interface Connection {
  client: ReturnType<typeof createAnyJob>;
  /** Key values that must never be printed; error output is scrubbed of them. */
  secrets: string[];
}

export async function connect(
  command: CommandDef,
  provider: ProviderName,
  values: ParsedValues,
  env: Record<string, string | undefined>,
): Promise<Connection> {
  const baseUrl = typeof values['base-url'] === 'string' ? values['base-url'] : undefined;
  const region = typeof values.region === 'string' ? values.region.toLowerCase() : undefined;
  if (region !== undefined) {
    if (provider !== 'kognitos') {
      throw new UsageError(`--region applies only to Kognitos; this is a ${provider} run.`, command, [
        'region',
      ]);
    }
    if (!(REGIONS as readonly string[]).includes(region)) {
      throw new UsageError(`--region must be one of ${REGIONS.join(', ')}.`, command, ['region']);
    }
  }
  const keyFile = values['api-key-file'];
  const apiKey = typeof keyFile === 'string' ? await readApiKeyFile(keyFile) : undefined;
  const settings = {
    env,
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(region !== undefined ? { region } : {}),
  };
  const client = createAnyJob({ [provider]: settings });
  return { client, secrets: apiKey ? [apiKey] : [] };
}
