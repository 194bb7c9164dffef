import type { Readable } from 'svelte/store';
import type { Consent } from './index.js';

/** The consent, or null before any choice: `$consent` in a component. */
export declare const consent: Readable<Consent | null>;
export declare function acceptedCategory(id: string): Readable<boolean>;
