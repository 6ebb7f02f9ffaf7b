/* Text stage: UTF-8 decoding and repair, normalization, tokens and flags. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "cases.h"
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "text.h"

/* Tokens of `in` as "norm|norm|...", with "^" before a sentence start (other
 * than the first), "," before a clause start, and "!" after a CAPS token. */
static void render(const char *in, size_t n, char *out, size_t cap)
{
    text_buf t = {0};
    cr_assert_eq(text_tokenize(&t, in, n), 0);
    size_t o = 0;
    for (uint32_t i = 0; i < t.ntok; i++) {
        const token *tk = &t.tok[i];
        if (i) out[o++] = '|';
        if (i && (tk->flags & TF_SENT_START)) out[o++] = '^';
        else if (i && (tk->flags & TF_CLAUSE_START)) out[o++] = ',';
        cr_assert_lt(o + tk->norm_len + 2, cap);
        memcpy(out + o, t.norm + tk->norm_off, tk->norm_len);
        o += tk->norm_len;
        if (tk->flags & TF_CAPS) out[o++] = '!';
        if (tk->flags & TF_QUOTED) out[o++] = '~';
    }
    out[o] = '\0';
    text_free(&t);
}

typedef struct {
    const char *in;
    const char *tokens;
} tok_case;

static tok_case tok_cases[] = {
    {"The waiter was RUDE.", "the|waiter|was|rude!"},
    {"Don't go there", "don't|go|there"},
    {"Don\xE2\x80\x99t go", "don't|go"},                            /* U+2019 apostrophe */
    {"'quoted' words", "quoted~|words"},                            /* quotes are not letters */
    {"well-made, top-notch", "well|made|,top|notch"},               /* hyphens join */
    {"good - bad", "good|,bad"},                                    /* a spaced dash splits */
    {"rated 4.5 stars", "rated|4.5|stars"},
    {"odotin 1,5 tuntia", "odotin|1,5|tuntia"},                     /* a decimal comma */
    {"paid 1,200 for 2, then 3", "paid|1,200|for|2|,then|3"},       /* a comma between digits only */
    {"4.\xC3\xA9t\xC3\xA9 5.", "4|^\xC3\xA9t\xC3\xA9|5"},   /* a point before a non-ASCII letter */
    {"end. Next one! Really? yes", "end|^next|one|^really|^yes"},
    {"a, b; c: d (e)", "a|,b|,c|,d|,e"},
    {"line one\nline two", "line|one|^line|two"},
    {"Caf\xC3\xA9 CR\xC3\x88ME", "caf\xC3\xA9|cr\xC3\xA8me!"},      /* non-ASCII lower case */
    {"Cafe\xCC\x81", "caf\xC3\xA9"},                                /* NFC: e + U+0301 */
    {"\xE6\x9C\x8D\xE5\x8B\x99\xE5\xB7\xAE", "\xE6\x9C\x8D|\xE5\x8B\x99|\xE5\xB7\xAE"}, /* Han: one a token */
    {"\xD7\xA9\xD6\xB8\xD7\x9C\xD7\x95\xD6\xB9\xD7\x9D", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"}, /* niqqud off */
    {"great \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD!", "great|\xF0\x9F\x91\x8D"}, /* skin tone dropped */
    {"love it :-) <3", "love|it|:-)|,<3"},                          /* emoticons */
    {"(I mean it)", "i|mean|it"},                                   /* "(I" is no emoticon */
    {"OK I", "ok!|i"},                                              /* one letter is never CAPS */
    {"x\xC2\x85y", "x|^y"},                                         /* U+0085 NEL ends a sentence */
    {"\xEF\xBB\xBFhello", "hello"},                                 /* a BOM is not a word */
    {"hòa khỏe thủy", "hoà|khoẻ|thuỷ"},     /* old tone placement -> modern */
    {"tùy HÒA", "tuỳ|hoà!"},                /* "tùy" -> "tuỳ" grows by a byte */
    {"hoàn thuỷ", "hoàn|thuỷ"},             /* already modern */
    {"\xE6\xB2\xA1\xE6\xB4\x97 \xE8\xB0\xA2", "\xE6\xB2\xA1|\xE6\xB4\x97|,\xE8\xB0\xA2"}, /* a space between Han splits */
    {"\xE5\xA5\xBD wifi \xE5\xB7\xAE", "\xE5\xA5\xBD|wifi|\xE5\xB7\xAE"}, /* around a Latin word it does not */
    {"@Moto_Support it broke", "it|broke"},                       /* a mention is no word */
    {"hi @Care_Team2!", "hi"},
    {"mail me@home", "mail|me|home"},                               /* an address is not a mention */
    {"took # days", "took|#|days"},                                 /* a lone "#": any number */
    {"#1 pick #foodie ##", "1|pick|foodie"},                        /* tags are not */
    {"\xE7\xAD\x89#\xE5\x88\x86", "\xE7\xAD\x89|#|\xE5\x88\x86"},  /* between Han characters it is alone */
    /* a word alone in quotation marks (scare quotes) is marked "~"; more words are speech */
    {"the \"fresh\" fish", "the|fresh~|fish"},
    {"their 'fast' delivery", "their|fast~|delivery"},
    {"such \xE2\x80\x9Chelpful\xE2\x80\x9D staff", "such|helpful~|staff"},        /* “helpful” */
    {"so \xE2\x80\x98" "friendly\xE2\x80\x99", "so|friendly~"},               /* ‘friendly’ */
    {"\xE2\x80\x9C\xE5\xA5\xBD\xE5\x90\x83\xE2\x80\x9D", "\xE5\xA5\xBD~|\xE5\x90\x83~"}, /* “好吃”: one Chinese word */
    {"wrote \"happy anniversary\" on it", "wrote|happy|anniversary|on|it"},
    /* a '"' between letters is a Hebrew acronym's, no quotation mark: צה"ל "מעולה" */
    {"\xD7\xA6\xD7\x94\"\xD7\x9C \"\xD7\x9E\xD7\xA2\xD7\x95\xD7\x9C\xD7\x94\"",
     "\xD7\xA6\xD7\x94|\xD7\x9C|\xD7\x9E\xD7\xA2\xD7\x95\xD7\x9C\xD7\x94~"},
    {"the O\"Hara \"deal\"", "the|o|hara|deal~"},
    {"the customers' cars, don't", "the|customers|cars|,don't"},    /* apostrophes quote nothing */
    {"", ""},
};

CASES_BY_INDEX(text, tokens, tok_cases)

ParameterizedTest(size_t *i, text, tokens)
{
    const tok_case *c = &tok_cases[*i];
    char out[512];
    render(c->in, strlen(c->in), out, sizeof out);
    cr_assert_str_eq(out, c->tokens, "input \"%s\"", c->in);
}

typedef struct {
    const char *bytes;
    size_t len;
    int32_t cp;
    size_t consumed;
    int bad;
} utf8_case;

static utf8_case utf8_cases[] = {
    {"A", 1, 'A', 1, 0},
    {"\xC3\xA9", 2, 0xE9, 2, 0},
    {"\xE2\x82\xAC", 3, 0x20AC, 3, 0},
    {"\xF0\x9F\x98\x80", 4, 0x1F600, 4, 0},
    {"\xC0\xAF", 2, 0xFFFD, 1, 1},         /* overlong lead byte */
    {"\xE0\x80\xAF", 3, 0xFFFD, 1, 1},     /* overlong three-byte form */
    {"\xED\xA0\x80", 3, 0xFFFD, 1, 1},     /* a UTF-16 surrogate */
    {"\xE2\x82", 2, 0xFFFD, 2, 1},         /* truncated at the end */
    {"\xE2\x82X", 3, 0xFFFD, 2, 1},        /* truncated before ASCII */
    {"\xF5\x80\x80\x80", 4, 0xFFFD, 1, 1}, /* above U+10FFFF */
    {"\xFF", 1, 0xFFFD, 1, 1},
    {"\x80", 1, 0xFFFD, 1, 1},             /* lone continuation byte */
    {"\xF4\x90\x80\x80", 4, 0xFFFD, 1, 1}, /* U+110000 */
};

CASES_BY_INDEX(text, utf8_decode, utf8_cases)

ParameterizedTest(size_t *i, text, utf8_decode)
{
    const utf8_case *c = &utf8_cases[*i];
    int32_t cp;
    int bad = 0;
    size_t k = utf8_decode((const unsigned char *)c->bytes, c->len, &cp, &bad);
    cr_assert_eq(cp, c->cp);
    cr_assert_eq(k, c->consumed);
    cr_assert_eq(bad, c->bad);
}

Test(text, repairs_are_counted_and_words_survive)
{
    text_buf t = {0};
    const char in[] = "bad\xFF" "byte \xC0\xAF here \xE2\x82";
    cr_assert_eq(text_tokenize(&t, in, sizeof in - 1), 0);
    cr_assert_eq(t.repairs, 4); /* C0 AF is two maximal subparts */
    cr_assert_eq(t.ntok, 3);
    cr_assert_eq(memcmp(t.norm + t.tok[2].norm_off, "here", 4), 0);
    text_free(&t);
}

Test(text, caps_and_script_counts)
{
    text_buf t = {0};
    const char in[] = "TERRIBLE service, truly AWFUL";
    cr_assert_eq(text_tokenize(&t, in, sizeof in - 1), 0);
    cr_assert_eq(t.caps_words, 2);
    cr_assert_eq(t.cased_words, 4);
    cr_assert_eq(t.script[SCRIPT_LATIN], 25);
    text_free(&t);
}

Test(text, links_are_counted)
{
    text_buf t = {0};
    const char in[] = "see https://t.co/ab and HTTP://x.io, not http:/ nor at:// or xhttp://y";
    cr_assert_eq(text_tokenize(&t, in, sizeof in - 1), 0);
    cr_assert_eq(t.links, 2);
    cr_assert_eq(text_tokenize(&t, "http:", 5), 0); /* at the very end */
    cr_assert_eq(t.links, 0);
    text_free(&t);
}

/* Questions asked with a full-width mark, a run of them once; "?" is not one. */
Test(text, full_width_questions_are_counted_once_a_run)
{
    text_buf t = {0};
    const char in[] = "是正品吗？？？为什么没有？\n？好吗?";
    cr_assert_eq(text_tokenize(&t, in, sizeof in - 1), 0);
    cr_assert_eq(t.asked, 3);
    cr_assert_eq(t.questions, 6);
    text_free(&t);
}

Test(text, source_offsets_point_into_the_input)
{
    text_buf t = {0};
    const char in[] = "  Caf\xC3\xA9  ok";
    cr_assert_eq(text_tokenize(&t, in, sizeof in - 1), 0);
    cr_assert_eq(t.ntok, 2);
    cr_assert_eq(t.tok[0].src_off, 2);
    cr_assert_eq(t.tok[0].src_len, 5);
    cr_assert_eq(t.tok[1].src_off, 9);
    text_free(&t);
}

/* Every input ends right before a page that cannot be read: an over-read
 * crashes the test. */
Test(text, never_reads_past_the_end)
{
    static const char *const inputs[] = {
        "abc", "don'", "4.", "\xE2\x82", "\xF0\x9F\x91", ":-", "x\xCC", "caf\xC3",
        "\xF0\x9F\x91\x8D\xE2\x80", "a-", "<3", "\xD7\xA9\xD6",
        "abcdefgh", "sevenlt", "ninelette", "x abcdefgh", /* the eight-byte letter paths */
    };
    long page = sysconf(_SC_PAGESIZE);
    char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(map, MAP_FAILED);
    cr_assert_eq(mprotect(map + page, (size_t)page, PROT_NONE), 0);
    text_buf t = {0};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        size_t n = strlen(inputs[i]);
        char *at = map + page - n;
        memcpy(at, inputs[i], n);
        cr_assert_eq(text_tokenize(&t, at, n), 0);
    }
    text_free(&t);
    munmap(map, (size_t)page * 2);
}
