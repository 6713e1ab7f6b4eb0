/*
 * simulate: Monte Carlo checks of modelgate's error rates and interval coverage
 * (issue 8, "Tests"), through the public API only.
 *
 *   simulate [--quick] [--sections abcdefg] [--k K] [--b B] [--seed S]
 *            [--scratch DIR] [--truths]
 *
 * For each setting the program draws K data sets from a known truth, writes each as
 * a holdout CSV (scores are columns of the holdout, so no join) beside a suite file
 * in a scratch directory, runs mg_run_suite, and counts. It prints Markdown tables
 * on stdout (progress on stderr); every rate comes with its Monte Carlo standard
 * error sqrt(p(1 - p)/K).
 *
 *   a. Strict false-pass at the boundary: the true value of the metric equals the
 *      test's threshold, so a pass is a false pass; the target is <= 0.05 (the
 *      suite's confidence is 0.95). Recall with 10 positives (threshold 0.95),
 *      20 positives (0.95) and 20 positives (0.90); AUC with 1 and 2 positives
 *      (true AUC 0.80, threshold 0.80); a strict family over three slices, two
 *      comfortably good (200 positives each, recall 0.99) and one at the boundary
 *      (20 positives, recall 0.90, threshold 0.90). Every interval method.
 *   b. Comparisons at n = 600, margin 0.03: non-inferiority at true Δ = −m (size),
 *      equivalence at Δ = −m and +m (size) and at Δ = 0 (power), for a paired AUC
 *      (binormal, correlated models) and a paired accuracy.
 *   c. Coverage of the two-sided interval (`modelgate metrics` entries, mode
 *      MG_RUN_METRICS) with `stratify: label` beside `stratify: none`, n = 1,000,
 *      BCa.
 *   d. Coverage of the two-sided 95 % interval by method × metric × n (50, 100,
 *      200, 1,000), with the share of data sets missing on each side and, where
 *      the interval leaves the metric's range [0, 1], how often.
 *   e. Paired differences at an exact null: two exchangeable models, so every
 *      metric's true Δ is 0; coverage of 0 by the Δ interval at the level the case
 *      states, and how often the p-value beside it and the interval disagree
  *      (n = 50, 100, 200; average precision, Brier, AUC; BCa and percentile).
 *   f. Section d's table again, through test cases (MG_RUN_TESTS: one lenient
 *      threshold test per metric), so the interval is the one a decision reads,
 *      with the runner's own rules for small counts.
 *   g. The decisions themselves: strict threshold tests at the true value on the
 *      data sets of d and f, strict `superior: 0` tests on those of e (Δ = 0);
 *      every pass is a false pass, and every rule of the runner applies.

 *
 * Truths. Recall settings: each positive is predicted positive with probability r
 * (score 0.9, else 0.1), so the true recall is r; negatives are predicted positive
 * with probability 0.2. AUC settings: negatives' scores N(0, 1), positives'
 * N(d, 1), so the true AUC is Φ(d/√2) (the binormal AUC: P(X1 > X0) with
 * X1 − X0 ~ N(d, 2)); d = √2 Φ⁻¹(AUC). Paired AUC: score_j = d_j·y + √ρ·z +
 * √(1 − ρ)·e_j with z, e_j standard normal, ρ = 0.9, so each model's AUC is
 * Φ(d_j/√2) and the two are correlated. Paired accuracy: each row's (model right,
 * baseline right) is drawn from fixed cell probabilities p11, p10, p01, p00,
 * independent of the label, so Δ accuracy = p10 − p01 exactly. Sections c and d:
 * the calibrated binormal model — y ~ Bernoulli(π), latent x | y ~ N(±μ/2, 1),
 * score = logistic(μx + logit π), which is P(y = 1 | x) — with π = 0.3, μ = 1.6;
 * its recall, precision, accuracy (threshold 0.5) have closed forms, and AUC =
 * Φ(μ/√2); average precision (the population ∫ precision dRecall), Brier and log
 * loss are integrals over x, computed here by composite Simpson's rule on
 * [−12, 12] with 24,000 intervals. tests/reference/simulation_truths.py checks
 * every truth against SciPy quadrature and against scikit-learn on a large sample
 * (`simulate --truths` prints the values it compares).
 *
 * Randomness: splitmix64 (Steele, Lea and Flood 2014), one stream per (section,
 * setting, data set), derived from --seed; normals by Box–Muller. The bootstrap
 * seed of data set k is seed + k (the run option, not the suite's). The same
 * arguments give the same tables on any machine with IEEE doubles. Scores are
 * written with 17 significant digits, so the continuous settings have no ties.
 *
 * Runs use one thread each (opts.threads = 1): the simulation is meant to run
 * beside other work, under `nice`. bench/simulate.sh builds and runs it.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#endif

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <modelgate/modelgate.h>

#define PI_CONST 3.14159265358979323846

/* ---- Randomness ---------------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next64(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform on (0, 1): the top 53 bits, shifted off zero. */
static double unif(rng *r)
{
    return ((double)(next64(r) >> 11) + 0.5) * 0x1.0p-53;
}

static double normal(rng *r)
{
    double u = unif(r), v = unif(r);
    return sqrt(-2.0 * log(u)) * cos(2.0 * PI_CONST * v);
}

/* The stream of one data set: independent of every other (section, setting, k). */
static rng stream(uint64_t seed, unsigned section, unsigned setting, unsigned k)
{
    rng r = {seed};
    uint64_t mix = next64(&r) ^ ((uint64_t)section << 56) ^ ((uint64_t)setting << 40) ^
                   (uint64_t)k;
    r.s = mix;
    (void)next64(&r);
    return r;
}

/* ---- Normal distribution ------------------------------------------------- */

