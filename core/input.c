/* Input stage: see input.h. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"
#include "text.h"

static int grow_bytes(char **p, size_t *cap, size_t need)
{
    return grow_to((void **)p, cap, need, 1, 256);
}

void reader_scratch_free(reader_scratch *rs)
{
    free(rs->text);
    free(rs->id);
    memset(rs, 0, sizeof *rs);
}

/* ---- record boundaries ------------------------------------------------- */

size_t record_end(culpa_input_format fmt, const char *p, size_t n, int at_eof, int *complete)
{
    *complete = 1;
    if (fmt != CULPA_INPUT_CSV) {
        const char *nl = memchr(p, '\n', n);
        if (nl) return (size_t)(nl - p);
        *complete = at_eof;
        return n;
    }
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        const char *q = quoted ? memchr(p + i, '"', n - i) : NULL;
        if (quoted) {
            if (!q) break;
            i = (size_t)(q - p);
            quoted = 0; /* a doubled quote reopens on the next byte */
            continue;
        }
        if (p[i] == '"') quoted = 1;
        else if (p[i] == '\n') return i;
    }
    if (!at_eof) {
        *complete = 0;
        return n;
    }
    if (quoted) { /* never closed: the record is its first line */
        const char *nl = memchr(p, '\n', n);
        if (nl) return (size_t)(nl - p);
    }
    return n;
}

int record_is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return 0;
    return 1;
}

int next_record(culpa_input_format fmt, const char *p, size_t n, size_t *pos, const char **rec,
                size_t *len)
{
    while (*pos < n) {
        int complete;
        size_t i = *pos, end = i + record_end(fmt, p + i, n - i, 1, &complete);
        *pos = end + 1;
        if (record_is_blank(p + i, end - i)) continue;
        *rec = p + i;
        *len = end - i;
        return 1;
    }
    return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int read_hex4(const char *p, size_t n, size_t i, int32_t *out)
{
    if (i + 4 > n) return -1;
    int32_t v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(p[i + (size_t)k]);
        if (h < 0) return -1;
        v = v << 4 | h;
    }
    *out = v;
    return 0;
}

size_t json_unescape(const char *p, size_t n, char **dst, size_t *cap, uint32_t *repairs)
{
    /* unescaping never lengthens: \uXXXX (6 bytes) -> at most 3, pairs 12 -> 4 */
    if (grow_bytes(dst, cap, n + 1)) return (size_t)-1;
    char *o = *dst;
    size_t i = 0;
    while (i < n) {
        const char *bs = memchr(p + i, '\\', n - i);
        size_t run = bs ? (size_t)(bs - (p + i)) : n - i;
        memcpy(o, p + i, run);
        o += run;
        i += run;
        if (!bs) break;
        if (++i >= n) return (size_t)-1;
        char c = p[i++];
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            int32_t cp;
            if (read_hex4(p, n, i, &cp)) return (size_t)-1;
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int32_t lo;
                if (i + 6 <= n && p[i] == '\\' && p[i + 1] == 'u' && !read_hex4(p, n, i + 2, &lo) &&
                    lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                } else {
                    cp = 0xFFFD; /* a lone high surrogate */
                    (*repairs)++;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD; /* a lone low surrogate */
                (*repairs)++;
            }
            o += utf8_encode(cp, o);
            break;
        }
        default:
            return (size_t)-1;
        }
    }
    return (size_t)(o - *dst);
}

/* The closing quote of a string whose body starts at p[i]; n if none.
 * *escaped tells whether the body holds a backslash. */
static size_t string_end(const char *p, size_t n, size_t i, int *escaped)
{
    *escaped = 0;
    for (;;) {
        const char *q = memchr(p + i, '"', n - i);
        if (!q) return n;
        size_t j = (size_t)(q - p), k = j;
        while (k > i && p[k - 1] == '\\') k--;
        if ((j - k) % 2 == 0) {
            if (j > i && memchr(p + i, '\\', j - i)) *escaped = 1;
            return j;
        }
        i = j + 1;
    }
}

static size_t skip_ws(const char *p, size_t n, size_t i)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    return i;
}

enum json_type { J_STRING, J_NUMBER, J_OTHER };

