// Upstream SSE → what the chat pipeline sends on. Two sources: same-format OpenAI pass-through (events forwarded
// as they arrive; only the usage chunk is rewritten to carry the cost) and a provider translator (adapter).
// Both fill the CallMeta (usage, cost, finish reasons, first token) while streaming.
import { buildErrorInfo, classifyStreamError, type ErrorInfo, openaiUsage, type PriceSource } from '@switchyard/core';
import type { ChatCompletionChunk } from '../providers/openai-chat-types.js';
import type { ChatStreamTranslator, SseEvent } from '../providers/provider-adapter.js';
import { encodeSse, SseParser } from '../providers/sse.js';
import { type CallMeta, checkUsage, priceUsage } from './call-meta.js';
import { addDelivered, textBytesOfChunk, textBytesOfEvent } from './delivered.js';
import { AttemptError } from './seams.js';
import type { OpenUpstream } from './upstream-call.js';

/** A raw SSE string (pass-through) or a chunk object the handler serialises (or converts to another format). */
export type StreamItem = string | ChatCompletionChunk;

export interface StreamEnv {
  open: OpenUpstream;
  meta: CallMeta;
  priceSource: PriceSource;
  now(): number;
}

/** A provider's error event inside a 200 stream: the attempt fails with this classification. */
export class InStreamError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

