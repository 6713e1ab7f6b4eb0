/**
 * @file stats.h
 * @brief Interval methods and significance tests used by the bootstrap engine and
 * the analytic paths.
 *
 * Bootstrap intervals take the replicate values already sorted ascending (the engine
 * sorts each statistic's replicates once). Quantiles use linear interpolation between
 * order statistics (Hyndman–Fan type 7, the default of R's quantile() and NumPy's
 * percentile), as gsl_stats_quantile_from_sorted_data does.
 */
#ifndef MODELGATE_STATS_H
#define MODELGATE_STATS_H

#include <stddef.h>

#include "modelgate/error.h"
#include "modelgate/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A two-sided interval. */
typedef struct mg_interval {
    double low, high;
} mg_interval;

/**
 * Percentile interval: the (1−c)/2 and (1+c)/2 quantiles of the replicates.
 * Returns MG_EINVAL when n == 0 or confidence is outside (0, 1).
 */
MG_EXTERN int mg_interval_percentile(const double *sorted, size_t n, double confidence,
                                     mg_interval *out, mg_error *err);

/** Basic (reverse percentile) interval: [2θ̂ − q_hi, 2θ̂ − q_lo]. */
MG_EXTERN int mg_interval_basic(const double *sorted, size_t n, double estimate,
                                double confidence, mg_interval *out, mg_error *err);

/**
 * Bias-corrected and accelerated interval (Efron 1987; Efron & Tibshirani 1993,
 * §14.3). z0 = Φ⁻¹(p) where p is the share of replicates below the estimate,
 * counting ties as one half (as SciPy does); a is the acceleration. The adjusted
 * levels Φ(z0 + (z0 + z)/(1 − a(z0 + z))) are read as type-7 quantiles.
 * Returns MG_ENUMERIC when every replicate lies on one side of the estimate
 * (p = 0 or 1: z0 is infinite), with a message saying so.
 */
MG_EXTERN int mg_interval_bca(const double *sorted, size_t n, double estimate,
                              double acceleration, double confidence, mg_interval *out,
                              mg_error *err);

/**
 * The replicate levels BCa reads its two ends at (in [0, 1]), for checking that the
 * replicates resolve them: with B replicates a level below about 1/B is read at
 * the extreme replicate. Same errors as mg_interval_bca.
 */
MG_EXTERN int mg_interval_bca_levels(const double *sorted, size_t n, double estimate,
                                     double acceleration, double confidence,
                                     double *low_level, double *high_level,
                                     mg_error *err);
/**
 * Acceleration from jackknife deviations given as power sums over the n
 * leave-one-out values: s1 = Σ d_i, s2 = Σ d_i², s3 = Σ d_i³ with d_i = θ̂₍₋ᵢ₎ − θ̂.
 * a = Σ (d̄ − d_i)³ / (6 (Σ (d̄ − d_i)²)^{3/2}). Returns 0 when all d_i are equal.
 */
MG_EXTERN double mg_jackknife_acceleration(double n, double s1, double s2, double s3);

/**
 * Clopper–Pearson exact interval for `successes` out of `trials` (trials > 0):
 * the beta quantiles of R's binom.test. Each end is a one-sided bound at
 * (1 + confidence)/2 that never covers less than it claims.
 */
MG_EXTERN int mg_interval_clopper_pearson(double successes, double trials,
                                          double confidence, mg_interval *out,
                                          mg_error *err);
/** Wilson score interval for `successes` out of `trials` (trials > 0). */
MG_EXTERN int mg_interval_wilson(double successes, double trials, double confidence,
                                 mg_interval *out, mg_error *err);

/** DeLong's estimate of one AUC and its variance (DeLong, DeLong & Clarke-Pearson
 * 1988). */
typedef struct mg_delong_result {
    double auc;
    double variance;
} mg_delong_result;

