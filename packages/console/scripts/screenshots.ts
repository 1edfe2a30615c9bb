// Regenerates docs/*.png, the screenshots in README.md: a real gateway (the test bed: spawned CLI, SQLite,
// simulators) with a few teams, keys and calls, photographed page by page in Debian's Chromium. With `pngquant`
// installed (apt-get install pngquant) the PNGs are quantised to a third of their size.
//   pnpm --filter @switchyard/console screenshots
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';

import { launchChromium } from '../../../test/console/browser.js';
import { faulty, post, startTestbed } from '../../../test/support/gateway.js';

const docs = new URL('../docs/', import.meta.url).pathname;
const bed = await startTestbed({
  providers: (sims, key) => ({ flaky: faulty(sims, 'openai', key, { fault: { kind: 'status', status: 503 } }) }),
  routes: {
    smart: { strategy: 'fallback', targets: ['flaky/gpt-4o-mini', 'openai/gpt-4o-mini'] },
    fast: { strategy: 'least-latency', targets: ['openai/gpt-4o-mini', 'gemini/gemini-2.5-flash'] },
  },
});
const browser = await launchChromium();
try {
  const research = (await bed.admin('POST', '/v1/teams', { name: 'Research', credits_usd: '50' })).json;
  const support = (await bed.admin('POST', '/v1/teams', { name: 'Support bots', credits_usd: '20' })).json;
  const keys = [
    await bed.createKey({ name: 'notebook', team_id: research.id }),
    await bed.createKey({ name: 'eval-runner', team_id: research.id, budgets: { daily_usd: '5' } }),
    await bed.createKey({ name: 'helpdesk', team_id: support.id, rpm: 600 }),
  ];
  const models = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash', 'smart', 'fast'];
  for (let i = 0; i < 24; i++) {
    const k = keys[i % keys.length];
    await post(
      `${bed.gw.url}/v1/chat/completions`,
      { model: models[i % models.length], messages: [{ role: 'user', content: `question ${i}` }], max_tokens: 200 },
      { authorization: `Bearer ${k?.key}`, 'x-switchyard-end-user': `user-${i % 4}`, 'x-switchyard-tags': 'demo' },
    );
  }
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${bed.gw.url}/ui/`);
  await page.screenshot({ path: `${docs}login.png` });
  await page.getByLabel('Admin token').fill(bed.adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const shots: [string, string, string][] = [
    ['overview', '#/', '.chart canvas'],
    ['teams', '#/teams', 'table >> nth=1'],
    ['team', `#/teams/${research.id}`, 'form'],
    ['ledger', '#/ledger', 'table.ledger'],
    ['routing', '#/routing', 'table'],
    ['config', '#/config', 'pre.config'],
  ];
  for (const [name, hash, ready] of shots) {
    await page.goto(`${bed.gw.url}/ui/${hash}`);
    await page.locator(ready).first().waitFor();
    await page.screenshot({ path: `${docs}${name}.png`, fullPage: name === 'teams' });
  }
  await page.goto(`${bed.gw.url}/ui/#/ledger`);
  await page.locator('table.ledger tbody tr button').first().click();
  await page.getByRole('dialog').waitFor();
  await page.screenshot({ path: `${docs}call.png` });
  await page.setViewportSize({ width: 390, height: 760 });
  await page.goto(`${bed.gw.url}/ui/#/`);
  await page.locator('.stats').waitFor();
  await page.screenshot({ path: `${docs}phone.png` });
  const pngs = (await readdir(docs)).filter((f) => f.endsWith('.png')).map((f) => `${docs}${f}`);
  await promisify(execFile)('pngquant', ['--force', '--ext', '.png', '--quality', '70-95', ...pngs]).catch(() => {
    console.log('pngquant not found: PNGs left unquantised');
  });
  console.log(`screenshots written to ${docs}`);
} finally {
  await browser.close();
  await bed.close();
}
