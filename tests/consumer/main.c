/* A program of someone else's that uses an installed culpa: it loads the
 * installed lexicons by default, scores one review and checks the result. */
#include <culpa.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    if (culpa_version_number() != CULPA_VERSION_NUMBER) {
        fprintf(stderr, "header %s, library %s\n", CULPA_VERSION_STRING, culpa_version_string());
        return 1;
    }
    culpa_lexicon *lex;
    culpa_error err;
    if (culpa_lexicon_load(NULL, "en", &lex, &err) != CULPA_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    culpa_scorer *s = culpa_scorer_new(lex);
    const char *text = "The manager was rude and overcharged us.";
    culpa_result r;
    culpa_status st = culpa_score(s, text, strlen(text), &r);
    printf("%s %.3f\n", culpa_verdict_str(r.verdict), r.sentiment);
    culpa_scorer_free(s);
    culpa_lexicon_free(lex);
    return st == CULPA_OK && r.verdict == CULPA_VERDICT_BUSINESS && r.sentiment < 0 ? 0 : 1;
}
