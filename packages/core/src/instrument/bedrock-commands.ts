// The Bedrock runtime commands instrument() records, told by their Smithy operation schema (or class name), and
// how each one's output and stream events are read: Converse / ConverseStream for every model, InvokeModel /
// InvokeModelWithResponseStream when the model is Anthropic Claude (Messages bodies in and out).
import type { CallStart, CallTracker } from './call-tracker.js';
import { observeAwsMetadata, observeConverseEvent, observeConverseOutput } from './observe-converse.js';
import { observeAnthropicBody, observeAnthropicEvent } from './observe-responses.js';

type Obj = Record<string | symbol, unknown>;

export interface BedrockCall {
  start: CallStart;
  /** The output field holding the event stream (streaming commands only). */
  streamField?: 'stream' | 'body';
  observeOutput(out: unknown, t: CallTracker): void;
  observeEvent(event: unknown, t: CallTracker): void;
}

/** `Converse` / `ConverseStream` / …: Smithy commands carry their operation schema `[9, namespace, name, …]`. */
function operationOf(command: unknown): string | undefined {
  const c = command as Obj | null;
  if (!c || typeof c !== 'object') return undefined;
  const schema = c.schema;
  if (Array.isArray(schema) && typeof schema[2] === 'string') return schema[2];
  const name = (c.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name.replace(/Command$/, '') : undefined;
}

const utf8 = new TextDecoder();
const text = (body: unknown): string =>
  typeof body === 'string' ? body : body instanceof Uint8Array ? utf8.decode(body) : '';
const json = (body: unknown): unknown => JSON.parse(text(body));
const size = (x: unknown) => () => {
  try {
    return typeof x === 'string' || x instanceof Uint8Array ? x.length : (JSON.stringify(x)?.length ?? 0);
  } catch {
    return 0;
  }
};

/** Foundation model, inference profile or ARN of an Anthropic model: `anthropic.claude-…`, `us.anthropic.…`. */
const ANTHROPIC_MODEL = /(^|[./])anthropic\./;

const converse: Pick<BedrockCall, 'observeOutput' | 'observeEvent'> = {
  observeOutput: observeConverseOutput,
  observeEvent: observeConverseEvent,
};

const invokeAnthropic: Pick<BedrockCall, 'observeOutput' | 'observeEvent'> = {
  observeOutput(out, t) {
    observeAwsMetadata(out, t);
    observeAnthropicBody(json((out as Obj).body), t);
  },
  // Each `chunk` event carries one Messages stream event as JSON bytes.
  observeEvent(event, t) {
    const bytes = ((event as Obj | undefined)?.chunk as Obj | undefined)?.bytes;
    if (bytes !== undefined) observeAnthropicEvent(json(bytes), t);
  },
};

/** The prompt as semconv input messages: the system prompt first (content capture only). */
const withSystem = (system: unknown, messages: unknown) =>
  system ? [{ role: 'system', content: system }, ...((messages as unknown[]) ?? [])] : messages;

/** The call a command describes, or undefined for a command that is not recorded (passed through untouched). */
export function bedrockCall(command: unknown): BedrockCall | undefined {
  const op = operationOf(command);
  const input = ((command as Obj | null)?.input ?? {}) as Obj;
  const requestModel = typeof input.modelId === 'string' ? input.modelId : 'unknown';
  const start = (streaming: boolean, inputChars: () => number, inputMessages: () => unknown): CallStart => ({
    provider: 'bedrock',
    operation: 'chat',
    requestModel,
    streaming,
    inputChars,
    inputMessages,
  });
  if (op === 'Converse' || op === 'ConverseStream') {
    const { messages, system } = input;
    const streaming = op === 'ConverseStream';
    return {
      start: start(streaming, size([system, messages]), () => withSystem(system, messages)),
      ...(streaming && { streamField: 'stream' as const }),
      ...converse,
    };
  }
  if ((op === 'InvokeModel' || op === 'InvokeModelWithResponseStream') && ANTHROPIC_MODEL.test(requestModel)) {
    const streaming = op === 'InvokeModelWithResponseStream';
    const body = () => json(input.body) as Obj;
    return {
      start: start(streaming, size(input.body), () => {
        const b = body();
        return withSystem(b.system, b.messages);
      }),
      ...(streaming && { streamField: 'body' as const }),
      ...invokeAnthropic,
    };
  }
  return undefined;
}
