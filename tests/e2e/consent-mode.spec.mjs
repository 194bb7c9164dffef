// Google Consent Mode v2: defaults first, exactly one update per decision, replay on load.
import { test, expect } from '@playwright/test';
import { banner, nextDecisionApplied, failOnPageProblems } from './helpers.mjs';

const consentCalls = (page) => page.evaluate(() => (window.dataLayer || []).map((entry) => Array.from(entry)).filter((call) => call[0] === 'consent'));

failOnPageProblems();

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
  const applied = nextDecisionApplied(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Save choices' }).click();
  await applied;
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

test('regions can start from their own defaults, before the global one', async ({ page }) => {
  await page.route(/\/$/, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(
      '<script src="/consent-widget/consent-mode.js"></script>',
      `<script src="/consent-widget/consent-mode.js" data-region-defaults='{"US-CA": {"analytics_storage": "granted"}, "CH": {}}'></script>`,
    );
    await route.fulfill({ response, body });
  });
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  const calls = await consentCalls(page);
  expect(calls.map((call) => [call[1], call[2].region ?? null])).toEqual([
    ['default', ['US-CA']], ['default', ['CH']], ['default', null],
  ]);
  expect(calls[0][2].analytics_storage).toBe('granted');
  expect(calls[0][2].ad_storage).toBe('denied');
  expect(calls[1][2].analytics_storage).toBe('denied');
});
