// The banner before the wasm: rendered ahead of time by the widget's own components, shown by the
// loader at once, usable while the wasm is held back, and handed over without a visible change.
import { test, expect } from '@playwright/test';
import {
  LANGUAGES, banner, demoConfig, exportedRecords, expectBannerIn, holdWasm, storedConsent, t, failOnPageProblems,
  widgetRunning, withConfig, withPageLanguage,
} from './helpers.mjs';
import { axeViolations } from './axe.mjs';


/** Records every consentwidget:* event the page receives, and every frame the banner is on screen. */
function recordEvents(page) {
  return page.addInitScript(() => {
    window.__events = [];
    for (const name of ['ready', 'consent', 'change', 'show', 'hide']) {
      window.addEventListener(`consentwidget:${name}`, (event) => window.__events.push([name, event.detail]));
    }
  });
}

const events = (page) => page.evaluate(() => window.__events.map(([name]) => name));
const consentCalls = (page) => page.evaluate(() => (window.dataLayer || []).map((entry) => Array.from(entry)).filter((call) => call[0] === 'consent'));
/** The widget's markup as a visitor's browser holds it: elements with their attributes (in name order) and texts. */
const widgetMarkup = (page) => page.evaluate(() => {
  const write = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.data;
    if (node.nodeType !== Node.ELEMENT_NODE) return `<!--${node.nodeType}-->`;
    const attributes = [...node.attributes].map((a) => ` ${a.name}="${a.value}"`).sort().join('');
    return `<${node.localName}${attributes}>${[...node.childNodes].map(write).join('')}</${node.localName}>`;
  };
  return write(document.querySelector('consent-widget').shadowRoot.firstElementChild);
});

failOnPageProblems();

test('the banner shows, named and keyboard-usable, before the wasm has arrived', async ({ page }) => {
  const wasm = await holdWasm(page);
  await page.goto('/');
  await expectBannerIn(page, 'en');
  expect(await page.evaluate(() => typeof (window.ConsentWidget || {}).version)).toBe('undefined');
  // The first Tab stops of the banner are its controls, in order.
  await banner(page).getByRole('heading').click();
  const names = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    names.push(await page.evaluate(() => {
      const active = document.querySelector('consent-widget').shadowRoot.activeElement;
      return active && (active.getAttribute('aria-label') || active.textContent.trim().slice(0, 20));
    }));
  }
  expect(names.slice(1)).toEqual(['Our partners', 'Privacy policy', 'Accept all', 'Reject all', 'Customize']);
  wasm.release();
  await widgetRunning(page);
});

test('Accept all before the wasm hides the banner at once, and is honoured in full once it runs', async ({ page, context, request }) => {
  await recordEvents(page);
  const wasm = await holdWasm(page);
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  const clickedAt = Date.now();
  await banner(page).getByRole('button', { name: 'Accept all', exact: true }).click();
  await expect(banner(page)).toBeHidden();
  // The click asked for the wasm, which is held: nothing is applied or stored until it runs.
  await expect.poll(() => wasm.requested()).toBe(true);
  expect(await context.cookies()).toEqual([]);
  expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
  const releasedAt = Date.now();
  wasm.release();
  const consent = await storedConsent(context);
  expect(consent.method).toBe('accept_all');
  expect(consent.categories).toEqual(['analytics', 'functional', 'marketing', 'necessary']);
  // The decision keeps the time of the click, not of the hand-over.
  expect(consent.lastConsent * 1000).toBeLessThan(releasedAt);
  expect(consent.lastConsent * 1000).toBeGreaterThanOrEqual(Math.floor(clickedAt / 1000) * 1000);
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics', 'marketing']);
  // The loader announced the banner and its exit; the wasm, its readiness and the decision.
  await expect.poll(() => events(page)).toEqual(['show', 'hide', 'ready', 'consent', 'change']);
  const change = await page.evaluate(() => window.__events[4][1]);
  expect(change.changed).toEqual(['analytics', 'functional', 'marketing', 'necessary']);
  await expect(banner(page)).toBeHidden();
  const calls = await consentCalls(page);
  expect(calls.map((call) => call[1])).toEqual(['default', 'update']);
  expect(calls[1][2].analytics_storage).toBe('granted');
  await expect.poll(async () => (await exportedRecords(request)).filter((r) => r.consentId === consent.id).length).toBe(1);
  const [record] = (await exportedRecords(request)).filter((r) => r.consentId === consent.id);
  expect(record.method).toBe('accept_all');
  expect(record.clientTime).toBeGreaterThanOrEqual(clickedAt);
  expect(record.clientTime).toBeLessThan(releasedAt);
});

test('Reject all and Escape before the wasm grant nothing, exactly as later', async ({ page, context, request }) => {
  await recordEvents(page);
  const wasm = await holdWasm(page);
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all', exact: true }).focus();
  await page.keyboard.press('Escape');
  await expect(banner(page)).toBeVisible();
  await banner(page).getByRole('button', { name: 'Reject all', exact: true }).press('Enter');
  await expect(banner(page)).toBeHidden();
  // Focus leaves the closed banner for the page, as it does once the wasm runs.
  expect(await page.evaluate(() => document.activeElement.tagName)).toBe('MAIN');
  wasm.release();
  const consent = await storedConsent(context);
  expect(consent.method).toBe('reject_all');
  expect(consent.categories).toEqual(['necessary']);
  await expect.poll(() => events(page)).toEqual(['show', 'hide', 'ready', 'consent', 'change']);
  expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
  await expect.poll(async () => (await exportedRecords(request)).filter((r) => r.consentId === consent.id).map((r) => r.method))
    .toEqual(['reject_all']);
  expect(await consentCalls(page)).toHaveLength(2);
});