/* Skip one JSON value at p[i]; returns the index after it, or n + 1 when
 * it is malformed or truncated.  Nesting is counted, not recursed into, so
 * no depth can exhaust the stack. */
static size_t skip_value(const char *p, size_t n, size_t i, enum json_type *type)
{
    if (i >= n) return n + 1;
    char c = p[i];
    int esc;
    if (c == '"') {
        *type = J_STRING;
        size_t e = string_end(p, n, i + 1, &esc);
        return e < n ? e + 1 : n + 1;
    }
    *type = J_OTHER;
    if (c == '{' || c == '[') {
        size_t depth = 0;
        while (i < n) {
            c = p[i];
            if (c == '"') {
                size_t e = string_end(p, n, i + 1, &esc);
                if (e >= n) return n + 1;
                i = e + 1;
                continue;
            }
            if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0) return i + 1;
            }
            i++;
        }
        return n + 1;
    }
    size_t start = i;
    while (i < n && p[i] != ',' && p[i] != '}' && p[i] != ']' && p[i] != ' ' && p[i] != '\t' &&
           p[i] != '\r' && p[i] != '\n')
        i++;
    size_t len = i - start;
    if (len == 0) return n + 1;
    if ((len == 4 && (!memcmp(p + start, "true", 4) || !memcmp(p + start, "null", 4))) ||
        (len == 5 && !memcmp(p + start, "false", 5)))
        return i;
    for (size_t k = start; k < i; k++)
        if (!strchr("0123456789+-.eE", p[k])) return n + 1;
    *type = J_NUMBER;
    return i;
}

/* Does the raw key p[0..n) (body of a JSON string) equal `want`? */
static int key_is(const char *p, size_t n, int escaped, const char *want, size_t wlen)
{
    if (!escaped) return n == wlen && memcmp(p, want, n) == 0;
    char buf[256], *b = buf;
    size_t cap = sizeof buf;
    uint32_t rep = 0;
    if (n >= sizeof buf) return 0;
    /* json_unescape grows only past cap, which n + 1 <= 256 never reaches */
    size_t len = json_unescape(p, n, &b, &cap, &rep);
    return len == wlen && memcmp(buf, want, len) == 0;
}

static void read_jsonl(const reader_config *rc, reader_scratch *rs, const char *p, size_t n,
                       record *out)
{
    size_t i = skip_ws(p, n, 0);
    if (i >= n || p[i] != '{') {
        out->error = "not a JSON object";
        return;
    }
    const char *text = NULL, *id = NULL;
    size_t text_len = 0, id_len = 0;
    int text_esc = 0, id_esc = 0, text_found = 0, id_rank = 3;
    enum json_type id_type = J_OTHER;
    i = skip_ws(p, n, i + 1);
    if (i < n && p[i] == '}') {
        i++;
        goto done;
    }
    for (;;) {
        if (i >= n || p[i] != '"') {
            out->error = i >= n ? "truncated JSON" : "expected a key in JSON object";
            return;
        }
        int kesc;
        size_t kend = string_end(p, n, i + 1, &kesc);
        if (kend >= n) {
            out->error = "truncated JSON";
            return;
        }
        const char *key = p + i + 1;
        size_t klen = kend - i - 1;
        i = skip_ws(p, n, kend + 1);
        if (i >= n || p[i] != ':') {
            out->error = i >= n ? "truncated JSON" : "expected ':' in JSON object";
            return;
        }
        i = skip_ws(p, n, i + 1);
        enum json_type type = J_OTHER;
        size_t vend = skip_value(p, n, i, &type);
        if (vend > n) {
            out->error = "truncated or malformed JSON value";
            return;
        }
        /* the last duplicate key wins, as in most JSON readers */
        if (key_is(key, klen, kesc, rc->text_key, rc->text_key_len)) {
            text_found = type == J_STRING ? 1 : -1;
            text = p + i + 1;
            text_len = vend - i - 2;
            text_esc = type == J_STRING && memchr(text, '\\', text_len) != NULL;
        } else {
            for (int r = 0; r < 2 && rc->id_keys[r]; r++) {
                if (r > id_rank || !key_is(key, klen, kesc, rc->id_keys[r], strlen(rc->id_keys[r])))
                    continue;
                if (type == J_STRING) {
                    id = p + i + 1;
                    id_len = vend - i - 2;
                    id_esc = memchr(id, '\\', id_len) != NULL;
                } else if (type == J_NUMBER) {
                    id = p + i;
                    id_len = vend - i;
                    id_esc = 0;
                } else {
                    break;
                }
                id_type = type;
                id_rank = r;
                break;
            }
        }
        i = skip_ws(p, n, vend);
        if (i < n && p[i] == ',') {
            i = skip_ws(p, n, i + 1);
            continue;
        }
        if (i < n && p[i] == '}') {
            i++;
            break;
        }
        out->error = i >= n ? "truncated JSON" : "expected ',' or '}' in JSON object";
        return;
    }
done:
    if (skip_ws(p, n, i) != n) {
        out->error = "unexpected characters after the JSON object";
        return;
    }
    if (id) {
        out->id_kind = id_type == J_STRING ? ID_STRING : ID_RAW_NUMBER;
        if (id_esc) {
            size_t len = json_unescape(id, id_len, &rs->id, &rs->id_cap, &out->repairs);
            if (len == (size_t)-1) {
                out->id_kind = ID_NUMBER_OF_RECORD;
            } else {
                out->id = rs->id;
                out->id_len = len;
            }
        } else {
            out->id = id;
            out->id_len = id_len;
        }
    }
    if (text_found == 0) {
        out->error = "no text field";
        return;
    }
    if (text_found < 0) {
        out->error = "text field is not a string";
        return;
    }
    if (!text_esc) {
        out->text = text;
        out->text_len = text_len;
        return;
    }
    size_t len = json_unescape(text, text_len, &rs->text, &rs->text_cap, &out->repairs);
    if (len == (size_t)-1) {
        out->error = "invalid escape in text field";
        return;
    }
    out->text = rs->text;
    out->text_len = len;
}

