/* Language detection: see detect.h. */
#include "detect.h"

#include <string.h>


/* Common function words that tell English from Finnish (words both use,
 * such as "on", are left out), in one string each, separated by spaces. */
static const char english_words[] =
    " the and was is it to of for with this they we my not but very are were have had you that in at ";
static const char finnish_words[] =
    " ja ei oli se että mutta kun tämä ole olla myös vain hyvin todella kanssa eikä en jo nyt niin"
    " sitten koska mitään ihan aivan vielä kuin mikä oikein vähän ";

#define VOTE_TOKENS 60 /* function words are counted in the first tokens only */

/* Is w (len bytes) one of the space-separated words of `list`? */
static int is_one_of(const char *w, size_t len, const char *list)
{
    char key[16];
    if (len + 2 > sizeof key) return 0;
    key[0] = ' ';
    memcpy(key + 1, w, len);
    key[len + 1] = ' ';
    key[len + 2] = '\0';
    return strstr(list, key) != NULL;
}

/* Finnish function words minus English ones among the first tokens; stops
 * as soon as one side leads by three. */
static int finnish_vote(const text_buf *t)
{
    int vote = 0;
    for (uint32_t i = 0; i < t->ntok && i < VOTE_TOKENS && vote < 3 && vote > -3; i++) {
        const token *tk = &t->tok[i];
        if (tk->kind != TOK_WORD || tk->norm_len > 7) continue;
        const char *w = t->norm + tk->norm_off;
        vote += is_one_of(w, tk->norm_len, finnish_words);
        vote -= is_one_of(w, tk->norm_len, english_words);
    }
    return vote;
}

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

static const lex_lang *only(const culpa_lexicon *lex, const char *wanted, const char **code)
{
    return first_loaded(lex, &wanted, 1, code);
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
    if (sc[SCRIPT_HAN] * 3 * 3 >= total) return only(lex, "zh", code);
    if (sc[SCRIPT_HEBREW] * 3 >= total) return only(lex, "he", code);
    if (latin * 3 < total) return NULL;
    /* Vietnamese: its own letters (ơ ư ă đ, tone-marked vowels) are common */
    if (sc[SCRIPT_VI_MARK] * 20 >= latin && lex_lang_find(lex, "vi")) return only(lex, "vi", code);
    /* Finnish or English: ä ö å are evidence for Finnish, function words
     * decide.  A longer text without any of those letters is not Finnish,
     * which spares English text the vote. */
    if (lex_lang_find(lex, "fi")) {
        if (!lex_lang_find(lex, "en")) return only(lex, "fi", code);
        if (sc[SCRIPT_FI_MARK] || latin < 40) {
            int vote = finnish_vote(t) + (sc[SCRIPT_FI_MARK] * 40 >= latin ? 2 : 0);
            if (vote > 0) return only(lex, "fi", code);
        }
    }
    return only(lex, "en", code);
}
