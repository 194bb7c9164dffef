// Blocking with no tagging, and consent per embed. A shop whose tags nobody changed (Google
// Analytics 4, Meta Pixel, a YouTube video and a Google map, as each provider gives them) with
// four preset lines and `blocking: "untagged"`. Added by the site's scripts (a tag manager, a
// plugin), nothing of theirs loads before consent and all of it after "Accept all"; written in
// the HTML, nothing of theirs runs or shows before consent, though the browser has asked for
// them before any script could stop it (the limit the scanner reports). The providers' hosts are
// stood in by local answers that record each request; the page has a strict
// Content-Security-Policy.
import { test, expect } from '@playwright/test';
import {
  LANGUAGES, banner, currentConsent, demoConfig, failOnPageProblems, locales, nextDecisionApplied, storedConsent, widgetRunning,
} from './helpers.mjs';
import { axeViolations } from './axe.mjs';

failOnPageProblems();

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://www.googletagmanager.com https://connect.facebook.net; "
  + "frame-src https://www.youtube.com https://www.youtube-nocookie.com https://www.google.com; img-src 'self' https://www.facebook.com; "
  + "style-src 'self'; connect-src 'self'";

const THIRD_PARTIES = /^https:\/\/(www\.googletagmanager\.com|connect\.facebook\.net|www\.facebook\.com|www\.youtube\.com|www\.youtube-nocookie\.com|www\.google\.com)\//;

/** The demo configuration with the four presets, and `blocking`. */
function config(blocking, marketing = [{ preset: 'youtube' }, { preset: 'google-maps' }, { preset: 'meta-pixel' }]) {
  const own = structuredClone(demoConfig);
  own.blocking = blocking;
  own.records = undefined;
  own.categories.find((c) => c.id === 'analytics').services = [{ preset: 'google-analytics' }];
  own.categories.find((c) => c.id === 'marketing').services = marketing;
  return own;
}

// The site's own scripts, as the providers give them (external here, for the strict CSP).
const SITE_SCRIPTS = {
  // A tag manager's way: every tag added by script, after the page has been parsed.
  '/site/tags.js': `(function () {
    var gtag = document.createElement('script'); gtag.async = true; gtag.src = 'https://www.googletagmanager.com/gtag/js?id=G-TEST'; document.head.appendChild(gtag);
    var main = document.querySelector('main');
    var video = document.createElement('iframe'); video.width = 560; video.height = 315; video.title = 'Our video';
    video.src = 'https://www.youtube.com/embed/abc123'; main.appendChild(video);
    var box = document.createElement('div');
    box.innerHTML = '<iframe src="https://www.google.com/maps/embed?pb=!1m18" width="600" height="450" title="Where we are"></iframe>';
    main.appendChild(box);
    var pixel = new Image(1, 1); pixel.alt = ''; pixel.setAttribute('src', 'https://www.facebook.com/tr?id=1&ev=PageView'); main.appendChild(pixel);
  })();`,
  // Google's snippet: the queue and the config call; gtag.js comes from a tag in the HTML.
  '/site/gtag-setup.js': "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-TEST');",
  // Meta's snippet: fbevents.js added by script.
  '/site/meta-setup.js': "var t = document.createElement('script'); t.async = true; t.src = 'https://connect.facebook.net/en_US/fbevents.js'; document.head.appendChild(t);",
};
const STAND_INS = {
  'www.googletagmanager.com': ['text/javascript', '(window.ran = window.ran || []).push("gtag");'],
  'connect.facebook.net': ['text/javascript', '(window.ran = window.ran || []).push("fbevents");'],
  'www.facebook.com': ['image/gif', ''],
  'www.youtube.com': ['text/html', '<!doctype html><title>video</title>'],
  'www.youtube-nocookie.com': ['text/html', '<!doctype html><title>video</title>'],
  'www.google.com': ['text/html', '<!doctype html><title>map</title>'],
};