/* ---- TSV and CSV --------------------------------------------------------- */

/* Field `col` of a TSV row (COLUMN_LAST: the last); 0 when the row has too
 * few fields. */
static int tsv_field(const char *p, size_t n, int col, const char **f, size_t *flen)
{
    size_t start = 0;
    for (int c = 0;; c++) {
        const char *tab = memchr(p + start, '\t', n - start);
        size_t end = tab ? (size_t)(tab - p) : n;
        if (c == col || (col == COLUMN_LAST && !tab)) {
            *f = p + start;
            *flen = end - start;
            if (*flen && p[start + *flen - 1] == '\r' && end == n) (*flen)--;
            return 1;
        }
        if (!tab) return 0;
        start = end + 1;
    }
}

/* Field `col` of a CSV row, unquoted into *dst when it was quoted.
 * Returns 1, 0 when the row has too few fields, -1 for a broken quote. */
static int csv_field(const char *p, size_t n, int col, const char **f, size_t *flen, char **dst,
                     size_t *cap)
{
    size_t i = 0;
    for (int c = 0;; c++) {
        int want = c == col;
        size_t start = i;
        if (i < n && p[i] == '"') {
            size_t j = i + 1, out = 0;
            if (want && grow_bytes(dst, cap, n - i + 1)) return -1;
            for (;;) {
                const char *q = memchr(p + j, '"', n - j);
                if (!q) return -1;
                size_t k = (size_t)(q - p);
                if (want) memcpy(*dst + out, p + j, k - j);
                out += k - j;
                if (k + 1 < n && p[k + 1] == '"') {
                    if (want) (*dst)[out] = '"';
                    out++;
                    j = k + 2;
                    continue;
                }
                i = k + 1;
                break;
            }
            while (i < n && p[i] != ',') i++; /* tolerate junk after the quote */
            if (want || (col == COLUMN_LAST && i >= n)) {
                *f = *dst;
                *flen = out;
                if (!want && grow_bytes(dst, cap, 1)) return -1;
                if (!want) return csv_field(p, n, c, f, flen, dst, cap);
                return 1;
            }
        } else {
            const char *comma = memchr(p + i, ',', n - i);
            i = comma ? (size_t)(comma - p) : n;
            if (want || (col == COLUMN_LAST && !comma)) {
                *f = p + start;
                *flen = i - start;
                if (*flen && p[start + *flen - 1] == '\r' && i == n) (*flen)--;
                return 1;
            }
        }
        if (i >= n) return 0;
        i++; /* past the comma */
    }
}

