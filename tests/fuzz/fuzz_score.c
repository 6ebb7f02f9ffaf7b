/* Fuzz the tokenizer and the model on any bytes, with explanations on:
 * scores stay in range. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "culpa.h"
#include "fuzz_lexicon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static culpa_scorer *sc;
    if (!sc) {
        sc = culpa_scorer_new(fuzz_lexicon());
        culpa_scorer_set_explain(sc, 1);
    }
    culpa_result r;
    if (culpa_score(sc, (const char *)data, size, &r) != CULPA_OK) abort();
    if (!(fabs(r.sentiment) <= 1) || !(r.blame_business >= 0 && r.blame_business <= 1) ||
        !(r.blame_customer >= 0 && r.blame_customer <= 1) || (unsigned)r.verdict > 3)
        abort();
    size_t n;
    const culpa_match *m = culpa_scorer_explain(sc, &n);
    for (size_t i = 0; i < n; i++)
        if (m[i].offset + m[i].length > size) abort();
    return 0;
}
