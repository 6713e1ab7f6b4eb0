/*
 * What the runner's two files share (not installed): the run's context, a test
 * resolved to indices, and the deciding of one test case (harness/cases.c), which
 * harness/run.c orchestrates.
 */
#ifndef MG_HARNESS_RUN_INTERNAL_H
#define MG_HARNESS_RUN_INTERNAL_H

#include <stddef.h>

#include "assertions/decide.h"
#include "harness/data.h"
#include "modelgate/metrics.h"
#include "modelgate/report.h"
#include "modelgate/run.h"
#include "stats/ci.h"
#include "stats/engine.h"
#include "stats/multiclass.h"

/* What failed data checks hold back (harness/checks.c): a reason per target,
 * owned, NULL when nothing is held back; the flags mirror the reasons for
 * mg__data_prepare. */
typedef struct blocks {
    char *all;                 /* no test is evaluated */
    char **model;              /* per model: tests of or against it */
    char **slicing;            /* per slicing: tests over it */
    unsigned char *model_flag; /* per model: model[m] != NULL */
    unsigned char *slicing_flag;
    unsigned char *test_flag; /* per test: mg__test_blocked is not NULL */
    char **column;            /* the holdout columns a check failed on ... */
    char **column_reason;     /* ... and why, for a test's filter */
    size_t ncolumns;
} blocks;

typedef struct ctx {
    const mg_suite *s;
    const mg_run_options *o;
    mg__data *d;
    mg__engine *e;     /* binary suites */
    mg__mc_engine *mc; /* multiclass suites */
    size_t *ks;        /* multiclass: the distinct k of top_k_accuracy tests */
    size_t nk;
    mg_report *r;
    mg_interval_kind kind;
    double confidence; /* the suite's level */
    size_t replicates;
    size_t (*pairs)[2];
    size_t npairs;
    double *buf;       /* replicates scratch */
    double *sx, *sy;   /* a slice's scores, for DeLong and McNemar */
    unsigned char *sl; /* a slice's labels */
    blocks b;          /* what failed data checks hold back */
} ctx;

/* One test, its names resolved to indices. */
typedef struct plan {
    const mg_test_spec *t;
    const mg_metric_info *metric;
    size_t model;
    long base, pair; /* baseline model and model pair, or -1 */
    long slicing;    /* -1: the whole holdout set */
    size_t first;    /* the engine's id of the slicing's first slice */
    size_t span;     /* slices */
    double sign;     /* -1 for a lower-is-better metric: Δ positive is better */
    long param;      /* the class (per-class metrics) or k slot (top_k_accuracy) */
    long min_size, min_positives, min_negatives;
    mg_on_undefined on_undefined;
    mg__rule rule;
    mg_gap_kind gap; /* a test across slices, or MG_GAP_NONE */
    long base_slice; /* vs_overall: the engine's id of the whole set (0), else -1 */
    mg__rule *rules; /* span rules when the test sets thresholds per slice, or NULL */
} plan;

/* The rule of test p on its slice `index`: its own, or the slice's thresholds. */
static inline const mg__rule *mg__plan_rule(const plan *p, size_t index)
{
    return p->rules != NULL ? &p->rules[index] : &p->rule;
}

/* What a decision leaves beside the case's numbers, before it is kept. */
typedef struct extras {
    const char *p_method;
    char reason[MG_ERROR_MESSAGE_MAX];
} extras;

/* The two-sided level whose ends are one-sided bounds at `level`: 2·level − 1, to
 * 12 decimals (0.9, not 0.8999999999999999). */
double mg__two_sided(double level);

/* Count a kept case's outcome in the report's totals. */
void mg__count_outcome(mg_report *r, mg_outcome o);

/*
 * Evaluate the suite's data checks on the data as read (before missing values are
 * dropped and the label is built): one case per check and column, kept in the
 * report, and c->b filled with what the failures hold back. Returns 0 or
 * MG_ENOMEM.
 */
int mg__checks_run(ctx *c);
void mg__blocks_free(blocks *b, size_t nmodels, size_t nslicings);
/* The reason test t is not evaluated, or NULL when it is. */
const char *mg__test_blocked(const ctx *c, const mg_test_spec *t);

