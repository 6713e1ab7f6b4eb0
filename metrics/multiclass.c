/*
 * Multiclass metrics over weighted sufficient statistics.
 *
 * Every metric is a closed-form function of sums that add over rows (see
 * mg_multiclass_stats): the K × K confusion matrix C (rows: true class, columns:
 * predicted class), one Mann–Whitney pair count per class for the one-vs-rest AUCs,
 * and sums of per-row losses and top-k hits. With unit weights they reproduce
 * scikit-learn 1.2 (`labels=` the suite's classes), which tests/reference/ checks
 * to 1e-9:
 *
 *   accuracy          = tr C / n (accuracy_score);
 *   per class c       precision_c = C_cc / Σ_i C_ic, recall_c = C_cc / Σ_j C_cj,
 *                     f1_c = 2 C_cc / (Σ_i C_ic + Σ_j C_cj)
 *                     (precision_recall_fscore_support);
 *   macro             the unweighted mean over the K classes; weighted: weighted by
 *                     each class's rows; micro: the pooled one-vs-rest counts, which
 *                     for single-label data all equal accuracy;
 *   balanced_accuracy = mean recall over the classes that have rows
 *                       (balanced_accuracy_score);
 *   cohen_kappa       = (p_o − p_e) / (1 − p_e), p_e = Σ_c row_c col_c / n²
 *                       (cohen_kappa_score; Cohen 1960);
 *   mcc               = (n tr C − Σ_c row_c col_c) /
 *                       √((n² − Σ col_c²)(n² − Σ row_c²)) (matthews_corrcoef;
 *                       Gorodkin 2004, "Comparing two K-category assignments by a
 *                       K-category correlation coefficient");
 *   auc (class c)     = U_c / (P_c N_c), P_c the rows of class c and N_c the rest
 *                       (roc_auc_score on y == c against p_c); macro_auc the mean
 *                       over the classes (roc_auc_score multi_class="ovr");
 *   log_loss          = mean −log p̃_y, p̃ the row's probabilities clipped to
 *                       [ε, 1 − ε] and renormalised (log_loss, eps="auto");
 *   brier             = mean Σ_c (p_c − [y = c])² (Brier 1950; scikit-learn 1.2's
 *                       brier_score_loss is binary only, so the reference is NumPy);
 *   top_k_accuracy    = share of rows whose class is among the k most probable
 *                       (top_k_accuracy_score, ties broken as its stable sort does).
 *
 * Where scikit-learn substitutes 0 for a ratio with a zero denominator, a metric of
 * one class reports "undefined" with the reason, as the binary metrics do. The
 * averages follow scikit-learn where a single class would otherwise leave the whole
 * average undefined: a class never predicted counts 0 in macro and weighted
 * precision (and f1 0 when it also has no rows), while an average over a class
 * with no rows at all (macro_*) is undefined, since the suite's class list says
 * the class exists and its recall was not measured.
 *
 * Mergeable: every field is a sum, so shards add them; the value is computed once
 * from the merged sums. The AUC pair counts need each shard's rows sorted by score
 * against every other shard's (a merge of sorted runs), as the binary AUC does.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "modelgate/error.h"
#include "modelgate/metrics.h"

double mg_metric_row_log_loss_multiclass(const double *p, size_t classes,
                                         size_t true_class)
{
    double sum = 0, py = 0;
    for (size_t c = 0; c < classes; c++) {
        double q = fmin(fmax(p[c], DBL_EPSILON), 1.0 - DBL_EPSILON);
        sum += q;
        if (c == true_class)
            py = q;
    }
    return -log(py / sum);
}

double mg_metric_row_brier_multiclass(const double *p, size_t classes,
                                      size_t true_class)
{
    double sum = 0;
    for (size_t c = 0; c < classes; c++) {
        double e = p[c] - (c == true_class ? 1.0 : 0.0);
        sum += e * e;
    }
    return sum;
}

int mg_metric_row_top_k(const double *p, size_t classes, size_t true_class, size_t k)
{
    size_t above = 0;
    double py = p[true_class];
    for (size_t c = 0; c < classes; c++)
        above += p[c] > py || (p[c] == py && c > true_class);
    return above < k;
}

mg_metric_parameter mg_metric_parameter_of(mg_metric m)
{
    switch (m) {
    case MG_METRIC_MC_PRECISION:
    case MG_METRIC_MC_RECALL:
    case MG_METRIC_MC_F1:
    case MG_METRIC_MC_AUC:
        return MG_PARAMETER_CLASS;
    case MG_METRIC_MC_TOP_K_ACCURACY:
        return MG_PARAMETER_K;
    default:
        return MG_PARAMETER_NONE;
    }
}

int mg_metric_for_task(const char *name, mg_task task)
{
    for (int m = 0; m < MG_METRIC_COUNT; m++) {
        const mg_metric_info *mi = mg_metric_get((mg_metric)m);
        if (mi->task == task && strcmp(mi->name, name) == 0)
            return m;
    }
    return -1;
}

static int undefined(const char **reason, const char *why)
{
    if (reason)
        *reason = why;
    return MG_ENUMERIC;
}

/* Row and column sums of the confusion matrix: rows of each class, predictions. */
typedef struct margins {
    double n, trace;
    double row[256], col[256]; /* K <= 256: the loader's limit on classes */
} margins;

