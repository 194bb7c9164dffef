// The privacy policy as a visitor uses it, and the floating "Cookie settings" button:
// withdrawal one click from the policy and from any page, found by role and name.
import { test, expect } from '@playwright/test';
import {
  asShown, banner, demoConfig, holdWasm, locales, nextDecisionApplied, policyHeading, storedConsent, t, failOnPageProblems,
  widgetRunning, withConfig, withPageLanguage,
} from './helpers.mjs';

failOnPageProblems();

/** The label of the policy's in-text link to `href` in language `code`. */
function linkLabel(code, href) {
  for (const block of locales[code].policy.document) {
    for (const text of block.items ?? [block.text ?? '']) {
      const found = text.match(new RegExp(`\\[([^\\]]+)\\]\\(${href}\\)`));
      if (found) return asShown(code, found[1]);
    }
  }
  throw new Error(`no link to ${href} in ${code}`);
}

/** The widget's own floating button (the demo's footer has a button of the same name). */
const floatingButton = (page, code = 'en') =>
  page.locator('consent-widget').getByRole('button', { name: t(code, 'preferences.reopen'), exact: true });

for (const code of ['en', 'de']) {
  test(`the policy's withdrawal link opens the preferences with the stored choice, in ${code}`, async ({ page, context }) => {
    await withPageLanguage(page, code);
    await page.goto('/');
    await banner(page, code).getByRole('button', { name: t(code, 'banner.acceptAll') }).click();
    await storedConsent(context);
    await page.evaluate(() => window.ConsentWidget.showPolicy('your-rights'));
    const policy = page.getByRole('dialog', { name: t(code, 'policy.title') });
    const rights = policy.getByRole('heading', { name: policyHeading(code, 'your-rights'), exact: true });
    await expect(rights).toBeInViewport();
    // The link in the rights' list (the dialog's footer has a button of its own).
    await policy.getByRole('listitem').getByRole('button', { name: linkLabel(code, '#preferences'), exact: true }).click();
    const preferences = page.getByRole('dialog', { name: t(code, 'preferences.title') });
    await expect(preferences).toBeVisible();
    await expect(preferences.getByRole('switch', { name: t(code, 'categories.analytics.title') })).toBeChecked();
    const applied = nextDecisionApplied(page);
    await preferences.getByRole('button', { name: t(code, 'preferences.rejectAll') }).click();
    await applied;
    const consent = await storedConsent(context);
    expect(consent.categories).toEqual(['necessary']);
    expect(consent.method).toBe('withdraw');
  });
}

test('the policy names the controller, every service with its country, and links within itself', async ({ page }) => {
  await withPageLanguage(page, 'fr');
  await page.goto('/');
  await banner(page, 'fr').getByRole('button', { name: t('fr', 'banner.policyLink') }).click();
  const policy = page.getByRole('dialog', { name: t('fr', 'policy.title') });
  await expect(policy).toContainText(demoConfig.company.email);
  await expect(policy).toContainText(demoConfig.company.dpo.email);
  const recipients = policy.getByRole('table').filter({ hasText: 'Google Ads' });
  await expect(recipients.getByRole('row', { name: /^Google Ads .*États-Unis Data Privacy Framework$/ })).toBeAttached();
  const noneNeeded = locales.fr.policy.sections.safeguards.none.replace(/[()]/g, '\\$&');
  await expect(recipients.getByRole('row', { name: new RegExp(`^Matomo .*Suisse ${noneNeeded}`) })).toBeAttached();
  await expect(policy).toContainText('PFPDT');
  await expect(policy).toContainText('30 novembre 2026');
  // A link in the text (the contents list the section under the same name; several paragraphs
  // lead there, the first will do).
  await policy.locator('p').getByRole('link', { name: linkLabel('fr', '#controller'), exact: true }).first().click();
  await expect(policy.getByRole('heading', { name: policyHeading('fr', 'controller'), exact: true })).toBeFocused();
  expect(new URL(page.url()).hash).toBe('');
});

