/* Input stage: record boundaries and record readers (JSONL field, TSV
 * column, CSV column, plain line), with JSON string unescaping.
 *
 * Readers never allocate per record: unescaped text goes into a scratch the
 * caller owns and reuses.  Results are spans into the input or the scratch. */
#ifndef CULPA_INPUT_H
#define CULPA_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "culpa.h"

enum id_kind {
    ID_NUMBER_OF_RECORD = 0, /* no id field: the record's 1-based number */
    ID_STRING,               /* text, to be quoted in JSON output */
    ID_RAW_NUMBER            /* a JSON number, written as it stands */
};

#define COLUMN_LAST (-2) /* the last field of each row */
#define COLUMN_NONE (-1)

typedef struct {
    culpa_input_format format; /* never AUTO here */
    /* jsonl */
    const char *text_key;
    size_t text_key_len;
    const char *id_keys[2]; /* tried in order of preference; NULL: unused */
    /* tsv, csv */
    int text_col, id_col;   /* 0-based, or COLUMN_LAST / COLUMN_NONE */
} reader_config;

typedef struct {
    char *text;
    size_t text_cap;
    char *id;
    size_t id_cap;
} reader_scratch;

typedef struct {
    const char *text;
    size_t text_len;
    const char *id;
    size_t id_len;
    enum id_kind id_kind;
    const char *error; /* static message, or NULL */
    uint32_t repairs;  /* lone surrogate escapes replaced by U+FFFD */
} record;

/* The end of the record that starts at p[0]: the index of its terminating
 * newline, or n when it runs to the end of the buffer.  For CSV a newline
 * inside quotes does not end a record; when `at_eof` and a quote never
 * closes, the record ends at its first newline instead (its reader then
 * reports the unterminated field).  *complete is 0 when the record may go on
 * past n (no newline found and not at_eof). */
size_t record_end(culpa_input_format fmt, const char *p, size_t n, int at_eof, int *complete);

/* Is p[0..n) only spaces, tabs and carriage returns?  Such lines are not
 * records. */
int record_is_blank(const char *p, size_t n);

/* The next record of the complete buffer p[0..n) at or after *pos, blank
 * lines skipped: sets *rec and *len (without the newline) and moves *pos
 * past it.  @return 0 when no record is left. */
int next_record(culpa_input_format fmt, const char *p, size_t n, size_t *pos, const char **rec,
                size_t *len);

/* Parse one record (without its newline). */
void record_read(const reader_config *rc, reader_scratch *rs, const char *p, size_t n,
                 record *out);

/* Split a TSV or CSV header row and find the columns named by `text_field`
 * and `id_field` (names, or 1-based numbers).  id_field NULL tries
 * "review_id", then "id".  With no_header, only numbers are accepted and
 * text_field NULL means the last column.  @return CULPA_OK or
 * CULPA_ERR_INPUT with `err` filled. */
culpa_status columns_from_header(reader_config *rc, reader_scratch *rs, const char *p, size_t n,
                                 const char *text_field, const char *id_field, int no_header,
                                 culpa_error *err);

/* Unescape the body of a JSON string (between the quotes) into rs->text.
 * @return its length, or (size_t)-1 for an invalid escape or no memory;
 * *repairs counts lone surrogates replaced by U+FFFD. */
size_t json_unescape(const char *p, size_t n, char **dst, size_t *cap, uint32_t *repairs);

void reader_scratch_free(reader_scratch *rs);

#endif