const USAGE = /"usage"\s*:\s*\{/;
const ERROR = /^\s*\{\s*"error"\s*:/;
const FINISH = /"finish_reason"\s*:\s*"([a-z_]+)"/g;

function withProvider(info: ErrorInfo, providerId: string): ErrorInfo {
  return { ...info, message: `${providerId}: ${info.message}` };
}

const MODEL_KEY = '"model":"';

/** The unparsed chunk with its top-level `model` (the first `"model":"…"`, before `choices`) set to `modelJson`. */
export function withModel(data: string, modelJson: string): string {
  const at = data.indexOf(MODEL_KEY);
  if (at < 0) return data;
  const end = data.indexOf('"', at + MODEL_KEY.length);
  if (end < 0) return data;
  return data.slice(0, at + 8) + modelJson + data.slice(end + 1);
}

/**
 * What a stream does with the upstream body: `push` turns each buffer into the items to send on, `end` gives the
 * items left once the body ended, and `check` (after those went out) fails a stream that ended incomplete.
 * Plain functions, not a generator per source: one async generator between the socket and the client, not two.
 */
interface StreamSource {
  push(buf: Buffer): StreamItem[];
  end(): StreamItem[];
  check?(): void;
}

/** Runs `source` over the upstream body; converts every failure into AttemptError (committed once yielded). */
async function* guarded(
  env: StreamEnv,
  source: (parser: SseParser) => StreamSource,
  finish: () => void,
): AsyncGenerator<StreamItem[], void> {
  let committed = false;
  try {
    const src = source(new SseParser(env.open.maxBodyBytes));
    for await (const buf of env.open.res.body) {
      const batch = src.push(buf);
      if (batch.length === 0) continue;
      noteFirstToken(env);
      yield batch;
      committed = true;
    }
    const tail = src.end();
    if (tail.length > 0) {
      noteFirstToken(env);
      yield tail;
      committed = true;
    }
    src.check?.();
  } catch (err) {
    const info = err instanceof InStreamError || err instanceof AttemptError ? err.info : env.open.failure(err);
    env.meta.error = info;
    throw new AttemptError(info, committed);
  } finally {
    env.open.done();
    finish();
    env.meta.endMs = env.now() - env.meta.startTime;
  }
}

function noteFirstToken(env: StreamEnv): void {
  if (env.meta.firstTokenMs === undefined) env.meta.firstTokenMs = env.now() - env.meta.startTime;
}

/** Same-format OpenAI stream. `output: 'sse'` forwards event text; `'chunks'` parses every chunk. */
export function openaiPassthroughStream(
  env: StreamEnv,
  output: 'sse' | 'chunks',
  clientWantsUsage: boolean,
  model: string,
): AsyncGenerator<StreamItem[], void> {
  const { meta } = env;
  const providerId = meta.target.providerId;
  let sawDone = false;
  let sawUsage = false;
  const modelJson = JSON.stringify(model);
  const handle = (data: string, event: string | undefined): StreamItem | undefined => {
    if (data === '[DONE]') {
      sawDone = true; // the handler ends every complete stream with its own [DONE]
      return undefined;
    }
    if (data === '') return undefined;
    if (ERROR.test(data))
      throw new InStreamError(withProvider(classifyStreamError(meta.target.kind, data), providerId));
    // `includes` first: a plain substring scan settles most events without the regex.
    if (output === 'sse' && !(data.includes('"usage"') && USAGE.test(data))) {
      // Forwarded unparsed for speed, so check the cheap part: an event cut short must not reach the client.
      if (data.charCodeAt(0) !== 123 || data.charCodeAt(data.length - 1) !== 125) {
        throw new InStreamError(
          buildErrorInfo('invalid_response', `${providerId}: upstream sent an event that is not a JSON object`),
        );
      }
      // exec on the shared global regex, not matchAll (which clones the regex and builds an iterator per event).
      FINISH.lastIndex = 0;
      for (let m = FINISH.exec(data); m !== null; m = FINISH.exec(data)) if (m[1]) meta.finishReasons.push(m[1]);
      FINISH.lastIndex = 0;
      addDelivered(meta, textBytesOfEvent(data));
      const out = withModel(data, modelJson);
      // The usual event (no name, one line) without building an event object.
      if (event === undefined && out.indexOf('\n') === -1) return `data: ${out}\n\n`;
      return encodeSse(event === undefined ? { data: out } : { event, data: out });
    }
    const chunk = JSON.parse(data) as ChatCompletionChunk;
    addDelivered(meta, textBytesOfChunk(chunk));
    meta.responseModel ??= chunk.model;
    chunk.model = model;
    meta.responseId ??= chunk.id;
    for (const c of chunk.choices ?? []) if (c.finish_reason) meta.finishReasons.push(c.finish_reason);
    if (chunk.usage) {
      sawUsage = true;
      const usage = openaiUsage(chunk.usage);
      const cost = usage ? priceUsage(meta, usage, env.priceSource) : undefined;
      if (usage) meta.usageFinal = true; // OpenAI reports usage once, at the end
      if (cost !== undefined) chunk.usage.cost = cost;
      // We always ask upstream for usage (to price the call); drop the usage-only chunk if the client did not.
      if (!clientWantsUsage && chunk.choices.length === 0) return undefined;
      if (!clientWantsUsage) delete chunk.usage;
    }
    return output === 'sse' ? `data: ${JSON.stringify(chunk)}\n\n` : chunk;
  };
  const items = (events: SseEvent[]): StreamItem[] => {
    const batch: StreamItem[] = [];
    for (const ev of events) {
      const item = handle(ev.data, ev.event);
      if (item !== undefined) batch.push(item);
    }
    return batch;
  };
  return guarded(
    env,
    (parser) => ({
      push: (buf) => items(parser.push(buf)),
      end: () => items(parser.end()),
      check() {
        // Some OpenAI-compatible servers omit [DONE]; a finish_reason or the usage chunk still proves completion.
        // Without any of the three the body was cut short (e.g. the server closed the connection mid-answer).
        if (!sawDone && !sawUsage && meta.finishReasons.length === 0) {
          throw new InStreamError(
            buildErrorInfo('stream_interrupted', `provider "${providerId}" stream ended before completion`),
          );
        }
      },
    }),
    () => {},
  );
}

/** Provider stream through its adapter's translator → OpenAI chunk objects (cost added to the usage chunk). */
export function translatedStream(env: StreamEnv, translator: ChatStreamTranslator): AsyncGenerator<StreamItem[], void> {
  const { meta } = env;
  const providerId = meta.target.providerId;
  const check = () => {
    const e = translator.error();
    if (e) throw new InStreamError(e.message.startsWith(providerId) ? e : withProvider(e, providerId));
  };
  const price = (chunks: ChatCompletionChunk[]) => {
    const seen = translator.usage();
    if (seen) checkUsage(seen, providerId); // bounded when read, even before the usage chunk
    for (const chunk of chunks) {
      addDelivered(meta, textBytesOfChunk(chunk));
      if (!chunk.usage) continue;
      const usage = translator.usage();
      const cost = usage ? priceUsage(meta, usage, env.priceSource) : undefined;
      if (usage) meta.usageFinal = true; // translators emit the usage chunk once, at the end
      if (cost !== undefined) chunk.usage.cost = cost;
    }
    return chunks;
  };
  return guarded(
    env,
    (parser) => ({
      push(buf) {
        const batch: ChatCompletionChunk[] = [];
        for (const ev of parser.push(buf)) {
          batch.push(...translator.push(ev));
          check();
        }
        return batch.length ? price(batch) : batch;
      },
      end() {
        const tail: ChatCompletionChunk[] = [];
        for (const ev of parser.end()) tail.push(...translator.push(ev));
        check();
        tail.push(...translator.end());
        check();
        const seen = translator.usage();
        if (seen) checkUsage(seen, providerId);
        return tail.length ? price(tail) : tail;
      },
    }),
    () => {
      const usage = translator.usage();
      try {
        if (usage) priceUsage(meta, usage, env.priceSource);
      } catch {
        // an impossible usage already failed the attempt (checked as it was read); it is never priced
      }
      meta.finishReasons = translator.finishReasons();
    },
  );
}
