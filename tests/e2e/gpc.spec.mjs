// Global Privacy Control, emulated by an init script: advertising stays off, the widget says
// why, and an explicit opt-in needs the visitor to confirm the conflict first.
import { test, expect } from '@playwright/test';
import { banner, exportedRecords, storedConsent, t, watchProblems } from './helpers.mjs';

let problems;
test.beforeEach(async ({ page }) => {
  problems = watchProblems(page);
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
  });
});
test.afterEach(() => {
  expect(problems).toEqual([]);
});

test('the banner says the signal is honoured, and accept all leaves advertising off', async ({ page, context, request }) => {
  await page.goto('/');
  await expect(banner(page).getByText(t('en', 'gpc.notice'))).toBeVisible();
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  const consent = await storedConsent(context);
  expect(consent.categories.sort()).toEqual(['analytics', 'functional', 'necessary']);
  expect(consent.method).toBe('gpc');
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics']);
  const calls = await page.evaluate(() => window.dataLayer.map((entry) => Array.from(entry)).filter((c) => c[0] === 'consent'));
  expect(calls[1][2].ad_storage).toBe('denied');
  await expect.poll(async () => (await exportedRecords(request)).filter((r) => r.consentId === consent.id).map((r) => r.method))
    .toEqual(['gpc']);
});

test('turning advertising on needs a confirmation of the conflict', async ({ page, context }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await expect(dialog.getByText(t('en', 'gpc.notice'))).toBeVisible();
  const marketing = dialog.getByRole('switch', { name: 'Marketing' });
  await marketing.click();
  await expect(dialog.getByRole('alert')).toContainText(t('en', 'gpc.conflict'));
  await expect(marketing).not.toBeChecked();
  await dialog.getByRole('button', { name: t('en', 'gpc.cancel') }).click();
  await expect(dialog.getByRole('alert')).toBeHidden();
  await expect(marketing).not.toBeChecked();
  await marketing.click();
  await dialog.getByRole('button', { name: t('en', 'gpc.confirm') }).click();
  await expect(marketing).toBeChecked();
  await dialog.getByRole('button', { name: 'Save choices' }).click();
  expect((await storedConsent(context)).categories.sort()).toEqual(['marketing', 'necessary']);
});
