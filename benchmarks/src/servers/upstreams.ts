// The upstreams a suite needs, described as data; they all run in one child process (upstreams-process.ts).
import type { Scenario } from '@switchyard/simulators';

export type SimProviderName = 'openai' | 'anthropic' | 'gemini';

export interface UpstreamSpec {
  name: string;
  provider: SimProviderName;
  scenario?: Scenario;
}

/** name -> origin URL (http://127.0.0.1:PORT, no path). */
export type UpstreamUrls = Record<string, string>;

/** The key every simulator accepts from the bench (simulators accept any non-empty key by default). */
export const SIM_KEY = 'sk-bench-upstream';
