/*
 * Calibration and operating-point kernels (metrics/curve.c).
 *
 * reference: every value of tests/reference/curve_sklearn.h (scikit-learn's
 *            calibration_curve, precision_recall_curve, roc_curve; Murphy's
 *            decomposition in numpy) and tests/reference/curve_r.h (R's glm, pROC's
 *            partial AUC and coords) on scikit-learn's breast cancer data and pROC's
 *            aSAH, overall and per slice, to 1e-9, thresholds exactly. A slice is
 *            read as the engine reads it: the whole sorted data with weight 0 on
 *            the rows outside it.
 * core:      a weight of 2 is the row twice (the bootstrap's replicate weights);
 *            each operating point equals a naive rescan at every threshold on
 *            random weighted rows with ties;
 *            the reliability bins sum to the rows; tpr at fpr 1 is 1; partial AUC
 *            over [0, 1] is the AUC.
 * edge:      one class, one distinct score and separated classes are undefined;
 *            a bound no threshold meets is undefined.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/curve.h"
#include "modelgate/error.h"
#include "reference/curve_r.h"
#include "reference/curve_sklearn.h"
#include "testutil.h"

#define MAX_ROWS 600

/* A data set in descending score order (stable), with its slice per row. */
typedef struct data {
    double score[MAX_ROWS];
    unsigned char label[MAX_ROWS];
    char slice[MAX_ROWS][8];
    size_t n;
} data;

static data bc, asah;

static void sort_desc(data *d)
{
    /* Insertion sort keeps ties in file order, as the engine's sort does. */
    for (size_t i = 1; i < d->n; i++) {
        double s = d->score[i];
        unsigned char y = d->label[i];
        char sl[8];
        size_t j = i;
        memcpy(sl, d->slice[i], sizeof sl);
        for (; j > 0 && d->score[j - 1] < s; j--) {
            d->score[j] = d->score[j - 1];
            d->label[j] = d->label[j - 1];
            memcpy(d->slice[j], d->slice[j - 1], sizeof sl);
        }
        d->score[j] = s, d->label[j] = y;
        memcpy(d->slice[j], sl, sizeof sl);
    }
}

static void load(void)
{
    char line[256];
    FILE *f = fopen(tu_src("tests/data/curve/breast_cancer_scores.csv"), "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    for (bc.n = 0; fgets(line, sizeof line, f); bc.n++) {
        int y;
        ck_assert_int_eq(
            sscanf(line, "%lf,%d,%7s", &bc.score[bc.n], &y, bc.slice[bc.n]), 3);
        bc.label[bc.n] = (unsigned char)y;
    }
    fclose(f);
    f = fopen(tu_src("tests/reference/asah.csv"), "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    for (asah.n = 0; fgets(line, sizeof line, f); asah.n++) {
        int y, wfns;
        ck_assert_int_eq(sscanf(line, "%d,%lf,%d", &y, &asah.score[asah.n], &wfns), 3);
        asah.label[asah.n] = (unsigned char)y;
        strcpy(asah.slice[asah.n], wfns <= 2 ? "low" : "high");
    }
    fclose(f);
    ck_assert_uint_eq(bc.n, 569);
    ck_assert_uint_eq(asah.n, 113);
    sort_desc(&bc);
    sort_desc(&asah);
}

/* The rows of a data set with weight 1 inside `slice`, 0 outside. */
static mg__scored rows_of(const char *name, const char *slice, double *w)
{
    data *d = strcmp(name, "asah") == 0 ? &asah : &bc;
    for (size_t i = 0; i < d->n; i++)
        w[i] = strcmp(slice, "overall") == 0 || strcmp(slice, d->slice[i]) == 0;
    return (mg__scored){d->score, d->label, w, d->n, NULL};
}

static mg__operating op_of(const char *metric)
{
    static const struct {
        const char *name;
        mg__operating op;
    } ops[] = {
        {"recall_at_precision", MG__OP_RECALL_AT_PRECISION},
        {"precision_at_recall", MG__OP_PRECISION_AT_RECALL},
        {"tpr_at_fpr", MG__OP_TPR_AT_FPR},
        {"specificity_at_sensitivity", MG__OP_SPECIFICITY_AT_SENSITIVITY},
        {"precision_at_k", MG__OP_PRECISION_AT_K},
        {"recall_at_k", MG__OP_RECALL_AT_K},
        {"precision_at_k_share", MG__OP_PRECISION_AT_K_SHARE},
        {"recall_at_k_share", MG__OP_RECALL_AT_K_SHARE},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i].name, metric) == 0)
            return ops[i].op;
    return (mg__operating)-1;
}

