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
#include "score.h"
#include "verdict.h"

/* A word enters the model when this many training texts hold it: one
 * text's word would only learn that text's label. */
#define WORD_MIN_TEXTS 2

/* The L2 weight on the words' weights, unless the caller names one. */
#define WORD_LAMBDA 3e-6

/* A word of the labeled texts (score_word_counts): its token's hash and
 * bytes, and how many texts hold it. */
typedef struct {
    uint64_t hash;
    uint32_t key_off, key_len;
    uint32_t texts;
    uint32_t last_text; /* the last text that counted it, from 1 */
} vocab_word;

/* The words of the labeled texts, and each text's words as indices into
 * them: text i's are word[start[i]] .. word[start[i + 1] - 1]. */
typedef struct {
    vocab_word *words;
    size_t count, words_cap;
    uint32_t *index; /* open addressing on the hash: a word's index + 1, 0 empty */
    size_t index_cap;
    char *keys;
    size_t keys_len, keys_cap;
    size_t *start;
    size_t start_cap;
    float *scale; /* per text: verdict_words_scale of its word count */
    size_t scale_cap;
    uint32_t *word;
    size_t nword, word_cap;
} vocabulary;

typedef struct {
    culpa_scorer *scorer;
    float *x;        /* VERDICT_FEATURES per labeled record */
    int *y;          /* its label: an index in verdict_columns */
    int *before;     /* the verdict the lexicon gave it, as an index too */
    unsigned *terms; /* its matched terms */
    size_t n, cap_x, cap_y, cap_b, cap_t;
    uint64_t records;
    vocabulary *vocab; /* NULL: the model has no words */
    int failed;
} samples;

/* Double v's index and place every word again. */
static int vocab_rehash(vocabulary *v)
{
    size_t cap = v->index_cap ? 2 * v->index_cap : 1024;
    uint32_t *index = calloc(cap, sizeof *index);
    if (!index) return -1;
    for (size_t w = 0; w < v->count; w++) {
        size_t i = (size_t)v->words[w].hash & (cap - 1);
        while (index[i]) i = (i + 1) & (cap - 1);
        index[i] = (uint32_t)w + 1;
    }
    free(v->index);
    v->index = index;
    v->index_cap = cap;
    return 0;
}

/* The index of the word with hash h and bytes key[0..len), added when new;
 * -1 when out of memory. */
static long vocab_word_of(vocabulary *v, uint64_t h, const char *key, size_t len)
{
    if (2 * (v->count + 1) > v->index_cap && vocab_rehash(v)) return -1;
    size_t i = (size_t)h & (v->index_cap - 1);
    for (; v->index[i]; i = (i + 1) & (v->index_cap - 1))
        if (v->words[v->index[i] - 1].hash == h) return v->index[i] - 1;
    if (grow_to((void **)&v->words, &v->words_cap, v->count + 1, sizeof *v->words, 1024) ||
        grow_to((void **)&v->keys, &v->keys_cap, v->keys_len + len, 1, 16384))
        return -1;
    memcpy(v->keys + v->keys_len, key, len);
    v->words[v->count] = (vocab_word){h, (uint32_t)v->keys_len, (uint32_t)len, 0, 0};
    v->keys_len += len;
    v->index[i] = (uint32_t)++v->count;
    return (long)v->count - 1;
}

/* Add the words of tb as text number `text` (from 0, in order). */
static int vocab_add_text(vocabulary *v, const text_buf *tb, size_t text)
{
    if (grow_to((void **)&v->start, &v->start_cap, text + 2, sizeof *v->start, 1024)) return -1;
    v->start[text] = v->nword;
    for (uint32_t i = 0; i < tb->ntok; i++) {
        if (!score_word_counts(tb, i)) continue;
        const token *t = &tb->tok[i];
        long w = vocab_word_of(v, tb->hash[i], tb->norm + t->norm_off, t->norm_len);
        if (w < 0 || grow_to((void **)&v->word, &v->word_cap, v->nword + 1, sizeof *v->word, 16384))
            return -1;
        v->word[v->nword++] = (uint32_t)w;
        vocab_word *vw = &v->words[w];
        if (vw->last_text != text + 1) vw->texts++;
        vw->last_text = (uint32_t)(text + 1);
    }
    v->start[text + 1] = v->nword;
    if (grow_to((void **)&v->scale, &v->scale_cap, text + 1, sizeof *v->scale, 1024)) return -1;
    v->scale[text] = verdict_words_scale(v->nword - v->start[text]);
    return 0;
}

/* Keep the words that at least min_texts of the n texts hold, in their
 * order, and drop the others from the texts (the index is left as it was:
 * no word is added after).  @return 0, or -1 when out of memory. */
