/* Table-driven Criterion tests: the parameters are indices into a static
 * table of cases.  Criterion may run a test in a freshly started process,
 * where pointers inside copied parameters would not point at the same
 * strings, so the cases stay in the table and only their index travels. */
#ifndef CULPA_TEST_CASES_H
#define CULPA_TEST_CASES_H

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stddef.h>

#define CASES_BY_INDEX(suite, name, table)                                        \
    ParameterizedTestParameters(suite, name)                                      \
    {                                                                             \
        static size_t idx[sizeof(table) / sizeof *(table)];                       \
        for (size_t i = 0; i < sizeof idx / sizeof *idx; i++) idx[i] = i;         \
        return cr_make_param_array(size_t, idx, sizeof idx / sizeof *idx);        \
    }

#endif
