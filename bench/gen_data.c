/*
 * gen_data: write a synthetic binary-classification benchmark data set.
 *
 *   gen_data OUTDIR ROWS SEED
 *
 * writes, creating OUTDIR when it does not exist,
 *
 *   OUTDIR/holdout.csv    id,region,segment,tenure,label
 *   OUTDIR/candidate.csv  id,score
 *   OUTDIR/champion.csv   id,score
 *   OUTDIR/suite.yaml     a suite over those files, for `modelgate run` (66 slices)
 *   OUTDIR/slices.yaml    the same with a quantile slicing and a 3-way cross (271)
 *
 * The data are shaped like the churn example but bigger: ten regions r0..r9 of
 * unequal size (weights 10:9:…:1, so the smallest region is under 2 % of the rows),
 * five segments s0..s4, a tenure in months (exponential, mean 24, capped at 120),
 * and a label whose log-odds depend on region, segment and tenure (prevalence about
 * 30 %).
 *
 * Scores follow the binormal model: given the label, a latent value x is normal
 * with mean ±mu/2 and unit variance, and the score is the logistic of
 * mu·x + logit(0.3), which is close to calibrated at the overall prevalence. The
 * candidate has mu = 1.6 (AUC ≈ Φ(mu/√2) ≈ 0.87) and the champion mu = 1.4
 * (≈ 0.84). The two models' noises share a common part (correlation 0.64), as two
 * models of the same customers would, so paired differences behave realistically.
 * Scores are clamped to [1e-6, 1 − 1e-6] and printed with "%.6f", so they lie
 * strictly inside (0, 1) and many rows share a score.
 *
 * Each prediction file lists the ids in its own random order (Fisher–Yates), so a
 * benchmark run pays for the join by id.
 *
 * Randomness: splitmix64 (Steele, Lea and Flood 2014), one stream for the rows and
 * one per shuffle, all derived from SEED; uniforms take the top 53 bits; normals come
 * from the Box–Muller transform. The same ROWS and SEED give byte-identical files on
 * any machine with IEEE doubles and a correctly rounding printf (glibc).
 *
 * This program needs only libc and libm: the benchmark build links it with the core
 * library, but nothing here uses it. Output goes through stdio with 4 MiB buffers;
 * a million rows take well under a few seconds, most of it in printf.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* mkdir */
#endif

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define N_REGIONS  10
#define N_SEGMENTS 5
#define BUFFER     (4u << 20)
#define MAX_ROWS   UINT32_MAX /* ids and shuffles use 32-bit indices */

/* A splitmix64 stream: state advances by the golden-ratio increment. */
typedef struct rng {
    uint64_t state;
} rng;

