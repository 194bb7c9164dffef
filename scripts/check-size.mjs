// The size budget: prints what a visitor downloads before the banner shows (raw, gzip -9,
// brotli -q 11, from dist/consent-widget/manifest.json) and fails when the brotli total
// exceeds size-budget.json. Run after scripts/build-widget.sh.
import { readFileSync } from 'node:fs';

const read = (path) => JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'));
const budget = read('size-budget.json');
const { files } = read('dist/consent-widget/manifest.json');
const row = (name, sizes) => `${name.padEnd(24)} ${String(sizes.bytes).padStart(9)} ${String(sizes.gzip).padStart(9)} ${String(sizes.brotli).padStart(9)}`;
const total = { bytes: 0, gzip: 0, brotli: 0 };
console.log(row('first layer', { bytes: 'raw', gzip: 'gzip', brotli: 'brotli' }));
for (const name of budget.firstLayer) {
  const sizes = files[name];
  if (!sizes) throw new Error(`${name} is not in the build`);
  console.log(row(name, sizes));
  for (const key of Object.keys(total)) total[key] += sizes[key];
}
console.log(row('total', total));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`budget ${kb(budget.maxBrotliBytes)} brotli; goal ${kb(budget.goalBrotliBytes)}; ${kb(total.brotli)} now`);
if (total.brotli > budget.maxBrotliBytes) {
  console.error(`size budget exceeded: ${total.brotli} brotli bytes > ${budget.maxBrotliBytes} (size-budget.json)`);
  process.exit(1);
}
