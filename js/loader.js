// Starts Consent Widget from a classic <script> tag (plain, async or defer). It reads the
// configuration (inline JSON or data-config) and shows the banner at once, rendered ahead of time
// (js/first-layer.js); then it loads the wasm file and its bindings next to this script, hands the
// banner and what the visitor did meanwhile over to it, and turns window.ConsentWidget into the
// API, running calls made or queued before it loaded.
var script = document.currentScript;
var base = script && script.src ? script.src : document.baseURI;
var configUrl = script && script.getAttribute('data-config');
var INLINE_CONFIG_ID = 'consent-widget-config';
// Written by the build: the names of the files beside this script and, in releases, their
// Subresource Integrity hashes, so the wasm, its bindings and the policy texts are checked too.
var files = __FILES__;
// Written by the build: the banner's markup, texts and styles, and the catalogue's hosts and
// embeds (src/prerender.rs).
var firstLayer = __FIRST_LAYER__;
// The wasm's bindings (an ES module), once imported, and whether the widget has started.
var widget = null;
var started = false;
// The consent the loader applied from the cookie, until the widget answers for itself.
var appliedConsent = null;
function consentAllows(category, service) {
  if (started) return widget.acceptedService(category, service);
  return appliedConsent !== null && allows(appliedConsent, category, service);
}
// Blocking with no tagging (js/blocking.js) starts before anything else the page loads, which
// needs the configuration in the page: a data-config one arrives too late to hold the page's
// own elements, and the widget says so.
var inlineText = !configUrl && inlineConfig() ? inlineConfig().textContent : null;
var inlineParsed = inlineText === null ? null : parseConfig(inlineText);
if (inlineParsed && (inlineParsed.blocking === 'untagged' || inlineParsed.blocking === 'report')) {
  startBlocking(blockingRules(inlineParsed, firstLayer.catalogue), inlineParsed.blocking, consentAllows);
}
// A deferred script with its configuration in the page has all it needs at once: a stored
// consent's tags are released during this script's own run, not in a later task.
var inlineNow = inlineText !== null && document.readyState !== 'loading' ? configSource(inlineText) : null;
var releasedNow = inlineNow && releaseStored(inlineNow);
// Asked for first: on a repeat visit, the tags a stored consent allows run as soon as it is read.
var configRead = readConfig();
function fetchFile(file) {
  return fetch(new URL(file.name, base), file.integrity ? { integrity: file.integrity } : {});
}
function fetchPolicy(language) {
  var file = files.policy[language];
  if (!file) return Promise.reject(new Error('no policy file for ' + language));
  return fetchFile(file).then(function (response) {
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.text();
  });
}
// A catalogue entry a configuration names as a preset (catalogue/services/<id>.json): the wasm
// checks the file against its own hash of it.
function fetchCatalogue(id) {
  return fetch(new URL(files.catalogue.replace('{id}', id), base)).then(function (response) {
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.text();
  });
}
function domReady() {
  return new Promise(function (resolve) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', resolve, { once: true });
    else resolve();
  });
}
// The configuration: its text and, when that is valid JSON, its parsed form, read once.
function configSource(text) {
  return { text: text, config: parseConfig(text) };
}
// The configuration (see configSource), or the problem the widget reports instead (and then shows
// its safe banner).
function readConfig() {
  if (configUrl) {
    var url = new URL(configUrl, document.baseURI).href;
    var problem = function (reason) { return { problem: 'cannot load data-config `' + url + '`: ' + reason }; };
    return fetch(url).then(function (response) {
      return response.ok ? response.text().then(configSource) : problem('HTTP ' + response.status);
    }, function () { return problem('network error'); });
  }
  // The banner gets a task of its own: this script's run and the banner's first render together
  // would make one long task.
  return (inlineConfig() ? nextTask() : domReady()).then(function () {
    if (inlineNow) return inlineNow;
    var element = inlineConfig();
    return element ? configSource(element.textContent) : initOrNothing();
  });
}
// Without a configuration in the page, the first init(config), called before the page has
// loaded (or queued before this script); else the problem the widget reports.
function initOrNothing() {
  var loaded = pageLoaded().then(nextTask);
  var none = { problem: 'no configuration: add <script type="application/json" id="' + INLINE_CONFIG_ID + '">, data-config, or call init(config)' };
  return Promise.race([firstInit, loaded.then(function () { return null; })]).then(function (call) {
    if (!call) return none;
    queued.splice(queued.indexOf(call), 1);
    var config = call[1];
    if (typeof config === 'string') return configSource(config);
    if (config !== null && typeof config === 'object') return configSource(JSON.stringify(config));
    return { problem: 'init(config) needs an object or a JSON string' };
  });
}
// Resolves once the page's `load` event has fired.
function pageLoaded() {
  return new Promise(function (resolve) {
    if (document.readyState === 'complete') resolve();
    else window.addEventListener('load', resolve, { once: true });
  });
}
function nextTask() {
  return new Promise(function (resolve) { setTimeout(resolve, 0); });
}
function inlineConfig() {
  return document.getElementById(INLINE_CONFIG_ID);
}
// Runs what a stored consent allows, if the wasm confirmed it under this very configuration
// (js/stored-consent.js); returns what stops that release when the wasm takes over.
function releaseStored(source) {
  var release = releaseConfirmed(source.text, source.config, document.cookie, Date.now() / 1000);
  appliedConsent = release.consent;
  if (release.done) {
    mark('stored consent applied');
    release.done.then(function () { mark('stored consent released'); });
  }
  return release;
}
// When the wasm may load. With the banner showing, the page's own resources come first (its
// largest paint is often a hero image), unless the visitor clicks a button of the banner, which
// needs the wasm now; a page that never finishes loading still gets it after a few seconds.
// Otherwise (a stored consent to apply) at once.
var WASM_WAIT_MS = 5000;
// With a stored consent applied by the loader, the tags it released go first: the wasm (which
// then replays Consent Mode's update and the events) starts once they have loaded, or after
// this long, so that a slow tag does not hold Google's tags past their wait for the update.
var RELEASE_WAIT_MS = 250;
function wasmMayLoad(handoff, release, asked) {
  if (release.done) {
    return Promise.race([release.done, new Promise(function (resolve) { setTimeout(resolve, RELEASE_WAIT_MS); })]);
  }
  if (!handoff || !handoff.shown) return Promise.resolve();
  var afterPaint = pageLoaded().then(function () {
    return new Promise(function (resolve) { requestAnimationFrame(function () { setTimeout(resolve, 0); }); });
  });
  var timeout = new Promise(function (resolve) { setTimeout(resolve, WASM_WAIT_MS); });
  return Promise.race([afterPaint, handoff.needed, asked, timeout]);
}
// A consent cookie as the widget writes it (percent-encoded JSON that starts `{"id":`) but not
// confirmed under a configuration (no `!digest` after it): most likely a repeat visit on which
// only the wasm can apply the stored choice, so its download starts at once, beside the
// configuration's.
var unconfirmedConsent = /(?:^|;\s*)[^=;]+=%7B%22id%22%3A[^;!]*(?:;|$)/.test(document.cookie);
function loadWasm() {
  // Both at once: the wasm's download does not wait for its bindings'.
  var wasm = fetchFile(files.wasm);
  wasm.catch(function () {}); // Reported by the bindings, unless their import failed first.
  return importBindings().then(function (bindings) {
    widget = bindings;
    return bindings.default({ module_or_path: wasm });
  });
}
// The wasm's bindings, the ES module beside this script; in releases checked against its
// integrity hash, which a module preload carries and the import then uses.
function importBindings() {
  var url = new URL(files.bindings.name, base).href;
  if (files.bindings.integrity) {
    var preload = document.createElement('link');
    preload.rel = 'modulepreload';
    preload.href = url;
    preload.integrity = files.bindings.integrity;
    preload.crossOrigin = 'anonymous';
    document.head.appendChild(preload);
  }
  return import(url);
}
var early = unconfirmedConsent ? loadWasm() : null;
// A placeholder's "Always allow" or "Cookie settings" before the widget has started: kept,
// and the wasm loaded at once.
var askPlaceholder;
var placeholderAsked = new Promise(function (resolve) { askPlaceholder = resolve; });
// The embeds' placeholders (js/embeds.js), once shown.
var placeholders = null;
function act(name) {
  var call = Array.prototype.slice.call(arguments);
  if (started) window.ConsentWidget[name].apply(null, call.slice(1));
  else {
    keep(call);
    askPlaceholder();
  }
}
// A failure is reported once the configuration is read, not as an unhandled rejection now.
if (early) early.catch(function () {});
// Before this script, a page may queue calls: (window.ConsentWidget = window.ConsentWidget || []).push(['showPreferences']).
var queued = Array.isArray(window.ConsentWidget) ? window.ConsentWidget.slice() : [];
var listeners = [];
function on(name, callback) {
  var listener = function (event) { callback(event.detail); };
  listeners.push([name, callback, listener]);
  window.addEventListener(eventName(name), listener);
}
function off(name, callback) {
  listeners = listeners.filter(function (entry) {
    if (entry[0] !== name || entry[1] !== callback) return true;
    window.removeEventListener(eventName(name), entry[2]);
    return false;
  });
}
// The first `init(config)` called before the widget started, when the page gives no other
// configuration: it is the configuration.
var initCalled;
var firstInit = new Promise(function (resolve) { initCalled = resolve; });
function keep(call) {
  queued.push(call);
  if (call[0] === 'init') initCalled(call);
}
queued.forEach(function (call) { if (call && call[0] === 'init') initCalled(call); });
// The API from this script's first moment: every action is kept and run, in order, once the
// widget has started (the wasm then replaces this object); questions answer "nothing granted"
// meanwhile, and events and subscriptions work at once.
var ACTIONS = ['init', 'destroy', 'show', 'hide', 'showPreferences', 'showPolicy', 'acceptAll', 'rejectAll',
  'acceptCategories', 'acceptService', 'setLanguage', 'reset'];
