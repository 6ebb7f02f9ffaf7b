/* Text stage: UTF-8 validation and repair, normalization, tokenization.
 *
 * One pass over the bytes produces a token array and a normalized buffer in
 * which every token's text (NFC, lower case, Hebrew points removed) is
 * followed by one space.  A run of tokens is therefore one contiguous span of
 * that buffer, which is exactly how the lexicon stores multi-word terms. */
#ifndef CULPA_TEXT_H
#define CULPA_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Kept out of line: a path that only some texts take, inlined into a hot
 * loop, costs that loop registers (han_run inlined into text_tokenize cost
 * the English path 0.6 to 1.0 instructions a byte, measured). */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* Inlined wherever it is called, so that a flag passed as a constant
 * compiles each caller its own loop (score.c: match_all). */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

enum token_kind {
    TOK_WORD = 0, /* letters, possibly with digits, apostrophes */
    TOK_NUMBER,   /* digits only (with a decimal point) */
    TOK_HAN,      /* one CJK ideograph */
    TOK_EMOJI,    /* one emoji (modifiers and ZWJ tails dropped) */
    TOK_SYMBOL    /* an ASCII emoticon such as ":-)" */
};

enum token_flag {
    TF_CAPS = 1,         /* two or more letters, all upper case */
    TF_SENT_START = 2,   /* first token of a sentence */
    TF_CLAUSE_START = 4, /* first token after a clause mark (, ; : ( ...) */
    TF_QUOTED = 8,       /* a word alone in quotation marks ("fresh") */
};

enum script {
    SCRIPT_LATIN = 0,
    SCRIPT_HAN,
    SCRIPT_HEBREW,
    SCRIPT_OTHER,
    SCRIPT_VI_MARK, /* letters only Vietnamese uses: ơ ư ă đ and tone-marked vowels */
    SCRIPT_FI_MARK, /* ä ö å */
    SCRIPT_LATIN_MARK, /* the other Latin letters beyond ASCII (é ó ô ...) */
    SCRIPT_COUNT
};

typedef struct {
    uint32_t norm_off; /* start in text_buf.norm */
    uint32_t norm_len; /* bytes, without the trailing space */
    uint32_t src_off;  /* start in the source text */
    uint32_t src_len;
    uint8_t kind;      /* enum token_kind */
    uint8_t flags;     /* enum token_flag */
} token;

/* What the tokenizer needs to know of a code point >= 0x80: looked up once
 * through utf8proc, then kept in a small direct-mapped cache in the buffer
 * (reviews repeat the same few hundred letters of their language). */
typedef struct {
    int32_t cp;     /* the code point held here; 0: empty */
    char lower[4];  /* its lower case (itself when it has none) in UTF-8 ... */
    uint8_t lower_len; /* ... of this many bytes */
    uint8_t cls;    /* its character class (text.c) */
    uint8_t role;   /* what it is inside a word (text.c) */
    uint8_t script; /* enum script */
} cp_info;

#define TEXT_CP_CACHE 512 /* entries, a power of two */

typedef struct {
    token *tok;
    uint64_t *hash; /* token k's text_token_hash, filled as the token is cut */
    uint32_t ntok, tok_cap; /* tok and hash both hold tok_cap */
    char *norm;
    size_t norm_len, norm_cap;
    int32_t *cps; /* scratch for re-normalizing one token */
    size_t cps_cap;
    /* what the scorer needs about the whole text */
    uint32_t exclaims, questions;
    uint32_t links; /* web addresses ("https://...") */
    uint32_t numbers; /* number tokens (TOK_NUMBER) */
    uint32_t quoted;  /* tokens with TF_QUOTED */
    uint32_t asked; /* questions ended by a full-width mark (？, a run once) */
    uint32_t caps_words, cased_words;
    uint32_t repairs;
    uint32_t script[SCRIPT_COUNT];
    cp_info cp_cache[TEXT_CP_CACHE];
} text_buf;

/* Bytes of room text_tokenize leaves past the end of the normalized text,
 * so that any token's bytes may be read eight at a time. */
#define TEXT_SLACK 8

/* The key hash of one normalized token: XXH3 of its bytes, never 0 (the
 * lexicon's tables use 0 for an empty slot).  The tokenizer computes it for
 * every token as it writes the token's text, so matching reads it from
 * text_buf.hash instead of hashing in a second pass. */
static inline uint64_t text_token_hash(const char *s, size_t len)
{
    uint64_t h = XXH3_64bits(s, len);
    return h ? h : 1;
}

/* Tokenize `n` bytes of `src` into `t`, replacing what it held.  Grows the
 * buffers when needed.  @return 0, or -1 when out of memory. */
int text_tokenize(text_buf *t, const char *src, size_t n);

void text_free(text_buf *t);

/* The normalized bytes of tokens [first, first + count): one span with single
 * spaces between the tokens. */
static inline const char *text_span(const text_buf *t, uint32_t first, uint32_t count,
                                    size_t *len)
{
    const token *a = &t->tok[first], *b = &t->tok[first + count - 1];
    *len = (size_t)(b->norm_off + b->norm_len - a->norm_off);
    return t->norm + a->norm_off;
}

/* Decode one UTF-8 sequence at s[0..n).  Returns its length (>= 1) and the
 * code point in *cp; an invalid or truncated sequence yields U+FFFD, consumes
 * the bytes up to the first that cannot continue it, and sets *bad. */
size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp, int *bad);

/* Encode cp as UTF-8 into out (room for 4 bytes); returns the length. */
size_t utf8_encode(int32_t cp, char *out);

#endif
