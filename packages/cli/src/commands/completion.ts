// `anyjob completion <bash | zsh | fish>`: a completion script generated from the command table,
// so every command, provider and flag the CLI accepts completes, a new provider's included, and
// the three shells cannot drift apart. Each renderer only says how its shell spells the same model.
import type { CommandDef, CommandTable } from '../commands.js';
import { EXIT } from '../exit-codes.js';
import { formatHelp } from '../help.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './context.js';

interface CompletedOption {
  name: string;
  takesValue: boolean;
  help: string;
}

interface CompletedCommand {
  /** `['trigger', 'truefoundry']` */
  words: string[];
  options: CompletedOption[];
  /** Positional arguments are files (refs). */
  files: boolean;
}

interface Model {
  top: string[];
  /** Second words of the commands that take one (`trigger`, `list`, `doctor`: a provider; `completion`: a shell). */
  subcommands: Record<string, string[]>;
  commands: CompletedCommand[];
}

/** The commands whose options depend on their second word (a provider). */
const twoWordTops = (m: Model) => [
  ...new Set(m.commands.filter((c) => c.words.length > 1).map((c) => c.words[0])),
];

function completed(command: CommandDef, files = false): CompletedCommand {
  return {
    words: command.path.split(' '),
    options: [...command.options, { name: 'help', type: 'boolean' as const, help: 'show this help' }].map(
      (option) => ({
        name: option.name,
        takesValue: option.type === 'string',
        help: option.help,
      }),
    ),
    files,
  };
}

function model(table: CommandTable): Model {
  const byProvider: Record<string, ReadonlyMap<string, CommandDef>> = {
    trigger: table.trigger,
    list: table.list,
    doctor: table.doctor.byName,
  };
  // A command no provider offers (no provider can list, or none has a conformance check) is left out.
  const offered = Object.entries(byProvider).filter(([, commands]) => commands.size > 0);
  return {
    top: [...offered.map(([top]) => top), 'status', 'wait', 'cancel', 'completion', 'mocks'],
    subcommands: {
      ...Object.fromEntries(offered.map(([top, commands]) => [top, [...commands.keys()]])),
      completion: Object.keys(RENDERERS),
    },
    commands: [
      ...offered.flatMap(([, commands]) => [...commands.values()].map((command) => completed(command))),
      completed(table.status, true),
      completed(table.wait, true),
      completed(table.cancel, true),
      completed(table.mocks),
    ],
  };
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

function bash(m: Model): string {
  const cases = m.commands
    .map(
      (command) =>
        `    ${quote(command.words.join(' '))}) opts=${quote(command.options.map((o) => `--${o.name}`).join(' '))} ;;`,
    )
    .join('\n');
  const subs = Object.entries(m.subcommands)
    .map(
      ([top, words]) =>
        `    ${top}) [[ $COMP_CWORD -eq 2 ]] && { COMPREPLY=($(compgen -W ${quote(words.join(' '))} -- "$cur")); return; } ;;`,
    )
    .join('\n');
  return `# anyjob completion for bash. Load it with: source <(anyjob completion bash)
_anyjob() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W ${quote(m.top.join(' '))} -- "$cur")); return
  fi
  case "\${COMP_WORDS[1]}" in
${subs}
  esac
  local key="\${COMP_WORDS[1]}"
  case "$key" in ${twoWordTops(m).join('|')}) key="$key \${COMP_WORDS[2]}" ;; esac
  case "$key" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); fi
}
complete -o default -F _anyjob anyjob
`;
}

function zsh(m: Model): string {
  const cases = m.commands
    .map(
      (command) =>
        `    ${quote(command.words.join(' '))}) opts=(${command.options.map((o) => quote(`--${o.name}[${o.help.replaceAll(/[[\]]/g, '')}]`)).join(' ')}) ;;`,
    )
    .join('\n');
  const subs = Object.entries(m.subcommands)
    .map(([top, words]) => `    ${top}) (( CURRENT == 3 )) && { compadd -- ${words.join(' ')}; return } ;;`)
    .join('\n');
  return `#compdef anyjob
# anyjob completion for zsh. Load it with: source <(anyjob completion zsh)
_anyjob() {
  local -a opts
  if (( CURRENT == 2 )); then compadd -- ${m.top.join(' ')}; return; fi
  case $words[2] in
${subs}
  esac
  local key=$words[2]
  [[ ${twoWordTops(m)
    .map((top) => `$key == ${top}`)
    .join(' || ')} ]] && key="$key $words[3]"
  case $key in
${cases}
  esac
  if [[ $PREFIX == -* ]]; then _describe 'option' opts; else _files; fi
}
compdef _anyjob anyjob
`;
}

function fish(m: Model): string {
  const lines = [
    '# anyjob completion for fish. Load it with: anyjob completion fish | source',
    'complete -c anyjob -f',
    `complete -c anyjob -n '__fish_use_subcommand' -a ${quote(m.top.join(' '))}`,
  ];
  for (const [top, words] of Object.entries(m.subcommands)) {
    lines.push(
      `complete -c anyjob -n '__fish_seen_subcommand_from ${top}; and not __fish_seen_subcommand_from ${words.join(' ')}' -a ${quote(words.join(' '))}`,
    );
  }
  for (const command of m.commands) {
    const condition = command.words.map((word) => `__fish_seen_subcommand_from ${word}`).join('; and ');
    if (command.files) lines.push(`complete -c anyjob -n ${quote(condition)} -F`);
    for (const option of command.options) {
      lines.push(
        `complete -c anyjob -n ${quote(condition)} -l ${option.name}${option.takesValue ? ' -r' : ''} -d ${quote(option.help)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const RENDERERS: Record<string, (m: Model) => string> = { bash, zsh, fish };

export function completion({ io, table }: CommandContext, args: string[]): number {
  const command = table.completion;
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(formatHelp(command));
    return EXIT.ok;
  }
  const [shell, ...rest] = args;
  const render = shell === undefined ? undefined : RENDERERS[shell];
  if (!render)
    throw new UsageError(
      `name the shell: bash, zsh or fish${shell ? ` (not "${shell}")` : ''}.`,
      command,
      [],
      true,
    );
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}".`, command, [], true);
  io.stdout.write(render(model(table)));
  return EXIT.ok;
}
