/* Lexicon stage: see lexicon.h and the format notes in culpa.h. */
#include "lexicon.h"

#include "detect.h"

#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "error.h"
#include "grow.h"

#ifndef CULPA_DEFAULT_LEXICON_DIR
#define CULPA_DEFAULT_LEXICON_DIR "/usr/local/share/culpa/lexicons"
#endif

#define COMMON_CODE "*" /* the builder's name for the "common" folder */

static const char *const class_names[CULPA_CLASS_COUNT] = {
    "val", "boost", "neg", "contrast", "biz", "cust", "third", "fault_biz", "fault_cust",
    "exonerate", "reply", "promise", "outcome",
};

/* Allowed weights per class: [lo, hi]. */
static const float class_range[CULPA_CLASS_COUNT][2] = {
    {-5, 5}, {-2, 2}, {0, 4}, {0, 4}, {0, 4}, {0, 4}, {0, 4},
    {0, 4},  {0, 4},  {0, 4}, {0, 4}, {0, 4}, {0, 4}, /* ... reply, promise, outcome */
};

const char *culpa_class_str(culpa_class c)
{
    return (unsigned)c < CULPA_CLASS_COUNT ? class_names[c] : "unknown";
}

int lex_class_parse(const char *s, size_t len)
{
    for (int c = 0; c < CULPA_CLASS_COUNT; c++)
        if (strlen(class_names[c]) == len && memcmp(class_names[c], s, len) == 0) return c;
    return -1;
}

const char *culpa_default_lexicon_dir(void) { return CULPA_DEFAULT_LEXICON_DIR; }

/* ---- per-language fallbacks -------------------------------------------- */

/* A word as it stands, else by its longest stem. */
static const lex_slot *find_word_or_stem(const lex_lang *lang, const char *key, size_t len)
{
    const lex_slot *s = lex_find(&lang->words, key, len);
    if (s && s->classes) return s;
    return lex_find_stem(lang, key, len);
}

static int is_hebrew_prefix(const unsigned char *p)
{
    /* ו ה ב ל מ ש כ: D7 95, D7 94, D7 91, D7 9C, D7 9E, D7 A9, D7 9B */
    return p[0] == 0xD7 && (p[1] == 0x95 || p[1] == 0x94 || p[1] == 0x91 || p[1] == 0x9C ||
                            p[1] == 0x9E || p[1] == 0xA9 || p[1] == 0x9B);
}

static int ends_with(const char *key, size_t len, const char *suffix, size_t slen)
{
    return len > slen && memcmp(key + len - slen, suffix, slen) == 0;
}

static uint8_t morph_of(const char *code)
{
    if (!strcmp(code, "en")) return MORPH_POSSESSIVE;
    if (!strcmp(code, "he")) return MORPH_PREFIXES;
    if (!strcmp(code, "fi")) return MORPH_CLITICS;
    return MORPH_NONE;
}

/* Finnish orders its words freely and puts adverbs and objects inside
 * what the lexicon writes as one phrase ("olin itse valinnut väärän",
 * "tilausta ei lähetetty" as "tilausta ei myöskään lähetetty"); English and
 * Hebrew did worse with the gap allowed (docs/ARCHITECTURE.md). */
static uint8_t gaps_of(const char *code)
{
    return !strcmp(code, "fi");
}

static uint8_t shape_of(const char *code)
{
    return !strcmp(code, "zh") ? SHAPE_WHOLE_PARTS : SHAPE_PLAIN;
}

const lex_slot *lex_find_inflected(const lex_lang *lang, const char *key, size_t len)
{
    if (lang->morph == MORPH_POSSESSIVE) {
        if (ends_with(key, len, "'s", 2)) return find_word_or_stem(lang, key, len - 2);
    } else if (lang->morph == MORPH_PREFIXES) {
        const unsigned char *u = (const unsigned char *)key;
        for (size_t k = 1; k <= 3 && len >= 2 * k + 4 && is_hebrew_prefix(u + 2 * (k - 1)); k++) {
            const lex_slot *s = find_word_or_stem(lang, key + 2 * k, len - 2 * k);
            if (s) return s;
        }
    } else if (lang->morph == MORPH_CLITICS) {
        static const char *const clitics[] = {"kin", "kaan", "k\xC3\xA4\xC3\xA4n", "han", "h\xC3\xA4n"};
        for (size_t c = 0; c < sizeof clitics / sizeof *clitics; c++) {
            size_t cl = strlen(clitics[c]);
            if (ends_with(key, len, clitics[c], cl) && len - cl >= 2)
                return find_word_or_stem(lang, key, len - cl);
        }
    }
    return NULL;
}

uint64_t lex_term_hash(const char *key, size_t len)
{
    uint64_t h = 0;
    for (size_t start = 0, k = 0; k <= len; k++) {
        if (k < len && key[k] != ' ') continue;
        uint64_t th = lex_token_hash(key + start, k - start);
        h = start ? lex_phrase_hash(h, th) : th;
        start = k + 1;
    }
    return h;
}

const lex_slot *lex_find_term(const lex_table *t, const char *key, size_t len)
{
    return lex_lookup(t, key, len, lex_term_hash(key, len));
}

/* Which lengths to try for a word's stem: the stems of four bytes or more
 * are filed by their first four bytes, each slot holding the lengths
 * (bit k: k bytes) of the stems that begin so, so a word tries only those
 * lengths (usually none or one) instead of every length some stem has
 * (Finnish stems come in most lengths from 4 to 30 bytes).  Slots are
 * shared by chance, which only adds lengths that then miss. */
#define STEM_HEAD_BITS 12

