/*
 * culpa — score customer reviews for sentiment and for who is blamed.
 *
 * For each review culpa computes a sentiment in [-1, 1] and two blame
 * strengths in [0, 1]: how strongly the text puts a failure on the business
 * (its staff, product, delivery, price, policy) and how strongly it puts the
 * fault on the customer (an admitted mistake, or a customer described as
 * unreasonable or abusive).  From them it derives a verdict: business,
 * customer, mixed or none.
 *
 * Objects
 *   culpa_lexicon  The term tables of one or more languages.  Built once
 *                  (culpa_lexicon_load or a culpa_builder), immutable
 *                  afterwards, and safe to share between any number of
 *                  threads.
 *   culpa_scorer   Per-thread scoring context.  Owns all scratch memory, so
 *                  scoring allocates nothing once the scratch has grown to
 *                  the largest review seen.  Never use one scorer from two
 *                  threads at once; make one per thread instead.
 *
 * Errors are values: every fallible call returns a culpa_status (0 on
 * success, negative on failure) and, where it takes one, fills a culpa_error
 * with a message and the file and line the problem comes from.  The library
 * never prints, never exits and keeps no global mutable state.
 *
 * Every *_new/_load has a matching *_free, and every *_free accepts NULL.
 */
#ifndef CULPA_H
#define CULPA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define CULPA_API
#else
#  define CULPA_API __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                  */
/* ------------------------------------------------------------------------ */

#define CULPA_VERSION_MAJOR 0
#define CULPA_VERSION_MINOR 1
#define CULPA_VERSION_PATCH 0
#define CULPA_VERSION_NUMBER \
    (CULPA_VERSION_MAJOR * 10000 + CULPA_VERSION_MINOR * 100 + CULPA_VERSION_PATCH)
#define CULPA_VERSION_STRING "0.1.0"

/** @return the version of the library actually linked, as
 *  MAJOR*10000 + MINOR*100 + PATCH.  Compare with CULPA_VERSION_NUMBER to
 *  detect a header/library mismatch. */
CULPA_API unsigned culpa_version_number(void);

/** @return the linked library's version as "MAJOR.MINOR.PATCH"; static
 *  storage, never NULL. */
CULPA_API const char *culpa_version_string(void);

/* ------------------------------------------------------------------------ */
/* Status codes                                                             */
/* ------------------------------------------------------------------------ */

/* One table generates the enum, the names and the messages.  The values are
 * pinned: they never change between releases; new codes are appended. */
#define CULPA_STATUS_TABLE(X)                                              \
    X(CULPA_OK, 0, "success")                                               \
    X(CULPA_ERR_NOMEM, -1, "out of memory")                                 \
    X(CULPA_ERR_ARG, -2, "invalid argument")                                \
    X(CULPA_ERR_IO, -3, "cannot read or write a file")                      \
    X(CULPA_ERR_NOT_FOUND, -4, "not found")                                 \
    X(CULPA_ERR_LEXICON, -5, "invalid lexicon entry")                       \
    X(CULPA_ERR_INPUT, -6, "invalid input")                                 \
    X(CULPA_ERR_STOPPED, -7, "stopped by the caller's callback")           \
    X(CULPA_ERR_TOO_LARGE, -8, "input exceeds a size limit")

typedef enum {
#define CULPA_STATUS_ENUM_(name, value, message) name = value,
    CULPA_STATUS_TABLE(CULPA_STATUS_ENUM_)
#undef CULPA_STATUS_ENUM_
} culpa_status;

/** @return a static, human-readable message for a status ("success",
 *  "out of memory", ...); "unknown status" for a value not in the table. */
CULPA_API const char *culpa_status_str(culpa_status st);

/** @return the status's symbolic name ("CULPA_ERR_LEXICON", ...). */
CULPA_API const char *culpa_status_name(culpa_status st);

/** Details of a failure, filled by calls that take a culpa_error *.
 *  `path` and `line` say where (line 0: not tied to a line); `message` is a
 *  complete sentence such as "lexicons/en/blame.tsv:12: weight 'x' is not a
 *  number".  The caller owns the struct; it may be passed as NULL. */
