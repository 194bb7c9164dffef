// Benchmarks Consent Widget beside vanilla-cookieconsent, Klaro and Orejime in Debian's
// headless Chromium, and writes BENCHMARKS.md.
//   node bench/run.mjs [--runs N]   N throttled cold runs per product (default 9)
//   node bench/run.mjs --check      one unthrottled run each: banner shows, tracker waits for
//                                   consent and runs after "Accept all" (no timing asserted)
import { chromium } from '@playwright/test';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { measureVisit } from './measure.mjs';
import { articleTemplate, pageFiles, pagePath, products, renderPage } from './products.mjs';
import { benchmarksMarkdown, filesTable, machine, resultsTable } from './report.mjs';
import { startServer } from './server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = 'vanilla-cookieconsent';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function parseArgs(argv) {
  const options = { runs: 9, check: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') options.check = true;
    else if (argv[i] === '--runs' && /^[1-9]\d*$/.test(argv[i + 1] || '')) options.runs = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}; usage: node bench/run.mjs [--runs N] | --check`);
  }
  return options;
}

// The loader and the wasm are whole when they parse: a build caught mid-write leaves one cut short.
function whole(dir) {
  try {
    new Script(readFileSync(join(dir, 'consent-widget.js'), 'utf8'));
    return WebAssembly.validate(readFileSync(join(dir, 'consent-widget.wasm')));
  } catch {
    return false;
  }
}

// Another build may rewrite dist/consent-widget/ at any moment: copy it, and keep the copy only
// if nothing in it changed while copying and the copy is whole.
async function snapshotWidget() {
  const source = join(root, 'dist', 'consent-widget');
  const stamp = () => readdirSync(source).map((name) => {
    const { size, mtimeMs } = statSync(join(source, name));
    return `${name}:${size}:${mtimeMs}`;
  }).join('\n');
  for (let attempt = 0; attempt < 30; attempt++) {
    const copy = mkdtempSync(join(tmpdir(), 'consent-bench-'));
    try {
      const before = stamp();
      cpSync(source, copy, { recursive: true });
      if (before === stamp() && whole(copy)) return copy;
    } catch {
      // dist/ vanished mid-copy: a build is running; try again.
    }
    rmSync(copy, { recursive: true, force: true });
    await sleep(2000);
  }
  throw new Error('dist/consent-widget/ is missing or incomplete: run bash scripts/build-widget.sh');
}

function serverEntries(list) {
  const entries = new Map();
  const add = (files) => {
    for (const [path, file] of Object.entries(files)) entries.set(path, { raw: readFileSync(file) });
  };
  add(pageFiles);
  const template = readFileSync(articleTemplate, 'utf8');
  for (const product of list) {
    entries.set(pagePath(product), { raw: Buffer.from(renderPage(template, product)), html: true });
    add(product.files);
  }
  return entries;
}

// What Chromium asked for and what the products' files went out as.
function encodingSummary(server, list) {
  const productPaths = new Set(list.flatMap((p) => Object.keys(p.files)));
  const requests = server.log.filter((r) => productPaths.has(r.path));
  const asked = [...new Set(requests.map((r) => r.acceptEncoding))].map((a) => `"${a}"`).join(', ');
  const served = [...new Set(requests.map((r) => r.encoding))].join(', ');
  return { text: `http://127.0.0.1, HTTP/1.1; Chromium sent Accept-Encoding ${asked}; product files served as ${served}`, brotliOnly: served === 'br' };
}

// Which build was measured: the wasm's hash, and the commit of the tree beside it.
function widgetBuild(widgetDir) {
  const hash = createHash('sha256').update(readFileSync(join(widgetDir, 'consent-widget.wasm'))).digest('hex');
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout.trim();
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--', '.', ':!bench', ':!BENCHMARKS.md') ? ' with uncommitted changes' : '';
  return `consent-widget.wasm sha256 ${hash.slice(0, 16)}, working tree at ${commit}${dirty}`;
}

async function check(browser, server, list) {
  let failures = 0;
  for (const product of list) {
    try {
      const r = await measureVisit(browser, server, product, { throttled: false, repeat: false, timeout: 15_000 });
      console.log(`ok    ${product.name}: banner shown at ${r.shownAt.toFixed(0)} ms, tracker held back, ran ${r.clickToTracker.toFixed(0)} ms after Accept all`);
    } catch (error) {
      failures++;
      console.log(`FAIL  ${product.name}: ${error.message}`);
    }
  }
  return failures;
}

async function benchmark(browser, server, list, runs) {
  const results = Object.fromEntries(list.map((p) => [p.id, []]));
  for (let run = 0; run < runs; run++) {
    // Products take turns going first, so none always meets a fresh browser or a busy machine.
    const order = list.map((_, i) => list[(i + run) % list.length]);
    for (const product of order) {
      const result = await measureVisit(browser, server, product, { throttled: true, repeat: true, timeout: 60_000 })
        .catch((error) => { throw new Error(`${product.name}: ${error.message}`); });
      results[product.id].push(result);
    }
    console.log(`run ${run + 1}/${runs} done`);
  }
  return results;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const widgetDir = await snapshotWidget();
  const list = products(widgetDir);
  let server;
  let browser;
  try {
    if (!options.check) console.log('compressing the files (brotli -q 11, gzip -9)...');
    server = await startServer(serverEntries(list));
    // Playwright gives every launch a fresh temporary profile and removes it on close.
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });

    if (options.check) {
      const failures = await check(browser, server, list);
      if (failures) throw new Error(`${failures} of ${list.length} products failed the check`);
      return;
    }

    const results = await benchmark(browser, server, list, options.runs);
    const encoding = encodingSummary(server, list);
    if (!encoding.brotliOnly) console.warn(`warning: not every product file was served as brotli (${encoding.text})`);
    const table = resultsTable(list, results, BASELINE);
    const widgetFiles = filesTable(results['consent-widget']);
    console.log(`\n${table}\n\nConsent Widget, files fetched during the first visit:\n\n${widgetFiles}\n\nServing: ${encoding.text}`);
    writeFileSync(join(root, 'BENCHMARKS.md'), benchmarksMarkdown({
      command: ['node bench/run.mjs', ...process.argv.slice(2)].join(' '),
      date: new Date().toISOString().slice(0, 10),
      host: machine(browser.version()),
      runs: options.runs,
      widget: widgetBuild(widgetDir),
      encoding: encoding.text,
      table,
      widgetFiles,
    }));
    console.log('\nwrote BENCHMARKS.md');
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(widgetDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