START_TEST(sklearn_values)
{
    double w[MAX_ROWS];
    size_t checked = 0, skipped = 0;
    load();
    for (size_t i = 0; i < MG_REF_CURVE_COUNT; i++) {
        const mg_ref_curve_entry *e = &mg_ref_curve[i];
        mg__scored r = rows_of(e->data, e->slice, w);
        double v = 0, t = 0;
        const char *why = NULL;
        int rc;
        if (strcmp(e->metric, "brier") == 0 && ++skipped)
            continue; /* the decomposition's context, not a kernel's */
        if (e->bins > 0) {
            mg__bins b;
            mg__calibration c;
            ck_assert_int_eq(mg__curve_bins(&b, &r, (size_t)e->bins,
                                            strcmp(e->binning, "mass") == 0
                                                ? MG__BINNING_MASS
                                                : MG__BINNING_WIDTH,
                                            &why),
                             0);
            ck_assert_int_eq(mg__curve_calibration(&c, &b, &why), 0);
            v = strcmp(e->metric, "ece") == 0                 ? c.ece
                : strcmp(e->metric, "brier_reliability") == 0 ? c.reliability
                : strcmp(e->metric, "brier_resolution") == 0  ? c.resolution
                                                              : c.uncertainty;
            ck_assert_msg(tu_close(v, e->value, 1e-9),
                          "%s %s %s bins %d %s: %.17g vs %.17g", e->data, e->slice,
                          e->metric, e->bins, e->binning, v, e->value);
            checked++;
            continue;
        }
        ck_assert_int_ge((int)op_of(e->metric), 0);
        rc = mg__curve_operating(&v, &t, &r, op_of(e->metric), e->x, &why);
        ck_assert_msg(rc == (e->defined ? 0 : MG_ENUMERIC), "%s %s %s %g: rc %d",
                      e->data, e->slice, e->metric, e->x, rc);
        if (e->defined) {
            ck_assert_msg(tu_close(v, e->value, 1e-9) && t == e->threshold,
                          "%s %s %s %g: %.17g at %.17g vs %.17g at %.17g", e->data,
                          e->slice, e->metric, e->x, v, t, e->value, e->threshold);
        } else {
            ck_assert_ptr_nonnull(why);
        }
        checked++;
    }
    ck_assert_uint_eq(checked + skipped, MG_REF_CURVE_COUNT);
    ck_assert_uint_ge(checked, 180);
}
END_TEST

START_TEST(reliability_bins)
{
    double w[MAX_ROWS];
    load();
    for (size_t i = 0; i < MG_REF_BINS_COUNT; i++) {
        const mg_ref_bin_entry *e = &mg_ref_bins[i];
        mg__scored r = rows_of(e->data, e->slice, w);
        mg__bins b;
        size_t k = (size_t)e->bin;
        ck_assert_int_eq(mg__curve_bins(&b, &r, (size_t)e->bins,
                                        strcmp(e->binning, "mass") == 0
                                            ? MG__BINNING_MASS
                                            : MG__BINNING_WIDTH,
                                        NULL),
                         0);
        ck_assert_msg(b.w[k] == e->count, "%s %s %d %s bin %d: %g rows vs %d", e->data,
                      e->slice, e->bins, e->binning, e->bin, b.w[k], e->count);
        if (e->count > 0) {
            ck_assert(tu_close(b.sp[k] / b.w[k], e->mean_score, 1e-9));
            ck_assert(tu_close(b.sy[k] / b.w[k], e->observed, 1e-9));
        }
    }
}
END_TEST

