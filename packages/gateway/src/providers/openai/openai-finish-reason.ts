// OpenAI-compatible finish_reason → the five OpenAI values. Some servers send their own (vLLM `abort`,
// older llama.cpp `eos`); unknown values become `stop` rather than breaking strict clients.
import type { FinishReason } from '../openai-chat-types.js';

export function fromOpenAIFinishReason(reason: string | null | undefined): FinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'length':
    case 'tool_calls':
    case 'content_filter':
    case 'function_call':
    case 'stop':
      return reason;
    default:
      return 'stop';
  }
}
