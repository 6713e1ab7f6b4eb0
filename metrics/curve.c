/*
 * Calibration and operating points of a binary classifier, from one weighted pass
 * over the rows in descending score order.
 *
 * Calibration. Rows fall into B bins of their score. Equal-width bins have the
 * interior edges e_i = i · (1 / B), i = 1 … B − 1; equal-mass bins have the edges at
 * the scores' quantiles q_i = i / B, read as numpy.percentile's linear rule reads
 * the rows repeated by their weights: position h = q (W − 1) in ascending order,
 * value x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋). A row goes to bin b when
 * e_b < score <= e_b+1 (numpy.searchsorted, side "left"), which is scikit-learn's
 * calibration_curve for both strategies. From the per-bin sums w_b, sp_b (score)
 * and sy_b (label), with f_b = sp_b / w_b, o_b = sy_b / w_b, ō = Σ sy_b / W:
 *
 *   ece         = Σ_b w_b |f_b − o_b| / W = Σ_b |sp_b − sy_b| / W
 *   reliability = Σ_b w_b (f_b − o_b)² / W       (Murphy 1973, "Reliability")
 *   resolution  = Σ_b w_b (o_b − ō)² / W         ("Resolution")
 *   uncertainty = ō (1 − ō)                       ("Uncertainty")
 *
 * Brier = reliability − resolution + uncertainty holds exactly when every bin holds
 * one forecast value; with binned continuous scores the within-bin spread of the
 * scores makes up the rest (Stephenson, Coelho & Jolliffe 2008). Equal-width bins
 * depend on the row alone, so their sums merge across shards by addition;
 * equal-mass edges are quantiles of the whole data and do not.
 *
 * Logistic recalibration (Cox 1958): label ~ a + b · logit(score), the scores
 * clipped to [ε, 1 − ε], ε = DBL_EPSILON (as log_loss clips), fitted by Newton's
 * method on the weighted log-likelihood, which for the logit link is IRLS, from
 * (a, b) = (0, 1) — a calibrated model — with step halving should a step lower
 * the likelihood. A perfect model has intercept 0 and slope 1; a slope below 1
 * means over-confident scores. Separated classes have no finite fit: the kernel
 * reports the values undefined when Newton's method has not settled after
 * MAX_NEWTON steps or the slope has run past SEPARATED. R's glm(family = binomial)
 * is the reference (tests/reference/make_curve_reference.R).
 *
 * Operating points. Thresholds are the distinct scores of rows of positive
 * weight; at threshold t a row is predicted positive when score >= t, so the
 * cumulative weights TP(t), FP(t) after each tied group are the points of the ROC
 * and precision-recall curves (scikit-learn's roc_curve and
 * precision_recall_curve, without dropped points). Each operating point maximises
 * one rate subject to a bound on another; among thresholds with the same best
 * value it takes the one with the better bound (the highest threshold for recall
 * at precision and tpr at fpr, the lowest for precision at recall and
 * specificity at sensitivity). No threshold meeting the bound: undefined.
 * precision@k and recall@k read the top k units of weight; a tied group that
 * straddles the k-th unit counts its positives pro rata, the expected value when
 * ties are broken at random; k beyond the rows' weight is cut to it.
 *
 * Partial AUC: the area under the ROC polyline (ties give diagonal segments, as
 * pROC's curve has) between fpr lo and hi, the ends interpolated linearly, then
 * McClish's (1989) standardisation (1 + (A − min) / (max − min)) / 2, min the
 * chance diagonal's area (hi² − lo²) / 2, max the area hi − lo; 0.5 is chance and
 * 1 a perfect model, as pROC's partial.auc.correct.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "metrics/curve.h"
#include "modelgate/error.h"

#define MAX_NEWTON 100
#define SEPARATED  1e6

static double weight(const mg__scored *r, size_t i)
{
    return r->weight ? r->weight[i] : 1.0;
}

static int undefined(const char **reason, const char *why)
{
    if (reason)
        *reason = why;
    return MG_ENUMERIC;
}

/* ---- Calibration ------------------------------------------------------- */

