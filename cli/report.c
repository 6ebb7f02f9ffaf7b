/* culpa report: a dump's blame and sentiment as one HTML page. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char report_usage[] =
    "usage: culpa report [options] FILE -o REPORT.html\n"
    "\n"
    "Score every review of FILE and write one self-contained HTML page (inline SVG,\n"
    "no script): verdicts by language, sentiment and blame distributions, the most\n"
    "blamed businesses and what for, the most frequent blame terms, throughput.\n"
    "\n"
    "  -o, --output FILE      the page (default: standard output)\n"
    "  --by FIELD             the field that names the business (default business_id)\n"
    "  --top N                businesses and terms listed (default 15)\n"
    "  -i, --input-format FMT, --text-field NAME, --no-header, --lang CODE,\n"
    "  --langs LIST, --lexicon DIR, -t N   as for culpa score\n"
    "  -h, --help             show this help\n";

int cmd_report(int argc, char **argv)
{
    enum { O_BY = 256, O_TOP };
    static const struct option longs[] = {
        {"by", required_argument, 0, O_BY}, {"top", required_argument, 0, O_TOP},
        {"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'},
        INPUT_LONG_OPTIONS, {0, 0, 0, 0}};
    input_args in = {.langs = NULL};
    culpa_options_init(&in.opt);
    culpa_report_options ro = {NULL, 15};
    const char *output = NULL;
    int ch, rc;
    optind = 1;
    while ((ch = next_option(argc, argv, "o:h" INPUT_SHORT_OPTIONS, longs, &in)) != -1) {
        switch (ch) {
        case O_BY: ro.by = optarg; break;
        case O_TOP:
            if ((rc = parse_top(optarg, &ro.top))) return rc;
            break;
        case 'o': output = optarg; break;
        case 'h': fputs(report_usage, stdout); exit(0);
        default: return die_usage("%s", "invalid option");
        }
    }
    if (optind != argc - 1) return die_usage("%s", "report takes one FILE");
    culpa_lexicon *lex = NULL;
    if ((rc = load_lexicon(in.lexicon, in.langs, NULL, 0, &lex))) return rc;
    sink out = {stdout, 0};
    if (output && !(out.f = fopen(output, "wb"))) {
        fprintf(stderr, "culpa: %s: cannot create: %s\n", output, strerror(errno));
        culpa_lexicon_free(lex);
        return EXIT_IO;
    }
    culpa_error err;
    culpa_status st = culpa_report(lex, argv[optind], &in.opt, &ro, write_to_sink, &out, &err);
    culpa_lexicon_free(lex);
    if (output && fclose(out.f) != 0 && !out.error) out.error = errno;
    return report_status(st, &err, &out);
}
