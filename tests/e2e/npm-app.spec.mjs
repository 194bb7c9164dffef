// The npm package in a real bundler app: tests/npm-app, built with Vite from the packed
// tarball, served by consent-server under its strict CSP.
import { test, expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { banner, exportedRecords, startServer, stopServer, storedConsent, watchProblems } from './helpers.mjs';

const app = new URL('../npm-app/dist/', import.meta.url).pathname;

test('the Vite app shows the banner, records a choice and uses the module API', async ({ page, context, request }) => {
  expect(existsSync(join(app, 'index.html')), 'build it first: scripts/build-npm-app.sh').toBe(true);
  const problems = watchProblems(page);
  const port = 8196;
  const server = await startServer(port, join(tmpdir(), `consent-npm-app-${Date.now()}.db`), ['--site-dir', app]);
  try {
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/`);
    await expect(page.getByRole('heading', { name: 'A shop built with Vite' })).toBeVisible();
    await banner(page).getByRole('button', { name: 'Customize' }).click();
    await page.getByRole('dialog').getByRole('switch', { name: 'Analytics' }).check();
    await page.getByRole('dialog').getByRole('button', { name: 'Save choices' }).click();
    await expect(page.locator('#consent-status')).toHaveText('analytics, necessary');
    const consent = await storedConsent(context);
    expect(await page.evaluate(() => window.npmApp.getConsent().id)).toBe(consent.id);
    // One snapshot until the consent changes, and a subscription made before init() heard it.
    expect(await page.evaluate(() => window.npmApp.getSnapshot() === window.npmApp.getSnapshot())).toBe(true);
    expect(await page.evaluate(() => window.heard)).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => window.npmApp.version)).toMatch(/^\d+\.\d+\.\d+$/);
    await expect.poll(async () => (await exportedRecords(request, base)).map((r) => [r.consentId, r.method]))
      .toEqual([[consent.id, 'custom']]);
    // The page's own hook works in the bundled app too.
    // The page's own button, not the widget's floating one of the same name.
    await page.locator('button[data-consent-widget="show-preferences"]').click();
    await expect(page.getByRole('dialog', { name: 'Cookie preferences' })).toBeVisible();
    // The catalogue entries the app names are part of the package too, bundled as chunks.
    for (const text of ['Plays YouTube videos', 'Google Fonts']) {
      await expect(page.getByRole('dialog', { name: 'Cookie preferences' })).toContainText(text);
    }
    // The policy text is a file of the package that the bundler copied, fetched on opening.
    await page.getByRole('dialog').getByRole('button', { name: 'Read the privacy policy' }).click();
    await expect(page.getByRole('dialog', { name: 'Privacy policy' })
      .getByRole('heading', { name: 'About this policy' })).toBeVisible();
    expect(await page.evaluate(() => window.appLog)).toEqual(['analytics']);
    // The next page view runs the granted tag before the wasm has arrived, once.
    let releaseWasm;
    const wasmHeld = new Promise((resolve) => { releaseWasm = resolve; });
    await page.route(/\.wasm$/, async (route) => { await wasmHeld; await route.continue(); });
    await page.reload();
    await expect.poll(() => page.evaluate(() => window.appLog)).toEqual(['analytics']);
    expect(await page.evaluate(() => window.npmApp)).toBeUndefined();
    releaseWasm();
    await expect.poll(() => page.evaluate(() => window.npmApp && window.npmApp.getConsent().id)).toBe(consent.id);
    expect(await page.evaluate(() => window.appLog)).toEqual(['analytics']);
    expect(problems).toEqual([]);
  } finally {
    await stopServer(server);
  }
});
