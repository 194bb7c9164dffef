// One reviewed state: the demo configuration with the layout, theme and language from the address
// (see states.mjs), given to the script-tag loader as the page's inline configuration. Each state
// keeps its consent in a cookie of its own, so a choice made in one frame leaves the others as they are.
import { LANGUAGES, LAYOUTS } from './states.mjs';

const query = new URLSearchParams(location.search);
const layout = LAYOUTS.find((candidate) => candidate.id === query.get('state')) || LAYOUTS[0];
const theme = query.get('theme') === 'dark' ? 'dark' : 'light';
const language = LANGUAGES.includes(query.get('lang')) ? query.get('lang') : 'en';
document.documentElement.lang = language;
document.body.classList.add(theme);

const config = await (await fetch('/consent-config.json')).json();
Object.assign(config, { layout: layout.layout, theme });
config.cookie = { ...config.cookie, name: `review_${layout.id.replace(/-/g, '_')}_${theme}` };
// Nothing a reviewer clicks here is proof of anyone's consent.
delete config.records;

const inline = document.createElement('script');
inline.type = 'application/json';
inline.id = 'consent-widget-config';
inline.textContent = JSON.stringify(config);
document.head.append(inline);
if (layout.view === 'preferences') {
  (window.ConsentWidget = window.ConsentWidget || []).push(['showPreferences']);
}
const loader = document.createElement('script');
loader.src = '/consent-widget/consent-widget.js';
document.head.append(loader);