var waitingApi = {
  acceptedCategory: function () { return false; },
  acceptedService: function () { return false; },
  getConsent: function () { return null; },
  getSnapshot: function () { return null; },
  subscribe: subscribe,
  on: on,
  off: off,
  push: function (call) {
    if (Array.isArray(call)) keep(call);
    else console.error('consent-widget: a queued call is an array, [name, ...arguments]:', call);
  },
};
ACTIONS.forEach(function (name) {
  waitingApi[name] = function () { keep([name].concat(Array.prototype.slice.call(arguments))); };
});
window.ConsentWidget = waitingApi;
// Clicks on the page's data-consent-widget elements before the widget is ready are kept
// and replayed once it is, so an early "Cookie settings" click is not lost.
var earlyClicks = [];
function keepEarlyClick(event) {
  var marked = event.target && event.target.closest && event.target.closest('[data-consent-widget]');
  if (marked) {
    event.preventDefault();
    earlyClicks.push(marked);
  }
}
document.addEventListener('click', keepEarlyClick);
function eventName(name) { return 'consentwidget:' + name; }
// Marks on the page's performance timeline, for whoever measures where the time goes.
function mark(name) {
  if (window.performance && performance.mark) performance.mark('consent-widget:' + name);
}
configRead
  .then(function (source) {
    mark('configuration');
    return domReady().then(function () {
      var release = source === inlineNow ? releasedNow : releaseStored(source);
      if (source.config && !inlineParsed && (source.config.blocking === 'untagged' || source.config.blocking === 'report')) {
        console.error('consent-widget: blocking: `' + source.config.blocking + '` needs the configuration inline, in a '
          + '<script type="application/json" id="' + INLINE_CONFIG_ID + '"> before this script: it holds only what the page adds from now on');
        startBlocking(blockingRules(source.config, firstLayer.catalogue), source.config.blocking, consentAllows);
      }
      var handoff = source.config ? showFirstLayer(firstLayer, source.config) : null;
      if (source.config) {
        placeholders = showPlaceholders(firstLayer, source.config, handoff ? handoff.language : 'en', act);
      }
      var loaded = early || wasmMayLoad(handoff, release, placeholderAsked).then(loadWasm);
      return loaded.then(function () {
        mark('wasm');
        release.stop();
        start(source, handoff);
        mark('started');
      });
    });
  })
  .catch(function (error) {
    console.error('consent-widget: cannot start:', error);
  });
