/* Verdict stage: the model's features by name, applying it, reading it
 * from its file and fitting it to labeled texts.  See verdict.h. */
#include "verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "text.h"

_Static_assert(VERDICT_FEATURES == CULPA_VERDICT_FEATURES, "the public length of the feature vector");

const culpa_verdict verdict_columns[VERDICT_CLASSES] = {
    CULPA_VERDICT_BUSINESS, CULPA_VERDICT_CUSTOMER, CULPA_VERDICT_MIXED, CULPA_VERDICT_NONE};

/* The roles are culpa_class_str's names and the flags match_flag_name's,
 * in their order (a test checks both). */
static const char *const feature_names[VERDICT_FEATURES] = {
    "blame_business", "blame_customer", "sentiment", "blame", "blame_max", "blame_min",
    "blame_business^2", "blame_customer^2", "sentiment^2", "blame^2", "blame_max^2", "blame_min^2",
    "business*customer", "sentiment*business", "sentiment*customer",
    "role_val", "role_boost", "role_neg", "role_contrast", "role_biz", "role_cust", "role_third",
    "role_fault_biz", "role_fault_cust", "role_exonerate", "role_reply", "role_promise",
    "role_outcome",
    "flag_negated", "flag_boosted", "flag_caps", "flag_before_contrast", "flag_after_contrast",
    "flag_quoted", "flag_broken_promise",
    "praise", "complaint", "business_sum", "customer_sum", "terms"};

const char *verdict_feature_name(size_t i) { return i < VERDICT_FEATURES ? feature_names[i] : NULL; }

#define VERDICT_MIN 0.12 /* below on both sides: none */
#define MIXED_RATIO 0.4  /* weaker side at least this share of the stronger */

culpa_verdict verdict_by_thresholds(double business, double customer)
{
    double hi = business > customer ? business : customer;
    double lo = business > customer ? customer : business;
    if (hi < VERDICT_MIN) return CULPA_VERDICT_NONE;
    if (lo >= VERDICT_MIN && lo >= MIXED_RATIO * hi) return CULPA_VERDICT_MIXED;
    return business > customer ? CULPA_VERDICT_BUSINESS : CULPA_VERDICT_CUSTOMER;
}

/* One verdict's score under m: bias + weights . x. */
static float model_score(const verdict_model *m, const float *x, int column)
{
    float score = m->bias[column];
    for (size_t j = 0; j < VERDICT_FEATURES; j++) score += m->weight[j][column] * x[j];
    return score;
}

culpa_verdict verdict_model_apply(const verdict_model *m, const float *x, const float *words)
{
    float score[VERDICT_CLASSES];
    for (int k = 0; k < VERDICT_CLASSES; k++) score[k] = model_score(m, x, k) + (words ? words[k] : 0);
    int best = 0;
    for (int k = 1; k < VERDICT_CLASSES; k++)
        if (score[k] > score[best]) best = k;
    return verdict_columns[best];
}

/* verdict_columns' order */
enum { COLUMN_BUSINESS, COLUMN_CUSTOMER, COLUMN_MIXED, COLUMN_NONE };

/* Does the evidence give a customer verdict grounds: a matched term that
 * puts a fault on the customer, or one that marks the business's reply?
 * Customer blame from party words beside complaints ("we", "myself")
 * alone is none (docs/BLAME.md: a first person is not a confession). */
static int customer_grounds(const float *x)
{
    return x[VF_ROLES + CULPA_CLASS_FAULT_CUST] + x[VF_ROLES + CULPA_CLASS_REPLY] >= 1;
}

culpa_verdict verdict_long_apply(const verdict_model *m, const float *x, culpa_verdict plain)
{
    if (plain == CULPA_VERDICT_CUSTOMER) { /* the thresholds' reading stands only with grounds */
        if (customer_grounds(x)) return plain;
        return x[VF_BUSINESS] >= VERDICT_MIN ? CULPA_VERDICT_BUSINESS : CULPA_VERDICT_NONE;
    }
    /* mixed: the side with more blame, when the model scores it higher */
    int side = x[VF_BUSINESS] >= x[VF_CUSTOMER] ? COLUMN_BUSINESS : COLUMN_CUSTOMER;
    if (side == COLUMN_CUSTOMER && !customer_grounds(x)) return CULPA_VERDICT_MIXED;
    return model_score(m, x, side) > model_score(m, x, COLUMN_MIXED) ? verdict_columns[side]
                                                                      : CULPA_VERDICT_MIXED;
}

