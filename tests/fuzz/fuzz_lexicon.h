/* The lexicon the fuzz harnesses score with: the shipped folder, loaded
 * once per process. */
#ifndef CULPA_FUZZ_LEXICON_H
#define CULPA_FUZZ_LEXICON_H

#include <stdlib.h>

#include "culpa.h"

static inline const culpa_lexicon *fuzz_lexicon(void)
{
    static culpa_lexicon *lex;
    if (!lex && culpa_lexicon_load(CULPA_FUZZ_LEXICONS, NULL, &lex, NULL) != CULPA_OK) abort();
    return lex;
}

#endif
