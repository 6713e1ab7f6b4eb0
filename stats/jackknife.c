/*
 * The jackknife behind BCa's acceleration, exactly and in closed form.
 *
 * BCa (Efron 1987, "Better bootstrap confidence intervals", JASA 82:171–185; Efron
 * & Tibshirani 1993, eq. 14.15) takes its acceleration from the jackknife: with
 * d_i = θ₍₋ᵢ₎ − θ̂ the change of a statistic when resampling unit i is left out,
 * a = Σd³ / (6 (Σd²)^{3/2}) (stats/intervals.c). This file returns the power sums
 * n, Σd, Σd², Σd³ for every model, slice and metric, and for every requested model
 * pair the sums of the row-wise differences of its two models' deviations. It
 * never re-evaluates a statistic N times; each leave-one-out value has a closed
 * form:
 *
 * - confusion counts (accuracy, precision, …): leaving out a row lowers one count
 *   by one, so each of a slice's four confusion cells is evaluated once and
 *   weighted by its count (a pair's eight joint cells by their counts);
 * - the AUC: for a positive row i with placement V_i (the negatives below it, ties
 *   counting ½; DeLong, DeLong & Clarke-Pearson 1988, "Comparing the areas under
 *   two or more correlated ROC curves", Biometrics 44:837–845),
 *   AUC₍₋ᵢ₎ − AUC = (U − P·V_i) / (P(P−1)N), and symmetrically for a negative;
 * - average precision: removing a row shifts the true- or false-positive count of
 *   every later threshold by one; prefix sums over the score groups (forward) and
 *   suffix sums of the shifted terms (backward) give AP₍₋ᵢ₎ in O(1) per row;
 * - means (log loss, Brier): (S − n·x_i) / (n(n−1)).
 *
 * With clusters the jackknife leaves out whole clusters: sums that add over rows
 * lose the cluster's share, and the Mann–Whitney count loses the sum of the
 * cluster's rows' placements, which counts the cluster's own pairs twice, so they
 * are added back. Average precision has no such decomposition (removing rows at
 * many depths changes every later precision), so its acceleration is marked
 * unavailable and its interval is bias-corrected only.
 *
 * A unit whose leave-one-out value is undefined (the last positive of a slice, say)
 * is counted in `undefined`, not in the sums; a statistic undefined on the full
 * data contributes nothing. The jackknife reads only the point estimates and the
 * sorted rows, so the driver runs it while the workers compute the replicates.
 *
 * Numerical notes: a row's AUC and mean deviations are computed as differences in
 * closed form, not as θ₍₋ᵢ₎ − θ̂ of two nearly equal numbers. The confusion metrics,
 * average precision and every leave-one-cluster-out value are such differences:
 * their absolute error is about ε while deviations are about 1/n (1/clusters), a
 * relative error of order n·ε, harmless in an acceleration constant. Sums run in
 * a fixed order over cells, slicings and rows (rows in the canonical order of
 * stats/engine.c), whatever the thread count, the file's row order or the other
 * slicings and models.
 */
#include <math.h>
#include <string.h>

#include "stats/engine_internal.h"

/* ---- Power sums ------------------------------------------------------------ */

static void jack_add(mg__jack *j, double d, double mult)
{
    double d2 = d * d;
    j->s1 += mult * d;
    j->s2 += mult * d2;
    j->s3 += mult * d2 * d;
}

/* A deviation, NaN when the leave-one-out value is undefined. */
static void jack_value(mg__jack *j, double d, double mult)
{
    if (isnan(d))
        j->undefined += mult;
    else
        jack_add(j, d, mult);
}

/* A pair's deviation: the difference of its models', undefined with either. */
static void jack_pair(mg__jack *j, double d1, double d2, double mult)
{
    if (isnan(d1) || isnan(d2))
        j->undefined += mult;
    else
        jack_add(j, d1 - d2, mult);
}

/*
 * Metric mt's deviation when the statistics st0 become st, added into j with weight
 * mult. NaN when the metric is undefined on st0 (then nothing is added: there is no
 * interval to accelerate) or on st (then counted as undefined).
 */
