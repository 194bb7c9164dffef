#!/usr/bin/env bash
# Packs the npm package, installs the tarball into the Vite apps (as a site would, not through a
# path alias) and builds each: tests/npm-app (the module API), tests/react-app (consent-widget/react,
# in development with StrictMode's checks and in production), tests/vue-app and tests/svelte-app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-npm.sh
tarball=$(ls dist/npm/consent-widget-*.tgz)
cd tests/npm-app
npm install --no-audit --no-fund --loglevel=error
npm install --no-audit --no-fund --loglevel=error --no-save "../../$tarball"
npx vite build --logLevel warn
for app in react-app vue-app svelte-app; do
  (
    cd "../$app"
    npm install --no-audit --no-fund --loglevel=error
    npm install --no-audit --no-fund --loglevel=error --no-save "../../$tarball"
    npx vite build --logLevel warn
    if [ "$app" = react-app ]; then npx vite build --mode development --logLevel warn; fi
  )
done
