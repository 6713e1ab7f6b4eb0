/*
 * The p-value of the two-sample Kolmogorov–Smirnov test, as SciPy's
 * scipy.stats.ks_2samp(method='auto', alternative='two-sided') computes it (SciPy
 * 1.10), so that a drift report's p-values are the ones a reviewer gets in Python.
 *
 * Which method. With samples of n₁ and n₂ values, D the statistic: when
 * max(n₁, n₂) ≤ 10000 the p-value is exact, P(D_{n₁,n₂} ≥ d) under H0 counted over the
 * lattice paths from (0, 0) to (n₁, n₂) (Hodges 1958, "The significance probability
 * of the Smirnov two-sample test", Arkiv för Matematik 3:469–486). d is first
 * rounded to the lattice, h/lcm(n₁, n₂) with h = round(d·lcm), so the statistic
 * reported beside an exact p-value is that h/lcm, as SciPy reports it. Equal sizes
 * use the reflection formula P = 2 Σ_k (−1)^{k−1} C(2n, n − kh)/C(2n, n), evaluated by
 * SciPy's Horner-like recursion to avoid cancellation; unequal sizes count the paths
 * that stay strictly inside the band |x/n₁ − y/n₂| < h/lcm, one column at a time,
 * each entry already divided by its binomial coefficient (the recursion
 * A(i, j) = (i·A(i−1, j) + j·A(i, j−1))/(i + j)), so nothing overflows. When the
 * exact computation fails (a probability outside [0, 1]) SciPy falls back to the
 * asymptotic method, and so do we.
 *
 * Otherwise the p-value is asymptotic: the one-sample two-sided Kolmogorov
 * distribution at d with n = round(n₁n₂/(n₁ + n₂)) (half to even, as NumPy rounds),
 * kstwo.sf(d, n), which SciPy evaluates after Simard & L'Ecuyer (2011, "Computing the
 * two-sided Kolmogorov–Smirnov distribution", J. Stat. Softw. 39(11)): the
 * Ruben–Gambino closed forms at the ends (nd ≤ 1, nd ≥ n − 1); twice the one-sided
 * Smirnov tail where that is exact or accurate (d ≥ ½, or n > 140 and nd² ≥ 2.2, or
 * n ≤ 140 and nd² > 4); the Durbin matrix (Marsaglia, Tsang & Wang 2003, J. Stat.
 * Softw. 8(18)) for small nd²; Pomeranz's recursion (1974) for n ≤ 140 and
 * nd² ≤ 4; and the Pelz–Good series (1976) for large n. Every branch, threshold
 * and scaling below is SciPy's scipy/stats/_ksstats.py, ported line by line.
 *
 * The one-sided Smirnov tail P(D⁺_n ≥ d) is the Birnbaum–Tingey sum
 * d Σ_{j=0}^{⌊n(1−d)⌋} C(n, j) (1 − d − j/n)^{n−j} (d + j/n)^{j−1}, of positive
 * terms, summed here in logarithms (SciPy's cephes routine sums the same series).
 * It costs O(n(1 − d)) logarithms, 0.1 s at n = 10⁶; it is only reached for
 * p-values between about 10⁻³²⁰ and 0.02.
 *
 * Reference values: tests/reference/make_drift_reference.py (SciPy 1.10.1).
 */
#include "stats/drift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define E128  340282366920938463463374607431768211456.0 /* 2^128 */
#define EM128 (1.0 / E128)

static double clip01(double p)
{
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* ---- One-sided Smirnov tail ---------------------------------------------- */

/* P(D⁺_n ≥ x), the Birnbaum–Tingey sum in logarithms. */
static double smirnov(long n, double x)
{
    double sum = 0, logc = 0, nn = (double)n;
    long jmax;

    if (x <= 0)
        return 1;
    if (x >= 1)
        return 0;
    jmax = (long)floor(nn * (1 - x));
    for (long j = 0; j <= jmax; j++) {
        double a = 1 - x - j / nn, b = x + j / nn, t;
        if (j > 0)
            logc += log((nn - (double)j + 1) / (double)j);
        if (a <= 0) {
            /* (1 − x − j/n)^{n−j} with n − j = 0 is 1 */
            if (n - j != 0)
                continue;
            t = logc + (double)(j - 1) * log(b);
        } else {
            t = logc + (double)(n - j) * log(a) + (double)(j - 1) * log(b);
        }
        sum += exp(t);
    }
    return clip01(x * sum);
}

/* ---- Durbin matrix, Marsaglia–Tsang–Wang ---------------------------------- */

static void matmul(const double *a, const double *b, double *out, int m)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int k = 0; k < m; k++)
                s += a[i * m + k] * b[k * m + j];
            out[i * m + j] = s;
        }
}

