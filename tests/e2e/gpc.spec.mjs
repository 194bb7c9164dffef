// Global Privacy Control, emulated by an init script: advertising stays off, the widget says
// why, and an explicit opt-in needs the visitor to confirm the conflict first.
import { test, expect } from '@playwright/test';
import {
  banner, confirmedUnder, exportedRecords, holdWasm, marked, storedConsent, t, watchProblems, widgetRunning,
} from './helpers.mjs';

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

test('a consent given before the signal was switched on yields to it, before and after the wasm', async ({ browser }) => {
  // Monday: Accept all, no signal.
  const context = await browser.newContext();
  const monday = await context.newPage();
  const mondayProblems = watchProblems(monday);
  await monday.goto('/');
  await banner(monday).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(async () => (await storedConsent(context))?.categories.sort()).toEqual(['analytics', 'functional', 'marketing', 'necessary']);
  await expect.poll(() => confirmedUnder(context), { message: 'the cookie was not confirmed' }).not.toBeNull();
  const given = await storedConsent(context);
  // Tuesday: the same browser sends Global Privacy Control; the wasm held back.
  const tuesday = await context.newPage();
  const tuesdayProblems = watchProblems(tuesday);
  await tuesday.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
  });
  const wasm = await holdWasm(tuesday);
  await tuesday.goto('/?tuesday');
  await marked(tuesday, 'stored consent released');
  expect(await tuesday.evaluate(() => window.demoLog)).toEqual(['analytics']);
  await expect(tuesday.locator('script[src="/demo/marketing.js"]')).toHaveAttribute('type', 'text/plain');
  wasm.release();
  await widgetRunning(tuesday);
  // The wasm withdraws what the signal keeps off, as a decision of its own, recorded as gpc.
  await expect.poll(async () => (await storedConsent(context)).method).toBe('gpc');
  const yielded = await storedConsent(context);
  expect(yielded.categories.sort()).toEqual(['analytics', 'functional', 'necessary']);
  expect(yielded.id).toBe(given.id);
  await marked(tuesday, 'released');
  expect(await tuesday.evaluate(() => window.demoLog)).toEqual(['analytics']);
  expect([...mondayProblems, ...tuesdayProblems]).toEqual([]);
  await context.close();
});
