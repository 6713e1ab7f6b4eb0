/**
 * @file diff.h
 * @brief Two runs of one suite compared: what a reviewer of a change wants to see.
 *
 * mg_diff_reports reads two JSON reports (docs/json.md, schema 1), typically the
 * main branch's run (base) and a pull request's (head), and pairs their cases by
 * test and slice. A test that vanished from base while a test with the very same
 * definition (metric, model, baseline, thresholds or margin, rule, slicing)
 * appeared in head is taken as renamed, and its cases are paired too. For each
 * pair it records both outcomes, the number each rule compared (the estimate, or
 * Δ for a comparison) and its interval; unpaired cases are new or vanished. It
 * also states what makes the two runs incomparable in part: other input bytes
 * (SHA-256), another seed, other bootstrap settings, a changed test definition.
 */
#ifndef MODELGATE_DIFF_H
#define MODELGATE_DIFF_H

#include <stddef.h>
#include <stdio.h>

#include "modelgate/error.h"
#include "modelgate/export.h"
#include "modelgate/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a case changed between base and head, in the order reports list them. */
typedef enum mg_diff_kind {
    MG_DIFF_REGRESSED, /**< pass in base, fail or error in head */
    MG_DIFF_FIXED,     /**< fail or error in base, pass in head */
    MG_DIFF_CHANGED,   /**< another change of outcome (pass to skipped, …) */
    MG_DIFF_NEW,       /**< only in head */
    MG_DIFF_VANISHED,  /**< only in base */
    MG_DIFF_SAME       /**< the same outcome in both */
} mg_diff_kind;

#define MG_DIFF_KINDS 6

/** One side of a case pair. */
typedef struct mg_diff_side {
    int present; /**< the case is in this report */
    mg_outcome outcome;
    int has_value;
    double value; /**< what the rule compared: the estimate, or Δ (a comparison, a
                       slice against the whole set or the rest, a gap against a
                       baseline's) */
    int has_ci;
    double ci_low, ci_high; /**< the interval of `value` */
} mg_diff_side;

/** A case of either report, paired with its counterpart when there is one. */
typedef struct mg_diff_case {
    mg_diff_kind kind;
    char *test;      /**< the test's name in head (in base when vanished) */
    char *base_test; /**< the test's name in base when it was renamed, else NULL */
    char *metric;
    char *model;
    char *baseline; /**< the comparison's baseline model, or NULL */
    char *slice;    /**< "overall", "region=north", … */
    int is_delta;   /**< values are Δ = model − baseline (a comparison) */
    mg_diff_side base, head;
} mg_diff_case;

/** An input file of either run, by role. */
typedef struct mg_diff_input {
    char *role;                  /**< "holdout", "model candidate", … */
    char *base_path, *head_path; /**< NULL when the run did not read it */
    char base_sha256[65], head_sha256[65];
    size_t base_rows, head_rows;
    int changed; /**< read by one run only, or other bytes */
} mg_diff_input;

/** The comparison. Strings are owned by it; mg_diff_free frees everything. */
typedef struct mg_diff {
    char *base_name, *head_name; /**< the reports as named by the caller */
    char *suite;                 /**< head's suite name */
    int inputs_differ;           /**< some input's bytes (or presence) differ */
    int seed_differs;
    /** Sentences, one line each, on what differs besides the cases: inputs, seed,
     * bootstrap settings, suite name, tool version, renamed tests, changed test
     * definitions. */
    char **notes;
    size_t nnotes;
    mg_diff_input *inputs;
    size_t ninputs;
    /** Sorted by kind (mg_diff_kind's order), then in head's order (base's for
     * vanished cases). */
    mg_diff_case *cases;
    size_t ncases;
    size_t count[MG_DIFF_KINDS]; /**< cases of each kind */
} mg_diff;

/**
 * Read and compare two JSON reports. A file that is not JSON, not a modelgate
 * report, of a schema this library does not read (or of two different schemas),
 * or with a field of the wrong type is MG_EPARSE, with the file, and the line and
 * column (a JSON syntax error) or the key (`cases[3].outcome`) in err.
 *
 * @param out receives the comparison (free with mg_diff_free); NULL on failure
 */
MG_EXTERN int mg_diff_reports(mg_diff **out, const char *base_path,
                              const char *head_path, mg_error *err);

/** The same from two JSON texts; the names stand for the files in messages. */
MG_EXTERN int mg_diff_strings(mg_diff **out, const char *base_json,
                              const char *base_name, const char *head_json,
                              const char *head_name, mg_error *err);

/**
 * The comparison as Markdown for a merge-request comment or a CI step summary:
 * a verdict heading, what differs besides the cases, a table of the cases whose
 * outcome changed or that are new or vanished (regressions first), and the cases
 * with an unchanged outcome folded in a <details> block. Owned by the caller.
 */
MG_EXTERN int mg_diff_markdown_string(const mg_diff *d, char **out, mg_error *err);
/** The same Markdown written atomically to `path`. */
MG_EXTERN int mg_diff_write_markdown(const mg_diff *d, const char *path, mg_error *err);

/** The comparison for a terminal: the notes, the changed cases, a summary line
 * (opts: colour only; NULL for the defaults). */
MG_EXTERN int mg_diff_print(const mg_diff *d, FILE *out,
                            const mg_console_options *opts);

/** Free the comparison; NULL is allowed. */
MG_EXTERN void mg_diff_free(mg_diff *d);

#ifdef __cplusplus
}
#endif

#endif
