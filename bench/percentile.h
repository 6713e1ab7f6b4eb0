/*
 * What the coverage simulations under bench/ share: sorting replicates and
 * reading their percentiles (Hyndman and Fan's type 7, R's and numpy's default).
 */
#ifndef MG_BENCH_PERCENTILE_H
#define MG_BENCH_PERCENTILE_H

#include <math.h>
#include <stddef.h>

static inline int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p quantile of the n sorted values v (type 7). */
static inline double q7(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    return lo + 1 < n ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[n - 1];
}

#endif
