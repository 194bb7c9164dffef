#!/usr/bin/env bash
# Builds the script-tag files into dist/consent-widget/ under stable names:
#   consent-widget.js    the loader and its WebAssembly bindings, one classic script
#   consent-widget.wasm  the widget
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist/consent-widget
work=target/widget-bindgen
cargo build --release --target wasm32-unknown-unknown -p consent-widget --lib
rm -rf "$work" "$out"
mkdir -p "$work" "$out"
# The name section is dropped here rather than with `strip = true`, which would also drop
# the target-features section wasm-bindgen relies on.
wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$work" --out-name consent-widget target/wasm32-unknown-unknown/release/consent_widget.wasm
node_modules/.bin/wasm-opt -Oz "$work/consent-widget_bg.wasm" -o "$out/consent-widget.wasm"
# One closure around bindings and loader keeps the page's global scope clean.
{
  echo '/*! Consent Widget - https://example.invalid/consent-widget */'
  echo '(function () {'
  echo '"use strict";'
  cat "$work/consent-widget.js"
  sed 's/__WASM_FILE__/consent-widget.wasm/' js/loader.js
  echo '})();'
} > "$out/consent-widget.js"
cp js/consent-widget.d.ts js/consent-mode.js "$out/"
for file in "$out"/*; do
  printf '%-40s %8d bytes\n' "$file" "$(wc -c < "$file")"
done