static uint32_t stem_head(const char *key)
{
    uint32_t v;
    memcpy(&v, key, 4);
    return (v * 0x9E3779B1u) >> (32 - STEM_HEAD_BITS);
}

static int stem_heads_build(lex_lang *l)
{
    if (!l->stems.used) return 0;
    l->stem_heads = calloc(1u << STEM_HEAD_BITS, sizeof(uint64_t));
    if (!l->stem_heads) return -1;
    for (size_t i = 0; i < l->stems.used; i++) {
        const lex_slot *s = &l->stems.slots[i];
        if (s->key_len >= 4) /* stems are 2 to 63 bytes */
            l->stem_heads[stem_head(l->stems.keys + s->key_off)] |= 1ull << s->key_len;
    }
    return 0;
}

const lex_slot *lex_find_stem(const lex_lang *lang, const char *key, size_t len)
{
    uint64_t lengths = lang->stem_lengths;
    if (!lengths || len < 2) return NULL;
    uint64_t tried = lengths & 0xF; /* stems of two or three bytes: no filter */
    if (len >= 4) tried |= lang->stem_heads ? lang->stem_heads[stem_head(key)] : lengths;
    tried &= lengths & (len >= 63 ? ~0ull : (2ull << len) - 1); /* at most len bytes */
    while (tried) { /* the longest first */
        unsigned k = 63 - (unsigned)__builtin_clzll(tried);
        tried ^= 1ull << k;
        const lex_slot *s = lex_find(&lang->stems, key, k);
        if (s) return s;
    }
    return NULL;
}

static void probe_insert(lex_probe *probe, size_t cap, uint64_t h, uint32_t index)
{
    size_t i = (size_t)h & (cap - 1);
    while (probe[i].tag) i = (i + 1) & (cap - 1);
    probe[i].tag = lex_hash_tag(h);
    probe[i].index = index;
}

static int table_rehash(lex_table *t, size_t cap)
{
    lex_probe *probe = calloc(cap, sizeof *probe);
    if (!probe) return -1;
    for (size_t i = 0; i < t->used; i++) probe_insert(probe, cap, t->slots[i].hash, (uint32_t)i);
    free(t->probe);
    t->probe = probe;
    t->cap = cap;
    return 0;
}

/* Room for `slots` more entries and `bytes` more key bytes, made at once. */
static inline int table_reserve(lex_table *t, size_t slots, size_t bytes)
{
    size_t cap = t->cap ? t->cap : 64;
    while ((t->used + slots) * 2 > cap) cap *= 2;
    if (cap != t->cap && table_rehash(t, cap)) return -1;
    return grow_to((void **)&t->slots, &t->slots_cap, t->used + slots, sizeof *t->slots, 32) ||
           grow_to((void **)&t->keys, &t->keys_cap, t->keys_len + bytes + LEX_KEY_SLACK, 1, 1024);
}

/* The entry for key, whose hash is h, created (with no class) when absent;
 * NULL when out of memory.  The pointer is valid until the next upsert into
 * the table. */
static lex_slot *table_upsert(lex_table *t, const char *key, size_t len, uint64_t h)
{
    lex_slot *found = (lex_slot *)lex_lookup(t, key, len, h);
    if (found) return found;
    if (table_reserve(t, 1, len)) return NULL;
    memcpy(t->keys + t->keys_len, key, len);
    lex_slot *s = &t->slots[t->used];
    memset(s, 0, sizeof *s);
    s->hash = h;
    s->key_off = (uint32_t)t->keys_len;
    s->key_len = (uint16_t)len;
    t->keys_len += len;
    probe_insert(t->probe, t->cap, h, (uint32_t)t->used);
    t->used++;
    return s;
}

static void table_free(lex_table *t)
{
    free(t->probe);
    free(t->slots);
    free(t->keys);
    memset(t, 0, sizeof *t);
}

/* Copy every slot of src over dst: src's classes win, phrase lengths merge. */
static int table_overlay(lex_table *dst, const lex_table *src)
{
    if (table_reserve(dst, src->used, src->keys_len)) return -1;
    for (size_t i = 0; i < src->used; i++) {
        const lex_slot *s = &src->slots[i];
        lex_slot *d = table_upsert(dst, src->keys + s->key_off, s->key_len, s->hash);
        if (!d) return -1;
        for (int c = 0; c < CULPA_CLASS_COUNT; c++)
            if (s->classes >> c & 1) d->weight[c] = s->weight[c];
        d->classes |= s->classes;
        if (s->phrase_max > d->phrase_max) d->phrase_max = s->phrase_max;
        d->next |= s->next;
    }
    return 0;
}

static size_t table_entries(const lex_table *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->used; i++) n += (size_t)__builtin_popcount(t->slots[i].classes);
    return n;
}

static void lang_free(lex_lang *l)
{
    table_free(&l->words);
    table_free(&l->stems);
    free(l->stem_heads);
    l->stem_heads = NULL;
    verdict_model_free(&l->verdict);
    verdict_model_free(&l->verdict_long);
    if (l->unmarked) lang_free(l->unmarked);
    free(l->unmarked);
    l->unmarked = NULL;
}

static int lang_overlay(lex_lang *dst, const lex_lang *src)
{
    dst->stem_lengths |= src->stem_lengths;
    return table_overlay(&dst->words, &src->words) || table_overlay(&dst->stems, &src->stems);
}

/* ---- the builder ------------------------------------------------------- */

struct culpa_builder {
    lex_lang *langs;
    size_t nlangs, cap;
    text_buf tb; /* normalizes terms with the same code as review text */
};

culpa_builder *culpa_builder_new(void) { return calloc(1, sizeof(culpa_builder)); }

