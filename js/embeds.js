// A held embed's placeholder, from the first paint: in place of an iframe waiting for consent
// (`<iframe data-src data-category>`, marked by the page or held by js/blocking.js), a box of
// the same size that says who provides it, where the data goes and what loading it means, with
// "Load once" (this iframe, on this page, nothing stored) and "Always allow <service>" (a
// consent to that service alone, recorded like any other), or the preferences for an iframe
// that names no known service. It follows the widget's language (`consentwidget:language`) and
// goes as soon as its iframe gets its address, by whichever release.
//
// Shared by the script-tag loader (js/loader.js) and the npm module (npm/index.js).
import { RELEASED, releaseElement, serviceIdOf } from './stored-consent.js';
import { fillPlaceholders, siteText } from './first-layer.js';

const PLACEHOLDER_TAG = 'consent-widget-placeholder';
const HELD_FRAME = 'iframe[data-src][data-category]';
const PLACEHOLDER_STYLES = ':host{display:block;box-sizing:border-box;max-inline-size:100%}'
  + 'div{box-sizing:border-box;block-size:100%;min-block-size:9rem;overflow:auto;padding:1rem;'
  + 'border:1px dashed #6b6b6b;border-radius:.375rem;background:#f3f5f8;color:#1b1b1b;font:1rem/1.5 system-ui,sans-serif}'
  + 'strong{display:block;margin:0 0 .25rem}p{margin:0 0 .75rem}span{display:flex;flex-wrap:wrap;gap:.5rem}'
  + 'button{min-block-size:2.75rem;padding:.5rem 1rem;font:inherit;font-weight:600;color:#fff;background:#1f3a5f;'
  + 'border:0;border-radius:.375rem;cursor:pointer}button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}';

/** A country's name in `language`, by the browser's own list; the code where it has none. */
function countryName(code, language) {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code) || code;
  } catch {
    return code;
  }
}

/**
 * The facts of service `id` in `config` for its placeholder: its own fields first, then its
 * catalogue entry's (`catalogue` is the first layer's); null for a service the configuration
 * does not name.
 */
function serviceFacts(config, catalogue, id) {
  for (const category of (config.categories || [])) {
    for (const item of (category && Array.isArray(category.services) ? category.services : [])) {
      if (serviceIdOf(item) !== id) continue;
      const embed = (typeof item.preset === 'string' && catalogue[item.preset] && catalogue[item.preset].embed) || {};
      return {
        name: item.name || embed.name || id,
        provider: item.provider || embed.provider,
        country: item.country || embed.country,
        content: embed.content || null,
      };
    }
  }
  return null;
}

/**
 * Shows a placeholder for each held iframe, now and as the page adds them. `act(name, ...args)`
 * calls the widget's API (`acceptService`, `showPreferences`), loading the wasm first if it must.
 * Returns `{ setLanguage(code), stop() }`.
 */
export function showPlaceholders(prerendered, config, language, act) {
  let current = language;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PLACEHOLDER_STYLES);
  const text = (key, values) => {
    const own = config.texts && config.texts[current] && config.texts[current][key];
    return fillPlaceholders(typeof own === 'string' ? own : prerendered.texts[current][key], values);
  };
  const categoryTitle = (id) => {
    const category = (config.categories || []).find((c) => c && c.id === id);
    if (category && category.title) return siteText(category.title, current, (config.languages && config.languages.default) || 'en');
    return prerendered.texts[current][`categories.${id}.title`] || id;
  };
  const placeholderOf = (frame) => {
    const before = frame.previousElementSibling;
    return before && before.localName === PLACEHOLDER_TAG ? before : null;
  };
  const loadOnce = (frame) => { releaseElement(frame); };
  const button = (label, onClick) => {
    const element = document.createElement('button');
    element.type = 'button';
    element.textContent = label;
    element.addEventListener('click', onClick);
    return element;
  };
  const render = (frame) => {
    const host = document.createElement(PLACEHOLDER_TAG);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [sheet];
    // The iframe's own size, never wider than its container (320 px screens).
    const width = parseInt(frame.getAttribute('width'), 10);
    const height = parseInt(frame.getAttribute('height'), 10);
    host.style.inlineSize = width > 0 ? `${width}px` : '100%';
    if (width > 0 && height > 0) host.style.aspectRatio = `${width} / ${height}`;
    const panel = document.createElement('div');
    panel.setAttribute('lang', current);
    panel.setAttribute('role', 'region');
    const service = frame.getAttribute('data-service');
    const facts = service && serviceFacts(config, prerendered.catalogue, service);
    // Text nodes only: nothing here is ever parsed as HTML.
    const title = document.createElement('strong');
    const notice = document.createElement('p');
    const actions = document.createElement('span');
    if (facts && facts.provider) {
      const content = facts.content && facts.content[current];
      const values = { service: facts.name, provider: facts.provider, country: countryName(facts.country, current), content };
      // "Video from YouTube"; a service of the site's own, without a catalogue entry, by its name.
      const label = content ? text('embed.label', values) : facts.name;
      title.textContent = label.charAt(0).toUpperCase() + label.slice(1);
      notice.textContent = text('embed.notice', values);
      actions.append(button(text('embed.loadOnce', values), () => loadOnce(frame)),
        button(text('embed.alwaysAllow', values), () => act('acceptService', service)));
    } else {
      title.textContent = frame.getAttribute('title') || '';
      notice.textContent = text('placeholder.text', { category: categoryTitle(frame.getAttribute('data-category')) });
      actions.append(button(text('embed.loadOnce', {}), () => loadOnce(frame)),
        button(text('placeholder.button', {}), () => act('showPreferences')));
    }
    panel.setAttribute('aria-label', title.textContent || notice.textContent);
    if (title.textContent) panel.append(title);
    panel.append(notice, actions);
    shadow.append(panel);
    return host;
  };
  const update = (frame) => {
    const placeholder = placeholderOf(frame);
    const waiting = frame.matches(HELD_FRAME) && !frame.hasAttribute('src') && !frame.hasAttribute(RELEASED);
    if (waiting && !placeholder) {
      frame.setAttribute('hidden', '');
      frame.before(render(frame));
    } else if (!waiting && placeholder) {
      const focused = placeholder.shadowRoot.activeElement !== null;
      placeholder.remove();
      frame.removeAttribute('hidden');
      // Focus stays where the visitor was: on what they chose to load.
      if (focused) frame.focus();
    }
  };
  document.querySelectorAll('iframe').forEach(update);
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'attributes') {
        if (mutation.target.localName === 'iframe') update(mutation.target);
        continue;
      }
      for (const node of mutation.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.localName === 'iframe') update(node);
        else if (node.firstElementChild) node.querySelectorAll('iframe').forEach(update);
      }
    }
  });
  observer.observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'data-src', RELEASED],
  });
  const setLanguage = (code) => {
    if (code === current || !prerendered.texts[code]) return;
    current = code;
    for (const frame of document.querySelectorAll('iframe')) {
      const placeholder = placeholderOf(frame);
      if (placeholder) placeholder.replaceWith(render(frame));
    }
  };
  const onLanguage = (event) => setLanguage(event.detail && event.detail.language);
  window.addEventListener('consentwidget:language', onLanguage);
  /** Gone with the widget (`destroy()`): the placeholders, their observer and listener; the iframes stay held. */
  const stop = () => {
    observer.disconnect();
    window.removeEventListener('consentwidget:language', onLanguage);
    for (const frame of document.querySelectorAll('iframe')) {
      const placeholder = placeholderOf(frame);
      if (placeholder) placeholder.remove();
    }
  };
  return { setLanguage, stop };
}
