// The framework bindings in real apps, each built by Vite from the packed tarball
// (scripts/build-npm-app.sh) and served by consent-server under its strict CSP: React in
// development (StrictMode runs effects twice) and production, Vue and Svelte. Each shows the
// consent, re-renders on Accept all, Reject all (a withdrawal) and reset(), and has one widget.
import { test, expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { banner, startServer, stopServer, watchProblems } from './helpers.mjs';

const APPS = [
  ['React, development build (StrictMode)', 'react-app/dist-dev', 'React', 8197],
  ['React, production build', 'react-app/dist', 'React', 8198],
  ['Vue', 'vue-app/dist', 'Vue', 8199],
  ['Svelte', 'svelte-app/dist', 'Svelte', 8200],
];
const ALL = 'analytics, functional, marketing, necessary';

for (const [name, folder, framework, port] of APPS) {
  test(`${name}: one widget, and the page follows every change of the consent`, async ({ page }) => {
    const app = new URL(`../${folder}/`, import.meta.url).pathname;
    expect(existsSync(join(app, 'index.html')), 'build it first: scripts/build-npm-app.sh').toBe(true);
    const problems = watchProblems(page);
    const server = await startServer(port, join(tmpdir(), `consent-${framework}-${port}-${Date.now()}.db`), ['--site-dir', app]);
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      await expect(page.getByRole('heading', { name: `A shop built with ${framework}` })).toBeVisible();
      const status = page.locator('#consent-status');
      await expect(status).toHaveText('none yet');
      await expect(banner(page)).toBeVisible();
      await expect(page.locator('consent-widget')).toHaveCount(1);

      await banner(page).getByRole('button', { name: 'Accept all' }).click();
      await expect(status).toHaveText(ALL);
      await expect(page.locator('#analytics-status')).toHaveText('analytics on');
      // Withdrawn from the preferences.
      await page.getByRole('button', { name: 'Cookie settings' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Reject all' }).click();
      await expect(status).toHaveText('necessary');
      await expect(page.locator('#analytics-status')).toHaveText('analytics off');
      // reset() forgets it: the page says so, and the banner asks again.
      await page.getByRole('button', { name: 'Forget my choice' }).click();
      await expect(status).toHaveText('none yet');
      await expect(banner(page)).toBeVisible();
      await expect(page.locator('consent-widget')).toHaveCount(1);
      expect(problems).toEqual([]);
    } finally {
      await stopServer(server);
    }
  });
}
