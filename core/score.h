/* Score stage, internal entry points: for the benchmark, the stages of
 * culpa_score up to a point, so each can be timed on its own; for
 * training, the scored text's words. */
#ifndef CULPA_SCORE_H
#define CULPA_SCORE_H

#include <stddef.h>

#include "culpa.h"
#include "text.h"

/* Tokenize only.  @return the token count, or -1 when out of memory. */
long score_tokenize_only(culpa_scorer *s, const char *text, size_t len);

/* Tokenize, detect the language and look every token up once, as it
 * stands: the least work any per-word scorer does, the floor under
 * matching.  @return the number of tokens found, or -1 when out of memory. */
long score_lookup_only(culpa_scorer *s, const char *text, size_t len);

/* Tokenize, detect the language and match the lexicon.  @return the number
 * of matched terms, or -1 on error. */
long score_match_only(culpa_scorer *s, const char *text, size_t len);

/* The tokens of the text the scorer scored last: training reads its words. */
const text_buf *score_text(const culpa_scorer *s);

/* Does token i of tb count as a word of the verdict model (verdict.h)?
 * Every token but a number: prices and times say little alone. */
static inline int score_word_counts(const text_buf *tb, uint32_t i)
{
    return tb->tok[i].kind != TOK_NUMBER;
}

#endif
