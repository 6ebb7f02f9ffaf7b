/* Lexicon stage: file format, loading, hash tables, matching.
 *
 * Each language has two open-addressing tables keyed by XXH3 of the
 * normalized term: one for whole tokens and multi-token phrases, one for
 * stems.  A slot keeps the key's hash, where its bytes are, and all of the
 * entry's class weights, so a lookup touches one slot and compares the key
 * once.  Every proper prefix of a phrase has a slot too (possibly with no
 * class of its own) that says how long the longest phrase through it is, so
 * a match walks forward token by token and stops at the first absent
 * prefix: most phrase starts cost one extra probe.
 *
 * A token is keyed by XXH3 of its normalized bytes; a phrase by its first
 * token's hash extended by each next token's (lex_phrase_hash), so matching
 * hashes every token once and a phrase step costs a multiply, not a rehash
 * of the whole span. */
#ifndef CULPA_LEXICON_H
#define CULPA_LEXICON_H

#include <string.h>

#include "culpa.h"
#include "text.h"
#include "verdict.h"

#if TEXT_SLACK < 8
#error "matching reads a token's bytes eight at a time"
#endif

#define LEX_MAX_PHRASE 8   /* tokens in one term (CJK terms up to 8 ideographs) */
#define LEX_MAX_TERM 255   /* bytes in one normalized term */

typedef struct {
    uint64_t hash;
    uint64_t next;      /* bit lex_next_bit(h): a phrase continues with a token of hash h */
    uint32_t key_off;
    uint16_t key_len;
    uint16_t classes;   /* bit c set: weight[c] is an entry of class c */
    uint8_t phrase_max; /* longest phrase (tokens) that starts with this key */
    float weight[CULPA_CLASS_COUNT];
} lex_slot;

/* A prefix's `next` bits are a 64-bit Bloom filter of the tokens that can
 * follow it, so a phrase walk usually stops without hashing or probing. */
static inline unsigned lex_next_bit(uint64_t token_hash) { return (unsigned)(token_hash >> 58); }

/* The probe array is what a lookup walks: 8 bytes a slot, so a table of
 * tens of thousands of terms stays in L2.  An entry is touched only when the
 * upper half of its hash matches. */
typedef struct {
    uint32_t tag;   /* upper 32 bits of the hash, never 0; 0 marks an empty slot */
    uint32_t index; /* into lex_table.slots */
} lex_probe;

typedef struct {
    lex_probe *probe; /* capacity: a power of two, at most half full */
    size_t cap;
    lex_slot *slots;  /* the entries, dense, in insertion order */
    size_t used, slots_cap;
    char *keys;       /* key bytes of every entry */
    size_t keys_len, keys_cap;
} lex_table;

/* What a language does to a word that is not found as it stands. */
enum morph { MORPH_NONE = 0, MORPH_POSSESSIVE, MORPH_PREFIXES, MORPH_CLITICS };

/* How reviews in the language are built.  SHAPE_WHOLE_PARTS: Chinese
 * reviews list good points and bad ones, and 但是 or 不过 adds one more
 * detail to the list rather than overturn the verdict, so "but" leaves the
 * sentiment alone (it still divides the blame).  Measured: ChnSentiCorp
 * hotels 0.830 -> 0.843, the shopping reviews 0.896 -> 0.897.  A question
 * in such a review is rhetorical, a complaint ("这是正品吗？", "为什么没有
 * 赠品？"): each one asked with a full-width ？ counts as a mild negative
 * (score.c, ASKED_VALENCE).  Reviews with ？ in the shopping set are 20%
 * positive. */
enum shape { SHAPE_PLAIN = 0, SHAPE_WHOLE_PARTS };

typedef struct lex_lang {
    char code[4];
    uint8_t morph;   /* enum morph, from the code */
    uint8_t shape;   /* enum shape, from the code */
    uint8_t gaps;    /* a phrase may have one word of the text inside it (gaps_of) */
    lex_table words; /* tokens and phrases */
    lex_table stems; /* "stem*" entries, keyed by the stem */
    uint64_t stem_lengths; /* bit k: some stem is k bytes long (k < 64) */
    uint64_t *stem_heads;  /* lengths of the stems of 4+ bytes by how they begin (lex_find_stem) */
    size_t entries;        /* (term, class) pairs */
    int number_terms;      /* some term has LEX_NUMBER_WILDCARD in it */
    /* The same terms with their marks taken off ("thái độ" -> "thai do"),
     * for text written without them: much Vietnamese online is typed so.
     * NULL for a language that does not get one (lex_fold_marks). */
    struct lex_lang *unmarked;
    verdict_model verdict; /* from the folder's verdict.model; .present 0: none */
    verdict_model verdict_long; /* from its verdict_long.model (min_terms) */
} lex_lang;

/* A normalized term with its diacritics taken off: the marks combining
 * letters decompose into dropped, and the letters with a stroke (Vietnamese
 * "đ") written plain.  Writes at most len bytes to out (a code point whose
 * parts would be longer stays whole); returns the length, or -1 when key is
 * not UTF-8. */
