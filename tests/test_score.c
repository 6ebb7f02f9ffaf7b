/* Score stage: the sentiment rules on a small lexicon, and blame cases on the
 * shipped English lexicon. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "cases.h"
#include <math.h>
#include <string.h>

#include "culpa.h"

static const char rules_tsv[] =
    "good\tval\t1.9\n"
    "bad\tval\t-2.5\n"
    "rude\tval\t-2\n"
    "great\tval\t3.1\n"
    "very\tboost\t0.293\n"
    "a lot\tboost\t0.3\n"
    "lots\tboost\t0.3\n"
    "slightly\tboost\t-0.293\n"
    "not\tneg\t1\n"
    "but\tcontrast\t1\n"
    "just\tcontrast\t0.5\n"
    "although\tcontrast\t2\n"
    "waiter\tbiz\t1\n"
    "customer\tcust\t1\n"
    "storm\tthird\t1\n"
    "she\tthird\t0.4\n"
    "tragedy\tval\t-3\n"
    "tragedy\tthird\t1\n"
    "awful\tval\t-2\n"
    "my fault\tfault_cust\t2\n"
    "overcharged\tfault_biz\t2.5\n"
    "not their fault\texonerate\t3\n"
    "late\tval\t-1\n"
    "though\tcontrast\t2\n"
    "owner here\treply\t1\n"
    "our records\treply\t0.5\n"
    "they\tbiz\t0.6\n"
    "hotel\tbiz\t0.8\n"
    "guest\tcust\t0.9\n"
    "i work here\treply\t0.5\n"
    "accused\tval\t-1.2\n"
    "demanded a refund\tfault_cust\t2\n"
    "we were late\tfault_cust\t1.5\n"
    "because of the strike\texonerate\t1.2\n"
    "took # days\tfault_biz\t1.5\n"
    "# stars\tval\t0.5\n"
    "5 stars\tval\t2.6\n"
    "# hours late\tfault_biz\t1.2\n"
    "ordered\tpromise\t0.8\n"
    "was told\tpromise\t1\n"
    "got\toutcome\t0.8\n"
    "arrived\toutcome\t1\n";

static culpa_lexicon *lex;
static culpa_scorer *sc;

static void setup_rules(void)
{
    culpa_builder *b = culpa_builder_new();
    culpa_error err;
    cr_assert_eq(culpa_builder_add_tsv(b, "en", rules_tsv, strlen(rules_tsv), "rules", &err), CULPA_OK,
                 "%s", err.message);
    cr_assert_eq(culpa_builder_build(b, &lex, &err), CULPA_OK);
    culpa_builder_free(b);
    sc = culpa_scorer_new(lex);
    cr_assert_not_null(sc);
}

static void teardown_all(void)
{
    culpa_scorer_free(sc);
    culpa_lexicon_free(lex);
}

static culpa_result score(const char *text)
{
    culpa_result r;
    cr_assert_eq(culpa_score(sc, text, strlen(text), &r), CULPA_OK);
    return r;
}

TestSuite(rules, .init = setup_rules, .fini = teardown_all);

Test(rules, compound_is_vader_normalized)
{
    culpa_result r = score("good");
    cr_assert_float_eq(r.sentiment, 1.9 / sqrt(1.9 * 1.9 + 15), 1e-4);
    r = score("nothing here");
    cr_assert_float_eq(r.sentiment, 0.0, 1e-9);
    cr_assert_str_eq(r.lang, "en");
}

Test(rules, negation_flips_and_damps)
{
    double plain = score("good").sentiment, negated = score("not good").sentiment;
    cr_assert_lt(negated, 0);
    cr_assert_lt(fabs(negated), plain);
    cr_assert_gt(score("not bad").sentiment, 0);
    /* the window is three tokens, within the clause */
    cr_assert_lt(score("not a very good").sentiment, 0);
    cr_assert_gt(score("not, good").sentiment, 0);
    cr_assert_gt(score("not one two three good").sentiment, 0);
}

Test(rules, boosters_and_dampeners)
{
    double g = score("good").sentiment;
    cr_assert_gt(score("very good").sentiment, g);
    cr_assert_lt(score("slightly good").sentiment, g);
    cr_assert_lt(score("very bad").sentiment, score("bad").sentiment);
    /* a booster of two words counts once, as one of one word does */
    cr_assert_float_eq(score("a lot good").sentiment, score("lots good").sentiment, 1e-9);
}

/* Praise alone in scare quotes is irony: half its weight, the other way.
 * Quoted words of more than one ("good luck" on a card) and negative words
 * keep theirs. */
