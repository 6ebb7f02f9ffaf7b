/* The verdict stage: feature names, the thresholds, the model file, fitting
 * and where a model applies; the long-text model. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "cases.h"
#include "output.h"
#include "text.h"
#include "verdict.h"

Test(verdict, feature_names_follow_the_classes_and_flags)
{
    for (size_t i = 0; i < VERDICT_FEATURES; i++) {
        const char *name = verdict_feature_name(i);
        cr_assert_not_null(name, "feature %zu", i);
        cr_assert_str_eq(culpa_verdict_feature_name(i), name);
        for (size_t j = 0; j < i; j++) cr_assert_str_neq(verdict_feature_name(j), name);
    }
    cr_assert_null(verdict_feature_name(VERDICT_FEATURES));
    cr_assert_null(culpa_verdict_feature_name(VERDICT_FEATURES));
    char want[64];
    for (int c = 0; c < CULPA_CLASS_COUNT; c++) {
        snprintf(want, sizeof want, "role_%s", culpa_class_str((culpa_class)c));
        cr_assert_str_eq(verdict_feature_name(VF_ROLES + (size_t)c), want);
    }
    for (unsigned b = 0; b < VERDICT_FLAG_COUNT; b++) {
        snprintf(want, sizeof want, "flag_%s", match_flag_name(b));
        cr_assert_str_eq(verdict_feature_name(VF_FLAGS + b), want);
    }
    cr_assert_null(match_flag_name(VERDICT_FLAG_COUNT), "a flag the features do not count");
}

typedef struct {
    double business, customer;
    culpa_verdict want;
} threshold_case;

static const threshold_case thresholds[] = {
    {0.00, 0.00, CULPA_VERDICT_NONE},
    {0.11, 0.10, CULPA_VERDICT_NONE},     /* neither reaches 0.12 */
    {0.50, 0.00, CULPA_VERDICT_BUSINESS},
    {0.00, 0.30, CULPA_VERDICT_CUSTOMER},
    {0.50, 0.30, CULPA_VERDICT_MIXED},    /* 0.30 >= 0.4 x 0.50 */
    {0.50, 0.15, CULPA_VERDICT_BUSINESS}, /* 0.15 < 0.4 x 0.50 */
    {0.20, 0.11, CULPA_VERDICT_BUSINESS}, /* the weaker under 0.12 */
    {0.30, 0.90, CULPA_VERDICT_CUSTOMER}, /* 0.30 < 0.4 x 0.90 */
};

CASES_BY_INDEX(verdict, thresholds_decide_without_a_model, thresholds)
ParameterizedTest(size_t *i, verdict, thresholds_decide_without_a_model)
{
    const threshold_case *c = &thresholds[*i];
    cr_assert_eq(verdict_by_thresholds(c->business, c->customer), c->want, "%.2f / %.2f", c->business,
                 c->customer);
}

static const char good_model[] =
    "# a comment\n"
    "max_terms\t12\n"
    "bias\t0.5\t-1\t0\t2\n"
    "\n"
    "blame_business\t3\t-1\t0.25\t-2.5e-1\r\n"
    "flag_negated\t0\t0\t1\t0\n";

Test(verdict, a_model_file_is_read)
{
    verdict_model m;
    culpa_error err;
    cr_assert_eq(verdict_model_parse(good_model, sizeof good_model - 1, "m", &m, &err), CULPA_OK, "%s",
                 err.message);
    cr_assert(m.present);
    cr_assert_eq(m.max_terms, 12);
    cr_assert_float_eq(m.bias[0], 0.5f, 1e-7);
    cr_assert_float_eq(m.bias[3], 2.0f, 1e-7);
    cr_assert_float_eq(m.weight[VF_BUSINESS][0], 3.0f, 1e-7);
    cr_assert_float_eq(m.weight[VF_BUSINESS][3], -0.25f, 1e-7);
    cr_assert_float_eq(m.weight[VF_FLAGS][2], 1.0f, 1e-7);
    cr_assert_float_eq(m.weight[VF_SENTIMENT][1], 0.0f, 1e-7); /* not named: 0 */
    /* bias alone says none; enough business evidence says business */
    float x[VERDICT_FEATURES] = {0};
    cr_assert_eq(verdict_model_apply(&m, x, NULL), CULPA_VERDICT_NONE);
    x[VF_BUSINESS] = 1;
    cr_assert_eq(verdict_model_apply(&m, x, NULL), CULPA_VERDICT_BUSINESS);
}

