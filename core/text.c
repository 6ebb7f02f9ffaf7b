/* Text stage: see text.h.
 *
 * Bytes below 0x80 take a table-driven fast path that never calls utf8proc.
 * Other code points cost one utf8proc_get_property() each (it carries the
 * category and whether a lower-case mapping exists); whole ranges that need
 * no lookup (Han ideographs, Hebrew letters) are recognized first. */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "grow.h"

/* ---- UTF-8 ------------------------------------------------------------- */

size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp, int *bad)
{
    unsigned char b = s[0];
    size_t need;
    int32_t c;
    unsigned char lo = 0x80, hi = 0xBF; /* bounds of the second byte */
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
        c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        c = b & 0x0F;
        if (b == 0xE0) lo = 0xA0;      /* no overlongs */
        else if (b == 0xED) hi = 0x9F; /* no surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        c = b & 0x07;
        if (b == 0xF0) lo = 0x90;      /* no overlongs */
        else if (b == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        goto invalid; /* continuation byte, C0, C1, F5..FF */
    }
    for (size_t k = 1; k <= need; k++) {
        if (k >= n) goto invalid_prefix;
        unsigned char cb = s[k];
        if (k == 1 ? (cb < lo || cb > hi) : (cb < 0x80 || cb > 0xBF)) {
            *cp = 0xFFFD;
            *bad = 1;
            return k; /* the maximal valid prefix becomes one U+FFFD */
        }
        c = (c << 6) | (cb & 0x3F);
    }
    *cp = c;
    return need + 1;
invalid_prefix:
    *cp = 0xFFFD;
    *bad = 1;
    return n;
invalid:
    *cp = 0xFFFD;
    *bad = 1;
    return 1;
}

size_t utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* utf8_decode with the common well-formed two- and three-byte sequences
 * (Latin letters with marks, Hebrew, Vietnamese, Han) decoded inline. */
static inline size_t decode(const unsigned char *s, size_t n, int32_t *cp, int *bad)
{
    unsigned char b = s[0];
    if (b >= 0xC2 && b <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = (int32_t)((b & 0x1Fu) << 6 | (s[1] & 0x3Fu));
        return 2;
    }
    /* E0 and ED restrict their second byte: left to utf8_decode */
    if (b >= 0xE1 && b <= 0xEF && b != 0xED && n >= 3 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        *cp = (int32_t)((b & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu));
        return 3;
    }
    return utf8_decode(s, n, cp, bad);
}

/* ---- character classes ------------------------------------------------ */

enum cclass {
    C_QUIET = 0, /* punctuation that neither joins nor splits: quotes, * # ... */
    C_SPACE,
    C_NEWLINE,  /* ends a sentence: reviews often have one per line */
    C_LETTER,   /* ASCII upper/lower letter, or any letter/mark/digit >= 0x80 */
    C_DIGIT,
    C_SENT,     /* . ! ? and their CJK forms */
    C_CLAUSE,   /* , ; : ( ) [ ] and dashes */
    C_APOS,     /* ' and U+2019 */
    C_HYPHEN,   /* joins the words around it without a boundary */
    C_HAN,
    C_EMOJI,
    C_SKIP      /* variation selectors, ZWJ, skin tones: dropped */
};

static const unsigned char ascii_class[128] = {
    [0] = C_SPACE, [1 ... 8] = C_QUIET, ['\t'] = C_SPACE, ['\n'] = C_NEWLINE,
    [11] = C_SPACE, [12] = C_SPACE, ['\r'] = C_SPACE, [14 ... 31] = C_QUIET,
    [' '] = C_SPACE, ['!'] = C_SENT, ['"'] = C_QUIET, ['#'] = C_QUIET,
    ['$'] = C_QUIET, ['%'] = C_QUIET, ['&'] = C_QUIET, ['\''] = C_APOS,
    ['('] = C_CLAUSE, [')'] = C_CLAUSE, ['*'] = C_QUIET, ['+'] = C_QUIET,
    [','] = C_CLAUSE, ['-'] = C_HYPHEN, ['.'] = C_SENT, ['/'] = C_CLAUSE,
    ['0' ... '9'] = C_DIGIT, [':'] = C_CLAUSE, [';'] = C_CLAUSE, ['<'] = C_QUIET,
    ['='] = C_QUIET, ['>'] = C_QUIET, ['?'] = C_SENT, ['@'] = C_QUIET,
    ['A' ... 'Z'] = C_LETTER, ['['] = C_CLAUSE, ['\\'] = C_QUIET, [']'] = C_CLAUSE,
    ['^'] = C_QUIET, ['_'] = C_QUIET, ['`'] = C_QUIET, ['a' ... 'z'] = C_LETTER,
    ['{'] = C_CLAUSE, ['|'] = C_CLAUSE, ['}'] = C_CLAUSE, ['~'] = C_QUIET,
    [127] = C_QUIET,
};

static int is_han(int32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0xF900 && c <= 0xFAFF);
}