Test(rules, scare_quotes_turn_praise)
{
    double plain = score("the waiter was good").sentiment;
    double quoted = score("the \"good\" waiter").sentiment;
    cr_assert_gt(plain, 0);
    cr_assert_lt(quoted, 0);
    cr_assert_float_eq(quoted, score("the 'good' waiter").sentiment, 1e-6);
    cr_assert_gt(score("wrote \"very good\" on the card").sentiment, 0);
    cr_assert_float_eq(score("the \"bad\" waiter").sentiment, score("the bad waiter").sentiment, 1e-6);
    culpa_scorer_set_explain(sc, 1);
    score("the \"good\" waiter");
    size_t n;
    const culpa_match *m = culpa_scorer_explain(sc, &n);
    cr_assert_eq(n, 2);
    cr_assert(m[0].flags & CULPA_MATCH_QUOTED);
    culpa_scorer_set_explain(sc, 0);
}

Test(rules, capitals_among_lower_case_emphasize)
{
    cr_assert_gt(score("the food was GOOD").sentiment, score("the food was good").sentiment);
    /* all capitals: nothing stands out */
    cr_assert_float_eq(score("THE FOOD WAS GOOD").sentiment, score("the food was good").sentiment, 1e-9);
}

Test(rules, exclamation_marks_emphasize)
{
    cr_assert_gt(score("good!!").sentiment, score("good").sentiment);
    cr_assert_lt(score("bad!!").sentiment, score("bad").sentiment);
    cr_assert_float_eq(score("good!!!!!!").sentiment, score("good!!!!").sentiment, 1e-9);
}

Test(rules, but_weighs_what_follows)
{
    cr_assert_gt(score("bad but great").sentiment, 0);
    cr_assert_lt(score("great but bad").sentiment, 0);
    /* "Although X, Y": the first clause is the weaker part */
    cr_assert_lt(score("although good, bad").sentiment, 0);
    /* a sentence-initial "But" weighs against the sentence before */
    cr_assert_lt(score("It was good. But bad.").sentiment, 0);
    /* a milder "but" (weight under 1) shifts less: good 1.9 x 0.75 against
     * bad -2.5 x 1.25, instead of x 0.5 against x 1.5 */
    double mild = score("great just bad").sentiment, full = score("great but bad").sentiment;
    double none = score("great bad").sentiment;
    cr_assert(full < mild && mild < none, "but %f, just %f, no contrast %f", full, mild, none);
}

Test(rules, where_the_contrast_word_stands)
{
    /* at the end of a sentence it weighs this sentence against the last */
    cr_assert_lt(score("It was great. Bad though.").sentiment, 0);
    cr_assert_gt(score("It was bad. Great though.").sentiment, 0);
    /* in the middle it divides its own sentence only */
    cr_assert_gt(score("Bad. Bad. Bad though great.").sentiment, score("Bad. Bad. Bad great.").sentiment);
}

Test(rules, a_business_reply_turns_pronouns_and_unnamed_affect)
{
    culpa_result plain = score("they were rude");
    cr_assert_eq(plain.verdict, CULPA_VERDICT_BUSINESS);
    culpa_result reply = score("Owner here. they were rude");
    cr_assert_eq(reply.verdict, CULPA_VERDICT_CUSTOMER, "%f %f", reply.blame_business, reply.blame_customer);
    /* one weak sign is not enough */
    cr_assert_eq(score("our records. they were rude").verdict, CULPA_VERDICT_BUSINESS);
    cr_assert_eq(score("our records our records. it was awful").verdict, CULPA_VERDICT_CUSTOMER);
    /* after a "but", a review turns to the business; a reply, to the customer */
    culpa_result review = score("my fault, but it was awful");
    cr_assert_eq(review.verdict, CULPA_VERDICT_MIXED, "%f %f", review.blame_business, review.blame_customer);
    reply = score("Owner here. my fault, but it was awful");
    cr_assert_float_eq(reply.blame_business, 0, 1e-9);
    cr_assert_gt(reply.blame_customer, review.blame_customer);
}

Test(rules, staff_telling_of_a_customer_is_a_reply)
{
    /* half a reply cue and two words naming a customer add up to a reply;
     * there the "accused" said of the hotel is the customer's complaint
     * (in a clause of its own: in the confessing one it is the customer's anyway) */
    const char *text = "I work here. A guest at the hotel accused us, then demanded a refund. The guest left.";
    culpa_result r = score(text);
    cr_assert_eq(r.verdict, CULPA_VERDICT_CUSTOMER, "%f %f", r.blame_business, r.blame_customer);
    /* without the staff's word it is read as a review: both sides */
    r = score("A guest at the hotel accused us, then demanded a refund. The guest left.");
    cr_assert_eq(r.verdict, CULPA_VERDICT_MIXED, "%f %f", r.blame_business, r.blame_customer);
}

