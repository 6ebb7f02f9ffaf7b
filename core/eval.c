/* Evaluation: score a labeled file through the normal engine and compare.
 *
 * The label travels as the record's id (the engine already reads an id
 * field from every format), and the row callback collects (label, result)
 * pairs in input order.  The worst-scored records keep their text, so they
 * can be scored again with explanations for the report. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "culpa.h"
#include "error.h"
#include "grow.h"

#define MAX_CLASSES 4
#define UNSCORED 2 /* the predicted "class" of a sentiment of 0, positive vs negative */

typedef struct {
    double gold;      /* valence, or class index */
    double sentiment;
    double business, customer;
    int predicted;    /* class index */
} pair;

typedef struct {
    double badness;   /* how wrong: the worst come first */
    uint64_t number;
    char *text;
    size_t text_len;
    double gold;
    int predicted;
    double sentiment;
} worst;

typedef struct {
    const culpa_eval_options *eo;
    const char *names[MAX_CLASSES];
    int nclasses;
    pair *pairs;
    size_t npairs, cap;
    worst *worst;     /* the eo->errors worst so far, unsorted */
    size_t nworst;
    uint64_t records;
    int failed;
} collector;

/* Is `label` one of the comma-separated values of `names` ("4.0,5.0")? */
static int label_is(const char *names, const char *label, size_t len)
{
    for (const char *p = names;; p++) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && memcmp(p, label, len) == 0) return 1;
        if (!end) return 0;
        p = end;
    }
}

/* The class of a label, or -1 when it has none. */
static int gold_class(const collector *c, const char *label, size_t len, double *value)
{
    if (c->eo->kind == CULPA_LABEL_VALENCE) {
        char buf[64], *end;
        if (!len || len >= sizeof buf) return -1;
        memcpy(buf, label, len);
        buf[len] = '\0';
        *value = strtod(buf, &end);
        return *end || !isfinite(*value) ? -1 : 0;
    }
    for (int k = 0; k < c->nclasses; k++)
        if (c->names[k] && label_is(c->names[k], label, len)) {
            *value = k;
            return k;
        }
    return -1;
}

/* The predicted class of a result, in the order of collector.names. */
static int predicted_class(const collector *c, const culpa_result *r)
{
    switch (c->eo->kind) {
    case CULPA_LABEL_SENTIMENT:
        if (c->nclasses == 3) return r->sentiment > 0.05 ? 0 : r->sentiment < -0.05 ? 1 : 2;
        /* positive vs negative: a sentiment of 0 (no term found, or terms
         * that cancel) has no sign, so it is no answer, never a right one */
        return r->sentiment > 0 ? 0 : r->sentiment < 0 ? 1 : UNSCORED;
    case CULPA_LABEL_COMPLAINT:
        return r->verdict == CULPA_VERDICT_BUSINESS ? 0 : 1;
    case CULPA_LABEL_VERDICT:
        return r->verdict == CULPA_VERDICT_BUSINESS ? 0
               : r->verdict == CULPA_VERDICT_CUSTOMER ? 1
               : r->verdict == CULPA_VERDICT_MIXED   ? 2
                                                      : 3;
    case CULPA_LABEL_VALENCE:
        break;
    }
    return 0;
}

/* How wrong a scored record is, for the worst list; 0 when it is right. */
static double badness(const collector *c, const pair *p)
{
    if (c->eo->kind == CULPA_LABEL_VALENCE) return fabs(p->gold / 4.0 - p->sentiment);
    if (p->predicted == (int)p->gold) return 0;
    return 1 + fabs(p->sentiment) + p->business + p->customer;
}