/**
 * AUC and DeLong variance of `scores` against `labels` (1 positive, 0 negative),
 * higher scores predicting the positive class, ties counting ½. O(n log n) by
 * mid-ranks. Returns MG_ENUMERIC when a class has fewer than two rows (the variance
 * needs two of each).
 */
MG_EXTERN int mg_delong(const double *scores, const unsigned char *labels, size_t n,
                        mg_delong_result *out, mg_error *err);

/** Normal interval auc ± z·√variance, clipped to [0, 1] as pROC does. */
MG_EXTERN int mg_delong_interval(const mg_delong_result *r, double confidence,
                                 mg_interval *out, mg_error *err);

/**
 * The same interval on the logit scale: logit(auc) ± z·√variance / (auc (1 − auc)),
 * mapped back by the logistic function (the delta method; Pepe 2003, §5.2; Qin and
 * Hotilovac 2008). It stays inside (0, 1) and is wider below an AUC near 1, where
 * the symmetric interval's lower bound sits too high at small n. Returns
 * MG_ENUMERIC for an AUC of 0 or 1, whose logit is infinite.
 */
MG_EXTERN int mg_delong_interval_logit(const mg_delong_result *r, double confidence,
                                       mg_interval *out, mg_error *err);

typedef struct mg_delong_paired_result {
    double auc1, auc2;
    double var1, var2, covariance;
    double delta;    /**< auc1 − auc2 */
    double delta_se; /**< √(var1 + var2 − 2 cov) */
    double z;        /**< delta / delta_se (0 when delta_se is 0 and delta is 0) */
    double p_value;  /**< two-sided */
} mg_delong_paired_result;

/** Paired DeLong test of two correlated AUCs on the same rows (pROC roc.test). */
MG_EXTERN int mg_delong_paired(const double *scores1, const double *scores2,
                               const unsigned char *labels, size_t n,
                               mg_delong_paired_result *out, mg_error *err);

/**
 * Normal interval of the paired AUC difference: delta ± z·delta_se with z the
 * (1 + confidence)/2 normal quantile, not clipped (a difference lies in [−1, 1]).
 */
MG_EXTERN int mg_delong_paired_interval(const mg_delong_paired_result *r,
                                        double confidence, mg_interval *out,
                                        mg_error *err);
/**
 * Discordant rows of two thresholded classifiers on the same rows: *b counts rows
 * only the first predicts right (score >= threshold predicts positive, labels 1 or
 * 0), *c rows only the second does. The counts mg_mcnemar_exact takes.
 */
MG_EXTERN void mg_mcnemar_discordant(const double *scores1, double threshold1,
                                     const double *scores2, double threshold2,
                                     const unsigned char *labels, size_t n,
                                     unsigned long *b, unsigned long *c);
/**
 * Exact McNemar test: two-sided binomial test of b successes in b + c trials at ½
 * (b, c the discordant counts). p = 1 when b + c = 0.
 */
MG_EXTERN double mg_mcnemar_exact(unsigned long b, unsigned long c);

/**
 * Two-sided bootstrap p-value for H0: Δ = 0 from sorted replicates of Δ:
 * min(1, 2 · min(#{Δ* ≤ 0} + 1, #{Δ* ≥ 0} + 1) / (n + 1)).
 */
MG_EXTERN double mg_bootstrap_p_value(const double *sorted, size_t n);
/**
 * Two-sided bootstrap p-value for H0: Δ = 0 that inverts the basic interval: the
 * percentile p-value of 2θ̂ − Δ*.
 */
MG_EXTERN double mg_bootstrap_p_value_basic(const double *sorted, size_t n,
                                            double estimate);
/**
 * Two-sided bootstrap p-value for H0: Δ = 0 that inverts the BCa interval with
 * acceleration a: 1 − the level at which an end of the interval reaches 0. NaN when
 * BCa is undefined (every replicate on one side of the estimate).
 */
MG_EXTERN double mg_bootstrap_p_value_bca(const double *sorted, size_t n,
                                          double estimate, double acceleration);

#ifdef __cplusplus
}
#endif

#endif
