// Lighthouse 12, the tool site owners run, on each product's test page: its default mobile preset
// (simulated 4x CPU, 150 ms RTT, 1.6 Mbps), performance category, in Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, 'node_modules', '.bin', 'lighthouse');
const FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run '
  + '--disable-background-networking --disable-component-update --disable-sync';

/** One Lighthouse run on `url`: performance score (0-100), Total Blocking Time and LCP in ms. */
export function lighthouse(url) {
  const folder = mkdtempSync(join(tmpdir(), 'consent-lighthouse-'));
  try {
    const output = join(folder, 'report.json');
    const run = spawnSync(CLI, [
      url, '--quiet', '--only-categories=performance', '--output=json', `--output-path=${output}`,
      `--chrome-flags=${FLAGS} --user-data-dir=${join(folder, 'profile')}`,
    ], { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`lighthouse failed on ${url}: ${run.stderr.slice(-500)}`);
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
