/* The public API end to end: versions, statuses, whole files through the
 * engine with one and several threads. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "culpa.h"

Test(api, versions_agree)
{
    cr_assert_eq(culpa_version_number(), CULPA_VERSION_NUMBER);
    cr_assert_str_eq(culpa_version_string(), CULPA_VERSION_STRING);
}

Test(api, status_names_and_messages)
{
    cr_assert_str_eq(culpa_status_str(CULPA_OK), "success");
    cr_assert_str_eq(culpa_status_name(CULPA_ERR_LEXICON), "CULPA_ERR_LEXICON");
    cr_assert_eq(CULPA_ERR_NOMEM, -1); /* pinned values */
    cr_assert_eq(CULPA_ERR_TOO_LARGE, -8);
    cr_assert_str_eq(culpa_status_str((culpa_status)-99), "unknown status");
    cr_assert_str_eq(culpa_verdict_str(CULPA_VERDICT_MIXED), "mixed");
    cr_assert_str_eq(culpa_class_str(CULPA_CLASS_FAULT_CUST), "fault_cust");
}

typedef struct {
    char *data;
    size_t len, cap;
    int stop_after; /* calls before asking to stop; 0: never */
    int calls;
} collect;

static int collect_write(void *user, const char *bytes, size_t len)
{
    collect *c = user;
    if (c->len + len + 1 > c->cap) {
        c->cap = (c->len + len + 1) * 2;
        c->data = realloc(c->data, c->cap);
    }
    memcpy(c->data + c->len, bytes, len);
    c->len += len;
    c->data[c->len] = '\0';
    return c->stop_after && ++c->calls >= c->stop_after;
}

static culpa_lexicon *english(void)
{
    culpa_lexicon *lex;
    culpa_error err;
    cr_assert_eq(culpa_lexicon_load(CULPA_TEST_LEXICONS, "en", &lex, &err), CULPA_OK, "%s", err.message);
    return lex;
}

static char *write_temp(const char *suffix, const char *content, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/culpa-test-%ld%s", (long)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fwrite(content, 1, len, f);
    fclose(f);
    return path;
}

static collect run(const culpa_lexicon *lex, const char *path, culpa_options *opt, culpa_stats *st,
                   culpa_status want)
{
    collect c = {0};
    opt->write = collect_write;
    opt->write_user = &c;
    culpa_error err;
    culpa_status s = culpa_score_file(lex, path, opt, st, &err);
    cr_assert_eq(s, want, "%s", s ? err.message : "ok");
    return c;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++) n += *s == '\n';
    return n;
}

/* A generated dump: one row per record, in order, the same with 1 and 2
 * threads and with chunks far smaller than the input. */
Test(api, every_record_gets_one_row_in_order)
{
    culpa_lexicon *lex = english();
    size_t cap = 1 << 22, len = 0;
    char *dump = malloc(cap);
    const char *texts[] = {"The waiter was rude.", "my fault, sorry", "Lovely place!",
                           "{\\\"nested\\\": \\u00e9t\\u00e9}"};
    int records = 30000;
    for (int i = 0; i < records; i++) {
        if (i % 1000 == 999) len += (size_t)snprintf(dump + len, cap - len, "broken json %d\n", i);
        else len += (size_t)snprintf(dump + len, cap - len, "{\"review_id\":\"r%d\",\"text\":\"%s\"}\n", i, texts[i % 4]);
    }
    len += (size_t)snprintf(dump + len, cap - len, "\n{\"review_id\":\"last\",\"text\":\"no newline\"}");
    char *path = write_temp(".jsonl", dump, len);
    culpa_options opt;
    culpa_options_init(&opt);
    opt.threads = 1;
    culpa_stats st1 = {0}, st2 = {0};
    collect one = run(lex, path, &opt, &st1, CULPA_OK);
    opt.threads = 2;
    collect two = run(lex, path, &opt, &st2, CULPA_OK);
    cr_assert_eq(count_lines(one.data), (size_t)records + 1);
    cr_assert_eq(one.len, two.len);
    cr_assert_eq(memcmp(one.data, two.data, one.len), 0);
    cr_assert_eq(st1.records, (uint64_t)records + 1);
    cr_assert_eq(st1.errors, 30);
    cr_assert_eq(st2.verdicts[CULPA_VERDICT_BUSINESS], st1.verdicts[CULPA_VERDICT_BUSINESS]);
    cr_assert_eq(st1.bytes, len);
    /* rows in input order: r0, r1, ... */
    char *p = one.data;
    for (int i = 0; i < records; i++) {
        char want[64];
        if (i % 1000 == 999) snprintf(want, sizeof want, "{\"id\":%d,", i + 1);
        else snprintf(want, sizeof want, "{\"id\":\"r%d\",", i);
        cr_assert_eq(strncmp(p, want, strlen(want)), 0, "row %d: %.60s", i, p);
        p = strchr(p, '\n') + 1;
    }
    cr_assert_eq(strncmp(p, "{\"id\":\"last\",", 13), 0);
    unlink(path);
    free(one.data);
    free(two.data);
    free(dump);
    culpa_lexicon_free(lex);
}

