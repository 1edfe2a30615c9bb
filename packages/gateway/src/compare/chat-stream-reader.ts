// Reads an OpenAI-format chat completion stream (SSE text, as the gateway sends it) into what compare measures:
// the answer text, time to first content, usage and the gateway's `usage.cost`. Pure apart from the clock given.
import { SseParser } from '../providers/sse.js';

export interface StreamSummary {
  text: string;
  ttftMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** `usage.cost` as the gateway reported it (USD number), if any. */
  costUsd?: number;
  finishReason?: string;
  /** An error event inside the stream. */
  error?: string;
}

interface Chunk {
  choices?: Array<{
    delta?: { content?: string | null; tool_calls?: Array<{ function?: { arguments?: string } }> };
    finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; cost?: number } | null;
  error?: { message?: string };
}

/** Text answers and tool-call arguments both count as "the answer" (structured output via tools). */
export class ChatStreamReader {
  private readonly parser = new SseParser();
  private readonly out: StreamSummary = { text: '' };

  constructor(
    private readonly startedAt: number,
    private readonly now: () => number,
  ) {}

  push(piece: string | Uint8Array): void {
    for (const ev of this.parser.push(piece)) {
      if (ev.data === '[DONE]' || ev.data === '') continue;
      let chunk: Chunk;
      try {
        chunk = JSON.parse(ev.data) as Chunk;
      } catch {
        continue;
      }
      if (chunk.error) {
        this.out.error = chunk.error.message ?? 'stream error';
        continue;
      }
      for (const choice of chunk.choices ?? []) {
        let piece = choice.delta?.content ?? '';
        for (const tc of choice.delta?.tool_calls ?? []) piece += tc.function?.arguments ?? '';
        if (piece) {
          if (this.out.ttftMs === undefined) this.out.ttftMs = this.now() - this.startedAt;
          this.out.text += piece;
        }
        if (choice.finish_reason) this.out.finishReason = choice.finish_reason;
      }
      const u = chunk.usage;
      if (u) {
        if (u.prompt_tokens !== undefined) this.out.inputTokens = u.prompt_tokens;
        if (u.completion_tokens !== undefined) this.out.outputTokens = u.completion_tokens;
        if (typeof u.cost === 'number') this.out.costUsd = u.cost;
      }
    }
  }

  summary(): StreamSummary {
    return { ...this.out };
  }
}
