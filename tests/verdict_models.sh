#!/usr/bin/env bash
# The committed verdict models (lexicons/<lang>/verdict.model and
# verdict_long.model) are what scripts/train-verdict makes from the
# committed lexicons and labeled data: nobody edited a weight by hand, and a
# change to a lexicon or to the data that moves a model was followed by
# training again.  Weights (of the features and of the words) are compared
# as numbers (a relative difference of 1e-4 is allowed, for another libm).
# usage: CULPA=path/to/culpa verdict_models.sh SOURCE_DIR
set -uo pipefail
bin=${CULPA:?set CULPA to the culpa binary}
src=${1:?source folder}
# shellcheck source=tests/check.sh
source "$(dirname "$0")/check.sh"

"$src/scripts/train-verdict" "$bin" "$tmp/models" 2>/dev/null
check "scripts/train-verdict: exit 0" test $? -eq 0
for model in "$src"/lexicons/*/verdict*.model; do
    lang=$(basename "$(dirname "$model")")
    file=$(basename "$model")
    # a line's key: the feature's name, or "word" and the word; its
    # weights follow the key
    check "$lang: the committed $file is the trained one" awk -F'\t' '
        function key() { return $1 == "word" ? $1 "\t" $2 : $1 }
        FNR == NR { if (!/^#/ && NF) want[key()] = $0; next }
        !/^#/ && NF {
            n++
            k0 = $1 == "word" ? 3 : 2
            if (!(key() in want)) { print "not committed: " key(); bad = 1; next }
            split(want[key()], w, "\t")
            for (k = k0; k <= NF; k++) {
                d = $k - w[k]; if (d < 0) d = -d
                s = ($k < 0 ? -$k : $k) + 1e-6
                if (d / s > 1e-4) { print key() ": trained " $k ", committed " w[k]; bad = 1 }
            }
        }
        END { if (n != length(want)) { print "lines differ"; bad = 1 } exit bad }
    ' "$model" "$tmp/models/$lang/$file"
done
finish