/* Pr(D_n ≤ d); -1 when out of memory. */
static double kolmogn_dmtw(long n, double d)
{
    double nd = n * d, h, fac = 1, tt, p;
    int k, m;
    long nn, expnt = 0, hexpnt = 0;
    double *H, *P, *T, *v, *w;

    if (d >= 1.0)
        return 1;
    if (nd <= 0.5)
        return 0;
    k = (int)ceil(nd);
    h = k - nd;
    m = 2 * k - 1;
    H = calloc((size_t)m * m, sizeof *H);
    P = calloc((size_t)m * m, sizeof *P);
    T = calloc((size_t)m * m, sizeof *T);
    v = malloc((size_t)m * sizeof *v);
    w = malloc((size_t)m * sizeof *w);
    if (!H || !P || !T || !v || !w) {
        free(H), free(P), free(T), free(v), free(w);
        return -1;
    }
    for (int j = 1; j <= m; j++) {
        v[j - 1] = 1.0 - pow(h, j);
        w[j - 1] = fac;
        fac /= j;
        v[j - 1] *= fac;
    }
    tt = pow(fmax(2 * h - 1.0, 0), m) - 2 * pow(h, m);
    v[m - 1] = (1.0 + tt) * fac;
    for (int i = 1; i < m; i++)
        for (int r = i - 1; r < m; r++)
            H[r * m + i] = w[r - (i - 1)];
    for (int r = 0; r < m; r++)
        H[r * m] = v[r];
    for (int c = 0; c < m; c++)
        H[(m - 1) * m + c] = v[m - 1 - c];
    for (int i = 0; i < m; i++)
        P[i * m + i] = 1;
    nn = n;
    while (nn > 0) {
        if (nn % 2) {
            matmul(P, H, T, m);
            memcpy(P, T, (size_t)m * m * sizeof *P);
            expnt += hexpnt;
        }
        matmul(H, H, T, m);
        memcpy(H, T, (size_t)m * m * sizeof *H);
        hexpnt *= 2;
        if (fabs(H[(k - 1) * m + (k - 1)]) > E128) {
            for (int i = 0; i < m * m; i++)
                H[i] /= E128;
            hexpnt += 128;
        }
        nn /= 2;
    }
    p = P[(k - 1) * m + (k - 1)];
    for (long i = 1; i <= n; i++) {
        p = i * p / n;
        if (fabs(p) < EM128) {
            p *= E128;
            expnt -= 128;
        }
    }
    if (expnt != 0)
        p = ldexp(p, (int)expnt);
    free(H), free(P), free(T), free(v), free(w);
    return clip01(p);
}

/* ---- Pomeranz recursion ---------------------------------------------------- */

static void pomeranz_j1j2(long i, long n, long ll, long ceilf, long roundf, long *j1,
                          long *j2)
{
    long a, b;
    if (i == 0) {
        a = -ll - ceilf - 1;
        b = ll + ceilf - 1;
    } else {
        long half = (i + 1) / 2, odd = (i + 1) % 2 == 0;
        if (odd) {
            if (half == n + 1) {
                a = n - ll - ceilf - 1;
                b = n + ll + ceilf - 1;
            } else {
                a = half - 1 - ll - roundf - 1;
                b = half + ll - 1 + ceilf - 1;
            }
        } else {
            a = half - 1 - ll - 1;
            b = half + ll + roundf - 1;
        }
    }
    *j1 = a + 2 > 0 ? a + 2 : 0;
    *j2 = b < n ? b : n;
}