static const char model_with_words[] =
    "max_terms\t12\n"
    "bias\t0\t0\t0\t1\n"
    "word\tslow\t2\t0\t0\t-0.5\n"
    "word\t\xe6\x85\xa2\t1.5\t0\t0\t0\n"; /* 慢 */

static const float *word_weights(const verdict_model *m, const char *key)
{
    const verdict_word *w = verdict_word_find(&m->words, text_token_hash(key, strlen(key)));
    return w ? w->weight : NULL;
}

Test(verdict, a_model_file_with_words_is_read_and_the_words_count)
{
    verdict_model m;
    culpa_error err;
    cr_assert_eq(verdict_model_parse(model_with_words, sizeof model_with_words - 1, "m", &m, &err),
                 CULPA_OK, "%s", err.message);
    cr_assert_eq(m.words.count, 2);
    const float *slow = word_weights(&m, "slow");
    cr_assert_not_null(slow);
    cr_assert_float_eq(slow[0], 2.0f, 1e-7);
    cr_assert_float_eq(slow[3], -0.5f, 1e-7);
    cr_assert_float_eq(word_weights(&m, "\xe6\x85\xa2")[0], 1.5f, 1e-7);
    cr_assert_null(word_weights(&m, "fast"));
    cr_assert_null(word_weights(&m, "slo"));
    float x[VERDICT_FEATURES] = {0};
    cr_assert_eq(verdict_model_apply(&m, x, NULL), CULPA_VERDICT_NONE, "no words: the bias");
    float words[VERDICT_CLASSES];
    memcpy(words, slow, sizeof words);
    cr_assert_eq(verdict_model_apply(&m, x, words), CULPA_VERDICT_BUSINESS, "2 against 1 - 0.5");
    verdict_model copy;
    cr_assert_eq(verdict_model_copy(&copy, &m), 0);
    verdict_model_free(&m);
    cr_assert_eq(m.words.count, 0);
    cr_assert_null(word_weights(&m, "slow"), "a freed model has no words");
    cr_assert_float_eq(word_weights(&copy, "slow")[0], 2.0f, 1e-7, "the copy owns its words");
    verdict_model_free(&copy);
}

Test(verdict, words_added_again_sum_and_the_table_grows)
{
    verdict_words w = {0};
    float one[VERDICT_CLASSES] = {1, 0, 0, -1};
    char key[16];
    for (int i = 1; i <= 1000; i++) {
        snprintf(key, sizeof key, "w%d", i);
        cr_assert_eq(verdict_words_add(&w, key, strlen(key), one), 0);
    }
    cr_assert_eq(verdict_words_add(&w, "w7", 2, one), 0);
    cr_assert_eq(w.count, 1000);
    cr_assert_geq(w.cap, 2000, "at most half full");
    size_t off = 0, len;
    for (int i = 1; i <= 1000; i++, off += len + 1) {
        snprintf(key, sizeof key, "w%d", i);
        const verdict_word *v = verdict_word_find(&w, text_token_hash(key, strlen(key)));
        cr_assert_not_null(v, "%s", key);
        cr_assert_float_eq(v->weight[3], i == 7 ? -2.0f : -1.0f, 1e-7);
        cr_assert_eq(verdict_words_at(&w, off, &len), v, "the keys in the order added");
        cr_assert_str_eq(w.keys + off, key);
    }
    cr_assert_eq(off, w.keys_len);
    cr_assert_null(verdict_word_find(&w, text_token_hash("w1001", 5)));
    free(w.slot);
    free(w.keys);
}

typedef struct {
    const char *text;
    const char *message; /* a part of the error's message */
} bad_model_case;

