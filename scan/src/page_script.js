// Run by consent-scan in every frame before the page's own scripts. It notes which script wrote
// each cookie through document.cookie, when Google Consent Mode's default was set, and what
// Consent Widget's blocking dry run (`blocking: "report"`) says it would hold; it changes
// nothing the page sees or does. consent-scan reads the notes from window.__consentScan.
(() => {
  if (Object.prototype.hasOwnProperty.call(window, '__consentScan')) return;
  const notes = { cookieWriters: [], consentDefaultAt: null, wouldHold: [] };
  Object.defineProperty(window, '__consentScan', { value: notes });
  const MAX_WRITERS = 1000;
  window.addEventListener('consentwidget:wouldhold', (event) => {
    const held = event.detail || {};
    if (notes.wouldHold.length < MAX_WRITERS) {
      notes.wouldHold.push({ element: String(held.element), url: String(held.url), service: String(held.service), category: String(held.category) });
    }
  });

  // The script running now: document.currentScript, else the innermost script address on the
  // stack (a callback, a timer); with its data-category when it was held for one.
  function writer() {
    const current = document.currentScript;
    let url = current && current.src ? current.src : null;
    if (!url) {
      const line = String(new Error().stack || '').split('\n').find((text) => /https?:\/\//.test(text));
      const found = line && /(https?:\/\/[^\s()]+?):\d+:\d+/.exec(line);
      url = found ? found[1] : current ? location.href : null;
    }
    let element = current;
    if (!element && url) element = Array.from(document.scripts).find((script) => script.src === url) || null;
    return { script: url, category: element ? element.getAttribute('data-category') : null };
  }

  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cookie && cookie.get && cookie.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: cookie.enumerable,
      get() { return cookie.get.call(this); },
      set(value) {
        try {
          const name = String(value).split(';')[0].split('=')[0].trim();
          if (name && notes.cookieWriters.length < MAX_WRITERS) notes.cookieWriters.push({ name, ...writer() });
        } catch (ignored) { /* the page's write goes on regardless */ }
        cookie.set.call(this, value);
      },
    });
  }

  // gtag() pushes its arguments onto window.dataLayer: the first ['consent', 'default', ...]
  // is the default. gtag.js later replaces push with its own; by then a default set in time is in.
  const isDefault = (entry) => entry != null && entry[0] === 'consent' && entry[1] === 'default';
  const watched = new WeakSet();
  function note(entries) {
    if (notes.consentDefaultAt === null && Array.prototype.some.call(entries, isDefault)) notes.consentDefaultAt = Date.now();
  }
  function watch(layer) {
    if (!Array.isArray(layer) || watched.has(layer)) return;
    watched.add(layer);
    note(layer);
    const push = layer.push;
    layer.push = function (...entries) {
      note(entries);
      return push.apply(this, entries);
    };
  }
  let layer = window.dataLayer;
  watch(layer);
  try {
    Object.defineProperty(window, 'dataLayer', {
      configurable: true,
      enumerable: true,
      get() { return layer; },
      set(value) { layer = value; watch(value); },
    });
  } catch (ignored) { /* a page that made it unconfigurable keeps its own */ }
})();
