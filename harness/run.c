/*
 * The runner: from a parsed suite to a report.
 *
 * It plans before it computes. Loading the data (harness/data.c) checks every
 * column the suite names; the checks that need both the suite and the data come
 * next (a metric that reads probabilities on scores outside [0, 1], an analytic
 * interval for a metric without a closed form); only then does the engine run, once,
 * for every model, slice and replicate the suite needs. Tests then read the shared
 * replicates: a test over a slicing yields one case per slice, a comparison reads
 * both models from the same replicates so their difference is paired.
 *
 * Intervals come from the replicates of the statistic (percentile, basic, BCa with
 * the engine's closed-form jackknife for the acceleration) or, with `analytic`,
 * from closed forms on the holdout rows: Wilson for proportions, DeLong for the AUC
 * and for a paired AUC difference. Significance beside comparisons: the paired
 * DeLong test for AUC, the exact McNemar test for accuracy, a bootstrap p-value for
 * anything else.
 *
 * A replicate in which a metric is undefined (a resampled slice without positives)
 * is left out of that metric's interval and the count is reported; a statistic whose
 * replicates are all undefined has no interval, and says why.
 */
#include "modelgate/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "assertions/decide.h"
#include "common/util.h"
#include "harness/data.h"
#include "modelgate/metrics.h"
#include "modelgate/stats.h"
#include "stats/engine.h"

static const char *interval_names[] = {"bca", "percentile", "basic", "analytic"};
static const char *interval_titles[] = {"BCa", "percentile", "basic", "analytic"};
static const char *rule_names[] = {"strict", "lenient", "estimate"};

typedef struct ctx {
    const mg_suite *s;
    const mg_run_options *o;
    mg__data *d;
    mg__engine *e;
    mg_report *r;
    mg_interval_kind kind;
    double confidence;   /* the suite's level */
    double level;        /* the level of the interval being computed: the suite's,
                            or a multiple-testing-adjusted one */
    char level_note[64]; /* "Holm, 4 slices", or "" */
    double table_bytes;  /* estimated memory of the loaded tables */
    size_t replicates;
    size_t (*pairs)[2];
    size_t npairs;
    double *buf; /* replicates scratch */
    /* rows of each slice, for DeLong and McNemar: per slicing, rows ordered by code */
    uint32_t **slice_rows;
    size_t **slice_start;
    double *sx, *sy;
    unsigned char *sl;
} ctx;

/* ---- Slices -------------------------------------------------------------- */

/* Global slice ids of a test: the overall slice, or every slice of its slicing. */
static size_t slice_span(const ctx *c, long slicing, size_t *first)
{
    if (slicing < 0) {
        *first = 0;
        return 1;
    }
    *first = mg__engine_slice_offset(c->e, (size_t)slicing);
    return c->d->slicings[slicing].nlevels;
}

static const char *slice_label(const ctx *c, long slicing, size_t index)
{
    return slicing < 0 ? "overall" : c->d->slicings[slicing].labels[index];
}

