#!/usr/bin/env bash
# End-to-end tests of the culpa program.  usage: CULPA=path/to/culpa cli_test.sh TESTS_DIR
set -uo pipefail
bin=${CULPA:?set CULPA to the culpa binary}
dir=${1:?tests folder}
sample=$dir/data/sample_reviews.jsonl
# shellcheck source=tests/check.sh
source "$(dirname "$0")/check.sh"

records=$(grep -c . "$sample")

# one row per record, in order, with the contract's fields
"$bin" score "$sample" >"$tmp/out.jsonl"
check "exit status 0" test $? -eq 0
check "one row per record" test "$(wc -l <"$tmp/out.jsonl")" -eq "$records"
check "rows keep input order" diff <(grep -o '"review_id": *"[^"]*"' "$sample" | sed 's/.*"\([^"]*\)"$/\1/') \
    <(sed 's/^{"id":"\([^"]*\)".*/\1/' "$tmp/out.jsonl")
check "every field present" bash -c "grep -v '\"lang\":\"[a-z]*\",\"sentiment\":-\\?[0-9.]*,\"blame\":-\\?[0-9.]*,\"blame_business\":[0-9.]*,\"blame_customer\":[0-9.]*,\"verdict\":\"\\(business\\|customer\\|mixed\\|none\\)\"' '$tmp/out.jsonl' | grep -c . | grep -qx 0"
check "the sample has every verdict" bash -c "for v in business customer mixed none; do grep -q \"\\\"verdict\\\":\\\"\$v\\\"\" '$tmp/out.jsonl' || exit 1; done"

# --explain says why
"$bin" score --explain "$sample" >"$tmp/explain.jsonl"
check "explain on every row" test "$(grep -c '"explain":\[' "$tmp/explain.jsonl")" -eq "$records"
check "explain names terms and classes" grep -q '{"term":"[^"]*","class":"fault_cust"' "$tmp/explain.jsonl"

# stdin, formats, threads
check "stdin equals file" cmp <("$bin" score <"$sample") "$tmp/out.jsonl"
check "threads 1 equals threads 2" cmp <("$bin" score -t 1 "$sample") <("$bin" score -t 2 "$sample")
"$bin" score -f tsv "$sample" >"$tmp/out.tsv"
check "tsv header" bash -c "head -1 '$tmp/out.tsv' | grep -qx \$'id\\tlang\\tsentiment\\tblame\\tblame_business\\tblame_customer\\tverdict\\terror'"
check "tsv rows" test "$(wc -l <"$tmp/out.tsv")" -eq $((records + 1))
"$bin" score -f csv --explain "$sample" >"$tmp/out.csv"
check "csv header with explain" bash -c "head -1 '$tmp/out.csv' | grep -qx 'id,lang,sentiment,blame,blame_business,blame_customer,verdict,error,explain'"
check "two files, one header" test "$("$bin" score -f tsv "$sample" "$sample" | grep -c '^id	')" -eq 1

# lines and tsv input, id fields
printf 'The manager was rude.\nMy mistake, I booked the wrong day.\n' >"$tmp/two.txt"
check "lines input numbers records" bash -c "'$bin' score '$tmp/two.txt' | grep -c '^{\"id\":[12],' | grep -qx 2"
printf 'num\tbody\nx1\tGreat coffee\n' >"$tmp/in.tsv"
check "--text-field and --id-field" bash -c "'$bin' score --text-field body --id-field num '$tmp/in.tsv' | grep -q '^{\"id\":\"x1\",'"
check "--no-header takes column numbers" bash -c "printf 'a\\t1\\tgreat\\n' | '$bin' score -i tsv --no-header --text-field 3 --id-field 1 | grep -q '^{\"id\":\"a\",\"lang\":\"en\",\"sentiment\":0.[1-9]'"