void culpa_builder_free(culpa_builder *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->nlangs; i++) lang_free(&b->langs[i]);
    free(b->langs);
    text_free(&b->tb);
    free(b);
}

static int valid_code(const char *code, size_t len)
{
    if (len == 1 && code[0] == '*') return 1;
    if (len < 2 || len > 3) return 0;
    for (size_t i = 0; i < len; i++)
        if (code[i] < 'a' || code[i] > 'z') return 0;
    return !(len == 3 && memcmp(code, "und", 3) == 0);
}

static lex_lang *builder_lang(culpa_builder *b, const char *code)
{
    for (size_t i = 0; i < b->nlangs; i++)
        if (strcmp(b->langs[i].code, code) == 0) return &b->langs[i];
    if (grow_to((void **)&b->langs, &b->cap, b->nlangs + 1, sizeof *b->langs, 8)) return NULL;
    lex_lang *l = &b->langs[b->nlangs++];
    memset(l, 0, sizeof *l);
    strcpy(l->code, code);
    return l;
}

/* Is the term already normalized as plain lower-case ASCII words, one space
 * apart ("rude staff")?  Then *ntok gets its word count. */
static int plain_term(const char *term, size_t len, unsigned *ntok)
{
    unsigned words = 1;
    if (len == 0 || len > LEX_MAX_TERM || term[0] == ' ' || term[len - 1] == ' ') return 0;
    for (size_t i = 0; i < len; i++) {
        if (term[i] == ' ') {
            if (term[i - 1] == ' ') return 0;
            words++;
        } else if (term[i] < 'a' || term[i] > 'z') {
            return 0;
        }
    }
    if (words > LEX_MAX_PHRASE) return 0;
    *ntok = words;
    return 1;
}

/* Normalize a term; on success (key, klen) is the normalized span and ntok
 * its token count.  Returns NULL or an error message. */
static const char *normalize_term(text_buf *tb, const char *term, size_t len, const char **key,
                                  size_t *klen, unsigned *ntok)
{
    if (plain_term(term, len, ntok)) { /* the tokenizer would give it back as it is */
        *key = term;
        *klen = len;
        return NULL;
    }
    if (text_tokenize(tb, term, len)) return "out of memory";
    if (tb->repairs) return "term is not valid UTF-8";
    if (tb->ntok == 0) return "term has no word in it";
    if (tb->ntok > LEX_MAX_PHRASE) return "term has more than 8 words";
    for (uint32_t i = 1; i < tb->ntok; i++)
        if (tb->tok[i].flags & (TF_SENT_START | TF_CLAUSE_START))
            return "term has punctuation that splits it";
    *key = text_span(tb, 0, tb->ntok, klen);
    if (*klen > LEX_MAX_TERM) return "term is longer than 255 bytes";
    *ntok = tb->ntok;
    return NULL;
}

/* A weight as most lexicon lines write it, an optional "-" and at most 15
 * digits with at most one decimal point ("2.5", "-0.8", "1"): the digits as
 * an integer divided by a power of ten, both exact in a double, so the one
 * division rounds as strtod does.  0 when the text is anything else. */
static int parse_plain_decimal(const char *s, size_t len, double *out)
{
    static const double tens[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t i = len && s[0] == '-';
    uint64_t digits = 0;
    unsigned ndigits = 0, decimals = 0;
    int point = 0;
    for (; i < len; i++) {
        if (s[i] == '.' && !point) {
            point = 1;
        } else if (s[i] >= '0' && s[i] <= '9' && ndigits < 15) {
            digits = digits * 10 + (uint64_t)(s[i] - '0');
            ndigits++;
            decimals += (unsigned)point;
        } else {
            return 0;
        }
    }
    if (!ndigits) return 0;
    double v = (double)digits / tens[decimals];
    *out = len && s[0] == '-' ? -v : v;
    return 1;
}

static int parse_weight(const char *s, size_t len, double *out)
{
    if (parse_plain_decimal(s, len, out)) return 0; /* strtod costs 500 instructions a line */
    char buf[64];
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (end != buf + len || errno || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* Every proper prefix of a phrase of ntok tokens (a normalized key: tokens
 * one space apart) announces how far the phrase goes and which tokens may
 * follow it, so matching can walk forward and stop at the first prefix that
 * is absent.  Returns -1 when out of memory. */
static int add_prefixes(lex_table *t, const char *key, size_t klen, unsigned ntok)
{
    const char *end = memchr(key, ' ', klen), *stop = key + klen;
    uint64_t h = end ? lex_token_hash(key, (size_t)(end - key)) : 0; /* the prefix's hash */
    while (end) {
        const char *next = end + 1; /* the token after the prefix */
        const char *next_end = memchr(next, ' ', (size_t)(stop - next));
        uint64_t next_hash = lex_token_hash(next, (size_t)((next_end ? next_end : stop) - next));
        lex_slot *p = table_upsert(t, key, (size_t)(end - key), h);
        if (!p) return -1;
        if (ntok > p->phrase_max) p->phrase_max = (uint8_t)ntok;
        p->next |= 1ull << lex_next_bit(next_hash);
        h = lex_phrase_hash(h, next_hash);
        end = next_end;
    }
    return 0;
}

/* Add one entry line to lang; `seen` records this file's (term, class) pairs
 * to catch duplicates. */
static culpa_status add_entry(culpa_builder *b, lex_lang *lang, lex_table *seen, const char *line,
                              size_t len, const char *name, unsigned lineno, culpa_error *err)
{
    const char *tab1 = memchr(line, '\t', len);
    const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(line + len - tab1 - 1)) : NULL;
    if (!tab2 || memchr(tab2 + 1, '\t', (size_t)(line + len - tab2 - 1)))
        return set_error(err, CULPA_ERR_LEXICON, name, lineno,
                         "expected three tab-separated fields: term, class, weight");
    size_t tlen = (size_t)(tab1 - line);
    const char *cls_s = tab1 + 1;
    size_t clen = (size_t)(tab2 - cls_s);
    const char *w_s = tab2 + 1;
    size_t wlen = (size_t)(line + len - w_s);
    while (wlen && (w_s[wlen - 1] == ' ' || w_s[wlen - 1] == '\r')) wlen--;
    int cls = lex_class_parse(cls_s, clen);
    if (cls < 0)
        return set_error(err, CULPA_ERR_LEXICON, name, lineno,
                         "unknown class '%.*s' (expected val, boost, neg, contrast, biz, cust, "
                         "third, fault_biz, fault_cust, exonerate, reply, promise or outcome)",
                         (int)(clen > 40 ? 40 : clen), cls_s);
    double w;
    if (parse_weight(w_s, wlen, &w))
        return set_error(err, CULPA_ERR_LEXICON, name, lineno, "weight '%.*s' is not a number",
                         (int)(wlen > 40 ? 40 : wlen), w_s);
    if (w < class_range[cls][0] || w > class_range[cls][1])
        return set_error(err, CULPA_ERR_LEXICON, name, lineno,
                         "weight %g is outside %g..%g for class %s", w, class_range[cls][0],
                         class_range[cls][1], class_names[cls]);
    int stem = tlen > 1 && line[tlen - 1] == '*';
    if (tlen == 0 || (tlen == 1 && line[0] == '*'))
        return set_error(err, CULPA_ERR_LEXICON, name, lineno, "empty term");
    if (tlen > 4 * LEX_MAX_TERM)
        return set_error(err, CULPA_ERR_LEXICON, name, lineno, "term is longer than 255 bytes");
    const char *key;
    size_t klen;
    unsigned ntok;
    const char *why = normalize_term(&b->tb, line, tlen - (size_t)stem, &key, &klen, &ntok);
    if (why)
        return set_error(err, strcmp(why, "out of memory") ? CULPA_ERR_LEXICON : CULPA_ERR_NOMEM,
                         name, lineno, "%s: '%.*s'", why, (int)(tlen > 80 ? 80 : tlen), line);
    if (stem && (ntok != 1 || klen < 2 || klen > 63))
        return set_error(err, CULPA_ERR_LEXICON, name, lineno,
                         "a stem must be one word of 2 to 63 bytes: '%.*s'",
                         (int)(tlen > 80 ? 80 : tlen), line);
    /* duplicates within one file are mistakes; across files they override */
    char seen_key[LEX_MAX_TERM + 2];
    memcpy(seen_key, key, klen);
    seen_key[klen] = stem ? '*' : ' ';
    lex_slot *sk = table_upsert(seen, seen_key, klen + 1, lex_token_hash(seen_key, klen + 1));
    if (!sk) return set_error(err, CULPA_ERR_NOMEM, name, lineno, "out of memory");
    if (sk->classes >> cls & 1)
        return set_error(err, CULPA_ERR_LEXICON, name, lineno,
                         "duplicate entry: '%.*s' is already a %s in this file",
                         (int)(tlen > 80 ? 80 : tlen), line, class_names[cls]);
    sk->classes |= (uint16_t)(1u << cls);

    lex_slot *s = table_upsert(stem ? &lang->stems : &lang->words, key, klen,
                               lex_term_hash(key, klen));
    if (!s) return set_error(err, CULPA_ERR_NOMEM, name, lineno, "out of memory");
    s->classes |= (uint16_t)(1u << cls);
    s->weight[cls] = (float)w;
    if (ntok > s->phrase_max) s->phrase_max = (uint8_t)ntok;
    if (stem) lang->stem_lengths |= 1ull << klen;
    else if (add_prefixes(&lang->words, key, klen, ntok))
        return set_error(err, CULPA_ERR_NOMEM, name, lineno, "out of memory");
    return CULPA_OK;
}

static const char *lang_key(const char *lang)
{
    return lang && strcmp(lang, "common") == 0 ? COMMON_CODE : lang;
}

/* The builder's language `lang` ("common" for the shared terms), made when
 * absent, into *out; `name` is the file in errors. */
static culpa_status named_lang(culpa_builder *b, const char *lang, const char *name, lex_lang **out,
                               culpa_error *err)
{
    const char *code = lang_key(lang);
    if (!valid_code(code, strlen(code)))
        return set_error(err, CULPA_ERR_ARG, name, 0,
                         "'%s' is not a language code (two or three lower-case letters)", lang);
    if (!(*out = builder_lang(b, code))) return set_error(err, CULPA_ERR_NOMEM, name, 0, "out of memory");
    return CULPA_OK;
}

culpa_status culpa_builder_add_tsv(culpa_builder *b, const char *lang, const char *tsv,
                                   size_t len, const char *name, culpa_error *err)
{
    clear_error(err);
    if (!b || !lang || (!tsv && len)) return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL argument");
    if (!name) name = "<memory>";
    lex_lang *l;
    culpa_status named = named_lang(b, lang, name, &l, err);
    if (named != CULPA_OK) return named;
    lex_table seen = {0};
    culpa_status st = CULPA_OK;
    unsigned lineno = 0;
    size_t i = 0;
    if (len >= 3 && memcmp(tsv, "\xEF\xBB\xBF", 3) == 0) i = 3; /* a BOM is not a term */
    while (i < len && st == CULPA_OK) {
        const char *nl = memchr(tsv + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - tsv) : len;
        const char *line = tsv + i;
        size_t ll = end - i;
        lineno++;
        i = end + 1;
        if (ll && line[ll - 1] == '\r') ll--;
        size_t lead = 0;
        while (lead < ll && (line[lead] == ' ' || line[lead] == '\t')) lead++;
        /* blank or comment; an entry may start with "#", the term's number
         * wildcard ("# hours late"), and a comment holds no tab */
        if (lead == ll || (line[lead] == '#' && !memchr(line, '\t', ll))) continue;
        if (line[0] == ' ')
            st = set_error(err, CULPA_ERR_LEXICON, name, lineno, "line starts with white space");
        else
            st = add_entry(b, l, &seen, line, ll, name, lineno, err);
    }
    table_free(&seen);
    return st;
}

static culpa_status read_file(const char *path, char **data, size_t *len, culpa_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return set_error(err, errno == ENOENT ? CULPA_ERR_NOT_FOUND : CULPA_ERR_IO, path, 0,
                         "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    culpa_status st = CULPA_OK;
    for (;;) {
        if (!buf) {
            st = set_error(err, CULPA_ERR_NOMEM, path, 0, "out of memory");
            break;
        }
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                continue;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r == 0) break;
        if (r < 0) {
            if (errno == EINTR) continue;
            st = set_error(err, CULPA_ERR_IO, path, 0, "cannot read: %s", strerror(errno));
            break;
        }
        n += (size_t)r;
    }
    close(fd);
    if (st != CULPA_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *len = n;
    return CULPA_OK;
}

/* A language's verdict model is a file whose name ends in ".model" (a
 * long-text model says min_terms where the other says max_terms). */
static int is_model_file(const char *path)
{
    size_t n = strlen(path);
    return n >= 6 && strcmp(path + n - 6, ".model") == 0;
}

static culpa_status add_verdict_model(culpa_builder *b, const char *lang, const char *text,
                                      size_t len, const char *path, culpa_error *err)
{
    if (strcmp(lang_key(lang), COMMON_CODE) == 0)
        return set_error(err, CULPA_ERR_ARG, path, 0, "a verdict model belongs to one language, not '%s'", lang);
    lex_lang *l;
    verdict_model m;
    culpa_status st = named_lang(b, lang, path, &l, err);
    if (st == CULPA_OK) st = verdict_model_parse(text, len, path, &m, err);
    if (st == CULPA_OK) {
        verdict_model *slot = m.min_terms ? &l->verdict_long : &l->verdict;
        verdict_model_free(slot); /* a model added again replaces the first */
        *slot = m;
    }
    return st;
}

culpa_status culpa_builder_add_file(culpa_builder *b, const char *lang, const char *path,
                                    culpa_error *err)
{
    clear_error(err);
    if (!b || !lang || !path) return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL argument");
    char *data = NULL;
    size_t len = 0;
    culpa_status st = read_file(path, &data, &len, err);
    if (st != CULPA_OK) return st;
    st = is_model_file(path) ? add_verdict_model(b, lang, data, len, path, err)
                             : culpa_builder_add_tsv(b, lang, data, len, path, err);
    free(data);
    return st;
}

/* dir + "/" + name into buf; -1 when it does not fit. */
static int join_path(char *buf, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(buf, cap, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The entries of folder `dir` that are regular files ending in ".tsv"
 * (want_dirs == 0) or folders (want_dirs == 1), sorted, hidden ones left
 * out.  Free with free_names. */
static culpa_status list_dir(const char *dir, int want_dirs, char ***names, size_t *count,
                             culpa_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return set_error(err, errno == ENOENT ? CULPA_ERR_NOT_FOUND : CULPA_ERR_IO, dir, 0,
                         "cannot open lexicon folder: %s", strerror(errno));
    char **v = NULL;
    size_t n = 0, cap = 0;
    culpa_status st = CULPA_OK;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.') continue;
        if (!want_dirs && (len < 5 || strcmp(e->d_name + len - 4, ".tsv") != 0)) continue;
        if (join_path(path, sizeof path, dir, e->d_name) || !(want_dirs ? is_dir(path) : is_file(path))) continue;
        if (grow_to((void **)&v, &cap, n + 1, sizeof *v, 16)) {
            st = CULPA_ERR_NOMEM;
            break;
        }
        if (!(v[n] = strdup(e->d_name))) {
            st = CULPA_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (st != CULPA_OK) {
        while (n) free(v[--n]);
        free(v);
        return set_error(err, st, dir, 0, "out of memory");
    }
    qsort(v, n, sizeof *v, cmp_names);
    *names = v;
    *count = n;
    return CULPA_OK;
}

static void free_names(char **v, size_t n)
{
    while (n) free(v[--n]);
    free(v);
}

/* The files in a language's folder that hold its verdict models. */
static const char *const verdict_model_files[] = {"verdict.model", "verdict_long.model"};

/* Add every *.tsv of dir/sub to language `lang`, then its verdict models
 * when the folder has them. */
static culpa_status add_lang_dir(culpa_builder *b, const char *dir, const char *sub,
                                 culpa_error *err)
{
    char path[4096];
    if (join_path(path, sizeof path, dir, sub))
        return set_error(err, CULPA_ERR_ARG, dir, 0, "path too long");
    char **files = NULL;
    size_t n = 0;
    culpa_status st = list_dir(path, 0, &files, &n, err);
    if (st != CULPA_OK) return st;
    if (!builder_lang(b, lang_key(sub))) st = set_error(err, CULPA_ERR_NOMEM, path, 0, "out of memory");
    for (size_t i = 0; i < n && st == CULPA_OK; i++) {
        char fpath[4096 + 256];
        st = join_path(fpath, sizeof fpath, path, files[i])
                 ? set_error(err, CULPA_ERR_ARG, path, 0, "path too long")
                 : culpa_builder_add_file(b, sub, fpath, err);
    }
    free_names(files, n);
    size_t files_n = sizeof verdict_model_files / sizeof *verdict_model_files;
    for (size_t i = 0; i < files_n && st == CULPA_OK && strcmp(sub, "common") != 0; i++) {
        char model[4096 + 32];
        if (join_path(model, sizeof model, path, verdict_model_files[i]) == 0 && is_file(model))
            st = culpa_builder_add_file(b, sub, model, err);
    }
    return st;
}

culpa_status culpa_builder_add_dir(culpa_builder *b, const char *dir, const char *langs,
                                   culpa_error *err)
{
    clear_error(err);
    if (!b) return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL builder");
    if (!dir) dir = culpa_default_lexicon_dir();
    if (!is_dir(dir))
        return set_error(err, CULPA_ERR_NOT_FOUND, dir, 0, "lexicon folder not found");
    char path[4096];
    if (join_path(path, sizeof path, dir, "common"))
        return set_error(err, CULPA_ERR_ARG, dir, 0, "path too long");
    culpa_status st = is_dir(path) ? add_lang_dir(b, dir, "common", err) : CULPA_OK;
    if (st != CULPA_OK) return st;
    if (langs && *langs) {
        const char *p = langs;
        while (*p && st == CULPA_OK) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            char code[8];
            if (!valid_code(p, len) || len >= sizeof code)
                return set_error(err, CULPA_ERR_ARG, NULL, 0,
                                 "'%.*s' is not a language code (two or three lower-case letters)",
                                 (int)(len > 20 ? 20 : len), p);
            memcpy(code, p, len);
            code[len] = '\0';
            if (join_path(path, sizeof path, dir, code) || !is_dir(path))
                return set_error(err, CULPA_ERR_NOT_FOUND, dir, 0,
                                 "no lexicon for language '%s' in this folder", code);
            st = add_lang_dir(b, dir, code, err);
            p += len + (comma ? 1 : 0);
        }
        return st;
    }
    char **subs = NULL;
    size_t n = 0;
    st = list_dir(dir, 1, &subs, &n, err);
    if (st != CULPA_OK) return st;
    for (size_t i = 0; i < n && st == CULPA_OK; i++)
        if (strcmp(subs[i], "common") != 0 && valid_code(subs[i], strlen(subs[i])))
            st = add_lang_dir(b, dir, subs[i], err);
    free_names(subs, n);
    return st;
}

/* Languages also written without their diacritics: a text of theirs with
 * none is scored against their terms folded the same way (lex_fold_marks). */
static int written_unmarked(const char *code) { return strcmp(code, "vi") == 0; }

int lex_fold_marks(const char *key, size_t len, char *out)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)key;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) { /* most bytes: as they are */
            out[o++] = (char)s[i++];
            continue;
        }
        utf8proc_int32_t cp, base[4];
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k < 1) return -1; /* terms are valid UTF-8 */
        if (cp == 0x0111) { /* đ: a stroke, no decomposition */
            out[o++] = 'd';
            i += (size_t)k;
            continue;
        }
        int last = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(cp, base, 4, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK,
                                                     &last);
        utf8proc_uint8_t folded[16];
        size_t flen = (size_t)k + 1; /* more than the code point: kept whole */
        if (n >= 0 && n <= 4) {
            flen = 0;
            for (utf8proc_ssize_t j = 0; j < n; j++)
                flen += (size_t)utf8proc_encode_char(base[j], folded + flen);
        }
        if (flen > (size_t)k) { /* a Hangul syllable's letters, say: kept whole */
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
        } else {
            memcpy(out + o, folded, flen);
            o += flen;
        }
        i += (size_t)k;
    }
    return (int)o;
}

