/* Fuzz the lexicon loader: any bytes as a TSV file either load or fail with
 * a message that names the line.  They load as English and as Vietnamese,
 * whose terms are also folded into a table without marks.  The same bytes
 * as a verdict model either parse or fail with a message that names the
 * file; a model that parses decides a vector of the bytes' values, with
 * the words of its first bytes when it knows them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "culpa.h"
#include "text.h"
#include "verdict.h"

static void fuzz_model(const uint8_t *data, size_t size)
{
    verdict_model m;
    culpa_error err;
    culpa_status st = verdict_model_parse((const char *)data, size, "fuzz.model", &m, &err);
    if (st != CULPA_OK) {
        if (st != CULPA_ERR_LEXICON || strncmp(err.message, "fuzz.model", 10) != 0) abort();
        return;
    }
    float x[VERDICT_FEATURES];
    for (size_t i = 0; i < VERDICT_FEATURES; i++) x[i] = i < size ? (float)data[i] / 16 : 0;
    const verdict_word *w = verdict_word_find(&m.words, text_token_hash((const char *)data, size < 8 ? size : 8));
    culpa_verdict v = verdict_model_apply(&m, x, w ? w->weight : NULL);
    verdict_model_free(&m);
    if (v != CULPA_VERDICT_NONE && v != CULPA_VERDICT_BUSINESS && v != CULPA_VERDICT_CUSTOMER &&
        v != CULPA_VERDICT_MIXED)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    culpa_builder *b = culpa_builder_new();
    culpa_error err;
    culpa_status st = culpa_builder_add_tsv(b, "en", (const char *)data, size, "fuzz.tsv", &err);
    if (st == CULPA_ERR_LEXICON && strncmp(err.message, "fuzz.tsv:", 9) != 0) abort();
    if (st == CULPA_OK) st = culpa_builder_add_tsv(b, "vi", (const char *)data, size, "fuzz.tsv", &err);
    if (st == CULPA_OK) {
        culpa_lexicon *lex = NULL;
        if (culpa_builder_build(b, &lex, &err) == CULPA_OK) {
            culpa_scorer *sc = culpa_scorer_new(lex);
            culpa_result r;
            culpa_score(sc, (const char *)data, size, &r); /* the terms against themselves */
            culpa_scorer_free(sc);
            culpa_lexicon_free(lex);
        }
    }
    culpa_builder_free(b);
    fuzz_model(data, size);
    return 0;
}
