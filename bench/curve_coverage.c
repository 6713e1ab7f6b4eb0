/*
 * curve_coverage: coverage of the bootstrap interval of recall at precision >= p
 * (issue 10, "Tests": the figure in docs/statistics.md, "Operating points").
 *
 *   curve_coverage [SIMS] [REPLICATES] [SEED] [MAX_N]
 *
 * Truth: the binormal model, y ~ Bernoulli(π) with π = 0.3, score | y = 0 ~ N(0, 1),
 * score | y = 1 ~ N(μ, 1), μ = 1.5. At threshold t, recall R(t) = Q(t − μ) and
 * precision π R(t) / (π R(t) + (1 − π) Q(t)), Q the normal upper tail; precision
 * rises with t (the likelihood ratio is monotone), so the true recall at
 * precision >= p is R(t*) with t* the root of precision(t) = p, found by
 * bisection. Each simulated data set of n rows is sorted once; each of its
 * REPLICATES bootstrap replicates is a multinomial draw of row counts, read by
 * metrics/curve.c as weights over the same sorted rows, so the threshold is chosen
 * again in every replicate, as modelgate's runs choose it. The interval is the
 * two-sided 95 % percentile interval; the table gives how often it covers the
 * truth, how often the truth lies below or above it, and how often a replicate
 * had no threshold reaching p (left out of the percentiles), with the Monte Carlo
 * standard error sqrt(c (1 − c) / SIMS).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "bench/percentile.h"
#include "metrics/curve.h"

#define PI 0.3
#define MU 1.5

static double precision_at(double t)
{
    double tp = PI * gsl_cdf_ugaussian_Q(t - MU),
           fp = (1 - PI) * gsl_cdf_ugaussian_Q(t);
    return tp / (tp + fp);
}

static double true_recall(double p)
{
    double lo = -10, hi = 10;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        *(precision_at(mid) >= p ? &hi : &lo) = mid;
    }
    return gsl_cdf_ugaussian_Q(hi - MU);
}

typedef struct row {
    double s;
    unsigned char y;
} row;

static int by_score_desc(const void *a, const void *b)
{
    double x = ((const row *)a)->s, y = ((const row *)b)->s;
    return (x < y) - (x > y);
}

int main(int argc, char **argv)
{
    int sims = argc > 1 ? atoi(argv[1]) : 400, B = argc > 2 ? atoi(argv[2]) : 1000;
    unsigned long seed = argc > 3 ? strtoul(argv[3], NULL, 10) : 20261201;
    size_t max_n = argc > 4 ? strtoul(argv[4], NULL, 10) : 3000;
    static const size_t sizes[] = {300, 1000, 3000};
    static const double ps[] = {0.7, 0.8};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

    gsl_rng_set(rng, seed);
    printf("| p | true recall | n | coverage | truth below | truth above | "
           "replicates undefined |\n|---|---|---|---|---|---|---|\n");
    for (size_t pi = 0; pi < sizeof ps / sizeof ps[0]; pi++) {
        double truth = true_recall(ps[pi]);
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0] && sizes[si] <= max_n;
             si++) {
            size_t n = sizes[si], cover = 0, below = 0, above = 0, undef = 0;
            row *r = malloc(n * sizeof *r);
            double *s = malloc(n * sizeof *s), *w = malloc(n * sizeof *w),
                   *v = malloc((size_t)B * sizeof *v);
            unsigned char *y = malloc(n);
            unsigned int *cnt = malloc(n * sizeof *cnt);
            double *prob = malloc(n * sizeof *prob);
            for (size_t i = 0; i < n; i++)
                prob[i] = 1;
            for (int k = 0; k < sims; k++) {
                size_t nv = 0;
                for (size_t i = 0; i < n; i++) {
                    r[i].y = gsl_rng_uniform(rng) < PI;
                    r[i].s = gsl_ran_gaussian(rng, 1) + (r[i].y ? MU : 0);
                }
                qsort(r, n, sizeof *r, by_score_desc);
                for (size_t i = 0; i < n; i++)
                    s[i] = r[i].s, y[i] = r[i].y;
                for (int b = 0; b < B; b++) {
                    mg__scored sc = {s, y, w, n, NULL};
                    double val, thr;
                    gsl_ran_multinomial(rng, n, (unsigned)n, prob, cnt);
                    for (size_t i = 0; i < n; i++)
                        w[i] = cnt[i];
                    if (mg__curve_operating(&val, &thr, &sc, MG__OP_RECALL_AT_PRECISION,
                                            ps[pi], NULL) == 0)
                        v[nv++] = val;
                    else
                        undef++;
                }
                qsort(v, nv, sizeof *v, by_double);
                if (nv > 1) {
                    double lo = q7(v, nv, 0.025), hi = q7(v, nv, 0.975);
                    cover += lo <= truth && truth <= hi;
                    below += truth < lo;
                    above += truth > hi;
                }
            }
            {
                double c = (double)cover / sims;
                printf("| %.2f | %.4f | %zu | %.3f ± %.3f | %.3f | %.3f | %.4f |\n",
                       ps[pi], truth, n, c, sqrt(c * (1 - c) / sims),
                       (double)below / sims, (double)above / sims,
                       (double)undef / ((double)sims * B));
                fflush(stdout);
            }
            free(r), free(s), free(w), free(v), free(y), free(cnt), free(prob);
        }
    }
    gsl_rng_free(rng);
    return 0;
}
