#!/usr/bin/env bash
# Installs what the project needs, idempotently (a second run only checks versions).
#   scripts/setup.sh         what building and running needs
#   scripts/setup.sh scan    plus Chromium, which consent-scan drives
#   scripts/setup.sh bench   plus Chromium and the peer consent managers the benchmark compares
#   scripts/setup.sh test    plus Firefox, the browser drivers, PostgreSQL and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
mode=${1:-build}

say() { printf 'setup: %s\n' "$*"; }

# Rust: the WebAssembly target, and the linters the test command runs.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if [ "$mode" = test ]; then
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version"
  # --locked fails for some releases (a pinned dependency left the registry): retry without.
  cargo install wasm-bindgen-cli --version "=$bindgen_version" --locked \
    || cargo install wasm-bindgen-cli --version "=$bindgen_version"
fi

# npm tools: binaryen's wasm-opt for the build; Playwright and axe-core for the tests.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

[ "$mode" = build ] && exit 0

# Browsers and drivers from Debian (test tools never download their own browsers here).
missing=()
command -v chromium >/dev/null || missing+=(chromium)
if [ "$mode" = test ]; then
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  # The end-to-end tests tamper with a SQLite file through Python's sqlite3 module; Schemathesis
  # (below) gets a virtual environment, which Debian's Python makes only with python3-venv.
  command -v python3 >/dev/null || missing+=(python3)
  python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ "$mode" = scan ] && exit 0

# The peers the benchmark measures against, pinned in bench/package-lock.json.
if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  say "installing the benchmark's npm packages"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

[ "$mode" = test ] || exit 0
command -v wasm-pack >/dev/null || { say "installing wasm-pack"; cargo install wasm-pack --locked; }
command -v geckodriver >/dev/null || { say "installing geckodriver"; cargo install geckodriver --locked; }
# mdBook, pinned: the test command builds the book in docs/ and checks its links.
mdbook_version=0.5.4
if [ "$(mdbook --version 2>/dev/null)" != "mdbook v$mdbook_version" ]; then
  say "installing mdBook $mdbook_version"
  cargo install mdbook --version "=$mdbook_version" --locked --no-default-features --features search
fi

# Schemathesis, pinned, in a virtual environment of its own: it tests server/openapi.json
# against a running consent-server (scripts/api-contract.sh).
schemathesis_version=4.32.5
schemathesis_env="$HOME/.cache/consent-widget/schemathesis-$schemathesis_version"
if [ ! -x "$schemathesis_env/bin/st" ]; then
  say "installing Schemathesis $schemathesis_version"
  rm -rf "$schemathesis_env"
  python3 -m venv "$schemathesis_env"
  "$schemathesis_env/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi
