// `subscribe(listener) → unsubscribe`: calls `listener` whenever the consent may have changed (the
// widget started, a decision, a reset), for a framework's store such as React's
// useSyncExternalStore; `getConsent()` returns the same object until the consent changes. Works
// from the first moment, before the wasm has loaded.
export const CONSENT_EVENTS = ['ready', 'change', 'reset'];

export function subscribe(listener) {
  // On a server (server-side rendering) nothing changes: nothing to listen to.
  if (typeof window === 'undefined') return () => {};
  const handler = () => listener();
  for (const name of CONSENT_EVENTS) window.addEventListener(`consentwidget:${name}`, handler);
  return () => {
    for (const name of CONSENT_EVENTS) window.removeEventListener(`consentwidget:${name}`, handler);
  };
}