static const bad_model_case bad_models[] = {
    {"max_terms\t5\nbias\t0\t0\t0\t0\nblame_busines\t1\t1\t1\t1\n", "m:3: unknown feature 'blame_busines'"},
    {"max_terms\t5\nbias\t0\t0\t0\n", "m:2: expected four weights"},
    {"max_terms\t5\nbias\t0\t0\t0\t0\t0\n", "m:2: expected four weights"},
    {"max_terms\t5\nbias\t0\t0\tx\t0\n", "m:2: expected four weights"},
    {"max_terms\t5\nbias\t0\t0\t0\t0\nbias\t0\t0\t0\t0\n", "m:3: feature named twice"},
    {"max_terms\t5\nsentiment 1 1 1 1\n", "m:2: expected a name and four weights"},
    {"max_terms\t5\n", "no 'bias' line"},
    {"bias\t0\t0\t0\t0\n", "no 'max_terms' or 'min_terms' line"},
    {"max_terms\t0\nbias\t0\t0\t0\t0\n", "m:1: max_terms takes a count"},
    {"min_terms\tx\nbias\t0\t0\t0\t0\n", "m:1: min_terms takes a count"},
    {"max_terms\t5\nmin_terms\t9\nbias\t0\t0\t0\t0\n", "m:2: a second max_terms or min_terms"},
    {"max_terms\t5\nmax_terms\t5\nbias\t0\t0\t0\t0\n", "m:2: a second max_terms or min_terms"},
    {"max_terms\t5\nbias\t0\t0\t0\t0\nword\tslow\t1\t1\t1\n", "m:3: expected four weights"},
    {"max_terms\t5\nbias\t0\t0\t0\t0\nword\tslow\n", "m:3: expected a word and four weights"},
    {"max_terms\t5\nbias\t0\t0\t0\t0\nword\t\t1\t1\t1\t1\n", "m:3: expected a word and four weights"},
    {"max_terms\t5\nbias\t0\t0\t0\t0\nword\tslow\t1\t1\t1\t1\nword\tslow\t1\t1\t1\t1\n",
     "m:4: word named twice"},
    {"min_terms\t5\nbias\t0\t0\t0\t0\nword\tslow\t1\t1\t1\t1\n", "a long-text model (min_terms) has no words"},
};

CASES_BY_INDEX(verdict, bad_model_files_are_refused_with_their_line, bad_models)
ParameterizedTest(size_t *i, verdict, bad_model_files_are_refused_with_their_line)
{
    const bad_model_case *c = &bad_models[*i];
    verdict_model m;
    culpa_error err;
    cr_assert_eq(verdict_model_parse(c->text, strlen(c->text), "m", &m, &err), CULPA_ERR_LEXICON);
    cr_assert(strstr(err.message, c->message), "got \"%s\", want \"%s\"", err.message, c->message);
}

/* Four clusters, one a verdict, told apart by the two blame features
 * alone: the fit must learn them, and do it the same way twice. */
Test(verdict, a_fit_learns_separable_verdicts_and_is_deterministic)
{
    enum { N = 400 };
    static float x[N * VERDICT_FEATURES];
    static int y[N];
    static unsigned terms[N];
    memset(x, 0, sizeof x);
    for (int i = 0; i < N; i++) {
        int k = i % VERDICT_CLASSES; /* business, customer, mixed, none */
        float jitter = (float)(i % 7) * 0.01f;
        float *r = x + i * VERDICT_FEATURES;
        r[VF_BUSINESS] = (k == 0 || k == 2 ? 0.8f : 0.05f) + jitter;
        r[VF_CUSTOMER] = (k == 1 || k == 2 ? 0.8f : 0.05f) - jitter;
        r[VF_TERMS] = 0.5f;
        y[i] = k;
        terms[i] = (unsigned)(1 + i % 100); /* 97% of them at most 97 */
    }
    verdict_model a, b;
    cr_assert_eq(verdict_model_fit(x, y, terms, N, 0, 1e-3, 500, NULL, &a), 0);
    cr_assert_eq(verdict_model_fit(x, y, terms, N, 0, 1e-3, 500, NULL, &b), 0);
    cr_assert(memcmp(&a, &b, sizeof a) == 0, "the same data, the same model");
    cr_assert(a.present);
    cr_assert_eq(a.max_terms, 98);
    for (int i = 0; i < N; i++)
        cr_assert_eq(verdict_model_apply(&a, x + i * VERDICT_FEATURES, NULL), verdict_columns[y[i]], "row %d", i);
    float mixed[VERDICT_FEATURES] = {0};
    mixed[VF_BUSINESS] = mixed[VF_CUSTOMER] = 0.75f;
    cr_assert_eq(verdict_model_apply(&a, mixed, NULL), CULPA_VERDICT_MIXED);
}

/* Texts whose features are all alike and whose verdict only a word tells:
 * the fit must learn the words, which the features alone cannot. */
