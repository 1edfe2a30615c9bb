// The admin console in a real headless Chromium against a real gateway (spawned CLI, SQLite store, simulators):
// a wrong token is refused; sign in; create a team and a key; top up; call through the gateway with that key;
// see the spend and the ledger rows; the CSV export equals the admin API's; a call that fell back shows 2
// attempts (in the table and the call view); revoke the key; it gets 401.
// Also: the session cookie's flags, and a state change without the CSRF header is refused.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactMoney, money } from '../../packages/console/web/lib/money.js';
import { faulty, post, startTestbed, type Testbed } from '../support/gateway.js';
import { chromiumMissing, launchChromium } from './browser.js';

let bed: Testbed;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const T = 30_000; // generous: a busy 2-core box

/** Retries until the page shows it (playwright-core has no auto-waiting assertions; vitest's poll does that). */
const poll = <V>(fn: () => Promise<V>) => expect.poll(fn, { timeout: T, interval: 100 });
const text = (l: Locator) => () => l.first().textContent();

if (chromiumMissing && process.env.CI) throw new Error('chromium is required for the console suite in CI');

describe.skipIf(chromiumMissing)('admin console in Chromium', () => {
  beforeAll(async () => {
    [bed, browser] = await Promise.all([
      startTestbed({
        // a route whose first target always fails: its calls fall back, in 2 upstream attempts
        providers: (sims, k) => ({ broken: faulty(sims, 'openai', k, { fault: { kind: 'status', status: 500 } }) }),
        routes: { 'falls-back': { strategy: 'fallback', targets: ['broken/gpt-4o-mini', 'openai/gpt-4o-mini'] } },
        retry: { maxAttempts: 1 },
      }),
      launchChromium(),
    ]);
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
    context.setDefaultTimeout(T);
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await bed?.close();
  });

  const go = async (hash: string) => {
    await page.goto(`${bed.gw.url}/ui/${hash}`);
  };

  it('refuses a wrong token with a readable message, then signs in with the right one', async () => {
    await go('');
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await poll(text(page.getByRole('alert'))).toBe('That admin token is not valid.');
    expect(await context.cookies()).toEqual([]);

    await page.getByLabel('Admin token').fill(bed.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();

    const [cookie, ...others] = await context.cookies();
    expect(others).toEqual([]);
    expect(cookie).toMatchObject({
      name: 'sy_console',
      httpOnly: true,
      sameSite: 'Strict',
      path: '/ui',
      secure: false,
    });
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 3600);
    expect(cookie?.value).not.toContain(bed.adminToken);
    // The token is nowhere the page can reach: not in the DOM, storage or readable cookies.
    // (a string: the root tsconfig has no DOM types)
    const exposed = (await page.evaluate(`({
      html: document.documentElement.outerHTML,
      cookies: document.cookie,
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
    })`)) as { cookies: string };
    expect(JSON.stringify(exposed)).not.toContain(bed.adminToken);
    expect(exposed.cookies).toBe('');
  }, 120_000);

  it('refuses a state change without the CSRF header, even from the signed-in page', async () => {
    const status = await page.evaluate(async () => {
      const r = await fetch('/ui/api/v1/teams', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'forged' }),
      });
      return r.status;
    });
    expect(status).toBe(403);
    const teams = await bed.admin('GET', '/v1/teams');
    expect(teams.json.data.map((t: { name: string }) => t.name)).not.toContain('forged');
  });

  let teamId = '';
  let keyId = '';
  let secret = '';

  it('creates a team and a key (shown once), and tops the team up', async () => {
    await go('#/teams');
    await page.getByLabel('Team name').fill('Research');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByRole('heading', { name: 'Team Research' }).waitFor();
    teamId = /#\/teams\/(team_[^/?]+)/.exec(page.url())?.[1] ?? '';
    expect(teamId).not.toBe('');

    const topUp = page.getByRole('form', { name: 'Top up credits' });
    await topUp.getByLabel('Amount (USD)').fill('5');
    await topUp.getByLabel('Reason').fill('e2e top-up');
    await topUp.getByRole('button', { name: 'Add credits' }).click();
    await poll(text(page.getByRole('status').filter({ hasText: 'Added.' }))).toBe('Added. Balance now $5.00.');

    await go('#/teams');
    const create = page.getByRole('form', { name: 'Create a key' });
    await create.getByLabel('Key name').fill('ci-key');
    await create.getByLabel('Team').selectOption({ label: 'Research' });
    await create.getByRole('button', { name: 'Create key' }).click();
    secret = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(secret).toMatch(/^sk-sy-/);
    keyId =
      /#\/keys\/(.+)$/.exec((await page.getByRole('link', { name: 'Open key' }).getAttribute('href')) ?? '')?.[1] ?? '';
    expect((await bed.admin('GET', `/v1/keys/${keyId}`)).json).toMatchObject({ team_id: teamId, status: 'active' });
  }, 120_000);

  it('shows the spend and the ledger rows of calls made with that key; the CSV equals the API’s', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await post(
        `${bed.gw.url}/v1/chat/completions`,
        { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `hello ${i}` }], max_tokens: 20 },
        { authorization: `Bearer ${secret}`, 'x-switchyard-end-user': 'alice' },
      );
      expect(r.status).toBe(200);
    }
    const spent = (await bed.admin('GET', `/v1/teams/${teamId}`)).json.spent_today_usd as string;
    expect(spent).not.toBe('0.00');

    await go('#/');
    await poll(text(page.locator('.stat', { hasText: 'Calls today' }).locator('dd'))).toBe('3');
    await poll(text(page.locator('.stat', { hasText: 'Spend today' }).locator('dd'))).toBe(money(spent));
    const balance = (await bed.admin('GET', `/v1/teams/${teamId}`)).json.balance_usd as string;
    await poll(text(page.getByRole('row', { name: /Research/ }))).toContain(exactMoney(balance));
    await page.locator('.chart canvas').first().waitFor();

    await go(`#/keys/${keyId}`);
    await poll(text(page.locator('.summary div', { hasText: 'Spent today' }).locator('dd'))).toBe(exactMoney(spent));

    await go(`#/ledger?key_id=${keyId}`);
    const rows = page.locator('table.ledger tbody tr');
    await poll(() => rows.count()).toBe(3);
    await poll(text(rows)).toContain('openai / gpt-4o-mini');
    await rows.first().getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await poll(text(dialog)).toContain('Request id');
    await poll(text(dialog)).toContain('alice');
    const newest = (await bed.admin('GET', `/v1/ledger?key_id=${keyId}&limit=1`)).json.data[0];
    await poll(text(dialog)).toContain(newest.request_id);
    await dialog.getByRole('button', { name: 'Close' }).click();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    const api = await fetch(`${bed.gw.url}/admin/v1/ledger?key_id=${keyId}&format=csv`, {
      headers: { authorization: `Bearer ${bed.adminToken}` },
    });
    expect(csv).toBe(await api.text());
    expect(csv.trimEnd().split('\n')).toHaveLength(4);
  }, 120_000);

  it('opens a call that fell back: it shows 2 attempts (a plain call 1)', async () => {
    const r = await post(
      `${bed.gw.url}/v1/chat/completions`,
      { model: 'falls-back', messages: [{ role: 'user', content: 'fall back' }], max_tokens: 20 },
      { authorization: `Bearer ${secret}` },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('x-switchyard-attempts')).toBe('2');
    await go(`#/ledger?key_id=${keyId}&kind=call`); // a new hash: the page loads the rows afresh
    const rows = page.locator('table.ledger tbody tr');
    await poll(() => rows.count()).toBe(4);
    // The table's Attempts column (the 7th cell) agrees with the call view.
    expect(await rows.nth(0).locator('td').nth(6).textContent()).toBe('2');
    expect(await rows.nth(1).locator('td').nth(6).textContent()).toBe('1');
    const attempts = page.getByRole('dialog').locator('.summary div', { hasText: 'Attempts' }).locator('dd');
    for (const [i, shown] of [
      [0, '2 (retries, fallbacks or hedges)'],
      [1, '1'],
    ] as const) {
      await rows.nth(i).getByRole('button').click();
      await poll(text(attempts)).toBe(shown);
      await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    }
  }, 120_000);

  it('sets a key’s budgets and limits, then revokes it in the page; a call with it then gets 401', async () => {
    await go(`#/keys/${keyId}`);
    const limits = page.getByRole('form', { name: 'Budgets and limits' });
    await limits.getByLabel('Daily budget (USD)').fill('2');
    await limits.getByLabel('Requests per minute').fill('100');
    await limits.getByRole('button', { name: 'Save budgets and limits' }).click();
    await poll(text(limits.getByRole('status'))).toBe('Saved.');
    expect((await bed.admin('GET', `/v1/keys/${keyId}`)).json).toMatchObject({
      budgets: { daily_usd: '2.00', monthly_usd: null },
      rpm: 100,
      tpm: null,
    });
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('button', { name: 'Yes, revoke it' }).click();
    await poll(text(page.locator('.summary div', { hasText: 'Status' }).locator('dd'))).toBe('revoked');
    // Key records are cached per instance for up to keyCacheMs (1 s by default): poll, bounded.
    let status = 0;
    for (let i = 0; i < 50 && status !== 401; i++) {
      const r = await post(
        `${bed.gw.url}/v1/chat/completions`,
        { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'after revoke' }] },
        { authorization: `Bearer ${secret}` },
      );
      status = r.status;
      if (status !== 401) await new Promise((res) => setTimeout(res, 200));
    }
    expect(status).toBe(401);
  }, 120_000);

  it('shows routing health and the running config with every secret redacted', async () => {
    await go('#/routing');
    await page.getByRole('heading', { name: /Circuit breakers/ }).waitFor();
    await poll(text(page.getByRole('row', { name: /openai\/gpt-4o-mini/ }))).toContain('closed');
    await go('#/config');
    const config = (await page.locator('pre.config').textContent()) ?? '';
    expect(config).toContain('"apiKey": "[redacted]"');
    expect(config).toContain(bed.sims.openai.url);
    expect(config).not.toContain(bed.providerKey);
    expect(config).not.toContain(bed.adminToken);
  });

  it('fits a phone-width screen, and every control has a label', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    try {
      for (const hash of [
        '#/',
        '#/teams',
        `#/teams/${teamId}`,
        `#/keys/${keyId}`,
        '#/ledger',
        '#/routing',
        '#/config',
      ]) {
        await go(hash);
        await page.locator('main h1').waitFor();
        await poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
        const check = (await page.evaluate(`({
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          unlabelled: [...document.querySelectorAll('input, select, textarea')]
            .filter((el) => el.labels === null || el.labels.length === 0).map((el) => el.outerHTML),
        })`)) as { overflow: number; unlabelled: string[] };
        expect(check, hash).toEqual({ overflow: 0, unlabelled: [] });
      }
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('link', { name: 'Ledger' }).click();
      await page.getByRole('heading', { name: 'Ledger' }).waitFor();
    } finally {
      await page.setViewportSize({ width: 1100, height: 900 });
    }
  }, 120_000);

  it('signs out: the session is gone server-side', async () => {
    await go('#/');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    const status = await page.evaluate(async () => (await fetch('/ui/api/v1/keys')).status);
    expect(status).toBe(401);
  });
});
