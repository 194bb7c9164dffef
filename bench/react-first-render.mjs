// What consent-widget/react costs a React app's first render: tests/react-app built by its own
// Vite (tests/react-app/node_modules) (a) with <ConsentWidgetProvider> as src/main.js has it and
// (b) without the widget (consent-widget and consent-widget/react replaced, at build time only, by
// modules whose provider is a Fragment and whose hooks say "no consent"; the same DOM), each
// visited cold in a fresh browser context on bench/run.mjs's slow profile (4x CPU, 150 ms,
// 1.6 Mbps), the variants taking turns going first. Prints medians, the ratio (a)/(b), the main
// chunk's size in each, and when the banner shows in (a).
//   node bench/react-first-render.mjs [--runs 7]
//   ... --explain   also (c) the package bundled as in (a) but init() never called, and the
//                   size of each of the package's modules in (a)'s main chunk
//
// "First render" is the first animation frame in which the app's <h1> has a box: a
// MutationObserver (an init script, the same in every variant, nothing added to the app) sees
// React's commit insert it and asks for the next frame, whose callback forces style and layout
// and takes the time, just before that frame's paint: the same definition as the bench's
// "banner visible". Work the provider's effect does before that paint counts; the commit alone
// would miss it, so the commit's time is printed beside it, and Chromium's first-contentful-paint
// (the app's text is the page's only content) as a cross-check. The page reports through a
// binding, so Playwright injects no script into it while it loads.
import { chromium } from '@playwright/test';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { PROFILE, throttle } from './measure.mjs';
import { probe } from './probe.mjs';
import { startServer } from './server.mjs';

const root = new URL('../', import.meta.url).pathname;
const appDir = join(root, 'tests', 'react-app');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const TITLE = 'Your privacy, your choice';
const BUILD_MS = 180_000;
const VISIT_MS = 60_000;

function fail(message) {
  console.error(`react-first-render: ${message}`);
  process.exit(1);
}

let runs;
let explain;
try {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, explain: { type: 'boolean', default: false } } });
  if (!/^[1-9]\d*$/.test(values.runs)) throw new Error(`--runs wants a positive whole number, not ${values.runs}`);
  runs = Number(values.runs);
  explain = values.explain;
} catch (error) {
  fail(`${error.message}; usage: node bench/react-first-render.mjs [--runs N] [--explain]`);
}

// Everything the run needs, checked before anything starts.
const vitePath = join(appDir, 'node_modules', 'vite', 'dist', 'node', 'index.js');
const esbuildPath = join(appDir, 'node_modules', 'esbuild', 'lib', 'main.js');
const needed = [
  [vitePath, 'Vite in tests/react-app/node_modules: run bash scripts/build-npm-app.sh'],
  [esbuildPath, 'esbuild (Vite\'s) in tests/react-app/node_modules: run bash scripts/build-npm-app.sh'],
  [join(appDir, 'node_modules', 'react', 'package.json'), 'React in tests/react-app/node_modules: run bash scripts/build-npm-app.sh'],
  [join(appDir, 'node_modules', 'consent-widget', 'react.js'), 'the consent-widget package installed in tests/react-app: run bash scripts/build-npm-app.sh'],
  [join(appDir, 'src', 'main.js'), 'tests/react-app/src/main.js'],
  [chromiumPath, `Chromium at ${chromiumPath} (set CHROMIUM to another)`],
];
for (const [path, what] of needed) if (!existsSync(path)) fail(`missing ${what}`);

