import { parseArgs } from 'node:util';
import { CliError } from './cli-error';
import type { CommandContext, TextOutput } from './context';
import { HELP, type HelpTopic } from './help';
import { applyTarget, resolveTarget, type Target, type TargetOptions } from './target';
import { importCsv, readImportFile } from './commands/import';
import { leadErase } from './commands/lead-erase';
import { leadExport } from './commands/lead-export';
import { leadShow } from './commands/lead-show';
import { parseSince, reportFunnel } from './commands/report-funnel';
import { readScoringConfigFile, rescore } from './commands/rescore';
import { checkSignalArgs, signalSend } from './commands/signal-send';
import { campaignCancel } from './commands/campaign-cancel';
import { readCampaignFolder } from './commands/campaign-folder-arg';
import { campaignPreview } from './commands/campaign-preview';
import { campaignReindex } from './commands/campaign-reindex';
import { campaignSend, parseAt } from './commands/campaign-send';
import { campaignStatus } from './commands/campaign-status';

export interface CliIo {
  out: TextOutput;
  err: TextOutput;
  /** the environment the target is applied to; SDK clients read process.env, so the binary passes that */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** test seam for `--stack` */
  readStackOutputs?: TargetOptions['readStackOutputs'];
  /**
   * Asks the operator a yes/no question (the binary: on the terminal). Absent when there is no terminal to
   * ask on: then a command that needs confirmation refuses unless --yes was given.
   */
  confirm?: (question: string) => Promise<boolean>;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  since: { type: 'string' },
  rebuild: { type: 'boolean' },
  config: { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  stack: { type: 'string' },
  id: { type: 'string' },
  url: { type: 'string' },
  at: { type: 'string' },
  /** hidden: a discovery file like the one `npm start` writes (tests point the binary at a test stack) */
  'local-state': { type: 'string' },
} as const;
type OptionName = keyof typeof OPTIONS;

const GLOBAL_OPTIONS: readonly OptionName[] = ['help', 'stack', 'local-state'];

const COMMANDS = {
  'lead show': { args: ['email'], options: ['json'] },
  'lead export': { args: ['email'], options: [] },
  'lead erase': { args: ['email'], options: ['yes'] },
  import: { args: ['file.csv'], options: [] },
  'report funnel': { args: [], options: ['since', 'json', 'rebuild'] },
  rescore: { args: [], options: ['config', 'dry-run'] },
  'signal send': { args: ['type', 'email'], options: ['id', 'url'] },
  'campaign preview': { args: ['folder'], options: [] },
  'campaign send': { args: ['folder'], options: ['at'] },
  'campaign status': { args: ['id'], options: ['json'] },
  'campaign cancel': { args: ['id'], options: [] },
  'campaign reindex': { args: [], options: [] },
} as const satisfies Record<Exclude<HelpTopic, 'main'>, { args: readonly string[]; options: readonly OptionName[] }>;
type CommandName = keyof typeof COMMANDS;

const GROUPS = new Set(['lead', 'report', 'signal', 'campaign']);

/** The whole CLI: parses argv, resolves the target, runs one command. Returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let target: Target | undefined;
  try {
    const { values, positionals } = parse(argv);
    const [first, second] = positionals;
    const name = first !== undefined && GROUPS.has(first) && second !== undefined ? `${first} ${second}` : first;

    if (first !== undefined && GROUPS.has(first) && second === undefined) {
      // `leadpipe report`: the group's few commands, not the whole help
      (values.help ? io.out : io.err).write(groupUsage(first));
      return values.help ? 0 : 1;
    }
    if (name === undefined) {
      if (values.help || first === 'help') {
        io.out.write(`${HELP.main}\n`);
        return 0;
      }
      io.err.write(`${HELP.main}\n`);
      return 1;
    }
    if (first === 'help') {
      const topic = positionals.slice(1).join(' ');
      io.out.write(`${topic in HELP ? HELP[topic as HelpTopic] : HELP.main}\n`);
      return 0;
    }
    if (!(name in COMMANDS)) throw new CliError(`Unknown command "${name}"; run "leadpipe --help" for the list`);
    const command = name as CommandName;
    if (values.help) {
      io.out.write(`${HELP[command]}\n`);
      return 0;
    }
    const spec: { args: readonly string[]; options: readonly OptionName[] } = COMMANDS[command];
    for (const option of Object.keys(values) as OptionName[]) {
      if (!GLOBAL_OPTIONS.includes(option) && !spec.options.includes(option)) {
        throw new CliError(`leadpipe ${command} has no option --${option}; run "leadpipe ${command} --help"`);
      }
    }
    const args = positionals.slice(command.split(' ').length);
    if (args.length !== spec.args.length) {
      const usage = `leadpipe ${command}${spec.args.map((arg) => ` <${arg}>`).join('')}`;
      throw new CliError(
        args.length < spec.args.length
          ? `Missing <${spec.args[args.length]}>: ${usage}`
          : `Unexpected argument "${args[spec.args.length]}": ${usage}`,
      );
    }

    // It posts to a URL and needs no table: the discovery file gives the URL and the secret.
    if (command === 'signal send') {
      if (values.stack !== undefined) throw new CliError('signal send posts to a URL, not a stack: pass --url <baseUrl>');
      checkSignalArgs(args[0]!, values.url);
      return await signalSend({
        type: args[0]!,
        email: args[1]!,
        ...(values.id !== undefined ? { id: values.id } : {}),
        ...(values.url !== undefined ? { url: values.url } : {}),
        ...(values['local-state'] !== undefined ? { localState: values['local-state'] } : {}),
        env: io.env ?? process.env,
        out: io.out,
      });
    }

    // Everything that can be checked without a table is checked before one is looked for.
    const run = await prepare(command, args, values, io);

    const env = io.env ?? process.env;
    target = await resolveTarget({ stack: values.stack, localState: values['local-state'], env, readStackOutputs: io.readStackOutputs });
    applyTarget(target, env);
    if (command === 'lead erase' && !values.yes) await confirmErase(io, args[0]!, target);
    const ctx: CommandContext = {
      tableName: target.tableName,
      leadIdKey: await leadIdKeyFor(target, env),
      out: io.out,
      err: io.err,
      now: io.now ?? (() => new Date()),
    };
    await run(ctx);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.err.write(`leadpipe: ${error.message}\n`);
      return error.exitCode;
    }
    io.err.write(`leadpipe: ${describeError(error, target)}\n`);
    return 1;
  }
}

type Values = ReturnType<typeof parse>['values'];

async function prepare(
  command: CommandName,
  args: string[],
  values: Values,
  io: CliIo,
): Promise<(ctx: CommandContext) => Promise<unknown>> {
  switch (command) {
    case 'lead show':
      return (ctx) => leadShow(ctx, { email: args[0]!, json: values.json ?? false });
    case 'lead export':
      return (ctx) => leadExport(ctx, { email: args[0]! });
    case 'lead erase':
      // Refused before any table is looked for: there is no one to ask, and --yes was not given.
      if (!values.yes && !io.confirm) {
        throw new CliError('lead erase deletes the lead irreversibly: pass --yes to confirm (there is no terminal to ask on)');
      }
      return (ctx) => leadErase(ctx, { email: args[0]! });
    case 'import': {
      const prepared = await readImportFile(args[0]!);
      return (ctx) => importCsv(ctx, { prepared });
    }
    case 'report funnel': {
      if (values.since !== undefined) parseSince(values.since);
      return (ctx) =>
        reportFunnel(ctx, {
          ...(values.since !== undefined ? { since: values.since } : {}),
          json: values.json ?? false,
          rebuild: values.rebuild ?? false,
        });
    }
    case 'rescore': {
      if (values.config === undefined) throw new CliError('Missing --config <file>: leadpipe rescore --config <file> [--dry-run]');
      const config = await readScoringConfigFile(values.config);
      return (ctx) => rescore(ctx, { config, configLabel: values.config!, dryRun: values['dry-run'] ?? false });
    }
    case 'signal send':
      throw new Error('signal send needs no table and runs before prepare');
    case 'campaign preview': {
      const definition = readCampaignFolder(args[0]!);
      return (ctx) => campaignPreview(ctx, { definition });
    }
    case 'campaign send': {
      const definition = readCampaignFolder(args[0]!);
      const at = values.at === undefined ? undefined : parseAt(values.at);
      return (ctx) => campaignSend(ctx, { definition, ...(at !== undefined ? { at } : {}) });
    }
    case 'campaign status':
      return (ctx) => campaignStatus(ctx, { id: args[0]!, json: values.json ?? false });
    case 'campaign cancel':
      return (ctx) => campaignCancel(ctx, { id: args[0]!.trim() });
    case 'campaign reindex':
      return (ctx) => campaignReindex(ctx);
  }
}

/** y/N, asked after the target is known, so the question names where the lead is erased. */
async function confirmErase(io: CliIo, email: string, target: Target): Promise<void> {
  const yes = await io.confirm!(`Erase everything stored for ${email} in the ${target.description}? This cannot be undone. [y/N] `);
  if (!yes) throw new CliError('Nothing erased (not confirmed)');
}

/** `leadpipe lead`, `leadpipe report`: the usage lines of the group's commands. */
function groupUsage(group: string): string {
  const commands = (Object.keys(COMMANDS) as CommandName[]).filter((command) => command.startsWith(`${group} `));
  const lines = commands.map((command) => `  ${HELP[command].split('\n')[0]!.replace(/^Usage: /, '')}`);
  const example = commands[0]!;
  return `Usage:\n${lines.join('\n')}\n\nRun "leadpipe ${example} --help" for the details of a command.\n`;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(parseErrorMessage(error as NodeJS.ErrnoException, argv));
  }
}

