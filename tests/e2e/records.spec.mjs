// Proof of consent, end to end: the visitor decides, the record reaches the real server's
// database with the right fields, and survives the server being down.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  banner, demoConfig, demoConfigText, exportedRecords, shownText, startServer, stopServer, storedConsent, t, widgetRunning,
  withPageLanguage,
} from './helpers.mjs';

const root = new URL('../../', import.meta.url).pathname;

test('reject all is recorded with the right fields and a recomputable text hash', async ({ page, context, request }) => {
  await withPageLanguage(page, 'de');
  await page.goto('/contact.html?utm_source=newsletter');
  await banner(page, 'de').getByRole('button', { name: t('de', 'banner.rejectAll') }).click();
  const consent = await storedConsent(context);
  await expect.poll(async () => (await exportedRecords(request)).filter((r) => r.consentId === consent.id).length).toBe(1);
  const [record] = (await exportedRecords(request)).filter((r) => r.consentId === consent.id);
  expect(record.method).toBe('reject_all');
  expect(record.granted).toEqual(['necessary']);
  expect(record.denied).toEqual(['analytics', 'functional', 'marketing']);
  expect(record.language).toBe('de');
  expect(record.revision).toBe(demoConfig.revision);
  expect(record.origin).toBe(new URL(page.url()).origin);
  expect(record.path).toBe('/contact.html');
  expect(record.userAgent).toMatch(/^Chrom(e|ium) \d+$/);
  const expected = createHash('sha256').update(shownText('de', demoConfig, demoConfigText)).digest('hex');
  expect(record.textHash).toBe(expected);
  // Both ids are time-ordered (UUID v7), stamped with the moment of the decision.
  for (const id of [record.recordId, record.consentId]) {
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Math.abs(parseInt(id.replaceAll('-', '').slice(0, 12), 16) - Date.now())).toBeLessThan(60_000);
  }
  // Nothing is left waiting once the server has acknowledged.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('consent_widget_outbox'))).toBeNull();
  // The text behind the hash is kept by the server, as the auditor rebuilds it, and the audit
  // export gives it before the record.
  const admin = { headers: { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN}` } };
  await expect.poll(async () => (await request.get(`/api/v1/texts/${record.textHash}`, admin)).status()).toBe(200);
  const kept = await (await request.get(`/api/v1/texts/${record.textHash}`, admin)).text();
  expect(kept).toBe(shownText('de', demoConfig, demoConfigText));
  const audit = (await (await request.get('/api/v1/export?format=audit', admin)).text())
    .split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const textLine = audit.findIndex((line) => line.shownText?.hash === record.textHash);
  const recordLine = audit.findIndex((line) => line.recordId === record.recordId);
  expect(textLine).toBeGreaterThanOrEqual(0);
  expect(textLine).toBeLessThan(recordLine);
  expect(createHash('sha256').update(audit[textLine].shownText.text).digest('hex')).toBe(record.textHash);
});

test('each later change is recorded under the same consent id', async ({ page, context, request }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reject all' }).click();
  const consent = await storedConsent(context);
  await expect.poll(async () => (await exportedRecords(request)).filter((r) => r.consentId === consent.id).map((r) => r.method))
    .toEqual(['accept_all', 'withdraw']);
});

test('a decision made while the server is down applies at once and is recorded exactly once later', async ({ page, context, request }) => {
  const port = 8190;
  const base = `http://127.0.0.1:${port}`;
  const database = join(tmpdir(), `consent-e2e-outage-${Date.now()}.db`);
  let server = await startServer(port, database);
  await page.goto(`${base}/`);
  await expect(banner(page)).toBeVisible();
  // The record API goes down; the widget's files had arrived.
  await widgetRunning(page);
  await stopServer(server);

  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect(banner(page)).toBeHidden();
  const consent = await storedConsent(context);
  expect(consent.categories.sort()).toEqual(['analytics', 'functional', 'marketing', 'necessary']);
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('consent_widget_outbox') || '{"entries":[]}').entries.length))
    .toBe(1);

  server = await startServer(port, database);
  try {
    await page.reload();
    await expect.poll(async () => (await exportedRecords(request, base)).length).toBe(1);
    // The leaving page's beacon delivered it, unacknowledged: the next page view after the retry's
    // backoff sends it again, harmlessly (the record id makes it a no-op), and the queue empties.
    const retryAt = await page.evaluate(() => JSON.parse(localStorage.getItem('consent_widget_outbox')).entries[0].notBefore);
    await expect.poll(() => Date.now() > retryAt, { timeout: 10_000 }).toBe(true);
    await page.goto(`${base}/contact.html`);
    await expect.poll(() => page.evaluate(() => localStorage.getItem('consent_widget_outbox'))).toBeNull();
    const records = await exportedRecords(request, base);
    expect(records).toHaveLength(1);
    expect(records[0].consentId).toBe(consent.id);
    expect(records[0].method).toBe('accept_all');
  } finally {
    await stopServer(server);
  }

  // Tampering with the stored row is caught by `consent-server verify`, which names it.
  const verify = (args = []) => {
    try {
      return { code: 0, out: execFileSync(join(root, 'target/server/consent-server'), ['verify', '--database-url', `sqlite:${database}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }) };
    } catch (error) {
      return { code: error.status, out: String(error.stdout) };
    }
  };
  expect(verify()).toEqual({ code: 0, out: 'chain intact: 1 rows verified\n' });
  execFileSync('python3', ['-c', `import sqlite3; c = sqlite3.connect(${JSON.stringify(database)}); c.execute("UPDATE consent_records SET method = 'reject_all' WHERE seq = 1"); c.commit()`]);
  const tampered = verify();
  expect(tampered.code).toBe(2);
  expect(tampered.out).toMatch(/^chain broken at row 1 \(record [0-9a-f-]{36}\): its content does not match its hash/);
});

test('the preferences show the consent id and its receipts', async ({ page, context, request }) => {
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Reject all' }).click();
  const consent = await storedConsent(context);
  await expect.poll(async () => (await exportedRecords(request)).filter((r) => r.consentId === consent.id).length).toBe(1);
  await page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await dialog.getByText(t('en', 'preferences.historyTitle')).click();
  await expect(dialog.getByText(consent.id)).toBeVisible();
  const [record] = (await exportedRecords(request)).filter((r) => r.consentId === consent.id);
  const entry = dialog.getByRole('listitem').filter({ hasText: t('en', 'methods.reject_all') });
  await expect(entry).toBeVisible();
  await expect(entry).toContainText(record.hash.slice(0, 12));
});

test('decisions made in quick succession are each recorded, in order', async ({ page, context, request }) => {
  await page.addInitScript(() => {
    window.ConsentWidget = [['acceptAll'], ['rejectAll']];
  });
  await page.goto('/');
  await expect.poll(async () => (await storedConsent(context))?.method).toBe('withdraw');
  const consent = await storedConsent(context);
  await expect.poll(async () => (await exportedRecords(request)).filter((r) => r.consentId === consent.id).map((r) => r.method))
    .toEqual(['accept_all', 'withdraw']);
});

test('a decision made while the previous record is on its way is sent in the same visit', async ({ page, context, request }) => {
  // The first record's POST is held until the second decision is queued, as on a slow line.
  let releaseFirst;
  const firstHeld = new Promise((resolve) => { releaseFirst = resolve; });
  let posts = 0;
  await page.route('**/api/v1/consents', async (route) => {
    if (route.request().method() === 'POST' && ++posts === 1) await firstHeld;
    await route.continue();
  });
  await page.goto('/');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => posts).toBe(1);
  await page.getByRole('contentinfo').getByRole('button', { name: 'Cookie settings' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reject all' }).click();
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('consent_widget_outbox') || '{"entries":[]}').entries.length))
    .toBe(2);
  releaseFirst();
  const consent = await storedConsent(context);
  await expect.poll(async () => (await exportedRecords(request)).filter((r) => r.consentId === consent.id).map((r) => r.method))
    .toEqual(['accept_all', 'withdraw']);
  expect(posts).toBe(2);
});
