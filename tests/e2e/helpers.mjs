// Shared helpers for the end-to-end tests: locale texts, the stored cookie, page setup.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const root = new URL('../../', import.meta.url);
export const LANGUAGES = ['en', 'fr', 'de', 'it', 'es'];
export const locales = Object.fromEntries(
  LANGUAGES.map((code) => [code, JSON.parse(readFileSync(new URL(`locales/${code}.json`, root), 'utf8'))]),
);
/** The demo's configuration as the widget reads it (the text) and as the tests use it. */
export const demoConfigText = readFileSync(new URL('www/consent-config.json', root), 'utf8');
export const demoConfig = JSON.parse(demoConfigText);

/** A UI string by dotted key, e.g. t('fr', 'banner.title'). */
export function t(code, key) {
  return key.split('.').reduce((node, part) => node[part], locales[code]);
}

/**
 * A policy text as the demo's policy shows it in `code`: the demo's controller is Swiss, so its
 * German policy is in Swiss usage (the replacements of core::policy::swiss_german, which a unit
 * test checks on every German block).
 */
export function asShown(code, text) {
  if (code !== 'de') return text;
  return text.replaceAll('ß', 'ss').replaceAll('personenbezogenen Daten', 'Personendaten')
    .replaceAll('personenbezogene Daten', 'Personendaten').replaceAll('Verarbeit', 'Bearbeit').replaceAll('verarbeit', 'bearbeit');
}

/** The text of the policy's heading `id` in language `code`, as the demo shows it. */
export function policyHeading(code, id) {
  return asShown(code, locales[code].policy.document.find((block) => block.type === 'heading' && block.id === id).text);
}

/** What the consent cookie holds right now (its consent, without the configuration digest after it), or null. */
export async function currentConsent(context) {
  const cookie = (await context.cookies()).find((c) => c.name === 'consent_widget');
  return cookie ? JSON.parse(decodeURIComponent(cookie.value.split('!')[0])) : null;
}

/** The digest of the configuration the consent cookie was last confirmed under, or null. */
export async function confirmedUnder(context) {
  const cookie = (await context.cookies()).find((c) => c.name === 'consent_widget');
  const mark = cookie && /!([0-9a-f]{8})$/.exec(cookie.value);
  return mark ? mark[1] : null;
}

/**
 * The stored consent, once there is one: a decision's effects (the cookie among them) run in
 * the task after the click that made it.
 */
export async function storedConsent(context) {
  await expect.poll(() => currentConsent(context), { message: 'no consent cookie was written' }).not.toBeNull();
  return currentConsent(context);
}

/** Serves the demo pages with `<html lang>` set to `lang` (or removed when null). */
export async function withPageLanguage(page, lang) {
  await page.route(/\/(index\.html|contact\.html)?(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    let body = await response.text();
    body = body.replace('<html lang="en">', lang ? `<html lang="${lang}">` : '<html>');
    await route.fulfill({ response, body });
  });
}

/** Holds the wasm download back until `release()` is called. */
export async function holdWasm(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let requested = false;
  await page.route(/\/consent-widget[^/]*\.wasm$/, async (route) => {
    requested = true;
    await released;
    await route.continue();
  });
  return {
    release: () => release(),
    requested: () => requested,
  };
}

/** Serves `config` instead of the demo configuration. */
export async function withConfig(page, config) {
  await page.route('**/consent-config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: typeof config === 'string' ? config : JSON.stringify(config) }),
  );
}

/**
 * Records console errors, page errors and Content-Security-Policy violations, so each test
 * can assert the page stayed clean.
 */
export function watchProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return problems;
}

/** Resolves once the wasm runs the widget (the banner shown before it has then been replaced). */
export function widgetRunning(page) {
  return page.waitForFunction(() => typeof (window.ConsentWidget || {}).version === 'string');
}

/**
 * Resolves once the page's performance timeline holds the mark `consent-widget:<name>`: the
 * loader's `stored consent released` (every tag it released has loaded) or the wasm's `released`
 * (a pass over the held elements has ended, each allowed one run).
 */
export function marked(page, name) {
  return page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, `consent-widget:${name}`);
}

/**
 * Resolves once the widget has carried out the next decision (its `change` event, and a task for
 * what that started). Call it before the action, await it after.
 */
export function nextDecisionApplied(page) {
  return page.evaluate(() => new Promise((resolve) => {
    window.addEventListener('consentwidget:change', () => setTimeout(resolve, 0), { once: true });
  }));
}

export function banner(page, code = 'en') {
  return page.getByRole('region', { name: t(code, 'banner.label') });
}

export async function expectBannerIn(page, code) {
  const region = banner(page, code);
  await expect(region).toBeVisible();
  await expect(region.getByRole('heading', { name: t(code, 'banner.title') })).toBeVisible();
  for (const key of ['acceptAll', 'rejectAll', 'customize']) {
    await expect(region.getByRole('button', { name: t(code, `banner.${key}`), exact: true })).toBeVisible();
  }
}

