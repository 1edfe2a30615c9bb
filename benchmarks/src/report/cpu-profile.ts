// Top frames of a V8 .cpuprofile (from `--cpu-prof`): self and inclusive time per function, so a missed goal
// comes with the hot path named (file:line of the tsx-transformed source, within a line or two of the .ts).
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface HotFrame {
  frame: string;
  selfMs: number;
  /** Share of busy (non-idle) time. */
  selfPct: number;
  totalMs: number;
  totalPct: number;
}

/** Maps a generated position (0-based) to the original source, e.g. through a tsx source map. */
export type PositionResolver = (url: string, line: number, column: number) => { url: string; line: number } | undefined;

const frameName = (f: CallFrame, root: string, resolve?: PositionResolver) => {
  const at = (resolve?.(f.url, f.lineNumber, f.columnNumber) ?? { url: f.url, line: f.lineNumber }) as {
    url: string;
    line: number;
  };
  const file = at.url.replace(/^file:\/\//, '').replace(root, '');
  return `${f.functionName || '(anonymous)'} ${file || '(native)'}:${at.line + 1}`;
};

/** Aggregate self and inclusive time by frame; `root` is stripped from file paths. */
export function hotFrames(
  profile: CpuProfile,
  opts: { top?: number; root?: string; skip?: RegExp; resolve?: PositionResolver } = {},
): HotFrame[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, deltas[i] ?? 0));
  }
  // Percentages are of busy time: idle samples (waiting for I/O) are not work.
  let idleUs = 0;
  for (const [id, us] of selfUs) if (byId.get(id)?.callFrame.functionName === '(idle)') idleUs += us;
  const totalUs = Math.max(1, profile.endTime - profile.startTime - idleUs);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  // Inclusive time: a frame counts once per sample even when it recurses.
  const walk = (id: number, onStack: Set<string>): number => {
    const n = byId.get(id);
    if (!n) return 0;
    const key = frameName(n.callFrame, opts.root ?? '', opts.resolve);
    let sum = selfUs.get(id) ?? 0;
    self.set(key, (self.get(key) ?? 0) + sum);
    const fresh = !onStack.has(key);
    if (fresh) onStack.add(key);
    for (const c of n.children ?? []) sum += walk(c, onStack);
    if (fresh) {
      onStack.delete(key);
      total.set(key, (total.get(key) ?? 0) + sum);
    }
    return sum;
  };
  const root = profile.nodes[0];
  if (root) walk(root.id, new Set());
  const skip = opts.skip ?? /^\((root|program|idle|garbage collector)\)|^\(anonymous\) \(native\)/;
  return [...self.entries()]
    .filter(([k]) => !skip.test(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, opts.top ?? 25)
    .map(([frame, us]) => ({
      frame,
      selfMs: Math.round(us / 100) / 10,
      selfPct: Math.round((us / totalUs) * 1000) / 10,
      totalMs: Math.round((total.get(frame) ?? 0) / 100) / 10,
      totalPct: Math.round(((total.get(frame) ?? 0) / totalUs) * 1000) / 10,
    }));
}
