// What Bedrock Converse outputs and ConverseStream events tell a CallTracker. Tolerant of missing fields.
import { bedrockUsage } from '../usage/bedrock-usage.js';
import { asObject } from '../usage/read-fields.js';
import type { CallTracker } from './call-tracker.js';

const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);

/** The AWS request id every SDK output and error carries in `$metadata`. */
export function observeAwsMetadata(out: unknown, t: CallTracker): void {
  t.requestId ??= str(asObject(asObject(out)?.$metadata)?.requestId);
}

/** A ConverseCommand output: usage, stop reason, text. Converse names no response model or id. */
export function observeConverseOutput(out: unknown, t: CallTracker): void {
  const o = asObject(out);
  if (!o) return;
  observeAwsMetadata(o, t);
  t.usage = bedrockUsage(o.usage) ?? t.usage;
  t.setFinish([str(o.stopReason)]);
  const content = asObject(asObject(o.output)?.message)?.content;
  if (Array.isArray(content)) for (const block of content) t.addOutputText(asObject(block)?.text);
}

/** One ConverseStream event (a union: exactly one member is set). Usage arrives last, in `metadata`. */
export function observeConverseEvent(event: unknown, t: CallTracker): void {
  const e = asObject(event);
  if (!e) return;
  const delta = asObject(asObject(e.contentBlockDelta)?.delta);
  if (delta) {
    t.chunk();
    t.addOutputText(delta.text ?? asObject(delta.reasoningContent)?.text ?? asObject(delta.toolUse)?.input);
  } else if (e.messageStop) t.setFinish([str(asObject(e.messageStop)?.stopReason)]);
  else if (e.metadata) t.usage = bedrockUsage(asObject(e.metadata)?.usage) ?? t.usage;
}
