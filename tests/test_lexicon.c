/* Lexicon stage: the file format, its errors, overrides, phrases and stems. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "cases.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "culpa.h"
#include "lexicon.h"

static culpa_lexicon *build_lang(const char *lang, const char *tsv)
{
    culpa_builder *b = culpa_builder_new();
    culpa_error err;
    cr_assert_eq(culpa_builder_add_tsv(b, lang, tsv, strlen(tsv), "t.tsv", &err), CULPA_OK, "%s",
                 err.message);
    culpa_lexicon *lex = NULL;
    cr_assert_eq(culpa_builder_build(b, &lex, &err), CULPA_OK);
    culpa_builder_free(b);
    return lex;
}

static culpa_lexicon *build(const char *tsv) { return build_lang("en", tsv); }

static const lex_slot *find(const culpa_lexicon *lex, const char *key)
{
    return lex_find_term(&lex_lang_find(lex, "en")->words, key, strlen(key));
}

typedef struct {
    const char *tsv;
    unsigned line;
    const char *message; /* a part of the message */
} bad_case;

static bad_case bad_cases[] = {
    {"good\tval\n", 1, "three tab-separated fields"},
    {"good\tval\t1\textra\n", 1, "three tab-separated fields"},
    {"# c\n\ngood\tvalence\t1\n", 3, "unknown class 'valence'"},
    {"good\tval\tx\n", 1, "weight 'x' is not a number"},
    {"good\tval\t\n", 1, "weight '' is not a number"},
    {"good\tval\t1.5x\n", 1, "not a number"},
    {"good\tval\tnan\n", 1, "not a number"},
    {"good\tval\t9\n", 1, "outside -5..5"},
    {"staff\tbiz\t-1\n", 1, "outside 0..4"},
    {"good\tval\t1\nbad\tval\t-1\nGood\tval\t2\n", 3, "duplicate entry"},
    {"a b c d e f g h i\tval\t1\n", 1, "more than 8 words"},
    {"not, bad\tval\t1\n", 1, "punctuation that splits it"},
    {"...\tval\t1\n", 1, "no word"},
    {"\tval\t1\n", 1, "empty term"},
    {"bad\xFFterm\tval\t1\n", 1, "not valid UTF-8"},
    {"two words*\tval\t1\n", 1, "a stem must be one word"},
    {"  good\tval\t1\n", 1, "starts with white space"},
};

CASES_BY_INDEX(lexicon, errors_name_the_line, bad_cases)

ParameterizedTest(size_t *i, lexicon, errors_name_the_line)
{
    const bad_case *c = &bad_cases[*i];
    culpa_builder *b = culpa_builder_new();
    culpa_error err;
    culpa_status st = culpa_builder_add_tsv(b, "en", c->tsv, strlen(c->tsv), "bad.tsv", &err);
    cr_assert_eq(st, CULPA_ERR_LEXICON);
    cr_assert_eq(err.status, CULPA_ERR_LEXICON);
    cr_assert_eq(err.line, c->line, "line %u, message %s", err.line, err.message);
    cr_assert_str_eq(err.path, "bad.tsv");
    char prefix[64];
    snprintf(prefix, sizeof prefix, "bad.tsv:%u: ", c->line);
    cr_assert_eq(strncmp(err.message, prefix, strlen(prefix)), 0, "%s", err.message);
    cr_assert_not_null(strstr(err.message, c->message), "%s", err.message);
    culpa_builder_free(b);
}

Test(lexicon, an_overlong_term_is_refused)
{
    char tsv[700];
    memset(tsv, 'a', 600);
    strcpy(tsv + 600, "\tval\t1\n");
    culpa_builder *b = culpa_builder_new();
    culpa_error err;
    cr_assert_eq(culpa_builder_add_tsv(b, "en", tsv, strlen(tsv), "long.tsv", &err), CULPA_ERR_LEXICON);
    cr_assert_not_null(strstr(err.message, "longer than 255 bytes"), "%s", err.message);
    culpa_builder_free(b);
}

Test(lexicon, terms_are_normalized_like_text)
{
    culpa_lexicon *lex = build("GOOD\tval\t1.9\nCustomer Service\tbiz\t1\nCAFE\xCC\x81\tval\t1\n"
                               "don\xE2\x80\x99t\tneg\t1\n");
    cr_assert_not_null(find(lex, "good"));
    cr_assert_float_eq(find(lex, "good")->weight[CULPA_CLASS_VAL], 1.9f, 1e-6);
    cr_assert_not_null(find(lex, "customer service"));
    cr_assert_not_null(find(lex, "caf\xC3\xA9"));
    cr_assert_not_null(find(lex, "don't"));
    cr_assert_null(find(lex, "GOOD"));
    culpa_lexicon_free(lex);
}

/* Weights are read as strtod reads them, whether the plain-decimal path
 * ("2.5", "-0.8") or strtod itself ("1e-1", "+2", many digits) reads them. */
Test(lexicon, weights_read_as_strtod_reads_them)
{
    const char *weights[] = {"2.5", "-0.8", "1", "0.1", "-3.7", ".5", "5.", "0.000001", "-0",
                             "1.23456789012345", "1e-1", "+2", "0.1234567890123456789", "3.30"};
    char tsv[2048];
    size_t n = 0;
    for (size_t i = 0; i < sizeof weights / sizeof *weights; i++)
        n += (size_t)snprintf(tsv + n, sizeof tsv - n, "word%c\tval\t%s\n", (char)('a' + i), weights[i]);
    culpa_lexicon *lex = build(tsv);
    for (size_t i = 0; i < sizeof weights / sizeof *weights; i++) {
        char key[8];
        snprintf(key, sizeof key, "word%c", (char)('a' + i));
        const lex_slot *s = find(lex, key);
        cr_assert_not_null(s, "%s", weights[i]);
        float want = (float)strtod(weights[i], NULL);
        cr_assert(memcmp(&s->weight[CULPA_CLASS_VAL], &want, sizeof want) == 0, "%s: %.9g, strtod %.9g",
                  weights[i], s->weight[CULPA_CLASS_VAL], want);
    }
    culpa_lexicon_free(lex);
}

/* A term of plain lower-case words is taken as it stands, any other goes
 * through the tokenizer: both give the key matching looks up. */
Test(lexicon, plain_and_other_terms_get_the_same_keys)
{
    culpa_lexicon *lex = build("rude staff\tfault_biz\t1\nRude  Waiter\tfault_biz\t1\n"
                               "very rude waiter\tfault_biz\t1\n");
    cr_assert_not_null(find(lex, "rude staff"));
    cr_assert_not_null(find(lex, "rude waiter"));
    cr_assert_not_null(find(lex, "very rude waiter"));
    cr_assert_eq(find(lex, "very rude")->phrase_max, 3);
    culpa_lexicon_free(lex);
}

/* Matching hashes each token once and extends a phrase's hash token by
 * token: the table must be keyed the same way, and word order must count. */
Test(lexicon, a_phrase_is_keyed_by_its_tokens_hashes)
{
    uint64_t fine = lex_token_hash("fine", 4), dining = lex_token_hash("dining", 6);
    cr_assert_eq(lex_term_hash("fine", 4), fine);
    cr_assert_eq(lex_term_hash("fine dining", 11), lex_phrase_hash(fine, dining));
    cr_assert_neq(lex_term_hash("fine dining", 11), lex_term_hash("dining fine", 11));
    culpa_lexicon *lex = build("not at all good\tval\t-1\n");
    const lex_table *words = &lex_lang_find(lex, "en")->words;
    uint64_t h = lex_token_hash("not", 3);
    h = lex_phrase_hash(h, lex_token_hash("at", 2));
    const lex_slot *not_slot = lex_lookup(words, "not", 3, lex_token_hash("not", 3));
    cr_assert_not_null(not_slot, "the first word has a slot");
    cr_assert(not_slot->next >> lex_next_bit(lex_token_hash("at", 2)) & 1, "it knows \"at\" follows");
    cr_assert_eq(__builtin_popcountll(not_slot->next), 1, "and nothing else does");
    cr_assert_not_null(lex_lookup(words, "not at", 6, h), "the prefix has a slot");
    h = lex_phrase_hash(lex_phrase_hash(h, lex_token_hash("all", 3)), lex_token_hash("good", 4));
    const lex_slot *s = lex_lookup(words, "not at all good", 15, h);
    cr_assert_not_null(s);
    cr_assert_float_eq(s->weight[CULPA_CLASS_VAL], -1.0f, 1e-6);
    cr_assert_null(lex_lookup(words, "not at all good", 15, h ^ 1), "a wrong hash finds nothing");
    culpa_lexicon_free(lex);
}

