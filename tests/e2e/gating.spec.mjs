// The choice applied on the page: marked tags stay inert until consent, run once and in
// order after it, and their cookies go when the category is withdrawn. Events tell the page.
import { test, expect } from '@playwright/test';
import { banner, demoConfig, nextDecisionApplied, failOnPageProblems, storedConsent, widgetRunning, withConfig } from './helpers.mjs';

const cookieNames = async (context) => (await context.cookies()).map((cookie) => cookie.name).sort();

failOnPageProblems();

test('nothing marked runs before consent, or after a refusal', async ({ page, context }) => {
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  // The wasm runs what a stored consent allows as it starts: with none, nothing.
  await widgetRunning(page);
  expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
  await expect(page.locator('#status-analytics')).toHaveText('blocked');
  const applied = nextDecisionApplied(page);
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  await applied;
  expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
  await expect.poll(() => cookieNames(context)).toEqual(['consent_widget']);
});

test('accepting runs marked scripts once, in document order, with their attributes', async ({ page, context }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics', 'marketing']);
  await expect(page.locator('#status-analytics')).toContainText('running');
  const released = page.locator('script[src="/demo/analytics.js"]:not([type])');
  await expect(released).toHaveCount(1);
  await expect(released).toHaveAttribute('data-service', 'matomo');
  await expect.poll(() => cookieNames(context)).toEqual(['_gcl_au', '_pk_id.1.demo', 'consent_widget']);
  // Deciding again does not run anything twice.
  await page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' }).click();
  const applied = nextDecisionApplied(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Accept all' }).click();
  await applied;
  expect(await page.evaluate(() => window.demoLog)).toEqual(['analytics', 'marketing']);
  // A later page view runs them once, from the stored consent.
  await page.reload();
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics', 'marketing']);
});

test('a custom choice releases only its category', async ({ page }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  await page.getByRole('dialog').getByRole('switch', { name: 'Marketing' }).check();
  await page.getByRole('dialog').getByRole('button', { name: 'Save choices' }).click();
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['marketing']);
  await expect(page.locator('#status-analytics')).toHaveText('blocked');
});

test('elements the page adds later are handled too', async ({ page }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => page.evaluate(() => window.demoLog?.length)).toBe(2);
  await page.evaluate(() => {
    const late = document.createElement('script');
    late.type = 'text/plain';
    late.dataset.category = 'analytics';
    late.src = '/demo/analytics.js';
    document.body.append(late);
    const image = document.createElement('img');
    image.dataset.src = '/favicon.svg';
    image.dataset.category = 'marketing';
    image.alt = 'Late image';
    document.body.append(image);
  });
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics', 'marketing', 'analytics']);
  await expect(page.getByRole('img', { name: 'Late image' })).toHaveAttribute('src', '/favicon.svg');
});

test('withdrawing a category deletes its cookies and storage keys, and says what changed', async ({ page, context }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => cookieNames(context)).toEqual(['_gcl_au', '_pk_id.1.demo', 'consent_widget']);
  await page.evaluate(() => {
    localStorage.setItem('_pk_visits', '3');
    localStorage.setItem('site_theme', 'dark');
    window.changes = [];
    window.addEventListener('consentwidget:change', (event) => window.changes.push(event.detail));
  });
  await page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('switch', { name: 'Analytics' }).uncheck();
  // The demo turns the reload off: what cannot be stopped is said.
  const warned = page.waitForEvent('console', (message) => message.type() === 'warning'
    && message.text() === 'consent-widget: consent withdrawn for analytics; the tags of these categories that already ran on this page (1) keep running until it is reloaded (reloadOnWithdraw is off)');
  await dialog.getByRole('button', { name: 'Save choices' }).click();
  await warned;
  await expect.poll(() => cookieNames(context)).toEqual(['_gcl_au', 'consent_widget']);
  expect(await page.evaluate(() => [localStorage.getItem('_pk_visits'), localStorage.getItem('site_theme')])).toEqual([null, 'dark']);
  const changes = await page.evaluate(() => window.changes);
  expect(changes).toHaveLength(1);
  expect(changes[0].withdrawn).toEqual(['analytics']);
  expect(changes[0].changed).toEqual(['analytics']);
  expect(changes[0].consent.categories).toEqual(['functional', 'marketing', 'necessary']);
});

