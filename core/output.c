/* Output stage: see output.h. */
#include "output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "text.h"

static int reserve(out_buf *o, size_t more)
{
    return grow_to((void **)&o->p, &o->cap, o->len + more, 1, 4096);
}

void out_free(out_buf *o)
{
    free(o->p);
    memset(o, 0, sizeof *o);
}

static void put(out_buf *o, const char *s, size_t n)
{
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

#define PUT_LIT(o, s) put((o), (s), sizeof(s) - 1)
/* a literal key (with its punctuation) and a four-decimal number */
#define PUT_NUM(o, key, v) (PUT_LIT(o, key), put_fixed4((o), (v)))

static void put_uint(out_buf *o, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) o->p[o->len++] = tmp[--n];
}

/* v with four decimals: "-0.1234", "1.0000". */
static void put_fixed4(out_buf *o, double v)
{
    if (!isfinite(v)) v = 0;
    long long x = llround(v * 10000.0);
    if (x < 0) {
        o->p[o->len++] = '-';
        x = -x;
    }
    put_uint(o, (uint64_t)(x / 10000));
    o->p[o->len++] = '.';
    int frac = (int)(x % 10000);
    o->p[o->len++] = (char)('0' + frac / 1000);
    o->p[o->len++] = (char)('0' + frac / 100 % 10);
    o->p[o->len++] = (char)('0' + frac / 10 % 10);
    o->p[o->len++] = (char)('0' + frac % 10);
}

/* Room needed for s escaped in any of our formats: at most 6 bytes a byte
 * (\u00XX), or 3 for an invalid byte replaced by U+FFFD. */
static size_t escaped_max(size_t n) { return n * 6 + 2; }

/* A JSON string body; invalid UTF-8 becomes U+FFFD so the row stays valid. */
static void put_json_string(out_buf *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    o->p[o->len++] = '"';
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c >= 0x80) {
            int32_t cp;
            int bad = 0;
            size_t k = utf8_decode(u + i, n - i, &cp, &bad);
            if (bad) put(o, "\xEF\xBF\xBD", 3);
            else put(o, s + i, k);
            i += k;
            continue;
        }
        if (c == '"' || c == '\\') {
            o->p[o->len++] = '\\';
            o->p[o->len++] = (char)c;
        } else if (c < 0x20 || c == 0x7F) {
            put(o, "\\u00", 4);
            o->p[o->len++] = hex[c >> 4];
            o->p[o->len++] = hex[c & 15];
        } else {
            o->p[o->len++] = (char)c;
        }
        i++;
    }
    o->p[o->len++] = '"';
}

/* A TSV field: tabs and line breaks would break the row, so they become
 * spaces. */
static void put_tsv_field(out_buf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        o->p[o->len++] = (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
    }
}

static void put_csv_field(out_buf *o, const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        put(o, s, n);
        return;
    }
    o->p[o->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') o->p[o->len++] = '"';
        o->p[o->len++] = s[i];
    }
    o->p[o->len++] = '"';
}

static void put_text_field(out_buf *o, culpa_output_format fmt, const char *s, size_t n)
{
    if (fmt == CULPA_OUTPUT_JSONL) put_json_string(o, s, n);
    else if (fmt == CULPA_OUTPUT_TSV) put_tsv_field(o, s, n);
    else put_csv_field(o, s, n);
}

static void put_id(out_buf *o, culpa_output_format fmt, const row_fields *r)
{
    const record *rec = r->rec;
    if (rec->id_kind == ID_NUMBER_OF_RECORD) put_uint(o, r->number);
    else if (rec->id_kind == ID_RAW_NUMBER) put(o, rec->id, rec->id_len); /* digits only */
    else put_text_field(o, fmt, rec->id, rec->id_len);
}

int out_json_string(out_buf *o, const char *s, size_t n)
{
    if (reserve(o, escaped_max(n))) return -1;
    put_json_string(o, s, n);
    return 0;
}

int out_field(out_buf *o, culpa_output_format fmt, const char *s, size_t n)
{
    if (reserve(o, escaped_max(n))) return -1;
    put_text_field(o, fmt, s, n);
    return 0;
}

int out_bytes(out_buf *o, const char *s, size_t n)
{
    if (reserve(o, n)) return -1;
    put(o, s, n);
    return 0;
}

