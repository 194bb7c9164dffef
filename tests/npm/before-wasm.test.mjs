// The npm module before its wasm has booted: init() releases a stored consent the widget
// confirmed under this very configuration at once, and getConsent()/getSnapshot() answer it
// from then on (one frozen object), so that a page hydrated from the server's readConsent shows
// the same thing all along. In Node, with a minimal page whose wasm download fails, which holds
// the module in that state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const vectors = JSON.parse(readFileSync(new URL('../../target/contract/stored-consent.json', import.meta.url), 'utf8'));
const cookieOf = (name) => vectors.cases.find((c) => c.name === name).cookie;
const moduleUrl = new URL('../../dist/npm/package/index.js', import.meta.url);

// A page with no body (so no banner) and nothing held back, at the vectors' time.
globalThis.window = new EventTarget();
globalThis.document = { cookie: '', body: null, querySelectorAll: () => [] };
Object.defineProperty(globalThis, 'navigator', { value: { globalPrivacyControl: false }, configurable: true });
Date.now = () => vectors.now * 1000;
globalThis.fetch = () => Promise.reject(new Error('no wasm here'));

/** A fresh instance of the module (each query makes another one), with `cookie` in the page. */
let instances = 0;
async function page(cookie) {
  document.cookie = `theme=dark; ${vectors.cookieName}=${cookie}`;
  instances += 1;
  return import(`${moduleUrl}?page=${instances}`);
}

test('init() hands out the stored consent it released, before the wasm, as the server read it', async () => {
  const widget = await page(cookieOf('accepted'));
  let calls = 0;
  const unsubscribe = widget.subscribe(() => { calls += 1; });
  assert.equal(widget.getSnapshot(), null);
  assert.equal(widget.acceptedCategory('analytics'), false);

  const started = widget.init(vectors.configText);
  // Synchronously: the release runs before init() waits for the wasm.
  const consent = widget.getSnapshot();
  assert.ok(consent !== null);
  assert.ok(Object.isFrozen(consent));
  assert.deepEqual(consent, widget.readConsent(document.cookie, vectors.configText));
  assert.equal(widget.getConsent(), consent);
  assert.equal(widget.getSnapshot(), consent);
  assert.equal(calls, 1);
  assert.equal(widget.acceptedCategory('analytics'), true);
  assert.equal(widget.acceptedService('analytics', 'matomo'), true);
  assert.equal(widget.acceptedService('analytics', 'another'), false);

  // The wasm could not load: the module stays as it was, with the same object.
  await assert.rejects(started);
  assert.equal(widget.getSnapshot(), consent);
  unsubscribe();
});

test('a consent the widget did not confirm under this configuration is not handed out', async () => {
  const widget = await page(cookieOf('expired'));
  let calls = 0;
  widget.subscribe(() => { calls += 1; });
  const started = widget.init(vectors.configText);
  assert.equal(widget.getSnapshot(), null);
  assert.equal(widget.acceptedCategory('analytics'), false);
  assert.equal(calls, 0);
  await assert.rejects(started);

  // Nor one confirmed under another configuration text (the same one, reformatted).
  const other = await page(cookieOf('accepted'));
  const reformatted = other.init(JSON.stringify(JSON.parse(vectors.configText)));
  assert.equal(other.getSnapshot(), null);
  await assert.rejects(reformatted);
});

test('an unsubscribed listener is not called', async () => {
  const widget = await page(cookieOf('accepted'));
  let calls = 0;
  widget.subscribe(() => { calls += 1; })();
  const started = widget.init(vectors.configText);
  assert.ok(widget.getSnapshot() !== null);
  assert.equal(calls, 0);
  await assert.rejects(started);
});