typedef struct {
    culpa_status status;
    unsigned line;
    char path[512];
    char message[768];
} culpa_error;

/* ------------------------------------------------------------------------ */
/* Lexicons                                                                 */
/* ------------------------------------------------------------------------ */

/* A lexicon folder holds one sub-folder per language ("en", "fi", ...) and
 * optionally "common" (terms for every language, such as emoji).  Each
 * sub-folder holds *.tsv files, read in name order, one entry a line:
 *
 *     term <TAB> class <TAB> weight        # comments and blank lines allowed
 *
 * Classes: val (valence, -4..4), boost (intensifier > 0, dampener < 0),
 * neg (negator), contrast ("but": 1; a concessive "although": 2; below 1 a
 * milder "but" that shifts less weight; 3 a summing-up, "all in all", whose
 * sentence weighs double), biz (a business party), cust (a customer
 * party), third (a third party such as the weather), fault_biz, fault_cust,
 * exonerate (business excused), reply (a sign that the business is the
 * writer, replying to a review).  A term may span several words; a term that
 * ends in '*' is a stem matching any continuation.  Terms go through the
 * same normalizer as review text (NFC, lower case, Hebrew points removed).
 * A later file or folder overrides an earlier one term by term and class by
 * class; the same term and class twice in one file is an error. */

typedef struct culpa_lexicon culpa_lexicon;
typedef struct culpa_builder culpa_builder;

/** Load the languages `langs` (comma-separated codes such as "en,fi"; NULL
 *  or "" for every language folder present) from the lexicon folder `dir`
 *  (NULL for culpa_default_lexicon_dir()).
 *  @return CULPA_OK and *out set, or an error with *out NULL and `err`
 *  filled (missing folder: CULPA_ERR_NOT_FOUND; bad entry:
 *  CULPA_ERR_LEXICON with path and line).  Free with culpa_lexicon_free. */
CULPA_API culpa_status culpa_lexicon_load(const char *dir, const char *langs,
                                          culpa_lexicon **out, culpa_error *err);

/** Release a lexicon; NULL is fine.  No scorer made from it may be used
 *  afterwards. */
CULPA_API void culpa_lexicon_free(culpa_lexicon *lex);

/** @return the folder culpa_lexicon_load reads when given NULL: the
 *  installed data folder fixed at build time.  Static storage. */
CULPA_API const char *culpa_default_lexicon_dir(void);

/** @return the number of languages in the lexicon. */
CULPA_API size_t culpa_lexicon_lang_count(const culpa_lexicon *lex);

/** @return the code of language `i` (0-based, in load order), or NULL when
 *  i is out of range.  Valid as long as the lexicon. */
CULPA_API const char *culpa_lexicon_lang(const culpa_lexicon *lex, size_t i);

/** @return the number of entries (term and class pairs) of language `lang`,
 *  0 when the language is not loaded. */
CULPA_API size_t culpa_lexicon_size(const culpa_lexicon *lex, const char *lang);

/** A builder assembles a lexicon from several folders, files or strings;
 *  later additions override earlier ones.  Not thread-safe.
 *  @return a builder, or NULL when out of memory. */
CULPA_API culpa_builder *culpa_builder_new(void);

/** Add the languages `langs` (as in culpa_lexicon_load) from folder `dir`.
 *  A language missing from `dir` is an error (CULPA_ERR_NOT_FOUND) only
 *  when `langs` names it explicitly. */
CULPA_API culpa_status culpa_builder_add_dir(culpa_builder *b, const char *dir,
                                             const char *langs, culpa_error *err);

/** Add the entries of one TSV file to language `lang` ("common" adds them
 *  to every language). */
CULPA_API culpa_status culpa_builder_add_file(culpa_builder *b, const char *lang,
                                              const char *path, culpa_error *err);

/** Add entries from memory (`len` bytes of TSV); `name` is used in error
 *  messages in place of a path. */
