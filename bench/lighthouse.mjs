// Lighthouse 12, the tool site owners run, on each product's test page: its default mobile preset
// (simulated 4x CPU, 150 ms RTT, 1.6 Mbps), performance category, in Debian's Chromium.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, 'node_modules', '.bin', 'lighthouse');
const FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run '
  + '--disable-background-networking --disable-component-update --disable-sync';

/** One Lighthouse run on `url`: performance score (0-100), Total Blocking Time and LCP in ms.
 * A run whose Chromium goes away early is tried once more. Asynchronous, because the page's
 * server runs in this very process: a synchronous child would keep it from answering. */
export async function lighthouse(url) {
  try {
    return await lighthouseOnce(url);
  } catch (error) {
    console.warn(`lighthouse: ${error.message.split('\n')[0]}; trying once more`);
    return lighthouseOnce(url);
  }
}

async function lighthouseOnce(url) {
  const folder = mkdtempSync(join(tmpdir(), 'consent-lighthouse-'));
  try {
    const output = join(folder, 'report.json');
    try {
      await promisify(execFile)(CLI, [
        url, '--quiet', '--only-categories=performance', '--output=json', `--output-path=${output}`,
        // chrome-launcher gives Chromium a fresh profile of its own.
        `--chrome-flags=${FLAGS}`,
      ], { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, timeout: 180_000 });
    } catch (error) {
      throw new Error(`lighthouse failed on ${url}: ${String(error.stderr || error.message).slice(-500)}`);
    }
    const report = JSON.parse(readFileSync(output, 'utf8'));
    if (report.runtimeError) throw new Error(`lighthouse: ${report.runtimeError.message}`);
    const audit = (id) => report.audits[id].numericValue;
    return {
      score: Math.round(report.categories.performance.score * 100),
      tbt: audit('total-blocking-time'),
      lcp: audit('largest-contentful-paint'),
      fcp: audit('first-contentful-paint'),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
