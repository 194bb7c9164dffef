// Server-side rendering: the npm module as a server imports it, in Node, where there is no
// window. Every call is safe and keeps nothing; readConsent answers as the widget does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

const widget = await import(new URL('../../dist/npm/package/index.js', import.meta.url));
const vectors = JSON.parse(readFileSync(new URL('../../target/contract/stored-consent.json', import.meta.url), 'utf8'));

test('importing and calling the module on a server throws nothing', async () => {
  assert.equal(typeof window, 'undefined');
  widget.on('ready', () => {});
  widget.off('ready', () => {});
  widget.subscribe(() => {})();
  await widget.init(vectors.configText);
  widget.acceptAll();
  widget.showPreferences();
  assert.equal(widget.getConsent(), null);
  assert.equal(widget.acceptedCategory('analytics'), false);
});

test('readConsent gives what the widget would find in force, for each cookie the core judged', () => {
  for (const { name, cookie, current } of vectors.cases) {
    const consent = widget.readConsent(`theme=dark; ${vectors.cookieName}=${cookie}`, vectors.configText, { now: vectors.now });
    assert.equal(consent !== null, current, name);
  }
  assert.equal(widget.readConsent(undefined, vectors.configText), null);
  assert.equal(widget.readConsent('consent_widget=%7B', '{ not json'), null);
  // Under Global Privacy Control (Sec-GPC: 1) the categories it keeps off are withheld.
  const accepted = vectors.cases.find((c) => c.name === 'accepted').cookie;
  const gpc = widget.readConsent(`${vectors.cookieName}=${accepted}`, vectors.configText, { now: vectors.now, gpc: true });
  const plain = widget.readConsent(`${vectors.cookieName}=${accepted}`, vectors.configText, { now: vectors.now });
  assert.ok(plain.categories.includes('marketing'));
  assert.ok(!gpc.categories.includes('marketing'));
  assert.equal(gpc.services.marketing, undefined);
});

test('10,000 server renders keep the memory flat: nothing is queued or kept', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const accepted = vectors.cases.find((c) => c.name === 'accepted').cookie;
  const render = () => {
    widget.readConsent(`${vectors.cookieName}=${accepted}`, vectors.configText, { now: vectors.now });
    widget.acceptAll();
    widget.on('change', () => {});
    widget.showPolicy('recipients');
  };
  for (let i = 0; i < 1_000; i++) render();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 10_000; i++) render();
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  console.log(`heap after 10,000 renders: ${grown} bytes more`);
  // A kept call or listener per render would be well over 1 MB by now.
  assert.ok(grown < 1_000_000, `${grown} bytes more`);
});