Test(rules, an_excuse_in_the_clause_clears_the_customer)
{
    cr_assert_eq(score("we were late").verdict, CULPA_VERDICT_CUSTOMER);
    culpa_result r = score("because of the strike we were late");
    cr_assert_float_eq(r.blame_customer, 0, 1e-9);
    cr_assert_eq(r.verdict, CULPA_VERDICT_NONE);
    /* across a clause mark the excuse is the business's alone */
    cr_assert_eq(score("because of the strike, we were late").verdict, CULPA_VERDICT_CUSTOMER);
}

Test(rules, negative_words_in_a_confessing_clause_are_the_customers)
{
    /* "awful" said of the waiter, in the clause where the customer confesses */
    culpa_result r = score("we were late and the waiter was awful");
    cr_assert_eq(r.verdict, CULPA_VERDICT_CUSTOMER, "%f %f", r.blame_business, r.blame_customer);
    /* in a clause of its own it is the business's: both sides */
    r = score("we were late, the waiter was awful");
    cr_assert_eq(r.verdict, CULPA_VERDICT_MIXED, "%f %f", r.blame_business, r.blame_customer);
}

Test(rules, a_sentence_praising_the_business_redeems_the_one_before)
{
    cr_assert_eq(score("it was awful. the waiter was there.").verdict, CULPA_VERDICT_BUSINESS);
    culpa_result r = score("it was awful. the waiter was great and good to us.");
    cr_assert_eq(r.verdict, CULPA_VERDICT_NONE, "%f", r.blame_business);
    /* not: praise of a weak party word, a short verdict (mostly sarcasm),
     * a sentence with a negator, or one that does not come right after */
    cr_assert_eq(score("it was awful. they were great and good to us.").verdict, CULPA_VERDICT_BUSINESS);
    cr_assert_eq(score("it was awful. great waiter!").verdict, CULPA_VERDICT_BUSINESS);
    cr_assert_eq(score("it was awful. the waiter was great and good, not late.").verdict,
                 CULPA_VERDICT_BUSINESS);
    cr_assert_eq(score("it was awful. nothing here. the waiter was great and good to us.").verdict,
                 CULPA_VERDICT_BUSINESS);
}

Test(rules, blame_goes_to_the_party_named)
{
    culpa_result r = score("the waiter was rude");
    cr_assert_eq(r.verdict, CULPA_VERDICT_BUSINESS);
    cr_assert_gt(r.blame_business, 0.5);
    r = score("the customer was rude");
    cr_assert_eq(r.verdict, CULPA_VERDICT_CUSTOMER);
    r = score("the storm was awful");
    cr_assert_eq(r.verdict, CULPA_VERDICT_NONE);
    cr_assert_float_eq(r.blame, r.blame_business - r.blame_customer, 1e-9);
}

Test(rules, unnamed_affect_weighs_less_and_follows_the_text)
{
    double named = score("the waiter was rude").blame_business;
    double unnamed = score("it was rude").blame_business;
    cr_assert_gt(unnamed, 0);
    cr_assert_lt(unnamed, named);
    /* in a confession, the unnamed "rude" is part of the customer's story */
    culpa_result r = score("my fault. it was rude");
    cr_assert_gt(r.blame_customer, score("my fault").blame_customer);
    cr_assert_float_eq(r.blame_business, 0, 1e-9);
}

/* Who negative words with no party named around them are said of.
 * A negative word that is itself a third party ("a tragedy") is said of
 * that outsider; so are the words of a text that shares a link and names no
 * business (about what the link shows); a person's pronoun (a third party
 * under 0.5, "she") is an outsider only where no business is named and the
 * text is no reply.  Named parties and fault cues keep the blame. */
typedef struct {
    const char *text;
    culpa_verdict verdict;
} outsider_case;

static outsider_case outsider_cases[] = {
    {"what an awful day", CULPA_VERDICT_BUSINESS}, /* unnamed: the business */
    {"what a tragedy", CULPA_VERDICT_NONE},
    {"the waiter was a tragedy", CULPA_VERDICT_BUSINESS},
    {"what an awful idea https://t.co/x1", CULPA_VERDICT_NONE},
    {"the waiter was awful https://t.co/x1", CULPA_VERDICT_BUSINESS},
    {"overcharged, awful https://t.co/x1", CULPA_VERDICT_BUSINESS},
    {"awful http:/ not a link", CULPA_VERDICT_BUSINESS},
    {"she was awful", CULPA_VERDICT_NONE},
    {"the waiter came. she was awful", CULPA_VERDICT_BUSINESS},
    {"overcharged, and she was awful", CULPA_VERDICT_BUSINESS},
    {"owner here. she was awful", CULPA_VERDICT_CUSTOMER},
};

