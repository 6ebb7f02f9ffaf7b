/* Synthetic corpus: Yelp-shaped JSON Lines from sentence lists, for the
 * benchmark.  Deterministic for a seed: a splitmix64 generator drives every
 * choice. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "culpa.h"
#include "error.h"
#include "grow.h"
#include "text.h"

#ifndef CULPA_DEFAULT_SENTENCE_DIR
#define CULPA_DEFAULT_SENTENCE_DIR "/usr/local/share/culpa/sentences"
#endif

#define MAX_LANGS 16

const char *culpa_default_sentence_dir(void) { return CULPA_DEFAULT_SENTENCE_DIR; }

typedef struct {
    char *data;      /* the file, lines cut in place */
    char **lines;
    size_t nlines, cap;
} sentence_list;

typedef struct {
    char *p;
    size_t len, cap;
} bytes;

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t below(uint64_t *state, size_t n) { return (size_t)(next_random(state) % n); }

static int chance(uint64_t *state, unsigned percent) { return below(state, 100) < percent; }

static culpa_status load_sentences(const char *dir, const char *lang, size_t lang_len,
                                   sentence_list *out, culpa_error *err)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%.*s.txt", dir, (int)lang_len, lang);
    if (n < 0 || (size_t)n >= sizeof path) return set_error(err, CULPA_ERR_ARG, dir, 0, "path too long");
    FILE *f = fopen(path, "rb");
    if (!f)
        return set_error(err, errno == ENOENT ? CULPA_ERR_NOT_FOUND : CULPA_ERR_IO, path, 0,
                         "cannot open sentence list: %s", strerror(errno));
    size_t cap = 0, len = 0;
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (grow_to((void **)&out->data, &cap, len + got + 1, 1, 65536)) {
            fclose(f);
            return set_error(err, CULPA_ERR_NOMEM, path, 0, "out of memory");
        }
        memcpy(out->data + len, buf, got);
        len += got;
    }
    fclose(f);
    if (!out->data) return set_error(err, CULPA_ERR_IO, path, 0, "empty sentence list");
    out->data[len] = '\0';
    for (char *line = out->data; *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r') line[--ll] = '\0';
        if (ll) {
            if (grow_to((void **)&out->lines, &out->cap, out->nlines + 1, sizeof *out->lines, 256))
                return set_error(err, CULPA_ERR_NOMEM, path, 0, "out of memory");
            out->lines[out->nlines++] = line;
        }
        if (!nl) break;
        line = nl + 1;
    }
    if (!out->nlines) return set_error(err, CULPA_ERR_IO, path, 0, "empty sentence list");
    return CULPA_OK;
}

static int put(bytes *b, const char *s, size_t n)
{
    if (grow_to((void **)&b->p, &b->cap, b->len + n, 1, 1 << 16)) return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

static int put_str(bytes *b, const char *s) { return put(b, s, strlen(s)); }

static int put_u16(bytes *b, unsigned v)
{
    char tmp[8];
    snprintf(tmp, sizeof tmp, "\\u%04x", v & 0xFFFF);
    return put(b, tmp, 6);
}

/* s as the body of a JSON string; with `ascii`, non-ASCII as \uXXXX
 * escapes (surrogate pairs above U+FFFF), as Python's json.dump writes. */
static int put_json_text(bytes *b, const char *s, int ascii)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            if (put(b, esc, 2)) return -1;
            i++;
        } else if (c < 0x20) {
            if (put_u16(b, c)) return -1;
            i++;
        } else if (c < 0x80 || !ascii) {
            if (put(b, s + i, 1)) return -1;
            i++;
        } else {
            int32_t cp;
            int bad = 0;
            i += utf8_decode(u + i, n - i, &cp, &bad);
            if (cp >= 0x10000) {
                cp -= 0x10000;
                if (put_u16(b, 0xD800 + (unsigned)(cp >> 10)) || put_u16(b, 0xDC00 + (unsigned)(cp & 0x3FF)))
                    return -1;
            } else if (put_u16(b, (unsigned)cp)) {
                return -1;
            }
        }
    }
    return 0;
}

static int put_id(bytes *b, uint64_t *rng, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char id[32];
    for (size_t i = 0; i < len; i++) id[i] = alphabet[below(rng, 64)];
    return put(b, id, len);
}

static const char *const emoji[] = {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\xA1", "\xF0\x9F\x91\x8D",
                                    "\xF0\x9F\x91\x8E", "\xE2\xAD\x90", "\xF0\x9F\x98\x8D",
                                    "\xF0\x9F\x99\x84", "\xF0\x9F\x92\xA9"};

/* One review's text: 1 to 12 sentences of one language, now and then 30 to
 * 80 (a long review), with paragraph breaks and emoji. */
static int put_review_text(bytes *b, uint64_t *rng, const sentence_list *lang, int ascii)
{
    size_t n = chance(rng, 4) ? 30 + below(rng, 51) : 1 + below(rng, 12);
    for (size_t k = 0; k < n; k++) {
        if (k && put_str(b, chance(rng, 8) ? "\\n\\n" : " ")) return -1;
        if (put_json_text(b, lang->lines[below(rng, lang->nlines)], ascii)) return -1;
        if (chance(rng, 4) && (put_str(b, " ") || put_json_text(b, emoji[below(rng, 8)], ascii)))
            return -1;
    }
    return 0;
}

/* Business k's id: the same 22 characters wherever k is drawn. */
static int put_business_id(bytes *b, uint64_t k)
{
    uint64_t state = k * 0xD1B54A32D192ED03ull + 0x5EED;
    return put_id(b, &state, 22);
}

/* One review of one of `businesses` businesses, the first ones reviewed
 * most (a few popular places, a long tail). */
static int put_record(bytes *b, uint64_t *rng, const sentence_list *lang, uint64_t businesses)
{
    char tmp[96];
    int ascii = chance(rng, 15);
    uint64_t business = below(rng, 1 + below(rng, businesses));
    if (put_str(b, "{\"review_id\":\"") || put_id(b, rng, 22) || put_str(b, "\",\"user_id\":\"") ||
        put_id(b, rng, 22) || put_str(b, "\",\"business_id\":\"") || put_business_id(b, business))
        return -1;
    snprintf(tmp, sizeof tmp, "\",\"stars\":%u.0,\"useful\":%u,\"funny\":%u,\"cool\":%u,\"text\":\"",
             (unsigned)(1 + below(rng, 5)), (unsigned)below(rng, 20), (unsigned)below(rng, 5),
             (unsigned)below(rng, 8));
    if (put_str(b, tmp) || put_review_text(b, rng, lang, ascii)) return -1;
    snprintf(tmp, sizeof tmp, "\",\"date\":\"20%02u-%02u-%02u %02u:%02u:%02u\"}",
             (unsigned)(10 + below(rng, 16)), (unsigned)(1 + below(rng, 12)),
             (unsigned)(1 + below(rng, 28)), (unsigned)below(rng, 24), (unsigned)below(rng, 60),
             (unsigned)below(rng, 60));
    if (put_str(b, tmp)) return -1;
    return put_str(b, chance(rng, 3) ? "\r\n" : "\n");
}

culpa_status culpa_corpus_generate(const culpa_corpus_options *opt, culpa_write_fn write,
                                   void *user, culpa_error *err)
{
    clear_error(err);
    if (!opt || !write) return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL options or write callback");
    const char *dir = opt->sentences ? opt->sentences : culpa_default_sentence_dir();
    const char *langs = opt->langs && *opt->langs ? opt->langs : "en";
    sentence_list lists[MAX_LANGS];
    size_t nl = 0;
    memset(lists, 0, sizeof lists);
    culpa_status st = CULPA_OK;
    for (const char *p = langs; *p && st == CULPA_OK;) {
        size_t len = strcspn(p, ",");
        if (nl == MAX_LANGS) st = set_error(err, CULPA_ERR_ARG, NULL, 0, "more than 16 languages");
        else if (len) st = load_sentences(dir, p, len, &lists[nl++], err);
        p += len + (p[len] == ',');
    }
    if (st == CULPA_OK && nl == 0) st = set_error(err, CULPA_ERR_ARG, NULL, 0, "no language given");
    bytes b = {0};
    uint64_t rng = opt->seed, written = 0;
    uint64_t businesses = opt->bytes / 20000 < 16 ? 16 : opt->bytes / 20000; /* ~25 reviews each */
    while (st == CULPA_OK && written < opt->bytes) {
        b.len = 0;
        while (b.len < (1 << 16) && written + b.len < opt->bytes)
            if (put_record(&b, &rng, &lists[below(&rng, nl)], businesses)) {
                st = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
                break;
            }
        if (st == CULPA_OK && write(user, b.p, b.len))
            st = set_error(err, CULPA_ERR_STOPPED, NULL, 0, "output stopped");
        written += b.len;
    }
    free(b.p);
    for (size_t i = 0; i < nl; i++) {
        free(lists[i].data);
        free(lists[i].lines);
    }
    return st;
}
