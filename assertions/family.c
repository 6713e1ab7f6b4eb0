/*
 * Multiple-testing corrections for a family of slices, in interval form and as
 * adjusted p-values.
 *
 * A lenient family fails when any one slice fails, so with many slices noise alone
 * would trip it: its levels are adjusted. Bonferroni puts every slice at 1 − α/k.
 * Holm's step-down (Holm 1979, "A simple sequentially rejective multiple test
 * procedure", Scand J Statist 6:65–70), in interval form: with r slices still
 * standing, every one whose interval at 1 − α/r lies entirely on the failing side
 * fails; repeat with the smaller r until none fails. Rejecting all of a step's
 * slices at once is the same as Holm's one-at-a-time order, since a smaller r only
 * widens the level. Both bound the family-wise error rate: the chance that any
 * slice that truly meets its threshold is failed is at most α.
 *
 * Benjamini–Hochberg (Benjamini & Hochberg 1995, "Controlling the false discovery
 * rate", JRSS B 57:289–300) bounds instead the false discovery rate, the expected
 * share of failed slices that truly meet their threshold, at α (for independent or
 * positively dependent tests: Benjamini & Yekutieli 2001). Step-up: with the
 * p-values sorted, R is the largest r with p₍ᵣ₎ ≤ rα/k, and the R smallest fail. In
 * interval form (Benjamini & Yekutieli 2005, "False discovery rate-adjusted
 * multiple confidence intervals for selected parameters", JASA 100:71–81) the
 * selected slices get intervals at 1 − Rα/k, which keeps the false coverage rate
 * (the expected share of selected intervals that miss) at α; the slices not
 * selected are shown at the same level, at which they pass (their p-values exceed
 * Rα/k; at R = 0 the level is 1 − α/k).
 *
 * The p-value of a slice is the one-sided p-value of its failure, found by
 * inverting its interval: the highest level at which it fails, by bisection. So
 * the p-value and the interval never tell different stories, whatever the
 * interval's method. p-values above ½ are not resolved (a lenient check at a level
 * below ½ reads nothing) and are reported as 1; that moves no adjusted p-value at or
 * below ½, so no decision. Adjusted p-values follow R's p.adjust.
 *
 * The procedure only asks for outcomes at a level (a probe the runner supplies), so
 * it is the same for any test kind that yields several cases.
 */
#include "assertions/family.h"

#include <stdlib.h>

#include "modelgate/error.h"

/* Bisection steps: the level is found to 0.5 / 2^44, about 3e-14. */
#define MG__P_STEPS 44
/* The lowest level probed: a two-sided interval at 2·level − 1 needs level > ½. */
#define MG__P_LOW_LEVEL (0.5 + 1e-9)

mg_correction mg__family_correction(mg_correction asked, mg_rule rule)
{
    if (rule != MG_RULE_LENIENT)
        return MG_CORRECTION_NONE;
    return asked == MG_CORRECTION_DEFAULT ? MG_CORRECTION_HOLM : asked;
}

typedef struct ranked {
    double p;
    size_t q;
} ranked;

static int by_p(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->q < y->q ? -1 : x->q > y->q;
}

int mg__p_adjust(mg_correction correction, const double *p, size_t n, double *out)
{
    ranked *r;
    size_t k = 0;
    double run;

    for (size_t q = 0; q < n; q++) {
        out[q] = p[q] < 0 ? -1 : p[q];
        k += p[q] >= 0;
    }
    if (correction == MG_CORRECTION_NONE || correction == MG_CORRECTION_DEFAULT ||
        k == 0)
        return 0;
    if ((r = malloc(k * sizeof *r)) == NULL)
        return MG_ENOMEM;
    k = 0;
    for (size_t q = 0; q < n; q++)
        if (p[q] >= 0)
            r[k++] = (ranked){p[q], q};
    qsort(r, k, sizeof *r, by_p);
    switch (correction) {
    case MG_CORRECTION_BONFERRONI:
        for (size_t i = 0; i < k; i++)
            out[r[i].q] = (double)k * r[i].p;
        break;
    case MG_CORRECTION_HOLM:
        run = 0;
        for (size_t i = 0; i < k; i++) {
            double v = (double)(k - i) * r[i].p;
            run = v > run ? v : run;
            out[r[i].q] = run;
        }
        break;
    default: /* BH */
        run = 1;
        for (size_t i = k; i-- > 0;) {
            double v = (double)k / (double)(i + 1) * r[i].p;
            run = v < run ? v : run;
            out[r[i].q] = run;
        }
        break;
    }
    for (size_t i = 0; i < k; i++)
        if (out[r[i].q] > 1)
            out[r[i].q] = 1;
    free(r);
    return 0;
}

