/* culpa eval: accuracy on a labeled file. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char eval_usage[] =
    "usage: culpa eval --label-field NAME --label-kind KIND [options] FILE\n"
    "\n"
    "Score every record of a labeled file and compare with its labels: Pearson and\n"
    "Spearman correlation for valence; accuracy, per-class precision, recall and F1,\n"
    "macro-F1 and a confusion matrix for classes.\n"
    "\n"
    "  --label-field NAME     JSON key or column (name or 1-based number) of the label\n"
    "  --label-kind KIND      valence (a number, e.g. -4..4), sentiment (classes named\n"
    "                         by --positive/--negative/--neutral), complaint (1 or 0;\n"
    "                         predicted: verdict business), verdict (business, customer,\n"
    "                         mixed, none)\n"
    "  --positive V, --negative V, --neutral V\n"
    "                         sentiment label values, comma-separated for several\n"
    "                         (--positive 4,5); without --neutral: two classes,\n"
    "                         records labeled otherwise are left out, and a sentiment\n"
    "                         of 0 has no sign: it counts wrong (shown as unscored)\n"
    "  --errors N             list the N worst-scored records with the terms that\n"
    "                         decided them\n"
    "  -i, --input-format FMT, --text-field NAME, --no-header, --lang CODE,\n"
    "  --langs LIST, --lexicon DIR   as for culpa score\n"
    "  -h, --help             show this help\n";

int cmd_eval(int argc, char **argv)
{
    enum { O_LABEL = 256, O_KIND, O_POS, O_NEG, O_NEU, O_ERRORS };
    static const struct option longs[] = {
        {"label-field", required_argument, 0, O_LABEL}, {"label-kind", required_argument, 0, O_KIND},
        {"positive", required_argument, 0, O_POS},      {"negative", required_argument, 0, O_NEG},
        {"neutral", required_argument, 0, O_NEU},       {"errors", required_argument, 0, O_ERRORS},
        {"help", no_argument, 0, 'h'},                  INPUT_LONG_OPTIONS,
        {0, 0, 0, 0}};
    static const char *const kinds[] = {"valence", "sentiment", "complaint", "verdict"};
    input_args in = {.langs = NULL};
    culpa_options_init(&in.opt);
    culpa_eval_options eo = {0};
    int kind = -1, ch, rc;
    long n;
    optind = 1;
    while ((ch = next_option(argc, argv, "h" INPUT_SHORT_OPTIONS, longs, &in)) != -1) {
        switch (ch) {
        case O_LABEL: eo.label_field = optarg; break;
        case O_KIND:
            if ((kind = parse_enum(optarg, kinds, 4)) < 0)
                return die_usage("unknown label kind '%s' (valence, sentiment, complaint, verdict)", optarg);
            break;
        case O_POS: eo.positive = optarg; break;
        case O_NEG: eo.negative = optarg; break;
        case O_NEU: eo.neutral = optarg; break;
        case O_ERRORS:
            if (!parse_long(optarg, 0, 100000, &n)) return die_usage("--errors takes a count, not '%s'", optarg);
            eo.errors = (size_t)n;
            break;
        case 'h': fputs(eval_usage, stdout); exit(0);
        default: return die_usage("%s", "invalid option");
        }
    }
    if (!eo.label_field || kind < 0) return die_usage("%s", "eval needs --label-field and --label-kind");
    if (optind != argc - 1) return die_usage("%s", "eval takes one FILE");
    eo.kind = (culpa_label_kind)kind;
    culpa_lexicon *lex = NULL;
    if ((rc = load_lexicon(in.lexicon, in.langs, NULL, 0, &lex))) return rc;
    sink out = {stdout, 0};
    culpa_eval_figures fig;
    culpa_error err;
    culpa_status st = culpa_eval(lex, argv[optind], &in.opt, &eo, &fig, write_to_sink, &out, &err);
    culpa_lexicon_free(lex);
    return report_status(st, &err, &out);
}
