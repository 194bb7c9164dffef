#!/usr/bin/env bash
# Refreshes the scanner's knowledge base (scan/data/) from a folder holding newer copies of the
# Open Cookie Database and the EasyPrivacy lists, laid out as scan/data/ is (default: ../shared/data).
# Each list keeps its licence and its SOURCE.md (where it came from); the scanner reads them at build.
set -euo pipefail
cd "$(dirname "$0")/.."
from=${1:-../shared/data}
for list in open-cookie-database easyprivacy; do
  [ -d "$from/$list" ] || { echo "refresh-knowledge: no $from/$list" >&2; exit 1; }
  for required in SOURCE.md; do
    [ -f "$from/$list/$required" ] || { echo "refresh-knowledge: $from/$list has no $required: say where the data came from" >&2; exit 1; }
  done
  rm -rf "scan/data/$list"
  cp -r "$from/$list" "scan/data/$list"
  chmod -R u+w "scan/data/$list"
done
sha256sum scan/data/*/*.csv scan/data/*/*.txt
echo "refresh-knowledge: done; run cargo test -p consent-scan --lib knowledge to check what the scanner reads"
