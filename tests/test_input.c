/* Input stage: JSON unescaping, JSONL/TSV/CSV/lines readers, record ends. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "cases.h"
#include <stdlib.h>
#include <string.h>

#include "input.h"

typedef struct {
    const char *in;
    const char *out; /* NULL: invalid */
    unsigned repairs;
} unescape_case;

static unescape_case unescape_cases[] = {
    {"plain", "plain", 0},
    {"a\\nb\\tc\\\\d\\\"e\\/f", "a\nb\tc\\d\"e/f", 0},
    {"caf\\u00e9", "caf\xC3\xA9", 0},
    {"\\u20AC", "\xE2\x82\xAC", 0},
    {"\\ud83d\\ude00", "\xF0\x9F\x98\x80", 0},     /* a surrogate pair */
    {"x\\ud83dy", "x\xEF\xBF\xBDy", 1},            /* a lone high surrogate */
    {"\\ude00", "\xEF\xBF\xBD", 1},                /* a lone low surrogate */
    {"\\ud83d\\u0041", "\xEF\xBF\xBD" "A", 1},     /* high surrogate, then no low one */
    {"a\\u0000b", "a\0b", 0},
    {"bad\\x", NULL, 0},
    {"\\u12", NULL, 0},
    {"\\u12zz", NULL, 0},
    {"end\\", NULL, 0},
};

CASES_BY_INDEX(input, json_unescape, unescape_cases)

ParameterizedTest(size_t *i, input, json_unescape)
{
    const unescape_case *c = &unescape_cases[*i];
    char *buf = NULL;
    size_t cap = 0;
    uint32_t rep = 0;
    size_t n = json_unescape(c->in, strlen(c->in), &buf, &cap, &rep);
    if (!c->out) {
        cr_assert_eq(n, (size_t)-1, "\"%s\" should be invalid", c->in);
    } else {
        size_t want = strcmp(c->in, "a\\u0000b") == 0 ? 3 : strlen(c->out);
        cr_assert_eq(n, want, "\"%s\"", c->in);
        cr_assert_eq(memcmp(buf, c->out, n), 0, "\"%s\"", c->in);
        cr_assert_eq(rep, c->repairs);
    }
    free(buf);
}

static reader_config jsonl_config(void)
{
    reader_config rc = {0};
    rc.format = CULPA_INPUT_JSONL;
    rc.text_key = "text";
    rc.text_key_len = 4;
    rc.id_keys[0] = "review_id";
    rc.id_keys[1] = "id";
    return rc;
}

typedef struct {
    const char *line;
    const char *text;  /* NULL: an error is expected */
    const char *id;    /* NULL: the record number */
    const char *error; /* when text is NULL */
} jsonl_case;

static jsonl_case jsonl_cases[] = {
    {"{\"review_id\":\"r1\",\"text\":\"hello\"}", "hello", "r1", NULL},
    {"  { \"text\" : \"sp aced\" , \"id\" : 7 }  ", "sp aced", "7", NULL},
    {"{\"id\":\"low\",\"review_id\":\"high\",\"text\":\"x\"}", "x", "high", NULL},
    {"{\"review_id\":\"high\",\"id\":\"low\",\"text\":\"x\"}", "x", "high", NULL},
    {"{\"text\":\"a\\\"b\",\"stars\":5.0,\"meta\":{\"text\":\"inner\",\"l\":[1,{\"x\":\"}\"}]}}", "a\"b", NULL, NULL},
    {"{\"text\":\"first\",\"text\":\"last\"}", "last", NULL, NULL},
    {"{\"te\\u0078t\":\"escaped key\"}", "escaped key", NULL, NULL},
    {"{\"text\":\"\",\"id\":null}", "", NULL, NULL},
    {"{\"text\":\"ends with backslash \\\\\"}", "ends with backslash \\", NULL, NULL},
    {"{\"text\":\"crlf\"}\r", "crlf", NULL, NULL},
    {"{\"stars\":1}", NULL, NULL, "no text field"},
    {"{\"text\":5}", NULL, NULL, "text field is not a string"},
    {"{\"text\":null}", NULL, NULL, "text field is not a string"},
    {"{\"text\":\"truncated", NULL, NULL, "truncated or malformed JSON value"},
    {"{\"text\":\"ok\"", NULL, NULL, "truncated JSON"},
    {"{\"text\":\"ok\"} trailing", NULL, NULL, "unexpected characters after the JSON object"},
    {"[1,2]", NULL, NULL, "not a JSON object"},
    {"plain words", NULL, NULL, "not a JSON object"},
    {"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", NULL, NULL, "truncated or malformed JSON value"},
    {"{\"text\":\"bad \\q escape\"}", NULL, NULL, "invalid escape in text field"},
    {"{\"text\" \"x\"}", NULL, NULL, "expected ':' in JSON object"},
    {"{\"text\":\"x\",}", NULL, NULL, "expected a key in JSON object"},
    {"{\"text\":tru}", NULL, NULL, "truncated or malformed JSON value"},
};

