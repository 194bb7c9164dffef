#!/usr/bin/env bash
# Builds the script-tag release: dist/release/consent-widget-<version>/ with versioned file
# names, precompressed copies (.br, .gz) and manifest.json carrying sha384 integrity hashes.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(awk -F'"' '/^\[workspace.package\]/ { section = 1 } section && /^version/ { print $2; exit }' Cargo.toml)
bash scripts/build-widget.sh >/dev/null
out=dist/release/consent-widget-$version
rm -rf "$out"
mkdir -p "$out"
# The loader is rebuilt to fetch the versioned wasm file.
sed "s/consent-widget\.wasm'/consent-widget-$version.wasm'/" dist/consent-widget/consent-widget.js > "$out/consent-widget-$version.js"
grep -q "consent-widget-$version.wasm" "$out/consent-widget-$version.js"
cp dist/consent-widget/consent-widget.wasm "$out/consent-widget-$version.wasm"
cp dist/consent-widget/consent-mode.js "$out/consent-mode-$version.js"
cp dist/consent-widget/consent-widget.d.ts "$out/consent-widget-$version.d.ts"
for file in "$out"/*.js "$out"/*.wasm; do
  brotli -q 11 -k -f "$file"
  gzip -9 -k -f "$file"
done
node - "$out" "$version" <<'JS'
const { createHash } = require('node:crypto');
const { readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const [out, version] = process.argv.slice(2);
const files = {};
for (const name of readdirSync(out).filter((n) => /\.(js|wasm|d\.ts)$/.test(n)).sort()) {
  const bytes = readFileSync(`${out}/${name}`);
  const size = (suffix) => { try { return statSync(`${out}/${name}${suffix}`).size; } catch { return undefined; } };
  files[name] = {
    integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
    bytes: bytes.length,
    gzip: size('.gz'),
    brotli: size('.br'),
  };
}
writeFileSync(`${out}/manifest.json`, `${JSON.stringify({ name: 'consent-widget', version, files }, null, 2)}\n`);
const loader = `consent-widget-${version}.js`;
console.log(`<script src="https://YOUR-CDN/consent-widget-${version}/${loader}" integrity="${files[loader].integrity}" crossorigin="anonymous" data-config="/consent-config.json" defer></script>`);
JS
ls "$out"
