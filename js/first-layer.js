// The banner before the wasm has arrived. Its markup is the widget's own, rendered ahead of time
// by the same Yew components (src/prerender.rs) with each text left as a slot; this module fills
// the slots with the site's texts in the visitor's language, shows the banner at once, keeps what
// the visitor does meanwhile, and hands all of it to the wasm, whose first render (the same
// markup) takes the banner's place in one frame.
//
// Shared by the script-tag loader (js/loader.js) and the npm module (npm/index.js).
import { hasCurrentConsent } from './stored-consent.js';

const SLOT = /\uE000([^\uE001]*)\uE001/g;
const LANGUAGE_SLOT = '@lang';
const HOST_TAG = 'consent-widget';

// What each banner button does, by the key of the text it shows.
const DECISIONS = { 'banner.acceptAll': 'acceptAll', 'banner.rejectAll': 'rejectAll' };
const OPENERS = {
  'banner.customize': { open: 'preferences' },
  'banner.policyLink': { open: 'policy' },
  'banner.partnersLink': { open: 'policy', section: 'recipients' },
};
const PURPOSE_SLOT = '@purpose';

/**
 * The language the widget speaks: as core::language::detect decides it. `supported`: the
 * languages the widget has, as the prerenderer lists them.
 */
export function detectLanguage(languages, supported, pageLanguage, browserLanguages) {
  const settings = languages || {};
  const enabled = settings.enabled || supported;
  const pick = (tag) => {
    if (typeof tag !== 'string') return undefined;
    const code = tag.trim().split(/[-_]/)[0].toLowerCase();
    return enabled.includes(code) ? code : undefined;
  };
  return pick(settings.force) || pick(pageLanguage) || browserLanguages.map(pick).find(Boolean)
    || pick(settings.default || 'en') || 'en';
}

