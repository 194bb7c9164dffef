// Accessibility as a keyboard and screen-reader user meets it: axe-core rules (WCAG 2.2 AA),
// focus moved in, trapped and returned, equal weight, small screens and zoom.
import { test, expect } from '@playwright/test';
import { banner, storedConsent, t, watchProblems, widgetRunning, withPageLanguage } from './helpers.mjs';
import { axeViolations } from './axe.mjs';

test.use({ bypassCSP: true }); // Only so axe-core can be injected; the widget's own CSP test is in widget.spec.

test('the banner, preferences and policy pass axe-core in every state', async ({ page }) => {
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  await page.getByRole('dialog').getByText('Services and cookies').first().click();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('dialog').getByRole('button', { name: 'Read the privacy policy' }).click();
  await expect(page.getByRole('dialog', { name: 'Privacy policy' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test('the floating button passes axe-core, at 360 px too', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  const floating = page.locator('consent-widget').getByRole('button', { name: 'Cookie settings', exact: true });
  await expect(floating).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  // The last stop of the keyboard's path through the page, with a visible focus ring.
  await page.getByRole('contentinfo').getByRole('link', { name: 'Imprint' }).focus();
  await page.keyboard.press('Tab');
  await expect(floating).toBeFocused();
  const outline = await floating.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline, 'visible focus').not.toBe('none');
});

for (const width of [1280, 360]) {
  test(`the three banner buttons have equal weight at ${width} px`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto('/');
    // The banner shown before the wasm has the same markup and styles (first-paint.spec).
    await widgetRunning(page);
    const styles = await Promise.all(['Accept all', 'Reject all', 'Customize'].map((name) =>
      banner(page).getByRole('button', { name }).evaluate((el) => {
        const s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
          tag: el.tagName, font: `${s.fontFamily} ${s.fontSize} ${s.fontWeight}`, color: s.color,
          background: s.backgroundColor, border: s.border, height: Math.round(box.height), width: Math.round(box.width),
        };
      })));
    expect(styles[1]).toEqual(styles[0]);
    expect(styles[2]).toEqual(styles[0]);
    expect(styles[0].height).toBeGreaterThanOrEqual(24);
    await context.close();
  });
}

test('keyboard only: focus moves into the dialog, stays there, and returns to the opener', async ({ page }) => {
  await page.goto('/');
  const customize = banner(page).getByRole('button', { name: 'Customize' });
  await customize.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await expect(dialog.getByRole('heading', { name: 'Cookie preferences' })).toBeFocused();
  // Tab through twice the number of controls: focus must never leave the dialog.
  const inside = async () => page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return Boolean(el && el.closest('dialog'));
  });
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    expect(await inside(), `after ${i + 1} Tab presses`).toBe(true);
  }
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await inside(), `after ${i + 1} Shift+Tab presses`).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(customize).toBeFocused();
});

test('keyboard only: a switch toggles with Space and a choice saves with Enter', async ({ page, context }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  const marketing = dialog.getByRole('switch', { name: 'Marketing' });
  await marketing.focus();
  await page.keyboard.press('Space');
  await expect(marketing).toBeChecked();
  await dialog.getByRole('button', { name: 'Save choices' }).focus();
  await page.keyboard.press('Enter');
  expect((await storedConsent(context)).categories.sort()).toEqual(['marketing', 'necessary']);
});

test('focus returns to the footer link that opened the preferences', async ({ page }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  const settings = page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' });
  await settings.click();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await expect(settings).toBeFocused();
});

for (const width of [320, 360]) {
  test(`usable at ${width} px: no horizontal scroll and every button reachable`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width, height: 640 } });
    const page = await context.newPage();
    await page.goto('/');
    // Measured once the wasm's banner has taken the place of the one shown before it.
    await widgetRunning(page);
    for (const name of ['Accept all', 'Reject all', 'Customize']) {
      const button = banner(page).getByRole('button', { name });
      await button.scrollIntoViewIfNeeded();
      const box = await button.boundingBox();
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(box.height).toBeGreaterThanOrEqual(24);
    }
    await banner(page).getByRole('button', { name: 'Customize' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
    const box = await dialog.boundingBox();
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    const save = dialog.getByRole('button', { name: 'Save choices' });
    await save.scrollIntoViewIfNeeded();
    await expect(save).toBeInViewport();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await context.close();
  });
}

test('at 200% zoom the banner still fits and every button is reachable', async ({ browser }) => {
  // 200% zoom of a 1280x800 window: the same CSS pixels as a 640x400 viewport at scale 2.
  const context = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto('/');
  await widgetRunning(page);
  for (const name of ['Accept all', 'Reject all', 'Customize']) {
    const button = banner(page).getByRole('button', { name });
    await button.scrollIntoViewIfNeeded();
    await expect(button).toBeInViewport();
  }
  await context.close();
});

test('translated content carries its lang, and the page stays clean', async ({ page }) => {
  const problems = watchProblems(page);
  await withPageLanguage(page, 'es');
  await page.goto('/');
  await expect(page.locator('consent-widget .cw-root')).toHaveAttribute('lang', 'es');
  await expect(banner(page, 'es').getByRole('button', { name: t('es', 'banner.acceptAll') })).toBeVisible();
  expect(problems).toEqual([]);
});