culpa_verdict verdict_decide(const verdict_model *fitted, const verdict_model *long_texts,
                             const float *x, const float *words, size_t terms, culpa_verdict plain)
{
    if (verdict_model_applies(fitted, terms)) return verdict_model_apply(fitted, x, words);
    if (verdict_long_applies(long_texts, terms, plain)) return verdict_long_apply(long_texts, x, plain);
    return plain;
}

/* ---- the words ----------------------------------------------------------- */

/* Rehash w into a table of cap slots (a power of two). */
static int words_resize(verdict_words *w, size_t cap)
{
    verdict_word *slot = calloc(cap, sizeof *slot);
    if (!slot) return -1;
    for (size_t i = 0; i < w->cap; i++) {
        if (!w->slot[i].hash) continue;
        size_t j = (size_t)w->slot[i].hash & (cap - 1);
        while (slot[j].hash) j = (j + 1) & (cap - 1);
        slot[j] = w->slot[i];
    }
    free(w->slot);
    w->slot = slot;
    w->cap = cap;
    return 0;
}

int verdict_words_add(verdict_words *w, const char *key, size_t len, const float *weight)
{
    uint64_t hash = text_token_hash(key, len);
    if (2 * (w->count + 1) > w->cap && words_resize(w, w->cap ? 2 * w->cap : 64)) return -1;
    size_t i = (size_t)hash & (w->cap - 1);
    while (w->slot[i].hash && w->slot[i].hash != hash) i = (i + 1) & (w->cap - 1);
    if (!w->slot[i].hash) {
        if (grow_to((void **)&w->keys, &w->keys_cap, w->keys_len + len + 1, 1, 4096)) return -1;
        memcpy(w->keys + w->keys_len, key, len);
        w->keys[w->keys_len + len] = '\0';
        w->keys_len += len + 1;
        w->slot[i].hash = hash;
        w->count++;
    }
    for (int k = 0; k < VERDICT_CLASSES; k++) w->slot[i].weight[k] += weight[k];
    return 0;
}

const verdict_word *verdict_words_at(const verdict_words *w, size_t off, size_t *len)
{
    *len = strlen(w->keys + off);
    return verdict_word_find(w, text_token_hash(w->keys + off, *len));
}

/* dst: a copy of n bytes at src, or NULL with n 0; -1 when out of memory. */
static int copy_bytes(void **dst, const void *src, size_t n)
{
    *dst = NULL;
    if (!n) return 0;
    if (!(*dst = malloc(n))) return -1;
    memcpy(*dst, src, n);
    return 0;
}

int verdict_model_copy(verdict_model *dst, const verdict_model *src)
{
    *dst = *src;
    const verdict_words *w = &src->words;
    verdict_words *d = &dst->words;
    if (copy_bytes((void **)&d->slot, w->slot, w->cap * sizeof *w->slot) ||
        copy_bytes((void **)&d->keys, w->keys, w->keys_len)) {
        free(d->slot);
        *d = (verdict_words){0};
        return -1;
    }
    d->keys_cap = w->keys_len;
    return 0;
}

void verdict_model_free(verdict_model *m)
{
    free(m->words.slot);
    free(m->words.keys);
    m->words = (verdict_words){0};
}

/* ---- the file ------------------------------------------------------------ */

/* The feature named s[0..len), VERDICT_FEATURES for "bias", or -1. */
static long feature_index(const char *s, size_t len)
{
    if (len == 4 && memcmp(s, "bias", 4) == 0) return VERDICT_FEATURES;
    for (size_t i = 0; i < VERDICT_FEATURES; i++) {
        const char *name = verdict_feature_name(i);
        if (strlen(name) == len && memcmp(name, s, len) == 0) return (long)i;
    }
    return -1;
}

/* Parse the four weights at p (business, customer, mixed, none), the last
 * ending the line, into w. */
static culpa_status parse_weights(char *p, const char *path, unsigned lineno, float *w,
                                  culpa_error *err)
{
    for (int k = 0; k < VERDICT_CLASSES; k++) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || !isfinite(v) || (*end != (k + 1 < VERDICT_CLASSES ? '\t' : '\0') &&
                                         !(k + 1 == VERDICT_CLASSES && *end == '\r' && !end[1])))
            return set_error(err, CULPA_ERR_LEXICON, path, lineno,
                             "expected four weights (business, customer, mixed, none)");
        w[k] = (float)v;
        p = end + 1;
    }
    return CULPA_OK;
}

