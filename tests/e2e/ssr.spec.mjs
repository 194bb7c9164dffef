// Server-side rendering with consent-widget/react (tests/ssr-app, built from the packed tarball
// by scripts/build-npm-app.sh): a Node server renders the page from the request's consent cookie
// (readConsent) under the strict CSP, and the client hydrates it with the same consent
// (ConsentWidgetProvider's initialConsent). A repeat visitor's page says "analytics on" in the
// server's HTML, hydrates with no error, and never shows "analytics off" meanwhile; in React's
// development build (StrictMode, hydration's checks) and its production build.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { banner, failOnPageProblems } from './helpers.mjs';

const app = new URL('../ssr-app/', import.meta.url).pathname;
const BUILDS = [
  ['development build (StrictMode)', 'dist-dev/client', 'development', 8201],
  ['production build', 'dist/client', 'production', 8202],
];

failOnPageProblems();

/** Starts tests/ssr-app/server.mjs serving `client`; resolves once it listens. */
function startSsrServer(port, client, mode) {
  const server = spawn(process.execPath, ['server.mjs', '--port', String(port), '--client', client], {
    cwd: app, env: { ...process.env, NODE_ENV: mode }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => { if (String(chunk).includes('listening')) resolve(server); });
    server.on('exit', (code) => reject(new Error(`server.mjs exited with ${code}`)));
  });
}

function stopSsrServer(server) {
  return new Promise((resolve) => { server.once('exit', resolve); server.kill('SIGKILL'); });
}

/**
 * Records, from the page's first parsed byte, each text #analytics-status shows, and when the
 * widget is ready (`consentwidget:ready`, and a task after it for what it re-renders).
 */
function watchAnalyticsStatus(page) {
  return page.addInitScript(() => {
    window.analyticsTexts = [];
    const record = () => {
      const status = document.getElementById('analytics-status');
      const text = status && status.textContent;
      if (text && text !== window.analyticsTexts.at(-1)) window.analyticsTexts.push(text);
    };
    new MutationObserver(record).observe(document, { childList: true, subtree: true, characterData: true });
    window.addEventListener('consentwidget:ready', () => setTimeout(() => { window.widgetReady = true; }, 0), { once: true });
  });
}

for (const [name, client, mode, port] of BUILDS) {
  test(`${name}: the server renders what the client hydrates, from the consent cookie`, async ({ page }) => {
    expect(existsSync(join(app, client, '.vite/manifest.json')), 'build it first: scripts/build-npm-app.sh').toBe(true);
    expect(existsSync(join(app, 'dist/server/render.js')), 'build it first: scripts/build-npm-app.sh').toBe(true);
    await watchAnalyticsStatus(page);
    const server = await startSsrServer(port, client, mode);
    try {
      const url = `http://127.0.0.1:${port}/`;
      const status = page.locator('#analytics-status');
      // No cookie: the server renders "analytics off", and the banner asks.
      const first = await page.goto(url);
      expect(first.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
      const firstHtml = await first.text();
      expect(firstHtml).toContain('<p id="analytics-status">analytics off</p>');
      expect(firstHtml).toContain('<script type="application/json" id="initial-consent">null</script>');
      await expect(page.getByRole('heading', { name: 'A shop rendered on the server' })).toBeVisible();
      await expect(banner(page)).toBeVisible();
      await banner(page).getByRole('button', { name: 'Accept all' }).click();
      await expect(status).toHaveText('analytics on');

      // Again, with the cookie the widget wrote: the server's HTML already says "analytics on",
      // hydration keeps it, and so does the widget once ready: the page never showed "off".
      const again = await page.reload();
      const html = await again.text();
      expect(html).toContain('<p id="analytics-status">analytics on</p>');
      expect(html).toContain('<output id="consent-status">analytics, functional, marketing, necessary</output>');
      await page.waitForFunction(() => window.widgetReady === true);
      await expect(status).toHaveText('analytics on');
      await expect(page.locator('#consent-status')).toHaveText('analytics, functional, marketing, necessary');
      expect(await page.evaluate(() => window.analyticsTexts)).toEqual(['analytics on']);
      await expect(banner(page)).toHaveCount(0);
      await expect(page.locator('consent-widget')).toHaveCount(1);

      // Forgotten: the client says so at once, and the server renders "off" again.
      await page.getByRole('button', { name: 'Forget my choice' }).click();
      await expect(status).toHaveText('analytics off');
      await expect(banner(page)).toBeVisible();
      const forgotten = await page.reload();
      expect(await forgotten.text()).toContain('<p id="analytics-status">analytics off</p>');
      await page.waitForFunction(() => window.widgetReady === true);
      expect(await page.evaluate(() => window.analyticsTexts)).toEqual(['analytics off']);
    } finally {
      await stopSsrServer(server);
    }
  });
}