/** Every stored record, read back through the admin export. */
export async function exportedRecords(request, base = '') {
  const response = await request.get(`${base}/api/v1/export`, {
    headers: { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN}` },
  });
  expect(response.status()).toBe(200);
  return (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/**
 * The canonical text a visitor was shown (see src/core/record.rs), rebuilt independently
 * from the locale file and the configuration, as an auditor would: the banner and
 * preferences texts (with the site's overrides and its name), each category, each service
 * with its provider, country and safeguard, each cookie-table row (the widget's own storage
 * included), the policy's version, date and link, the records' retention, the revision, the
 * configuration's text (`configText`, as the widget read it) and the locale file's SHA-256.
 */
export function shownText(code, config, configText) {
  const locale = locales[code];
  const overrides = config.texts?.[code] ?? {};
  const company = config.company.name;
  const lines = new Map();
  const walk = (prefix, node) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (['policy.document', 'policy.sections', 'policy.countries'].includes(path)) continue;
      if (typeof value === 'object') walk(path, value);
      else if (path.startsWith('banner.') || path.startsWith('preferences.')) {
        lines.set(path, (overrides[path] ?? value).replaceAll('{company}', company));
      }
    }
  };
  walk('', locale);
  const ui = (key) => (overrides[key] ?? key.split('.').reduce((node, part) => node[part], locale)).replaceAll('{company}', company);
  const fallback = config.languages?.default ?? 'en';
  const pick = (text, builtin) => (text === undefined ? builtin
    : typeof text === 'string' ? text : text[code] ?? text[fallback] ?? text.en ?? Object.values(text)[0]);
  // Durations as the widget words them: CLDR plural forms, French counting 0 and 1 alike.
  const duration = (written) => {
    const text = written.trim().toLowerCase();
    if (text === 'session') return ui('duration.session');
    const [amount, unit] = text.split(/\s+/);
    const n = Number(amount);
    const form = (code === 'fr' ? n <= 1 : n === 1) ? 'one' : 'other';
    return ui(`duration.${unit.replace(/s$/, '')}.${form}`).replace('{n}', String(n));
  };
  const cookieName = config.cookie?.name ?? 'consent_widget';
  const listed = (name) => config.categories.some((category) => (category.cookies ?? []).some((cookie) => cookie.name === name));
  const home = config.categories.find((category) => category.required)?.id;
  const EEA = 'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK'.split(' ');
  const ADEQUATE = 'AD AR CA FO GB GG IL IM JE NZ UY'.split(' ');
  const safeguard = (service) => {
    if (service.country === 'CH' || EEA.includes(service.country)) return 'none';
    return service.safeguard ?? (ADEQUATE.includes(service.country) ? 'adequacy' : 'none');
  };
  for (const category of config.categories) {
    const id = category.id;
    const title = pick(category.title, locale.categories[id]?.title);
    lines.set(`category.${id}.title`, title);
    lines.set(`category.${id}.description`, pick(category.description, locale.categories[id]?.description));
    // The banner lists each optional category's purpose: the locale's words, else the title.
    if (!category.required) {
      lines.set(`category.${id}.purpose`, locale.categories[id]?.purpose === undefined ? title : ui(`categories.${id}.purpose`));
    }
    for (const service of category.services ?? []) {
      const key = (field) => `service.${id}.${service.id}.${field}`;
      lines.set(key('name'), service.name);
      if (service.description !== undefined) lines.set(key('description'), pick(service.description));
      lines.set(key('provider'), service.provider);
      lines.set(key('country'), service.country);
      lines.set(key('safeguard'), safeguard(service));
    }
    const rows = (category.cookies ?? []).map((cookie) => [cookie.name, cookie.provider, pick(cookie.purpose), duration(cookie.duration)]);
    if (id === home) {
      if (!listed(cookieName)) {
        rows.push([cookieName, company, ui('preferences.ownCookie'), duration(`${config.cookie?.lifetimeDays ?? 182} days`)]);
      }
      if (config.records && !listed('consent_widget_outbox')) {
        rows.push(['consent_widget_outbox (localStorage)', company, ui('preferences.ownOutbox'), ui('preferences.untilSent')]);
      }
    }
    rows.forEach(([name, provider, purpose, shown], index) => {
      lines.set(`cookie.${id}.${index}.name`, name);
      lines.set(`cookie.${id}.${index}.provider`, provider);
      lines.set(`cookie.${id}.${index}.purpose`, purpose);
      lines.set(`cookie.${id}.${index}.duration`, shown);
    });
  }
  if (config.records) lines.set('records.retentionDays', String(config.records.retentionDays ?? 1095));
  if (config.links?.policy) lines.set('links.policy', config.links.policy);
  if (config.policy) {
    lines.set('policy.date', config.policy.date);
    lines.set('policy.version', config.policy.version);
  }
  lines.set('config.revision', String(config.revision ?? 0));
  // What the policy is built from: the configuration's text, and the locale file by its hash.
  if (configText !== undefined) lines.set('config.source', configText);
  lines.set('locale.source', createHash('sha256').update(readFileSync(new URL(`locales/${code}.json`, root))).digest('hex'));
  lines.set('meta.language', code);
  const escape = (text) => text.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n');
  const keys = [...lines.keys()].sort();
  return `consent-widget shown-text v3\n${keys.map((key) => `${escape(key)}\t${escape(lines.get(key))}\n`).join('')}`;
}

/** Starts a consent-server of a test's own (which it may stop and start again). */
export function startServer(port, database, extraArgs = []) {
  const server = spawn(join(root.pathname, 'target/server/consent-server'), [
    '--listen', `127.0.0.1:${port}`, '--database-url', `sqlite:${database}?mode=rwc`,
    '--admin-token', process.env.E2E_ADMIN_TOKEN, '--rate-limit', '0', ...extraArgs,
  ], { cwd: root.pathname, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => { if (String(chunk).includes('serving')) resolve(server); });
    server.on('exit', (code) => reject(new Error(`consent-server exited with ${code}`)));
  });
}

export function stopServer(server) {
  return new Promise((resolve) => { server.once('exit', resolve); server.kill('SIGKILL'); });
}

/** Fails every test of the calling spec file that meets a console error, a page error or a CSP
 * violation (see `watchProblems`). */
export function failOnPageProblems() {
  let problems;
  test.beforeEach(({ page }) => {
    problems = watchProblems(page);
  });
  test.afterEach(() => {
    expect(problems, 'console errors, page errors or CSP violations').toEqual([]);
  });
}
