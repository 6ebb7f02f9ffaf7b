/* Engine: a whole file or stream, on OpenMP threads, rows in input order.
 *
 * The input is taken a window at a time (a slice of the memory map, or a
 * buffer filled by read() for pipes) so that memory stays bounded whatever
 * the input's size.  Each window is cut sequentially into chunks of whole
 * records (counting them, so each chunk knows its first record number);
 * threads score chunks into the chunk's own output buffer, each thread with
 * its own scorer and reader scratch; then the buffers are written in order. */
#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "culpa.h"
#include "error.h"
#include "grow.h"
#include "input.h"
#include "output.h"

#define CHUNK_BYTES ((size_t)1 << 20)        /* a unit of work for one thread */
#define WINDOW_PER_THREAD ((size_t)16 << 20) /* input taken at a time, per thread */

/* A scored record kept for the row callback; its id lives in the chunk's
 * id arena (the reader's scratch is reused by the next record). */
typedef struct {
    uint64_t number;
    size_t id_off, id_len;
    size_t text_off, text_len; /* in the same arena, when row_text is set */
    size_t match_off, nmatches; /* in the chunk's matches, when explain is set */
    int has_id;
    culpa_result res;
    const char *error;
} kept_row;

typedef struct {
    const char *p;
    size_t len;
    uint64_t first_record; /* 1-based number of its first record */
    out_buf out;           /* formatted rows, when opt->write is set */
    kept_row *rows;        /* scored records, when opt->row is set */
    size_t nrows, rows_cap;
    culpa_match *matches;  /* their matched terms; `term` holds an offset into ids */
    size_t nmatches, matches_cap;
    out_buf ids;
    culpa_stats st;
    int failed;            /* out of memory while formatting */
} chunk;

typedef struct {
    culpa_scorer *scorer;
    reader_scratch rs;
} worker;

typedef struct {
    const culpa_lexicon *lex;
    const culpa_options *opt;
    reader_config rc;
    worker *workers;
    int nthreads;
    chunk *chunks;
    size_t nchunks, chunks_cap;
    uint64_t records;    /* records numbered so far */
    uint64_t bytes_done;
    uint64_t bytes_total;
    culpa_stats *stats;
    int header_pending;  /* the start of the input is still to come */
    int sniff;           /* pick jsonl or lines from the first bytes */
    culpa_error *err;
} run;

void culpa_options_init(culpa_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->input_format = CULPA_INPUT_AUTO;
    opt->output_format = CULPA_OUTPUT_JSONL;
    opt->header = 1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static culpa_input_format format_for(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot) return CULPA_INPUT_LINES;
    if (!strcmp(dot, ".json") || !strcmp(dot, ".jsonl") || !strcmp(dot, ".ndjson"))
        return CULPA_INPUT_JSONL;
    if (!strcmp(dot, ".tsv") || !strcmp(dot, ".tab")) return CULPA_INPUT_TSV;
    if (!strcmp(dot, ".csv")) return CULPA_INPUT_CSV;
    return CULPA_INPUT_LINES;
}

/* ---- one chunk ----------------------------------------------------------- */

static void add_result(culpa_stats *st, const record *rec, const culpa_result *res)
{
    st->records++;
    st->utf8_repairs += res->utf8_repairs + rec->repairs;
    if (rec->error) {
        st->errors++;
        st->verdicts[CULPA_VERDICT_NONE]++;
        return;
    }
    st->verdicts[res->verdict]++;
    st->sentiment_sum += res->sentiment;
    st->blame_sum += res->blame;
    st->blame_business_sum += res->blame_business;
    st->blame_customer_sum += res->blame_customer;
}

/* Copy n bytes into the chunk's arena; *off gets where.  @return 0, or -1
 * when out of memory. */