Test(lexicon, a_phrase_announces_itself_on_its_first_word)
{
    culpa_lexicon *lex = build("never arrived\tfault_biz\t2.5\nnever\tneg\t1\nmy fault\tfault_cust\t2\n");
    const lex_slot *never = find(lex, "never");
    cr_assert_eq(never->phrase_max, 2);
    cr_assert(never->classes & (1u << CULPA_CLASS_NEG));
    const lex_slot *my = find(lex, "my");
    cr_assert_not_null(my);
    cr_assert_eq(my->classes, 0); /* no class of its own */
    cr_assert_eq(my->phrase_max, 2);
    cr_assert_eq(culpa_lexicon_size(lex, "en"), 3);
    culpa_lexicon_free(lex);
}

Test(lexicon, one_term_may_have_several_classes)
{
    culpa_lexicon *lex = build("late\tval\t-1\nlate\tfault_biz\t1\n");
    const lex_slot *s = find(lex, "late");
    cr_assert(s->classes & (1u << CULPA_CLASS_VAL));
    cr_assert(s->classes & (1u << CULPA_CLASS_FAULT_BIZ));
    culpa_lexicon_free(lex);
}

/* Terms without their marks, for text typed without them. */
typedef struct {
    const char *term, *folded;
} fold_case;

static fold_case fold_cases[] = {
    {"th\xC3\xA1i \xC4\x91\xE1\xBB\x99", "thai do"},              /* thái độ: tone and hat off, đ plain */
    {"\xC6\xB0\xE1\xBB\x9Bt", "uot"},                             /* ướt: the horn is a mark too */
    {"kh\xC3\xB4ng", "khong"},                                         /* không */
    {"ho\xC3\xA0 nh\xC3\xA3", "hoa nha"},                            /* hoà nhã */
    {"ngon", "ngon"},                                                 /* already without */
    {"\xC3\xA4\xC3\xB6", "ao"},                                       /* äö */
    {"\xE5\xA5\xBD \xD7\x98\xD7\x95\xD7\x91", "\xE5\xA5\xBD \xD7\x98\xD7\x95\xD7\x91"}, /* no marks to take */
    {"\xEA\xB0\x80", "\xEA\xB0\x80"},                                /* a Hangul syllable stays whole */
};

CASES_BY_INDEX(lexicon, marks_come_off, fold_cases)

ParameterizedTest(size_t *i, lexicon, marks_come_off)
{
    const fold_case *c = &fold_cases[*i];
    char out[64];
    int n = lex_fold_marks(c->term, strlen(c->term), out);
    cr_assert_eq(n, (int)strlen(c->folded), "\"%s\": %d bytes", c->term, n);
    cr_assert_eq(memcmp(out, c->folded, (size_t)n), 0, "\"%s\" -> \"%.*s\"", c->term, n, out);
}

/* Vietnamese gets its terms without marks too.  A single syllable keeps its
 * term there only when the phrases use it far more than any other syllable
 * that reads the same ("ở" over "ố" for "o"), or when it was written without
 * marks; phrases keep theirs, and two terms that meet keep the weaker
 * weight, or none when their signs differ. */