CASES_BY_INDEX(rules, outsiders, outsider_cases)

ParameterizedTest(size_t *i, rules, outsiders)
{
    const outsider_case *c = &outsider_cases[*i];
    culpa_result r = score(c->text);
    cr_assert_lt(r.sentiment, 0, "\"%s\": the words stay negative", c->text);
    cr_assert_eq(r.verdict, c->verdict, "\"%s\": got %s (business %.3f, customer %.3f)", c->text,
                 culpa_verdict_str(r.verdict), r.blame_business, r.blame_customer);
}

Test(rules, fault_cues_and_their_negation)
{
    culpa_result r = score("my fault");
    cr_assert_eq(r.verdict, CULPA_VERDICT_CUSTOMER);
    r = score("not my fault");
    cr_assert_float_eq(r.blame_customer, 0, 1e-9);
    cr_assert_gt(r.blame_business, 0);
    r = score("they overcharged");
    cr_assert_eq(r.verdict, CULPA_VERDICT_BUSINESS);
    r = score("they overcharged. not their fault");
    cr_assert_lt(r.blame_business, score("they overcharged").blame_business);
}

/* Blame evidence e shows as 1 - exp(-e / 2); an excuse of weight x
 * divides the business's by 1 + 3x, so one strong fault word no longer
 * outweighs a strong excuse beside it. */
static double evidence_of(double blame) { return -2 * log(1 - blame); }

Test(rules, a_failure_the_confession_caused_is_the_customers)
{
    /* in the confession's clause, a business fault cue tells what followed */
    culpa_result r = score("we were late so it took 3 days");
    cr_assert_float_eq(r.blame_business, 0, 1e-9);
    cr_assert_eq(r.verdict, CULPA_VERDICT_CUSTOMER);
    /* beyond a "but", or in a clause of its own, it is the business's */
    r = score("we were late but it took 3 days");
    cr_assert_eq(r.verdict, CULPA_VERDICT_MIXED, "%f %f", r.blame_business, r.blame_customer);
    r = score("we were late. It took 3 days");
    cr_assert_gt(r.blame_business, 0);
    /* the same holds for negative words said of the business */
    r = score("we were late so the waiter was awful");
    cr_assert_float_eq(r.blame_business, 0, 1e-9);
    r = score("we were late but the waiter was awful");
    cr_assert_gt(r.blame_business, 0.12);
}

typedef struct {
    const char *text;
    double evidence; /* the business evidence the promise and outcome give */
} promise_case;

/* An outcome after a promise, in its sentence or the next, is business
 * fault evidence of promise x outcome weight; not in a text that praises
 * more than it complains (what stands between the two is what was
 * promised: it counts for neither) or confesses, nor in a reply, nor when
 * the outcome is negated. */
static promise_case promise_cases[] = {
    {"ordered a large, got a small", 0.8 * 0.8},
    {"was told tuesday. it arrived on friday", 1.0 * 1.0},
    {"ordered a large, got a small. ordered a coffee, got a tea", 2 * 0.8 * 0.8},
    {"ordered a large. it was late. got a small", 0},   /* two sentences on */
    {"got a small", 0},                                  /* no promise */
    {"ordered a large, got a small, great", 0},          /* praise */
    {"ordered a great pizza, got a small", 0.8 * 0.8},   /* praise of what was promised */
    {"ordered a large, got a small, my fault", 0},       /* a confession */
    {"owner here. ordered a large, got a small", 0},     /* a reply */
    {"ordered a large, not got a small", 0},             /* negated */
};

CASES_BY_INDEX(rules, promises, promise_cases)

ParameterizedTest(size_t *i, rules, promises)
{
    const promise_case *c = &promise_cases[*i];
    culpa_scorer_set_explain(sc, 1);
    culpa_result r = score(c->text);
    size_t n;
    const culpa_match *m = culpa_scorer_explain(sc, &n);
    double evidence = 0;
    for (size_t k = 0; k < n; k++)
        if (m[k].flags & CULPA_MATCH_BROKEN_PROMISE) {
            cr_assert_eq(m[k].cls, CULPA_CLASS_OUTCOME);
            evidence += m[k].business;
        }
    cr_assert_float_eq(evidence, c->evidence, 1e-6, "\"%s\": %f", c->text, evidence);
    if (c->evidence > 0) cr_assert_eq(r.verdict, CULPA_VERDICT_BUSINESS, "\"%s\"", c->text);
    culpa_scorer_set_explain(sc, 0);
}

