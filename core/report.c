/* Report: one self-contained HTML page (inline SVG, no script, no external
 * asset) that shows a dump's blame and sentiment at a glance. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "culpa.h"
#include "error.h"
#include "grow.h"
#include "output.h"
#include "rollup.h"

#define BINS 20
#define MAX_LANGS 8

static const char *const verdict_names[4] = {"none", "business", "customer", "mixed"};
static const char *const verdict_colors[4] = {"#9aa5b1", "#d64545", "#3f83c4", "#9b59b6"};

typedef struct {
    rollup groups;
    char langs[MAX_LANGS][4];
    uint64_t per_lang[MAX_LANGS][4]; /* verdict counts */
    int nlangs;
    uint64_t sentiment[BINS], blame[BINS];
    uint64_t lang_sentiment[MAX_LANGS][BINS], lang_blame[MAX_LANGS][BINS];
    double lang_sentiment_sum[MAX_LANGS], lang_blame_sum[MAX_LANGS];
    uint64_t verdict_sentiment[4][BINS];
    uint64_t records, errors;
    int failed;
} report;

static int bin(double v) /* -1..1 into BINS bins */
{
    int b = (int)((v + 1) / 2 * BINS);
    return b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
}

static int add_record(void *user, const culpa_row *row)
{
    report *rp = user;
    rp->records++;
    if (row->error) {
        rp->errors++;
        return 0;
    }
    const culpa_result *r = row->result;
    int l = 0;
    while (l < rp->nlangs && strcmp(rp->langs[l], r->lang)) l++;
    if (l == rp->nlangs && rp->nlangs < MAX_LANGS) memcpy(rp->langs[rp->nlangs++], r->lang, 4);
    rp->sentiment[bin(r->sentiment)]++;
    rp->blame[bin(r->blame)]++;
    rp->verdict_sentiment[r->verdict][bin(r->sentiment)]++;
    if (l < MAX_LANGS) {
        rp->per_lang[l][r->verdict]++;
        rp->lang_sentiment[l][bin(r->sentiment)]++;
        rp->lang_blame[l][bin(r->blame)]++;
        rp->lang_sentiment_sum[l] += r->sentiment;
        rp->lang_blame_sum[l] += r->blame;
    }
    if (rollup_add(&rp->groups, row)) {
        rp->failed = 1;
        return 1;
    }
    return 0;
}

/* ---- writing ------------------------------------------------------------- */

typedef struct {
    out_buf o;
    int failed;
} page;

static void say(page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(page *p, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || out_bytes(&p->o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1)) p->failed = 1;
}

/* Text escaped for HTML. */
static void text(page *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *e = s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : s[i] == '&' ? "&amp;"
                        : s[i] == '"' ? "&quot;" : NULL;
        if (e ? out_bytes(&p->o, e, strlen(e)) : out_bytes(&p->o, s + i, 1)) p->failed = 1;
    }
}

static int is_han_at(const char *s, size_t n, size_t i)
{
    /* the lead byte of U+3400..U+9FFF is E3..E9 */
    return i < n && (unsigned char)s[i] >= 0xE3 && (unsigned char)s[i] <= 0xE9;
}

/* A term as people write it: lexicon terms hold a space between tokens,
 * which Chinese does not write between characters. */
static void term_text(page *p, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ' || i < 3 || !is_han_at(s, n, i - 3) || !is_han_at(s, n, i + 1)) continue;
        text(p, s + start, i - start);
        start = i + 1;
    }
    text(p, s + start, n - start);
}

/* A histogram of BINS bars over -1..1, w by h pixels. */
static void histogram(page *p, const char *title, const uint64_t *bins, const char *color, int w, int h)
{
    uint64_t max = 1;
    for (int b = 0; b < BINS; b++)
        if (bins[b] > max) max = bins[b];
    const int bw = w / BINS;
    say(p, "<figure><figcaption>%s</figcaption><svg width=\"%d\" height=\"%d\" role=\"img\">", title, w,
        h + 20);
    for (int b = 0; b < BINS; b++) {
        int bh = (int)((double)bins[b] / (double)max * h);
        say(p, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%.1f..%.1f: %llu</title></rect>",
            b * bw + 1, h - bh, bw - 2, bh, color, -1 + 0.1 * b, -0.9 + 0.1 * b, (unsigned long long)bins[b]);
    }
    say(p, "<text x=\"0\" y=\"%d\">-1</text><text x=\"%d\" y=\"%d\">0</text><text x=\"%d\" y=\"%d\">1</text>"
           "</svg></figure>\n", h + 16, w / 2 - 4, h + 16, w - 12, h + 16);
}