Test(lexicon, vietnamese_terms_without_marks)
{
    const char *tsv = "\xE1\xBB\x9F \xC4\x91\xC3\xA2y\tbiz\t0.5\n"        /* ở đây */
                      "\xE1\xBB\x9F qu\xC3\xA1n\tbiz\t0.5\n"                /* ở quán */
                      "\xE1\xBB\x91\tval\t-1\n"                              /* ố: a stain */
                      "r\xE1\xBA\xA5t t\xE1\xBB\x91t\tval\t2.2\n"           /* rất tốt */
                      "t\xE1\xBB\x91t\tval\t1.9\n"                           /* tốt */
                      "ngon\tval\t2\n"
                      "ch\xC6\xB0" "a\tneg\t1\n"                              /* chưa: not yet */
                      "chua\tval\t-0.5\n"                                      /* sour, written plain */
                      "b\xE1\xBA\xA9n\tval\t-2\n"                           /* bẩn: dirty */
                      "b\xC3\xA1n h\xC3\xA0ng\tbiz\t1\n"                     /* bán hàng */
                      "b\xE1\xBA\xA1n b\xC3\xA8\tthird\t1\n"                /* bạn bè */
                      "gi\xC3\xA1 \xC4\x91\xE1\xBA\xAFt\tval\t-1.2\n"       /* giá đắt */
                      "gi\xC3\xA1 \xC4\x91\xE1\xBA\xB7t\tval\t0.5\n";       /* giá đặt */
    culpa_lexicon *lex = build_lang("vi", tsv);
    const lex_lang *vi = lex_lang_find(lex, "vi");
    cr_assert_not_null(vi->unmarked);
    const lex_table *u = &vi->unmarked->words;
#define UNMARKED(key) lex_find_term(u, key, strlen(key))
#define CLASSES(key) (UNMARKED(key) ? UNMARKED(key)->classes : 0)
    cr_assert_not_null(UNMARKED("o day"));
    cr_assert_eq(CLASSES("o"), 0, "\"o\" is mostly \"\xE1\xBB\x9F\", not the stain");
    cr_assert_not_null(UNMARKED("tot"), "\"t\xE1\xBB\x91t\" is the only \"tot\"");
    cr_assert_not_null(UNMARKED("ngon"));
    cr_assert_eq(CLASSES("ban"), 0, "\"b\xC3\xA1n\" and \"b\xE1\xBA\xA1n\" are as common as \"b\xE1\xBA\xA9n\"");
    const lex_slot *chua = UNMARKED("chua");
    cr_assert_not_null(chua, "written without marks, it stays");
    cr_assert_eq(chua->classes, 1u << CULPA_CLASS_VAL, "\"ch\xC6\xB0" "a\" is in no phrase: it does not come in");
    cr_assert_float_eq(UNMARKED("gia dat")->weight[CULPA_CLASS_VAL], 0.0f, 1e-6, "signs differ: none");
#undef UNMARKED
#undef CLASSES
    culpa_lexicon_free(lex);
}

/* The verdict model of Vietnamese typed without marks reads its words
 * without them too: "chậm" as "cham", and the words that fold alike at
 * their mean ("bán" 2 and "bạn" 0: "ban" 1). */