/** Rejects after `ms` with "`what` took longer than ..." unless `promise` settles first. */
function deadline(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

// The app without the widget: the same main.js, its two imports of the package resolved to these.
const NO_WIDGET = {
  'consent-widget': 'export function reset() {}',
  'consent-widget/react': [
    "import { createElement, Fragment } from 'react';",
    'export function ConsentWidgetProvider({ children }) { return createElement(Fragment, null, children); }',
    'export const useConsent = () => null;',
    'export const useAcceptedCategory = () => false;',
    'export const useAcceptedService = () => false;',
  ].join('\n'),
};
const noWidget = {
  name: 'bench-no-widget',
  enforce: 'pre',
  resolveId: (id) => (id in NO_WIDGET ? `\0no-widget:${id}` : null),
  load: (id) => (id.startsWith('\0no-widget:') ? NO_WIDGET[id.slice('\0no-widget:'.length)] : null),
};

// --explain: the package bundled as in (a) but the provider's effect not calling init() (the
// code kept reachable behind a flag no one sets), which splits (a)'s extra time between the
// package's bytes in the main chunk and what init() does before the first paint.
const REACT_BINDING = /node_modules\/consent-widget\/react\.js$/;
const noInit = {
  name: 'bench-no-init',
  transform(code, id) {
    if (!REACT_BINDING.test(id)) return null;
    if (!code.includes('init(text);')) throw new Error('consent-widget/react no longer calls init(text): update bench/react-first-render.mjs');
    return code.replace('init(text);', 'if (globalThis.__benchInit) init(text);');
  },
};

// The installed package, whose files the report names by a hash.
const PACKAGE = join(appDir, 'node_modules', 'consent-widget');
const versionOf = (name) => JSON.parse(readFileSync(join(appDir, 'node_modules', name, 'package.json'), 'utf8')).version;
const viteVersion = versionOf('vite');
const reactVersion = versionOf('react');

const VARIANTS = [
  { id: 'with', name: 'with ConsentWidgetProvider', plugins: [], banner: true },
  { id: 'without', name: 'without the widget', plugins: [noWidget], banner: false },
];
const EXPLAIN = [
  { id: 'no-init', name: 'the package bundled, init() not called', plugins: [noInit], banner: false },
];

// tests/react-app/vite.config.mjs's production build (target es2022, minified), written out here
// (configFile: false) so that the bench leaves the app's folder as it found it. Returns, for each
// variant, the modules of its entry chunk as Rollup rendered them (before minification).
async function buildVariants(variants, out) {
  const { build } = await import(pathToFileURL(vitePath).href);
  for (const variant of variants) {
    variant.dir = join(out, variant.id);
    const output = await deadline(build({
      root: appDir,
      configFile: false,
      base: `/${variant.id}/`,
      cacheDir: join(out, 'vite-cache'),
      logLevel: 'warn',
      plugins: variant.plugins,
      build: { target: 'es2022', outDir: variant.dir, emptyOutDir: true, minify: true },
    }), BUILD_MS, `building the app ${variant.name}`);
    const chunks = [output].flat().flatMap((o) => o.output || []);
    const entry = chunks.find((c) => c.type === 'chunk' && c.isEntry);
    if (!entry || !existsSync(join(variant.dir, 'index.html'))) throw new Error(`the build ${variant.name} wrote no entry chunk or no index.html`);
    variant.entry = `/${variant.id}/${entry.fileName}`;
    variant.modules = entry.modules;
  }
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function serverEntries(variants) {
  const entries = new Map();
  for (const variant of variants) {
    for (const file of files(variant.dir)) {
      const path = `/${variant.id}/${relative(variant.dir, file)}`;
      if (path.endsWith('/index.html')) entries.set(path.slice(0, -'index.html'.length), { raw: readFileSync(file), html: true });
      else entries.set(path, { raw: readFileSync(file) });
    }
    const html = readFileSync(join(variant.dir, 'index.html'), 'utf8');
    if (!html.includes(`src="${variant.entry}"`)) throw new Error(`the ${variant.name} build's index.html does not load ${variant.entry}`);
  }
  return entries;
}

// Which build of the package was measured: its version and a hash of its JavaScript files.
function packageBuild() {
  const hash = createHash('sha256');
  for (const name of readdirSync(PACKAGE).filter((n) => n.endsWith('.js')).sort()) hash.update(name).update(readFileSync(join(PACKAGE, name)));
  const { version } = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
  return `consent-widget ${version} as installed in tests/react-app (its .js files: sha256 ${hash.digest('hex').slice(0, 16)})`;
}

const brotli = (text) => zlib.brotliCompressSync(Buffer.from(text), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

// The package's share of (a)'s main chunk, module by module: each minified alone by Vite's esbuild
// and brotli-compressed alone (so the parts add up to a little more than their share of the chunk).
async function packageModules(variant) {
  const esbuild = (await import(pathToFileURL(esbuildPath).href)).default;
  const rows = [];
  for (const [id, module] of Object.entries(variant.modules)) {
    const match = id.match(/node_modules\/consent-widget\/(.+)$/);
    if (!match || !module.code) continue;
    let code = module.code;
    try {
      code = (await esbuild.transform(module.code, { minify: true, target: 'es2022' })).code;
    } catch {
      // Left unminified; marked below.
      code = null;
    }
    rows.push({ file: match[1], rendered: module.renderedLength, minified: code?.length ?? null, br: brotli(code ?? module.code) });
  }
  return rows.sort((a, b) => b.br - a.br);
}

// Runs in the page before its scripts: the app's first frame with its <h1>, and the paint entries;
// reported through the binding `__reportFirstRender` once the h1 (and the banner, `banner`) showed
// and first-contentful-paint has been delivered (given up on 2 s after the frame).
function firstRenderProbe(banner) {
  const state = { commitAt: null, renderedAt: null, fcp: null };
  window.__firstRender = state;
  const report = () => {
    if (state.renderedAt === null || (banner && window.__bench.shownAt === null)) return false;
    if (state.fcp === null && performance.now() - state.renderedAt < 2000) return false;
    window.__reportFirstRender({
      ...state,
      shownAt: window.__bench.shownAt,
      longTasks: window.__bench.longTasks,
      resources: performance.getEntriesByType('resource').map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd })),
    });
    return true;
  };
  const h1 = () => document.querySelector('#root h1');
  const frame = () => {
    const box = h1().getBoundingClientRect();
    if (box.width === 0 || box.height === 0) { requestAnimationFrame(frame); return; }
    state.renderedAt = performance.now();
    // The banner comes later (after the commit, from the provider's effect): checked every 50 ms.
    const poll = () => { if (!report()) setTimeout(poll, 50); };
    poll();
  };
  // Called at the microtask checkpoint after the task in which React committed the tree.
  const observer = new MutationObserver(() => {
    if (state.commitAt !== null || !h1()) return;
    state.commitAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(frame);
  });
  observer.observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') state.fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
}

