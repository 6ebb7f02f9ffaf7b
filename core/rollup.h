/* Roll-ups, internal: the per-group aggregation that culpa_rollup and the
 * report share. */
#ifndef CULPA_ROLLUP_H
#define CULPA_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

#include "culpa.h"

typedef struct {
    uint32_t term;   /* index into the interned terms */
    uint32_t reviews;
    double business; /* blame the term put on the business, summed */
} term_sum;

typedef struct {
    uint64_t hash;   /* 0: an empty slot */
    char *key;
    size_t key_len;
    uint64_t reviews, verdicts[4];
    double sentiment, blame, business, customer;
    term_sum *terms;
    size_t nterms, terms_cap;
} group;

typedef struct {
    uint64_t hash;
    char *text;
    size_t len;
} interned;

typedef struct {
    group *groups;      /* open addressing, at most half full */
    size_t cap, used;
    interned *terms;    /* dense: an index stays valid as the table grows */
    size_t nterms, terms_cap;
    uint32_t *term_slots; /* open addressing over terms: index + 1, 0 empty */
    size_t slots_cap;
    int failed;
} rollup;

/* Add one scored record (with its matched terms) to its group, the group
 * being the record's id.  @return 0, or -1 when out of memory. */
int rollup_add(rollup *r, const culpa_row *row);

/* The groups with at least min_reviews reviews, by mean blame_business,
 * highest first; *n gets their count.  Free the array (not the groups).
 * @return NULL when out of memory. */
group **rollup_sorted(rollup *r, uint64_t min_reviews, size_t *n);

/* qsort order of term_sum: most business blame first. */
int by_term_blame(const void *a, const void *b);

void rollup_free(rollup *r);

#endif
