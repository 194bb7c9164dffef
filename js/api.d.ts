// Consent Widget's JavaScript API, its events and its configuration: one declaration for the
// script tag (window.ConsentWidget) and the npm module. The build joins it with
// js/global.d.ts into consent-widget.d.ts, and with npm/module.d.ts into the package's index.d.ts.

export type Method = 'accept_all' | 'reject_all' | 'custom' | 'withdraw' | 'gpc';
export type Language = 'en' | 'fr' | 'de' | 'it' | 'es';
/** One string for every language, or one per language. */
export type Text = string | Partial<Record<Language, string>>;

export interface CookieInfo {
  /** An exact name, or a pattern with `*`. */
  name: string;
  provider: string;
  purpose: Text;
  /** "session", or a number and a unit: "30 days", "13 months", "1 year", "2 hours". */
  duration: string;
}

/** What makes a transfer outside Switzerland and the EEA lawful. */
export type Safeguard = 'adequacy' | 'dpf' | 'scc';

export interface Service {
  id: string;
  name: string;
  description?: Text;
  /** The legal entity that receives the data (your company for a self-hosted tool). */
  provider: string;
  /** Where the provider processes the data: ISO 3166-1 alpha-2, e.g. "CH", "US". */
  country: string;
  /**
   * Needed outside Switzerland and the EEA: `dpf` (US, certified under the Data Privacy Framework) or
   * `scc` (standard contractual clauses); `adequacy` is implied for a country both Switzerland and the EU recognise.
   */
  safeguard?: Safeguard;
  /**
   * Who answers for what the provider does with the data: `processor` (on your behalf), `controller`
   * (on its own) or `jointController` (with you for collecting and sending it, alone afterwards).
   */
  role?: 'processor' | 'controller' | 'jointController';
  /** The provider's privacy policy (https or relative), linked from the policy. */
  privacyPolicy?: string;
  /**
   * The consent signal its tag takes, sent on every decision and page view: `google-consent-mode`
   * (with `consentMode.enabled`), `microsoft-uet`, `microsoft-clarity`, `meta-pixel`, `tiktok`.
   */
  signal?: 'google-consent-mode' | 'microsoft-uet' | 'microsoft-clarity' | 'meta-pixel' | 'tiktok';
  /**
   * The hosts it loads from and sends to (`www.example.com`, `*.example.com`): with
   * `blocking: 'untagged'` the loader holds what the page loads from them until consent.
   */
  hosts?: string[];
  /** An embed loads from its provider's privacy-friendlier host (e.g. youtube-nocookie.com) once allowed. */
  noCookie?: boolean;
}

/**
 * A service from the catalogue (catalogue/services/<id>.json), e.g. `{ preset: 'youtube' }`: its
 * facts, cookies and storage keys; any service field given beside it replaces the entry's.
 */
export type ServicePreset = { preset: string } & Partial<Service>;

export interface Category {
  /** Lower-case letters, digits, `-` or `_`. `necessary`, `functional`, `analytics` and `marketing` have built-in texts. */
  id: string;
  required?: boolean;
  title?: Text;
  description?: Text;
  services?: (Service | ServicePreset)[];
  cookies?: CookieInfo[];
  /** localStorage / sessionStorage keys (or patterns) removed when the category is withdrawn. */
  storage?: string[];
  /** Kept off while the browser sends Global Privacy Control. */
  gpc?: boolean;
}

export interface CookieSettings {
  name?: string;
  domain?: string;
  /** 1 to 395 days; 182 by default. */
  lifetimeDays?: number;
}

export interface LanguageSettings {
  enabled?: Language[];
  default?: Language;
  force?: Language;
}

export interface Company {
  name: string;
  address?: string;
  email?: string;
  contactUrl?: string;
  dpo?: Dpo;
  euRepresentative?: EuRepresentative;
  /** The representative in Switzerland (nFADP art. 14) of a company established outside it. */
  swissRepresentative?: EuRepresentative;
  /** The law the company answers to first: "CH" by default, or "EU" and its national variants. */
  jurisdiction?: 'CH' | 'EU' | 'FR' | 'DE' | 'AT' | 'IT' | 'ES';
}

/** An activity the policy describes; the website itself always. */
export interface Activity {
  activity: 'website' | 'contact' | 'accounts' | 'orders' | 'newsletter' | 'jobs' | 'support' | 'hosting';
  /** How long its data is kept, where the policy should say it: "30 days", "6 months". */
  retention?: string;
}

/** A processor or other recipient beyond the website's services. */
export interface Recipient {
  /** The legal entity, e.g. "Stripe Payments Europe Ltd". */
  name: string;
  purpose: 'hosting' | 'email' | 'crm' | 'accounting' | 'payment' | 'support' | 'it' | 'advisers' | 'group' | 'other';
  /** ISO 3166-1 alpha-2, e.g. "IE". */
  country: string;
  safeguard?: 'adequacy' | 'dpf' | 'scc';
}

/** The data protection officer: a name and at least one way to reach them. */
export interface Dpo {
  name: string;
  email?: string;
  address?: string;
  contactUrl?: string;
}

/** The representative in the EU (GDPR art. 27) of a company established outside it. */
export interface EuRepresentative {
  name: string;
  address: string;
  email?: string;
}

