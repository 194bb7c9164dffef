// Svelte bindings: `consent` is a readable store of the consent (null before any choice) that
// follows each decision, withdrawal and reset(); `$consent` in a component. Start the widget with
// init(config) from 'consent-widget' in onMount.
import { derived, readable } from 'svelte/store';
import { getSnapshot, subscribe } from './index.js';

export const consent = readable(getSnapshot(), (set) => {
  set(getSnapshot());
  return subscribe(() => set(getSnapshot()));
});

/** A store of whether category `id` is granted. */
export function acceptedCategory(id) {
  return derived(consent, (value) => value !== null && value.categories.includes(id));
}
