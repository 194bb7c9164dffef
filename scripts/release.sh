#!/usr/bin/env bash
# Builds the release into dist/release/, everything a user downloads, none of it needing Rust:
#   consent-widget-<version>.tar.gz      the script-tag folder a site copies: dist/consent-widget/
#                                        (stable names, .br and .gz copies) as consent-widget/
#   consent-widget-cdn-<version>.tar.gz  the folder below, for a CDN, as consent-widget-<version>/
#   consent-widget-<version>.tgz         the npm package, the very file npm publishes
#   SHA256SUMS                           the SHA-256 of each (`sha256sum --ignore-missing -c SHA256SUMS`)
# and consent-widget-<version>/: the script-tag files under versioned names, precompressed copies
# (.br, .gz), manifest.json with sha384 integrity hashes, and a loader that checks the wasm and
# policy files it fetches against those hashes. The archives are reproducible: names sorted,
# owner 0, modes 644/755, every time that of the last commit (or SOURCE_DATE_EPOCH), gzip -n.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(awk -F'"' '/^\[workspace.package\]/ { section = 1 } section && /^version/ { print $2; exit }' Cargo.toml)
bash scripts/build-widget.sh >/dev/null
# The npm package: packed again unless it is newer than everything it is made of (the test
# command has just packed it, in scripts/build-npm-app.sh). The wasm build-widget.sh has just
# built stands for the Rust side: cargo rewrites it whenever anything it is compiled from changes.
npm_tarball=dist/npm/consent-widget-$version.tgz
if [ ! -f "$npm_tarball" ] || [ -n "$(find Cargo.toml Cargo.lock build.rs src js npm locales catalogue LICENSE \
  scripts/build-npm.sh scripts/policies.mjs scripts/catalogue.mjs target/wasm32-unknown-unknown/release/consent_widget.wasm \
  -newer "$npm_tarball" -print -quit)" ]; then
  bash scripts/build-npm.sh >/dev/null
fi
release=dist/release
out=$release/consent-widget-$version
rm -rf "$release"
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

epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
# archive <file> <directory> <folder>: <folder> of <directory>, as <file>.
archive() {
  tar -C "$2" --sort=name --format=gnu --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
    --mode=u=rwX,go=rX -cf - "$3" | gzip -9 -n > "$1"
}
archive "$release/consent-widget-$version.tar.gz" dist consent-widget
archive "$release/consent-widget-cdn-$version.tar.gz" "$release" "consent-widget-$version"
cp "$npm_tarball" "$release/"
(
  cd "$release"
  downloads=("consent-widget-$version.tar.gz" "consent-widget-cdn-$version.tar.gz" "consent-widget-$version.tgz")
  sha256sum "${downloads[@]}" > SHA256SUMS
  for file in "${downloads[@]}" SHA256SUMS; do printf '%-45s %9d bytes\n' "$release/$file" "$(wc -c < "$file")"; done
)
