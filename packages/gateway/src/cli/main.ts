#!/usr/bin/env node
// `switchyard <command>`: dispatch through the command table.
import { compareCommand } from '../compare/compare-command.js';
import { registerAccountCommands } from './account-commands.js';
import { getCommand, mainHelp, registerCommand } from './commands.js';
import { startCommand } from './start-command.js';

registerCommand(startCommand);
registerAccountCommands();
registerCommand(compareCommand);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${mainHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  const cmd = getCommand(name);
  if (!cmd) {
    process.stderr.write(`switchyard: unknown command "${name}"\n\n${mainHelp()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${cmd.help}\n`);
    return 0;
  }
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`switchyard: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
