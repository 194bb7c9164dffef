// A visitor's journeys through the demo site, controls found by role and accessible name.
import { test, expect } from '@playwright/test';
import {
  LANGUAGES, asShown, banner, demoConfig, expectBannerIn, locales, currentConsent, policyHeading, storedConsent, t, watchProblems,
  widgetRunning, withConfig, withPageLanguage,
} from './helpers.mjs';

let problems;
test.beforeEach(({ page }) => {
  problems = watchProblems(page);
});
test.afterEach(() => {
  expect(problems, 'console errors, page errors or CSP violations').toEqual([]);
});

// The word each language uses for advertising, which the first layer must say where it is advertising.
const ADVERTISING = { en: 'advertising', fr: 'publicité', de: 'Werbung', it: 'pubblicità', es: 'publicidad' };

for (const code of LANGUAGES) {
  test(`the banner in ${code} names the company, says advertising, and leads to the partners in one click`, async ({ page }) => {
    await withPageLanguage(page, code);
    await page.goto('/');
    const region = banner(page, code);
    await expect(region).toContainText(demoConfig.company.name);
    // The demo's optional categories, in its order.
    await expect(region.getByRole('listitem')).toHaveText([
      t(code, 'categories.analytics.purpose'), t(code, 'categories.marketing.purpose'), t(code, 'categories.functional.purpose'),
    ]);
    await expect(region.getByRole('listitem').nth(1)).toContainText(ADVERTISING[code]);
    await region.getByRole('button', { name: t(code, 'banner.partnersLink') }).click();
    const policy = page.getByRole('dialog', { name: t(code, 'policy.title') });
    await expect(policy.getByRole('heading', { name: policyHeading(code, 'recipients'), exact: true })).toBeInViewport();
  });

  test(`at 360 px the banner in ${code} shows its three buttons without scrolling`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    await withPageLanguage(page, code);
    await page.goto('/');
    for (const key of ['acceptAll', 'rejectAll', 'customize']) {
      await expect(banner(page, code).getByRole('button', { name: t(code, `banner.${key}`), exact: true })).toBeInViewport({ ratio: 1 });
    }
    expect(await banner(page, code).evaluate((region) => region.scrollTop)).toBe(0);
    // The partners open with the dialog's title and close button still in view: only its body scrolls.
    await banner(page, code).getByRole('button', { name: t(code, 'banner.partnersLink') }).click();
    const policy = page.getByRole('dialog', { name: t(code, 'policy.title') });
    await expect(policy.getByRole('heading', { name: policyHeading(code, 'recipients'), exact: true })).toBeInViewport();
    await expect(policy.getByRole('button', { name: t(code, 'policy.close') })).toBeInViewport();
    expect(await policy.evaluate((dialog) => dialog.scrollTop)).toBe(0);
    await context.close();
  });

  test(`the banner speaks ${code} when the page does`, async ({ page }) => {
    await withPageLanguage(page, code);
    await page.goto('/');
    await expectBannerIn(page, code);
    await expect(page.locator('consent-widget .cw-root')).toHaveAttribute('lang', code);
  });

  test(`the policy opens with every section in ${code}`, async ({ page }) => {
    await withPageLanguage(page, code);
    await page.goto('/');
    await banner(page, code).getByRole('button', { name: t(code, 'banner.policyLink') }).click();
    const dialog = page.getByRole('dialog', { name: t(code, 'policy.title') });
    await expect(dialog).toBeVisible();
    const contents = dialog.getByRole('navigation', { name: t(code, 'policy.contents') });
    await expect(contents).toBeVisible();
    const headings = locales[code].policy.document.filter((block) => block.type === 'heading');
    expect(headings.length).toBeGreaterThan(10);
    for (const heading of headings.filter((h) => h.level === 2)) {
      await expect(contents.getByRole('link', { name: asShown(code, heading.text), exact: true })).toBeVisible();
      await expect(dialog.getByRole('heading', { name: asShown(code, heading.text), exact: true })).toBeAttached();
    }
    await expect(dialog.getByRole('heading', { name: policyHeading(code, 'cookies'), exact: true })).toBeAttached();
    await expect(dialog.getByRole('cell', { name: '_pk_id.*' })).toBeAttached();
    await expect(dialog.getByRole('cell', { name: 'consent_widget_outbox (localStorage)' })).toBeAttached();
    await expect(dialog).toContainText(demoConfig.company.name);
    await expect(dialog).toContainText(demoConfig.company.address);
  });
}

