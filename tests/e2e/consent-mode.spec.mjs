// Google Consent Mode v2: defaults first, exactly one update per decision, replay on load.
import { test, expect } from '@playwright/test';
import { banner, watchProblems } from './helpers.mjs';

const consentCalls = (page) => page.evaluate(() => (window.dataLayer || []).map((entry) => Array.from(entry)).filter((call) => call[0] === 'consent'));

let problems;
test.beforeEach(({ page }) => {
  problems = watchProblems(page);
});
test.afterEach(() => {
  expect(problems).toEqual([]);
});

test('the default comes first, all denied but security, with wait_for_update', async ({ page }) => {
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  const first = await page.evaluate(() => Array.from(window.dataLayer[0]));
  expect(first).toEqual(['consent', 'default', {
    ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied',
    functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted', wait_for_update: 500,
  }]);
  expect(await consentCalls(page)).toHaveLength(1);
});

test('one decision pushes exactly one update, and a reload replays it', async ({ page }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  await page.getByRole('dialog').getByRole('switch', { name: 'Marketing' }).check();
  await page.getByRole('dialog').getByRole('button', { name: 'Save choices' }).click();
  await expect.poll(async () => (await consentCalls(page)).length).toBe(2);
  await page.waitForTimeout(200);
  const calls = await consentCalls(page);
  expect(calls).toHaveLength(2);
  expect(calls[1]).toEqual(['consent', 'update', {
    ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'denied',
    functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted',
  }]);
  await page.reload();
  await expect.poll(async () => (await consentCalls(page)).map((call) => call[1])).toEqual(['default', 'update']);
  expect((await consentCalls(page))[1][2].ad_storage).toBe('granted');
});
