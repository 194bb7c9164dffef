// Takes the README's screenshots (docs/*.png) of the demo served on $BASE_URL:
// banner, preferences, policy (its recipients and rights too) and the floating button, at
// desktop width and at 360 px, in English and French.
// Usage: node scripts/screenshots.mjs   (with the demo running: scripts/run.sh)
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';

const base = process.env.BASE_URL || 'http://127.0.0.1:8080';
const out = new URL('../docs/', import.meta.url);
mkdirSync(out, { recursive: true });
const text = (code, path) => path.split('.').reduce((node, key) => node[key],
  JSON.parse(readFileSync(new URL(`../locales/${code}.json`, import.meta.url), 'utf8')));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const code of ['en', 'fr']) {
  for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['mobile', { width: 360, height: 740 }]]) {
    const page = await browser.newPage({ viewport });
    await page.route(/\/(index\.html)?$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace('<html lang="en">', `<html lang="${code}">`) });
    });
    await page.goto(`${base}/`);
    const banner = page.getByRole('region', { name: text(code, 'banner.label') });
    await banner.waitFor();
    await page.screenshot({ path: new URL(`banner-${code}-${name}.png`, out).pathname });
    await banner.getByRole('button', { name: text(code, 'banner.customize') }).click();
    const preferences = page.getByRole('dialog', { name: text(code, 'preferences.title') });
    await preferences.getByText(text(code, 'preferences.details')).nth(1).click();
    await page.screenshot({ path: new URL(`preferences-${code}-${name}.png`, out).pathname });
    await preferences.getByRole('button', { name: text(code, 'preferences.policyLink') }).click();
    const policy = page.getByRole('dialog', { name: text(code, 'policy.title') });
    await policy.waitFor();
    await page.screenshot({ path: new URL(`policy-${code}-${name}.png`, out).pathname });
    // The generated recipients and the rights, with the withdrawal link.
    const heading = (id) => text(code, 'policy.document').find((block) => block.id === id).text;
    for (const id of ['recipients', 'your-rights']) {
      await policy.getByRole('navigation').getByRole('link', { name: heading(id), exact: true }).click();
      await page.screenshot({ path: new URL(`policy-${id}-${code}-${name}.png`, out).pathname });
    }
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    // Once the visitor has decided, the floating button reopens the settings.
    await banner.getByRole('button', { name: text(code, 'banner.rejectAll') }).click();
    await page.locator('consent-widget').getByRole('button', { name: text(code, 'preferences.reopen') }).waitFor();
    await page.screenshot({ path: new URL(`floating-button-${code}-${name}.png`, out).pathname });
    await page.close();
  }
}
await browser.close();
console.log(`screenshots written to ${out.pathname}`);
