// React bindings: <ConsentWidgetProvider config={...}> starts the widget once, after the first
// render (so it never delays it) and once only under StrictMode's double effects; the hooks read
// the consent as React reads a store (useSyncExternalStore), and re-render on each decision,
// withdrawal and reset().
import { createContext, createElement, useContext, useEffect, useSyncExternalStore } from 'react';
import { getSnapshot, init, subscribe } from './index.js';

// The consent the server rendered with (readConsent): the hooks answer it on the server and while
// the page hydrates, then the widget's, once the effects have run: by then init() has released
// the same stored consent (getSnapshot answers it before the wasm), so the page does not change.
const Initial = createContext(null);

/**
 * Starts the widget with `config` (an object or JSON text); a new configuration restarts it.
 * `initialConsent`: what the server's readConsent() gave for this request.
 */
export function ConsentWidgetProvider({ config, initialConsent = null, children }) {
  const text = typeof config === 'string' ? config : JSON.stringify(config);
  useEffect(() => {
    // No cleanup: the widget belongs to the page, not to this component's mount.
    init(text);
  }, [text]);
  return createElement(Initial.Provider, { value: initialConsent }, children);
}

/** The consent (frozen, the same object until it changes), or null before any choice. */
export function useConsent() {
  const initial = useContext(Initial);
  return useSyncExternalStore(subscribe, getSnapshot, () => initial);
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