/* Pr(D_n ≤ x); -1 when out of memory. */
static double kolmogn_pomeranz(long n, double x)
{
    double t = n * x, f, g, ans;
    long ll = (long)floor(t), ceilf, roundf, npwrs, j1, j2, v0s = 0, v1s = 0, expnt = 0;
    double *gp, *tgp, *ogp, *V0, *V1, *tmp;

    f = t - ll;
    g = fmin(f, 1.0 - f);
    ceilf = f > 0;
    roundf = f > 0.5;
    npwrs = 2 * (ll + 1);
    gp = malloc((size_t)npwrs * sizeof *gp);
    tgp = malloc((size_t)npwrs * sizeof *tgp);
    ogp = malloc((size_t)npwrs * sizeof *ogp);
    V0 = calloc((size_t)npwrs, sizeof *V0);
    V1 = calloc((size_t)npwrs, sizeof *V1);
    if (!gp || !tgp || !ogp || !V0 || !V1) {
        free(gp), free(tgp), free(ogp), free(V0), free(V1);
        return -1;
    }
    gp[0] = tgp[0] = ogp[0] = 1.0;
    for (long m = 1; m < npwrs; m++) {
        gp[m] = gp[m - 1] * (g / n) / m;
        tgp[m] = tgp[m - 1] * (2 * g / n) / m;
        ogp[m] = ogp[m - 1] * ((1 - 2 * g) / n) / m;
    }
    V1[0] = 1;
    pomeranz_j1j2(0, n, ll, ceilf, roundf, &j1, &j2);
    for (long i = 1; i < 2 * n + 2; i++) {
        long k1 = j1, ln2, s;
        const double *pw;
        tmp = V0, V0 = V1, V1 = tmp;
        s = v0s, v0s = v1s, v1s = s;
        memset(V1, 0, (size_t)npwrs * sizeof *V1);
        pomeranz_j1j2(i, n, ll, ceilf, roundf, &j1, &j2);
        pw = (i == 1 || i == 2 * n + 1) ? gp : (i % 2) ? tgp : ogp;
        ln2 = j2 - k1 + 1;
        if (ln2 > 0) {
            /* the entries conv_start .. conv_start + conv_len − 1 of the full
             * convolution of V0[k1 − v0s ..][0, ln2) with pw[0, ln2) */
            long start = j1 - k1, len = j2 - j1 + 1;
            const double *a = V0 + (k1 - v0s);
            double mx = 0;
            for (long q = 0; q < len; q++) {
                long kk = start + q;
                double acc = 0;
                for (long r = kk - (ln2 - 1) > 0 ? kk - (ln2 - 1) : 0;
                     r <= kk && r < ln2; r++)
                    acc += a[r] * pw[kk - r];
                V1[q] = acc;
            }
            for (long q = 0; q < npwrs; q++)
                mx = fmax(mx, V1[q]);
            if (0 < mx && mx < EM128) {
                for (long q = 0; q < npwrs; q++)
                    V1[q] *= E128;
                expnt -= 128;
            }
            v1s = v0s + j1 - k1;
        }
    }
    ans = V1[n - v1s];
    for (long m = 1; m <= n; m++) {
        if (fabs(ans) > E128) {
            ans *= EM128;
            expnt += 128;
        }
        ans *= m;
    }
    if (expnt != 0)
        ans = ldexp(ans, (int)expnt);
    free(gp), free(tgp), free(ogp), free(V0), free(V1);
    return clip01(ans);
}

/* ---- Pelz–Good ------------------------------------------------------------ */