test('consentwidget:ready and consentwidget:consent fire on every page view with a consent', async ({ page }) => {
  await page.addInitScript(() => {
    window.events = [];
    for (const name of ['ready', 'consent', 'change']) {
      window.addEventListener(`consentwidget:${name}`, (event) => window.events.push([name, event.detail]));
    }
  });
  await page.goto('/');
  await expect.poll(() => page.evaluate(() => window.events.map(([name]) => name))).toEqual(['ready']);
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  await expect.poll(() => page.evaluate(() => window.events.map(([name]) => name))).toEqual(['ready', 'consent', 'change']);
  await page.reload();
  await expect.poll(() => page.evaluate(() => window.events.map(([name]) => name))).toEqual(['ready', 'consent']);
  const [, consent] = (await page.evaluate(() => window.events))[1];
  expect(consent.categories).toEqual(['necessary']);
});

test('withdrawal deletes cookies set on a parent domain too', async ({ page, context }) => {
  // *.localhost resolves to this machine: a page on www.shop.localhost, cookies on shop.localhost.
  const base = `http://www.shop.localhost:${process.env.E2E_PORT || 8181}`;
  await page.goto(`${base}/`);
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => page.evaluate(() => window.demoLog?.length)).toBe(2);
  await page.evaluate(() => {
    document.cookie = '_pk_id.9.parent=1; Domain=shop.localhost; Path=/; Max-Age=3600';
    document.cookie = '_pk_ses.9.parent=1; Domain=www.shop.localhost; Path=/; Max-Age=3600';
  });
  const names = async () => (await context.cookies(base)).map((c) => `${c.name}@${c.domain}`).sort();
  expect(await names()).toEqual(expect.arrayContaining(['_pk_id.9.parent@.shop.localhost', '_pk_ses.9.parent@.www.shop.localhost']));
  await page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reject all' }).click();
  await expect.poll(names).toEqual(['consent_widget@www.shop.localhost']);
});

test('by default a withdrawal reloads the page, so that no withdrawn tag keeps running', async ({ page }) => {
  // A fixed body, not a fetch through the route: the reload asks for the configuration
  // again, and a fetch still running when the test ends would fail it. The demo turns the
  // reload off; a configuration that says nothing gets it.
  const { reloadOnWithdraw, ...byDefault } = demoConfig;
  expect(reloadOnWithdraw).toBe(false);
  await withConfig(page, byDefault);
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => page.evaluate(() => window.demoLog?.length)).toBe(2);
  await page.evaluate(() => { window.beforeReload = true; });
  await page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' }).click();
  // The reloaded page's load event: reading the page before it could meet the old one torn down.
  const reloaded = page.waitForEvent('load');
  await page.getByRole('dialog').getByRole('button', { name: 'Reject all' }).click();
  await reloaded;
  expect(await page.evaluate(() => window.beforeReload)).toBeUndefined();
  expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
});

test('a held iframe\'s placeholder says who provides it, follows the language, and allows it', async ({ page, context }) => {
  await page.goto('/');
  const placeholder = page.getByRole('region', { name: 'Product tour video' });
  await expect(placeholder).toHaveCount(1);
  await expect(placeholder).toContainText('Product tour video is provided by Lakeside Hosting SA (Switzerland).');
  await expect(page.locator('iframe[title="Product tour video"]')).toBeHidden();
  await banner(page).getByRole('combobox', { name: 'Language' }).selectOption('de');
  await expect(placeholder).toContainText('Product tour video wird von Lakeside Hosting SA (Schweiz) bereitgestellt.');
  await expect(placeholder).toHaveAttribute('lang', 'de');
  await placeholder.getByRole('button', { name: 'Product tour video immer erlauben' }).click();
  await expect(page.locator('iframe[title="Product tour video"]')).toHaveAttribute('src', '/demo/video.html');
  await expect(page.locator('iframe[title="Product tour video"]')).toBeVisible();
  await expect(page.locator('consent-widget-placeholder')).toHaveCount(0);
  // A consent to that service alone: its category stays off, and nothing else ran.
  const consent = await storedConsent(context);
  expect(consent.services).toEqual({ functional: ['tour-video'] });
  expect(consent.categories).toEqual(['necessary']);
  expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
});

