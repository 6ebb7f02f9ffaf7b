/* The culpa program: what its commands share. */
#ifndef CULPA_CLI_H
#define CULPA_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "culpa.h"

enum { EXIT_IO = 1, EXIT_USAGE = 2, EXIT_LEXICON = 3 };

/* Print "culpa: " + the message (fmt with one %s) and a hint; returns
 * EXIT_USAGE. */
int die_usage(const char *fmt, const char *arg);

/* The index of s in names, or -1. */
int parse_enum(const char *s, const char *const *names, int n);

/* A whole decimal number from lo to hi into *out: 1, or 0 when s is not one
 * (and *out is left as it was). */
int parse_long(const char *s, long lo, long hi, long *out);

/* --top N of report and rollup (1 to 1000) into *top.  @return 0, or the
 * usage error's exit status. */
int parse_top(const char *s, size_t *top);

/* "200M", "2G", "512K" or a byte count; 0 when it is not a size. */
uint64_t parse_size(const char *s);

/* A data folder shipped with culpa: $ENV_NAME, then `sub` beside an
 * installed program (../share/culpa/SUB), then the source tree's folder the
 * program was built from, then the library's default.  buf holds the path
 * when one is built there. */
const char *find_data_dir(const char *env_name, const char *sub, const char *source_dir,
                          const char *fallback, char *buf, size_t cap);

/* Load the lexicon: `dir` (NULL: the shipped one) with languages `langs`,
 * then each of the `nadd` folders on top.  Prints the error and returns
 * EXIT_LEXICON on failure, 0 on success. */
int load_lexicon(const char *dir, const char *langs, const char *const *add, int nadd,
                 culpa_lexicon **lex);

/* A culpa_write_fn over a stdio stream; remembers the first errno. */
typedef struct {
    void *f; /* FILE * */
    int error;
} sink;
int write_to_sink(void *user, const char *bytes, size_t len);

/* The options that say how to read the input, shared by score, eval, report
 * and rollup:
 * -i, --text-field, --no-header, --lang, --langs, --lexicon, -t. */
enum { IN_TEXT = 200, IN_NOHEADER, IN_LANG, IN_LANGS, IN_LEXICON };
#define INPUT_LONG_OPTIONS                                                                         \
    {"input-format", required_argument, 0, 'i'}, {"text-field", required_argument, 0, IN_TEXT},  \
        {"no-header", no_argument, 0, IN_NOHEADER}, {"lang", required_argument, 0, IN_LANG},     \
        {"langs", required_argument, 0, IN_LANGS}, {"lexicon", required_argument, 0, IN_LEXICON}, \
        {"threads", required_argument, 0, 't'}
#define INPUT_SHORT_OPTIONS "i:t:"

typedef struct {
    culpa_options opt;
    const char *langs, *lexicon;
} input_args;

/* Apply option `ch` (argument `arg`) when it is an input option.
 * @return 0 when applied, -1 when `ch` is not one, or a usage exit status. */
int parse_input_option(int ch, const char *arg, input_args *in);

struct option;

/* getopt_long over a command that takes the input options: those are
 * applied to `in` as they come; returns the next other option (its
 * argument in optarg), or -1 at the end.  Exits with the usage status
 * after a bad input option (its message printed). */
int next_option(int argc, char **argv, const char *shorts, const struct option *longs,
                input_args *in);

/* The exit status of a command that wrote a report to standard output
 * through `out`: a write error first, then the call's status `st` (its
 * message printed). */
int report_status(culpa_status st, const culpa_error *err, const sink *out);

double monotonic_seconds(void);

/* Turn the SIGBUS a mapped input raises when it shrinks under us into a
 * message and exit status 1, removing `partial_output` (may be NULL) first.
 * The path is kept, not copied: it must outlive the run. */
void guard_input_changes(const char *partial_output);

/* Peak resident memory of this process, in bytes. */
uint64_t peak_memory(void);

int cmd_score(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_corpus(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_rollup(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
