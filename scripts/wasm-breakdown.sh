#!/usr/bin/env bash
# Where the wasm's bytes go: builds the widget, keeps the function names this time, and prints
# twiggy's top list and a sum by crate (installs twiggy from crates.io the first time).
#   bash scripts/wasm-breakdown.sh [N]    the N largest items (default 25)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v twiggy >/dev/null || cargo install twiggy --locked
bash scripts/build-widget.sh >/dev/null
work=target/widget-names
rm -rf "$work"
wasm-bindgen --target no-modules --no-typescript --out-dir "$work" --out-name consent-widget \
  target/wasm32-unknown-unknown/release/consent_widget.wasm
twiggy top -n "${1:-25}" "$work/consent-widget_bg.wasm"
twiggy top -n 1000000 -f csv "$work/consent-widget_bg.wasm" | node -e '
  // Shallow bytes by crate: the first crate named in each item, generic instances counted
  // where their code comes from (alloc, core), data segments apart, function names left out.
  const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").slice(1);
  const sums = new Map();
  let total = 0;
  for (const row of rows) {
    const [, name, bytes] = row.match(/^"?(.*?)"?,(\d+),/) || [];
    if (!name || name.includes("function names")) continue;
    const crate = name.startsWith("data segment") ? "(data: texts, styles, messages)"
      : (name.match(/\b([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/) || [, "(other)"])[1];
    sums.set(crate, (sums.get(crate) || 0) + Number(bytes));
    total += Number(bytes);
  }
  console.log(`\nby crate (bytes before wasm-opt, without the name section; ${total} in all):`);
  for (const [crate, bytes] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`${String(bytes).padStart(8)}  ${(100 * bytes / total).toFixed(1).padStart(5)}%  ${crate}`);
  }
'