static int is_emoji(int32_t c)
{
    return (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
           (c >= 0x231A && c <= 0x23FF) ||
           (c >= 0x1F000 && c <= 0x1F2FF) || c == 0x2B50 || c == 0x2B55 ||
           c == 0x2B06 || c == 0x2B07 || c == 0x2934 || c == 0x2935 ||
           (c >= 0x2190 && c <= 0x21FF) || c == 0x203C || c == 0x2049;
}

static int is_emoji_tail(int32_t c)
{
    return c == 0xFE0F || c == 0xFE0E || c == 0x200D || c == 0x20E3 ||
           (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F);
}

static int is_hebrew_point(int32_t c) { return c >= 0x0591 && c <= 0x05C7 && c != 0x05BE && c != 0x05C0 && c != 0x05C3 && c != 0x05C6; }

/* Class of a code point >= 0x80; *prop gets its properties when they were
 * looked up (NULL for the ranges recognized without a lookup). */
static enum cclass wide_class(int32_t c, const utf8proc_property_t **prop)
{
    *prop = NULL;
    if (is_han(c)) return C_HAN;
    if (c >= 0x05D0 && c <= 0x05EA) return C_LETTER; /* Hebrew letters: no case */
    if (is_emoji(c)) return C_EMOJI;
    if (is_emoji_tail(c)) return C_SKIP;
    switch (c) {
    case 0x2019: case 0x2018: case 0x02BC: return C_APOS;
    case 0x0085: case 0x2028: case 0x2029: return C_NEWLINE;
    case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF0E: case 0x2026: return C_SENT;
    case 0xFF0C: case 0x3001: case 0xFF1B: case 0xFF1A: case 0x2013: case 0x2014:
    case 0xFF08: case 0xFF09: return C_CLAUSE;
    case 0x2010: case 0x2011: return C_HYPHEN;
    case 0xFFFD: return C_QUIET;
    default: break;
    }
    const utf8proc_property_t *p = utf8proc_get_property(c);
    *prop = p;
    switch (p->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
        return C_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        return C_NEWLINE;
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
        return C_CLAUSE;
    case UTF8PROC_CATEGORY_SO:
        return C_EMOJI;
    default:
        return C_QUIET;
    }
}

static enum script script_of(int32_t c)
{
    if (c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF)) {
        if ((c >= 0x1EA0 && c <= 0x1EF9) || c == 0x01A1 || c == 0x01A0 || c == 0x01B0 ||
            c == 0x01AF || c == 0x0103 || c == 0x0102 || c == 0x0111 || c == 0x0110)
            return SCRIPT_VI_MARK;
        if (c == 0xE4 || c == 0xF6 || c == 0xC4 || c == 0xD6 || c == 0xE5 || c == 0xC5)
            return SCRIPT_FI_MARK;
        return c < 0x80 ? SCRIPT_LATIN : SCRIPT_LATIN_MARK;
    }
    if (c >= 0x0590 && c <= 0x05FF) return SCRIPT_HEBREW;
    if (is_han(c)) return SCRIPT_HAN;
    return SCRIPT_OTHER;
}

/* What a code point is inside a word (cp_info.role). */
enum cp_role {
    CP_OTHER = 0,   /* not part of a word */
    CP_LETTER,      /* a letter without case (Hebrew, Han, modifier letters) */
    CP_UPPER,       /* an upper- or title-case letter */
    CP_LOWER,       /* a lower-case letter (CP_LETTER to CP_LOWER: scan_word's letters) */
    CP_MARK,        /* a combining mark: the token is renormalized */
    CP_DIGIT,
    CP_DROPPED      /* Hebrew points and cantillation */
};

/* Look code point c up and keep it in cache entry e. */
static const cp_info *cp_fill(cp_info *e, int32_t c)
{
    const utf8proc_property_t *p;
    enum cclass cls = wide_class(c, &p);
    int32_t lower = c;
    e->cp = c;
    e->cls = (uint8_t)cls;
    e->script = (uint8_t)script_of(c);
    e->role = CP_OTHER;
    if (cls == C_DIGIT) {
        e->role = CP_DIGIT;
    } else if (cls == C_LETTER) {
        if (is_hebrew_point(c)) {
            e->role = CP_DROPPED;
        } else if (!p) {
            e->role = CP_LETTER; /* a Hebrew letter: no case */
        } else {
            int cat = p->category;
            if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
                cat == UTF8PROC_CATEGORY_ME)
                e->role = CP_MARK;
            else if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)
                e->role = CP_UPPER;
            else if (cat == UTF8PROC_CATEGORY_LL)
                e->role = CP_LOWER;
            else
                e->role = CP_LETTER;
            if (p->lowercase_seqindex != UINT16_MAX) lower = utf8proc_tolower(c);
        }
    }
    e->lower_len = (uint8_t)utf8_encode(lower, e->lower);
    return e;
}

/* The cached facts about code point c >= 0x80 (see cp_info). */
static inline const cp_info *cp_lookup(text_buf *t, int32_t c)
{
    cp_info *e = &t->cp_cache[((uint32_t)c ^ (uint32_t)c >> 9) & (TEXT_CP_CACHE - 1)];
    return e->cp == c ? e : cp_fill(e, c);
}

/* ---- buffers ----------------------------------------------------------- */

static int reserve_norm(text_buf *t, size_t more)
{
    return grow_to((void **)&t->norm, &t->norm_cap, t->norm_len + more, 1, 64);
}

/* Room for one more token in tok and hash (both grow to the same capacity
 * from the same one). */
static int grow_tokens(text_buf *t)
{
    size_t cap = t->tok_cap, hash_cap = t->tok_cap;
    if (grow_to((void **)&t->hash, &hash_cap, (size_t)t->ntok + 1, sizeof(uint64_t), 64) ||
        grow_to((void **)&t->tok, &cap, (size_t)t->ntok + 1, sizeof(token), 64))
        return -1;
    t->tok_cap = (uint32_t)cap;
    return 0;
}