CULPA_API culpa_status culpa_builder_add_tsv(culpa_builder *b, const char *lang,
                                             const char *tsv, size_t len,
                                             const char *name, culpa_error *err);

/** Build the immutable lexicon.  The builder stays usable (and must still be
 *  freed).  @return CULPA_OK, or CULPA_ERR_NOMEM; CULPA_ERR_ARG when nothing
 *  was added. */
CULPA_API culpa_status culpa_builder_build(const culpa_builder *b, culpa_lexicon **out,
                                           culpa_error *err);

/** Release a builder; NULL is fine. */
CULPA_API void culpa_builder_free(culpa_builder *b);

/* ------------------------------------------------------------------------ */
/* Scoring one text                                                         */
/* ------------------------------------------------------------------------ */

typedef enum {
    CULPA_VERDICT_NONE = 0,     /* nobody is blamed */
    CULPA_VERDICT_BUSINESS = 1, /* the business is blamed */
    CULPA_VERDICT_CUSTOMER = 2, /* the customer is blamed */
    CULPA_VERDICT_MIXED = 3     /* both are explicitly at fault */
} culpa_verdict;

/** @return "none", "business", "customer" or "mixed" (static storage). */
CULPA_API const char *culpa_verdict_str(culpa_verdict v);

typedef struct {
    double sentiment;      /* -1 (negative) .. 1 (positive) */
    double blame_business; /* 0 .. 1: evidence that the business is at fault */
    double blame_customer; /* 0 .. 1: evidence that the customer is at fault */
    double blame;          /* blame_business - blame_customer, -1 .. 1 */
    culpa_verdict verdict;
    char lang[4];          /* "en", ..., or "und": NUL-terminated */
    uint32_t tokens;       /* words, numbers, emoji and emoticons seen */
    uint32_t matches;      /* lexicon terms matched */
    uint32_t utf8_repairs; /* invalid UTF-8 sequences replaced by U+FFFD */
} culpa_result;

typedef struct culpa_scorer culpa_scorer;

/** Make a scorer for `lex`, which must outlive it.
 *  @return the scorer, or NULL when out of memory or lex is NULL. */
CULPA_API culpa_scorer *culpa_scorer_new(const culpa_lexicon *lex);

/** Release a scorer; NULL is fine. */
CULPA_API void culpa_scorer_free(culpa_scorer *s);

/** Force the language of every following text ("en", ...), or detect it
 *  per text (NULL, "" or "auto", the default).
 *  @return CULPA_ERR_NOT_FOUND when the lexicon lacks that language. */
CULPA_API culpa_status culpa_scorer_set_lang(culpa_scorer *s, const char *lang);

/** Keep (on != 0) or skip (0, the default) the list of matched terms that
 *  culpa_scorer_explain returns. */
CULPA_API void culpa_scorer_set_explain(culpa_scorer *s, int on);

/** Score `len` bytes of UTF-8 text (need not be valid or NUL-terminated).
 *  Fills *out.  Allocates only when the text is larger than any before it
 *  on this scorer.
 *  @return CULPA_OK; CULPA_ERR_NOMEM (out holds a neutral result);
 *  CULPA_ERR_ARG for NULL arguments; CULPA_ERR_TOO_LARGE for texts over
 *  1 GiB. */
CULPA_API culpa_status culpa_score(culpa_scorer *s, const char *text, size_t len,
                                   culpa_result *out);

/** Lexicon classes, as named in the TSV files. */
typedef enum {
    CULPA_CLASS_VAL = 0,
    CULPA_CLASS_BOOST,
    CULPA_CLASS_NEG,
    CULPA_CLASS_CONTRAST,
    CULPA_CLASS_BIZ,
    CULPA_CLASS_CUST,
    CULPA_CLASS_THIRD,
    CULPA_CLASS_FAULT_BIZ,
    CULPA_CLASS_FAULT_CUST,
    CULPA_CLASS_EXONERATE,
    CULPA_CLASS_REPLY, /* the text is the business replying ("response from the owner") */
    CULPA_CLASS_PROMISE, /* what was ordered, paid for or promised ("paid for express") */
    CULPA_CLASS_OUTCOME, /* what came instead ("got", "turned up on") */
    CULPA_CLASS_COUNT
} culpa_class;