/* Chunk and window boundaries never split or drop a record: CRLF, blank
 * lines, no final newline and a record larger than a chunk (1 MB), the
 * same with 1 and 3 threads and from a file as from memory. */
Test(api, boundaries_keep_every_record)
{
    culpa_lexicon *lex = english();
    size_t huge = 3u << 20, cap = huge + (1u << 22), len = 0;
    char *dump = malloc(cap);
    for (int i = 0; i < 20000; i++) {
        if (i == 7000) { /* one review of 3 MB */
            len += (size_t)snprintf(dump + len, cap - len, "{\"id\":\"huge\",\"text\":\"");
            for (size_t k = 0; k < huge / 16; k++) memcpy(dump + len + 16 * k, "rude waiter ok. ", 16);
            len += huge;
            len += (size_t)snprintf(dump + len, cap - len, "\"}\r\n");
        }
        len += (size_t)snprintf(dump + len, cap - len, i % 3 ? "{\"id\":\"r%d\",\"text\":\"ok %d\"}\r\n"
                                                             : "{\"id\":\"r%d\",\"text\":\"bad %d\"}\n\n",
                                i, i);
    }
    len -= 2; /* no final newline */
    culpa_options opt;
    culpa_options_init(&opt);
    opt.threads = 1;
    collect one = {0}, three = {0};
    opt.write = collect_write;
    opt.write_user = &one;
    culpa_error err;
    culpa_stats st = {0};
    cr_assert_eq(culpa_score_buffer(lex, dump, len, &opt, &st, &err), CULPA_OK);
    cr_assert_eq(st.records, 20001);
    cr_assert_eq(st.errors, 0);
    opt.threads = 3;
    char *path = write_temp(".jsonl", dump, len);
    three = run(lex, path, &opt, NULL, CULPA_OK);
    cr_assert_eq(one.len, three.len);
    cr_assert_eq(memcmp(one.data, three.data, one.len), 0);
    cr_assert_not_null(strstr(one.data, "\n{\"id\":\"huge\","));
    unlink(path);
    free(one.data);
    free(three.data);
    free(dump);
    culpa_lexicon_free(lex);
}

Test(api, tsv_and_csv_files_with_headers)
{
    culpa_lexicon *lex = english();
    const char tsv[] = "\xEF\xBB\xBFid\ttext\r\n1\tGreat coffee\r\n2\tThe manager was rude\r\n";
    char *path = write_temp(".tsv", tsv, sizeof tsv - 1);
    culpa_options opt;
    culpa_options_init(&opt);
    opt.output_format = CULPA_OUTPUT_TSV;
    collect c = run(lex, path, &opt, NULL, CULPA_OK);
    cr_assert_eq(count_lines(c.data), 3);
    cr_assert_eq(strncmp(c.data, "id\tlang\t", 8), 0);
    cr_assert_not_null(strstr(c.data, "\n2\ten\t"));
    cr_assert_not_null(strstr(c.data, "\tbusiness\t\n"));
    unlink(path);
    free(c.data);
    const char csv[] = "text,id\n\"Rude, slow staff\",a\n\"Multi\nline, fine\",b\n";
    path = write_temp(".csv", csv, sizeof csv - 1);
    opt.output_format = CULPA_OUTPUT_CSV;
    opt.header = 0;
    c = run(lex, path, &opt, NULL, CULPA_OK);
    cr_assert_eq(count_lines(c.data), 2);
    cr_assert_eq(strncmp(c.data, "a,en,", 5), 0);
    unlink(path);
    free(c.data);
    const char nocol[] = "body\nx\n";
    path = write_temp(".csv", nocol, sizeof nocol - 1);
    c = run(lex, path, &opt, NULL, CULPA_ERR_INPUT);
    unlink(path);
    free(c.data);
    culpa_lexicon_free(lex);
}

Test(api, empty_and_missing_files_and_stop)
{
    culpa_lexicon *lex = english();
    culpa_options opt;
    culpa_options_init(&opt);
    char *path = write_temp(".jsonl", "", 0);
    culpa_stats st = {0};
    collect c = run(lex, path, &opt, &st, CULPA_OK);
    cr_assert_eq(c.len, 0);
    cr_assert_eq(st.records, 0);
    free(c.data);
    unlink(path);
    path = write_temp(".txt", "\n\n\n", 3);
    c = run(lex, path, &opt, &st, CULPA_OK);
    cr_assert_eq(c.len, 0);
    free(c.data);
    unlink(path);
    path = write_temp(".txt", "one\ntwo\n", 8);
    c = (collect){0};
    c.stop_after = 1;
    opt.write = collect_write;
    opt.write_user = &c;
    culpa_error err;
    cr_assert_eq(culpa_score_file(lex, path, &opt, NULL, &err), CULPA_ERR_STOPPED);
    free(c.data);
    unlink(path);
    c = run(lex, "/nonexistent/file.jsonl", &opt, NULL, CULPA_ERR_NOT_FOUND);
    c = run(lex, "/tmp", &opt, NULL, CULPA_ERR_IO);
    opt.write = NULL;
    cr_assert_eq(culpa_score_file(lex, "/tmp", &opt, NULL, &err), CULPA_ERR_ARG);
    opt.lang = "xx";
    path = write_temp(".txt", "one\n", 4);
    c = run(lex, path, &opt, NULL, CULPA_ERR_NOT_FOUND);
    unlink(path);
    culpa_lexicon_free(lex);
}

