/*
 * DeLong's variance of the AUC and the paired DeLong test of two correlated AUCs.
 *
 * Method. DeLong, DeLong & Clarke-Pearson (1988, "Comparing the areas under two or
 * more correlated receiver operating characteristic curves: a nonparametric
 * approach", Biometrics 44:837–845) write the AUC as the Mann–Whitney statistic
 * and its variance through placement values. With n1 positives (cases) and n0
 * negatives (controls), ψ(x, y) = 1 if x > y, ½ if x = y, 0 otherwise:
 *   V10(xᵢ) = (1/n0) Σⱼ ψ(xᵢ, yⱼ)  for each positive i,
 *   V01(yⱼ) = (1/n1) Σᵢ ψ(xᵢ, yⱼ)  for each negative j,
 *   AUC = mean V10 = mean V01,
 *   S10 = Σ (V10 − AUC)² / (n1 − 1),  S01 = Σ (V01 − AUC)² / (n0 − 1),
 *   Var(AUC) = S10/n1 + S01/n0,
 * and for two scores on the same rows the covariance takes the cross products,
 * S10¹² = Σ (V10¹ − AUC¹)(V10² − AUC²)/(n1 − 1), likewise S01¹², so that
 * Var(AUC¹ − AUC²) = Var¹ + Var² − 2 Cov and z = Δ/√Var(Δ) is referred to N(0, 1).
 * This is what pROC's var(method = "delong"), ci.auc(method = "delong") and
 * roc.test(method = "delong", paired = TRUE) compute (Robin et al. 2011), with
 * controls < cases: higher scores predict the positive class.
 *
 * One AUC's interval. pROC's is symmetric, Â ± z·SE clipped to [0, 1]. Near 1 and
 * at small n it misses high: the sampling distribution of Â is skewed away from 1,
 * so the symmetric lower bound sits above the truth more often than it claims (with
 * 15 positives and an AUC of 0.87, a one-sided 95 % bound erred 12 % of the time;
 * docs/statistics.md). The logit-scale interval (the delta method on log(A/(1 − A)),
 * Pepe 2003, "The Statistical Evaluation of Medical Tests", §5.2.3; Qin & Hotilovac
 * 2008, Statistical Methods in Medical Research 17:207–221) is asymmetric the right
 * way and never leaves (0, 1); modelgate's cases use it, and both are exported.
 *
 * O(n log n) by mid-ranks (Sun & Xu 2014, "Fast implementation of DeLong's
 * algorithm", IEEE Signal Processing Letters 21:1389–1393): if Rᵢ is the mid-rank of
 * positive i among all scores and Rᵢ⁺ its mid-rank among the positives, then
 * Rᵢ − Rᵢ⁺ = #{negatives below xᵢ} + ½ #{negatives tied with xᵢ} = n0·V10(xᵢ); for a
 * negative, n1·V01(yⱼ) = #{positives above} + ½ #{positives tied} = n1 − (Rⱼ − Rⱼ⁻).
 * We never form the ranks: one sort of (score, row) pairs and one pass over the tie
 * groups, carrying the numbers of positives and negatives below the group, gives
 * every placement directly. Rows in a tie group share their placement, so the sort
 * need not be stable.
 *
 * Numerical notes. The AUC is computed from the integer 2U = Σ over tie groups of
 * (positives in group)·(2·negatives below + negatives in group), divided once by
 * 2·n1·n0, so it is correctly rounded while n1·n0 < 2^53. Each placement is one
 * half-integer count divided once. Variances are two-pass sums of squared deviations
 * from the AUC, never E[V²] − AUC². The variance of the paired difference is summed
 * directly from the differences of the placements, Σ((V¹ − AUC¹) − (V² − AUC²))²,
 * rather than as Var¹ + Var² − 2 Cov: the two agree in exact arithmetic, but the
 * latter cancels catastrophically when the two scores rank the rows almost alike
 * and can even come out negative; the former is a sum of squares, exactly 0 for two
 * scores that order the rows the same way. NaN scores are rejected (they have no
 * place in the order); ±∞ are ordinary extreme scores.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "modelgate/stats.h"

/* A score and the row it came from; sorted by score. */
typedef struct keyed {
    double score;
    size_t row;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    double a = ((const keyed *)pa)->score, b = ((const keyed *)pb)->score;
    return (a > b) - (a < b);
}

/* Check labels and scores, count the classes. */
static int check_input(const double *scores, const unsigned char *labels, size_t n,
                       size_t *n1, size_t *n0, mg_error *err)
{
    size_t i, pos = 0;

    for (i = 0; i < n; i++) {
        if (labels[i] > 1)
            return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                                "label %u at row %zu is neither 0 nor 1",
                                (unsigned)labels[i], i);
        if (isnan(scores[i]))
            return mg_error_set(err, MG_EDATA, NULL, 0, 0, "score at row %zu is NaN",
                                i);
        pos += labels[i];
    }
    *n1 = pos;
    *n0 = n - pos;
    if (*n1 < 2 || *n0 < 2)
        return mg_error_set(err, MG_ENUMERIC, NULL, 0, 0,
                            "DeLong's variance needs at least two positive and two "
                            "negative rows (got %zu and %zu)",
                            *n1, *n0);
    return 0;
}

