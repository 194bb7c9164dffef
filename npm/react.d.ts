import type { ReactNode } from 'react';
import type { Config, Consent } from './index.js';

/** Starts the widget with `config` after the first render, once (StrictMode included); a new configuration restarts it. */
export declare function ConsentWidgetProvider(props: { config: Config | string; children?: ReactNode }): ReactNode;
/** The consent (frozen, the same object until it changes), or null before any choice. */
export declare function useConsent(): Consent | null;
export declare function useAcceptedCategory(id: string): boolean;
export declare function useAcceptedService(category: string, service: string): boolean;
