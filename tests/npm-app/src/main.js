// The widget as an npm dependency: imported, configured with an object, driven by its API.
import { init, on, getConsent, version } from 'consent-widget';
import config from '../../../www/consent-config.json';

const status = document.getElementById('consent-status');
on('change', ({ consent }) => {
  status.textContent = consent.categories.join(', ');
});

await init({ ...config, consentMode: undefined });
window.npmApp = { getConsent, version };
