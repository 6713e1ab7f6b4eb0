/*
 * End-to-end tests of a run: a suite file in, an mg_report out, through
 * mg_suite_load and mg_run_suite only, as the CLI and an embedding program use them.
 *
 * reference: pROC on its aSAH data (DeLong AUC intervals at 95 % and 90 %, the
 *   paired DeLong test and its Δ, and prop.test's Wilson interval for the
 *   prevalence), to 1e-6 as issue 3 asks (they agree to ~1e-15); bootstrap
 *   intervals for accuracy, AUC and the Brier score on tests/reference/
 *   boot_sample.csv against SciPy and R's boot.ci with 20000 replicates, within a
 *   tolerance built on each endpoint's measured Monte Carlo sd (see check_mc); and
 *   modelgate's own Monte Carlo spread across seeds against the measured one.
 * coverage: binormal data with known AUC and accuracy, K simulated holdout sets of
 *   500 rows, 95 % BCa intervals from 1000 replicates each; the share that covers
 *   the truth must be within [0.93, 0.97] (K = 1000). MG_COVERAGE_SIMS=K lowers K for
 *   slow builds (sanitizers) and widens the band to three binomial sds.
 * core: a model compared with an identical copy of itself differs by exactly 0 and
 *   passes non_inferior: 0; every percentile and BCa interval of the churn example
 *   contains its estimate; basic intervals are percentile ones reflected about the
 *   estimate; each decision rule (strict, lenient, estimate) gives its documented
 *   outcome and words ("inconclusive", "clear failure") for thresholds and for
 *   relative non-inferiority, superiority and equivalence margins that straddle or
 *   miss an interval.
 *
 * Regenerate the reference headers with tests/reference/make_run_reference.sh.
 */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "modelgate/modelgate.h"
#include "reference/churn_sklearn.h"
#include "reference/slicings_sklearn.h"
#include "reference/run_reference_r.h"
#include "reference/run_reference_scipy.h"
#include "reference/stats_reference_r.h"
#include "testutil.h"

/* ---- helpers --------------------------------------------------------------------- */

/* Write a suite file from a format; returns its path in `path` (size 4096). */
static void write_suite(char *path, const char *dir, const char *name, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));
static void write_suite(char *path, const char *dir, const char *name, const char *fmt,
                        ...)
{
    va_list ap;
    char *text;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    text = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(text);
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    snprintf(path, 4096, "%s", tu_write(dir, name, text));
    free(text);
}

/* Load and run a suite file; both must succeed. seed 0 keeps the suite's seed. */
static mg_report *run_path(const char *path, mg_run_mode mode, size_t replicates,
                           uint64_t seed)
{
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    mg_run_options o = MG_RUN_OPTIONS_INIT;

    o.mode = mode;
    o.replicates = replicates;
    o.has_seed = seed != 0;
    o.seed = seed;
    ck_assert_msg(mg_suite_load(&suite, path, &err) == 0, "%s: %s", path, err.message);
    ck_assert_msg(mg_run_suite(&r, suite, &o, &err) == 0, "%s: %s", path, err.message);
    mg_suite_free(suite);
    return r;
}

static int same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static const mg_metric_entry *find_metric(const mg_report *r, const char *model,
                                          const char *slicing, const char *slice,
                                          const char *metric)
{
    for (size_t i = 0; i < r->nmetrics; i++) {
        const mg_metric_entry *m = &r->metrics[i];
        if (strcmp(m->model, model) == 0 && same_str(m->slicing, slicing) &&
            strcmp(m->slice, slice) == 0 && strcmp(m->metric, metric) == 0)
            return m;
    }
    ck_abort_msg("no metric entry %s %s %s", model, slice, metric);
    return NULL;
}

/* The entry must be there with an estimate and an interval. */
static const mg_metric_entry *find_ci(const mg_report *r, const char *model,
                                      const char *metric)
{
    const mg_metric_entry *m = find_metric(r, model, NULL, "overall", metric);
    ck_assert_msg(m->has_estimate && m->has_ci, "%s %s: no estimate or interval (%s)",
                  model, metric, m->reason ? m->reason : "no reason");
    return m;
}

static const mg_case *find_case(const mg_report *r, const char *test, const char *slice)
{
    for (size_t i = 0; i < r->ncases; i++)
        if (strcmp(r->cases[i].test, test) == 0 &&
            strcmp(r->cases[i].slice, slice) == 0)
            return &r->cases[i];
    ck_abort_msg("no case %s [%s]", test, slice);
    return NULL;
}

