// The catalogue's entries as the widget fetches them: catalogue/services/<id>.json byte for byte
// (the wasm checks each against its hash, src/core/catalogue.rs). Run as a script, writes the npm
// package's form into the folder given: each entry as a module of its own, catalogue-<id>.js,
// and catalogue-files.js, which imports each on demand, so that every bundler makes it a chunk
// fetched only when named (an asset file small enough would be inlined as a data: URL, which a
// strict CSP refuses to fetch): `node scripts/catalogue.mjs dist/npm/package`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIRECTORY = new URL('../catalogue/services/', import.meta.url);

/** `[[id, bytes], ...]` sorted by id. */
export function catalogueEntries() {
  return readdirSync(DIRECTORY)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort()
    .map((id) => [id, readFileSync(new URL(`${id}.json`, DIRECTORY))]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  const lines = [];
  for (const [id, bytes] of catalogueEntries()) {
    writeFileSync(join(out, `catalogue-${id}.js`), `export default ${JSON.stringify(bytes.toString('utf8'))};\n`);
    lines.push(`  ${JSON.stringify(id)}: () => import('./catalogue-${id}.js'),`);
  }
  writeFileSync(
    join(out, 'catalogue-files.js'),
    `// Each catalogue entry's text, imported when a configuration names it.\nexport default {\n${lines.join('\n')}\n};\n`,
  );
}
