#!/usr/bin/env bash
# Bad input, end to end: each case states its outcome — rows, rows with an
# error field, repaired UTF-8 sequences, exit status — and the count of
# output rows always equals the count of input records.
# usage: CULPA=path/to/culpa bad_input.sh
set -uo pipefail
bin=${CULPA:?set CULPA to the culpa binary}
# shellcheck source=tests/check.sh
source "$(dirname "$0")/check.sh"

# case NAME FORMAT ROWS ERRORS REPAIRS: score $tmp/in.FORMAT and compare
case_() {
    local name=$1 fmt=$2 rows=$3 errors=$4 repairs=$5
    "$bin" score -i "$fmt" --summary "$tmp/in" >"$tmp/out" 2>"$tmp/sum"
    local code=$? got_rows got_errors got_repairs
    got_rows=$(grep -c '' "$tmp/out")
    got_errors=$(grep -c '"error":' "$tmp/out")
    got_repairs=$(awk '/^utf8 repairs/ { print $3 }' "$tmp/sum")
    if [[ $code == 0 && $got_rows == "$rows" && $got_errors == "$errors" && $got_repairs == "$repairs" ]]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name: exit $code, rows $got_rows/$rows, errors $got_errors/$errors, repairs $got_repairs/$repairs"
        head -c 600 "$tmp/out" "$tmp/sum" | sed 's/^/    /'
    fi
}

j() { printf '{"text":"%s"}\n' "$1"; } # a JSONL record around raw bytes

# invalid UTF-8 of every kind: repaired to U+FFFD and counted, never fatal
{ j $'over\xC0\xAFlong'; j $'surrogate \xED\xA0\x80 here'; j $'truncated \xE2\x82'; j $'high \xF5\x80\x80\x80 \xFF\xFE'; j $'lone \x80 continuation'; } >"$tmp/in"
case_ "invalid UTF-8 (overlong, surrogate, truncated, F5-FF, lone continuation)" jsonl 5 0 13
printf 'a\x00b nul inside\n\x00\nend\n' >"$tmp/in"
case_ "NUL bytes in lines" lines 3 0 0
printf '\xEF\xBB\xBF{"text":"bom at start"}\n{"text":"bom \xEF\xBB\xBF inside"}\n' >"$tmp/in"
case_ "a BOM at the start and inside a field" jsonl 2 0 0
printf 'crlf one\r\nlone\rcr\r\nlast\r\n' >"$tmp/in"
case_ "CRLF ends a line; a lone CR does not" lines 3 0 0
printf 'nel \xC2\x85 and ls \xE2\x80\xA8 inside\n' >"$tmp/in"
case_ "U+0085 and U+2028 inside a line" lines 1 0 0
: >"$tmp/in"
case_ "an empty file" jsonl 0 0 0
printf '\n\n\r\n  \n' >"$tmp/in"
case_ "a file of only blank lines: no records" lines 0 0 0
printf '{"text":"one"}\n{"text":"no newline at the end"}' >"$tmp/in"
case_ "last line without newline" jsonl 2 0 0
{ printf '{"text":"'; head -c 67108864 /dev/zero | tr '\0' 'a'; printf ' rude"}\n{"text":"next"}\n'; } >"$tmp/in"
case_ "a 64 MB single line, then another record" jsonl 2 0 0
# texts that once took quadratic time: one sentence of 400,000 negative
# words (each looked for its party), 100,000 sentences with "but" (each
# weighed its neighbours); the suite's time limit catches a regression
{ printf '{"text":"'; head -c 2400000 /dev/zero | tr '\0' 'x' | sed 's/xxxxxx/ rude /g'; printf '"}\n'; } >"$tmp/in"
case_ "one sentence of 400,000 negative words" jsonl 1 0 0
{ printf '{"text":"'; for _ in $(seq 1000); do printf 'good, but bad. %.0s' $(seq 100); done; printf '"}\n'; } >"$tmp/in"
case_ "100,000 sentences with a contrast" jsonl 1 0 0
{ printf '{"meta":'; head -c 100000 /dev/zero | tr '\0' '['; printf '1'; head -c 100000 /dev/zero | tr '\0' ']'; printf ',"text":"deep"}\n'; } >"$tmp/in"
case_ "JSON nested 100,000 deep: skipped without recursion" jsonl 1 0 0
{ printf '{"meta":'; head -c 100000 /dev/zero | tr '\0' '['; printf '\n{"text":"after"}\n'; } >"$tmp/in"
case_ "JSON nested and truncated: an error row" jsonl 2 1 0
printf '{"text":"cut off\n{"text":"fine"}\n{"text":\n' >"$tmp/in"
case_ "truncated JSON records" jsonl 3 2 0
printf '{"stars":5}\n{"text":5}\n{"text":null}\n{"text":["a"]}\n' >"$tmp/in"
case_ "missing or non-string text field" jsonl 4 4 0
printf '{"text":"first","text":"second, the last wins"}\n' >"$tmp/in"
case_ "duplicate keys" jsonl 1 0 0
printf '{"text":"nul \\u0000 escaped"}\n' >"$tmp/in"
case_ "an escaped NUL" jsonl 1 0 0
printf '{"text":"lone \\ud83d high"}\n{"text":"lone \\ude00 low"}\n{"text":"bad \\uZZZZ hex"}\n' >"$tmp/in"
case_ "broken surrogate escapes repaired, a bad hex escape an error" jsonl 3 1 2
printf 'id,text\n1,"never closed\n2,fine\n3,ok\n' >"$tmp/in"
case_ "CSV with an unbalanced quote: that row errs, the rest stand" csv 3 1 0
printf 'text\tid\nno id column here\n\t\tonly tabs\n' >"$tmp/in"
case_ "TSV rows with missing columns" tsv 2 0 0

# lexicon files: a clear message with the line number, exit 3
mkdir -p "$tmp/lex/en"
lexicon_case() {
    local name=$1 want=$2
    printf "$3" >"$tmp/lex/en/bad.tsv"
    "$bin" score --lexicon "$tmp/lex" <<<'{"text":"x"}' >/dev/null 2>"$tmp/err"
    local code=$?
    if [[ $code == 3 ]] && grep -q "bad.tsv:$want" "$tmp/err"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: lexicon $name: exit $code: $(cat "$tmp/err")"
    fi
}
lexicon_case "bad weight" "2: weight 'high' is not a number" 'good\tval\t1\nbad\tval\thigh\n'
lexicon_case "duplicate term" "3: duplicate entry" 'good\tval\t1\nbad\tval\t-1\nGood\tval\t2\n'
lexicon_case "overlong term" "1: term is longer than 255 bytes" "$(head -c 300 /dev/zero | tr '\0' 'a')\tval\t1\n"
lexicon_case "unknown class" "1: unknown class" 'good\tvalence\t1\n'

finish
