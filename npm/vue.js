// Vue bindings: app.use(ConsentWidgetPlugin, { config }) starts the widget once the app is
// mounted; useConsent() is a read-only ref that follows each decision, withdrawal and reset().
import { onScopeDispose, readonly, shallowRef } from 'vue';
import { getSnapshot, init, subscribe } from './index.js';

export const ConsentWidgetPlugin = {
  install(app, { config }) {
    const mount = app.mount;
    // After the app's first render, so the widget never delays it.
    app.mount = (...args) => {
      const instance = mount.apply(app, args);
      init(config);
      return instance;
    };
  },
};

/** The consent (frozen, the same object until it changes), or null before any choice, as a read-only ref. */
export function useConsent() {
  const consent = shallowRef(getSnapshot());
  const stop = subscribe(() => { consent.value = getSnapshot(); });
  onScopeDispose(stop);
  return readonly(consent);
}