/* Rows of one slice (slicing < 0: all rows). Builds a per-slicing index lazily. */
static int slice_members(ctx *c, long slicing, size_t index, const uint32_t **rows,
                         size_t *count)
{
    size_t n = c->d->n;
    if (slicing < 0) {
        *rows = NULL;
        *count = n;
        return 0;
    }
    if (c->slice_rows[slicing] == NULL) {
        const mg__slicing *sl = &c->d->slicings[slicing];
        size_t *start = calloc(sl->nlevels + 2, sizeof *start);
        uint32_t *order = malloc((n ? n : 1) * sizeof *order);
        if (start == NULL || order == NULL) {
            free(start);
            free(order);
            return MG_ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
            if (sl->code[i] != MG__NO_SLICE)
                start[sl->code[i] + 1]++;
        for (size_t k = 0; k < sl->nlevels; k++)
            start[k + 1] += start[k];
        {
            size_t *fill = calloc(sl->nlevels + 1, sizeof *fill);
            if (fill == NULL) {
                free(start);
                free(order);
                return MG_ENOMEM;
            }
            memcpy(fill, start, (sl->nlevels + 1) * sizeof *fill);
            for (size_t i = 0; i < n; i++)
                if (sl->code[i] != MG__NO_SLICE)
                    order[fill[sl->code[i]]++] = (uint32_t)i;
            free(fill);
        }
        c->slice_rows[slicing] = order;
        c->slice_start[slicing] = start;
    }
    *rows = c->slice_rows[slicing] + c->slice_start[slicing][index];
    *count = c->slice_start[slicing][index + 1] - c->slice_start[slicing][index];
    return 0;
}

/* Copy a slice's scores (one or two models) and labels into the scratch arrays,
 * which are allocated the first time an analytic statistic needs them. */
static int gather(ctx *c, long slicing, size_t index, size_t m1, long m2, size_t *count)
{
    const uint32_t *rows;
    size_t k, n = c->d->n;
    int rc = slice_members(c, slicing, index, &rows, &k);
    if (rc != 0)
        return rc;
    if (c->sx == NULL) {
        c->sx = malloc(n * sizeof *c->sx);
        c->sy = malloc(n * sizeof *c->sy);
        c->sl = malloc(n ? n : 1);
        if (c->sx == NULL || c->sy == NULL || c->sl == NULL)
            return MG_ENOMEM;
    }
    for (size_t t = 0; t < k; t++) {
        size_t i = rows ? rows[t] : t;
        c->sx[t] = c->d->score[m1][i];
        if (m2 >= 0)
            c->sy[t] = c->d->score[m2][i];
        c->sl[t] = c->d->label[i];
    }
    *count = k;
    return 0;
}

/* ---- Intervals ----------------------------------------------------------- */

typedef struct stat_ci {
    int has_ci;
    double low, high;
    size_t undefined; /* replicates where the statistic was undefined */
    int degenerate;   /* every replicate equal */
    char reason[MG_ERROR_MESSAGE_MAX]; /* why there is no interval */
    char method[48];                   /* "95% BCa" */
    double *sorted; /* the replicates (c->buf), sorted, for p-values */
    size_t nsorted;
} stat_ci;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double confidence_pct(double c)
{
    return 100 * c;
}

static int bootstrap_ci(ctx *c, size_t model, long base, long pair, size_t slice,
                        mg_metric metric, double sign, double estimate, stat_ci *ci)
{
    size_t B = c->replicates, k = 0;
    mg_error err = MG_ERROR_INIT;
    mg_interval iv;
    int rc;

    for (size_t b = 0; b < B; b++) {
        double v1, v2;
        if (mg_metric_value(metric, mg__engine_replicate(c->e, b, model, slice), &v1,
                            NULL) != 0)
            continue;
        if (base >= 0) {
            if (mg_metric_value(metric,
                                mg__engine_replicate(c->e, b, (size_t)base, slice), &v2,
                                NULL) != 0)
                continue;
            v1 = sign * (v1 - v2);
        }
        c->buf[k++] = v1;
    }
    ci->undefined = B - k;
    ci->sorted = c->buf;
    ci->nsorted = k;
    if (k == 0) {
        snprintf(ci->reason, sizeof ci->reason,
                 "undefined in all %zu bootstrap replicates", B);
        return 0;
    }
    qsort(c->buf, k, sizeof *c->buf, cmp_double);
    ci->degenerate = c->buf[0] == c->buf[k - 1];
    switch (c->kind) {
    case MG_INTERVAL_PERCENTILE:
        rc = mg_interval_percentile(c->buf, k, c->level, &iv, &err);
        break;
    case MG_INTERVAL_BASIC:
        rc = mg_interval_basic(c->buf, k, estimate, c->level, &iv, &err);
        break;
    default: {
        const mg__jack *j = mg__engine_jack(c->e, pair, model, slice, metric);
        double a = 0;
        if (j->unavailable) /* average precision over clusters: bias-corrected only */
            snprintf(ci->method, sizeof ci->method, "%g%% BC (no acceleration)",
                     confidence_pct(c->level));
        else
            a = mg_jackknife_acceleration(j->n - j->undefined, sign * j->s1, j->s2,
                                          sign * j->s3);
        rc = mg_interval_bca(c->buf, k, estimate, a, c->level, &iv, &err);
        break;
    }
    }
    if (rc != 0) {
        snprintf(ci->reason, sizeof ci->reason, "%s", err.message);
        return 0;
    }
    ci->has_ci = 1;
    ci->low = iv.low;
    ci->high = iv.high;
    return 0;
}

/* Wilson: the proportion's successes and trials from the point statistics. */
static int wilson_counts(mg_metric m, const mg_binary_stats *s, double *x, double *n)
{
    switch (m) {
    case MG_METRIC_PREVALENCE:
        *x = s->tp + s->fn, *n = s->tp + s->fp + s->tn + s->fn;
        return 1;
    case MG_METRIC_POSITIVE_RATE:
        *x = s->tp + s->fp, *n = s->tp + s->fp + s->tn + s->fn;
        return 1;
    case MG_METRIC_ACCURACY:
        *x = s->tp + s->tn, *n = s->tp + s->fp + s->tn + s->fn;
        return 1;
    case MG_METRIC_PRECISION:
        *x = s->tp, *n = s->tp + s->fp;
        return 1;
    case MG_METRIC_RECALL:
        *x = s->tp, *n = s->tp + s->fn;
        return 1;
    case MG_METRIC_SPECIFICITY:
        *x = s->tn, *n = s->tn + s->fp;
        return 1;
    default:
        return 0;
    }
}

static int analytic_ci(ctx *c, size_t model, long base, long slicing, size_t index,
                       size_t slice, mg_metric metric, double sign, stat_ci *ci)
{
    mg_error err = MG_ERROR_INIT;
    mg_interval iv;
    size_t k;
    int rc = 0;

    if (base < 0 && mg_metric_analytic(metric) == MG_ANALYTIC_WILSON) {
        double x = 0, n = 0;
        wilson_counts(metric, mg__engine_estimate(c->e, model, slice), &x, &n);
        snprintf(ci->method, sizeof ci->method, "%g%% Wilson",
                 confidence_pct(c->level));
        rc = mg_interval_wilson(x, n, c->level, &iv, &err);
    } else if (metric == MG_METRIC_AUC) {
        if ((rc = gather(c, slicing, index, model, base, &k)) != 0)
            return rc;
        snprintf(ci->method, sizeof ci->method, "%g%% DeLong",
                 confidence_pct(c->level));
        if (base < 0) {
            mg_delong_result dr;
            rc = mg_delong(c->sx, c->sl, k, &dr, &err);
            if (rc == 0)
                rc = mg_delong_interval(&dr, c->level, &iv, &err);
        } else {
            mg_delong_paired_result pr;
            rc = mg_delong_paired(c->sx, c->sy, c->sl, k, &pr, &err);
            if (rc == 0) {
                double z = gsl_cdf_ugaussian_Pinv(0.5 + c->level / 2);
                double dlt = sign * pr.delta;
                iv.low = dlt - z * pr.delta_se;
                iv.high = dlt + z * pr.delta_se;
            }
        }
    } else {
        snprintf(ci->reason, sizeof ci->reason, "no analytic interval for %s",
                 mg_metric_name(metric));
        return 0;
    }
    if (rc == MG_ENOMEM)
        return rc;
    if (rc != 0) {
        snprintf(ci->reason, sizeof ci->reason, "%s", err.message);
        return 0;
    }
    ci->has_ci = 1;
    ci->low = iv.low;
    ci->high = iv.high;
    return 0;
}

static int statistic_ci(ctx *c, size_t model, long base, long pair, long slicing,
                        size_t index, size_t slice, mg_metric metric, double sign,
                        double estimate, stat_ci *ci)
{
    int rc;
    memset(ci, 0, sizeof *ci);
    if (c->kind == MG_INTERVAL_ANALYTIC) {
        rc = analytic_ci(c, model, base, slicing, index, slice, metric, sign, ci);
    } else {
        snprintf(ci->method, sizeof ci->method, "%g%% %s", confidence_pct(c->level),
                 interval_titles[c->kind]);
        rc = bootstrap_ci(c, model, base, pair, slice, metric, sign, estimate, ci);
    }
    if (rc == 0 && c->level_note[0] != '\0') {
        size_t used = strlen(ci->method);
        snprintf(ci->method + used, sizeof ci->method - used, " (%s)", c->level_note);
    }
    return rc;
}

/* ---- Report assembly ----------------------------------------------------- */

static mg_case *new_case(ctx *c)
{
    mg_report *r = c->r;
    mg_case *cases = realloc(r->cases, (r->ncases + 1) * sizeof *cases);
    if (cases == NULL)
        return NULL;
    r->cases = cases;
    memset(&cases[r->ncases], 0, sizeof *cases);
    return &cases[r->ncases++];
}

static void count_outcome(mg_report *r, mg_outcome o)
{
    if (o == MG_OUTCOME_PASS)
        r->passed++;
    else if (o == MG_OUTCOME_FAIL)
        r->failed++;
    else if (o == MG_OUTCOME_SKIP)
        r->skipped++;
    else
        r->errors++;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fmt_ci_detail(char *buf, size_t size, const stat_ci *ci, size_t B,
                          const char *what)
{
    if (!ci->has_ci)
        snprintf(buf, size, "%s interval: none (%s)", what, ci->reason);
    else if (B == 0 || strstr(ci->method, "Wilson") || strstr(ci->method, "DeLong"))
        snprintf(buf, size, "%s interval: [%.17g, %.17g] %s", what, ci->low, ci->high,
                 ci->method);
    else
        snprintf(buf, size, "%s interval: [%.17g, %.17g] %s, %zu replicates%s%s", what,
                 ci->low, ci->high, ci->method, B - ci->undefined,
                 ci->degenerate ? ", all equal" : "",
                 ci->undefined ? " (the others undefined, left out)" : "");
}

/* p-value beside a comparison: DeLong for AUC, McNemar for accuracy, else bootstrap. */
static int comparison_p(ctx *c, const mg_test_spec *t, size_t model, size_t base,
                        long slicing, size_t index, const stat_ci *ci, mg_case *out)
{
    size_t k;
    int rc;
    if (t->metric == MG_METRIC_AUC) {
        mg_delong_paired_result pr;
        mg_error err = MG_ERROR_INIT;
        if ((rc = gather(c, slicing, index, model, (long)base, &k)) != 0)
            return rc;
        if (mg_delong_paired(c->sx, c->sy, c->sl, k, &pr, &err) == 0) {
            out->has_p_value = 1;
            out->p_value = pr.p_value;
            out->p_method = mg__strdup("delong");
        }
        return 0;
    }
    if (t->metric == MG_METRIC_ACCURACY) {
        const uint32_t *rows;
        unsigned long b = 0, cc = 0;
        if ((rc = slice_members(c, slicing, index, &rows, &k)) != 0)
            return rc;
        for (size_t q = 0; q < k; q++) {
            size_t i = rows ? rows[q] : q;
            int y = c->d->label[i];
            int r1 = (c->d->score[model][i] >= c->d->threshold[model]) == y;
            int r2 = (c->d->score[base][i] >= c->d->threshold[base]) == y;
            b += r1 && !r2;
            cc += !r1 && r2;
        }
        out->has_p_value = 1;
        out->p_value = mg_mcnemar_exact(b, cc);
        out->p_method = mg__strdup("mcnemar");
        return 0;
    }
    if (ci->nsorted > 0) {
        out->has_p_value = 1;
        out->p_value = mg_bootstrap_p_value(ci->sorted, ci->nsorted);
        out->p_method = mg__strdup("bootstrap");
    }
    return 0;
}

/* Reports print −0 as "-0.0", which reads like a sign; a zero is a zero. */
static double unsigned_zero(double x)
{
    return x + 0.0;
}

static void free_case(mg_case *k)
{
    free(k->test);
    free(k->metric);
    free(k->model);
    free(k->baseline);
    free(k->slicing);
    free(k->slice);
    free(k->p_method);
    free(k->rule);
    free(k->interval);
    free(k->message);
    free(k->detail);
}

/*
 * One test on one slice, at the interval level c->level. With `dry` set, only the
 * outcome is wanted (*dry receives it) and no case is kept: the multiple-testing
 * procedures ask what a slice's outcome would be at a given level.
 */
static int evaluate_case(ctx *c, size_t ti, long slicing, size_t index, mg_outcome *dry)
{
    const mg_test_spec *t = &c->s->tests[ti];
    size_t first, slice;
    size_t model = (size_t)mg_suite_model(c->s, t->model);
    long base = t->baseline ? mg_suite_model(c->s, t->baseline) : -1;
    long pair = -1;
    long min_size = t->min_size >= 0 ? t->min_size : (long)c->s->min_size;
    double t0 = now(), sign = mg_metric_direction(t->metric) < 0 ? -1 : 1;
    const char *reason = NULL;
    double est, best;
    stat_ci ci;
    mg__verdict v;
    mg_case *out;
    char line[MG_ERROR_MESSAGE_MAX + 200], pbuf[96];
    int rc;

    slice_span(c, slicing, &first);
    slice = first + index;
    if ((out = new_case(c)) == NULL)
        return MG_ENOMEM;
    out->test = mg__strdup(t->name);
    out->metric = mg__strdup(mg_metric_name(t->metric));
    out->model = mg__strdup(t->model);
    out->baseline = mg__strdup(t->baseline);
    out->slicing = mg__strdup(t->slices);
    out->slice = mg__strdup(slice_label(c, slicing, index));
    out->rule = mg__strdup(rule_names[t->rule]);
    out->interval = mg__strdup(interval_names[c->kind]);
    out->confidence = c->level;
    out->n = mg__engine_slice_rows(c->e, slice);
    if (!out->test || !out->metric || !out->model || !out->slice || !out->rule ||
        !out->interval || (t->baseline && !out->baseline) ||
        (t->slices && !out->slicing))
        return MG_ENOMEM;
    for (size_t q = 0; base >= 0 && q < c->npairs; q++)
        if (c->pairs[q][0] == model && c->pairs[q][1] == (size_t)base)
            pair = (long)q;

    if ((long)out->n < min_size) {
        out->outcome = MG_OUTCOME_SKIP;
        out->message =
            mg__printf("slice has %zu rows, fewer than min_size %ld", out->n, min_size);
        goto done;
    }
    if (mg_metric_value(t->metric, mg__engine_estimate(c->e, model, slice), &est,
                        &reason) != 0) {
        out->outcome = MG_OUTCOME_ERROR;
        out->message = mg__printf("%s of %s is undefined on this slice: %s",
                                  mg_metric_name(t->metric), t->model, reason);
        goto done;
    }
    out->has_estimate = 1;
    out->estimate = est;
    if (base >= 0) {
        mg__evidence ev;
        double margin = t->margin;
        if (mg_metric_value(t->metric, mg__engine_estimate(c->e, (size_t)base, slice),
                            &best, &reason) != 0) {
            out->outcome = MG_OUTCOME_ERROR;
            out->message =
                mg__printf("%s of baseline %s is undefined on this slice: %s",
                           mg_metric_name(t->metric), t->baseline, reason);
            goto done;
        }
        if (t->relative)
            margin *= fabs(best);
        out->has_delta = 1;
        out->delta = sign * (est - best);
        out->has_threshold = 1;
        out->threshold = margin;
        if ((rc = statistic_ci(c, model, base, pair, slicing, index, slice, t->metric,
                               sign, out->delta, &ci)) != 0)
            return rc;
        /* A dry run wants only the outcome, which no p-value decides. */
        if (dry == NULL && (rc = comparison_p(c, t, model, (size_t)base, slicing, index,
                                              &ci, out)) != 0)
            return rc;
        if (ci.has_ci) {
            out->delta_ci_low = ci.low;
            out->delta_ci_high = ci.high;
        } else if (t->rule != MG_RULE_ESTIMATE) {
            out->has_delta = 1;
            out->outcome = MG_OUTCOME_ERROR;
            out->message = mg__printf("no interval for the difference in %s: %s",
                                      mg_metric_name(t->metric), ci.reason);
            goto done;
        }
        ev = (mg__evidence){mg_metric_name(t->metric),
                            out->delta,
                            ci.has_ci,
                            ci.low,
                            ci.high,
                            ci.method,
                            t->baseline,
                            margin};
        mg__decide_comparison(t, &ev, &v);
        out->outcome = v.outcome;
        out->message = mg__strdup(v.message);
        fmt_ci_detail(line, sizeof line, &ci, c->replicates, "delta");
        if (out->has_p_value)
            snprintf(pbuf, sizeof pbuf, "%.17g (%s, two-sided, for a difference of 0)",
                     out->p_value, out->p_method);
        else
            snprintf(pbuf, sizeof pbuf, "none");
        out->detail = mg__printf("estimate: %s %.17g, %s %.17g\ndelta%s: %.17g\n%s\n"
                                 "p-value: %s\nrule: %s",
                                 t->model, est, t->baseline, best,
                                 sign < 0 ? " (sign-adjusted: lower is better)" : "",
                                 out->delta, line, pbuf, rule_names[t->rule]);
    } else {
        mg__evidence ev;
        if ((rc = statistic_ci(c, model, -1, -1, slicing, index, slice, t->metric, 1,
                               est, &ci)) != 0)
            return rc;
        if (ci.has_ci) {
            out->has_ci = 1;
            out->ci_low = ci.low;
            out->ci_high = ci.high;
        } else if (t->rule != MG_RULE_ESTIMATE) {
            out->outcome = MG_OUTCOME_ERROR;
            out->message = mg__printf("no interval for %s: %s",
                                      mg_metric_name(t->metric), ci.reason);
            goto done;
        }
        out->has_threshold = 1;
        out->threshold = t->has_at_least ? t->at_least : t->at_most;
        ev = (mg__evidence){mg_metric_name(t->metric),
                            est,
                            ci.has_ci,
                            ci.low,
                            ci.high,
                            ci.method,
                            NULL,
                            0};
        mg__decide_threshold(t, &ev, &v);
        out->outcome = v.outcome;
        out->message = mg__strdup(v.message);
        fmt_ci_detail(line, sizeof line, &ci, c->replicates, "confidence");
        out->detail =
            mg__printf("estimate: %.17g\n%s\nrule: %s", est, line, rule_names[t->rule]);
    }
done:
    if (out->message == NULL)
        return MG_ENOMEM;
    out->estimate = unsigned_zero(out->estimate);
    out->ci_low = unsigned_zero(out->ci_low);
    out->ci_high = unsigned_zero(out->ci_high);
    out->delta = unsigned_zero(out->delta);
    out->delta_ci_low = unsigned_zero(out->delta_ci_low);
    out->delta_ci_high = unsigned_zero(out->delta_ci_high);
    if (dry != NULL) {
        *dry = out->outcome;
        free_case(out);
        c->r->ncases--;
        return 0;
    }
    count_outcome(c->r, out->outcome);
    out->seconds = now() - t0;
    return 0;
}

/* ---- Metrics view -------------------------------------------------------- */

static int metric_entries(ctx *c)
{
    mg_report *r = c->r;
    size_t total = 0;
    for (long k = -1; k < (long)c->s->nslicings; k++) {
        size_t first;
        total += slice_span(c, k, &first);
    }
    total *= c->s->nmodels * MG_METRIC_COUNT;
    r->metrics = calloc(total ? total : 1, sizeof *r->metrics);
    if (r->metrics == NULL)
        return MG_ENOMEM;
    for (size_t m = 0; m < c->s->nmodels; m++)
        for (long k = -1; k < (long)c->s->nslicings; k++) {
            size_t first, span = slice_span(c, k, &first);
            for (size_t q = 0; q < span; q++)
                for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
                    mg_metric_entry *en = &r->metrics[r->nmetrics++];
                    const char *reason = NULL;
                    stat_ci ci;
                    double est;
                    int rc;
                    en->model = mg__strdup(c->s->models[m].name);
                    en->slicing = k < 0 ? NULL : mg__strdup(c->s->slicings[k].name);
                    en->slice = mg__strdup(slice_label(c, k, q));
                    en->metric = mg__strdup(mg_metric_name(mt));
                    en->n = mg__engine_slice_rows(c->e, first + q);
                    if (!en->model || (k >= 0 && !en->slicing) || !en->slice ||
                        !en->metric)
                        return MG_ENOMEM;
                    if (mg_metric_needs_probability(mt) &&
                        c->d->not_probability[m] >= 0) {
                        en->reason =
                            mg__strdup("scores outside [0, 1] are not probabilities");
                        continue;
                    }
                    if (mg_metric_value(mt, mg__engine_estimate(c->e, m, first + q),
                                        &est, &reason) != 0) {
                        en->reason = mg__strdup(reason);
                        continue;
                    }
                    en->has_estimate = 1;
                    en->estimate = unsigned_zero(est);
                    if (c->kind != MG_INTERVAL_ANALYTIC && c->replicates == 0)
                        continue;
                    if ((rc = statistic_ci(c, m, -1, -1, k, q, first + q, mt, 1, est,
                                           &ci)) != 0)
                        return rc;
                    en->undefined_replicates = ci.undefined;
                    if (ci.has_ci) {
                        en->has_ci = 1;
                        en->ci_low = unsigned_zero(ci.low);
                        en->ci_high = unsigned_zero(ci.high);
                    } else {
                        en->reason = mg__strdup(ci.reason);
                    }
                }
        }
    return 0;
}

/* ---- Checks that need both the suite and the data ------------------------ */

static int check_tests(const ctx *c, mg_error *err)
{
    const mg_suite *s = c->s;
    if (s->bootstrap.cluster && s->bootstrap.stratify == MG_STRATIFY_LABEL)
        return mg_suite_error(s, &s->bootstrap.cluster_loc, err, MG_EINVAL,
                              "cluster and stratify: label cannot be combined");
    if (s->bootstrap.cluster && s->bootstrap.resampler == MG_RESAMPLER_POISSON)
        return mg_suite_error(s, &s->bootstrap.cluster_loc, err, MG_EINVAL,
                              "cluster and resampler: poisson cannot be combined");
    for (size_t i = 0; i < s->ntests; i++) {
        const mg_test_spec *t = &s->tests[i];
        long m = mg_suite_model(s, t->model);
        if (t->baseline && mg_metric_direction(t->metric) == 0)
            return mg_suite_error(s, &t->metric_loc, err, MG_EINVAL,
                                  "%s is descriptive (neither higher nor lower is "
                                  "better), so it cannot be compared with a baseline",
                                  mg_metric_name(t->metric));
        if (c->kind == MG_INTERVAL_ANALYTIC) {
            if (t->baseline && t->metric != MG_METRIC_AUC)
                return mg_suite_error(s, &t->metric_loc, err, MG_EINVAL,
                                      "no analytic interval for a paired difference in "
                                      "%s (DeLong covers auc only); use bca, "
                                      "percentile or basic",
                                      mg_metric_name(t->metric));
            if (mg_metric_analytic(t->metric) == MG_ANALYTIC_NONE)
                return mg_suite_error(
                    s, &t->metric_loc, err, MG_EINVAL,
                    "no analytic interval for %s; use bca, percentile "
                    "or basic",
                    mg_metric_name(t->metric));
        }
        if (mg_metric_needs_probability(t->metric)) {
            long models[2] = {m, t->baseline ? mg_suite_model(s, t->baseline) : -1};
            for (int q = 0; q < 2; q++) {
                long mm = models[q];
                long row;
                if (mm < 0 || (row = c->d->not_probability[mm]) < 0)
                    continue;
                return mg_error_set(
                    err, MG_EDATA, mg_table_path(c->d->score_table[mm]),
                    mg_table_line(c->d->score_table[mm], (size_t)row), 0,
                    "column '%s': score %.17g is outside [0, 1], and %s (test '%s') "
                    "needs probabilities",
                    s->models[mm].score, c->d->score[mm][row],
                    mg_metric_name(t->metric), t->name);
            }
        }
    }
    return 0;
}

/* ---- The run ------------------------------------------------------------- */

static unsigned available_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static int fill_provenance(ctx *c)
{
    mg_report *r = c->r;
    const mg_suite *s = c->s;
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(r->timestamp, sizeof r->timestamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    r->suite = mg__strdup(s->name);
    r->suite_path = mg__strdup(s->path);
    r->tool_version = mg__strdup(mg_version());
    r->interval = mg__strdup(interval_names[c->kind]);
    r->resampler = mg__strdup(
        s->bootstrap.resampler == MG_RESAMPLER_POISSON ? "poisson" : "multinomial");
    r->stratify =
        mg__strdup(s->bootstrap.stratify == MG_STRATIFY_LABEL ? "label" : "none");
    r->cluster = mg__strdup(s->bootstrap.cluster);
    r->confidence = c->confidence;
    r->replicates = c->replicates;
    r->seed = c->o->has_seed ? c->o->seed : s->bootstrap.seed;
    if (!r->suite || !r->suite_path || !r->tool_version || !r->interval ||
        !r->resampler || !r->stratify || (s->bootstrap.cluster && !r->cluster))
        return MG_ENOMEM;
    if (c->d) {
        r->inputs = c->d->inputs;
        r->ninputs = c->d->ninputs;
        c->d->inputs = NULL;
        c->d->ninputs = 0;
    }
    return 0;
}

/* ---- Memory -------------------------------------------------------------- */

static double memory_limit(const ctx *c)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (c->o->max_memory > 0)
        return c->o->max_memory;
    return pages > 0 && size > 0 ? 0.8 * (double)pages * (double)size : 4e9;
}

/* Binary units, as --max-memory reads them. */
static void format_bytes(char *buf, size_t size, double bytes)
{
    if (bytes >= 1024.0 * 1024 * 1024)
        snprintf(buf, size, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    else if (bytes >= 1024.0 * 1024)
        snprintf(buf, size, "%.0f MiB", bytes / (1024.0 * 1024));
    else
        snprintf(buf, size, "%.0f KiB", bytes / 1024.0);
}

static int over_limit(const ctx *c, double need, const char *what, mg_error *err)
{
    char a[32], b[32];
    double limit = memory_limit(c);
    if (need <= limit)
        return 0;
    format_bytes(a, sizeof a, need);
    format_bytes(b, sizeof b, limit);
    return mg_error_set(err, MG_EINVAL, c->s->path, 0, 0,
                        "the run needs about %s of memory (%s), more than the limit "
                        "of %s; lower the replicates or raise --max-memory",
                        a, what, b);
}

/* Tables hold a few times their file's bytes (ids, line numbers, columns). */
static int check_file_memory(ctx *c, mg_error *err)
{
    struct stat st;
    double bytes = 0;
    if (stat(c->s->data.holdout, &st) == 0 && S_ISREG(st.st_mode))
        bytes += 3.0 * (double)st.st_size;
    for (size_t m = 0; m < c->s->nmodels; m++)
        if (c->s->models[m].file && stat(c->s->models[m].file, &st) == 0 &&
            S_ISREG(st.st_mode))
            bytes += 3.0 * (double)st.st_size;
    c->table_bytes = bytes;
    return over_limit(c, bytes, "to hold the input files", err);
}

static int needs_rank(const ctx *c)
{
    if (c->o->mode == MG_RUN_METRICS)
        return 1;
    for (size_t i = 0; i < c->s->ntests; i++)
        if (mg_metric_family(c->s->tests[i].metric) != MG_FAMILY_CONFUSION)
            return 1;
    return 0;
}

static int plan_pairs(ctx *c)
{
    const mg_suite *s = c->s;
    c->pairs = calloc(s->ntests ? s->ntests : 1, sizeof *c->pairs);
    if (c->pairs == NULL)
        return MG_ENOMEM;
    for (size_t i = 0; i < s->ntests; i++) {
        const mg_test_spec *t = &s->tests[i];
        size_t m, b;
        int seen = 0;
        if (t->baseline == NULL)
            continue;
        m = (size_t)mg_suite_model(s, t->model);
        b = (size_t)mg_suite_model(s, t->baseline);
        for (size_t q = 0; q < c->npairs; q++)
            seen |= c->pairs[q][0] == m && c->pairs[q][1] == b;
        if (!seen) {
            c->pairs[c->npairs][0] = m;
            c->pairs[c->npairs][1] = b;
            c->npairs++;
        }
    }
    return 0;
}

/*
 * A lenient family fails when any one slice fails, so with many slices noise alone
 * would trip it: its levels are adjusted. Bonferroni puts every slice at 1 − α/k.
 * Holm's step-down, in interval form: with r slices still standing, every one whose
 * interval at 1 − α/r lies entirely on the failing side fails; repeat with the
 * smaller r until none fails. Rejecting all of a step's slices at once is the same
 * as Holm's one-at-a-time order, since a smaller r only widens the level.
 */
static int family_levels(ctx *c, size_t ti, long k, size_t span, double *level)
{
    const mg_test_spec *t = &c->s->tests[ti];
    mg_correction corr = t->correction;
    double alpha = 1 - c->confidence;
    unsigned char *standing = calloc(span ? span : 1, 1);
    size_t r = 0;
    int rc = 0;

    if (standing == NULL)
        return MG_ENOMEM;
    for (size_t q = 0; q < span; q++)
        level[q] = c->confidence;
    if (corr == MG_CORRECTION_DEFAULT)
        corr = t->rule == MG_RULE_LENIENT ? MG_CORRECTION_HOLM : MG_CORRECTION_NONE;
    if (t->rule != MG_RULE_LENIENT || corr == MG_CORRECTION_NONE || span <= 1)
        goto cleanup;
    /* The family: the slices that are neither skipped nor undefined. */
    c->level = c->confidence;
    for (size_t q = 0; q < span; q++) {
        mg_outcome o;
        if ((rc = evaluate_case(c, ti, k, q, &o)) != 0)
            goto cleanup;
        standing[q] = o == MG_OUTCOME_PASS || o == MG_OUTCOME_FAIL;
        r += standing[q];
    }
    if (r <= 1)
        goto cleanup;
    snprintf(c->level_note, sizeof c->level_note, "%s, %zu slices",
             corr == MG_CORRECTION_HOLM ? "Holm" : "Bonferroni", r);
    while (r > 0) {
        double lvl = 1 - alpha / (double)r;
        size_t failed = 0;
        c->level = lvl;
        for (size_t q = 0; q < span; q++) {
            mg_outcome o;
            if (!standing[q])
                continue;
            level[q] = lvl;
            if ((rc = evaluate_case(c, ti, k, q, &o)) != 0)
                goto cleanup;
            if (o == MG_OUTCOME_FAIL && corr == MG_CORRECTION_HOLM) {
                standing[q] = 0;
                failed++;
            }
        }
        if (failed == 0)
            break;
        r -= failed;
    }
cleanup:
    free(standing);
    return rc;
}

static int run_tests(ctx *c)
{
    const mg_suite *s = c->s;
    int rc = 0;
    for (size_t i = 0; i < s->ntests && rc == 0; i++) {
        long k = s->tests[i].slices ? mg_suite_slicing(s, s->tests[i].slices) : -1;
        size_t first, span = slice_span(c, k, &first);
        double *level = calloc(span ? span : 1, sizeof *level);
        if (level == NULL)
            return MG_ENOMEM;
        c->level_note[0] = '\0';
        rc = family_levels(c, i, k, span, level);
        for (size_t q = 0; q < span && rc == 0; q++) {
            c->level = level[q];
            rc = evaluate_case(c, i, k, q, NULL);
        }
        c->level = c->confidence;
        c->level_note[0] = '\0';
        free(level);
    }
    if (rc != 0)
        return rc;
    /* A gate that ran nothing must not look green. */
    if (!c->o->allow_empty && c->r->passed == 0 && c->r->failed == 0 &&
        c->r->errors == 0) {
        mg_case *out = new_case(c);
        if (out == NULL)
            return MG_ENOMEM;
        out->test = mg__strdup("suite");
        out->metric = mg__strdup("none");
        out->model = mg__strdup("none");
        out->slice = mg__strdup("overall");
        out->rule = mg__strdup("strict");
        out->interval = mg__strdup(interval_names[c->kind]);
        out->outcome = MG_OUTCOME_ERROR;
        out->message =
            mg__strdup(s->ntests == 0 ? "the suite has no tests, so it tests nothing "
                                        "(--allow-empty lets it pass)"
                                      : "every test case was skipped, so nothing was "
                                        "tested (--allow-empty lets it pass)");
        if (!out->test || !out->metric || !out->model || !out->slice || !out->rule ||
            !out->interval || !out->message)
            return MG_ENOMEM;
        count_outcome(c->r, MG_OUTCOME_ERROR);
    }
    return 0;
}

int mg_run_suite(mg_report **out, const mg_suite *s, const mg_run_options *opts,
                 mg_error *err)
{
    mg_run_options defaults = MG_RUN_OPTIONS_INIT;
    mg__engine_options eo = {0};
    mg__dataset ds = {0};
    uint32_t **codes = NULL;
    size_t *nlevels = NULL;
    ctx c = {0};
    double t0 = now();
    int rc = MG_ENOMEM;

    *out = NULL;
    if (opts != NULL && opts->version != MG_RUN_OPTIONS_VERSION)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "mg_run_options version %u is not %u (initialise it with "
                            "MG_RUN_OPTIONS_INIT)",
                            opts->version, MG_RUN_OPTIONS_VERSION);
    c.s = s;
    c.o = opts ? opts : &defaults;
    c.kind = s->bootstrap.interval;
    c.confidence = s->bootstrap.confidence;
    c.level = c.confidence;
    c.replicates = c.o->replicates > 0 ? c.o->replicates : s->bootstrap.replicates;
    if (c.kind == MG_INTERVAL_ANALYTIC)
        c.replicates = 0;
    if ((c.r = calloc(1, sizeof *c.r)) == NULL)
        goto nomem;
    if ((rc = check_file_memory(&c, err)) != 0 ||
        (rc = mg__data_load(&c.d, s, c.o->cancel, err)) != 0)
        goto cleanup;
    if ((rc = check_tests(&c, err)) != 0)
        goto cleanup;
    rc = MG_ENOMEM;
    if (plan_pairs(&c) != 0)
        goto nomem;
    c.r->threads = c.o->threads ? c.o->threads : available_cores();

    codes = calloc(s->nslicings ? s->nslicings : 1, sizeof *codes);
    nlevels = calloc(s->nslicings ? s->nslicings : 1, sizeof *nlevels);
    c.buf = malloc((c.replicates ? c.replicates : 1) * sizeof *c.buf);
    c.slice_rows = calloc(s->nslicings ? s->nslicings : 1, sizeof *c.slice_rows);
    c.slice_start = calloc(s->nslicings ? s->nslicings : 1, sizeof *c.slice_start);
    if (!codes || !nlevels || !c.buf || !c.slice_rows || !c.slice_start)
        goto nomem;
    for (size_t k = 0; k < s->nslicings; k++) {
        codes[k] = c.d->slicings[k].code;
        nlevels[k] = c.d->slicings[k].nlevels;
    }
    ds = (mg__dataset){c.d->n,
                       c.d->label,
                       s->nmodels,
                       c.d->score,
                       c.d->threshold,
                       s->nslicings,
                       (const uint32_t *const *)codes,
                       nlevels,
                       c.d->cluster,
                       c.d->nclusters};
    eo.replicates = c.replicates;
    eo.seed = c.o->has_seed ? c.o->seed : s->bootstrap.seed;
    eo.stratify = s->bootstrap.stratify == MG_STRATIFY_LABEL ? MG__ENGINE_STRATIFY_LABEL
                                                             : MG__ENGINE_STRATIFY_NONE;
    eo.resampler = s->bootstrap.resampler == MG_RESAMPLER_POISSON
                       ? MG__ENGINE_POISSON
                       : MG__ENGINE_MULTINOMIAL;
    eo.threads = c.r->threads;
    eo.need_rank = needs_rank(&c);
    eo.npairs = c.npairs;
    eo.pairs = (const size_t(*)[2])c.pairs;
    eo.progress = c.o->progress;
    eo.progress_ctx = c.o->progress_ctx;
    eo.cancel = c.o->cancel;
    {
        char what[200];
        snprintf(what, sizeof what,
                 "%zu replicates × %zu model%s × %zu slices over %zu rows",
                 c.replicates, s->nmodels, s->nmodels == 1 ? "" : "s",
                 mg__engine_slice_count(&ds), c.d->n);
        double need = c.table_bytes + mg__engine_memory(&ds, &eo) +
                      (double)c.replicates * sizeof(double);
        if ((rc = over_limit(&c, need, what, err)) != 0)
            goto cleanup;
    }
    /* validate: everything checked, nothing computed. */
    if (c.o->mode == MG_RUN_VALIDATE) {
        c.replicates = 0;
        if (fill_provenance(&c) != 0)
            goto nomem;
        goto finish;
    }
    if ((rc = mg__engine_run(&c.e, &ds, &eo, err)) != 0)
        goto cleanup;
    rc = MG_ENOMEM;
    if (fill_provenance(&c) != 0)
        goto nomem;
    if (c.o->mode == MG_RUN_METRICS) {
        if (metric_entries(&c) != 0)
            goto nomem;
    } else if (run_tests(&c) != 0) {
        goto nomem;
    }
finish:
    c.r->seconds = now() - t0;
    *out = c.r;
    c.r = NULL;
    rc = 0;
    goto cleanup;
nomem:
    rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
cleanup:
    if (c.slice_rows)
        for (size_t k = 0; k < s->nslicings; k++) {
            free(c.slice_rows[k]);
            free(c.slice_start[k]);
        }
    free(c.slice_rows);
    free(c.slice_start);
    free(c.sx);
    free(c.sy);
    free(c.sl);
    free(c.buf);
    free(c.pairs);
    free(codes);
    free(nlevels);
    mg__engine_free(c.e);
    mg__data_free(c.d);
    mg_report_free(c.r);
    return rc;
}