/** The shop, its tags `written` in the HTML or added by the site's script. */
function pageHtml(ownConfig, lang, written) {
  const head = written ? '<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>' : '';
  const body = written ? `<iframe width="560" height="315" src="https://www.youtube.com/embed/abc123" title="Our video"></iframe>
<iframe src="https://www.google.com/maps/embed?pb=!1m18" width="600" height="450" title="Where we are"></iframe>
<img src="https://www.facebook.com/tr?id=1&ev=PageView" width="1" height="1" alt="">` : '<script src="/site/tags.js"></script>';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="/consent-widget/consent-mode.js"></script>
<script type="application/json" id="consent-widget-config">${JSON.stringify(ownConfig)}</script>
<script src="/consent-widget/consent-widget.js"></script>
${head}
<script src="/site/gtag-setup.js"></script>
<script src="/site/meta-setup.js"></script>
</head><body><main><h1>Shop</h1>
${body}
</main></body></html>`;
}

/** Serves the untagged shop at /shop.html and records every request to the providers. */
async function untaggedShop(page, ownConfig, { lang = 'en', written = false } = {}) {
  const requests = [];
  page.on('request', (request) => {
    if (THIRD_PARTIES.test(request.url())) requests.push(request.url());
  });
  await page.route('**/shop.html', (route) =>
    route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: pageHtml(ownConfig, lang, written) }));
  await page.route(/\/site\/[a-z-]+\.js$/, (route) =>
    route.fulfill({ contentType: 'text/javascript', body: SITE_SCRIPTS[new URL(route.request().url()).pathname] }));
  await page.route(THIRD_PARTIES, (route) => {
    const [contentType, body] = STAND_INS[new URL(route.request().url()).hostname];
    return route.fulfill({ contentType, body });
  });
  return requests;
}

const hostsOf = (urls) => [...new Set(urls.map((url) => new URL(url).hostname))].sort();

test('tags added by the site load nothing before consent, and all of them after Accept all', async ({ page, context }) => {
  const requests = await untaggedShop(page, config('untagged'));
  await page.goto('/shop.html');
  await expect(banner(page)).toBeVisible();
  await widgetRunning(page);
  // Held as the page would have marked them: nothing of theirs was asked for.
  await expect(page.locator('[data-consent-widget-held]')).toHaveCount(5);
  expect(requests).toEqual([]);
  expect(await page.evaluate(() => window.ran)).toBeUndefined();

  const applied = nextDecisionApplied(page);
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await applied;
  await expect.poll(() => page.evaluate(() => (window.ran || []).sort())).toEqual(['fbevents', 'gtag']);
  await expect.poll(() => hostsOf(requests)).toEqual(['connect.facebook.net', 'www.facebook.com', 'www.google.com', 'www.googletagmanager.com', 'www.youtube.com']);
  await expect(page.locator('consent-widget-placeholder')).toHaveCount(0);
  await expect(page.getByTitle('Our video')).toBeVisible();

  // The next page view: everything from the stored consent, nothing held.
  requests.length = 0;
  await page.reload();
  await expect.poll(() => page.evaluate(() => (window.ran || []).sort())).toEqual(['fbevents', 'gtag']);
  expect((await storedConsent(context)).categories).toContain('marketing');
  await expect(page.locator('consent-widget-placeholder')).toHaveCount(0);
});

test('tags written in the HTML neither run nor show before consent; the browser asked for them already', async ({ page }) => {
  const requests = await untaggedShop(page, config('untagged'), { written: true });
  await page.goto('/shop.html');
  await expect(banner(page)).toBeVisible();
  await widgetRunning(page);
  await expect(page.locator('[data-consent-widget-held]')).toHaveCount(5);
  await expect(page.locator('consent-widget-placeholder')).toHaveCount(2);
  // Held before they ran or showed: no tag ran, no frame holds a provider's page.
  expect(await page.evaluate(() => window.ran)).toBeUndefined();
  expect(page.frames().map((frame) => frame.url()).filter((url) => THIRD_PARTIES.test(url))).toEqual([]);
  // What no script can stop: the browser asks for what the HTML names as it reads it. Tag those
  // (the scanner lists each); fbevents.js, added by script, was never asked for.
  expect(hostsOf(requests)).toEqual(['www.facebook.com', 'www.google.com', 'www.googletagmanager.com', 'www.youtube.com']);
  const applied = nextDecisionApplied(page);
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await applied;
  await expect.poll(() => page.evaluate(() => (window.ran || []).sort())).toEqual(['fbevents', 'gtag']);
  await expect(page.getByTitle('Our video')).toBeVisible();
});

test('what the page adds later, by createElement, setAttribute or innerHTML, is held too', async ({ page }) => {
  const requests = await untaggedShop(page, config('untagged'));
  await page.goto('/shop.html');
  await widgetRunning(page);
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.src = 'https://connect.facebook.net/signals/late.js';
    document.body.append(script);
    const image = new Image();
    image.setAttribute('src', 'https://www.facebook.com/tr?id=1&ev=Late');
    document.body.append(image);
    const box = document.createElement('div');
    box.innerHTML = '<iframe src="https://www.youtube.com/embed/late" width="320" height="180" title="Late video"></iframe>';
    document.querySelector('main').append(box);
  });
  await expect(page.locator('[data-consent-widget-held]')).toHaveCount(8);
  // The late video gets its placeholder too.
  await expect(page.locator('consent-widget-placeholder')).toHaveCount(3);
  expect(requests).toEqual([]);
  expect(await page.evaluate(() => navigator.sendBeacon('https://www.facebook.com/tr?ev=Beacon', 'x'))).toBe(false);
  expect(requests).toEqual([]);

  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => requests.some((url) => url.endsWith('/embed/late'))).toBe(true);
  await expect.poll(() => requests.some((url) => url.includes('ev=Late'))).toBe(true);
  await expect.poll(() => requests.some((url) => url.endsWith('/signals/late.js'))).toBe(true);
});

test('the dry run holds nothing and says what it would hold', async ({ page }) => {
  const reports = [];
  page.on('console', (message) => {
    if (message.text().startsWith('consent-widget: blocking "report"')) reports.push(message.text());
  });
  const requests = await untaggedShop(page, config('report'));
  await page.goto('/shop.html');
  await expect(banner(page)).toBeVisible();
  await expect.poll(() => page.evaluate(() => (window.ran || []).sort())).toEqual(['fbevents', 'gtag']);
  await expect.poll(() => hostsOf(requests)).toEqual(['connect.facebook.net', 'www.facebook.com', 'www.google.com', 'www.googletagmanager.com', 'www.youtube.com']);
  await expect.poll(() => reports.length).toBe(5);
  expect(reports.join('\n')).toContain('https://www.youtube.com/embed/abc123 (service `youtube`) until consent to `marketing`');
  expect(reports.join('\n')).toContain('https://www.googletagmanager.com/gtag/js?id=G-TEST (service `google-analytics`) until consent to `analytics`');
  await expect(page.locator('[data-consent-widget-held]')).toHaveCount(0);
});

test.describe('placeholders, checked by axe', () => {
  // axe is injected into the page, which the page's CSP would refuse.
  test.use({ bypassCSP: true });
  for (const code of LANGUAGES) {
  test(`an embed's placeholder says who provides it, in ${code}, and fits 320 px`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await untaggedShop(page, config('untagged'), { lang: code });
    await page.goto('/shop.html');
    const video = page.getByRole('region', { name: locales[code].embed.label.replace('{content}', { en: 'video', fr: 'vidéo', de: 'Video', it: 'video', es: 'vídeo' }[code]).replace('{service}', 'YouTube').replace(/^./, (c) => c.toUpperCase()) });
    await expect(video).toBeVisible();
    await expect(video).toHaveAttribute('lang', code);
    await expect(video).toContainText('Google Ireland Limited');
    await expect(video.getByRole('button', { name: locales[code].embed.loadOnce })).toBeVisible();
    await expect(video.getByRole('button', { name: locales[code].embed.alwaysAllow.replace('{service}', 'YouTube') })).toBeVisible();
    // Nothing wider than the screen, placeholders included.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await widgetRunning(page);
    expect(await axeViolations(page, { exclude: [['consent-widget']] })).toEqual([]);
  });
  }
});

