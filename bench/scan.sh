#!/usr/bin/env bash
# consent-scan on a site of N pages (default 50), 5 states each, served by consent-server: the
# scan's wall time, the peak memory of the scanner and its Chromium together (sampled every
# 200 ms), and the Chromium processes left once it has ended. Goals and results: BENCHMARKS.md,
# "The scanner".
#   bash bench/scan.sh [PAGES] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-50}
jobs=${2:-2}
bash scripts/setup.sh scan >/dev/null
bash scripts/build-widget.sh >/dev/null
cargo build --quiet --profile server -p consent-server -p consent-scan

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
# The demo site, and N copies of its home page linking to the next three: a crawl reaches each.
cp -r www "$work/site"
python3 - "$work/site" "$pages" <<'PY'
import sys, pathlib
site, pages = pathlib.Path(sys.argv[1]), int(sys.argv[2])
home = (site / "index.html").read_text()
for n in range(pages):
    links = "".join(f'<li><a href="/page-{m}.html">Page {m}</a></li>' for m in range(n + 1, min(n + 4, pages)))
    page = home.replace('<li><a href="/contact.html">Contact</a></li>', f'<li><a href="/contact.html">Contact</a></li>{links}')
    (site / f"page-{n}.html").write_text(page)
first = '<li><a href="/page-0.html">Page 0</a></li>'
(site / "index.html").write_text(home.replace('<li><a href="/contact.html">Contact</a></li>', '<li><a href="/contact.html">Contact</a></li>' + first))
PY
port=8291
target/server/consent-server --listen "127.0.0.1:$port" --site-dir "$work/site" --rate-limit 0 \
  --database-url "sqlite:$work/consents.db?mode=rwc" >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

start=$(date +%s.%N)
target/server/consent-scan "http://127.0.0.1:$port/" --pages "$pages" --jobs "$jobs" --quiet \
  --json "$work/report.json" >"$work/summary.txt" &
scanner=$!
peak=0
# The scanner's memory and that of every process of its Chromium (its profile is named after it),
# each process's proportional share (PSS), so that pages they share count once.
while kill -0 "$scanner" 2>/dev/null; do
  total=0
  for pid in $scanner $(pgrep -f "consent-scan-$scanner-" || true); do
    rss=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
    total=$((total + ${rss:-0}))
  done
  [ "$total" -gt "$peak" ] && peak=$total
  sleep 0.2
done
wait "$scanner" && status=0 || status=$?
end=$(date +%s.%N)
sleep 1
left=$(pgrep -c -f "consent-scan-$scanner-" || true)

scanned=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['summary']['pages'], sum(len(p['states']) for p in r['pages']), r['summary']['violation'])" "$work/report.json")
read -r scanned_pages states violations <<<"$scanned"
seconds=$(python3 -c "print($end - $start)")
printf '| pages | states | jobs | seconds | peak memory, PSS (scanner + Chromium) | Chromium processes left | violations | exit |\n'
printf '|---|---|---|---|---|---|---|---|\n'
printf '| %s | %s | %s | %.1f | %d MB | %s | %s | %s |\n' "$scanned_pages" "$states" "$jobs" "$seconds" $((peak / 1024)) "$left" "$violations" "$status"