static double leave_out(mg__jack *j, int mt, const mg_binary_stats *st0,
                        const mg_binary_stats *st, double mult)
{
    double v0, v1;
    if (mg_metric_value(mt, st0, &v0, NULL) != 0)
        return NAN;
    if (mg_metric_value(mt, st, &v1, NULL) != 0) {
        j->undefined += mult;
        return NAN;
    }
    jack_add(j, v1 - v0, mult);
    return v1 - v0;
}

/*
 * Every pair's deviations on slice s from its models' (dev: M × MG_METRIC_COUNT,
 * NaN where undefined), for the metrics where covered[metric] is set.
 */
static void jack_pairs(const mg__plan *p, size_t s, const double *dev, double mult,
                       const unsigned char *covered)
{
    for (size_t q = 0; q < p->o->npairs; q++) {
        const double *d1 = &dev[p->o->pairs[q][0] * MG_METRIC_COUNT];
        const double *d2 = &dev[p->o->pairs[q][1] * MG_METRIC_COUNT];
        mg__jack *j = &p->e->jack[mg__jack_index(p->e, p->M + q, s, 0)];
        for (int mt = 0; mt < MG_METRIC_COUNT; mt++)
            if (covered[mt])
                jack_pair(&j[mt], d1[mt], d2[mt], mult);
    }
}

/* narrays arrays of n doubles, or NULL (nothing left allocated). */
static double **alloc_rows(size_t narrays, size_t n)
{
    double **a = mg__xcalloc(narrays, sizeof *a);
    for (size_t q = 0; a != NULL && q < narrays; q++)
        if ((a[q] = malloc(n * sizeof(double))) == NULL) {
            for (size_t r = 0; r < q; r++)
                free(a[r]);
            free(a);
            return NULL;
        }
    return a;
}

static void free_rows(double **a, size_t narrays)
{
    if (a != NULL)
        for (size_t q = 0; q < narrays; q++)
            free(a[q]);
    free(a);
}

/* ---- Confusion family: leave out one row of a confusion cell --------------- */

/* A row's confusion cell: 0 tp, 1 fp, 2 tn, 3 fn (the order of mg_binary_stats). */
static inline int cell_of(int y, int pred)
{
    return y ? (pred ? 0 : 3) : (pred ? 1 : 2);
}

/*
 * Leaving out one row changes a slice's confusion counts only through the row's
 * cell, so a model's deviations on a slice take four values, weighted by the cell
 * counts of the point estimate; a pair's take eight, weighted by the slice's joint
 * counts of (label, the model's prediction, the baseline's), which are integer sums
 * over atoms. Summing per cell rather than per atom makes the sums independent of
 * how the atoms split (other slicings, other models) and of the rows' order.
 */
