// What init() needs beyond the stored consent, in a chunk of its own: the banner rendered ahead
// of time and what shows it, the embeds' placeholders, blocking with no tagging, the wasm's
// bindings and the catalogue's index. index.js asks for it at the first init(), so that an
// app's first render does not wait for its 18 KB brotli (bench/react-first-render.mjs).
export { default as load } from './consent_widget.js';
export * as widget from './consent_widget.js';
export { showFirstLayer } from './first-layer.js';
export { default as firstLayer } from './first-layer-data.js';
export { default as catalogueFiles } from './catalogue-files.js';
export { blockingRules, startBlocking } from './blocking.js';
export { showPlaceholders } from './embeds.js';
