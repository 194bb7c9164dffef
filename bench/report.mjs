// Statistics and the printed/written report.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { PROFILE } from './measure.mjs';

const sum = (values) => values.reduce((a, b) => a + b, 0);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const kB = (bytes) => (bytes / 1000).toFixed(1);
const ms = (value) => value.toFixed(0);

const beforeBanner = (run, size) => sum(run.files.filter((f) => f.beforeBanner).map(size));

// Each row: a label, how to format it, and its value in one run.
const METRICS = [
  { label: 'Requests before banner', format: String, value: (r) => r.files.filter((f) => f.beforeBanner).length },
  { label: 'Bytes before banner, raw (kB)', format: kB, value: (r) => beforeBanner(r, (f) => f.raw) },
  { label: 'Bytes before banner, gzip -9 (kB)', format: kB, value: (r) => beforeBanner(r, (f) => f.gzip) },
  { label: 'Bytes before banner, brotli -q 11 (kB)', format: kB, value: (r) => beforeBanner(r, (f) => f.br) },
  { label: 'Bytes before banner, transferred (kB)', format: kB, value: (r) => beforeBanner(r, (f) => f.transferred) },
  { label: 'Banner visible (ms from navigation)', format: ms, value: (r) => r.shownAt },
  { label: 'Fully interactive (ms from navigation)', format: ms, value: (r) => r.interactiveAt },
  { label: 'Accept all → banner hidden (ms)', format: ms, value: (r) => r.clickToHidden },
  { label: 'Accept all at first sight → banner hidden (ms)', format: ms, value: (r) => r.earlyClickToHidden },
  { label: 'Accept all → tracker ran (ms)', format: ms, value: (r) => r.clickToTracker },
  { label: 'Accept all → both (ms)', format: ms, value: (r) => r.clickToBoth },
  { label: 'Long tasks > 50 ms before the banner (count)', format: String, value: (r) => r.longTasksBeforeBanner },
  { label: 'Long tasks > 50 ms (count)', format: String, value: (r) => r.longTaskCount },
  { label: 'Long tasks > 50 ms (total ms)', format: ms, value: (r) => r.longTaskTotal },
  { label: 'Cumulative Layout Shift', format: (v) => v.toFixed(3), value: (r) => r.layoutShift },
  { label: 'Repeat visit → tracker ran (ms from navigation)', format: ms, value: (r) => r.repeatTracker },
  { label: 'Repeat visit: configuration read (ms)', format: ms, value: (r) => r['repeat:configuration'], optional: true },
  { label: 'Repeat visit: stored consent applied by the loader (ms)', format: ms, value: (r) => r['repeat:stored consent applied'], optional: true },
  { label: 'Repeat visit: wasm compiled and instantiated (ms)', format: ms, value: (r) => r['repeat:wasm'], optional: true },
  { label: 'Repeat visit: widget started (ms)', format: ms, value: (r) => r['repeat:started'], optional: true },
  { label: 'Hero page: banner visible (ms from navigation)', format: ms, value: (r) => r.heroShownAt },
  { label: 'Hero page: Largest Contentful Paint (ms)', format: ms, value: (r) => r.heroLcp },
  { label: 'Lighthouse 12 mobile: performance score', format: String, value: (r) => r.lighthouseScore, optional: true },
  { label: 'Lighthouse 12 mobile: Total Blocking Time (ms)', format: ms, value: (r) => r.lighthouseTbt, optional: true },
  { label: 'Lighthouse 12 mobile: Largest Contentful Paint (ms)', format: ms, value: (r) => r.lighthouseLcp, optional: true },
];

// "median (min–max) ×ratio", the range only when the runs differ, the ratio against the
// baseline product's median in the same invocation.
function cell(metric, allRuns, allBaselineRuns) {
  // Lighthouse runs only on some visits: its rows take the runs that have it.
  const has = (r) => metric.value(r) !== undefined;
  const runs = allRuns.filter(has);
  const baselineRuns = allBaselineRuns && allBaselineRuns.filter(has);
  if (runs.length === 0) return '–';
  const values = runs.map(metric.value);
  const mid = median(values);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  let text = metric.format(mid);
  if (metric.format(low) !== metric.format(high)) text += ` (${metric.format(low)}–${metric.format(high)})`;
  if (baselineRuns && baselineRuns.length > 0 && allBaselineRuns !== allRuns) {
    const base = median(baselineRuns.map(metric.value));
    text += base > 0 ? ` ×${(mid / base).toFixed(2)}` : ' ×–';
  }
  return text;
}