const char *match_flag_name(unsigned bit)
{
    static const char *const names[] = {"negated",        "boosted", "caps",          "before_contrast",
                                        "after_contrast", "quoted",  "broken_promise"};
    return bit < sizeof names / sizeof *names ? names[bit] : NULL;
}

static void put_flag(out_buf *o, int *first, const char *name)
{
    if (!*first) o->p[o->len++] = ',';
    *first = 0;
    put(o, name, strlen(name));
}

/* The explain list: a JSON array in JSONL; "term/class/sentiment/business/
 * customer" items joined by "; " in TSV and CSV. */
static size_t explain_size(const row_fields *r)
{
    size_t n = 16;
    for (size_t i = 0; i < r->nmatches; i++) n += escaped_max(r->matches[i].term_len) + 220;
    return n;
}

static void put_explain_json(out_buf *o, const row_fields *r)
{
    PUT_LIT(o, ",\"explain\":[");
    for (size_t i = 0; i < r->nmatches; i++) {
        const culpa_match *m = &r->matches[i];
        if (i) o->p[o->len++] = ',';
        PUT_LIT(o, "{\"term\":");
        put_json_string(o, m->term, m->term_len);
        PUT_LIT(o, ",\"class\":\"");
        const char *cls = culpa_class_str(m->cls);
        put(o, cls, strlen(cls));
        PUT_NUM(o, "\",\"weight\":", m->weight);
        PUT_NUM(o, ",\"sentiment\":", m->sentiment);
        PUT_NUM(o, ",\"business\":", m->business);
        PUT_NUM(o, ",\"customer\":", m->customer);
        PUT_LIT(o, ",\"offset\":");
        put_uint(o, m->offset);
        if (m->flags) {
            PUT_LIT(o, ",\"flags\":\"");
            int first = 1;
            for (unsigned bit = 0; match_flag_name(bit); bit++)
                if (m->flags >> bit & 1) put_flag(o, &first, match_flag_name(bit));
            o->p[o->len++] = '"';
        }
        o->p[o->len++] = '}';
    }
    o->p[o->len++] = ']';
}

static void put_explain_flat(out_buf *o, culpa_output_format fmt, const row_fields *r)
{
    /* build the field in place, then quote it for CSV if needed */
    size_t start = o->len;
    for (size_t i = 0; i < r->nmatches; i++) {
        const culpa_match *m = &r->matches[i];
        if (i) PUT_LIT(o, "; ");
        put_tsv_field(o, m->term, m->term_len);
        o->p[o->len++] = '/';
        const char *cls = culpa_class_str(m->cls);
        put(o, cls, strlen(cls));
        o->p[o->len++] = '/';
        put_fixed4(o, m->sentiment);
        o->p[o->len++] = '/';
        put_fixed4(o, m->business);
        o->p[o->len++] = '/';
        put_fixed4(o, m->customer);
    }
    if (fmt == CULPA_OUTPUT_CSV && (memchr(o->p + start, ',', o->len - start) ||
                                    memchr(o->p + start, '"', o->len - start))) {
        /* quote the field, doubling its quotes (line breaks are gone already) */
        size_t n = o->len - start;
        size_t quotes = 0;
        for (size_t i = start; i < o->len; i++) quotes += o->p[i] == '"';
        memmove(o->p + start + 1, o->p + start, n);
        o->p[start] = '"';
        o->len = start + 1 + n;
        if (quotes) { /* double each quote, from the end */
            size_t src = o->len, dst = o->len + quotes;
            while (src > start + 1) {
                char c = o->p[--src];
                o->p[--dst] = c;
                if (c == '"') o->p[--dst] = '"';
            }
            o->len += quotes;
        }
        o->p[o->len++] = '"';
    }
}

int out_header(out_buf *o, culpa_output_format fmt, int explain)
{
    if (fmt == CULPA_OUTPUT_JSONL) return 0;
    static const char *const cols[] = {"id", "lang", "sentiment", "blame", "blame_business",
                                       "blame_customer", "verdict", "error", "explain"};
    size_t ncols = explain ? 9 : 8;
    if (reserve(o, 128)) return -1;
    for (size_t i = 0; i < ncols; i++) {
        if (i) o->p[o->len++] = fmt == CULPA_OUTPUT_TSV ? '\t' : ',';
        put(o, cols[i], strlen(cols[i]));
    }
    o->p[o->len++] = '\n';
    return 0;
}

