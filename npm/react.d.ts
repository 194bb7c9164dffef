import type { ReactNode } from 'react';
import type { Config, Consent } from './index.js';

/**
 * Starts the widget with `config` after the first render, once (StrictMode included); a new configuration restarts it.
 * `initialConsent`: on a page rendered on a server, what its `readConsent()` gave for the request, which the hooks
 * answer on the server and while the page hydrates (the same `config` on both sides).
 */
export declare function ConsentWidgetProvider(props: { config: Config | string; initialConsent?: Consent | null; children?: ReactNode }): ReactNode;
/** The consent (frozen, the same object until it changes), or null before any choice. */
export declare function useConsent(): Consent | null;
export declare function useAcceptedCategory(id: string): boolean;
export declare function useAcceptedService(category: string, service: string): boolean;
