#!/usr/bin/env bash
# Builds the script-tag release: dist/release/consent-widget-<version>/ with versioned file
# names, precompressed copies (.br, .gz), manifest.json with sha384 integrity hashes, and a
# loader that checks the wasm and policy files it fetches against those hashes.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(awk -F'"' '/^\[workspace.package\]/ { section = 1 } section && /^version/ { print $2; exit }' Cargo.toml)
bash scripts/build-widget.sh >/dev/null
out=dist/release/consent-widget-$version
rm -rf dist/release
node scripts/package-widget.mjs --out "$out" --version "$version" --suffix="-$version" --integrity
node - "$out" "$version" <<'JS'
const { readFileSync } = require('node:fs');
const [out, version] = process.argv.slice(2);
const { files } = JSON.parse(readFileSync(`${out}/manifest.json`, 'utf8'));
const at = (name) => `https://YOUR-CDN/consent-widget-${version}/${name}`;
const loader = `consent-widget-${version}.js`;
console.log(`<script src="${at(loader)}" integrity="${files[loader].integrity}" crossorigin="anonymous" data-config="/consent-config.json" defer></script>`);
JS
ls "$out"
