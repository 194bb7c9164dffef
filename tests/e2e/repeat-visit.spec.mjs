// A repeat visit before the wasm: the loader runs the tags of a stored consent as soon as it reads
// the configuration, when the wasm has confirmed that consent under exactly that configuration
// (the `!digest` after the consent in its cookie). Anything else waits for the wasm.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  banner, confirmedUnder, currentConsent, demoConfig, holdWasm, marked, storedConsent, watchProblems, widgetRunning,
  withConfig,
} from './helpers.mjs';

const demoLog = (page) => page.evaluate(() => window.demoLog);
const wasmRunning = (page) => page.evaluate(() => typeof (window.ConsentWidget || {}).version === 'string');
const video = (page) => page.locator('iframe[title="Product tour video"]');

/** A first visit that grants `categories` (all of them when omitted), and its confirmed cookie. */
async function consentGiven(page, context, categories) {
  await page.goto('/');
  if (categories) {
    await widgetRunning(page);
    await page.evaluate((ids) => window.ConsentWidget.acceptCategories(ids), categories);
  } else {
    await banner(page).getByRole('button', { name: 'Accept all', exact: true }).click();
  }
  await storedConsent(context);
  await expect.poll(() => confirmedUnder(context), { message: 'the cookie was not confirmed' }).not.toBeNull();
  return confirmedUnder(context);
}

/**
 * Visits `path` with the wasm held back: the tags in `log` run before it, and it then takes over.
 * Returns once the widget runs and its first pass over the held elements has ended.
 */
async function tagsRunBeforeTheWasm(page, path, log) {
  const wasm = await holdWasm(page);
  await page.goto(path);
  await marked(page, 'stored consent released');
  expect(await demoLog(page)).toEqual(log);
  expect(await wasmRunning(page)).toBe(false);
  wasm.release();
  await wasmReleased(page);
}

/**
 * Nothing released: no element carries the mark set just before one is released (by the loader
 * or the wasm), the loader did not start a release, and no tag ran. Called once the loader has
 * decided (it has asked for the wasm or shown the banner), it proves that it released nothing.
 */
async function nothingReleased(page) {
  expect(await page.locator('[data-consent-widget-released]').count()).toBe(0);
  expect(await page.evaluate(() => performance.getEntriesByName('consent-widget:stored consent applied').length)).toBe(0);
  expect(await demoLog(page)).toBeUndefined();
}

/**
 * Once the wasm runs and its first pass over the held elements has ended (it makes one as it
 * mounts, with or without a consent).
 */
async function wasmReleased(page) {
  await widgetRunning(page);
  await marked(page, 'released');
}

test('a repeat visit runs the consented tags before the wasm arrives, each once and in order', async ({ page, context }) => {
  const problems = watchProblems(page);
  await consentGiven(page, context);
  const wasm = await holdWasm(page);
  await page.goto('/?again');
  await marked(page, 'stored consent released');
  expect(await demoLog(page)).toEqual(['analytics', 'marketing']);
  await expect(video(page)).toHaveAttribute('src', '/demo/video.html');
  expect(await wasmRunning(page)).toBe(false);
  await expect(banner(page)).toHaveCount(0);

  // The wasm then takes over: it runs nothing twice, and replays the choice for Consent Mode.
  wasm.release();
  await wasmReleased(page);
  await expect.poll(() => page.evaluate(() => (window.dataLayer || [])
    .filter((entry) => entry[0] === 'consent' && entry[1] === 'update').length)).toBe(1);
  expect(await demoLog(page)).toEqual(['analytics', 'marketing']);
  await expect(page.locator('script[src="/demo/analytics.js"]:not([type])')).toHaveCount(1);
  await expect(page.locator('script[src="/demo/marketing.js"]:not([type])')).toHaveCount(1);
  expect(problems).toEqual([]);
});

test('with the configuration inline, the loader runs the consented tags as it starts, and the wasm runs none twice', async ({ page, context }) => {
  const problems = watchProblems(page);
  const text = readFileSync(new URL('../../www/consent-config.json', import.meta.url), 'utf8');
  await page.route(/\/(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(
      '<script src="/consent-widget/consent-widget.js" data-config="/consent-config.json" defer></script>',
      `<script type="application/json" id="consent-widget-config">${text}</script>\n`
        + '<script src="/consent-widget/consent-widget.js" defer></script>',
    );
    await route.fulfill({ response, body });
  });
  await consentGiven(page, context);
  await tagsRunBeforeTheWasm(page, '/?inline', ['analytics', 'marketing']);
  expect(await demoLog(page)).toEqual(['analytics', 'marketing']);
  await expect(page.locator('script[src="/demo/analytics.js"]:not([type])')).toHaveCount(1);
  expect(problems).toEqual([]);
});

test('before the wasm, only what the stored consent grants runs', async ({ page, context }) => {
  const problems = watchProblems(page);
  await consentGiven(page, context, ['analytics']);
  const wasm = await holdWasm(page);
  await page.goto('/?again');
  await marked(page, 'stored consent released');
  expect(await wasmRunning(page)).toBe(false);
  expect(await demoLog(page)).toEqual(['analytics']);
  await expect(page.locator('script[src="/demo/marketing.js"]')).toHaveAttribute('type', 'text/plain');
  await expect(video(page)).not.toHaveAttribute('src');
  wasm.release();
  await wasmReleased(page);
  expect(await demoLog(page)).toEqual(['analytics']);
  expect(problems).toEqual([]);
});

