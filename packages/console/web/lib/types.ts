// The admin API's JSON as the pages read it (only the fields they use).
export interface Budgets {
  daily_usd: string | null;
  monthly_usd: string | null;
  total_usd: string | null;
}

export interface Limits {
  rpm: number | null;
  tpm: number | null;
  max_concurrency: number | null;
}

export interface Usage {
  balance_usd?: string | null;
  reserved_usd?: string;
  spent_usd?: string;
  spent_today_usd?: string;
  spent_this_month_usd?: string;
}

export interface Team extends Limits, Usage {
  id: string;
  name: string;
  status: string;
  enabled: boolean;
  credits: boolean;
  budgets: Budgets;
  tags: string[];
  created_at: string;
}

export interface Key extends Limits, Usage {
  id: string;
  name: string;
  key_hint: string;
  status: 'active' | 'disabled' | 'expired' | 'revoked';
  enabled: boolean;
  credits: boolean;
  budgets: Budgets;
  models: string[];
  tags: string[];
  team_id: string | null;
  created_at: string;
  /** only in the answer to create */
  key?: string;
}

export interface LedgerEntry {
  seq: number | null;
  kind: 'call' | 'credit';
  created_at: string;
  key_id: string;
  team_id: string | null;
  request_id?: string | null;
  client_request_id?: string | null;
  end_user?: string | null;
  tags?: string[];
  provider?: string | null;
  model?: string | null;
  input_tokens?: number;
  output_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
  usage_source?: string | null;
  cost_usd?: string;
  debit_usd?: string;
  payer?: string | null;
  unknown_price?: boolean;
  outcome?: string | null;
  error_class?: string | null;
  cache_hit?: boolean;
  saved_usd?: string;
  /** upstream attempts of a call; null when not recorded (older rows) */
  attempts?: number | null;
  started_at?: string | null;
  duration_ms?: number | null;
  amount_usd?: string;
  reason?: string | null;
  idempotency_key?: string | null;
}

export interface RouteTarget {
  target: string;
  breaker_state: string;
  latency: { ewma_ms: number; p50_ms: number; p95_ms: number; samples: number } | null;
  rate_limited_until: string | null;
}

export interface RouteView {
  route: string;
  strategy: string;
  targets: RouteTarget[];
}