/*
 * Placement value of every row into v[row]: V10 for positives, V01 for negatives.
 * `work` has room for n pairs. Returns the AUC.
 */
static double placements(const double *scores, const unsigned char *labels, size_t n,
                         size_t n1, size_t n0, keyed *work, double *v)
{
    size_t i, j, k, pos_below = 0, neg_below = 0;
    unsigned long long twice_u = 0;
    double dn1 = (double)n1, dn0 = (double)n0;

    for (i = 0; i < n; i++) {
        work[i].score = scores[i];
        work[i].row = i;
    }
    qsort(work, n, sizeof *work, cmp_keyed);

    for (i = 0; i < n; i = j) {
        size_t pos_eq = 0, neg_eq = 0;
        double v10, v01;

        for (j = i; j < n && work[j].score == work[i].score; j++)
            pos_eq += labels[work[j].row];
        neg_eq = (j - i) - pos_eq;
        /* n0·V10 = negatives below + ½ negatives tied; n1·V01 = positives above +
         * ½ positives tied = n1 − positives below − ½ positives tied. */
        v10 = ((double)neg_below + 0.5 * (double)neg_eq) / dn0;
        v01 = ((double)(n1 - pos_below) - 0.5 * (double)pos_eq) / dn1;
        for (k = i; k < j; k++)
            v[work[k].row] = labels[work[k].row] ? v10 : v01;
        twice_u += (unsigned long long)pos_eq * (2ULL * neg_below + neg_eq);
        pos_below += pos_eq;
        neg_below += neg_eq;
    }
    return (double)twice_u / (2.0 * dn1 * dn0);
}

/* Allocate the sort buffer and one placement array per score. */
static int alloc_work(size_t n, keyed **work, double **v1, double **v2, mg_error *err)
{
    if (n > SIZE_MAX / sizeof **work)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "%zu rows are too many to sort",
                            n);
    *work = malloc(n * sizeof **work);
    *v1 = malloc(n * sizeof **v1);
    if (v2 != NULL)
        *v2 = malloc(n * sizeof **v2);
    if (*work == NULL || *v1 == NULL || (v2 != NULL && *v2 == NULL))
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0,
                            "out of memory for DeLong placements of %zu rows", n);
    return 0;
}

int mg_delong(const double *scores, const unsigned char *labels, size_t n,
              mg_delong_result *out, mg_error *err)
{
    keyed *work = NULL;
    double *v = NULL;
    size_t i, n1, n0;
    double auc, s10 = 0.0, s01 = 0.0;
    int rc;

    if (out == NULL || (n > 0 && (scores == NULL || labels == NULL))) {
        rc = mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                          "missing scores, labels or result");
        goto cleanup;
    }
    if ((rc = check_input(scores, labels, n, &n1, &n0, err)) < 0)
        goto cleanup;
    if ((rc = alloc_work(n, &work, &v, NULL, err)) < 0)
        goto cleanup;

    auc = placements(scores, labels, n, n1, n0, work, v);
    for (i = 0; i < n; i++) {
        double d = v[i] - auc;
        if (labels[i])
            s10 += d * d;
        else
            s01 += d * d;
    }
    out->auc = auc;
    out->variance =
        s10 / ((double)(n1 - 1) * (double)n1) + s01 / ((double)(n0 - 1) * (double)n0);
    rc = 0;

cleanup:
    free(work);
    free(v);
    return rc;
}

/* The arguments both single-AUC intervals take, checked. */
static int check_delong(const mg_delong_result *r, double confidence, mg_interval *out,
                        mg_error *err)
{
    if (r == NULL || out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "missing DeLong result");
    if (!(confidence > 0.0 && confidence < 1.0))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "confidence %g is outside (0, 1)", confidence);
    if (!(r->auc >= 0.0 && r->auc <= 1.0) || !(r->variance >= 0.0) ||
        !isfinite(r->variance))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "AUC %g with variance %g is not a DeLong result", r->auc,
                            r->variance);
    return 0;
}

int mg_delong_interval(const mg_delong_result *r, double confidence, mg_interval *out,
                       mg_error *err)
{
    double sd, alpha;
    int rc;

    if ((rc = check_delong(r, confidence, out, err)) != 0)
        return rc;
    /* pROC: qnorm(c((1 − c)/2, 1 − (1 − c)/2), mean = auc, sd = √var). */
    sd = sqrt(r->variance);
    alpha = (1.0 - confidence) / 2.0;
    out->low = r->auc + sd * gsl_cdf_ugaussian_Pinv(alpha);
    out->high = r->auc + sd * gsl_cdf_ugaussian_Pinv(1.0 - alpha);
    if (out->low < 0.0)
        out->low = 0.0;
    if (out->high > 1.0)
        out->high = 1.0;
    return 0;
}

