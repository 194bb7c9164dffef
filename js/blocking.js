// Blocking with no tagging (configuration `blocking: "untagged"`): before consent, the loader
// holds what the page loads from a configured service's hosts without marking it, by marking it
// as the page would have (a script becomes `type="text/plain" data-category data-service`, an
// iframe or image keeps its address in `data-src`). What is marked is released by the one
// release mechanism, like any marked element. `blocking: "report"` is the dry run: each element
// it would hold is said once, in the console and by a `consentwidget:wouldhold` event, and none
// is held.
//
// It catches elements in the page's HTML (a MutationObserver, whose callback runs before the
// parser runs a script), and those added later by `createElement`, `setAttribute`, the `src`
// properties, `innerHTML` or `insertAdjacentHTML`, and beacons (`navigator.sendBeacon`): what
// the site's scripts, plugins and tag managers add loads nothing before consent. What is
// written in the page's HTML neither runs nor shows before consent, but the browser has asked
// for it as it read the HTML, before any script could stop it (a `<script src>` and an `<img>`
// by its preload scanner, an `<iframe>` as it is parsed): the provider has received the
// request; tag those (the scanner lists each). Nor can it stop what ran before the loader (so
// it goes first in `<head>`, its configuration inline), `fetch` and `XMLHttpRequest` calls,
// `outerHTML` and `document.write`, or a cookie a server sets on its own response.
//
// Shared by the script-tag loader (js/loader.js) and the npm module (npm/index.js).

import { RELEASED, serviceIdOf } from './stored-consent.js';

// Set on what this module held, for the scanner and the tests.
export const HELD = 'data-consent-widget-held';
const SCRIPT_TYPES = ['', 'text/javascript', 'application/javascript', 'module'];
// What may load from an address.
const LOADING = 'script[src], iframe[src], img[src]';

/**
 * What the configuration holds: `{ category, service, hosts, noCookieHost }` for each service of
 * an optional category with hosts, its own (`hosts`) or its catalogue entry's (`prerendered` is
 * the catalogue's part of the first layer), in the configuration's order.
 */
export function blockingRules(config, catalogue) {
  const rules = [];
  for (const category of (config && Array.isArray(config.categories) ? config.categories : [])) {
    if (!category || category.required === true || !Array.isArray(category.services)) continue;
    for (const item of category.services) {
      const service = serviceIdOf(item);
      if (service === undefined) continue;
      const entry = typeof item.preset === 'string' ? catalogue[item.preset] : undefined;
      const hosts = Array.isArray(item.hosts) ? item.hosts : entry ? entry.hosts : [];
      if (typeof service !== 'string' || hosts.length === 0) continue;
      const embed = entry && entry.embed;
      rules.push({
        category: category.id,
        service,
        hosts: hosts.map((host) => String(host).toLowerCase()),
        noCookieHost: item.noCookie === true && embed && embed.noCookieHost ? embed.noCookieHost : null,
      });
    }
  }
  return rules;
}

/**
 * Whether `host` and `path` are `pattern`'s (core::config::is_host_pattern): the host itself
 * (`www.example.com`) or one under it (`*.example.com`), and the path starting with the
 * pattern's, if it has one (`www.google.com/maps`).
 */
export function hostMatches(pattern, host, path = '/') {
  const slash = pattern.indexOf('/');
  const name = slash < 0 ? pattern : pattern.slice(0, slash);
  if (slash >= 0 && !path.startsWith(pattern.slice(slash))) return false;
  if (!name.startsWith('*.')) return host === name;
  const base = name.slice(2);
  return host === base || host.endsWith(`.${base}`);
}

