/* Output stage: rows (JSONL, TSV, CSV) written into a growable buffer
 * without printf, and the run summary. */
#ifndef CULPA_OUTPUT_H
#define CULPA_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "culpa.h"
#include "input.h"

typedef struct {
    char *p;
    size_t len, cap;
} out_buf;

typedef struct {
    const record *rec;       /* id and error */
    uint64_t number;         /* the record's 1-based number */
    const culpa_result *res;
    const culpa_match *matches;
    size_t nmatches;
    int explain;             /* write the explain field (even when empty) */
} row_fields;

/* Append one row (with its newline).  @return 0, or -1 when out of memory. */
int out_row(out_buf *o, culpa_output_format fmt, const row_fields *r);

/* Append the TSV/CSV header row; nothing for JSONL. */
int out_header(out_buf *o, culpa_output_format fmt, int explain);

/* Append s as a quoted JSON string (invalid UTF-8 becomes U+FFFD).
 * @return 0, or -1 when out of memory. */
int out_json_string(out_buf *o, const char *s, size_t n);

/* Append s as a field of `fmt`: a JSON string, a TSV field (tabs and line
 * breaks become spaces) or a CSV field (quoted when it must be).
 * @return 0, or -1 when out of memory. */
int out_field(out_buf *o, culpa_output_format fmt, const char *s, size_t n);

/* Append n bytes.  @return 0, or -1 when out of memory. */
int out_bytes(out_buf *o, const char *s, size_t n);

void out_free(out_buf *o);

/* The name explain gives the flag CULPA_MATCH_* of bit `bit` ("negated"
 * for bit 0, ...), or NULL past the last. */
const char *match_flag_name(unsigned bit);

#endif