int mg_delong_interval_logit(const mg_delong_result *r, double confidence,
                             mg_interval *out, mg_error *err)
{
    double centre, sd, z;
    int rc;

    if ((rc = check_delong(r, confidence, out, err)) != 0)
        return rc;
    if (!(r->auc > 0.0 && r->auc < 1.0))
        return mg_error_set(err, MG_ENUMERIC, NULL, 0, 0,
                            "an AUC of %g has no logit-scale interval", r->auc);
    /* The delta method: Var(logit Â) ≈ Var(Â) / (Â (1 − Â))². */
    centre = log(r->auc / (1.0 - r->auc));
    sd = sqrt(r->variance) / (r->auc * (1.0 - r->auc));
    z = gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - confidence) / 2.0);
    out->low = 1.0 / (1.0 + exp(-(centre - z * sd)));
    out->high = 1.0 / (1.0 + exp(-(centre + z * sd)));
    return 0;
}

int mg_delong_paired(const double *scores1, const double *scores2,
                     const unsigned char *labels, size_t n,
                     mg_delong_paired_result *out, mg_error *err)
{
    keyed *work = NULL;
    double *v1 = NULL, *v2 = NULL;
    size_t i, n1, n0;
    double a1, a2, dn1, dn0;
    /* Sums over positives (index 0) and negatives (index 1). */
    double s11[2] = {0, 0}, s22[2] = {0, 0}, s12[2] = {0, 0}, sdd[2] = {0, 0};
    double var_delta;
    int rc;

    if (out == NULL ||
        (n > 0 && (scores1 == NULL || scores2 == NULL || labels == NULL))) {
        rc = mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                          "missing scores, labels or result");
        goto cleanup;
    }
    if ((rc = check_input(scores1, labels, n, &n1, &n0, err)) < 0 ||
        (rc = check_input(scores2, labels, n, &n1, &n0, err)) < 0)
        goto cleanup;
    if ((rc = alloc_work(n, &work, &v1, &v2, err)) < 0)
        goto cleanup;

    a1 = placements(scores1, labels, n, n1, n0, work, v1);
    a2 = placements(scores2, labels, n, n1, n0, work, v2);
    for (i = 0; i < n; i++) {
        int c = labels[i] ? 0 : 1;
        double d1 = v1[i] - a1, d2 = v2[i] - a2, dd = d1 - d2;
        s11[c] += d1 * d1;
        s22[c] += d2 * d2;
        s12[c] += d1 * d2;
        sdd[c] += dd * dd;
    }
    dn1 = (double)n1;
    dn0 = (double)n0;
    /* S/(n − 1)/n for each class, summed: pROC's SX/m + SY/n. */
#define MG__DELONG_VAR(s) ((s)[0] / ((dn1 - 1.0) * dn1) + (s)[1] / ((dn0 - 1.0) * dn0))
    out->auc1 = a1;
    out->auc2 = a2;
    out->var1 = MG__DELONG_VAR(s11);
    out->var2 = MG__DELONG_VAR(s22);
    out->covariance = MG__DELONG_VAR(s12);
    var_delta = MG__DELONG_VAR(sdd);
#undef MG__DELONG_VAR
    out->delta = a1 - a2;
    out->delta_se = sqrt(var_delta);
    if (out->delta_se > 0.0) {
        double p;
        out->z = out->delta / out->delta_se;
        p = 2.0 * gsl_cdf_ugaussian_Q(fabs(out->z));
        out->p_value = p < 1.0 ? p : 1.0;
    } else if (out->delta == 0.0) {
        /* Two scores that order the rows alike: no difference, no evidence. */
        out->z = 0.0;
        out->p_value = 1.0;
    } else {
        out->z = 0.0;
        out->p_value = 1.0;
        rc = mg_error_set(err, MG_ENUMERIC, NULL, 0, 0,
                          "the AUC difference %g has zero standard error; the DeLong "
                          "test is undefined",
                          out->delta);
        goto cleanup;
    }
    rc = 0;

cleanup:
    free(work);
    free(v1);
    free(v2);
    return rc;
}

int mg_delong_paired_interval(const mg_delong_paired_result *r, double confidence,
                              mg_interval *out, mg_error *err)
{
    double z;

    if (r == NULL || out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "missing DeLong result");
    if (!(confidence > 0.0 && confidence < 1.0))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "confidence %g is outside (0, 1)", confidence);
    /* The normal interval of Δ: Δ ± z·se, not clipped. */
    z = gsl_cdf_ugaussian_Pinv(0.5 + confidence / 2);
    out->low = r->delta - z * r->delta_se;
    out->high = r->delta + z * r->delta_se;
    return 0;
}