/* One class of a folded term that another term already folded into: the
 * weaker weight when they agree in sign, none (0) when they disagree
 * ("giá đắt", dear, −1.2, and "giá đặt", the booked price, 0.5, are both
 * "gia dat"). */
static float fold_weight(float had, float w)
{
    if ((had < 0) != (w < 0)) return 0;
    return fabsf(had) < fabsf(w) ? had : w;
}

/* One syllable (token) as written, with its marks off, and how many times
 * the terms use it. */
typedef struct {
    const char *marked, *folded;
    size_t len, flen, uses;
} syllable;

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen > blen) - (alen < blen);
}

static int cmp_folded(const void *pa, const void *pb)
{
    const syllable *a = pa, *b = pb;
    return cmp_bytes(a->folded, a->flen, b->folded, b->flen);
}

/* The distinct syllables of the phrases of `words` (tokens of terms of two
 * or more), with their uses; *n gets their count.  The single-syllable
 * terms are left out: they are the evaluative words, and would count for
 * themselves.  NULL when out of memory. */
static syllable *phrase_syllables(const lex_table *words, size_t *n)
{
    lex_table seen = {0}; /* the syllables, by their bytes: slot k is v[k] */
    syllable *v = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t i = 0; i < words->used; i++) {
        const lex_slot *s = &words->slots[i];
        const char *key = words->keys + s->key_off, *stop = key + s->key_len;
        if (!s->classes || !memchr(key, ' ', s->key_len)) continue;
        for (const char *w = key; w < stop;) {
            const char *end = memchr(w, ' ', (size_t)(stop - w));
            size_t len = (size_t)((end ? end : stop) - w);
            const lex_slot *k = table_upsert(&seen, w, len, lex_token_hash(w, len));
            if (!k || grow_to((void **)&v, &cap, seen.used, sizeof *v, 1024)) {
                table_free(&seen);
                free(v);
                return NULL;
            }
            size_t idx = (size_t)(k - seen.slots);
            if (idx == *n) v[(*n)++] = (syllable){w, NULL, len, 0, 0};
            v[idx].uses++;
            w += len + 1;
        }
    }
    table_free(&seen);
    return v ? v : calloc(1, sizeof *v);
}

