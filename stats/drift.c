/*
 * Drift of one column between a reference sample R (n values) and a current sample
 * C (m values), computed from sufficient statistics.
 *
 * The statistics (docs/statistics.md gives them with their ranges):
 *
 *   PSI = Σ_b (c_b − r_b) ln(c_b / r_b) over bins b, where r_b and c_b are the
 *   shares of R and C in the bin, each floored at ε (options.psi_floor, 10⁻⁴) so
 *   that an empty bin contributes a large but finite term; the shares are not
 *   renormalised after flooring. Numbers are binned at the reference's quantiles
 *   q(i/B), i = 1 … B − 1 (type 7, NumPy's default; repeated cut points are merged,
 *   so a column with many ties has fewer bins), each bin right-closed:
 *   (−∞, q₁], (q₁, q₂], …, (q_{B−1}, ∞). Categories are their own bins.
 *   Siddiqi (2006), "Credit Risk Scorecards", ch. 8; Yurdakul (2018), "Statistical
 *   properties of population stability index", WMU dissertation.
 *
 *   JS = √(½ KL(r‖μ) + ½ KL(c‖μ)) with μ = (r + c)/2 and logarithms to base 2, over
 *   the same bins, unfloored: scipy.spatial.distance.jensenshannon(r, c, base=2),
 *   in [0, 1]. Lin (1991), IEEE Trans. Inf. Theory 37:145–151.
 *
 *   KS: D = sup_x |F_R(x) − F_C(x)| over the merged values, and the p-value of
 *   stats/ks.c (SciPy's ks_2samp, method auto).
 *
 *   Wasserstein-1: W = ∫ |F_R − F_C| dx, summed exactly between consecutive merged
 *   values (scipy.stats.wasserstein_distance). Normalised: W / s_R, s_R the
 *   reference's standard deviation (divisor n): a shift of the whole distribution
 *   by k standard deviations gives k whatever the column's units, so one threshold
 *   fits every column. Undefined when the reference is constant.
 *
 *   χ² (categories): Pearson's statistic of the 2 × k table of counts, categories
 *   absent from both samples left out, k − 1 degrees of freedom, no continuity
 *   correction: scipy.stats.chi2_contingency(table, correction=False). Cramér's V =
 *   √(χ² / (N (min(2, k) − 1))) with N = n + m, which for a 2 × k table is √(χ²/N):
 *   scipy.stats.contingency.association(table, method='cramer'). Cramér (1946),
 *   "Mathematical Methods of Statistics", §21.9.
 *
 * Sufficient statistics and shards. PSI, JS, χ² and V are functions of counts per
 * bin or category, which shards merge by addition once the bins are fixed (the
 * reference's quantiles: one pass over the reference, or a mergeable quantile
 * sketch, before the counts). KS and the exact Wasserstein distance need both
 * empirical distributions in full: their sufficient statistic is the sorted
 * sample, which shards merge by merging sorted runs, not by adding fixed-size
 * summaries. Their grid versions below (counts over fixed cells) do merge.
 *
 * The bootstrap resamples R and C independently, each a multinomial draw of its own
 * size (the two data sets are independent samples), never row by row:
 *   - categories: over the category counts, so the bootstrap is exact;
 *   - numbers: over a grid of cells (t_{j−1}, t_j]. When the two samples have at most
 *     options.grid distinct values together, the cut points t_j are those values and
 *     the grid loses nothing. Otherwise they are the pooled sample's order
 *     statistics at j/G (G = options.grid, 250), the largest among them, together
 *     with the PSI cut points, so that every PSI bin is a union of cells and PSI and
 *     JS are resampled exactly. KS and W are
 *     evaluated on the grid, at the cut points: a replicate's deviation from the
 *     grid's own estimate, added to the exact estimate, is the replicate value
 *     (θ*_b = θ̂ + (θ̃*_b − θ̃), θ̃ on the grid), so the interval is centred on the
 *     exact statistic and only its spread comes from the grid. The grid's KS
 *     differs from the exact one by at most the largest cell's share (about 1/G of
 *     the pooled sample, 0.4 % at G = 250).
 * Each replicate draws cell counts by conditional binomials (Davis 1993, as the
 * engine's resampler), from a random stream keyed by (seed, column, replicate), so
 * results do not depend on threads. Cost per replicate: O(cells), not O(rows): two
 * binomial draws per cell, about G + B of them per sample, whatever the number of rows.
 * The normalised Wasserstein distance divides every replicate by the same s_R: its
 * interval is W's scaled by the reference's spread as measured.
 */
