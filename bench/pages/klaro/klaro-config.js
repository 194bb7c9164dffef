// Klaro 0.7, set up as its README and annotated dist/config.js show: a global klaroConfig
// defined by a script loaded before klaro.js. Klaro's unit of consent is a service, so each
// category is a purpose holding one service.
var klaroConfig = {
  version: 1,
  acceptAll: true,
  showNoticeTitle: true,
  htmlTexts: false,
  groupByPurpose: true,
  default: false,
  mustConsent: false,
  translations: {
    zz: { privacyPolicyUrl: '/privacy.html' },
    en: {
      consentNotice: {
        title: 'Your privacy, your choice',
        description: 'We use cookies that are necessary for this site to work. With your consent we also use cookies to measure how the site is used and to improve our offers. You can accept or reject them, or choose by category, and change your mind at any time.',
        learnMore: 'Customize',
      },
      ok: 'Accept all',
      acceptAll: 'Accept all',
      decline: 'Reject all',
      purposes: {
        necessary: {
          title: 'Strictly necessary',
          description: 'Needed for the site to work and to remember your privacy choices. They cannot be switched off.',
        },
        analytics: {
          title: 'Analytics',
          description: 'Help us understand how visitors use the site, by collecting anonymous statistics, so that we can improve it.',
        },
        marketing: {
          title: 'Marketing',
          description: 'Used by us and our advertising partners to show you offers that match your interests, on this site and elsewhere.',
        },
      },
    },
  },
  services: [
    { name: 'session', title: 'Session', purposes: ['necessary'], required: true },
    { name: 'tracker', title: 'Tracker', purposes: ['analytics'], cookies: ['_bench_ga'] },
    { name: 'ads', title: 'Ads', purposes: ['marketing'] },
  ],
};
