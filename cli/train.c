/* culpa train: fit a language's verdict model to a labeled file. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char train_usage[] =
    "usage: culpa train --label-field NAME --lang CODE [options] FILE\n"
    "\n"
    "Fit the verdict model of one language to the records of a file labeled with\n"
    "verdicts (business, customer, mixed, none) and write it to standard output,\n"
    "as the verdict.model of that language's lexicon folder.  The same lexicon and\n"
    "file always give the same model.  Standard error gets the verdict macro-F1\n"
    "on the training records before and after.\n"
    "\n"
    "  --label-field NAME     JSON key or column (name or 1-based number) of the label\n"
    "  --min-terms N          fit a long-text model (verdict_long.model) to the records\n"
    "                         of N or more matched terms: it settles the texts of that\n"
    "                         length that the thresholds read as mixed or customer\n"
    "  --lambda X             L2 regularization (default 0.001)\n"
    "  --word-lambda X        L2 regularization of the words' weights (default 0.000003)\n"
    "  --no-words             a short-text model of the features alone, without words\n"
    "  --iterations N         gradient steps (default 3000)\n"
    "  -i, --input-format FMT, --text-field NAME, --no-header, --lang CODE,\n"
    "  --langs LIST, --lexicon DIR   as for culpa score\n"
    "  -h, --help             show this help\n";

int cmd_train(int argc, char **argv)
{
    enum { O_LABEL = 256, O_LAMBDA, O_WORD_LAMBDA, O_NO_WORDS, O_ITERATIONS, O_MIN_TERMS };
    static const struct option longs[] = {
        {"label-field", required_argument, 0, O_LABEL}, {"lambda", required_argument, 0, O_LAMBDA},
        {"word-lambda", required_argument, 0, O_WORD_LAMBDA}, {"no-words", no_argument, 0, O_NO_WORDS},
        {"iterations", required_argument, 0, O_ITERATIONS},
        {"min-terms", required_argument, 0, O_MIN_TERMS}, {"help", no_argument, 0, 'h'},
        INPUT_LONG_OPTIONS, {0, 0, 0, 0}};
    input_args in = {.langs = NULL};
    culpa_options_init(&in.opt);
    culpa_train_options to = {0};
    int ch, rc;
    long n;
    optind = 1;
    while ((ch = next_option(argc, argv, "h" INPUT_SHORT_OPTIONS, longs, &in)) != -1) {
        switch (ch) {
        case O_LABEL: to.label_field = optarg; break;
        case O_LAMBDA:
        case O_WORD_LAMBDA: {
            char *end;
            double *lambda = ch == O_LAMBDA ? &to.lambda : &to.word_lambda;
            *lambda = strtod(optarg, &end);
            if (*end || !(*lambda > 0 && *lambda < 100))
                return die_usage(ch == O_LAMBDA ? "--lambda takes a number above 0, not '%s'"
                                                : "--word-lambda takes a number above 0, not '%s'",
                                 optarg);
            break;
        }
        case O_NO_WORDS: to.no_words = 1; break;
        case O_ITERATIONS:
            if (!parse_long(optarg, 1, 1000000, &n)) return die_usage("--iterations takes a count, not '%s'", optarg);
            to.iterations = (int)n;
            break;
        case O_MIN_TERMS:
            if (!parse_long(optarg, 1, 100000, &n)) return die_usage("--min-terms takes a count from 1, not '%s'", optarg);
            to.min_terms = (unsigned)n;
            break;
        case 'h': fputs(train_usage, stdout); exit(0);
        default: return die_usage("%s", "invalid option");
        }
    }
    if (!to.label_field || !in.opt.lang) return die_usage("%s", "train needs --label-field and --lang");
    if (optind != argc - 1) return die_usage("%s", "train takes one FILE");
    culpa_lexicon *lex = NULL;
    if ((rc = load_lexicon(in.lexicon, in.langs, NULL, 0, &lex))) return rc;
    sink out = {stdout, 0};
    culpa_train_figures fig;
    culpa_error err;
    culpa_status st = culpa_train_verdict(lex, argv[optind], &in.opt, &to, &fig, write_to_sink, &out, &err);
    culpa_lexicon_free(lex);
    if (st == CULPA_OK)
        fprintf(stderr, "%s: %llu records, %llu with a verdict label; macro-F1 on them %.3f before, %.3f with the model\n",
                argv[optind], (unsigned long long)fig.records, (unsigned long long)fig.labeled,
                fig.macro_f1_before, fig.macro_f1_after);
    return report_status(st, &err, &out);
}