Test(api, explain_rows_name_terms)
{
    culpa_lexicon *lex = english();
    const char lines[] = "The waiter was rude\n";
    char *path = write_temp(".txt", lines, sizeof lines - 1);
    culpa_options opt;
    culpa_options_init(&opt);
    opt.explain = 1;
    collect c = run(lex, path, &opt, NULL, CULPA_OK);
    cr_assert_not_null(strstr(c.data, "\"explain\":[{\"term\":\"waiter\",\"class\":\"biz\""), "%s", c.data);
    cr_assert_not_null(strstr(c.data, "{\"term\":\"rude\",\"class\":\"val\""), "%s", c.data);
    unlink(path);
    free(c.data);
    culpa_lexicon_free(lex);
}

static collect generate(const char *langs, uint64_t seed, uint64_t bytes)
{
    collect c = {0};
    culpa_corpus_options co = {seed, bytes, langs, CULPA_TEST_SENTENCES};
    culpa_error err;
    cr_assert_eq(culpa_corpus_generate(&co, collect_write, &c, &err), CULPA_OK, "%s", err.message);
    return c;
}

Test(api, corpus_is_deterministic_and_every_record_scores)
{
    collect a = generate("en,fi,vi,zh,he", 11, 400000), b = generate("en,fi,vi,zh,he", 11, 400000);
    cr_assert_geq(a.len, 400000);
    cr_assert_eq(a.len, b.len);
    cr_assert_eq(memcmp(a.data, b.data, a.len), 0);
    culpa_lexicon *lex = english();
    culpa_options opt;
    culpa_options_init(&opt);
    culpa_stats st = {0};
    collect rows = {0};
    opt.write = collect_write;
    opt.write_user = &rows;
    culpa_error err;
    cr_assert_eq(culpa_score_buffer(lex, a.data, a.len, &opt, &st, &err), CULPA_OK);
    cr_assert_eq(st.records, count_lines(a.data));
    cr_assert_eq(st.errors, 0);
    cr_assert_eq(count_lines(rows.data), st.records);
    /* the same bytes from a file give the same rows */
    char *path = write_temp(".jsonl", a.data, a.len);
    collect from_file = run(lex, path, &opt, NULL, CULPA_OK);
    cr_assert_eq(from_file.len, rows.len);
    cr_assert_eq(memcmp(from_file.data, rows.data, rows.len), 0);
    unlink(path);
    culpa_corpus_options bad = {1, 1000, "xx", CULPA_TEST_SENTENCES};
    cr_assert_eq(culpa_corpus_generate(&bad, collect_write, &b, &err), CULPA_ERR_NOT_FOUND);
    free(a.data);
    free(b.data);
    free(rows.data);
    free(from_file.data);
    culpa_lexicon_free(lex);
}

Test(api, bench_times_every_stage)
{
    collect a = generate("en", 5, 100000);
    culpa_lexicon *lex = english();
    culpa_bench_options bo = {2, 0.01, 1};
    culpa_bench_row rows[16];
    size_t n = 0;
    culpa_error err;
    cr_assert_eq(culpa_bench(lex, a.data, a.len, &bo, rows, 16, &n, &err), CULPA_OK);
    static const char *const want[] = {"read",  "split", "extract", "tokenize",   "lookup",
                                       "match", "score", "write",   "end-to-end", "end-to-end"};
    cr_assert_eq(n, 10);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(rows[i].stage, want[i]);
        cr_assert_gt(rows[i].mb_per_s, 0);
        cr_assert_gt(rows[i].reviews_per_s, 0);
    }
    cr_assert_eq(rows[9].threads, 2);
    cr_assert_eq(culpa_bench(lex, a.data, 0, &bo, rows, 16, &n, &err), CULPA_ERR_ARG);
    free(a.data);
    culpa_lexicon_free(lex);
}

typedef struct {
    uint64_t rows, errors, expect;
    int in_order;
    char last_id[32];
} row_check;

static int check_row(void *user, const culpa_row *row)
{
    row_check *c = user;
    if (row->number != ++c->expect) c->in_order = 0;
    c->rows++;
    c->errors += row->error != NULL;
    size_t n = row->id_len < sizeof c->last_id - 1 ? row->id_len : sizeof c->last_id - 1;
    if (row->id) memcpy(c->last_id, row->id, n);
    c->last_id[row->id ? n : 0] = '\0';
    return 0;
}

