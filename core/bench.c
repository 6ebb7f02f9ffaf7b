/* Benchmark: each stage timed on its own, then the engine end to end.
 *
 * Every stage includes the ones before it, so the difference between two
 * rows is what a stage costs.  Results are summed into a sink the caller
 * cannot see through, so no pass can be optimized away; times are the best
 * of several measurements on a monotonic clock, each repeating whole passes
 * for a minimum time (a coarse or noisy clock then cannot dominate). */
#include <omp.h>
#include <string.h>
#include <time.h>

#include "culpa.h"
#include "error.h"
#include "input.h"
#include "output.h"
#include "score.h"

enum stage {
    ST_READ, ST_SPLIT, ST_EXTRACT, ST_TOKENIZE, ST_LOOKUP, ST_MATCH, ST_SCORE, ST_WRITE, ST_COUNT
};

/* "lookup" is no stage of the engine: every token probed once, nothing
 * more, so that match - lookup is what phrases and items cost beyond it. */
static const char *const stage_names[ST_COUNT] = {"read",   "split", "extract", "tokenize",
                                                  "lookup", "match", "score",   "write"};

typedef struct {
    const char *data;
    size_t len;
    culpa_scorer *scorer;
    reader_config rc;
    reader_scratch rs;
    out_buf out;
    uint64_t records;
} bench_ctx;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The floor: touch every byte once, as counting lines does. */
static uint64_t count_lines(const char *p, size_t n)
{
    uint64_t lines = 0;
    for (const char *end = p + n; p < end; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        p = nl + 1;
    }
    return lines;
}

/* One pass of stage `st` over the data; returns a checksum of the work. */
static uint64_t run_stage(bench_ctx *c, enum stage st)
{
    if (st == ST_READ) return count_lines(c->data, c->len);
    uint64_t sum = 0, records = 0;
    size_t i = 0, n;
    const char *p;
    while (next_record(CULPA_INPUT_JSONL, c->data, c->len, &i, &p, &n)) {
        records++;
        if (st == ST_SPLIT) {
            sum += n;
            continue;
        }
        record rec;
        record_read(&c->rc, &c->rs, p, n, &rec);
        sum += rec.text_len;
        if (st == ST_EXTRACT || rec.error) continue;
        if (st == ST_TOKENIZE) {
            sum += (uint64_t)score_tokenize_only(c->scorer, rec.text, rec.text_len);
        } else if (st == ST_LOOKUP) {
            sum += (uint64_t)score_lookup_only(c->scorer, rec.text, rec.text_len);
        } else if (st == ST_MATCH) {
            sum += (uint64_t)score_match_only(c->scorer, rec.text, rec.text_len);
        } else {
            culpa_result res;
            culpa_score(c->scorer, rec.text, rec.text_len, &res);
            sum += res.verdict + res.matches;
            if (st == ST_WRITE) {
                row_fields rw = {&rec, records, &res, NULL, 0, 0};
                c->out.len = 0;
                if (out_row(&c->out, CULPA_OUTPUT_JSONL, &rw) == 0) sum += c->out.len;
            }
        }
    }
    c->records = records;
    return sum;
}

/* Consumes the engine's output: counts it and looks at its bytes. */
static int consume(void *user, const char *bytes, size_t len)
{
    uint64_t *sink = user;
    *sink += len + (len ? (unsigned char)bytes[len - 1] : 0);
    return 0;
}

static uint64_t run_engine(const culpa_lexicon *lex, const char *data, size_t len, int threads)
{
    uint64_t sink = 0;
    culpa_options opt;
    culpa_options_init(&opt);
    opt.input_format = CULPA_INPUT_JSONL;
    opt.threads = threads;
    opt.write = consume;
    opt.write_user = &sink;
    culpa_score_buffer(lex, data, len, &opt, NULL, NULL);
    return sink;
}

typedef struct {
    bench_ctx *ctx;
    const culpa_lexicon *lex;
    int threads; /* > 0: the engine end to end */
    enum stage st;
} measurement;

static uint64_t one_pass(const measurement *m)
{
    return m->threads ? run_engine(m->lex, m->ctx->data, m->ctx->len, m->threads)
                      : run_stage(m->ctx, m->st);
}

/* The best time of one pass: `repeats` measurements, each repeating passes
 * for at least `min_s` seconds. */
static double best_pass(const measurement *m, double min_s, int repeats, volatile uint64_t *sink)
{
    double best = 1e300;
    for (int r = 0; r < repeats; r++) {
        double t0 = now_seconds(), t;
        long passes = 0;
        do {
            *sink += one_pass(m);
            passes++;
            t = now_seconds() - t0;
        } while (t < min_s);
        if (t / (double)passes < best) best = t / (double)passes;
    }
    return best;
}

static void fill_row(culpa_bench_row *out, const char *name, int threads, double secs, size_t bytes,
                     uint64_t records)
{
    memset(out, 0, sizeof *out);
    strncpy(out->stage, name, sizeof out->stage - 1);
    out->threads = threads;
    out->seconds = secs;
    out->mb_per_s = secs > 0 ? (double)bytes / 1e6 / secs : 0;
    out->reviews_per_s = secs > 0 ? (double)records / secs : 0;
}

culpa_status culpa_bench(const culpa_lexicon *lex, const char *data, size_t len,
                         const culpa_bench_options *opt, culpa_bench_row *rows, size_t cap,
                         size_t *count, culpa_error *err)
{
    clear_error(err);
    if (!lex || !data || !len || !rows || !count)
        return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL or empty argument");
    *count = 0;
    double min_s = opt && opt->min_seconds > 0 ? opt->min_seconds : 0.5;
    int repeats = opt && opt->repeats > 0 ? opt->repeats : 3;
    int max_threads = opt && opt->max_threads > 0 ? opt->max_threads : omp_get_max_threads();
    bench_ctx ctx = {data, len, culpa_scorer_new(lex), {0}, {0}, {0}, 0};
    if (!ctx.scorer) return set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    ctx.rc.format = CULPA_INPUT_JSONL;
    ctx.rc.text_key = "text";
    ctx.rc.text_key_len = 4;
    ctx.rc.id_keys[0] = "review_id";
    ctx.rc.id_keys[1] = "id";
    volatile uint64_t sink = 0;
    sink += run_stage(&ctx, ST_SPLIT); /* counts the records */
    uint64_t records = ctx.records;
    for (int st = 0; st < ST_COUNT && *count < cap; st++) {
        measurement m = {&ctx, lex, 0, (enum stage)st};
        fill_row(&rows[(*count)++], stage_names[st], 1, best_pass(&m, min_s, repeats, &sink), len,
                 records);
    }
    for (int t = 1; *count < cap; t = t * 2 > max_threads && t < max_threads ? max_threads : t * 2) {
        measurement m = {&ctx, lex, t, ST_READ};
        fill_row(&rows[(*count)++], "end-to-end", t, best_pass(&m, min_s, repeats, &sink), len,
                 records);
        if (t >= max_threads) break;
    }
    culpa_scorer_free(ctx.scorer);
    reader_scratch_free(&ctx.rs);
    out_free(&ctx.out);
    return CULPA_OK;
}