static int keep_bytes(chunk *c, const char *p, size_t n, size_t *off)
{
    if (grow_to((void **)&c->ids.p, &c->ids.cap, c->ids.len + n + 1, 1, 4096)) return -1;
    if (n) memcpy(c->ids.p + c->ids.len, p, n);
    *off = c->ids.len;
    c->ids.len += n;
    return 0;
}

/* Keep a scored record for the row callback.  @return 0, or -1 when out of
 * memory. */
static int keep_row(chunk *c, uint64_t number, const record *rec, const culpa_result *res,
                    int with_text, const culpa_match *m, size_t nm)
{
    if (grow_to((void **)&c->rows, &c->rows_cap, c->nrows + 1, sizeof *c->rows, 256)) return -1;
    kept_row *k = &c->rows[c->nrows++];
    memset(k, 0, sizeof *k);
    k->number = number;
    k->res = *res;
    k->error = rec->error;
    k->has_id = rec->id_kind != ID_NUMBER_OF_RECORD;
    if (k->has_id && keep_bytes(c, rec->id, rec->id_len, &k->id_off)) return -1;
    k->id_len = k->has_id ? rec->id_len : 0;
    if (with_text && keep_bytes(c, rec->text, rec->text_len, &k->text_off)) return -1;
    k->text_len = with_text ? rec->text_len : 0;
    k->match_off = c->nmatches;
    k->nmatches = nm;
    if (nm && grow_to((void **)&c->matches, &c->matches_cap, c->nmatches + nm, sizeof *c->matches, 256))
        return -1;
    for (size_t i = 0; i < nm; i++) {
        size_t off;
        if (keep_bytes(c, m[i].term, m[i].term_len, &off)) return -1;
        c->matches[c->nmatches] = m[i];
        c->matches[c->nmatches++].term = (const char *)(uintptr_t)off; /* made a pointer on emit */
    }
    return 0;
}

static void score_chunk(const run *r, worker *w, chunk *c)
{
    const culpa_options *opt = r->opt;
    culpa_input_format fmt = r->rc.format;
    uint64_t number = c->first_record;
    size_t i = 0, n;
    const char *p;
    c->out.len = 0;
    c->nrows = 0;
    c->nmatches = 0;
    c->ids.len = 0;
    memset(&c->st, 0, sizeof c->st);
    c->failed = 0;
    while (next_record(fmt, c->p, c->len, &i, &p, &n)) {
        record rec;
        culpa_result res;
        record_read(&r->rc, &w->rs, p, n, &rec);
        if (!rec.error) {
            culpa_status st = culpa_score(w->scorer, rec.text, rec.text_len, &res);
            if (st == CULPA_ERR_TOO_LARGE) rec.error = "text longer than 1 GiB";
            else if (st != CULPA_OK) rec.error = "out of memory";
        }
        if (rec.error) culpa_score(w->scorer, "", 0, &res);
        size_t nm = 0;
        const culpa_match *m = opt->explain ? culpa_scorer_explain(w->scorer, &nm) : NULL;
        row_fields rw = {&rec, number, &res, m, nm, opt->explain};
        if ((opt->write && out_row(&c->out, opt->output_format, &rw)) ||
            (opt->row && keep_row(c, number, &rec, &res, opt->row_text, m, nm))) {
            c->failed = 1;
            return;
        }
        number++;
        add_result(&c->st, &rec, &res);
    }
}

/* ---- cutting a window into chunks ------------------------------------- */

static chunk *next_chunk(run *r)
{
    size_t old = r->chunks_cap;
    if (grow_to((void **)&r->chunks, &r->chunks_cap, r->nchunks + 1, sizeof *r->chunks, 64)) return NULL;
    memset(r->chunks + old, 0, (r->chunks_cap - old) * sizeof *r->chunks); /* no buffers yet */
    return &r->chunks[r->nchunks++];
}

/* Cut p[0..n) into chunks of whole records and count them.  Returns the
 * bytes consumed: all of them at EOF, else up to the last complete record. */
