// The admin dashboard against axe-core's WCAG 2.2 AA and best-practice rules (contrast, labels,
// headings, landmarks, named images, tables), at desktop width and at 320 px. JavaScript and a
// bypassed CSP only so that axe-core can run; dashboard.spec.mjs uses the dashboard as it is.
import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

test.use({ bypassCSP: true });

// Records in every table, whatever ran before: each method, two languages, a long category name.
async function record(request, method, granted, denied, language) {
  const data = {
    recordId: crypto.randomUUID(), consentId: crypto.randomUUID(), method, granted, denied, services: {},
    revision: 12, language, textHash: 'ab'.repeat(32), origin: 'https://shop.example', path: '/',
    widgetVersion: '0.1.0', clientTime: Date.now(),
  };
  expect((await request.post('/api/v1/consents', { data })).status()).toBe(201);
}

for (const width of [1280, 320]) {
  test(`the sign-in form and the dashboard pass axe-core at ${width} px`, async ({ page, request }) => {
    for (const method of ['accept_all', 'reject_all', 'custom', 'withdraw', 'gpc']) {
      await record(request, method, ['necessary', 'personalisation'], ['marketing'], method === 'gpc' ? 'de' : 'fr');
    }
    await page.setViewportSize({ width, height: 800 });
    await page.goto('/admin/login');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Admin token').fill(process.env.E2E_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Consent dashboard' })).toBeVisible();
    await page.getByText('Decisions per day as a table').click();
    expect(await axeViolations(page)).toEqual([]);
    // No sideways scrolling of the whole page at 320 px (WCAG 1.4.10).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}