Test(rules, an_excuse_outweighs_a_fault_word_beside_it)
{
    culpa_result plain = score("they overcharged");
    culpa_result excused = score("they overcharged. not their fault");
    cr_assert_eq(excused.verdict, CULPA_VERDICT_NONE, "business %.4f", excused.blame_business);
    /* "not their fault" weighs 3: divided by 1 + 3 * 3 */
    cr_assert_float_eq(evidence_of(excused.blame_business), evidence_of(plain.blame_business) / 10, 1e-3);
}

Test(rules, both_sides_make_mixed)
{
    culpa_result r = score("my fault, but the waiter was rude");
    cr_assert_eq(r.verdict, CULPA_VERDICT_MIXED, "%f %f", r.blame_business, r.blame_customer);
}

Test(rules, explain_lists_matches_with_offsets)
{
    culpa_scorer_set_explain(sc, 1);
    const char text[] = "The waiter was NOT good!";
    culpa_result r = score(text);
    size_t n;
    const culpa_match *m = culpa_scorer_explain(sc, &n);
    cr_assert_eq(n, 3);
    cr_assert_eq(r.matches, 3);
    cr_assert_eq(m[0].cls, CULPA_CLASS_BIZ);
    cr_assert_eq(strncmp(text + m[0].offset, "waiter", m[0].length), 0);
    cr_assert_eq(m[1].cls, CULPA_CLASS_NEG);
    cr_assert_eq(m[2].cls, CULPA_CLASS_VAL);
    cr_assert(m[2].flags & CULPA_MATCH_NEGATED);
    cr_assert_lt(m[2].sentiment, 0);
    cr_assert_eq(m[2].term_len, 4);
    cr_assert_eq(strncmp(m[2].term, "good", 4), 0);
    culpa_scorer_set_explain(sc, 0);
    score(text);
    cr_assert_null(culpa_scorer_explain(sc, &n));
    cr_assert_eq(n, 0);
}

/* A term's "#" stands for any number the term does not name as it stands. */
typedef struct {
    const char *text;
    const char *term; /* the text the match covers; NULL: no match */
    culpa_class cls;
    float weight;
} number_case;

static number_case number_cases[] = {
    {"it took 10 days", "took 10 days", CULPA_CLASS_FAULT_BIZ, 1.5f},
    {"it took 3.5 days", "took 3.5 days", CULPA_CLASS_FAULT_BIZ, 1.5f},
    {"it took 1,5 days", "took 1,5 days", CULPA_CLASS_FAULT_BIZ, 1.5f}, /* a decimal comma */
    {"it took # days", "took # days", CULPA_CLASS_FAULT_BIZ, 1.5f},
    {"7 stars", "7 stars", CULPA_CLASS_VAL, 0.5f},
    {"5 stars", "5 stars", CULPA_CLASS_VAL, 2.6f}, /* the number's own entry wins */
    {"it came 2 hours late", "2 hours late", CULPA_CLASS_FAULT_BIZ, 1.2f},
    {"it took ten days", NULL, 0, 0},  /* a word is no number */
    {"it took #days", NULL, 0, 0},     /* a tag is no "#" */
    {"it took 10 long days", NULL, 0, 0},
    {"it took 10. Days later", NULL, 0, 0}, /* a phrase stops at a sentence */
};

CASES_BY_INDEX(rules, numbers_match_the_wildcard, number_cases)

ParameterizedTest(size_t *i, rules, numbers_match_the_wildcard)
{
    const number_case *c = &number_cases[*i];
    culpa_scorer_set_explain(sc, 1);
    score(c->text);
    size_t n;
    const culpa_match *m = culpa_scorer_explain(sc, &n);
    culpa_scorer_set_explain(sc, 0);
    if (!c->term) {
        cr_assert_eq(n, 0, "\"%s\" matched %zu terms", c->text, n);
        return;
    }
    cr_assert_eq(n, 1, "\"%s\"", c->text);
    cr_assert_eq(m[0].term_len, strlen(c->term), "\"%s\"", c->text);
    cr_assert_eq(strncmp(m[0].term, c->term, m[0].term_len), 0, "\"%s\"", c->text);
    cr_assert_eq(m[0].cls, c->cls, "\"%s\"", c->text);
    cr_assert_float_eq(m[0].weight, c->weight, 1e-6, "\"%s\"", c->text);
}

Test(rules, forced_and_unknown_languages)
{
    cr_assert_eq(culpa_scorer_set_lang(sc, "fi"), CULPA_ERR_NOT_FOUND);
    cr_assert_eq(culpa_scorer_set_lang(sc, "en"), CULPA_OK);
    /* Hebrew text, forced English: scored with the English table */
    culpa_result r = score("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D good");
    cr_assert_str_eq(r.lang, "en");
    cr_assert_eq(culpa_scorer_set_lang(sc, "auto"), CULPA_OK);
    r = score("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D good");
    cr_assert_str_eq(r.lang, "und");
    cr_assert_float_eq(r.sentiment, 0, 1e-9);
}