static int jack_confusion(mg__plan *p, mg_error *err)
{
    mg__engine *e = p->e;
    const size_t M = p->M, S = p->S, npairs = p->o->npairs;
    double *dev = mg__xcalloc(M * 4 * MG_METRIC_COUNT, sizeof *dev);
    double *joint = mg__xcalloc(npairs * S * 8, sizeof *joint);
    unsigned char confusion[MG_METRIC_COUNT];

    if (dev == NULL || joint == NULL) {
        free(dev);
        free(joint);
        return mg__engine_nomem(err);
    }
    for (int mt = 0; mt < MG_METRIC_COUNT; mt++)
        confusion[mt] = mg_metric_family(mt) == MG_FAMILY_CONFUSION;
    for (size_t a = 0; a < p->natoms && npairs > 0; a++) {
        size_t i = p->atom_rep[a];
        const uint16_t *sid = &p->row_sid[i * p->nsid];
        int y = p->d->label[i];
        for (size_t q = 0; q < npairs; q++) {
            size_t m = p->o->pairs[q][0], b = p->o->pairs[q][1];
            int code = 4 * y + 2 * (p->d->score[m][i] >= p->d->threshold[m]) +
                       (p->d->score[b][i] >= p->d->threshold[b]);
            for (size_t k = 0; k < p->nsid; k++)
                joint[((q * S) + sid[k]) * 8 + (size_t)code] += p->atom_count[a];
        }
    }
    for (size_t s = 0; s < e->nslices; s++) {
        for (size_t m = 0; m < M; m++) {
            const mg_binary_stats *st0 = &e->est[m * S + s];
            const double count[4] = {st0->tp, st0->fp, st0->tn, st0->fn};
            mg__jack *j = &e->jack[mg__jack_index(e, m, s, 0)];
            for (int c = 0; c < 4; c++) {
                mg_binary_stats st = *st0;
                double *d = &dev[(m * 4 + (size_t)c) * MG_METRIC_COUNT];
                (c == 0 ? &st.tp : c == 1 ? &st.fp : c == 2 ? &st.tn : &st.fn)[0] -= 1;
                for (int mt = 0; mt < MG_METRIC_COUNT; mt++)
                    d[mt] = confusion[mt] && count[c] > 0
                                ? leave_out(&j[mt], mt, st0, &st, count[c])
                                : NAN;
            }
        }
        for (size_t q = 0; q < npairs; q++) {
            size_t m = p->o->pairs[q][0], b = p->o->pairs[q][1];
            mg__jack *j = &e->jack[mg__jack_index(e, M + q, s, 0)];
            for (int code = 0; code < 8; code++) {
                double mult = joint[(q * S + s) * 8 + (size_t)code];
                int y = code >> 2;
                const double *d1, *d2;
                if (!(mult > 0))
                    continue;
                d1 =
                    &dev[(m * 4 + (size_t)cell_of(y, code >> 1 & 1)) * MG_METRIC_COUNT];
                d2 = &dev[(b * 4 + (size_t)cell_of(y, code & 1)) * MG_METRIC_COUNT];
                for (int mt = 0; mt < MG_METRIC_COUNT; mt++)
                    if (confusion[mt])
                        jack_pair(&j[mt], d1[mt], d2[mt], mult);
            }
        }
    }
    free(dev);
    free(joint);
    return 0;
}

/* ---- Rank family: one slicing's pass over the score groups ----------------- */

/* Rank metrics' deviations are stored per row; the means' are computed on the fly
 * from the row's own loss, which needs no storage. */
enum { JR_AUC, JR_AP, JR_STORED, JR_LL = JR_STORED, JR_BR, JR_COUNT };
_Static_assert(JR_STORED == MG__JACK_ROW_ARRAYS, "the driver's memory estimate");
static const mg_metric jr_metric[JR_COUNT] = {
    MG_METRIC_AUC, MG_METRIC_AVERAGE_PRECISION, MG_METRIC_LOG_LOSS, MG_METRIC_BRIER};

/*
 * One model's pass over its rows in score order, grouped by tied scores, within the
 * slices of slicing k. Per slice: what the groups above hold, and the current
 * group; per sorted row: what the backward pass needs of the forward one.
 */
typedef struct rank_pass {
    const mg__plan *p;
    const mg_binary_stats *est; /* the model's point statistics per slice */
    const uint8_t *flags;       /* the model's sorted rows: flags, */
    const uint32_t *row;        /* original row index */
    const uint16_t *sid;        /* and slice in slicing k, sid[t × nsid] */
    size_t n, nsid;
    /* per slice */
    double *pos_above, *neg_above; /* positives, negatives in the groups above */
    double *ap_above;              /* Σ g·T/(T+F) of the groups above (AP × P) */
    double *gp, *gn;               /* the current group's positives, negatives */
    double *sum_neg, *sum_pos;     /* Σ over the groups below of their AP term
                                      with one negative, one positive fewer above */
    unsigned char *mark;           /* slices the current group has settled */
    /* per sorted row */
    double *ap_before; /* ap_above of its slice when its group started */
    double *T, *F;     /* positives, negatives down to the end of its group */
    double *g;         /* positives in its group (within its slice) */
} rank_pass;