test('the policy text is fetched when first opened, in the language shown, and again only for a new language', async ({ page }) => {
  const fetched = [];
  page.on('request', (request) => {
    if (/\/policy-\w+\.json$/.test(request.url())) fetched.push(new URL(request.url()).pathname);
  });
  await withPageLanguage(page, 'fr');
  await page.goto('/');
  await expectBannerIn(page, 'fr');
  expect(fetched, 'the banner needs no policy text').toEqual([]);
  await banner(page, 'fr').getByRole('button', { name: t('fr', 'banner.policyLink') }).click();
  const dialog = page.getByRole('dialog', { name: t('fr', 'policy.title') });
  await expect(dialog.getByRole('heading', { name: locales.fr.policy.document[0].text, exact: true })).toBeVisible();
  await dialog.getByRole('combobox', { name: t('fr', 'language.label') }).selectOption('de');
  await expect(page.getByRole('dialog', { name: t('de', 'policy.title') })
    .getByRole('heading', { name: asShown('de', locales.de.policy.document[0].text), exact: true })).toBeVisible();
  await page.getByRole('dialog').getByRole('combobox', { name: t('de', 'language.label') }).selectOption('fr');
  await expect(dialog.getByRole('heading', { name: locales.fr.policy.document[0].text, exact: true })).toBeVisible();
  expect(fetched).toEqual(['/consent-widget/policy-fr.json', '/consent-widget/policy-de.json']);
});

test('the browser language is used when the page declares none', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  await withPageLanguage(page, null);
  await page.goto('/');
  await expectBannerIn(page, 'de');
  await context.close();
});

test('the language switcher changes every text and the lang attribute', async ({ page }) => {
  await page.goto('/');
  await banner(page).getByRole('combobox', { name: t('en', 'language.label') }).selectOption('it');
  await expectBannerIn(page, 'it');
  await expect(page.locator('consent-widget .cw-root')).toHaveAttribute('lang', 'it');
});

