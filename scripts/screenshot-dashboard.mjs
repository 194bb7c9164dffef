// Takes the README's screenshot of the admin dashboard (docs/src/images/dashboard.png) from a running
// server, signed in through its form with JavaScript off, at desktop width.
// Usage: BASE_URL=http://127.0.0.1:18480 ADMIN_TOKEN=... node scripts/screenshot-dashboard.mjs
// Demo data: `RUNS=1 bash scripts/bench-dashboard.sh sqlite 200000` leaves a year of synthetic
// records in /tmp/consent-dashboard-bench/consents.db; serve it with --admin-token.
import { chromium } from 'playwright-core';

const base = process.env.BASE_URL || 'http://127.0.0.1:8080';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, javaScriptEnabled: false });
await page.goto(`${base}/admin/login`);
await page.getByLabel('Admin token').fill(process.env.ADMIN_TOKEN);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('heading', { level: 1, name: 'Consent dashboard' }).waitFor();
await page.screenshot({ path: new URL('../docs/src/images/dashboard.png', import.meta.url).pathname, fullPage: true });
await browser.close();