export function resultsTable(products, results, baselineId) {
  const lines = [
    `| | ${products.map((p) => p.name).join(' | ')} |`,
    `|---|${products.map(() => '---').join('|')}|`,
  ];
  for (const metric of METRICS) {
    if (metric.optional && !products.some((p) => results[p.id].some((r) => metric.value(r) !== undefined))) continue;
    const cells = products.map((p) => cell(metric, results[p.id], results[baselineId]));
    lines.push(`| ${metric.label} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

// Per file fetched during the first visit: sizes, when it was requested and had arrived (medians over
// the runs, ms from navigation start, which shows the request waterfall), and in how many runs
// it had arrived before the banner showed.
export function filesTable(runs) {
  const byPath = new Map();
  for (const run of runs) {
    for (const file of run.files) {
      if (!byPath.has(file.path)) byPath.set(file.path, []);
      byPath.get(file.path).push(file);
    }
  }
  const lines = [
    '| file | raw (B) | gzip -9 (B) | brotli -q 11 (B) | transferred (B) | requested at (ms) | arrived at (ms) | before banner (runs) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const rows = [...byPath].sort(([, a], [, b]) => median(a.map((f) => f.start)) - median(b.map((f) => f.start)));
  for (const [path, files] of rows) {
    const [first] = files;
    lines.push(`| ${path} | ${first.raw} | ${first.gzip} | ${first.br} | ${median(files.map((f) => f.transferred))} `
      + `| ${ms(median(files.map((f) => f.start)))} | ${ms(median(files.map((f) => f.end)))} `
      + `| ${files.filter((f) => f.beforeBanner).length}/${runs.length} |`);
  }
  return lines.join('\n');
}

export function machine(browserVersion) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown CPU';
  const cores = (cpuinfo.match(/^processor\s*:/gm) || []).length || os.cpus().length;
  return {
    cpu: `${model.trim()}, ${cores} cores`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    chromium: browserVersion,
    node: process.version,
  };
}

export function benchmarksMarkdown({ command, date, host, runs, widget, encoding, table, widgetFiles }) {
  return `## Consent Widget beside the peers

Consent Widget beside three open-source consent managers, each on the same test page (\`bench/pages/\`),
configured as its own documentation says, with the same three categories and one analytics script held
back until consent. This section is written by \`bench/run.mjs\`.

- Reproduce: \`${command}\` against a built widget, or \`bash scripts/bench.sh\` with the same arguments,
  which installs what is missing and builds the widget first
- Date: ${date}
- Machine: ${host.cpu}, ${host.memory} memory; Chromium ${host.chromium} (headless); Node ${host.node}
- Profile: CPU ${PROFILE.cpuRate}x slower, network ${PROFILE.latencyMs} ms latency, ${PROFILE.downloadKbps / 1000} Mbps down, `
    + `${PROFILE.uploadKbps / 1000} Mbps up (DevTools protocol emulation); viewport 1280×720
- Consent Widget build: ${widget}
- Runs: ${runs} per product, interleaved, each in a fresh browser context (cold cache)
- Serving: ${encoding}

Each cell is the median, then (min–max) when the runs differ, then the ratio to vanilla-cookieconsent's
median in the same invocation (1 kB = 1000 bytes).

${table}

How each figure is measured:

- **Bytes before banner**: the product's own files (scripts, styles, wasm, configuration; not the page's
  HTML, its CSS or tracker.js) whose response had arrived (Resource Timing \`responseEnd\`) by the frame the
  banner first showed; raw, gzip -9 and brotli -q 11 sizes of those files, and the bytes Chromium
  received for them as served (CDP \`encodedDataLength\`, headers included).
- **Banner visible**: an init script checks every animation frame for the banner title text, in the DOM
  and open shadow roots; it counts once the element has a non-empty box, is not \`visibility: hidden\` and
  has no zero opacity up its ancestors. The time is \`performance.now()\` in that frame's
  requestAnimationFrame callback, after the check has forced the frame's style and layout (so just
  before its paint), from navigation start.
- **Fully interactive**: when every control of the banner works: for the peers, whose banner is made by
  script, when it shows; for Consent Widget, whose first layer is shown before its wasm arrives, the
  \`consentwidget:ready\` event (the wasm runs).
- **Accept all →**: Playwright clicks the button named "Accept all" once the page is loaded and the network
  idle; from the click event's time (a capture listener on window; the event is dispatched when the
  press is released) to the first frame without the banner title, to tracker.js running, and the later
  of the two.
- **Accept all at first sight**: a second cold visit clicks "Accept all" as soon as the banner shows, while
  the rest still loads (for Consent Widget, before its wasm has arrived); from the click to the first
  frame without the banner. The visit also waits for tracker.js to run, so the early choice is honoured.
- **Long tasks**: PerformanceObserver \`longtask\` entries (buffered) from navigation to the end of the
  accept interaction: those that started before the banner showed, and all of them with their summed
  duration.
- **Cumulative Layout Shift**: sum of \`layout-shift\` entries without recent input over the same span.
- **Repeat visit**: the same context navigates to the page again (warm HTTP cache, consent stored); time
  from navigation start until tracker.js runs. For Consent Widget, the loader's performance marks say
  where that time goes: the configuration read, the wasm compiled and instantiated, the widget started
  (after which it releases the page's tags); the peers have no such marks (–).
- **Lighthouse 12 mobile** (with \`--lighthouse N\`): Lighthouse 12.2.3's default mobile preset (simulated
  4x CPU, 150 ms RTT, 1.6 Mbps; Lantern) on the test page, performance category only, in the same
  Chromium: score, Total Blocking Time and Largest Contentful Paint, medians over N runs.
- **Hero page**: a third cold visit to the same page with a 1280×640 PNG hero image (222 kB, made by
  \`bench/hero.mjs\`) above the article; the page's Largest Contentful Paint (the last
  \`largest-contentful-paint\` entry, no input given), which the product must not delay.

Configuration notes: vanilla-cookieconsent runs with \`hideFromBots: false\` (by default it stays hidden when
\`navigator.webdriver\` is set, as in any automated browser); Klaro's \`klaro.js\` carries its CSS and all
its translations; Orejime uses its English standard-theme bundle.

Consent Widget's files fetched during the first visit (times are medians from navigation start):

${widgetFiles}
`;
}
