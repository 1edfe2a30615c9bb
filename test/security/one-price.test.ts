// #13 item 3: one price resolution. A metered key calling through an `openai-compatible` provider is charged
// exactly — the ledger row, the `x-switchyard-cost-usd` header and `usage.cost` (body and stream chunk) are the same
// nano-dollars, and equal the catalog library's own price for the usage the upstream reported. Before the fix the
// charge path priced by provider KIND (`openai-compatible` → unknown): the call was served, charged $0.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestbed, type Testbed, waitFor } from '../support/gateway.js';

interface Db {
  prepare(sql: string): { all(...args: unknown[]): Array<Record<string, unknown>> };
  close(): void;
}
const Database = createRequire(new URL('../../packages/gateway/package.json', import.meta.url))(
  'better-sqlite3',
) as new (
  file: string,
  o: { readonly: boolean },
) => Db;

// The catalog library itself (a dependency of core), as the independent reference for what a call costs.
const { calcPrice } = createRequire(new URL('../../packages/core/package.json', import.meta.url))(
  '@pydantic/genai-prices',
) as {
  calcPrice(u: Record<string, number>, model: string, o: { providerId: string }): { total_price: number } | null;
};

let bed: Testbed;
beforeAll(async () => {
  bed = await startTestbed({
    providers: (sims, key) => ({
      // The README's example: an openai-compatible provider with id `groq` (catalog provider by id) and an override.
      groq: { kind: 'openai-compatible', baseURL: `${sims.openai.url}/v1`, apiKey: key },
      // A private host the catalog cannot recognise, told explicitly what it bills like.
      fast: { kind: 'openai-compatible', baseURL: `${sims.openai.url}/v1`, apiKey: key, catalogProvider: 'deepseek' },
      // Unknown to the catalog by id and host: the kind's fallback infers from the model name.
      lab: { kind: 'openai-compatible', baseURL: `${sims.openai.url}/v1`, apiKey: key },
    }),
    // `refuse` would hide the bug at admission; `allow` is where a $0 charge used to slip through.
    accounts: { unknownPrice: 'allow' },
    // The README's override, keyed `<providerId>/<model>`: it must win for admission AND the charge.
    prices: { 'groq/llama-3.3-70b': { input: '0.59', output: '0.79' } },
  });
}, 120_000);
afterAll(() => bed?.close());

const nanos = (usd: string) => BigInt(usd.replace('.', '').replace(/^0+(?=\d)/, ''));

function ledgerRows(keyId: string): Array<{ cost: bigint; debit: bigint; unknown: number; provider: string }> {
  const db = new Database(bed.dbFile, { readonly: true });
  try {
    return db
      .prepare(
        "SELECT cost_nanos, debit_nanos, unknown_price, provider FROM ledger WHERE kind = 'call' AND key_id = ? ORDER BY seq",
      )
      .all(keyId)
      .map((r) => ({
        cost: BigInt(r.cost_nanos as number),
        debit: BigInt(r.debit_nanos as number),
        unknown: r.unknown_price as number,
        provider: r.provider as string,
      }));
  } finally {
    db.close();
  }
}

/** The catalog library's price for what the upstream reported, in nano-USD (its rates are whole nanos). */
function catalogNanos(provider: string, model: string, usage: { prompt_tokens: number; completion_tokens: number }) {
  const r = calcPrice({ input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens }, model, {
    providerId: provider,
  });
  if (!r) throw new Error(`catalog has no ${provider}/${model}`);
  return BigInt(Math.round(r.total_price * 1e9));
}

async function chat(key: string, model: string, stream: boolean) {
  const res = await fetch(`${bed.gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      max_tokens: 50,
      messages: [{ role: 'user', content: 'price me exactly' }],
      ...(stream && { stream: true, stream_options: { include_usage: true } }),
    }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let usage: { prompt_tokens: number; completion_tokens: number; cost?: number } | undefined;
  if (stream) {
    for (const line of text.split('\n')) {
      if (!line.startsWith('data: {')) continue;
      const chunk = JSON.parse(line.slice(6));
      if (chunk.usage) usage = chunk.usage;
    }
  } else usage = JSON.parse(text).usage;
  return { status: res.status, header: res.headers.get('x-switchyard-cost-usd'), usage };
}

describe('one price resolution, end to end (real gateway process, SQLite ledger)', () => {
  it.each([
    ['groq/llama-3.3-70b-versatile', 'groq', 'llama-3.3-70b-versatile', false],
    ['groq/llama-3.3-70b-versatile', 'groq', 'llama-3.3-70b-versatile', true],
    ['fast/deepseek-chat', 'deepseek', 'deepseek-chat', false],
  ] as const)(
    '%s (stream: %s): charged the catalog price; ledger = header = usage.cost',
    async (model, catalogProvider, catalogModel, stream) => {
      const { id, key } = await bed.createKey({ name: `one-price-${model}`, credits_usd: '1' });
      const r = await chat(key, model, stream);
      expect(r.status).toBe(200);
      expect(r.usage?.prompt_tokens).toBeGreaterThan(0);
      const expected = catalogNanos(
        catalogProvider,
        catalogModel,
        r.usage ?? { prompt_tokens: 0, completion_tokens: 0 },
      );
      expect(expected).toBeGreaterThan(0n);
      if (!stream) expect(nanos(r.header ?? '0')).toBe(expected);
      expect(BigInt(Math.round((r.usage?.cost ?? 0) * 1e9))).toBe(expected);
      await waitFor(() => ledgerRows(id).length === 1, 10_000, 'ledger row');
      const [row] = ledgerRows(id);
      expect(row).toMatchObject({ cost: expected, debit: expected, unknown: 0 });
    },
  );

  it("the README's groq example: the override keyed <providerId>/<model> is what the key is charged", async () => {
    const { id, key } = await bed.createKey({ name: 'one-price-readme', credits_usd: '1' });
    const r = await chat(key, 'groq/llama-3.3-70b', false);
    expect(r.status).toBe(200);
    const u = r.usage ?? { prompt_tokens: 0, completion_tokens: 0 };
    const expected = BigInt(u.prompt_tokens) * 590n + BigInt(u.completion_tokens) * 790n; // $0.59 / $0.79 per Mtok
    expect(nanos(r.header ?? '0')).toBe(expected);
    await waitFor(() => ledgerRows(id).length === 1, 10_000, 'ledger row');
    expect(ledgerRows(id)[0]).toMatchObject({ cost: expected, debit: expected, unknown: 0 });
  });

  it('the model-name fallback still prices an unrecognised openai-compatible host', async () => {
    const { id, key } = await bed.createKey({ name: 'one-price-lab', credits_usd: '1' });
    const r = await chat(key, 'lab/gpt-4o-mini', false);
    expect(r.status).toBe(200);
    const expected = catalogNanos('openai', 'gpt-4o-mini', r.usage ?? { prompt_tokens: 0, completion_tokens: 0 });
    expect(nanos(r.header ?? '0')).toBe(expected);
    await waitFor(() => ledgerRows(id).length === 1, 10_000, 'ledger row');
    expect(ledgerRows(id)[0]?.cost).toBe(expected);
  });
});
