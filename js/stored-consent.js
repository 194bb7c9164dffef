// A repeat visit before the wasm: the tags a stored consent allows run as soon as the loader has
// the configuration, not once the wasm has started. The loader never judges a consent itself:
// the wasm marks the consent cookie with the digest of the configuration text under which it
// found the consent current (core::cookie), and only a consent marked with the digest of the
// very text the loader just read, not yet expired, is applied here. Any change to the
// configuration changes the digest, and then the tags wait for the wasm, as on a first visit.
// Consent Mode's update and the consentwidget:* events still come from the wasm.
//
// Shared by the script-tag loader (js/loader.js) and the npm module (npm/index.js).

const DEFAULT_COOKIE_NAME = 'consent_widget';
// As core::consent::MAX_CLOCK_SKEW_SECONDS: a consent dated later than this is not the widget's.
const MAX_CLOCK_SKEW_SECONDS = 300;
// As core::config's DEFAULT_LIFETIME_DAYS.
const DEFAULT_LIFETIME_DAYS = 182;
// As core::consent::ISSUED_ID_VERSIONS: the widget's ids are UUID versions 4 and 7.
const ISSUED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// As core::SUPPORTED_LANGUAGES, for a cookie's language when the configuration enables no list:
// this module runs before the prerendered data is here (the npm module loads that later), and
// the contract vectors (target/contract/stored-consent.json) hold it to the core's answer.
const LANGUAGES = ['en', 'fr', 'de', 'it', 'es'];
// As browser/gating.rs: what is held back, and the mark on what has been released (which
// releaseElement below sets, and the wasm's release pass reads).
const MARKED = 'script[type="text/plain"][data-category], iframe[data-src][data-category], img[data-src][data-category]';
export const RELEASED = 'data-consent-widget-released';
// The one Trusted Types policy name a page lists for the widget.
const POLICY_NAME = 'consent-widget';