/* Pr(D_n ≤ x) by the Pelz–Good series. */
static double kolmogn_pelzgood(long n, double x)
{
    const double PI2 = M_PI * M_PI, PI4 = PI2 * PI2, PI6 = PI4 * PI2;
    const double SQRT2PI = sqrt(2 * M_PI), SQRT3 = sqrt(3.0);
    double z, z2, z3, z4, z6, qlog, q, K[4] = {0, 0, 0, 0}, k2x = 0, k3x = 0;
    double k1a, k1b, k2a, k2b, k2c, k3a, k3b, k3c, k3d;
    long maxk;

    if (x <= 0.0)
        return 0;
    if (x >= 1.0)
        return 1;
    z = sqrt((double)n) * x;
    z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
    qlog = -PI2 / 8 / z2;
    if (qlog < -708)
        return 0;
    q = exp(qlog);
    k1a = -z2;
    k1b = PI2 / 4;
    k2a = 6 * z6 + 2 * z4;
    k2b = (2 * z4 - 5 * z2) * PI2 / 4;
    k2c = PI4 * (1 - 2 * z2) / 16;
    k3d = PI6 * (5 - 30 * z2) / 64;
    k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
    k3b = PI2 * (135 * z4 - 96 * z6) / 4;
    k3a = -30 * z6 - 90 * pow(z, 8);
    maxk = (long)ceil(16 * z / M_PI);
    for (long k = maxk; k > 0; k--) {
        double m = 2.0 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
        double qp = pow(q, 8.0 * k);
        double c[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                       k3a + k3b * m2 + k3c * m4 + k3d * m6};
        for (int i = 0; i < 4; i++)
            K[i] = K[i] * qp + c[i];
    }
    {
        double den[4] = {z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)};
        for (int i = 0; i < 4; i++)
            K[i] = K[i] * q * SQRT2PI / den[i];
    }
    q = exp(-PI2 / 2 / z2);
    for (long k = maxk; k > 0; k--) {
        double ks2 = (double)k * k, qpw = pow(q, ks2), kspi = M_PI * k;
        k2x += ks2 * qpw;
        k3x += (SQRT3 * z + kspi) * (SQRT3 * z - kspi) * ks2 * qpw;
    }
    K[2] += k2x * PI2 * SQRT2PI / (-36 * z3);
    K[3] += k3x * PI2 * SQRT2PI / (216 * z6);
    for (int i = 0; i < 4; i++)
        K[i] /= pow((double)n, i / 2.0);
    return K[0] + K[1] + K[2] + K[3];
}

/* ---- kstwo.sf -------------------------------------------------------------- */

static double log_nfact_div_npown(double n)
{
    static const double c[] = {-2.955065359477124183e-2,  6.4102564102564102564e-3,
                               -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                               -5.952380952380952381e-4,  7.9365079365079365079e-4,
                               -2.7777777777777777778e-3, 8.3333333333333333333e-2};
    double rn = 1.0 / n, t = rn / n, poly = 0;
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        poly = poly * t + c[i];
    return log(n) / 2 - n + log(2 * M_PI) / 2 + rn * poly;
}

double mg__kolmogorov_sf(long n, double x)
{
    double t, nx2, cdf;

    if (n <= 0 || isnan(x))
        return NAN;
    if (x >= 1.0)
        return 0;
    if (x <= 0.0)
        return 1;
    t = n * x;
    if (t <= 1.0) {
        double prob;
        if (t <= 0.5)
            return 1;
        if (n <= 140) {
            prob = 1;
            for (long i = 1; i <= n; i++)
                prob *= i * (1.0 / n) * (2 * t - 1);
        } else {
            prob = exp(log_nfact_div_npown((double)n) + n * log(2 * t - 1));
        }
        return clip01(1.0 - prob);
    }
    if (t >= n - 1)
        return clip01(2 * pow(1.0 - x, (double)n));
    if (x >= 0.5)
        return clip01(2 * smirnov(n, x));
    nx2 = t * x;
    if (n <= 140) {
        if (nx2 <= 0.754693)
            cdf = kolmogn_dmtw(n, x);
        else if (nx2 <= 4)
            cdf = kolmogn_pomeranz(n, x);
        else
            return clip01(2 * smirnov(n, x));
        return cdf < 0 ? NAN : clip01(1.0 - cdf);
    }
    if (nx2 >= 370.0)
        return 0;
    if (nx2 >= 2.2)
        return clip01(2 * smirnov(n, x));
    if (n <= 100000 && n * pow(x, 1.5) <= 1.4)
        cdf = kolmogn_dmtw(n, x);
    else
        cdf = kolmogn_pelzgood(n, x);
    return cdf < 0 ? NAN : clip01(1.0 - cdf);
}

