// The privacy policy as a page of its own (/privacy/<lang>.html): readable with JavaScript off,
// found by its headings, accessible, at 320 px, and linked from one language to the others.
import { test, expect } from '@playwright/test';
import { axeViolations } from './axe.mjs';
import { LANGUAGES, asShown, demoConfig, locales, policyHeading, t } from './helpers.mjs';

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  for (const code of LANGUAGES) {
    test(`the policy page in ${code} is whole without the widget`, async ({ page }) => {
      const response = await page.goto(`/privacy/${code}.html`);
      expect(response.headers()['content-security-policy']).toContain("default-src 'none'");
      await expect(page.getByRole('heading', { level: 1, name: t(code, 'policy.title') })).toBeVisible();
      const contents = page.getByRole('navigation', { name: t(code, 'policy.contents') });
      for (const id of ['controller', 'recipients', 'your-rights', 'cookies']) {
        await expect(contents.getByRole('link', { name: policyHeading(code, id), exact: true })).toBeVisible();
        await expect(page.getByRole('heading', { name: policyHeading(code, id), exact: true })).toBeVisible();
      }
      await expect(page.locator('main')).toContainText(demoConfig.company.name);
      await expect(page.getByRole('cell', { name: '_pk_id.*' })).toBeVisible();
      expect(await page.locator('html').getAttribute('lang')).toBe(code);
    });
  }

  test('the page links each other language, and its contents lead to each section', async ({ page }) => {
    await page.goto('/privacy/en.html');
    await page.getByRole('navigation', { name: t('en', 'language.label') }).getByRole('link', { name: 'Français' }).click();
    await expect(page).toHaveURL(/\/privacy\/fr\.html$/);
    await page.getByRole('navigation', { name: t('fr', 'policy.contents') })
      .getByRole('link', { name: policyHeading('fr', 'your-rights'), exact: true }).click();
    await expect(page).toHaveURL(/#your-rights$/);
    const german = locales.de.policy.document.find((block) => block.id === 'processing').text;
    await page.goto('/privacy/de.html');
    // The demo's controller is Swiss: its German page is in Swiss usage.
    await expect(page.getByRole('heading', { name: asShown('de', german), exact: true })).toBeVisible();
    await expect(page.locator('main')).not.toContainText('ß');
  });
});

test('the policy page passes axe-core, in the light and the dark scheme, and fits 320 px', async ({ browser }) => {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ bypassCSP: true, colorScheme, viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    await page.goto('/privacy/en.html');
    expect(await axeViolations(page), colorScheme).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await context.close();
  }
});