/* Parse "token<TAB>4 weights" (after "word<TAB>") into m's words. */
static culpa_status parse_word(char *p, const char *path, unsigned lineno, verdict_model *m,
                               culpa_error *err)
{
    char *tab = strchr(p, '\t');
    if (!tab || tab == p) return set_error(err, CULPA_ERR_LEXICON, path, lineno, "expected a word and four weights");
    float w[VERDICT_CLASSES];
    culpa_status st = parse_weights(tab + 1, path, lineno, w, err);
    if (st != CULPA_OK) return st;
    if (verdict_word_find(&m->words, text_token_hash(p, (size_t)(tab - p))))
        return set_error(err, CULPA_ERR_LEXICON, path, lineno, "word named twice");
    if (verdict_words_add(&m->words, p, (size_t)(tab - p), w))
        return set_error(err, CULPA_ERR_NOMEM, path, lineno, "out of memory");
    return CULPA_OK;
}

/* Parse one line "name<TAB>w<TAB>w<TAB>w<TAB>w" (or a word's) into m. */
static culpa_status parse_line(const char *line, size_t len, const char *path, unsigned lineno,
                               verdict_model *m, unsigned char *seen, culpa_error *err)
{
    char buf[512];
    if (len >= sizeof buf) return set_error(err, CULPA_ERR_LEXICON, path, lineno, "line too long");
    memcpy(buf, line, len);
    buf[len] = '\0';
    char *tab = strchr(buf, '\t');
    if (!tab) return set_error(err, CULPA_ERR_LEXICON, path, lineno, "expected a name and four weights");
    if (tab - buf == 4 && memcmp(buf, "word", 4) == 0) return parse_word(tab + 1, path, lineno, m, err);
    int max = tab - buf == 9 && memcmp(buf, "max_terms", 9) == 0;
    if (max || (tab - buf == 9 && memcmp(buf, "min_terms", 9) == 0)) {
        char *end;
        unsigned long v = strtoul(tab + 1, &end, 10);
        if (end == tab + 1 || (*end && !(*end == '\r' && !end[1])) || v < 1 || v > 100000)
            return set_error(err, CULPA_ERR_LEXICON, path, lineno, "%.9s takes a count from 1", buf);
        if (m->max_terms || m->min_terms)
            return set_error(err, CULPA_ERR_LEXICON, path, lineno, "a second max_terms or min_terms");
        *(max ? &m->max_terms : &m->min_terms) = (unsigned)v;
        return CULPA_OK;
    }
    long f = feature_index(buf, (size_t)(tab - buf));
    if (f < 0)
        return set_error(err, CULPA_ERR_LEXICON, path, lineno, "unknown feature '%.*s'",
                         (int)(tab - buf > 40 ? 40 : tab - buf), buf);
    if (seen[f]) return set_error(err, CULPA_ERR_LEXICON, path, lineno, "feature named twice");
    seen[f] = 1;
    return parse_weights(tab + 1, path, lineno, f == VERDICT_FEATURES ? m->bias : m->weight[f], err);
}

/* Parse text's lines into m (verdict_model_parse, which frees m's words
 * when this fails). */
static culpa_status parse_lines(const char *text, size_t len, const char *path, verdict_model *m,
                                culpa_error *err)
{
    unsigned char seen[VERDICT_FEATURES + 1] = {0};
    unsigned lineno = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        lineno++;
        if (end > i && text[i] != '#' && !(end - i == 1 && text[i] == '\r')) {
            culpa_status st = parse_line(text + i, end - i, path, lineno, m, seen, err);
            if (st != CULPA_OK) return st;
        }
        i = end + 1;
    }
    if (!seen[VERDICT_FEATURES]) return set_error(err, CULPA_ERR_LEXICON, path, 0, "no 'bias' line");
    if (!m->max_terms && !m->min_terms)
        return set_error(err, CULPA_ERR_LEXICON, path, 0, "no 'max_terms' or 'min_terms' line");
    if (m->min_terms && m->words.count)
        return set_error(err, CULPA_ERR_LEXICON, path, 0, "a long-text model (min_terms) has no words");
    return CULPA_OK;
}

culpa_status verdict_model_parse(const char *text, size_t len, const char *path, verdict_model *m,
                                 culpa_error *err)
{
    memset(m, 0, sizeof *m);
    culpa_status st = parse_lines(text, len, path, m, err);
    if (st != CULPA_OK) verdict_model_free(m);
    m->present = st == CULPA_OK;
    return st;
}

/* ---- fitting ------------------------------------------------------------- */

