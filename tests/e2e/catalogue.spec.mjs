// Services named from the catalogue (catalogue/services/): a configuration says
// `{ "preset": "youtube" }` and the visitor sees the provider, its country and every cookie,
// in their language, fetched only for the services named.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  banner, demoConfig, storedConsent, t, watchProblems, widgetRunning, withConfig, withPageLanguage,
} from './helpers.mjs';

const entry = (id) => JSON.parse(readFileSync(new URL(`../../catalogue/services/${id}.json`, import.meta.url), 'utf8'));

let problems;
test.beforeEach(({ page }) => {
  problems = watchProblems(page);
});
test.afterEach(() => {
  expect(problems, 'console errors, page errors or CSP violations').toEqual([]);
});

/** The demo configuration with YouTube in marketing and Google Analytics in analytics, as presets. */
function withPresets(marketing = [{ preset: 'youtube' }]) {
  const config = structuredClone(demoConfig);
  config.categories.find((category) => category.id === 'marketing').services = marketing;
  config.categories.find((category) => category.id === 'analytics').services.push({ preset: 'google-analytics' });
  return config;
}

/** The catalogue files the page asks for. */
function catalogueRequests(page) {
  const asked = [];
  page.on('request', (request) => {
    const name = /\/catalogue-([a-z0-9-]+)\.json$/.exec(new URL(request.url()).pathname);
    if (name) asked.push(name[1]);
  });
  return asked;
}

for (const code of ['en', 'de']) {
  test(`a preset shows its provider and cookies in ${code}, and only the named entries are fetched`, async ({ page, context }) => {
    const asked = catalogueRequests(page);
    await withPageLanguage(page, code);
    await withConfig(page, withPresets());
    await page.goto('/');
    await banner(page, code).getByRole('button', { name: t(code, 'banner.customize') }).click();
    const dialog = page.getByRole('dialog', { name: t(code, 'preferences.title') });
    await expect(dialog).toBeVisible();
    await widgetRunning(page);
    expect(asked.sort()).toEqual(['google-analytics', 'youtube']);

    const youtube = entry('youtube');
    await dialog.getByText(t(code, 'preferences.details')).nth(2).click();
    await expect(dialog.getByRole('listitem').filter({ hasText: 'YouTube' })).toContainText(youtube.description[code]);
    const cookie = youtube.cookies.find((row) => row.name === 'VISITOR_INFO1_LIVE');
    const table = dialog.getByRole('table').filter({ hasText: 'VISITOR_INFO1_LIVE' });
    await expect(table.getByRole('row').filter({ hasText: 'VISITOR_INFO1_LIVE' })).toContainText(cookie.purpose[code]);
    await expect(table.getByRole('row').filter({ hasText: 'VISITOR_INFO1_LIVE' })).toContainText(youtube.provider);

    await dialog.getByRole('button', { name: t(code, 'preferences.acceptAll') }).click();
    await expect.poll(async () => (await storedConsent(context))?.services?.marketing).toEqual(['youtube']);
    expect((await storedConsent(context)).services.analytics).toContain('google-analytics');
  });
}

test('a preset that is not in the catalogue is one error naming it, and the safe banner', async ({ page }) => {
  await withConfig(page, withPresets([{ preset: 'youtub' }]));
  await page.goto('/');
  await widgetRunning(page);
  const errors = () => problems.filter((problem) => problem.includes('consent-widget'));
  await expect.poll(() => errors().length).toBe(1);
  const [error] = errors();
  expect(error).toContain('categories[2].services[0].preset');
  expect(error).toContain('`youtub` is not in the catalogue');
  problems.splice(problems.indexOf(error), 1);
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  await expect(page.getByRole('dialog', { name: 'Cookie preferences' }).getByRole('switch')).toHaveCount(1);
});

test('an entry changed on its way is not used', async ({ page }) => {
  await page.route(/\/catalogue-youtube\.json$/, async (route) => {
    const changed = entry('youtube');
    changed.provider = 'Someone Else Ltd';
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify(changed) });
  });
  await withConfig(page, withPresets());
  await page.goto('/');
  await widgetRunning(page);
  const errors = () => problems.filter((problem) => problem.includes('consent-widget'));
  await expect.poll(() => errors().length).toBe(1);
  const [error] = errors();
  expect(error).toContain('categories[2].services[0].preset');
  expect(error).toContain('not the file this widget was built with');
  problems.splice(problems.indexOf(error), 1);
  await banner(page).getByRole('button', { name: 'Customize' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await expect(dialog.getByRole('switch')).toHaveCount(1);
  await expect(dialog).not.toContainText('Someone Else Ltd');
});
