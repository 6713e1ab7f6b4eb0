/*
 * simulate_drift [SIMULATIONS] [REPLICATES]: does a drift gate's verdict depend on
 * the size of the drift, or on the size of the sample? (docs/statistics.md, "Drift
 * gates and sample size"; run by hand, about a minute.)
 *
 * Reference N(0, 1) and current N(δ, 1), n values each, for shifts δ of none (0),
 * trivial (0.02 standard deviations: KS distance 2Φ(δ/2) − 1 = 0.008) and material
 * (0.3: KS 0.119), and n from 500 to 200000. Each data set is gated on KS at 0.05
 * four ways:
 *   p-value   fail when the KS test's p-value is below 0.05 (what Evidently's and
 *             most drift monitors' default tests do);
 *   estimate  fail when the KS distance D > 0.05 (no error control);
 *   strict    `ks_at_most: 0.05`, rule strict: fail unless the 95 % upper bound
 *             (the 90 % percentile interval's upper end) is at most 0.05;
 *   lenient   the same, rule lenient: fail only when the lower bound is above 0.05.
 * The table gives the share of data sets each gate fails. A gate that measures drift
 * fails the material shift and passes the trivial one once the sample can tell them
 * apart, and keeps doing so as n grows; the p-value gate instead fails whatever
 * drift there is once n is large enough.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/ci.h"
#include "stats/drift.h"

int main(int argc, char **argv)
{
    size_t sims = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
    size_t reps = argc > 2 ? strtoul(argv[2], NULL, 10) : 500;
    static const double shifts[] = {0, 0.02, 0.3};
    static const char *const names[] = {"none (0)", "trivial (0.02 sd)",
                                        "material (0.3 sd)"};
    static const size_t sizes[] = {500, 2000, 10000, 50000, 200000};
    const double threshold = 0.05, alpha = 0.05;
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *scratch = malloc(reps * sizeof *scratch);

    gsl_set_error_handler_off();
    if (r == NULL || scratch == NULL)
        return 1;
    o.replicates = reps;
    printf("KS gated at 0.05: share of %zu simulated data sets that fail each gate "
           "(%zu bootstrap replicates, 95 %% one-sided bounds)\n\n",
           sims, reps);
    printf("| shift | n per sample | p-value < 0.05 | estimate > 0.05 | strict | "
           "lenient |\n|---|---|---|---|---|---|\n");
    for (size_t s = 0; s < sizeof shifts / sizeof shifts[0]; s++)
        for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
            size_t n = sizes[z], fails[4] = {0, 0, 0, 0};
            double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
            if (a == NULL || b == NULL)
                return 1;
            gsl_rng_set(r, 1000 * s + z + 1);
            for (size_t k = 0; k < sims; k++) {
                mg__drift d = {0};
                mg_error err = MG_ERROR_INIT;
                mg__ci ci;
                for (size_t i = 0; i < n; i++) {
                    a[i] = gsl_ran_gaussian(r, 1);
                    b[i] = gsl_ran_gaussian(r, 1) + shifts[s];
                }
                if (mg__drift_numbers(&d, a, n, b, n, &o, k, &err) != 0)
                    return 1;
                mg__drift_ci(&d, MG_DRIFT_KS, MG_INTERVAL_PERCENTILE, 0.90, scratch,
                             &ci);
                fails[0] += d.r.p_value < alpha;
                fails[1] += d.r.stat[MG_DRIFT_KS].value > threshold;
                fails[2] += !ci.has_ci || ci.high > threshold;
                fails[3] += ci.has_ci && ci.low > threshold;
                mg__drift_free(&d);
            }
            printf("| %s | %zu | %.2f | %.2f | %.2f | %.2f |\n", names[s], n,
                   (double)fails[0] / sims, (double)fails[1] / sims,
                   (double)fails[2] / sims, (double)fails[3] / sims);
            fflush(stdout);
            free(a);
            free(b);
        }
    gsl_rng_free(r);
    free(scratch);
    return 0;
}
