/*
 * Weak-slice discovery: which slices of some columns, and of their combinations,
 * are worse than the rest of the rows by more than a margin, with the false
 * discovery rate controlled.
 *
 * Every candidate slice (each value of each column, each combination of values of
 * up to `depth` columns) is a slice of a slicing the suite made for the search
 * (harness/weak_spec.c), so the engine has computed its statistics in every
 * bootstrap replicate, in the one pass that serves the whole suite. The rest of the
 * rows, the slice's complement, has the whole set's sums minus the slice's, in the
 * estimate and in each replicate, so the comparison is paired and costs one metric
 * evaluation per replicate. Candidates smaller than min_size (or min_positives,
 * min_negatives), with fewer than 10 of the smaller class on either side, or whose
 * metric is undefined on either side are not searched.
 *
 * For each candidate, Δ = sign · (θ_slice − θ_rest) (negative: the slice is worse)
 * and its bootstrap standard deviation se give the one-sided p-value of "the slice
 * is worse by more than the margin m", p = Φ((Δ̂ + m) / se). A normal p-value and
 * not a count of replicates: with hundreds of candidates Benjamini–Hochberg reads
 * p-values far below 1/B. The p-values of all candidates go through
 * Benjamini–Hochberg at α = 1 − confidence (Benjamini & Hochberg 1995); the R
 * discovered slices get intervals Δ̂ ± z·se at one-sided level 1 − Rα/k, the false
 * coverage rate adjustment (Benjamini & Yekutieli 2005), whose upper ends lie below
 * −m. Candidates are correlated (a region and its region × plan cells share rows);
 * BH is proved for independent and positively dependent tests, and the simulation
 * in docs/statistics.md measures the false discovery proportion on data without a
 * weak slice.
 *
 * A discovered combination is explained by a parent (the same slice with one column
 * fewer) when the parent is discovered too and the combination is not
 * significantly worse than it: Δ_child − Δ_parent, on the same replicates, is not
 * below 0 at one-sided α. A region whose every plan looks weak then reads as one
 * finding, the region.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "assertions/family.h"
#include "common/util.h"
#include "harness/run_internal.h"

typedef struct candidate {
    size_t slicing; /* the suite's slicing index */
    size_t level;
    size_t slice; /* the engine's id */
    double est, rest, delta, se, p, q;
    int found;
    long explained; /* index of the explaining candidate, or -1 */
} candidate;

/* out = all − part, field by field: the complement's sums. */
static void complement(const mg_binary_stats *all, const mg_binary_stats *part,
                       mg_binary_stats *out)
{
    out->tp = all->tp - part->tp;
    out->fp = all->fp - part->fp;
    out->tn = all->tn - part->tn;
    out->fn = all->fn - part->fn;
    out->pos = all->pos - part->pos;
    out->neg = all->neg - part->neg;
    out->auc_u = 0;
    out->ap_sum = 0;
    out->log_loss_sum = all->log_loss_sum - part->log_loss_sum;
    out->brier_sum = all->brier_sum - part->brier_sum;
}

/* Δ = sign · (slice − rest) on the statistics of one replicate (or the estimate);
 * 0 when undefined. */
static int delta_of(const plan *p, const mg_binary_stats *all,
                    const mg_binary_stats *part, double *slice, double *rest,
                    double *delta)
{
    mg_binary_stats other;
    complement(all, part, &other);
    if (mg_metric_value(p->metric->id, part, slice, NULL) != 0 ||
        mg_metric_value(p->metric->id, &other, rest, NULL) != 0)
        return -1;
    *delta = p->sign * (*slice - *rest);
    return 0;
}

/* Δ* of a candidate in every replicate into d (NaN where undefined). */
static void deltas(ctx *c, const plan *p, size_t slice, double *d)
{
    for (size_t b = 0; b < c->replicates; b++) {
        double s, r;
        if (delta_of(p, mg__engine_replicate(c->e, b, p->model, 0),
                     mg__engine_replicate(c->e, b, p->model, slice), &s, &r,
                     &d[b]) != 0)
            d[b] = NAN;
    }
}

static double sd(const double *x, size_t n)
{
    double m = 0, m2 = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        double dx;
        if (isnan(x[i]))
            continue;
        k++;
        dx = x[i] - m;
        m += dx / k;
        m2 += dx * (x[i] - m);
    }
    return k > 1 ? sqrt(m2 / (k - 1)) : 0;
}

/* Whether a side (slice or rest) carries enough data to be compared. */
static int enough(const plan *p, const mg_binary_stats *st, double rows)
{
    return rows >= (double)p->min_size && st->tp + st->fn >= (double)p->min_positives &&
           st->tn + st->fp >= (double)p->min_negatives &&
           mg_metric_effective_size(p->metric->id, st) >= MG_METRIC_MIN_EFFECTIVE_SIZE;
}