int mg__family_p_value(mg__family_probe probe, void *ctx, size_t q, double *p)
{
    double lo = MG__P_LOW_LEVEL, hi = 1;
    mg_outcome o;
    int rc;

    /* fails at lo, passes at hi: the highest failing level lies between */
    if ((rc = probe(ctx, q, lo, &o)) != 0)
        return rc;
    if (o != MG_OUTCOME_FAIL) {
        *p = 1;
        return 0;
    }
    for (int step = 0; step < MG__P_STEPS; step++) {
        double mid = (lo + hi) / 2;
        if ((rc = probe(ctx, q, mid, &o)) != 0)
            return rc;
        if (o == MG_OUTCOME_FAIL)
            lo = mid;
        else
            hi = mid;
    }
    *p = 1 - lo;
    return 0;
}

/* The members' p-values into p (−1 outside the family). */
static int family_p_values(mg__family_probe probe, void *ctx, size_t n,
                           const unsigned char *standing, double *p)
{
    int rc;
    for (size_t q = 0; q < n; q++) {
        p[q] = -1;
        if (standing[q] && (rc = mg__family_p_value(probe, ctx, q, &p[q])) != 0)
            return rc;
    }
    return 0;
}

/* Holm (step-down) or Bonferroni on interval levels, members in `standing`. */
static int step_down(mg_correction correction, double alpha, size_t n, size_t r,
                     mg__family_probe probe, void *ctx, unsigned char *standing,
                     double *level)
{
    int rc;
    while (r > 0) {
        double lvl = 1 - alpha / (double)r;
        size_t failed = 0;
        for (size_t q = 0; q < n; q++) {
            mg_outcome o;
            if (!standing[q])
                continue;
            level[q] = lvl;
            if ((rc = probe(ctx, q, lvl, &o)) != 0)
                return rc;
            if (o == MG_OUTCOME_FAIL && correction == MG_CORRECTION_HOLM) {
                standing[q] = 0;
                failed++;
            }
        }
        if (failed == 0)
            break;
        r -= failed;
    }
    return 0;
}

/* Benjamini–Hochberg: R from the p-values' step-up, every member at 1 − max(R, 1)α/k.
 */
static int step_up(double alpha, size_t n, size_t k, const unsigned char *standing,
                   const double *p, double *level)
{
    ranked *r = malloc(k * sizeof *r);
    size_t m = 0, rejected = 0;
    if (r == NULL)
        return MG_ENOMEM;
    for (size_t q = 0; q < n; q++)
        if (standing[q])
            r[m++] = (ranked){p[q], q};
    qsort(r, m, sizeof *r, by_p);
    for (size_t i = m; i-- > 0 && rejected == 0;)
        if (r[i].p <= (double)(i + 1) * alpha / (double)k)
            rejected = i + 1;
    for (size_t q = 0; q < n; q++)
        if (standing[q])
            level[q] = 1 - (double)(rejected ? rejected : 1) * alpha / (double)k;
    free(r);
    return 0;
}

int mg__family_levels(mg_correction correction, double confidence, size_t n,
                      mg__family_probe probe, void *ctx, double *level,
                      size_t *family_size, double *p, double *p_adjusted)
{
    double alpha = 1 - confidence, *own = NULL;
    unsigned char *standing;
    size_t r = 0;
    int rc = 0;

    *family_size = 0;
    for (size_t q = 0; q < n; q++) {
        level[q] = confidence;
        if (p != NULL)
            p[q] = -1;
        if (p_adjusted != NULL)
            p_adjusted[q] = -1;
    }
    if (correction == MG_CORRECTION_NONE || correction == MG_CORRECTION_DEFAULT ||
        n <= 1)
        return 0;
    if ((standing = calloc(n, 1)) == NULL)
        return MG_ENOMEM;
    /* The family: the members that are neither skipped nor undefined. */
    for (size_t q = 0; q < n; q++) {
        mg_outcome o;
        if ((rc = probe(ctx, q, confidence, &o)) != 0)
            goto cleanup;
        standing[q] = o == MG_OUTCOME_PASS || o == MG_OUTCOME_FAIL;
        r += standing[q];
    }
    if (r <= 1)
        goto cleanup;
    *family_size = r;
    if (p == NULL && correction == MG_CORRECTION_BH) {
        if ((own = malloc(n * sizeof *own)) == NULL) {
            rc = MG_ENOMEM;
            goto cleanup;
        }
        p = own;
    }
    if (p != NULL && (rc = family_p_values(probe, ctx, n, standing, p)) != 0)
        goto cleanup;
    if (p != NULL && p_adjusted != NULL &&
        (rc = mg__p_adjust(correction, p, n, p_adjusted)) != 0)
        goto cleanup;
    if (correction == MG_CORRECTION_BH)
        rc = step_up(alpha, n, r, standing, p, level);
    else
        rc = step_down(correction, alpha, n, r, probe, ctx, standing, level);
cleanup:
    free(own);
    free(standing);
    return rc;
}