/* The row callback: every record as a structure, in order, with or
 * without formatted output, on several threads. */
Test(api, row_callback_sees_every_record_in_order)
{
    collect dump = generate("en,zh", 9, 600000);
    const char tail[] = "not json\n{\"review_id\":\"esc\\u00e9\",\"text\":\"fine\"}\n";
    collect_write(&dump, tail, sizeof tail - 1);
    culpa_lexicon *lex = english();
    culpa_options opt;
    culpa_options_init(&opt);
    opt.threads = 2;
    row_check rc = {0, 0, 0, 1, ""};
    opt.row = check_row;
    opt.row_user = &rc;
    culpa_stats st = {0};
    culpa_error err;
    cr_assert_eq(culpa_score_buffer(lex, dump.data, dump.len, &opt, &st, &err), CULPA_OK, "%s", err.message);
    cr_assert_eq(rc.rows, st.records);
    cr_assert_eq(rc.rows, count_lines(dump.data));
    cr_assert(rc.in_order);
    cr_assert_eq(rc.errors, 1);
    cr_assert_str_eq(rc.last_id, "esc\xC3\xA9"); /* unescaped */
    free(dump.data);
    culpa_lexicon_free(lex);
}

Test(api, eval_figures)
{
    culpa_lexicon *lex = english();
    const char valence[] = "score\ttext\n-2.5\tbad\n-2.1\tterrible\n1.9\tgood\n3.1\tgreat\nx\tno label\n";
    char *path = write_temp(".tsv", valence, sizeof valence - 1);
    culpa_options opt;
    culpa_options_init(&opt);
    culpa_eval_options eo = {CULPA_LABEL_VALENCE, "score", NULL, NULL, NULL, 2};
    culpa_eval_figures fig;
    collect report = {0};
    culpa_error err;
    cr_assert_eq(culpa_eval(lex, path, &opt, &eo, &fig, collect_write, &report, &err), CULPA_OK, "%s", err.message);
    cr_assert_eq(fig.records, 5);
    cr_assert_eq(fig.used, 4);
    cr_assert_float_eq(fig.spearman, 1.0, 1e-9);
    cr_assert_gt(fig.pearson, 0.95);
    cr_assert_float_eq(fig.accuracy, 1.0, 1e-9);
    cr_assert_not_null(strstr(report.data, "pearson r"));
    free(report.data);
    unlink(path);

    const char verdicts[] = "text,verdict\n\"The waiter was rude.\",business\n\"My fault entirely.\",customer\n"
                            "\"Lovely bakery.\",business\n\"Nice.\",unknown\n";
    path = write_temp(".csv", verdicts, sizeof verdicts - 1);
    culpa_eval_options ev = {CULPA_LABEL_VERDICT, "verdict", NULL, NULL, NULL, 5};
    report = (collect){0};
    cr_assert_eq(culpa_eval(lex, path, &opt, &ev, &fig, collect_write, &report, &err), CULPA_OK, "%s", err.message);
    cr_assert_eq(fig.used, 3);
    cr_assert_float_eq(fig.accuracy, 2.0 / 3.0, 1e-9);
    /* the one error is listed, with its terms */
    cr_assert_not_null(strstr(report.data, "#3 label business, predicted none"), "%s", report.data);
    cr_assert_not_null(strstr(report.data, "lovely"), "%s", report.data);
    free(report.data);
    culpa_eval_options bad = {CULPA_LABEL_SENTIMENT, "verdict", NULL, NULL, NULL, 0};
    cr_assert_eq(culpa_eval(lex, path, &opt, &bad, &fig, NULL, NULL, &err), CULPA_ERR_ARG);
    unlink(path);

    /* stars as classes, several values each; a sentiment of 0 has no sign,
     * so it is counted wrong whatever the label */
    const char stars[] = "stars\ttext\n5\tgreat\n4\tgood\n1\tterrible\n4\tthe table\n3\tbad\n";
    path = write_temp(".tsv", stars, sizeof stars - 1);
    culpa_eval_options es = {CULPA_LABEL_SENTIMENT, "stars", "4,5", "1,2", NULL, 1};
    report = (collect){0};
    cr_assert_eq(culpa_eval(lex, path, &opt, &es, &fig, collect_write, &report, &err), CULPA_OK, "%s", err.message);
    cr_assert_eq(fig.used, 4, "3 stars is neither side");
    cr_assert_float_eq(fig.accuracy, 3.0 / 4.0, 1e-9);
    cr_assert_not_null(strstr(report.data, "unscored      1 records"), "%s", report.data);
    cr_assert_not_null(strstr(report.data, "label 4,5, predicted unscored"), "%s", report.data);
    free(report.data);
    unlink(path);
    culpa_lexicon_free(lex);
}

