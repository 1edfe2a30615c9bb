// What every suite gets and returns.
import type { ContenderName } from '../contenders/contender.js';
import type { Profile } from '../profiles.js';
import type { SuiteResult } from '../types.js';

export interface SuiteContext {
  profile: Profile;
  /** Restrict to these contenders (`--contenders a,b`); direct is always kept as the baseline. */
  only?: ContenderName[];
  /** Directory for Switchyard's --cpu-prof output, when profiling was asked for. */
  cpuProfDir?: string;
}

export interface Suite {
  name: string;
  describe: string;
  run(ctx: SuiteContext): Promise<SuiteResult>;
}

export const CHAT_BODY = {
  messages: [{ role: 'user', content: 'Write one short sentence about switchyards.' }],
  max_tokens: 64,
} as const;

export const CHAT_MODEL = 'gpt-4o-mini';
