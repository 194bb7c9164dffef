// The script-tag release: versioned names, Subresource Integrity, precompressed copies, and a
// loader that works when the widget's files come from another origin than the page.
import { test, expect } from '@playwright/test';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { banner, demoConfig, startServer, stopServer, storedConsent, t, watchProblems, withConfig } from './helpers.mjs';

const releases = new URL('../../dist/release/', import.meta.url).pathname;

/** Serves the demo page with the release's loader in place of the demo's tag, same origin. */
async function withReleaseLoader(page, port, manifest, integrity) {
  const loader = `consent-widget-${manifest.version}.js`;
  await page.route(`http://127.0.0.1:${port}/`, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(
      '<script src="/consent-widget/consent-widget.js" data-config="/consent-config.json" defer></script>',
      `<script src="/consent-widget/${loader}" integrity="${integrity || manifest.files[loader].integrity}" `
        + 'crossorigin="anonymous" data-config="/consent-config.json" defer></script>',
    );
    await route.fulfill({ response, body });
  });
}

function release() {
  expect(existsSync(releases), 'build it first: scripts/release.sh').toBe(true);
  // The versioned folder, not the archives and the npm tarball beside it.
  const folder = readdirSync(releases).find((name) => name.startsWith('consent-widget-') && existsSync(join(releases, name, 'manifest.json')));
  const manifest = JSON.parse(readFileSync(join(releases, folder, 'manifest.json'), 'utf8'));
  return { folder: join(releases, folder), manifest };
}

test('the release has versioned files, integrity hashes and precompressed copies', () => {
  const { folder, manifest } = release();
  const loader = `consent-widget-${manifest.version}.js`;
  const names = [loader, `consent-widget-bindings-${manifest.version}.js`, `consent-widget-${manifest.version}.wasm`, `consent-mode-${manifest.version}.js`];
  for (const name of names) {
    expect(manifest.files[name].integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
    expect(existsSync(join(folder, `${name}.br`))).toBe(true);
    expect(existsSync(join(folder, `${name}.gz`))).toBe(true);
    expect(manifest.files[name].brotli).toBeLessThan(manifest.files[name].bytes);
  }
  expect(readFileSync(join(folder, loader), 'utf8')).toContain(`consent-widget-${manifest.version}.wasm`);
  expect(readFileSync(join(folder, loader), 'utf8')).toContain(manifest.files[`consent-widget-bindings-${manifest.version}.js`].integrity);
});

test('served from another origin, with integrity and crossorigin, the widget works under CSP', async ({ page, context, request }) => {
  const { folder, manifest } = release();
  const port = 8197;
  const server = await startServer(port, join(tmpdir(), `consent-release-${Date.now()}.db`), ['--widget-dir', folder]);
  try {
    // The page on 127.0.0.1, the widget on localhost: two origins, one server.
    const page_origin = `http://127.0.0.1:${port}`;
    const widget_origin = `http://localhost:${port}`;
    const loader = `consent-widget-${manifest.version}.js`;
    const problems = watchProblems(page);
    // A page that the test fulfils has no address, so Chromium counts it as public and asks
    // before it reaches a loopback host; a real site on the internet loading from a CDN would not.
    await context.grantPermissions(['local-network-access']);
    await page.route(`${page_origin}/`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text())
        .replace('<script src="/consent-widget/consent-mode.js"></script>', '')
        .replace(
          '<script src="/consent-widget/consent-widget.js" data-config="/consent-config.json" defer></script>',
          `<script src="${widget_origin}/consent-widget/${loader}" integrity="${manifest.files[loader].integrity}" crossorigin="anonymous" data-config="/consent-config.json" async></script>`,
        );
      const headers = { ...response.headers() };
      // What docs/src/getting-started.md tells a site to allow for a widget on a CDN.
      headers['content-security-policy'] = headers['content-security-policy']
        .replace("script-src 'self'", `script-src 'self' ${widget_origin}`)
        .replace("default-src 'self'", `default-src 'self'; connect-src 'self' ${widget_origin}`);
      await route.fulfill({ response, body, headers });
    });
    await withConfig(page, { ...demoConfig, consentMode: undefined });
    const wasmRequests = [];
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmRequests.push(r.url()); });
    await page.goto(`${page_origin}/`);
    // The policy text comes from the widget's origin too, checked against its hash.
    await banner(page).getByRole('button', { name: 'Privacy policy' }).click();
    await expect(page.getByRole('dialog', { name: 'Privacy policy' })
      .getByRole('heading', { name: 'About this policy' })).toBeVisible();
    await page.keyboard.press('Escape');
    await banner(page).getByRole('button', { name: 'Reject all' }).click();
    expect((await storedConsent(context)).categories).toEqual(['necessary']);
    expect(problems).toEqual([]);
    expect(wasmRequests, 'the wasm is downloaded once').toHaveLength(1);

    const compressed = await request.get(`${widget_origin}/consent-widget/consent-widget-${manifest.version}.wasm`, {
      headers: { 'accept-encoding': 'br' },
    });
    expect(compressed.headers()['content-encoding']).toBe('br');
    expect(compressed.headers()['access-control-allow-origin']).toBe('*');
  } finally {
    await stopServer(server);
  }
});