Test(lexicon, vietnamese_verdict_words_without_marks)
{
    static const char model[] = "max_terms\t5\nbias\t0\t0\t0\t0\n"
                                "word\tch\xE1\xBA\xADm\t3\t0\t0\t-1\n" /* chậm: slow */
                                "word\tb\xC3\xA1n\t2\t0\t0\t0\n"        /* bán: sell */
                                "word\tb\xE1\xBA\xA1n\t0\t0\t0\t0\n"   /* bạn: you */
                                "word\tok\t0\t0\t0\t1\n";
    char path[64];
    snprintf(path, sizeof path, "/tmp/culpa-test-%ld.model", (long)getpid());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(model, f);
    fclose(f);
    culpa_builder *b = culpa_builder_new();
    culpa_error err;
    cr_assert_eq(culpa_builder_add_tsv(b, "vi", "ngon\tval\t2\n", 11, "t.tsv", &err), CULPA_OK);
    cr_assert_eq(culpa_builder_add_file(b, "vi", path, &err), CULPA_OK, "%s", err.message);
    culpa_lexicon *lex = NULL;
    cr_assert_eq(culpa_builder_build(b, &lex, &err), CULPA_OK);
    culpa_builder_free(b);
    remove(path);
    const lex_lang *vi = lex_lang_find(lex, "vi");
    const verdict_words *marked = &vi->verdict.words, *plain = &vi->unmarked->verdict.words;
#define WEIGHT(w, key, k) verdict_word_find(w, text_token_hash(key, strlen(key)))->weight[k]
    cr_assert_eq(marked->count, 4);
    cr_assert_float_eq(WEIGHT(marked, "ch\xE1\xBA\xADm", 0), 3.0f, 1e-6);
    cr_assert_null(verdict_word_find(marked, text_token_hash("cham", 4)), "marked words keep their marks");
    cr_assert_eq(plain->count, 3, "cham, ban, ok");
    cr_assert_float_eq(WEIGHT(plain, "cham", 0), 3.0f, 1e-6);
    cr_assert_float_eq(WEIGHT(plain, "cham", 3), -1.0f, 1e-6);
    cr_assert_float_eq(WEIGHT(plain, "ban", 0), 1.0f, 1e-6, "the mean of 2 and 0");
    cr_assert_float_eq(WEIGHT(plain, "ok", 3), 1.0f, 1e-6);
#undef WEIGHT
    cr_assert_eq(vi->unmarked->verdict.max_terms, 5, "the rest of the model is the same");
    culpa_lexicon_free(lex);
}

/* "#" is a comment at the start of a line with no tab, and a term's number
 * wildcard in an entry ("# hours late"). */
Test(lexicon, a_line_with_tabs_may_start_with_the_number_wildcard)
{
    /* the first line, read as an entry, would fail the build */
    culpa_lexicon *lex = build("# hours late, a comment\n# hours late\tfault_biz\t1\n"
                               "waited # minutes\tfault_biz\t1\n");
    cr_assert_not_null(find(lex, "# hours late"));
    cr_assert_not_null(find(lex, "waited # minutes"));
    cr_assert(lex_lang_find(lex, "en")->number_terms);
    culpa_lexicon_free(lex);
    lex = build("late\tval\t-1\n");
    cr_assert_not(lex_lang_find(lex, "en")->number_terms, "no term has the wildcard");
    culpa_lexicon_free(lex);
}

Test(lexicon, stems_match_the_longest_prefix)
{
    culpa_lexicon *lex = build("huono*\tval\t-2\nhuonompi*\tval\t-1\n");
    const lex_lang *en = lex_lang_find(lex, "en");
    const lex_slot *s = lex_find_stem(en, "huonoa", 6);
    cr_assert_not_null(s);
    cr_assert_float_eq(s->weight[CULPA_CLASS_VAL], -2.0f, 1e-6);
    s = lex_find_stem(en, "huonompaa", 9); /* "huonompi" is no prefix: the shorter stem */
    cr_assert_float_eq(s->weight[CULPA_CLASS_VAL], -2.0f, 1e-6);
    s = lex_find_stem(en, "huonompina", 10);
    cr_assert_float_eq(s->weight[CULPA_CLASS_VAL], -1.0f, 1e-6);
    cr_assert_not_null(lex_find_stem(en, "huono", 5)); /* the stem itself */
    cr_assert_null(lex_find_stem(en, "huon", 4));
    culpa_lexicon_free(lex);
}

/* Stems of four bytes or more go through a filter of how they begin; the
 * shorter ones must still be found past it. */
Test(lexicon, short_and_long_stems_pass_the_filter)
{
    culpa_lexicon *lex = build("ok*\tval\t1\nhyv*\tval\t1.5\nterrib*\tval\t-2\n");
    const lex_lang *en = lex_lang_find(lex, "en");
    cr_assert_not_null(en->stem_heads);
    cr_assert_not_null(lex_find_stem(en, "okay", 4), "two-byte stem");
    cr_assert_not_null(lex_find_stem(en, "hyvää", 7), "three-byte stem");
    cr_assert_not_null(lex_find_stem(en, "terribly", 8), "six-byte stem");
    cr_assert_null(lex_find_stem(en, "termite", 7));
    cr_assert_null(lex_find_stem(en, "ter", 3));
    culpa_lexicon_free(lex);
}