/** @return the class's name as written in lexicon files ("val", ...). */
CULPA_API const char *culpa_class_str(culpa_class c);

/* Flags of a culpa_match. */
#define CULPA_MATCH_NEGATED 1u   /* a negator stands before it */
#define CULPA_MATCH_BOOSTED 2u   /* an intensifier or dampener applied */
#define CULPA_MATCH_CAPS 4u      /* written in capitals among lower case */
#define CULPA_MATCH_BEFORE_CONTRAST 8u /* in the part before "but" */
#define CULPA_MATCH_AFTER_CONTRAST 16u /* in the part after "but" */
#define CULPA_MATCH_QUOTED 32u   /* alone in scare quotes ("fresh"): praise read as irony */
#define CULPA_MATCH_BROKEN_PROMISE 64u /* an outcome that falls short of a promise before it */

/** One matched term and what it contributed. */
typedef struct {
    const char *term;    /* the normalized term, not NUL-terminated */
    uint32_t term_len;
    uint32_t offset;     /* byte offset of the match in the scored text */
    uint32_t length;     /* byte length of the match in the scored text */
    culpa_class cls;     /* the class that decided its role */
    float weight;        /* the lexicon weight of that class */
    float sentiment;     /* its share of the raw sentiment sum */
    float business;      /* its share of the raw business blame evidence */
    float customer;      /* its share of the raw customer blame evidence */
    uint32_t flags;      /* CULPA_MATCH_* */
} culpa_match;

/** The terms matched by the last culpa_score on `s`, in text order, when
 *  explanations are on (else *count is 0).  The array and its `term`
 *  pointers stay valid until the next culpa_score or culpa_scorer_free on
 *  the same scorer. */
CULPA_API const culpa_match *culpa_scorer_explain(const culpa_scorer *s, size_t *count);

/* ------------------------------------------------------------------------ */
/* Scoring a whole file or stream                                           */
/* ------------------------------------------------------------------------ */

typedef enum {
    CULPA_INPUT_AUTO = 0, /* by file name (.json/.jsonl/.ndjson, .tsv, .csv, else lines);
                             standard input: jsonl when it starts with "{", else lines */
    CULPA_INPUT_JSONL,    /* one JSON object a line */
    CULPA_INPUT_TSV,      /* tab-separated, header row unless no_header */
    CULPA_INPUT_CSV,      /* RFC 4180 comma-separated, quoted fields */
    CULPA_INPUT_LINES     /* one review a line */
} culpa_input_format;

typedef enum {
    CULPA_OUTPUT_JSONL = 0,
    CULPA_OUTPUT_TSV,
    CULPA_OUTPUT_CSV
} culpa_output_format;

/** Receives output bytes, always in input order.  @return 0 to go on,
 *  non-zero to stop (the run then returns CULPA_ERR_STOPPED). */
typedef int (*culpa_write_fn)(void *user, const char *bytes, size_t len);

/** Called now and then with the bytes consumed so far and the input size
 *  (0 when unknown, as for a pipe). */
typedef void (*culpa_progress_fn)(void *user, uint64_t bytes_done, uint64_t bytes_total,
                                  uint64_t records_done);

/** One scored record, passed to a culpa_row_fn.  The pointers are valid only
 *  during the call. */
typedef struct {
    uint64_t number;            /* the record's 1-based number */
    const char *id;             /* the id field's value (a JSON string's contents,
                                   unescaped, or a JSON number as written); NULL
                                   when the record has none */
    size_t id_len;
    const culpa_result *result; /* neutral when the record could not be read */
    const char *error;          /* why the record could not be read, or NULL */
    const char *text;           /* the review text, unescaped, when row_text is set */
    size_t text_len;
    const culpa_match *matches; /* the matched terms, when explain is set */
    size_t nmatches;
} culpa_row;

