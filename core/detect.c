/* Language detection: see detect.h. */
#include "detect.h"

#include <stdlib.h>
#include <string.h>

/* Common function words that tell English from Finnish (words both use,
 * such as "on", are left out), and common words of Vietnamese typed without
 * its marks (words English also has, such as "to", "an", "la" or "ban", are
 * left out; Finnish "se" and "voi" are counted against), each list in one
 * string, separated by spaces. */
static const char english_words[] =
    "the and was is it to of for with this they we my not but very are were have had you that in at";
static const char finnish_words[] =
    "ja ei oli se että mutta kun tämä ole olla myös vain hyvin todella kanssa eikä en jo nyt niin"
    " sitten koska mitään ihan aivan vielä kuin mikä oikein vähän";
static const char vietnamese_words[] =
    "khong ko dc duoc nhung cua nhieu cung minh nguoi thi nay voi lam qua roi chua nhu nen phai"
    " mot rat va cho bi nhe nha sau gio ngay dung anh oi nhan vien khach ngon nhanh dep"
    " tot te mon quan phuc vu gia tien hon luon moi thay biet muon ma bao hong thang tuan nua ghi"
    " banh hoi xong doi dai mua sinh nhat gi lai vay nao thoi phong dat giao sai nham quen goi"
    " dien viec xe kha kem";

#define VOTE_TOKENS 60 /* function words are counted in the first tokens only */

/* Words that vote for a language (+1) or against it (-1), by their token
 * hashes, open addressing in a fixed array: filled once when the lexicon is
 * built, then read only, one probe a token. */
#define WORD_SET_SLOTS 256
typedef struct {
    uint64_t hash[WORD_SET_SLOTS]; /* 0: empty (a token hash is never 0) */
    int8_t vote[WORD_SET_SLOTS];
} word_votes;

struct detect_words {
    word_votes finnish;    /* Finnish words for, English ones against */
    word_votes vietnamese; /* Vietnamese words (without marks) for, English and Finnish against */
    /* the languages detection can answer, NULL when not loaded: found once
     * when the lexicon is built, not by name for every text */
    const lex_lang *zh, *he, *vi, *fi, *en;
};

static void word_votes_fill(word_votes *set, const char *list, int8_t vote)
{
    for (const char *w = list; *w;) {
        size_t len = strcspn(w, " ");
        uint64_t h = text_token_hash(w, len);
        size_t i = (size_t)h % WORD_SET_SLOTS;
        while (set->hash[i] && set->hash[i] != h) i = (i + 1) % WORD_SET_SLOTS;
        set->hash[i] = h;
        set->vote[i] = vote;
        w += len + (w[len] == ' ');
    }
}

static int word_vote(const word_votes *set, uint64_t h)
{
    for (size_t i = (size_t)h % WORD_SET_SLOTS; set->hash[i]; i = (i + 1) % WORD_SET_SLOTS)
        if (set->hash[i] == h) return set->vote[i];
    return 0;
}

detect_words *detect_words_new(const culpa_lexicon *lex)
{
    detect_words *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->zh = lex_lang_find(lex, "zh");
    d->he = lex_lang_find(lex, "he");
    d->vi = lex_lang_find(lex, "vi");
    d->fi = lex_lang_find(lex, "fi");
    d->en = lex_lang_find(lex, "en");
    word_votes_fill(&d->finnish, finnish_words, 1);
    word_votes_fill(&d->finnish, english_words, -1);
    word_votes_fill(&d->vietnamese, vietnamese_words, 1);
    word_votes_fill(&d->vietnamese, english_words, -1);
    word_votes_fill(&d->vietnamese, finnish_words, -1);
    return d;
}

void detect_words_free(detect_words *d) { free(d); }

/* The votes of the first tokens' words; stops as soon as one side leads by
 * `lead`.  Token hashes tell the words (a hash shared by two words by chance
 * costs a vote, not a wrong answer). */
static int vote(const text_buf *t, const word_votes *set, int lead)
{
    int v = 0;
    for (uint32_t i = 0; i < t->ntok && i < VOTE_TOKENS && v < lead && v > -lead; i++)
        if (t->tok[i].kind == TOK_WORD) v += word_vote(set, t->hash[i]);
    return v;
}

