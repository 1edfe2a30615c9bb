// Parent side of upstreams-process.ts.
import { fileURLToPath } from 'node:url';
import { type Child, startChild } from '../procs/child.js';
import type { UpstreamSpec, UpstreamUrls } from './upstreams.js';

const ENTRY = fileURLToPath(new URL('./upstreams-process.ts', import.meta.url));
const SINK = fileURLToPath(new URL('./sink-process.ts', import.meta.url));

export function startUpstreams(specs: UpstreamSpec[]): Promise<Child<UpstreamUrls>> {
  return startChild<UpstreamUrls>('simulators', ENTRY, [JSON.stringify(specs)]);
}

/** A discard-everything OTLP/HTTP receiver, for the tracing-on variant. */
export function startSink(): Promise<Child<{ url: string }>> {
  return startChild<{ url: string }>('otlp-sink', SINK, []);
}