static int rank_pass_init(rank_pass *rp, const mg__plan *p)
{
    const size_t S = p->S, n = p->n;
    memset(rp, 0, sizeof *rp);
    rp->p = p;
    rp->pos_above = mg__xcalloc(S, sizeof(double));
    rp->neg_above = mg__xcalloc(S, sizeof(double));
    rp->ap_above = mg__xcalloc(S, sizeof(double));
    rp->gp = mg__xcalloc(S, sizeof(double));
    rp->gn = mg__xcalloc(S, sizeof(double));
    rp->sum_neg = mg__xcalloc(S, sizeof(double));
    rp->sum_pos = mg__xcalloc(S, sizeof(double));
    rp->mark = mg__xcalloc(S, 1);
    rp->ap_before = malloc(n * sizeof(double));
    rp->T = malloc(n * sizeof(double));
    rp->F = malloc(n * sizeof(double));
    rp->g = malloc(n * sizeof(double));
    return rp->pos_above && rp->neg_above && rp->ap_above && rp->gp && rp->gn &&
                   rp->sum_neg && rp->sum_pos && rp->mark && rp->ap_before && rp->T &&
                   rp->F && rp->g
               ? 0
               : MG_ENOMEM;
}

static void rank_pass_free(rank_pass *rp)
{
    free(rp->pos_above);
    free(rp->neg_above);
    free(rp->ap_above);
    free(rp->gp);
    free(rp->gn);
    free(rp->sum_neg);
    free(rp->sum_pos);
    free(rp->mark);
    free(rp->ap_before);
    free(rp->T);
    free(rp->F);
    free(rp->g);
}

static void rank_pass_start(rank_pass *rp, size_t m, size_t k)
{
    const size_t S = rp->p->S;
    const mg__sorted_model *sm = &rp->p->sorted[m];
    rp->est = &rp->p->e->est[m * S];
    rp->flags = sm->flags;
    rp->row = sm->row;
    rp->sid = sm->sid + k;
    rp->n = rp->p->n;
    rp->nsid = rp->p->nsid;
    memset(rp->pos_above, 0, S * sizeof(double));
    memset(rp->neg_above, 0, S * sizeof(double));
    memset(rp->ap_above, 0, S * sizeof(double));
    memset(rp->sum_neg, 0, S * sizeof(double));
    memset(rp->sum_pos, 0, S * sizeof(double));
}

/* Sorted row t's slice in slicing k. */
static inline uint16_t slice_of(const rank_pass *rp, size_t t)
{
    return rp->sid[t * rp->nsid];
}

static inline int positive(const rank_pass *rp, size_t t)
{
    return rp->flags[t] & MG__FLAG_LABEL;
}

/* The end of the tie group that starts at sorted row i. */
static inline size_t group_end(const rank_pass *rp, size_t i)
{
    size_t j = i + 1;
    while (j < rp->n && (rp->flags[j] & MG__FLAG_TIED))
        j++;
    return j;
}

/* The start of the tie group that ends just before sorted row j (j > 0). */
static inline size_t group_start(const rank_pass *rp, size_t j)
{
    size_t i = j - 1;
    while (i > 0 && (rp->flags[i] & MG__FLAG_TIED))
        i--;
    return i;
}

/* Count group [i, j)'s positives and negatives per slice. */
static inline void count_group(rank_pass *rp, size_t i, size_t j)
{
    for (size_t t = i; t < j; t++)
        rp->gp[slice_of(rp, t)] = rp->gn[slice_of(rp, t)] = 0;
    for (size_t t = i; t < j; t++) {
        if (positive(rp, t))
            rp->gp[slice_of(rp, t)] += 1;
        else
            rp->gn[slice_of(rp, t)] += 1;
    }
}

/*
 * Sorted row t, forward: its AUC deviation into dauc (and, when place is not NULL,
 * its DeLong placement, unnormalised: negatives below a positive, positives above
 * a negative, ties ½), and what the backward pass needs.
 */