/* Each feature's mean and spread over the rows (a spread of 0 counts as 1). */
static void standardize(const float *x, size_t n, double *mean, double *sd)
{
    for (size_t j = 0; j < VERDICT_FEATURES; j++) {
        double s = 0, ss = 0;
        for (size_t i = 0; i < n; i++) s += x[i * VERDICT_FEATURES + j];
        mean[j] = s / (double)n;
        for (size_t i = 0; i < n; i++) {
            double d = x[i * VERDICT_FEATURES + j] - mean[j];
            ss += d * d;
        }
        sd[j] = sqrt(ss / (double)n);
        if (sd[j] < 1e-9) sd[j] = 1;
    }
}

/* The class probabilities of one standardized row z under weights w (the
 * last row of w is the bias), its words adding `extra` to each score. */
static void softmax_row(const double *z, const double (*w)[VERDICT_CLASSES], const double *extra,
                        double *p)
{
    double top = -INFINITY;
    for (int k = 0; k < VERDICT_CLASSES; k++) {
        double s = w[VERDICT_FEATURES][k] + extra[k];
        for (size_t j = 0; j < VERDICT_FEATURES; j++) s += w[j][k] * z[j];
        p[k] = s;
        if (s > top) top = s;
    }
    double sum = 0;
    for (int k = 0; k < VERDICT_CLASSES; k++) sum += p[k] = exp(p[k] - top);
    for (int k = 0; k < VERDICT_CLASSES; k++) p[k] /= sum;
}

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* The term count that VERDICT_TERMS_COVERED of the texts do not exceed. */
static unsigned covered_terms(const unsigned *terms, size_t n)
{
    unsigned *v = malloc(n * sizeof *v);
    if (!v) return 0;
    memcpy(v, terms, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_unsigned);
    size_t k = (size_t)(VERDICT_TERMS_COVERED * (double)n);
    unsigned t = v[k < n ? k : n - 1];
    free(v);
    return t ? t : 1;
}

/* The words' weights while fitting, with Adam's moments: a word is in a
 * handful of the texts, so its gradient is hundreds of times smaller than
 * a feature's that every text has, and plain gradient descent at the
 * features' rate would leave it nearly where it started. */
typedef struct {
    const verdict_fit_words *in;
    double (*w)[VERDICT_CLASSES], (*g)[VERDICT_CLASSES];
    double (*m)[VERDICT_CLASSES], (*v)[VERDICT_CLASSES];
    double beta1_t, beta2_t; /* the betas to the power of the steps taken (no libm pow:
                                the same bits wherever it runs) */
} word_fit;

#define WORD_RATE 0.05 /* Adam's step and constants */
#define WORD_BETA1 0.9
#define WORD_BETA2 0.999

static int word_fit_new(word_fit *f, const verdict_fit_words *in)
{
    size_t n = in ? in->count : 0;
    *f = (word_fit){in, calloc(n + 1, sizeof *f->w), calloc(n + 1, sizeof *f->g),
                    calloc(n + 1, sizeof *f->m), calloc(n + 1, sizeof *f->v), 1, 1};
    return f->w && f->g && f->m && f->v ? 0 : -1;
}

static void word_fit_free(word_fit *f)
{
    free(f->w), free(f->g), free(f->m), free(f->v);
}

/* Text i's words' weights summed into extra. */
static void word_scores(const word_fit *f, size_t i, double *extra)
{
    memset(extra, 0, VERDICT_CLASSES * sizeof *extra);
    if (!f->in) return;
    for (size_t t = f->in->start[i]; t < f->in->start[i + 1]; t++)
        for (int k = 0; k < VERDICT_CLASSES; k++) extra[k] += f->in->scale[i] * f->w[f->in->word[t]][k];
}

/* Text i's share of the words' gradient, p its probabilities less the label. */
static void word_gradient(word_fit *f, size_t i, const double *p)
{
    if (!f->in) return;
    for (size_t t = f->in->start[i]; t < f->in->start[i + 1]; t++)
        for (int k = 0; k < VERDICT_CLASSES; k++) f->g[f->in->word[t]][k] += f->in->scale[i] * p[k];
}

/* One Adam step on the words, their gradient summed over n texts; then
 * the gradient is cleared. */
static void word_step(word_fit *f, size_t n)
{
    if (!f->in) return;
    f->beta1_t *= WORD_BETA1;
    f->beta2_t *= WORD_BETA2;
    double c1 = 1 - f->beta1_t, c2 = 1 - f->beta2_t;
    for (size_t j = 0; j < f->in->count; j++)
        for (int k = 0; k < VERDICT_CLASSES; k++) {
            double g = f->g[j][k] / (double)n + f->in->lambda * f->w[j][k];
            f->m[j][k] = WORD_BETA1 * f->m[j][k] + (1 - WORD_BETA1) * g;
            f->v[j][k] = WORD_BETA2 * f->v[j][k] + (1 - WORD_BETA2) * g * g;
            f->w[j][k] -= WORD_RATE * (f->m[j][k] / c1) / (sqrt(f->v[j][k] / c2) + 1e-8);
            f->g[j][k] = 0;
        }
}