test('the partners section opens directly by its id', async ({ page }) => {
  await page.goto('/');
  await widgetRunning(page);
  await page.evaluate(() => window.ConsentWidget.showPolicy('recipients'));
  const policy = page.getByRole('dialog', { name: 'Privacy policy' });
  await expect(policy.getByRole('heading', { name: policyHeading('en', 'recipients'), exact: true })).toBeInViewport();
});

test('the floating button appears after a decision, never with the banner, and reopens the stored choice', async ({ page, context }) => {
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  await widgetRunning(page);
  await expect(floatingButton(page)).toHaveCount(0);
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  const preferences = page.getByRole('dialog', { name: 'Cookie preferences' });
  await preferences.getByRole('switch', { name: 'Analytics' }).check();
  await preferences.getByRole('button', { name: 'Save choices' }).click();
  await expect(banner(page)).toBeHidden();
  const button = floatingButton(page);
  await expect(button).toBeVisible();
  const box = await button.boundingBox();
  expect(box.width).toBeGreaterThanOrEqual(24);
  expect(box.height).toBeGreaterThanOrEqual(24);
  expect(box.x).toBeLessThan(100); // bottom-left, as configured
  await button.click();
  await expect(preferences).toBeVisible();
  await expect(preferences.getByRole('switch', { name: 'Analytics' })).toBeChecked();
  await expect(preferences.getByRole('switch', { name: 'Marketing' })).not.toBeChecked();
  await page.keyboard.press('Escape');
  await expect(preferences).toBeHidden();
  await expect(button).toBeFocused();
  expect((await storedConsent(context)).categories.sort()).toEqual(['analytics', 'necessary']);
  // A repeat visit: no banner, the button at once.
  await page.reload();
  await expect(floatingButton(page)).toBeVisible();
  await expect(banner(page)).toBeHidden();
  // Showing the banner again hides the button, so it never covers the banner.
  await page.evaluate(() => window.ConsentWidget.show());
  await expect(banner(page)).toBeVisible();
  await expect(floatingButton(page)).toHaveCount(0);
});

test('the floating button speaks the visitor\'s language, sits where configured, and can be turned off', async ({ page }) => {
  await withPageLanguage(page, 'it');
  await withConfig(page, { ...demoConfig, floatingButton: { position: 'bottom-right' } });
  await page.goto('/');
  await banner(page, 'it').getByRole('button', { name: t('it', 'banner.rejectAll') }).click();
  const button = floatingButton(page, 'it');
  await expect(button).toBeVisible();
  const box = await button.boundingBox();
  expect(box.x + box.width).toBeGreaterThan(page.viewportSize().width - 100);
  await withConfig(page, { ...demoConfig, floatingButton: { enabled: false } });
  await page.reload();
  await widgetRunning(page);
  await expect(banner(page, 'it')).toBeHidden();
  await expect(page.locator('consent-widget').getByRole('button')).toHaveCount(0);
});

test('links.policy sends every policy link to the site\'s own page, before and after the wasm', async ({ page }) => {
  await withConfig(page, { ...demoConfig, links: { ...demoConfig.links, policy: '/privacy/en.html' } });
  const wasm = await holdWasm(page);
  await page.goto('/');
  const early = banner(page).getByRole('link', { name: 'Privacy policy', exact: true });
  await expect(early).toHaveAttribute('href', '/privacy/en.html');
  wasm.release();
  await widgetRunning(page);
  await expect(banner(page).getByRole('link', { name: 'Privacy policy', exact: true })).toHaveAttribute('href', '/privacy/en.html');
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  const inPreferences = dialog.getByRole('link', { name: t('en', 'preferences.policyLink'), exact: true });
  await expect(inPreferences).toHaveAttribute('href', '/privacy/en.html');
  await inPreferences.click();
  await expect(page).toHaveURL(/\/privacy\/en\.html$/);
  await expect(page.getByRole('heading', { level: 1, name: t('en', 'policy.title') })).toBeVisible();
});
