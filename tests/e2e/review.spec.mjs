// The visual review page (www/review/): every layout of the banner and of the preferences, in the
// light and the dark theme. Each state is found as a visitor finds it (roles and names), passes
// axe-core, keeps its three buttons of equal weight, sits where its layout puts it, and is
// screenshotted (attached to the report; scripts/screenshots.mjs writes the README's).
import { test, expect } from '@playwright/test';
import { LANGUAGES, t, failOnPageProblems, widgetRunning } from './helpers.mjs';
import { axeViolations } from './axe.mjs';
import { LAYOUTS, THEMES, frameUrl } from '../../www/review/states.mjs';

const VIEWPORT = { width: 1024, height: 640 };
// bypassCSP only so axe-core can be injected; the widget's own CSP test is in widget.spec.
test.use({ bypassCSP: true, viewport: VIEWPORT });

failOnPageProblems();

/** The banner's box as its layout must place it, 16 px from the edges it keeps to. */
const PLACED = {
  'bar-bottom': (box) => [box.x, box.width, box.y + box.height].map(Math.round).join() === `0,${VIEWPORT.width},${VIEWPORT.height}`,
  'bar-top': (box) => [box.x, box.width, box.y].map(Math.round).join() === `0,${VIEWPORT.width},0`,
  'box-bottom-right': (box) => Math.round(VIEWPORT.width - box.x - box.width) === 16
    && Math.round(VIEWPORT.height - box.y - box.height) === 16 && box.width < VIEWPORT.width / 2,
  'box-top-left': (box) => Math.round(box.x) === 16 && Math.round(box.y) === 16 && box.width < VIEWPORT.width / 2,
  center: (box) => Math.abs(box.x * 2 + box.width - VIEWPORT.width) <= 1 && Math.abs(box.y * 2 + box.height - VIEWPORT.height) <= 1
    && box.width < VIEWPORT.width,
  'preferences-dialog': (box) => Math.abs(box.x * 2 + box.width - VIEWPORT.width) <= 1 && box.width < VIEWPORT.width,
  'preferences-panel': (box) => Math.round(box.x + box.width) === VIEWPORT.width && Math.round(box.y) === 0
    && Math.round(box.height) === VIEWPORT.height && box.width < VIEWPORT.width,
};
const BACKGROUND = { light: 'rgb(255, 255, 255)', dark: 'rgb(28, 30, 33)' };

/** The three buttons of equal weight and the element that holds them, for the state's view. */
function view(page, layout, code) {
  if (layout.view === 'preferences') {
    const dialog = page.getByRole('dialog', { name: t(code, 'preferences.title') });
    return { shown: dialog, buttons: ['acceptAll', 'rejectAll', 'save'].map((key) => dialog.getByRole('button', { name: t(code, `preferences.${key}`), exact: true })) };
  }
  const region = page.getByRole('region', { name: t(code, 'banner.label') });
  return { shown: region, buttons: ['acceptAll', 'rejectAll', 'customize'].map((key) => region.getByRole('button', { name: t(code, `banner.${key}`), exact: true })) };
}

const weight = (button) => button.evaluate((el) => {
  const s = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return { font: `${s.fontFamily} ${s.fontSize} ${s.fontWeight}`, color: s.color, background: s.backgroundColor, border: s.border, width: Math.round(box.width), height: Math.round(box.height) };
});

THEMES.forEach((theme, themeIndex) => {
  LAYOUTS.forEach((layout, index) => {
    // Each language in turn, so that every language meets several layouts and both themes.
    const code = LANGUAGES[(index + themeIndex * 3) % LANGUAGES.length];
    test(`review: ${layout.id}, ${theme}, ${code}: named, placed, equal weight, axe-clean`, async ({ page }, testInfo) => {
      await page.goto(frameUrl(layout, theme, code));
      await widgetRunning(page);
      const { shown, buttons } = view(page, layout, code);
      await expect(shown).toBeVisible();
      for (const button of buttons) await expect(button).toBeVisible();
      const weights = await Promise.all(buttons.map(weight));
      expect(weights[1], 'reject weighs what accept weighs').toEqual(weights[0]);
      expect(weights[2], 'the third button too').toEqual(weights[0]);
      const box = await shown.boundingBox();
      expect(PLACED[layout.id](box), `${layout.id} placed at ${JSON.stringify(box)}`).toBe(true);
      expect(await shown.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(BACKGROUND[theme]);
      await testInfo.attach(`${layout.id}-${theme}-${code}`, { body: await page.screenshot(), contentType: 'image/png' });
      expect(await axeViolations(page)).toEqual([]);
    });
  });
});

test('the review page shows every state side by side, in the language chosen', async ({ page }) => {
  await page.goto('/review/?lang=de');
  await expect(page.getByRole('combobox', { name: 'Language' })).toHaveValue('de');
  const frames = page.locator('iframe');
  await expect(frames).toHaveCount(LAYOUTS.length * THEMES.length);
  for (const layout of LAYOUTS) {
    for (const theme of THEMES) {
      const frame = page.frameLocator(`#${layout.id}-${theme} iframe`);
      const { shown } = view(frame, layout, 'de');
      await expect(shown).toBeVisible();
    }
  }
  // The frames' own pages are checked one by one above.
  expect(await axeViolations(page, { iframes: false })).toEqual([]);
});