/* Fit m's weights and bias, and the words' (words may be NULL), to the n
 * rows of x and y (verdict_model_fit). */
static int fit_rows(const float *x, const int *y, size_t n, double lambda, int iterations,
                    const verdict_fit_words *words, verdict_model *m)
{
    enum { ROWS = VERDICT_FEATURES + 1 };
    const double rate = 0.5;
    double mean[VERDICT_FEATURES], sd[VERDICT_FEATURES];
    standardize(x, n, mean, sd);
    double *z = malloc(n * VERDICT_FEATURES * sizeof *z);
    double (*w)[VERDICT_CLASSES] = calloc(ROWS, sizeof *w);
    double (*g)[VERDICT_CLASSES] = malloc(ROWS * sizeof *g);
    word_fit wf;
    if (word_fit_new(&wf, words) || !z || !w || !g) {
        free(z), free(w), free(g), word_fit_free(&wf);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < VERDICT_FEATURES; j++)
            z[i * VERDICT_FEATURES + j] = (x[i * VERDICT_FEATURES + j] - mean[j]) / sd[j];
    for (int it = 0; it < iterations; it++) {
        memset(g, 0, ROWS * sizeof *g);
        for (size_t i = 0; i < n; i++) {
            const double *zi = z + i * VERDICT_FEATURES;
            double p[VERDICT_CLASSES], extra[VERDICT_CLASSES];
            word_scores(&wf, i, extra);
            softmax_row(zi, (const double (*)[VERDICT_CLASSES])w, extra, p);
            p[y[i]] -= 1; /* the gradient of the cross-entropy: p - one-hot */
            for (int k = 0; k < VERDICT_CLASSES; k++) {
                for (size_t j = 0; j < VERDICT_FEATURES; j++) g[j][k] += p[k] * zi[j];
                g[VERDICT_FEATURES][k] += p[k];
            }
            word_gradient(&wf, i, p);
        }
        for (size_t j = 0; j < ROWS; j++)
            for (int k = 0; k < VERDICT_CLASSES; k++) {
                double reg = j < VERDICT_FEATURES ? lambda * w[j][k] : 0; /* not on the bias */
                w[j][k] -= rate * (g[j][k] / (double)n + reg);
            }
        word_step(&wf, n);
    }
    /* on the raw features: w' = w / sd, bias' = bias - sum(w * mean / sd) */
    m->present = 1;
    for (int k = 0; k < VERDICT_CLASSES; k++) {
        double bias = w[VERDICT_FEATURES][k];
        for (size_t j = 0; j < VERDICT_FEATURES; j++) {
            m->weight[j][k] = (float)(w[j][k] / sd[j]);
            bias -= w[j][k] * mean[j] / sd[j];
        }
        m->bias[k] = (float)bias;
    }
    for (size_t j = 0; words && j < words->count; j++)
        for (int k = 0; k < VERDICT_CLASSES; k++) words->weight[j][k] = (float)wf.w[j][k];
    free(z), free(w), free(g), word_fit_free(&wf);
    return 0;
}

int verdict_model_fit(const float *x, const int *y, const unsigned *terms, size_t n,
                      unsigned min_terms, double lambda, int iterations,
                      const verdict_fit_words *words, verdict_model *m)
{
    memset(m, 0, sizeof *m);
    if (!n) return 0;
    if (!min_terms) {
        if (!(m->max_terms = covered_terms(terms, n))) return -1;
        return fit_rows(x, y, n, lambda, iterations, words, m);
    }
    /* a long-text model: the rows of at least min_terms terms */
    float *long_x = malloc(n * VERDICT_FEATURES * sizeof *long_x);
    int *long_y = malloc(n * sizeof *long_y);
    size_t k = 0;
    if (long_x && long_y)
        for (size_t i = 0; i < n; i++)
            if (terms[i] >= min_terms) {
                memcpy(long_x + k * VERDICT_FEATURES, x + i * VERDICT_FEATURES,
                       VERDICT_FEATURES * sizeof *long_x);
                long_y[k++] = y[i];
            }
    int rc = !long_x || !long_y ? -1 : k ? fit_rows(long_x, long_y, k, lambda, iterations, NULL, m) : 0;
    m->min_terms = min_terms;
    free(long_x), free(long_y);
    return rc;
}