function start(source, handoff) {
  // Releasing a held element is stored-consent.js's alone: the wasm's pass hands each one to it.
  widget.setReleaser(releaseElement);
  widget.setPolicyLoader(fetchPolicy);
  widget.setCatalogueLoader(fetchCatalogue);
  var api = {
    version: widget.version(),
    init: widget.init,
    destroy: function () {
      if (placeholders) placeholders.stop();
      placeholders = null;
      widget.destroy();
    },
    show: widget.show,
    hide: widget.hide,
    showPreferences: widget.showPreferences,
    showPolicy: function (section) { widget.showPolicy(section); },
    acceptAll: widget.acceptAll,
    rejectAll: widget.rejectAll,
    acceptCategories: function (ids) { widget.acceptCategories(Array.prototype.slice.call(ids || [])); },
    acceptService: widget.acceptService,
    acceptedCategory: widget.acceptedCategory,
    acceptedService: widget.acceptedService,
    getConsent: widget.getConsent,
    getSnapshot: widget.getConsent,
    subscribe: subscribe,
    setLanguage: widget.setLanguage,
    reset: widget.reset,
    on: on,
    off: off,
    push: function (call) { run(call); },
  };
  function run(call) {
    var method = api[call && call[0]];
    if (typeof method === 'function') method.apply(api, call.slice(1));
    else console.error('consent-widget: unknown queued call', call);
  }
  window.ConsentWidget = api;
  widget.boot(source.text, source.problem, handoff ? handoff.takeOver(widget) : undefined);
  started = true;
  document.removeEventListener('click', keepEarlyClick);
  queued.forEach(run);
  earlyClicks.forEach(function (element) { element.click(); });
}