CASES_BY_INDEX(input, jsonl, jsonl_cases)

ParameterizedTest(size_t *i, input, jsonl)
{
    const jsonl_case *c = &jsonl_cases[*i];
    reader_config rc = jsonl_config();
    reader_scratch rs = {0};
    record r;
    record_read(&rc, &rs, c->line, strlen(c->line), &r);
    if (c->text) {
        cr_assert_null(r.error, "%s: %s", c->line, r.error);
        cr_assert_eq(r.text_len, strlen(c->text), "%s", c->line);
        cr_assert_eq(memcmp(r.text, c->text, r.text_len), 0, "%s", c->line);
    } else {
        cr_assert_not_null(r.error, "%s", c->line);
        cr_assert_str_eq(r.error, c->error, "%s", c->line);
        cr_assert_null(r.text);
    }
    if (c->id) {
        cr_assert_neq(r.id_kind, ID_NUMBER_OF_RECORD);
        cr_assert_eq(r.id_len, strlen(c->id));
        cr_assert_eq(memcmp(r.id, c->id, r.id_len), 0);
    } else if (c->text) {
        cr_assert_eq(r.id_kind, ID_NUMBER_OF_RECORD);
    }
    reader_scratch_free(&rs);
}

Test(input, numeric_ids_stay_raw)
{
    reader_config rc = jsonl_config();
    reader_scratch rs = {0};
    record r;
    const char line[] = "{\"id\":-12.5e3,\"text\":\"x\"}";
    record_read(&rc, &rs, line, sizeof line - 1, &r);
    cr_assert_eq(r.id_kind, ID_RAW_NUMBER);
    cr_assert_eq(r.id_len, 7);
    reader_scratch_free(&rs);
}

static reader_config columns(culpa_input_format fmt, const char *header, const char *text_field,
                             const char *id_field, int no_header, culpa_status want)
{
    reader_config rc = {0};
    rc.format = fmt;
    reader_scratch rs = {0};
    culpa_error err;
    culpa_status st = columns_from_header(&rc, &rs, header, strlen(header), text_field, id_field,
                                          no_header, &err);
    cr_assert_eq(st, want, "%s", st ? err.message : "");
    reader_scratch_free(&rs);
    return rc;
}

