// consent-widget/react in a React app under StrictMode (which runs effects twice in
// development): one widget, and the page re-renders on every change of the consent.
import { StrictMode, createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { reset } from 'consent-widget';
import { ConsentWidgetProvider, useAcceptedCategory, useConsent } from 'consent-widget/react';
import demo from '../../../www/consent-config.json';

const config = { ...demo, consentMode: undefined, records: undefined };

function Shop() {
  const consent = useConsent();
  const analytics = useAcceptedCategory('analytics');
  return h('main', null,
    h('h1', null, 'A shop built with React'),
    h('p', null, 'Consent: ', h('output', { id: 'consent-status' }, consent ? consent.categories.join(', ') : 'none yet')),
    h('p', { id: 'analytics-status' }, analytics ? 'analytics on' : 'analytics off'),
    h('button', { type: 'button', onClick: () => reset() }, 'Forget my choice'));
}

createRoot(document.getElementById('root')).render(
  h(StrictMode, null, h(ConsentWidgetProvider, { config }, h(Shop))),
);
