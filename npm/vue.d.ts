import type { Plugin, DeepReadonly, ShallowRef } from 'vue';
import type { Config, Consent } from './index.js';

/** app.use(ConsentWidgetPlugin, { config }): starts the widget once the app is mounted. */
export declare const ConsentWidgetPlugin: Plugin<[{ config: Config | string }]>;
/** The consent, or null before any choice, as a read-only ref that follows each change. */
export declare function useConsent(): DeepReadonly<ShallowRef<Consent | null>>;