START_TEST(r_values)
{
    double w[MAX_ROWS];
    load();
    for (size_t i = 0; i < MG_REF_CURVE_R_COUNT; i++) {
        const mg_ref_curve_r_entry *e = &mg_ref_curve_r[i];
        mg__scored r = rows_of(e->data, e->slice, w);
        double v = 0, a, b, t;
        int rc;
        if (strcmp(e->metric, "partial_auc") == 0) {
            rc = mg__curve_partial_auc(&v, NULL, &r, e->x, e->y, NULL);
        } else if (strncmp(e->metric, "calibration_", 12) == 0) {
            double logit[MAX_ROWS], a2, b2;
            rc = mg__curve_recalibration(&a, &b, &r, NULL);
            v = strcmp(e->metric, "calibration_slope") == 0 ? b : a;
            /* The logits cached per model give the same fit. */
            for (size_t k = 0; k < r.n; k++)
                logit[k] = mg__curve_logit(r.score[k]);
            r.logit = logit;
            ck_assert_int_eq(mg__curve_recalibration(&a2, &b2, &r, NULL), rc);
            ck_assert(rc != 0 || (a2 == a && b2 == b));
        } else {
            rc = mg__curve_operating(&v, &t, &r, op_of(e->metric), e->x, NULL);
        }
        ck_assert_int_eq(rc, e->defined ? 0 : MG_ENUMERIC);
        if (e->defined)
            ck_assert_msg(tu_close(v, e->value, 1e-9),
                          "%s %s %s [%g, %g]: %.17g vs %.17g", e->data, e->slice,
                          e->metric, e->x, e->y, v, e->value);
    }
}
END_TEST

/* Replicate weights: a row of weight 2 is that row twice. */
START_TEST(weight_two_is_row_twice)
{
    static double s2[2 * MAX_ROWS], w1[2 * MAX_ROWS], w[MAX_ROWS];
    static unsigned char y2[2 * MAX_ROWS];
    size_t m = 0;
    load();
    for (size_t i = 0; i < asah.n; i++) {
        w[i] = (double)(i % 3); /* 0, 1, 2 */
        for (int c = 0; c < (int)w[i]; c++, m++)
            s2[m] = asah.score[i], y2[m] = asah.label[i], w1[m] = 1;
    }
    {
        mg__scored a = {asah.score, asah.label, w, asah.n, NULL},
                   b = {s2, y2, w1, m, NULL};
        for (int op = MG__OP_RECALL_AT_PRECISION; op <= MG__OP_RECALL_AT_K_SHARE;
             op++) {
            double x = op >= MG__OP_PRECISION_AT_K_SHARE ? 0.3
                       : op >= MG__OP_PRECISION_AT_K     ? 17
                                                         : 0.7;
            double va, ta, vb, tb;
            int ra = mg__curve_operating(&va, &ta, &a, (mg__operating)op, x, NULL);
            int rb = mg__curve_operating(&vb, &tb, &b, (mg__operating)op, x, NULL);
            ck_assert_int_eq(ra, rb);
            ck_assert(ra != 0 || (tu_close(va, vb, 1e-12) && ta == tb));
        }
        for (int binning = 0; binning < 2; binning++) {
            mg__bins ba, bb;
            mg__calibration ca, cb;
            double ia, sa, ib, sb;
            /* s100b / 2.1 lies in [0, 1]: the bins need probabilities. */
            static double pa[MAX_ROWS], pb[2 * MAX_ROWS];
            mg__scored qa = a, qb = b;
            for (size_t i = 0; i < asah.n; i++)
                pa[i] = asah.score[i] / 2.1;
            for (size_t i = 0; i < m; i++)
                pb[i] = s2[i] / 2.1;
            qa.score = pa, qb.score = pb;
            ck_assert_int_eq(mg__curve_bins(&ba, &qa, 7, (mg__binning)binning, NULL),
                             0);
            ck_assert_int_eq(mg__curve_bins(&bb, &qb, 7, (mg__binning)binning, NULL),
                             0);
            for (size_t k = 0; k < 7; k++)
                ck_assert(ba.w[k] == bb.w[k] && tu_close(ba.sp[k], bb.sp[k], 1e-12));
            ck_assert_int_eq(mg__curve_calibration(&ca, &ba, NULL), 0);
            ck_assert_int_eq(mg__curve_calibration(&cb, &bb, NULL), 0);
            ck_assert(tu_close(ca.ece, cb.ece, 1e-12));
            ck_assert(tu_close(ca.resolution, cb.resolution, 1e-12));
            ck_assert_int_eq(mg__curve_recalibration(&ia, &sa, &qa, NULL), 0);
            ck_assert_int_eq(mg__curve_recalibration(&ib, &sb, &qb, NULL), 0);
            ck_assert(tu_close(ia, ib, 1e-9) && tu_close(sa, sb, 1e-9));
        }
        {
            double pa, pb;
            ck_assert_int_eq(mg__curve_partial_auc(&pa, NULL, &a, 0.05, 0.4, NULL), 0);
            ck_assert_int_eq(mg__curve_partial_auc(&pb, NULL, &b, 0.05, 0.4, NULL), 0);
            ck_assert(tu_close(pa, pb, 1e-12));
        }
    }
}
END_TEST

