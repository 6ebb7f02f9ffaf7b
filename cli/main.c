/* culpa — the command-line program: argument parsing over the library.
 *
 *   culpa score  [options] [FILE...|-]   score every review of a dump
 *   culpa bench  [options] [FILE]        how fast this machine scores
 *   culpa corpus [options]               write the benchmark's synthetic dump
 *   culpa eval   [options] FILE          accuracy on a labeled file
 *   culpa train  [options] FILE          fit a language's verdict model
 *   culpa rollup --by FIELD FILE         aggregate per business
 *   culpa report FILE -o PAGE.html       the dump as one HTML page
 *
 * Exit codes: 0 success; 1 an input or output error; 2 bad usage;
 * 3 a lexicon that cannot be loaded. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: culpa score [options] [FILE...|-]   score every review of a dump\n"
    "       culpa bench [options] [FILE]        how fast this machine scores reviews\n"
    "       culpa corpus [options]              write the benchmark's synthetic dump\n"
    "       culpa eval [options] FILE           accuracy on a labeled file\n"
    "       culpa train [options] FILE          fit a language's verdict model to a labeled file\n"
    "       culpa rollup --by FIELD FILE        which businesses get blamed, and for what\n"
    "       culpa report FILE -o PAGE.html      the dump's blame and sentiment as one page\n"
    "       culpa --version | --help\n"
    "\n"
    "'culpa COMMAND --help' describes a command's options.\n"
    "Exit status: 0 success, 1 input/output error, 2 usage error, 3 lexicon error.\n";

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe becomes a write error we report */
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("culpa %s\n", culpa_version_string());
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "score")) return cmd_score(argc - 1, argv + 1);
    if (!strcmp(cmd, "bench")) return cmd_bench(argc - 1, argv + 1);
    if (!strcmp(cmd, "corpus")) return cmd_corpus(argc - 1, argv + 1);
    if (!strcmp(cmd, "eval")) return cmd_eval(argc - 1, argv + 1);
    if (!strcmp(cmd, "train")) return cmd_train(argc - 1, argv + 1);
    if (!strcmp(cmd, "rollup")) return cmd_rollup(argc - 1, argv + 1);
    if (!strcmp(cmd, "report")) return cmd_report(argc - 1, argv + 1);
    return die_usage("unknown command '%s'", cmd);
}
