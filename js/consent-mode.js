// Google Consent Mode v2 defaults for Consent Widget. Load it before any Google tag, and mark
// the Google tag itself (type="text/plain" data-category=...): basic Consent Mode.
//   <script src="/consent-widget/consent-mode.js" data-wait-for-update="500"
//           data-region-defaults='{"CH": {"wait_for_update": 800}}'></script>
// Everything is denied but security storage until the widget replays the stored choice or
// the visitor decides. Regions (ISO 3166-1 or -2 codes) may start from other defaults; a
// region's default overrides the global one there (one that grants lets Google's tags store
// before any choice there). A file rather than an inline snippet, so a strict
// Content-Security-Policy needs no exception. data-signals="microsoft-uet microsoft-clarity" sets
// those vendors' defaults too.
(function () {
  var script = document.currentScript;
  var wait = Number(script && script.getAttribute('data-wait-for-update')) || 500;
  var types = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage',
    'functionality_storage', 'personalization_storage'];
  window.dataLayer = window.dataLayer || [];
  if (typeof window.gtag !== 'function') {
    window.gtag = function () { window.dataLayer.push(arguments); };
  }
  function defaults(overrides) {
    var values = {};
    types.forEach(function (type) {
      values[type] = overrides && overrides[type] === 'granted' ? 'granted' : 'denied';
    });
    values.security_storage = 'granted';
    values.wait_for_update = wait;
    return values;
  }
  var regional = {};
  try {
    regional = JSON.parse((script && script.getAttribute('data-region-defaults')) || '{}') || {};
  } catch (error) {
    console.error('consent-widget: data-region-defaults is not valid JSON; using the global default only');
  }
  Object.keys(regional).forEach(function (region) {
    if (!/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(region)) {
      console.error('consent-widget: `' + region + '` in data-region-defaults is not an ISO 3166 code (e.g. CH, US-CA)');
      return;
    }
    var values = defaults(regional[region]);
    values.region = [region];
    window.gtag('consent', 'default', values);
  });
  window.gtag('consent', 'default', defaults(null));
  // Other vendors' defaults, for the services that take them (data-signals="microsoft-uet ..."):
  // each queue the vendor's own snippet keeps, so the default is the first thing its tag reads.
  var vendors = {
    'microsoft-uet': function () {
      window.uetq = window.uetq || [];
      window.uetq.push('consent', 'default', { ad_storage: 'denied' });
    },
    'microsoft-clarity': function () {
      window.clarity = window.clarity || function () { (window.clarity.q = window.clarity.q || []).push(arguments); };
      window.clarity('consentv2', { ad_Storage: 'denied', analytics_Storage: 'denied' });
    },
  };
  ((script && script.getAttribute('data-signals')) || '').split(/\s+/).filter(Boolean).forEach(function (name) {
    if (Object.prototype.hasOwnProperty.call(vendors, name)) vendors[name]();
    else console.error('consent-widget: `' + name + '` in data-signals takes no default: use microsoft-uet or microsoft-clarity');
  });
})();