static void margins_of(const mg_multiclass_stats *s, margins *g)
{
    const size_t K = s->classes;
    g->n = g->trace = 0;
    memset(g->col, 0, K * sizeof *g->col);
    for (size_t i = 0; i < K; i++) {
        g->row[i] = 0;
        for (size_t j = 0; j < K; j++) {
            double x = s->confusion[i * K + j];
            g->row[i] += x;
            g->col[j] += x;
        }
        g->n += g->row[i];
        g->trace += s->confusion[i * K + i];
    }
}

/* One class's precision, recall or f1 (which: 0, 1, 2); NaN when undefined. */
static double class_score(const mg_multiclass_stats *s, const margins *g, size_t c,
                          int which)
{
    double tp = s->confusion[c * s->classes + c];
    double den = which == 0   ? g->col[c]
                 : which == 1 ? g->row[c]
                              : g->col[c] + g->row[c];
    if (!(den > 0))
        return NAN;
    return (which == 2 ? 2 * tp : tp) / den;
}

/* Macro (weighted = 0) or support-weighted (weighted = 1) average of a class score;
 * a class never predicted counts 0 in precision and f1, as in scikit-learn. */
static int average(const mg_multiclass_stats *s, const margins *g, int which,
                   int weighted, double *out, const char **reason)
{
    double sum = 0, weight = 0;
    for (size_t c = 0; c < s->classes; c++) {
        double v = class_score(s, g, c, which), w = weighted ? g->row[c] : 1;
        if (!weighted && !(g->row[c] > 0))
            return undefined(reason, "a class has no rows");
        sum += w * (isnan(v) ? 0 : v);
        weight += w;
    }
    if (!(weight > 0))
        return undefined(reason, "no rows");
    *out = sum / weight;
    return 0;
}

static int class_auc(const mg_multiclass_stats *s, const margins *g, size_t c,
                     double *out, const char **reason)
{
    double pos = g->row[c], neg = g->n - g->row[c];
    if (s->auc_u == NULL)
        return undefined(reason, "the model has no probabilities");
    if (!(pos > 0))
        return undefined(reason, "the class has no rows");
    if (!(neg > 0))
        return undefined(reason, "every row is of the class");
    *out = s->auc_u[c] / pos / neg;
    return 0;
}