/** Receives scored records, always in input order.  @return 0 to go on,
 *  non-zero to stop (the run then returns CULPA_ERR_STOPPED). */
typedef int (*culpa_row_fn)(void *user, const culpa_row *row);

typedef struct {
    culpa_input_format input_format;
    const char *text_field; /* JSON key or column name/1-based number; NULL: "text" */
    const char *id_field;   /* NULL: "review_id", else "id", else the record number */
    int no_header;          /* TSV/CSV: the first row is data; columns are numbers */
    culpa_output_format output_format;
    int header;             /* TSV/CSV output: write the header row first */
    int explain;            /* add the matched terms to each row */
    const char *lang;       /* force a language; NULL or "auto" to detect */
    int threads;            /* 0: all cores */
    culpa_write_fn write;   /* formatted rows; this or `row` (or both) is required */
    void *write_user;
    culpa_progress_fn progress; /* optional */
    void *progress_user;
    culpa_row_fn row;       /* scored records as structures; optional */
    void *row_user;
    int row_text;           /* pass each record's text to `row` too */
    unsigned shard_index;   /* with shard_count > 1: score only the records that */
    unsigned shard_count;   /*   start in byte range shard_index of shard_count equal
                               ranges of a file or buffer (0-based); the outputs of
                               all shards, concatenated in order, equal the whole
                               run's byte for byte */
} culpa_options;

/** Fill `opt` with the defaults (auto input, jsonl output, header on,
 *  detection, all cores, no callbacks). */
CULPA_API void culpa_options_init(culpa_options *opt);

/** Totals of a run. */
typedef struct {
    uint64_t records;         /* rows written */
    uint64_t errors;          /* rows with an error field */
    uint64_t verdicts[4];     /* indexed by culpa_verdict */
    uint64_t utf8_repairs;
    uint64_t bytes;           /* input bytes read */
    double sentiment_sum;     /* over rows without error */
    double blame_sum;
    double blame_business_sum;
    double blame_customer_sum;
    double seconds;           /* wall-clock time of the run */
} culpa_stats;

/** Score every record of the file at `path` ("-" for standard input) and
 *  pass the formatted rows, one per record and in input order, to
 *  opt->write, and the scored records as structures to opt->row.  Records that cannot be parsed still get a row, with an
 *  `error` field.  *stats (optional) is added to, so one culpa_stats can sum
 *  several runs; zero it first.  Thread-safe for distinct `opt` and
 *  `stats`: the lexicon is only read.
 *  @return CULPA_OK; CULPA_ERR_IO or CULPA_ERR_NOT_FOUND for a file that
 *  cannot be read; CULPA_ERR_INPUT for a TSV/CSV header without the text
 *  column; CULPA_ERR_STOPPED when the write callback asked to stop;
 *  CULPA_ERR_NOMEM. */
CULPA_API culpa_status culpa_score_file(const culpa_lexicon *lex, const char *path,
                                        const culpa_options *opt, culpa_stats *stats,
                                        culpa_error *err);

/** The same as culpa_score_file for `len` bytes already in memory (need
 *  not be NUL-terminated; the data is only read).  With input_format AUTO
 *  the format is picked from the first bytes, as for standard input. */
CULPA_API culpa_status culpa_score_buffer(const culpa_lexicon *lex, const char *data, size_t len,
                                          const culpa_options *opt, culpa_stats *stats,
                                          culpa_error *err);

/** Write a human-readable summary of `stats` into buf (at most cap bytes,
 *  NUL-terminated when cap > 0).  @return the length the whole summary
 *  needs, without the NUL, so a caller can retry with a larger buffer. */
CULPA_API size_t culpa_stats_format(const culpa_stats *stats, char *buf, size_t cap);

/* ------------------------------------------------------------------------ */
/* For other languages: strings in, strings out                             */
/* ------------------------------------------------------------------------ */

/* Callers that cannot lay out C structs (Python's ctypes, a database's
 * foreign-function interface) use these: errors are opaque blocks of
 * culpa_error_size() bytes, results come back as JSON, and options are set
 * by name.  Their behaviour is that of the functions above. */

