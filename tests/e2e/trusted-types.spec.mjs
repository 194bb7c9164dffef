// Trusted Types: under `require-trusted-types-for 'script'` a page refuses plain strings as a
// script's URL or text. The widget's own policy, `consent-widget`, makes the marked tags it
// releases acceptable, so a site that enforces Trusted Types can still block tags until consent.
import { test, expect } from '@playwright/test';
import { banner, holdWasm, watchProblems, widgetRunning } from './helpers.mjs';

/**
 * Serves the demo's home page with an inline marked script (nonce-allowed, as a strict site
 * would) and `extraPolicy` added to its Content-Security-Policy.
 */
async function withTrustedTypes(page, extraPolicy) {
  await page.route(/\/$/, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(
      '<script type="text/plain" data-category="marketing" src="/demo/marketing.js"></script>',
      '<script type="text/plain" data-category="analytics" nonce="r4nd0m">window.demoLog.push("inline-analytics")</script>\n'
        + '  <script type="text/plain" data-category="marketing" src="/demo/marketing.js"></script>',
    );
    const headers = { ...response.headers() };
    headers['content-security-policy'] = `${headers['content-security-policy'].replace("script-src 'self'", "script-src 'self' 'nonce-r4nd0m'")}; ${extraPolicy}`;
    await route.fulfill({ response, body, headers });
  });
}

test('with Trusted Types required, marked tags run after consent and nothing is refused', async ({ page }) => {
  const problems = watchProblems(page);
  await withTrustedTypes(page, "require-trusted-types-for 'script'; trusted-types consent-widget");
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics', 'inline-analytics', 'marketing']);
  await expect(page.locator('iframe[title="Product tour video"]')).toHaveAttribute('src', '/demo/video.html');
  await expect(page.locator('#status-marketing')).toContainText('running');
  // A later page view releases them from the stored consent, the same way: the loader, before
  // the wasm, through the policy it creates...
  const wasm = await holdWasm(page);
  await page.reload();
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics', 'inline-analytics', 'marketing']);
  expect(await page.evaluate(() => typeof (window.ConsentWidget || {}).version)).not.toBe('string');
  // ... and which the wasm then uses for a tag added later (a second policy of that name is refused).
  wasm.release();
  await widgetRunning(page);
  await page.evaluate(() => {
    // A copy of the held tag: made without a string reaching a Trusted Types sink.
    const late = document.querySelector('script[type="text/plain"][src="/demo/marketing.js"]').cloneNode();
    late.removeAttribute('data-consent-widget-released');
    document.body.append(late);
  });
  await expect.poll(() => page.evaluate(() => window.demoLog)).toEqual(['analytics', 'inline-analytics', 'marketing', 'marketing']);
  expect(problems, 'console errors, page errors or CSP (Trusted Types) violations').toEqual([]);
});

test('a page that requires Trusted Types without allowing the widget\'s policy is told so, and runs nothing', async ({ page }) => {
  const problems = watchProblems(page);
  const warnings = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  await withTrustedTypes(page, "require-trusted-types-for 'script'; trusted-types some-other-policy");
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => warnings.filter((text) => text.includes('trusted-types consent-widget'))).toHaveLength(1);
  // Refused, so it fails closed: nothing marked ran.
  expect(await page.evaluate(() => window.demoLog)).toBeUndefined();
  expect(problems.some((problem) => problem.includes('CSP violation: trusted-types'))).toBe(true);
});
