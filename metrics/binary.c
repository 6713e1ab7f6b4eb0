/*
 * Binary-classification metrics over weighted sufficient statistics.
 *
 * Each metric is a closed-form function of a handful of weighted sums (see
 * mg_binary_stats): the confusion counts at the threshold, the Mann–Whitney pair
 * count for the AUC, the precision-weighted positive mass for average precision, and
 * sums of per-row losses. With unit weights these reproduce scikit-learn's
 * definitions:
 *
 *   auc               = U / (P · N), U counting tied (positive, negative) pairs as ½
 *                       (roc_auc_score);
 *   average_precision = Σ_k (R_k − R_{k−1}) P_k over distinct score thresholds in
 *                       descending order (average_precision_score, no interpolation),
 *                       which is Σ_groups pos_g · precision_g / P;
 *   log_loss          = mean of −[y log p + (1 − y) log(1 − p)], p clipped to
 *                       [ε, 1 − ε] with ε = DBL_EPSILON (log_loss's eps="auto");
 *   brier             = mean of (p − y)² (brier_score_loss);
 *   mcc               = (tp·tn − fp·fn) / √((tp+fp)(tp+fn)(tn+fp)(tn+fn)).
 *
 * Where scikit-learn silently substitutes a convention (0 for a precision with no
 * predicted positives, 0 for an MCC with a zero denominator, NaN for an AUC with
 * one class) we report the metric as undefined with the reason instead: a test must
 * not pass or fail on a number nobody measured.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "modelgate/error.h"
#include "modelgate/metrics.h"

double mg_metric_row_log_loss(double score, int label)
{
    double p = fmin(fmax(score, DBL_EPSILON), 1.0 - DBL_EPSILON);
    return label ? -log(p) : -log1p(-p);
}

double mg_metric_row_brier(double score, int label)
{
    double e = score - (label ? 1.0 : 0.0);
    return e * e;
}

/* Store a ratio when its denominator is positive; say why not otherwise. */
static int ratio(double num, double den, double *out, const char **reason,
                 const char *why)
{
    if (!(den > 0)) {
        if (reason)
            *reason = why;
        return MG_ENUMERIC;
    }
    *out = num / den;
    return 0;
}

int mg_metric_value(mg_metric m, const mg_binary_stats *s, double *out,
                    const char **reason)
{
    double n = s->tp + s->fp + s->tn + s->fn;
    double p = s->tp + s->fn, q = s->tn + s->fp;
    double pp = s->tp + s->fp, pn = s->tn + s->fn;
    double recall, specificity;

    switch (m) {
    case MG_METRIC_N:
        *out = n;
        return 0;
    case MG_METRIC_PREVALENCE:
        return ratio(p, n, out, reason, "no rows");
    case MG_METRIC_POSITIVE_RATE:
        return ratio(pp, n, out, reason, "no rows");
    case MG_METRIC_ACCURACY:
        return ratio(s->tp + s->tn, n, out, reason, "no rows");
    case MG_METRIC_PRECISION:
        return ratio(s->tp, pp, out, reason, "no predicted positives");
    case MG_METRIC_RECALL:
        return ratio(s->tp, p, out, reason, "no positives");
    case MG_METRIC_SPECIFICITY:
        return ratio(s->tn, q, out, reason, "no negatives");
    case MG_METRIC_F1:
        return ratio(2 * s->tp, 2 * s->tp + s->fp + s->fn, out, reason,
                     "no positives and no predicted positives");
    case MG_METRIC_BALANCED_ACCURACY:
        if (!(p > 0) || !(q > 0)) {
            if (reason)
                *reason = p > 0 ? "no negatives" : "no positives";
            return MG_ENUMERIC;
        }
        recall = s->tp / p;
        specificity = s->tn / q;
        *out = (recall + specificity) / 2;
        return 0;
    case MG_METRIC_MCC: {
        /* Each factor is a sum of non-negative weights, so the product is exact
         * enough; take square roots pairwise to keep it in range for huge n. */
        double den = sqrt(pp * p) * sqrt(q * pn);
        if (!(den > 0)) {
            if (reason)
                *reason = !(p > 0)    ? "no positives"
                          : !(q > 0)  ? "no negatives"
                          : !(pp > 0) ? "no predicted positives"
                                      : "no predicted negatives";
            return MG_ENUMERIC;
        }
        *out = (s->tp * s->tn - s->fp * s->fn) / den;
        return 0;
    }
    case MG_METRIC_AUC:
        if (!(s->pos > 0) || !(s->neg > 0)) {
            if (reason)
                *reason = s->pos > 0 ? "no negatives" : "no positives";
            return MG_ENUMERIC;
        }
        *out = s->auc_u / s->pos / s->neg;
        return 0;
    case MG_METRIC_AVERAGE_PRECISION:
        return ratio(s->ap_sum, s->pos, out, reason, "no positives");
    case MG_METRIC_LOG_LOSS:
        return ratio(s->log_loss_sum, s->pos + s->neg, out, reason, "no rows");
    case MG_METRIC_BRIER:
        return ratio(s->brier_sum, s->pos + s->neg, out, reason, "no rows");
    default: /* MG_METRIC_COUNT, and the other tasks' metrics */
        break;
    }
    if (reason)
        *reason = "not a binary-classification metric";
    return MG_EINVAL;
}