/** @return sizeof(culpa_error), to allocate one without knowing its layout. */
CULPA_API size_t culpa_error_size(void);

/** @return the message of an error a call filled ("" for none). */
CULPA_API const char *culpa_error_message(const culpa_error *err);

/** Score `text` and write its result as one JSON object, with the fields
 *  of a `culpa score` row but the id (lang, sentiment, blame,
 *  blame_business, blame_customer, verdict, and explain when the scorer's
 *  explanations are on), into buf: at most cap bytes, NUL-terminated when
 *  cap > 0.  @return the length the object needs, without the NUL (call
 *  again with a larger buffer when it is >= cap), or 0 on an error. */
CULPA_API size_t culpa_score_json(culpa_scorer *s, const char *text, size_t len, char *buf,
                                  size_t cap);

/** A culpa_options with the defaults, owned by the library; free it with
 *  culpa_options_free.  @return NULL when out of memory. */
CULPA_API culpa_options *culpa_options_new(void);

/** Release options made by culpa_options_new; NULL is fine. */
CULPA_API void culpa_options_free(culpa_options *opt);

/** Set an option of culpa_options_new's by name, the value as text (it is
 *  copied): input_format (auto, jsonl, tsv, csv, lines), text_field,
 *  id_field, no_header (0/1), output_format (jsonl, tsv, csv), header (0/1),
 *  explain (0/1), lang, threads, shard ("K/N", 1 <= K <= N).
 *  @return CULPA_OK, or CULPA_ERR_ARG for an unknown name or a bad value. */
CULPA_API culpa_status culpa_options_set(culpa_options *opt, const char *name, const char *value);

/** Set the write callback of options made by culpa_options_new. */
CULPA_API void culpa_options_set_write(culpa_options *opt, culpa_write_fn write, void *user);

/* ------------------------------------------------------------------------ */
/* Evaluation on labeled data                                               */
/* ------------------------------------------------------------------------ */

typedef enum {
    CULPA_LABEL_VALENCE = 0, /* a number (e.g. -4..4); correlated with sentiment */
    CULPA_LABEL_SENTIMENT,   /* label values meaning positive, negative, neutral */
    CULPA_LABEL_COMPLAINT,   /* 1 a complaint (predicted: verdict business), 0 not */
    CULPA_LABEL_VERDICT      /* business, customer, mixed or none */
} culpa_label_kind;

typedef struct {
    culpa_label_kind kind;
    const char *label_field; /* JSON key or column (name or 1-based number) of the label */
    const char *positive;    /* CULPA_LABEL_SENTIMENT: the label values for each class, */
    const char *negative;    /*   comma-separated ("4,5"); neutral NULL: two classes, */
    const char *neutral;     /*   records labeled otherwise are left out, and a sentiment
                              *   of 0 (no sign) counts wrong */
    size_t errors;           /* list this many worst-scored records, with explanations */
} culpa_eval_options;

typedef struct {
    uint64_t records;   /* records read */
    uint64_t used;      /* records with a usable label */
    double pearson;     /* CULPA_LABEL_VALENCE */
    double spearman;
    double accuracy;    /* class kinds (for VALENCE: the sign, neutral left out; a
                         * sentiment of 0 has none, so it counts wrong) */
    double macro_f1;    /* class kinds */
    double f1_positive; /* COMPLAINT: F1 of the complaint class; SENTIMENT: of positive */
} culpa_eval_figures;

/** Score every record of a labeled file (input side of `opt`: format,
 *  text field, header, language; its callbacks are not used) and compare
 *  with the labels: Pearson and Spearman correlation for valence; accuracy,
 *  per-class precision, recall and F1, macro-F1 and a confusion matrix for
 *  classes.  A readable report, and with eopt->errors the worst-scored
 *  records with the terms that decided them, goes to `report` (optional).
 *  @return CULPA_OK, or what culpa_score_file returns; CULPA_ERR_ARG
 *  without a label field. */