Test(rules, bad_arguments_and_empty_text)
{
    culpa_result r;
    cr_assert_eq(culpa_score(NULL, "x", 1, &r), CULPA_ERR_ARG);
    cr_assert_eq(culpa_score(sc, NULL, 1, &r), CULPA_ERR_ARG);
    cr_assert_eq(culpa_score(sc, NULL, 0, &r), CULPA_OK);
    cr_assert_eq(r.verdict, CULPA_VERDICT_NONE);
    cr_assert_eq(r.tokens, 0);
    cr_assert_null(culpa_scorer_new(NULL));
    culpa_scorer_free(NULL);
}

/* ---- the shipped English lexicon --------------------------------------- */

static void setup_english(void)
{
    culpa_error err;
    cr_assert_eq(culpa_lexicon_load(CULPA_TEST_LEXICONS, "en", &lex, &err), CULPA_OK, "%s", err.message);
    sc = culpa_scorer_new(lex);
}

TestSuite(english, .init = setup_english, .fini = teardown_all);

typedef struct {
    const char *text;
    culpa_verdict verdict;
    int sign; /* -1, 0, 1 */
} blame_case;

/* The examples of BLAME.md and the hard cases its rules name. */
static blame_case english_cases[] = {
    {"Forty minutes for two coffees, and the barista acted like we were a bother.", CULPA_VERDICT_BUSINESS, 0},
    {"Ordered the wrong size because I didn't check the chart. Returned it without fuss.", CULPA_VERDICT_CUSTOMER, 0},
    {"Lovely little bakery; the sourdough is worth the trip.", CULPA_VERDICT_NONE, 1},
    {"The waiter was rude and the food was cold.", CULPA_VERDICT_BUSINESS, -1},
    {"I was charged twice and nobody answers the phone.", CULPA_VERDICT_BUSINESS, -1},
    {"Totally my fault, I ordered the wrong size.", CULPA_VERDICT_CUSTOMER, 0},
    {"Great staff, great food.", CULPA_VERDICT_NONE, 1},
    {"The food was fine, but the waiter was rude.", CULPA_VERDICT_BUSINESS, -1},
    {"The customer screamed at our staff and refused to pay.", CULPA_VERDICT_CUSTOMER, -1},
    /* a story the business fixed, across sentences */
    {"It broke after a week. The mechanic fixed it for free and was very friendly about it.", CULPA_VERDICT_NONE, 1},
    /* feelings about a person, where no business is named */
    {"He's such a liar, I can't stand him.", CULPA_VERDICT_NONE, -1},
    {"The waiter was rude and she yelled at me.", CULPA_VERDICT_BUSINESS, -1},
};

CASES_BY_INDEX(english, verdicts, english_cases)

ParameterizedTest(size_t *i, english, verdicts)
{
    const blame_case *c = &english_cases[*i];
    culpa_result r = score(c->text);
    cr_assert_eq(r.verdict, c->verdict, "\"%s\": got %s (business %.3f, customer %.3f)", c->text,
                 culpa_verdict_str(r.verdict), r.blame_business, r.blame_customer);
    if (c->sign) cr_assert_eq(r.sentiment > 0 ? 1 : -1, c->sign, "\"%s\": sentiment %.3f", c->text, r.sentiment);
}

/* ---- languages: detection and each language's matching traps ------------ */

static void add(culpa_builder *b, const char *lang, const char *tsv)
{
    culpa_error err;
    cr_assert_eq(culpa_builder_add_tsv(b, lang, tsv, strlen(tsv), lang, &err), CULPA_OK, "%s", err.message);
}