#define ck_close(a, b, rel)                                                            \
    ck_assert_msg(tu_close((a), (b), (rel)), "%s = %.17g, expected %.17g (rel %g)",    \
                  #a, (double)(a), (double)(b), (double)(rel))

static const char *outcome_name(mg_outcome o)
{
    static const char *names[] = {"pass", "fail", "skip", "error"};
    return names[o];
}

/* Binary metrics in the registry: the ones `metrics` lists for a binary suite. */
static size_t binary_metrics(void)
{
    size_t n = 0;
    for (int m = 0; m < MG_METRIC_COUNT; m++)
        n += mg_metric_get((mg_metric)m)->task == MG_TASK_BINARY;
    return n;
}

/* Metric entries of the churn example: 2 models × (1 + 5 regions + 3 plans + 14
 * region × plan) slices × every binary metric of the registry. */
#define CHURN_ENTRIES (2 * 23 * binary_metrics())

/* The churn example's data, models and slicings, with the caller's bootstrap line
 * and tests. */
static void churn_suite(char *path, const char *dir, const char *name,
                        const char *bootstrap, const char *tests)
{
    char holdout[4096], cand[4096], champ[4096];
    snprintf(holdout, sizeof holdout, "%s", tu_src("examples/churn/data/holdout.csv"));
    snprintf(cand, sizeof cand, "%s", tu_src("examples/churn/preds/candidate.csv"));
    snprintf(champ, sizeof champ, "%s", tu_src("examples/churn/preds/champion.csv"));
    write_suite(path, dir, name,
                "suite: %s\n"
                "task: binary\n"
                "data:\n"
                "  holdout: \"%s\"\n"
                "  id: customer_id\n"
                "  label: churned\n"
                "  positive: \"1\"\n"
                "models:\n"
                "  candidate: {file: \"%s\", score: p_churn}\n"
                "  champion: {file: \"%s\", score: p_churn}\n"
                "threshold: 0.5\n"
                "bootstrap: %s\n"
                "slices:\n"
                "  region: region\n"
                "  plan: plan\n"
                "  region_x_plan: [region, plan]\n"
                "tests:\n%s",
                name, holdout, cand, champ, bootstrap, tests);
}

/* ---- reference: pROC on aSAH ---------------------------------------------------- */

static void asah_suite(char *path, const char *dir, const char *name, double confidence)
{
    char holdout[4096];
    snprintf(holdout, sizeof holdout, "%s", tu_src("tests/reference/asah.csv"));
    write_suite(path, dir, name,
                "suite: asah\n"
                "task: binary\n"
                "data: {holdout: \"%s\", label: outcome, positive: \"1\"}\n"
                "models:\n"
                "  s100b: {score: s100b}\n"
                "  wfns: {score: wfns}\n"
                "  ndka: {score: ndka}\n"
                "bootstrap: {interval: analytic, confidence: %.17g}\n"
                "tests:\n"
                "  - {name: s100b vs wfns, metric: auc, model: s100b, baseline: wfns,"
                " non_inferior: 0.5}\n"
                "  - {name: s100b vs ndka, metric: auc, model: s100b, baseline: ndka,"
                " non_inferior: 0.5}\n",
                holdout, confidence);
}

START_TEST(reference_asah_delong)
{
    static const struct {
        const char *model;
        double auc, lo95, hi95, lo90, hi90; /* the logit-scale DeLong interval */
    } ref[] = {
        {"s100b", ASAH_S100B_AUC, ASAH_S100B_LOGIT95_LOW, ASAH_S100B_LOGIT95_HIGH,
         ASAH_S100B_LOGIT90_LOW, ASAH_S100B_LOGIT90_HIGH},
        {"wfns", ASAH_WFNS_AUC, ASAH_WFNS_LOGIT95_LOW, ASAH_WFNS_LOGIT95_HIGH,
         ASAH_WFNS_LOGIT90_LOW, ASAH_WFNS_LOGIT90_HIGH},
        {"ndka", ASAH_NDKA_AUC, ASAH_NDKA_LOGIT95_LOW, ASAH_NDKA_LOGIT95_HIGH,
         ASAH_NDKA_LOGIT90_LOW, ASAH_NDKA_LOGIT90_HIGH},
    };
    const char *dir = tu_scratch_dir("asah");
    char p95[4096], p90[4096];
    mg_report *m95, *m90, *t95;
    const double *wilson = NULL;

    asah_suite(p95, dir, "asah95.yaml", 0.95);
    asah_suite(p90, dir, "asah90.yaml", 0.90);
    m95 = run_path(p95, MG_RUN_METRICS, 0, 0);
    m90 = run_path(p90, MG_RUN_METRICS, 0, 0);
    ck_assert_uint_eq(m95->replicates, 0);
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        const mg_metric_entry *a = find_ci(m95, ref[i].model, "auc");
        const mg_metric_entry *b = find_ci(m90, ref[i].model, "auc");
        ck_assert_uint_eq(a->n, ASAH_N);
        ck_close(a->estimate, ref[i].auc, 1e-6);
        ck_close(a->ci_low, ref[i].lo95, 1e-6);
        ck_close(a->ci_high, ref[i].hi95, 1e-6);
        ck_close(b->estimate, ref[i].auc, 1e-6);
        ck_close(b->ci_low, ref[i].lo90, 1e-6);
        ck_close(b->ci_high, ref[i].hi90, 1e-6);
        /* Metrics without a closed form have no interval under `analytic`, and
         * say so, rather than a made-up one. */
        ck_assert(!find_metric(m95, ref[i].model, NULL, "overall", "mcc")->has_ci);
        ck_assert_ptr_nonnull(
            find_metric(m95, ref[i].model, NULL, "overall", "mcc")->reason);
    }
    /* The prevalence (41 Poor of 113) has a Wilson interval: prop.test's. */
    for (size_t i = 0; i < sizeof r_wilson / sizeof r_wilson[0]; i++)
        if (r_wilson[i][0] == 41 && r_wilson[i][1] == 113 && r_wilson[i][2] == 0.95)
            wilson = r_wilson[i];
    ck_assert_ptr_nonnull(wilson);
    {
        const mg_metric_entry *pv = find_ci(m95, "s100b", "prevalence");
        ck_close(pv->estimate, 41.0 / 113.0, 1e-12);
        ck_close(pv->ci_low, wilson[3], 1e-6);
        ck_close(pv->ci_high, wilson[4], 1e-6);
    }

    /* roc.test(paired = TRUE, method = "delong"): p-value, Δ, and the Δ interval
     * Δ ± z·se with se = Δ / Z from pROC's statistic. */
    t95 = run_path(p95, MG_RUN_TESTS, 0, 0);
    ck_assert_uint_eq(t95->ncases, 2);
    {
        static const struct {
            const char *test;
            double base_auc, z, p;
        } cmp[] = {
            {"s100b vs wfns", ASAH_WFNS_AUC, ASAH_S100B_WFNS_Z, ASAH_S100B_WFNS_P},
            {"s100b vs ndka", ASAH_NDKA_AUC, ASAH_S100B_NDKA_Z, ASAH_S100B_NDKA_P},
        };
        /* the decision reads one-sided 95 % bounds: Δ ± z₀.₉₅·se, the 90 %
         * two-sided interval */
        double z95 = gsl_cdf_ugaussian_Pinv(0.95);
        for (size_t i = 0; i < 2; i++) {
            const mg_case *c = find_case(t95, cmp[i].test, "overall");
            double delta = ASAH_S100B_AUC - cmp[i].base_auc;
            double se = delta / cmp[i].z;
            ck_assert_int_eq(c->outcome, MG_OUTCOME_PASS);
            ck_assert(c->has_estimate && c->has_delta && c->has_p_value);
            ck_assert_str_eq(c->p_method, "delong");
            ck_assert_str_eq(c->interval, "analytic");
            ck_close(c->estimate, ASAH_S100B_AUC, 1e-6);
            ck_close(c->delta, delta, 1e-6);
            ck_close(c->p_value, cmp[i].p, 1e-6);
            ck_close(c->delta_ci_low, delta - z95 * se, 1e-6);
            ck_close(c->delta_ci_high, delta + z95 * se, 1e-6);
            ck_assert_double_eq_tol(c->confidence, 0.90, 1e-15);
            ck_assert_double_eq(c->bound_level, 0.95);
            ck_assert_ptr_nonnull(strstr(c->message, "DeLong"));
            ck_assert_ptr_nonnull(c->detail);
            /* The detail (the JUnit failure text) carries the p-value itself. */
            {
                const char *pv = strstr(c->detail, "p-value: ");
                ck_assert_msg(pv && pv[9] >= '0' && pv[9] <= '9', "%s: %s", c->test,
                              c->detail);
            }
        }
    }
    mg_report_free(m95);
    mg_report_free(m90);
    mg_report_free(t95);
}
END_TEST

/* ---- reference: bootstrap intervals against SciPy and R ---------------------------
 *
 * Monte Carlo tolerance. The reference scripts measured σ, the sd of each interval
 * endpoint over 200 repeats of the whole bootstrap with B = 20000 (for the AUC and
 * the Brier score SciPy's and R's σ agree within their own ±5 % noise). Our run with B
 * = 20000 is an independent draw of the same estimator (reference_boot_spread checks
 * that its spread across seeds is σ too), so ours − reference has sd √2·σ; we allow 4.5
 * of those, a false alarm below 1e-5 per endpoint. Accuracy is a proportion on the
 * lattice k/200: its endpoints move by whole steps, and 200 repeats without a move
 * (σ = 0) only bound the chance of a one-step move below ~1.5 %, so for it the
 * tolerance is at least one step. */

static void check_mc(const char *what, double ours, double ref, double mc_sd,
                     double lattice)
{
    double tol = 4.5 * sqrt(2.0) * mc_sd;
    if (tol < lattice)
        tol = lattice * (1 + 1e-9);
    ck_assert_msg(fabs(ours - ref) <= tol,
                  "%s: ours %.17g, reference %.17g, |diff| %.3g > tolerance %.3g "
                  "(MC sd %.3g)",
                  what, ours, ref, fabs(ours - ref), tol, mc_sd);
}

enum { PERC, BASIC, BCA };
static const char *methods[] = {"percentile", "basic", "bca"};

typedef struct boot_ref {
    const char *metric;
    double estimate, lattice;
    double scipy[3][2], scipy_sd[3][2];
    double r[3][2], r_sd[3][2];
} boot_ref;

