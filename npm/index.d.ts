// Consent Widget: ES module API and configuration types.

export type Method = 'accept_all' | 'reject_all' | 'custom' | 'withdraw' | 'dismiss' | 'gpc';
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

export interface Service {
  id: string;
  name: string;
  description?: Text;
}

export interface Category {
  /** Lower-case letters, digits, `-` or `_`. `necessary`, `functional`, `analytics` and `marketing` have built-in texts. */
  id: string;
  required?: boolean;
  title?: Text;
  description?: Text;
  services?: Service[];
  cookies?: CookieInfo[];
  /** localStorage / sessionStorage keys (or patterns) removed when the category is withdrawn. */
  storage?: string[];
  /** Kept off while the browser sends Global Privacy Control. */
  gpc?: boolean;
}

export interface Config {
  /** Bump when purposes or vendors change: every visitor is asked again. */
  revision?: number;
  cookie?: { name?: string; domain?: string; lifetimeDays?: number };
  languages?: { enabled?: Language[]; default?: Language; force?: Language };
  company: { name: string; address?: string; email?: string; contactUrl?: string; dpo?: string; delegate?: string };
  links?: { policy?: string; imprint?: string };
  categories: Category[];
  /** Per-language overrides of any string, keyed by its dotted path, e.g. `{ fr: { "banner.title": "..." } }`. */
  texts?: Partial<Record<Language, Record<string, string>>>;
  records?: { endpoint: string };
  consentMode?: { enabled?: boolean; mapping?: Record<string, string[]> };
  reloadOnWithdraw?: boolean;
}

/** The stored consent. Times are Unix seconds. */
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
  change: { consent: Consent; changed: string[]; withdrawn: string[] };
  show: { dialog: boolean };
  hide: { dialog: boolean };
}

/** Loads the widget (once) and starts it; calling it again restarts it with the new configuration. */
export function init(config: Config | string): Promise<void>;
export function show(): void;
export function hide(): void;
export function showPreferences(): void;
export function showPolicy(section?: string): void;
export function acceptAll(): void;
export function rejectAll(): void;
export function acceptCategories(ids: string[]): void;
export function setLanguage(code: Language): void;
/** Forgets the stored consent and shows the banner again. */
export function reset(): void;
/** Removes the widget from the page; the stored consent stays. */
export function destroy(): void;
export function acceptedCategory(id: string): boolean;
export function acceptedService(category: string, service: string): boolean;
export function getConsent(): Consent | null;
export function on<E extends keyof ConsentWidgetEvents>(event: E, callback: (detail: ConsentWidgetEvents[E]) => void): void;
export function off<E extends keyof ConsentWidgetEvents>(event: E, callback: (detail: ConsentWidgetEvents[E]) => void): void;
export function version(): string | undefined;