CULPA_API culpa_status culpa_eval(const culpa_lexicon *lex, const char *path,
                                  const culpa_options *opt, const culpa_eval_options *eopt,
                                  culpa_eval_figures *fig, culpa_write_fn report, void *user,
                                  culpa_error *err);

/* ------------------------------------------------------------------------ */
/* The verdict model: what it reads, and training it                        */
/* ------------------------------------------------------------------------ */

/* A language whose lexicon folder holds a verdict.model decides the verdict
 * with it: a multinomial logistic regression over a fixed vector of the
 * text's evidence (the blame scores and sentiment, the matched terms by
 * role and flag, what they gave) and of its words (each word the model
 * knows adds its weights, averaged over the text's words: the words of
 * complaints the lexicon has no term for).  Without one, and in texts
 * longer than the model was fitted on, the verdict comes from two
 * thresholds on the blame scores; a verdict_long.model then settles a long text that they
 * read as mixed (mixed, or the side with more blame) or as the customer's
 * (which needs a term of the customer's fault or of a reply). */

/** The length of the feature vector (the same for every language). */
#define CULPA_VERDICT_FEATURES 40

/** @return feature i's name as a model file writes it ("blame_business",
 *  "role_fault_cust", "flag_negated", ...), or NULL past the last. */
CULPA_API const char *culpa_verdict_feature_name(size_t i);

/** Copy the features of the last text scored successfully on `s` into
 *  out[0..cap) (all zero before any).
 *  @return CULPA_VERDICT_FEATURES, whatever cap is. */
CULPA_API size_t culpa_scorer_features(const culpa_scorer *s, float *out, size_t cap);

typedef struct {
    const char *label_field; /* JSON key or column of the verdict label (business,
                                customer, mixed, none; other records are left out) */
    double lambda;           /* L2 regularization; 0: 1e-3 */
    int iterations;          /* gradient steps; 0: 3000 */
    unsigned min_terms;      /* 0: the model for short texts (verdict.model); N: a
                                long-text model (verdict_long.model) fitted to the
                                records of N or more matched terms, which settles
                                their thresholds' mixed and customer readings */
    double word_lambda;      /* L2 regularization of the words' weights (a short-text
                                model's: every token but numbers that two or more
                                training texts hold); 0: 3e-6 */
    int no_words;            /* 1: a short-text model without words */
} culpa_train_options;

typedef struct {
    uint64_t records;       /* records read */
    uint64_t labeled;       /* records with a verdict label (and min_terms terms):
                               the training set */
    double macro_f1_before; /* verdict macro-F1 on them as the lexicon decides now */
    double macro_f1_after;  /* with the model just fitted */
} culpa_train_figures;

/** Fit a verdict model to the labeled records of a file (input side of
 *  `opt`, as culpa_eval: format, text field, header, language) and write
 *  it, as the text of a verdict.model file, to `write`.  Deterministic:
 *  the same lexicon and file give the same model.
 *  @return CULPA_OK; what culpa_score_file returns; CULPA_ERR_INPUT when
 *  no record has a verdict label; CULPA_ERR_ARG without a label field. */
CULPA_API culpa_status culpa_train_verdict(const culpa_lexicon *lex, const char *path,
                                           const culpa_options *opt,
                                           const culpa_train_options *topt,
                                           culpa_train_figures *fig, culpa_write_fn write,
                                           void *user, culpa_error *err);

/* ------------------------------------------------------------------------ */
/* Roll-ups: which businesses get blamed, and for what                      */
/* ------------------------------------------------------------------------ */

typedef struct {
    const char *by;            /* the field (JSON key or column) to group by: required */
    size_t top_terms;          /* the most blamed terms listed per group; 0: 5 */
    uint64_t min_reviews;      /* groups with fewer reviews are left out; 0: 1 */
    culpa_output_format format; /* jsonl, tsv or csv */
} culpa_rollup_options;

/** Score every record of the file (input side of `opt`) and aggregate per
 *  value of ro->by: reviews, mean sentiment, the share of each verdict, the
 *  mean blame scores, and the terms that put the most blame on the business.
 *  Groups go to `write` sorted by mean blame_business, highest first (ties:
 *  more reviews first); records without the field form the group "".
 *  @return CULPA_OK, or what culpa_score_file returns. */