#include "stats/drift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "common/util.h"
#include "stats/ci.h"
#include "stats/rng.h"

/* ---- Sorting ---------------------------------------------------------------- */

/* An order-preserving unsigned key of a double (no NaN). */
static uint64_t key_of(double x)
{
    uint64_t u;
    x += 0.0; /* −0 sorts as 0 */
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : u | (1ULL << 63);
}

static double of_key(uint64_t u)
{
    double x;
    u = (u >> 63) ? u & ~(1ULL << 63) : ~u;
    memcpy(&x, &u, sizeof x);
    return x;
}

/*
 * An LSD radix sort of the keys on 11-bit digits (six passes over 64 bits, 2048
 * buckets, which stay in the first-level cache where 16-bit digits' 65536 do not).
 * All six histograms come from one pass, and a pass whose digit is the same for
 * every key (the exponent bits of values of one magnitude) is skipped.
 */
#define RADIX_BITS   11
#define RADIX_PASSES 6
#define RADIX_SIZE   (1u << RADIX_BITS)

int mg__drift_sorted(const double *x, size_t n, double **out, size_t *kept)
{
    uint64_t *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
    size_t(*count)[RADIX_SIZE] = calloc(RADIX_PASSES, sizeof *count), k = 0;
    uint64_t *src, *dst;
    double *s;

    *out = NULL;
    if (a == NULL || b == NULL || count == NULL) {
        free(a), free(b), free(count);
        return MG_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            uint64_t key = key_of(x[i]);
            a[k++] = key;
            for (int p = 0; p < RADIX_PASSES; p++)
                count[p][(key >> (RADIX_BITS * p)) & (RADIX_SIZE - 1)]++;
        }
    src = a, dst = b;
    for (int p = 0; p < RADIX_PASSES; p++) {
        size_t sum = 0, *c = count[p];
        int shift = RADIX_BITS * p;
        if (k > 0 && c[(src[0] >> shift) & (RADIX_SIZE - 1)] == k)
            continue; /* one digit for all: the order stands */
        for (size_t d = 0; d < RADIX_SIZE; d++) {
            size_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < k; i++)
            dst[c[(src[i] >> shift) & (RADIX_SIZE - 1)]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    free(dst);
    free(count);
    s = (double *)(void *)src; /* same size: convert in place */
    for (size_t i = 0; i < k; i++)
        s[i] = of_key(src[i]);
    *out = s;
    *kept = k;
    return 0;
}

/* ---- Exact statistics of sorted samples ------------------------------------ */

double mg__ks_sorted(const double *a, size_t na, const double *b, size_t nb)
{
    size_t i = 0, j = 0;
    double hi = 0, lo = 0;

    while (i < na || j < nb) {
        double v = i < na && (j >= nb || a[i] <= b[j]) ? a[i] : b[j], d;
        while (i < na && a[i] <= v)
            i++;
        while (j < nb && b[j] <= v)
            j++;
        d = (double)i / (double)na - (double)j / (double)nb;
        hi = d > hi ? d : hi;
        lo = d < lo ? d : lo;
    }
    lo = -lo > 1 ? 1 : -lo;
    return lo > hi ? lo : hi;
}

double mg__wasserstein_sorted(const double *a, size_t na, const double *b, size_t nb)
{
    size_t i = 0, j = 0;
    double sum = 0, comp = 0;

    while (i < na || j < nb) {
        double v = i < na && (j >= nb || a[i] <= b[j]) ? a[i] : b[j], next, t, y;
        while (i < na && a[i] <= v)
            i++;
        while (j < nb && b[j] <= v)
            j++;
        if (i == na && j == nb)
            break;
        next = i < na && (j >= nb || a[i] <= b[j]) ? a[i] : b[j];
        /* Kahan: a million small terms */
        y = fabs((double)i / (double)na - (double)j / (double)nb) * (next - v) - comp;
        t = sum + y;
        comp = (t - sum) - y;
        sum = t;
    }
    return sum;
}

/* ---- Binned statistics ------------------------------------------------------ */

static double psi_of(const double *r, double nr, const double *c, double nc, size_t k,
                     double floor_)
{
    double s = 0;
    for (size_t b = 0; b < k; b++) {
        double p = r[b] / nr, q = c[b] / nc;
        p = p < floor_ ? floor_ : p;
        q = q < floor_ ? floor_ : q;
        s += (q - p) * log(q / p);
    }
    return s;
}

/* scipy.spatial.distance.jensenshannon(r, c, base=2). */
static double js_of(const double *r, double nr, const double *c, double nc, size_t k)
{
    double s = 0;
    for (size_t b = 0; b < k; b++) {
        double p = r[b] / nr, q = c[b] / nc, m = (p + q) / 2;
        if (p > 0)
            s += p * log(p / m);
        if (q > 0)
            s += q * log(q / m);
    }
    s = s / 2 / log(2.0);
    return sqrt(s > 0 ? s : 0);
}

/* Pearson's χ² of the 2 × k table and its degrees of freedom (categories with a
 * count in either sample). */
static double chi2_of(const double *r, double nr, const double *c, double nc, size_t k,
                      double *df)
{
    double n = nr + nc, s = 0;
    size_t used = 0;
    for (size_t b = 0; b < k; b++) {
        double t = r[b] + c[b], er, ec;
        if (t == 0)
            continue;
        used++;
        er = t * nr / n;
        ec = t * nc / n;
        s += (r[b] - er) * (r[b] - er) / er + (c[b] - ec) * (c[b] - ec) / ec;
    }
    *df = used > 1 ? (double)(used - 1) : 0;
    return used > 1 ? s : 0;
}

/* ---- Grid ------------------------------------------------------------------- */

typedef struct grid {
    size_t cells;
    double *cut;    /* cells cut points, ascending: cell j is (cut[j−1], cut[j]] */
    double *r, *c;  /* counts per cell */
    size_t *bin;    /* PSI bin of each cell */
    size_t bins;    /* PSI bins */
    double ks0, w0; /* KS and W on the grid, from the counts */
} grid;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The type-7 quantile of sorted a at p. */
static double quantile7(const double *a, size_t n, double p)
{
    double h = (double)(n - 1) * p, f = floor(h), t = h - f;
    size_t l = (size_t)f;
    if (l + 1 >= n)
        return a[n - 1];
    return t < 0.5 ? a[l] + (a[l + 1] - a[l]) * t
                   : a[l + 1] - (a[l + 1] - a[l]) * (1 - t);
}

/* Count sorted x into the cells; cut[cells−1] ≥ x's largest value. */
static void count_cells(const double *x, size_t n, const double *cut, size_t cells,
                        double *out)
{
    size_t j = 0;
    memset(out, 0, cells * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        while (x[i] > cut[j])
            j++;
        out[j]++;
    }
}

/* KS and W on the grid from cell counts. */
static void grid_stats(const grid *g, const double *r, double nr, const double *c,
                       double nc, double *ks, double *w)
{
    double fr = 0, fc = 0, d = 0, s = 0;
    for (size_t j = 0; j < g->cells; j++) {
        double diff;
        fr += r[j];
        fc += c[j];
        diff = fabs(fr / nr - fc / nc);
        d = diff > d ? diff : d;
        if (j + 1 < g->cells)
            s += diff * (g->cut[j + 1] - g->cut[j]);
    }
    *ks = d;
    *w = s;
}

static void grid_free(grid *g)
{
    free(g->cut);
    free(g->r);
    free(g->c);
    free(g->bin);
}

/* The grid of two sorted samples with PSI edges e[0, ne). */
static int grid_build(grid *g, const double *a, size_t na, const double *b, size_t nb,
                      const double *e, size_t ne, size_t G)
{
    size_t distinct = 0, i = 0, j = 0, cap, k = 0;

    memset(g, 0, sizeof *g);
    /* distinct merged values, counted up to G + 1 */
    while ((i < na || j < nb) && distinct <= G) {
        double v = i < na && (j >= nb || a[i] <= b[j]) ? a[i] : b[j];
        while (i < na && a[i] <= v)
            i++;
        while (j < nb && b[j] <= v)
            j++;
        distinct++;
    }
    cap = (distinct <= G ? distinct : G + 1) + ne;
    g->cut = malloc(cap * sizeof *g->cut);
    if (g->cut == NULL)
        return MG_ENOMEM;
    i = j = 0;
    if (distinct <= G) {
        while (i < na || j < nb) {
            double v = i < na && (j >= nb || a[i] <= b[j]) ? a[i] : b[j];
            while (i < na && a[i] <= v)
                i++;
            while (j < nb && b[j] <= v)
                j++;
            g->cut[k++] = v;
        }
    } else {
        /* the pooled sample's order statistics at q/G, q = 1 … G, by one merge */
        size_t n = na + nb, pos = 0;
        for (size_t q = 1; q <= G; q++) {
            size_t target = (size_t)((double)q / (double)G * (double)(n - 1));
            double v = 0;
            while (pos <= target) {
                v = i < na && (j >= nb || a[i] <= b[j]) ? a[i++] : b[j++];
                pos++;
            }
            if (k == 0 || v > g->cut[k - 1])
                g->cut[k++] = v;
        }
    }
    for (size_t q = 0; q < ne; q++)
        g->cut[k++] = e[q];
    qsort(g->cut, k, sizeof *g->cut, cmp_double);
    g->cells = 0;
    for (size_t q = 0; q < k; q++)
        if (g->cells == 0 || g->cut[q] != g->cut[g->cells - 1])
            g->cut[g->cells++] = g->cut[q];
    /* the last cut point is the pooled maximum: every value lies in a cell */
    g->r = malloc(g->cells * sizeof *g->r);
    g->c = malloc(g->cells * sizeof *g->c);
    g->bin = malloc(g->cells * sizeof *g->bin);
    if (g->r == NULL || g->c == NULL || g->bin == NULL)
        return MG_ENOMEM;
    count_cells(a, na, g->cut, g->cells, g->r);
    count_cells(b, nb, g->cut, g->cells, g->c);
    for (size_t q = 0, bin = 0; q < g->cells; q++) {
        while (bin < ne && e[bin] < g->cut[q])
            bin++;
        g->bin[q] = bin;
    }
    g->bins = ne + 1;
    grid_stats(g, g->r, (double)na, g->c, (double)nb, &g->ks0, &g->w0);
    return 0;
}

/* ---- Resampling ------------------------------------------------------------- */

/* A multinomial draw of `total` over counts[0, k) (as probabilities) into out. */
static void multinomial(gsl_rng *rng, const double *counts, size_t k, double total,
                        double *out)
{
    double mass = total;
    unsigned int n = (unsigned int)total;
    for (size_t j = 0; j < k; j++) {
        unsigned int x = 0;
        if (counts[j] > 0 && n > 0) {
            double p = counts[j] / mass;
            x = p >= 1 ? n : gsl_ran_binomial(rng, p, n);
        }
        out[j] = x;
        n -= x;
        mass -= counts[j];
    }
}

static int alloc_reps(mg__drift *d, size_t B, const int *which)
{
    d->replicates = B;
    for (int s = 0; s < MG_DRIFT_STATISTIC_COUNT; s++) {
        if (!which[s])
            continue;
        d->rep[s] = malloc((B ? B : 1) * sizeof *d->rep[s]);
        if (d->rep[s] == NULL)
            return MG_ENOMEM;
    }
    return 0;
}

static void stream_of(gsl_rng *rng, uint64_t seed, uint64_t stream, size_t b)
{
    mg__rng_stream(rng, seed ^ mg__mix64(stream + 1), b, MG__STREAM_DRIFT);
}

/* ---- Columns ---------------------------------------------------------------- */

static void set(mg_drift_value *v, double x)
{
    v->has_value = 1;
    v->value = x + 0.0;
}

void mg__drift_free(mg__drift *d)
{
    if (d == NULL)
        return;
    for (int s = 0; s < MG_DRIFT_STATISTIC_COUNT; s++)
        free(d->rep[s]);
    free(d->r.name);
    free(d->r.reason);
    memset(d, 0, sizeof *d);
}

static double sd_of(const double *a, size_t n)
{
    double mean = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        mean += a[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (a[i] - mean) * (a[i] - mean);
    return sqrt(ss / (double)n);
}

/* The reference's quantile cut points, repeated ones merged, into e; how many. */
static size_t psi_edges(const double *a, size_t n, size_t B, double *e)
{
    size_t k = 0;
    for (size_t i = 1; i < B; i++) {
        double q = quantile7(a, n, (double)i / (double)B);
        if (k == 0 || q > e[k - 1])
            e[k++] = q;
    }
    return k;
}

int mg__drift_numbers(mg__drift *out, const double *ref, size_t nref, const double *cur,
                      size_t ncur, const mg_drift_options *o, uint64_t stream,
                      mg_error *err)
{
    double *a = NULL, *b = NULL, *e = NULL, *rb = NULL, *cb = NULL, *rc = NULL,
           *cc = NULL, d, p;
    size_t na = 0, nb = 0, ne;
    mg_drift_column *r = &out->r;
    int exact, rcode = MG_ENOMEM;
    grid g = {0};
    mg__rng rng;
    static const int want[MG_DRIFT_STATISTIC_COUNT] = {1, 1, 1, 1, 1, 0, 0};

    r->categorical = 0;
    if (mg__drift_sorted(ref, nref, &a, &na) != 0 ||
        mg__drift_sorted(cur, ncur, &b, &nb) != 0)
        goto fail;
    r->n_reference = na;
    r->n_current = nb;
    r->missing_reference = nref - na;
    r->missing_current = ncur - nb;
    if (na == 0 || nb == 0) {
        rcode = mg_error_set(err, MG_EDATA, NULL, 0, 0, "no values in the %s data",
                             na == 0 ? "reference" : "current");
        goto fail;
    }
    d = mg__ks_sorted(a, na, b, nb);
    if (mg__ks_p_value(na, nb, &d, &p, &exact) != 0)
        goto fail;
    set(&r->stat[MG_DRIFT_KS], d);
    r->has_p_value = 1;
    r->p_value = p;
    r->p_adjusted = p;
    r->p_method = exact ? "ks-exact" : "ks-asymptotic";
    set(&r->stat[MG_DRIFT_WASSERSTEIN], mg__wasserstein_sorted(a, na, b, nb));
    r->reference_sd = sd_of(a, na);
    if (r->reference_sd > 0)
        set(&r->stat[MG_DRIFT_WASSERSTEIN_NORM],
            r->stat[MG_DRIFT_WASSERSTEIN].value / r->reference_sd);

    if ((e = malloc((o->bins ? o->bins : 1) * sizeof *e)) == NULL)
        goto fail;
    ne = psi_edges(a, na, o->bins, e);
    if (grid_build(&g, a, na, b, nb, e, ne, o->grid ? o->grid : 250) != 0)
        goto fail;
    r->bins = g.bins;
    rb = calloc(g.bins, sizeof *rb);
    cb = calloc(g.bins, sizeof *cb);
    rc = malloc(g.cells * sizeof *rc);
    cc = malloc(g.cells * sizeof *cc);
    if (!rb || !cb || !rc || !cc)
        goto fail;
    for (size_t j = 0; j < g.cells; j++)
        rb[g.bin[j]] += g.r[j], cb[g.bin[j]] += g.c[j];
    set(&r->stat[MG_DRIFT_PSI],
        psi_of(rb, (double)na, cb, (double)nb, g.bins, o->psi_floor));
    set(&r->stat[MG_DRIFT_JS], js_of(rb, (double)na, cb, (double)nb, g.bins));

    if (o->replicates > 0) {
        double sks = r->stat[MG_DRIFT_KS].value - g.ks0;
        double sw = r->stat[MG_DRIFT_WASSERSTEIN].value - g.w0;
        if (alloc_reps(out, o->replicates, want) != 0)
            goto fail;
        mg__rng_init(&rng);
        for (size_t rep = 0; rep < o->replicates; rep++) {
            double ks, w;
            stream_of(&rng.gsl, o->seed, stream, rep);
            multinomial(&rng.gsl, g.r, g.cells, (double)na, rc);
            multinomial(&rng.gsl, g.c, g.cells, (double)nb, cc);
            memset(rb, 0, g.bins * sizeof *rb);
            memset(cb, 0, g.bins * sizeof *cb);
            for (size_t j = 0; j < g.cells; j++)
                rb[g.bin[j]] += rc[j], cb[g.bin[j]] += cc[j];
            out->rep[MG_DRIFT_PSI][rep] =
                psi_of(rb, (double)na, cb, (double)nb, g.bins, o->psi_floor);
            out->rep[MG_DRIFT_JS][rep] = js_of(rb, (double)na, cb, (double)nb, g.bins);
            grid_stats(&g, rc, (double)na, cc, (double)nb, &ks, &w);
            out->rep[MG_DRIFT_KS][rep] = ks + sks;
            out->rep[MG_DRIFT_WASSERSTEIN][rep] = w + sw;
            out->rep[MG_DRIFT_WASSERSTEIN_NORM][rep] =
                r->reference_sd > 0 ? (w + sw) / r->reference_sd : NAN;
        }
    }
    rcode = 0;
fail:
    if (rcode == MG_ENOMEM)
        mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    grid_free(&g);
    free(a), free(b), free(e), free(rb), free(cb), free(rc), free(cc);
    return rcode;
}

int mg__drift_counts(mg__drift *out, const double *ref, const double *cur, size_t k,
                     const mg_drift_options *o, uint64_t stream, mg_error *err)
{
    double nr = 0, nc = 0, df, chi2, *rc = NULL, *cc = NULL;
    mg_drift_column *r = &out->r;
    static const int want[MG_DRIFT_STATISTIC_COUNT] = {1, 0, 1, 0, 0, 1, 1};
    mg__rng rng;

    r->categorical = 1;
    for (size_t j = 0; j < k; j++) {
        nr += ref[j];
        nc += cur[j];
        if (ref[j] == 0 && cur[j] > 0)
            r->new_categories++;
    }
    r->n_reference = (size_t)nr;
    r->n_current = (size_t)nc;
    r->bins = k;
    if (nr == 0 || nc == 0)
        return mg_error_set(err, MG_EDATA, NULL, 0, 0, "no values in the %s data",
                            nr == 0 ? "reference" : "current");
    set(&r->stat[MG_DRIFT_PSI], psi_of(ref, nr, cur, nc, k, o->psi_floor));
    set(&r->stat[MG_DRIFT_JS], js_of(ref, nr, cur, nc, k));
    chi2 = chi2_of(ref, nr, cur, nc, k, &df);
    set(&r->stat[MG_DRIFT_CHI2], chi2);
    set(&r->stat[MG_DRIFT_CRAMERS_V], sqrt(chi2 / (nr + nc)));
    r->chi2_df = df;
    r->has_p_value = 1;
    r->p_value = df > 0 ? gsl_cdf_chisq_Q(chi2, df) : 1.0;
    r->p_adjusted = r->p_value;
    r->p_method = "chi2";
    if (o->replicates == 0)
        return 0;
    rc = malloc((k ? k : 1) * sizeof *rc);
    cc = malloc((k ? k : 1) * sizeof *cc);
    if (rc == NULL || cc == NULL || alloc_reps(out, o->replicates, want) != 0) {
        free(rc), free(cc);
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    mg__rng_init(&rng);
    for (size_t rep = 0; rep < o->replicates; rep++) {
        stream_of(&rng.gsl, o->seed, stream, rep);
        multinomial(&rng.gsl, ref, k, nr, rc);
        multinomial(&rng.gsl, cur, k, nc, cc);
        out->rep[MG_DRIFT_PSI][rep] = psi_of(rc, nr, cc, nc, k, o->psi_floor);
        out->rep[MG_DRIFT_JS][rep] = js_of(rc, nr, cc, nc, k);
        chi2 = chi2_of(rc, nr, cc, nc, k, &df);
        out->rep[MG_DRIFT_CHI2][rep] = chi2;
        out->rep[MG_DRIFT_CRAMERS_V][rep] = sqrt(chi2 / (nr + nc));
    }
    free(rc);
    free(cc);
    return 0;
}

void mg__drift_ci(const mg__drift *d, mg_drift_statistic s, mg_interval_kind kind,
                  double level, double *scratch, mg__ci *ci)
{
    size_t k = 0;
    if (d->rep[s] == NULL || !d->r.stat[s].has_value) {
        mg__ci_none(ci, "no bootstrap replicates");
        return;
    }
    for (size_t b = 0; b < d->replicates; b++)
        if (!isnan(d->rep[s][b]))
            scratch[k++] = d->rep[s][b];
    if (kind == MG_INTERVAL_ANALYTIC) {
        mg__ci_none(ci, "no analytic interval for drift statistics");
        return;
    }
    mg__ci_bootstrap(ci, kind, scratch, k, d->replicates, d->r.stat[s].value, NULL,
                     level);
}

/* ---- Public entry points ---------------------------------------------------- */

static const char *const statistic_names[MG_DRIFT_STATISTIC_COUNT] = {
    "psi", "ks", "js", "wasserstein", "wasserstein_norm", "cramers_v", "chi2"};

const char *mg_drift_statistic_name(mg_drift_statistic s)
{
    return (int)s >= 0 && s < MG_DRIFT_STATISTIC_COUNT ? statistic_names[s] : NULL;
}

int mg_drift_statistic_from_name(const char *name)
{
    for (int s = 0; name != NULL && s < MG_DRIFT_STATISTIC_COUNT; s++)
        if (strcmp(name, statistic_names[s]) == 0)
            return s;
    return -1;
}

/* Both samples sorted, or an error for NaN or an empty sample. */
static int two_sorted(const double *a, size_t na, const double *b, size_t nb,
                      double **sa, double **sb, mg_error *err)
{
    size_t ka, kb;
    *sa = *sb = NULL;
    if (na == 0 || nb == 0 || a == NULL || b == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "empty sample");
    if (mg__drift_sorted(a, na, sa, &ka) != 0 ||
        mg__drift_sorted(b, nb, sb, &kb) != 0) {
        free(*sa);
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (ka != na || kb != nb) {
        free(*sa), free(*sb);
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "NaN in sample %s",
                            ka != na ? "a" : "b");
    }
    return 0;
}

int mg_ks_2samp(const double *a, size_t na, const double *b, size_t nb,
                double *statistic, double *p_value, int *exact, mg_error *err)
{
    double *sa, *sb, d, p;
    int ex, rc = two_sorted(a, na, b, nb, &sa, &sb, err);
    if (rc != 0)
        return rc;
    d = mg__ks_sorted(sa, na, sb, nb);
    free(sa), free(sb);
    if (mg__ks_p_value(na, nb, &d, &p, &ex) != 0)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    *statistic = d;
    *p_value = p;
    if (exact != NULL)
        *exact = ex;
    return 0;
}

int mg_wasserstein(const double *a, size_t na, const double *b, size_t nb, double *out,
                   mg_error *err)
{
    double *sa, *sb;
    int rc = two_sorted(a, na, b, nb, &sa, &sb, err);
    if (rc != 0)
        return rc;
    *out = mg__wasserstein_sorted(sa, na, sb, nb);
    free(sa), free(sb);
    return 0;
}
