// The privacy policy of each language as the widget fetches it: the policy-only members of
// locales/<lang>.json (`policy.document`, `.sections`, `.countries`), on their own. Run as a
// script, writes policy-<lang>.json into the folder given: `node scripts/policies.mjs dist/npm/package`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LANGUAGES = ['en', 'fr', 'de', 'it', 'es'];

/** `[[code, bytes], ...]` in switcher order. */
export function policyDocuments() {
  return LANGUAGES.map((code) => {
    const locale = JSON.parse(readFileSync(new URL(`../locales/${code}.json`, import.meta.url), 'utf8'));
    const { document, sections, countries } = locale.policy;
    return [code, Buffer.from(JSON.stringify({ document, sections, countries }))];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [code, bytes] of policyDocuments()) writeFileSync(join(process.argv[2], `policy-${code}.json`), bytes);
}
