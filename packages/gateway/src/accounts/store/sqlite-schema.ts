// Numbered migrations for the embedded store. Applied in order, each in a transaction, recorded in `migrations`.
export const SQLITE_MIGRATIONS: { id: number; name: string; sql: string }[] = [
  {
    id: 1,
    name: 'keys and ledger',
    sql: `
      CREATE TABLE keys (
        id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, hint TEXT NOT NULL, name TEXT NOT NULL,
        credits INTEGER NOT NULL, balance_nanos INTEGER,
        budget_daily INTEGER, budget_monthly INTEGER, budget_total INTEGER,
        models TEXT NOT NULL, rpm INTEGER, tpm INTEGER, max_concurrency INTEGER, tags TEXT NOT NULL,
        enabled INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER, created_at INTEGER NOT NULL
      );
      CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('call', 'credit')),
        key_id TEXT NOT NULL,
        request_id TEXT UNIQUE,
        idempotency_key TEXT,
        provider TEXT, model TEXT,
        input_tokens INTEGER, output_tokens INTEGER, cache_read_tokens INTEGER, cache_write_tokens INTEGER,
        reasoning_tokens INTEGER, usage_source TEXT,
        cost_nanos INTEGER NOT NULL DEFAULT 0,
        debit_nanos INTEGER NOT NULL DEFAULT 0,
        amount_nanos INTEGER NOT NULL DEFAULT 0,
        unknown_price INTEGER NOT NULL DEFAULT 0,
        outcome TEXT, error_class TEXT, reason TEXT,
        started_at INTEGER, created_at INTEGER NOT NULL,
        UNIQUE (key_id, idempotency_key)
      );
      CREATE INDEX ledger_key_time ON ledger (key_id, created_at);
      CREATE INDEX ledger_time ON ledger (created_at);
      CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
      CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
    `,
  },
  {
    id: 2,
    name: 'client request id as a reference; quarantine of unwritable rows',
    // request_id is now the gateway's own id; old rows keep theirs (readable as before, client_request_id NULL).
    sql: `
      ALTER TABLE ledger ADD COLUMN client_request_id TEXT;
      CREATE INDEX ledger_client_request ON ledger (client_request_id);
      CREATE TABLE ledger_quarantine (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, key_id TEXT, request_id TEXT, entry TEXT NOT NULL,
        error TEXT NOT NULL, created_at INTEGER NOT NULL
      );
    `,
  },
  {
    id: 3,
    name: 'ledger cache hits',
    sql: `
      ALTER TABLE ledger ADD COLUMN cache_hit INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE ledger ADD COLUMN saved_nanos INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    id: 4,
    name: 'teams; ledger rows carry team, payer, end user and tags',
    // A team's credit rows use the team id in key_id (the ledger's account column) and in team_id.
    sql: `
      CREATE TABLE teams (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, credits INTEGER NOT NULL, balance_nanos INTEGER,
        budget_daily INTEGER, budget_monthly INTEGER, budget_total INTEGER,
        rpm INTEGER, tpm INTEGER, max_concurrency INTEGER, tags TEXT NOT NULL,
        enabled INTEGER NOT NULL, created_at INTEGER NOT NULL
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
      ALTER TABLE teams ADD COLUMN eu_budget_daily INTEGER;
      ALTER TABLE teams ADD COLUMN eu_budget_monthly INTEGER;
      ALTER TABLE teams ADD COLUMN eu_budget_total INTEGER;
      ALTER TABLE teams ADD COLUMN eu_rpm INTEGER;
      ALTER TABLE teams ADD COLUMN eu_version INTEGER;
      ALTER TABLE keys ADD COLUMN eu_budget_daily INTEGER;
      ALTER TABLE keys ADD COLUMN eu_budget_monthly INTEGER;
      ALTER TABLE keys ADD COLUMN eu_budget_total INTEGER;
      ALTER TABLE keys ADD COLUMN eu_rpm INTEGER;
      ALTER TABLE keys ADD COLUMN eu_version INTEGER;
      CREATE INDEX ledger_end_user_time ON ledger (end_user, created_at);
    `,
  },
  {
    id: 6,
    name: 'alert claims: each threshold crossing is delivered once across replicas',
    sql: `
      CREATE TABLE alert_claims (claim TEXT PRIMARY KEY, created_at INTEGER NOT NULL, expires_at INTEGER);
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