/* The interface for other languages: JSON results, options by name,
 * opaque errors. */
Test(api, strings_in_strings_out)
{
    culpa_lexicon *lex = english();
    culpa_scorer *s = culpa_scorer_new(lex);
    char small[16], big[4096];
    const char text[] = "The waiter was rude.";
    size_t need = culpa_score_json(s, text, sizeof text - 1, small, sizeof small);
    cr_assert_gt(need, sizeof small);
    cr_assert_eq(strlen(small), sizeof small - 1);
    cr_assert_eq(culpa_score_json(s, text, sizeof text - 1, big, sizeof big), need);
    cr_assert_eq(strlen(big), need);
    cr_assert_eq(strncmp(big, "{\"lang\":\"en\",\"sentiment\":-", 26), 0, "%s", big);
    cr_assert_not_null(strstr(big, "\"verdict\":\"business\"}"), "%s", big);
    culpa_scorer_set_explain(s, 1);
    culpa_score_json(s, text, sizeof text - 1, big, sizeof big);
    cr_assert_not_null(strstr(big, "\"explain\":[{\"term\":\"waiter\""), "%s", big);
    culpa_scorer_free(s);

    culpa_options *opt = culpa_options_new();
    cr_assert_eq(culpa_options_set(opt, "input_format", "csv"), CULPA_OK);
    cr_assert_eq(culpa_options_set(opt, "text_field", "body"), CULPA_OK);
    cr_assert_eq(culpa_options_set(opt, "threads", "2"), CULPA_OK);
    cr_assert_eq(culpa_options_set(opt, "shard", "2/3"), CULPA_OK);
    cr_assert_eq(culpa_options_set(opt, "explain", "true"), CULPA_OK);
    cr_assert_eq(culpa_options_set(opt, "shard", "4/3"), CULPA_ERR_ARG);
    cr_assert_eq(culpa_options_set(opt, "input_format", "xml"), CULPA_ERR_ARG);
    cr_assert_eq(culpa_options_set(opt, "colour", "blue"), CULPA_ERR_ARG);
    cr_assert_eq(opt->input_format, CULPA_INPUT_CSV);
    cr_assert_str_eq(opt->text_field, "body");
    cr_assert_eq(opt->shard_index, 1);
    cr_assert_eq(opt->shard_count, 3);
    cr_assert(opt->explain);
    culpa_options_free(opt);
    culpa_options_free(NULL);

    culpa_error *err = calloc(1, culpa_error_size());
    culpa_lexicon *none;
    cr_assert_str_eq(culpa_error_message(err), "");
    cr_assert_eq(culpa_lexicon_load("/nonexistent", NULL, &none, err), CULPA_ERR_NOT_FOUND);
    cr_assert_not_null(strstr(culpa_error_message(err), "/nonexistent"));
    free(err);
    culpa_lexicon_free(lex);
}

/* Roll-ups: groups, means, verdict shares, most blamed terms, order. */
Test(api, rollup_per_business)
{
    culpa_lexicon *lex = english();
    const char dump[] =
        "{\"business_id\":\"a\",\"text\":\"The waiter was rude.\"}\n"
        "{\"business_id\":\"b\",\"text\":\"Lovely bakery, great bread.\"}\n"
        "{\"business_id\":\"a\",\"text\":\"Rude staff and the food was cold.\"}\n"
        "{\"business_id\":\"b\",\"text\":\"My fault, I came late.\"}\n"
        "{\"text\":\"no business named\"}\n"
        "not json\n";
    char *path = write_temp(".jsonl", dump, sizeof dump - 1);
    culpa_options opt;
    culpa_options_init(&opt);
    culpa_rollup_options ro = {"business_id", 2, 1, CULPA_OUTPUT_TSV};
    collect out = {0};
    culpa_error err;
    cr_assert_eq(culpa_rollup(lex, path, &opt, &ro, collect_write, &out, &err), CULPA_OK, "%s", err.message);
    /* header, then a (most blamed), then b, then the group of no business */
    cr_assert_eq(count_lines(out.data), 4, "%s", out.data);
#define STARTS(s, lit) (strncmp((s), (lit), sizeof(lit) - 1) == 0)
    cr_assert(STARTS(out.data, "business_id\treviews\tmean_sentiment\t"), "%s", out.data);
    char *a = strchr(out.data, '\n') + 1;
    cr_assert(STARTS(a, "a\t2\t-"), "%s", a);
    cr_assert_not_null(strstr(a, "\t1.0000\t0.0000\t0.0000\t0.0000\t"), "%s", a); /* all business */
    char *terms = strrchr(strtok(a, "\n"), '\t') + 1;
    cr_assert(STARTS(terms, "rude "), "%s", terms);                            /* the top term */
    cr_assert_eq(strchr(terms, ';') != NULL, 1, "%s", terms);                  /* two terms */
    free(out.data);
    out = (collect){0};
    ro.min_reviews = 2;
    ro.format = CULPA_OUTPUT_JSONL;
    cr_assert_eq(culpa_rollup(lex, path, &opt, &ro, collect_write, &out, &err), CULPA_OK);
    cr_assert_eq(count_lines(out.data), 2);
    cr_assert(STARTS(out.data, "{\"business_id\":\"a\",\"reviews\":2,"), "%s", out.data);
    free(out.data);
    ro.by = NULL;
    cr_assert_eq(culpa_rollup(lex, path, &opt, &ro, collect_write, &out, &err), CULPA_ERR_ARG);
    unlink(path);
    culpa_lexicon_free(lex);
}