/* ---- Exact two-sample ------------------------------------------------------ */

static long gcd(long a, long b)
{
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* P(D_{n,n} ≥ h/n), SciPy's _compute_prob_outside_square. */
static double prob_outside_square(long n, long h)
{
    double P = 0;
    for (long k = n / h; k >= 0; k--) {
        double p1 = 1.0;
        for (long j = 0; j < h; j++)
            p1 = (double)(n - k * h - j) * p1 / (double)(n + k * h + j + 1);
        P = p1 * (1.0 - P);
    }
    return 2 * P;
}

/* The proportion of paths that leave the band (A holds, per lattice point, the
 * probability of having left it), SciPy's
 * _compute_outer_prob_inside_method; -1 when out of memory. */
static double outer_prob_inside(long m, long n, long g, long h)
{
    long mg, ng, minj, maxj, curlen, lenA;
    double *A, result;

    if (m < n) {
        long t = m;
        m = n;
        n = t;
    }
    mg = m / g;
    ng = n / g;
    minj = 0;
    maxj = (long)ceil((double)h / (double)mg);
    if (maxj > n + 1)
        maxj = n + 1;
    curlen = maxj - minj;
    lenA = 2 * maxj + 2 < n + 1 ? 2 * maxj + 2 : n + 1;
    A = malloc((size_t)(lenA > 0 ? lenA : 1) * sizeof *A);
    if (A == NULL)
        return -1;
    for (long i = 0; i < lenA; i++)
        A[i] = 1;
    for (long i = minj; i < maxj && i < lenA; i++)
        A[i] = 0;
    for (long i = 1; i <= m; i++) {
        long lastminj = minj, lastlen = curlen;
        double val;
        minj = (long)floor((double)(ng * i - h) / (double)mg) + 1;
        if (minj < 0)
            minj = 0;
        if (minj > n)
            minj = n;
        maxj = (long)ceil((double)(ng * i + h) / (double)mg);
        if (maxj > n + 1)
            maxj = n + 1;
        if (maxj <= minj) {
            free(A);
            return 1.0;
        }
        val = minj == 0 ? 0.0 : 1.0;
        for (long jj = 0; jj < maxj - minj; jj++) {
            long j = jj + minj;
            val = (A[jj + minj - lastminj] * (double)i + val * (double)j) /
                  (double)(i + j);
            A[jj] = val;
        }
        curlen = maxj - minj;
        if (lastlen > curlen)
            for (long q = maxj - minj; q < maxj - minj + (lastlen - curlen) && q < lenA;
                 q++)
                A[q] = 1;
    }
    result = A[maxj - minj - 1];
    free(A);
    return result;
}

int mg__ks_p_value(size_t n1, size_t n2, double *d, double *p, int *exact)
{
    long a = (long)n1, b = (long)n2;
    double prob = NAN;

    *exact = 0;
    if (n1 == 0 || n2 == 0)
        return MG_EINVAL;
    if ((n1 > n2 ? n1 : n2) <= MG__KS_MAX_EXACT) {
        long g = gcd(a, b), lcm = (a / g) * b;
        long h = (long)nearbyint(*d * (double)lcm);
        double dd = (double)h / (double)lcm;
        if (h == 0) {
            prob = 1.0;
        } else if (a == b) {
            prob = prob_outside_square(a, h);
        } else {
            prob = outer_prob_inside(a, b, g, h);
            if (prob == -1)
                return MG_ENOMEM;
        }
        if (isfinite(prob) && prob >= 0 && prob <= 1) {
            *d = dd;
            *p = prob;
            *exact = 1;
            return 0;
        }
        *d = dd;
    }
    {
        double m = (double)(n1 > n2 ? n1 : n2), n = (double)(n1 > n2 ? n2 : n1);
        double en = m * n / (m + n);
        prob = mg__kolmogorov_sf((long)nearbyint(en), *d);
        if (isnan(prob))
            return MG_ENOMEM;
    }
    *p = clip01(prob);
    return 0;
}
