/*
 * gen_multiclass: write a synthetic multiclass benchmark data set.
 *
 *   gen_multiclass OUTDIR ROWS CLASSES SEED
 *
 * writes, creating OUTDIR when it does not exist,
 *
 *   OUTDIR/holdout.csv    id,region,label               (label: c0 … c{K-1})
 *   OUTDIR/candidate.csv  id,p_c0,…,p_c{K-1}
 *   OUTDIR/champion.csv   id,p_c0,…,p_c{K-1}
 *   OUTDIR/suite.yaml     a multiclass suite over those files
 *
 * Classes have unequal sizes (weights K:K−1:…:1); ten regions r0..r9 of unequal
 * size (10:9:…:1). Each model's probabilities are the softmax of logits
 * mu·[c = true class] + noise_c, the noise standard normal, shared in part between
 * the two models (correlation 0.64) as two models of the same data would be; the
 * candidate has mu = 2.2, the champion mu = 1.9. Probabilities are printed with
 * "%.6f" (rounded, as an export would round them), so a row sums to 1 within about
 * K·5e-7 and the suite sets data.probability_tolerance to 1e-4; many rows tie.
 *
 * Each prediction file lists the ids in its own random order (Fisher–Yates), so a
 * run pays for the join by id. Randomness as bench/gen_data.c: splitmix64 streams
 * derived from SEED, Box–Muller normals; the same arguments give byte-identical
 * files.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CLASSES 64
#define BUFFER      (4u << 20)

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform(rng *r)
{
    return (double)(next(r) >> 11) * 0x1.0p-53;
}

static double normal(rng *r)
{
    double u = uniform(r), v = uniform(r);
    return sqrt(-2 * log(u > 0 ? u : 0x1.0p-53)) * cos(6.283185307179586 * v);
}

/* An index drawn with weights n, n−1, …, 1. */
static size_t weighted(rng *r, size_t n)
{
    double total = n * (n + 1) / 2.0, x = uniform(r) * total;
    for (size_t i = 0; i < n; i++) {
        x -= (double)(n - i);
        if (x < 0)
            return i;
    }
    return n - 1;
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((f = fopen(path, "w")) == NULL) {
        fprintf(stderr, "gen_multiclass: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    setvbuf(f, NULL, _IOFBF, BUFFER);
    return f;
}

static void shuffle(uint32_t *a, size_t n, rng *r)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(uniform(r) * (double)i);
        uint32_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

static void write_probs(const char *dir, const char *name, const float *p, size_t n,
                        size_t K, rng *r)
{
    FILE *f = open_out(dir, name);
    uint32_t *order = malloc(n * sizeof *order);
    if (order == NULL)
        exit(1);
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    shuffle(order, n, r);
    fprintf(f, "id");
    for (size_t c = 0; c < K; c++)
        fprintf(f, ",p_c%zu", c);
    fputc('\n', f);
    for (size_t t = 0; t < n; t++) {
        size_t i = order[t];
        fprintf(f, "u%zu", i);
        for (size_t c = 0; c < K; c++)
            fprintf(f, ",%.6f", p[i * K + c]);
        fputc('\n', f);
    }
    free(order);
    fclose(f);
}

int main(int argc, char **argv)
{
    size_t n, K;
    uint64_t seed;
    float *pc, *pb;
    rng rows, sh1, sh2;
    FILE *h, *s;

    if (argc != 5) {
        fprintf(stderr, "usage: gen_multiclass OUTDIR ROWS CLASSES SEED\n");
        return 2;
    }
    n = strtoull(argv[2], NULL, 10);
    K = strtoull(argv[3], NULL, 10);
    seed = strtoull(argv[4], NULL, 10);
    if (n < 1 || n > UINT32_MAX || K < 2 || K > MAX_CLASSES) {
        fprintf(stderr, "gen_multiclass: rows 1..2^32-1, classes 2..%d\n", MAX_CLASSES);
        return 2;
    }
    mkdir(argv[1], 0777);
    rows.s = seed;
    sh1.s = seed ^ 0x5555555555555555ULL;
    sh2.s = seed ^ 0xaaaaaaaaaaaaaaaaULL;
    pc = malloc(n * K * sizeof *pc);
    pb = malloc(n * K * sizeof *pb);
    if (pc == NULL || pb == NULL)
        return 1;
    h = open_out(argv[1], "holdout.csv");
    fprintf(h, "id,region,label\n");
    for (size_t i = 0; i < n; i++) {
        size_t y = weighted(&rows, K), region = weighted(&rows, 10);
        double lc[MAX_CLASSES], lb[MAX_CLASSES], sc = 0, sb = 0, mc = -1e300,
                                                 mb = -1e300;
        for (size_t c = 0; c < K; c++) {
            double common = normal(&rows);
            lc[c] = 2.2 * (c == y) + 0.8 * common + 0.6 * normal(&rows);
            lb[c] = 1.9 * (c == y) + 0.8 * common + 0.6 * normal(&rows);
            mc = lc[c] > mc ? lc[c] : mc;
            mb = lb[c] > mb ? lb[c] : mb;
        }
        for (size_t c = 0; c < K; c++) {
            sc += (lc[c] = exp(lc[c] - mc));
            sb += (lb[c] = exp(lb[c] - mb));
        }
        for (size_t c = 0; c < K; c++) {
            pc[i * K + c] = (float)(lc[c] / sc);
            pb[i * K + c] = (float)(lb[c] / sb);
        }
        fprintf(h, "u%zu,r%zu,c%zu\n", i, region, y);
    }
    fclose(h);
    write_probs(argv[1], "candidate.csv", pc, n, K, &sh1);
    write_probs(argv[1], "champion.csv", pb, n, K, &sh2);
    s = open_out(argv[1], "suite.yaml");
    fprintf(
        s, "suite: multiclass-bench\n"
           "task: multiclass\n"
           "data: {holdout: holdout.csv, id: id, label: label, "
           "probability_tolerance: 1e-4}\n"
           "models:\n"
           "  candidate: {file: candidate.csv, prefix: p_}\n"
           "  champion: {file: champion.csv, prefix: p_}\n"
           "bootstrap: {replicates: 2000, confidence: 0.95, interval: bca, seed: 1}\n"
           "slices:\n"
           "  region: region\n"
           "tests:\n"
           "  - {name: accuracy floor, metric: accuracy, at_least: 0.5}\n"
           "  - {name: macro f1 per region, metric: macro_f1, slices: region, "
           "at_least: 0.4}\n"
           "  - {name: top-3, metric: top_k_accuracy, k: 3, at_least: 0.7}\n"
           "  - {name: log loss, metric: log_loss, at_most: 2.0}\n"
           "  - {name: no macro f1 regression, metric: macro_f1, baseline: champion, "
           "non_inferior: 0.01}\n"
           "  - {name: no kappa regression, metric: cohen_kappa, baseline: champion, "
           "non_inferior: 0.01}\n"
           "  - {name: no log loss regression, metric: log_loss, baseline: champion, "
           "non_inferior: 0.01}\n"
           "  - {name: macro auc, metric: macro_auc, at_least: 0.8}\n"
           "  - {name: no macro auc regression, metric: macro_auc, baseline: champion, "
           "non_inferior: 0.01}\n");
    fclose(s);
    free(pc);
    free(pb);
    return 0;
}
