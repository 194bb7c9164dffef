#!/usr/bin/env bash
# Builds the npm package: dist/npm/consent-widget-<version>.tgz, an ES module with the wasm file,
# TypeScript declarations, README and licence. The version is the one in Cargo.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# What the build needs (the wasm target, wasm-bindgen-cli matching Cargo.lock, binaryen's wasm-opt
# from npm), installed if missing: when it is all there, a check of a few milliseconds.
bash scripts/setup.sh

version=$(awk -F'"' '/^\[workspace.package\]/ { section = 1 } section && /^version/ { print $2; exit }' Cargo.toml)
# Cargo.toml's repository: npm publish --provenance (.github/workflows/release.yml) refuses a package
# whose repository.url is not the GitHub repository it is built in.
repository=$(awk -F'"' '/^\[/ { section = ($0 == "[workspace.package]") } section && /^repository =/ { print $2; exit }' Cargo.toml)
work=target/npm-bindgen
package=dist/npm/package
cargo build --release --target wasm32-unknown-unknown -p consent-widget --lib
rm -rf "$work" dist/npm
mkdir -p "$work" "$package"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$work" --out-name consent_widget target/wasm32-unknown-unknown/release/consent_widget.wasm
node_modules/.bin/wasm-opt -O1 --converge "$work/consent_widget_bg.wasm" -o "$package/consent_widget_bg.wasm"
cp "$work/consent_widget.js" npm/index.js npm/start-up.js npm/README.md LICENSE js/first-layer.js js/stored-consent.js js/subscribe.js js/blocking.js js/embeds.js \
  npm/react.js npm/react.d.ts npm/vue.js npm/vue.d.ts npm/svelte.js npm/svelte.d.ts "$package/"
# One declaration of the API for the script tag and the npm module: js/api.d.ts.
cat js/api.d.ts npm/module.d.ts > "$package/index.d.ts"
sed -i "s/__CONSENT_WIDGET_VERSION__/$version/" "$package/index.js"
# The banner rendered ahead of time by the same components, shown by init() before the wasm loads.
printf 'export default %s;\n' "$(cargo run --quiet --features ssr --bin prerender)" > "$package/first-layer-data.js"
node scripts/policies.mjs "$package"
node scripts/catalogue.mjs "$package"
cat > "$package/package.json" <<JSON
{
  "name": "consent-widget",
  "version": "$version",
  "description": "Cookie-consent banner, preferences and privacy policy in five languages, in WebAssembly: strict-CSP safe, shadow-DOM isolated, with proof of consent.",
  "license": "MIT",
  "repository": { "type": "git", "url": "$repository" },
  "type": "module",
  "main": "./index.js",
  "module": "./index.js",
  "types": "./index.d.ts",
  "exports": {
    ".": { "types": "./index.d.ts", "import": "./index.js" },
    "./react": { "types": "./react.d.ts", "import": "./react.js" },
    "./vue": { "types": "./vue.d.ts", "import": "./vue.js" },
    "./svelte": { "types": "./svelte.d.ts", "import": "./svelte.js" },
    "./consent_widget_bg.wasm": "./consent_widget_bg.wasm"
  },
  "files": ["index.js", "start-up.js", "index.d.ts", "consent_widget.js", "first-layer.js", "first-layer-data.js", "stored-consent.js", "subscribe.js", "blocking.js", "embeds.js", "react.js", "react.d.ts", "vue.js", "vue.d.ts", "svelte.js", "svelte.d.ts", "consent_widget_bg.wasm", "policy-*.json", "catalogue-*.js", "README.md", "LICENSE"],
  "peerDependencies": { "react": ">=18", "vue": ">=3.3", "svelte": ">=4" },
  "peerDependenciesMeta": { "react": { "optional": true }, "vue": { "optional": true }, "svelte": { "optional": true } },
  "sideEffects": false,
  "keywords": ["cookie", "consent", "gdpr", "cmp", "privacy", "webassembly"]
}
JSON
(cd dist/npm && npm pack ./package --silent >/dev/null)
ls -l dist/npm/consent-widget-"$version".tgz