static int get_field(const reader_config *rc, reader_scratch *rs, const char *p, size_t n, int col,
                     const char **f, size_t *flen, int for_id)
{
    if (rc->format == CULPA_INPUT_TSV) return tsv_field(p, n, col, f, flen);
    return for_id ? csv_field(p, n, col, f, flen, &rs->id, &rs->id_cap)
                  : csv_field(p, n, col, f, flen, &rs->text, &rs->text_cap);
}

static void read_columns(const reader_config *rc, reader_scratch *rs, const char *p, size_t n,
                         record *out)
{
    if (rc->id_col != COLUMN_NONE) {
        const char *f;
        size_t fl;
        if (get_field(rc, rs, p, n, rc->id_col, &f, &fl, 1) == 1) {
            out->id = f;
            out->id_len = fl;
            out->id_kind = ID_STRING;
        }
    }
    int r = get_field(rc, rs, p, n, rc->text_col, &out->text, &out->text_len, 0);
    if (r == 0) out->error = "row has no text column";
    else if (r < 0) out->error = "unterminated quoted field";
}

void record_read(const reader_config *rc, reader_scratch *rs, const char *p, size_t n, record *out)
{
    memset(out, 0, sizeof *out);
    if (n && p[n - 1] == '\r') n--;
    switch (rc->format) {
    case CULPA_INPUT_JSONL:
        read_jsonl(rc, rs, p, n, out);
        break;
    case CULPA_INPUT_TSV:
    case CULPA_INPUT_CSV:
        read_columns(rc, rs, p, n, out);
        break;
    default:
        out->text = p;
        out->text_len = n;
        break;
    }
    if (out->error) {
        out->text = NULL;
        out->text_len = 0;
    }
}

/* Is s a positive decimal number?  Returns it, or 0. */
static int column_number(const char *s)
{
    if (!s || !*s) return 0;
    long v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9' || v > 100000) return 0;
        v = v * 10 + (*c - '0');
    }
    return (int)v;
}

/* The column of the header named `name`, or the number it spells, or -1. */
static int find_column(const reader_config *rc, reader_scratch *rs, const char *p, size_t n,
                       const char *name, int no_header)
{
    int num = column_number(name);
    if (!no_header) {
        for (int c = 0;; c++) {
            const char *f;
            size_t fl;
            if (get_field(rc, rs, p, n, c, &f, &fl, 0) != 1) break;
            if (c == 0 && fl >= 3 && memcmp(f, "\xEF\xBB\xBF", 3) == 0) {
                f += 3;
                fl -= 3;
            }
            if (fl == strlen(name) && memcmp(f, name, fl) == 0) return c;
        }
    }
    return num ? num - 1 : -1;
}

culpa_status columns_from_header(reader_config *rc, reader_scratch *rs, const char *p, size_t n,
                                 const char *text_field, const char *id_field, int no_header,
                                 culpa_error *err)
{
    if (n && p[n - 1] == '\r') n--;
    if (no_header && !text_field) {
        rc->text_col = COLUMN_LAST;
    } else {
        const char *name = text_field ? text_field : "text";
        rc->text_col = find_column(rc, rs, p, n, name, no_header);
        if (rc->text_col < 0)
            return set_error(err, CULPA_ERR_INPUT, NULL, 0,
                             no_header ? "with --no-header, the text column must be a number, "
                                         "not '%s'"
                                       : "the header row has no column '%s'",
                             name);
    }
    rc->id_col = COLUMN_NONE;
    if (id_field) {
        rc->id_col = find_column(rc, rs, p, n, id_field, no_header);
        if (rc->id_col < 0)
            return set_error(err, CULPA_ERR_INPUT, NULL, 0, "the header row has no column '%s'",
                             id_field);
    } else if (!no_header) {
        rc->id_col = find_column(rc, rs, p, n, "review_id", 0);
        if (rc->id_col < 0) rc->id_col = find_column(rc, rs, p, n, "id", 0);
    }
    return CULPA_OK;
}