test('the placeholder is there as the page first shows, before the wasm', async ({ page }) => {
  await untaggedShop(page, config('untagged'));
  // The wasm never comes: what shows is the loader's alone.
  await page.route(/\/consent-widget[^/]*\.wasm$/, () => {});
  await page.goto('/shop.html');
  await expect(page.locator('consent-widget-placeholder')).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Map from Google Maps' })).toBeVisible();
  expect(await page.evaluate(() => typeof (window.ConsentWidget || {}).version)).toBe('undefined');
});

test('"Load once" loads this embed on this page only; "Always allow" is a consent that lasts', async ({ page, context }) => {
  const requests = await untaggedShop(page, config('untagged'));
  await page.goto('/shop.html');
  const video = page.getByRole('region', { name: 'Video from YouTube' });
  await video.getByRole('button', { name: 'Load once' }).click();
  await expect(page.getByTitle('Our video')).toBeFocused();
  await expect.poll(() => requests.some((url) => url.startsWith('https://www.youtube.com/embed/abc123'))).toBe(true);
  // Only the video: the map and the tags still wait, and nothing was stored.
  expect(requests.filter((url) => !url.startsWith('https://www.youtube.com/'))).toEqual([]);
  await expect(page.getByRole('region', { name: 'Map from Google Maps' })).toBeVisible();
  expect(await currentConsent(context)).toBeNull();
  // A later "Reject all" leaves the video the visitor loaded where it is.
  const rejected = nextDecisionApplied(page);
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  await rejected;
  await expect(page.getByTitle('Our video')).toBeVisible();

  // On the next view it waits again; "Always allow YouTube" loads it, and it stays allowed.
  requests.length = 0;
  await page.reload();
  const again = page.getByRole('region', { name: 'Video from YouTube' });
  await again.getByRole('button', { name: 'Always allow YouTube' }).click();
  await expect(page.getByTitle('Our video')).toBeVisible();
  await expect.poll(async () => (await storedConsent(context))?.services?.marketing).toEqual(['youtube']);
  expect((await storedConsent(context)).categories).not.toContain('marketing');
  // YouTube alone: the pixel and the map stay held.
  expect(hostsOf(requests)).toEqual(['www.youtube.com']);
  await expect(page.getByRole('region', { name: 'Map from Google Maps' })).toBeVisible();
  requests.length = 0;
  await page.reload();
  await expect.poll(() => hostsOf(requests)).toEqual(['www.youtube.com']);
  await expect(page.locator('consent-widget-placeholder')).toHaveCount(1);
});

test('with noCookie, an allowed video loads from YouTube\'s no-cookie host', async ({ page }) => {
  const requests = await untaggedShop(page, config('untagged', [{ preset: 'youtube', noCookie: true }]));
  await page.goto('/shop.html');
  await page.getByRole('region', { name: 'Video from YouTube' }).getByRole('button', { name: 'Load once' }).click();
  await expect.poll(() => requests).toContain('https://www.youtube-nocookie.com/embed/abc123');
  expect(requests.filter((url) => url.startsWith('https://www.youtube.com/'))).toEqual([]);
});