test('a wrong integrity hash stops the widget from running', async ({ page }) => {
  const { folder, manifest } = release();
  const port = 8198;
  const server = await startServer(port, join(tmpdir(), `consent-release-bad-${Date.now()}.db`), ['--widget-dir', folder]);
  try {
    await withReleaseLoader(page, port, manifest, `sha384-${'A'.repeat(64)}`);
    const refused = page.waitForEvent('console', (message) => /integrity/i.test(message.text()));
    await page.goto(`http://127.0.0.1:${port}/`);
    await refused;
    await page.waitForLoadState('load');
    await expect(page.locator('consent-widget')).toHaveCount(0);
    expect(await page.evaluate(() => typeof window.ConsentWidget)).toBe('undefined');
  } finally {
    await stopServer(server);
  }
});

/** A copy of the release whose file `name` was changed by `change` after release (its compressed copies gone). */
function tamperedRelease(folder, name, change) {
  const copy = mkdtempSync(join(tmpdir(), 'consent-release-tampered-'));
  cpSync(folder, copy, { recursive: true });
  writeFileSync(join(copy, name), change(readFileSync(join(copy, name), 'utf8')));
  rmSync(join(copy, `${name}.br`));
  rmSync(join(copy, `${name}.gz`));
  return copy;
}

test('bindings changed after release are refused: the banner works, the wasm never runs', async ({ page }) => {
  const { folder, manifest } = release();
  const copy = tamperedRelease(folder, `consent-widget-bindings-${manifest.version}.js`, (text) => `${text}\n// changed`);
  const port = 8200;
  const server = await startServer(port, join(tmpdir(), `consent-release-bindings-${Date.now()}.db`), ['--widget-dir', copy]);
  try {
    await withReleaseLoader(page, port, manifest);
    const refused = page.waitForEvent('console', (message) => /integrity/i.test(message.text()));
    // The loader gives up on the wasm once its bindings' import fails, and says so: from then on
    // nothing starts it.
    const gaveUp = page.waitForEvent('console', (message) => message.text().startsWith('consent-widget: cannot start:'));
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(banner(page)).toBeVisible();
    // A click that needs the wasm asks for it at once: the import is refused.
    await banner(page).getByRole('button', { name: 'Customize' }).click();
    await refused;
    await gaveUp;
    expect(await page.evaluate(() => typeof (window.ConsentWidget || {}).version)).not.toBe('string');
  } finally {
    await stopServer(server);
  }
});

test('a policy file changed after release is refused, and the visitor is told so', async ({ page }) => {
  const { folder, manifest } = release();
  const copy = tamperedRelease(folder, `policy-en-${manifest.version}.json`, (text) => text.replace('confidentiality', 'c0nfidentiality'));
  const port = 8199;
  const server = await startServer(port, join(tmpdir(), `consent-release-tampered-${Date.now()}.db`), ['--widget-dir', copy]);
  try {
    await withReleaseLoader(page, port, manifest);
    await page.goto(`http://127.0.0.1:${port}/`);
    await banner(page).getByRole('button', { name: 'Privacy policy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Privacy policy' });
    await expect(dialog.getByRole('status')).toHaveText(t('en', 'policy.unavailable'));
    await expect(dialog.getByRole('heading', { name: /c0nfidentiality/ })).toHaveCount(0);
  } finally {
    await stopServer(server);
  }
});