async function visit(browser, server, variant) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    let reported;
    const result = new Promise((resolve) => { reported = resolve; });
    await page.exposeBinding('__reportFirstRender', (_source, data) => reported(data));
    await page.addInitScript(probe, TITLE);
    await page.addInitScript(firstRenderProbe, variant.banner);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await throttle(cdp);
    await page.goto(`${server.origin}/${variant.id}/`, { waitUntil: 'commit', timeout: VISIT_MS });
    const data = await deadline(result, VISIT_MS, `${variant.name}: the first render${variant.banner ? ' and the banner' : ''}`)
      .catch(async (error) => {
        const seen = await page.evaluate(() => ({ ...window.__firstRender, shownAt: window.__bench?.shownAt })).catch(() => ({}));
        throw new Error(`${error.message} (seen: ${JSON.stringify(seen)})`);
      });
    const main = data.resources.find((r) => new URL(r.url).pathname === variant.entry);
    const before = data.longTasks.filter((t) => t.start < data.renderedAt);
    return {
      commitAt: data.commitAt,
      renderedAt: data.renderedAt,
      fcp: data.fcp,
      shownAt: variant.banner ? data.shownAt : null,
      mainArrived: main ? main.end : null,
      arrivedToCommit: main ? data.commitAt - main.end : null,
      commitToFrame: data.renderedAt - data.commitAt,
      longTasks: before.length,
      longTaskMs: before.reduce((sum, t) => sum + t.duration, 0),
    };
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const cell = (values, unit = ' ms') => {
  const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  if (!sorted.length) return '–';
  const [m, lo, hi] = [median(sorted), sorted[0], sorted[sorted.length - 1]].map((v) => v.toFixed(0));
  return lo === hi ? `${m}${unit}` : `${m}${unit} (${lo}–${hi})`;
};
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

