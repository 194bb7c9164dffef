// Each layout on the demo site, as the configuration chooses it: set on the widget's host before
// the wasm runs and kept by it, no layout shift, usable at 320 px and at 200% zoom in every
// language, the preferences' side panel the full width of a small screen.
import { test, expect } from '@playwright/test';
import { LANGUAGES, banner, demoConfig, t, watchProblems, widgetRunning, withConfig, withPageLanguage } from './helpers.mjs';
import { LAYOUTS } from '../../www/review/states.mjs';
import { axeViolations } from './axe.mjs';

let problems;
test.beforeEach(({ page }) => {
  problems = watchProblems(page);
});
test.afterEach(() => {
  expect(problems, 'console errors, page errors or CSP violations').toEqual([]);
});

const BANNER_LAYOUTS = LAYOUTS.filter((layout) => layout.view !== 'preferences');
const hostAttributes = (page) => page.locator('consent-widget').evaluate((host) =>
  Object.fromEntries([...host.attributes].map((attribute) => [attribute.name, attribute.value])));

/** Sums the page's layout shifts (CLS without session windows: any shift fails). */
function recordLayoutShifts(page) {
  return page.addInitScript(() => {
    window.__layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

for (const layout of BANNER_LAYOUTS) {
  test(`${layout.id}: the loader's banner and the wasm's sit in one place, and nothing shifts`, async ({ page }) => {
    await recordLayoutShifts(page);
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    await page.route(/\/consent-widget[^/]*\.wasm$/, async (route) => { await released; await route.continue(); });
    await withConfig(page, { ...demoConfig, layout: layout.layout, theme: 'dark' });
    await page.goto('/');
    await expect(banner(page)).toBeVisible();
    const before = { attributes: await hostAttributes(page), box: await banner(page).boundingBox() };
    expect(before.attributes).toMatchObject({ 'data-layout': layout.layout.banner, 'data-theme': 'dark', 'data-preferences': 'dialog' });
    expect(before.attributes['data-position']).toBe(layout.layout.position);
    release();
    await widgetRunning(page);
    expect({ attributes: await hostAttributes(page), box: await banner(page).boundingBox() }).toEqual(before);
    // Two frames, for any shift to be reported.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.evaluate(() => window.__layoutShift)).toBe(0);
  });

  test.describe(() => {
    test.use({ bypassCSP: true }); // Only so axe-core can be injected; the CSP itself is checked above.
    test(`${layout.id}: the loader's banner passes axe-core before the wasm has arrived`, async ({ page }) => {
      let release;
      const released = new Promise((resolve) => { release = resolve; });
      await page.route(/\/consent-widget[^/]*\.wasm$/, async (route) => { await released; await route.continue(); });
      await withConfig(page, { ...demoConfig, layout: layout.layout });
      await page.goto('/');
      await expect(banner(page)).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => typeof (window.ConsentWidget || {}).version)).toBe('undefined');
      release();
    });
  });

  test(`${layout.id}: at 320 px, in every language, the banner fits, each button can be reached, axe-clean`, async ({ browser }) => {
    // bypassCSP only so axe-core can be injected.
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, bypassCSP: true });
    for (const code of LANGUAGES) {
      const page = await context.newPage();
      const seen = watchProblems(page);
      await withConfig(page, { ...demoConfig, layout: layout.layout });
      await withPageLanguage(page, code);
      await page.goto('/');
      await widgetRunning(page);
      const box = await banner(page, code).boundingBox();
      expect(box.x, code).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, code).toBeLessThanOrEqual(320);
      for (const key of ['acceptAll', 'rejectAll', 'customize']) {
        const button = banner(page, code).getByRole('button', { name: t(code, `banner.${key}`), exact: true });
        await button.scrollIntoViewIfNeeded();
        // In view (to a sub-pixel, inside a box that scrolls) and what a tap there would hit.
        await expect(button, `${code} ${key}`).toBeInViewport({ ratio: 0.95 });
        await button.click({ trial: true });
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), code).toBe(false);
      expect(await axeViolations(page), code).toEqual([]);
      expect(seen, code).toEqual([]);
      await page.close();
    }
    await context.close();
  });

  test(`${layout.id}: at 200% zoom the banner fits and every button is reachable`, async ({ browser }) => {
    // 200% zoom of a 1280x800 window: the same CSS pixels as a 640x400 viewport at scale 2.
    const context = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    problems = watchProblems(page);
    await withConfig(page, { ...demoConfig, layout: layout.layout });
    await page.goto('/');
    await widgetRunning(page);
    const box = await banner(page).boundingBox();
    expect(box.x + box.width).toBeLessThanOrEqual(640);
    expect(box.y + box.height).toBeLessThanOrEqual(400);
    for (const name of ['Accept all', 'Reject all', 'Customize']) {
      const button = banner(page).getByRole('button', { name });
      await button.scrollIntoViewIfNeeded();
      await expect(button).toBeInViewport({ ratio: 0.95 });
      await button.click({ trial: true });
    }
    await context.close();
  });
}

test('the preferences as a side panel: along the right edge, the full width at 320 px, and focus kept inside', async ({ browser }) => {
  for (const width of [1024, 320]) {
    const context = await browser.newContext({ viewport: { width, height: 640 } });
    const page = await context.newPage();
    problems = watchProblems(page);
    await withConfig(page, { ...demoConfig, layout: { preferences: 'panel' } });
    await page.goto('/');
    await banner(page).getByRole('button', { name: 'Customize' }).click();
    const panel = page.getByRole('dialog', { name: 'Cookie preferences' });
    await expect(panel.getByRole('heading', { name: 'Cookie preferences' })).toBeFocused({ timeout: 15_000 });
    const box = await panel.boundingBox();
    expect(Math.round(box.x + box.width), `${width} px: right edge`).toBe(width);
    expect(Math.round(box.height), `${width} px: full height`).toBe(640);
    if (width === 320) expect(Math.round(box.width)).toBe(320);
    else expect(box.width).toBeLessThan(width / 2);
    const save = panel.getByRole('button', { name: 'Save choices' });
    await expect(save).toBeInViewport({ ratio: 1 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(banner(page).getByRole('button', { name: 'Customize' })).toBeFocused();
    await context.close();
  }
});

for (const preferences of ['dialog', 'panel']) {
  test(`the preferences as a ${preferences} at 320 px, in every language: named, in view, axe-clean`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, bypassCSP: true });
    for (const code of LANGUAGES) {
      const page = await context.newPage();
      const seen = watchProblems(page);
      await withConfig(page, { ...demoConfig, layout: { preferences } });
      await withPageLanguage(page, code);
      await page.goto('/');
      await banner(page, code).getByRole('button', { name: t(code, 'banner.customize'), exact: true }).click();
      const dialog = page.getByRole('dialog', { name: t(code, 'preferences.title') });
      // Customize may be pressed before the wasm has arrived: the dialog opens once it runs.
      await expect(dialog.getByRole('heading', { name: t(code, 'preferences.title') }), code).toBeFocused({ timeout: 15_000 });
      const box = await dialog.boundingBox();
      expect(box.x, code).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, code).toBeLessThanOrEqual(320);
      for (const key of ['rejectAll', 'acceptAll', 'save']) {
        await expect(dialog.getByRole('button', { name: t(code, `preferences.${key}`), exact: true }), `${code} ${key}`).toBeInViewport({ ratio: 0.95 });
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), code).toBe(false);
      expect(await axeViolations(page), code).toEqual([]);
      expect(seen, code).toEqual([]);
      await page.close();
    }
    await context.close();
  });
}
