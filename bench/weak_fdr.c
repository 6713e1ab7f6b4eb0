/*
 * weak_fdr: the false discovery proportion of weak-slice discovery by simulation
 * (docs/statistics.md, "Weak slices").
 *
 *   weak_fdr [SIMS] [ROWS] [REPLICATES]
 *
 * Each data set has three uniform categorical columns a (4 values), b (3), c (5), a
 * label with prevalence 0.4, and a model whose recall is 0.8 everywhere (the null:
 * no slice is weak) or 0.8 except 0.6 on a = a2 (one weak value). The search is
 * `weak_slices: {columns: [a, b, c], depth: 2}` on recall at confidence 0.95 (BH at
 * q = 0.05): 3 + 4 + 5 + ... = 59 candidate slices. With a2 weak, the truly weak
 * slices are a=a2 and every a=a2 × (b or c) cell; every other slice's true recall
 * is at least the rest's (b and c are independent of a). The false discovery
 * proportion of a data set is its false discoveries over its discoveries (0 when
 * none); its mean over the data sets is the false discovery rate, which BH bounds
 * by 0.05 (for independent or positively dependent p-values).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "modelgate/modelgate.h"

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unif(uint64_t *s)
{
    return (double)(mix(s) >> 11) * 0x1.0p-53;
}

static void write_data(const char *path, size_t rows, int planted, uint64_t seed)
{
    FILE *f = fopen(path, "w");
    fprintf(f, "a,b,c,y,s\n");
    for (size_t i = 0; i < rows; i++) {
        int a = (int)(mix(&seed) % 4), b = (int)(mix(&seed) % 3),
            c = (int)(mix(&seed) % 5);
        int y = unif(&seed) < 0.4;
        double recall = planted && a == 2 ? 0.6 : 0.8;
        double s =
            y ? (unif(&seed) < recall ? 0.7 : 0.3) : (unif(&seed) < 0.15 ? 0.6 : 0.2);
        fprintf(f, "a%d,b%d,c%d,%d,%.3f\n", a, b, c, y,
                s + 0.001 * (double)(mix(&seed) % 100));
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    size_t sims = argc > 1 ? strtoul(argv[1], NULL, 10) : 500;
    size_t rows = argc > 2 ? strtoul(argv[2], NULL, 10) : 3000;
    size_t reps = argc > 3 ? strtoul(argv[3], NULL, 10) : 500;
    char dir[] = "/tmp/weak_fdr.XXXXXX", data[64], suite_path[64];
    FILE *f;

    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(data, sizeof data, "%s/holdout.csv", dir);
    snprintf(suite_path, sizeof suite_path, "%s/suite.yaml", dir);
    f = fopen(suite_path, "w");
    fprintf(f,
            "suite: fdr\ntask: binary\n"
            "data: {holdout: holdout.csv, label: y, positive: \"1\"}\n"
            "models: {candidate: {score: s}}\n"
            "bootstrap: {replicates: %zu, seed: 1}\n"
            "tests:\n"
            "  - {name: weak, metric: recall, weak_slices: {columns: [a, b, c]}}\n",
            reps);
    fclose(f);
    printf("%zu data sets of %zu rows, %zu replicates, BH at q = 0.05\n\n", sims, rows,
           reps);
    printf("| data | data sets with a discovery | false discovery rate | mean "
           "discoveries | mean true discoveries |\n|---|---|---|---|---|\n");
    for (int planted = 0; planted < 2; planted++) {
        double fdp = 0, fdp2 = 0, found = 0, truly = 0, any = 0;
        for (size_t sim = 0; sim < sims; sim++) {
            mg_suite *s = NULL;
            mg_report *r = NULL;
            mg_error err = MG_ERROR_INIT;
            double d = 0, fals = 0, x;
            write_data(data, rows, planted, 1000 * (uint64_t)planted + sim + 1);
            if (mg_suite_load(&s, suite_path, &err) != 0 ||
                mg_run_suite(&r, s, NULL, &err) != 0) {
                fprintf(stderr, "%s\n", err.message);
                return 1;
            }
            for (size_t i = 0; i < r->ncases; i++) {
                const mg_case *k = &r->cases[i];
                if (!k->has_delta)
                    continue;
                d++;
                if (!(planted && strstr(k->slice, "a=a2") != NULL))
                    fals++;
            }
            x = d > 0 ? fals / d : 0;
            fdp += x;
            fdp2 += x * x;
            found += d;
            truly += d - fals;
            any += d > 0;
            mg_report_free(r);
            mg_suite_free(s);
        }
        {
            double m = fdp / (double)sims;
            double se = sqrt((fdp2 / (double)sims - m * m) / (double)sims);
            printf("| %s | %.3f | %.3f ± %.3f | %.2f | %.2f |\n",
                   planted ? "a = a2 weak (recall 0.6 vs 0.8)" : "no weak slice",
                   any / (double)sims, m, se, found / (double)sims,
                   truly / (double)sims);
        }
    }
    remove(data);
    remove(suite_path);
    rmdir(dir);
    return 0;
}