/* Properties any data must satisfy. */
START_TEST(properties)
{
    double w[MAX_ROWS], v, t, raw, auc = 0, P = 0, N = 0;
    mg__scored r;
    mg__bins b;
    load();
    r = rows_of("asah", "overall", w);
    ck_assert_int_eq(mg__curve_operating(&v, &t, &r, MG__OP_TPR_AT_FPR, 1, NULL), 0);
    ck_assert(v == 1 && t == asah.score[asah.n - 1]);
    /* Partial AUC over [0, 1] is the Mann-Whitney AUC, counted here pair by pair. */
    for (size_t i = 0; i < asah.n; i++)
        for (size_t j = 0; j < asah.n; j++)
            if (asah.label[i] && !asah.label[j])
                auc += asah.score[i] > asah.score[j]    ? 1
                       : asah.score[i] == asah.score[j] ? 0.5
                                                        : 0;
    for (size_t i = 0; i < asah.n; i++)
        *(asah.label[i] ? &P : &N) += 1;
    ck_assert_int_eq(mg__curve_partial_auc(&v, &raw, &r, 0, 1, NULL), 0);
    ck_assert(tu_close(raw, auc / (P * N), 1e-12) && tu_close(v, raw, 1e-12));
    /* Bins hold every row once. */
    r = rows_of("breast_cancer", "overall", w);
    for (int binning = 0; binning < 2; binning++) {
        double total = 0;
        ck_assert_int_eq(mg__curve_bins(&b, &r, 13, (mg__binning)binning, NULL), 0);
        for (size_t k = 0; k < 13; k++)
            total += b.w[k];
        ck_assert(total == 569);
    }
}
END_TEST

START_TEST(undefined_cases)
{
    double s[4] = {0.9, 0.6, 0.4, 0.1}, one[4] = {0.5, 0.5, 0.5, 0.5}, v, t, a, b;
    unsigned char sep[4] = {1, 1, 0, 0}, pos[4] = {1, 1, 1, 1}, mix[4] = {1, 0, 1, 0};
    const char *why = NULL;
    mg__scored r = {s, sep, NULL, 4, NULL};
    mg__bins bins;
    ck_assert_int_eq(mg__curve_recalibration(&a, &b, &r, &why), MG_ENUMERIC);
    ck_assert_ptr_nonnull(strstr(why, "separates"));
    r.label = pos;
    ck_assert_int_eq(mg__curve_recalibration(&a, &b, &r, &why), MG_ENUMERIC);
    ck_assert_int_eq(mg__curve_partial_auc(&v, NULL, &r, 0, 0.2, &why), MG_ENUMERIC);
    ck_assert_int_eq(mg__curve_partial_auc(&v, NULL, &r, 0.2, 0.2, &why), MG_EINVAL);
    ck_assert_int_eq(mg__curve_partial_auc(&v, NULL, &r, 0, 1.5, &why), MG_EINVAL);
    ck_assert_int_eq(mg__curve_operating(&v, &t, &r, MG__OP_TPR_AT_FPR, 0.1, &why),
                     MG_ENUMERIC);
    r.label = mix, r.score = one;
    ck_assert_int_eq(mg__curve_recalibration(&a, &b, &r, &why), MG_ENUMERIC);
    ck_assert_str_eq(why, "one distinct score");
    r.score = s; /* precisions 1, 1/2, 2/3, 1/2: none reaches 0.99 past the first */
    ck_assert_int_eq(
        mg__curve_operating(&v, &t, &r, MG__OP_RECALL_AT_PRECISION, 0.99, NULL), 0);
    ck_assert(v == 0.5 && t == 0.9);
    r.label = (unsigned char[4]){0, 1, 1, 1};
    ck_assert_int_eq(
        mg__curve_operating(&v, &t, &r, MG__OP_RECALL_AT_PRECISION, 0.9, &why),
        MG_ENUMERIC);
    ck_assert_int_eq(mg__curve_operating(&v, &t, &r, MG__OP_PRECISION_AT_K, 0, &why),
                     MG_ENUMERIC);
    /* k beyond the rows is all the rows. */
    ck_assert_int_eq(mg__curve_operating(&v, &t, &r, MG__OP_PRECISION_AT_K, 10, NULL),
                     0);
    ck_assert(v == 0.75 && t == 0.1);
    ck_assert_int_eq(mg__curve_bins(&bins, &r, 0, MG__BINNING_WIDTH, NULL), MG_EINVAL);
    ck_assert_int_eq(
        mg__curve_bins(&bins, &r, MG__CURVE_MAX_BINS + 1, MG__BINNING_WIDTH, NULL),
        MG_EINVAL);
    r.weight = (double[4]){0, 0, 0, 0};
    ck_assert_int_eq(mg__curve_bins(&bins, &r, 10, MG__BINNING_MASS, &why),
                     MG_ENUMERIC);
}
END_TEST