/**
 * node's parseArgs messages are written for programmers ("To specify a positional argument starting with
 * a '-', place it at the end of the command after '--'..."): one line an operator can act on instead.
 */
function parseErrorMessage(error: NodeJS.ErrnoException, argv: readonly string[]): string {
  const words = argv.filter((arg) => !arg.startsWith('-'));
  const command = words[0] !== undefined && GROUPS.has(words[0]) && words[1] !== undefined ? `${words[0]} ${words[1]}` : words[0];
  const help = command !== undefined && command in COMMANDS ? `leadpipe ${command} --help` : 'leadpipe --help';
  const option = error.message.match(/'(-[^' ]+)/)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `Unknown option ${option}; run "${help}" for the options`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing/.test(error.message) ? `${option} needs a value; run "${help}"` : `${option} takes no value; run "${help}"`;
  }
  return `${error.message.split('. ')[0]!.replace(/\.$/, '')}; run "${help}"`;
}

async function leadIdKeyFor(target: Target, env: NodeJS.ProcessEnv): Promise<string> {
  const { loadAppSecrets } = await import('../shared/security/app-secrets');
  try {
    return (await loadAppSecrets(env)).leadIdKey;
  } catch (error) {
    throw new CliError(`Cannot read the app secrets for ${target.description}: ${(error as Error).message}`);
  }
}

function describeError(error: unknown, target: Target | undefined): string {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const where = target ? ` (${target.description})` : '';
  if (name === 'ResourceNotFoundException' && target) return `Table ${target.tableName} not found${where}`;
  if (/ECONNREFUSED|fetch failed|connect/i.test(message) && target?.kind === 'local') {
    return `Cannot reach the local stack's DynamoDB${where}: is npm start still running? (${message})`;
  }
  return `${message || name || 'unexpected error'}${where}`;
}