Test(input, tsv_columns_by_name_and_number)
{
    reader_config rc = columns(CULPA_INPUT_TSV, "review_id\tstars\ttext\r", NULL, NULL, 0, CULPA_OK);
    cr_assert_eq(rc.text_col, 2);
    cr_assert_eq(rc.id_col, 0);
    reader_scratch rs = {0};
    record r;
    const char row[] = "abc\t5\tGreat place\r";
    record_read(&rc, &rs, row, sizeof row - 1, &r);
    cr_assert_null(r.error);
    cr_assert_eq(r.text_len, 11);
    cr_assert_eq(memcmp(r.id, "abc", 3), 0);
    const char short_row[] = "abc\t5";
    record_read(&rc, &rs, short_row, sizeof short_row - 1, &r);
    cr_assert_str_eq(r.error, "row has no text column");
    rc = columns(CULPA_INPUT_TSV, "a\tb", "2", "1", 0, CULPA_OK);
    cr_assert_eq(rc.text_col, 1);
    cr_assert_eq(rc.id_col, 0);
    columns(CULPA_INPUT_TSV, "a\tb", "body", NULL, 0, CULPA_ERR_INPUT);
    columns(CULPA_INPUT_TSV, "", "body", NULL, 1, CULPA_ERR_INPUT);
    rc = columns(CULPA_INPUT_TSV, "", NULL, NULL, 1, CULPA_OK);
    cr_assert_eq(rc.text_col, COLUMN_LAST);
    cr_assert_eq(rc.id_col, COLUMN_NONE);
    rc = columns(CULPA_INPUT_TSV, "\xEF\xBB\xBFtext", NULL, NULL, 0, CULPA_OK);
    cr_assert_eq(rc.text_col, 0);
    reader_scratch_free(&rs);
}

Test(input, csv_quoted_fields)
{
    reader_config rc = columns(CULPA_INPUT_CSV, "id,text,stars", NULL, NULL, 0, CULPA_OK);
    reader_scratch rs = {0};
    record r;
    const char row[] = "\"a,1\",\"He said \"\"no\"\",\nthen left\",3";
    record_read(&rc, &rs, row, sizeof row - 1, &r);
    cr_assert_null(r.error);
    const char want[] = "He said \"no\",\nthen left";
    cr_assert_eq(r.text_len, sizeof want - 1);
    cr_assert_eq(memcmp(r.text, want, r.text_len), 0);
    cr_assert_eq(r.id_len, 3);
    cr_assert_eq(memcmp(r.id, "a,1", 3), 0);
    const char plain[] = "7,plain text,5";
    record_read(&rc, &rs, plain, sizeof plain - 1, &r);
    cr_assert_eq(r.text_len, 10);
    const char broken[] = "8,\"never closed,5";
    record_read(&rc, &rs, broken, sizeof broken - 1, &r);
    cr_assert_str_eq(r.error, "unterminated quoted field");
    rc.text_col = COLUMN_LAST;
    const char last[] = "1,2,\"last, quoted\"";
    record_read(&rc, &rs, last, sizeof last - 1, &r);
    cr_assert_null(r.error);
    cr_assert_eq(r.text_len, 12);
    cr_assert_eq(memcmp(r.text, "last, quoted", 12), 0);
    reader_scratch_free(&rs);
}

Test(input, record_ends)
{
    int complete;
    cr_assert_eq(record_end(CULPA_INPUT_JSONL, "ab\ncd", 5, 0, &complete), 2);
    cr_assert(complete);
    cr_assert_eq(record_end(CULPA_INPUT_JSONL, "abcd", 4, 0, &complete), 4);
    cr_assert_not(complete);
    cr_assert_eq(record_end(CULPA_INPUT_JSONL, "abcd", 4, 1, &complete), 4);
    cr_assert(complete);
    const char csv[] = "1,\"a\nb\"\n2,c";
    cr_assert_eq(record_end(CULPA_INPUT_CSV, csv, sizeof csv - 1, 0, &complete), 7);
    const char open[] = "1,\"a\nb\n2,c";
    cr_assert_eq(record_end(CULPA_INPUT_CSV, open, sizeof open - 1, 0, &complete), sizeof open - 1);
    cr_assert_not(complete);
    cr_assert_eq(record_end(CULPA_INPUT_CSV, open, sizeof open - 1, 1, &complete), 4);
    cr_assert(complete);
    cr_assert(record_is_blank(" \t\r", 3));
    cr_assert_not(record_is_blank(" x", 2));
}