int lex_fold_marks(const char *key, size_t len, char *out);

/* The token a term writes for "any number" ("took # days"): the tokenizer
 * keeps a lone "#" as a number token, and matching tries it for a number
 * that the term does not name as it stands. */
#define LEX_NUMBER_WILDCARD "#"

typedef struct detect_words detect_words;

struct culpa_lexicon {
    lex_lang *langs;
    size_t nlangs;
    detect_words *detect; /* detect.c's word lists */
};

/* The hash of one normalized token (or stem), never 0: the tokenizer's
 * (text_buf.hash holds it for every token of a text). */
static inline uint64_t lex_token_hash(const char *key, size_t len)
{
    return text_token_hash(key, len);
}

/* The hash of LEX_NUMBER_WILDCARD as a token. */
static inline uint64_t lex_number_hash(void)
{
    return lex_token_hash(LEX_NUMBER_WILDCARD, 1);
}

/* The hash of a phrase: its prefix's hash extended by the next token's.
 * The rotation makes "a b" and "b a" differ. */
static inline uint64_t lex_phrase_hash(uint64_t prefix, uint64_t next)
{
    uint64_t x = (prefix ^ (next << 23 | next >> 41)) * 0x9E3779B97F4A7C15ull;
    x ^= x >> 32;
    return x ? x : 1;
}

static inline uint32_t lex_hash_tag(uint64_t h)
{
    uint32_t tag = (uint32_t)(h >> 32);
    return tag ? tag : 1;
}

/* A table's key bytes are followed by at least this many readable bytes. */
#define LEX_KEY_SLACK 8

/* a[0..len) == b[0..len), eight bytes at a time.  With `padded`, both may be
 * read up to 7 bytes past len (the tail is compared under a mask), which
 * saves the byte loop for the short keys that matching compares. */
static inline int lex_same_bytes(const char *a, const char *b, size_t len, int padded)
{
    for (; len >= 8; a += 8, b += 8, len -= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y) return 0;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (padded) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        return ((x ^ y) & ((1ull << (8 * len)) - 1)) == 0; /* len < 8 */
    }
#endif
    for (; len; len--)
        if (*a++ != *b++) return 0;
    return 1;
}

static inline const lex_slot *lex_lookup_with(const lex_table *t, const char *key, size_t len,
                                              uint64_t h, int padded)
{
    if (!t->cap) return NULL;
    size_t mask = t->cap - 1;
    uint32_t tag = lex_hash_tag(h);
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        const lex_probe *p = &t->probe[i];
        if (p->tag == 0) return NULL;
        if (p->tag != tag) continue;
        const lex_slot *s = &t->slots[p->index];
        if (s->hash == h && s->key_len == len &&
            lex_same_bytes(t->keys + s->key_off, key, len, padded))
            return s;
    }
}

/* The slot for `key` whose hash (lex_token_hash or lex_phrase_hash) is h,
 * or NULL. */
static inline const lex_slot *lex_lookup(const lex_table *t, const char *key, size_t len,
                                         uint64_t h)
{
    return lex_lookup_with(t, key, len, h, 0);
}

/* The same for a key that is followed by at least LEX_KEY_SLACK readable
 * bytes, as every token of a text_buf is (TEXT_SLACK): the innermost step of
 * matching. */
static inline const lex_slot *lex_lookup_padded(const lex_table *t, const char *key, size_t len,
                                                uint64_t h)
{
    return lex_lookup_with(t, key, len, h, 1);
}

/* The key hash of any normalized term: one token's hash, or for a phrase
 * (tokens separated by single spaces) the tokens' hashes combined. */
uint64_t lex_term_hash(const char *key, size_t len);

/* The slot for a normalized term of any length, or NULL. */
const lex_slot *lex_find_term(const lex_table *t, const char *key, size_t len);

/* The slot for one token or stem `key`, or NULL. */
static inline const lex_slot *lex_find(const lex_table *t, const char *key, size_t len)
{
    return lex_lookup(t, key, len, lex_token_hash(key, len));
}

/* The longest stem of lang that is a prefix of key (at least 2 bytes), or
 * NULL. */
const lex_slot *lex_find_stem(const lex_lang *lang, const char *key, size_t len);

/* A word found neither as it stands nor by a stem: the language's own
 * fallbacks, each tried as a word and then by stem.  English: a possessive
 * "'s" comes off ("manager's").  Hebrew: up to three of the prefixes ו ה ב
 * ל מ ש כ come off, leaving at least two letters.  Finnish: a clitic
 * (-kin, -kaan, -kään, -han, -hän) comes off.  NULL when nothing fits. */
const lex_slot *lex_find_inflected(const lex_lang *lang, const char *key, size_t len);

/* The language with this code, or NULL. */
const lex_lang *lex_lang_find(const culpa_lexicon *lex, const char *code);

/* Parse a class name; -1 when unknown. */
int lex_class_parse(const char *s, size_t len);

#endif
