// The page's client component (it would start with 'use client' in Next.js's App Router; Vite's
// bundle has no use for the directive): the server renders it from the consent the request's
// cookie carries, and the client hydrates it to the same.
import { createElement as h } from 'react';
import { reset } from 'consent-widget';
import { useAcceptedCategory, useConsent } from 'consent-widget/react';

export function Shop() {
  const consent = useConsent();
  const analytics = useAcceptedCategory('analytics');
  return h('main', null,
    h('h1', null, 'A shop rendered on the server'),
    h('p', null, 'Consent: ', h('output', { id: 'consent-status' }, consent ? consent.categories.join(', ') : 'none yet')),
    h('p', { id: 'analytics-status' }, analytics ? 'analytics on' : 'analytics off'),
    h('button', { type: 'button', onClick: () => reset() }, 'Forget my choice'));
}
