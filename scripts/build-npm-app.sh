#!/usr/bin/env bash
# Packs the npm package, installs the tarball into the Vite apps (as a site would, not through a
# path alias) and builds each: tests/npm-app (the module API), tests/react-app (consent-widget/react,
# in development with StrictMode's checks and in production), tests/vue-app, tests/svelte-app and
# tests/ssr-app (consent-widget/react rendered on a server: the client in development and in
# production, and the server's render()).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-npm.sh
tarball=$(ls dist/npm/consent-widget-*.tgz)
cd tests/npm-app
npm install --no-audit --no-fund --loglevel=error
npm install --no-audit --no-fund --loglevel=error --no-save "../../$tarball"
npx vite build --logLevel warn
for app in react-app vue-app svelte-app ssr-app; do
  (
    cd "../$app"
    npm install --no-audit --no-fund --loglevel=error
    npm install --no-audit --no-fund --loglevel=error --no-save "../../$tarball"
    npx vite build --logLevel warn
    # `vite build` bundles React's production build whatever the mode, unless NODE_ENV says otherwise.
    if [ "$app" = react-app ] || [ "$app" = ssr-app ]; then NODE_ENV=development npx vite build --mode development --logLevel warn; fi
    if [ "$app" = ssr-app ]; then npx vite build --ssr src/render.js --logLevel warn; fi
  )
done
