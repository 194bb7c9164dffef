// The consent signals of vendors beside Google, driven by the services' catalogue entries:
// Microsoft UET and Clarity get a denied default before their tag (consent-mode.js with
// data-signals) and an update on every decision; Meta Pixel and TikTok are told once their tag
// has run. The vendors' tags are stood in by local files that record what they find.
import { test, expect } from '@playwright/test';
import { banner, demoConfig, failOnPageProblems, nextDecisionApplied, withConfig } from './helpers.mjs';

failOnPageProblems();

const STAND_INS = {
  // Each records, as it runs, the queue its vendor's real tag would read.
  'bat.js': "(window.signalLog = window.signalLog || []).push(['uet', JSON.parse(JSON.stringify(window.uetq || null))]);",
  'clarity.js': "(window.signalLog = window.signalLog || []).push(['clarity', (window.clarity && window.clarity.q || []).map(function (call) { return Array.from(call); })]);",
  'fbevents.js': "window.fbq = function () { window.signalLog.push(['fbq'].concat(Array.from(arguments))); }; (window.signalLog = window.signalLog || []).push(['meta']);",
  'tiktok.js': "window.ttq = { grantConsent: function () { window.signalLog.push(['ttq', 'grant']); }, revokeConsent: function () { window.signalLog.push(['ttq', 'revoke']); } }; (window.signalLog = window.signalLog || []).push(['tiktok']);",
};
const TAGS = [
  ['marketing', 'microsoft-uet', 'bat.js'],
  ['analytics', 'microsoft-clarity', 'clarity.js'],
  ['marketing', 'meta-pixel', 'fbevents.js'],
  ['marketing', 'tiktok-pixel', 'tiktok.js'],
];

async function vendorPage(page) {
  const config = structuredClone(demoConfig);
  for (const [category, preset] of TAGS) config.categories.find((c) => c.id === category).services.push({ preset });
  await withConfig(page, config);
  await page.route(/\/vendor\/([a-z]+\.js)$/, (route) =>
    route.fulfill({ contentType: 'text/javascript', body: STAND_INS[new URL(route.request().url()).pathname.split('/').pop()] }));
  await page.route(/\/$/, async (route) => {
    const response = await route.fetch();
    const tags = TAGS.map(([category, service, file]) =>
      `<script type="text/plain" data-category="${category}" data-service="${service}" src="/vendor/${file}"></script>`).join('');
    const body = (await response.text())
      .replace('<script src="/consent-widget/consent-mode.js"></script>',
        '<script src="/consent-widget/consent-mode.js" data-signals="microsoft-uet microsoft-clarity"></script>')
      .replace('</body>', `${tags}</body>`);
    await route.fulfill({ response, body });
  });
}

const log = (page) => page.evaluate(() => window.signalLog || []);
// The stand-in tags that have run (the log also holds the calls made to them).
const TAG_NAMES = ['clarity', 'meta', 'tiktok', 'uet'];
const tagsRan = async (page) => (await log(page)).map((entry) => entry[0]).filter((name) => TAG_NAMES.includes(name));
const DENIED_UET = ['consent', 'default', { ad_storage: 'denied' }];
const denied = { ad_Storage: 'denied', analytics_Storage: 'denied' };
const granted = { ad_Storage: 'granted', analytics_Storage: 'granted' };

test('each vendor\'s default precedes its tag, and every decision updates it', async ({ page }) => {
  await vendorPage(page);
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  // Before any choice: the defaults are queued, and no tag has run.
  expect(await page.evaluate(() => window.uetq)).toEqual(DENIED_UET);
  expect(await page.evaluate(() => window.clarity.q.map((call) => Array.from(call)))).toEqual([['consentv2', denied]]);
  expect(await log(page)).toEqual([]);

  const accepted = nextDecisionApplied(page);
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await accepted;
  await expect.poll(async () => (await tagsRan(page)).sort()).toEqual(['clarity', 'meta', 'tiktok', 'uet']);
  const ran = Object.fromEntries((await log(page)).map((entry) => [entry[0], entry[1]]));
  // Each tag found its default first, then the update the decision made.
  expect(ran.uet).toEqual([...DENIED_UET, 'consent', 'update', { ad_storage: 'granted' }]);
  expect(ran.clarity).toEqual([['consentv2', denied], ['consentv2', granted]]);

  // Withdrawal: every vendor is told, those whose tag defined its function included.
  await page.getByRole('button', { name: 'Cookie settings' }).first().click();
  const withdrawn = nextDecisionApplied(page);
  await page.getByRole('dialog', { name: 'Cookie preferences' }).getByRole('button', { name: 'Reject all' }).click();
  await withdrawn;
  expect((await page.evaluate(() => window.uetq)).slice(-3)).toEqual(['consent', 'update', { ad_storage: 'denied' }]);
  expect(await page.evaluate(() => Array.from(window.clarity.q.at(-1)))).toEqual(['consentv2', denied]);
  const after = await log(page);
  expect(after).toContainEqual(['fbq', 'consent', 'revoke']);
  expect(after).toContainEqual(['ttq', 'revoke']);
});

test('a repeat view replays the stored choice to each vendor', async ({ page }) => {
  await vendorPage(page);
  await page.goto('/');
  const accepted = nextDecisionApplied(page);
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await accepted;
  await page.reload();
  await expect.poll(async () => (await tagsRan(page)).sort()).toEqual(['clarity', 'meta', 'tiktok', 'uet']);
  // The loader releases the tags before the wasm; the wasm then replays the choice into the
  // queues (whether Meta's and TikTok's functions exist by then depends on how fast their tags
  // loaded, so only the queues are asserted).
  await expect.poll(() => page.evaluate(() => (window.uetq || []).slice(-3))).toEqual(['consent', 'update', { ad_storage: 'granted' }]);
  await expect.poll(() => page.evaluate(() => Array.from(window.clarity.q.at(-1)))).toEqual(['consentv2', granted]);
  expect(await page.evaluate(() => window.uetq.slice(0, 3))).toEqual(DENIED_UET);
});
