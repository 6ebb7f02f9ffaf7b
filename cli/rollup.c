/* culpa rollup: a dump scored and aggregated per business (or any field). */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char rollup_usage[] =
    "usage: culpa rollup --by FIELD [options] FILE\n"
    "\n"
    "Score every review of FILE and aggregate per value of FIELD (business_id, say):\n"
    "reviews, mean sentiment, the share of each verdict, mean blame, and the terms\n"
    "that put the most blame on the business; sorted by mean blame_business.\n"
    "\n"
    "  --by FIELD             JSON key or column to group by (required)\n"
    "  --top N                blamed terms listed per group (default 5)\n"
    "  --min-reviews N        leave out groups with fewer reviews (default 1)\n"
    "  -f, --format FMT       tsv (default), jsonl or csv\n"
    "  -i, --input-format FMT, --text-field NAME, --no-header, --lang CODE,\n"
    "  --langs LIST, --lexicon DIR, -t N   as for culpa score\n"
    "  -h, --help             show this help\n";

int cmd_rollup(int argc, char **argv)
{
    enum { O_BY = 256, O_TOP, O_MIN };
    static const struct option longs[] = {
        {"by", required_argument, 0, O_BY},           {"top", required_argument, 0, O_TOP},
        {"min-reviews", required_argument, 0, O_MIN}, {"format", required_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'},                INPUT_LONG_OPTIONS,
        {0, 0, 0, 0}};
    static const char *const out_names[] = {"jsonl", "tsv", "csv"};
    input_args in = {.langs = NULL};
    culpa_options_init(&in.opt);
    culpa_rollup_options ro = {NULL, 5, 1, CULPA_OUTPUT_TSV};
    int ch, v, rc;
    long n;
    optind = 1;
    while ((ch = next_option(argc, argv, "f:h" INPUT_SHORT_OPTIONS, longs, &in)) != -1) {
        switch (ch) {
        case O_BY: ro.by = optarg; break;
        case O_TOP:
            if ((rc = parse_top(optarg, &ro.top_terms))) return rc;
            break;
        case O_MIN:
            if (!parse_long(optarg, 1, LONG_MAX, &n)) return die_usage("--min-reviews takes a count, not '%s'", optarg);
            ro.min_reviews = (uint64_t)n;
            break;
        case 'f':
            if ((v = parse_enum(optarg, out_names, 3)) < 0)
                return die_usage("unknown output format '%s' (jsonl, tsv, csv)", optarg);
            ro.format = (culpa_output_format)v;
            break;
        case 'h': fputs(rollup_usage, stdout); exit(0);
        default: return die_usage("%s", "invalid option");
        }
    }
    if (!ro.by) return die_usage("%s", "rollup needs --by FIELD");
    if (optind != argc - 1) return die_usage("%s", "rollup takes one FILE");
    culpa_lexicon *lex = NULL;
    if ((rc = load_lexicon(in.lexicon, in.langs, NULL, 0, &lex))) return rc;
    sink out = {stdout, 0};
    culpa_error err;
    culpa_status st = culpa_rollup(lex, argv[optind], &in.opt, &ro, write_to_sink, &out, &err);
    culpa_lexicon_free(lex);
    return report_status(st, &err, &out);
}
