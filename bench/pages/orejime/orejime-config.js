// Orejime 3, set up as its README shows: window.orejimeConfig, which the bundle picks up
// when it starts (here from an external script rather than the README's inline one).
window.orejimeConfig = {
  privacyPolicyUrl: '/privacy.html',
  purposes: [
    {
      id: 'necessary',
      title: 'Strictly necessary',
      description: 'Needed for the site to work and to remember your privacy choices. They cannot be switched off.',
      isMandatory: true,
      cookies: [],
    },
    {
      id: 'analytics',
      title: 'Analytics',
      description: 'Help us understand how visitors use the site, by collecting anonymous statistics, so that we can improve it.',
      cookies: ['_bench_ga'],
    },
    {
      id: 'marketing',
      title: 'Marketing',
      description: 'Used by us and our advertising partners to show you offers that match your interests, on this site and elsewhere.',
      cookies: [],
    },
  ],
  translations: {
    banner: {
      title: 'Your privacy, your choice',
      description: 'We use cookies that are necessary for this site to work. With your consent we also use cookies to measure how the site is used and to improve our offers. You can accept or reject them, or choose by category, and change your mind at any time.',
      accept: 'Accept all',
      decline: 'Reject all',
      configure: 'Customize',
    },
  },
};
