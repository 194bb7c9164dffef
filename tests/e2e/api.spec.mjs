// The JavaScript API on window.ConsentWidget and the declarative hooks, as a site's own
// code would use them, including calls queued before the widget has loaded.
import { test, expect } from '@playwright/test';
import { banner, expectBannerIn, currentConsent, nextDecisionApplied, storedConsent, failOnPageProblems } from './helpers.mjs';

failOnPageProblems();

// The wasm runs the widget (only its API has a version) and has rendered.
const ready = (page) => page.waitForFunction(() => typeof (window.ConsentWidget || {}).version === 'string'
  && document.querySelector('consent-widget')?.shadowRoot?.querySelector('.cw-root'));

/** A page of the site's own at /own.html: the loader in <head>, not deferred, then `script`. */
async function ownPage(page, script, config = null) {
  await page.route('**/own.html', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Own</title>
<script src="/consent-widget/consent-mode.js"></script>
${config ? `<script type="application/json" id="consent-widget-config">${JSON.stringify(config)}</script>` : ''}
<script src="/consent-widget/consent-widget.js"></script>
<script>${script}</script></head><body><main><h1>Own</h1></main></body></html>`,
  }));
}

test('ConsentWidget works from the loader\'s first moment: init right after it is the configuration', async ({ page, request }) => {
  const config = await (await request.get('/consent-config.json')).json();
  // No configuration in the page: the site's script calls init() at once, and asks questions.
  await ownPage(page, `window.early = [typeof ConsentWidget.init, ConsentWidget.getConsent(), ConsentWidget.acceptedCategory('analytics')];
    ConsentWidget.on('ready', function () { window.readyCount = (window.readyCount || 0) + 1; });
    ConsentWidget.init(${JSON.stringify(config)});
    ConsentWidget.setLanguage('de');`);
  await page.goto('/own.html');
  await expect(banner(page, 'de')).toBeVisible();
  await ready(page);
  expect(await page.evaluate(() => window.early)).toEqual(['function', null, false]);
  expect(await page.evaluate(() => window.readyCount)).toBe(1);
});

test('init from a ready listener, with the same configuration, is the one widget: ready once', async ({ page, request }) => {
  const config = await (await request.get('/consent-config.json')).json();
  await ownPage(page, `ConsentWidget.on('ready', function () {
      window.readyCount = (window.readyCount || 0) + 1;
      ConsentWidget.init(${JSON.stringify(config)});
    });`, config);
  await page.goto('/own.html');
  await ready(page);
  // A decision after it: its change event comes after any ready a restart would have sent.
  const applied = nextDecisionApplied(page);
  await page.evaluate(() => window.ConsentWidget.acceptAll());
  await applied;
  expect(await page.evaluate(() => window.readyCount)).toBe(1);
  await expect(page.locator('consent-widget')).toHaveCount(1);
});

test('init with another configuration restarts once and says so; destroy during init cancels it', async ({ page, request }) => {
  const warnings = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  const config = await (await request.get('/consent-config.json')).json();
  await page.goto('/');
  await ready(page);
  const other = { ...config, revision: config.revision + 1 };
  await page.evaluate((c) => window.ConsentWidget.init(c), other);
  await expect.poll(() => warnings.filter((text) => text.includes('restarts')).length).toBe(1);
  await expect(banner(page)).toBeVisible();
  // A start that must fetch a catalogue entry first, stopped while it does.
  const withPreset = structuredClone(config);
  withPreset.categories.find((c) => c.id === 'marketing').services.push({ preset: 'vimeo' });
  const fetched = page.waitForResponse(/catalogue-vimeo[^/]*\.json$/);
  await page.evaluate((c) => { window.ConsentWidget.init(c); window.ConsentWidget.destroy(); }, withPreset);
  await fetched;
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  await expect(page.locator('consent-widget')).toHaveCount(0);
  // A later init starts afresh.
  await page.evaluate((c) => window.ConsentWidget.init(c), config);
  await expect(banner(page)).toBeVisible();
});

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
  const applied = nextDecisionApplied(page);
  await page.evaluate(() => window.ConsentWidget.acceptAll());
  await applied;
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
  await expect(dialog.getByRole('heading', { name: 'Cookies and similar technologies', exact: true })).toBeInViewport();
  await expect(dialog.getByRole('heading', { name: 'About this policy', exact: true })).not.toBeInViewport();
});

test('init again and destroy leave no listener or observer behind', async ({ page }) => {
  // Counts the listeners on the window and the document, and the observers, that the widget's own
  // script adds and removes (listeners on its own elements go with them).
  await page.addInitScript(() => {
    const fromWidget = () => /\/consent-widget\/consent-widget[^/]*\.js/.test(new Error().stack);
    const counts = {};
    const count = (name, step) => { counts[name] = (counts[name] || 0) + step; };
    const key = (target, type) => (target === window ? `window:${type}` : target === document ? `document:${type}` : null);
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    EventTarget.prototype.addEventListener = function (type, listener, options) {
      if (key(this, type) && fromWidget()) count(key(this, type), 1);
      return add.call(this, type, listener, options);
    };
    EventTarget.prototype.removeEventListener = function (type, listener, options) {
      if (key(this, type) && fromWidget()) count(key(this, type), -1);
      return remove.call(this, type, listener, options);
    };
    const observe = MutationObserver.prototype.observe;
    const disconnect = MutationObserver.prototype.disconnect;
    MutationObserver.prototype.observe = function (...args) {
      if (fromWidget()) count('observers', 1);
      return observe.apply(this, args);
    };
    MutationObserver.prototype.disconnect = function () {
      if (fromWidget()) count('observers', -1);
      return disconnect.call(this);
    };
    window.listening = () => Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
  });
  await page.goto('/');
  await ready(page);
  const running = await page.evaluate(() => window.listening());
  // The wasm's observer and the loader's for the embeds' placeholders, which follow the language.
  expect(running).toEqual({ 'document:click': 1, 'window:pagehide': 1, 'window:consentwidget:language': 1, observers: 2 });
  const config = await (await page.request.get('/consent-config.json')).json();
  for (let i = 0; i < 3; i++) {
    await page.evaluate((config) => window.ConsentWidget.init(config), config);
    await ready(page);
  }
  expect(await page.evaluate(() => window.listening()), 'each init replaces, never adds').toEqual(running);
  await expect(banner(page)).toBeVisible();

  await page.evaluate(() => window.ConsentWidget.destroy());
  expect(await page.evaluate(() => window.listening())).toEqual({});
  await expect(page.locator('consent-widget')).toHaveCount(0);
  // The page's hooks no longer reach a widget.
  await page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' }).click();
  await expect(page.locator('consent-widget')).toHaveCount(0);
});

test('getSnapshot stays the same object until the consent changes, and subscribe follows it', async ({ page, context }) => {
  await page.goto('/');
  await ready(page);
  await page.evaluate(() => {
    window.notified = 0;
    window.unsubscribe = window.ConsentWidget.subscribe(() => { window.notified += 1; });
  });
  expect(await page.evaluate(() => window.ConsentWidget.getSnapshot())).toBeNull();
  const accepted = nextDecisionApplied(page);
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await accepted;
  expect(await page.evaluate(() => window.notified)).toBe(1);
  // The same object each call (what useSyncExternalStore needs), frozen, until the next decision.
  expect(await page.evaluate(() => {
    const first = window.ConsentWidget.getSnapshot();
    return first === window.ConsentWidget.getSnapshot() && first === window.ConsentWidget.getConsent() && Object.isFrozen(first);
  })).toBe(true);
  await page.evaluate(() => { window.before = window.ConsentWidget.getSnapshot(); });
  const rejected = nextDecisionApplied(page);
  await page.evaluate(() => window.ConsentWidget.rejectAll());
  await rejected;
  expect(await page.evaluate(() => window.before !== window.ConsentWidget.getSnapshot())).toBe(true);
  expect(await page.evaluate(() => window.ConsentWidget.getSnapshot().categories)).toEqual(['necessary']);
  expect(await page.evaluate(() => window.notified)).toBe(2);

  // reset() after Accept all deletes what the categories stored, and says so.
  const again = nextDecisionApplied(page);
  await page.evaluate(() => window.ConsentWidget.acceptAll());
  await again;
  // The marketing tag ran on the first Accept all; what it stores is stored again, as it would be.
  await page.evaluate(() => { document.cookie = '_gcl_au=1.1.again; Path=/; Max-Age=600'; });
  // A cookie written in the page reaches the browser's store (what context.cookies() reads) a
  // moment later: each check of the store waits for the write it is about.
  const cookieNames = async () => (await context.cookies()).map((cookie) => cookie.name);
  await expect.poll(cookieNames).toContain('_gcl_au');
  const reset = page.evaluate(() => new Promise((resolve) => window.addEventListener('consentwidget:reset', () => resolve(true), { once: true })));
  await page.evaluate(() => window.ConsentWidget.reset());
  expect(await reset).toBe(true);
  expect(await page.evaluate(() => window.ConsentWidget.getSnapshot())).toBeNull();
  const forgotten = (names) => names.filter((name) => name === '_gcl_au' || name === 'consent_widget');
  expect(forgotten(await page.evaluate(() => document.cookie.split('; ').map((pair) => pair.split('=')[0])))).toEqual([]);
  await expect.poll(async () => forgotten(await cookieNames())).toEqual([]);
  expect(await page.evaluate(() => window.notified)).toBe(4);
  await expect(banner(page)).toBeVisible();

  // Unsubscribed, it hears nothing more.
  await page.evaluate(() => window.unsubscribe());
  const last = nextDecisionApplied(page);
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  await last;
  expect(await page.evaluate(() => window.notified)).toBe(4);
});
