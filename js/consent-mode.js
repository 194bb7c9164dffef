// Google Consent Mode v2 defaults for Consent Widget. Load it before any Google tag:
//   <script src="/consent-widget/consent-mode.js" data-wait-for-update="500"></script>
// Everything is denied but security storage until the widget replays the stored choice or
// the visitor decides. A file rather than an inline snippet, so a strict CSP needs no exception.
(function () {
  var script = document.currentScript;
  var wait = Number(script && script.getAttribute('data-wait-for-update')) || 500;
  window.dataLayer = window.dataLayer || [];
  if (typeof window.gtag !== 'function') {
    window.gtag = function () { window.dataLayer.push(arguments); };
  }
  window.gtag('consent', 'default', {
    ad_storage: 'denied',
    ad_user_data: 'denied',
    ad_personalization: 'denied',
    analytics_storage: 'denied',
    functionality_storage: 'denied',
    personalization_storage: 'denied',
    security_storage: 'granted',
    wait_for_update: wait,
  });
})();
