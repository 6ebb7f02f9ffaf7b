/* Output stage: exact rows in each format, escaping, numbers, summary. */
#include <criterion/criterion.h>
#include <string.h>

#include "output.h"

static culpa_result sample_result(void)
{
    culpa_result r = {0};
    r.sentiment = -0.54996;
    r.blame_business = 0.87444;
    r.blame_customer = 0;
    r.blame = 0.87444;
    r.verdict = CULPA_VERDICT_BUSINESS;
    memcpy(r.lang, "en", 3);
    return r;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char *render(culpa_output_format fmt, const record *rec, uint64_t number,
                    const culpa_result *res, const culpa_match *m, size_t nm, int explain)
{
    static out_buf o;
    o.len = 0;
    row_fields rw = {rec, number, res, m, nm, explain};
    cr_assert_eq(out_row(&o, fmt, &rw), 0);
    cr_assert_lt(o.len, o.cap);
    o.p[o.len] = '\0';
    return o.p;
}

Test(output, jsonl_row)
{
    record rec = {0};
    rec.id = "r\"1";
    rec.id_len = 3;
    rec.id_kind = ID_STRING;
    culpa_result r = sample_result();
    cr_assert_str_eq(render(CULPA_OUTPUT_JSONL, &rec, 9, &r, NULL, 0, 0),
                     "{\"id\":\"r\\\"1\",\"lang\":\"en\",\"sentiment\":-0.5500,\"blame\":0.8744,"
                     "\"blame_business\":0.8744,\"blame_customer\":0.0000,\"verdict\":\"business\"}\n");
}

Test(output, record_numbers_raw_numbers_and_errors)
{
    record rec = {0};
    culpa_result r = {0};
    memcpy(r.lang, "und", 4);
    rec.error = "not a JSON object";
    cr_assert_str_eq(render(CULPA_OUTPUT_JSONL, &rec, 42, &r, NULL, 0, 0),
                     "{\"id\":42,\"lang\":\"und\",\"sentiment\":0.0000,\"blame\":0.0000,"
                     "\"blame_business\":0.0000,\"blame_customer\":0.0000,\"verdict\":\"none\","
                     "\"error\":\"not a JSON object\"}\n");
    rec.error = NULL;
    rec.id = "-12.5e3";
    rec.id_len = 7;
    rec.id_kind = ID_RAW_NUMBER;
    cr_assert_not_null(strstr(render(CULPA_OUTPUT_JSONL, &rec, 1, &r, NULL, 0, 0), "{\"id\":-12.5e3,"));
}

Test(output, ids_are_made_safe)
{
    record rec = {0};
    rec.id = "a\x01\xFF\tb\n";
    rec.id_len = 6;
    rec.id_kind = ID_STRING;
    culpa_result r = sample_result();
    cr_assert_not_null(strstr(render(CULPA_OUTPUT_JSONL, &rec, 1, &r, NULL, 0, 0),
                              "\"id\":\"a\\u0001\xEF\xBF\xBD\\u0009b\\u000a\""));
    cr_assert(starts_with(render(CULPA_OUTPUT_TSV, &rec, 1, &r, NULL, 0, 0), "a\x01\xFF b \ten\t"));
    rec.id = "x,\"y\"";
    rec.id_len = 5;
    cr_assert(starts_with(render(CULPA_OUTPUT_CSV, &rec, 1, &r, NULL, 0, 0), "\"x,\"\"y\"\"\",en,"));
}

Test(output, tsv_and_csv_rows_and_headers)
{
    record rec = {0};
    culpa_result r = sample_result();
    cr_assert_str_eq(render(CULPA_OUTPUT_TSV, &rec, 3, &r, NULL, 0, 0),
                     "3\ten\t-0.5500\t0.8744\t0.8744\t0.0000\tbusiness\t\n");
    cr_assert_str_eq(render(CULPA_OUTPUT_CSV, &rec, 3, &r, NULL, 0, 0),
                     "3,en,-0.5500,0.8744,0.8744,0.0000,business,\n");
    out_buf o = {0};
    cr_assert_eq(out_header(&o, CULPA_OUTPUT_TSV, 1), 0);
    cr_assert_eq(strncmp(o.p, "id\tlang\tsentiment\tblame\tblame_business\tblame_customer\tverdict\terror\texplain\n", o.len), 0);
    o.len = 0;
    cr_assert_eq(out_header(&o, CULPA_OUTPUT_JSONL, 1), 0);
    cr_assert_eq(o.len, 0);
    out_free(&o);
}

Test(output, explain_in_each_format)
{
    record rec = {0};
    culpa_result r = sample_result();
    culpa_match m[2] = {
        {"waiter", 6, 4, 6, CULPA_CLASS_BIZ, 1.0f, 0, 0, 0, 0},
        {"rude, \"very\"", 12, 15, 4, CULPA_CLASS_VAL, -2.0f, -2.5f, 2.5f, 0, CULPA_MATCH_NEGATED | CULPA_MATCH_CAPS},
    };
    const char *j = render(CULPA_OUTPUT_JSONL, &rec, 1, &r, m, 2, 1);
    cr_assert_not_null(strstr(j, ",\"explain\":[{\"term\":\"waiter\",\"class\":\"biz\",\"weight\":1.0000,"
                                 "\"sentiment\":0.0000,\"business\":0.0000,\"customer\":0.0000,\"offset\":4},"
                                 "{\"term\":\"rude, \\\"very\\\"\",\"class\":\"val\",\"weight\":-2.0000,"
                                 "\"sentiment\":-2.5000,\"business\":2.5000,\"customer\":0.0000,\"offset\":15,"
                                 "\"flags\":\"negated,caps\"}]}\n"), "%s", j);
    const char *t = render(CULPA_OUTPUT_TSV, &rec, 1, &r, m, 2, 1);
    cr_assert_not_null(strstr(t, "\tbusiness\t\twaiter/biz/0.0000/0.0000/0.0000; rude, \"very\"/val/-2.5000/2.5000/0.0000\n"), "%s", t);
    const char *c = render(CULPA_OUTPUT_CSV, &rec, 1, &r, m, 2, 1);
    cr_assert_not_null(strstr(c, ",business,,\"waiter/biz/0.0000/0.0000/0.0000; rude, \"\"very\"\"/val/-2.5000/2.5000/0.0000\"\n"), "%s", c);
    /* explain on and nothing matched: an empty list */
    cr_assert_not_null(strstr(render(CULPA_OUTPUT_JSONL, &rec, 1, &r, NULL, 0, 1), ",\"explain\":[]}"));
}

Test(output, summary_reports_needed_size)
{
    culpa_stats st = {0};
    st.records = 10;
    st.errors = 1;
    st.verdicts[CULPA_VERDICT_BUSINESS] = 6;
    st.verdicts[CULPA_VERDICT_NONE] = 4;
    st.bytes = 2000000;
    st.seconds = 0.5;
    char small[8];
    size_t need = culpa_stats_format(&st, small, sizeof small);
    cr_assert_gt(need, sizeof small);
    cr_assert_eq(strlen(small), sizeof small - 1);
    char buf[4096];
    cr_assert_eq(culpa_stats_format(&st, buf, sizeof buf), need);
    cr_assert_not_null(strstr(buf, "records          10\n"));
    cr_assert_not_null(strstr(buf, "verdict business 6 (60.0%)"));
    cr_assert_not_null(strstr(buf, "4.0 MB/s, 20 reviews/s"));
}
