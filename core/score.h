/* Score stage, internal entry points for the benchmark: the stages of
 * culpa_score up to a point, so each can be timed on its own. */
#ifndef CULPA_SCORE_H
#define CULPA_SCORE_H

#include <stddef.h>

#include "culpa.h"

/* Tokenize only.  @return the token count, or -1 when out of memory. */
long score_tokenize_only(culpa_scorer *s, const char *text, size_t len);

/* Tokenize, detect the language and look every token up once, as it
 * stands: the least work any per-word scorer does, the floor under
 * matching.  @return the number of tokens found, or -1 when out of memory. */
long score_lookup_only(culpa_scorer *s, const char *text, size_t len);

/* Tokenize, detect the language and match the lexicon.  @return the number
 * of matched terms, or -1 on error. */
long score_match_only(culpa_scorer *s, const char *text, size_t len);

#endif