test('a changed configuration holds the tags for the wasm, which confirms the consent under it', async ({ page, context, baseURL }) => {
  const problems = watchProblems(page);
  const first = await consentGiven(page, context);
  // A consent given ten days ago, so that marking it anew could not pass for a fresh decision.
  const TEN_DAYS = 10 * 86_400;
  const given = await currentConsent(context);
  const older = { ...given, firstConsent: given.firstConsent - TEN_DAYS, lastConsent: given.lastConsent - TEN_DAYS, expires: given.expires - TEN_DAYS };
  await context.addCookies([{ name: 'consent_widget', value: `${encodeURIComponent(JSON.stringify(older))}!${first}`, url: baseURL }]);
  // Same revision, other text (beyond ASCII, which both sides hash as UTF-8).
  const changed = { ...demoConfig, company: { ...demoConfig.company, name: 'Lakeside Hosting SA ✓ Zoë' } };
  await withConfig(page, changed);
  const differs = (warnings) => warnings.filter((text) => text.includes('byte-identical copies'));
  const warned = [];
  page.on('console', (message) => { if (message.type() === 'warning') warned.push(message.text()); });
  const wasm = await holdWasm(page);
  await page.goto('/?changed');
  await expect.poll(() => wasm.requested(), { message: 'the wasm was not asked for at once' }).toBe(true);
  await nothingReleased(page);
  wasm.release();
  await expect.poll(() => demoLog(page)).toEqual(['analytics', 'marketing']);
  await expect.poll(() => confirmedUnder(context)).not.toBe(first);
  expect(await confirmedUnder(context)).not.toBeNull();
  // Marked anew, the cookie keeps the consent's own expiry: a page view never extends a consent.
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'consent_widget');
  expect(await currentConsent(context)).toEqual(older);
  expect(Math.abs(cookie.expires - older.expires)).toBeLessThanOrEqual(5);
  // Said once, with both digests: pages whose inline copies differ lose the fast path this way.
  await expect.poll(() => differs(warned).length).toBe(1);
  expect(differs(warned)[0]).toContain(`digest ${first}, here ${await confirmedUnder(context)}`);

  // The next page view under the changed configuration no longer waits, and says nothing.
  const next = await context.newPage();
  const nextProblems = watchProblems(next);
  const nextWarned = [];
  next.on('console', (message) => { if (message.type() === 'warning') nextWarned.push(message.text()); });
  await withConfig(next, changed);
  await tagsRunBeforeTheWasm(next, '/?next', ['analytics', 'marketing']);
  expect(differs(nextWarned)).toEqual([]);
  expect([...problems, ...nextProblems]).toEqual([]);
});

test('a broken configuration never runs a stored consent\'s tags: the safe banner asks again', async ({ page, context }) => {
  await consentGiven(page, context);
  const problems = watchProblems(page);
  await withConfig(page, '{"company": {"name": "Lakeside"}, "categories": [');
  await page.goto('/?broken');
  await expect(banner(page)).toBeVisible();
  // The wasm reports the broken configuration and shows its safe banner, releasing nothing.
  await wasmReleased(page);
  await expect.poll(() => problems.length).toBe(1);
  await expect(banner(page)).toBeVisible();
  await nothingReleased(page);
  expect(problems[0]).toContain('consent-widget');
});

/** Rewrites the stored consent with `change`, keeping the mark the wasm gave it. */
async function forgeUnderItsMark(context, baseURL, change) {
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'consent_widget');
  const [, mark] = cookie.value.split('!');
  const forged = change(await currentConsent(context));
  await context.addCookies([{ name: cookie.name, value: `${encodeURIComponent(JSON.stringify(forged))}!${mark}`, url: baseURL }]);
}

test('an expired consent is not applied before the wasm, and the banner asks again', async ({ page, context, baseURL }) => {
  const problems = watchProblems(page);
  await consentGiven(page, context);
  const now = Math.floor(Date.now() / 1000);
  await forgeUnderItsMark(context, baseURL, (consent) => ({ ...consent, expires: now - 60 }));
  const wasm = await holdWasm(page);
  await page.goto('/?expired');
  await expect(banner(page)).toBeVisible();
  await nothingReleased(page);
  wasm.release();
  await wasmReleased(page);
  await expect(banner(page)).toBeVisible();
  await nothingReleased(page);
  expect(problems).toEqual([]);
});

// The mark is no secret: anyone can compute a configuration's digest. A cookie forged under a
// valid mark releases nothing the wasm would refuse.
const FORGERIES = {
  'a category the configuration does not have': (consent) => ({ ...consent, categories: [...consent.categories, 'retired'] }),
  'a service under another category': (consent) => ({ ...consent, categories: ['necessary', 'analytics'], services: { analytics: ['google-ads'] } }),
  'an unknown service': (consent) => ({ ...consent, services: { ...consent.services, analytics: ['matomo', 'tracker-we-never-listed'] } }),
  'a lifetime longer than the configuration\'s': (consent) => ({ ...consent, expires: consent.lastConsent + 400 * 86400 }),
};
for (const [forgery, forge] of Object.entries(FORGERIES)) {
  test(`a marked cookie forged with ${forgery} releases nothing before the wasm, which asks again`, async ({ page, context, baseURL }) => {
    await consentGiven(page, context);
    const problems = watchProblems(page);
    await forgeUnderItsMark(context, baseURL, forge);
    const wasm = await holdWasm(page);
    await page.goto('/?forged');
    // The loader asks for the wasm once it has decided what to release: nothing.
    await expect.poll(() => wasm.requested()).toBe(true);
    await nothingReleased(page);
    wasm.release();
    await wasmReleased(page);
    await expect(banner(page)).toBeVisible();
    await nothingReleased(page);
    expect(problems).toEqual([]);
  });
}