static void setup_languages(void)
{
    culpa_builder *b = culpa_builder_new();
    add(b, "en", "good\tval\t1.9\nbad\tval\t-2.5\nnot\tneg\t1\n");
    add(b, "fi", "hyvä\tval\t1.9\nhuono*\tval\t-2\nei\tneg\t1\ntarjoilija\tbiz\t1\noma vika\tfault_cust\t2\n"
                 "tilausta ei lähetetty\tfault_biz\t2\nkuitenkaan\tcontrast\t1\n");
    add(b, "vi", "tốt\tval\t1.9\nhoà nhã\tval\t1.5\nkhông\tneg\t1\nphục vụ\tbiz\t1\nphục vụ tệ\tfault_biz\t2\n"
                 "rất tốt\tval\t2.2\nkhông hề\tneg\t1\n");
    add(b, "zh", "好\tval\t1.9\n谢谢\tval\t1.5\n没\tneg\t1\n不\tneg\t1\n服务\tbiz\t1\n服務\tbiz\t1\n服务态度差\tfault_biz\t2.5\n"
                 "服務態度差\tfault_biz\t2.5\n不错\tval\t1.9\n差\tval\t-2.5\n但是\tcontrast\t1\n"
                 "总的来说\tcontrast\t3\n");
    add(b, "he", "טוב\tval\t1.9\nשירות\tbiz\t1\nמלצר\tbiz\t1\nגרוע\tval\t-2.5\nלא\tneg\t1\nאשמתי\tfault_cust\t2\n");
    culpa_error err;
    cr_assert_eq(culpa_builder_build(b, &lex, &err), CULPA_OK);
    culpa_builder_free(b);
    sc = culpa_scorer_new(lex);
    culpa_scorer_set_explain(sc, 1);
}

TestSuite(languages, .init = setup_languages, .fini = teardown_all);

typedef struct {
    const char *text;
    const char *lang;
} lang_case;

static lang_case lang_cases[] = {
    {"The food was good and the staff were friendly.", "en"},
    {"Ruoka oli hyvää, mutta tarjoilija ei ollut kovin ystävällinen.", "fi"},
    {"Tuli ihan ok palvelu ja nopea toimitus", "fi"},                /* no ä or ö: words decide */
    {"Nhân viên phục vụ rất tốt, đồ ăn ngon.", "vi"},
    {"Nhan vien phuc vu rat tot, do an ngon.", "vi"},                /* typed without marks */
    {"phuc vu hoa nha", "vi"},                                       /* its words tell it */
    {"Se voi auttaa.", "fi"},                                        /* Finnish "voi", not Vietnamese */
    {"服务态度很好，菜也很新鲜。", "zh"},
    {"服務態度很好，價格合理。", "zh"},
    {"השירות היה מצוין והאוכל טעים", "he"},
    {"Привет, как дела", "und"},                                        /* no loaded language fits */
    {"12345 !!!", "und"},                       /* no letters: no language (scored with the first) */
};

CASES_BY_INDEX(languages, detection, lang_cases)

ParameterizedTest(size_t *i, languages, detection)
{
    const lang_case *c = &lang_cases[*i];
    culpa_result r = score(c->text);
    cr_assert_str_eq(r.lang, c->lang, "\"%s\"", c->text);
}

/* Chinese: "but" divides the blame only, so 不错，但是差 weighs the two
 * alike; a summing-up (contrast 3) doubles the rest of its sentence. */
Test(languages, chinese_but_and_summing_up)
{
    cr_assert_eq(culpa_scorer_set_lang(sc, "zh"), CULPA_OK);
    double but = score("不错，但是差").sentiment, plain = score("不错，差").sentiment;
    cr_assert_float_eq(but, plain, 1e-6, "but %f, plain %f", but, plain);
    cr_assert_lt(score("差。不错").sentiment, 0);
    cr_assert_gt(score("差。总的来说不错").sentiment, 0);
    /* only to the end of its sentence */
    cr_assert_lt(score("差。总的来说。不错").sentiment, 0);
    cr_assert_eq(culpa_scorer_set_lang(sc, "auto"), CULPA_OK);
}

/* Chinese: a question asked with a full-width ？ is rhetorical, a mild
 * complaint; a run of marks is one question, three count at most, and
 * neither half-width "?" nor another language is touched. */
Test(languages, chinese_questions_are_complaints)
{
    cr_assert_eq(culpa_scorer_set_lang(sc, "zh"), CULPA_OK);
    double asked = score("好？").sentiment, told = score("好。").sentiment;
    cr_assert_lt(asked, told, "asked %f, told %f", asked, told);
    cr_assert_gt(asked, 0);
    cr_assert_lt(score("为什么没有？").sentiment, 0);
    cr_assert_float_eq(score("好?").sentiment, told, 1e-6);
    cr_assert_float_eq(score("一？二？三？四？").sentiment, score("一？二？三？").sentiment, 1e-6);
    cr_assert_lt(score("一？二？三？").sentiment, score("一？二？").sentiment);
    cr_assert_gt(score("一？？？").sentiment, score("一？二？三？").sentiment); /* one run */
    cr_assert_eq(culpa_scorer_set_lang(sc, "en"), CULPA_OK);
    cr_assert_float_eq(score("good？").sentiment, score("good.").sentiment, 1e-6);
    cr_assert_eq(culpa_scorer_set_lang(sc, "auto"), CULPA_OK);
}

