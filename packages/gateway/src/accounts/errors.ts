// The refusals of accounts, as GatewayErrors in OpenAI's error format. Messages never echo a key.
import { GatewayError } from '../pipeline/seams.js';
import { formatUsd } from './money.js';
import type { RateState, RefusalReason } from './types.js';

export const invalidKey = (why: string) =>
  new GatewayError(401, 'invalid_request_error', 'invalid_api_key', `Invalid API key: ${why}.`);

export const modelNotAllowed = (model: string) =>
  new GatewayError(
    403,
    'invalid_request_error',
    'model_not_allowed',
    `This key is not allowed to use model '${model}'.`,
  );

export const storeUnavailable = () =>
  new GatewayError(503, 'server_error', 'accounts_unavailable', 'The accounts store is unavailable; retry shortly.', {
    'retry-after': '1',
  });

export const priceUnknown = (targets: string[]) =>
  new GatewayError(
    402,
    'insufficient_quota',
    'price_unknown',
    `No price is known for ${targets.join(', ')}; this key is metered and the gateway refuses unpriced models ` +
      `(accounts unknown_price: refuse).`,
  );

const fmtDuration = (ms: number) =>
  ms < 1000 ? `${Math.ceil(ms)}ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;

export function rateHeaders(rate: RateState): Record<string, string> {
  const h: Record<string, string> = {};
  if (rate.requests) {
    h['x-ratelimit-limit-requests'] = String(rate.requests.limit);
    h['x-ratelimit-remaining-requests'] = String(rate.requests.remaining);
    h['x-ratelimit-reset-requests'] = fmtDuration(rate.requests.resetMs);
  }
  if (rate.tokens) {
    h['x-ratelimit-limit-tokens'] = String(rate.tokens.limit);
    h['x-ratelimit-remaining-tokens'] = String(rate.tokens.remaining);
    h['x-ratelimit-reset-tokens'] = fmtDuration(rate.tokens.resetMs);
  }
  return h;
}

const MESSAGES: Record<RefusalReason, string> = {
  insufficient_credits:
    'Insufficient credits: the balance of this key does not cover the maximum cost of this request.',
  budget_daily: 'Daily budget exceeded for this key.',
  budget_monthly: 'Monthly budget exceeded for this key.',
  budget_total: 'Total budget exceeded for this key.',
  rpm: 'Rate limit reached for requests per minute (RPM) on this key.',
  tpm: 'Rate limit reached for tokens per minute (TPM) on this key.',
  concurrency: 'Too many concurrent requests on this key.',
  team_budget_daily: "Daily budget exceeded for this key's team.",
  team_budget_monthly: "Monthly budget exceeded for this key's team.",
  team_budget_total: "Total budget exceeded for this key's team.",
  team_rpm: "Rate limit reached for requests per minute (RPM) on this key's team.",
  team_tpm: "Rate limit reached for tokens per minute (TPM) on this key's team.",
  team_concurrency: "Too many concurrent requests on this key's team.",
  // The caller's own end user only: never another end user's figures.
  end_user_budget_daily: 'Daily budget exceeded for this end user.',
  end_user_budget_monthly: 'Monthly budget exceeded for this end user.',
  end_user_budget_total: 'Total budget exceeded for this end user.',
  end_user_rpm: 'Rate limit reached for requests per minute (RPM) for this end user.',
};

export function refusal(reason: RefusalReason, rate: RateState, retryAfterMs?: number): GatewayError {
  const headers = rateHeaders(rate);
  if (retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    headers['retry-after-ms'] = String(Math.ceil(retryAfterMs));
  }
  const msg = MESSAGES[reason];
  // an end-user refusal names the request field that chose the limit
  const param = reason.startsWith('end_user_') ? 'user' : null;
  if (reason === 'insufficient_credits')
    return new GatewayError(402, 'insufficient_quota', 'insufficient_credits', msg, headers);
  if (reason.includes('budget_'))
    return new GatewayError(429, 'insufficient_quota', 'budget_exceeded', msg, headers, param);
  const type = reason === 'tpm' || reason === 'team_tpm' ? 'tokens' : 'requests';
  return new GatewayError(429, type, 'rate_limit_exceeded', msg, headers, param);
}

export interface CreditShortfall {
  /** What admission tried to reserve: the request's maximum cost. */
  neededNanos: bigint;
  /** Balance minus what calls in flight hold; undefined when it could not be read. */
  availableNanos?: bigint;
  inputTokens: number;
  outputTokens: number;
  /** The output bound came from the request (`max_tokens` & co.), not from the model's maximum. */
  outputFromRequest: boolean;
}

/**
 * 402 `insufficient_credits` that says what was needed, what is there and what to do: clients such as the AI SDK
 * send `max_tokens: 64000` for Claude by default, and the reservation is priced on that bound.
 */
export function insufficientCredits(s: CreditShortfall, headers: Record<string, string>): GatewayError {
  const bound =
    s.outputTokens === 0
      ? ''
      : s.outputFromRequest
        ? ` + max_tokens ${s.outputTokens}`
        : ` + ${s.outputTokens} output tokens, the model's maximum, as the request set no max_tokens`;
  const available =
    s.availableNanos === undefined
      ? 'the balance of this key does not cover it'
      : `this key has $${formatUsd(s.availableNanos < 0n ? 0n : s.availableNanos)} available`;
  const hint = s.outputTokens === 0 ? 'Add credits' : 'Lower max_tokens to reserve less, or add credits';
  return new GatewayError(
    402,
    'insufficient_quota',
    'insufficient_credits',
    `Insufficient credits: this request needs up to $${formatUsd(s.neededNanos)} reserved (its maximum cost: ` +
      `~${s.inputTokens} input tokens${bound}), and ${available}. ${hint}; a reservation is settled to the ` +
      'actual cost when the call ends.',
    headers,
  );
}
