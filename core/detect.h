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

/* The terms a text in `lang` is scored against: lang->unmarked for a text
 * with none of the language's marks, when the language has such terms;
 * else lang itself (a forced language, --lang vi, still reads how the text
 * is written). */
const lex_lang *written_form(const lex_lang *lang, const text_buf *t);

/* What detection reads of a lexicon (culpa_lexicon.detect): the function
 * words it counts, by their hashes, and the languages it can answer.  Made
 * once the lexicon's languages are built; NULL when out of memory. */
detect_words *detect_words_new(const culpa_lexicon *lex);
void detect_words_free(detect_words *d);

#endif
