// Gemini finishReason → OpenAI finish_reason (wire-formats.md §4). Gemini has no tool-call reason: a candidate
// that returned functionCall parts finishes with `tool_calls` (the caller passes `hadToolCalls`).
import type { FinishReason } from '../openai-chat-types.js';

export function fromGeminiFinishReason(reason: string | null | undefined, hadToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'LANGUAGE':
    case 'OTHER':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
      return 'content_filter';
    default:
      // STOP, FINISH_REASON_UNSPECIFIED, MALFORMED_FUNCTION_CALL, … (LiteLLM maps these to stop)
      return hadToolCalls ? 'tool_calls' : 'stop';
  }
}

/** Stable OpenAI id for Gemini's id-less function calls: derived from ctx.id and position. */
export function geminiToolCallId(ctxId: string, choice: number, call: number): string {
  return choice === 0 ? `call_${ctxId}_${call}` : `call_${ctxId}_${choice}_${call}`;
}
