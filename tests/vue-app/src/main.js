// consent-widget/vue in a Vue app (render functions: no template compiler, so no eval under the
// strict CSP): the plugin starts the widget, useConsent() re-renders on every change.
import { createApp, h } from 'vue';
import { reset } from 'consent-widget';
import { ConsentWidgetPlugin, useConsent } from 'consent-widget/vue';
import demo from '../../../www/consent-config.json';

const config = { ...demo, consentMode: undefined, records: undefined };

const Shop = {
  setup() {
    const consent = useConsent();
    return () => h('main', [
      h('h1', 'A shop built with Vue'),
      h('p', ['Consent: ', h('output', { id: 'consent-status' }, consent.value ? consent.value.categories.join(', ') : 'none yet')]),
      h('p', { id: 'analytics-status' }, consent.value && consent.value.categories.includes('analytics') ? 'analytics on' : 'analytics off'),
      h('button', { type: 'button', onClick: () => reset() }, 'Forget my choice'),
    ]);
  },
};

createApp(Shop).use(ConsentWidgetPlugin, { config }).mount('#app');
