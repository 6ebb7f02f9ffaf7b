/* Fuzz the record readers and everything behind them: the first byte picks
 * the input format, the rest is the file.  Every record must get exactly
 * one row, whatever the bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "culpa.h"
#include "fuzz_lexicon.h"

static int count_rows(void *user, const char *bytes, size_t len)
{
    size_t *rows = user;
    for (size_t i = 0; i < len; i++) *rows += bytes[i] == '\n';
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const culpa_input_format formats[] = {CULPA_INPUT_JSONL, CULPA_INPUT_TSV, CULPA_INPUT_CSV,
                                                 CULPA_INPUT_LINES, CULPA_INPUT_AUTO};
    culpa_options opt;
    culpa_options_init(&opt);
    /* the first byte: format (5 ways), header, output format, explain */
    opt.input_format = formats[data[0] % 5];
    opt.no_header = (data[0] >> 3) & 1;
    opt.output_format = (culpa_output_format)((data[0] >> 4) % 3);
    opt.explain = (data[0] >> 6) & 1;
    opt.header = 0;
    opt.threads = 1;
    size_t rows = 0;
    opt.write = count_rows;
    opt.write_user = &rows;
    culpa_stats st = {0};
    culpa_status s = culpa_score_buffer(fuzz_lexicon(), (const char *)data + 1, size - 1, &opt, &st, NULL);
    /* one row per record (TSV/CSV output quotes line breaks away, JSONL escapes them) */
    if (s == CULPA_OK && opt.output_format != CULPA_OUTPUT_CSV && rows != st.records) abort();
    return 0;
}
