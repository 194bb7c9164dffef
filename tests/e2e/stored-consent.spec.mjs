// The consent cookie is input like any other: one the widget could not have written under
// this configuration is no consent. The banner shows, one console warning names the field.
import { test, expect } from '@playwright/test';
import { banner, demoConfig, expectBannerIn, storedConsent, watchProblems } from './helpers.mjs';

const DAY = 86_400;

/** A consent as the widget writes it after "Accept all", now, changed by `forge`. */
function forgedCookie(forge, url) {
  const now = Math.floor(Date.now() / 1000);
  const consent = {
    id: '019ab3c4-d5e6-7f00-8123-456789abcdef',
    categories: ['analytics', 'marketing', 'necessary'],
    services: { analytics: ['matomo'] },
    revision: demoConfig.revision,
    language: 'en',
    method: 'accept_all',
    firstConsent: now,
    lastConsent: now,
    expires: now + 182 * DAY,
  };
  forge(consent);
  return { name: 'consent_widget', value: encodeURIComponent(JSON.stringify(consent)), url };
}

const forgeries = {
  'an expiry 100 years out': ['expires', (consent) => { consent.expires = consent.lastConsent + 36_500 * DAY; }],
  'a decision ten years ahead': ['lastConsent', (consent) => {
    for (const key of ['firstConsent', 'lastConsent', 'expires']) consent[key] += 3650 * DAY;
  }],
  'a service the site does not list': ['services', (consent) => { consent.services.analytics.push('tracker'); }],
  'a bogus language': ['language', (consent) => { consent.language = 'xx'; }],
};

for (const [name, [field, forge]] of Object.entries(forgeries)) {
  test(`a cookie with ${name} shows the banner and runs nothing`, async ({ page, context, baseURL }) => {
    const problems = watchProblems(page);
    const warnings = [];
    page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
    await context.addCookies([forgedCookie(forge, baseURL)]);
    await page.goto('/');
    await expectBannerIn(page, 'en');
    expect(warnings).toEqual([`consent-widget: untrusted consent cookie (\`${field}\`); asking again`]);
    expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
    expect(problems).toEqual([]);
  });
}

test('the cookie the widget writes itself is trusted on the next page view', async ({ page, context }) => {
  const problems = watchProblems(page);
  const warnings = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await storedConsent(context);
  await page.reload();
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics', 'marketing']);
  await expect(banner(page)).toBeHidden();
  expect(warnings).toEqual([]);
  expect(problems).toEqual([]);
});
