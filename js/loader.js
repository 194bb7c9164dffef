// Starts Consent Widget from a classic <script> tag (plain, async or defer): fetches the
// wasm file next to this script and the configuration (data-config or inline JSON) at
// once, and turns window.ConsentWidget into the API, running calls queued before it loaded.
var script = document.currentScript;
var base = script && script.src ? script.src : document.baseURI;
var configUrl = script && script.getAttribute('data-config');
var widget = wasm_bindgen;
// Written by the build: the names of the files beside this script and, in releases,
// their Subresource Integrity hashes, so the wasm and the policy texts are checked too.
var files = __FILES__;
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
// The configuration is fetched while the wasm loads, not after it.
var configResponse = configUrl ? fetch(new URL(configUrl, document.baseURI).href) : undefined;
// A failure is reported by the widget once it runs, not as an unhandled rejection now.
if (configResponse) configResponse.catch(function () {});
// Before the widget loads, a page may queue calls: (window.ConsentWidget = window.ConsentWidget || []).push(['showPreferences']).
var queued = Array.isArray(window.ConsentWidget) ? window.ConsentWidget : [];
var listeners = [];
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
widget({ module_or_path: fetchFile(files.wasm) })
  .then(function () {
    widget.setPolicyLoader(fetchPolicy);
    var api = {
      version: widget.version(),
      init: widget.init,
      show: widget.show,
      hide: widget.hide,
      showPreferences: widget.showPreferences,
      showPolicy: function (section) { widget.showPolicy(section); },
      acceptAll: widget.acceptAll,
      rejectAll: widget.rejectAll,
      acceptCategories: function (ids) { widget.acceptCategories(Array.prototype.slice.call(ids || [])); },
      acceptedCategory: widget.acceptedCategory,
      acceptedService: widget.acceptedService,
      getConsent: widget.getConsent,
      setLanguage: widget.setLanguage,
      reset: widget.reset,
      on: function (name, callback) {
        var listener = function (event) { callback(event.detail); };
        listeners.push([name, callback, listener]);
        window.addEventListener(eventName(name), listener);
      },
      off: function (name, callback) {
        listeners = listeners.filter(function (entry) {
          if (entry[0] !== name || entry[1] !== callback) return true;
          window.removeEventListener(eventName(name), entry[2]);
          return false;
        });
      },
      push: function (call) { run(call); },
    };
    function run(call) {
      var method = api[call && call[0]];
      if (typeof method === 'function') method.apply(api, call.slice(1));
      else console.error('consent-widget: unknown queued call', call);
    }
    window.ConsentWidget = api;
    return widget.boot(configUrl ? new URL(configUrl, document.baseURI).href : undefined, configResponse).then(function () {
      document.removeEventListener('click', keepEarlyClick);
      queued.forEach(run);
      earlyClicks.forEach(function (element) { element.click(); });
    });
  })
  .catch(function (error) {
    console.error('consent-widget: cannot start:', error);
  });
