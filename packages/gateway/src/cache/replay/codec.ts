// One codec per client format: how a completed answer is rebuilt from the stream the client received (so a
// stream can be stored), and how a stored answer is replayed as JSON or as that format's stream. Adding a client
// format is one codec plus one line in `codecs.ts`.
import type { Usage } from '@switchyard/core';

export interface ReplayOptions {
  /** What the hit costs the client in USD (`usage.cost` where the format carries it): 0 unless hits are charged. */
  costUsd: number;
  /** OpenAI chat: the client asked for the usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
}

/** Fed the exact text sent to the client; `result` is the completed answer, or undefined if it is not one. */
export interface StreamRecorder {
  push(text: string): void;
  /** `usage`: the call's usage as the gateway priced it, for formats whose stream may have omitted it. */
  result(usage: Usage | undefined, costUsd: number | undefined): object | undefined;
}

export interface ClientCodec {
  /** Absent for endpoints without streams (embeddings). */
  recorder?(): StreamRecorder;
  /** The stored answer as the JSON response body. */
  json(body: unknown, o: ReplayOptions): unknown;
  /** The stored answer as the stream's text, event by event (absent: no streams). */
  stream?(body: unknown, o: ReplayOptions): string[];
}
