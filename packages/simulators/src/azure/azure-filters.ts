// Azure OpenAI's content-filter annotations and errors, as the service sends them.
import { jsonReply } from '../provider.js';
import type { JsonReply } from '../types.js';

const SAFE = { filtered: false, severity: 'safe' } as const;

/** Per-choice `content_filter_results` for an answer that passed every filter. */
export const SAFE_CONTENT_FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };

export const PROMPT_FILTER_RESULTS = [
  {
    prompt_index: 0,
    content_filter_results: {
      ...SAFE_CONTENT_FILTER_RESULTS,
      jailbreak: { filtered: false, detected: false },
    },
  },
];

export function azureError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return jsonReply(status, { error: { code, message } }, headers);
}

/** The 400 Azure returns when the prompt trips a content filter. */
export function promptFilteredError(headers: Record<string, string>): JsonReply {
  return jsonReply(
    400,
    {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: {
            hate: { filtered: false, severity: 'safe' },
            jailbreak: { filtered: false, detected: false },
            self_harm: { filtered: false, severity: 'safe' },
            sexual: { filtered: false, severity: 'safe' },
            violence: { filtered: true, severity: 'medium' },
          },
        },
      },
    },
    headers,
  );
}