/** core::cookie::config_digest: FNV-1a (32 bits) of the text's UTF-8 bytes, 8 hex digits. */
export function configDigest(text) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The value of cookie `name` in a `document.cookie` string, as core::cookie::find reads it. */
function cookieValue(cookies, name) {
  for (const pair of cookies.split(';')) {
    const at = pair.indexOf('=');
    if (at >= 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return null;
}

/**
 * The consent cookie as core::cookie writes it: `{ consent, confirmedUnder }`, the consent's
 * JSON parsed and the digest after it (or null); null when there is no readable cookie.
 */
function readConsentCookie(config, cookies) {
  const value = cookieValue(cookies, (config.cookie && config.cookie.name) || DEFAULT_COOKIE_NAME);
  if (value === null) return null;
  const [, json, digest] = /^([^!]*)(?:!(.*))?$/.exec(value);
  try {
    const consent = JSON.parse(decodeURIComponent(json));
    return consent !== null && typeof consent === 'object' ? { consent, confirmedUnder: digest ?? null } : null;
  } catch {
    return null;
  }
}

/**
 * Whether the page stores a consent that may still answer the site's question: same revision,
 * not expired. The wasm checks it fully; this only decides whether to show the banner first, so
 * it must never reject what the wasm accepts (a banner would flash on a repeat visit).
 */
export function hasCurrentConsent(config, cookies, nowSeconds) {
  const stored = readConsentCookie(config, cookies);
  return stored !== null && stored.consent.revision === (config.revision || 0) && stored.consent.expires > nowSeconds;
}

/**
 * The stored consent, if the wasm confirmed it under exactly `configText` (whose parsed form is
 * `config`) and it is still in force at `nowSeconds`; otherwise null, and the wasm decides.
 * Unlike the check above, this one must never accept what the wasm would not: the mark is no
 * secret (anyone can compute a text's digest), so a forged cookie's mark may be valid too, and
 * every rule of core::consent::Consent::standing is kept here but one, the digest of the
 * services' providers (`vendors`), which needs the catalogue's entries: the mark ties the consent
 * to this very configuration text, whose providers are the ones it was given under. The test
 * vectors Rust writes (tests/js/stored-consent.test.mjs) hold the two to the same answers.
 */
export function confirmedConsent(configText, config, cookies, nowSeconds) {
  const stored = readConsentCookie(config, cookies);
  if (stored === null || stored.confirmedUnder !== configDigest(configText)) return null;
  const { consent } = stored;
  const now = Math.floor(nowSeconds);
  const valid = Array.isArray(consent.categories) && consent.services !== null && typeof consent.services === 'object'
    && consent.revision === (config.revision || 0)
    && consent.expires > now && consent.lastConsent <= now + MAX_CLOCK_SKEW_SECONDS
    && consent.firstConsent <= consent.lastConsent
    && consent.expires - consent.lastConsent <= lifetimeDays(config) * 86400
    && ISSUED_ID.test(String(consent.id))
    && enabledLanguages(config).includes(consent.language)
    && (consent.gpcConfirmed || []).every((id) => consent.categories.includes(id))
    && grantsOnlyWhatExists(config, consent)
    && requiredGranted(config, consent);
  return valid ? consent : null;
}

/** core::config::LanguageSettings::enabled. */
function enabledLanguages(config) {
  const enabled = config.languages && config.languages.enabled;
  return Array.isArray(enabled) ? enabled : LANGUAGES;
}

/** core::config::CookieSettings::lifetime_days, as the configuration gives it. */
function lifetimeDays(config) {
  const days = config.cookie && config.cookie.lifetimeDays;
  return Number.isInteger(days) ? days : DEFAULT_LIFETIME_DAYS;
}

/**
 * core::consent::Consent::check's rules on what is granted: every category is the
 * configuration's, and every service one of its category's (a preset by its id).
 */
function grantsOnlyWhatExists(config, consent) {
  const services = new Map();
  for (const category of (Array.isArray(config.categories) ? config.categories : [])) {
    if (!category || typeof category.id !== 'string') continue;
    const ids = (Array.isArray(category.services) ? category.services : []).map(serviceIdOf);
    services.set(category.id, new Set(ids));
  }
  return consent.categories.every((id) => services.has(id))
    && Object.entries(consent.services).every(([category, ids]) =>
      services.has(category) && Array.isArray(ids) && ids.every((id) => services.get(category).has(id)));
}

/** As Consent::standing: a consent that lacks a category now required is asked again. */
function requiredGranted(config, consent) {
  return (Array.isArray(config.categories) ? config.categories : [])
    .every((category) => !category || category.required !== true || consent.categories.includes(category.id));
}

/** The configuration's text as an object, or null: a broken one is left to the wasm to report. */
export function parseConfig(text) {
  try {
    const config = JSON.parse(text);
    return config !== null && typeof config === 'object' ? config : null;
  } catch {
    return null;
  }
}

/** What nothing released looks like to the caller of releaseConfirmed. */
const NOTHING_RELEASED = { done: null, consent: null, stop() {} };

/**
 * Releases what the stored consent allows if the wasm confirmed it under exactly `configText`
 * (see confirmedConsent; `config` is its parsed form, or null): the handle of releaseConsented,
 * whose `done` is null when nothing was released, with `consent`, the consent it applied (or null).
 */
export function releaseConfirmed(configText, config, cookies, nowSeconds) {
  const consent = config && confirmedConsent(configText, config, cookies, nowSeconds);
  if (!consent) return NOTHING_RELEASED;
  const applied = withoutGpcWithheld(config, consent);
  return { ...releaseConsented(applied), consent: applied };
}

/**
 * core::consent::Consent::gpc_withheld: while the browser sends Global Privacy Control, the
 * categories it keeps off (marked `gpc`) count as withdrawn unless the visitor confirmed them
 * against the signal (`gpcConfirmed`), whenever the consent was given. The wasm records that.
 */
export function withoutGpcWithheld(config, consent, gpc = navigator.globalPrivacyControl === true) {
  if (!gpc) return consent;
  const marked = new Set((config.categories || []).filter((category) => category && category.gpc === true).map((category) => category.id));
  const confirmed = Array.isArray(consent.gpcConfirmed) ? consent.gpcConfirmed : [];
  const categories = consent.categories.filter((id) => !marked.has(id) || confirmed.includes(id));
  const services = Object.fromEntries(Object.entries(consent.services).filter(([id]) => categories.includes(id) || !marked.has(id)));
  return { ...consent, categories, services };
}

/** A configured service's id: its own, or its preset's (`{ "preset": "youtube" }`). */
export function serviceIdOf(item) {
  if (!item || typeof item !== 'object') return undefined;
  return typeof item.id === 'string' ? item.id : item.preset;
}

/**
 * core::gating::allows: without a service, the category granted; with one, the service listed
 * under its category (granted whole, or the service allowed on its own).
 */
export function allows(consent, category, service) {
  if (service === null) return consent.categories.includes(category);
  const services = consent.services[category];
  return Array.isArray(services) && services.includes(service);
}

/**
 * Trusted Types. Under `require-trusted-types-for 'script'` a page refuses a plain string as a
 * script's URL or text; it takes only values made by a policy the page's CSP names. The widget has
 * its own, `consent-widget` (pages list it: `trusted-types consent-widget`), and uses it for
 * nothing but what it copies from the page's own marked tags when it releases them: the site wrote
 * those values, and the page's `script-src` still decides whether they may run. Made once per page
 * (a name can be created only once), on the first release: null where the browser has no Trusted
 * Types, false where the page refuses the name (said once; then no marked script runs).
 */
let policy;
function pagePolicy() {
  if (policy !== undefined) return policy;
  const factory = window.trustedTypes;
  if (!factory || typeof factory.createPolicy !== 'function') return (policy = null);
  try {
    policy = factory.createPolicy(POLICY_NAME, { createScriptURL: String, createScript: String });
  } catch {
    policy = false;
    console.warn('consent-widget: cannot create the Trusted Types policy `consent-widget`: a page that requires '
      + 'Trusted Types must allow it (`trusted-types consent-widget`), or marked scripts cannot run');
  }
  return policy;
}

/** The released copy of a held script. */
function releasedScript(held, policy) {
  const trusted = (method, value) => (policy ? policy[method](value) : value);
  const script = document.createElement('script');
  for (const { name, value } of Array.from(held.attributes)) {
    if (name === 'type' || name === RELEASED) continue;
    if (name === 'src') script.setAttribute(name, trusted('createScriptURL', value));
    else if (/^on/i.test(name)) script.setAttribute(name, trusted('createScript', value));
    else script.setAttribute(name, value);
  }
  const type = held.getAttribute('data-type');
  if (type) script.type = type;
  // The browser hides a nonce from attributes after parsing; the property keeps it.
  if (held.nonce) script.nonce = held.nonce;
  if (held.hasAttribute('src')) script.async = false;
  else script.text = trusted('createScript', held.text);
  return script;
}

/**
 * Releases one held element, the one way the widget does it (the loader's and the npm module's
 * passes before the wasm, the wasm's own, which is handed this function, and an embed's "Load
 * once"): marks it released, so that nothing runs or loads twice; an iframe or image gets its
 * address, a script is replaced by a copy that runs, beside it. Returns a promise that resolves
 * once an external script has loaded (or failed), so that the next runs after it, else null. A
 * script the page's Trusted Types rules refuse stays held.
 */
export function releaseElement(element) {
  element.setAttribute(RELEASED, '');
  if (element.localName !== 'script') {
    element.setAttribute('src', element.getAttribute('data-src'));
    return null;
  }
  const made = pagePolicy();
  if (made === false) return null;
  const script = releasedScript(element, made);
  const loaded = element.hasAttribute('src') ? new Promise((resolve) => {
    script.addEventListener('load', resolve);
    script.addEventListener('error', resolve);
  }) : null;
  element.after(script);
  return loaded;
}

/**
 * Releases, in document order, what `consent` allows (scripts one after another, an external one
 * loaded before the next runs). Returns `{ done, stop }`: `done` resolves once the last of them has
 * loaded; `stop()`, which the loader calls before the wasm takes over, leaves whatever is still
 * held to the wasm's pass.
 */
export function releaseConsented(consent) {
  let stopped = false;
  const run = async () => {
    for (const element of Array.from(document.querySelectorAll(MARKED))) {
      if (stopped) return;
      if (element.hasAttribute(RELEASED)) continue;
      if (!allows(consent, element.getAttribute('data-category'), element.getAttribute('data-service'))) continue;
      const loaded = releaseElement(element);
      // Should the wasm take over meanwhile, it goes on with the next one at once.
      if (loaded) await loaded;
    }
  };
  return { done: run(), stop: () => { stopped = true; } };
}