# bad records keep their rows
printf '{"text":"fine"}\nnot json\n{"text":5}\n{"text":"trunc\n' >"$tmp/bad.jsonl"
"$bin" score "$tmp/bad.jsonl" >"$tmp/bad.out" 2>"$tmp/bad.err"
check "bad records: exit 0" test $? -eq 0
check "bad records: four rows" test "$(wc -l <"$tmp/bad.out")" -eq 4
check "bad records: three errors" test "$(grep -c '"error":' "$tmp/bad.out")" -eq 3
"$bin" score --summary "$tmp/bad.jsonl" >/dev/null 2>"$tmp/summary"
check "summary counts errors" grep -q 'records w/ error 3' "$tmp/summary"
check "summary has throughput" grep -q 'MB/s' "$tmp/summary"

# -o writes the file only on success
check "-o writes the output" bash -c "'$bin' score -o '$tmp/o.jsonl' '$sample' && cmp '$tmp/o.jsonl' '$tmp/out.jsonl'"
"$bin" score -o "$tmp/never.jsonl" /nonexistent.jsonl 2>"$tmp/err"
check "missing input: exit 1" test $? -eq 1
check "missing input: no output file" test ! -e "$tmp/never.jsonl"
check "missing input: no temp file left" bash -c "! ls '$tmp' | grep -q 'never.jsonl.tmp'"
check "missing input: message names it" grep -q '/nonexistent.jsonl' "$tmp/err"
# -o to what is not a regular file (a pipe, a link; /dev/null alike) writes
# through it: a temporary file renamed over it would replace it
mkfifo "$tmp/pipe"
timeout 20 cat "$tmp/pipe" >"$tmp/from_pipe" &
"$bin" score -o "$tmp/pipe" "$sample"
wait
check "-o to a pipe keeps the pipe" test -p "$tmp/pipe"
check "-o to a pipe writes through it" cmp "$tmp/from_pipe" "$tmp/out.jsonl"
ln -s "$tmp/link_target" "$tmp/link"
"$bin" score -o "$tmp/link" "$sample"
check "-o to a link keeps the link" test -L "$tmp/link"
check "-o to a link writes its target" cmp "$tmp/link_target" "$tmp/out.jsonl"

# usage, lexicon errors, output errors
"$bin" score --format xml "$sample" >/dev/null 2>&1
check "bad option value: exit 2" test $? -eq 2
"$bin" frobnicate >/dev/null 2>&1
check "unknown command: exit 2" test $? -eq 2
mkdir -p "$tmp/lex/en"
printf 'good\tval\tlots\n' >"$tmp/lex/en/bad.tsv"
"$bin" score --lexicon "$tmp/lex" "$sample" >/dev/null 2>"$tmp/lexerr"
check "bad lexicon: exit 3" test $? -eq 3
check "bad lexicon: file and line" grep -q "bad.tsv:1: weight 'lots' is not a number" "$tmp/lexerr"
printf 'bother\tval\t3\n' >"$tmp/lex/en/bad.tsv"
check "--lexicon-add overrides a term" bash -c "'$bin' score --lexicon-add '$tmp/lex' --explain <<<'{\"text\":\"a bother\"}' | grep -q '\"term\":\"bother\",\"class\":\"val\",\"weight\":3.0000'"
"$bin" score "$sample" >/dev/full 2>"$tmp/full"
check "full disk: exit 1" test $? -eq 1
check "full disk: message" grep -q 'No space left on device' "$tmp/full"
"$bin" corpus --size 4M --seed 6 -o "$tmp/big.jsonl"
"$bin" score "$tmp/big.jsonl" 2>"$tmp/pipe.err" | head -1 >/dev/null
check "closed pipe: exit 1" test "${PIPESTATUS[0]}" -eq 1
check "closed pipe: message" grep -q 'Broken pipe' "$tmp/pipe.err"
check "more threads than cores: identical output" bash -c "cmp <('$bin' score -t 16 '$tmp/big.jsonl') <('$bin' score -t 1 '$tmp/big.jsonl')"
"$bin" score --lexicon /nonexistent/lexicons "$sample" >/dev/null 2>"$tmp/nolex"
check "missing lexicon folder: exit 3" test $? -eq 3
check "missing lexicon folder: says which" grep -q '/nonexistent/lexicons: lexicon folder not found' "$tmp/nolex"
"$bin" score "$tmp" >/dev/null 2>"$tmp/dir.err"
check "a directory as input: exit 1 and says so" bash -c "[ $? -eq 1 ] && grep -q 'is a directory' '$tmp/dir.err'"
check "--version" bash -c "'$bin' --version | grep -q '^culpa [0-9]\\+\\.[0-9]\\+\\.[0-9]\\+$'"
check "--help lists score" bash -c "'$bin' --help | grep -q 'culpa score'"

