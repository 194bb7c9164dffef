// The size budget: prints what a visitor downloads, in the parts size-budget.json names (raw,
// gzip -9, brotli -q 11, from dist/consent-widget/manifest.json), and fails when a part's brotli
// total exceeds its budget. Run after scripts/build-widget.sh.
import { readFileSync } from 'node:fs';

const read = (path) => JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'));
const budget = read('size-budget.json');
const { files } = read('dist/consent-widget/manifest.json');
const row = (name, sizes) => `${name.padEnd(24)} ${String(sizes.bytes).padStart(9)} ${String(sizes.gzip).padStart(9)} ${String(sizes.brotli).padStart(9)}`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let over = 0;
for (const part of budget.parts) {
  const total = { bytes: 0, gzip: 0, brotli: 0 };
  console.log(row(part.name, { bytes: 'raw', gzip: 'gzip', brotli: 'brotli' }));
  for (const name of part.files) {
    const sizes = files[name];
    if (!sizes) throw new Error(`${name} is not in the build`);
    console.log(row(`  ${name}`, sizes));
    for (const key of Object.keys(total)) total[key] += sizes[key];
  }
  console.log(`${part.name}: ${kb(total.brotli)} brotli; budget ${kb(part.maxBrotliBytes)}, goal ${kb(part.goalBrotliBytes)}\n`);
  if (total.brotli > part.maxBrotliBytes) {
    console.error(`size budget exceeded: ${part.name} is ${total.brotli} brotli bytes > ${part.maxBrotliBytes} (size-budget.json)`);
    over++;
  }
}
if (over) process.exit(1);
