// Gemini 3 streamed function-call arguments (Vertex `streamFunctionCallArguments`): a call opens with
// `functionCall{name, willContinue: true}`, its arguments arrive as `partialArgs[{jsonPath, stringValue |
// numberValue | boolValue | nullValue, willContinue}]` (string values in pieces, paths like `$.a.b[0].c`), and an
// empty `functionCall{}` (no willContinue) closes it. The translator holds the arguments until the call closes and
// then sends them as one arguments delta, so the OpenAI client sees one call per index with complete, valid JSON.

export interface PartialArg {
  jsonPath?: string | null;
  stringValue?: string | null;
  numberValue?: number | null;
  boolValue?: boolean | null;
  nullValue?: unknown;
}

type Node = Record<string, unknown> | unknown[];

/** `$.a.b[0]['c d']` → ['a', 'b', 0, 'c d']; undefined for a path we cannot read. */
export function parseJsonPath(path: string): Array<string | number> | undefined {
  if (!path.startsWith('$')) return undefined;
  const out: Array<string | number> = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1'));
  }
  return out;
}

const MAX_INDEX = 10_000;
/** Keys that would reach Object.prototype through plain-object assignment. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Applies one partial argument to `root`; string values at the same path concatenate. False if unreadable. */
export function applyPartialArg(root: Record<string, unknown>, arg: PartialArg): boolean {
  const path = arg.jsonPath ? parseJsonPath(arg.jsonPath) : undefined;
  if (!path || path.length === 0 || path.some((k) => typeof k === 'string' && UNSAFE_KEYS.has(k))) return false;
  let node: Node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    const nextIsIndex = typeof path[i + 1] === 'number';
    const child: unknown = (node as Record<string | number, unknown>)[key];
    if (typeof key === 'number' && (key > MAX_INDEX || !Array.isArray(node))) return false;
    if (child === undefined || child === null || typeof child !== 'object') {
      const created: Node = nextIsIndex ? [] : {};
      (node as Record<string | number, unknown>)[key] = created;
      node = created;
    } else node = child as Node;
  }
  const last = path[path.length - 1] as string | number;
  if (typeof last === 'number' && (last > MAX_INDEX || !Array.isArray(node))) return false;
  const slot = node as Record<string | number, unknown>;
  if (typeof arg.stringValue === 'string') {
    const prev = slot[last];
    slot[last] = typeof prev === 'string' ? prev + arg.stringValue : arg.stringValue;
  } else if (typeof arg.numberValue === 'number') slot[last] = arg.numberValue;
  else if (typeof arg.boolValue === 'boolean') slot[last] = arg.boolValue;
  else if (arg.nullValue !== undefined) slot[last] = null;
  else return false;
  return true;
}