static inline void forward_row(rank_pass *rp, size_t t, double *dauc, double *place)
{
    uint16_t s = slice_of(rp, t);
    double P = rp->est[s].pos, N = rp->est[s].neg, U = rp->est[s].auc_u;
    double cp = rp->pos_above[s], cn = rp->neg_above[s];
    uint32_t r = rp->row[t];
    if (place != NULL)
        place[r] = positive(rp, t) ? N - cn - 0.5 * rp->gn[s] : cp + 0.5 * rp->gp[s];
    if (!(P > 0) || !(N > 0))
        dauc[r] = NAN;
    else if (positive(rp, t))
        dauc[r] =
            P > 1 ? (U - P * (N - cn - 0.5 * rp->gn[s])) / (P * (P - 1) * N) : NAN;
    else
        dauc[r] = N > 1 ? (U - N * (cp + 0.5 * rp->gp[s])) / (P * N * (N - 1)) : NAN;
    rp->ap_before[t] = rp->ap_above[s];
    rp->T[t] = cp + rp->gp[s];
    rp->F[t] = cn + rp->gn[s];
    rp->g[t] = rp->gp[s];
}

/* Add group [i, j) to the sums above, once per slice it touches. */
static inline void settle_forward(rank_pass *rp, size_t i, size_t j)
{
    for (size_t t = i; t < j; t++) {
        uint16_t s = slice_of(rp, t);
        double gp = rp->gp[s], gn = rp->gn[s], cp = rp->pos_above[s],
               cn = rp->neg_above[s];
        if (rp->mark[s])
            continue;
        rp->mark[s] = 1;
        if (gp > 0)
            rp->ap_above[s] += gp * (cp + gp) / (cp + gp + cn + gn);
        rp->pos_above[s] += gp;
        rp->neg_above[s] += gn;
    }
    for (size_t t = i; t < j; t++)
        rp->mark[slice_of(rp, t)] = 0;
}

/*
 * Sorted row t's AP deviation, backward: its group's term and every later one lose
 * the row (a positive: g − 1 and T − 1; a negative: F − 1), the groups above keep
 * theirs, and P loses one with a positive.
 */
static inline double ap_deviation(const rank_pass *rp, size_t t)
{
    uint16_t s = slice_of(rp, t);
    double P = rp->est[s].pos, AP;
    double T = rp->T[t], F = rp->F[t], g = rp->g[t], den = T + F - 1, v;
    if (!(P > 0))
        return NAN;
    AP = rp->est[s].ap_sum / P;
    if (positive(rp, t)) {
        if (P <= 1)
            return NAN;
        v = rp->ap_before[t] + (den > 0 ? (g - 1) * (T - 1) / den : 0) + rp->sum_pos[s];
        return v / (P - 1) - AP;
    }
    v = rp->ap_before[t] + (g > 0 ? g * T / den : 0) + rp->sum_neg[s];
    return v / P - AP;
}

/* Add group [i, j)'s terms without one row to the sums below, once per slice. */
static inline void settle_backward(rank_pass *rp, size_t i, size_t j)
{
    for (size_t t = i; t < j; t++) {
        uint16_t s = slice_of(rp, t);
        double T = rp->T[t], F = rp->F[t], g = rp->g[t], den = T + F - 1;
        if (rp->mark[s])
            continue;
        rp->mark[s] = 1;
        if (g > 0 && den > 0) {
            rp->sum_neg[s] += g * T / den;
            rp->sum_pos[s] += g * (T - 1) / den;
        }
    }
    for (size_t t = i; t < j; t++)
        rp->mark[slice_of(rp, t)] = 0;
}

/*
 * Rank family for one slicing k: the leave-one-row-out AUC and AP deviation of
 * every row, for every model, into dev[m × JR_STORED + JR_AUC or JR_AP][row] (NaN
 * where undefined), and each row's placement into place[m][row] when place is not
 * NULL.
 */
