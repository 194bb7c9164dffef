// One cold visit of one product's page in a fresh browser context: banner, "Accept all",
// tracker; then, in the same context, a repeat visit with the stored consent and a warm cache.
import { probe } from './probe.mjs';
import { heroPath, pagePath } from './products.mjs';

const TITLE = 'Your privacy, your choice';
export const PROFILE = { cpuRate: 4, latencyMs: 150, downloadKbps: 1600, uploadKbps: 750 };

// Playwright polls with requestAnimationFrame by default: an interval disturbs the page less.
const POLL = { polling: 50 };
// How long the hero page's entries are given to arrive once its image has painted (see measureHero).
const HERO_SETTLE_MS = 1000;
// How long a repeat visit is left alone after its load event (see measureVisit).
const REPEAT_SETTLE_MS = 1500;

export async function throttle(cdp) {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpuRate });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PROFILE.latencyMs,
    downloadThroughput: (PROFILE.downloadKbps * 1000) / 8,
    uploadThroughput: (PROFILE.uploadKbps * 1000) / 8,
  });
}

// Bytes on the wire per request, from the DevTools protocol, in request order.
function recordTransfers(cdp) {
  const byId = new Map();
  cdp.on('Network.requestWillBeSent', ({ requestId, request }) => byId.set(requestId, { url: request.url }));
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const entry = byId.get(requestId);
    if (entry) entry.transferred = encodedDataLength;
  });
  return () => [...byId.values()];
}

// The product's files fetched during the visit (Resource Timing, on the page's clock), each with
// its sizes from the server, its bytes on the wire from CDP, and whether it had arrived by the
// frame that first showed the banner.
function productFiles(resources, transfers, product, server, shownAt) {
  const seen = new Map();
  const files = [];
  for (const { url, start, end } of resources) {
    const path = new URL(url).pathname;
    const nth = seen.get(url) || 0;
    seen.set(url, nth + 1);
    if (!(path in product.files)) continue;
    const transfer = transfers.filter((t) => t.url === url)[nth] || {};
    const route = server.routes.get(path);
    files.push({
      path,
      start,
      end,
      beforeBanner: end <= shownAt,
      raw: route.raw.length,
      gzip: route.gzip.length,
      br: route.br.length,
      transferred: transfer.transferred ?? 0,
    });
  }
  return files;
}

/** A fresh browser context and page with the probe, throttled or not; `use(page, cdp)` runs the visit. */
async function inContext(browser, throttled, use) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(probe, TITLE);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (throttled) await throttle(cdp);
    return await use(page, cdp);
  } finally {
    await context.close();
  }
}

const waitForBanner = (page, timeout) => page.waitForFunction(() => window.__bench.shownAt !== null, null, { ...POLL, timeout })
  .catch(() => { throw new Error('the banner text never showed'); });

const clickAcceptAll = (page, timeout) => page.getByRole('button', { name: 'Accept all', exact: true }).click({ timeout });

async function waitForHiddenAndTracker(page, timeout) {
  await page.waitForFunction(() => window.__bench.hiddenAt !== null && window.__trackerRanAt !== undefined, null, { ...POLL, timeout })
    .catch(async () => {
      const state = await page.evaluate(() => ({ hidden: window.__bench.hiddenAt !== null, ran: window.__trackerRanAt !== undefined }));
      throw new Error(!state.ran ? 'tracker.js did not run after Accept all' : 'the banner stayed visible after Accept all');
    });
}

