/* Verdict stage: a language's verdict model, read from its folder's
 * verdict.model and trained by `culpa train`.
 *
 * The model stage (score.c) gathers the evidence of a text into a fixed
 * vector of features: the two blame scores and the sentiment, some of their
 * products, how many matched terms played each role, how many carry each
 * flag, and the sums of what they gave to praise, complaint and each side.
 * A multinomial logistic regression over that vector picks the verdict of
 * a text whose number of matched terms lies within what the model was
 * fitted on (max_terms: 97% of its training texts have no more).  Longer
 * texts, and every text of a language without a model, keep the two
 * thresholds on the blame scores (verdict_by_thresholds): a linear model
 * carried far past its data reads a long complaint's many incidental terms
 * as evidence (measured: docs/ARCHITECTURE.md).
 *
 * Beside the features, the short-text model weighs the text's words, the
 * lexicon's or not (verdict_words): a complaint often says what went wrong
 * in words no lexicon scores ("quoted 180, billed 342", "the parcel sat at
 * the depot").  Each token that two or more training texts hold has four
 * weights fitted with the rest; a text adds the mean of its words' weights
 * (unknown words count as 0), so a long text's many ordinary words do not
 * outweigh its evidence as a sum would (measured: docs/ARCHITECTURE.md).
 *
 * A long text gathers incidental evidence on both sides, so the thresholds
 * read many a long confession or complaint as mixed.  A second model, fitted
 * to long texts only (verdict_long.model, min_terms), settles that reading:
 * it keeps mixed or names the side with more blame.  It names the customer
 * only when a term puts a fault on the customer or marks the text as the
 * business's reply, and by the same rule a long text that the thresholds
 * read as the customer's without such a term is the business's (or
 * nobody's): customer blame from a first person near a bad word is no
 * confession.  Given all four verdicts, the same fit lost real complaints
 * to customer and none (docs/ARCHITECTURE.md).
 *
 * Measured against the thresholds on sets no model or lexicon was trained
 * on (docs/ARCHITECTURE.md): the decision reads more of the evidence than
 * its two sums, so a reply or a confession that the sums leave close to the
 * other side is still told apart. */
#ifndef CULPA_VERDICT_H
#define CULPA_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "culpa.h"
#include "error.h"

/* The explain flags (CULPA_MATCH_*) a feature counts: bits 0 to 6. */
#define VERDICT_FLAG_COUNT 7

/* The feature vector's slots, in the order of verdict_feature_name. */
enum {
    VF_BUSINESS = 0, /* blame_business */
    VF_CUSTOMER,     /* blame_customer */
    VF_SENTIMENT,
    VF_BLAME,        /* blame_business - blame_customer */
    VF_MAX, VF_MIN,  /* the larger and the smaller blame */
    VF_SQUARES,      /* the six above squared, in the same order */
    VF_PRODUCTS = VF_SQUARES + 6, /* business x customer, sentiment x each */
    VF_ROLES = VF_PRODUCTS + 3,   /* matched terms by role (culpa_class), at most 5 */
    VF_FLAGS = VF_ROLES + CULPA_CLASS_COUNT, /* terms by flag (CULPA_MATCH_* bit), at most 5 */
    VF_PRAISE = VF_FLAGS + VERDICT_FLAG_COUNT, /* the terms' positive sentiment, summed */
    VF_COMPLAINT, /* their negative sentiment, summed (as a positive number) */
    VF_BUSINESS_SUM, /* their business evidence */
    VF_CUSTOMER_SUM, /* their customer evidence */
    VF_TERMS,     /* matched terms / 10, at most 6 */
    VERDICT_FEATURES
};

/* The verdicts in a model file's column order. */
#define VERDICT_CLASSES 4
extern const culpa_verdict verdict_columns[VERDICT_CLASSES];

/* feature i's name in a model file ("blame_business", "role_fault_cust",
 * "flag_negated", ...), or NULL past the last */
const char *verdict_feature_name(size_t i);

/* A word's evidence for each verdict, fitted with the model: one token of
 * the text (any kind but a number), found by its 64-bit hash alone
 * (text_token_hash).  Two different tokens with the same hash would need
 * a 1-in-2^64 coincidence per pair, so a lookup compares no key bytes. */
typedef struct {
    uint64_t hash; /* 0: an empty slot */
    float weight[VERDICT_CLASSES];
} verdict_word;

/* The words of a model: open addressing on the hash, at most half full.
 * Their keys are kept apart, in the order added, for what is built from
 * the words (the Vietnamese read without marks: lexicon.c). */
typedef struct {
    verdict_word *slot;
    size_t cap; /* a power of two, or 0 */
    size_t count;
    char *keys; /* each word's token, followed by '\0' */
    size_t keys_len, keys_cap;
} verdict_words;

typedef struct {
    int present;         /* 0: the language has no model */
    unsigned max_terms;  /* it decides texts of 1 to max_terms matched terms ... */
    unsigned min_terms;  /* ... or, a long-text model, settles the mixed and customer
                            readings of texts of min_terms or more (the other is 0) */
    float bias[VERDICT_CLASSES];
    float weight[VERDICT_FEATURES][VERDICT_CLASSES];
    verdict_words words; /* a short-text model's words (may be empty); owned */
} verdict_model;

/* The word with this token hash, or NULL. */
static inline const verdict_word *verdict_word_find(const verdict_words *w, uint64_t hash)
{
    if (!w->count) return NULL;
    size_t mask = w->cap - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        if (w->slot[i].hash == hash) return &w->slot[i];
        if (!w->slot[i].hash) return NULL;
    }
}

