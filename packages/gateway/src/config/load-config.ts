// Reading a config: file text → YAML/JSON → env interpolation → zod. Every failure is a ConfigError whose message
// names the file and the bad path, e.g. `providers.groq.baseURL: Invalid URL`.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type GatewayConfig } from './config-schema.js';
import { ConfigError, extractEnvRefs, fillEnvRefs } from './interpolate.js';

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>): string {
  return issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('\n');
}

/** Validates an already-parsed object (after interpolation). */
export function validateConfig(raw: unknown, source = 'config'): GatewayConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`Invalid ${source}:\n${formatIssues(result.error.issues)}`);
  return result.data;
}

export function parseConfig(text: string, env: NodeJS.ProcessEnv = process.env, source = 'config'): GatewayConfig {
  const { text: inert, refs } = extractEnvRefs(text);
  let raw: unknown;
  try {
    raw = parseYaml(inert);
  } catch (err) {
    throw new ConfigError(`Invalid ${source}: not valid YAML or JSON: ${(err as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`Invalid ${source}: expected a mapping at the top level`);
  }
  let interpolated: unknown;
  try {
    interpolated = fillEnvRefs(raw, refs, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`Invalid ${source}: ${err.message}`);
    throw err;
  }
  return validateConfig(interpolated, source);
}

export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseConfig(text, env, file);
}