/* ---- the verdict model --------------------------------------------------- */

/* Write `text` to dir/name, or with NULL remove that file. */
static void put_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!text) {
        unlink(path);
        return;
    }
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* A lexicon folder in /tmp with one language "xx": a fault word of each
 * side, a customer party, two valence words, and (when model is not NULL)
 * its verdict.model. */
static char *model_folder(const char *model)
{
    static char dir[128];
    char path[256];
    snprintf(dir, sizeof dir, "/tmp/culpa-test-lex-%ld", (long)getpid());
    snprintf(path, sizeof path, "%s/xx", dir);
    mkdir(dir, 0700);
    mkdir(path, 0700);
    put_file(dir, "xx/terms.tsv",
             "rude\tfault_biz\t1.5\nmy mistake\tfault_cust\t1.5\ngreat\tval\t2\nwe\tcust\t1\nawful\tval\t-3\n");
    put_file(dir, "xx/verdict.model", model);
    return dir;
}

/* The lexicon in the model folder `dir`, which must load. */
static culpa_lexicon *load_model_folder(const char *dir)
{
    culpa_lexicon *lex;
    culpa_error err;
    cr_assert_eq(culpa_lexicon_load(dir, NULL, &lex, &err), CULPA_OK, "%s", err.message);
    return lex;
}

static void remove_model_folder(const char *dir)
{
    char path[256];
    static const char *const inside[] = {"xx/terms.tsv", "xx/verdict.model", "xx/verdict_long.model", "xx"};
    for (size_t i = 0; i < sizeof inside / sizeof *inside; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, inside[i]);
        remove(path);
    }
    remove(dir);
}

/* The verdict of a text in the folder's language "xx". */
static culpa_verdict verdict_of(const culpa_lexicon *lex, const char *text)
{
    culpa_scorer *s = culpa_scorer_new(lex);
    cr_assert_eq(culpa_scorer_set_lang(s, "xx"), CULPA_OK);
    culpa_result r;
    cr_assert_eq(culpa_score(s, text, strlen(text), &r), CULPA_OK);
    culpa_scorer_free(s);
    return r.verdict;
}

/* A model whose bias always says "customer", for texts of at most 2 terms. */
static const char always_customer[] = "max_terms\t2\nbias\t0\t5\t0\t0\n";

Test(api, a_language_with_a_verdict_model_decides_by_it)
{
    const char *dir = model_folder(NULL);
    culpa_lexicon *plain = load_model_folder(dir);
    model_folder(always_customer);
    culpa_lexicon *modeled = load_model_folder(dir);
    culpa_error err;
    cr_assert_eq(verdict_of(plain, "rude"), CULPA_VERDICT_BUSINESS, "the thresholds");
    cr_assert_eq(verdict_of(modeled, "rude"), CULPA_VERDICT_CUSTOMER, "the model");
    cr_assert_eq(verdict_of(modeled, "rude rude rude"), CULPA_VERDICT_BUSINESS,
                 "three terms: more than the model decides, the thresholds do");
    cr_assert_eq(verdict_of(modeled, "nothing known here"), CULPA_VERDICT_NONE, "no term, no verdict");
    culpa_lexicon_free(plain);
    culpa_lexicon_free(modeled);
    model_folder("max_terms\t2\nbias\t0\t5\t0\n"); /* a bad model is a lexicon error with its line */
    cr_assert_eq(culpa_lexicon_load(dir, NULL, &modeled, &err), CULPA_ERR_LEXICON);
    cr_assert(strstr(err.message, "verdict.model:2: expected four weights"), "%s", err.message);
    remove_model_folder(dir);
}

/* A long-text model whose bias prefers either side to mixed. */
static const char sides_over_mixed[] = "min_terms\t3\nbias\t5\t5\t0\t0\n";

