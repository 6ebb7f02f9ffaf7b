/* culpa score: every review of a dump scored, one row per record, in order. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char score_usage[] =
    "usage: culpa score [options] [FILE...|-]\n"
    "\n"
    "Score every review for sentiment and for who is blamed, one output row per\n"
    "input record, in input order.  With no FILE, or FILE '-', read standard input.\n"
    "\n"
    "Input:\n"
    "  -i, --input-format FMT  jsonl, tsv, csv or lines (default: by extension:\n"
    "                          .json .jsonl .ndjson -> jsonl, .tsv, .csv, else lines;\n"
    "                          standard input: jsonl if it starts with '{', else lines)\n"
    "      --text-field NAME   JSON key or column (name or 1-based number) of the\n"
    "                          review text (default: text; with --no-header: last column)\n"
    "      --id-field NAME     JSON key or column of the id (default: review_id, else\n"
    "                          id, else the record's 1-based number)\n"
    "      --no-header         TSV/CSV input has no header row; name columns by number\n"
    "Output:\n"
    "  -f, --format FMT        jsonl (default), tsv or csv\n"
    "  -o, --output FILE       write to FILE (replaced only when the run succeeds)\n"
    "      --explain           add the matched terms and what each contributed\n"
    "      --summary           print totals to standard error at the end\n"
    "      --progress          show progress on standard error even when it is not\n"
    "                          a terminal; --no-progress hides it on a terminal\n"
    "Model:\n"
    "      --lang CODE         treat every review as language CODE (default: auto)\n"
    "      --langs LIST        load only these languages (comma-separated)\n"
    "      --lexicon DIR       use the lexicon folder DIR instead of the shipped one\n"
    "      --lexicon-add DIR   add (and override with) the lexicon folder DIR;\n"
    "                          may be repeated\n"
    "  -t, --threads N         worker threads (default: all cores)\n"
    "      --shard K/N         score only the K-th (1..N) of N equal byte ranges of\n"
    "                          FILE (the records that start in it); the N outputs\n"
    "                          concatenated in order equal the whole file's output\n"
    "\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 success, 1 input/output error, 2 usage error, 3 lexicon error.\n"
    "Records that cannot be parsed still get a row, with an \"error\" field.\n";

typedef struct {
    input_args in; /* in.opt: the scoring options */
    const char *output;
    const char **lexicon_add; /* room for one per argument */
    int nadd;
    int summary;
    int progress; /* -1 auto, 0 off, 1 on */
} cli;

/* ---- progress ------------------------------------------------------------ */

typedef struct {
    double start, last;
    const char *name;
} progress_state;

static void show_progress(void *user, uint64_t done, uint64_t total, uint64_t records)
{
    progress_state *p = user;
    double t = monotonic_seconds();
    if (t - p->last < 0.2 && done != total) return;
    p->last = t;
    double secs = t - p->start > 1e-6 ? t - p->start : 1e-6;
    double mbs = (double)done / 1e6 / secs;
    if (total) {
        double frac = (double)done / (double)total;
        int width = 30, fill = (int)(frac * width);
        double eta = mbs > 0 ? (double)(total - done) / 1e6 / mbs : 0;
        fprintf(stderr, "\r[%.*s%*s] %5.1f%% %8.1f MB %7.1f MB/s %9.0f reviews/s  ETA %4.0fs ",
                fill, "##############################", width - fill, "", frac * 100,
                (double)done / 1e6, mbs, (double)records / secs, eta);
    } else {
        fprintf(stderr, "\r%8.1f MB %7.1f MB/s %9.0f reviews/s ", (double)done / 1e6, mbs,
                (double)records / secs);
    }
    fflush(stderr);
}

/* ---- options ------------------------------------------------------------- */