int out_row(out_buf *o, culpa_output_format fmt, const row_fields *r)
{
    const record *rec = r->rec;
    const culpa_result *res = r->res;
    size_t need = 256 + escaped_max(rec->id_len) +
                  (rec->error ? escaped_max(strlen(rec->error)) : 0) +
                  (r->explain ? explain_size(r) * 2 : 0);
    if (reserve(o, need)) return -1;
    const char *verdict = culpa_verdict_str(res->verdict);
    if (fmt == CULPA_OUTPUT_JSONL) {
        PUT_LIT(o, "{\"id\":");
        put_id(o, fmt, r);
        PUT_LIT(o, ",\"lang\":\"");
        put(o, res->lang, strlen(res->lang));
        PUT_NUM(o, "\",\"sentiment\":", res->sentiment);
        PUT_NUM(o, ",\"blame\":", res->blame);
        PUT_NUM(o, ",\"blame_business\":", res->blame_business);
        PUT_NUM(o, ",\"blame_customer\":", res->blame_customer);
        PUT_LIT(o, ",\"verdict\":\"");
        put(o, verdict, strlen(verdict));
        o->p[o->len++] = '"';
        if (rec->error) {
            PUT_LIT(o, ",\"error\":");
            put_json_string(o, rec->error, strlen(rec->error));
        }
        if (r->explain) put_explain_json(o, r);
        PUT_LIT(o, "}\n");
        return 0;
    }
    char sep = fmt == CULPA_OUTPUT_TSV ? '\t' : ',';
    put_id(o, fmt, r);
    o->p[o->len++] = sep;
    put(o, res->lang, strlen(res->lang));
    const double nums[4] = {res->sentiment, res->blame, res->blame_business, res->blame_customer};
    for (int i = 0; i < 4; i++) {
        o->p[o->len++] = sep;
        put_fixed4(o, nums[i]);
    }
    o->p[o->len++] = sep;
    put(o, verdict, strlen(verdict));
    o->p[o->len++] = sep;
    if (rec->error) put_text_field(o, fmt, rec->error, strlen(rec->error));
    if (r->explain) {
        o->p[o->len++] = sep;
        put_explain_flat(o, fmt, r);
    }
    o->p[o->len++] = '\n';
    return 0;
}

size_t culpa_stats_format(const culpa_stats *st, char *buf, size_t cap)
{
    static const char *const names[4] = {"none", "business", "customer", "mixed"};
    char tmp[2048];
    size_t n = 0;
    uint64_t ok = st->records - st->errors;
    double denom = ok ? (double)ok : 1;
    n += (size_t)snprintf(tmp + n, sizeof tmp - n, "records          %llu\n",
                          (unsigned long long)st->records);
    n += (size_t)snprintf(tmp + n, sizeof tmp - n, "records w/ error %llu\n",
                          (unsigned long long)st->errors);
    for (int v = 1; v <= 4; v++) {
        int k = v & 3; /* business, customer, mixed, then none */
        n += (size_t)snprintf(tmp + n, sizeof tmp - n, "verdict %-8s %llu (%.1f%%)\n", names[k],
                              (unsigned long long)st->verdicts[k],
                              st->records ? 100.0 * (double)st->verdicts[k] / (double)st->records : 0.0);
    }
    n += (size_t)snprintf(tmp + n, sizeof tmp - n,
                          "mean sentiment   %.4f\nmean blame       %.4f\n"
                          "mean blame_business %.4f\nmean blame_customer %.4f\n",
                          st->sentiment_sum / denom, st->blame_sum / denom,
                          st->blame_business_sum / denom, st->blame_customer_sum / denom);
    n += (size_t)snprintf(tmp + n, sizeof tmp - n, "utf8 repairs     %llu\n",
                          (unsigned long long)st->utf8_repairs);
    double secs = st->seconds > 0 ? st->seconds : 1e-9;
    n += (size_t)snprintf(tmp + n, sizeof tmp - n,
                          "input            %.1f MB in %.3f s: %.1f MB/s, %.0f reviews/s\n",
                          (double)st->bytes / 1e6, st->seconds, (double)st->bytes / 1e6 / secs,
                          (double)st->records / secs);
    if (n >= sizeof tmp) n = sizeof tmp - 1;
    if (cap) {
        size_t c = n < cap - 1 ? n : cap - 1;
        memcpy(buf, tmp, c);
        buf[c] = '\0';
    }
    return n;
}
