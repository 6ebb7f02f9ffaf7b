/* Growing a buffer by doubling: the one allocation pattern of the library. */
#ifndef CULPA_GROW_H
#define CULPA_GROW_H

#include <stdlib.h>

/* Make *p hold at least `need` elements of `elem` bytes, doubling *cap from
 * `first` (or its current value).  @return 0, or -1 when out of memory (*p
 * and *cap unchanged). */
static inline int grow_to(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : first;
    while (n < need) n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q) return -1;
    *p = q;
    *cap = n;
    return 0;
}

#endif
