#!/usr/bin/env bash
# Packs the npm package, installs the tarball into the Vite app in tests/npm-app (as a site
# would, not through a path alias), and builds the app into tests/npm-app/dist.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-npm.sh
tarball=$(ls dist/npm/consent-widget-*.tgz)
cd tests/npm-app
npm install --no-audit --no-fund --loglevel=error
npm install --no-audit --no-fund --loglevel=error --no-save "../../$tarball"
npx vite build --logLevel warn
