#!/usr/bin/env bash
# Prints what a visitor downloads before the banner shows: raw, gzip -9 and brotli -q 11 bytes.
# Run after scripts/build-widget.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
total_raw=0 total_gzip=0 total_brotli=0
printf '%-32s %10s %10s %10s\n' file raw gzip brotli
for file in dist/consent-widget/consent-widget.js dist/consent-widget/consent-widget.wasm www/consent-config.json; do
  raw=$(wc -c < "$file")
  gz=$(gzip -9c "$file" | wc -c)
  br=$(brotli -q 11 -c "$file" | wc -c)
  printf '%-32s %10d %10d %10d\n' "$file" "$raw" "$gz" "$br"
  total_raw=$((total_raw + raw)) total_gzip=$((total_gzip + gz)) total_brotli=$((total_brotli + br))
done
printf '%-32s %10d %10d %10d\n' total "$total_raw" "$total_gzip" "$total_brotli"
