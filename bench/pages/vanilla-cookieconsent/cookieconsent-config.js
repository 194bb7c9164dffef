// vanilla-cookieconsent 3, set up as its "Getting started" page shows: a module script that
// imports the UMD build and calls CookieConsent.run() with the configuration.
import '/vendor/vanilla-cookieconsent/cookieconsent.umd.js';

CookieConsent.run({
  // By default it stays hidden when navigator.webdriver is set, as it is in any automated browser.
  hideFromBots: false,
  categories: {
    necessary: { enabled: true, readOnly: true },
    analytics: { autoClear: { cookies: [{ name: '_bench_ga' }] } },
    marketing: {},
  },
  language: {
    default: 'en',
    translations: {
      en: {
        consentModal: {
          title: 'Your privacy, your choice',
          description: 'We use cookies that are necessary for this site to work. With your consent we also use cookies to measure how the site is used and to improve our offers. You can accept or reject them, or choose by category, and change your mind at any time.',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          showPreferencesBtn: 'Customize',
        },
        preferencesModal: {
          title: 'Cookie preferences',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          savePreferencesBtn: 'Save choices',
          closeIconLabel: 'Close',
          sections: [
            {
              title: 'Strictly necessary',
              description: 'Needed for the site to work and to remember your privacy choices. They cannot be switched off.',
              linkedCategory: 'necessary',
            },
            {
              title: 'Analytics',
              description: 'Help us understand how visitors use the site, by collecting anonymous statistics, so that we can improve it.',
              linkedCategory: 'analytics',
            },
            {
              title: 'Marketing',
              description: 'Used by us and our advertising partners to show you offers that match your interests, on this site and elsewhere.',
              linkedCategory: 'marketing',
            },
          ],
        },
      },
    },
  },
});