static uint64_t next_u64(rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform on (0, 1): never 0, so that log() below is finite. */
static double next_open01(rng *r)
{
    return ((double)(next_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Uniform integer in [0, n) without modulo bias (Lemire 2019), n < 2^32. */
static uint32_t next_below(rng *r, uint32_t n)
{
    uint64_t m = (next_u64(r) >> 32) * n;
    if ((uint32_t)m < n) {
        uint32_t floor = (uint32_t)(-n) % n;
        while ((uint32_t)m < floor)
            m = (next_u64(r) >> 32) * n;
    }
    return (uint32_t)(m >> 32);
}

/* Two independent standard normals (Box–Muller). */
static void next_normal2(rng *r, double *a, double *b)
{
    double radius = sqrt(-2.0 * log(next_open01(r)));
    double angle = 6.283185307179586 * next_open01(r);
    *a = radius * cos(angle);
    *b = radius * sin(angle);
}

static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

static double clamp_score(double p)
{
    return p < 1e-6 ? 1e-6 : p > 1.0 - 1e-6 ? 1.0 - 1e-6 : p;
}

/* Streams for different purposes get well-separated starting states. */
static rng stream(uint64_t seed, uint64_t purpose)
{
    rng r = {seed ^ (purpose * 0xd1b54a32d192ed03u)};
    next_u64(&r);
    return r;
}

/* Region with weights 10:9:...:1 (r0 largest). */
static int draw_region(rng *r)
{
    uint32_t u = next_below(r, 55); /* 10 + 9 + ... + 1 */
    int k = 0;
    for (uint32_t w = N_REGIONS; u >= w; w--) {
        u -= w;
        k++;
    }
    return k;
}

static void fisher_yates(uint32_t *perm, size_t n, rng *r)
{
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) {
        uint32_t j = next_below(r, (uint32_t)(i + 1));
        uint32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

struct out {
    char path[4096];
    FILE *f;
    char *buf;
};

static int out_open(struct out *o, const char *dir, const char *name)
{
    int len = snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= sizeof o->path) {
        fprintf(stderr, "gen_data: %s: path too long\n", dir);
        return -1;
    }
    o->buf = malloc(BUFFER);
    o->f = fopen(o->path, "w");
    if (!o->buf || !o->f) {
        fprintf(stderr, "gen_data: %s: %s\n", o->path, strerror(errno));
        return -1;
    }
    setvbuf(o->f, o->buf, _IOFBF, BUFFER);
    return 0;
}

/* Close, reporting a write error that fprintf may have deferred. */
static int out_close(struct out *o)
{
    int rc = 0;
    if (o->f) {
        if (ferror(o->f) | fclose(o->f)) {
            fprintf(stderr, "gen_data: %s: write error\n", o->path);
            rc = -1;
        }
        o->f = NULL;
    }
    free(o->buf);
    o->buf = NULL;
    return rc;
}

static int write_scores(const char *dir, const char *name, const double *score,
                        const uint32_t *perm, size_t n)
{
    struct out o = {{0}, NULL, NULL};
    int rc = out_open(&o, dir, name);
    if (rc == 0) {
        fputs("id,score\n", o.f);
        for (size_t k = 0; k < n; k++)
            fprintf(o.f, "%" PRIu32 ",%.6f\n", perm[k] + 1, score[perm[k]]);
    }
    if (out_close(&o) != 0)
        rc = -1;
    return rc;
}

static const char suite_yaml[] =
    "# Benchmark suite written by bench/gen_data.\n"
    "suite: bench\n"
    "task: binary\n"
    "data:\n"
    "  holdout: holdout.csv\n"
    "  id: id\n"
    "  label: label\n"
    "  positive: \"1\"\n"
    "models:\n"
    "  candidate: {file: candidate.csv, score: score}\n"
    "  champion: {file: champion.csv, score: score}\n"
    "threshold: 0.5\n"
    "bootstrap: {replicates: 2000, confidence: 0.95, interval: bca, seed: 1}\n"
    "slices:\n"
    "  region: region\n"
    "  segment: segment\n"
    "  region_x_segment: [region, segment]\n"
    "tests:\n"
    "  - {name: auc floor, metric: auc, at_least: 0.5}\n"
    "  - {name: auc per region, metric: auc, slices: region, at_least: 0.5}\n"
    "  - {name: recall per segment, metric: recall, slices: segment, at_least: 0.5}\n"
    "  - {name: no accuracy regression, metric: accuracy, baseline: champion,\n"
    "     non_inferior: 0.05}\n"
    "  - {name: log loss ceiling, metric: log_loss, at_most: 1}\n"
    "  - {name: brier ceiling, metric: brier, at_most: 0.5}\n";

/* The same data cut into hundreds of slices (issue 9): three slice columns, one of
 * them by quantiles, and their 3-way cross: 1 + 10 + 5 + 5 + 250 = 271 slices. */
static const char slices_yaml[] =
    "# Benchmark suite written by bench/gen_data: 3 slice columns and a 3-way cross.\n"
    "suite: bench-slices\n"
    "task: binary\n"
    "data:\n"
    "  holdout: holdout.csv\n"
    "  id: id\n"
    "  label: label\n"
    "  positive: \"1\"\n"
    "models:\n"
    "  candidate: {file: candidate.csv, score: score}\n"
    "  champion: {file: champion.csv, score: score}\n"
    "threshold: 0.5\n"
    "bootstrap: {replicates: 2000, confidence: 0.95, interval: bca, seed: 1}\n"
    "slices:\n"
    "  region: region\n"
    "  segment: segment\n"
    "  tenure: {column: tenure, quantiles: 5}\n"
    "  cross3: [region, segment, tenure]\n"
    "tests:\n"
    "  - {name: auc floor, metric: auc, at_least: 0.5}\n"
    "  - {name: auc per region, metric: auc, slices: region, at_least: 0.5}\n"
    "  - {name: recall per segment, metric: recall, slices: segment, at_least: 0.5}\n"
    "  - {name: no accuracy regression, metric: accuracy, baseline: champion,\n"
    "     non_inferior: 0.05}\n"
    "  - {name: log loss ceiling, metric: log_loss, at_most: 1}\n"
    "  - {name: brier ceiling, metric: brier, at_most: 0.5}\n"
    "  - {name: auc per tenure, metric: auc, slices: tenure, at_least: 0.5}\n"
    "  - {name: recall per cross, metric: recall, slices: cross3, at_least: 0.3,\n"
    "     rule: lenient}\n";

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s == '\0' || *s == '-')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    static const double region_effect[N_REGIONS] = {0.0,  0.1, -0.1, 0.2,  -0.2,
                                                    0.15, 0.3, -0.3, 0.05, 0.4};
    static const double segment_effect[N_SEGMENTS] = {-0.3, 0.0, 0.2, 0.35, -0.1};
    const double mu_candidate = 1.6, mu_champion = 1.4;
    const double prior = log(0.3 / 0.7);
    uint64_t rows, seed;
    double *candidate = NULL, *champion = NULL;
    uint32_t *perm = NULL;
    struct out hold = {{0}, NULL, NULL}, suite = {{0}, NULL, NULL};
    int rc = 1;

    if (argc != 4 || parse_u64(argv[2], &rows) != 0 || parse_u64(argv[3], &seed) != 0 ||
        rows == 0 || rows > MAX_ROWS || rows > SIZE_MAX / sizeof(double)) {
        fprintf(stderr, "usage: gen_data OUTDIR ROWS SEED  (1 <= ROWS < 2^32)\n");
        return 2;
    }
    const char *dir = argv[1];
    size_t n = (size_t)rows;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen_data: %s: %s\n", dir, strerror(errno));
        return 1;
    }

    candidate = malloc(n * sizeof *candidate);
    champion = malloc(n * sizeof *champion);
    perm = malloc(n * sizeof *perm);
    if (!candidate || !champion || !perm) {
        fprintf(stderr, "gen_data: out of memory for %zu rows\n", n);
        goto cleanup;
    }

    if (out_open(&hold, dir, "holdout.csv") != 0)
        goto cleanup;
    fputs("id,region,segment,tenure,label\n", hold.f);
    rng r = stream(seed, 1);
    for (size_t i = 0; i < n; i++) {
        int region = draw_region(&r);
        int segment = (int)next_below(&r, N_SEGMENTS);
        double t = -24.0 * log(next_open01(&r));
        int tenure = t >= 120.0 ? 120 : (int)t;
        double logit = -0.95 + region_effect[region] + segment_effect[segment] +
                       0.8 * exp(-tenure / 6.0) - 0.004 * tenure;
        int label = next_open01(&r) < logistic(logit);
        double shared, own_c, own_b, spare;
        next_normal2(&r, &shared, &own_c);
        next_normal2(&r, &own_b, &spare);
        (void)spare; /* drawn so that every row uses the same number of values */
        double sign = label ? 0.5 : -0.5;
        double xc = sign * mu_candidate + 0.8 * shared + 0.6 * own_c;
        double xb = sign * mu_champion + 0.8 * shared + 0.6 * own_b;
        candidate[i] = clamp_score(logistic(mu_candidate * xc + prior));
        champion[i] = clamp_score(logistic(mu_champion * xb + prior));
        fprintf(hold.f, "%zu,r%d,s%d,%d,%d\n", i + 1, region, segment, tenure, label);
    }
    if (out_close(&hold) != 0)
        goto cleanup;

    rng shuffle = stream(seed, 2);
    fisher_yates(perm, n, &shuffle);
    if (write_scores(dir, "candidate.csv", candidate, perm, n) != 0)
        goto cleanup;
    shuffle = stream(seed, 3);
    fisher_yates(perm, n, &shuffle);
    if (write_scores(dir, "champion.csv", champion, perm, n) != 0)
        goto cleanup;

    if (out_open(&suite, dir, "suite.yaml") != 0)
        goto cleanup;
    fputs(suite_yaml, suite.f);
    if (out_close(&suite) != 0)
        goto cleanup;
    if (out_open(&suite, dir, "slices.yaml") != 0)
        goto cleanup;
    fputs(slices_yaml, suite.f);
    if (out_close(&suite) != 0)
        goto cleanup;
    rc = 0;

cleanup:
    out_close(&hold);
    out_close(&suite);
    free(candidate);
    free(champion);
    free(perm);
    return rc;
}