/** `{name}` placeholders filled as core::markup::fill_placeholders fills them. */
export function fillPlaceholders(text, values) {
  return text.replace(/\{([A-Za-z0-9]+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}

/** A site's text given once or per language, as core::config::Text::get picks it. */
export function siteText(text, language, fallback) {
  if (typeof text === 'string') return text;
  const texts = text || {};
  const code = [language, fallback, 'en'].find((c) => typeof texts[c] === 'string') || Object.keys(texts).sort()[0];
  return code === undefined ? '' : texts[code];
}

/** The visitor's case of the banner: language, texts, languages offered, purposes, GPC. */
function bannerCase(prerendered, config, language, gpc) {
  const builtin = prerendered.texts[language];
  const overrides = (config.texts && config.texts[language]) || {};
  const values = { company: config.company && config.company.name };
  const has = (table, key) => Object.prototype.hasOwnProperty.call(table, key);
  const text = (key) => {
    if (key === LANGUAGE_SLOT) return language;
    const own = has(overrides, key) ? overrides[key] : undefined;
    return fillPlaceholders(typeof own === 'string' ? own : builtin[key], values);
  };
  const enabled = (config.languages && config.languages.enabled) || prerendered.languages;
  const fallback = (config.languages && config.languages.default) || 'en';
  // As Locale::category_purpose: the locale's words for a well-known category, else its title.
  const purposes = (config.categories || []).filter((category) => !category.required).map((category) => {
    const key = `categories.${category.id}.purpose`;
    return has(builtin, key) ? text(key) : siteText(category.title, language, fallback);
  });
  // The site's own policy page, as the wasm checks it (a refused one fails the whole
  // configuration there, and its safe banner follows): meanwhile, the dialog's link.
  const policyHref = config.links && isAllowedHref(config.links.policy) ? config.links.policy : null;
  return { language, gpc, enabled, purposes, text, policyHref };
}

/** core::markup::is_allowed_href: https://, or a relative link with no scheme nor `//host`. */
export function isAllowedHref(href) {
  if (typeof href !== 'string') return false;
  const trimmed = href.trim();
  if (trimmed === '' || /[\u0000-\u001f\u007f-\u009f\s\\]/.test(trimmed)) return false;
  if (trimmed.startsWith('https://')) {
    const rest = trimmed.slice('https://'.length);
    return rest !== '' && !rest.startsWith('/');
  }
  return !trimmed.startsWith('//') && !trimmed.split(/[/?#]/)[0].includes(':');
}

/**
 * Builds the template's nodes for `visitor`, trimming what the components would not render for
 * this case, as the prerenderer marks it (`@if`: the GPC notice without the signal, the language
 * switcher with one language, the purposes without optional categories), and the languages not
 * enabled (the others in the configuration's order); `@each` marks the list whose one item is
 * repeated for each purpose. `found` collects the controls by what they do.
 */
function build(nodes, visitor, found) {
  const fill = (value) => value.replace(SLOT, (_, key) => visitor.text(key));
  const out = [];
  for (const node of nodes) {
    if (typeof node === 'string') {
      out.push(document.createTextNode(fill(node)));
      continue;
    }
    const [tag, attributes, ...children] = node;
    const label = children.length === 1 && typeof children[0] === 'string' ? children[0].replace(SLOT, '$1') : '';
    if (tag === 'button' && label === 'banner.policyLink' && visitor.policyHref) {
      // As ui::banner::policy_link: the site's own page, a plain link.
      const link = document.createElement('a');
      link.setAttribute('class', attributes.class);
      link.setAttribute('href', visitor.policyHref);
      link.append(document.createTextNode(fill(children[0])));
      out.push(link);
      continue;
    }
    const cases = attributes['@if'] ? attributes['@if'].split(' ') : [];
    if (cases.includes('gpc') && !visitor.gpc) continue;
    if (cases.includes('languages') && visitor.enabled.length < 2) continue;
    if (cases.includes('purposes') && visitor.purposes.length === 0) continue;
    const purposeList = attributes['@each'] === 'purpose';
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) if (name[0] !== '@') element.setAttribute(name, fill(value));
    let kids = children;
    if (tag === 'select') {
      const byCode = new Map(children.map((option) => [option[1].value, option]));
      kids = visitor.enabled.map((code) => byCode.get(code)).filter(Boolean);
    }
    if (purposeList) {
      // Its one item, once for each of the site's optional categories.
      const [item] = children;
      for (const purpose of visitor.purposes) {
        element.append(...build([item], { ...visitor, text: (key) => (key === PURPOSE_SLOT ? purpose : visitor.text(key)) }, found));
      }
      out.push(element);
      continue;
    }
    if (tag === 'option' && attributes.value === visitor.language) element.setAttribute('selected', 'selected');
    element.append(...build(kids, visitor, found));
    if (tag === 'button' && (DECISIONS[label] || OPENERS[label])) found.buttons.set(element, label);
    if (tag === 'select') found.select = element;
    out.push(element);
  }
  return out;
}

/**
 * The host's layout and theme attributes, as core::config::host_attributes sets them from a valid
 * configuration (the wasm reports an invalid one and resets them): CSS lays the same markup out.
 */
export function hostAttributes(config) {
  const layout = config.layout || {};
  const banner = layout.banner || 'bar';
  const position = layout.position || { bar: 'bottom', box: 'bottom-right' }[banner];
  const theme = config.theme === 'auto' ? undefined : config.theme;
  return { 'data-layout': banner, 'data-position': position, 'data-preferences': layout.preferences || 'dialog', 'data-theme': theme };
}

/** The widget's host element: an open shadow root with the stylesheet, and the element Yew renders into. */
export function createHost(styles, attributes = {}) {
  const host = document.createElement(HOST_TAG);
  for (const [name, value] of Object.entries(attributes)) if (typeof value === 'string') host.setAttribute(name, value);
  const shadow = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(styles);
  shadow.adoptedStyleSheets = [sheet];
  const container = document.createElement('div');
  shadow.append(container);
  document.body.append(host);
  return { host, shadow, container };
}

/** `consentwidget:<name>` on window, as the wasm dispatches it. */
function emit(name, detail) {
  window.dispatchEvent(new CustomEvent(`consentwidget:${name}`, { detail }));
}

/** Where focus goes when the banner closes: the page's `<main>`, else its body (as the wasm does). */
function focusPageStart() {
  const target = document.querySelector('main') || document.body;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
}

/**
 * Shows the banner for `config` (the parsed configuration) unless a current consent is stored.
 * Returns the hand-over for the wasm: `{ container, language, shown, decision, open, needed, takeOver() }`;
 * `needed` resolves once the visitor clicks a button only the wasm can finish, and
 * `takeOver(bindings)` says what the visitor did before the wasm ran and sends what they do on
 * this banner from then on to the wasm's `bindings`.
 */
export function showFirstLayer(prerendered, config) {
  const language = detectLanguage(config.languages, prerendered.languages, document.documentElement.getAttribute('lang'),
    Array.from(navigator.languages || []));
  let wanted;
  const needed = new Promise((resolve) => { wanted = resolve; });
  // `needed` resolves when the visitor does something only the wasm can finish.
  const handoff = { container: null, language, shown: false, decision: null, open: null, section: null, asked: null, needed };
  if (hasCurrentConsent(config, document.cookie, Date.now() / 1000)) {
    handoff.takeOver = () => handoff;
    return handoff;
  }
  const gpc = navigator.globalPrivacyControl === true;
  const { shadow, container } = createHost(prerendered.styles, hostAttributes(config));
  handoff.container = container;
  handoff.shown = true;
  let found;
  const render = () => {
    found = { buttons: new Map(), select: null };
    container.replaceChildren(...build(prerendered.template, bannerCase(prerendered, config, handoff.language, gpc), found));
  };
  render();
  emit('show', { dialog: false });

  // Once the wasm has the hand-over, its app renders in a later task: a click on this banner
  // meanwhile goes to it, which keeps it until the app runs. (The app's own buttons, which take
  // this banner's place, are not among `found.buttons`.)
  let wasm = null;
  const onClick = (event) => {
    const button = event.target.closest && event.target.closest('button');
    const key = button && found.buttons.get(button);
    if (!key) return;
    if (wasm) {
      if (DECISIONS[key]) wasm[DECISIONS[key]]();
      else if (OPENERS[key].open === 'preferences') wasm.showPreferences();
      else wasm.showPolicy(OPENERS[key].section || undefined);
      return;
    }
    wanted();
    if (DECISIONS[key]) {
      // Decided: the banner goes at once; the wasm applies the choice with this moment's time.
      const hadFocus = shadow.activeElement !== null;
      handoff.decision = { action: DECISIONS[key], at: Date.now() };
      handoff.shown = false;
      container.replaceChildren();
      emit('hide', { dialog: false });
      if (hadFocus) focusPageStart();
    } else {
      // Opens once the wasm is ready; meanwhile the button says it is busy.
      handoff.open = OPENERS[key].open;
      handoff.section = OPENERS[key].section || null;
      handoff.asked = key;
      for (const other of found.buttons.keys()) other.removeAttribute('aria-busy');
      button.setAttribute('aria-busy', 'true');
    }
  };
  const onChange = (event) => {
    if (event.target !== found.select || !found.select) return;
    if (wasm) {
      wasm.setLanguage(found.select.value);
      return;
    }
    // Every language's texts are here: switch at once, keeping focus on the switcher.
    handoff.language = found.select.value;
    const busy = handoff.open && handoff.asked;
    render();
    found.select.focus();
    if (busy) for (const [button, key] of found.buttons) if (key === busy) button.setAttribute('aria-busy', 'true');
  };
  shadow.addEventListener('click', onClick);
  shadow.addEventListener('change', onChange);
  handoff.takeOver = (bindings) => {
    wasm = bindings;
    for (const button of found.buttons.keys()) button.removeAttribute('aria-busy');
    return handoff;
  };
  return handoff;
}
