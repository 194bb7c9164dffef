
// The script tag: window.ConsentWidget, and the events on window.

export interface ConsentWidgetGlobal extends ConsentWidgetApi {
  init(config: Config | string): void;
  /** Runs a call; before the widget loads, window.ConsentWidget is an array collecting them. */
  push(call: [keyof ConsentWidgetGlobal, ...unknown[]]): void;
}

declare global {
  interface Window {
    ConsentWidget: ConsentWidgetGlobal | Array<[string, ...unknown[]]>;
  }
  interface WindowEventMap {
    'consentwidget:ready': CustomEvent<ConsentWidgetEvents['ready']>;
    'consentwidget:consent': CustomEvent<ConsentWidgetEvents['consent']>;
    'consentwidget:change': CustomEvent<ConsentWidgetEvents['change']>;
    'consentwidget:show': CustomEvent<ConsentWidgetEvents['show']>;
    'consentwidget:hide': CustomEvent<ConsentWidgetEvents['hide']>;
  }
}
