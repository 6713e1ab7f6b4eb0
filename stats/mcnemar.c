/*
 * Exact McNemar test.
 *
 * Two classifiers scored on the same rows disagree on b rows where only the first
 * is right and on c rows where only the second is. Under H0 (equal accuracy) each
 * of the n = b + c discordant rows is equally likely to go either way, so b ~
 * Binomial(n, ½) (McNemar 1947; the exact conditional form, e.g. Fagerland, Lydersen
 * & Laake 2013, BMC Med Res Methodol 13:91). The two-sided p-value is that of R's
 * binom.test(b, b + c, 0.5): the probability of every outcome no more likely than
 * the one observed. The distribution is symmetric at ½, so with k = min(b, c) this is
 *     p = min(1, 2·P(X ≤ k)),   X ~ Bin(n, ½),
 * and p = 1 when b = c (including b = c = 0). (binom.test counts outcomes whose
 * probability is within a relative 1e-7 of the observed one as equally likely; at
 * p = ½ the only such outcome besides the mirror image n − k is k + 1 when
 * n = 2k + 1, which the min(1, ·) already covers, for every k below 10^7.)
 *
 * Computing P(X ≤ k) for large n. GSL's gsl_cdf_binomial_P goes through the
 * incomplete beta function, whose prefactor loses about n ulps (relative error 2e-10
 * at n = 10^5, 3e-7 at n = 10^8 against R). Instead we sum the lower tail directly:
 *   - the term P(X = k) comes from Loader's saddle-point expansion (Loader 2000,
 *     "Fast and accurate computation of binomial probabilities", the algorithm of
 *     R's dbinom): log P = δ(n) − δ(k) − δ(n − k) − D(k, n/2) − D(n − k, n/2)
 *     − ½ log(2πk(n − k)/n), where δ is the Stirling-series error of log Γ and
 *     D(x, m) = x log(x/m) + m − x is evaluated by its series when x is near m, so
 *     nothing of size n·log n is ever subtracted;
 *   - the rest of the tail follows from the ratio P(X = j − 1)/P(X = j) = j/(n − j +
 * 1), summed downwards as multiples of P(X = k) until the terms fall below 2⁻⁶⁰ of the
 *     sum. Below the mode the terms shrink at least geometrically; near it the
 *     number of terms is about 5√n.
 * Against exact rational arithmetic the result is within a few ulps where p is not
 * tiny, and within about 1e-13 relative far in the tail (p ~ 1e-280), where
 * P(X = k) = exp(−645) inherits the rounding of its large exponent; it agrees with
 * R's binom.test as closely (tests/test_stats.c, up to n = 10^7). k = 0 is the exact
 * 2⁻ⁿ. Above n = 2^36 discordant pairs the
 * loop would be long; there we use the normal approximation with continuity
 * correction, whose error for the symmetric binomial is O(1/n) absolute (the
 * skewness term of the Edgeworth expansion vanishes at p = ½). A tail smaller than
 * the smallest double underflows to 0, as R's does.
 */
#include <float.h>
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "modelgate/stats.h"

#define LN_SQRT_2PI 0.918938533204672741780329736406 /* log √(2π) */
#define LN_2PI      1.837877066409345483560659472811 /* log 2π */

/* δ(x) = log x! − (x + ½) log x + x − log √(2π), for integer x ≥ 1. */
static double stirlerr(double x)
{
    static const double S0 = 1.0 / 12, S1 = 1.0 / 360, S2 = 1.0 / 1260, S3 = 1.0 / 1680,
                        S4 = 1.0 / 1188;
    double xx;

    if (x <= 15.0) /* log x! is tabulated by GSL up to 170 and is tiny here */
        return gsl_sf_lnfact((unsigned int)x) - (x + 0.5) * log(x) + x - LN_SQRT_2PI;
    xx = x * x;
    if (x > 500)
        return (S0 - S1 / xx) / x;
    if (x > 80)
        return (S0 - (S1 - S2 / xx) / xx) / x;
    if (x > 35)
        return (S0 - (S1 - (S2 - S3 / xx) / xx) / xx) / x;
    return (S0 - (S1 - (S2 - (S3 - S4 / xx) / xx) / xx) / xx) / x;
}

/* D(x, m) = x log(x/m) + m − x ≥ 0, accurately also when x ≈ m (Loader's bd0). */
static double bd0(double x, double m)
{
    if (fabs(x - m) < 0.1 * (x + m)) {
        double v = (x - m) / (x + m);
        double s = (x - m) * v;
        double ej = 2.0 * x * v;
        int j;

        v *= v;
        for (j = 1; j < 1000; j++) {
            double s1;
            ej *= v;
            s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
        return s;
    }
    return x * log(x / m) + m - x;
}

/* P(X = k) for X ~ Bin(n, ½), 0 < k < n. */
static double dbinom_half(double k, double n)
{
    double m = n / 2.0;
    double lc = stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, m) - bd0(n - k, m);
    double lf = LN_2PI + log(k) + log1p(-k / n);
    return exp(lc - 0.5 * lf);
}

/* P(X ≤ k) for X ~ Bin(n, ½), k < n/2. */
static double pbinom_half_lower(unsigned long k, unsigned long n)
{
    double term, sum = 1.0, r = 1.0;
    unsigned long j;

    if (k == 0)
        return n > 1100 ? 0.0 : ldexp(1.0, -(int)n);
    term = dbinom_half((double)k, (double)n);
    if (term == 0.0)
        return 0.0;
    for (j = k; j >= 1; j--) {
        r *= (double)j / (double)(n - j + 1);
        sum += r;
        if (r <= 0x1p-60 * sum)
            break;
    }
    return term * sum;
}

double mg_mcnemar_exact(unsigned long b, unsigned long c)
{
    unsigned long k = b < c ? b : c;
    double nd = (double)b + (double)c;
    double tail, p;

    if (b == c)
        return 1.0;
    if (nd > 0x1p36) {
        /* P(X ≤ k) ≈ Φ((k + ½ − n/2)/(√n/2)). */
        tail = gsl_cdf_ugaussian_Q((nd / 2.0 - (double)k - 0.5) / (sqrt(nd) / 2.0));
    } else {
        tail = pbinom_half_lower(k, b + c);
    }
    p = 2.0 * tail;
    return p < 1.0 ? p : 1.0;
}

void mg_mcnemar_discordant(const double *scores1, double threshold1,
                           const double *scores2, double threshold2,
                           const unsigned char *labels, size_t n, unsigned long *b,
                           unsigned long *c)
{
    *b = *c = 0;
    for (size_t i = 0; i < n; i++) {
        int right1 = (scores1[i] >= threshold1) == labels[i];
        int right2 = (scores2[i] >= threshold2) == labels[i];
        *b += right1 && !right2;
        *c += !right1 && right2;
    }
}