static double Phi(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

static double phi(double x)
{
    return exp(-0.5 * x * x) / sqrt(2.0 * PI_CONST);
}

/* Φ⁻¹ by bisection and Newton: accurate to rounding for |p − ½| < ½ − 1e-12. */
static double Phi_inv(double p)
{
    double lo = -40, hi = 40, x = 0;
    for (int i = 0; i < 200; i++) {
        x = 0.5 * (lo + hi);
        if (Phi(x) < p)
            lo = x;
        else
            hi = x;
    }
    for (int i = 0; i < 3; i++)
        x -= (Phi(x) - p) / phi(x);
    return x;
}

static double logistic(double t)
{
    return t >= 0 ? 1.0 / (1.0 + exp(-t)) : exp(t) / (1.0 + exp(t));
}

/* ---- Truths of the calibrated binormal model ------------------------------ */

typedef struct truths {
    double prevalence, auc, recall, precision, accuracy, average_precision, brier,
        log_loss;
} truths;

/* Simpson's rule of f over [a, b] with n (even) intervals. */
static double simpson(double (*f)(double, const double *), const double *par, double a,
                      double b, int n)
{
    double h = (b - a) / n, sum = f(a, par) + f(b, par);
    for (int i = 1; i < n; i++)
        sum += (i % 2 ? 4 : 2) * f(a + i * h, par);
    return sum * h / 3;
}

/* par: π, μ. Integrands over the latent x. */
static double ap_integrand(double t, const double *par)
{
    double pi = par[0], mu = par[1];
    double s1 = Phi(mu / 2 - t), s0 = Phi(-mu / 2 - t);
    double den = pi * s1 + (1 - pi) * s0;
    /* precision at threshold t times the density of a positive's x at t */
    return den > 0 ? pi * s1 / den * phi(t - mu / 2) : 0;
}

static double brier_integrand(double x, const double *par)
{
    double pi = par[0], mu = par[1];
    double s = logistic(mu * x + log(pi / (1 - pi)));
    return pi * (1 - s) * (1 - s) * phi(x - mu / 2) +
           (1 - pi) * s * s * phi(x + mu / 2);
}

static double logloss_integrand(double x, const double *par)
{
    double pi = par[0], mu = par[1], t = mu * x + log(pi / (1 - pi));
    /* −log s = log(1 + e^{−t}), −log(1 − s) = log(1 + e^{t}), computed stably */
    double nls = t > 0 ? log1p(exp(-t)) : -t + log1p(exp(t));
    double nl1s = t < 0 ? log1p(exp(t)) : t + log1p(exp(-t));
    return pi * nls * phi(x - mu / 2) + (1 - pi) * nl1s * phi(x + mu / 2);
}

static truths binormal_truths(double pi, double mu)
{
    truths t;
    double par[2] = {pi, mu};
    /* score >= 0.5 iff μx + logit π >= 0 iff x >= c */
    double c = -log(pi / (1 - pi)) / mu;
    double tpr = Phi(mu / 2 - c), fpr = Phi(-mu / 2 - c);
    t.prevalence = pi;
    t.auc = Phi(mu / sqrt(2.0));
    t.recall = tpr;
    t.precision = pi * tpr / (pi * tpr + (1 - pi) * fpr);
    t.accuracy = pi * tpr + (1 - pi) * (1 - fpr);
    t.average_precision = simpson(ap_integrand, par, -12, 12, 24000);
    t.brier = simpson(brier_integrand, par, -12, 12, 24000);
    t.log_loss = simpson(logloss_integrand, par, -12, 12, 24000);
    return t;
}

/* ---- Scratch files and runs ------------------------------------------------ */

typedef struct sim {
    size_t K, B;
    uint64_t seed;
    int quick;
    char dir[4096];
    char holdout[4200], suite[4200];
    double seconds;
    char refusal[1024]; /* the last suite load refused */
} sim;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("simulate: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static FILE *open_or_die(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        die("cannot write %s", path);
    return f;
}

static void close_or_die(FILE *f, const char *path)
{
    if (ferror(f) || fclose(f) != 0)
        die("error writing %s", path);
}

static const char *method_names[] = {"bca", "percentile", "basic", "analytic"};

/* Write the suite: header with the bootstrap settings, then `body` (models,
 * slices, tests) verbatim. */
static mg_suite *load_suite(sim *S, const char *method, const char *stratify,
                            double confidence, const char *body)
{
    FILE *f = open_or_die(S->suite);
    mg_suite *suite = NULL;
    mg_error err = MG_ERROR_INIT;
    fprintf(f,
            "suite: simulate\n"
            "task: binary\n"
            "data: {holdout: holdout.csv, label: label, positive: \"1\"}\n"
            "threshold: 0.5\n"
            "bootstrap: {replicates: %zu, confidence: %g, interval: %s, seed: 1, "
            "stratify: %s}\n"
            "%s",
            S->B, confidence, method, stratify, body);
    close_or_die(f, S->suite);
    if (mg_suite_load(&suite, S->suite, &err) != 0) {
        char line[1024];
        mg_error_format(&err, line, sizeof line);
        fprintf(stderr, "simulate: suite refused: %s\n", line);
        snprintf(S->refusal, sizeof S->refusal, "%s", line);
        return NULL;
    }
    return suite;
}

/* Run the suite on the holdout now on disk; NULL (and the reason in `why`) when the
 * library refuses the run. */
static mg_report *run(sim *S, const mg_suite *suite, mg_run_mode mode, size_t k,
                      char *why, size_t whylen)
{
    mg_run_options opts = MG_RUN_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_report *r = NULL;
    struct timespec t0, t1;
    opts.mode = mode;
    opts.has_seed = 1;
    opts.seed = S->seed + k;
    opts.threads = 1;
    opts.allow_empty = 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (mg_run_suite(&r, suite, &opts, &err) != 0) {
        mg_error_format(&err, why, whylen);
        r = NULL;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    S->seconds += (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    return r;
}

/* ---- Counting --------------------------------------------------------------- */

typedef struct rate {
    size_t hit, total;
} rate;

static double se(double p, size_t k)
{
    return k ? sqrt(p * (1 - p) / (double)k) : 0;
}

/* "0.137 ± 0.011" (rate ± MC standard error), or "—" with no trials. */
static const char *fmt_rate(char *buf, size_t len, rate r)
{
    double p;
    if (r.total == 0)
        return "—";
    p = (double)r.hit / (double)r.total;
    snprintf(buf, len, "%.3f ± %.3f", p, se(p, r.total));
    return buf;
}

static const mg_case *find_case(const mg_report *r, const char *test, const char *slice)
{
    for (size_t i = 0; i < r->ncases; i++)
        if (strcmp(r->cases[i].test, test) == 0 &&
            (slice == NULL || strcmp(r->cases[i].slice, slice) == 0))
            return &r->cases[i];
    return NULL;
}

static const mg_metric_entry *find_entry(const mg_report *r, const char *metric)
{
    for (size_t i = 0; i < r->nmetrics; i++)
        if (r->metrics[i].slicing == NULL &&
            strcmp(r->metrics[i].metric, metric) == 0 &&
            strcmp(r->metrics[i].model, "candidate") == 0)
            return &r->metrics[i];
    return NULL;
}

static void progress(const char *what, size_t k, size_t K)
{
    if (k + 1 == K || (k + 1) % 100 == 0)
        fprintf(stderr, "\r  %-60s %zu/%zu", what, k + 1, K);
    if (k + 1 == K)
        fputc('\n', stderr);
}

/* ---- Data generators --------------------------------------------------------- */

/* Recall settings: npos positives (predicted positive with probability r), nneg
 * negatives (predicted positive with probability 0.2). Group column optional. */
static void write_recall_rows(FILE *f, rng *g, size_t npos, double r, size_t nneg,
                              const char *group)
{
    for (size_t i = 0; i < npos; i++)
        fprintf(f, "1,%s%s%s\n", unif(g) < r ? "0.9" : "0.1", group ? "," : "",
                group ? group : "");
    for (size_t i = 0; i < nneg; i++)
        fprintf(f, "0,%s%s%s\n", unif(g) < 0.2 ? "0.9" : "0.1", group ? "," : "",
                group ? group : "");
}

/* AUC settings: binormal with unit variances and mean shift d. */
static void write_auc_rows(FILE *f, rng *g, size_t npos, size_t nneg, double d)
{
    for (size_t i = 0; i < npos; i++)
        fprintf(f, "1,%.17g\n", d + normal(g));
    for (size_t i = 0; i < nneg; i++)
        fprintf(f, "0,%.17g\n", normal(g));
}

/* The calibrated binormal model of sections c and d. */
static void write_binormal(const char *path, rng *g, size_t n, double pi, double mu)
{
    FILE *f = open_or_die(path);
    double lo = log(pi / (1 - pi));
    fputs("label,score\n", f);
    for (size_t i = 0; i < n; i++) {
        int y = unif(g) < pi;
        double x = normal(g) + (y ? mu / 2 : -mu / 2);
        fprintf(f, "%d,%.17g\n", y, logistic(mu * x + lo));
    }
    close_or_die(f, path);
}

/* Paired models for section b. AUC pair: d_m, d_b mean shifts, shared noise ρ.
 * Accuracy pair: cells p10 (model right only), p01 (baseline right only), p11;
 * p00 = 1 − the rest. Prevalence 0.3. */
typedef struct paired {
    double d_m, d_b, rho, p10, p01, p11;
} paired;

static void write_paired(const char *path, rng *g, size_t n, const paired *p)
{
    FILE *f = open_or_die(path);
    fputs("label,m_auc,b_auc,m_acc,b_acc\n", f);
    for (size_t i = 0; i < n; i++) {
        int y = unif(g) < 0.3;
        double z = normal(g), em = normal(g), eb = normal(g), u = unif(g);
        double sm = p->d_m * y + sqrt(p->rho) * z + sqrt(1 - p->rho) * em;
        double sb = p->d_b * y + sqrt(p->rho) * z + sqrt(1 - p->rho) * eb;
        int mr, br; /* model right, baseline right */
        if (u < p->p11)
            mr = 1, br = 1;
        else if (u < p->p11 + p->p10)
            mr = 1, br = 0;
        else if (u < p->p11 + p->p10 + p->p01)
            mr = 0, br = 1;
        else
            mr = 0, br = 0;
        /* right: predict y (score 0.8 for 1, 0.2 for 0); wrong: the other */
        fprintf(f, "%d,%.17g,%.17g,%s,%s\n", y, sm, sb, (mr ? y : !y) ? "0.8" : "0.2",
                (br ? y : !y) ? "0.8" : "0.2");
    }
    close_or_die(f, path);
}

/* ---- Section a: strict false-pass at the boundary ----------------------------- */

typedef struct boundary {
    const char *label;
    const char *metric; /* recall or auc */
    size_t npos, nneg;
    double truth, threshold;
    int family; /* three slices, the third at the boundary */
} boundary;

static void write_boundary(const char *path, rng *g, const boundary *b)
{
    FILE *f = open_or_die(path);
    if (b->family) {
        fputs("label,score,grp\n", f);
        write_recall_rows(f, g, 200, 0.99, 200, "g1");
        write_recall_rows(f, g, 200, 0.99, 200, "g2");
        write_recall_rows(f, g, b->npos, b->truth, b->nneg, "g3");
    } else if (strcmp(b->metric, "auc") == 0) {
        fputs("label,score\n", f);
        write_auc_rows(f, g, b->npos, b->nneg, sqrt(2.0) * Phi_inv(b->truth));
    } else {
        fputs("label,score\n", f);
        write_recall_rows(f, g, b->npos, b->truth, b->nneg, NULL);
    }
    close_or_die(f, path);
}

/* How a case ended: passed, failed on its interval, or without a decision. */
typedef struct outcomes {
    size_t pass, decided_fail, undecided;
    char reason[200];
} outcomes;

static void tally_case(outcomes *o, const mg_case *x)
{
    if (x == NULL)
        return;
    if (x->outcome == MG_OUTCOME_PASS)
        o->pass++;
    else if (x->status == MG_STATUS_DECIDED)
        o->decided_fail++;
    else if (o->undecided++ == 0)
        snprintf(o->reason, sizeof o->reason, "%.190s",
                 x->reason    ? x->reason
                 : x->message ? x->message
                              : "");
}

static void section_a(sim *S)
{
    static const boundary settings[] = {
        {"recall, 10 positives (+40 negatives), at_least 0.95", "recall", 10, 40, 0.95,
         0.95, 0},
        {"recall, 20 positives (+80 negatives), at_least 0.95", "recall", 20, 80, 0.95,
         0.95, 0},
        {"recall, 20 positives (+80 negatives), at_least 0.90", "recall", 20, 80, 0.90,
         0.90, 0},
        {"auc, 1 positive (+40 negatives), at_least 0.80", "auc", 1, 40, 0.80, 0.80, 0},
        {"auc, 2 positives (+40 negatives), at_least 0.80", "auc", 2, 40, 0.80, 0.80,
         0},
        {"strict family: recall per slice, at_least 0.90; slice g3 has 20 positives "
         "(+80 negatives) at recall 0.90, g1 and g2 200 + 200 at 0.99",
         "recall", 20, 80, 0.90, 0.90, 1},
    };
    enum { NS = sizeof settings / sizeof *settings };
    size_t ns = NS;
    outcomes how[NS][4];
    char buf[4][64], why[1024] = "";
    memset(how, 0, sizeof how);
    printf(
        "\n### a. Strict false-pass rate at the boundary (true value = threshold)\n\n"
        "K = %zu data sets per setting, B = %zu replicates, confidence 0.95, "
        "`rule: strict`. A pass is a false pass; target ≤ 0.05.\n\n",
        S->K, S->B);
    printf(
        "| setting | bca | percentile | basic | analytic |\n|---|---|---|---|---|\n");
    for (size_t s = 0; s < ns; s++) {
        const boundary *b = &settings[s];
        rate pass[4] = {{0, 0}};
        size_t errors[4] = {0};
        char body[1024];
        if (b->family)
            snprintf(body, sizeof body,
                     "models:\n  candidate: {score: score}\n"
                     "slices:\n  grp: grp\n"
                     "tests:\n  - {name: t, metric: %s, slices: grp, at_least: %g, "
                     "rule: strict}\n",
                     b->metric, b->threshold);
        else
            snprintf(body, sizeof body,
                     "models:\n  candidate: {score: score}\n"
                     "tests:\n  - {name: t, metric: %s, at_least: %g, rule: strict}\n",
                     b->metric, b->threshold);
        for (int m = 0; m < 4; m++) {
            mg_suite *suite = load_suite(S, method_names[m], "none", 0.95, body);
            char what[128];
            if (suite == NULL)
                continue;
            snprintf(what, sizeof what, "a%zu %s", s + 1, method_names[m]);
            for (size_t k = 0; k < S->K; k++) {
                rng g = stream(S->seed, 1, (unsigned)s, (unsigned)k);
                mg_report *r;
                write_boundary(S->holdout, &g, b);
                r = run(S, suite, MG_RUN_TESTS, k, why, sizeof why);
                pass[m].total++;
                if (r == NULL) {
                    errors[m]++;
                } else {
                    /* passes when every case of the test passed */
                    int all = r->ncases > 0;
                    const mg_case *x = find_case(r, "t", b->family ? "grp=g3" : NULL);
                    for (size_t i = 0; i < r->ncases; i++) {
                        if (strcmp(r->cases[i].test, "t") != 0)
                            continue;
                        if (r->cases[i].outcome != MG_OUTCOME_PASS)
                            all = 0;
                    }
                    pass[m].hit += all;
                    tally_case(&how[s][m], x);
                }
                mg_report_free(r);
                progress(what, k, S->K);
            }
            mg_suite_free(suite);
        }
        printf("| %s | %s | %s | %s | %s |\n", b->label, fmt_rate(buf[0], 64, pass[0]),
               fmt_rate(buf[1], 64, pass[1]), fmt_rate(buf[2], 64, pass[2]),
               fmt_rate(buf[3], 64, pass[3]));
        for (int m = 0; m < 4; m++)
            if (errors[m])
                printf("|   (%s: %zu runs refused: %s) | | | | |\n", method_names[m],
                       errors[m], why);
        fflush(stdout);
    }
    printf("\nHow the boundary case ended (for the family, slice g3), counts of %zu: "
           "passed, failed on its interval (decided), failed or skipped without a "
           "decision (no evidence, too small, undefined), and the first reason given "
           "for an undecided case.\n\n"
           "| setting | interval | pass | fail, decided | undecided | reason |\n"
           "|---|---|---|---|---|---|\n",
           S->K);
    for (size_t s = 0; s < ns; s++)
        for (int m = 0; m < 4; m++) {
            const outcomes *o = &how[s][m];
            printf("| a%zu | %s | %zu | %zu | %zu | %s |\n", s + 1, method_names[m],
                   o->pass, o->decided_fail, o->undecided, o->reason);
        }
    fflush(stdout);
}

/* ---- Section b: comparisons at the margin --------------------------------------- */

static void section_b(sim *S)
{
    const double m = 0.03, base_auc = 0.80, base_acc = 0.80;
    const double deltas[] = {-m, 0, m};
    const size_t n = 600;
    static const char *tests[] = {"auc non_inferior", "auc equivalent",
                                  "accuracy non_inferior", "accuracy equivalent"};
    /* rate[method][delta][test] */
    rate pass[3][3][4];
    size_t refused[3] = {0};
    char why[1024] = "", buf[64];
    memset(pass, 0, sizeof pass);
    printf("\n### b. Comparisons at the margin (n = %zu, margin m = %.2f)\n\n"
           "K = %zu data sets per Δ, B = %zu replicates, confidence 0.95. Paired AUC: "
           "binormal, baseline AUC %.2f, model AUC %.2f + Δ, shared-noise correlation "
           "0.9, prevalence 0.3. Paired accuracy: baseline %.2f, model %.2f + Δ, "
           "discordant cells p10 = 0.065 + Δ/2, p01 = 0.065 − Δ/2.\n\n",
           n, m, S->K, S->B, base_auc, base_auc, base_acc, base_acc);
    for (int mi = 0; mi < 3; mi++) {
        /* bca, percentile, analytic (DeLong; AUC only) */
        const char *method = mi == 0 ? "bca" : mi == 1 ? "percentile" : "analytic";
        char body[2048];
        mg_suite *suite;
        snprintf(body, sizeof body,
                 "models:\n  candidate: {score: m_auc}\n  champion: {score: b_auc}\n"
                 "  cand_acc: {score: m_acc}\n  champ_acc: {score: b_acc}\n"
                 "tests:\n"
                 "  - {name: auc non_inferior, metric: auc, baseline: champion, "
                 "non_inferior: %g}\n"
                 "  - {name: auc equivalent, metric: auc, baseline: champion, "
                 "equivalent: %g}\n"
                 "%s",
                 m, m,
                 mi == 2 ? ""
                         : "  - {name: accuracy non_inferior, metric: accuracy, "
                           "model: cand_acc, baseline: champ_acc, non_inferior: 0.03}\n"
                           "  - {name: accuracy equivalent, metric: accuracy, "
                           "model: cand_acc, baseline: champ_acc, equivalent: 0.03}\n");
        if ((suite = load_suite(S, method, "none", 0.95, body)) == NULL)
            continue;
        for (int di = 0; di < 3; di++) {
            double d = deltas[di];
            paired p = {sqrt(2.0) * Phi_inv(base_auc + d),
                        sqrt(2.0) * Phi_inv(base_auc),
                        0.9,
                        0.065 + d / 2,
                        0.065 - d / 2,
                        base_acc - 0.065};
            char what[128];
            snprintf(what, sizeof what, "b %s Δ = %+.2f", method, d);
            for (size_t k = 0; k < S->K; k++) {
                rng g = stream(S->seed, 2, (unsigned)di, (unsigned)k);
                mg_report *r;
                write_paired(S->holdout, &g, n, &p);
                r = run(S, suite, MG_RUN_TESTS, k, why, sizeof why);
                if (r == NULL) {
                    refused[mi]++;
                } else {
                    for (int t = 0; t < 4; t++) {
                        const mg_case *c = find_case(r, tests[t], NULL);
                        if (c == NULL)
                            continue;
                        pass[mi][di][t].total++;
                        pass[mi][di][t].hit += c->outcome == MG_OUTCOME_PASS;
                    }
                }
                mg_report_free(r);
                progress(what, k, S->K);
            }
        }
        mg_suite_free(suite);
    }
    printf("| test | interval | pass at Δ = −m | pass at Δ = 0 | pass at Δ = +m |\n"
           "|---|---|---|---|---|\n");
    for (int t = 0; t < 4; t++)
        for (int mi = 0; mi < 3; mi++) {
            const char *method = mi == 0 ? "bca" : mi == 1 ? "percentile" : "analytic";
            if (pass[mi][0][t].total == 0)
                continue;
            printf("| %s | %s", tests[t], method);
            for (int di = 0; di < 3; di++)
                printf(" | %s", fmt_rate(buf, sizeof buf, pass[mi][di][t]));
            printf(" |\n");
        }
    for (int mi = 0; mi < 3; mi++)
        if (refused[mi])
            printf("\n(%zu runs refused with interval %d: %s)\n", refused[mi], mi, why);
    printf("\nNon-inferiority: the pass rate at Δ = −m is its size (target 0.04–0.06). "
           "Equivalence: at Δ = ±m its size (target 0.04–0.06 each), at Δ = 0 its "
           "power.\n");
    fflush(stdout);
}

/* ---- Sections c and d: coverage -------------------------------------------------- */

typedef struct coverage {
    size_t total;     /* data sets with an interval */
    size_t none;      /* data sets without one (undefined, no interval) */
    size_t covered;   /* lo <= truth <= hi */
    size_t below;     /* hi < truth: the interval misses low */
    size_t above;     /* lo > truth: misses high */
    size_t outside;   /* the interval leaves [0, 1] */
    size_t zero;      /* zero width */
    size_t other;     /* a case whose interval came from another method (exact) */
    double level;     /* the two-sided level of the interval (0: 0.95) */
    char reason[200]; /* the first reason given for a missing interval */
} coverage;

static void count_interval(coverage *c, int has_ci, double lo, double hi,
                           const char *reason, double truth, int bounded)
{
    if (!has_ci) {
        if (c->none++ == 0)
            snprintf(c->reason, sizeof c->reason, "%.190s",
                     reason ? reason : "no reason");
        return;
    }
    c->total++;
    if (hi < truth)
        c->below++;
    else if (lo > truth)
        c->above++;
    else
        c->covered++;
    if (bounded && (lo < 0 || hi > 1))
        c->outside++;
    if (lo == hi)
        c->zero++;
}

static void count_coverage(coverage *c, const mg_metric_entry *e, double truth,
                           int bounded)
{
    if (e == NULL)
        count_interval(c, 0, 0, 0, "no entry", truth, bounded);
    else
        count_interval(c, e->has_ci, e->ci_low, e->ci_high, e->reason, truth, bounded);
}

static double truth_of(const truths *t, const char *metric)
{
    if (strcmp(metric, "prevalence") == 0)
        return t->prevalence;
    if (strcmp(metric, "auc") == 0)
        return t->auc;
    if (strcmp(metric, "recall") == 0)
        return t->recall;
    if (strcmp(metric, "precision") == 0)
        return t->precision;
    if (strcmp(metric, "accuracy") == 0)
        return t->accuracy;
    if (strcmp(metric, "average_precision") == 0)
        return t->average_precision;
    if (strcmp(metric, "brier") == 0)
        return t->brier;
    return t->log_loss;
}

static const double BN_PI = 0.3, BN_MU = 1.6;

/* Run K data sets of size n through one suite in metrics mode and count coverage of
 * each metric in `metrics`. Data set k of size n is the same for every method. */
/* The suite confidence at which a case's two-sided interval is 95 %: 0.95 when a
 * case reports its interval at the suite's confidence, 0.975 when it reports the
 * (2c − 1) interval whose ends are one-sided bounds at c. */
static double two_sided_95(const mg_case *x, double asked)
{
    if (x != NULL && fabs(x->confidence - (2 * asked - 1)) < 1e-9 &&
        fabs(asked - 0.95) < 1e-9)
        return 0.975;
    return asked;
}

/* Is `method` what interval `kind` computes (BCa may be BC)? */
static int expected_method(int kind, mg_ci_method method)
{
    switch (kind) {
    case MG_INTERVAL_BCA:
        return method == MG_CI_BCA || method == MG_CI_BC;
    case MG_INTERVAL_PERCENTILE:
        return method == MG_CI_PERCENTILE;
    case MG_INTERVAL_BASIC:
        return method == MG_CI_BASIC;
    default:
        return method == MG_CI_WILSON || method == MG_CI_DELONG ||
               method == MG_CI_DELONG_LOGIT;
    }
}

/* Run K data sets of size n through one suite and count coverage of each metric
 * in `metrics`: from `modelgate metrics` entries (MG_RUN_METRICS, the two-sided
 * interval at the suite's confidence) or from one lenient threshold test per metric
 * (MG_RUN_TESTS, the interval a decision reads, at confidence 0.95 as a suite
 * would say it).
 * Data set k of size n is the same for every method and mode. */
static int coverage_run(sim *S, mg_run_mode mode, int kind, size_t n,
                        const char *const *metrics, size_t nm, coverage *cov,
                        const char *what)
{
    truths t = binormal_truths(BN_PI, BN_MU);
    char why[1024] = "", body[2048];
    size_t refused = 0, len;
    mg_suite *suite;
    len = (size_t)snprintf(body, sizeof body,
                           "models:\n  candidate: {score: score}\ntests:\n");
    for (size_t j = 0; j < nm; j++) {
        const mg_metric_info *mi = NULL;
        for (int id = 0; (mi = mg_metric_get((mg_metric)id)) != NULL; id++)
            if (strcmp(mi->name, metrics[j]) == 0)
                break;
        if (mode == MG_RUN_METRICS && j > 0)
            break; /* one test, so that the suite loads; entries cover the rest */
        if (mode == MG_RUN_TESTS && kind == MG_INTERVAL_ANALYTIC &&
            (mi == NULL || mi->analytic == MG_ANALYTIC_NONE))
            continue;
        len += (size_t)snprintf(body + len, sizeof body - len,
                                "  - {name: %s, metric: %s, %s: 0.5, rule: lenient}\n",
                                metrics[j], metrics[j],
                                mi && mi->direction < 0 ? "at_most" : "at_least");
    }
    if ((suite = load_suite(S, method_names[kind], "none", 0.95, body)) == NULL)
        return -1;
    for (size_t k = 0; k < S->K; k++) {
        rng g = stream(S->seed, 4, (unsigned)n, (unsigned)k);
        mg_report *r;
        write_binormal(S->holdout, &g, n, BN_PI, BN_MU);
        r = run(S, suite, mode, k, why, sizeof why);

        if (r == NULL)
            refused++;
        for (size_t j = 0; j < nm; j++) {
            double truth = truth_of(&t, metrics[j]);
            int bounded = strcmp(metrics[j], "log_loss") != 0;
            const mg_case *x;
            if (mode == MG_RUN_METRICS) {
                count_coverage(&cov[j], r ? find_entry(r, metrics[j]) : NULL, truth,
                               bounded);
                continue;
            }
            if ((x = r ? find_case(r, metrics[j], NULL) : NULL) == NULL) {
                if (r == NULL || kind != MG_INTERVAL_ANALYTIC) /* else: not asked */
                    count_interval(&cov[j], 0, 0, 0, r ? "no case" : why, truth,
                                   bounded);
                continue;
            }
            count_interval(&cov[j], x->has_ci, x->ci_low, x->ci_high,
                           x->reason ? x->reason : "no interval", truth, bounded);
            cov[j].level = x->confidence;
            if (x->has_ci && !expected_method(kind, x->method))
                cov[j].other++;
        }
        mg_report_free(r);
        progress(what, k, S->K);
    }
    mg_suite_free(suite);
    if (refused)
        printf("\n(%s, n = %zu: %zu runs refused: %s)\n", method_names[kind], n,
               refused, why);
    return 0;
}

static const char *fmt_cov(char *buf, size_t len, const coverage *c)
{
    double p;
    if (c->total == 0)
        return "—";
    p = (double)c->covered / (double)c->total;
    if (c->level > 0 && c->level != 0.95) {
        /* another level: flag a one-sided miss rate 0.015 above its nominal */
        double tail = (1 - c->level) / 2 + 0.015;
        int bad =
            (double)c->below / c->total > tail || (double)c->above / c->total > tail;
        snprintf(buf, len, "%s%.3f%s", bad ? "**" : "", p, bad ? "**" : "");
        return buf;
    }
    snprintf(buf, len, "%s%.3f%s", p < 0.93 ? "**" : "", p, p < 0.93 ? "**" : "");
    return buf;
}

/* Coverage of one metric's interval from a threshold test's case (MG_RUN_TESTS),
 * at the two-sided level 0.95, over K data sets of size n of the binormal model.
 * A run the library refuses is counted as no interval, with its reason. */
static void coverage_test(sim *S, const char *stratify, size_t n, const char *metric,
                          coverage *cov, const char *what)
{
    truths t = binormal_truths(BN_PI, BN_MU);
    const mg_metric_info *mi = NULL;
    char body[512], why[1024] = "";
    double conf = 0.95;
    mg_suite *suite;
    for (int id = 0; (mi = mg_metric_get((mg_metric)id)) != NULL; id++)
        if (strcmp(mi->name, metric) == 0)
            break;
    snprintf(body, sizeof body,
             "models:\n  candidate: {score: score}\n"
             "tests:\n  - {name: t, metric: %s, %s: 0.5, rule: lenient}\n",
             metric, mi && mi->direction < 0 ? "at_most" : "at_least");
    if ((suite = load_suite(S, "bca", stratify, conf, body)) == NULL) {
        for (size_t k = 0; k < S->K; k++)
            count_interval(cov, 0, 0, 0, S->refusal, 0, 0);
        return;
    }
    for (size_t k = 0; k < S->K; k++) {
        rng g = stream(S->seed, 4, (unsigned)n, (unsigned)k);
        mg_report *r;
        const mg_case *x;
        write_binormal(S->holdout, &g, n, BN_PI, BN_MU);
        r = run(S, suite, MG_RUN_TESTS, k, why, sizeof why);
        x = r ? find_case(r, "t", NULL) : NULL;
        if (k == 0 && two_sided_95(x, conf) != conf) {
            /* this library reports one-sided bounds: ask for the 95 % interval */
            conf = two_sided_95(x, conf);
            mg_report_free(r);
            mg_suite_free(suite);
            if ((suite = load_suite(S, "bca", stratify, conf, body)) == NULL)
                return;
            r = run(S, suite, MG_RUN_TESTS, k, why, sizeof why);
            x = r ? find_case(r, "t", NULL) : NULL;
        }
        if (x == NULL)
            count_interval(cov, 0, 0, 0, r ? "no case" : why, 0, 0);
        else
            count_interval(cov, x->has_ci, x->ci_low, x->ci_high,
                           x->reason ? x->reason : "no interval", truth_of(&t, metric),
                           strcmp(metric, "log_loss") != 0);
        mg_report_free(r);
        progress(what, k, S->K);
    }
    mg_suite_free(suite);
}

static void section_c(sim *S)
{
    static const char *const metrics[] = {
        "prevalence", "precision", "average_precision", "accuracy", "brier", "log_loss",
        "recall",     "auc"};
    enum { NM = sizeof metrics / sizeof *metrics };
    coverage cov[2][NM];
    const size_t n = 1000;
    truths t = binormal_truths(BN_PI, BN_MU);
    char buf[64];
    memset(cov, 0, sizeof cov);
    for (size_t j = 0; j < NM; j++)
        for (int st = 0; st < 2; st++) {
            char what[128];
            snprintf(what, sizeof what, "c %s stratify: %s", metrics[j],
                     st ? "none" : "label");
            coverage_test(S, st ? "none" : "label", n, metrics[j], &cov[st][j], what);
        }
    printf("\n### c. `stratify: label` coverage (n = %zu, BCa, two-sided 95 %%)\n\n"
           "Calibrated binormal model, π = %.1f, μ = %.1f; K = %zu data sets, B = %zu "
           "replicates; one suite per metric and stratification, its interval read "
           "from a threshold test's case at the two-sided level 0.95. Coverage ± MC "
           "error √(0.95·0.05/K) = %.3f; target ≥ 0.94. Bold: below 0.93.\n\n",
           n, BN_PI, BN_MU, S->K, S->B, se(0.95, S->K));
    printf("| metric | truth | stratify: label | stratify: none | label: miss low / "
           "high | label: no interval |\n|---|---|---|---|---|---|\n");
    for (size_t j = 0; j < NM; j++) {
        char b2[64];
        const coverage *c = &cov[0][j];
        printf("| %s | %.6f | %s | %s | %.3f / %.3f | %zu%s%s%s |\n", metrics[j],
               truth_of(&t, metrics[j]), fmt_cov(buf, sizeof buf, c),
               fmt_cov(b2, sizeof b2, &cov[1][j]),
               c->total ? (double)c->below / c->total : 0,
               c->total ? (double)c->above / c->total : 0, c->none,
               c->none ? " (\"" : "", c->none ? c->reason : "", c->none ? "\")" : "");
    }
    fflush(stdout);
}

static void coverage_table(sim *S, mg_run_mode mode)
{
    static const char *const metrics[] = {"auc",    "average_precision", "precision",
                                          "recall", "accuracy",          "brier"};
    enum { NM = sizeof metrics / sizeof *metrics };
    static const size_t sizes[] = {50, 100, 200, 1000};
    enum { NN = sizeof sizes / sizeof *sizes };
    coverage cov[4][NN][NM];
    truths t = binormal_truths(BN_PI, BN_MU);
    char buf[64];
    memset(cov, 0, sizeof cov);
    const char *sec = mode == MG_RUN_METRICS ? "d" : "f";
    for (size_t i = 0; i < NN; i++)
        for (int m = 0; m < 4; m++) {
            char what[128];
            snprintf(what, sizeof what, "%s %s n = %zu", sec, method_names[m],
                     sizes[i]);
            coverage_run(S, mode, m, sizes[i], metrics, NM, cov[m][i], what);
        }
    if (mode == MG_RUN_METRICS)
        printf("\n### d. Small-sample coverage of the two-sided 95 %% interval "
               "(`modelgate metrics` entries)\n\n");
    else
        printf("\n### f. Small-sample coverage of the interval a test case reads\n\n"
               "The same data sets as d, through one lenient threshold test per "
               "metric (MG_RUN_TESTS) at `confidence: 0.95`, so the case's own rules "
               "apply (where the library has them: an exact Clopper–Pearson interval "
               "for a proportion with few successes or failures, none for a "
               "statistic resting on too few of a class). The interval is the one "
               "the case shows, at the two-sided level it states (%.3g): its ends "
               "are the bounds decisions read, so each miss rate is the error rate "
               "of a one-sided decision at the boundary. Bold: a miss rate more than "
               "0.015 above (1 − level)/2 (or, at level 0.95, coverage below "
               "0.93).\n\n",
               cov[0][0][0].level);
    printf("Calibrated binormal model, π = %.1f, μ = %.1f (truths: auc %.6f, "
           "average_precision %.6f, precision %.6f, recall %.6f, accuracy %.6f, "
           "brier %.6f); `stratify: none`; K = %zu data sets per n (the same data "
           "for every method), B = %zu replicates. Each cell: coverage, then the "
           "share missing low / high (each near (1 − level)/2). MC error of a "
           "coverage near 0.95: %.3f.%s\n\n",
           BN_PI, BN_MU, t.auc, t.average_precision, t.precision, t.recall, t.accuracy,
           t.brier, S->K, S->B, se(0.95, S->K),
           mode == MG_RUN_METRICS ? " Bold: below 0.93." : "");
    printf("| method | metric | n = 50 | n = 100 | n = 200 | n = 1000 |\n"
           "|---|---|---|---|---|---|\n");
    for (int m = 0; m < 4; m++)
        for (size_t j = 0; j < NM; j++) {
            if (m == MG_INTERVAL_ANALYTIC && cov[m][0][j].total == 0 &&
                cov[m][NN - 1][j].total == 0)
                continue; /* no closed form for the metric */
            printf("| %s | %s", method_names[m], metrics[j]);
            for (size_t i = 0; i < NN; i++) {
                const coverage *c = &cov[m][i][j];
                if (c->total == 0) {
                    printf(" | — (none of %zu has an interval)", c->none);
                    continue;
                }
                printf(" | %s (%.3f / %.3f)", fmt_cov(buf, sizeof buf, c),
                       (double)c->below / c->total, (double)c->above / c->total);
            }
            printf(" |\n");
        }
    printf("\nData sets without an interval, and intervals leaving [0, 1] or of zero "
           "width (counts of %zu):\n\n",
           S->K);
    printf("| method | metric | n | no interval | outside [0, 1] | zero width | "
           "exact instead | first reason for no interval |\n"
           "|---|---|---|---|---|---|---|---|\n");
    for (int m = 0; m < 4; m++)
        for (size_t j = 0; j < NM; j++)
            for (size_t i = 0; i < NN; i++) {
                const coverage *c = &cov[m][i][j];
                if ((m == MG_INTERVAL_ANALYTIC && c->total == 0) ||
                    (c->none == 0 && c->outside == 0 && c->zero == 0 && c->other == 0))
                    continue;
                printf("| %s | %s | %zu | %zu | %zu | %zu | %zu | %s |\n",
                       method_names[m], metrics[j], sizes[i], c->none, c->outside,
                       c->zero, c->other, c->none ? c->reason : "");
            }
    fflush(stdout);
}

/* ---- Section e: paired differences at an exact null ------------------------------ */

/* Two exchangeable calibrated binormal models (π = 0.3, μ = 1.6) whose latent
 * values share a common part (correlation ρ): every metric's true Δ is 0. */
static void write_exchangeable(const char *path, rng *g, size_t n, double rho)
{
    FILE *f = open_or_die(path);
    double lo = log(BN_PI / (1 - BN_PI));
    fputs("label,m,b\n", f);
    for (size_t i = 0; i < n; i++) {
        int y = unif(g) < BN_PI;
        double shift = y ? BN_MU / 2 : -BN_MU / 2, z = normal(g);
        double xm = shift + sqrt(rho) * z + sqrt(1 - rho) * normal(g);
        double xb = shift + sqrt(rho) * z + sqrt(1 - rho) * normal(g);
        fprintf(f, "%d,%.17g,%.17g\n", y, logistic(BN_MU * xm + lo),
                logistic(BN_MU * xb + lo));
    }
    close_or_die(f, path);
}

typedef struct null_count {
    size_t total, covered, below, above, none;
    size_t p_total, p_reject, disagree;
    double level;     /* the two-sided level the report states for the Δ interval */
    char reason[200]; /* the first reason a case had no Δ interval */
} null_count;

static void section_e(sim *S)
{
    static const char *const metrics[] = {"average_precision", "brier", "auc"};
    enum { NM = sizeof metrics / sizeof *metrics };
    static const size_t sizes[] = {50, 100, 200};
    enum { NN = sizeof sizes / sizeof *sizes };
    static const char *const methods[] = {"bca", "percentile"};
    null_count cnt[2][NN][NM];
    char why[1024] = "";
    memset(cnt, 0, sizeof cnt);
    static const char *const body =
        "models:\n  candidate: {score: m}\n  champion: {score: b}\n"
        "tests:\n"
        "  - {name: average_precision, metric: average_precision, baseline: "
        "champion, non_inferior: 0.01}\n"
        "  - {name: brier, metric: brier, baseline: champion, non_inferior: 0.01}\n"
        "  - {name: auc, metric: auc, baseline: champion, non_inferior: 0.01}\n";
    for (int m = 0; m < 2; m++) {
        double conf = 0.95;
        mg_suite *suite = load_suite(S, methods[m], "none", conf, body);
        if (suite == NULL)
            continue;
        for (size_t i = 0; i < NN; i++) {
            char what[128];
            snprintf(what, sizeof what, "e %s n = %zu", methods[m], sizes[i]);
            for (size_t k = 0; k < S->K; k++) {
                rng g = stream(S->seed, 5, (unsigned)sizes[i], (unsigned)k);
                mg_report *r;
                write_exchangeable(S->holdout, &g, sizes[i], 0.64);
                r = run(S, suite, MG_RUN_TESTS, k, why, sizeof why);
                if (i == 0 && k == 0 && r != NULL &&
                    two_sided_95(find_case(r, metrics[0], NULL), conf) != conf) {
                    /* one-sided bounds at c: ask for the two-sided 95 % interval */
                    conf = two_sided_95(find_case(r, metrics[0], NULL), conf);
                    mg_report_free(r);
                    mg_suite_free(suite);
                    if ((suite = load_suite(S, methods[m], "none", conf, body)) == NULL)
                        die("the suite at confidence %g was refused", conf);
                    r = run(S, suite, MG_RUN_TESTS, k, why, sizeof why);
                }
                for (size_t j = 0; j < NM; j++) {
                    null_count *c = &cnt[m][i][j];
                    const mg_case *x = r ? find_case(r, metrics[j], NULL) : NULL;
                    int excludes;
                    if (x == NULL || !x->has_delta || x->status != MG_STATUS_DECIDED ||
                        !(x->delta_ci_low <= x->delta_ci_high)) {
                        if (c->none++ == 0)
                            snprintf(c->reason, sizeof c->reason, "%.190s",
                                     x == NULL   ? why
                                     : x->reason ? x->reason
                                                 : "no interval");
                        continue;
                    }
                    c->total++;
                    c->level = x->confidence;
                    if (x->delta_ci_high < 0)
                        c->below++;
                    else if (x->delta_ci_low > 0)
                        c->above++;
                    else
                        c->covered++;
                    excludes = x->delta_ci_high < 0 || x->delta_ci_low > 0;
                    if (x->has_p_value) {
                        int reject = x->p_value <= 1 - x->confidence;
                        c->p_total++;
                        c->p_reject += reject;
                        c->disagree += reject != excludes;
                    }
                }
                mg_report_free(r);
                progress(what, k, S->K);
            }
        }
        mg_suite_free(suite);
    }
    printf("\n### e. Paired differences at an exact null (Δ = 0)\n\n"
           "Two exchangeable calibrated binormal models (π = %.1f, μ = %.1f, latent "
           "correlation 0.64), so every metric's true Δ is 0; one comparison test "
           "per metric; K = %zu data sets per n, B = %zu replicates. Coverage of 0 "
           "by the Δ interval the case reports, at the two-sided level it states "
           "(`confidence` of the case: the suite asks 0.95, or 0.975 where a case's "
           "interval is the (2c − 1) one whose ends are the one-sided bounds); "
           "misses low / high should each be near (1 − level)/2. p ≤ α: the share of "
           "data sets whose p-value (bootstrap "
           "inverting the interval's own method, for every metric) is at most "
           "1 − level; disagree: the share where that and \"0 outside the "
           "interval\" differ. Bold: coverage more than 0.02 below the level.\n\n",
           BN_PI, BN_MU, S->K, S->B);
    printf("| metric | method | n | level | coverage of 0 | miss low / high | "
           "p ≤ α | disagree | no interval |\n|---|---|---|---|---|---|---|---|---|\n");
    for (size_t j = 0; j < NM; j++)
        for (int m = 0; m < 2; m++)
            for (size_t i = 0; i < NN; i++) {
                const null_count *c = &cnt[m][i][j];
                double cov = c->total ? (double)c->covered / c->total : 0;
                int bold = c->total && cov < c->level - 0.02;
                if (c->total == 0) {
                    printf("| %s | %s | %zu | — | — | — | — | — | %zu (\"%s\") |\n",
                           metrics[j], methods[m], sizes[i], c->none, c->reason);
                    continue;
                }
                printf("| %s | %s | %zu | %.3g | %s%.3f%s | %.3f / %.3f | ", metrics[j],
                       methods[m], sizes[i], c->level, bold ? "**" : "", cov,
                       bold ? "**" : "", (double)c->below / c->total,
                       (double)c->above / c->total);
                if (c->p_total)
                    printf("%.3f | %.3f | %zu", (double)c->p_reject / c->p_total,
                           (double)c->disagree / c->p_total, c->none);
                else
                    printf("— | — | %zu", c->none);
                printf(c->none ? " (\"%s\") |\n" : " |\n", c->reason);
            }
    fflush(stdout);
}

/* ---- Section g: strict decisions at the truth --------------------------------- */

/*
 * The guarantee itself: a strict test whose threshold is the true value passes
 * with probability at most 1 − c. Every decision rule of the runner applies
 * (exact bounds for few successes, no interval below 10 of a class, the small-sample
 * widening). One statistic: the data sets of sections d and f (the same streams),
 * one strict threshold test per metric at its truth. A difference: the data sets of
 * section e (true Δ = 0), one strict `superior: 0` test per metric.
 */
static void section_g(sim *S)
{
    static const char *const metrics[] = {"auc",    "average_precision", "precision",
                                          "recall", "accuracy",          "brier"};
    enum { NM = sizeof metrics / sizeof *metrics };
    static const char *const paired_metrics[] = {"average_precision", "brier", "auc"};
    enum { NP = sizeof paired_metrics / sizeof *paired_metrics };
    static const size_t sizes[] = {50, 100, 200, 1000};
    enum { NN = sizeof sizes / sizeof *sizes };
    truths t = binormal_truths(BN_PI, BN_MU);
    rate one[4][NN][NM], two[3][NN - 1][NP];
    char why[1024] = "", body[4096], buf[64];
    size_t len;
    memset(one, 0, sizeof one);
    memset(two, 0, sizeof two);

    for (int m = 0; m < 4; m++) {
        mg_suite *suite;
        len = (size_t)snprintf(body, sizeof body,
                               "models:\n  candidate: {score: score}\ntests:\n");
        for (size_t j = 0; j < NM; j++) {
            int lower = strcmp(metrics[j], "brier") == 0;
            if (m == MG_INTERVAL_ANALYTIC && (j == 1 || lower))
                continue; /* no closed form */
            len += (size_t)snprintf(
                body + len, sizeof body - len,
                "  - {name: %s, metric: %s, %s: %.17g}\n", metrics[j], metrics[j],
                lower ? "at_most" : "at_least", truth_of(&t, metrics[j]));
        }
        if ((suite = load_suite(S, method_names[m], "none", 0.95, body)) == NULL)
            die("section g: the suite was refused");
        for (size_t i = 0; i < NN; i++) {
            char what[128];
            snprintf(what, sizeof what, "g %s n = %zu", method_names[m], sizes[i]);
            for (size_t k = 0; k < S->K; k++) {
                rng g = stream(S->seed, 4, (unsigned)sizes[i], (unsigned)k);
                mg_report *r;
                write_binormal(S->holdout, &g, sizes[i], BN_PI, BN_MU);
                if ((r = run(S, suite, MG_RUN_TESTS, k, why, sizeof why)) == NULL)
                    die("section g: %s", why);
                for (size_t j = 0; j < NM; j++) {
                    const mg_case *x = NULL;
                    for (size_t c = 0; c < r->ncases; c++)
                        if (strcmp(r->cases[c].test, metrics[j]) == 0)
                            x = &r->cases[c];
                    if (x == NULL)
                        continue;
                    one[m][i][j].total++;
                    one[m][i][j].hit += x->outcome == MG_OUTCOME_PASS;
                }
                mg_report_free(r);
                progress(what, k, S->K);
            }
        }
        mg_suite_free(suite);
    }
    for (int m = 0; m < 3; m++) {
        mg_suite *suite;
        len = (size_t)snprintf(body, sizeof body,
                               "models:\n  candidate: {score: m}\n"
                               "  champion: {score: b}\ntests:\n");
        for (size_t j = 0; j < NP; j++)
            len += (size_t)snprintf(body + len, sizeof body - len,
                                    "  - {name: %s, metric: %s, baseline: champion, "
                                    "superior: 0}\n",
                                    paired_metrics[j], paired_metrics[j]);
        if ((suite = load_suite(S, method_names[m], "none", 0.95, body)) == NULL)
            die("section g: the paired suite was refused");
        for (size_t i = 0; i + 1 < NN; i++) {
            char what[128];
            snprintf(what, sizeof what, "g paired %s n = %zu", method_names[m],
                     sizes[i]);
            for (size_t k = 0; k < S->K; k++) {
                rng g = stream(S->seed, 5, (unsigned)sizes[i], (unsigned)k);
                mg_report *r;
                write_exchangeable(S->holdout, &g, sizes[i], 0.64);
                if ((r = run(S, suite, MG_RUN_TESTS, k, why, sizeof why)) == NULL)
                    die("section g: %s", why);
                for (size_t j = 0; j < NP; j++) {
                    const mg_case *x = find_case(r, paired_metrics[j], NULL);
                    if (x == NULL)
                        continue;
                    two[m][i][j].total++;
                    two[m][i][j].hit += x->outcome == MG_OUTCOME_PASS;
                }
                mg_report_free(r);
                progress(what, k, S->K);
            }
        }
        mg_suite_free(suite);
    }
    printf("\n### g. Strict false-pass rate of the decision at the truth\n\n"
           "Every rule of the runner applies. One statistic: the data sets of d and "
           "f, one strict threshold test per metric at its true value (`at_least`, "
           "`at_most` for Brier), so a pass is a false pass. A difference: the data "
           "sets of e (true Δ = 0), one strict `superior: 0` test per metric. "
           "`confidence: 0.95`, so the target is at most 0.05; K = %zu, B = %zu; "
           "Monte Carlo error at 0.05: %.3f. Bold: above 0.05 by more than three "
           "Monte Carlo errors.\n\n",
           S->K, S->B, se(0.05, S->K));
    printf("| test | method | metric | n = 50 | n = 100 | n = 200 | n = 1000 |\n"
           "|---|---|---|---|---|---|---|\n");
    for (int m = 0; m < 4; m++)
        for (size_t j = 0; j < NM; j++) {
            if (one[m][0][j].total == 0)
                continue;
            printf("| threshold | %s | %s", method_names[m], metrics[j]);
            for (size_t i = 0; i < NN; i++) {
                rate r = one[m][i][j];
                double p = r.total ? (double)r.hit / r.total : 0;
                int bold = p > 0.05 + 3 * se(0.05, r.total);
                printf(" | %s%s%s", bold ? "**" : "", fmt_rate(buf, sizeof buf, r),
                       bold ? "**" : "");
            }
            printf(" |\n");
        }
    for (int m = 0; m < 3; m++)
        for (size_t j = 0; j < NP; j++) {
            printf("| superior: 0 | %s | %s", method_names[m], paired_metrics[j]);
            for (size_t i = 0; i + 1 < NN; i++) {
                rate r = two[m][i][j];
                double p = r.total ? (double)r.hit / r.total : 0;
                int bold = p > 0.05 + 3 * se(0.05, r.total);
                printf(" | %s%s%s", bold ? "**" : "", fmt_rate(buf, sizeof buf, r),
                       bold ? "**" : "");
            }
            printf(" | — |\n");
        }
    fflush(stdout);
}

/* ---- Main ---------------------------------------------------------------------------
 */

static void print_truths(void)
{
    truths t = binormal_truths(BN_PI, BN_MU);
    printf("pi %.17g\nmu %.17g\nauc %.17g\nrecall %.17g\nprecision %.17g\n"
           "accuracy %.17g\naverage_precision %.17g\nbrier %.17g\nlog_loss %.17g\n"
           "binormal_d_auc_0.80 %.17g\n",
           BN_PI, BN_MU, t.auc, t.recall, t.precision, t.accuracy, t.average_precision,
           t.brier, t.log_loss, sqrt(2.0) * Phi_inv(0.80));
}

static void usage(void)
{
    fputs("usage: simulate [--quick] [--sections abcdefg] [--k K] [--b B] [--seed S]\n"
          "                [--scratch DIR] [--truths]\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    sim S;
    const char *sections = "abcdefg", *scratch = NULL;
    char tmpl[4096];
    size_t K = 0, B = 0;
    memset(&S, 0, sizeof S);
    S.seed = 20261201;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quick") == 0)
            S.quick = 1;
        else if (strcmp(a, "--truths") == 0) {
            print_truths();
            return 0;
        } else if (i + 1 < argc && strcmp(a, "--sections") == 0)
            sections = argv[++i];
        else if (i + 1 < argc && strcmp(a, "--k") == 0)
            K = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(a, "--b") == 0)
            B = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(a, "--seed") == 0)
            S.seed = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(a, "--scratch") == 0)
            scratch = argv[++i];
        else
            usage();
    }
    S.K = K ? K : S.quick ? 40 : 1000;
    S.B = B ? B : S.quick ? 500 : 1000;
    snprintf(tmpl, sizeof tmpl, "%s/modelgate-sim-XXXXXX",
             scratch ? scratch : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp"));
    if (mkdtemp(tmpl) == NULL)
        die("cannot make a scratch directory from %s", tmpl);
    snprintf(S.dir, sizeof S.dir, "%s", tmpl);
    snprintf(S.holdout, sizeof S.holdout, "%s/holdout.csv", S.dir);
    snprintf(S.suite, sizeof S.suite, "%s/suite.yaml", S.dir);

    printf("## modelgate simulation: %s, K = %zu, B = %zu, seed %llu%s\n",
           MG_VERSION_STRING, S.K, S.B, (unsigned long long)S.seed,
           S.quick ? " (quick)" : "");
    if (strchr(sections, 'a'))
        section_a(&S);
    if (strchr(sections, 'b'))
        section_b(&S);
    if (strchr(sections, 'c'))
        section_c(&S);
    if (strchr(sections, 'd'))
        coverage_table(&S, MG_RUN_METRICS);
    if (strchr(sections, 'e'))
        section_e(&S);
    if (strchr(sections, 'f'))
        coverage_table(&S, MG_RUN_TESTS);
    if (strchr(sections, 'g'))
        section_g(&S);
    printf("\n(%.0f s in mg_run_suite)\n", S.seconds);
    remove(S.holdout);
    remove(S.suite);
    rmdir(S.dir);
    return 0;
}