static inline token *push_token(text_buf *t)
{
    if (t->ntok == t->tok_cap && grow_tokens(t)) return NULL;
    return &t->tok[t->ntok++];
}

void text_free(text_buf *t)
{
    free(t->tok);
    free(t->hash);
    free(t->norm);
    free(t->cps);
    memset(t, 0, sizeof *t);
}

/* ---- the tokenizer ----------------------------------------------------- */

typedef struct {
    text_buf *t;
    const unsigned char *s;
    size_t n;
    unsigned pending; /* flags for the next token */
} scan;

/* Re-normalize the token just written (it contains combining marks): NFC
 * through utf8proc's allocation-free calls, into the cps scratch. */
static int renormalize(scan *sc, token *tk)
{
    text_buf *t = sc->t;
    const unsigned char *p = (const unsigned char *)t->norm + tk->norm_off;
    size_t len = tk->norm_len, ncp = 0;
    if (grow_to((void **)&t->cps, &t->cps_cap, len * 4 + 8, sizeof(int32_t), 64)) return -1;
    for (size_t i = 0; i < len;) {
        int32_t c;
        int bad = 0;
        i += utf8_decode(p + i, len - i, &c, &bad);
        int last = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(c, t->cps + ncp,
                                                     (utf8proc_ssize_t)(t->cps_cap - ncp),
                                                     UTF8PROC_DECOMPOSE, &last);
        if (k < 0 || (size_t)k > t->cps_cap - ncp) return -1;
        ncp += (size_t)k;
        if (t->cps_cap - ncp < 8 &&
            grow_to((void **)&t->cps, &t->cps_cap, t->cps_cap * 2, sizeof(int32_t), 64))
            return -1;
    }
    utf8proc_ssize_t m = utf8proc_normalize_utf32(t->cps, (utf8proc_ssize_t)ncp,
                                                  UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (m < 0) return -1;
    t->norm_len = tk->norm_off;
    if (reserve_norm(t, (size_t)m * 4 + 1)) return -1;
    char *o = t->norm + t->norm_len;
    for (utf8proc_ssize_t k = 0; k < m; k++) o += utf8_encode(t->cps[k], o);
    tk->norm_len = (uint32_t)(o - (t->norm + tk->norm_off));
    t->norm_len = (size_t)(o - t->norm);
    return 0;
}

/* Vietnamese: the old placement of a tone mark on "oa", "oe" and "uy" at
 * the end of a syllable (hòa, khỏe, thủy) moves to the modern one (hoà,
 * khoẻ, thuỷ), so both spellings reach the same lexicon entry. */
static const int32_t toned_o[5] = {0xF2, 0xF3, 0x1ECF, 0xF5, 0x1ECD};
static const int32_t toned_u[5] = {0xF9, 0xFA, 0x1EE7, 0x169, 0x1EE5};
static const int32_t toned_a[5] = {0xE0, 0xE1, 0x1EA3, 0xE3, 0x1EA1};
static const int32_t toned_e[5] = {0xE8, 0xE9, 0x1EBB, 0x1EBD, 0x1EB9};
static const int32_t toned_y[5] = {0x1EF3, 0xFD, 0x1EF7, 0x1EF9, 0x1EF5};

static int tone_of(const int32_t *set, int32_t cp)
{
    for (int k = 0; k < 5; k++)
        if (set[k] == cp) return k;
    return -1;
}

/* Called right after the token was written, so its tail is the end of the
 * normalized buffer and may change length.  @return 0, or -1 when out of
 * memory. */
static int modern_tone_mark(text_buf *t, token *tk)
{
    const unsigned char *p = (const unsigned char *)t->norm + tk->norm_off;
    size_t len = tk->norm_len;
    /* the word must end in a, e or y after a toned vowel: look at the end only */
    if (len < 3) return 0;
    int32_t cp = p[len - 1], last;
    if (cp != 'a' && cp != 'e' && cp != 'y') return 0;
    size_t start = len - 2;
    while (start > 0 && (p[start] & 0xC0) == 0x80) start--;
    int bad = 0;
    utf8_decode(p + start, len - 1 - start, &last, &bad);
    int tone;
    const int32_t *to;
    char base;
    if ((tone = tone_of(toned_o, last)) >= 0 && (cp == 'a' || cp == 'e')) {
        base = 'o';
        to = cp == 'a' ? toned_a : toned_e;
    } else if ((tone = tone_of(toned_u, last)) >= 0 && cp == 'y') {
        base = 'u';
        to = toned_y;
    } else {
        return 0;
    }
    char scratch[4];
    size_t old = utf8_encode(last, scratch) + 1; /* toned vowel + plain a, e or y */
    if (reserve_norm(t, 8)) return -1;
    char *tail = t->norm + tk->norm_off + len - old;
    *tail = base;
    size_t n = 1 + utf8_encode(to[tone], tail + 1);
    tk->norm_len = (uint32_t)(len - old + n);
    t->norm_len = tk->norm_off + tk->norm_len;
    return 0;
}

static inline token *begin_token(scan *sc, size_t src_off, enum token_kind kind)
{
    token *tk = push_token(sc->t);
    if (!tk) return NULL;
    tk->norm_off = (uint32_t)sc->t->norm_len;
    tk->norm_len = 0;
    tk->src_off = (uint32_t)src_off;
    tk->src_len = 0;
    tk->kind = (uint8_t)kind;
    tk->flags = (uint8_t)sc->pending;
    sc->pending = 0;
    return tk;
}

/* The token is complete: its length, hash and the space after it. */
static inline void end_token(scan *sc, token *tk, size_t src_end)
{
    text_buf *t = sc->t;
    tk->norm_len = (uint32_t)(t->norm_len - tk->norm_off);
    tk->src_len = (uint32_t)(src_end - tk->src_off);
    t->hash[tk - t->tok] = text_token_hash(t->norm + tk->norm_off, tk->norm_len);
    t->norm[t->norm_len++] = ' '; /* room was reserved with the token */
}

/* The ASCII letters that start the eight bytes at s (all readable), eight
 * at a time: they are written lower-cased to o (all eight bytes are written,
 * the caller advances by the count), *lower gets bit 7 set in the lane of
 * each lower-case letter of the run (a word is in capitals when no lane of
 * it is set, so no capital needs counting), and the count is returned (0 to
 * 8).  Each byte is one lane of a 64-bit word; clearing bit 7 first keeps
 * the additions inside their lanes. */
static inline unsigned ascii_letters8(const unsigned char *s, char *o, uint64_t *lower)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t folded = (w | ones * 0x20) & ~high;        /* 'A'..'Z' -> 'a'..'z' */
    uint64_t from_a = folded + ones * (0x80 - 'a');     /* bit 7: >= 'a' */
    uint64_t past_z = folded + ones * (0x80 - 'z' - 1); /* bit 7: > 'z' */
    uint64_t letter = from_a & ~past_z & ~w & high;     /* bit 7: an ASCII letter */
    uint64_t stop = ~letter & high;
    uint64_t lowered = w | letter >> 2; /* bit 5 set on letters */
    memcpy(o, &lowered, 8);
    /* bit 5 was set: lower case; stop ^ (stop - 1) covers the lanes before
     * the first stop (all when none) */
    *lower = letter & w << 2 & (stop ^ (stop - 1));
    return stop ? (unsigned)__builtin_ctzll(stop) >> 3 : 8;
#else
    (void)s, (void)o;
    *lower = 0;
    return 0;
#endif
}

