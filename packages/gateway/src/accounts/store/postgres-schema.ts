// Postgres schema for keys and the append-only ledger. Migrations run under an advisory lock so several
// gateway instances starting together apply each one exactly once.
export const PG_MIGRATIONS: { id: number; name: string; sql: string }[] = [
  {
    id: 1,
    name: 'keys and ledger',
    sql: `
      CREATE TABLE keys (
        id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, hint TEXT NOT NULL, name TEXT NOT NULL,
        credits SMALLINT NOT NULL, balance_nanos BIGINT,
        budget_daily BIGINT, budget_monthly BIGINT, budget_total BIGINT,
        models TEXT NOT NULL, rpm INTEGER, tpm INTEGER, max_concurrency INTEGER, tags TEXT NOT NULL,
        enabled SMALLINT NOT NULL, expires_at BIGINT, revoked_at BIGINT, created_at BIGINT NOT NULL
      );
      CREATE TABLE ledger (
        seq BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('call', 'credit')),
        key_id TEXT NOT NULL,
        request_id TEXT UNIQUE,
        idempotency_key TEXT,
        provider TEXT, model TEXT,
        input_tokens BIGINT, output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT,
        reasoning_tokens BIGINT, usage_source TEXT,
        cost_nanos BIGINT NOT NULL DEFAULT 0,
        debit_nanos BIGINT NOT NULL DEFAULT 0,
        amount_nanos BIGINT NOT NULL DEFAULT 0,
        unknown_price SMALLINT NOT NULL DEFAULT 0,
        outcome TEXT, error_class TEXT, reason TEXT,
        started_at BIGINT, created_at BIGINT NOT NULL,
        UNIQUE (key_id, idempotency_key)
      );
      CREATE INDEX ledger_key_time ON ledger (key_id, created_at);
      CREATE INDEX ledger_time ON ledger (created_at);
      CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'ledger is append-only'; END $$;
      CREATE TRIGGER ledger_no_change BEFORE UPDATE OR DELETE ON ledger
        FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
    `,
  },
  {
    id: 2,
    name: 'client request id as a reference; quarantine of unwritable rows',
    sql: `
      ALTER TABLE ledger ADD COLUMN client_request_id TEXT;
      CREATE INDEX ledger_client_request ON ledger (client_request_id);
      CREATE TABLE ledger_quarantine (
        seq BIGSERIAL PRIMARY KEY, key_id TEXT, request_id TEXT, entry TEXT NOT NULL,
        error TEXT NOT NULL, created_at BIGINT NOT NULL
      );
    `,
  },
  {
    id: 3,
    name: 'ledger cache hits',
    sql: `
      ALTER TABLE ledger ADD COLUMN cache_hit SMALLINT NOT NULL DEFAULT 0;
      ALTER TABLE ledger ADD COLUMN saved_nanos BIGINT NOT NULL DEFAULT 0;
    `,
  },
  {
    id: 4,
    name: 'teams; ledger rows carry team, payer, end user and tags',
    // A team's credit rows use the team id in key_id (the ledger's account column) and in team_id.
    sql: `
      CREATE TABLE teams (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, credits SMALLINT NOT NULL, balance_nanos BIGINT,
        budget_daily BIGINT, budget_monthly BIGINT, budget_total BIGINT,
        rpm INTEGER, tpm INTEGER, max_concurrency INTEGER, tags TEXT NOT NULL,
        enabled SMALLINT NOT NULL, created_at BIGINT NOT NULL
      );
      ALTER TABLE keys ADD COLUMN team_id TEXT;
      ALTER TABLE ledger ADD COLUMN team_id TEXT;
      ALTER TABLE ledger ADD COLUMN payer TEXT;
      ALTER TABLE ledger ADD COLUMN end_user TEXT;
      ALTER TABLE ledger ADD COLUMN tags TEXT;
      CREATE INDEX ledger_team_time ON ledger (team_id, created_at);
    `,
  },
  {
    id: 5,
    name: 'per-end-user budgets and rpm of teams and team-less keys',
    sql: `
      ALTER TABLE teams ADD COLUMN eu_budget_daily BIGINT, ADD COLUMN eu_budget_monthly BIGINT,
        ADD COLUMN eu_budget_total BIGINT, ADD COLUMN eu_rpm INTEGER, ADD COLUMN eu_version BIGINT;
      ALTER TABLE keys ADD COLUMN eu_budget_daily BIGINT, ADD COLUMN eu_budget_monthly BIGINT,
        ADD COLUMN eu_budget_total BIGINT, ADD COLUMN eu_rpm INTEGER, ADD COLUMN eu_version BIGINT;
      CREATE INDEX ledger_end_user_time ON ledger (end_user, created_at);
    `,
  },
  {
    id: 6,
    name: 'alert claims: each threshold crossing is delivered once across replicas',
    sql: `
      CREATE TABLE alert_claims (claim TEXT PRIMARY KEY, created_at BIGINT NOT NULL, expires_at BIGINT);
      CREATE INDEX alert_claims_expiry ON alert_claims (expires_at);
    `,
  },
  {
    id: 7,
    name: 'ledger calls record their upstream attempts',
    // NULL on rows written before: unknown, never a guessed 1.
    sql: 'ALTER TABLE ledger ADD COLUMN attempts INTEGER;',
  },
];
