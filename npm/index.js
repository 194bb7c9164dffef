// Consent Widget as an ES module for bundlers: `import { init } from 'consent-widget'`.
// The WebAssembly file is found next to this module (new URL(..., import.meta.url)), which
// bundlers such as Vite copy into the build as an asset.
import load, * as widget from './consent_widget.js';
import { showFirstLayer } from './first-layer.js';
import firstLayer from './first-layer-data.js';
import catalogueFiles from './catalogue-files.js';
import { allows, parseConfig, releaseConfirmed } from './stored-consent.js';
import { blockingRules, startBlocking } from './blocking.js';
import { showPlaceholders } from './embeds.js';
export { subscribe } from './subscribe.js';

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
  const load = catalogueFiles[id];
  if (!load) throw new Error('not in the catalogue');
  return (await load()).default;
}

let loaded = null;
// The embeds' placeholders (embeds.js): shown by the first init(), gone with destroy().
let placeholders = null;
// Blocking with no tagging, once started: it stays for the page's life.
let blocking = null;
let ready = false;
const waiting = [];

/**
 * Before the wasm: the tags a stored consent allows, if the widget confirmed it under this very
 * configuration (stored-consent.js), and else the banner, from its markup rendered ahead of
 * time, if the page has a body.
 */
function beforeTheWasm(text) {
  const config = parseConfig(text);
  const release = releaseConfirmed(text, config, document.cookie, Date.now() / 1000);
  // Blocking with no tagging holds what the page adds from init() on: the script tag, first
  // in <head>, also holds what the HTML itself loads.
  if (config && !blocking && (config.blocking === 'untagged' || config.blocking === 'report')) {
    const allowed = (category, service) =>
      (ready ? widget.acceptedService(category, service) : release.consent !== null && allows(release.consent, category, service));
    blocking = startBlocking(blockingRules(config, firstLayer.catalogue), config.blocking, allowed);
  }
  const handoff = document.body && config ? showFirstLayer(firstLayer, config) : null;
  if (config && document.body && !placeholders) {
    placeholders = showPlaceholders(firstLayer, config, handoff ? handoff.language : 'en', placeholderAction);
  }
  return { release, handoff };
}

// A placeholder's "Always allow" or "Cookie settings": run once the widget has started.
function placeholderAction(name, ...args) {
  if (ready) widget[name](...args);
  else waiting.push([name, args]);
}

/** Loads the widget (once) and starts it with `config`, an object or JSON text. */
export async function init(config) {
  if (ready) {
    widget.init(config);
    return;
  }
  const text = typeof config === 'string' ? config : JSON.stringify(config);
  const { release, handoff } = beforeTheWasm(text);
  loaded ||= load().then(() => {
    widget.setPolicyLoader(fetchPolicy);
    widget.setCatalogueLoader(fetchCatalogue);
    ready = true;
  });
  await loaded;
  release.stop();
  if (handoff) handoff.trustedTypesPolicy = release.policy();
  widget.boot(text, undefined, handoff ? handoff.takeOver(widget) : undefined);
  for (const [name, args] of waiting.splice(0)) widget[name](...args);
}

// Actions called before init() has finished are queued and run, in order, once it has.
function action(name) {
  return (...args) => {
    if (ready) widget[name](...args);
    else waiting.push([name, args]);
  };
}

// Questions need the widget: before init() they answer "nothing granted".
function question(name, fallback) {
  return (...args) => (ready ? widget[name](...args) : fallback);
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
  if (placeholders) placeholders.stop();
  placeholders = null;
  destroyWidget();
}
export const acceptedCategory = question('acceptedCategory', false);
export const acceptedService = question('acceptedService', false);
export const getConsent = question('getConsent', null);
export const getSnapshot = getConsent;

const listeners = [];

/** Calls `callback(detail)` on each `consentwidget:<event>` window event. */
export function on(event, callback) {
  const listener = (e) => callback(e.detail);
  listeners.push([event, callback, listener]);
  window.addEventListener(`consentwidget:${event}`, listener);
}

export function off(event, callback) {
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