static void keep_worst(collector *c, const pair *p, const culpa_row *row)
{
    double b = badness(c, p);
    if (b <= 0 || !c->eo->errors) return;
    size_t slot = c->nworst;
    if (c->nworst == c->eo->errors) { /* replace the mildest, if this is worse */
        slot = 0;
        for (size_t k = 1; k < c->nworst; k++)
            if (c->worst[k].badness < c->worst[slot].badness) slot = k;
        if (c->worst[slot].badness >= b) return;
        free(c->worst[slot].text);
    } else {
        c->nworst++;
    }
    worst *w = &c->worst[slot];
    w->badness = b;
    w->number = row->number;
    w->text = malloc(row->text_len + 1);
    if (!w->text) {
        c->failed = 1;
        w->text_len = 0;
        return;
    }
    memcpy(w->text, row->text, row->text_len);
    w->text[row->text_len] = '\0';
    w->text_len = row->text_len;
    w->gold = p->gold;
    w->predicted = p->predicted;
    w->sentiment = p->sentiment;
}

static int collect_row(void *user, const culpa_row *row)
{
    collector *c = user;
    c->records++;
    double value;
    if (row->error || !row->id || gold_class(c, row->id, row->id_len, &value) < 0) return 0;
    if (grow_to((void **)&c->pairs, &c->cap, c->npairs + 1, sizeof *c->pairs, 1024)) {
        c->failed = 1;
        return 1;
    }
    pair *p = &c->pairs[c->npairs++];
    p->gold = value;
    p->sentiment = row->result->sentiment;
    p->business = row->result->blame_business;
    p->customer = row->result->blame_customer;
    p->predicted = predicted_class(c, row->result);
    keep_worst(c, p, row);
    return 0;
}

/* ---- figures ------------------------------------------------------------ */

static double pearson(const double *x, const double *y, size_t n)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        sx += x[i];
        sy += y[i];
    }
    double mx = sx / (double)n, my = sy / (double)n;
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

typedef struct {
    double value;
    size_t index;
} ranked;

static int by_value(const void *a, const void *b)
{
    double x = ((const ranked *)a)->value, y = ((const ranked *)b)->value;
    return x < y ? -1 : x > y;
}

/* Ranks (1-based, ties averaged) of v into r. */
static int rank(const double *v, size_t n, double *r)
{
    ranked *t = malloc(n * sizeof *t);
    if (!t) return -1;
    for (size_t i = 0; i < n; i++) t[i] = (ranked){v[i], i};
    qsort(t, n, sizeof *t, by_value);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && t[j + 1].value == t[i].value) j++;
        for (size_t k = i; k <= j; k++) r[t[k].index] = (double)(i + j) / 2 + 1;
        i = j + 1;
    }
    free(t);
    return 0;
}

typedef struct {
    char *p;
    size_t len, cap;
    int failed;
} text;

