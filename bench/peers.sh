#!/usr/bin/env bash
# Score the same generated English dump with culpa and with the npm peers
# (sentiment/AFINN, vader-sentiment, wink-sentiment), side by side in one
# run, with `wc -l` and `wc -w` as floors, and print each one's MB/s and its
# ratio to culpa on one thread; then the same for a dump of the five
# languages mixed (en, fi, vi, zh, he) against `wc` alone, since the npm
# peers read English only.  The peers are installed with npm into a
# throw-away folder; nothing is added to the build.  culpa and wc are timed
# as whole processes (culpa's includes loading all five languages' lexicons,
# about 30 ms, and writing every row); the peers time their scoring loop
# only, inside node.  The default size keeps culpa's start-up a small share.
# Under each dump's table, culpa bench's first two stages on it (tokenizing;
# tokenizing and one lexicon probe a token) show the floor of the design:
# what one thread costs before any matching or scoring, beside `wc -w`.
#
# usage: bench/peers.sh [CULPA_BINARY] [SIZE]     (defaults: build/culpa, 100M)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/culpa}
size=${2:-100M}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" corpus --size "$size" --langs en --seed 1 -o "$tmp/dump.jsonl"
"$bin" corpus --size "$size" --langs en,fi,vi,zh,he --seed 1 -o "$tmp/mixed.jsonl"
# VADER's JavaScript port reads well under 1 MB/s: it gets the first 2 MB.
head -c 2000000 "$tmp/dump.jsonl" | sed '$d' >"$tmp/small.jsonl"
bytes=$(stat -c %s "$tmp/dump.jsonl")
small=$(stat -c %s "$tmp/small.jsonl")

(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    sentiment@5 vader-sentiment@1.1.3 wink-sentiment@5 >/dev/null)

cat >"$tmp/peer.js" <<'JS'
// node peer.js NAME FILE: score every review's text, print seconds
const fs = require('fs');
const [name, file] = process.argv.slice(2);
let score;
if (name === 'sentiment') { const S = require('sentiment'); const s = new S(); score = t => s.analyze(t).score; }
else if (name === 'vader-sentiment') { const v = require('vader-sentiment'); score = t => v.SentimentIntensityAnalyzer.polarity_scores(t).compound; }
else { const w = require('wink-sentiment'); score = t => w(t).score; }
const t0 = process.hrtime.bigint();
let sum = 0;
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  sum += score(JSON.parse(line).text);
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(secs.toFixed(4), sum > -1e308 ? '' : 'x');
JS

# seconds CMD...: wall-clock seconds of a command, best of 3
seconds() {
    local best=
    for _ in 1 2 3; do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null
        t1=$(date +%s.%N)
        best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { d = b - a; print (best == "" || d < best) ? d : best }')
    done
    echo "$best"
}

declare -A secs size_of
# time_floors_and_culpa PREFIX FILE: wc and culpa on FILE, as PREFIX-<tool>
time_floors_and_culpa() {
    secs[$1wc-l]=$(seconds wc -l "$2")
    secs[$1wc-w]=$(LC_ALL=C.UTF-8 seconds wc -w "$2")
    secs[$1culpa-1]=$(seconds "$bin" score -t 1 "$2")
    secs[$1culpa-all]=$(seconds "$bin" score "$2")
    local k
    for k in wc-l wc-w culpa-1 culpa-all; do size_of[$1$k]=$(stat -c %s "$2"); done
}
time_floors_and_culpa "" "$tmp/dump.jsonl"
time_floors_and_culpa mixed- "$tmp/mixed.jsonl"
for peer in sentiment wink-sentiment; do
    secs[$peer]=$(node "$tmp/peer.js" "$peer" "$tmp/dump.jsonl" | cut -d' ' -f1)
    size_of[$peer]=$bytes
done
secs[vader-sentiment]=$(node "$tmp/peer.js" vader-sentiment "$tmp/small.jsonl" | cut -d' ' -f1)
size_of[vader-sentiment]=$small

# table PREFIX TOOL...: each tool's MB/s and culpa's 1-thread rate over it
table() {
    local prefix=$1 k label
    shift
    local culpa_rate
    culpa_rate=$(awk -v b="${size_of[${prefix}culpa-1]}" -v s="${secs[${prefix}culpa-1]}" 'BEGIN { print b / s / 1e6 }')
    printf '%-34s %10s %16s\n' "tool" "MB/s" "culpa-1 / tool"
    for k in "$@"; do
        case $k in
        wc-l) label="wc -l (floor)" ;;
        wc-w) label="LC_ALL=C.UTF-8 wc -w" ;;
        culpa-1) label="culpa score, 1 thread" ;;
        culpa-all) label="culpa score, $(nproc) threads" ;;
        *) label="npm $k (1 core)" ;;
        esac
        awk -v l="$label" -v b="${size_of[$prefix$k]}" -v s="${secs[$prefix$k]}" -v c="$culpa_rate" \
            'BEGIN { r = b / s / 1e6; printf "%-34s %10.1f %15.2fx\n", l, r, c / r }'
    done
}

printf 'English Yelp-shaped JSONL, %.1f MB (vader-sentiment: the first %.1f MB)\n' \
    "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$(awk -v b="$small" 'BEGIN { print b / 1e6 }')"
table "" wc-l wc-w culpa-1 culpa-all sentiment wink-sentiment vader-sentiment
# stages FILE WC_RATE: culpa bench's tokenize and lookup rows on FILE's first
# 32 MB, each beside wc -w's rate; scoring end to end cannot beat them.
stages() {
    printf '\nthe floor of the design on this dump (culpa bench, 1 thread, its first 32 MB)\n'
    head -c 32000000 "$1" | sed '$d' >"$tmp/stages.jsonl"
    "$bin" bench -t 1 --repeats 5 "$tmp/stages.jsonl" | awk -v w="$2" '
        $1 == "tokenize" || $1 == "lookup" {
            l = $1 == "tokenize" ? "tokenize" : "tokenize + one probe a token"
            printf "%-34s %10.1f %11.2fx wc -w\n", l, $3, $3 / w }'
}
wc_rate() { awk -v b="${size_of[$1wc-w]}" -v s="${secs[$1wc-w]}" 'BEGIN { print b / s / 1e6 }'; }
stages "$tmp/dump.jsonl" "$(wc_rate "")"

printf '\nMixed-language JSONL (en, fi, vi, zh, he), %.1f MB\n' \
    "$(awk -v b="${size_of[mixed-culpa-1]}" 'BEGIN { print b / 1e6 }')"
table mixed- wc-l wc-w culpa-1 culpa-all
stages "$tmp/mixed.jsonl" "$(wc_rate mixed-)"