/* A word: letters, digits, marks, inner apostrophes, a decimal point or comma
 * between digits.  Returns the index after it, or 0 when out of memory.
 *
 * Room for the rest of the text is checked once per word (output never
 * exceeds twice the input it comes from, plus a space per token), so the
 * ASCII loop writes without checks. */
static size_t scan_word(scan *sc, size_t i)
{
    text_buf *t = sc->t;
    const unsigned char *s = sc->s;
    size_t n = sc->n;
    if (reserve_norm(t, 2 * (n - i) + 8)) return 0;
    token *tk = begin_token(sc, i, TOK_WORD);
    if (!tk) return 0;
    unsigned upper = 0, lower = 0, latin = 0, letters = 0, digits = 0, marks = 0, wide = 0;
    unsigned swar = 0;      /* ASCII letters taken eight at a time ... */
    uint64_t swar_lower = 0; /* ... and the lanes of the lower-case ones (ascii_letters8) */
    char *o = t->norm + t->norm_len;
    for (;;) {
        /* the ASCII run: letters eight at a time, the rest by table */
        for (;;) {
            while (n - i >= 8 && s[i] < 0x80) {
                uint64_t low;
                unsigned k = ascii_letters8(s + i, o, &low);
                swar_lower |= low;
                swar += k;
                latin += k;
                i += k;
                o += k;
                if (k < 8) break;
            }
            if (i >= n || s[i] >= 0x80) break;
            unsigned char b = s[i];
            unsigned char c = ascii_class[b];
            if (c == C_LETTER) {
                if (b <= 'Z') {
                    upper++;
                    b = (unsigned char)(b + 32);
                } else {
                    lower++;
                }
                latin++;
            } else if (c == C_DIGIT) {
                digits++;
            } else if (!((c == C_APOS && latin + letters && i + 1 < n && s[i + 1] < 0x80 &&
                          ascii_class[s[i + 1]] == C_LETTER) ||
                         ((b == '.' || b == ',') && digits && !(latin + letters) && i + 1 < n &&
                          s[i + 1] < 0x80 && ascii_class[s[i + 1]] == C_DIGIT))) {
                break; /* only an apostrophe between letters or a decimal point or comma
                          between digits ("1,5 tuntia", "1,000") stay */
            }
            *o++ = (char)b;
            i++;
        }
        if (i >= n || s[i] < 0x80) break;
        /* the wide characters up to the next ASCII byte (a Hebrew word is
         * all of them), the plain letters first */
        int stop = 0;
        do {
            int32_t cp;
            int bad = 0;
            size_t k = decode(s + i, n - i, &cp, &bad);
            if (bad) { /* the caller counts the repair */
                stop = 1;
                break;
            }
            const cp_info *ci = cp_lookup(t, cp);
            unsigned role = ci->role;
            if (role - CP_LETTER <= CP_LOWER - CP_LETTER) { /* a letter (class C_LETTER) */
                letters++;
                t->script[ci->script]++;
                upper += role == CP_UPPER;
                lower += role == CP_LOWER;
            } else {
                enum cclass c = ci->cls;
                if (c == C_APOS && latin + letters && i + k < n && s[i + k] < 0x80 &&
                    ascii_class[s[i + k]] == C_LETTER) {
                    *o++ = '\''; /* U+2019 and friends spell as ' */
                    i += k;
                    continue; /* an ASCII letter follows */
                }
                if (c != C_LETTER && c != C_DIGIT) {
                    stop = 1;
                    break;
                }
                if (role == CP_DROPPED) { /* niqqud and cantillation */
                    i += k;
                    continue;
                }
                if (role == CP_DIGIT) digits++;
                else marks++; /* CP_MARK: the roles left of C_LETTER and C_DIGIT */
            }
            i += k;
            memcpy(o, ci->lower, 4); /* room: k >= 2 bytes in, at most twice out */
            o += ci->lower_len;
            wide = 1;
        } while (i < n && s[i] >= 0x80);
        if (stop) break;
    }
    /* what the case rules below need of the letters taken eight at a time:
     * any lower-case one, else how many capitals */
    if (swar_lower) lower++;
    else upper += swar;
    t->norm_len = (size_t)(o - t->norm);
    t->script[SCRIPT_LATIN] += latin;
    letters += latin;
    tk->norm_len = (uint32_t)(t->norm_len - tk->norm_off);
    if (marks && renormalize(sc, tk)) return 0;
    if (wide && modern_tone_mark(t, tk)) return 0;
    if (tk->norm_len == 0) { /* only dropped points: no token */
        t->ntok--;
        sc->pending |= tk->flags;
        return i;
    }
    if (!letters) {
        tk->kind = TOK_NUMBER;
        t->numbers++;
    }
    if (upper + lower) {
        t->cased_words++;
        if (upper >= 2 && lower == 0) {
            tk->flags |= TF_CAPS;
            t->caps_words++;
        }
    }
    if (reserve_norm(t, 1)) return 0;
    end_token(sc, tk, i);
    return i;
}

