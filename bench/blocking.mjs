// What blocking with no tagging (`blocking: "untagged"`) costs a visitor: time to banner, and
// the time a page with 30 scripts of its own takes to run them, with the loader first in
// <head> and the configuration inline, blocking off ("tagged") and on, beside
// vanilla-cookieconsent's time to banner on the same article page. Throttled as bench/run.mjs
// (4x CPU, 150 ms, 1.6 Mbps); runs interleaved, medians reported.
//   node bench/blocking.mjs [--runs 7]
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { throttle } from './measure.mjs';
import { probe } from './probe.mjs';
import { articleTemplate, pageFiles, products, renderPage } from './products.mjs';
import { startServer } from './server.mjs';

const { values: options } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(options.runs);
const root = new URL('../', import.meta.url).pathname;
const widgetDir = join(root, 'dist', 'consent-widget');
const config = JSON.parse(readFileSync(join(root, 'bench/pages/consent-widget/bench-config.json'), 'utf8'));
const SCRIPTS = 30;

/** The article with the loader first in <head>, its configuration inline, and `scripts` scripts of the page's own. */
function widgetPage(blocking, scripts) {
  const own = { ...config, blocking };
  // Services with hosts, so that blocking has rules to check every element against.
  own.categories = config.categories.map((category) => (category.id === 'analytics'
    ? { ...category, services: [{ preset: 'google-analytics' }, { preset: 'hotjar' }] }
    : category.id === 'marketing' ? { ...category, services: [{ preset: 'meta-pixel' }, { preset: 'youtube' }] } : category));
  const head = `<script type="application/json" id="consent-widget-config">${JSON.stringify(own)}</script>\n`
    + '<script src="/consent-widget/consent-widget.js"></script>';
  const own30 = Array.from({ length: scripts }, (_, i) => `<script src="/own/script-${i}.js"></script>`).join('\n');
  return renderPage(readFileSync(articleTemplate, 'utf8'), {
    head,
    tracker: '<script type="text/plain" data-category="analytics" src="/tracker.js"></script>',
    body: own30,
  });
}

const entries = new Map();
for (const [path, file] of Object.entries(pageFiles)) entries.set(path, { raw: readFileSync(file) });
const vanilla = products(widgetDir).find((product) => product.id === 'vanilla-cookieconsent');
for (const [path, file] of Object.entries({ ...products(widgetDir)[0].files, ...vanilla.files })) entries.set(path, { raw: readFileSync(file) });
entries.set('/vanilla/', { raw: Buffer.from(renderPage(readFileSync(articleTemplate, 'utf8'), vanilla)), html: true });
for (let i = 0; i < SCRIPTS; i++) {
  entries.set(`/own/script-${i}.js`, { raw: Buffer.from(`window.__own = (window.__own || 0) + 1; if (window.__own === ${SCRIPTS}) window.__ownDoneAt = performance.now();`) });
}
const pages = {
  'tagged, article': '/tagged/',
  'untagged, article': '/untagged/',
  'tagged, 30 scripts': '/tagged-30/',
  'untagged, 30 scripts': '/untagged-30/',
  'vanilla-cookieconsent, article': '/vanilla/',
};
entries.set('/tagged/', { raw: Buffer.from(widgetPage('tagged', 0)), html: true });
entries.set('/untagged/', { raw: Buffer.from(widgetPage('untagged', 0)), html: true });
entries.set('/tagged-30/', { raw: Buffer.from(widgetPage('tagged', SCRIPTS)), html: true });
entries.set('/untagged-30/', { raw: Buffer.from(widgetPage('untagged', SCRIPTS)), html: true });

const server = await startServer(entries);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const results = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
try {
  for (let run = 0; run < runs; run++) {
    for (const [name, path] of Object.entries(pages)) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(probe, 'Your privacy, your choice');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await throttle(cdp);
      await page.goto(server.origin + path, { waitUntil: 'load' });
      await page.waitForFunction(() => window.__bench.shownAt !== null, null, { polling: 50 });
      const scripts = name.includes('30') ? await page.evaluate(() => window.__ownDoneAt) : null;
      const domReady = await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd);
      results[name].push({ shownAt: await page.evaluate(() => window.__bench.shownAt), scripts, domReady });
      await context.close();
    }
    console.log(`run ${run + 1}/${runs} done`);
  }
} finally {
  await browser.close();
  server.close();
}
const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.floor(sorted.length / 2)]) : null;
};
console.log(`\n| page (${runs} runs, medians) | banner visible | 30 scripts run | DOMContentLoaded |\n|---|---|---|---|`);
for (const [name, list] of Object.entries(results)) {
  const cell = (key) => (median(list.map((r) => r[key])) ?? '').toString().replace(/^(\d+)$/, '$1 ms');
  console.log(`| ${name} | ${cell('shownAt')} | ${cell('scripts')} | ${cell('domReady')} |`);
}
