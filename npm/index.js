// Consent Widget as an ES module for bundlers: `import { init } from 'consent-widget'`.
// The WebAssembly file is found next to this module (new URL(..., import.meta.url)), which
// bundlers such as Vite copy into the build as an asset.
import { allows, confirmedConsent, parseConfig, releaseConfirmed, releaseElement, withoutGpcWithheld } from './stored-consent.js';
import { subscribe as onConsentEvents } from './subscribe.js';

// Each language's privacy policy is a file of its own, fetched when a visitor opens it.
// Written out one by one so that bundlers see, and copy, every file.
const policyFiles = {
  en: new URL('./policy-en.json', import.meta.url),
  fr: new URL('./policy-fr.json', import.meta.url),
  de: new URL('./policy-de.json', import.meta.url),
  it: new URL('./policy-it.json', import.meta.url),
  es: new URL('./policy-es.json', import.meta.url),
};

async function fetchPolicy(language) {
  const response = await fetch(policyFiles[language]);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

// A catalogue entry a configuration names as a preset; the wasm checks it against its hash.
async function fetchCatalogue(id) {
  const load = parts.catalogueFiles[id];
  if (!load) throw new Error('not in the catalogue');
  return (await load()).default;
}

// Rendering on a server: every call is safe, and none is kept (nothing would ever run it).
const onServer = typeof window === 'undefined' || typeof document === 'undefined';

// The rest of the start-up (start-up.js), a chunk of its own that the first init() asks for:
// an app's first render does not wait for it, nor share the main thread with it (asked for
// at import, it came during the render and delayed it: bench/react-first-render.mjs). What a
// stored consent allows needs only stored-consent.js, above, and runs at init() at once.
let startUp = null;
// The start-up chunk's exports, once init() has them; `parts.widget` is the wasm's API.
let parts = null;

/**
 * The consent a request's `Cookie` header carries, if the widget confirmed it under `config` and
 * it is still in force: what a server renders so that the page hydrates to what the widget
 * shows. `gpc`: the request sent `Sec-GPC: 1`. The same rule as the loader's (stored-consent.js)
 * and as core::cookie::current_consent for Rust servers.
 */
export function readConsent(cookieHeader, config, { gpc = false, now = Date.now() / 1000 } = {}) {
  const text = typeof config === 'string' ? config : JSON.stringify(config);
  const parsed = parseConfig(text);
  const consent = parsed && confirmedConsent(text, parsed, cookieHeader || '', now);
  return consent ? withoutGpcWithheld(parsed, consent, gpc) : null;
}

let loaded = null;
// The embeds' placeholders (embeds.js): shown by the first init(), gone with destroy().
let placeholders = null;
// Blocking with no tagging, once started: it stays for the page's life.
let blocking = null;
const waiting = [];

/**
 * Before the wasm, once the start-up chunk is here: blocking with no tagging, and the banner,
 * from its markup rendered ahead of time, if the page has a body, with the embeds' placeholders.
 * `release`: what init() released of a stored consent.
 */
function beforeTheWasm(config, release) {
  const { blockingRules, firstLayer, showFirstLayer, showPlaceholders, startBlocking, widget } = parts;
  // Blocking with no tagging holds what the page adds from here on: the script tag, first in
  // <head>, also holds what the HTML itself loads.
  if (config && !blocking && (config.blocking === 'untagged' || config.blocking === 'report')) {
    const allowed = (category, service) =>
      (answering ? widget.acceptedService(category, service) : release.consent !== null && allows(release.consent, category, service));
    blocking = startBlocking(blockingRules(config, firstLayer.catalogue), config.blocking, allowed);
  }
  const handoff = document.body && config ? showFirstLayer(firstLayer, config) : null;
  if (config && document.body && !placeholders) {
    placeholders = showPlaceholders(firstLayer, config, handoff ? handoff.language : 'en', placeholderAction);
  }
  return handoff;
}

// A placeholder's "Always allow" or "Cookie settings": an action like any other.
const placeholderAction = (name, ...args) => action(name)(...args);

/** Loads the widget (once) and starts it with `config`, an object or JSON text. */
export async function init(config) {
  if (onServer) return;
  const text = typeof config === 'string' ? config : JSON.stringify(config);
  if (starting) {
    // A second call while the first start is under way (React's StrictMode runs effects twice):
    // the same configuration is that start; another one follows it.
    if (starting.text === text) return starting.done;
    await starting.done;
  }
  if (booted) {
    // The widget itself keeps one running for the same configuration, and restarts for another.
    parts.widget.init(config);
    return;
  }
  starting = { text, done: firstStart(text) };
  try {
    await starting.done;
  } finally {
    starting = null;
  }
}

// The start under way, `{ text, done }`, and whether the widget has been started once.
let starting = null;
let booted = false;

async function firstStart(text) {
  // The tags a stored consent allows, if the widget confirmed it under this very configuration
  // (stored-consent.js): at once, without the start-up chunk.
  const config = parseConfig(text);
  const release = releaseConfirmed(text, config, document.cookie, Date.now() / 1000);
  if (release.consent) {
    // Its tags run from now on, so the page may show it from now on; no window event says so.
    snapshot = Object.freeze(release.consent);
    for (const notify of [...released]) notify();
  }
  parts = await (startUp ||= import('./start-up.js'));
  const { load, widget } = parts;
  const handoff = beforeTheWasm(config, release);
  loaded ||= load().then(() => {
    // Releasing a held element is stored-consent.js's alone: the wasm's pass hands each one to it.
    widget.setReleaser(releaseElement);
    widget.setPolicyLoader(fetchPolicy);
    widget.setCatalogueLoader(fetchCatalogue);
  });
  await loaded;
  release.stop();
  window.addEventListener('consentwidget:ready', () => { answering = true; }, { once: true });
  widget.boot(text, undefined, handoff ? handoff.takeOver(widget) : undefined);
  booted = true;
  for (const [name, args] of waiting.splice(0)) {
    // A destroy() called while starting: the placeholders shown since then go with it.
    if (name === 'destroy') stopPlaceholders();
    widget[name](...args);
  }
}

// Actions called before init() has finished are queued and run, in order, once it has.
function action(name) {
  return (...args) => {
    if (onServer) return;
    if (booted) parts.widget[name](...args);
    else waiting.push([name, args]);
  };
}

// Until the wasm has started (its `ready` event: it may still be fetching the configuration's
// catalogue entries after boot), the questions answer from the consent init() released:
// "nothing granted" when there is none.
let answering = false;
function question(name, early) {
  return (...args) => (answering ? parts.widget[name](...args) : early(...args));
}

// The consent as handed out (frozen, one object until it changes; before the wasm, the one
// init() released) and the wasm's answer it stands for. The wasm keeps one object per consent;
// its answer replaces the one handed out only if it differs in content, so that the wasm's
// first answer, the consent already released, is no change to a store (useSyncExternalStore).
let snapshot = null;
let answer;
function currentConsent() {
  if (!answering) return snapshot;
  const latest = parts.widget.getConsent();
  if (latest !== answer) {
    answer = latest;
    if (latest === null || snapshot === null || JSON.stringify(latest) !== JSON.stringify(snapshot)) snapshot = latest;
  }
  return snapshot;
}

// Called when init() has released a stored consent, which no window event announces.
const released = new Set();

/** As subscribe.js's, and also calls `listener` when init() releases a stored consent. */
export function subscribe(listener) {
  const unsubscribe = onConsentEvents(listener);
  if (onServer) return unsubscribe;
  // One entry per call, as each call adds listeners of its own to window.
  const notify = () => listener();
  released.add(notify);
  return () => {
    released.delete(notify);
    unsubscribe();
  };
}

export const show = action('show');
export const hide = action('hide');
export const showPreferences = action('showPreferences');
export const showPolicy = action('showPolicy');
export const acceptAll = action('acceptAll');
export const rejectAll = action('rejectAll');
export const acceptCategories = action('acceptCategories');
export const acceptService = action('acceptService');
export const setLanguage = action('setLanguage');
export const reset = action('reset');
const destroyWidget = action('destroy');
export function destroy() {
  stopPlaceholders();
  destroyWidget();
}
function stopPlaceholders() {
  if (placeholders) placeholders.stop();
  placeholders = null;
}
export const acceptedCategory = question('acceptedCategory', (id) => snapshot !== null && allows(snapshot, id, null));
export const acceptedService = question('acceptedService', (category, service) => snapshot !== null && allows(snapshot, category, service));
export const getConsent = currentConsent;
export const getSnapshot = currentConsent;

const listeners = [];

/** Calls `callback(detail)` on each `consentwidget:<event>` window event. */
export function on(event, callback) {
  if (onServer) return;
  const listener = (e) => callback(e.detail);
  listeners.push([event, callback, listener]);
  window.addEventListener(`consentwidget:${event}`, listener);
}

export function off(event, callback) {
  if (onServer) return;
  for (let i = listeners.length - 1; i >= 0; i--) {
    const [name, registered, listener] = listeners[i];
    if (name === event && registered === callback) {
      window.removeEventListener(`consentwidget:${event}`, listener);
      listeners.splice(i, 1);
    }
  }
}

/** The widget's version (written by scripts/build-npm.sh). */
export const version = '__CONSENT_WIDGET_VERSION__';