static int parse_score_args(cli *c, int argc, char **argv)
{
    enum { O_ID = 256, O_EXPLAIN, O_SUMMARY, O_PROGRESS, O_NOPROGRESS, O_LEXADD, O_SHARD };
    static const struct option longs[] = {
        {"id-field", required_argument, 0, O_ID},     {"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'},        {"explain", no_argument, 0, O_EXPLAIN},
        {"summary", no_argument, 0, O_SUMMARY},       {"progress", no_argument, 0, O_PROGRESS},
        {"no-progress", no_argument, 0, O_NOPROGRESS}, {"lexicon-add", required_argument, 0, O_LEXADD},
        {"help", no_argument, 0, 'h'},                {"shard", required_argument, 0, O_SHARD},
        INPUT_LONG_OPTIONS,                           {0, 0, 0, 0}};
    static const char *const out_names[] = {"jsonl", "tsv", "csv"};
    culpa_options *opt = &c->in.opt;
    int ch, v;
    optind = 1;
    while ((ch = next_option(argc, argv, "f:o:h" INPUT_SHORT_OPTIONS, longs, &c->in)) != -1) {
        switch (ch) {
        case 'f':
            if ((v = parse_enum(optarg, out_names, 3)) < 0)
                return die_usage("unknown output format '%s' (jsonl, tsv, csv)", optarg);
            opt->output_format = (culpa_output_format)v;
            break;
        case 'o': c->output = optarg; break;
        case O_ID: opt->id_field = optarg; break;
        case O_EXPLAIN: opt->explain = 1; break;
        case O_SUMMARY: c->summary = 1; break;
        case O_PROGRESS: c->progress = 1; break;
        case O_NOPROGRESS: c->progress = 0; break;
        case O_LEXADD: c->lexicon_add[c->nadd++] = optarg; break;
        case O_SHARD: {
            unsigned k, n;
            char tail;
            if (sscanf(optarg, "%u/%u%c", &k, &n, &tail) != 2 || n < 1 || n > 1000000 || k < 1 || k > n)
                return die_usage("--shard takes K/N with 1 <= K <= N, not '%s'", optarg);
            opt->shard_index = k - 1;
            opt->shard_count = n;
            break;
        }
        case 'h': fputs(score_usage, stdout); exit(0);
        default: return die_usage("%s", "invalid option");
        }
    }
    return 0;
}

/* ---- the run ------------------------------------------------------------- */

/* Is `path` written through a temporary file renamed over it?  Only a
 * regular file, or a path not there yet: renaming over /dev/null, a FIFO
 * or a symbolic link would replace the device, the pipe or the link. */
static int replace_atomically(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return errno == ENOENT;
    return S_ISREG(st.st_mode);
}

static int run_score(cli *c, int nfiles, char **files)
{
    culpa_lexicon *lex = NULL;
    int rc = load_lexicon(c->in.lexicon, c->in.langs, c->lexicon_add, c->nadd, &lex);
    if (rc) return rc;
    sink out = {stdout, 0};
    char tmp[PATH_MAX];
    int atomic = c->output && replace_atomically(c->output);
    if (c->output) {
        if (atomic) snprintf(tmp, sizeof tmp, "%s.tmp.%ld", c->output, (long)getpid());
        const char *path = atomic ? tmp : c->output;
        if (!(out.f = fopen(path, "wb"))) {
            fprintf(stderr, "culpa: %s: cannot create: %s\n", path, strerror(errno));
            culpa_lexicon_free(lex);
            return EXIT_IO;
        }
    }
    guard_input_changes(atomic ? tmp : NULL);
    static char outbuf[1 << 16];
    setvbuf(out.f, outbuf, _IOFBF, sizeof outbuf);
    c->in.opt.write = write_to_sink;
    c->in.opt.write_user = &out;
    progress_state ps = {monotonic_seconds(), 0, NULL};
    int show = c->progress == 1 || (c->progress == -1 && isatty(STDERR_FILENO));
    if (show) {
        c->in.opt.progress = show_progress;
        c->in.opt.progress_user = &ps;
    }
    culpa_stats stats = {0};
    char *stdin_only[] = {"-"};
    if (nfiles == 0) {
        files = stdin_only;
        nfiles = 1;
    }
    culpa_status st = CULPA_OK;
    culpa_error err;
    for (int i = 0; i < nfiles && st == CULPA_OK; i++) {
        c->in.opt.header = i == 0; /* one header row for all files */
        ps.name = files[i];
        st = culpa_score_file(lex, files[i], &c->in.opt, &stats, &err);
    }
    if (show) fputc('\n', stderr);
    if (fflush(out.f) != 0 && !out.error) out.error = errno;
    if (st == CULPA_OK && out.error) st = CULPA_ERR_IO;
    if (c->output) {
        if (fclose(out.f) != 0 && !out.error) {
            out.error = errno;
            st = CULPA_ERR_IO;
        }
        if (atomic && st == CULPA_OK && rename(tmp, c->output) != 0) {
            out.error = errno;
            st = CULPA_ERR_IO;
        }
        if (atomic && st != CULPA_OK) unlink(tmp);
    }
    if (st != CULPA_OK) {
        if (out.error)
            fprintf(stderr, "culpa: cannot write %s: %s\n", c->output ? c->output : "output",
                    strerror(out.error));
        else
            fprintf(stderr, "culpa: %s\n", err.message);
        rc = st == CULPA_ERR_INPUT || st == CULPA_ERR_ARG ? EXIT_USAGE : EXIT_IO;
    }
    if (c->summary) {
        char text[4096];
        culpa_stats_format(&stats, text, sizeof text);
        fputs(text, stderr);
        fprintf(stderr, "peak memory      %.1f MB\n", (double)peak_memory() / 1e6);
    }
    culpa_lexicon_free(lex);
    return rc;
}

int cmd_score(int argc, char **argv)
{
    cli c = {0};
    culpa_options_init(&c.in.opt);
    c.progress = -1;
    const char **adds = calloc((size_t)argc + 1, sizeof *adds);
    if (!adds) return EXIT_IO;
    c.lexicon_add = adds;
    int rc = parse_score_args(&c, argc, argv);
    if (!rc) rc = run_score(&c, argc - optind, argv + optind);
    free(adds);
    return rc;
}
