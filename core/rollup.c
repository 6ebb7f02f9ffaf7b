/* Roll-ups: a scored dump aggregated per business (or any field).
 *
 * The engine reads the grouping field as each record's id and passes every
 * scored record, with its matched terms, to a row callback that adds it to
 * its group.  Groups live in an open-addressing table; terms are interned
 * once, and each group keeps the business blame summed per term. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "culpa.h"
#include "error.h"
#include "grow.h"
#include "output.h"
#include "rollup.h"

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = XXH3_64bits(s, n);
    return h ? h : 1;
}

/* Double the group table (slots of `elem` bytes whose first member is the
 * hash), placing every group again.  @return 0, or -1 when out of memory. */
static int rehash(void **slots, size_t *cap, size_t elem)
{
    size_t ncap = *cap ? *cap * 2 : 1024;
    char *fresh = calloc(ncap, elem), *old = *slots;
    if (!fresh) return -1;
    for (size_t i = 0; i < *cap; i++) {
        uint64_t h;
        memcpy(&h, old + i * elem, sizeof h);
        if (!h) continue;
        size_t j = (size_t)h & (ncap - 1);
        uint64_t taken;
        for (;; j = (j + 1) & (ncap - 1)) {
            memcpy(&taken, fresh + j * elem, sizeof taken);
            if (!taken) break;
        }
        memcpy(fresh + j * elem, old + i * elem, elem);
    }
    free(old);
    *slots = fresh;
    *cap = ncap;
    return 0;
}

static group *find_group(rollup *r, const char *key, size_t len)
{
    uint64_t h = hash_of(key, len);
    if ((r->used + 1) * 2 > r->cap && rehash((void **)&r->groups, &r->cap, sizeof *r->groups)) return NULL;
    size_t i = (size_t)h & (r->cap - 1);
    for (;; i = (i + 1) & (r->cap - 1)) {
        group *g = &r->groups[i];
        if (!g->hash) break;
        if (g->hash == h && g->key_len == len && memcmp(g->key, key, len) == 0) return g;
    }
    group *g = &r->groups[i];
    if (!(g->key = malloc(len + 1))) return NULL;
    memcpy(g->key, key, len);
    g->key[len] = '\0';
    g->key_len = len;
    g->hash = h;
    r->used++;
    return g;
}

/* Double the term index, placing every term again.  @return 0 or -1. */
static int grow_term_slots(rollup *r)
{
    size_t cap = r->slots_cap ? r->slots_cap * 2 : 1024;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t t = 0; t < r->nterms; t++) {
        size_t i = (size_t)r->terms[t].hash & (cap - 1);
        while (slots[i]) i = (i + 1) & (cap - 1);
        slots[i] = (uint32_t)t + 1;
    }
    free(r->term_slots);
    r->term_slots = slots;
    r->slots_cap = cap;
    return 0;
}

/* The index of an interned term, or -1 when out of memory. */
static long intern(rollup *r, const char *term, size_t len)
{
    uint64_t h = hash_of(term, len);
    if ((r->nterms + 1) * 2 > r->slots_cap && grow_term_slots(r)) return -1;
    size_t i = (size_t)h & (r->slots_cap - 1);
    for (; r->term_slots[i]; i = (i + 1) & (r->slots_cap - 1)) {
        const interned *t = &r->terms[r->term_slots[i] - 1];
        if (t->hash == h && t->len == len && memcmp(t->text, term, len) == 0) return r->term_slots[i] - 1;
    }
    if (grow_to((void **)&r->terms, &r->terms_cap, r->nterms + 1, sizeof *r->terms, 256)) return -1;
    interned *t = &r->terms[r->nterms];
    if (!(t->text = malloc(len + 1))) return -1;
    memcpy(t->text, term, len);
    t->text[len] = '\0';
    t->len = len;
    t->hash = h;
    r->term_slots[i] = (uint32_t)++r->nterms;
    return (long)r->nterms - 1;
}

static int add_term(rollup *r, group *g, const culpa_match *m)
{
    long id = intern(r, m->term, m->term_len);
    if (id < 0) return -1;
    for (size_t k = 0; k < g->nterms; k++)
        if (g->terms[k].term == (uint32_t)id) {
            g->terms[k].business += m->business;
            g->terms[k].reviews++;
            return 0;
        }
    if (grow_to((void **)&g->terms, &g->terms_cap, g->nterms + 1, sizeof *g->terms, 8)) return -1;
    g->terms[g->nterms++] = (term_sum){(uint32_t)id, 1, m->business};
    return 0;
}