/* Into `out`, the syllables that the phrases of `words` use at least five
 * times as often as any other syllable that reads the same without marks:
 * "ở" for "o" (not "ố", a stain), "cho" (not "chớ", don't), "không" (not
 * "khống"), "phải" (must; not "phai", to fade, though the lexicon writes
 * that one without marks).  Into `folds`, every syllable of the phrases
 * with its marks off.  Without its marks, a single-syllable term means
 * itself only when it is one of `out`, or when it is written without marks
 * and no phrase has a syllable that reads the same ("ok"); the others would
 * fire on the common word ("cho", for) spelled like them.  The phrases
 * stand in for a count of the language's words.  Returns -1 when out of
 * memory. */
static int dominant_syllables(const lex_table *words, lex_table *out, lex_table *folds)
{
    size_t n;
    syllable *v = phrase_syllables(words, &n);
    char *folded = v ? malloc(words->keys_len + 1) : NULL; /* folds are no longer than keys */
    int failed = !folded;
    for (size_t i = 0, used = 0; i < n && !failed; i++) {
        int flen = lex_fold_marks(v[i].marked, v[i].len, folded + used);
        failed = flen < 0;
        v[i].folded = folded + used;
        v[i].flen = (size_t)flen;
        used += (size_t)flen;
    }
    if (!failed) qsort(v, n, sizeof *v, cmp_folded);
    for (size_t g = 0; g < n && !failed;) { /* a group: one folded form */
        size_t best = g, second_uses = 0, end = g + 1;
        for (; end < n && cmp_folded(&v[end], &v[g]) == 0; end++) {
            if (v[end].uses > v[best].uses) {
                second_uses = v[best].uses;
                best = end;
            } else if (v[end].uses > second_uses) {
                second_uses = v[end].uses;
            }
        }
        if (!table_upsert(folds, v[g].folded, v[g].flen, lex_token_hash(v[g].folded, v[g].flen)) ||
            (v[best].uses >= 5 * second_uses &&
             !table_upsert(out, v[best].marked, v[best].len, lex_token_hash(v[best].marked, v[best].len))))
            failed = 1;
        g = end;
    }
    free(v);
    free(folded);
    return failed ? -1 : 0;
}