Test(api, a_long_text_model_settles_what_the_thresholds_read_as_mixed_or_customer)
{
    const char *dir = model_folder(NULL);
    culpa_lexicon *plain = load_model_folder(dir);
    put_file(dir, "xx/verdict_long.model", sides_over_mixed);
    culpa_lexicon *settled = load_model_folder(dir);
    culpa_error err;
    static const struct {
        const char *text;
        culpa_verdict plain, settled;
        const char *why;
    } cases[] = {
        {"rude rude. my mistake", CULPA_VERDICT_MIXED, CULPA_VERDICT_BUSINESS, "the side with more blame"},
        {"my mistake. my mistake. rude", CULPA_VERDICT_MIXED, CULPA_VERDICT_CUSTOMER,
         "the customer's side, with a fault of the customer's among the terms"},
        {"rude. my mistake", CULPA_VERDICT_MIXED, CULPA_VERDICT_MIXED, "two terms: shorter than min_terms"},
        {"rude rude rude", CULPA_VERDICT_BUSINESS, CULPA_VERDICT_BUSINESS, "business: the thresholds stand"},
        {"we awful we awful we awful", CULPA_VERDICT_CUSTOMER, CULPA_VERDICT_NONE,
         "customer blame from a party word alone is no confession"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_assert_eq(verdict_of(plain, cases[i].text), cases[i].plain, "%s", cases[i].text);
        cr_assert_eq(verdict_of(settled, cases[i].text), cases[i].settled, "%s: %s", cases[i].text, cases[i].why);
    }
    culpa_lexicon_free(plain);
    culpa_lexicon_free(settled);
    put_file(dir, "xx/verdict_long.model", "min_terms\t3\nmax_terms\t3\nbias\t0\t0\t0\t0\n");
    cr_assert_eq(culpa_lexicon_load(dir, NULL, &settled, &err), CULPA_ERR_LEXICON);
    cr_assert(strstr(err.message, "verdict_long.model:2: a second max_terms or min_terms"), "%s", err.message);
    remove_model_folder(dir);
}

Test(api, features_are_the_evidence_of_the_last_text)
{
    culpa_lexicon *lex = english();
    culpa_scorer *s = culpa_scorer_new(lex);
    float x[CULPA_VERDICT_FEATURES + 1];
    x[CULPA_VERDICT_FEATURES] = 42;
    cr_assert_eq(culpa_scorer_features(s, x, CULPA_VERDICT_FEATURES), CULPA_VERDICT_FEATURES);
    for (size_t i = 0; i < CULPA_VERDICT_FEATURES; i++) cr_assert_eq(x[i], 0, "zero before any text");
    const char text[] = "The waiter was rude and the soup was cold, but I was late too.";
    culpa_result r;
    cr_assert_eq(culpa_score(s, text, sizeof text - 1, &r), CULPA_OK);
    culpa_scorer_features(s, x, CULPA_VERDICT_FEATURES);
    cr_assert_eq(x[CULPA_VERDICT_FEATURES], 42, "nothing written past cap");
    cr_assert_float_eq(x[0], r.blame_business, 1e-6); /* "blame_business" */
    cr_assert_float_eq(x[1], r.blame_customer, 1e-6);
    cr_assert_float_eq(x[2], r.sentiment, 1e-6);
    for (size_t i = 0; i < CULPA_VERDICT_FEATURES; i++)
        if (!strcmp(culpa_verdict_feature_name(i), "terms"))
            cr_assert_float_eq(x[i], r.matches / 10.0, 1e-6);
        else if (!strcmp(culpa_verdict_feature_name(i), "role_fault_cust"))
            cr_assert_eq(x[i], 1, "\"I was late\" is the customer's fault");
        else if (!strcmp(culpa_verdict_feature_name(i), "role_biz"))
            cr_assert_eq(x[i], 1, "\"waiter\"");
        else if (!strcmp(culpa_verdict_feature_name(i), "role_contrast"))
            cr_assert_eq(x[i], 1, "one \"but\"");
    culpa_scorer_free(s);
    culpa_lexicon_free(lex);
}

/* The options for reading a labeled TSV file in the folder's language. */
static culpa_options xx_tsv_options(void)
{
    culpa_options opt;
    culpa_options_init(&opt);
    opt.input_format = CULPA_INPUT_TSV;
    opt.lang = "xx";
    return opt;
}

/* Training on a small labeled file: a model that reads back, decides the
 * file's own records, and the same every time. */
Test(api, training_writes_a_model_that_reads_back)
{
    const char *dir = model_folder(NULL);
    culpa_lexicon *lex = load_model_folder(dir);
    culpa_error err;
    static const char labeled[] =
        "verdict\ttext\n"
        "business\trude\nbusiness\trude rude\nbusiness\tso rude\nbusiness\trude, great\n"
        "customer\tmy mistake\ncustomer\tmy mistake, sorry\ncustomer\tall my mistake\n"
        "none\tgreat\nnone\tgreat great\nnone\tjust great\nnone\tno words\nother\trude\n";
    char *path = write_temp(".tsv", labeled, sizeof labeled - 1);
    culpa_options opt = xx_tsv_options();
    culpa_train_options to = {.label_field = "verdict", .iterations = 500};
    culpa_train_figures fig;
    collect a = {0}, b = {0};
    cr_assert_eq(culpa_train_verdict(lex, path, &opt, &to, &fig, collect_write, &a, &err), CULPA_OK, "%s",
                 err.message);
    cr_assert_eq(culpa_train_verdict(lex, path, &opt, &to, &fig, collect_write, &b, &err), CULPA_OK);
    cr_assert_str_eq(a.data, b.data, "training is deterministic");
    cr_assert_eq(fig.records, 12);
    cr_assert_eq(fig.labeled, 11, "\"other\" is no verdict");
    cr_assert_gt(fig.macro_f1_after, 0.5);
    cr_assert(strstr(a.data, "max_terms\t"));
    cr_assert(strstr(a.data, "\nbias\t"));
    cr_assert(strstr(a.data, "\nrole_fault_cust\t"));
    culpa_lexicon_free(lex);
    model_folder(a.data); /* the written model is a lexicon's model */
    lex = load_model_folder(dir);
    cr_assert_eq(verdict_of(lex, "rude"), CULPA_VERDICT_BUSINESS);
    cr_assert_eq(verdict_of(lex, "my mistake"), CULPA_VERDICT_CUSTOMER);
    culpa_lexicon_free(lex);
    to.min_terms = 2; /* a long-text model: the records of two or more terms */
    lex = load_model_folder(dir);
    free(a.data);
    a = (collect){0};
    cr_assert_eq(culpa_train_verdict(lex, path, &opt, &to, &fig, collect_write, &a, &err), CULPA_OK, "%s",
                 err.message);
    cr_assert_eq(fig.labeled, 3, "\"rude rude\", \"rude, great\" and \"great great\"");
    cr_assert(STARTS(a.data, "min_terms\t2\n"), "%s", a.data);
    to.min_terms = 3;
    cr_assert_eq(culpa_train_verdict(lex, path, &opt, &to, &fig, collect_write, &b, &err), CULPA_ERR_INPUT);
    cr_assert(strstr(err.message, "no record with a verdict label has 3 or more matched terms"), "%s",
              err.message);
    culpa_lexicon_free(lex);
    to.min_terms = 0;
    to.label_field = "text"; /* no record's text is a verdict */
    lex = load_model_folder(dir);
    cr_assert_eq(culpa_train_verdict(lex, path, &opt, &to, &fig, collect_write, &a, &err), CULPA_ERR_INPUT);
    culpa_lexicon_free(lex);
    unlink(path);
    free(a.data), free(b.data);
    remove_model_folder(dir);
}

/* A text's words, not only its terms: records alike in every matched term
 * ("great") whose verdict only a word the lexicon lacks tells ("refund",
 * "lovely").  The trained model learns the words and writes them; with
 * no_words it has no way to tell the records apart. */
Test(api, training_learns_the_words_the_lexicon_lacks)
{
    const char *dir = model_folder(NULL);
    culpa_lexicon *lex = load_model_folder(dir);
    culpa_error err;
    static const char labeled[] =
        "verdict\ttext\n"
        "business\tgreat, refund please\nbusiness\tgreat refund\nbusiness\tgreat, still no refund\n"
        "business\tgreat, refund now\nnone\tgreat, lovely\nnone\tlovely and great\n"
        "none\tgreat lovely place\nnone\tgreat, so lovely\n";
    char *path = write_temp(".tsv", labeled, sizeof labeled - 1);
    culpa_options opt = xx_tsv_options();
    culpa_train_options to = {.label_field = "verdict", .iterations = 500};
    culpa_train_figures fig;
    collect words = {0}, plain = {0};
    cr_assert_eq(culpa_train_verdict(lex, path, &opt, &to, &fig, collect_write, &words, &err), CULPA_OK,
                 "%s", err.message);
    cr_assert_float_eq(fig.macro_f1_after, 0.5, 1e-9, "every record right (two verdicts of the four)");
    cr_assert(strstr(words.data, "\nword\trefund\t"), "%s", words.data);
    cr_assert(strstr(words.data, "\nword\tlovely\t"));
    cr_assert(strstr(words.data, "\nword\tgreat\t"), "a term is a word too");
    cr_assert_null(strstr(words.data, "\nword\tplease\t"), "a word of one record only");
    to.no_words = 1;
    cr_assert_eq(culpa_train_verdict(lex, path, &opt, &to, &fig, collect_write, &plain, &err), CULPA_OK);
    cr_assert_null(strstr(plain.data, "\nword\t"));
    cr_assert_lt(fig.macro_f1_after, 0.5, "the features alone are the same for both");
    culpa_lexicon_free(lex);
    model_folder(words.data);
    lex = load_model_folder(dir);
    cr_assert_eq(verdict_of(lex, "great, where is my refund"), CULPA_VERDICT_BUSINESS);
    cr_assert_eq(verdict_of(lex, "a lovely evening, great"), CULPA_VERDICT_NONE);
    culpa_lexicon_free(lex);
    unlink(path);
    free(words.data), free(plain.data);
    remove_model_folder(dir);
}
