// Registers the accounts module's commands (keys, credits, spend, ledger) in the CLI table. They act on a store
// (`--store sqlite:./switchyard.db`) or a running gateway's admin API (`--admin-url URL` + SWITCHYARD_ADMIN_TOKEN).
import { parseArgs } from 'node:util';
import {
  type CliArgs,
  type CliTarget,
  creditsAddCommand,
  creditsAddOptions,
  keysCreateCommand,
  keysEndUsersCommand,
  keysListCommand,
  keysOptions,
  keysRevokeCommand,
  keysShowCommand,
  keysUpdateCommand,
  ledgerVerifyCommand,
  spendCommand,
  spendOptions,
  statementCommand,
  statementOptions,
  teamsCreateCommand,
  teamsCreditsCommand,
  teamsDisableCommand,
  teamsEndUsersCommand,
  teamsListCommand,
  teamsOptions,
  teamsShowCommand,
  teamsUpdateCommand,
} from '../accounts/cli/index.js';
import { type CliCommand, registerCommand } from './commands.js';

type Run = (a: CliArgs, t: CliTarget) => Promise<number>;
const TARGET_HELP = `Target (one of):
  --store URL       act on a store directly (sqlite:./switchyard.db, or redis://…+postgres://…)
  --admin-url URL   act through a running gateway's /admin API (needs SWITCHYARD_ADMIN_TOKEN)`;

function group(
  name: string,
  summary: string,
  subs: Record<string, Run>,
  options: Record<string, { type: 'string' | 'boolean' }>,
): CliCommand {
  const list = Object.keys(subs).join('|');
  const help = `Usage: switchyard ${name} ${Object.keys(subs).length === 1 ? `[${list}]` : `<${list}>`} [options]\n\n${summary}\n\n${TARGET_HELP}\n\nOptions: ${Object.keys(
    options,
  )
    .map((o) => `--${o}`)
    .join(' ')}`;
  return {
    name,
    summary,
    help,
    async run(argv) {
      const parsed = parseArgs({
        args: argv,
        options: {
          ...options,
          store: { type: 'string' },
          'admin-url': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        allowPositionals: true,
        strict: true,
      });
      const [sub, ...rest] = parsed.positionals;
      // A group with a single subcommand (`spend report`) also runs it when none is named: `switchyard spend …`.
      const names = Object.keys(subs);
      const run = sub === undefined ? (names.length === 1 ? subs[names[0]!] : undefined) : subs[sub];
      if (parsed.values.help || !run) {
        process.stdout.write(`${help}\n`);
        return parsed.values.help ? 0 : 2;
      }
      const target: CliTarget = {};
      if (typeof parsed.values.store === 'string') target.store = parsed.values.store;
      if (typeof parsed.values['admin-url'] === 'string') target.adminUrl = parsed.values['admin-url'];
      return run({ values: parsed.values, positionals: rest }, target);
    },
  };
}

export function registerAccountCommands(): void {
  registerCommand(
    group(
      'keys',
      'Create, list, show, update and revoke virtual keys',
      {
        create: keysCreateCommand,
        list: keysListCommand,
        show: keysShowCommand,
        update: keysUpdateCommand,
        revoke: keysRevokeCommand,
        'end-users': keysEndUsersCommand,
      },
      keysOptions,
    ),
  );
  registerCommand(
    group(
      'teams',
      'Create, list, show, update and disable teams; add credits to a team pool; list its end users',
      {
        create: teamsCreateCommand,
        list: teamsListCommand,
        show: teamsShowCommand,
        update: teamsUpdateCommand,
        credits: teamsCreditsCommand,
        disable: teamsDisableCommand,
        'end-users': teamsEndUsersCommand,
      },
      teamsOptions,
    ),
  );
  registerCommand(
    group('statement', "A team's statement for a month or a period", { show: statementCommand }, statementOptions),
  );
  registerCommand(group('credits', 'Add prepaid credit to a key', { add: creditsAddCommand }, creditsAddOptions));
  registerCommand(
    group(
      'spend',
      'Spend report by key / provider / model / day / team / end_user / tag',
      { report: spendCommand },
      spendOptions,
    ),
  );
  registerCommand(group('ledger', 'Verify the ledger', { verify: ledgerVerifyCommand }, {}));
}
