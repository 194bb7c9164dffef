// Theming as a site does it: the configuration's theme, the visitor's system setting, the host's
// data-theme attribute switched by the site, custom properties set from the site's stylesheet, and
// one console warning per pair of colours that falls under 4.5:1.
import { test, expect } from '@playwright/test';
import { banner, demoConfig, failOnPageProblems, widgetRunning, withConfig } from './helpers.mjs';

const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(28, 30, 33)';
const bannerBackground = (page) => banner(page).evaluate((region) => getComputedStyle(region).backgroundColor);

/** Console warnings of the widget, as they come. */
function widgetWarnings(page) {
  const warnings = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('consent-widget:')) warnings.push(message.text());
  });
  return warnings;
}

/** Serves the demo's stylesheet with `css` added, as a site's own rules for the widget. */
async function withSiteStyles(page, css) {
  await page.route('**/site.css', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${await response.text()}\n${css}` });
  });
}

failOnPageProblems();

test('"auto" follows the system, and a site switches the theme with the host attribute', async ({ page }) => {
  const warnings = widgetWarnings(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await widgetRunning(page);
  expect(await bannerBackground(page)).toBe(DARK);
  const host = page.locator('consent-widget');
  await host.evaluate((element) => element.setAttribute('data-theme', 'light'));
  expect(await bannerBackground(page)).toBe(LIGHT);
  await host.evaluate((element) => element.setAttribute('data-theme', 'dark'));
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await bannerBackground(page)).toBe(DARK);
  await host.evaluate((element) => element.removeAttribute('data-theme'));
  expect(await bannerBackground(page)).toBe(LIGHT);
  // The default themes read well: no warning, in the banner or the preferences.
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  await expect(page.getByRole('dialog', { name: 'Cookie preferences' })).toBeVisible();
  expect(warnings).toEqual([]);
});

for (const [theme, expected] of [['light', LIGHT], ['dark', DARK]]) {
  test(`"theme": "${theme}" holds whatever the system prefers, before the wasm and after`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme === 'light' ? 'dark' : 'light' });
    await withConfig(page, { ...demoConfig, theme });
    // The wasm held back until the loader's banner has been looked at.
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    await page.route(/\/consent-widget[^/]*\.wasm$/, async (route) => { await released; await route.continue(); });
    await page.goto('/');
    await expect(banner(page)).toBeVisible();
    expect(await bannerBackground(page)).toBe(expected);
    release();
    await widgetRunning(page);
    await expect(page.locator('consent-widget')).toHaveAttribute('data-theme', theme);
    expect(await bannerBackground(page)).toBe(expected);
  });
}

test('custom properties from the site\'s stylesheet restyle the widget, light and dark', async ({ page }) => {
  await withSiteStyles(page, [
    'consent-widget { --cw-bg: #fff8e7; --cw-accent: #5b2a86; --cw-radius: 0; --cw-font: Georgia, serif; }',
    'consent-widget[data-theme="dark"] { --cw-bg: #201a10; --cw-accent: #d9c2f0; --cw-accent-text: #1a0d26; }',
  ].join('\n'));
  await page.goto('/');
  await widgetRunning(page);
  expect(await bannerBackground(page)).toBe('rgb(255, 248, 231)');
  const accept = banner(page).getByRole('button', { name: 'Accept all' });
  const style = () => accept.evaluate((button) => {
    const s = getComputedStyle(button);
    return { background: s.backgroundColor, radius: s.borderTopLeftRadius, font: s.fontFamily };
  });
  expect(await style()).toEqual({ background: 'rgb(91, 42, 134)', radius: '0px', font: 'Georgia, serif' });
  await page.locator('consent-widget').evaluate((element) => element.setAttribute('data-theme', 'dark'));
  expect(await bannerBackground(page)).toBe('rgb(32, 26, 16)');
  expect((await style()).background).toBe('rgb(217, 194, 240)');
});

test('a pair of colours under 4.5:1 gets one console warning that names its properties', async ({ page }) => {
  const warnings = widgetWarnings(page);
  // A grey link on white: 2.85:1.
  await withSiteStyles(page, 'consent-widget { --cw-link: #999999; }');
  await page.goto('/');
  await widgetRunning(page);
  await expect.poll(() => warnings.length).toBe(1);
  expect(warnings[0]).toContain('--cw-link (rgb(153, 153, 153)) on --cw-bg (rgb(255, 255, 255)) has a contrast of 2.84:1');
  // Another view shows the same link colour: still the one warning.
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  await page.getByRole('dialog', { name: 'Cookie preferences' }).getByRole('button', { name: 'Close' }).click();
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  await expect(page.locator('consent-widget').getByRole('button', { name: 'Cookie settings', exact: true })).toBeVisible();
  expect(warnings).toHaveLength(1);
});

test('buttons whose text and background are too close are named too', async ({ page }) => {
  const warnings = widgetWarnings(page);
  await withSiteStyles(page, 'consent-widget { --cw-accent: #6f8fb0; }');
  await page.goto('/');
  await widgetRunning(page);
  await expect.poll(() => warnings.length).toBe(1);
  expect(warnings[0]).toContain('--cw-accent-text (rgb(255, 255, 255)) on --cw-accent (rgb(111, 143, 176))');
});
