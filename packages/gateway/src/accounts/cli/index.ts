export { type CliArgs, type CliIO, type CliTarget, connect } from './cli-target.js';
export {
  keysCreateCommand,
  keysEndUsersCommand,
  keysListCommand,
  keysOptions,
  keysRevokeCommand,
  keysShowCommand,
  keysUpdateCommand,
} from './keys-commands.js';
export {
  creditsAddCommand,
  creditsAddOptions,
  ledgerVerifyCommand,
  spendCommand,
  spendOptions,
} from './money-commands.js';
export {
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
} from './teams-commands.js';
