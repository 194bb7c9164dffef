#!/usr/bin/env bash
# Builds the script-tag files into dist/consent-widget/ under stable names:
#   consent-widget.js    the loader and the banner rendered ahead of time, one classic script
#   consent-widget-bindings.js
#                        the WebAssembly bindings, an ES module the loader imports with the wasm
#   consent-widget.wasm  the widget
#   policy-<lang>.json   the privacy policy of each language, fetched when it is opened
# with precompressed copies (scripts/package-widget.mjs). scripts/release.sh makes the
# versioned, integrity-checked release from the same build.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# What the build needs (the wasm target, wasm-bindgen-cli matching Cargo.lock, wasm-opt and
# terser from npm), installed if missing: when it is all there, a check of a few milliseconds.
bash scripts/setup.sh

work=target/widget-bindgen
cargo build --release --target wasm32-unknown-unknown -p consent-widget --lib
rm -rf "$work"
mkdir -p "$work"
# The name section is dropped here rather than with `strip = true`, which would also drop
# the target-features section wasm-bindgen relies on.
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$work" --out-name consent-widget target/wasm32-unknown-unknown/release/consent_widget.wasm
# -O1, not -Oz: -Oz saves raw bytes but its inlining costs about 15 KB after brotli, which is
# what a visitor downloads (see BENCHMARKS.md). After it, redundant stores and the arguments
# every caller passes alike are removed (--rse, --dae-optimizing): about 0.8 KB less brotli.
node_modules/.bin/wasm-opt -O1 --converge --rse --dae-optimizing \
  "$work/consent-widget_bg.wasm" -o "$work/consent-widget.opt.wasm"
# The banner rendered ahead of time by the same components, for the loader to show at once.
cargo run --quiet --features ssr --bin prerender > "$work/first-layer.json"
node scripts/package-widget.mjs --out dist/consent-widget
for file in dist/consent-widget/*.js dist/consent-widget/*.wasm dist/consent-widget/*.json; do
  printf '%-40s %8d bytes\n' "$file" "$(wc -c < "$file")"
done