// options: { throttled, repeat, timeout }. Throws an Error saying what went wrong.
export async function measureVisit(browser, server, product, options) {
  const { throttled, repeat, timeout } = options;
  return inContext(browser, throttled, async (page, cdp) => {
    const transfers = recordTransfers(cdp);
    const url = server.origin + pagePath(product);
    await page.goto(url, { waitUntil: 'load', timeout });
    await waitForBanner(page, timeout);
    // The click comes once loading is over, so the interaction is timed on its own.
    await page.waitForLoadState('networkidle', { timeout });
    if (await page.evaluate(() => window.__trackerRanAt !== undefined)) {
      throw new Error('tracker.js ran before consent');
    }

    await clickAcceptAll(page, timeout);
    await waitForHiddenAndTracker(page, timeout);
    // Let the observers deliver the entries of the last tasks.
    await page.waitForTimeout(250);
    const visit = await page.evaluate(() => ({
      ...window.__bench,
      trackerRanAt: window.__trackerRanAt,
      resources: performance.getEntriesByType('resource').map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd })),
    }));
    if (visit.trackerBeforeClick) throw new Error('tracker.js ran before consent');

    const files = productFiles(visit.resources, transfers(), product, server, visit.shownAt);
    const result = {
      shownAt: visit.shownAt,
      // A banner made by script is fully usable once shown; Consent Widget's once its wasm runs.
      interactiveAt: visit.readyAt ?? visit.shownAt,
      clickToHidden: visit.hiddenAt - visit.clickAt,
      clickToTracker: visit.trackerRanAt - visit.clickAt,
      longTaskCount: visit.longTasks.length,
      longTaskTotal: visit.longTasks.reduce((sum, task) => sum + task.duration, 0),
      longTasksBeforeBanner: visit.longTasks.filter((task) => task.start < visit.shownAt).length,
      layoutShift: visit.layoutShift,
      lcp: visit.lcp ? visit.lcp.at : null,
      files,
    };
    result.clickToBoth = Math.max(result.clickToHidden, result.clickToTracker);

    if (repeat) {
      // Another URL of the same page, so the browser treats it as a new visit, not a reload.
      // Nothing is evaluated in the page until it has settled: Playwright's first wait or query in
      // a new document injects its own script (25-30 ms at 4x), which would land on whichever
      // product still has work to do on the main thread.
      await page.goto(`${url}?repeat`, { waitUntil: 'load', timeout });
      await new Promise((resolve) => setTimeout(resolve, REPEAT_SETTLE_MS));
      await page.waitForFunction(() => window.__trackerRanAt !== undefined, null, { ...POLL, timeout })
        .catch(() => { throw new Error('tracker.js did not run on the repeat visit'); });
      result.repeatTracker = await page.evaluate(() => window.__trackerRanAt);
      // Where Consent Widget's time goes on the repeat visit (the loader's performance marks).
      Object.assign(result, await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
        .filter((entry) => entry.name.startsWith('consent-widget:'))
        .map((entry) => [`repeat:${entry.name.slice('consent-widget:'.length)}`, entry.startTime]))));
    }
    return result;
  });
}

// "Accept all" clicked in the first frame that shows the banner, while the rest still loads (for
// Consent Widget: before its wasm has arrived): how soon the banner goes, and that the choice holds.
export async function measureEarlyClick(browser, server, product, options) {
  const { throttled, timeout } = options;
  return inContext(browser, throttled, async (page) => {
    await page.goto(server.origin + pagePath(product), { waitUntil: 'commit', timeout });
    await waitForBanner(page, timeout);
    await clickAcceptAll(page, timeout);
    await waitForHiddenAndTracker(page, timeout);
    const visit = await page.evaluate(() => window.__bench);
    return { earlyClickToHidden: visit.hiddenAt - visit.clickAt, earlyClickBeforeReady: visit.readyAt === null || visit.readyAt > visit.clickAt };
  });
}

// The page with a large hero image: the page's own Largest Contentful Paint with the product on it.
export async function measureHero(browser, server, product, options) {
  const { throttled, timeout } = options;
  return inContext(browser, throttled, async (page) => {
    await page.goto(server.origin + heroPath(product), { waitUntil: 'load', timeout });
    await waitForBanner(page, timeout);
    await page.waitForLoadState('networkidle', { timeout });
    // The image's entry reaches the observer only once its paint has been presented, which on a
    // throttled page can come well after the network has gone quiet: wait for the image to be
    // decoded and painted, then leave the entry time to arrive.
    await page.evaluate(() => document.querySelector('img.hero').decode()
      .then(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
    await page.waitForTimeout(HERO_SETTLE_MS);
    const visit = await page.evaluate(() => window.__bench);
    if (!visit.lcp) throw new Error('no Largest Contentful Paint was reported');
    return { heroLcp: visit.lcp.at, heroLcpElement: visit.lcp.element, heroShownAt: visit.shownAt };
  });
}