/* Has the key a byte beyond ASCII (a term written without marks, "ok" or
 * "ngon", is as the text writes it)? */
static int has_marks(const char *key, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)key[i] >= 0x80) return 1;
    return 0;
}

/* Does a single syllable keep its term without marks (dominant_syllables)? */
static int keeps_its_term(const char *key, size_t len, const lex_table *dominant,
                          const lex_table *folds)
{
    if (lex_find(dominant, key, len)) return 1;
    return !has_marks(key, len) && !lex_find(folds, key, len);
}

/* Add the term of slot s of `words` to u with its marks taken off, unless
 * it is a single syllable that others read the same as. */
static int add_unmarked_term(lex_lang *u, const lex_table *words, const lex_slot *s,
                             const lex_table *dominant, const lex_table *folds)
{
    const char *marked = words->keys + s->key_off;
    if (!memchr(marked, ' ', s->key_len) && !keeps_its_term(marked, s->key_len, dominant, folds))
        return 0;
    char key[LEX_MAX_TERM];
    int klen = lex_fold_marks(marked, s->key_len, key);
    if (klen < 0) return -1;
    lex_slot *d = table_upsert(&u->words, key, (size_t)klen, lex_term_hash(key, (size_t)klen));
    if (!d) return -1;
    for (int c = 0; c < CULPA_CLASS_COUNT; c++) {
        if (!(s->classes >> c & 1)) continue;
        d->weight[c] = d->classes >> c & 1 ? fold_weight(d->weight[c], s->weight[c]) : s->weight[c];
        d->classes |= (uint16_t)(1u << c);
    }
    unsigned ntok = 1;
    for (int k = 0; k < klen; k++) ntok += key[k] == ' ';
    if (ntok > d->phrase_max) d->phrase_max = (uint8_t)ntok;
    return add_prefixes(&u->words, key, (size_t)klen, ntok);
}

/* out: the verdict words of `in` with their marks taken off, for text
 * typed without them; the words that fold alike ("bán", "bạn", "bàn" ->
 * "ban") weigh their mean.  @return 0, or -1 when out of memory. */
static int fold_verdict_words(verdict_words *out, const verdict_words *in)
{
    static const float one[VERDICT_CLASSES] = {1, 1, 1, 1};
    verdict_words count = {0}; /* how many words fold to each key */
    char folded[LEX_MAX_TERM + 1];
    int failed = 0;
    size_t len;
    for (size_t off = 0; off < in->keys_len && !failed; off += len + 1) {
        const verdict_word *w = verdict_words_at(in, off, &len);
        int n = len <= LEX_MAX_TERM ? lex_fold_marks(in->keys + off, len, folded) : -1;
        if (n > 0)
            failed = verdict_words_add(out, folded, (size_t)n, w->weight) ||
                     verdict_words_add(&count, folded, (size_t)n, one);
    }
    for (size_t i = 0; i < out->cap && !failed; i++) {
        const verdict_word *c = out->slot[i].hash ? verdict_word_find(&count, out->slot[i].hash) : NULL;
        for (int k = 0; c && k < VERDICT_CLASSES; k++) out->slot[i].weight[k] /= c->weight[k];
    }
    free(count.slot);
    free(count.keys);
    return failed ? -1 : 0;
}