/* The candidates: every slice of the test's slicings that can be compared. */
static int gather(ctx *c, const plan *p, candidate **out, size_t *count)
{
    const mg_test_spec *t = p->t;
    const mg_binary_stats *all = mg__engine_estimate(c->e, p->model, 0);
    size_t total = 0, m = 0;
    double *d = c->buf, N = (double)mg__engine_slice_rows(c->e, 0);
    candidate *v;

    for (size_t k = t->weak_first; k < t->weak_first + t->weak_count; k++)
        total += c->d->slicings[k].nlevels;
    if ((v = calloc(total ? total : 1, sizeof *v)) == NULL)
        return MG_ENOMEM;
    for (size_t k = t->weak_first; k < t->weak_first + t->weak_count; k++) {
        size_t off = mg__engine_slice_offset(c->e, k);
        for (size_t q = 0; q < c->d->slicings[k].nlevels; q++) {
            candidate *x = &v[m];
            const mg_binary_stats *st = mg__engine_estimate(c->e, p->model, off + q);
            mg_binary_stats rest;
            double rows = (double)mg__engine_slice_rows(c->e, off + q);
            complement(all, st, &rest);
            if (!enough(p, st, rows) || !enough(p, &rest, N - rows) ||
                delta_of(p, all, st, &x->est, &x->rest, &x->delta) != 0)
                continue;
            deltas(c, p, off + q, d);
            x->se = sd(d, c->replicates);
            if (!(x->se > 0))
                continue; /* no spread: nothing to test */
            x->slicing = k;
            x->level = q;
            x->slice = off + q;
            x->p = gsl_cdf_ugaussian_P((x->delta + t->weak_margin) / x->se);
            x->explained = -1;
            m++;
        }
    }
    *out = v;
    *count = m;
    return 0;
}

/* The candidate that is slice `code`'s parent in slicing k, or -1. */
static long find(const candidate *v, size_t m, size_t k, size_t level)
{
    for (size_t i = 0; i < m; i++)
        if (v[i].slicing == k && v[i].level == level)
            return (long)i;
    return -1;
}

/* Whether slicing `parent`'s columns are slicing `child`'s minus one. */
static int is_parent(const mg_slicing_spec *parent, const mg_slicing_spec *child)
{
    size_t hit = 0;
    if (parent->ncolumns + 1 != child->ncolumns)
        return 0;
    for (size_t i = 0; i < parent->ncolumns; i++)
        for (size_t j = 0; j < child->ncolumns; j++)
            hit += strcmp(parent->columns[i], child->columns[j]) == 0;
    return hit == parent->ncolumns;
}

/* Mark discovered combinations that a discovered parent explains. */
static int explain(ctx *c, const plan *p, candidate *v, size_t m, double alpha)
{
    const mg_suite *s = c->s;
    const mg_test_spec *t = p->t;
    double *dc = malloc((c->replicates ? c->replicates : 1) * sizeof *dc);
    double *dp = malloc((c->replicates ? c->replicates : 1) * sizeof *dp);
    double z = gsl_cdf_ugaussian_Pinv(1 - alpha);
    int rc;

    if (dc == NULL || dp == NULL) {
        free(dc);
        free(dp);
        return MG_ENOMEM;
    }
    for (size_t i = 0; i < m; i++) {
        const uint32_t *rows;
        size_t count;
        if (!v[i].found || s->slicings[v[i].slicing].ncolumns < 2)
            continue;
        /* a row of the slice tells its value in every parent slicing */
        if ((rc = mg__slicing_members(&c->d->slicings[v[i].slicing], c->d->n,
                                      v[i].level, &rows, &count)) != 0) {
            free(dc);
            free(dp);
            return rc;
        }
        if (count == 0)
            continue;
        deltas(c, p, v[i].slice, dc);
        for (size_t k = t->weak_first; k < t->weak_first + t->weak_count; k++) {
            long j;
            double se;
            if (!is_parent(&s->slicings[k], &s->slicings[v[i].slicing]))
                continue;
            j = find(v, m, k, c->d->slicings[k].code[rows[0]]);
            if (j < 0 || !v[j].found)
                continue;
            deltas(c, p, v[j].slice, dp);
            for (size_t b = 0; b < c->replicates; b++)
                dp[b] = dc[b] - dp[b];
            se = sd(dp, c->replicates);
            /* not significantly worse than its parent: the parent explains it */
            if (se > 0 && (v[i].delta - v[j].delta) / se > -z &&
                (v[i].explained < 0 || v[j].delta < v[v[i].explained].delta))
                v[i].explained = j;
        }
    }
    free(dc);
    free(dp);
    return 0;
}

static int by_delta(const void *a, const void *b)
{
    const candidate *x = *(const candidate *const *)a,
                    *y = *(const candidate *const *)b;
    if (x->delta != y->delta)
        return x->delta < y->delta ? -1 : 1;
    return x->slice < y->slice ? -1 : x->slice > y->slice;
}