export interface PolicySettings {
  /** When this version of the policy took effect: YYYY-MM-DD. */
  date: string;
  /** Your name for this version, e.g. "3". */
  version: string;
  /** Headings of the policy to leave out, by id, each with its section. */
  omit?: string[];
  /** Sections of your own, in your words. */
  extra?: PolicySection[];
}

/** A section of your own in the privacy policy. */
export interface PolicySection {
  /** Its anchor: lower-case letters, digits, `-` or `_`. */
  id: string;
  /** The built-in heading it comes before (at that heading's level); at the end without one. */
  before?: string;
  title: Text;
  /** Paragraphs; `[label](https://...)` links and `**stress**` allowed. */
  paragraphs: Text[];
}

export interface FloatingButton {
  /** true by default. */
  enabled?: boolean;
  /** "bottom-left" by default. */
  position?: 'bottom-left' | 'bottom-right';
}

/**
 * Where the banner shows and how the preferences open. The three buttons keep equal weight in
 * every layout, and no layout blocks the page.
 */
export interface Layout {
  /** "bar" (across the viewport) by default, "box" (in a corner) or "center" (a box in the middle). */
  banner?: 'bar' | 'box' | 'center';
  /** A bar's edge ("bottom" by default) or a box's corner ("bottom-right" by default); none for "center". */
  position?: 'bottom' | 'top' | 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
  /** "dialog" (centred) by default, or "panel" (along the right edge; the full width on small screens). */
  preferences?: 'dialog' | 'panel';
}

/** The colour theme the widget starts in: "auto" (the visitor's system setting) by default. */
export type Theme = 'light' | 'dark' | 'auto';

export interface Links {
  policy?: string;
  imprint?: string;
}

export interface RecordSettings {
  /** The record API's `consents` URL: https or relative. */
  endpoint: string;
  /** The server's --retention-days, stated in the policy; 1095 by default. */
  retentionDays?: number;
}

export interface ConsentModeSettings {
  enabled?: boolean;
  /** Category id to the Consent Mode types it grants. */
  mapping?: Record<string, string[]>;
}

export interface Config {
  /** Bump when purposes or vendors change: every visitor is asked again. */
  revision?: number;
  cookie?: CookieSettings;
  languages?: LanguageSettings;
  company: Company;
  links?: Links;
  categories: Category[];
  /** Per-language overrides of any string, keyed by its dotted path, e.g. `{ fr: { "banner.title": "..." } }`. */
  texts?: Partial<Record<Language, Record<string, string>>>;
  records?: RecordSettings;
  consentMode?: ConsentModeSettings;
  reloadOnWithdraw?: boolean;
  /** The privacy policy's date and version. */
  policy?: PolicySettings;
  /** What you do with personal data beyond the website: the policy describes exactly these. */
  processing?: Activity[];
  /** Processors and other recipients beyond the website's services, listed in the policy. */
  recipients?: Recipient[];
  /** The "Cookie settings" button shown once the banner is gone. */
  floatingButton?: FloatingButton;
  /** Where the banner shows and how the preferences open. */
  layout?: Layout;
  /** Sets the host's data-theme, which a site may switch later: "auto" follows the system. */
  theme?: Theme;
  /**
   * What the loader holds before consent: `tagged` (the default) only marked elements; `untagged`
   * also scripts, iframes, images and beacons from the services' hosts; `report` reports those, holds none.
   */
  blocking?: 'tagged' | 'untagged' | 'report';
}

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
  /** Categories granted against Global Privacy Control after the visitor saw the conflict. */
  gpcConfirmed?: string[];
}

export interface ConsentWidgetEvents {
  ready: { version: string };
  consent: Consent;
  /** `changed`: categories granted or withdrawn by this decision; `withdrawn`: those taken back. */
  change: { consent: Consent; changed: string[]; withdrawn: string[] };
  show: { dialog: boolean };
  hide: { dialog: boolean };
  /** reset(): the stored consent is forgotten, and what its categories stored deleted. */
  reset: Record<string, never>;
}

export type EventName = keyof ConsentWidgetEvents;

/** What both the script tag's window.ConsentWidget and the npm module offer. */
export interface ConsentWidgetApi {
  /** The widget's version. */
  readonly version: string;
  /** Starts (or restarts) the widget with a configuration object or JSON text. */
  init(config: Config | string): void | Promise<void>;
  /** Removes the widget from the page, and every listener it added; the stored consent stays. */
  destroy(): void;
  show(): void;
  hide(): void;
  showPreferences(): void;
  showPolicy(section?: string): void;
  acceptAll(): void;
  rejectAll(): void;
  acceptCategories(ids: string[]): void;
  /** Allows one service on its own, beside what is granted (an embed's "Always allow"). */
  acceptService(id: string): void;
  acceptedCategory(id: string): boolean;
  acceptedService(category: string, service: string): boolean;
  /** The stored consent, frozen: the same object until the consent changes. */
  getConsent(): Consent | null;
  /** getConsent(), named as React's useSyncExternalStore calls it. */
  getSnapshot(): Consent | null;
  /** Calls `listener` whenever the consent may have changed (ready, change, reset); returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  setLanguage(code: Language): void;
  /** Forgets the stored consent, deletes what its categories stored, fires `reset`, and shows the banner again. */
  reset(): void;
  on<E extends EventName>(event: E, callback: (detail: ConsentWidgetEvents[E]) => void): void;
  off<E extends EventName>(event: E, callback: (detail: ConsentWidgetEvents[E]) => void): void;
}
