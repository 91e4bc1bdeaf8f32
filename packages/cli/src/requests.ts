// Flags → the facade's TriggerRequest. Conflicts the user can fix on the command line are caught
// here, with the help lines that fix them; the facade still validates the values themselves.
import type { InvalidRequestError, TriggerRequest } from 'anyjob';
import { keyValues, type ParsedValues } from './args.js';
import { type CommandDef, type OptionName, type ProviderName, TRIGGER_COMMANDS } from './commands.js';
import { type ReadStdin, readPayload } from './inputs.js';
import { UsageError } from './usage-error.js';

function str(values: ParsedValues, name: OptionName): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function list(values: ParsedValues, name: OptionName): string[] | undefined {
  const value = values[name];
  return Array.isArray(value) ? value : undefined;
}

function exactlyOne(command: CommandDef, values: ParsedValues, a: OptionName, b: OptionName): void {
  const hasA = values[a] !== undefined;
  const hasB = values[b] !== undefined;
  if (hasA && hasB) throw new UsageError(`--${a} and --${b} cannot be used together.`, command, [a, b]);
  if (!hasA && !hasB) throw new UsageError(`give --${a} or --${b}.`, command, [a, b]);
}

function notBoth(command: CommandDef, values: ParsedValues, a: OptionName, b: OptionName): void {
  if (values[a] !== undefined && values[b] !== undefined) {
    throw new UsageError(`--${a} and --${b} cannot be used together.`, command, [a, b]);
  }
}

function onlyWith(command: CommandDef, values: ParsedValues, option: OptionName, required: OptionName): void {
  if (values[option] !== undefined && values[required] === undefined) {
    throw new UsageError(`--${option} only applies with --${required}.`, command, [option, required]);
  }
}

function required(command: CommandDef, values: ParsedValues, name: OptionName): string {
  const value = str(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required.`, command, [name]);
  return value;
}

export async function buildTriggerRequest(
  provider: ProviderName,
  values: ParsedValues,
  readStdin: ReadStdin,
): Promise<TriggerRequest> {
  const command = TRIGGER_COMMANDS[provider];
  switch (provider) {
    case 'runchat': {
      exactlyOne(command, values, 'job', 'flow');
      const payloadText = str(values, 'payload');
      if (values.job !== undefined) {
        notBoth(command, values, 'message', 'payload');
        for (const flowOnly of ['input', 'instance'] as const) onlyWith(command, values, flowOnly, 'flow');
        const payload =
          payloadText === undefined
            ? undefined
            : await readPayload(command, 'payload', payloadText, readStdin);
        return {
          provider,
          jobId: required(command, values, 'job'),
          ...(values.message !== undefined ? { message: str(values, 'message') } : {}),
          ...(payload !== undefined ? { payload } : {}),
        } as TriggerRequest;
      }
      onlyWith(command, values, 'message', 'job');
      // The payload is the whole body, in place of {inputs}; --instance is added to it.
      notBoth(command, values, 'input', 'payload');
      const payload =
        payloadText === undefined ? undefined : await readPayload(command, 'payload', payloadText, readStdin);
      const inputs = keyValues(command, 'input', list(values, 'input'));
      return {
        provider,
        flowId: required(command, values, 'flow'),
        ...(inputs ? { inputs } : {}),
        ...(values.instance !== undefined ? { instanceId: str(values, 'instance') } : {}),
        ...(payload !== undefined ? { payload } : {}),
      } as TriggerRequest;
    }
    case 'truefoundry': {
      exactlyOne(command, values, 'application', 'deployment');
      notBoth(command, values, 'command', 'param');
      const params = keyValues(command, 'param', list(values, 'param'));
      return {
        provider,
        ...(values.application !== undefined ? { applicationId: str(values, 'application') } : {}),
        ...(values.deployment !== undefined ? { deploymentId: str(values, 'deployment') } : {}),
        ...(values.command !== undefined ? { command: str(values, 'command') } : {}),
        ...(params ? { params } : {}),
        ...(values.alias !== undefined ? { alias: str(values, 'alias') } : {}),
      } as TriggerRequest;
    }
    case 'kognitos': {
      const stage = str(values, 'stage');
      if (stage !== undefined && stage !== 'Draft' && stage !== 'Published') {
        throw new UsageError(`--stage must be Draft or Published, not "${stage}".`, command, ['stage']);
      }
      const inputs = keyValues(command, 'input', list(values, 'input'));
      const fileIds = list(values, 'file-id');
      return {
        provider,
        agentId: required(command, values, 'agent'),
        processId: required(command, values, 'process'),
        ...(stage ? { stage } : {}),
        ...(values.name !== undefined ? { name: str(values, 'name') } : {}),
        ...(inputs ? { inputs } : {}),
        ...(fileIds ? { fileIds } : {}),
      } as TriggerRequest;
    }
  }
}

// Request fields as the facade names them → the flags that set them.
const FLAG_OF_FIELD: Record<string, OptionName> = {
  jobId: 'job',
  message: 'message',
  payload: 'payload',
  flowId: 'flow',
  inputs: 'input',
  instanceId: 'instance',
  applicationId: 'application',
  deploymentId: 'deployment',
  command: 'command',
  params: 'param',
  alias: 'alias',
  agentId: 'agent',
  processId: 'process',
  stage: 'stage',
  name: 'name',
  fileIds: 'file-id',
};

/**
 * The facade's validation speaks of request fields (`processId`); on the command line the fix is a
 * flag, so its error becomes a usage error showing the help lines of the flags involved.
 */
export function asUsageError(provider: ProviderName, error: InvalidRequestError): UsageError {
  const command = TRIGGER_COMMANDS[provider];
  const fixes = new Set<OptionName>();
  for (const issue of error.issues) {
    const flag = FLAG_OF_FIELD[/^[A-Za-z]+/.exec(issue.path)?.[0] ?? ''];
    if (flag && command.options.includes(flag)) fixes.add(flag);
  }
  const extra = error.issues.filter((issue) => !error.message.includes(issue.message)).map((i) => i.message);
  return new UsageError([error.message, ...extra].join(' '), command, [...fixes]);
}
