// The widget as an npm dependency: imported, configured with an object, driven by its API.
import { init, on, getConsent, version } from 'consent-widget';
import config from '../../../www/consent-config.json';

const status = document.getElementById('consent-status');
on('change', ({ consent }) => {
  status.textContent = consent.categories.join(', ');
});

// Services named from the catalogue: their entries are modules of the package, which the
// bundler makes chunks of (the smallest entry, Google Fonts, too).
const presets = { marketing: 'youtube', functional: 'google-fonts' };
const categories = config.categories.map((category) => (presets[category.id]
  ? { ...category, services: [...category.services, { preset: presets[category.id] }] }
  : category));
await init({ ...config, categories, consentMode: undefined });
window.npmApp = { getConsent, version };
