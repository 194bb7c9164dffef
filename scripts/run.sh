#!/usr/bin/env bash
# Builds everything and serves the demo site with the widget on http://127.0.0.1:8080/
# (another address: scripts/run.sh --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-widget.sh
cargo build --profile server -p consent-server
exec target/server/consent-server "$@"