static size_t cut_window(run *r, const char *p, size_t n, int at_eof, culpa_status *st)
{
    culpa_input_format fmt = r->rc.format;
    size_t i = 0;
    r->nchunks = 0;
    while (i < n) {
        size_t start = i, limit = start + CHUNK_BYTES;
        uint64_t first = r->records + 1;
        while (i < n && (i < limit || i == start)) {
            int complete;
            size_t end = i + record_end(fmt, p + i, n - i, at_eof, &complete);
            if (!complete) break;
            if (!record_is_blank(p + i, end - i)) r->records++;
            i = end < n ? end + 1 : n;
        }
        if (i == start) break; /* an incomplete record: wait for more input */
        chunk *c = next_chunk(r);
        if (!c) {
            *st = set_error(r->err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
            return 0;
        }
        c->p = p + start;
        c->len = i - start;
        c->first_record = first;
    }
    return i;
}

static culpa_status emit(run *r, const char *p, size_t n)
{
    if (n && r->opt->write && r->opt->write(r->opt->write_user, p, n))
        return set_error(r->err, CULPA_ERR_STOPPED, NULL, 0, "output stopped");
    return CULPA_OK;
}

/* Pass a chunk's kept records to the row callback, in order.  The kept
 * matches' term offsets become pointers now that the arena is final. */
static culpa_status emit_rows(run *r, chunk *c)
{
    for (size_t i = 0; i < c->nmatches; i++)
        c->matches[i].term = c->ids.p + (uintptr_t)c->matches[i].term;
    for (size_t k = 0; k < c->nrows; k++) {
        const kept_row *kr = &c->rows[k];
        culpa_row scored = {kr->number, kr->has_id ? c->ids.p + kr->id_off : NULL, kr->id_len,
                            &kr->res, kr->error, c->ids.p ? c->ids.p + kr->text_off : "",
                            kr->text_len, kr->nmatches ? c->matches + kr->match_off : NULL,
                            kr->nmatches};
        if (r->opt->row(r->opt->row_user, &scored))
            return set_error(r->err, CULPA_ERR_STOPPED, NULL, 0, "stopped by the row callback");
    }
    return CULPA_OK;
}

static void merge_stats(culpa_stats *into, const culpa_stats *s)
{
    into->records += s->records;
    into->errors += s->errors;
    for (int v = 0; v < 4; v++) into->verdicts[v] += s->verdicts[v];
    into->utf8_repairs += s->utf8_repairs;
    into->sentiment_sum += s->sentiment_sum;
    into->blame_sum += s->blame_sum;
    into->blame_business_sum += s->blame_business_sum;
    into->blame_customer_sum += s->blame_customer_sum;
}

/* Read the TSV/CSV header (the first record) when one is due.  Returns the
 * bytes it took, or (size_t)-1 when it is not complete yet. */
static size_t take_header(run *r, const char *p, size_t n, int at_eof, culpa_status *st)
{
    const culpa_options *opt = r->opt;
    int complete;
    size_t skip = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (r->sniff) { /* standard input without a format: JSON objects, or lines */
        size_t k = skip;
        while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r' || p[k] == '\n')) k++;
        if (k == n && !at_eof) return (size_t)-1;
        r->rc.format = k < n && p[k] == '{' ? CULPA_INPUT_JSONL : CULPA_INPUT_LINES;
        r->sniff = 0;
    }
    culpa_input_format fmt = r->rc.format;
    if (fmt != CULPA_INPUT_TSV && fmt != CULPA_INPUT_CSV) {
        r->header_pending = 0;
        return skip;
    }
    if (opt->no_header) {
        r->header_pending = 0;
        *st = columns_from_header(&r->rc, &r->workers[0].rs, "", 0, opt->text_field, opt->id_field,
                                  1, r->err);
        return skip;
    }
    size_t end = record_end(fmt, p, n, at_eof, &complete);
    if (!complete) return (size_t)-1;
    r->header_pending = 0;
    *st = columns_from_header(&r->rc, &r->workers[0].rs, p, end, opt->text_field, opt->id_field, 0,
                              r->err);
    return end < n ? end + 1 : n;
}

/* Score the window p[0..n); returns the bytes consumed. */
static size_t score_window(run *r, const char *p, size_t n, int at_eof, culpa_status *st)
{
    size_t used = 0;
    if (r->header_pending) {
        size_t h = take_header(r, p, n, at_eof, st);
        if (h == (size_t)-1) return 0;
        if (*st != CULPA_OK) return 0;
        used = h;
    }
    size_t took = cut_window(r, p + used, n - used, at_eof, st);
    if (*st != CULPA_OK) return 0;
    long nch = (long)r->nchunks;
#pragma omp parallel for schedule(dynamic, 1) num_threads(r->nthreads)
    for (long k = 0; k < nch; k++) score_chunk(r, &r->workers[omp_get_thread_num()], &r->chunks[k]);
    for (size_t k = 0; k < r->nchunks && *st == CULPA_OK; k++) {
        chunk *c = &r->chunks[k];
        if (c->failed) *st = set_error(r->err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
        else *st = emit(r, c->out.p, c->out.len);
        if (*st == CULPA_OK && r->opt->row) *st = emit_rows(r, c);
        merge_stats(r->stats, &c->st);
    }
    return used + took;
}

static void report_progress(run *r)
{
    if (r->opt->progress)
        r->opt->progress(r->opt->progress_user, r->bytes_done, r->bytes_total, r->stats->records);
}

/* ---- sources ------------------------------------------------------------- */

/* Where shard k of n starts in a buffer of `size` bytes: k * size / n,
 * without overflow. */
static size_t shard_offset(size_t size, unsigned k, unsigned n)
{
    return size / n * k + size % n * k / n;
}

/* The records of this run's shard: those that start in its byte range.
 * Reads the header first (every shard needs the columns) and counts the
 * records before the shard, so record numbers match the whole run's. */
static culpa_status shard_range(run *r, const char *data, size_t size, size_t *from, size_t *to)
{
    culpa_status st = CULPA_OK;
    size_t i = take_header(r, data, size, 1, &st);
    if (st != CULPA_OK) return st;
    unsigned k = r->opt->shard_index, n = r->opt->shard_count;
    size_t lo = shard_offset(size, k, n), hi = shard_offset(size, k + 1, n);
    uint64_t before = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t limit = pass ? hi : lo;
        while (i < size && i < limit) {
            int complete;
            size_t end = i + record_end(r->rc.format, data + i, size - i, 1, &complete);
            if (!pass && !record_is_blank(data + i, end - i)) before++;
            i = end + 1;
        }
        if (i > size) i = size;
        if (!pass) *from = i;
    }
    *to = i;
    r->records = before;
    return CULPA_OK;
}

/* Score data[0..size) a window at a time.  With `release`, the pages
 * already scored are given back (the data is a file mapping). */
static culpa_status run_buffer(run *r, const char *data, size_t size, int release)
{
    culpa_status st = CULPA_OK;
    size_t window = WINDOW_PER_THREAD * (size_t)r->nthreads, pos = 0, released = 0, base = 0;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (r->opt->shard_count > 1) {
        if ((st = shard_range(r, data, size, &pos, &size)) != CULPA_OK) return st;
        base = pos;
        r->bytes_total = size - base;
    }
    while (pos < size && st == CULPA_OK) {
        size_t n = size - pos < window ? size - pos : window;
        int at_eof = pos + n == size;
        size_t took = score_window(r, data + pos, n, at_eof, &st);
        if (st != CULPA_OK) break;
        if (took == 0) {
            /* one record longer than the window: widen it */
            window *= 2;
            continue;
        }
        pos += took;
        r->bytes_done = pos - base;
        report_progress(r);
        /* give back the pages already scored so memory stays flat */
        size_t upto = pos / page * page;
        if (release && upto > released) {
            madvise((char *)data + released, upto - released, MADV_DONTNEED);
            released = upto;
        }
    }
    return st;
}

static culpa_status run_mapped(run *r, int fd, size_t size)
{
    if (size == 0) return CULPA_OK;
    char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) return CULPA_ERR_IO;
    madvise(map, size, MADV_SEQUENTIAL);
    culpa_status st = run_buffer(r, map, size, 1);
    munmap(map, size);
    return st;
}