test('Customize before the wasm says it is busy, and opens the preferences once ready', async ({ page }) => {
  const wasm = await holdWasm(page);
  await page.goto('/');
  const customize = banner(page).getByRole('button', { name: 'Customize' });
  await customize.click();
  await expect(customize).toHaveAttribute('aria-busy', 'true');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  wasm.release();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Cookie preferences' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Close' }).click();
  // Focus goes back to the button that opened it: the wasm's own, in the same place.
  await expect(banner(page).getByRole('button', { name: 'Customize' })).toBeFocused();
  await expect(banner(page).getByRole('button', { name: 'Customize' })).not.toHaveAttribute('aria-busy');
});

test('the language can be switched before the wasm, and the wasm keeps it', async ({ page }) => {
  const wasm = await holdWasm(page);
  await page.goto('/');
  await banner(page).getByRole('combobox', { name: 'Language' }).selectOption('it');
  await expectBannerIn(page, 'it');
  await expect(banner(page, 'it').getByRole('combobox', { name: t('it', 'language.label') })).toBeFocused();
  wasm.release();
  await widgetRunning(page);
  await expectBannerIn(page, 'it');
  await expect(page.locator('consent-widget .cw-root')).toHaveAttribute('lang', 'it');
  await expect(banner(page, 'it').getByRole('combobox', { name: t('it', 'language.label') })).toBeFocused();
});

// Configurations whose banner differs: languages offered and their order, texts of the site's own.
const cases = [
  ...LANGUAGES.map((code) => ({ name: `the demo, in ${code}`, code, config: demoConfig })),
  {
    name: 'a site with its own texts, two languages in its own order, and GPC on',
    code: 'de',
    gpc: true,
    config: {
      ...demoConfig,
      languages: { enabled: ['de', 'en'], default: 'de' },
      texts: { de: { 'banner.title': 'Cookies bei {company}', 'banner.acceptAll': 'Ja, gerne <b>alle</b>' } },
    },
    heading: `Cookies bei ${demoConfig.company.name}`,
    button: 'Ja, gerne <b>alle</b>',
  },
  {
    name: 'a site without advertising, with a category of its own, and a purpose in its own words',
    code: 'it',
    config: {
      ...demoConfig,
      categories: [
        demoConfig.categories[0],
        { id: 'functional' },
        { id: 'video', title: { en: 'Embedded videos', it: 'Video incorporati' }, description: 'Videos from our channel.' },
      ],
      texts: { it: { 'categories.functional.purpose': 'ricordare la lingua che sceglie' } },
    },
    purposes: ['ricordare la lingua che sceglie', 'Video incorporati'],
  },
  {
    name: 'a site in one language, which offers no switcher',
    code: 'fr',
    config: { ...demoConfig, languages: { enabled: ['fr'], default: 'fr' } },
  },
  {
    name: 'a site with a privacy policy page of its own',
    code: 'en',
    config: { ...demoConfig, links: { ...demoConfig.links, policy: '/privacy/en.html' } },
  },
];
for (const { name, code, config, gpc, purposes, heading, button } of cases) {
  test(`the markup shown before the wasm is the markup the wasm renders: ${name}`, async ({ page }) => {
    if (gpc) await page.addInitScript(() => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true }));
    await withConfig(page, config);
    await withPageLanguage(page, code);
    const wasm = await holdWasm(page);
    await page.goto('/');
    await expect(banner(page, code)).toBeVisible();
    const before = await widgetMarkup(page);
    const container = () => page.evaluate(() => {
      const shadow = document.querySelector('consent-widget').shadowRoot;
      return { count: shadow.children.length, shownBefore: shadow.firstElementChild.shownBefore === true };
    });
    await page.evaluate(() => { document.querySelector('consent-widget').shadowRoot.firstElementChild.shownBefore = true; });
    wasm.release();
    await widgetRunning(page);
    // The wasm's own elements have taken the place of the loader's, with the same markup.
    expect(await container()).toEqual({ count: 1, shownBefore: false });
    expect(await widgetMarkup(page)).toBe(before);
    if (heading) await expect(banner(page, code).getByRole('heading', { name: heading })).toBeVisible();
    if (button) await expect(banner(page, code).getByRole('button', { name: button })).toBeVisible();
    await expect(banner(page, code).getByRole('combobox')).toHaveCount(config.languages?.enabled.length === 1 ? 0 : 1);
    expect(before.includes('cw-gpc')).toBe(Boolean(gpc));
    if (purposes) await expect(banner(page, code).getByRole('listitem')).toHaveText(purposes);
  });
}

test('a repeat visit with a stored consent never shows the banner, not even for a frame', async ({ page }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Reject all', exact: true }).click();
  await expect.poll(async () => (await page.context().cookies()).length).toBe(1);
  await page.addInitScript(() => {
    window.__bannerFrames = 0;
    const look = () => {
      const root = document.querySelector('consent-widget');
      const shown = root && root.shadowRoot && root.shadowRoot.querySelector('.cw-banner:not([hidden])');
      if (shown) window.__bannerFrames += 1;
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.goto('/contact.html');
  await widgetRunning(page);
  // Two more frames after the wasm's first render.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await page.evaluate(() => window.__bannerFrames)).toBe(0);
});

test.describe('before the wasm, for axe-core', () => {
  test.use({ bypassCSP: true }); // Only so axe-core can be injected; the CSP itself is checked above.
  test('the banner passes axe-core before the wasm has arrived', async ({ page }) => {
    const wasm = await holdWasm(page);
    await page.goto('/');
    await expect(banner(page)).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    expect(wasm.requested()).toBe(true);
    wasm.release();
  });
});
