/* Language detection: see detect.h. */
#include "detect.h"

#include <string.h>

/* Latin-script languages in order of preference when the letters say
 * nothing more specific. */
static const char *const latin_langs[] = {"en", "fi", "vi"};

static const lex_lang *first_loaded(const culpa_lexicon *lex, const char *const *codes, size_t n,
                                    const char **code)
{
    for (size_t i = 0; i < n; i++) {
        const lex_lang *l = lex_lang_find(lex, codes[i]);
        if (l) {
            *code = l->code;
            return l;
        }
    }
    *code = "und";
    return NULL;
}

const lex_lang *detect_lang(const culpa_lexicon *lex, const text_buf *t, const char **code)
{
    const uint32_t *sc = t->script;
    uint32_t latin = sc[SCRIPT_LATIN] + sc[SCRIPT_VI_MARK] + sc[SCRIPT_FI_MARK];
    uint32_t total = latin + sc[SCRIPT_HAN] + sc[SCRIPT_HEBREW] + sc[SCRIPT_OTHER];
    *code = "und";
    if (total == 0) { /* emoji and numbers only: score with the first language */
        return lex->nlangs ? &lex->langs[0] : NULL;
    }
    /* A script wins when it holds at least a third of the letters; Han
     * characters count thrice since one carries as much as a Latin word's
     * several letters. */
    if (sc[SCRIPT_HAN] * 3 * 3 >= total) return first_loaded(lex, (const char *const[]){"zh"}, 1, code);
    if (sc[SCRIPT_HEBREW] * 3 >= total) return first_loaded(lex, (const char *const[]){"he"}, 1, code);
    if (latin * 3 < total) return NULL;
    if (sc[SCRIPT_VI_MARK] * 20 >= latin && lex_lang_find(lex, "vi"))
        return first_loaded(lex, (const char *const[]){"vi"}, 1, code);
    if (sc[SCRIPT_FI_MARK] * 40 >= latin && lex_lang_find(lex, "fi"))
        return first_loaded(lex, (const char *const[]){"fi"}, 1, code);
    return first_loaded(lex, latin_langs, sizeof latin_langs / sizeof *latin_langs, code);
}
