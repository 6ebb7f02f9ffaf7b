/* Training: fit a language's verdict model to a labeled file.
 *
 * The file is read through the normal engine with the label as the
 * record's id (as culpa_eval does); every labeled text is scored again on
 * the trainer's own scorer, whose features (culpa_scorer_features) are the
 * model's inputs.  The model is written as the text of a verdict.model
 * file through the caller's write callback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "culpa.h"
#include "error.h"
#include "grow.h"
#include "verdict.h"

typedef struct {
    culpa_scorer *scorer;
    float *x;        /* VERDICT_FEATURES per labeled record */
    int *y;          /* its label: an index in verdict_columns */
    int *before;     /* the verdict the lexicon gave it, as an index too */
    unsigned *terms; /* its matched terms */
    size_t n, cap_x, cap_y, cap_b, cap_t;
    uint64_t records;
    int failed;
} samples;

static int column_of(culpa_verdict v)
{
    for (int k = 0; k < VERDICT_CLASSES; k++)
        if (verdict_columns[k] == v) return k;
    return -1;
}

/* The column of a label ("business", ...), or -1. */
static int label_column(const char *label, size_t len)
{
    for (int k = 0; k < VERDICT_CLASSES; k++) {
        const char *name = culpa_verdict_str(verdict_columns[k]);
        if (strlen(name) == len && memcmp(name, label, len) == 0) return k;
    }
    return -1;
}

static int collect_sample(void *user, const culpa_row *row)
{
    samples *s = user;
    s->records++;
    int label = row->id && !row->error ? label_column(row->id, row->id_len) : -1;
    if (label < 0) return 0;
    culpa_result r;
    if (culpa_score(s->scorer, row->text, row->text_len, &r) != CULPA_OK ||
        grow_to((void **)&s->x, &s->cap_x, (s->n + 1) * VERDICT_FEATURES, sizeof *s->x, 1024) ||
        grow_to((void **)&s->y, &s->cap_y, s->n + 1, sizeof *s->y, 256) ||
        grow_to((void **)&s->before, &s->cap_b, s->n + 1, sizeof *s->before, 256) ||
        grow_to((void **)&s->terms, &s->cap_t, s->n + 1, sizeof *s->terms, 256)) {
        s->failed = 1;
        return 1;
    }
    culpa_scorer_features(s->scorer, s->x + s->n * VERDICT_FEATURES, VERDICT_FEATURES);
    s->y[s->n] = label;
    s->before[s->n] = column_of(row->result->verdict);
    s->terms[s->n] = r.matches;
    s->n++;
    return 0;
}

/* Keep only the samples of at least min_terms matched terms (all with 0),
 * in order; @return how many. */
static size_t kept_samples(samples *s, unsigned min_terms)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->terms[i] < min_terms) continue;
        memmove(s->x + k * VERDICT_FEATURES, s->x + i * VERDICT_FEATURES, VERDICT_FEATURES * sizeof *s->x);
        s->y[k] = s->y[i];
        s->before[k] = s->before[i];
        s->terms[k] = s->terms[i];
        k++;
    }
    return k;
}

/* Macro-F1 over the four verdicts of predictions p against labels y. */
static double macro_f1(const int *y, const int *p, size_t n)
{
    double f = 0;
    for (int k = 0; k < VERDICT_CLASSES; k++) {
        size_t tp = 0, predicted = 0, actual = 0;
        for (size_t i = 0; i < n; i++) {
            tp += y[i] == k && p[i] == k;
            predicted += p[i] == k;
            actual += y[i] == k;
        }
        if (predicted + actual) f += 2.0 * (double)tp / (double)(predicted + actual);
    }
    return f / VERDICT_CLASSES;
}