CULPA_API culpa_status culpa_rollup(const culpa_lexicon *lex, const char *path,
                                    const culpa_options *opt, const culpa_rollup_options *ro,
                                    culpa_write_fn write, void *user, culpa_error *err);

typedef struct {
    const char *by; /* the field that names the business; NULL: "business_id" */
    size_t top;     /* businesses and terms listed; 0: 15 */
} culpa_report_options;

/** Score every record of the file (input side of `opt`) and write one
 *  self-contained HTML page (inline SVG, no script, no external asset):
 *  verdict shares per language, the distributions of sentiment and blame,
 *  the most blamed businesses with what they are blamed for, the most
 *  frequent blame terms, and the throughput of the run.
 *  @return CULPA_OK, or what culpa_score_file returns. */
CULPA_API culpa_status culpa_report(const culpa_lexicon *lex, const char *path,
                                    const culpa_options *opt, const culpa_report_options *ro,
                                    culpa_write_fn write, void *user, culpa_error *err);

/* ------------------------------------------------------------------------ */
/* Benchmark and synthetic corpus                                           */
/* ------------------------------------------------------------------------ */

typedef struct {
    uint64_t seed;         /* the same seed and options give the same bytes */
    uint64_t bytes;        /* stop after the record that reaches this size */
    const char *langs;     /* comma-separated codes, each review picks one; NULL: "en" */
    const char *sentences; /* folder of <lang>.txt files, one sentence a line;
                              NULL: culpa_default_sentence_dir() */
} culpa_corpus_options;

/** @return the folder of corpus sentences installed with the library. */
CULPA_API const char *culpa_default_sentence_dir(void);

/** Write a synthetic review dump in the exact shape of the Yelp academic
 *  dataset's JSON Lines (review_id, user_id, business_id, stars, useful,
 *  funny, cool, text, date), built from random sentences of the chosen
 *  languages, with JSON escapes (\n, \", \uXXXX and surrogate pairs), emoji,
 *  some CRLF line ends and some very long reviews mixed in.
 *  @return CULPA_OK; CULPA_ERR_NOT_FOUND or CULPA_ERR_IO for a missing or
 *  unreadable sentence file; CULPA_ERR_STOPPED when `write` asked to stop. */
CULPA_API culpa_status culpa_corpus_generate(const culpa_corpus_options *opt, culpa_write_fn write,
                                             void *user, culpa_error *err);

typedef struct {
    char stage[16];       /* read, split, extract, tokenize, lookup, match, score, write,
                             end-to-end */
    int threads;
    double seconds;       /* the best time of one pass over the data */
    double mb_per_s;
    double reviews_per_s;
} culpa_bench_row;

typedef struct {
    int max_threads;    /* end-to-end rows for 1, 2, 4, ... and this many; 0: all cores */
    double min_seconds; /* a measurement repeats passes for at least this long; 0: 0.5 */
    int repeats;        /* the best of this many measurements is kept; 0: 3 */
} culpa_bench_options;

/** Time each stage on `len` bytes of JSON Lines in memory, one thread,
 *  each stage including the ones before it (read: the bytes alone; split:
 *  record boundaries; extract: the text field, unescaped; tokenize; match:
 *  language and lexicon; score: the whole model; write: rows formatted),
 *  then the whole engine end to end on 1, 2, 4, ... threads.  Results are
 *  consumed so no work can be optimized away; a monotonic clock times them.
 *  Fills up to `cap` rows and sets *count.  Takes seconds: it repeats each
 *  stage for opt->min_seconds, opt->repeats times.
 *  @return CULPA_OK, CULPA_ERR_ARG, CULPA_ERR_NOMEM. */
CULPA_API culpa_status culpa_bench(const culpa_lexicon *lex, const char *data, size_t len,
                                   const culpa_bench_options *opt, culpa_bench_row *rows,
                                   size_t cap, size_t *count, culpa_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CULPA_H */