/* One case: a discovered slice (x), or the search's pass (x NULL). */
static int weak_case(ctx *c, const plan *p, const candidate *v, const candidate *x,
                     size_t rank, size_t m, double level)
{
    double t0 = mg__now();
    extras ex = {NULL, ""};
    mg_case *k = mg__new_case(c);
    char *slicing, *slice;
    int rc;

    if (k == NULL)
        return MG_ENOMEM;
    k->kind = MG_TEST_WEAK_SLICE;
    k->status = MG_STATUS_DECIDED;
    k->correction = MG_CORRECTION_BH;
    k->family_size = m;
    k->weak_candidates = m;
    k->margin = p->t->weak_margin;
    k->has_threshold = 1;
    k->threshold = k->margin;
    k->min_size = p->min_size;
    k->bound_level = level;
    k->confidence = mg__two_sided(level);
    k->replicates = c->replicates;
    if ((rc = mg__name_case(c, p, 0, k, &ex)) != 0)
        return rc;
    k->comparison = MG_COMPARE_NON_INFERIOR;
    if (x == NULL) {
        /* nothing found: the search passes */
        k->outcome = MG_OUTCOME_PASS;
        k->n = mg__engine_slice_rows(c->e, 0);
        k->bound_level = c->confidence;
        k->confidence = mg__two_sided(c->confidence);
        k->family_size = 0;
        return mg__keep_case(c, k, t0);
    }
    slicing = mg__strdup(c->s->slicings[x->slicing].name);
    slice = mg__strdup(c->d->slicings[x->slicing].labels[x->level]);
    free(k->slicing);
    free(k->slice);
    k->slicing = slicing;
    k->slice = slice;
    if (slicing == NULL || slice == NULL)
        return MG_ENOMEM;
    if (x->explained >= 0) {
        const candidate *e = &v[x->explained];
        if ((k->weak_explained_by =
                 mg__strdup(c->d->slicings[e->slicing].labels[e->level])) == NULL)
            return MG_ENOMEM;
    }
    {
        const mg_binary_stats *st = mg__engine_estimate(c->e, p->model, x->slice);
        double z = gsl_cdf_ugaussian_Pinv(level);
        mg__rule rule = {MG_RULE_LENIENT,         0,        0, 0, 0,
                         MG_COMPARE_NON_INFERIOR, k->margin};
        mg__evidence ev = {x->delta, 1, x->delta - z * x->se, x->delta + z * x->se};
        mg__verdict vd;
        k->n = mg__engine_slice_rows(c->e, x->slice);
        k->positives = (size_t)(st->tp + st->fn);
        k->negatives = (size_t)(st->tn + st->fp);
        k->has_estimate = 1;
        k->estimate = x->est;
        k->has_baseline_estimate = 1;
        k->baseline_estimate = x->rest;
        k->has_delta = 1;
        k->delta = x->delta;
        k->delta_ci_low = ev.low;
        k->delta_ci_high = ev.high;
        k->method = MG_CI_NORMAL;
        k->has_family_p = 1;
        k->family_p = x->p;
        k->family_p_adjusted = x->q;
        k->weak_rank = rank;
        mg__decide(&rule, &ev, &vd);
        k->outcome = vd.outcome;
        memcpy(k->checks, vd.checks, sizeof vd.checks);
        k->nchecks = vd.nchecks;
    }
    return mg__keep_case(c, k, t0);
}

int mg__weak_cases(ctx *c, const plan *p)
{
    double alpha = 1 - c->confidence, level;
    candidate *v = NULL, **found = NULL;
    double *pv = NULL, *qv = NULL;
    size_t m = 0, r = 0;
    int rc;

    if ((rc = gather(c, p, &v, &m)) != 0)
        goto cleanup;
    pv = malloc((m ? m : 1) * sizeof *pv);
    qv = malloc((m ? m : 1) * sizeof *qv);
    found = malloc((m ? m : 1) * sizeof *found);
    if (pv == NULL || qv == NULL || found == NULL) {
        rc = MG_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++)
        pv[i] = v[i].p;
    if ((rc = mg__p_adjust(MG_CORRECTION_BH, pv, m, qv)) != 0)
        goto cleanup;
    for (size_t i = 0; i < m; i++) {
        v[i].q = qv[i];
        if ((v[i].found = qv[i] <= alpha))
            found[r++] = &v[i];
    }
    if ((rc = explain(c, p, v, m, alpha)) != 0)
        goto cleanup;
    qsort(found, r, sizeof *found, by_delta);
    level = 1 - (double)(r ? r : 1) * alpha / (double)(m ? m : 1);
    if (r == 0)
        rc = weak_case(c, p, v, NULL, 0, m, level);
    for (size_t i = 0; i < r && rc == 0; i++)
        rc = weak_case(c, p, v, found[i], i + 1, m, level);
cleanup:
    free(v);
    free(pv);
    free(qv);
    free(found);
    return rc;
}