/* The three intervals' ends, then their MC sds, of statistic S from reference P. */
#define REF_ENDS(S, P, W)                                                              \
    {                                                                                  \
        {P##_##S##_##W##PERC95_LOW, P##_##S##_##W##PERC95_HIGH},                       \
            {P##_##S##_##W##BASIC95_LOW, P##_##S##_##W##BASIC95_HIGH},                 \
            {P##_##S##_##W##BCA95_LOW, P##_##S##_##W##BCA95_HIGH},                     \
    }
#define REF_ROWS(S, P) REF_ENDS(S, P, ), REF_ENDS(S, P, MC_SD_)

static const boot_ref boot_refs[] = {
    {"accuracy", R_RUN_ACC_ESTIMATE, 1.0 / BOOT_SAMPLE_N, REF_ROWS(ACC, SCIPY_RUN),
     REF_ROWS(ACC, R_RUN)},
    {"auc", R_RUN_AUC_ESTIMATE, 0, REF_ROWS(AUC, SCIPY_RUN), REF_ROWS(AUC, R_RUN)},
    {"brier", R_RUN_BRIER_ESTIMATE, 0, REF_ROWS(BRIER, SCIPY_RUN),
     REF_ROWS(BRIER, R_RUN)},
};

static void boot_sample_suite(char *path, const char *dir, const char *method)
{
    char holdout[4096], name[64];
    snprintf(holdout, sizeof holdout, "%s", tu_src("tests/reference/boot_sample.csv"));
    snprintf(name, sizeof name, "boot_%s.yaml", method);
    write_suite(path, dir, name,
                "suite: boot-sample\n"
                "task: binary\n"
                "data: {holdout: \"%s\", id: id, label: label, positive: \"1\"}\n"
                "models:\n"
                "  candidate: {score: score}\n"
                "threshold: 0.5\n"
                "bootstrap: {replicates: %d, interval: %s, seed: 1}\n"
                "tests:\n"
                "  - {name: auc floor, metric: auc, at_least: 0.5}\n",
                holdout, SCIPY_RUN_BOOT_B, method);
}

START_TEST(reference_boot_intervals)
{
    const char *dir = tu_scratch_dir("boot");
    mg_report *r[3];
    char path[4096], what[128];

    ck_assert_int_eq(SCIPY_RUN_BOOT_B, R_RUN_BOOT_B);
    for (int m = 0; m < 3; m++) {
        boot_sample_suite(path, dir, methods[m]);
        r[m] = run_path(path, MG_RUN_METRICS, 0, 0);
        ck_assert_uint_eq(r[m]->replicates, R_RUN_BOOT_B);
    }
    for (size_t i = 0; i < sizeof boot_refs / sizeof boot_refs[0]; i++) {
        const boot_ref *b = &boot_refs[i];
        for (int m = 0; m < 3; m++) {
            const mg_metric_entry *e = find_ci(r[m], "candidate", b->metric);
            double ends[2] = {e->ci_low, e->ci_high};
            ck_assert_uint_eq(e->n, BOOT_SAMPLE_N);
            ck_assert_uint_eq(e->undefined_replicates, 0);
            ck_close(e->estimate, b->estimate, 1e-12);
            for (int k = 0; k < 2; k++) {
                snprintf(what, sizeof what, "%s %s %s vs SciPy", b->metric, methods[m],
                         k ? "high" : "low");
                check_mc(what, ends[k], b->scipy[m][k], b->scipy_sd[m][k], b->lattice);
                /* boot.ci's BCa takes z0 from #{t* < t0} where we (and SciPy) count
                 * ties with t0 as one half: for the lattice-valued accuracy,
                 * R_RUN_ACC_TIED_SHARE (about 7 %) of replicates tie, R's z0 is
                 * smaller by about 0.09 and its ends sit lower by about a step.
                 * That is a difference of definition, not of Monte Carlo, so for
                 * it we check the direction and the size. */
                snprintf(what, sizeof what, "%s %s %s vs R boot.ci", b->metric,
                         methods[m], k ? "high" : "low");
                if (m == BCA && b->lattice > 0) {
                    double tol = 4.5 * sqrt(2.0) * b->r_sd[m][k];
                    ck_assert_msg(b->r[m][k] <= ends[k] + tol &&
                                      ends[k] - b->r[m][k] <= 2 * b->lattice + tol,
                                  "%s: ours %.17g, boot.ci %.17g", what, ends[k],
                                  b->r[m][k]);
                } else {
                    check_mc(what, ends[k], b->r[m][k], b->r_sd[m][k], b->lattice);
                }
            }
        }
    }
    for (int m = 0; m < 3; m++)
        mg_report_free(r[m]);
}
END_TEST

/* Our own Monte Carlo spread: the endpoints over SEEDS seeds have the sd SciPy's
 * repeats measured, so the tolerance above rests on our spread as well as SciPy's,
 * and different seeds do give different intervals. With 16 draws the sample sd / σ
 * lies in [0.48, 1.63] with probability 0.999 (χ² with 15 df); we allow [0.45, 1.75]
 * for the ±5 % noise in σ itself. */
START_TEST(reference_boot_spread)
{
    enum { SEEDS = 16 };
    const char *dir = tu_scratch_dir("spread");
    const char *metrics[2] = {"auc", "brier"};
    const double sd_ref[2][2][2] = {
        {{SCIPY_RUN_AUC_MC_SD_PERC95_LOW, SCIPY_RUN_AUC_MC_SD_PERC95_HIGH},
         {SCIPY_RUN_AUC_MC_SD_BCA95_LOW, SCIPY_RUN_AUC_MC_SD_BCA95_HIGH}},
        {{SCIPY_RUN_BRIER_MC_SD_PERC95_LOW, SCIPY_RUN_BRIER_MC_SD_PERC95_HIGH},
         {SCIPY_RUN_BRIER_MC_SD_BCA95_LOW, SCIPY_RUN_BRIER_MC_SD_BCA95_HIGH}}};
    const int which[2] = {PERC, BCA};
    double ends[2][2][2][SEEDS]; /* metric, method, end, seed */
    char path[4096];

    for (int m = 0; m < 2; m++) {
        boot_sample_suite(path, dir, methods[which[m]]);
        for (int s = 0; s < SEEDS; s++) {
            mg_report *r = run_path(path, MG_RUN_METRICS, 0, 1000 + (uint64_t)s);
            for (int q = 0; q < 2; q++) {
                const mg_metric_entry *e = find_ci(r, "candidate", metrics[q]);
                ends[q][m][0][s] = e->ci_low;
                ends[q][m][1][s] = e->ci_high;
            }
            mg_report_free(r);
        }
    }
    for (int q = 0; q < 2; q++)
        for (int m = 0; m < 2; m++)
            for (int k = 0; k < 2; k++) {
                double mean = 0, ss = 0, sd, ratio;
                for (int s = 0; s < SEEDS; s++)
                    mean += ends[q][m][k][s] / SEEDS;
                for (int s = 0; s < SEEDS; s++)
                    ss += (ends[q][m][k][s] - mean) * (ends[q][m][k][s] - mean);
                sd = sqrt(ss / (SEEDS - 1));
                ratio = sd / sd_ref[q][m][k];
                ck_assert_msg(ratio >= 0.45 && ratio <= 1.75,
                              "%s %s %s: our MC sd %.3g over %d seeds, SciPy's %.3g",
                              metrics[q], methods[which[m]], k ? "high" : "low", sd,
                              SEEDS, sd_ref[q][m][k]);
            }
}
END_TEST

/* ---- coverage ---------------------------------------------------------------------
 *
 * Binormal scores: negatives N(0, 1), positives N(d, 1), labels Bernoulli(π). The
 * population AUC is P(X₁ > X₀) = Φ(d/√2), and at threshold t the accuracy is
 * π·(1 − Φ(t − d)) + (1 − π)·Φ(t). Each simulated holdout set is written to the same
 * CSV and run through one loaded suite with its own bootstrap seed. */

START_TEST(coverage_bca_binormal)
{
    const size_t n = 500, B = 1000;
    const double d = 1.2, prevalence = 0.3, t = 0.5, nominal = 0.95;
    const double auc_true = gsl_cdf_ugaussian_P(d / sqrt(2.0));
    const double acc_true = prevalence * gsl_cdf_ugaussian_Q(t - d) +
                            (1 - prevalence) * gsl_cdf_ugaussian_P(t);
    const char *env = getenv("MG_COVERAGE_SIMS");
    long K = env && *env ? strtol(env, NULL, 10) : 1000;
    const char *dir = tu_scratch_dir("coverage");
    char path[4096], csv_path[4096];
    char *csv = malloc(n * 40 + 32);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    mg_suite *suite = NULL;
    mg_error err = MG_ERROR_INIT;
    mg_run_options o = MG_RUN_OPTIONS_INIT;
    long cover_auc = 0, cover_acc = 0, no_ci = 0;
    double half, cov_auc, cov_acc, secs;
    struct timespec t0, t1;

    ck_assert_msg(K >= 50, "MG_COVERAGE_SIMS=%s: at least 50 simulations", env);
    ck_assert_ptr_nonnull(csv);
    ck_assert_ptr_nonnull(rng);
    gsl_rng_set(rng, 20261127UL);
    write_suite(path, dir, "coverage.yaml",
                "suite: coverage\n"
                "task: binary\n"
                "data: {holdout: sim.csv, label: label, positive: \"1\"}\n"
                "models:\n"
                "  candidate: {score: score}\n"
                "threshold: %.17g\n"
                "bootstrap: {replicates: %zu, interval: bca}\n"
                "tests:\n"
                "  - {name: auc floor, metric: auc, at_least: 0.5}\n",
                t, B);
    snprintf(csv_path, sizeof csv_path, "%s",
             tu_write(dir, "sim.csv", "label,score\n"));
    ck_assert_msg(mg_suite_load(&suite, path, &err) == 0, "%s", err.message);
    o.mode = MG_RUN_METRICS;
    o.has_seed = 1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long k = 0; k < K; k++) {
        size_t len = (size_t)sprintf(csv, "label,score\n");
        mg_report *r = NULL;
        const mg_metric_entry *auc, *acc;
        FILE *f;
        for (size_t i = 0; i < n; i++) {
            int y = gsl_rng_uniform(rng) < prevalence;
            double x = gsl_ran_gaussian_ziggurat(rng, 1.0) + (y ? d : 0.0);
            len += (size_t)sprintf(csv + len, "%d,%.17g\n", y, x);
        }
        f = fopen(csv_path, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(csv, 1, len, f), len);
        ck_assert_int_eq(fclose(f), 0);
        o.seed = (uint64_t)k + 1;
        ck_assert_msg(mg_run_suite(&r, suite, &o, &err) == 0, "simulation %ld: %s", k,
                      err.message);
        auc = find_metric(r, "candidate", NULL, "overall", "auc");
        acc = find_metric(r, "candidate", NULL, "overall", "accuracy");
        if (auc->has_ci)
            cover_auc += auc->ci_low <= auc_true && auc_true <= auc->ci_high;
        if (acc->has_ci)
            cover_acc += acc->ci_low <= acc_true && acc_true <= acc->ci_high;
        no_ci += !auc->has_ci + !acc->has_ci;
        mg_report_free(r);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cov_auc = (double)cover_auc / (double)K;
    cov_acc = (double)cover_acc / (double)K;
    /* [0.93, 0.97] at K = 1000 is ±2.9 binomial sds; fewer simulations get ±3. */
    half = fmax(0.02, 3 * sqrt(nominal * (1 - nominal) / (double)K));
    fprintf(stderr,
            "coverage: K = %ld, n = %zu, B = %zu, BCa 95%%: auc %.3f (truth %.4f), "
            "accuracy %.3f (truth %.4f), %.1f s\n",
            K, n, B, cov_auc, auc_true, cov_acc, acc_true, secs);
    ck_assert_int_eq(no_ci, 0);
    ck_assert_msg(fabs(cov_auc - nominal) <= half,
                  "auc coverage %.3f outside %.3f ± %.3f (K = %ld)", cov_auc, nominal,
                  half, K);
    ck_assert_msg(fabs(cov_acc - nominal) <= half,
                  "accuracy coverage %.3f outside %.3f ± %.3f (K = %ld)", cov_acc,
                  nominal, half, K);
    mg_suite_free(suite);
    gsl_rng_free(rng);
    free(csv);
}
END_TEST

/* ---- core: properties -------------------------------------------------------------
 */

/* A model compared with a copy of itself (a second model reading the same file and
 * column): Δ is 0 in every replicate, so Δ = 0 and its interval is [0, 0] for every
 * interval kind, non_inferior: 0 and equivalent: 0 pass and superior: 0 fails. */
START_TEST(self_comparison_is_zero)
{
    static const char *kinds[] = {"bca", "percentile", "basic", "analytic"};
    const char *dir = tu_scratch_dir("self");
    char holdout[4096], cand[4096], path[4096];

    snprintf(holdout, sizeof holdout, "%s", tu_src("examples/churn/data/holdout.csv"));
    snprintf(cand, sizeof cand, "%s", tu_src("examples/churn/preds/candidate.csv"));
    for (size_t q = 0; q < 4; q++) {
        int analytic = q == 3;
        mg_report *r;
        size_t seen = 0;
        write_suite(
            path, dir, "self.yaml",
            "suite: self\n"
            "task: binary\n"
            "data: {holdout: \"%s\", id: customer_id, label: churned, positive: "
            "\"1\"}\n"
            "models:\n"
            "  candidate: {file: \"%s\", score: p_churn}\n"
            "  twin: {file: \"%s\", score: p_churn}\n"
            "bootstrap: {replicates: 400, interval: %s}\n"
            "slices: {region: region}\n"
            "tests:\n"
            "  - {name: auc ni, metric: auc, baseline: twin, non_inferior: 0}\n"
            "  - {name: auc ni region, metric: auc, slices: region, baseline: twin,"
            " non_inferior: 0}\n"
            "  - {name: auc eq, metric: auc, baseline: twin, equivalent: 0}\n"
            "  - {name: auc sup, metric: auc, baseline: twin, superior: 0}\n"
            "%s",
            holdout, cand, cand, kinds[q],
            analytic ? ""
                     : "  - {name: accuracy ni, metric: accuracy, baseline: twin,"
                       " non_inferior: 0}\n"
                       "  - {name: recall ni region, metric: recall, slices: region,"
                       " baseline: twin, non_inferior: 0}\n"
                       "  - {name: brier ni, metric: brier, baseline: twin,"
                       " non_inferior: 0}\n"
                       "  - {name: log_loss ni, metric: log_loss, baseline: twin,"
                       " non_inferior: 0}\n"
                       "  - {name: mcc ni, metric: mcc, baseline: twin,"
                       " non_inferior: 0}\n");
        r = run_path(path, MG_RUN_TESTS, 0, 0);
        for (size_t i = 0; i < r->ncases; i++) {
            const mg_case *c = &r->cases[i];
            mg_outcome want =
                strstr(c->test, "sup") ? MG_OUTCOME_FAIL : MG_OUTCOME_PASS;
            ck_assert_msg(c->has_delta, "%s %s [%s]: no delta", kinds[q], c->test,
                          c->slice);
            ck_assert_msg(c->delta == 0 && c->delta_ci_low == 0 &&
                              c->delta_ci_high == 0,
                          "%s %s [%s]: delta %.17g [%.17g, %.17g]", kinds[q], c->test,
                          c->slice, c->delta, c->delta_ci_low, c->delta_ci_high);
            ck_assert_msg(c->outcome == want, "%s %s [%s]: %s, expected %s: %s",
                          kinds[q], c->test, c->slice, outcome_name(c->outcome),
                          outcome_name(want), c->message);
            if (c->has_p_value)
                ck_assert_msg(c->p_value == 1, "%s %s [%s]: p = %.17g", kinds[q],
                              c->test, c->slice, c->p_value);
            /* For lower-is-better metrics (brier, log_loss) Δ = −(est − base) would
             * be −0.0; reports print a zero without a sign. */
            ck_assert_msg(!signbit(c->delta) && !signbit(c->delta_ci_low) &&
                              !signbit(c->delta_ci_high),
                          "%s %s: negative zero in delta", kinds[q], c->test);
            /* superior: 0 fails on [0, 0] (Δ must exceed the margin), and the
             * message says so ("<= 0"), not "lower bound 0 >= 0". */
            if (c->outcome == MG_OUTCOME_FAIL)
                ck_assert_msg(strstr(c->message, ">=") == NULL, "%s %s: %s", kinds[q],
                              c->test, c->message);
            seen++;
        }
        /* 3 overall auc tests and 5 regions; the bootstrap kinds add 4 + 5 more. */
        ck_assert_uint_eq(seen, analytic ? 8 : 17);
        mg_report_free(r);
    }
}
END_TEST

/* Every percentile and BCa interval the churn example reports contains its
 * estimate. */
START_TEST(intervals_contain_estimate)
{
    static const char *kinds[] = {"bca", "percentile"};
    const char *dir = tu_scratch_dir("contain");
    char path[4096], boot[128];

    for (int q = 0; q < 2; q++) {
        mg_report *r;
        size_t checked = 0, bad = 0;
        char first[512] = "";
        snprintf(boot, sizeof boot, "{replicates: 2000, interval: %s, seed: 1}",
                 kinds[q]);
        churn_suite(path, dir, "contain.yaml", boot,
                    "  - {name: auc floor, metric: auc, at_least: 0.8}\n");
        r = run_path(path, MG_RUN_METRICS, 0, 0);
        for (size_t i = 0; i < r->nmetrics; i++) {
            const mg_metric_entry *e = &r->metrics[i];
            ck_assert_msg(e->has_estimate && e->has_ci, "%s %s %s: %s", e->model,
                          e->slice, e->metric, e->reason ? e->reason : "?");
            checked++;
            if (!(e->ci_low <= e->estimate && e->estimate <= e->ci_high) && bad++ == 0)
                snprintf(first, sizeof first, "%s %s %s: %.17g not in [%.17g, %.17g]",
                         e->model, e->slice, e->metric, e->estimate, e->ci_low,
                         e->ci_high);
        }
        ck_assert_msg(bad == 0,
                      "%s: %zu of %zu intervals exclude the estimate; first: %s",
                      kinds[q], bad, checked, first);
        ck_assert_uint_eq(checked, CHURN_ENTRIES);
        mg_report_free(r);
    }
}
END_TEST

/* Basic intervals reflect the percentile interval about the estimate, from the same
 * replicates (same seed): [2θ̂ − q_hi, 2θ̂ − q_lo]. */
START_TEST(basic_reflects_percentile)
{
    const char *dir = tu_scratch_dir("basic");
    char pp[4096], pb[4096];
    mg_report *perc, *basic;
    size_t checked = 0;

    churn_suite(pp, dir, "perc.yaml",
                "{replicates: 1000, interval: percentile, seed: 7}",
                "  - {name: auc floor, metric: auc, at_least: 0.8}\n");
    churn_suite(pb, dir, "basic.yaml", "{replicates: 1000, interval: basic, seed: 7}",
                "  - {name: auc floor, metric: auc, at_least: 0.8}\n");
    perc = run_path(pp, MG_RUN_METRICS, 0, 0);
    basic = run_path(pb, MG_RUN_METRICS, 0, 0);
    ck_assert_uint_eq(perc->nmetrics, basic->nmetrics);
    for (size_t i = 0; i < perc->nmetrics; i++) {
        const mg_metric_entry *p = &perc->metrics[i], *b = &basic->metrics[i];
        ck_assert_str_eq(p->metric, b->metric);
        ck_assert_str_eq(p->slice, b->slice);
        ck_assert_str_eq(p->model, b->model);
        ck_assert(p->has_ci && b->has_ci);
        ck_assert(p->estimate == b->estimate);
        ck_close(b->ci_low, 2 * p->estimate - p->ci_high, 1e-12);
        ck_close(b->ci_high, 2 * p->estimate - p->ci_low, 1e-12);
        checked++;
    }
    ck_assert_uint_eq(checked, CHURN_ENTRIES);
    mg_report_free(perc);
    mg_report_free(basic);
}
END_TEST

/* ---- core: decision rules -------------------------------------------------------
 *
 * A first run reads the intervals; the second places thresholds and margins
 * relative to them (inside: the interval straddles; beyond: a clear failure; short
 * of it: a pass) and checks each rule's outcome and words. Both runs have the same
 * data, models, slicings, pairs and seed, so the same replicates and intervals; the
 * second run checks that too. */

typedef struct expect {
    const char *test;
    mg_outcome outcome;
    const char *words;  /* must appear in the message, or NULL */
    const char *absent; /* must not appear, or NULL */
} expect;

static void check_expect(const mg_report *r, const expect *x)
{
    const mg_case *c = find_case(r, x->test, "overall");
    ck_assert_msg(c->outcome == x->outcome, "%s: %s, expected %s: %s", x->test,
                  outcome_name(c->outcome), outcome_name(x->outcome), c->message);
    if (x->words)
        ck_assert_msg(strstr(c->message, x->words) != NULL, "%s: no '%s' in: %s",
                      x->test, x->words, c->message);
    if (x->absent)
        ck_assert_msg(strstr(c->message, x->absent) == NULL, "%s: '%s' in: %s", x->test,
                      x->absent, c->message);
}

#define BOOT_LINE "{replicates: 2000, interval: bca, seed: 1}"
#define PAIRS                                                                          \
    "  - {name: cmp down, metric: auc, model: champion, baseline: candidate,"          \
    " non_inferior: 1}\n"                                                              \
    "  - {name: cmp up, metric: auc, baseline: champion, superior: 0}\n"

START_TEST(threshold_rules)
{
    const char *dir = tu_scratch_dir("rules");
    char path[4096], tests[8192];
    mg_report *pre, *r;
    const mg_case *auc, *brier;
    double lo, hi, est, mid, blo, bhi, bmid;

    churn_suite(path, dir, "pre.yaml", BOOT_LINE,
                "  - {name: auc, metric: auc, at_least: 0}\n"
                "  - {name: brier, metric: brier, at_most: 1}\n" PAIRS);
    pre = run_path(path, MG_RUN_TESTS, 0, 0);
    auc = find_case(pre, "auc", "overall");
    brier = find_case(pre, "brier", "overall");
    ck_assert(auc->has_ci && brier->has_ci);
    lo = auc->ci_low, hi = auc->ci_high, est = auc->estimate, mid = (lo + hi) / 2;
    blo = brier->ci_low, bhi = brier->ci_high, bmid = (blo + bhi) / 2;
    ck_assert(lo < est && est < hi && blo < bhi);

    snprintf(
        tests, sizeof tests,
        "  - {name: strict mid, metric: auc, at_least: %.17g}\n"
        "  - {name: lenient mid, metric: auc, at_least: %.17g, rule: lenient}\n"
        "  - {name: estimate mid, metric: auc, at_least: %.17g, rule: estimate}\n"
        "  - {name: estimate above, metric: auc, at_least: %.17g, rule: estimate}\n"
        "  - {name: estimate below, metric: auc, at_least: %.17g, rule: estimate}\n"
        "  - {name: strict beyond, metric: auc, at_least: %.17g}\n"
        "  - {name: lenient beyond, metric: auc, at_least: %.17g, rule: lenient}\n"
        "  - {name: estimate beyond, metric: auc, at_least: %.17g, rule: estimate}\n"
        "  - {name: strict short, metric: auc, at_least: %.17g}\n"
        "  - {name: lenient short, metric: auc, at_least: %.17g, rule: lenient}\n"
        "  - {name: brier strict mid, metric: brier, at_most: %.17g}\n"
        "  - {name: brier lenient mid, metric: brier, at_most: %.17g,"
        " rule: lenient}\n"
        "  - {name: brier strict beyond, metric: brier, at_most: %.17g}\n"
        "  - {name: brier lenient beyond, metric: brier, at_most: %.17g,"
        " rule: lenient}\n"
        "  - {name: brier strict short, metric: brier, at_most: %.17g}\n"
        "  - {name: auc, metric: auc, at_least: 0}\n"
        "  - {name: brier, metric: brier, at_most: 1}\n" PAIRS,
        mid, mid, mid, (est + hi) / 2, (lo + est) / 2, hi + 0.01, hi + 0.01, hi + 0.01,
        lo - 0.01, lo - 0.01, bmid, bmid, blo - 0.005, blo - 0.005, bhi + 0.005);
    churn_suite(path, dir, "rules.yaml", BOOT_LINE, tests);
    r = run_path(path, MG_RUN_TESTS, 0, 0);
    {
        const mg_case *again = find_case(r, "auc", "overall");
        ck_assert(again->ci_low == lo && again->ci_high == hi);
        again = find_case(r, "brier", "overall");
        ck_assert(again->ci_low == blo && again->ci_high == bhi);
    }
    {
        const expect x[] = {
            {"strict mid", MG_OUTCOME_FAIL, "inconclusive", "clear failure"},
            {"lenient mid", MG_OUTCOME_PASS, "inconclusive", NULL},
            {"estimate mid", est >= mid ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL,
             "point estimate", "inconclusive"},
            {"estimate above", MG_OUTCOME_FAIL, "point estimate", NULL},
            {"estimate below", MG_OUTCOME_PASS, "point estimate", NULL},
            {"strict beyond", MG_OUTCOME_FAIL, "clear failure", "inconclusive"},
            {"lenient beyond", MG_OUTCOME_FAIL, "clear failure", "inconclusive"},
            {"estimate beyond", MG_OUTCOME_FAIL, "point estimate", NULL},
            {"strict short", MG_OUTCOME_PASS, "lower bound", "inconclusive"},
            {"lenient short", MG_OUTCOME_PASS, "upper bound", "inconclusive"},
            {"brier strict mid", MG_OUTCOME_FAIL, "inconclusive", "clear failure"},
            {"brier lenient mid", MG_OUTCOME_PASS, "inconclusive", NULL},
            {"brier strict beyond", MG_OUTCOME_FAIL, "clear failure", "inconclusive"},
            {"brier lenient beyond", MG_OUTCOME_FAIL, "clear failure", "inconclusive"},
            {"brier strict short", MG_OUTCOME_PASS, "upper bound", "inconclusive"},
        };
        for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
            check_expect(r, &x[i]);
    }
    /* The numbers in the report: the threshold and the rule as given. */
    ck_assert(find_case(r, "strict mid", "overall")->threshold == mid);
    ck_assert_str_eq(find_case(r, "lenient mid", "overall")->rule, "lenient");
    ck_assert_str_eq(find_case(r, "estimate mid", "overall")->rule, "estimate");
    ck_assert_str_eq(find_case(r, "strict mid", "overall")->rule, "strict");
    mg_report_free(pre);
    mg_report_free(r);
}
END_TEST

/* Comparisons with relative margins: Δ's interval for champion vs candidate lies
 * below 0 (the champion is worse), for candidate vs champion above 0. A relative
 * margin r reads as r·|baseline value|. */
START_TEST(comparison_rules_relative)
{
    const char *dir = tu_scratch_dir("compare");
    char path[4096], tests[8192];
    mg_report *pre, *r;
    const mg_case *down, *up;
    double dl, dh, dd, base_down, ul, uh, base_up;
    double ni_mid, ni_beyond, ni_short, sup_mid, sup_beyond, sup_short;
    double eq_mid, eq_beyond, eq_short;

    churn_suite(path, dir, "pre.yaml", BOOT_LINE, PAIRS);
    pre = run_path(path, MG_RUN_TESTS, 0, 0);
    down = find_case(pre, "cmp down", "overall");
    up = find_case(pre, "cmp up", "overall");
    ck_assert(down->has_delta && up->has_delta);
    dl = down->delta_ci_low, dh = down->delta_ci_high, dd = down->delta;
    ul = up->delta_ci_low, uh = up->delta_ci_high;
    base_down = down->estimate - down->delta; /* the candidate's AUC */
    base_up = up->estimate - up->delta;       /* the champion's AUC */
    ck_assert(dl < dd && dd < dh && dh < 0);
    ck_assert(0 < ul && ul < uh);
    /* Margins as fractions of the baseline's value. */
    ni_mid = -(dl + dh) / 2 / base_down; /* −m inside Δ's interval */
    ni_beyond = -dh / 2 / base_down;     /* −m above the whole interval */
    ni_short = -dl * 1.5 / base_down;    /* −m below it */
    sup_mid = (ul + uh) / 2 / base_up;   /* m inside */
    sup_beyond = uh * 1.2 / base_up;     /* m above the whole interval */
    sup_short = ul / 2 / base_up;        /* m below it */
    eq_mid = (ul + uh) / 2 / base_up;    /* the upper end crosses m */
    eq_beyond = ul / 2 / base_up;        /* the whole interval beyond m */
    eq_short = uh * 1.5 / base_up;       /* inside [−m, m] */

    {
        static const struct {
            const char *name, *model, *base, *kind, *rule;
        } rows[] = {
            {"ni strict mid", "champion", "candidate", "non_inferior", "strict"},
            {"ni lenient mid", "champion", "candidate", "non_inferior", "lenient"},
            {"ni estimate mid", "champion", "candidate", "non_inferior", "estimate"},
            {"ni strict beyond", "champion", "candidate", "non_inferior", "strict"},
            {"ni lenient beyond", "champion", "candidate", "non_inferior", "lenient"},
            {"ni strict short", "champion", "candidate", "non_inferior", "strict"},
            {"sup strict mid", "candidate", "champion", "superior", "strict"},
            {"sup lenient mid", "candidate", "champion", "superior", "lenient"},
            {"sup strict beyond", "candidate", "champion", "superior", "strict"},
            {"sup lenient beyond", "candidate", "champion", "superior", "lenient"},
            {"sup strict short", "candidate", "champion", "superior", "strict"},
            {"eq strict mid", "candidate", "champion", "equivalent", "strict"},
            {"eq lenient mid", "candidate", "champion", "equivalent", "lenient"},
            {"eq strict beyond", "candidate", "champion", "equivalent", "strict"},
            {"eq lenient beyond", "candidate", "champion", "equivalent", "lenient"},
            {"eq strict short", "candidate", "champion", "equivalent", "strict"},
        };
        const double margin[] = {ni_mid,     ni_mid,     ni_mid,    ni_beyond,
                                 ni_beyond,  ni_short,   sup_mid,   sup_mid,
                                 sup_beyond, sup_beyond, sup_short, eq_mid,
                                 eq_mid,     eq_beyond,  eq_beyond, eq_short};
        size_t used = 0;
        tests[0] = '\0';
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            used += (size_t)snprintf(tests + used, sizeof tests - used,
                                     "  - {name: %s, metric: auc, model: %s, baseline: "
                                     "%s, %s: %.17g, relative: true, rule: %s}\n",
                                     rows[i].name, rows[i].model, rows[i].base,
                                     rows[i].kind, margin[i], rows[i].rule);
        snprintf(tests + used, sizeof tests - used, "%s", PAIRS);
    }
    churn_suite(path, dir, "compare.yaml", BOOT_LINE, tests);
    r = run_path(path, MG_RUN_TESTS, 0, 0);
    {
        const mg_case *again = find_case(r, "cmp down", "overall");
        ck_assert(again->delta_ci_low == dl && again->delta_ci_high == dh);
        again = find_case(r, "cmp up", "overall");
        ck_assert(again->delta_ci_low == ul && again->delta_ci_high == uh);
    }
    {
        const expect x[] = {
            {"ni strict mid", MG_OUTCOME_FAIL, "inconclusive", "clear failure"},
            {"ni lenient mid", MG_OUTCOME_PASS, "inconclusive", NULL},
            {"ni estimate mid", dd >= (dl + dh) / 2 ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL,
             "point estimate", NULL},
            {"ni strict beyond", MG_OUTCOME_FAIL, "clear failure", "inconclusive"},
            {"ni lenient beyond", MG_OUTCOME_FAIL, "clear failure", "inconclusive"},
            {"ni strict short", MG_OUTCOME_PASS, "non-inferiority margin",
             "inconclusive"},
            {"sup strict mid", MG_OUTCOME_FAIL, "inconclusive", "clear failure"},
            {"sup lenient mid", MG_OUTCOME_PASS, "inconclusive", NULL},
            {"sup strict beyond", MG_OUTCOME_FAIL, "clear failure", "inconclusive"},
            {"sup lenient beyond", MG_OUTCOME_FAIL, "clear failure", "inconclusive"},
            {"sup strict short", MG_OUTCOME_PASS, "superiority margin", "inconclusive"},
            {"eq strict mid", MG_OUTCOME_FAIL, "inconclusive", "clear failure"},
            {"eq lenient mid", MG_OUTCOME_PASS, "inconclusive", NULL},
            {"eq strict beyond", MG_OUTCOME_FAIL, "clear failure", NULL},
            {"eq lenient beyond", MG_OUTCOME_FAIL, "clear failure", NULL},
            {"eq strict short", MG_OUTCOME_PASS, "equivalence margin", "inconclusive"},
        };
        for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
            check_expect(r, &x[i]);
    }
    /* The recorded margin is the relative one times the baseline's value. */
    ck_close(find_case(r, "ni strict mid", "overall")->threshold, ni_mid * base_down,
             1e-12);
    ck_close(find_case(r, "sup strict mid", "overall")->threshold, sup_mid * base_up,
             1e-12);
    ck_close(find_case(r, "eq strict short", "overall")->threshold, eq_short * base_up,
             1e-12);
    mg_report_free(pre);
    mg_report_free(r);
}
END_TEST

/* Lower-is-better metrics: Δ is sign-adjusted, so a candidate with the smaller
 * Brier score has Δ = champion − candidate > 0 (scikit-learn's values). */
START_TEST(lower_is_better_delta)
{
    const char *dir = tu_scratch_dir("lower");
    char path[4096];
    double cand = NAN, champ = NAN;
    mg_report *r;
    const mg_case *c;

    for (size_t i = 0; i < MG_REF_CHURN_COUNT; i++) {
        const mg_ref_entry *e = &mg_ref_churn[i];
        if (e->slicing == NULL && strcmp(e->metric, "brier") == 0)
            *(strcmp(e->model, "candidate") == 0 ? &cand : &champ) = e->value;
    }
    ck_assert(isfinite(cand) && isfinite(champ) && cand < champ);
    churn_suite(path, dir, "lower.yaml", BOOT_LINE,
                "  - {name: brier ni, metric: brier, baseline: champion,"
                " non_inferior: 0.01}\n"
                "  - {name: brier ni back, metric: brier, model: champion,"
                " baseline: candidate, non_inferior: 0.01}\n");
    r = run_path(path, MG_RUN_TESTS, 0, 0);
    c = find_case(r, "brier ni", "overall");
    ck_close(c->estimate, cand, 1e-12);
    ck_close(c->delta, champ - cand, 1e-12);
    ck_assert(c->delta_ci_low > 0 && c->delta_ci_low <= c->delta &&
              c->delta <= c->delta_ci_high);
    ck_assert_int_eq(c->outcome, MG_OUTCOME_PASS);
    ck_assert_str_eq(c->p_method, "bootstrap");
    c = find_case(r, "brier ni back", "overall");
    ck_close(c->delta, cand - champ, 1e-12);
    ck_assert(c->delta_ci_high < -0.01);
    ck_assert_int_eq(c->outcome, MG_OUTCOME_FAIL);
    ck_assert_ptr_nonnull(strstr(c->message, "clear failure"));
    mg_report_free(r);
}
END_TEST

/*
 * One p-value, one interval: with a bootstrap interval every comparison's p-value
 * inverts the same method on the same replicates, AUC and accuracy included (their
 * DeLong and McNemar p-values once disagreed with the BCa interval beside them), so
 * p <= 1 - (2c - 1) exactly when 0 lies outside the case's (2c - 1) interval.
 */
START_TEST(p_value_inverts_the_interval)
{
    static const char *kinds[] = {"bca", "percentile", "basic"};
    const char *dir = tu_scratch_dir("pinvert");
    size_t agree = 0, clear = 0;

    for (size_t m = 0; m < sizeof kinds / sizeof kinds[0]; m++) {
        char path[4096], boot[256], name[64];
        mg_report *r;
        snprintf(boot, sizeof boot, "{replicates: 2000, interval: %s, seed: 3}",
                 kinds[m]);
        snprintf(name, sizeof name, "pinvert-%s.yaml", kinds[m]);
        churn_suite(path, dir, name, boot,
                    "  - {name: auc, metric: auc, baseline: champion,"
                    " non_inferior: 0.02, slices: region_x_plan}\n"
                    "  - {name: accuracy, metric: accuracy, baseline: champion,"
                    " non_inferior: 0.02, slices: region_x_plan}\n"
                    "  - {name: ap, metric: average_precision, baseline: champion,"
                    " non_inferior: 0.02, slices: region_x_plan}\n");
        r = run_path(path, MG_RUN_TESTS, 0, 0);
        for (size_t i = 0; i < r->ncases; i++) {
            const mg_case *c = &r->cases[i];
            double alpha = 1 - c->confidence;
            int outside;
            if (!c->has_p_value || c->method == MG_CI_NONE)
                continue;
            ck_assert_str_eq(c->p_method, "bootstrap");
            ck_assert_int_eq(c->method, m == 0   ? MG_CI_BCA
                                        : m == 1 ? MG_CI_PERCENTILE
                                                 : MG_CI_BASIC);
            outside = c->delta_ci_low > 0 || c->delta_ci_high < 0;
            /* The interval's ends are type-7 quantiles between two replicates and the
             * p-value counts replicates: they may differ only within a replicate's
             * share of the level. */
            if (fabs(c->p_value - alpha) < 2.0 / c->replicates)
                continue;
            clear++;
            agree += outside == (c->p_value < alpha);
        }
        mg_report_free(r);
    }
    ck_assert_uint_gt(clear, 60);
    ck_assert_uint_eq(agree, clear);
}
END_TEST

/*
 * A threshold test's interval is the metric's own interval, whatever the metric's
 * direction: the sign adjustment belongs to comparisons only. (A refactoring once
 * flipped the BCa acceleration of lower-is-better thresholds; the decision then read
 * another interval than `modelgate metrics` shows.)
 */
START_TEST(threshold_interval_is_the_metric_interval)
{
    static const char *metrics[] = {"brier", "log_loss", "auc", "recall"};
    static const char *tests = "  - {name: brier, metric: brier, at_most: 0.2}\n"
                               "  - {name: log_loss, metric: log_loss, at_most: 0.6}\n"
                               "  - {name: auc, metric: auc, at_least: 0.7}\n"
                               "  - {name: recall, metric: recall, at_least: 0.5}\n";
    const char *dir = tu_scratch_dir("direction");
    char tpath[4096], mpath[4096];
    mg_report *r, *m;

    /* A test at confidence 0.95 reads the one-sided 95% bounds, the ends of the
     * two-sided 90% interval that `metrics` shows at confidence 0.90. */
    churn_suite(tpath, dir, "tests.yaml",
                "{replicates: 1000, confidence: 0.95, seed: 5}", tests);
    churn_suite(mpath, dir, "metrics.yaml",
                "{replicates: 1000, confidence: 0.90, seed: 5}", tests);
    r = run_path(tpath, MG_RUN_TESTS, 0, 0);
    m = run_path(mpath, MG_RUN_METRICS, 0, 0);
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        const mg_case *c = find_case(r, metrics[i], "overall");
        const mg_metric_entry *e = find_ci(m, "candidate", metrics[i]);
        ck_assert_msg(c->has_ci && c->ci_low == e->ci_low && c->ci_high == e->ci_high,
                      "%s: test [%.17g, %.17g], metrics [%.17g, %.17g]", metrics[i],
                      c->ci_low, c->ci_high, e->ci_low, e->ci_high);
    }
    mg_report_free(r);
    mg_report_free(m);
}
END_TEST

/* scikit-learn's value of a metric on a slice of tests/data/engine/slicings.yaml. */
static double slicings_ref(const char *slicing, const char *slice, const char *metric)
{
    for (size_t i = 0; i < MG_REF_SLICINGS_COUNT; i++) {
        const mg_ref_entry *e = &mg_ref_slicings[i];
        if (strcmp(e->model, "candidate") == 0 && strcmp(e->slicing, slicing) == 0 &&
            strcmp(e->slice, slice) == 0 && strcmp(e->metric, metric) == 0)
            return e->value;
    }
    ck_abort_msg("no reference for %s %s", slice, metric);
    return 0;
}

/* A test's own filter restricts it (alone, or its slicing) to the rows it keeps:
 * the cases' estimates are scikit-learn's on the same subsets, labelled by the
 * filter. */
START_TEST(test_where)
{
    const char *dir = tu_scratch_dir("run_where");
    static const char *regions[] = {"central", "east", "north", "south", "west"};
    char path[4096], slice[128], ref[128];
    mg_report *r;

    churn_suite(path, dir, "where.yaml", "{replicates: 50, seed: 1}",
                "  - {name: premium, metric: auc, where: {plan: premium}, "
                "at_least: 0.5}\n"
                "  - {name: young, metric: recall, slices: region, where: "
                "{tenure_months: {\"<\": 12}}, at_least: 0.1}\n");
    r = run_path(path, MG_RUN_TESTS, 0, 0);
    ck_assert_uint_eq(r->ncases, 1 + 5);
    ck_close(find_case(r, "premium", "plan=premium")->estimate,
             slicings_ref("premium", "plan=premium", "auc"), 1e-12);
    ck_assert_ptr_null(find_case(r, "premium", "plan=premium")->slicing);
    for (size_t i = 0; i < 5; i++) {
        snprintf(slice, sizeof slice, "region=%s \xc3\x97 tenure_months<12",
                 regions[i]);
        snprintf(ref, sizeof ref, "%s", slice);
        ck_close(find_case(r, "young", slice)->estimate,
                 slicings_ref("young_region", ref, "recall"), 1e-12);
        ck_assert_str_eq(find_case(r, "young", slice)->slicing, "region");
    }
    mg_report_free(r);
}
END_TEST

/* at_least per slice: each slice gets its own threshold, or the default; crossed
 * slices are named in any order of their parts, with " & " for " × ". */
START_TEST(test_slice_thresholds)
{
    const char *dir = tu_scratch_dir("run_slice_thresholds");
    char path[4096];
    const mg_case *k;
    mg_report *r;

    churn_suite(
        path, dir, "thresholds.yaml", "{replicates: 50, seed: 1}",
        "  - {name: region, metric: recall, slices: region, rule: estimate,\n"
        "     at_least: {default: 0.5, \"region=central\": 0.2}}\n"
        "  - {name: cross, metric: recall, slices: region_x_plan, "
        "rule: estimate,\n"
        "     at_least: {default: 0.1, \"plan=basic & region=north\": 0.99}}\n");
    r = run_path(path, MG_RUN_TESTS, 0, 0);
    k = find_case(r, "region", "region=central");
    ck_assert_double_eq(k->at_least, 0.2);
    ck_assert_double_eq(k->threshold, 0.2);
    ck_assert_msg(k->estimate > 0.2 && k->estimate < 0.5, "%g", k->estimate);
    ck_assert_str_eq(outcome_name(k->outcome), "pass");
    k = find_case(r, "region", "region=north");
    ck_assert_double_eq(k->at_least, 0.5);
    k = find_case(r, "cross", "region=north \xc3\x97 plan=basic");
    ck_assert_double_eq(k->at_least, 0.99);
    ck_assert_str_eq(outcome_name(k->outcome), "fail");
    k = find_case(r, "cross", "region=north \xc3\x97 plan=plus");
    ck_assert_double_eq(k->at_least, 0.1);
    ck_assert_str_eq(outcome_name(k->outcome), "pass");
    ck_assert_uint_eq(r->failed, 1);
    mg_report_free(r);
}
END_TEST

/* A threshold for a slice the test does not have is an error at its key, listing
 * the slices there are. */
START_TEST(test_slice_threshold_unknown)
{
    const char *dir = tu_scratch_dir("run_slice_unknown");
    char path[4096];
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;

    churn_suite(path, dir, "unknown.yaml", "{replicates: 50, seed: 1}",
                "  - {name: t, metric: recall, slices: plan,\n"
                "     at_least: {default: 0.5, \"plan=gold\": 0.2}}\n");
    ck_assert_int_eq(mg_suite_load(&suite, path, &err), 0);
    ck_assert_int_eq(mg_run_suite(&r, suite, NULL, &err), MG_EDATA);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(err.message, "test 't' has no slice 'plan=gold'; its slices are "
                                  "'plan=basic', 'plan=plus', 'plan=premium'");
    ck_assert_str_eq(err.key, "tests[0].at_least.plan=gold");
    ck_assert_uint_eq(err.line, 19);
    mg_suite_free(suite);
}
END_TEST

static Suite *run_suite(void)
{
    Suite *s = suite_create("run");
    TCase *ref = tcase_create("reference"), *cov = tcase_create("coverage");
    TCase *core = tcase_create("core");
    tcase_add_test(ref, reference_asah_delong);
    tcase_add_test(ref, reference_boot_intervals);
    tcase_add_test(ref, reference_boot_spread);
    tcase_add_test(cov, coverage_bca_binormal);
    tcase_add_test(core, self_comparison_is_zero);
    tcase_add_test(core, intervals_contain_estimate);
    tcase_add_test(core, basic_reflects_percentile);
    tcase_add_test(core, threshold_rules);
    tcase_add_test(core, comparison_rules_relative);
    tcase_add_test(core, lower_is_better_delta);
    tcase_add_test(core, p_value_inverts_the_interval);
    tcase_add_test(core, threshold_interval_is_the_metric_interval);
    tcase_add_test(core, test_where);
    tcase_add_test(core, test_slice_thresholds);
    tcase_add_test(core, test_slice_threshold_unknown);
    tcase_set_timeout(ref, 300);
    tcase_set_timeout(cov, 600);
    suite_add_tcase(s, ref);
    suite_add_tcase(s, cov);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return tu_run(run_suite());
}
