// The products (Consent Widget in both of its documented forms), each included in the test page the way its own documentation says, with
// the same three categories and one analytics script (tracker.js) held back until consent.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pages = join(here, 'pages');
const vendor = (pkg, file) => join(here, 'node_modules', pkg, 'dist', file);

// The page's own files: served to every product, never counted as the product's bytes.
export const pageFiles = {
  '/page.css': join(pages, 'page.css'),
  '/tracker.js': join(pages, 'tracker.js'),
};
export const articleTemplate = join(pages, 'article.html');

// widgetDir: a stable copy of dist/consent-widget/ (every file in it is served).
export function products(widgetDir) {
  const widgetFiles = Object.fromEntries(
    readdirSync(widgetDir).map((name) => [`/consent-widget/${name}`, join(widgetDir, name)]),
  );
  return [
    {
      id: 'consent-widget',
      name: 'Consent Widget',
      // README.md's tag with the configuration in a file of its own (data-config); no preload, so
      // the wasm waits for the page's own resources.
      head: '<script src="/consent-widget/consent-widget.js" data-config="/bench-config.json" defer></script>',
      tracker: '<script type="text/plain" data-category="analytics" src="/tracker.js"></script>',
      body: '',
      files: { ...widgetFiles, '/bench-config.json': join(pages, 'consent-widget', 'bench-config.json') },
    },
    {
      id: 'consent-widget-inline',
      name: 'Consent Widget, configuration inline',
      // README.md's first form: the configuration in the page, read without a request.
      head: '<script type="application/json" id="consent-widget-config">'
        + `${readFileSync(join(pages, 'consent-widget', 'bench-config.json'), 'utf8').trim()}</script>\n`
        + '<script src="/consent-widget/consent-widget.js" defer></script>',
      tracker: '<script type="text/plain" data-category="analytics" src="/tracker.js"></script>',
      body: '',
      files: widgetFiles,
    },
    {
      id: 'vanilla-cookieconsent',
      name: 'vanilla-cookieconsent 3.1.0',
      head: '<link rel="stylesheet" href="/vendor/vanilla-cookieconsent/cookieconsent.css">',
      tracker: '<script type="text/plain" data-category="analytics" src="/tracker.js"></script>',
      body: '<script type="module" src="/cookieconsent-config.js"></script>',
      files: {
        '/vendor/vanilla-cookieconsent/cookieconsent.css': vendor('vanilla-cookieconsent', 'cookieconsent.css'),
        '/vendor/vanilla-cookieconsent/cookieconsent.umd.js': vendor('vanilla-cookieconsent', 'cookieconsent.umd.js'),
        '/cookieconsent-config.js': join(pages, 'vanilla-cookieconsent', 'cookieconsent-config.js'),
      },
    },
    {
      id: 'klaro',
      name: 'Klaro 0.7.22',
      // klaro.js carries its CSS and all its translations; the config must load first.
      head: '<script defer src="/klaro-config.js"></script>\n<script defer src="/vendor/klaro/klaro.js"></script>',
      tracker: '<script type="text/plain" data-type="application/javascript" data-name="tracker" data-src="/tracker.js"></script>',
      body: '',
      files: {
        '/klaro-config.js': join(pages, 'klaro', 'klaro-config.js'),
        '/vendor/klaro/klaro.js': vendor('klaro', 'klaro.js'),
      },
    },
    {
      id: 'orejime',
      name: 'Orejime 3.2.1',
      // The README's tags: the English bundle of the standard theme and its stylesheet.
      head: '<link rel="stylesheet" href="/vendor/orejime/orejime-standard.css">\n'
        + '<script src="/orejime-config.js"></script>\n<script src="/vendor/orejime/orejime-standard-en.js"></script>',
      tracker: '<template data-purpose="analytics"><script src="/tracker.js"></script></template>',
      body: '',
      files: {
        '/vendor/orejime/orejime-standard.css': vendor('orejime', 'orejime-standard.css'),
        '/orejime-config.js': join(pages, 'orejime', 'orejime-config.js'),
        '/vendor/orejime/orejime-standard-en.js': vendor('orejime', 'orejime-standard-en.js'),
      },
    },
  ];
}

// The test page for one product, at /<id>/.
export function pagePath(product) {
  return `/${product.id}/`;
}

// The same page with a large hero image above the article, at /<id>/hero/.
export function heroPath(product) {
  return `/${product.id}/hero/`;
}

export const HERO_TAG = '<img class="hero" src="/hero.png" width="1280" height="640" alt="The lake at dawn">';

export function renderPage(template, product, { hero = false } = {}) {
  return template
    .replace('{{head}}', product.head)
    .replace('{{hero}}', hero ? HERO_TAG : '')
    .replace('{{tracker}}', product.tracker)
    .replace('{{body}}', product.body);
}