/** The rule of the first service whose hosts include `url`'s (http or https), else null. */
export function ruleFor(rules, url, base) {
  let parsed;
  try {
    parsed = new URL(String(url), base);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const host = parsed.hostname.toLowerCase();
  return rules.find((rule) => rule.hosts.some((pattern) => hostMatches(pattern, host, parsed.pathname))) || null;
}

/** `url` on the no-cookie host (an embed the site lets load from its provider's privacy-friendlier host). */
function onHost(url, host, base) {
  const parsed = new URL(url, base);
  parsed.hostname = host;
  return parsed.href;
}

/**
 * Starts holding, for `rules` and `mode` (`untagged` or `report`). `allowed(category, service)`
 * answers whether the consent in force allows a service (it changes as the visitor decides).
 * Returns `{ held }`, the list of what it held or, in a dry run, would have held.
 */
export function startBlocking(rules, mode, allowed) {
  const held = [];
  const dryRun = mode === 'report';
  const base = document.baseURI;
  const reported = new Set();

  /** The rule that holds `element` loading `url`, or null when it may load. */
  const holding = (element, url) => {
    if (url === null || url === undefined || url === '' || element.hasAttribute(RELEASED)) return null;
    // A script of another type (JSON, a template) never runs: nothing to hold.
    if (element.localName === 'script' && !SCRIPT_TYPES.includes((element.getAttribute('type') || '').trim().toLowerCase())) return null;
    const rule = ruleFor(rules, url, base);
    return rule && !allowed(rule.category, rule.service) ? rule : null;
  };
  const note = (element, url, rule) => {
    const entry = { element: element.localName, url: String(url), category: rule.category, service: rule.service };
    held.push(entry);
    if (!dryRun || reported.has(entry.url)) return;
    reported.add(entry.url);
    // For whoever checks the page (consent-scan lists them), and in the console.
    window.dispatchEvent(new CustomEvent('consentwidget:wouldhold', { detail: entry }));
    console.info(`consent-widget: blocking "report": "untagged" would hold <${entry.element}> ${entry.url} `
      + `(service \`${rule.service}\`) until consent to \`${rule.category}\``);
  };
  const mark = (element, rule) => {
    element.setAttribute('data-category', rule.category);
    element.setAttribute('data-service', rule.service);
    element.setAttribute(HELD, '');
  };
  /** Holds a script about to load `url`: made inert, its address kept for its release. */
  const holdScript = (script, url, rule) => {
    note(script, url, rule);
    if (dryRun) return;
    const type = (script.getAttribute('type') || '').trim();
    if (type === 'module') script.setAttribute('data-type', 'module');
    script.setAttribute('type', 'text/plain');
    mark(script, rule);
  };
  /** Holds an iframe or image about to load `url`: the address waits in data-src. */
  const holdFrame = (element, url, rule) => {
    note(element, url, rule);
    if (dryRun) return false;
    const address = rule.noCookieHost && element.localName === 'iframe' ? onHost(String(url), rule.noCookieHost, base) : String(url);
    element.setAttribute('data-src', address);
    mark(element, rule);
    return true;
  };

  // Elements the parser (or innerHTML) adds: held before a script runs, a frame navigates or
  // an image loads.
  const inspect = (element) => {
    const name = element.localName;
    if (name !== 'script' && name !== 'iframe' && name !== 'img') return;
    if (element.hasAttribute(HELD)) return;
    const url = element.getAttribute('src');
    const rule = holding(element, url);
    if (!rule) return;
    if (name === 'script') holdScript(element, url, rule);
    else if (holdFrame(element, url, rule)) element.removeAttribute('src');
  };
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (node.nodeType !== 1) continue;
        inspect(node);
        if (node.firstElementChild) node.querySelectorAll(LOADING).forEach(inspect);
      }
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });

  // Addresses set from script: held before the browser acts on them.
  const srcTarget = (element, value) => {
    const rule = holding(element, value);
    if (!rule) return false;
    if (element.localName === 'script') {
      holdScript(element, value, rule);
      return false;
    }
    return holdFrame(element, value, rule);
  };
  for (const type of [HTMLScriptElement, HTMLIFrameElement, HTMLImageElement]) {
    const descriptor = Object.getOwnPropertyDescriptor(type.prototype, 'src');
    if (!descriptor || !descriptor.set) continue;
    Object.defineProperty(type.prototype, 'src', {
      ...descriptor,
      set(value) {
        if (!srcTarget(this, value)) descriptor.set.call(this, value);
      },
    });
  }
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function setAttributeHeld(name, value) {
    const tag = this.localName;
    if ((tag === 'script' || tag === 'iframe' || tag === 'img') && String(name).toLowerCase() === 'src'
      && srcTarget(this, value)) return undefined;
    return setAttribute.call(this, name, value);
  };
  // Markup given as text: read in an inert template first, where nothing loads, and held there
  // (an iframe navigates, an image loads, as soon as it is in the page).
  const mayLoad = (value) => /<(iframe|img|script)/i.test(String(value));
  const inert = (value) => {
    const template = document.createElement('template');
    innerHTML.set.call(template, value);
    template.content.querySelectorAll(LOADING).forEach(inspect);
    return template.content;
  };
  const innerHTML = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML');
  Object.defineProperty(Element.prototype, 'innerHTML', {
    ...innerHTML,
    set(value) {
      if (this.localName === 'template' || !mayLoad(value)) innerHTML.set.call(this, value);
      else this.replaceChildren(inert(value));
    },
  });
  const insertAdjacentHTML = Element.prototype.insertAdjacentHTML;
  const PLACES = { beforebegin: 'before', afterbegin: 'prepend', beforeend: 'append', afterend: 'after' };
  Element.prototype.insertAdjacentHTML = function insertAdjacentHTMLHeld(position, value) {
    const place = PLACES[String(position).toLowerCase()];
    if (!place || !mayLoad(value)) return insertAdjacentHTML.call(this, position, value);
    this[place](inert(value));
    return undefined;
  };
  if (navigator.sendBeacon) {
    const sendBeacon = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url, data) => {
      const rule = ruleFor(rules, url, base);
      if (rule && !allowed(rule.category, rule.service)) {
        note({ localName: 'beacon' }, url, rule);
        if (!dryRun) return false;
      }
      return sendBeacon(url, data);
    };
  }
  return { held };
}
