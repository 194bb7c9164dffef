// The tree, the same on the server and in the browser (StrictMode checks the client's effects
// in the development build).
import { StrictMode, createElement as h } from 'react';
import { ConsentWidgetProvider } from 'consent-widget/react';
import { config } from './config.js';
import { Shop } from './Shop.js';

export function App({ initialConsent }) {
  return h(StrictMode, null, h(ConsentWidgetProvider, { config, initialConsent }, h(Shop)));
}
