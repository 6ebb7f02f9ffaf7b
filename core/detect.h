/* Language detection: by script first, then by letters only one Latin-script
 * language uses. */
#ifndef CULPA_DETECT_H
#define CULPA_DETECT_H

#include "lexicon.h"
#include "text.h"

/* The language of the tokenized text among those the lexicon holds.  *code
 * gets its code, or "und" when no loaded language fits (the function then
 * returns NULL: nothing will match). */
const lex_lang *detect_lang(const culpa_lexicon *lex, const text_buf *t, const char **code);

#endif
