// Takes the README's screenshots (docs/src/images/*.png) from the visual review page (www/review/) served on
// $BASE_URL: the states the README shows (SHOTS: a layout of www/review/states.mjs, a theme, a
// language and the frames' width), as the review page's frames show them; and the privacy policy.
// Usage: node scripts/screenshots.mjs   (with the demo running: scripts/run.sh)
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { LAYOUTS } from '../www/review/states.mjs';

const SHOTS = [
  ['bar-bottom', 'light', 'en', 640], ['box-bottom-right', 'dark', 'en', 640], ['center', 'light', 'en', 640],
  ['preferences-dialog', 'dark', 'en', 640], ['preferences-panel', 'light', 'en', 640],
  ['bar-bottom', 'dark', 'fr', 320], ['box-top-left', 'light', 'fr', 320], ['preferences-panel', 'dark', 'fr', 320],
];

const base = process.env.BASE_URL || 'http://127.0.0.1:8080';
const out = new URL('../docs/src/images/', import.meta.url);
mkdirSync(out, { recursive: true });
// What the review page does not show any more goes.
for (const name of readdirSync(out)) if (name.endsWith('.png')) rmSync(new URL(name, out));
const text = (code, path) => path.split('.').reduce((node, key) => node[key],
  JSON.parse(readFileSync(new URL(`../locales/${code}.json`, import.meta.url), 'utf8')));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
for (const [id, theme, code, width] of SHOTS) {
  await page.goto(`${base}/review/?lang=${code}&width=${width}`);
  const layout = LAYOUTS.find((candidate) => candidate.id === id);
  const figure = page.locator(`#${id}-${theme}`);
  const frame = figure.frameLocator('iframe');
  // The frame's widget is ready once its view is shown and named.
  const shown = layout.view === 'preferences'
    ? frame.getByRole('dialog', { name: text(code, 'preferences.title') })
    : frame.getByRole('region', { name: text(code, 'banner.label') });
  await shown.waitFor();
  await figure.locator('iframe').screenshot({ path: new URL(`${id}-${theme}-${code}-${width}.png`, out).pathname });
}
// The privacy policy, opened from the banner of the default layout.
await page.goto(`${base}/review/frame.html?state=bar-bottom&theme=light&lang=en`);
await page.setViewportSize({ width: 1024, height: 700 });
await page.getByRole('region', { name: text('en', 'banner.label') }).getByRole('button', { name: text('en', 'banner.policyLink') }).click();
await page.getByRole('dialog', { name: text('en', 'policy.title') }).waitFor();
await page.screenshot({ path: new URL('policy-light-en-1024.png', out).pathname });
await browser.close();
console.log(`screenshots written to ${out.pathname}`);
