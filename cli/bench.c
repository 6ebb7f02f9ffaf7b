/* culpa bench: how fast this machine scores reviews.  culpa corpus: the
 * synthetic dump the benchmark uses, written out. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char bench_usage[] =
    "usage: culpa bench [options] [FILE]\n"
    "\n"
    "Time every stage of scoring on one thread, then the whole engine on 1, 2, 4,\n"
    "... threads, and print MB/s and reviews/s.  FILE is a JSON Lines dump read\n"
    "into memory first; without it a Yelp-shaped dump is generated.\n"
    "\n"
    "  --size SIZE        generated dump size (default 32M; K, M, G suffixes)\n"
    "  --langs LIST       languages of the generated reviews (default en)\n"
    "  --seed N           generator seed (default 1)\n"
    "  -t, --threads N    the most threads to try (default: all cores)\n"
    "  --min-time S       each measurement runs at least S seconds (default 0.5)\n"
    "  --repeats N        the best of N measurements is kept (default 3)\n"
    "  --lexicon DIR      use the lexicon folder DIR\n"
    "  -h, --help         show this help\n";

static const char corpus_usage[] =
    "usage: culpa corpus [--size SIZE] [--langs LIST] [--seed N] [-o FILE]\n"
    "\n"
    "Write the benchmark's synthetic Yelp-shaped JSON Lines dump (default 32M,\n"
    "English, seed 1) to standard output or FILE.  The same options give the\n"
    "same bytes.\n";

typedef struct {
    culpa_corpus_options corpus;
    culpa_bench_options bench;
    const char *lexicon;
    const char *output;
    char sentences[PATH_MAX + 64];
} bench_args;

static int parse_bench_args(bench_args *a, int argc, char **argv, const char *usage)
{
    enum { O_SIZE = 256, O_LANGS, O_SEED, O_MIN, O_REPEATS, O_LEXICON };
    static const struct option longs[] = {
        {"size", required_argument, 0, O_SIZE},       {"langs", required_argument, 0, O_LANGS},
        {"seed", required_argument, 0, O_SEED},       {"threads", required_argument, 0, 't'},
        {"min-time", required_argument, 0, O_MIN},    {"repeats", required_argument, 0, O_REPEATS},
        {"lexicon", required_argument, 0, O_LEXICON}, {"output", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},                {0, 0, 0, 0}};
    a->corpus.seed = 1;
    a->corpus.bytes = 32000000;
    a->corpus.langs = "en";
#ifdef CULPA_SOURCE_SENTENCES
    const char *source = CULPA_SOURCE_SENTENCES;
#else
    const char *source = NULL;
#endif
    a->corpus.sentences = find_data_dir("CULPA_SENTENCES", "sentences", source,
                                        culpa_default_sentence_dir(), a->sentences,
                                        sizeof a->sentences);
    int ch;
    long n;
    char *end;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "t:o:h", longs, NULL)) != -1) {
        switch (ch) {
        case O_SIZE:
            if (!(a->corpus.bytes = parse_size(optarg)))
                return die_usage("--size takes a size such as 200M, not '%s'", optarg);
            break;
        case O_LANGS: a->corpus.langs = optarg; break;
        case O_SEED:
            errno = 0;
            a->corpus.seed = strtoull(optarg, &end, 10);
            if (*end || errno) return die_usage("--seed takes a number, not '%s'", optarg);
            break;
        case 't':
            if (!parse_long(optarg, 1, 1024, &n))
                return die_usage("--threads takes a number from 1 to 1024, not '%s'", optarg);
            a->bench.max_threads = (int)n;
            break;
        case O_MIN:
            a->bench.min_seconds = strtod(optarg, &end);
            if (*end || a->bench.min_seconds <= 0 || a->bench.min_seconds > 600)
                return die_usage("--min-time takes seconds, not '%s'", optarg);
            break;
        case O_REPEATS:
            if (!parse_long(optarg, 1, 100, &n)) return die_usage("--repeats takes 1 to 100, not '%s'", optarg);
            a->bench.repeats = (int)n;
            break;
        case O_LEXICON: a->lexicon = optarg; break;
        case 'o': a->output = optarg; break;
        case 'h': fputs(usage, stdout); exit(0);
        default: return die_usage("%s", "invalid option");
        }
    }
    return 0;
}

typedef struct {
    char *p;
    size_t len, cap;
} memory;

static int to_memory(void *user, const char *bytes, size_t len)
{
    memory *m = user;
    if (m->len + len > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1 << 20;
        while (cap < m->len + len) cap *= 2;
        char *p = realloc(m->p, cap);
        if (!p) return 1;
        m->p = p;
        m->cap = cap;
    }
    memcpy(m->p + m->len, bytes, len);
    m->len += len;
    return 0;
}

static int read_whole(const char *path, memory *m)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "culpa: %s: cannot open: %s\n", path, strerror(errno));
        return EXIT_IO;
    }
    char buf[1 << 16];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        if (to_memory(m, buf, got)) {
            fclose(f);
            fprintf(stderr, "culpa: out of memory\n");
            return EXIT_IO;
        }
    fclose(f);
    return 0;
}

static void print_table(const culpa_bench_row *rows, size_t n)
{
    printf("%-12s %7s %10s %12s %9s\n", "stage", "threads", "MB/s", "reviews/s", "scaling");
    double one = 0;
    for (size_t i = 0; i < n; i++) {
        const culpa_bench_row *r = &rows[i];
        int e2e = strcmp(r->stage, "end-to-end") == 0;
        if (e2e && r->threads == 1) one = r->mb_per_s;
        printf("%-12s %7d %10.1f %12.0f", r->stage, r->threads, r->mb_per_s, r->reviews_per_s);
        if (e2e && r->threads > 1 && one > 0)
            printf(" %8.1f%%", 100.0 * r->mb_per_s / one / r->threads);
        putchar('\n');
    }
}

int cmd_bench(int argc, char **argv)
{
    bench_args a = {0};
    int rc = parse_bench_args(&a, argc, argv, bench_usage);
    if (rc) return rc;
    memory data = {0};
    culpa_error err;
    const char *what;
    char desc[256];
    if (optind < argc) {
        if ((rc = read_whole(argv[optind], &data))) return rc;
        what = argv[optind];
    } else {
        if (culpa_corpus_generate(&a.corpus, to_memory, &data, &err) != CULPA_OK) {
            fprintf(stderr, "culpa: corpus: %s\n", err.message);
            free(data.p);
            return EXIT_IO;
        }
        snprintf(desc, sizeof desc, "generated (languages %s, seed %llu)", a.corpus.langs,
                 (unsigned long long)a.corpus.seed);
        what = desc;
    }
    culpa_lexicon *lex = NULL;
    if ((rc = load_lexicon(a.lexicon, NULL, NULL, 0, &lex))) {
        free(data.p);
        return rc;
    }
    printf("culpa %s benchmark: %.1f MB of JSON Lines, %s\n", culpa_version_string(),
           (double)data.len / 1e6, what);
    fflush(stdout);
    culpa_bench_row rows[32];
    size_t n = 0;
    if (culpa_bench(lex, data.p, data.len, &a.bench, rows, 32, &n, &err) != CULPA_OK) {
        fprintf(stderr, "culpa: bench: %s\n", err.message);
        rc = EXIT_IO;
    } else {
        print_table(rows, n);
        printf("peak memory: %.1f MB (the dump itself: %.1f MB)\n", (double)peak_memory() / 1e6,
               (double)data.len / 1e6);
    }
    culpa_lexicon_free(lex);
    free(data.p);
    return rc;
}

int cmd_corpus(int argc, char **argv)
{
    bench_args a = {0};
    int rc = parse_bench_args(&a, argc, argv, corpus_usage);
    if (rc) return rc;
    sink out = {stdout, 0};
    if (a.output && !(out.f = fopen(a.output, "wb"))) {
        fprintf(stderr, "culpa: %s: cannot create: %s\n", a.output, strerror(errno));
        return EXIT_IO;
    }
    culpa_error err;
    culpa_status st = culpa_corpus_generate(&a.corpus, write_to_sink, &out, &err);
    if (fflush(out.f) != 0 && !out.error) out.error = errno;
    if (a.output && fclose(out.f) != 0 && !out.error) out.error = errno;
    if (out.error) {
        fprintf(stderr, "culpa: cannot write %s: %s\n", a.output ? a.output : "output",
                strerror(out.error));
        return EXIT_IO;
    }
    if (st != CULPA_OK) {
        fprintf(stderr, "culpa: corpus: %s\n", err.message);
        return st == CULPA_ERR_ARG ? EXIT_USAGE : EXIT_IO;
    }
    return 0;
}