Test(lexicon, later_additions_override_and_common_reaches_every_language)
{
    culpa_builder *b = culpa_builder_new();
    culpa_error err;
    const char base[] = "good\tval\t1.9\nbad\tval\t-2.5\n";
    const char mine[] = "good\tval\t3\n";
    const char common[] = "\xF0\x9F\x91\x8D\tval\t1.8\ngood\tval\t0.5\n";
    cr_assert_eq(culpa_builder_add_tsv(b, "common", common, strlen(common), "c", &err), CULPA_OK);
    cr_assert_eq(culpa_builder_add_tsv(b, "en", base, strlen(base), "a", &err), CULPA_OK);
    cr_assert_eq(culpa_builder_add_tsv(b, "en", mine, strlen(mine), "b", &err), CULPA_OK);
    cr_assert_eq(culpa_builder_add_tsv(b, "fi", "", 0, "f", &err), CULPA_OK);
    culpa_lexicon *lex;
    cr_assert_eq(culpa_builder_build(b, &lex, &err), CULPA_OK);
    cr_assert_eq(culpa_lexicon_lang_count(lex), 2);
    cr_assert_float_eq(find(lex, "good")->weight[CULPA_CLASS_VAL], 3.0f, 1e-6);
    cr_assert_float_eq(find(lex, "bad")->weight[CULPA_CLASS_VAL], -2.5f, 1e-6);
    const lex_lang *fi = lex_lang_find(lex, "fi");
    cr_assert_not_null(lex_find(&fi->words, "\xF0\x9F\x91\x8D", 4));
    cr_assert_float_eq(lex_find(&fi->words, "good", 4)->weight[CULPA_CLASS_VAL], 0.5f, 1e-6);
    culpa_lexicon_free(lex);
    culpa_builder_free(b);
}

Test(lexicon, loads_the_shipped_folder)
{
    culpa_lexicon *lex = NULL;
    culpa_error err;
    cr_assert_eq(culpa_lexicon_load(CULPA_TEST_LEXICONS, "en", &lex, &err), CULPA_OK, "%s",
                 err.message);
    cr_assert_gt(culpa_lexicon_size(lex, "en"), 9000);
    cr_assert_str_eq(culpa_lexicon_lang(lex, 0), "en");
    cr_assert_null(culpa_lexicon_lang(lex, 1));
    culpa_lexicon_free(lex);
}

Test(lexicon, missing_folders_and_languages_are_clear_errors)
{
    culpa_lexicon *lex = (culpa_lexicon *)1;
    culpa_error err;
    cr_assert_eq(culpa_lexicon_load("/nonexistent/lexicons", NULL, &lex, &err), CULPA_ERR_NOT_FOUND);
    cr_assert_null(lex);
    cr_assert_not_null(strstr(err.message, "/nonexistent/lexicons"));
    cr_assert_eq(culpa_lexicon_load(CULPA_TEST_LEXICONS, "xx", &lex, &err), CULPA_ERR_NOT_FOUND);
    cr_assert_not_null(strstr(err.message, "'xx'"), "%s", err.message);
    cr_assert_eq(culpa_lexicon_load(CULPA_TEST_LEXICONS, "EN", &lex, &err), CULPA_ERR_ARG);
    cr_assert_eq(culpa_lexicon_load(CULPA_TEST_LEXICONS, "und", &lex, &err), CULPA_ERR_ARG);
}

Test(lexicon, nothing_added_is_an_error_and_free_takes_null)
{
    culpa_builder *b = culpa_builder_new();
    culpa_lexicon *lex;
    culpa_error err;
    cr_assert_eq(culpa_builder_build(b, &lex, &err), CULPA_ERR_ARG);
    culpa_builder_free(b);
    culpa_builder_free(NULL);
    culpa_lexicon_free(NULL);
}
