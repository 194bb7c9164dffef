// The browser's side: hydrates the server's markup with the consent the server rendered it from.
import { createElement as h } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { App } from './App.js';

const initialConsent = JSON.parse(document.getElementById('initial-consent').textContent);
hydrateRoot(document.getElementById('root'), h(App, { initialConsent }));
