// `${VAR}` / `${VAR:-default}` interpolation. References are swapped for inert placeholders before YAML parsing
// (so `{ apiKey: ${KEY} }` in a flow map parses) and filled in on the parsed string values afterwards (so an env
// value can never inject YAML structure). `$${` escapes a literal `${`.
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const PATTERN = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}\n]*))?\}/g;
const PLACEHOLDER = /__SWITCHYARD_ENV_(\d+)__/g;

export interface EnvRef {
  literal?: string;
  name: string;
  fallback?: string;
}

/** Replaces every `${…}` in the raw text with a placeholder; returns the text and the references in order. */
export function extractEnvRefs(text: string): { text: string; refs: EnvRef[] } {
  const refs: EnvRef[] = [];
  const out = text.replace(PATTERN, (whole, escaped: string, name: string, fallback: string | undefined) => {
    refs.push(escaped ? { literal: whole.slice(1), name } : fallback === undefined ? { name } : { name, fallback });
    return `__SWITCHYARD_ENV_${refs.length - 1}__`;
  });
  return { text: out, refs };
}

function fill(value: string, refs: EnvRef[], env: NodeJS.ProcessEnv, path: string): string {
  return value.replace(PLACEHOLDER, (_, index: string) => {
    const ref = refs[Number(index)];
    if (!ref) return '';
    if (ref.literal !== undefined) return ref.literal;
    const found = env[ref.name];
    if (found !== undefined && found !== '') return found;
    if (ref.fallback !== undefined) return ref.fallback;
    throw new ConfigError(`${path || '(root)'}: environment variable ${ref.name} is not set`);
  });
}

/** Walks the parsed tree and fills placeholders in string values (keys stay literal). */
export function fillEnvRefs(node: unknown, refs: EnvRef[], env: NodeJS.ProcessEnv, path = ''): unknown {
  if (typeof node === 'string') return refs.length ? fill(node, refs, env, path) : node;
  if (Array.isArray(node)) return node.map((v, i) => fillEnvRefs(v, refs, env, `${path}[${i}]`));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = fillEnvRefs(v, refs, env, path ? `${path}.${k}` : k);
    return out;
  }
  return node;
}