# the synthetic corpus and the benchmark
"$bin" corpus --size 300K --langs en,fi,vi,zh,he --seed 3 -o "$tmp/c1.jsonl"
check "corpus: size reached" test "$(stat -c %s "$tmp/c1.jsonl")" -ge 300000
check "corpus: same seed, same bytes" cmp "$tmp/c1.jsonl" <("$bin" corpus --size 300K --langs en,fi,vi,zh,he --seed 3)
check "corpus: another seed, other bytes" bash -c "! cmp -s '$tmp/c1.jsonl' <('$bin' corpus --size 300K --langs en,fi,vi,zh,he --seed 4)"
check "corpus: has CRLF, escapes and emoji" bash -c "grep -q \$'\r\$' '$tmp/c1.jsonl' && grep -q '\\\\u' '$tmp/c1.jsonl' && grep -q '\\\\n' '$tmp/c1.jsonl'"
"$bin" score "$tmp/c1.jsonl" >"$tmp/c1.out"
check "corpus: every record scores without error" test "$(grep -c '"error"' "$tmp/c1.out")" -eq 0
check "corpus: one row per record" test "$(wc -l <"$tmp/c1.out")" -eq "$(grep -c . "$tmp/c1.jsonl")"
check "corpus: a language for every review" test "$(grep -c '"lang":"[a-z]*"' "$tmp/c1.out")" -eq "$(wc -l <"$tmp/c1.out")"
"$bin" bench --size 200K --min-time 0.01 --repeats 1 -t 2 >"$tmp/bench.out"
check "bench: exit 0" test $? -eq 0
for stage in read split extract tokenize lookup match score write; do
    check "bench: stage $stage" grep -q "^$stage  *1 " "$tmp/bench.out"
done
check "bench: end to end on 1 and 2 threads" bash -c "grep -q '^end-to-end  *1 ' '$tmp/bench.out' && grep -q '^end-to-end  *2 .*%' '$tmp/bench.out'"
check "bench: peak memory" grep -q '^peak memory' "$tmp/bench.out"
"$bin" corpus --size 10K --langs xx >/dev/null 2>"$tmp/err"
check "corpus: unknown language is an error" test $? -eq 1

# an input truncated while it is being read: never a crash, never a
# half-written -o file (the truncation may come before, during or after
# the run; whichever it is, the exit status is a normal one)
"$bin" corpus --size 60M -o "$tmp/shrinking.jsonl"
( sleep 0.3; : >"$tmp/shrinking.jsonl" ) &
"$bin" score -t 1 -o "$tmp/shrunk.out" "$tmp/shrinking.jsonl" 2>"$tmp/shrunk.err"
code=$?
wait
check "truncated input: no crash" test "$code" -lt 128
check "truncated input: a clear message when it failed" bash -c "[ $code -eq 0 ] || grep -q 'changed while it was being read' '$tmp/shrunk.err'"
check "truncated input: no temporary file left" bash -c "! ls '$tmp' | grep -q 'shrunk.out.tmp'"
rm -f "$tmp/shrinking.jsonl" "$tmp/shrunk.out"

# shards: the N outputs, concatenated, are the whole output byte for byte
"$bin" corpus --size 2M --seed 5 -o "$tmp/shard.jsonl"
printf 'id,text\n1,"multi\nline, quoted"\n2,plain\n\n3,"a ""quote"""\n4,last\n' >"$tmp/shard.csv"
for input in "$tmp/shard.jsonl" "$tmp/shard.csv" "$dir/data/en/verdict.tsv"; do
    "$bin" score -f tsv "$input" >"$tmp/whole.out"
    for n in 2 3 5; do
        rm -f "$tmp/parts.out"
        for k in $(seq 1 $n); do "$bin" score -f tsv --shard "$k/$n" "$input" >>"$tmp/parts.out"; done
        check "shards $n of $(basename "$input") concatenate to the whole" cmp "$tmp/whole.out" "$tmp/parts.out"
    done
