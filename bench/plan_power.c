/*
 * plan_power: planned power against simulated pass rates (docs/statistics.md,
 * "Sample-size planning").
 *
 *   plan_power [SIMS]
 *
 * Proportions: Binomial(n, p) successes, a strict `at_least: t` test at one-sided
 * 95 % read from Wilson's interval (modelgate's `interval: analytic`), against
 * mg_power_normal with the binomial variances. AUC: binormal scores (positives
 * N(μ, 1), negatives N(0, 1), AUC = Φ(μ/√2)), P positives and 3P negatives, a strict
 * test read from DeLong's logit interval, against the planner's variance (DeLong's,
 * as a case's interval shows it, with Obuchowski's change from the truth to the
 * threshold) and against Obuchowski's variance alone (pROC's power.roc.test).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "modelgate/modelgate.h"

int main(int argc, char **argv)
{
    int sims = argc > 1 ? atoi(argv[1]) : 4000;
    static const double prop[][3] = {{60, 0.85, 0.7},
                                     {200, 0.78, 0.7},
                                     {400, 0.3, 0.25},
                                     {1000, 0.52, 0.5},
                                     {100, 0.95, 0.9}};
    static const double auc[][3] = {
        {30, 0.85, 0.75}, {60, 0.85, 0.78}, {150, 0.8, 0.75}, {300, 0.9, 0.87}};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 2026);
    printf("%d data sets per row; strict at_least, one-sided 95 %%\n\n", sims);
    printf("| statistic | n | truth | threshold | planned power | simulated |\n"
           "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof prop / sizeof prop[0]; i++) {
        double n = prop[i][0], p = prop[i][1], t = prop[i][2], rate;
        int pass = 0;
        for (int s = 0; s < sims; s++) {
            mg_interval iv;
            mg_error err = MG_ERROR_INIT;
            mg_interval_wilson(gsl_ran_binomial(r, p, (unsigned)n), n, 0.9, &iv, &err);
            pass += iv.low >= t;
        }
        rate = (double)pass / sims;
        printf("| proportion | %g trials | %g | %g | %.3f | %.3f ± %.3f |\n", n, p, t,
               mg_power_normal(n, p - t, t * (1 - t), p * (1 - p), 0.95), rate,
               sqrt(rate * (1 - rate) / sims));
    }
    for (size_t i = 0; i < sizeof auc / sizeof auc[0]; i++) {
        size_t P = (size_t)auc[i][0], N = 3 * P, n = P + N;
        double a = auc[i][1], t = auc[i][2], mu = sqrt(2) * gsl_cdf_ugaussian_Pinv(a);
        double *x = malloc(n * sizeof *x), rate, m1 = 0, m2 = 0, va, v0;
        unsigned char *y = malloc(n);
        int pass = 0;
        for (int s = 0; s < sims; s++) {
            mg_delong_result d;
            mg_interval iv;
            mg_error err = MG_ERROR_INIT;
            for (size_t j = 0; j < n; j++) {
                y[j] = j < P;
                x[j] = gsl_ran_gaussian(r, 1) + (j < P ? mu : 0);
            }
            if (mg_delong(x, y, n, &d, &err) == 0 &&
                mg_delong_interval_logit(&d, 0.9, &iv, &err) == 0)
                pass += iv.low >= t;
            m1 += d.variance / sims; /* DeLong's variance, averaged */
        }
        rate = (double)pass / sims;
        /* the planner's way: the variance an interval shows, Obuchowski's shape */
        va = (double)P * m1;
        v0 = va * mg_power_auc_variance(t, 3) / mg_power_auc_variance(a, 3);
        (void)m2;
        printf("| auc | %zu positives, %zu negatives | %g | %g | %.3f (Obuchowski "
               "alone %.3f) | %.3f ± %.3f |\n",
               P, N, a, t, mg_power_normal((double)P, a - t, v0, va, 0.95),
               mg_power_normal((double)P, a - t, mg_power_auc_variance(t, 3),
                               mg_power_auc_variance(a, 3), 0.95),
               rate, sqrt(rate * (1 - rate) / sims));
        free(x);
        free(y);
    }
    gsl_rng_free(r);
    return 0;
}
