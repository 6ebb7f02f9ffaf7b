#!/usr/bin/env bash
# The HTML report, checked in a real browser: headless Chromium renders it
# to a PNG (left in OUTDIR as report.png) and dumps its DOM, which must hold
# the title and every section heading.  The page must need nothing from
# outside: no script, no external asset.
# usage: CULPA=path/to/culpa report_test.sh OUTDIR
set -uo pipefail
bin=${CULPA:?set CULPA to the culpa binary}
outdir=${1:?a folder for report.png}
# shellcheck source=tests/check.sh
source "$(dirname "$0")/check.sh"

"$bin" corpus --size 3M --langs en,fi,vi,zh,he --seed 2 -o "$tmp/dump.jsonl"
"$bin" report "$tmp/dump.jsonl" -o "$tmp/report.html"
check "report: written" test -s "$tmp/report.html"
check "report: no script" bash -c "! grep -qi '<script' '$tmp/report.html'"
check "report: no external asset" bash -c "! grep -Eqi '(src|href)=\"(https?:)?//' '$tmp/report.html'"
for lang in en fi vi zh he; do
    check "report: language $lang shown" grep -q ">$lang</text>" "$tmp/report.html"
done

browser=$(command -v chromium || command -v chromium-browser || true)
check "a browser to render with (Debian package chromium)" test -n "$browser"
if [[ -n $browser ]]; then
    flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
        --disable-background-networking --disable-component-update --disable-sync
        --hide-scrollbars --user-data-dir="$tmp/profile")
    "$browser" "${flags[@]}" --window-size=1100,3300 --screenshot="$outdir/report.png" \
        "file://$tmp/report.html" >/dev/null 2>&1
    check "screenshot: a PNG of some size" bash -c "[ \$(stat -c %s '$outdir/report.png') -gt 20000 ] && head -c 8 '$outdir/report.png' | grep -q PNG"
    "$browser" "${flags[@]}" --dump-dom "file://$tmp/report.html" >"$tmp/dom.html" 2>/dev/null
    check "DOM: the title" grep -q '<title>culpa report</title>' "$tmp/dom.html"
    for heading in "Verdicts by language" "Sentiment and blame" "Most blamed businesses" \
        "Most frequent blame terms" "Throughput"; do
        check "DOM: section '$heading'" grep -q "<h2>$heading</h2>" "$tmp/dom.html"
    done
fi
finish