async function main() {
  const variants = explain ? [...VARIANTS, ...EXPLAIN] : VARIANTS;
  // Last resort, should a step hang where no deadline reaches it (a browser that stops answering).
  const limit = BUILD_MS * variants.length + 60_000 + runs * variants.length * 2 * VISIT_MS;
  setTimeout(() => fail(`the whole run took longer than ${limit / 1000} s; stopped`), limit).unref();
  const out = mkdtempSync(join(tmpdir(), 'react-first-render-'));
  let server;
  let browser;
  try {
    browser = await deadline(chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'] }), 60_000, 'starting Chromium')
      .catch((error) => { throw new Error(`could not start Chromium at ${chromiumPath}: ${error.message.split('\n')[0]}`); });
    console.log(`building ${variants.length} variants of tests/react-app with its own Vite...`);
    await buildVariants(variants, out);
    console.log('compressing the files (brotli -q 11, gzip -9)...');
    server = await startServer(serverEntries(variants));
    const results = Object.fromEntries(variants.map((v) => [v.id, []]));
    for (let run = 0; run < runs; run++) {
      // The variants take turns going first, so that none always meets the fresher machine.
      const order = variants.map((_, i) => variants[(i + run) % variants.length]);
      for (const variant of order) results[variant.id].push(await deadline(visit(browser, server, variant), 2 * VISIT_MS, `a visit ${variant.name}`));
      const times = variants.map((v) => `${results[v.id][run].renderedAt.toFixed(0)} ms ${v.id}`).join(', ');
      console.log(`run ${run + 1}/${runs}: first render ${times}; banner ${results.with[run].shownAt.toFixed(0)} ms`);
    }

    const column = (id, key) => results[id].map((r) => r[key]);
    const ratio = (id, key) => median(column(id, key)) / median(column('without', key));
    // Each run's own ratio (the two visits of a run are seconds apart): less moved by a machine
    // whose load changes over the minutes of a run.
    const paired = (id, key) => median(results[id].map((r, i) => r[key] / results.without[i][key]));
    const chunk = (v) => {
      const route = server.routes.get(v.entry);
      return `${kb(route.raw.length)} raw, ${kb(route.br.length)} brotli`;
    };
    const rows = [
      ['main chunk (all the app loads before its first render)', chunk],
      ['main chunk arrived (responseEnd)', (v) => cell(column(v.id, 'mainArrived'))],
      ['React committed the <h1> (end of that task)', (v) => cell(column(v.id, 'commitAt'))],
      ['main chunk arrived → commit (each run)', (v) => cell(column(v.id, 'arrivedToCommit'))],
      ['commit → first frame (each run)', (v) => cell(column(v.id, 'commitToFrame'))],
      ['**first render: first frame with the <h1>**', (v) => cell(column(v.id, 'renderedAt'))],
      ['first-contentful-paint', (v) => cell(column(v.id, 'fcp'))],
      ['long tasks > 50 ms before the first render: count; total', (v) => `${cell(column(v.id, 'longTasks'), '')}; ${cell(column(v.id, 'longTaskMs'))}`],
      ['banner visible', (v) => (v.banner ? cell(column(v.id, 'shownAt')) : '')],
    ];
    console.log(`\n${packageBuild()}; Vite ${viteVersion}, React ${reactVersion}`);
    console.log(`${runs} runs of each, interleaved, each in a fresh browser context; Chromium ${browser.version()}; `
      + `CPU ${PROFILE.cpuRate}x slower, ${PROFILE.latencyMs} ms latency, ${PROFILE.downloadKbps / 1000} Mbps down; medians (min–max), ms from navigation start\n`);
    console.log(`| | ${variants.map((v) => v.name).join(' | ')} |\n|${'---|'.repeat(variants.length + 1)}`);
    for (const [label, value] of rows) console.log(`| ${label} | ${variants.map(value).join(' | ')} |`);
    console.log('');
    for (const v of variants.filter((x) => x.id !== 'without')) {
      console.log(`${v.name} / without: first render ×${ratio(v.id, 'renderedAt').toFixed(2)}, median of each run's ratio ×${paired(v.id, 'renderedAt').toFixed(2)} `
        + `(main chunk arrived ×${ratio(v.id, 'mainArrived').toFixed(2)}, commit ×${ratio(v.id, 'commitAt').toFixed(2)}, first-contentful-paint ×${ratio(v.id, 'fcp').toFixed(2)})`);
    }
    const firstRender = ratio('with', 'renderedAt');
    console.log(`goal, first render with the widget at most ×1.05 without it: ${firstRender <= 1.05 ? 'met' : 'NOT met'} (×${firstRender.toFixed(2)})`);
    if (explain) {
      const modules = await packageModules(variants[0]);
      console.log('\nthe package\'s modules in the main chunk with ConsentWidgetProvider (each minified and brotli-compressed alone):\n');
      console.log('| module | rendered (B) | minified (B) | brotli (B) |\n|---|---|---|---|');
      for (const m of modules) console.log(`| ${m.file} | ${m.rendered} | ${m.minified ?? '–'} | ${m.br} |`);
      const sum = (key) => modules.reduce((total, m) => total + (m[key] ?? 0), 0);
      console.log(`| all ${modules.length} | ${sum('rendered')} | ${sum('minified')} | ${sum('br')} |`);
    }
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((error) => fail(error.message));