static int jack_rows_slicing(const mg__plan *p, size_t k, double *const *dev,
                             double *const *place, mg_error *err)
{
    rank_pass rp;
    int rc = rank_pass_init(&rp, p);

    if (rc != 0) {
        mg__engine_nomem(err);
        goto cleanup;
    }
    for (size_t m = 0; m < p->M; m++) {
        double *dauc = dev[m * JR_STORED + JR_AUC], *dap = dev[m * JR_STORED + JR_AP];
        rank_pass_start(&rp, m, k);
        for (size_t i = 0, j; i < p->n; i = j) {
            j = group_end(&rp, i);
            count_group(&rp, i, j);
            for (size_t t = i; t < j; t++)
                forward_row(&rp, t, dauc, place ? place[m] : NULL);
            settle_forward(&rp, i, j);
        }
        for (size_t j = p->n, i; j > 0; j = i) {
            i = group_start(&rp, j);
            for (size_t t = i; t < j; t++)
                dap[rp.row[t]] = ap_deviation(&rp, t);
            settle_backward(&rp, i, j);
        }
    }
cleanup:
    rank_pass_free(&rp);
    return rc;
}

/* Leave-one-out deviation of a mean (log loss or Brier) for row i on slice s. */
static double mean_deviation(const mg__plan *p, size_t m, size_t s, size_t i, int q)
{
    const mg_binary_stats *st = &p->e->est[m * p->S + s];
    double ns = st->pos + st->neg;
    double score = p->d->score[m][i];
    int y = p->d->label[i];
    double x =
        q == JR_LL ? mg_metric_row_log_loss(score, y) : mg_metric_row_brier(score, y);
    double sum = q == JR_LL ? st->log_loss_sum : st->brier_sum;
    return ns > 1 ? (sum - ns * x) / (ns * (ns - 1)) : NAN;
}

/* Slicing k's row deviations (v: M scratch) into the power sums. */
static void add_row_deviations(const mg__plan *p, size_t k, double *const *dev,
                               double *v)
{
    mg__engine *e = p->e;
    const size_t n = p->n, M = p->M, nsid = p->nsid, npairs = p->o->npairs;
    const size_t(*pairs)[2] = p->o->pairs;
    for (size_t i = 0; i < n; i++) { /* rows in canonical order (stats/engine.c) */
        size_t s = p->row_sid[i * nsid + k];
        if (s == e->nslices)
            continue; /* the sink */
        for (int q = 0; q < JR_COUNT; q++) {
            for (size_t m = 0; m < M; m++) {
                v[m] = q < JR_STORED ? dev[m * JR_STORED + q][i]
                                     : mean_deviation(p, m, s, i, q);
                jack_value(&e->jack[mg__jack_index(e, m, s, jr_metric[q])], v[m], 1);
            }
            for (size_t pr = 0; pr < npairs; pr++)
                jack_pair(&e->jack[mg__jack_index(e, M + pr, s, jr_metric[q])],
                          v[pairs[pr][0]], v[pairs[pr][1]], 1);
        }
    }
}

static int jack_rows(mg__plan *p, mg_error *err)
{
    double **dev = alloc_rows(p->M * JR_STORED, p->n);
    double *v = mg__xcalloc(p->M, sizeof *v);
    int rc = MG_ENOMEM;

    if (dev == NULL || v == NULL) {
        mg__engine_nomem(err);
        goto cleanup;
    }
    for (size_t k = 0; k < p->nsid; k++) {
        if ((rc = jack_rows_slicing(p, k, dev, NULL, err)) != 0)
            goto cleanup;
        add_row_deviations(p, k, dev, v);
    }
    rc = 0;
cleanup:
    free_rows(dev, p->M * JR_STORED);
    free(v);
    return rc;
}

/* ---- Clusters: leave out a whole cluster ------------------------------------ */

typedef struct cluster_row {
    double score;
    int label;
} cluster_row;

static int by_cluster_score(const void *a, const void *b)
{
    double x = ((const cluster_row *)a)->score, y = ((const cluster_row *)b)->score;
    return (x > y) - (x < y);
}

/* Pairs (positive above negative, ties ½) among n rows sorted ascending by score. */
static double pairs_within(const cluster_row *r, size_t n)
{
    double u = 0, neg_below = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double gp = 0, gn = 0;
        while (j < n && r[j].score == r[i].score) {
            if (r[j].label)
                gp++;
            else
                gn++;
            j++;
        }
        u += gp * (neg_below + 0.5 * gn);
        neg_below += gn;
        i = j;
    }
    return u;
}

