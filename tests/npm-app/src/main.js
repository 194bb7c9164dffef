// The widget as an npm dependency: imported, configured with an object, driven by its API.
import { init, on, getConsent, getSnapshot, subscribe, version } from 'consent-widget';
import config from '../../../www/consent-config.json';

const status = document.getElementById('consent-status');
// Subscribed before init(): a framework's store does this as the app first renders.
window.heard = 0;
subscribe(() => { window.heard += 1; });
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
window.npmApp = { getConsent, getSnapshot, version };
