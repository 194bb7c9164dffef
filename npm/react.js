// React bindings: <ConsentWidgetProvider config={...}> starts the widget once, after the first
// render (so it never delays it) and once only under StrictMode's double effects; the hooks read
// the consent as React reads a store (useSyncExternalStore), and re-render on each decision,
// withdrawal and reset().
import { createElement, Fragment, useEffect, useSyncExternalStore } from 'react';
import { getSnapshot, init, subscribe } from './index.js';

const serverSnapshot = () => null;

/** Starts the widget with `config` (an object or JSON text); a new configuration restarts it. */
export function ConsentWidgetProvider({ config, children }) {
  const text = typeof config === 'string' ? config : JSON.stringify(config);
  useEffect(() => {
    // No cleanup: the widget belongs to the page, not to this component's mount.
    init(text);
  }, [text]);
  return createElement(Fragment, null, children);
}

/** The consent (frozen, the same object until it changes), or null before any choice. */
export function useConsent() {
  return useSyncExternalStore(subscribe, getSnapshot, serverSnapshot);
}

/** Whether category `id` is granted. */
export function useAcceptedCategory(id) {
  const consent = useConsent();
  return consent !== null && consent.categories.includes(id);
}

/** Whether service `service` of category `category` is allowed. */
export function useAcceptedService(category, service) {
  const consent = useConsent();
  const services = consent && consent.services[category];
  return Array.isArray(services) && services.includes(service);
}