/* One stacked bar of verdict shares per language. */
static void verdicts_by_language(page *p, const report *rp)
{
    const int w = 560, row_h = 28;
    say(p, "<svg width=\"%d\" height=\"%d\" role=\"img\">", w + 60, rp->nlangs * row_h + 30);
    for (int l = 0; l < rp->nlangs; l++) {
        uint64_t total = 0;
        for (int v = 0; v < 4; v++) total += rp->per_lang[l][v];
        say(p, "<text x=\"0\" y=\"%d\">%s</text>", l * row_h + 18, rp->langs[l]);
        double x = 50;
        for (int k = 1; k <= 4; k++) { /* business, customer, mixed, none */
            int v = k & 3;
            double share = total ? (double)rp->per_lang[l][v] / (double)total : 0;
            say(p, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"><title>%s %s: %.1f%% of %llu</title></rect>",
                x, l * row_h + 4, share * w, verdict_colors[v], rp->langs[l], verdict_names[v], 100 * share,
                (unsigned long long)total);
            x += share * w;
        }
    }
    int y = rp->nlangs * row_h + 22;
    for (int k = 1; k <= 4; k++)
        say(p, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
            50 + (k - 1) * 120, y - 10, verdict_colors[k & 3], 66 + (k - 1) * 120, y, verdict_names[k & 3]);
    say(p, "</svg>\n");
}

typedef struct {
    const char *term;
    size_t len;
    double business;
    uint64_t reviews;
} term_total;