static culpa_status run_stream(run *r, int fd)
{
    culpa_status st = CULPA_OK;
    if (r->opt->shard_count > 1)
        return set_error(r->err, CULPA_ERR_ARG, NULL, 0, "a shard needs a file it can map, not a stream");
    size_t cap = WINDOW_PER_THREAD * (size_t)r->nthreads, len = 0;
    char *buf = malloc(cap);
    if (!buf) return set_error(r->err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    int at_eof = 0;
    while (!at_eof && st == CULPA_OK) {
        while (len < cap) {
            ssize_t got = read(fd, buf + len, cap - len);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) {
                st = set_error(r->err, CULPA_ERR_IO, NULL, 0, "cannot read input: %s",
                               strerror(errno));
                break;
            }
            if (got == 0) {
                at_eof = 1;
                break;
            }
            len += (size_t)got;
        }
        if (st != CULPA_OK) break;
        size_t took = score_window(r, buf, len, at_eof, &st);
        if (st != CULPA_OK) break;
        r->bytes_done += took;
        report_progress(r);
        memmove(buf, buf + took, len - took);
        len -= took;
        if (len == cap && !at_eof) { /* one record fills the buffer: grow it */
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                st = set_error(r->err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    free(buf);
    return st;
}

/* ---- the call ------------------------------------------------------------ */

static culpa_status setup(run *r, const char *path)
{
    const culpa_options *opt = r->opt;
    r->rc.format = opt->input_format == CULPA_INPUT_AUTO ? format_for(path) : opt->input_format;
    r->sniff = opt->input_format == CULPA_INPUT_AUTO && !path;
    const char *tf = opt->text_field ? opt->text_field : "text";
    r->rc.text_key = tf;
    r->rc.text_key_len = strlen(tf);
    if (opt->id_field) {
        r->rc.id_keys[0] = opt->id_field;
    } else {
        r->rc.id_keys[0] = "review_id";
        r->rc.id_keys[1] = "id";
    }
    r->rc.text_col = 0;
    r->rc.id_col = COLUMN_NONE;
    r->header_pending = 1;
    r->nthreads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    if (r->nthreads > 1024) r->nthreads = 1024;
    r->workers = calloc((size_t)r->nthreads, sizeof *r->workers);
    if (!r->workers) return set_error(r->err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    for (int t = 0; t < r->nthreads; t++) {
        worker *w = &r->workers[t];
        if (!(w->scorer = culpa_scorer_new(r->lex)))
            return set_error(r->err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
        culpa_scorer_set_explain(w->scorer, opt->explain);
        if (culpa_scorer_set_lang(w->scorer, opt->lang) != CULPA_OK)
            return set_error(r->err, CULPA_ERR_NOT_FOUND, NULL, 0,
                             "language '%s' is not in the lexicon", opt->lang);
    }
    return CULPA_OK;
}

static void teardown(run *r)
{
    for (int t = 0; r->workers && t < r->nthreads; t++) {
        culpa_scorer_free(r->workers[t].scorer);
        reader_scratch_free(&r->workers[t].rs);
    }
    free(r->workers);
    for (size_t k = 0; k < r->chunks_cap; k++) {
        out_free(&r->chunks[k].out);
        out_free(&r->chunks[k].ids);
        free(r->chunks[k].rows);
        free(r->chunks[k].matches);
    }
    free(r->chunks);
}

/* Set up a run and write the header row.  `path` picks the input format
 * (NULL: look at the first bytes). */
static culpa_status begin_run(run *r, const culpa_lexicon *lex, const culpa_options *opt,
                              const char *path, culpa_stats *local, culpa_error *err)
{
    r->lex = lex;
    r->opt = opt;
    r->err = err;
    r->stats = local;
    if (opt->shard_count > 1 ? opt->shard_index >= opt->shard_count : opt->shard_index != 0)
        return set_error(err, CULPA_ERR_ARG, NULL, 0, "shard %u of %u does not exist",
                         opt->shard_index + 1, opt->shard_count);
    culpa_status st = setup(r, path);
    /* the header row is the first shard's: the shards' outputs concatenate */
    if (st == CULPA_OK && opt->header && opt->shard_index == 0) {
        out_buf h = {0};
        if (out_header(&h, opt->output_format, opt->explain)) st = CULPA_ERR_NOMEM;
        else st = emit(r, h.p, h.len);
        out_free(&h);
    }
    return st;
}

/* Release the run and add its totals to *stats. */
static void end_run(run *r, double t0, culpa_stats *stats)
{
    teardown(r);
    r->stats->bytes = r->bytes_done;
    r->stats->seconds = now_seconds() - t0;
    if (stats) {
        merge_stats(stats, r->stats);
        stats->bytes += r->stats->bytes;
        stats->seconds += r->stats->seconds;
    }
}

culpa_status culpa_score_file(const culpa_lexicon *lex, const char *path, const culpa_options *opt,
                              culpa_stats *stats, culpa_error *err)
{
    clear_error(err);
    if (!lex || !path || !opt || (!opt->write && !opt->row))
        return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL lexicon, path, options, or no callback");
    double t0 = now_seconds();
    int is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return set_error(err, errno == ENOENT ? CULPA_ERR_NOT_FOUND : CULPA_ERR_IO, path, 0,
                         "cannot open: %s", strerror(errno));
    struct stat sb;
    culpa_stats local = {0};
    run r = {0};
    culpa_status st = CULPA_OK;
    if (fstat(fd, &sb) != 0) {
        st = set_error(err, CULPA_ERR_IO, path, 0, "cannot stat: %s", strerror(errno));
    } else if (S_ISDIR(sb.st_mode)) {
        st = set_error(err, CULPA_ERR_IO, path, 0, "is a directory");
    } else {
        st = begin_run(&r, lex, opt, is_stdin ? NULL : path, &local, err);
        if (st == CULPA_OK) {
            if (S_ISREG(sb.st_mode)) {
                r.bytes_total = (uint64_t)sb.st_size;
                st = run_mapped(&r, fd, (size_t)sb.st_size);
                if (st == CULPA_ERR_IO && (!err || err->status == CULPA_OK)) {
                    /* a file that cannot be mapped (some special files) is read instead */
                    st = run_stream(&r, fd);
                }
            } else {
                st = run_stream(&r, fd);
            }
        }
        if (st != CULPA_OK && err && err->status == CULPA_OK)
            set_error(err, st, path, 0, "%s", culpa_status_str(st));
        end_run(&r, t0, stats);
    }
    if (!is_stdin) close(fd);
    return st;
}

culpa_status culpa_score_buffer(const culpa_lexicon *lex, const char *data, size_t len,
                                const culpa_options *opt, culpa_stats *stats, culpa_error *err)
{
    clear_error(err);
    if (!lex || (!data && len) || !opt || (!opt->write && !opt->row))
        return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL lexicon, data, options, or no callback");
    double t0 = now_seconds();
    culpa_stats local = {0};
    run r = {0};
    culpa_status st = begin_run(&r, lex, opt, NULL, &local, err);
    r.bytes_total = len;
    if (st == CULPA_OK) st = run_buffer(&r, data, len, 0);
    if (st != CULPA_OK && err && err->status == CULPA_OK)
        set_error(err, st, NULL, 0, "%s", culpa_status_str(st));
    end_run(&r, t0, stats);
    return st;
}
