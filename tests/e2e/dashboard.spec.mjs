// The admin dashboard in a browser with JavaScript off: signing in by the form's labels, the
// charts found by their accessible names with their tables, the stylesheet applied under the
// page's CSP with nothing refused, a verification started and its result shown, signing out.
import { test, expect } from '@playwright/test';

test.use({ javaScriptEnabled: false });

test('the dashboard works without JavaScript, under its own CSP', async ({ page, request }) => {
  const problems = [];
  page.on('console', (message) => {
    // Only what the CSP refused: the wrong token's 401 is logged as an error too.
    if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
  });
  const record = {
    recordId: crypto.randomUUID(), consentId: crypto.randomUUID(), method: 'custom',
    granted: ['necessary', 'analytics'], denied: ['marketing'], services: {}, revision: 1, language: 'en',
    textHash: 'ab'.repeat(32), origin: 'https://shop.example', path: '/', widgetVersion: '0.1.0', clientTime: Date.now(),
  };
  expect((await request.post('/api/v1/consents', { data: record })).status()).toBe(201);
  // Counted independently of the page: today's records in the export.
  const today = new Date().toISOString().slice(0, 10);
  const exported = await request.get(`/api/v1/export?from=${today}`, {
    headers: { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN}` },
  });
  const recordsToday = (await exported.text()).split('\n').filter(Boolean).length;

  await page.goto('/admin/');
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.getByLabel('Admin token').fill('not the token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That is not the admin token.')).toBeVisible();
  await page.getByLabel('Admin token').fill(process.env.E2E_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Consent dashboard' })).toBeVisible();
  await expect(page.locator('header.top')).toHaveCSS('background-color', 'rgb(18, 58, 99)');
  await expect(page.getByRole('img', { name: /^Decisions per day from .* in total$/ })).toBeVisible();
  for (const name of ['Opt-in rate per category', 'Decisions by method', 'Decisions by language',
    'Decisions by configuration revision']) {
    await expect(page.getByRole('img', { name })).toBeVisible();
  }
  const total = Number((await page.locator('[data-count="total"]').textContent()).replace(/,/g, ''));
  expect(total).toBeGreaterThanOrEqual(recordsToday);
  await expect(page.locator(`[data-count="day:${today}"]`)).toHaveText(recordsToday.toLocaleString('en-US'));
  const categories = page.getByRole('table', { name: 'Decisions per category' });
  await expect(categories.getByRole('row', { name: /^analytics / })).toBeVisible();

  // A period chosen in the form.
  await page.getByLabel('From', { exact: true }).fill(today);
  await page.getByLabel('To', { exact: true }).fill(today);
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('[data-count="total"]')).toHaveText(recordsToday.toLocaleString('en-US'));

  // The verification runs in the background; the page (which also reloads itself while it runs,
  // by a meta refresh) shows its verdict once done.
  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(/^Intact: [\d,]+ records verified/)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto('/admin/');
  await expect(page).toHaveURL(/\/admin\/login$/);
  expect(problems).toEqual([]);
});