/* Words only the terms of `ours` know minus words those of `theirs` know
 * (a word is known when some term is it or starts with it: both know
 * "camera", which then counts for theirs), among the first tokens; stops as
 * soon as one side leads by `lead`. */
static int lexicon_vote(const text_buf *t, const lex_table *ours, const lex_table *theirs, int lead)
{
    int v = 0;
    for (uint32_t i = 0; i < t->ntok && i < VOTE_TOKENS && v < lead && v > -lead; i++) {
        const token *tk = &t->tok[i];
        if (tk->kind != TOK_WORD) continue;
        const char *key = t->norm + tk->norm_off;
        if (theirs && lex_lookup_padded(theirs, key, tk->norm_len, t->hash[i])) v--;
        else if (lex_lookup_padded(ours, key, tk->norm_len, t->hash[i])) v++;
    }
    return v;
}

/* Is the text's Latin script all plain ASCII letters? */
static int without_marks(const text_buf *t)
{
    const uint32_t *sc = t->script;
    return sc[SCRIPT_LATIN] && !(sc[SCRIPT_VI_MARK] | sc[SCRIPT_FI_MARK] | sc[SCRIPT_LATIN_MARK]);
}

const lex_lang *written_form(const lex_lang *lang, const text_buf *t)
{
    return lang->unmarked && without_marks(t) ? lang->unmarked : lang;
}

/* The answer `l` (NULL when its language is not loaded: "und"). */
static const lex_lang *answer(const lex_lang *l, const char **code)
{
    *code = l ? l->code : "und";
    return l;
}

/* Is a text without marks Vietnamese?  Its common words say so, or else,
 * when no English or Finnish ones speak against it (short texts have few
 * of either), the words only its terms know ("giang bai de hieu"). */
static int unmarked_vietnamese(const detect_words *d, const lex_lang *unmarked, const text_buf *t)
{
    int v = vote(t, &d->vietnamese, 2);
    if (v >= 2) return 1;
    if (v < 0) return 0; /* most English texts end here, without a lexicon lookup */
    return lexicon_vote(t, &unmarked->words, d->en ? &d->en->words : NULL, 3) >= 2;
}

const lex_lang *detect_lang(const culpa_lexicon *lex, const text_buf *t, const char **code)
{
    const detect_words *d = lex->detect;
    const uint32_t *sc = t->script;
    uint32_t latin = sc[SCRIPT_LATIN] + sc[SCRIPT_VI_MARK] + sc[SCRIPT_FI_MARK] + sc[SCRIPT_LATIN_MARK];
    uint32_t total = latin + sc[SCRIPT_HAN] + sc[SCRIPT_HEBREW] + sc[SCRIPT_OTHER];
    *code = "und";
    if (total == 0) { /* emoji and numbers only: score with the first language */
        return lex->nlangs ? &lex->langs[0] : NULL;
    }
    /* A script wins when it holds at least a third of the letters; Han
     * characters count thrice since one carries as much as a Latin word's
     * several letters. */
    if (sc[SCRIPT_HAN] * 3 * 3 >= total) return answer(d->zh, code);
    if (sc[SCRIPT_HEBREW] * 3 >= total) return answer(d->he, code);
    if (latin * 3 < total) return NULL;
    /* Vietnamese: its own letters (ơ ư ă đ, tone-marked vowels) are common;
     * typed without them, its words tell it (scored against its terms
     * without marks) */
    const lex_lang *vi = d->vi;
    if (vi && sc[SCRIPT_VI_MARK] * 20 >= latin) return answer(vi, code);
    if (vi && vi->unmarked && without_marks(t) && unmarked_vietnamese(d, vi->unmarked, t)) {
        *code = vi->code;
        return vi->unmarked;
    }
    /* Finnish or English: ä ö å are evidence for Finnish, function words
     * decide.  A longer text without any of those letters is not Finnish,
     * which spares English text the vote. */
    if (d->fi) {
        if (!d->en) return answer(d->fi, code);
        if (sc[SCRIPT_FI_MARK] || latin < 40) {
            int v = vote(t, &d->finnish, 3) + (sc[SCRIPT_FI_MARK] * 40 >= latin ? 2 : 0);
            if (v > 0) return answer(d->fi, code);
        }
    }
    return answer(d->en, code);
}