/* The score at 0-based position m of the rows repeated by weight, ascending. The
 * cursor (*i counting rows from the lowest score, *below the weight of the rows
 * before it) only moves up, so increasing m cost one sweep in all. */
static double at_position(const mg__scored *r, double m, size_t *i, double *below)
{
    for (;;) {
        size_t row = r->n - 1 - *i;
        double w = weight(r, row);
        if (m < *below + w || *i + 1 == r->n)
            return r->score[row];
        *below += w;
        ++*i;
    }
}

/* numpy.percentile (method "linear") of the repeated rows at quantile i / B,
 * with numpy's own arithmetic so that an edge that is a row's score is exactly it. */
static double mass_edge(const mg__scored *r, double W, size_t i, size_t B, size_t *cur,
                        double *below)
{
    double q = (double)i * (1.0 / (double)B) * 100.0 / 100.0;
    double h = (W - 1) * q, lo = floor(h), g = h - lo;
    double a = at_position(r, lo, cur, below);
    size_t keep_i = *cur;
    double keep_below = *below;
    double b = lo + 1 <= W - 1 ? at_position(r, lo + 1, cur, below) : a;
    double d = b - a;
    *cur = keep_i, *below = keep_below;
    return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

int mg__curve_bins(mg__bins *out, const mg__scored *r, size_t nbins,
                   mg__binning binning, const char **reason)
{
    double edge[MG__CURVE_MAX_BINS + 1], W = 0;
    size_t b = 0;

    if (nbins < 1 || nbins > MG__CURVE_MAX_BINS)
        return MG_EINVAL;
    memset(out, 0, sizeof *out);
    out->nbins = nbins;
    for (size_t i = 0; i < r->n; i++)
        W += weight(r, i);
    if (!(W > 0))
        return undefined(reason, "no rows");
    if (binning == MG__BINNING_WIDTH) {
        for (size_t i = 1; i < nbins; i++)
            edge[i] = (double)i * (1.0 / (double)nbins);
    } else {
        size_t cur = 0;
        double below = 0;
        for (size_t i = 1; i < nbins; i++)
            edge[i] = mass_edge(r, W, i, nbins, &cur, &below);
    }
    /* Ascending sweep: bin b holds e_b < score <= e_b+1. */
    for (size_t k = r->n; k-- > 0;) {
        double w = weight(r, k), s = r->score[k];
        if (w == 0)
            continue;
        while (b + 1 < nbins && edge[b + 1] < s)
            b++;
        out->w[b] += w;
        out->sp[b] += w * s;
        out->sy[b] += w * r->label[k];
    }
    return 0;
}

int mg__curve_calibration(mg__calibration *out, const mg__bins *b, const char **reason)
{
    double W = 0, Y = 0, ece = 0, rel = 0, res = 0, ybar;

    for (size_t k = 0; k < b->nbins; k++)
        W += b->w[k], Y += b->sy[k];
    if (!(W > 0))
        return undefined(reason, "no rows");
    ybar = Y / W;
    for (size_t k = 0; k < b->nbins; k++) {
        double f, o;
        if (b->w[k] == 0)
            continue;
        f = b->sp[k] / b->w[k], o = b->sy[k] / b->w[k];
        ece += fabs(b->sp[k] - b->sy[k]);
        rel += b->w[k] * (f - o) * (f - o);
        res += b->w[k] * (o - ybar) * (o - ybar);
    }
    out->ece = ece / W;
    out->reliability = rel / W;
    out->resolution = res / W;
    out->uncertainty = ybar * (1 - ybar);
    return 0;
}

double mg__curve_logit(double s)
{
    double p = fmin(fmax(s, DBL_EPSILON), 1.0 - DBL_EPSILON);
    return log(p) - log1p(-p);
}

/* The weighted log-likelihood Σ w [y η − log(1 + e^η)], η = a + b x, its gradient
 * g and its information H (the Hessian's negative) at (a, b), in one pass. */
static double evaluate(const mg__scored *r, double a, double b, double g[2],
                       double H[3])
{
    double ll = 0;
    g[0] = g[1] = H[0] = H[1] = H[2] = 0;
    for (size_t i = 0; i < r->n; i++) {
        double w = weight(r, i), x, eta, e, mu, v, resid;
        if (w == 0)
            continue;
        x = r->logit ? r->logit[i] : mg__curve_logit(r->score[i]);
        eta = a + b * x;
        e = exp(-fabs(eta)); /* log(1 + e^η) = max(η, 0) + log1p(e^−|η|) */
        mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
        ll += w * ((r->label[i] ? eta : 0) - fmax(eta, 0) - log1p(e));
        resid = w * (r->label[i] - mu), v = w * mu * (1 - mu);
        g[0] += resid, g[1] += resid * x;
        H[0] += v, H[1] += v * x, H[2] += v * x * x;
    }
    return ll;
}

int mg__curve_recalibration(double *intercept, double *slope, const mg__scored *r,
                            const char **reason)
{
    double a = 0, b = 1, pos = 0, neg = 0, xmin = HUGE_VAL, xmax = -HUGE_VAL;
    double from_a = 0, from_b = 1, da = 0, db = 0, step = 1, best = -HUGE_VAL;

    for (size_t i = 0; i < r->n; i++) {
        double w = weight(r, i), x;
        if (w == 0)
            continue;
        x = r->logit ? r->logit[i] : mg__curve_logit(r->score[i]);
        *(r->label[i] ? &pos : &neg) += w;
        xmin = fmin(xmin, x), xmax = fmax(xmax, x);
    }
    if (!(pos > 0) || !(neg > 0))
        return undefined(reason, "no positives or no negatives");
    if (!(xmax > xmin))
        return undefined(reason, "one distinct score");
    for (int it = 0, halvings = 0; it < MAX_NEWTON && halvings < 60; it++) {
        double g[2], H[3], det, ll = evaluate(r, a, b, g, H);
        if (ll < best - 1e-12 * fabs(best)) {
            /* The last step overshot: halve it from where it started. */
            step /= 2, halvings++;
            a = from_a + step * da, b = from_b + step * db;
            continue;
        }
        best = ll;
        det = H[0] * H[2] - H[1] * H[1];
        if (!(det > 0) || !isfinite(det))
            break;
        da = (H[2] * g[0] - H[1] * g[1]) / det;
        db = (H[0] * g[1] - H[1] * g[0]) / det;
        if (fabs(da) + fabs(db) <= 1e-13 * (1 + fabs(a) + fabs(b))) {
            *intercept = a + da, *slope = b + db;
            return 0;
        }
        from_a = a, from_b = b, step = 1;
        a += da, b += db;
        if (fabs(b) > SEPARATED)
            break;
    }
    return undefined(reason, "the score separates the classes: no finite "
                             "recalibration");
}

/* ---- Operating points -------------------------------------------------- */

int mg__curve_operating(double *value, double *threshold, const mg__scored *r,
                        mg__operating op, double x, const char **reason)
{
    double P = 0, N = 0, tp = 0, fp = 0, best = -HUGE_VAL, best_t = 0;
    int found = 0;

    for (size_t i = 0; i < r->n; i++)
        *(r->label[i] ? &P : &N) += weight(r, i);
    if (op == MG__OP_PRECISION_AT_K_SHARE || op == MG__OP_RECALL_AT_K_SHARE) {
        x *= P + N;
        op = op == MG__OP_PRECISION_AT_K_SHARE ? MG__OP_PRECISION_AT_K
                                               : MG__OP_RECALL_AT_K;
    }
    if (!(P + N > 0))
        return undefined(reason, "no rows");
    if (op != MG__OP_PRECISION_AT_K && !(P > 0))
        return undefined(reason, "no positives");
    if ((op == MG__OP_TPR_AT_FPR || op == MG__OP_SPECIFICITY_AT_SENSITIVITY) &&
        !(N > 0))
        return undefined(reason, "no negatives");
    if (op == MG__OP_PRECISION_AT_K || op == MG__OP_RECALL_AT_K) {
        double k = fmin(x, P + N), before = 0;
        if (!(k > 0))
            return undefined(reason, "k is no rows");
        for (size_t i = 0; i < r->n;) {
            double gw = 0, gp = 0, s = r->score[i];
            for (; i < r->n && r->score[i] == s; i++) {
                gw += weight(r, i);
                gp += r->label[i] ? weight(r, i) : 0;
            }
            if (gw == 0)
                continue;
            *threshold = s;
            if (before + gw >= k) {
                tp += (k - before) * gp / gw;
                break;
            }
            before += gw, tp += gp;
        }
        /* Past the loop without a break, k is every row: P + N summed in another
         * order may exceed the running weight in the last bits. */
        *value = op == MG__OP_PRECISION_AT_K ? tp / k : tp / P;
        return 0;
    }
    for (size_t i = 0; i < r->n;) {
        double gw = 0, s = r->score[i], v = 0;
        int ok = 0;
        for (; i < r->n && r->score[i] == s; i++) {
            double w = weight(r, i);
            gw += w;
            *(r->label[i] ? &tp : &fp) += w;
        }
        if (gw == 0)
            continue;
        switch (op) {
        case MG__OP_RECALL_AT_PRECISION:
            ok = tp / (tp + fp) >= x, v = tp / P;
            ok = ok && v > best;
            break;
        case MG__OP_PRECISION_AT_RECALL:
            ok = tp / P >= x, v = tp / (tp + fp);
            ok = ok && v >= best;
            break;
        case MG__OP_TPR_AT_FPR:
            ok = fp / N <= x, v = tp / P;
            ok = ok && v > best;
            break;
        default: /* MG__OP_SPECIFICITY_AT_SENSITIVITY */
            ok = tp / P >= x, v = 1 - fp / N;
            ok = ok && v >= best;
            break;
        }
        if (ok)
            best = v, best_t = s, found = 1;
    }
    if (!found)
        return undefined(reason, op == MG__OP_RECALL_AT_PRECISION
                                     ? "no threshold reaches the precision"
                                 : op == MG__OP_TPR_AT_FPR
                                     ? "no threshold keeps the fpr within its bound"
                                     : "no threshold reaches the bound");
    *value = best, *threshold = best_t;
    return 0;
}

int mg__curve_partial_auc(double *value, double *raw, const mg__scored *r, double lo,
                          double hi, const char **reason)
{
    double P = 0, N = 0, tp = 0, fp = 0, x0 = 0, y0 = 0, area = 0, min, max;

    if (!(lo >= 0 && lo < hi && hi <= 1))
        return MG_EINVAL;
    for (size_t i = 0; i < r->n; i++)
        *(r->label[i] ? &P : &N) += weight(r, i);
    if (!(P > 0) || !(N > 0))
        return undefined(reason, "no positives or no negatives");
    for (size_t i = 0; i < r->n;) {
        double s = r->score[i], x1, y1, a, b;
        for (; i < r->n && r->score[i] == s; i++)
            *(r->label[i] ? &tp : &fp) += weight(r, i);
        x1 = fp / N, y1 = tp / P;
        a = fmax(x0, lo), b = fmin(x1, hi);
        if (x1 > x0 && a < b) {
            double ya = y0 + (y1 - y0) * (a - x0) / (x1 - x0);
            double yb = y0 + (y1 - y0) * (b - x0) / (x1 - x0);
            area += (b - a) * (ya + yb) / 2;
        }
        x0 = x1, y0 = y1;
    }
    min = (hi * hi - lo * lo) / 2, max = hi - lo;
    if (raw)
        *raw = area;
    *value = (1 + (area - min) / (max - min)) / 2;
    return 0;
}