int mg_multiclass_value(mg_metric m, const mg_multiclass_stats *s, long param,
                        double *out, const char **reason)
{
    const mg_metric_info *mi = mg_metric_get(m);
    const size_t K = s->classes;
    margins g;
    double v;

    if (mi == NULL || mi->task != MG_TASK_MULTICLASS || K < 2 || K > 256)
        return undefined(reason, "not a multiclass metric");
    if (mg_metric_parameter_of(m) == MG_PARAMETER_CLASS &&
        (param < 0 || (size_t)param >= K)) {
        if (reason)
            *reason = "no such class";
        return MG_EINVAL;
    }
    margins_of(s, &g);
    switch (m) {
    case MG_METRIC_MC_N:
        *out = g.n;
        return 0;
    case MG_METRIC_MC_ACCURACY:
    case MG_METRIC_MC_MICRO_PRECISION:
    case MG_METRIC_MC_MICRO_RECALL:
    case MG_METRIC_MC_MICRO_F1:
        if (!(g.n > 0))
            return undefined(reason, "no rows");
        *out = g.trace / g.n;
        return 0;
    case MG_METRIC_MC_TOP_K_ACCURACY:
        if (!(g.n > 0))
            return undefined(reason, "no rows");
        *out = s->top_k_hits / g.n;
        return 0;
    case MG_METRIC_MC_PRECISION:
    case MG_METRIC_MC_RECALL:
    case MG_METRIC_MC_F1: {
        int which = m == MG_METRIC_MC_PRECISION ? 0 : m == MG_METRIC_MC_RECALL ? 1 : 2;
        v = class_score(s, &g, (size_t)param, which);
        if (isnan(v))
            return undefined(reason, mi->undefined);
        *out = v;
        return 0;
    }
    case MG_METRIC_MC_AUC:
        return class_auc(s, &g, (size_t)param, out, reason);
    case MG_METRIC_MC_MACRO_PRECISION:
        return average(s, &g, 0, 0, out, reason);
    case MG_METRIC_MC_MACRO_RECALL:
        return average(s, &g, 1, 0, out, reason);
    case MG_METRIC_MC_MACRO_F1:
        return average(s, &g, 2, 0, out, reason);
    case MG_METRIC_MC_WEIGHTED_PRECISION:
        return average(s, &g, 0, 1, out, reason);
    case MG_METRIC_MC_WEIGHTED_RECALL:
        return average(s, &g, 1, 1, out, reason);
    case MG_METRIC_MC_WEIGHTED_F1:
        return average(s, &g, 2, 1, out, reason);
    case MG_METRIC_MC_MACRO_AUC: {
        double sum = 0;
        for (size_t c = 0; c < K; c++) {
            int rc = class_auc(s, &g, c, &v, reason);
            if (rc != 0) {
                if (reason && *reason && strncmp(*reason, "the class", 9) == 0)
                    *reason = mi->undefined;
                return rc;
            }
            sum += v;
        }
        *out = sum / (double)K;
        return 0;
    }
    case MG_METRIC_MC_BALANCED_ACCURACY: {
        double sum = 0, present = 0;
        for (size_t c = 0; c < K; c++)
            if (g.row[c] > 0) {
                sum += s->confusion[c * K + c] / g.row[c];
                present++;
            }
        if (!(present > 0))
            return undefined(reason, "no rows");
        *out = sum / present;
        return 0;
    }
    case MG_METRIC_MC_COHEN_KAPPA: {
        double pe = 0;
        if (!(g.n > 0))
            return undefined(reason, "no rows");
        for (size_t c = 0; c < K; c++)
            pe += (g.row[c] / g.n) * (g.col[c] / g.n);
        if (!(pe < 1))
            return undefined(reason, mi->undefined);
        *out = (g.trace / g.n - pe) / (1 - pe);
        return 0;
    }
    case MG_METRIC_MC_MCC: {
        double rr = 0, cc = 0, rc_ = 0, den;
        for (size_t c = 0; c < K; c++) {
            rr += g.row[c] * g.row[c];
            cc += g.col[c] * g.col[c];
            rc_ += g.row[c] * g.col[c];
        }
        den = sqrt(g.n * g.n - cc) * sqrt(g.n * g.n - rr);
        if (!(den > 0))
            return undefined(reason, mi->undefined);
        *out = (g.trace * g.n - rc_) / den;
        return 0;
    }
    case MG_METRIC_MC_LOG_LOSS:
    case MG_METRIC_MC_BRIER:
        if (s->auc_u == NULL)
            return undefined(reason, "the model has no probabilities");
        if (!(g.n > 0))
            return undefined(reason, "no rows");
        *out = (m == MG_METRIC_MC_LOG_LOSS ? s->log_loss_sum : s->brier_sum) / g.n;
        return 0;
    default:
        break;
    }
    return undefined(reason, "not a multiclass metric");
}

double mg_multiclass_effective_size(mg_metric m, const mg_multiclass_stats *s,
                                    long param)
{
    margins g;
    double small = HUGE_VAL;
    size_t c = param >= 0 && (size_t)param < s->classes ? (size_t)param : 0;
    if (s->classes < 2 || s->classes > 256)
        return 0;
    margins_of(s, &g);
    switch (m) {
    case MG_METRIC_MC_PRECISION:
        return g.col[c];
    case MG_METRIC_MC_RECALL:
    case MG_METRIC_MC_F1:
        return g.row[c];
    case MG_METRIC_MC_AUC:
        return fmin(g.row[c], g.n - g.row[c]);
    case MG_METRIC_MC_MACRO_PRECISION:
    case MG_METRIC_MC_MACRO_RECALL:
    case MG_METRIC_MC_MACRO_F1:
    case MG_METRIC_MC_MACRO_AUC:
        for (size_t q = 0; q < s->classes; q++)
            small = fmin(small, g.row[q]);
        return small;
    default:
        return g.n;
    }
}
