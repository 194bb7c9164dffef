// Writes the script-tag files from the wasm-bindgen output in target/widget-bindgen/:
//   consent-widget<S>.js      js/loader.js and the modules it inlines in one closure, one classic script
//   consent-widget-bindings<S>.js
//                             the wasm's bindings, an ES module the loader imports when it loads the wasm
//   consent-widget<S>.wasm    the widget
//   policy-<lang><S>.json     each language's privacy policy, fetched when a visitor opens it
//   catalogue-<id><S>.json    each catalogue entry (catalogue/services/), fetched when a
//                             configuration names it as a preset; the wasm checks its hash
//   consent-mode<S>.js, consent-widget<S>.d.ts
// each with .br and .gz copies, and manifest.json (sizes and sha384 integrity hashes).
// <S> is --suffix (e.g. "-0.1.0" for a release); --integrity makes the loader check the
// files it fetches against their hashes, which only suits names that never change.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueEntries } from './catalogue.mjs';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { minify } from 'terser';
import { policyDocuments } from './policies.mjs';

const { values: options } = parseArgs({
  options: {
    out: { type: 'string' },
    version: { type: 'string' },
    suffix: { type: 'string', default: '' },
    integrity: { type: 'boolean', default: false },
  },
});
const root = new URL('../', import.meta.url).pathname;
const bindgen = join(root, 'target/widget-bindgen');
const out = options.out;
const suffix = options.suffix;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const written = {};
// The modules inlined into the loader, in order: each may import from the ones before it only.
const INLINED = ['stored-consent.js', 'first-layer.js', 'subscribe.js', 'blocking.js', 'embeds.js'];
/**
 * An ES module as part of a classic script: its `export` keywords dropped, and its imports of
 * modules inlined before it too (one closure holds them all).
 */
function classicScript(name) {
  const module = readFileSync(join(root, 'js', name), 'utf8');
  const before = INLINED.slice(0, INLINED.indexOf(name));
  const imports = module.match(/^import .*$/gm) || [];
  for (const line of imports) {
    const from = /from '\.\/([^']+)';$/.exec(line);
    if (!from || !before.includes(from[1])) throw new Error(`js/${name}: a module inlined into the loader cannot ${line}`);
  }
  return module.replace(/^import .*\n/gm, '').replace(/^export /gm, '');
}
const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
function write(name, bytes) {
  writeFileSync(join(out, name), bytes);
  written[name] = { bytes: bytes.length, integrity: integrity(bytes) };
  return { name, ...(options.integrity ? { integrity: written[name].integrity } : {}) };
}

// The bindings are needed only with the wasm, so the loader (all a banner or a repeat visit's
// tags wait for) does not carry them: a smaller script to compile before anything shows.
const bindings = await minify(readFileSync(join(bindgen, 'consent-widget.js'), 'utf8'), {
  module: true,
  compress: { passes: 2 },
  format: { preamble: '/*! Consent Widget - https://example.invalid/consent-widget */' },
});
const files = {
  wasm: write(`consent-widget${suffix}.wasm`, readFileSync(join(bindgen, 'consent-widget.opt.wasm'))),
  bindings: write(`consent-widget-bindings${suffix}.js`, Buffer.from(`${bindings.code}\n`)),
  policy: {},
};
for (const [code, bytes] of policyDocuments()) files.policy[code] = write(`policy-${code}${suffix}.json`, bytes);
// The wasm checks each entry against its own hash of the file, so the loader carries only the pattern.
for (const [id, bytes] of catalogueEntries()) write(`catalogue-${id}${suffix}.json`, bytes);
files.catalogue = `catalogue-{id}${suffix}.json`;
const loader = readFileSync(join(root, 'js/loader.js'), 'utf8');
for (const placeholder of ['__FILES__', '__FIRST_LAYER__']) {
  if (!loader.includes(placeholder)) throw new Error(`js/loader.js lost its ${placeholder} placeholder`);
}
const firstLayer = readFileSync(join(bindgen, 'first-layer.json'), 'utf8').trim();
// One closure around the first layer and the loader keeps the page's global scope clean.
const script = [
  '(function () {',
  '"use strict";',
  ...INLINED.map(classicScript),
  loader.replace('__FILES__', JSON.stringify(files)).replace('__FIRST_LAYER__', firstLayer),
  '})();',
].join('\n');
// Minified: no one reads it in the browser.
const minified = await minify(script, {
  compress: { passes: 2 },
  format: { preamble: '/*! Consent Widget - https://example.invalid/consent-widget */' },
});
const loaderName = write(`consent-widget${suffix}.js`, Buffer.from(`${minified.code}\n`)).name;
write(`consent-mode${suffix}.js`, readFileSync(join(root, 'js/consent-mode.js')));
// One declaration of the API for the script tag and the npm module: js/api.d.ts.
write(`consent-widget${suffix}.d.ts`, Buffer.concat(['js/api.d.ts', 'js/global.d.ts'].map((file) => readFileSync(join(root, file)))));

// Precompressed copies, which consent-server (and any static server set up for it) sends as they are.
for (const [name, entry] of Object.entries(written)) {
  const bytes = readFileSync(join(out, name));
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  const gzip = gzipSync(bytes, { level: 9 });
  writeFileSync(join(out, `${name}.br`), brotli);
  writeFileSync(join(out, `${name}.gz`), gzip);
  Object.assign(entry, { gzip: gzip.length, brotli: brotli.length });
}
const manifest = { name: 'consent-widget', version: options.version, files: written };
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${out}: ${loaderName} and ${Object.keys(written).length - 1} more files`);
