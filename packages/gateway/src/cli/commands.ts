// The CLI's command table: `start` plus whatever other modules register (keys, credits, spend, ledger).
export interface CliCommand {
  name: string;
  /** One line for `switchyard --help`. */
  summary: string;
  /** Full help text for `switchyard <name> --help`. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

const commands = new Map<string, CliCommand>();

export function registerCommand(cmd: CliCommand): void {
  commands.set(cmd.name, cmd);
}

export function getCommand(name: string): CliCommand | undefined {
  return commands.get(name);
}

export function listCommands(): CliCommand[] {
  return [...commands.values()];
}

export function mainHelp(): string {
  const width = Math.max(...listCommands().map((c) => c.name.length), 5);
  return [
    'Usage: switchyard <command> [options]',
    '',
    'Commands:',
    ...listCommands().map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `switchyard <command> --help` for the options of one command.',
  ].join('\n');
}