test('reject all stores only the necessary category, on this and later pages', async ({ page, context }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  await expect(banner(page)).toBeHidden();
  const consent = await storedConsent(context);
  expect(consent.categories).toEqual(['necessary']);
  expect(consent.method).toBe('reject_all');
  expect(consent.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const cookie = (await context.cookies()).find((c) => c.name === 'consent_widget');
  expect(cookie.sameSite).toBe('Lax');
  expect(cookie.path).toBe('/');
  const lifetime = cookie.expires - Date.now() / 1000;
  expect(lifetime).toBeGreaterThan(181 * 86400);
  expect(lifetime).toBeLessThan(183 * 86400);

  await page.reload();
  await page.locator('consent-widget').waitFor({ state: 'attached' });
  await expect(banner(page)).toBeHidden();
  await page.goto('/contact.html');
  await page.locator('consent-widget').waitFor({ state: 'attached' });
  await expect(banner(page)).toBeHidden();
});

test('customize, switch one category on, save: the cookie holds exactly that', async ({ page, context }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await expect(dialog).toBeVisible();
  const necessary = dialog.getByRole('switch', { name: 'Strictly necessary' });
  await expect(necessary).toBeChecked();
  await expect(necessary).toBeDisabled();
  const analytics = dialog.getByRole('switch', { name: 'Analytics' });
  const marketing = dialog.getByRole('switch', { name: 'Marketing' });
  await expect(analytics).not.toBeChecked();
  await expect(marketing).not.toBeChecked();
  await analytics.check();
  await dialog.getByRole('button', { name: 'Save choices' }).click();
  await expect(dialog).toBeHidden();
  await expect(banner(page)).toBeHidden();
  const consent = await storedConsent(context);
  expect(consent.categories.sort()).toEqual(['analytics', 'necessary']);
  expect(consent.method).toBe('custom');
});

test('the preferences show each category\'s services and cookie table on expand', async ({ page }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  const table = dialog.getByRole('table').filter({ hasText: '_pk_id.*' });
  await expect(table).toBeHidden();
  await dialog.getByText('Services and cookies').nth(1).click();
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Duration' })).toBeVisible();
  await expect(table.getByRole('row', { name: /_pk_id\.\* Lakeside Hosting SA .* 13 months/ })).toBeVisible();
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Matomo' })).toBeVisible();
});

test('closing or Escape grants nothing and leaves the banner in place', async ({ page, context }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await dialog.getByRole('switch', { name: 'Analytics' }).check();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(banner(page)).toBeVisible();
  await expect.poll(() => currentConsent(context)).toBeNull();

  await banner(page).getByRole('button', { name: 'Customize' }).click();
  await expect(dialog.getByRole('switch', { name: 'Analytics' })).not.toBeChecked();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(banner(page)).toBeVisible();
  await expect.poll(() => currentConsent(context)).toBeNull();
});

test('the footer link reopens the preferences with the stored choice', async ({ page }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect(banner(page)).toBeHidden();
  await page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('switch', { name: 'Analytics' })).toBeChecked();
  await expect(dialog.getByRole('switch', { name: 'Marketing' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Reject all' }).click();
  await expect(dialog).toBeHidden();
  await expect(banner(page)).toBeHidden();
});

test('a host-page element marked show-policy opens the policy', async ({ page }) => {
  await page.goto('/contact.html');
  await page.getByRole('main').getByRole('button', { name: 'Read the privacy policy' }).click();
  await expect(page.getByRole('dialog', { name: 'Privacy policy' })).toBeVisible();
});

test('the policy\'s contents move to a section without touching the page URL', async ({ page }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Privacy policy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Privacy policy' });
  const target = policyHeading('en', 'cookies');
  await dialog.getByRole('navigation').getByRole('link', { name: target, exact: true }).click();
  await expect(dialog.getByRole('heading', { name: target, exact: true })).toBeFocused();
  await expect(dialog.getByRole('heading', { name: target, exact: true })).toBeInViewport();
  expect(new URL(page.url()).hash).toBe('');
});

test('a new revision of the configuration asks again', async ({ page, context }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  expect((await storedConsent(context)).revision).toBe(demoConfig.revision);
  await withConfig(page, { ...demoConfig, revision: demoConfig.revision + 1 });
  await page.reload();
  await expectBannerIn(page, 'en');
});

test('a new provider in a granted category asks again, with the same revision', async ({ page, context }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(async () => (await storedConsent(context))?.vendors).toMatch(/^[0-9a-f]{8}$/);
  const changed = structuredClone(demoConfig);
  const marketing = changed.categories.find((category) => category.id === 'marketing');
  marketing.services[0].provider = 'Another Advertising Ltd';
  await withConfig(page, changed);
  await page.reload();
  await expectBannerIn(page, 'en');
});

test('a broken configuration logs one error naming the field and grants only the necessary', async ({ page, context }) => {
  const broken = structuredClone(demoConfig);
  broken.categories[1].cookies[0].duration = 'forever';
  await withConfig(page, broken);
  await page.goto('/');
  await expectBannerIn(page, 'en');
  await widgetRunning(page);
  const errors = problems.filter((p) => p.includes('consent-widget'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('categories[1].cookies[0].duration');
  // That error was the point; anything else still fails the test.
  problems.splice(problems.indexOf(errors[0]), 1);
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await expect(dialog.getByRole('switch')).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Accept all' }).click();
  expect((await storedConsent(context)).categories).toEqual(['necessary']);
});

test('an unreadable cookie is treated as no consent', async ({ page, context }) => {
  await context.addCookies([{ name: 'consent_widget', value: '%7B%22id%22%3A1', url: 'http://127.0.0.1:8181' }]);
  await page.goto('/');
  await expectBannerIn(page, 'en');
});

test('the banner overlays the page and never shifts its content', async ({ page }) => {
  await page.goto('/');
  const heading = page.getByRole('heading', { level: 1 });
  const before = await heading.boundingBox();
  await expect(banner(page)).toBeVisible();
  const after = await heading.boundingBox();
  expect(after).toEqual(before);
  // Polled: the wasm may take the loader's banner over between finding it and reading its style,
  // and a detached element has no computed style.
  await expect.poll(() => banner(page).evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
});

test('nothing but the consent cookie is stored, and only after a decision', async ({ page, context }) => {
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  expect(await context.cookies()).toEqual([]);
  const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
  expect(storage).toEqual({ local: 0, session: 0 });
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).toEqual(['consent_widget']);
});

for (const [name, rewrite] of [
  ['async', (html) => html.replace(' defer></script>', ' async></script>')],
  ['a plain tag', (html) => html.replace(' defer></script>', '></script>')],
  ['inline configuration', (html) => html.replace(
    '<script src="/consent-widget/consent-widget.js" data-config="/consent-config.json" defer></script>',
    `<script type="application/json" id="consent-widget-config">${JSON.stringify(demoConfig)}</script>\n`
      + '<script src="/consent-widget/consent-widget.js" defer></script>')],
]) {
  test(`the script tag works with ${name}`, async ({ page, context }) => {
    await page.route(/\/$/, async (route) => {
      const response = await route.fetch();
      const body = rewrite(await response.text());
      expect(body).not.toEqual(await response.text());
      await route.fulfill({ response, body });
    });
    await page.goto('/');
    await expectBannerIn(page, 'en');
    await banner(page).getByRole('button', { name: 'Reject all' }).click();
    expect((await storedConsent(context)).categories).toEqual(['necessary']);
  });
}

test('init(config) from JavaScript starts the widget with that configuration', async ({ page, context }) => {
  await page.route(/\/$/, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(' data-config="/consent-config.json"', '');
    await route.fulfill({ response, body });
  });
  await page.goto('/');
  await page.waitForFunction(() => window.ConsentWidget && window.ConsentWidget.init);
  // Without any configuration the safe banner shows (and says so once in the console).
  await expectBannerIn(page, 'en');
  problems.length = 0;
  const config = { ...demoConfig, languages: { enabled: ['en', 'it'], default: 'en', force: 'it' } };
  await page.evaluate((c) => window.ConsentWidget.init(c), config);
  await expectBannerIn(page, 'it');
  await expect(page.locator('consent-widget')).toHaveCount(1);
  await banner(page, 'it').getByRole('button', { name: t('it', 'banner.acceptAll') }).click();
  expect((await storedConsent(context)).categories.sort()).toEqual(['analytics', 'functional', 'marketing', 'necessary']);
  expect(await page.evaluate(() => window.ConsentWidget.version)).toMatch(/^\d+\.\d+\.\d+$/);
});