static int by_blame(const void *a, const void *b);

int rollup_add(rollup *r, const culpa_row *row)
{
    if (row->error) return 0;
    group *g = find_group(r, row->id ? row->id : "", row->id ? row->id_len : 0);
    if (!g) return -1;
    const culpa_result *res = row->result;
    g->reviews++;
    g->verdicts[res->verdict]++;
    g->sentiment += res->sentiment;
    g->blame += res->blame;
    g->business += res->blame_business;
    g->customer += res->blame_customer;
    for (size_t k = 0; k < row->nmatches; k++)
        if (row->matches[k].business > 0 && add_term(r, g, &row->matches[k])) return -1;
    return 0;
}

static int add_row(void *user, const culpa_row *row)
{
    rollup *r = user;
    if (rollup_add(r, row)) {
        r->failed = 1;
        return 1;
    }
    return 0;
}

group **rollup_sorted(rollup *r, uint64_t min_reviews, size_t *n)
{
    group **order = malloc((r->used + 1) * sizeof *order);
    *n = 0;
    if (!order) return NULL;
    for (size_t i = 0; i < r->cap; i++)
        if (r->groups[i].hash && r->groups[i].reviews >= min_reviews) order[(*n)++] = &r->groups[i];
    qsort(order, *n, sizeof *order, by_blame);
    return order;
}

/* ---- output ------------------------------------------------------------ */

static int by_blame(const void *a, const void *b)
{
    const group *x = *(const group *const *)a, *y = *(const group *const *)b;
    double bx = x->business / (double)x->reviews, by = y->business / (double)y->reviews;
    if (bx != by) return bx < by ? 1 : -1;
    return x->reviews < y->reviews ? 1 : x->reviews > y->reviews ? -1 : 0;
}

int by_term_blame(const void *a, const void *b)
{
    double x = ((const term_sum *)a)->business, y = ((const term_sum *)b)->business;
    return x < y ? 1 : x > y ? -1 : 0;
}

static int put_text(out_buf *o, const char *fmt, double a)
{
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, fmt, a);
    return out_bytes(o, tmp, (size_t)n);
}

static const char *const verdict_names[4] = {"none", "business", "customer", "mixed"};