typedef struct cluster_jack {
    const mg__plan *p;
    size_t *start;          /* nclusters + 1: cluster c's rows are */
    uint32_t *order;        /* order[start[c]] … order[start[c + 1] − 1] */
    double **dev, **place;  /* the rank pass's output, when rows are sorted */
    mg_binary_stats *share; /* M × S: the current cluster's share of each slice */
    double *dev_m;          /* M × MG_METRIC_COUNT deviations, NaN if undefined */
    uint32_t *touched;      /* slices of the current slicing the cluster touches */
    unsigned char *mark;
    cluster_row *rows; /* scratch for the pairs within a cluster */
    /* Metrics with a closed-form leave-one-cluster-out value: not average
     * precision, and the rank and mean families only when rows are sorted. */
    unsigned char closed[MG_METRIC_COUNT];
    unsigned char paired[MG_METRIC_COUNT]; /* pairs: every metric but AP */
} cluster_jack;

static void cluster_jack_free(cluster_jack *cj)
{
    free_rows(cj->dev, cj->p->M * JR_STORED);
    free_rows(cj->place, cj->p->M);
    free(cj->start);
    free(cj->order);
    free(cj->share);
    free(cj->dev_m);
    free(cj->touched);
    free(cj->mark);
    free(cj->rows);
}