Test(verdict, a_fit_learns_the_words_that_tell_verdicts_apart)
{
    enum { N = 200, WORDS = 3 }; /* 0 "late" (business), 1 "lovely" (none), 2 "the" (both) */
    static float x[N * VERDICT_FEATURES];
    static int y[N];
    static unsigned terms[N];
    static size_t start[N + 1];
    static uint32_t word[2 * N];
    static float scale[N];
    memset(x, 0, sizeof x);
    for (int i = 0; i < N; i++) {
        x[i * VERDICT_FEATURES + VF_TERMS] = 0.1f;
        y[i] = i % 2 ? 3 : 0; /* none or business */
        terms[i] = 1;
        start[i] = 2 * (size_t)i;
        word[2 * i] = i % 2 ? 1 : 0;
        word[2 * i + 1] = 2;
        scale[i] = 1;
    }
    start[N] = 2 * N;
    float weight[WORDS][VERDICT_CLASSES];
    verdict_fit_words words = {start, word, scale, WORDS, 1e-4, weight};
    verdict_model m, plain;
    cr_assert_eq(verdict_model_fit(x, y, terms, N, 0, 1e-3, 300, &words, &m), 0);
    cr_assert_eq(m.words.count, 0, "the caller keeps the words");
    cr_assert_gt(weight[0][0], weight[0][3] + 1, "\"late\" says business");
    cr_assert_gt(weight[1][3], weight[1][0] + 1, "\"lovely\" says none");
    for (int i = 0; i < 2; i++) {
        float sum[VERDICT_CLASSES];
        for (int k = 0; k < VERDICT_CLASSES; k++) sum[k] = weight[i][k] + weight[2][k];
        cr_assert_eq(verdict_model_apply(&m, x, sum), i ? CULPA_VERDICT_NONE : CULPA_VERDICT_BUSINESS);
    }
    cr_assert_eq(verdict_model_fit(x, y, terms, N, 0, 1e-3, 300, NULL, &plain), 0);
    cr_assert_eq(verdict_model_apply(&plain, x, NULL), verdict_model_apply(&plain, x + VERDICT_FEATURES, NULL),
                 "without words the two are one text");
}

Test(verdict, a_model_decides_only_texts_within_its_term_count)
{
    verdict_model m = {0};
    m.max_terms = 10;
    cr_assert_not(verdict_model_applies(&m, 5), "no model present");
    m.present = 1;
    cr_assert_not(verdict_model_applies(&m, 0), "no term: no evidence");
    cr_assert(verdict_model_applies(&m, 1));
    cr_assert(verdict_model_applies(&m, 10));
    cr_assert_not(verdict_model_applies(&m, 11), "longer than its training texts");
}

/* A long-text model that prefers either side to mixed (its bias), read
 * from a file as the lexicon reads it. */
static verdict_model sides_over_mixed(void)
{
    static const char text[] = "min_terms\t20\nbias\t1\t1\t0\t9\n";
    verdict_model m;
    culpa_error err;
    cr_assert_eq(verdict_model_parse(text, sizeof text - 1, "m", &m, &err), CULPA_OK, "%s", err.message);
    cr_assert_eq(m.min_terms, 20);
    cr_assert_eq(m.max_terms, 0);
    return m;
}

typedef struct {
    float business, customer, fault_cust, reply;
    size_t terms;
    culpa_verdict plain, want;
    const char *why;
} long_case;

static const long_case long_cases[] = {
    {0.9f, 0.5f, 0, 0, 25, CULPA_VERDICT_MIXED, CULPA_VERDICT_BUSINESS, "the side with more blame"},
    {0.5f, 0.9f, 1, 0, 25, CULPA_VERDICT_MIXED, CULPA_VERDICT_CUSTOMER, "a fault of the customer's"},
    {0.5f, 0.9f, 0, 1, 25, CULPA_VERDICT_MIXED, CULPA_VERDICT_CUSTOMER, "the business's reply"},
    {0.5f, 0.9f, 0, 0, 25, CULPA_VERDICT_MIXED, CULPA_VERDICT_MIXED,
     "customer blame from parties alone names no customer"},
    {0.9f, 0.5f, 0, 0, 19, CULPA_VERDICT_MIXED, CULPA_VERDICT_MIXED, "shorter than min_terms"},
    {0.9f, 0.1f, 0, 0, 25, CULPA_VERDICT_BUSINESS, CULPA_VERDICT_BUSINESS, "business stands"},
    {0.0f, 0.0f, 0, 0, 25, CULPA_VERDICT_NONE, CULPA_VERDICT_NONE, "none stands, whatever the bias says"},
    {0.1f, 0.9f, 1, 0, 25, CULPA_VERDICT_CUSTOMER, CULPA_VERDICT_CUSTOMER, "customer with grounds stands"},
    {0.3f, 0.9f, 0, 0, 25, CULPA_VERDICT_CUSTOMER, CULPA_VERDICT_BUSINESS,
     "customer without grounds: the business's blame decides"},
    {0.1f, 0.9f, 0, 0, 25, CULPA_VERDICT_CUSTOMER, CULPA_VERDICT_NONE,
     "customer without grounds, too little business blame: nobody's"},
    {0.1f, 0.9f, 0, 0, 19, CULPA_VERDICT_CUSTOMER, CULPA_VERDICT_CUSTOMER, "shorter than min_terms: stands"},
};

