// Starts Consent Widget from a classic <script> tag (plain, async or defer): finds the
// wasm file next to this script, then the configuration (data-config or inline JSON),
// and turns window.ConsentWidget into the API, running calls queued before it loaded.
var script = document.currentScript;
var base = script && script.src ? script.src : document.baseURI;
var configUrl = script && script.getAttribute('data-config');
var widget = wasm_bindgen;
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
// The build writes the wasm file's name here (versioned in release builds).
widget({ module_or_path: new URL('__WASM_FILE__', base) })
  .then(function () {
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
    return widget.boot(configUrl ? new URL(configUrl, document.baseURI).href : undefined).then(function () {
      document.removeEventListener('click', keepEarlyClick);
      queued.forEach(run);
      earlyClicks.forEach(function (element) { element.click(); });
    });
  })
  .catch(function (error) {
    console.error('consent-widget: cannot start:', error);
  });
