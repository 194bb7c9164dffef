
// The npm module: every function of the API, exported one by one.

/** Loads the widget (once) and starts it; calling it again restarts it with the new configuration. */
export function init(config: Config | string): Promise<void>;
export declare const version: ConsentWidgetApi['version'];
export declare const destroy: ConsentWidgetApi['destroy'];
export declare const show: ConsentWidgetApi['show'];
export declare const hide: ConsentWidgetApi['hide'];
export declare const showPreferences: ConsentWidgetApi['showPreferences'];
export declare const showPolicy: ConsentWidgetApi['showPolicy'];
export declare const acceptAll: ConsentWidgetApi['acceptAll'];
export declare const rejectAll: ConsentWidgetApi['rejectAll'];
export declare const acceptCategories: ConsentWidgetApi['acceptCategories'];
export declare const acceptService: ConsentWidgetApi['acceptService'];
export declare const setLanguage: ConsentWidgetApi['setLanguage'];
export declare const reset: ConsentWidgetApi['reset'];
/** Before init() has finished: from the stored consent init() released (see getConsent), else false. */
export declare const acceptedCategory: ConsentWidgetApi['acceptedCategory'];
/** Before init() has finished: from the stored consent init() released (see getConsent), else false. */
export declare const acceptedService: ConsentWidgetApi['acceptedService'];
/**
 * Before init() has finished: the stored consent init() released at once (the widget confirmed it under this very
 * configuration), the same object once the widget has started, unless it finds otherwise; else null.
 */
export declare const getConsent: ConsentWidgetApi['getConsent'];
/** The same as getConsent. */
export declare const getSnapshot: ConsentWidgetApi['getSnapshot'];
/** Works before init() too; also calls `listener` when init() releases a stored consent. */
export declare const subscribe: ConsentWidgetApi['subscribe'];
export declare const on: ConsentWidgetApi['on'];
export declare const off: ConsentWidgetApi['off'];

/**
 * On a server: the consent a request's `Cookie` header carries, if the widget confirmed it under
 * `config` and it is in force (`gpc`: the request sent `Sec-GPC: 1`); null otherwise.
 */
export function readConsent(cookieHeader: string | undefined, config: Config | string, options?: { gpc?: boolean; now?: number }): Consent | null;
