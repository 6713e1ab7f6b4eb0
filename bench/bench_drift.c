/*
 * bench_drift DIR [ROWS] [REPLICATES] [THREADS]: drift of ROWS rows × 20 columns
 * (15 numbers, 5 categories) with bootstrap intervals, the figure issue 13 asks for
 * (1,000,000 rows, 2000 replicates, within 10 s).
 *
 * Writes DIR/reference.csv and DIR/current.csv once (the current set shifted a
 * little in some columns), then times
 *   1. the statistics alone, on columns already in memory (mg__drift_run: sorting,
 *      exact KS and Wasserstein, the grid, every replicate of every statistic);
 *   2. mg_drift_compare on the two files, as `modelgate drift` runs it (reading and
 *      typing the CSVs, then the same statistics and the intervals).
 * bench/run.sh measures the CLI's wall time and peak memory besides.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "harness/drift.h"
#include "modelgate/modelgate.h"

#define NUM 15
#define CAT 5

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of the whole process (every thread): on a loaded machine the wall
 * time says more about the neighbours than about us. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Column j of one row: numbers of several shapes (normal, log-normal, small
 * integers with ties, a uniform), categories with 3 to 40 levels; `shift` moves
 * a few columns of the current data. */
static void row(gsl_rng *r, double *num, int *cat, double shift)
{
    for (int j = 0; j < NUM; j++) {
        switch (j % 4) {
        case 0:
            num[j] = gsl_ran_gaussian(r, 1.0) + (j == 0 ? shift : 0);
            break;
        case 1:
            num[j] = exp(gsl_ran_gaussian(r, 0.7 + (j == 1 ? shift : 0)));
            break;
        case 2:
            num[j] = (double)gsl_ran_poisson(r, 4.0);
            break;
        default:
            num[j] = gsl_rng_uniform(r) * 100;
            break;
        }
    }
    for (int j = 0; j < CAT; j++) {
        int levels = 3 + 9 * j;
        double u = gsl_rng_uniform(r);
        cat[j] = (int)(levels * u * u * (j == 0 ? 1 - shift / 2 : 1));
    }
}

static int write_csv(const char *path, size_t rows, unsigned long seed, double shift)
{
    FILE *f = fopen(path, "w");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double num[NUM];
    int cat[CAT];
    if (f == NULL || r == NULL)
        return -1;
    gsl_rng_set(r, seed);
    for (int j = 0; j < NUM; j++)
        fprintf(f, "x%d,", j);
    for (int j = 0; j < CAT; j++)
        fprintf(f, "g%d%s", j, j + 1 < CAT ? "," : "\n");
    for (size_t i = 0; i < rows; i++) {
        row(r, num, cat, shift);
        for (int j = 0; j < NUM; j++)
            fprintf(f, "%.6g,", num[j]);
        for (int j = 0; j < CAT; j++)
            fprintf(f, "k%d%s", cat[j], j + 1 < CAT ? "," : "\n");
    }
    gsl_rng_free(r);
    return fclose(f);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "bench/data/drift";
    size_t rows = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
    size_t reps = argc > 3 ? strtoul(argv[3], NULL, 10) : 2000;
    unsigned threads = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 0;
    char ref[1024], cur[1024];
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_drift_table *t = NULL;
    struct stat st;
    double t0, c0;

    gsl_set_error_handler_off();
    snprintf(ref, sizeof ref, "%s/reference.csv", dir);
    snprintf(cur, sizeof cur, "%s/current.csv", dir);
    mkdir(dir, 0777);
    if (stat(ref, &st) != 0 || stat(cur, &st) != 0) {
        fprintf(stderr, "writing %s and %s (%zu rows × 20 columns)\n", ref, cur, rows);
        if (write_csv(ref, rows, 1, 0) != 0 || write_csv(cur, rows, 2, 0.05) != 0) {
            perror(dir);
            return 1;
        }
    }
    o.replicates = reps;
    o.threads = threads;

    /* 1. the statistics on columns in memory */
    {
        mg_table *rt = NULL, *ct = NULL;
        const char *names[NUM + CAT];
        char buf[NUM + CAT][8];
        mg_column_type types[NUM + CAT];
        const char *const missing[] = {"", "NA", NULL};
        mg__drift_job jobs[NUM + CAT];
        for (int j = 0; j < NUM + CAT; j++) {
            snprintf(buf[j], sizeof buf[j], j < NUM ? "x%d" : "g%d",
                     j < NUM ? j : j - NUM);
            names[j] = buf[j];
            types[j] = MG_COLUMN_NUMBER;
        }
        t0 = now(), c0 = cpu();
        if (mg__drift_load(&rt, &ct, ref, cur, ',', missing, names, types, NUM + CAT,
                           &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        printf("load and type both files: %.2f s wall, %.2f s CPU\n", now() - t0,
               cpu() - c0);
        memset(jobs, 0, sizeof jobs);
        for (int j = 0; j < NUM + CAT; j++) {
            if (types[j] == MG_COLUMN_NUMBER) {
                jobs[j].ref.numbers = mg_table_numbers(rt, (size_t)j);
                jobs[j].cur.numbers = mg_table_numbers(ct, (size_t)j);
            }
            jobs[j].ref.n = mg_table_rows(rt);
            jobs[j].cur.n = mg_table_rows(ct);
            jobs[j].ref.table = rt, jobs[j].cur.table = ct;
            jobs[j].ref.column = jobs[j].cur.column = (size_t)j;
            jobs[j].ref.missing = jobs[j].cur.missing = missing;
            jobs[j].stream = (uint64_t)j;
        }
        t0 = now(), c0 = cpu();
        if (mg__drift_run(jobs, NUM + CAT, &o, threads) != 0) {
            fprintf(stderr, "drift failed\n");
            return 1;
        }
        printf("statistics with %zu replicates, 20 columns (in memory): %.2f s wall, "
               "%.2f s CPU\n",
               reps, now() - t0, cpu() - c0);
        for (int j = 0; j < NUM + CAT; j++)
            mg__drift_free(&jobs[j].out);
        mg_table_free(rt);
        mg_table_free(ct);
    }

    /* 2. the whole comparison from the files, with the intervals */
    if (getenv("MG_BENCH_STATS_ONLY") != NULL)
        return 0;
    t0 = now(), c0 = cpu();
    if (mg_drift_compare(&t, ref, cur, NULL, 0, &o, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    printf("mg_drift_compare (files to table, %zu rows × 20 columns, %zu replicates): "
           "%.2f s wall, %.2f s CPU\n",
           rows, reps, now() - t0, cpu() - c0);
    mg_drift_table_print(t, stdout);
    mg_drift_table_free(t);
    return 0;
}