/* Allocate, and group the rows by cluster (a counting sort). */
static int cluster_jack_init(cluster_jack *cj, const mg__plan *p)
{
    const mg__dataset *d = p->d;
    const size_t n = p->n, nc = d->nclusters;
    size_t *fill = mg__xcalloc(nc + 1, sizeof *fill);

    memset(cj, 0, sizeof *cj);
    cj->p = p;
    for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
        cj->paired[mt] = mt != MG_METRIC_AVERAGE_PRECISION;
        cj->closed[mt] =
            cj->paired[mt] &&
            (mg_metric_family(mt) == MG_FAMILY_CONFUSION || p->sorted != NULL);
    }
    cj->start = mg__xcalloc(nc + 1, sizeof *cj->start);
    cj->order = mg__xcalloc(n, sizeof *cj->order);
    cj->share = mg__xcalloc(p->M * p->S, sizeof *cj->share);
    cj->dev_m = mg__xcalloc(p->M * MG_METRIC_COUNT, sizeof *cj->dev_m);
    cj->touched = mg__xcalloc(p->S, sizeof *cj->touched);
    cj->mark = mg__xcalloc(p->S, 1);
    cj->rows = mg__xcalloc(n, sizeof *cj->rows);
    if (p->sorted != NULL) {
        cj->dev = alloc_rows(p->M * JR_STORED, n);
        cj->place = alloc_rows(p->M, n);
    }
    if (!fill || !cj->start || !cj->order || !cj->share || !cj->dev_m || !cj->touched ||
        !cj->mark || !cj->rows || (p->sorted != NULL && (!cj->dev || !cj->place))) {
        free(fill);
        return MG_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        cj->start[d->cluster[i] + 1]++;
    for (size_t c = 0; c < nc; c++)
        cj->start[c + 1] += cj->start[c];
    memcpy(fill, cj->start, (nc + 1) * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        cj->order[fill[d->cluster[i]]++] = (uint32_t)i;
    free(fill);
    return 0;
}

/* Cluster c's share of every slice of slicing k it touches; returns how many. */
static size_t gather_share(cluster_jack *cj, size_t c, size_t k)
{
    const mg__plan *p = cj->p;
    const mg__dataset *d = p->d;
    size_t ntouched = 0;
    for (size_t q = cj->start[c]; q < cj->start[c + 1]; q++) {
        size_t i = cj->order[q], s = p->row_sid[i * p->nsid + k];
        int y = d->label[i];
        if (s == p->e->nslices)
            continue;
        if (!cj->mark[s]) {
            cj->mark[s] = 1;
            cj->touched[ntouched++] = (uint32_t)s;
        }
        for (size_t m = 0; m < p->M; m++) {
            mg_binary_stats *a = &cj->share[m * p->S + s];
            double sc = d->score[m][i];
            int pred = sc >= d->threshold[m];
            *(y ? (pred ? &a->tp : &a->fn) : (pred ? &a->fp : &a->tn)) += 1;
            *(y ? &a->pos : &a->neg) += 1;
            a->log_loss_sum += mg_metric_row_log_loss(sc, y);
            a->brier_sum += mg_metric_row_brier(sc, y);
            if (cj->place != NULL)
                a->auc_u += cj->place[m][i];
        }
    }
    return ntouched;
}

/* Model m's pairs among cluster c's rows on slice s of slicing k. */
static double cluster_pairs(cluster_jack *cj, size_t c, size_t k, size_t s, size_t m)
{
    const mg__plan *p = cj->p;
    size_t nrows = 0;
    for (size_t q = cj->start[c]; q < cj->start[c + 1]; q++) {
        size_t i = cj->order[q];
        if (p->row_sid[i * p->nsid + k] == s)
            cj->rows[nrows++] = (cluster_row){p->d->score[m][i], p->d->label[i]};
    }
    qsort(cj->rows, nrows, sizeof *cj->rows, by_cluster_score);
    return pairs_within(cj->rows, nrows);
}

/* Every model's and pair's deviations on slice s without cluster c; clears the
 * cluster's share of s. */
static void leave_cluster_out(cluster_jack *cj, size_t c, size_t k, size_t s)
{
    const mg__plan *p = cj->p;
    mg__engine *e = p->e;
    for (size_t m = 0; m < p->M; m++) {
        const mg_binary_stats *st0 = &e->est[m * p->S + s];
        mg_binary_stats *a = &cj->share[m * p->S + s], st = *st0;
        mg__jack *j = &e->jack[mg__jack_index(e, m, s, 0)];
        double within = cj->place != NULL ? cluster_pairs(cj, c, k, s, m) : 0;
        st.tp -= a->tp, st.fp -= a->fp, st.tn -= a->tn, st.fn -= a->fn;
        st.pos -= a->pos, st.neg -= a->neg;
        st.log_loss_sum -= a->log_loss_sum;
        st.brier_sum -= a->brier_sum;
        st.auc_u = st0->auc_u - a->auc_u + within;
        for (int mt = 0; mt < MG_METRIC_COUNT; mt++)
            cj->dev_m[m * MG_METRIC_COUNT + mt] =
                cj->closed[mt] ? leave_out(&j[mt], mt, st0, &st, 1) : NAN;
        memset(a, 0, sizeof *a);
    }
    jack_pairs(p, s, cj->dev_m, 1, cj->paired);
}

static int jack_clusters(mg__plan *p, mg_error *err)
{
    cluster_jack cj;
    int rc = cluster_jack_init(&cj, p);

    if (rc != 0) {
        mg__engine_nomem(err);
        goto cleanup;
    }
    for (size_t k = 0; k < p->nsid; k++) {
        if (p->sorted != NULL &&
            (rc = jack_rows_slicing(p, k, cj.dev, cj.place, err)) != 0)
            goto cleanup;
        for (size_t c = 0; c < p->d->nclusters; c++) {
            size_t ntouched = gather_share(&cj, c, k);
            for (size_t t = 0; t < ntouched; t++) {
                leave_cluster_out(&cj, c, k, cj.touched[t]);
                cj.mark[cj.touched[t]] = 0;
            }
        }
    }
    /* No closed form for average precision without whole clusters' positions. */
    for (size_t who = 0; who < p->M + p->o->npairs; who++)
        for (size_t s = 0; s < p->S; s++)
            p->e->jack[mg__jack_index(p->e, who, s, MG_METRIC_AVERAGE_PRECISION)]
                .unavailable = 1;
cleanup:
    cluster_jack_free(&cj);
    return rc;
}

/* ---- Entry ------------------------------------------------------------------ */

int mg__jackknife(mg__plan *p, mg_error *err)
{
    int rc;
    if (p->d->cluster != NULL)
        return jack_clusters(p, err);
    rc = jack_confusion(p, err);
    if (rc == 0 && p->sorted != NULL)
        rc = jack_rows(p, err);
    return rc;
}