/* The model as a verdict.model file's lines; 0, or -1 when out of memory. */
static int format_model(const verdict_model *m, char **out, size_t *len)
{
    size_t cap = 256 + (VERDICT_FEATURES + 1) * 96;
    char *p = malloc(cap);
    if (!p) return -1;
    size_t n = (size_t)snprintf(p, cap, "%s\t%u\n# feature\tbusiness\tcustomer\tmixed\tnone\n",
                                m->min_terms ? "min_terms" : "max_terms",
                                m->min_terms ? m->min_terms : m->max_terms);
    for (size_t j = 0; j <= VERDICT_FEATURES; j++) {
        const float *w = j < VERDICT_FEATURES ? m->weight[j] : m->bias;
        n += (size_t)snprintf(p + n, cap - n, "%s\t%.9g\t%.9g\t%.9g\t%.9g\n",
                              j < VERDICT_FEATURES ? verdict_feature_name(j) : "bias", w[0], w[1],
                              w[2], w[3]);
    }
    *out = p;
    *len = n;
    return 0;
}

culpa_status culpa_train_verdict(const culpa_lexicon *lex, const char *path, const culpa_options *opt,
                                 const culpa_train_options *to, culpa_train_figures *fig,
                                 culpa_write_fn write, void *user, culpa_error *err)
{
    clear_error(err);
    if (!lex || !path || !opt || !to || !to->label_field || !fig || !write)
        return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL argument or no label field");
    memset(fig, 0, sizeof *fig);
    samples s = {0};
    if (!(s.scorer = culpa_scorer_new(lex))) return set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    culpa_status st = culpa_scorer_set_lang(s.scorer, opt->lang);
    if (st != CULPA_OK) set_error(err, st, NULL, 0, "the lexicon has no language '%s'", opt->lang);
    culpa_options run = *opt;
    run.id_field = to->label_field; /* the label travels as the id */
    run.write = NULL;
    run.progress = NULL;
    run.explain = 0;
    run.threads = 1; /* rows come in order on one thread: the callback scores on its own scorer */
    run.row = collect_sample;
    run.row_user = &s;
    run.row_text = 1;
    if (st == CULPA_OK) st = culpa_score_file(lex, path, &run, NULL, err);
    if (s.failed) st = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    else if (st == CULPA_OK && !s.n)
        st = set_error(err, CULPA_ERR_INPUT, path, 0, "no record has a verdict label");
    else if (st == CULPA_OK && !(s.n = kept_samples(&s, to->min_terms)))
        st = set_error(err, CULPA_ERR_INPUT, path, 0,
                       "no record with a verdict label has %u or more matched terms", to->min_terms);
    verdict_model m, none = {0};
    int *after = NULL;
    char *text = NULL;
    size_t len = 0;
    if (st == CULPA_OK) {
        double lambda = to->lambda > 0 ? to->lambda : 1e-3;
        int iterations = to->iterations > 0 ? to->iterations : 3000;
        if (!(after = malloc(s.n * sizeof *after)) ||
            verdict_model_fit(s.x, s.y, s.terms, s.n, to->min_terms, lambda, iterations, &m) ||
            format_model(&m, &text, &len)) {
            st = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
        } else {
            for (size_t i = 0; i < s.n; i++) {
                const float *x = s.x + i * VERDICT_FEATURES;
                culpa_verdict plain = verdict_by_thresholds(x[VF_BUSINESS], x[VF_CUSTOMER]);
                after[i] = column_of(m.min_terms ? verdict_decide(&none, &m, x, s.terms[i], plain)
                                                 : verdict_decide(&m, &none, x, s.terms[i], plain));
            }
            fig->records = s.records;
            fig->labeled = s.n;
            fig->macro_f1_before = macro_f1(s.y, s.before, s.n);
            fig->macro_f1_after = macro_f1(s.y, after, s.n);
            if (write(user, text, len)) st = set_error(err, CULPA_ERR_STOPPED, NULL, 0, "output stopped");
        }
    }
    free(text);
    free(after);
    free(s.x), free(s.y), free(s.before), free(s.terms);
    culpa_scorer_free(s.scorer);
    return st;
}