done
"$bin" score --shard 4/3 "$tmp/shard.csv" >/dev/null 2>&1
check "shard out of range: usage error" test $? -eq 2
cat "$tmp/shard.csv" | "$bin" score --shard 1/2 >/dev/null 2>"$tmp/err"
check "shard of a pipe: usage error" test "${PIPESTATUS[1]}" -eq 2
check "shard of a pipe: says why" grep -q 'needs a file' "$tmp/err"

# roll-up per business
"$bin" rollup --by business_id "$sample" >"$tmp/rollup.tsv"
check "rollup: exit 0" test $? -eq 0
check "rollup: one row per business plus a header" test "$(wc -l <"$tmp/rollup.tsv")" -eq $(($(grep -o '"business_id": "[^"]*"' "$sample" | sort -u | wc -l) + 1))
check "rollup: sorted by mean blame_business" bash -c "tail -n +2 '$tmp/rollup.tsv' | cut -f9 | sort -rn -c"
"$bin" rollup "$sample" >/dev/null 2>&1
check "rollup: --by is required" test $? -eq 2

# accuracy on a labeled file
"$bin" eval --label-field verdict --label-kind verdict --lang en --errors 3 "$dir/data/en/verdict.tsv" >"$tmp/eval.out"
check "eval: exit 0" test $? -eq 0
check "eval: accuracy and macro-F1" bash -c "grep -q '^accuracy ' '$tmp/eval.out' && grep -q '^macro-F1 ' '$tmp/eval.out'"
check "eval: confusion matrix" grep -q '^confusion' "$tmp/eval.out"
check "eval: three worst records" test "$(grep -c '^#[0-9]* label' "$tmp/eval.out")" -eq 3
"$bin" eval --label-kind verdict "$dir/data/en/verdict.tsv" >/dev/null 2>&1
check "eval: no label field is a usage error" test $? -eq 2

# train: a verdict model from a labeled file, the same twice
"$bin" train --lang en -i tsv --label-field verdict "$dir/data/en/validation.tsv" >"$tmp/model" 2>"$tmp/train.err"
check "train: exit 0" test $? -eq 0
check "train: max_terms, bias and every feature" awk -F'\t' '$1 == "max_terms" && $2 ~ /^[0-9]+$/ { m = 1 }
    $1 == "bias" { b = 1 } !/^#/ && NF == 5 { n++ } END { exit !(m && b && n == 41) }' "$tmp/model"
check "train: the figures on standard error" grep -q 'macro-F1 on them .* before, .* with the model' "$tmp/train.err"
check "train: deterministic" cmp "$tmp/model" <("$bin" train --lang en -i tsv --label-field verdict "$dir/data/en/validation.tsv" 2>/dev/null)
"$bin" train --label-field verdict "$dir/data/en/validation.tsv" >/dev/null 2>&1
check "train: no --lang is a usage error" test $? -eq 2
"$bin" train --lang en -i tsv --label-field verdict --min-terms 12 "$dir/data/en/train_long.tsv" >"$tmp/long.model" 2>"$tmp/train.err"
check "train --min-terms: a long-text model" awk -F'\t' '$1 == "min_terms" && $2 == 12 { m = 1 }
    $1 == "max_terms" { m = 0; exit } END { exit !m }' "$tmp/long.model"
check "train --min-terms: only the long records" grep -q ": 400 records, 3[0-9][0-9] with a verdict label" "$tmp/train.err"
"$bin" train --lang en -i tsv --label-field verdict --min-terms 0 "$dir/data/en/train_long.tsv" >/dev/null 2>&1
check "train --min-terms 0 is a usage error" test $? -eq 2
"$bin" train --lang en -i tsv --label-field verdict --min-terms 100000 "$dir/data/en/train_long.tsv" >/dev/null 2>"$tmp/train.err"
check "train --min-terms past every record: an input error" grep -q 'no record with a verdict label has 100000' "$tmp/train.err"

finish