/* l->unmarked: every term of l's words with its marks taken off, but for a
 * single syllable that others read the same as (dominant_syllables); its
 * verdict model reads the words the same way (fold_verdict_words). */
static int build_unmarked(lex_lang *l)
{
    lex_lang *u = calloc(1, sizeof *u);
    if (!u) return -1;
    l->unmarked = u;
    memcpy(u->code, l->code, sizeof u->code);
    u->morph = l->morph;
    u->shape = l->shape;
    u->gaps = l->gaps;
    u->number_terms = l->number_terms;
    lex_table dominant = {0}, folds = {0};
    u->verdict = l->verdict;
    u->verdict.words = (verdict_words){0};
    int failed = fold_verdict_words(&u->verdict.words, &l->verdict.words) ||
                 verdict_model_copy(&u->verdict_long, &l->verdict_long) ||
                 dominant_syllables(&l->words, &dominant, &folds);
    for (size_t i = 0; i < l->words.used && !failed; i++)
        if (l->words.slots[i].classes) /* a prefix alone: its phrases add their own */
            failed = add_unmarked_term(u, &l->words, &l->words.slots[i], &dominant, &folds);
    table_free(&dominant);
    table_free(&folds);
    u->entries = table_entries(&u->words);
    return failed ? -1 : 0;
}

/* Does some key of t have LEX_NUMBER_WILDCARD as one of its tokens? */
static int has_number_wildcard(const lex_table *t)
{
    for (size_t i = 0; i < t->used; i++) {
        const char *k = t->keys + t->slots[i].key_off;
        size_t len = t->slots[i].key_len;
        for (size_t j = 0; j < len; j++)
            if (k[j] == '#' && (j == 0 || k[j - 1] == ' ') && (j + 1 == len || k[j + 1] == ' '))
                return 1;
    }
    return 0;
}

culpa_status culpa_builder_build(const culpa_builder *b, culpa_lexicon **out, culpa_error *err)
{
    clear_error(err);
    if (!b || !out) return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL argument");
    *out = NULL;
    const lex_lang *common = NULL;
    size_t nl = 0;
    for (size_t i = 0; i < b->nlangs; i++) {
        if (strcmp(b->langs[i].code, COMMON_CODE) == 0) common = &b->langs[i];
        else nl++;
    }
    if (!nl) return set_error(err, CULPA_ERR_ARG, NULL, 0, "no language was added to the lexicon");
    culpa_lexicon *lex = calloc(1, sizeof *lex);
    if (!lex || !(lex->langs = calloc(nl, sizeof *lex->langs))) {
        culpa_lexicon_free(lex);
        return set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < b->nlangs; i++) {
        const lex_lang *src = &b->langs[i];
        if (src == common) continue;
        lex_lang *dst = &lex->langs[lex->nlangs++];
        strcpy(dst->code, src->code);
        dst->morph = morph_of(dst->code);
        dst->shape = shape_of(dst->code);
        dst->gaps = gaps_of(dst->code);
        if ((common && lang_overlay(dst, common)) || lang_overlay(dst, src) ||
            stem_heads_build(dst) || verdict_model_copy(&dst->verdict, &src->verdict) ||
            verdict_model_copy(&dst->verdict_long, &src->verdict_long)) {
            culpa_lexicon_free(lex);
            return set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
        }
        dst->entries = table_entries(&dst->words) + table_entries(&dst->stems);
        dst->number_terms = has_number_wildcard(&dst->words);
        if (written_unmarked(dst->code) && build_unmarked(dst)) {
            culpa_lexicon_free(lex);
            return set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
        }
    }
    if (!(lex->detect = detect_words_new(lex))) {
        culpa_lexicon_free(lex);
        return set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    }
    *out = lex;
    return CULPA_OK;
}

culpa_status culpa_lexicon_load(const char *dir, const char *langs, culpa_lexicon **out,
                                culpa_error *err)
{
    if (!out) return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL argument");
    *out = NULL;
    culpa_builder *b = culpa_builder_new();
    if (!b) return set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    culpa_status st = culpa_builder_add_dir(b, dir, langs, err);
    if (st == CULPA_OK) st = culpa_builder_build(b, out, err);
    culpa_builder_free(b);
    return st;
}

void culpa_lexicon_free(culpa_lexicon *lex)
{
    if (!lex) return;
    for (size_t i = 0; i < lex->nlangs; i++) lang_free(&lex->langs[i]);
    free(lex->langs);
    detect_words_free(lex->detect);
    free(lex);
}

const lex_lang *lex_lang_find(const culpa_lexicon *lex, const char *code)
{
    for (size_t i = 0; i < lex->nlangs; i++)
        if (strcmp(lex->langs[i].code, code) == 0) return &lex->langs[i];
    return NULL;
}

size_t culpa_lexicon_lang_count(const culpa_lexicon *lex) { return lex ? lex->nlangs : 0; }

const char *culpa_lexicon_lang(const culpa_lexicon *lex, size_t i)
{
    return lex && i < lex->nlangs ? lex->langs[i].code : NULL;
}

size_t culpa_lexicon_size(const culpa_lexicon *lex, const char *lang)
{
    const lex_lang *l = lex && lang ? lex_lang_find(lex, lang) : NULL;
    return l ? l->entries : 0;
}
