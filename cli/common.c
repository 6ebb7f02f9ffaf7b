/* The culpa program: helpers its commands share. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int die_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "culpa: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'culpa --help'.\n");
    return EXIT_USAGE;
}

int parse_enum(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno || v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

int parse_top(const char *s, size_t *top)
{
    long n;
    if (!parse_long(s, 1, 1000, &n)) return die_usage("--top takes 1 to 1000, not '%s'", s);
    *top = (size_t)n;
    return 0;
}

uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v <= 0) return 0;
    double unit = 1;
    if (*end == 'K' || *end == 'k') unit = 1e3;
    else if (*end == 'M' || *end == 'm') unit = 1e6;
    else if (*end == 'G' || *end == 'g') unit = 1e9;
    if (unit > 1) end++;
    if (*end == 'B') end++;
    return *end || v * unit > 1e15 ? 0 : (uint64_t)(v * unit);
}

static int dir_exists(const char *p)
{
    struct stat sb;
    return p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *find_data_dir(const char *env_name, const char *sub, const char *source_dir,
                          const char *fallback, char *buf, size_t cap)
{
    const char *env = getenv(env_name);
    if (env && *env) return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        int k = snprintf(buf, cap, "%s/../share/culpa/%s", dirname(exe), sub);
        if (k > 0 && (size_t)k < cap && dir_exists(buf)) return buf;
    }
    if (source_dir && dir_exists(source_dir)) return source_dir;
    return fallback;
}

int load_lexicon(const char *dir, const char *langs, const char *const *add, int nadd,
                 culpa_lexicon **lex)
{
    char buf[PATH_MAX + 64];
#ifdef CULPA_SOURCE_LEXICONS
    const char *source = CULPA_SOURCE_LEXICONS;
#else
    const char *source = NULL;
#endif
    if (!dir)
        dir = find_data_dir("CULPA_LEXICONS", "lexicons", source, culpa_default_lexicon_dir(), buf,
                            sizeof buf);
    culpa_error err;
    culpa_builder *b = culpa_builder_new();
    if (!b) {
        fprintf(stderr, "culpa: out of memory\n");
        return EXIT_LEXICON;
    }
    culpa_status st = culpa_builder_add_dir(b, dir, langs, &err);
    for (int i = 0; i < nadd && st == CULPA_OK; i++) st = culpa_builder_add_dir(b, add[i], NULL, &err);
    if (st == CULPA_OK) st = culpa_builder_build(b, lex, &err);
    culpa_builder_free(b);
    if (st != CULPA_OK) {
        fprintf(stderr, "culpa: lexicon: %s\n", err.message);
        return EXIT_LEXICON;
    }
    return 0;
}

int write_to_sink(void *user, const char *bytes, size_t len)
{
    sink *s = user;
    if (fwrite(bytes, 1, len, s->f) != len) {
        s->error = errno ? errno : EIO;
        return 1;
    }
    return 0;
}

int parse_input_option(int ch, const char *arg, input_args *in)
{
    static const char *const in_names[] = {"auto", "jsonl", "tsv", "csv", "lines"};
    int v;
    long n;
    switch (ch) {
    case 'i':
        if ((v = parse_enum(arg, in_names, 5)) < 0)
            return die_usage("unknown input format '%s' (jsonl, tsv, csv, lines)", arg);
        in->opt.input_format = (culpa_input_format)v;
        return 0;
    case 't':
        if (!parse_long(arg, 1, 1024, &n)) return die_usage("--threads takes 1 to 1024, not '%s'", arg);
        in->opt.threads = (int)n;
        return 0;
    case IN_TEXT: in->opt.text_field = arg; return 0;
    case IN_NOHEADER: in->opt.no_header = 1; return 0;
    case IN_LANG: in->opt.lang = arg; return 0;
    case IN_LANGS: in->langs = arg; return 0;
    case IN_LEXICON: in->lexicon = arg; return 0;
    default: return -1;
    }
}

int next_option(int argc, char **argv, const char *shorts, const struct option *longs,
                input_args *in)
{
    int ch;
    while ((ch = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        int rc = parse_input_option(ch, optarg, in);
        if (rc < 0) return ch; /* the command's own */
        if (rc) exit(rc);
    }
    return -1;
}

int report_status(culpa_status st, const culpa_error *err, const sink *out)
{
    if (fflush(stdout) != 0 || out->error) {
        fprintf(stderr, "culpa: cannot write the output: %s\n", strerror(out->error ? out->error : errno));
        return EXIT_IO;
    }
    if (st != CULPA_OK) {
        fprintf(stderr, "culpa: %s\n", err->message);
        return st == CULPA_ERR_ARG || st == CULPA_ERR_INPUT ? EXIT_USAGE : EXIT_IO;
    }
    return 0;
}

static const char *partial_output_path;

static void on_sigbus(int sig)
{
    (void)sig;
    static const char msg[] = "culpa: the input file changed while it was being read "
                              "(truncated or replaced); no output was kept\n";
    if (partial_output_path) unlink(partial_output_path);
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(EXIT_IO);
}

void guard_input_changes(const char *partial_output)
{
    partial_output_path = partial_output;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigbus;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

uint64_t peak_memory(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (uint64_t)ru.ru_maxrss * 1024 : 0;
}