static void say(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || grow_to((void **)&t->p, &t->cap, t->len + (size_t)n + 1, 1, 4096)) {
        t->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(t->p + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static culpa_status valence_figures(const collector *c, culpa_eval_figures *fig, text *out)
{
    size_t n = c->npairs;
    double *g = malloc(n * sizeof *g), *s = malloc(n * sizeof *s);
    double *rg = malloc(n * sizeof *rg), *rs = malloc(n * sizeof *rs);
    culpa_status st = CULPA_OK;
    if (!g || !s || !rg || !rs) {
        st = CULPA_ERR_NOMEM;
        goto done;
    }
    size_t signed_n = 0, sign_ok = 0;
    for (size_t i = 0; i < n; i++) {
        g[i] = c->pairs[i].gold;
        s[i] = c->pairs[i].sentiment;
        if (g[i] != 0) {
            signed_n++;
            sign_ok += (g[i] > 0 && s[i] > 0) || (g[i] < 0 && s[i] < 0);
        }
    }
    fig->pearson = pearson(g, s, n);
    if (rank(g, n, rg) || rank(s, n, rs)) {
        st = CULPA_ERR_NOMEM;
        goto done;
    }
    fig->spearman = pearson(rg, rs, n);
    fig->accuracy = signed_n ? (double)sign_ok / (double)signed_n : 0;
    say(out, "pearson r     %.3f\nspearman rho  %.3f\nsign accuracy %.3f (label and sentiment on the "
             "same side of 0, a sentiment of 0 counted wrong; %zu records labeled 0 left out)\n",
        fig->pearson, fig->spearman, fig->accuracy, n - signed_n);
done:
    free(g);
    free(s);
    free(rg);
    free(rs);
    return st;
}

/* Positive vs negative: records scored 0 get a column of their own. */
static int has_unscored(const collector *c)
{
    return c->eo->kind == CULPA_LABEL_SENTIMENT && c->nclasses == 2;
}

static void class_figures(const collector *c, culpa_eval_figures *fig, text *out)
{
    uint64_t confusion[MAX_CLASSES][MAX_CLASSES] = {{0}};
    size_t ok = 0;
    for (size_t i = 0; i < c->npairs; i++) {
        int g = (int)c->pairs[i].gold, p = c->pairs[i].predicted;
        confusion[g][p]++;
        ok += g == p;
    }
    int k = c->nclasses, columns = k + has_unscored(c);
    double f1_sum = 0;
    say(out, "accuracy      %.3f\n", c->npairs ? (double)ok / (double)c->npairs : 0);
    if (has_unscored(c)) {
        uint64_t unscored = confusion[0][UNSCORED] + confusion[1][UNSCORED];
        uint64_t scored = c->npairs - unscored;
        say(out, "unscored      %llu records with a sentiment of 0, counted wrong (accuracy of the other "
                 "%llu: %.3f)\n",
            (unsigned long long)unscored, (unsigned long long)scored,
            scored ? (double)ok / (double)scored : 0);
    }
    say(out, "\n%-10s %9s %9s %9s %9s\n", "class", "precision", "recall", "F1", "support");
    for (int a = 0; a < k; a++) {
        uint64_t tp = confusion[a][a], pred = 0, gold = 0;
        for (int b = 0; b < k; b++) pred += confusion[b][a];
        for (int b = 0; b < columns; b++) gold += confusion[a][b];
        double pr = pred ? (double)tp / (double)pred : 0, rc = gold ? (double)tp / (double)gold : 0;
        double f1 = pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0;
        f1_sum += f1;
        if (a == 0) fig->f1_positive = f1;
        say(out, "%-10s %9.3f %9.3f %9.3f %9llu\n", c->names[a], pr, rc, f1, (unsigned long long)gold);
    }
    fig->accuracy = c->npairs ? (double)ok / (double)c->npairs : 0;
    fig->macro_f1 = k ? f1_sum / k : 0;
    say(out, "macro-F1      %.3f\n\nconfusion (rows: label, columns: predicted)\n%-10s", fig->macro_f1, "");
    for (int b = 0; b < columns; b++) say(out, " %9s", b < k ? c->names[b] : "unscored");
    say(out, "\n");
    for (int a = 0; a < k; a++) {
        say(out, "%-10s", c->names[a]);
        for (int b = 0; b < columns; b++) say(out, " %9llu", (unsigned long long)confusion[a][b]);
        say(out, "\n");
    }
}

static int by_badness(const void *a, const void *b)
{
    double x = ((const worst *)a)->badness, y = ((const worst *)b)->badness;
    return x > y ? -1 : x < y;
}

/* The worst records, scored again with explanations. */
static void worst_records(collector *c, const culpa_lexicon *lex, const culpa_options *opt, text *out)
{
    if (!c->nworst) return;
    qsort(c->worst, c->nworst, sizeof *c->worst, by_badness);
    culpa_scorer *sc = culpa_scorer_new(lex);
    if (!sc) {
        out->failed = 1;
        return;
    }
    culpa_scorer_set_explain(sc, 1);
    culpa_scorer_set_lang(sc, opt->lang);
    say(out, "\nthe %zu worst-scored records\n", c->nworst);
    for (size_t i = 0; i < c->nworst; i++) {
        const worst *w = &c->worst[i];
        culpa_result r;
        culpa_score(sc, w->text, w->text_len, &r);
        if (c->eo->kind == CULPA_LABEL_VALENCE)
            say(out, "\n#%llu label %.3g, sentiment %.3f\n", (unsigned long long)w->number, w->gold,
                w->sentiment);
        else
            say(out, "\n#%llu label %s, predicted %s (sentiment %.3f, business %.3f, customer %.3f)\n",
                (unsigned long long)w->number, c->names[(int)w->gold],
                w->predicted < c->nclasses ? c->names[w->predicted] : "unscored",
                r.sentiment, r.blame_business, r.blame_customer);
        say(out, "  %.*s\n", (int)(w->text_len > 400 ? 400 : w->text_len), w->text);
        size_t n;
        const culpa_match *m = culpa_scorer_explain(sc, &n);
        for (size_t k = 0; k < n; k++)
            say(out, "    %-24.*s %-10s sentiment %+.2f business %.2f customer %.2f%s\n",
                (int)m[k].term_len, m[k].term, culpa_class_str(m[k].cls), m[k].sentiment, m[k].business,
                m[k].customer, m[k].flags & CULPA_MATCH_NEGATED ? " (negated)" : "");
    }
    culpa_scorer_free(sc);
}

culpa_status culpa_eval(const culpa_lexicon *lex, const char *path, const culpa_options *opt,
                        const culpa_eval_options *eo, culpa_eval_figures *fig, culpa_write_fn report,
                        void *user, culpa_error *err)
{
    clear_error(err);
    if (!lex || !path || !opt || !eo || !eo->label_field || !fig)
        return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL argument or no label field");
    memset(fig, 0, sizeof *fig);
    collector c = {0};
    c.eo = eo;
    switch (eo->kind) {
    case CULPA_LABEL_SENTIMENT:
        if (!eo->positive || !eo->negative)
            return set_error(err, CULPA_ERR_ARG, NULL, 0, "sentiment labels need positive and negative values");
        c.names[0] = eo->positive;
        c.names[1] = eo->negative;
        c.names[2] = eo->neutral;
        c.nclasses = eo->neutral ? 3 : 2;
        break;
    case CULPA_LABEL_COMPLAINT:
        c.names[0] = "1";
        c.names[1] = "0";
        c.nclasses = 2;
        break;
    case CULPA_LABEL_VERDICT:
        c.names[0] = "business";
        c.names[1] = "customer";
        c.names[2] = "mixed";
        c.names[3] = "none";
        c.nclasses = 4;
        break;
    case CULPA_LABEL_VALENCE:
        break;
    }
    if (eo->errors && !(c.worst = calloc(eo->errors, sizeof *c.worst)))
        return set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    culpa_options run = *opt;
    run.id_field = eo->label_field; /* the label travels as the id */
    run.write = NULL;
    run.progress = NULL;
    run.explain = 0;
    run.row = collect_row;
    run.row_user = &c;
    run.row_text = eo->errors > 0;
    culpa_status st = culpa_score_file(lex, path, &run, NULL, err);
    if (st == CULPA_OK && c.failed) st = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    text out = {0};
    if (st == CULPA_OK) {
        fig->records = c.records;
        fig->used = c.npairs;
        say(&out, "%s: %llu records, %zu with a usable label\n", path, (unsigned long long)c.records,
            c.npairs);
        if (!c.npairs) say(&out, "no record has a usable label\n");
        else if (eo->kind == CULPA_LABEL_VALENCE) st = valence_figures(&c, fig, &out);
        else class_figures(&c, fig, &out);
        if (st == CULPA_OK) worst_records(&c, lex, opt, &out);
        if (out.failed) st = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
        else if (st != CULPA_OK) set_error(err, st, NULL, 0, "out of memory");
        if (st == CULPA_OK && report && out.len && report(user, out.p, out.len))
            st = set_error(err, CULPA_ERR_STOPPED, NULL, 0, "output stopped");
    }
    free(out.p);
    for (size_t i = 0; i < c.nworst; i++) free(c.worst[i].text);
    free(c.worst);
    free(c.pairs);
    return st;
}
