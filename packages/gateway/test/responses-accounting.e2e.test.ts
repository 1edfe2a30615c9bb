// /v1/responses passes the same accounting chokepoint as chat: admission sees max_output_tokens and the request
// endpoint, every request is settled or released exactly once (JSON, streams, refusals, disconnects), and the
// settled usage and integer cost equal what the client is told.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Admission, CallOutcome, GatewayObserver, GatewayRequest } from '../src/pipeline/seams.js';
import { type Harness, resetSims, startHarness } from './helpers.js';

interface Ticketed {
  req: GatewayRequest;
  settled: CallOutcome[];
  released: number;
}
const tickets: Ticketed[] = [];
const finished: Array<{ endpoint: string; status: number }> = [];
const admission: Admission = {
  async admit(req) {
    const t: Ticketed = { req, settled: [], released: 0 };
    tickets.push(t);
    return {
      keyId: 'k1',
      headers: {},
      settle: (o) => t.settled.push(o),
      release: () => {
        t.released++;
      },
    };
  },
};
const observer: GatewayObserver = {
  requestStarted() {},
  attemptFinished() {},
  requestFinished: (req, s) => finished.push({ endpoint: req.endpoint, status: s.status }),
};

let h: Harness;
let client: OpenAI;
beforeAll(async () => {
  h = await startHarness({}, { admission, observer });
  client = new OpenAI({ apiKey: 'sk-client', baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  resetSims(h.sims);
  tickets.length = 0;
  finished.length = 0;
});
const waitFor = async (cond: () => boolean) => {
  for (let i = 0; i < 250 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe.each(['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'])(
  'responses accounting → %s',
  (model) => {
    it('JSON: admission sees endpoint and max_output_tokens; settled once with the usage and cost the client got', async () => {
      const res = await client.responses.create({ model, input: 'hi', max_output_tokens: 77 });
      const t = tickets[0];
      expect(t?.req.endpoint).toBe('responses');
      expect(t?.req.maxOutputTokens).toBe(77);
      expect(t?.settled).toHaveLength(1);
      expect(t?.released).toBe(0);
      const outcome = t?.settled[0];
      expect(outcome?.usage?.inputTokens).toBe(res.usage?.input_tokens);
      expect(outcome?.usage?.outputTokens).toBe(res.usage?.output_tokens);
      expect(Number(outcome?.cost?.totalNanos) / 1e9).toBeCloseTo((res.usage as { cost?: number }).cost ?? -1, 9);
      expect(finished).toEqual([{ endpoint: 'responses', status: 200 }]);
    });

    it('stream: settled once at the end, with the usage of response.completed', async () => {
      const stream = client.responses.stream({ model, input: 'Tell a story' });
      const final = await stream.finalResponse();
      await waitFor(() => (tickets[0]?.settled.length ?? 0) > 0);
      expect(tickets[0]?.settled).toHaveLength(1);
      expect(tickets[0]?.settled[0]?.usage?.outputTokens).toBe(final.usage?.output_tokens);
      expect(Number(tickets[0]?.settled[0]?.cost?.totalNanos) / 1e9).toBeCloseTo(
        (final.usage as { cost?: number }).cost ?? -1,
        9,
      );
    });

    it('client disconnect mid-stream: settled exactly once, as cancelled', async () => {
      h.sims[model.split('/')[0] as 'openai'].setScenario({ chunkDelayMs: 50, outputTokens: 40 });
      const ac = new AbortController();
      const res = await fetch(`${h.gw.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, input: 'long', stream: true }),
        signal: ac.signal,
      });
      await res.body?.getReader().read();
      ac.abort();
      await waitFor(() => (tickets[0]?.settled.length ?? 0) + (tickets[0]?.released ?? 0) > 0);
      await new Promise((r) => setTimeout(r, 100));
      expect((tickets[0]?.settled.length ?? 0) + (tickets[0]?.released ?? 0)).toBe(1);
      expect(tickets[0]?.settled[0]?.error?.errorClass).toBe('cancelled');
    });

    it('upstream failure: released (never settled as a success)', async () => {
      h.sims[model.split('/')[0] as 'openai'].setScenario({ fault: { status: 400 } });
      await expect(client.responses.create({ model, input: 'hi' })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
      expect(tickets[0]?.released).toBe(1);
      expect(tickets[0]?.settled).toHaveLength(0);
    });
  },
);