/* Oracle: the one-pass operating points against a naive scan that recounts tp and
 * fp at every candidate threshold, on random weighted rows with heavy ties. */
START_TEST(oracle_operating_points)
{
    enum { n = 80 };
    double s[n], w[n];
    unsigned char y[n];
    unsigned long long z = 88172645463325252ULL;
    for (int trial = 0; trial < 200; trial++) {
        double P = 0, N = 0;
        for (int i = 0; i < n; i++) {
            z ^= z << 13, z ^= z >> 7, z ^= z << 17;
            s[i] = (double)(z % 17) / 16;
            y[i] = (z >> 20) % 3 == 0;
            w[i] = (double)((z >> 30) % 4) * (trial % 2 ? 0.75 : 1);
        }
        /* Descending scores. */
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && s[j - 1] < s[j]; j--) {
                double ts = s[j], tw = w[j];
                unsigned char ty = y[j];
                s[j] = s[j - 1], w[j] = w[j - 1], y[j] = y[j - 1];
                s[j - 1] = ts, w[j - 1] = tw, y[j - 1] = ty;
            }
        for (int i = 0; i < n; i++)
            *(y[i] ? &P : &N) += w[i];
        for (int op = MG__OP_RECALL_AT_PRECISION;
             op <= MG__OP_SPECIFICITY_AT_SENSITIVITY; op++) {
            for (double x = 0.1; x < 1; x += 0.2) {
                mg__scored r = {s, y, w, n, NULL};
                double v, t, best = -1, best_t = 0;
                int rc = mg__curve_operating(&v, &t, &r, (mg__operating)op, x, NULL);
                for (int c = 0; c < n; c++) {
                    double tp = 0, fp = 0, val, here = 0;
                    int ok, better;
                    for (int i = 0; i < n; i++) {
                        if (s[i] >= s[c])
                            *(y[i] ? &tp : &fp) += w[i];
                        here += s[i] == s[c] ? w[i] : 0;
                    }
                    if (here == 0 || !(P > 0) || !(N > 0))
                        continue;
                    ok = op == MG__OP_RECALL_AT_PRECISION ? tp / (tp + fp) >= x
                         : op == MG__OP_TPR_AT_FPR        ? fp / N <= x
                                                          : tp / P >= x;
                    val = op == MG__OP_PRECISION_AT_RECALL          ? tp / (tp + fp)
                          : op == MG__OP_SPECIFICITY_AT_SENSITIVITY ? 1 - fp / N
                                                                    : tp / P;
                    /* Ties in value: the highest threshold for the first and
                     * third, the lowest for the others. */
                    better =
                        val > best ||
                        (val == best && (op == MG__OP_PRECISION_AT_RECALL ||
                                                 op == MG__OP_SPECIFICITY_AT_SENSITIVITY
                                             ? s[c] < best_t
                                             : s[c] > best_t));
                    if (ok && better)
                        best = val, best_t = s[c];
                }
                if (!(P > 0) || !(N > 0))
                    continue;
                ck_assert_int_eq(rc, best < 0 ? MG_ENUMERIC : 0);
                if (rc == 0)
                    ck_assert_msg(fabs(v - best) < 1e-12 && t == best_t,
                                  "trial %d op %d x %g: %g at %g vs %g at %g", trial,
                                  op, x, v, t, best, best_t);
            }
        }
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("curve");
    TCase *core = tcase_create("core"), *edge = tcase_create("edge"),
          *reference = tcase_create("reference");
    tcase_add_test(reference, sklearn_values);
    tcase_add_test(reference, reliability_bins);
    tcase_add_test(reference, r_values);
    tcase_add_test(core, weight_two_is_row_twice);
    tcase_add_test(core, properties);
    tcase_add_test(core, oracle_operating_points);
    tcase_add_test(edge, undefined_cases);
    suite_add_tcase(s, reference);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return tu_run(s);
}
