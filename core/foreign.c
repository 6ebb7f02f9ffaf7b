/* The interface for other languages: opaque errors, JSON results, options
 * set by name (see culpa.h).  It adds no behaviour of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "culpa.h"
#include "input.h"
#include "output.h"

size_t culpa_error_size(void) { return sizeof(culpa_error); }

const char *culpa_error_message(const culpa_error *err)
{
    return err && err->status != CULPA_OK ? err->message : "";
}

size_t culpa_score_json(culpa_scorer *s, const char *text, size_t len, char *buf, size_t cap)
{
    culpa_result r;
    if (culpa_score(s, text, len, &r) != CULPA_OK) return 0;
    size_t nm = 0;
    const culpa_match *m = culpa_scorer_explain(s, &nm);
    record rec = {0};
    row_fields rw = {&rec, 0, &r, m, nm, m != NULL};
    out_buf o = {0};
    if (out_row(&o, CULPA_OUTPUT_JSONL, &rw)) {
        out_free(&o);
        return 0;
    }
    /* the row without its id and newline: {"id":0,"lang":... -> {"lang":... */
    const char *body = o.p + strlen("{\"id\":0,");
    size_t n = o.len - strlen("{\"id\":0,") - 1 + 1; /* less the newline, plus the brace */
    if (cap) {
        size_t c = n < cap - 1 ? n : cap - 1;
        if (c) {
            buf[0] = '{';
            memcpy(buf + 1, body, c - 1);
        }
        buf[c] = '\0';
    }
    out_free(&o);
    return n;
}

/* culpa_options with the strings it owns */
typedef struct {
    culpa_options opt; /* first: a culpa_options * is a pointer to this */
    char *text_field, *id_field, *lang;
} owned_options;

culpa_options *culpa_options_new(void)
{
    owned_options *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    culpa_options_init(&o->opt);
    return &o->opt;
}

void culpa_options_free(culpa_options *opt)
{
    owned_options *o = (owned_options *)opt;
    if (!o) return;
    free(o->text_field);
    free(o->id_field);
    free(o->lang);
    free(o);
}

static int name_index(const char *value, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(value, names[i])) return i;
    return -1;
}

static culpa_status set_string(char **slot, const char **field, const char *value)
{
    char *copy = strdup(value);
    if (!copy) return CULPA_ERR_NOMEM;
    free(*slot);
    *slot = copy;
    *field = copy;
    return CULPA_OK;
}

static int parse_flag(const char *value)
{
    return !strcmp(value, "1") || !strcmp(value, "true") ? 1 : !strcmp(value, "0") || !strcmp(value, "false") ? 0 : -1;
}

culpa_status culpa_options_set(culpa_options *opt, const char *name, const char *value)
{
    static const char *const inputs[] = {"auto", "jsonl", "tsv", "csv", "lines"};
    static const char *const outputs[] = {"jsonl", "tsv", "csv"};
    owned_options *o = (owned_options *)opt;
    if (!o || !name || !value) return CULPA_ERR_ARG;
    int v;
    if (!strcmp(name, "input_format")) {
        if ((v = name_index(value, inputs, 5)) < 0) return CULPA_ERR_ARG;
        opt->input_format = (culpa_input_format)v;
    } else if (!strcmp(name, "output_format")) {
        if ((v = name_index(value, outputs, 3)) < 0) return CULPA_ERR_ARG;
        opt->output_format = (culpa_output_format)v;
    } else if (!strcmp(name, "text_field")) {
        return set_string(&o->text_field, &opt->text_field, value);
    } else if (!strcmp(name, "id_field")) {
        return set_string(&o->id_field, &opt->id_field, value);
    } else if (!strcmp(name, "lang")) {
        return set_string(&o->lang, &opt->lang, value);
    } else if (!strcmp(name, "no_header") || !strcmp(name, "header") || !strcmp(name, "explain")) {
        if ((v = parse_flag(value)) < 0) return CULPA_ERR_ARG;
        if (name[0] == 'n') opt->no_header = v;
        else if (name[0] == 'h') opt->header = v;
        else opt->explain = v;
    } else if (!strcmp(name, "threads")) {
        char *end;
        long n = strtol(value, &end, 10);
        if (*end || n < 0 || n > 1024) return CULPA_ERR_ARG;
        opt->threads = (int)n;
    } else if (!strcmp(name, "shard")) {
        unsigned k, n;
        char tail;
        if (sscanf(value, "%u/%u%c", &k, &n, &tail) != 2 || n < 1 || k < 1 || k > n) return CULPA_ERR_ARG;
        opt->shard_index = k - 1;
        opt->shard_count = n;
    } else {
        return CULPA_ERR_ARG;
    }
    return CULPA_OK;
}

void culpa_options_set_write(culpa_options *opt, culpa_write_fn write, void *user)
{
    if (!opt) return;
    opt->write = write;
    opt->write_user = user;
}