/* The term matched first in `text`, as explain shows it. */
static const culpa_match *first_match(const char *text, size_t *n)
{
    score(text);
    const culpa_match *m = culpa_scorer_explain(sc, n);
    cr_assert_gt(*n, 0, "nothing matched in \"%s\"", text);
    return m;
}

typedef struct {
    const char *lang;
    const char *text;
    const char *term; /* the normalized term of the first match */
    culpa_class cls;
} match_case;

static match_case match_cases[] = {
    /* Chinese: longest match over characters, both scripts */
    {"zh", "服务态度差", "服 务 态 度 差", CULPA_CLASS_FAULT_BIZ},
    {"zh", "服務態度差", "服 務 態 度 差", CULPA_CLASS_FAULT_BIZ},
    {"zh", "服务很好", "服 务", CULPA_CLASS_BIZ},
    {"zh", "不错", "不 错", CULPA_CLASS_VAL},
    /* Hebrew: prefixes come off a word not found as it stands */
    {"he", "והשירות", "והשירות", CULPA_CLASS_BIZ},
    {"he", "שהמלצר", "שהמלצר", CULPA_CLASS_BIZ},
    {"he", "טוב", "טוב", CULPA_CLASS_VAL},
    /* Finnish: stems and clitics */
    {"fi", "huonoa", "huonoa", CULPA_CLASS_VAL},
    {"fi", "hyväkin", "hyväkin", CULPA_CLASS_VAL},
    {"fi", "oma vika", "oma vika", CULPA_CLASS_FAULT_CUST},
    /* Finnish: one word the lexicon does not know may stand inside a phrase */
    {"fi", "oma kyllä vika", "oma kyllä vika", CULPA_CLASS_FAULT_CUST},
    {"fi", "tilausta ei koskaan lähetetty", "tilausta ei koskaan lähetetty", CULPA_CLASS_FAULT_BIZ},
    {"fi", "oma hyvä vika", "hyvä", CULPA_CLASS_VAL},                     /* not a word it knows */
    {"fi", "tilausta ei kuitenkaan lähetetty", "ei", CULPA_CLASS_NEG},
    {"fi", "oma kyllä ihan vika, hyvä", "hyvä", CULPA_CLASS_VAL},         /* not two */
    {"fi", "oma. Kyllä vika, hyvä", "hyvä", CULPA_CLASS_VAL},             /* not across a sentence */
    {"vi", "phục vụ quá tệ", "phục vụ", CULPA_CLASS_BIZ},                 /* Finnish only */
    /* Vietnamese: syllable phrases, old and new tone placement */
    {"vi", "phục vụ tệ", "phục vụ tệ", CULPA_CLASS_FAULT_BIZ},
    {"vi", "rất hòa nhã", "hoà nhã", CULPA_CLASS_VAL},
    /* Vietnamese typed without marks: the terms without theirs */
    {"vi", "phuc vu te", "phuc vu te", CULPA_CLASS_FAULT_BIZ},
    {"vi", "rat hoa nha", "hoa nha", CULPA_CLASS_VAL},
};

CASES_BY_INDEX(languages, matching, match_cases)

ParameterizedTest(size_t *i, languages, matching)
{
    const match_case *c = &match_cases[*i];
    cr_assert_eq(culpa_scorer_set_lang(sc, c->lang), CULPA_OK);
    size_t n;
    const culpa_match *m = first_match(c->text, &n);
    cr_assert_eq(m[0].term_len, strlen(c->term), "\"%s\": %.*s", c->text, (int)m[0].term_len, m[0].term);
    cr_assert_eq(memcmp(m[0].term, c->term, m[0].term_len), 0, "\"%s\"", c->text);
    cr_assert_eq(m[0].cls, c->cls, "\"%s\": class %s", c->text, culpa_class_str(m[0].cls));
}

typedef struct {
    const char *text;
    int sign;
} negation_case;

static negation_case negation_cases[] = {
    {"好", 1},   {"不好", -1},  {"不很好", -1}, /* Chinese negators bind forward */
    {"טוב", 1},  {"לא טוב", -1},
    {"hyvä", 1}, {"ei ollut hyvä", -1},         /* the Finnish negation verb */
    {"tốt", 1},  {"không tốt", -1},
    {"rat tot", 1}, {"khong tot", -1},        /* without marks */
    {"没洗 谢谢", 1},                           /* a space between Han ends the negator's reach */
};

CASES_BY_INDEX(languages, negation, negation_cases)

ParameterizedTest(size_t *i, languages, negation)
{
    const negation_case *c = &negation_cases[*i];
    culpa_result r = score(c->text);
    cr_assert_eq(r.sentiment > 0 ? 1 : -1, c->sign, "\"%s\": %f", c->text, r.sentiment);
}