/* What the summed weights of a text of n words are multiplied by: their
 * mean, so that evidence does not grow with a text's length. */
static inline float verdict_words_scale(size_t n)
{
    return n ? 1.0f / (float)n : 1.0f;
}

/* Add `weight` to the word key[0..len) (a normalized token), adding the
 * word when it is new.  @return 0, or -1 when out of memory. */
int verdict_words_add(verdict_words *w, const char *key, size_t len, const float *weight);

/* The word whose key starts at byte `off` of w->keys, and its key's length
 * in *len; a word at a time from off = 0, each next at off + *len + 1,
 * until off reaches w->keys_len. */
const verdict_word *verdict_words_at(const verdict_words *w, size_t off, size_t *len);

/* dst: a copy of src that owns its own words.  @return 0, or -1 when out
 * of memory (dst then has no words). */
int verdict_model_copy(verdict_model *dst, const verdict_model *src);

/* Free m's words (m stays a valid model without any). */
void verdict_model_free(verdict_model *m);

/* The verdict without a model: "none" when neither blame reaches
 * VERDICT_MIN, "mixed" when the weaker is at least MIXED_RATIO of the
 * stronger, else the stronger side. */
culpa_verdict verdict_by_thresholds(double business, double customer);

/* Does model m decide a text of `terms` matched terms? */
static inline int verdict_model_applies(const verdict_model *m, size_t terms)
{
    return m->present && terms >= 1 && terms <= m->max_terms;
}

/* The verdict whose score (bias + weights . x + words) is highest, the
 * first of verdict_columns on a tie.  words: the text's word evidence
 * (verdict_word weights summed over its tokens), or NULL for none. */
culpa_verdict verdict_model_apply(const verdict_model *m, const float *x, const float *words);

/* Does the long-text model m settle a text of `terms` matched terms that
 * the thresholds read as `plain`? */
static inline int verdict_long_applies(const verdict_model *m, size_t terms, culpa_verdict plain)
{
    return m->present && m->min_terms && terms >= m->min_terms &&
           (plain == CULPA_VERDICT_MIXED || plain == CULPA_VERDICT_CUSTOMER);
}

/* The long-text model's reading of a text the thresholds read as `plain`
 * (mixed or customer).  Mixed stays, or becomes the side with more blame
 * when the model scores that side higher; customer stays.  Either way the
 * customer needs grounds among x's roles (a term of fault_cust or reply):
 * without them mixed stays mixed, and customer becomes business (or none,
 * with too little business blame). */
culpa_verdict verdict_long_apply(const verdict_model *m, const float *x, culpa_verdict plain);

/* A text's verdict: `fitted`'s where it applies, else `plain` (the
 * thresholds'), settled by `long_texts` where that applies.  x: the text's
 * features, read only when a model applies (verdict_reads_features);
 * words: its word evidence under `fitted` (or NULL). */
culpa_verdict verdict_decide(const verdict_model *fitted, const verdict_model *long_texts,
                             const float *x, const float *words, size_t terms, culpa_verdict plain);

static inline int verdict_reads_features(const verdict_model *fitted, const verdict_model *long_texts,
                                         size_t terms, culpa_verdict plain)
{
    return verdict_model_applies(fitted, terms) || verdict_long_applies(long_texts, terms, plain);
}

/* Parse a model file's text: lines "name<TAB>4 weights" (the features'
 * names or "bias"; a feature not named weighs 0), "word<TAB>token<TAB>4
 * weights" (a short-text model's words: the token as the tokenizer
 * normalizes it), one "max_terms<TAB>N"
 * or, for a long-text model, one "min_terms<TAB>N"; '#' comments.  `path`
 * names the file in errors.  @return CULPA_OK or CULPA_ERR_LEXICON. */
culpa_status verdict_model_parse(const char *text, size_t len, const char *path, verdict_model *m,
                                 culpa_error *err);

/* The words of the n texts a model is fitted to: text i's tokens are
 * word[start[i]] .. word[start[i + 1] - 1], indices into a vocabulary of
 * `count` words (a word once for each time it occurs). */
typedef struct {
    const size_t *start;
    const uint32_t *word;
    const float *scale; /* per text: what its words' weights are multiplied by */
    size_t count;
    double lambda;                    /* the L2 weight on the words' weights */
    float (*weight)[VERDICT_CLASSES]; /* out: each word's fitted weights */
} verdict_fit_words;

/* Fit a model to n labeled vectors (x: n rows of VERDICT_FEATURES; y: the
 * index in verdict_columns; terms: each text's matched terms) by gradient
 * descent on the L2-regularized cross-entropy, features standardized, then
 * expressed on the raw features.  min_terms 0: a model for short texts,
 * max_terms covering 97% of the rows, with the texts' words fitted beside
 * the features when `words` is not NULL (m->words stays empty: the caller
 * keeps the words' keys); else a long-text model fitted to the rows of at
 * least min_terms terms, without words.  Deterministic.  @return 0
 * (m->present 0 when no row is left), or -1 when out of memory. */
int verdict_model_fit(const float *x, const int *y, const unsigned *terms, size_t n,
                      unsigned min_terms, double lambda, int iterations,
                      const verdict_fit_words *words, verdict_model *m);

/* The share of a model's training texts whose term count it decides. */
#define VERDICT_TERMS_COVERED 0.97

#endif
