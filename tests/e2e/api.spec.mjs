// The JavaScript API on window.ConsentWidget and the declarative hooks, as a site's own
// code would use them, including calls queued before the widget has loaded.
import { test, expect } from '@playwright/test';
import { banner, expectBannerIn, currentConsent, storedConsent, watchProblems } from './helpers.mjs';

let problems;
test.beforeEach(({ page }) => {
  problems = watchProblems(page);
});
test.afterEach(() => {
  expect(problems).toEqual([]);
});

const ready = (page) => page.waitForFunction(() => window.ConsentWidget && !Array.isArray(window.ConsentWidget)
  && document.querySelector('consent-widget')?.shadowRoot?.querySelector('.cw-root'));

test('calls queued before the widget loads run in order once it has', async ({ page }) => {
  await page.addInitScript(() => {
    window.ConsentWidget = [];
    window.ConsentWidget.push(['setLanguage', 'es']);
    window.ConsentWidget.push(['showPreferences']);
  });
  await page.goto('/');
  await ready(page);
  await expect(page.getByRole('dialog', { name: 'Preferencias de cookies' })).toBeVisible();
});

test('acceptCategories, acceptedCategory, acceptedService and getConsent agree', async ({ page, context }) => {
  await page.goto('/');
  await ready(page);
  expect(await page.evaluate(() => window.ConsentWidget.getConsent())).toBeNull();
  expect(await page.evaluate(() => window.ConsentWidget.acceptedCategory('necessary'))).toBe(false);
  await page.evaluate(() => window.ConsentWidget.acceptCategories(['analytics']));
  await expect(banner(page)).toBeHidden();
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics']);
  const answers = await page.evaluate(() => [
    window.ConsentWidget.acceptedCategory('analytics'),
    window.ConsentWidget.acceptedCategory('marketing'),
    window.ConsentWidget.acceptedService('analytics', 'matomo'),
    window.ConsentWidget.acceptedService('marketing', 'google-ads'),
  ]);
  expect(answers).toEqual([true, false, true, false]);
  const consent = await page.evaluate(() => window.ConsentWidget.getConsent());
  expect(consent.categories).toEqual(['analytics', 'necessary']);
  expect(consent.method).toBe('custom');
  expect(consent.id).toBe((await storedConsent(context)).id);
});

test('acceptAll, rejectAll, show, hide and reset drive the widget; on and off follow events', async ({ page, context }) => {
  await page.goto('/');
  await ready(page);
  await page.evaluate(() => {
    window.seen = [];
    window.record = (detail) => window.seen.push(detail.consent.method);
    window.ConsentWidget.on('change', window.record);
  });
  await page.evaluate(() => window.ConsentWidget.acceptAll());
  await expect(banner(page)).toBeHidden();
  await page.evaluate(() => window.ConsentWidget.rejectAll());
  await expect.poll(() => page.evaluate(() => window.seen)).toEqual(['accept_all', 'withdraw']);
  await page.evaluate(() => window.ConsentWidget.off('change', window.record));
  await page.evaluate(() => window.ConsentWidget.acceptAll());
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.seen)).toEqual(['accept_all', 'withdraw']);

  await page.evaluate(() => window.ConsentWidget.show());
  await expect(banner(page)).toBeVisible();
  await page.evaluate(() => window.ConsentWidget.hide());
  await expect(banner(page)).toBeHidden();

  await page.evaluate(() => window.ConsentWidget.reset());
  await expectBannerIn(page, 'en');
  await expect.poll(() => currentConsent(context)).toBeNull();
  expect(await page.evaluate(() => window.ConsentWidget.getConsent())).toBeNull();
});

test('show and hide events follow what the visitor sees', async ({ page }) => {
  await page.addInitScript(() => {
    window.visibility = [];
    for (const name of ['show', 'hide']) window.addEventListener(`consentwidget:${name}`, () => window.visibility.push(name));
  });
  await page.goto('/');
  await expect.poll(() => page.evaluate(() => window.visibility)).toEqual(['show']);
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  await expect.poll(() => page.evaluate(() => window.visibility)).toEqual(['show', 'hide']);
});

test('host-page elements marked accept-all and reject-all decide', async ({ page, context }) => {
  await page.goto('/');
  await ready(page);
  await page.evaluate(() => {
    for (const action of ['accept-all', 'reject-all']) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.consentWidget = action;
      button.textContent = `Host ${action}`;
      document.querySelector('main').prepend(button);
    }
  });
  await page.getByRole('button', { name: 'Host accept-all' }).click();
  await expect.poll(async () => (await storedConsent(context))?.method).toBe('accept_all');
  await page.getByRole('button', { name: 'Host reject-all' }).click();
  await expect.poll(async () => (await storedConsent(context))?.method).toBe('withdraw');
});

test('showPolicy opens the policy at a section', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.evaluate(() => window.ConsentWidget.showPolicy('cookies'));
  const dialog = page.getByRole('dialog', { name: 'Privacy policy' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Policy on the use of cookies' })).toBeInViewport();
  await expect(dialog.getByRole('heading', { name: 'Data confidentiality policy', exact: true })).not.toBeInViewport();
});
