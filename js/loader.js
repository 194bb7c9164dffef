// Starts Consent Widget from a classic <script> tag (plain, async or defer): finds the
// wasm file next to this script, then the configuration (data-config or inline JSON).
var script = document.currentScript;
var base = script && script.src ? script.src : document.baseURI;
var configUrl = script && script.getAttribute('data-config');
var widget = wasm_bindgen;
widget({ module_or_path: new URL('consent-widget.wasm', base) })
  .then(function () {
    window.ConsentWidget = {
      version: widget.version(),
      init: widget.init,
      showPreferences: widget.showPreferences,
      showPolicy: widget.showPolicy,
    };
    return widget.boot(configUrl ? new URL(configUrl, document.baseURI).href : undefined);
  })
  .catch(function (error) {
    console.error('consent-widget: cannot start:', error);
  });