/* ---- harness/values.c: the engine of the suite's task ------------------ */

size_t mg__run_slice_offset(const ctx *c, size_t slicing);
size_t mg__run_slice_rows(const ctx *c, size_t slice);
/* Metric mi (with its parameter) of a model on a slice: the estimate (b < 0) or
 * replicate b. 0, or MG_ENUMERIC with *reason when undefined. */
int mg__run_value(const ctx *c, const mg_metric_info *mi, long param, long b,
                  size_t model, size_t slice, double *out, const char **reason);
/* The jackknife power sums of a model (pair < 0) or a pair. */
void mg__run_jack(const ctx *c, const mg_metric_info *mi, long param, long pair,
                  size_t model, size_t slice, mg__jack *out);
double mg__run_effective_size(const ctx *c, const mg_metric_info *mi, long param,
                              size_t model, size_t slice);
/* The rows of the positive class and the others (a multiclass per-class metric's
 * class; 0 and 0 for any other multiclass metric). */
void mg__run_class_counts(const ctx *c, const mg_metric_info *mi, long param,
                          size_t model, size_t slice, size_t *positives,
                          size_t *negatives);
/* Whether models m1 and m2 predict the rows (NULL: all count rows) alike. */
int mg__run_same_predictions(const ctx *c, size_t m1, size_t m2, const uint32_t *rows,
                             size_t count);

/* Decide the suite's drift tests (harness/run_drift.c), a case per column; with
 * check_only, read their columns and stop (validate). Returns 0, MG_ENOMEM, or a
 * data error (a column missing from a file) in err. */
int mg__run_drift(ctx *c, int check_only, mg_error *err);

/* "overall", or the slice's label. */
const char *mg__slice_label(const ctx *c, long slicing, size_t index);

/*
 * The interval of a metric of `model` on one slice (p == NULL: a lone metric, as
 * `modelgate metrics` lists them), or of the test's paired difference, at the
 * two-sided level `level`. A bootstrap interval leaves the replicates sorted in
 * c->buf. Returns 0 or MG_ENOMEM.
 */
int mg__statistic_ci(ctx *c, const plan *p, const mg_metric_info *mi, long param,
                     size_t model, long slicing, size_t index, double estimate,
                     double level, mg__ci *ci);

/*
 * Decide test p on slice `index` with each bound one-sided at `level`: the numbers,
 * kinds and checks of the case, no strings (the caller adds them when it keeps the
 * case). With `want_p` the comparison's p-value is computed too (a family's probes
 * skip it). Returns 0 or MG_ENOMEM.
 */
int mg__decide_case(ctx *c, const plan *p, size_t index, double level, int want_p,
                    mg_case *k, extras *x);

/*
 * Decide a max_gap or min_ratio test p (one case across the slicing's slices) with
 * each bound one-sided at `level`: the numbers, kinds, checks and worst pair of the
 * case (harness/gaps.c). Returns 0 or MG_ENOMEM.
 */
int mg__decide_gap(ctx *c, const plan *p, double level, mg_case *k, extras *x);

/* Whether the slice of test p is too small for it (min_size, min_positives,
 * min_negatives); fills the case's counts. */
int mg__too_small(ctx *c, const plan *p, size_t slice, size_t model, mg_case *k);

/* The two-sided level whose ends are one-sided bounds at `level`. */
double mg__two_sided(double level);

/* A new zeroed case at the end of the report (NULL: out of memory); valid until
 * the next call. */
mg_case *mg__new_case(ctx *c);
/* The case's names and kinds as test p and the suite state them (slice `index`). */
int mg__name_case(ctx *c, const plan *p, size_t index, mg_case *k, const extras *x);
/* Keep a decided, named case: its sentences, its count, its time since t0. */
int mg__keep_case(ctx *c, mg_case *k, double t0);
/* Monotonic seconds. */
double mg__now(void);

/*
 * The cases of weak_slices test p (harness/weak.c): one failing case per slice
 * discovered, ranked by effect, or one passing case when none was. Returns 0 or
 * MG_ENOMEM.
 */
int mg__weak_cases(ctx *c, const plan *p);

#endif
