// Vertex-style streamed function-call arguments (Gemini 3 with `streamFunctionCallArguments`): each call opens with
// `functionCall{name, willContinue: true}`, then one chunk per leaf value as `partialArgs[{jsonPath, …Value}]`
// (strings in two pieces, the first with `willContinue`), then an empty `functionCall{}` closes it — the shape of
// the recorded fixture google-stream-tool-call-arguments.chunks.txt.

type Obj = Record<string, unknown>;

function leafArgs(value: unknown, path: string, out: Obj[]): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) leafArgs(v, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Obj)) {
      leafArgs(v, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}['${k.replace(/'/g, "\\'")}']`, out);
    }
  } else if (typeof value === 'string') {
    const cut = Math.ceil(value.length / 2);
    out.push({ jsonPath: path, stringValue: value.slice(0, cut), willContinue: true });
    out.push({ jsonPath: path, stringValue: value.slice(cut) });
  } else if (typeof value === 'number') out.push({ jsonPath: path, numberValue: value });
  else if (typeof value === 'boolean') out.push({ jsonPath: path, boolValue: value });
  else out.push({ jsonPath: path, nullValue: 'NULL_VALUE' });
}

/** The part lists, one per chunk, that stream these calls' arguments. */
export function streamedCallParts(calls: readonly { name: string; args: Obj }[]): Obj[][] {
  const chunks: Obj[][] = [];
  for (const call of calls) {
    chunks.push([{ functionCall: { name: call.name, willContinue: true } }]);
    const leaves: Obj[] = [];
    leafArgs(call.args, '$', leaves);
    for (const leaf of leaves) chunks.push([{ functionCall: { partialArgs: [leaf], willContinue: true } }]);
    chunks.push([{ functionCall: {} }]);
  }
  return chunks;
}
