// The server's side (built by `vite build --ssr`): the page for one request, from the consent
// its Cookie header carries, and that consent, for the client to hydrate with.
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { readConsent } from 'consent-widget';
import { App } from './App.js';
import { config } from './config.js';

export function render(headers) {
  const initialConsent = readConsent(headers.cookie, config, { gpc: headers['sec-gpc'] === '1' });
  return { html: renderToString(h(App, { initialConsent })), initialConsent };
}
