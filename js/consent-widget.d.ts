// Type declarations for Consent Widget's JavaScript API (window.ConsentWidget) and events.

export type Method = 'accept_all' | 'reject_all' | 'custom' | 'withdraw' | 'dismiss' | 'gpc';
export type Language = 'en' | 'fr' | 'de' | 'it' | 'es';

/** The stored consent, as getConsent() returns it and events carry it. Times are Unix seconds. */
export interface Consent {
  id: string;
  categories: string[];
  services: Record<string, string[]>;
  revision: number;
  language: Language;
  method: Method;
  firstConsent: number;
  lastConsent: number;
  expires: number;
}

export interface ConsentWidgetEvents {
  ready: { version: string };
  consent: Consent;
  /** `changed`: categories granted or withdrawn by this decision; `withdrawn`: those taken back. */
  change: { consent: Consent; changed: string[]; withdrawn: string[] };
  show: { dialog: boolean };
  hide: { dialog: boolean };
}

export type EventName = keyof ConsentWidgetEvents;

export interface ConsentWidgetApi {
  readonly version: string;
  /** Starts (or restarts) the widget with a configuration object or JSON text. */
  init(config: object | string): void;
  show(): void;
  hide(): void;
  showPreferences(): void;
  showPolicy(section?: string): void;
  acceptAll(): void;
  rejectAll(): void;
  acceptCategories(ids: string[]): void;
  acceptedCategory(id: string): boolean;
  acceptedService(category: string, service: string): boolean;
  getConsent(): Consent | null;
  setLanguage(code: Language): void;
  /** Forgets the stored consent and shows the banner again. */
  reset(): void;
  on<E extends EventName>(event: E, callback: (detail: ConsentWidgetEvents[E]) => void): void;
  off<E extends EventName>(event: E, callback: (detail: ConsentWidgetEvents[E]) => void): void;
  /** Runs a call; before the widget loads, window.ConsentWidget is an array collecting them. */
  push(call: [keyof ConsentWidgetApi, ...unknown[]]): void;
}

declare global {
  interface Window {
    ConsentWidget: ConsentWidgetApi | Array<[string, ...unknown[]]>;
  }
  interface WindowEventMap {
    'consentwidget:ready': CustomEvent<ConsentWidgetEvents['ready']>;
    'consentwidget:consent': CustomEvent<ConsentWidgetEvents['consent']>;
    'consentwidget:change': CustomEvent<ConsentWidgetEvents['change']>;
    'consentwidget:show': CustomEvent<ConsentWidgetEvents['show']>;
    'consentwidget:hide': CustomEvent<ConsentWidgetEvents['hide']>;
  }
}