CASES_BY_INDEX(verdict, a_long_text_model_settles_mixed_and_groundless_customer_readings, long_cases)
ParameterizedTest(size_t *i, verdict, a_long_text_model_settles_mixed_and_groundless_customer_readings)
{
    const long_case *c = &long_cases[*i];
    verdict_model m = sides_over_mixed(), no_model = {0};
    float x[VERDICT_FEATURES] = {0};
    x[VF_BUSINESS] = c->business;
    x[VF_CUSTOMER] = c->customer;
    x[VF_ROLES + CULPA_CLASS_FAULT_CUST] = c->fault_cust;
    x[VF_ROLES + CULPA_CLASS_REPLY] = c->reply;
    cr_assert_eq(verdict_decide(&no_model, &m, x, NULL, c->terms, c->plain), c->want, "%s", c->why);
    cr_assert_eq(verdict_decide(&no_model, &no_model, x, NULL, c->terms, c->plain), c->plain, "no model");
}

Test(verdict, mixed_stays_when_the_long_model_scores_it_higher)
{
    verdict_model m = sides_over_mixed();
    m.bias[2] = 2; /* mixed over both sides */
    float x[VERDICT_FEATURES] = {0};
    x[VF_BUSINESS] = 0.9f;
    x[VF_CUSTOMER] = 0.5f;
    cr_assert_eq(verdict_long_apply(&m, x, CULPA_VERDICT_MIXED), CULPA_VERDICT_MIXED);
    m.weight[VF_BUSINESS][0] = 2; /* 1 + 2 x 0.9 > 2 */
    cr_assert_eq(verdict_long_apply(&m, x, CULPA_VERDICT_MIXED), CULPA_VERDICT_BUSINESS);
}

Test(verdict, the_short_text_model_decides_first)
{
    verdict_model fitted = {0}, m = sides_over_mixed();
    fitted.present = 1;
    fitted.max_terms = 30;
    fitted.bias[3] = 1; /* always none */
    float x[VERDICT_FEATURES] = {0};
    x[VF_BUSINESS] = 0.9f;
    x[VF_CUSTOMER] = 0.5f;
    cr_assert_eq(verdict_decide(&fitted, &m, x, NULL, 25, CULPA_VERDICT_MIXED), CULPA_VERDICT_NONE);
    cr_assert(verdict_reads_features(&fitted, &m, 25, CULPA_VERDICT_BUSINESS));
    cr_assert_eq(verdict_decide(&fitted, &m, x, NULL, 31, CULPA_VERDICT_MIXED), CULPA_VERDICT_BUSINESS);
    cr_assert_not(verdict_reads_features(&fitted, &m, 31, CULPA_VERDICT_BUSINESS),
                  "a long text the thresholds read as business needs no features");
    cr_assert(verdict_reads_features(&fitted, &m, 31, CULPA_VERDICT_CUSTOMER), "one read as customer does");
}

/* A long-text fit reads only the rows of at least min_terms terms: rows of
 * fewer, labeled against their evidence, do not move it. */
Test(verdict, a_long_text_fit_reads_only_long_rows)
{
    enum { N = 200 };
    static float x[N * VERDICT_FEATURES];
    static int y[N];
    static unsigned terms[N];
    for (int i = 0; i < N; i++) {
        int long_row = i % 2, k = i / 2 % 2; /* business or mixed evidence */
        float *r = x + i * VERDICT_FEATURES;
        r[VF_BUSINESS] = 0.8f;
        r[VF_CUSTOMER] = k ? 0.6f : 0.35f;
        y[i] = long_row ? (k ? 2 : 0) : (k ? 0 : 2); /* short rows say the opposite */
        terms[i] = long_row ? 30 : 5;
    }
    verdict_model m, none;
    cr_assert_eq(verdict_model_fit(x, y, terms, N, 20, 1e-3, 500, NULL, &m), 0);
    cr_assert(m.present);
    cr_assert_eq(m.min_terms, 20);
    cr_assert_eq(m.max_terms, 0);
    for (int i = 1; i < N; i += 2)
        cr_assert_eq(verdict_long_apply(&m, x + i * VERDICT_FEATURES, CULPA_VERDICT_MIXED), verdict_columns[y[i]],
                     "row %d", i);
    cr_assert_eq(verdict_model_fit(x, y, terms, N, 31, 1e-3, 500, NULL, &none), 0);
    cr_assert_not(none.present, "no row of 31 terms");
}