test('an iframe that names no service offers the settings, also when added later', async ({ page }) => {
  await page.goto('/');
  await widgetRunning(page);
  await page.evaluate(() => {
    const frame = document.createElement('iframe');
    frame.dataset.src = '/demo/video.html';
    frame.dataset.category = 'functional';
    frame.title = 'Late video';
    document.querySelector('main').append(frame);
  });
  const placeholder = page.locator('consent-widget-placeholder').filter({ hasText: 'This content is blocked until you allow the “Functional” cookies.' });
  await expect(placeholder).toHaveCount(1);
  // By keyboard: the banner covers the page's foot, where the frame was added.
  await placeholder.getByRole('button', { name: 'Cookie settings' }).press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await dialog.getByRole('switch', { name: 'Functional' }).check();
  await dialog.getByRole('button', { name: 'Save choices' }).click();
  await expect(page.locator('iframe[title="Late video"]')).toHaveAttribute('src', '/demo/video.html');
  await expect(page.locator('consent-widget-placeholder')).toHaveCount(0);
});

test('inline marked scripts run after consent, in order with external ones, keeping their nonce', async ({ page }) => {
  // A page whose CSP allows inline scripts by nonce only, as a strict site would.
  await page.route(/\/$/, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(
      '<script type="text/plain" data-category="marketing" src="/demo/marketing.js"></script>',
      '<script type="text/plain" data-category="analytics" nonce="r4nd0m">window.demoLog.push("inline-analytics")</script>\n'
        + '  <script type="text/plain" data-category="marketing" src="/demo/marketing.js"></script>\n'
        + '  <script type="text/plain" data-category="marketing" nonce="r4nd0m">window.demoLog.push("inline-marketing")</script>',
    );
    const headers = { ...response.headers() };
    headers['content-security-policy'] = headers['content-security-policy'].replace("script-src 'self'", "script-src 'self' 'nonce-r4nd0m'");
    await route.fulfill({ response, body, headers });
  });
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  await widgetRunning(page);
  expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => page.evaluate(() => window.demoLog))
    .toEqual(['analytics', 'inline-analytics', 'marketing', 'inline-marketing']);
});

test('a mark naming a service or category the configuration does not have is said once', async ({ page }) => {
  const warnings = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  await page.goto('/');
  await widgetRunning(page);
  await page.evaluate(() => {
    for (const [category, service] of [['analytics', 'hotjar'], ['analytics', 'hotjar'], ['stats', null]]) {
      const script = document.createElement('script');
      script.type = 'text/plain';
      script.dataset.category = category;
      if (service) script.dataset.service = service;
      script.src = '/demo/analytics.js';
      document.body.append(script);
    }
  });
  await expect.poll(() => warnings.filter((text) => text.includes('is never released')).sort()).toEqual([
    'consent-widget: <script> data-category="stats" names no category of the configuration: it is never released',
    'consent-widget: <script> data-service="hotjar" names no service of the category `analytics` in the configuration: it is never released',
  ]);
});

test('a cookie whose provider no service declares is said once, and the policy lists it', async ({ page }) => {
  const warnings = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  const config = structuredClone(demoConfig);
  config.categories.find((category) => category.id === 'analytics').cookies.push(
    { name: '_hjSession_*', provider: 'Hotjar Ltd', purpose: 'Counts a visit', duration: '30 minutes' });
  await withConfig(page, config);
  await page.goto('/');
  await widgetRunning(page);
  await expect.poll(() => warnings.filter((text) => text.includes('Hotjar Ltd'))).toEqual([
    'consent-widget: configuration `categories[1].cookies[2].provider` `Hotjar Ltd` (cookie `_hjSession_*`) is neither '
      + '`company.name` nor a service or recipient of the configuration: declare it in the category\'s `services` (a preset, '
      + 'or its provider and country), so that the policy says where it processes the data',
  ]);
  await page.evaluate(() => window.ConsentWidget.showPolicy());
  // In the recipients' table (the cookie table has a row of its own for the cookie).
  await expect(page.getByRole('dialog').getByRole('row', { name: 'Hotjar Ltd Analytics Hotjar Ltd Not stated Not stated' }))
    .toHaveCount(1);
});
