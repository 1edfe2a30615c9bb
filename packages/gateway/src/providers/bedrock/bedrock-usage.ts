// Converse stop reasons for the translators. (Converse usage is parsed by core's `bedrockUsage`, shared with
// `instrument()` of the Bedrock runtime client.)

/** Converse `stopReason` → OpenAI `finish_reason`. */
export function fromConverseStopReason(
  reason: string | undefined,
): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  switch (reason) {
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return 'stop';
  }
}