static int vocab_keep_common(vocabulary *v, size_t n, uint32_t min_texts)
{
    uint32_t *renamed = malloc((v->count + 1) * sizeof *renamed); /* new index + 1, 0: dropped */
    if (!renamed) return -1;
    size_t kept = 0;
    for (size_t w = 0; w < v->count; w++)
        renamed[w] = v->words[w].texts >= min_texts ? (uint32_t)++kept : 0;
    size_t out = 0, from = 0;
    for (size_t i = 0; i < n; i++) {
        size_t end = v->start[i + 1];
        v->start[i] = out;
        for (size_t t = from; t < end; t++)
            if (renamed[v->word[t]]) v->word[out++] = renamed[v->word[t]] - 1;
        from = end;
    }
    v->start[n] = out;
    v->nword = out;
    for (size_t w = 0; w < v->count; w++)
        if (renamed[w]) v->words[renamed[w] - 1] = v->words[w];
    v->count = kept;
    free(renamed);
    return 0;
}

static void vocab_free(vocabulary *v)
{
    free(v->words), free(v->index), free(v->keys), free(v->start), free(v->word), free(v->scale);
}

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
    if (s->vocab && vocab_add_text(s->vocab, score_text(s->scorer), s->n)) {
        s->failed = 1;
        return 1;
    }
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

/* A word's key, for writing the words in the order of their bytes. */
typedef struct {
    const char *key;
    uint32_t len, word;
} word_key;

static int cmp_word_key(const void *a, const void *b)
{
    const word_key *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The lines "word<TAB>key<TAB>4 weights" of v's words, in the order of
 * their keys' bytes, appended to p (n bytes of cap used). */
static int format_words(const vocabulary *v, const float (*weight)[VERDICT_CLASSES], char **p,
                        size_t *n, size_t *cap)
{
    word_key *order = malloc((v->count + 1) * sizeof *order);
    if (!order) return -1;
    for (size_t w = 0; w < v->count; w++)
        order[w] = (word_key){v->keys + v->words[w].key_off, v->words[w].key_len, (uint32_t)w};
    qsort(order, v->count, sizeof *order, cmp_word_key);
    for (size_t i = 0; i < v->count; i++) {
        const float *w = weight[order[i].word];
        if (grow_to((void **)p, cap, *n + order[i].len + 96, 1, 4096)) {
            free(order);
            return -1;
        }
        *n += (size_t)snprintf(*p + *n, *cap - *n, "word\t%.*s\t%.6g\t%.6g\t%.6g\t%.6g\n",
                               (int)order[i].len, order[i].key, w[0], w[1], w[2], w[3]);
    }
    free(order);
    return 0;
}

/* The model as a verdict.model file's lines, with v's words (v may be
 * NULL); 0, or -1 when out of memory. */
static int format_model(const verdict_model *m, const vocabulary *v,
                        const float (*weight)[VERDICT_CLASSES], char **out, size_t *len)
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
    if (v && format_words(v, weight, &p, &n, &cap)) {
        free(p);
        return -1;
    }
    *out = p;
    *len = n;
    return 0;
}

/* Text i's word evidence under the fitted weights (v may be NULL). */
static void text_words(const vocabulary *v, const float (*weight)[VERDICT_CLASSES], size_t i,
                       float *sum)
{
    for (int k = 0; k < VERDICT_CLASSES; k++) sum[k] = 0;
    for (size_t t = v ? v->start[i] : 0; v && t < v->start[i + 1]; t++)
        for (int k = 0; k < VERDICT_CLASSES; k++) sum[k] += v->scale[i] * weight[v->word[t]][k];
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
    vocabulary vocab = {0};
    s.vocab = to->min_terms || to->no_words ? NULL : &vocab; /* a long-text model has no words */
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
    float (*weight)[VERDICT_CLASSES] = NULL; /* the words' */
    char *text = NULL;
    size_t len = 0;
    if (st == CULPA_OK) {
        double lambda = to->lambda > 0 ? to->lambda : 1e-3;
        int iterations = to->iterations > 0 ? to->iterations : 3000;
        verdict_fit_words words = {0};
        if (s.vocab && vocab_keep_common(&vocab, s.n, WORD_MIN_TEXTS) == 0 &&
            (weight = calloc(vocab.count + 1, sizeof *weight)))
            words = (verdict_fit_words){vocab.start, vocab.word, vocab.scale, vocab.count,
                                        to->word_lambda > 0 ? to->word_lambda : WORD_LAMBDA, weight};
        if ((s.vocab && !weight) || !(after = malloc(s.n * sizeof *after)) ||
            verdict_model_fit(s.x, s.y, s.terms, s.n, to->min_terms, lambda, iterations,
                              s.vocab ? &words : NULL, &m) ||
            format_model(&m, s.vocab, (const float (*)[VERDICT_CLASSES])weight, &text, &len)) {
            st = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
        } else {
            for (size_t i = 0; i < s.n; i++) {
                const float *x = s.x + i * VERDICT_FEATURES;
                float sum[VERDICT_CLASSES];
                text_words(s.vocab, (const float (*)[VERDICT_CLASSES])weight, i, sum);
                culpa_verdict plain = verdict_by_thresholds(x[VF_BUSINESS], x[VF_CUSTOMER]);
                after[i] = column_of(m.min_terms ? verdict_decide(&none, &m, x, NULL, s.terms[i], plain)
                                                 : verdict_decide(&m, &none, x, sum, s.terms[i], plain));
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
    free(weight);
    vocab_free(&vocab);
    free(s.x), free(s.y), free(s.before), free(s.terms);
    culpa_scorer_free(s.scorer);
    return st;
}
