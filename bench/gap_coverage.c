/*
 * gap_coverage: how honest each interval of a max gap is, by simulation (the table
 * in docs/statistics.md, "Gaps across slices").
 *
 *   gap_coverage [SIMS] [REPLICATES] [POSITIVES]
 *
 * k = 5 slices, each with POSITIVES positives (200 by default), whose true recalls are
 * given per scenario. A data set draws each slice's recall as Binomial(POSITIVES,
 * p)/POSITIVES; its bootstrap resamples each slice's positives (Binomial(POSITIVES,
 * p̂)/POSITIVES per replicate). Three intervals of G = max − min at one-sided 95 % per
 * end: the simultaneous max-t interval modelgate uses (stats/gap.c), and the percentile
 * and basic intervals of the replicated gap G*. For each: how often the upper bound is
 * at or below the true gap's threshold d (a strict `max_gap: d` test's pass rate) and
 * how often the lower bound is above d (a lenient test's failure rate). With the true
 * gap equal to d both are errors, and should be at most 0.05; with no true gap and d =
 * 0.10 the strict pass rate is the test's power.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "bench/percentile.h"
#include "stats/gap.h"

#define K 5
static int POS = 200; /* positives per slice */

static double gap(const double *v, size_t stride, size_t k)
{
    double hi = v[0], lo = v[0];
    for (size_t s = 1; s < k; s++)
        hi = fmax(hi, v[s * stride]), lo = fmin(lo, v[s * stride]);
    return hi - lo;
}

static void scenario(const char *name, const double truth[K], double d, size_t sims,
                     size_t B, gsl_rng *r)
{
    double est[K], *rep = malloc(K * B * sizeof *rep), *g = malloc(B * sizeof *g);
    size_t pass[3] = {0}, fail[3] = {0}, none = 0;
    for (size_t sim = 0; sim < sims; sim++) {
        double g0, lo[3], hi[3], crit;
        mg__ci ci;
        for (int s = 0; s < K; s++)
            est[s] = gsl_ran_binomial(r, truth[s], POS) / (double)POS;
        for (int s = 0; s < K; s++)
            for (size_t b = 0; b < B; b++)
                rep[s * B + b] = gsl_ran_binomial(r, est[s], POS) / (double)POS;
        g0 = gap(est, 1, K);
        for (size_t b = 0; b < B; b++)
            g[b] = gap(rep + b, B, K);
        qsort(g, B, sizeof *g, by_double);
        if (mg__ci_max_gap(&ci, est, rep, K, B, 0.95, &crit) != 0 || !ci.has_ci) {
            none++;
            continue;
        }
        lo[0] = ci.low, hi[0] = ci.high;
        lo[1] = q7(g, B, 0.05), hi[1] = q7(g, B, 0.95);
        lo[2] = fmax(0, 2 * g0 - hi[1]), hi[2] = 2 * g0 - q7(g, B, 0.05);
        for (int m = 0; m < 3; m++) {
            pass[m] += hi[m] <= d;
            fail[m] += lo[m] > d;
        }
    }
    for (int m = 0; m < 3; m++) {
        static const char *names[3] = {"max-t (modelgate)", "percentile of G*",
                                       "basic of G*"};
        size_t n = sims - none;
        double a = (double)pass[m] / n, b = (double)fail[m] / n;
        printf("| %s | %s | %.3f ± %.3f | %.3f ± %.3f |\n", name, names[m], a,
               sqrt(a * (1 - a) / n), b, sqrt(b * (1 - b) / n));
    }
    free(rep);
    free(g);
}

int main(int argc, char **argv)
{
    size_t sims = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
    size_t B = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
    if (argc > 3)
        POS = atoi(argv[3]);
    static const double equal[K] = {0.75, 0.75, 0.75, 0.75, 0.75};
    static const double boundary[K] = {0.70, 0.75, 0.75, 0.75, 0.80};
    static const double two[K] = {0.70, 0.80, 0.80, 0.80, 0.80};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20261201);
    printf("%zu data sets, %zu replicates, 5 slices of %d positives\n\n", sims, B, POS);
    printf("| true recalls, d | interval | strict pass (upper <= d) | lenient fail "
           "(lower > d) |\n|---|---|---|---|\n");
    scenario("all 0.75, d = 0", equal, 0, sims, B, r);
    scenario("0.70 … 0.80, d = 0.10", boundary, 0.10, sims, B, r);
    scenario("0.70, four at 0.80, d = 0.10", two, 0.10, sims, B, r);
    /* power: no true gap, a margin of 0.10 */
    scenario("all 0.75, d = 0.10 (power)", equal, 0.10, sims, B, r);
    gsl_rng_free(r);
    return 0;
}
