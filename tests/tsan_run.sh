#!/usr/bin/env bash
# The threaded engine under ThreadSanitizer: score, eval, rollup and report
# on 4 threads over a generated five-language dump, with TSan halting on the
# first report, and the rows byte-identical to a one-thread run.  libomp's
# own internals are not instrumented; TSan is told to ignore them, as the
# runtime asks (ignore_noninstrumented_modules).
# usage: CULPA=build-tsan/culpa CULPA_REFERENCE=build/culpa tsan_run.sh
set -uo pipefail
bin=${CULPA:?the ThreadSanitizer build of culpa}
ref=${CULPA_REFERENCE:?a normal build of culpa}
export TSAN_OPTIONS="halt_on_error=1 ignore_noninstrumented_modules=1 exitcode=66"
# shellcheck source=tests/check.sh
source "$(dirname "$0")/check.sh"
"$ref" corpus --size 6M --langs en,fi,vi,zh,he --seed 8 -o "$tmp/dump.jsonl"
"$ref" score -t 1 "$tmp/dump.jsonl" >"$tmp/one.out"
check "score on 4 threads: no race" bash -c "'$bin' score -t 4 --explain '$tmp/dump.jsonl' >'$tmp/four-explain.out'"
check "score on 4 threads: the one-thread rows" bash -c "'$bin' score -t 4 '$tmp/dump.jsonl' | cmp - '$tmp/one.out'"
check "rollup on 4 threads: no race" "$bin" rollup -t 4 --by business_id "$tmp/dump.jsonl"
check "report on 4 threads: no race" "$bin" report -t 4 "$tmp/dump.jsonl" -o "$tmp/report.html"
check "bench on 3 threads: no race" "$bin" bench --size 1M --min-time 0.01 --repeats 1 -t 3
finish
