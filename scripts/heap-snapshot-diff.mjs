#!/usr/bin/env node
// Diff two V8 heap snapshots (`node --heapsnapshot-signal=SIGUSR2`, `v8.getHeapSnapshot()`): object count and self
// size per (node type, constructor name), largest growth first. A per-request leak shows as a constructor whose
// count grows with the number of requests served between the two snapshots.
// Usage: node scripts/heap-snapshot-diff.mjs early.heapsnapshot late.heapsnapshot [top=40]
import { readFileSync } from 'node:fs';

const LUMPED = { string: '(string)', 'concatenated string': '(string)', 'sliced string': '(string)', code: '(code)' };

function summarize(file) {
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [width, iType, iName, iSize] = [fields.length, ...['type', 'name', 'self_size'].map((f) => fields.indexOf(f))];
  const byKey = new Map();
  let total = 0;
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + iType]];
    const key = `${type}:${LUMPED[type] ?? String(s.strings[s.nodes[i + iName]]).slice(0, 80)}`;
    const e = byKey.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += s.nodes[i + iSize];
    total += s.nodes[i + iSize];
    byKey.set(key, e);
  }
  return { byKey, total };
}

const [earlyFile, lateFile, top = '40'] = process.argv.slice(2);
if (!earlyFile || !lateFile) {
  console.error('usage: heap-snapshot-diff.mjs early.heapsnapshot late.heapsnapshot [top]');
  process.exit(2);
}
const [a, b] = [summarize(earlyFile), summarize(lateFile)];
const MiB = 2 ** 20;
console.log(`total self size ${(a.total / MiB).toFixed(1)} → ${(b.total / MiB).toFixed(1)} MiB`);
const rows = [];
for (const key of new Set([...a.byKey.keys(), ...b.byKey.keys()])) {
  const [x, y] = [a.byKey.get(key) ?? { count: 0, bytes: 0 }, b.byKey.get(key) ?? { count: 0, bytes: 0 }];
  rows.push({ key, dBytes: y.bytes - x.bytes, dCount: y.count - x.count, from: x.count, to: y.count });
}
const show = (r) =>
  console.log(
    `${(r.dBytes / 1024).toFixed(0).padStart(8)} KiB ${String(r.dCount).padStart(8)} objs  (${r.from}→${r.to})  ${r.key}`,
  );
console.log('--- by self size');
rows
  .sort((p, q) => q.dBytes - p.dBytes)
  .slice(0, Number(top))
  .forEach(show);
console.log('--- by count');
rows
  .sort((p, q) => q.dCount - p.dCount)
  .slice(0, Number(top))
  .forEach(show);