/* ASCII emoticons such as ":-)", "<3" or ";P": a whitespace-delimited chunk
 * of 2 to 8 printable bytes that starts with punctuation, has "eyes" (: ; =
 * ^) or a heart's "<", and holds no two letters in a row.  Returns its length, or 0 when the chunk is not one. */
static size_t emoticon_length(const unsigned char *s, size_t n, size_t i)
{
    unsigned char b = s[i];
    if (b == '.' || b == ',' || b == '!' || b == '?' || b == '"' || b == '\'' ||
        b == '-' || b == '*' || b == '#' || b == '@' || b == '&' || b == '/' || b == '\\')
        return 0;
    if (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t' && s[i - 1] != '\n') return 0;
    size_t j = i;
    int prev_letter = 0, eyes = b == '<';
    while (j < n && j - i <= 8 && s[j] > ' ' && s[j] < 0x7F) {
        int letter = ascii_class[s[j]] == C_LETTER;
        if (letter && prev_letter) return 0;
        eyes |= s[j] == ':' || s[j] == ';' || s[j] == '=' || s[j] == '^';
        prev_letter = letter;
        j++;
    }
    size_t len = j - i;
    if (!eyes || len < 2 || len > 8 || (j < n && s[j] > ' ')) return 0;
    return len;
}

/* A social-media mention ("@Moto_Support"): '@' not preceded by a word
 * character (so not an e-mail address), then letters, digits and
 * underscores.  Returns its length, or 0 when the '@' is something else.
 * Its parts would read as words ("support", "care", "help") and lend the
 * text a valence it does not have. */
static size_t mention_length(const unsigned char *s, size_t n, size_t i)
{
    if (i > 0 && s[i - 1] < 0x80 && (ascii_class[s[i - 1]] == C_LETTER ||
                                     ascii_class[s[i - 1]] == C_DIGIT || s[i - 1] == '_'))
        return 0;
    size_t j = i + 1;
    while (j < n && s[j] < 0x80 &&
           (ascii_class[s[j]] == C_LETTER || ascii_class[s[j]] == C_DIGIT || s[j] == '_'))
        j++;
    return j - i > 1 ? j - i : 0;
}

/* Does the ':' at s[i] begin a web address, "http://" or "https://"?  Only
 * checked at a colon, so ordinary text pays nothing for it. */
static int is_link(const text_buf *t, const unsigned char *s, size_t n, size_t i)
{
    if (!t->ntok || n - i < 3 || s[i + 1] != '/' || s[i + 2] != '/') return 0;
    const token *p = &t->tok[t->ntok - 1];
    if (p->src_off + p->src_len != i) return 0;
    const char *w = t->norm + p->norm_off;
    return (p->norm_len == 4 && memcmp(w, "http", 4) == 0) ||
           (p->norm_len == 5 && memcmp(w, "https", 5) == 0);
}

/* Longest word ascii_words takes, in bytes: it writes at most this plus
 * eight bytes of the normalized buffer per word. */
#define ASCII_WORD_MAX 32

/* The commonest words: ASCII letters with inner apostrophes ("don't"), up
 * to ASCII_WORD_MAX bytes, each followed by a byte that plainly ends it (a
 * space or punctuation, not a digit, nor a byte >= 0x80 that may continue
 * it).  A run of them (one space apart) is emitted here with the least
 * bookkeeping: letters eight at a time, each token's fields, hash and
 * trailing space, with the buffer ends and counters kept in locals and
 * written back once.  s[i] is an ASCII letter.  Returns the index where the
 * run stops: a letter when the word there needs scan_word (which also
 * grows the buffers when they are full), else the byte after the run. */
static size_t ascii_words(text_buf *t, const unsigned char *s, size_t n, size_t i,
                          unsigned *pending)
{
    token *tok = t->tok;
    uint64_t *hash = t->hash;
    char *norm = t->norm;
    size_t norm_len = t->norm_len, norm_room = t->norm_cap;
    uint32_t ntok = t->ntok, tok_cap = t->tok_cap;
    unsigned flags = *pending, words = 0, caps = 0, latin = 0;
#if !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
    return i; /* no SWAR: every word is scan_word's */
#endif
    while (ntok < tok_cap && norm_room - norm_len >= ASCII_WORD_MAX + 8) {
        char *o = norm + norm_len;
        size_t j = i; /* ASCII: the normalized text is as long as the source */
        unsigned letters = 0, k;
        uint64_t lower = 0;
        do {
            if (n - j < 8 || j - i > ASCII_WORD_MAX - 8) goto out; /* scan_word's */
            uint64_t low;
            k = ascii_letters8(s + j, o + (j - i), &low);
            lower |= low;
            letters += k;
            j += k;
            if (k < 8 && s[j] == '\'' && j + 1 < n && s[j + 1] < 0x80 &&
                ascii_class[s[j + 1]] == C_LETTER) { /* an inner apostrophe */
                o[j - i] = '\'';
                j++;
                k = 8;
            }
        } while (k == 8);
        unsigned char next = s[j]; /* j < n: k < 8 letters were read of eight bytes */
        if (next >= 0x80 || ascii_class[next] == C_DIGIT) goto out; /* the word may go on */
        uint32_t len = (uint32_t)(j - i);
        token *tk = &tok[ntok];
        tk->norm_off = (uint32_t)norm_len;
        tk->norm_len = len;
        tk->src_off = (uint32_t)i;
        tk->src_len = len;
        tk->kind = TOK_WORD;
        if (!lower && letters >= 2) { /* all capitals */
            flags |= TF_CAPS;
            caps++;
        }
        tk->flags = (uint8_t)flags;
        flags = 0;
        hash[ntok] = text_token_hash(o, len);
        o[len] = ' ';
        ntok++;
        norm_len += len + 1;
        words++;
        latin += letters;
        i = j + (next == ' ');
        if (i >= n || s[i] >= 0x80 || ascii_class[s[i]] != C_LETTER) break;
    }
out:
    if (!words) return i; /* the first word is scan_word's: nothing to write back */
    *pending = flags;
    t->ntok = ntok;
    t->norm_len = norm_len;
    t->cased_words += words;
    t->caps_words += caps;
    t->script[SCRIPT_LATIN] += latin;
    return i;
}

/* Chinese puts no spaces between words: white space between two Han
 * characters separates phrases ("没洗 谢谢"), so a negator or booster must
 * not reach across it. */
static int han_gap(const text_buf *t, size_t i)
{
    const token *prev = &t->tok[t->ntok - 1];
    return prev->kind == TOK_HAN && prev->src_off + prev->src_len < i;
}

/* Is s[i..n) a well-formed three-byte Han ideograph (U+3400..U+4DBF,
 * U+4E00..U+9FFF, U+F900..U+FAFF)?  A lead byte E0..EF with two
 * continuation bytes decodes to one of them only when the sequence is
 * valid UTF-8 (no overlong form or surrogate falls in those ranges). */
static inline int han3_at(const unsigned char *s, size_t n, size_t i)
{
    if (n - i < 3) return 0;
    /* the three bytes in one word: lead 1110xxxx, then two 10xxxxxx */
    uint32_t w = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
    if ((w & 0xF0C0C0) != 0xE08080) return 0;
    uint32_t c = (w >> 4 & 0xF000) | (w >> 2 & 0x0FC0) | (w & 0x3F);
    return c - 0x4E00 <= 0x9FFF - 0x4E00 || c - 0x3400 <= 0x4DBF - 0x3400 ||
           c - 0xF900 <= 0xFAFF - 0xF900;
}

/* A run of three-byte Han characters from s[i] (han3_at holds there), each
 * its own token, as the general path in text_tokenize would cut them (no
 * case, no marks: the token's text is the character's bytes), with the
 * least bookkeeping: buffer ends and counters in locals, written back once.
 * Only the run's first character can follow a gap (han_gap); the rest
 * follow a Han character directly.  Returns the index where the run stops,
 * i itself when the buffers are full (the general path grows them). */
NOINLINE static size_t han_run(text_buf *t, const unsigned char *s, size_t n, size_t i,
                               unsigned *pending)
{
    token *tok = t->tok;
    uint64_t *hash = t->hash;
    char *norm = t->norm;
    size_t norm_len = t->norm_len, norm_room = t->norm_cap, start = i;
    uint32_t ntok = t->ntok, tok_cap = t->tok_cap;
    unsigned flags = *pending;
    if (ntok && han_gap(t, i)) flags |= TF_CLAUSE_START;
    do {
        if (ntok == tok_cap || norm_room - norm_len < 4) break;
        char *o = norm + norm_len;
        memcpy(o, s + i, 3);
        o[3] = ' ';
        token *tk = &tok[ntok];
        tk->norm_off = (uint32_t)norm_len;
        tk->norm_len = 3;
        tk->src_off = (uint32_t)i;
        tk->src_len = 3;
        tk->kind = TOK_HAN;
        tk->flags = (uint8_t)flags;
        flags = 0;
        hash[ntok] = text_token_hash(o, 3);
        ntok++;
        norm_len += 4;
        i += 3;
    } while (han3_at(s, n, i));
    if (i == start) return i; /* no room: nothing to write back */
    *pending = flags;
    t->ntok = ntok;
    t->norm_len = norm_len;
    t->script[SCRIPT_HAN] += (uint32_t)((i - start) / 3);
    return i;
}

/* Does a full-width question mark (EF BC 9F) end just before byte i? */
static int follows_wide_question(const unsigned char *s, size_t i)
{
    return i >= 3 && s[i - 3] == 0xEF && s[i - 2] == 0xBC && s[i - 1] == 0x9F;
}

/* Quotation marks around one word, within QUOTE_BYTES: in a review these
 * are mostly scare quotes ("fresh" fish, “helpful” staff, “好吃”), and its
 * tokens get TF_QUOTED; quotations of more words are speech, names and
 * inscriptions ("happy anniversary" in chocolate).  A Chinese word is a run
 * of up to QUOTE_HAN characters. */
#define QUOTE_HAN 4
#define QUOTE_BYTES 48

enum quote_role { QUOTE_NONE = 0, QUOTE_OPENS = 1, QUOTE_CLOSES = 2, QUOTE_EITHER = 3 };

/* The quotation open, if any. */
typedef struct {
    int64_t from; /* the first token after the opening mark, or -1 */
    size_t at;    /* where that mark stands */
} quotation;

static enum quote_role quote_role(int32_t cp)
{
    switch (cp) {
    case '"': return QUOTE_EITHER;
    case 0x201C: case 0x201E: case 0xAB: case 0x300C: case 0x300E:
        return QUOTE_OPENS; /* “ „ « 「 『 (‘ and ’ are apostrophes: apostrophe_role) */
    case 0x201D: case 0xBB: case 0x300D: case 0x300F:
        return QUOTE_CLOSES; /* ” » 」 』 */
    default: return QUOTE_NONE;
    }
}

/* Is s[i] between two letters, ASCII or Hebrew?  A '"' there is no
 * quotation mark: Hebrew writes its acronyms so (צה"ל, בע"מ). */
static int between_letters(const unsigned char *s, size_t n, size_t i)
{
    int before = (i >= 1 && s[i - 1] < 0x80 && ascii_class[s[i - 1]] == C_LETTER) ||
                 (i >= 2 && s[i - 2] == 0xD7 && s[i - 1] >= 0x90 && s[i - 1] <= 0xAA);
    int after = (i + 1 < n && s[i + 1] < 0x80 && ascii_class[s[i + 1]] == C_LETTER) ||
                (i + 2 < n && s[i + 1] == 0xD7 && s[i + 2] >= 0x90 && s[i + 2] <= 0xAA);
    return before && after;
}

/* A quotation mark at s[i]: it closes the open quotation (marking its
 * tokens when they are one word) or opens one.  A '"' between letters is
 * neither. */
NOINLINE static void quotation_mark(text_buf *t, quotation *q, const unsigned char *s, size_t n,
                                    size_t i, enum quote_role role)
{
    if (role == QUOTE_EITHER && between_letters(s, n, i)) return;
    if (q->from >= 0 && role != QUOTE_OPENS) {
        uint32_t from = (uint32_t)q->from, count = t->ntok - from, han = 0;
        for (uint32_t k = from; k < t->ntok; k++) han += t->tok[k].kind == TOK_HAN;
        int one_word = count == 1 || (han == count && count <= QUOTE_HAN);
        if (count && one_word && i - q->at <= QUOTE_BYTES) {
            for (uint32_t k = from; k < t->ntok; k++) t->tok[k].flags |= TF_QUOTED;
            t->quoted += count;
        }
        q->from = -1;
    } else if (role != QUOTE_CLOSES) {
        q->from = t->ntok;
        q->at = i;
    }
}

/* An apostrophe used as a quotation mark (one that stands between letters
 * is inside a word): ASCII ' opening before a letter where a word cannot be
 * going on ('fresh'), closing after one while a quotation is open, so
 * "customers'" opens nothing; ‘ opens, ’ closes. */
NOINLINE static enum quote_role apostrophe_role(const unsigned char *s, size_t n, size_t i, int32_t cp,
                                               const quotation *q)
{
    if (cp == 0x2018) return QUOTE_OPENS;
    if (cp == 0x2019) return q->from >= 0 ? QUOTE_CLOSES : QUOTE_NONE;
    if (cp != '\'') return QUOTE_NONE;
    int letter_after = i + 1 < n && s[i + 1] < 0x80 && ascii_class[s[i + 1]] == C_LETTER;
    int letter_before = i > 0 && s[i - 1] < 0x80 && ascii_class[s[i - 1]] == C_LETTER;
    if (!letter_before && letter_after) return QUOTE_OPENS;
    if (letter_before && !letter_after && q->from >= 0) return QUOTE_CLOSES;
    return QUOTE_NONE;
}

/* Is the byte at s[i] part of a word for a "#" beside it: an ASCII letter
 * or digit, another "#", or any byte of a non-ASCII letter other than a Han
 * character (Chinese writes "等了#分钟" with no spaces). */
static int joins_hash(const unsigned char *s, size_t n, size_t i, int before)
{
    if (s[i] < 0x80)
        return ascii_class[s[i]] == C_LETTER || ascii_class[s[i]] == C_DIGIT || s[i] == '#';
    return before ? !(i >= 2 && han3_at(s, n, i - 2)) : !han3_at(s, n, i);
}

/* Is the "#" at s[i] alone: a token that stands for any number ("took #
 * days": see score.c)?  "#1" and "#foodie" are tags, not tokens. */
static int stands_alone(const unsigned char *s, size_t n, size_t i)
{
    return !(i > 0 && joins_hash(s, n, i - 1, 1)) && !(i + 1 < n && joins_hash(s, n, i + 1, 0));
}

int text_tokenize(text_buf *t, const char *src, size_t n)
{
    scan sc = {t, (const unsigned char *)src, n, TF_SENT_START};
    quotation quote = {-1, 0};
    const unsigned char *s = sc.s;
    t->ntok = 0;
    t->norm_len = 0;
    t->numbers = t->quoted = t->exclaims = t->questions = t->asked = t->caps_words = t->cased_words =
        t->repairs = t->links = 0;
    memset(t->script, 0, sizeof t->script);
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        enum cclass c;
        int32_t cp = b;
        size_t k = 1;
        if (b < 0x80) {
            c = ascii_class[b];
            if (c == C_SPACE) { /* the commonest byte after letters: no switch */
                i++;
                continue;
            }
            if (c == C_LETTER) { /* then words: a run of plain ones without the switch */
                i = ascii_words(t, s, n, i, &sc.pending);
                if (i < n && s[i] < 0x80 && ascii_class[s[i]] == C_LETTER &&
                    !(i = scan_word(&sc, i))) /* a word ascii_words left */
                    return -1;
                continue;
            }
        } else {
            if (han3_at(s, n, i)) { /* Chinese: a run of characters, a token each */
                size_t j = han_run(t, s, n, i, &sc.pending);
                if (j != i) {
                    i = j;
                    continue;
                }
            }
            int bad = 0;
            k = decode(s + i, n - i, &cp, &bad);
            if (bad) {
                t->repairs++;
                i += k;
                continue;
            }
            /* Han characters, thousands of them, would crowd the cache out */
            c = is_han(cp) ? C_HAN : (enum cclass)cp_lookup(t, cp)->cls;
        }
        switch (c) {
        case C_LETTER:
        case C_DIGIT:
            i = scan_word(&sc, i);
            if (!i) return -1;
            continue;
        case C_HAN:
        case C_EMOJI: {
            if (c == C_HAN && t->ntok && han_gap(t, i)) sc.pending |= TF_CLAUSE_START;
            token *tk = begin_token(&sc, i, c == C_HAN ? TOK_HAN : TOK_EMOJI);
            if (!tk || reserve_norm(t, 5)) return -1;
            t->norm_len += utf8_encode(cp, t->norm + t->norm_len);
            if (c == C_HAN) t->script[SCRIPT_HAN]++;
            i += k;
            /* an emoji's modifiers and ZWJ-joined tail belong to it */
            while (c == C_EMOJI && i < n && s[i] >= 0x80) {
                int32_t nc;
                int bad = 0;
                size_t kk = utf8_decode(s + i, n - i, &nc, &bad);
                if (bad || !is_emoji_tail(nc)) break;
                i += kk;
                if (nc == 0x200D && i < n) { /* skip the joined emoji too */
                    kk = utf8_decode(s + i, n - i, &nc, &bad);
                    if (bad) break;
                    i += kk;
                }
            }
            end_token(&sc, tk, i);
            continue;
        }
        case C_SENT:
            if (cp == '!' || cp == 0xFF01) t->exclaims++;
            else if (cp == '?' || cp == 0xFF1F) t->questions++;
            if (cp == 0xFF1F && !follows_wide_question(s, i)) t->asked++;
            sc.pending |= TF_SENT_START;
            break;
        case C_NEWLINE:
            sc.pending |= TF_SENT_START;
            break;
        case C_CLAUSE:
        case C_QUIET: {
            enum quote_role q = quote_role(cp);
            if (q) quotation_mark(t, &quote, s, n, i, q);
            size_t e = b < 0x80 ? emoticon_length(s, n, i) : 0;
            if (e) {
                token *tk = begin_token(&sc, i, TOK_SYMBOL);
                if (!tk || reserve_norm(t, e + 1)) return -1;
                memcpy(t->norm + t->norm_len, s + i, e);
                t->norm_len += e;
                end_token(&sc, tk, i + e);
                sc.pending |= TF_CLAUSE_START;
                i += e;
                continue;
            }
            if (b == '#' && stands_alone(s, n, i)) { /* the lexicon's "any number" */
                token *tk = begin_token(&sc, i, TOK_NUMBER);
                if (!tk || reserve_norm(t, 2)) return -1;
                t->norm[t->norm_len++] = '#';
                t->numbers++;
                end_token(&sc, tk, i + 1);
                i++;
                continue;
            }
            if (c == C_CLAUSE) sc.pending |= TF_CLAUSE_START;
            if (b == ':' && is_link(t, s, n, i)) t->links++;
            if (b == '@') { /* a mention names an account: its parts are not words */
                size_t e2 = mention_length(s, n, i);
                if (e2) {
                    i += e2;
                    continue;
                }
            }
            break;
        }
        case C_HYPHEN: /* joins "well-made"; a spaced dash splits clauses */
            if ((i > 0 && s[i - 1] == ' ') || (i + 1 < n && s[i + 1] == ' '))
                sc.pending |= TF_CLAUSE_START;
            break;
        case C_APOS: {
            enum quote_role q = apostrophe_role(s, n, i, cp, &quote);
            if (q) quotation_mark(t, &quote, s, n, i, q);
            break;
        }
        case C_SPACE:
        case C_SKIP:
            break;
        }
        i += k;
    }
    return reserve_norm(t, TEXT_SLACK) ? -1 : 0;
}