static int by_total(const void *a, const void *b)
{
    double x = ((const term_total *)a)->business, y = ((const term_total *)b)->business;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void blamed_terms(page *p, const report *rp, size_t top)
{
    const rollup *r = &rp->groups;
    term_total *t = calloc(r->nterms + 1, sizeof *t);
    if (!t) {
        p->failed = 1;
        return;
    }
    for (size_t i = 0; i < r->nterms; i++) t[i] = (term_total){r->terms[i].text, r->terms[i].len, 0, 0};
    for (size_t g = 0; g < r->cap; g++)
        for (size_t k = 0; r->groups[g].hash && k < r->groups[g].nterms; k++) {
            const term_sum *s = &r->groups[g].terms[k];
            t[s->term].business += s->business;
            t[s->term].reviews += s->reviews;
        }
    qsort(t, r->nterms, sizeof *t, by_total);
    size_t n = r->nterms < top ? r->nterms : top;
    double max = n ? t[0].business : 1;
    const int w = 420, row_h = 22;
    say(p, "<svg width=\"%d\" height=\"%zu\" role=\"img\">", w + 360, n * row_h + 4);
    for (size_t i = 0; i < n; i++) {
        say(p, "<text x=\"0\" y=\"%zu\">", i * row_h + 15);
        term_text(p, t[i].term, t[i].len);
        say(p, "</text><rect x=\"200\" y=\"%zu\" width=\"%.1f\" height=\"16\" fill=\"#d64545\"/>"
               "<text x=\"%.1f\" y=\"%zu\">%.1f in %llu reviews</text>",
            i * row_h + 3, w * t[i].business / max, 206 + w * t[i].business / max, i * row_h + 15,
            t[i].business, (unsigned long long)t[i].reviews);
    }
    say(p, "</svg>\n");
    free(t);
}

static void blamed_businesses(page *p, report *rp, const char *by, size_t top)
{
    /* a business with a single review would top the list on one bad day:
     * list those with at least 3 when there are enough of them */
    size_t n;
    group **order = rollup_sorted(&rp->groups, 3, &n);
    if (order && n < top) {
        free(order);
        order = rollup_sorted(&rp->groups, 1, &n);
    }
    if (!order) {
        p->failed = 1;
        return;
    }
    say(p, "<table><thead><tr><th>");
    text(p, by, strlen(by));
    say(p, "</th><th>reviews</th><th>mean blame on the business</th><th>verdict business</th>"
           "<th>mean sentiment</th><th>blamed for</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n && i < top; i++) {
        group *g = order[i];
        double reviews = (double)g->reviews;
        say(p, "<tr><td>");
        text(p, g->key_len ? g->key : "(none)", g->key_len ? g->key_len : 6);
        say(p, "</td><td>%llu</td><td><svg width=\"104\" height=\"12\"><rect width=\"%.0f\" height=\"12\" "
               "fill=\"#d64545\"/></svg> %.2f</td><td>%.0f%%</td><td>%+.2f</td><td>",
            (unsigned long long)g->reviews, 100 * g->business / reviews, g->business / reviews,
            100.0 * (double)g->verdicts[CULPA_VERDICT_BUSINESS] / reviews, g->sentiment / reviews);
        if (g->nterms > 1) qsort(g->terms, g->nterms, sizeof *g->terms, by_term_blame);
        for (size_t k = 0; k < g->nterms && k < 4; k++) {
            if (k) say(p, ", ");
            term_text(p, rp->groups.terms[g->terms[k].term].text, rp->groups.terms[g->terms[k].term].len);
        }
        say(p, "</td></tr>\n");
    }
    say(p, "</tbody></table>\n");
    free(order);
}

static void write_page(page *p, report *rp, const culpa_report_options *ro, const char *path,
                       const culpa_stats *st)
{
    const char *by = ro && ro->by ? ro->by : "business_id";
    size_t top = ro && ro->top ? ro->top : 15;
    uint64_t totals[4] = {0};
    for (int l = 0; l < rp->nlangs; l++)
        for (int v = 0; v < 4; v++) totals[v] += rp->per_lang[l][v];
    double secs = st->seconds > 0 ? st->seconds : 1e-9;
    say(p, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>culpa report</title>\n"
           "<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:960px;color:#222}"
           "h1{margin-bottom:0}.sub{color:#666;margin-top:.2em}section{margin:2em 0}"
           "figure{display:inline-block;margin:0 1em 1em 0}figcaption{font-weight:600}"
           "table{border-collapse:collapse;width:100%%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;"
           "text-align:left;vertical-align:top}svg text{font:12px system-ui,sans-serif}"
           ".cards{display:flex;gap:1em}.card{background:#f5f6f8;padding:.8em 1em;border-radius:6px}"
           ".card b{display:block;font-size:22px}</style></head><body>\n<h1>culpa report</h1>\n<p class=\"sub\">");
    text(p, path, strlen(path));
    say(p, ": %llu reviews, %llu unreadable; scored by culpa %s</p>\n",
        (unsigned long long)rp->records, (unsigned long long)rp->errors, culpa_version_string());
    say(p, "<section><div class=\"cards\">");
    for (int k = 1; k <= 4; k++)
        say(p, "<div class=\"card\"><b>%.1f%%</b>blame %s</div>", rp->records ? 100.0 * (double)totals[k & 3] / (double)rp->records : 0,
            k == 4 ? "nobody" : k == 3 ? "both (mixed)" : verdict_names[k & 3]);
    say(p, "</div></section>\n<section><h2>Verdicts by language</h2>\n");
    verdicts_by_language(p, rp);
    say(p, "</section>\n<section><h2>Sentiment and blame</h2>\n");
    histogram(p, "sentiment (negative to positive)", rp->sentiment, "#3f83c4", 420, 150);
    histogram(p, "blame (customer to business)", rp->blame, "#d64545", 420, 150);
    say(p, "<h3>by verdict: sentiment</h3>\n");
    for (int k = 1; k <= 4; k++)
        histogram(p, verdict_names[k & 3], rp->verdict_sentiment[k & 3], verdict_colors[k & 3], 200, 70);
    say(p, "<h3>by language</h3>\n<table><thead><tr><th>language</th><th>reviews</th><th>mean sentiment</th>"
           "<th>mean blame</th><th>sentiment</th><th>blame</th></tr></thead><tbody>\n");
    for (int l = 0; l < rp->nlangs; l++) {
        uint64_t n = 0;
        for (int v = 0; v < 4; v++) n += rp->per_lang[l][v];
        double d = n ? (double)n : 1;
        say(p, "<tr><td>%s</td><td>%llu</td><td>%+.2f</td><td>%+.2f</td><td>", rp->langs[l],
            (unsigned long long)n, rp->lang_sentiment_sum[l] / d, rp->lang_blame_sum[l] / d);
        histogram(p, "", rp->lang_sentiment[l], "#3f83c4", 160, 40);
        say(p, "</td><td>");
        histogram(p, "", rp->lang_blame[l], "#d64545", 160, 40);
        say(p, "</td></tr>\n");
    }
    say(p, "</tbody></table>\n");
    say(p, "</section>\n<section><h2>Most blamed businesses</h2>\n");
    blamed_businesses(p, rp, by, top);
    say(p, "</section>\n<section><h2>Most frequent blame terms</h2>\n");
    blamed_terms(p, rp, top);
    say(p, "</section>\n<section><h2>Throughput</h2>\n<p>%.1f MB in %.2f s: %.1f MB/s, %.0f reviews/s</p>"
           "</section>\n</body></html>\n",
        (double)st->bytes / 1e6, st->seconds, (double)st->bytes / 1e6 / secs, (double)st->records / secs);
}

culpa_status culpa_report(const culpa_lexicon *lex, const char *path, const culpa_options *opt,
                          const culpa_report_options *ro, culpa_write_fn write, void *user,
                          culpa_error *err)
{
    clear_error(err);
    if (!lex || !path || !opt || !write) return set_error(err, CULPA_ERR_ARG, NULL, 0, "NULL argument");
    report rp;
    memset(&rp, 0, sizeof rp);
    culpa_options run = *opt;
    run.id_field = ro && ro->by ? ro->by : "business_id";
    run.write = NULL;
    run.explain = 1;
    run.row = add_record;
    run.row_user = &rp;
    run.row_text = 0;
    culpa_stats st = {0};
    culpa_status s = culpa_score_file(lex, path, &run, &st, err);
    if (s == CULPA_OK && rp.failed) s = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
    page p = {{0}, 0};
    if (s == CULPA_OK) {
        write_page(&p, &rp, ro, path, &st);
        if (p.failed) s = set_error(err, CULPA_ERR_NOMEM, NULL, 0, "out of memory");
        else if (write(user, p.o.p, p.o.len)) s = set_error(err, CULPA_ERR_STOPPED, NULL, 0, "output stopped");
    }
    out_free(&p.o);
    rollup_free(&rp.groups);
    return s;
}