static int write_header(out_buf *o, culpa_output_format fmt, const char *by)
{
    if (fmt == CULPA_OUTPUT_JSONL) return 0;
    char sep = fmt == CULPA_OUTPUT_TSV ? '\t' : ',';
    char line[512];
    int n = snprintf(line, sizeof line,
                     "%s%creviews%cmean_sentiment%cshare_business%cshare_customer%cshare_mixed%c"
                     "share_none%cmean_blame%cmean_blame_business%cmean_blame_customer%ctop_blamed_terms\n",
                     by, sep, sep, sep, sep, sep, sep, sep, sep, sep, sep);
    return out_bytes(o, line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
}

/* The top terms of a group as one field: "term business" items joined by
 * "; ". */
static int put_terms_flat(out_buf *o, culpa_output_format fmt, const rollup *r, const group *g,
                          size_t top)
{
    out_buf field = {0};
    int bad = 0;
    for (size_t k = 0; k < g->nterms && k < top && !bad; k++) {
        const interned *t = &r->terms[g->terms[k].term];
        bad = (k && out_bytes(&field, "; ", 2)) || out_bytes(&field, t->text, t->len) ||
              put_text(&field, " %.2f", g->terms[k].business);
    }
    bad = bad || out_field(o, fmt, field.p ? field.p : "", field.len);
    out_free(&field);
    return bad ? -1 : 0;
}

static int write_group(out_buf *o, const rollup *r, group *g, const culpa_rollup_options *ro,
                       size_t top)
{
    double n = (double)g->reviews;
    if (g->nterms > 1) qsort(g->terms, g->nterms, sizeof *g->terms, by_term_blame);
    if (ro->format == CULPA_OUTPUT_JSONL) {
        if (out_bytes(o, "{", 1) || out_json_string(o, ro->by, strlen(ro->by)) || out_bytes(o, ":", 1) ||
            out_json_string(o, g->key, g->key_len) ||
            put_text(o, ",\"reviews\":%.0f", n) || put_text(o, ",\"mean_sentiment\":%.4f", g->sentiment / n) ||
            out_bytes(o, ",\"verdicts\":{", 13))
            return -1;
        for (int v = 1; v <= 4; v++) { /* business, customer, mixed, none */
            int k = v & 3;
            char key[32];
            snprintf(key, sizeof key, "%s\"%s\":", v > 1 ? "," : "", verdict_names[k]);
            if (out_bytes(o, key, strlen(key)) || put_text(o, "%.4f", (double)g->verdicts[k] / n)) return -1;
        }
        if (put_text(o, "},\"mean_blame\":%.4f", g->blame / n) ||
            put_text(o, ",\"mean_blame_business\":%.4f", g->business / n) ||
            put_text(o, ",\"mean_blame_customer\":%.4f", g->customer / n) ||
            out_bytes(o, ",\"top_blamed_terms\":[", 21))
            return -1;
        for (size_t k = 0; k < g->nterms && k < top; k++) {
            const interned *t = &r->terms[g->terms[k].term];
            if ((k && out_bytes(o, ",", 1)) || out_bytes(o, "{\"term\":", 8) || out_json_string(o, t->text, t->len) ||
                put_text(o, ",\"business\":%.4f", g->terms[k].business) ||
                put_text(o, ",\"reviews\":%.0f}", (double)g->terms[k].reviews))
                return -1;
        }
        return out_bytes(o, "]}\n", 3);
    }
    char sep = ro->format == CULPA_OUTPUT_TSV ? '\t' : ',';
    char fmt4[8] = {sep, '%', '.', '4', 'f', '\0'};
    char fmt0[8] = {sep, '%', '.', '0', 'f', '\0'};
    if (out_field(o, ro->format, g->key, g->key_len) || put_text(o, fmt0, n) ||
        put_text(o, fmt4, g->sentiment / n))
        return -1;
    for (int v = 1; v <= 4; v++) /* business, customer, mixed, none */
        if (put_text(o, fmt4, (double)g->verdicts[v & 3] / n)) return -1;
    if (put_text(o, fmt4, g->blame / n) || put_text(o, fmt4, g->business / n) ||
        put_text(o, fmt4, g->customer / n) || out_bytes(o, &sep, 1) ||
        put_terms_flat(o, ro->format, r, g, top))
        return -1;
    return out_bytes(o, "\n", 1);
}

void rollup_free(rollup *r)
{
    for (size_t i = 0; i < r->cap; i++) {
        free(r->groups[i].key);
        free(r->groups[i].terms);
    }
    for (size_t i = 0; i < r->nterms; i++) free(r->terms[i].text);
    free(r->groups);
    free(r->terms);
    free(r->term_slots);
}

culpa_status culpa_rollup(const culpa_lexicon *lex, const char *path, const culpa_options *opt,
                          const culpa_rollup_options *ro, culpa_write_fn write, void *user,
                          culpa_error *err)
{
    clear_error(err);
    if (!lex || !path || !opt || !ro || !ro->by || !write)
        return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL argument or no field to group by");
    rollup r = {0};
    culpa_options run = *opt;
    run.id_field = ro->by; /* the grouping field travels as the id */
    run.write = NULL;
    run.explain = 1;       /* the terms, for the most blamed ones */
    run.row = add_row;
    run.row_user = &r;
    run.row_text = 0;
    culpa_status st = culpa_score_file(lex, path, &run, NULL, err);
    if (st == CULPA_OK && r.failed) st = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    group **order = NULL;
    size_t n = 0;
    out_buf o = {0};
    if (st == CULPA_OK && !(order = rollup_sorted(&r, ro->min_reviews ? ro->min_reviews : 1, &n)))
        st = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    if (st == CULPA_OK) {
        size_t top = ro->top_terms ? ro->top_terms : 5;
        int bad = write_header(&o, ro->format, ro->by);
        for (size_t i = 0; i < n && !bad; i++) {
            bad = write_group(&o, &r, order[i], ro, top);
            if (!bad && o.len > (1 << 16)) { /* hand over in blocks */
                if (write(user, o.p, o.len)) st = set_error(err, CULPA_ERR_STOPPED, NULL, 0, "output stopped");
                o.len = 0;
                if (st != CULPA_OK) break;
            }
        }
        if (bad) st = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
        else if (st == CULPA_OK && o.len && write(user, o.p, o.len))
            st = set_error(err, CULPA_ERR_STOPPED, NULL, 0, "output stopped");
    }
    out_free(&o);
    free(order);
    rollup_free(&r);
    return st;
}
