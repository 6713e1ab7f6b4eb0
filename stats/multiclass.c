/*
 * The bootstrap engine for multiclass models: the binary engine's draws (the same
 * units, canonical order and streams keyed by seed and replicate, so a replicate
 * weighs every row exactly as the binary engine would), read by multiclass
 * sufficient statistics. The driver of stats/engine.c says why resampling atoms
 * and one-pass sums reproduce the row bootstrap; this file applies it to K classes.
 *
 * Three families, as for binary models:
 *
 * - confusion: rows that agree on the true class, every model's predicted class,
 *   every slice id and the cluster are one atom; a replicate's atom counts are its
 *   unit counts summed per atom, and each atom adds its count into the K × K
 *   confusion matrix of every model on every slice it belongs to. A replicate
 *   costs O(N) byte additions plus O(atoms × models × slicings), and every
 *   confusion metric (accuracy, the per-class, macro, micro and weighted scores,
 *   balanced accuracy, kappa, MCC) is read from the matrix;
 * - means: log loss, the multiclass Brier score and top-k hits are per-row values
 *   computed once; a replicate is one weighted pass over the rows in canonical
 *   order, eight replicates per pass as the lanes of one vector;
 * - one-vs-rest AUC: for every model and class, the rows sorted once by that
 *   class's probability (descending, ties in canonical order); a replicate is one
 *   weighted Mann–Whitney pass per class (ties counting ½, settled per slice as
 *   stats/resample.c does). Only when a test asks for an AUC: K passes per model
 *   are the costliest part of a multiclass replicate.
 *
 * The jackknife behind BCa is closed-form where the statistic allows (see
 * stats/jackknife.c for the method): leaving out a row lowers one confusion cell by
 * one, so each of a slice's occupied cells (a pair's occupied atoms) is evaluated
 * once, on demand; a mean's deviation is (θ̂ − v_i)/(n − 1), whose power sums are
 * gathered once after the estimates. The one-vs-rest AUCs, and every statistic with
 * clusters (or more than 64 classes, where K⁴ evaluations would cost more than the
 * bootstrap), have no acceleration here: their interval is bias-corrected only
 * (BC), which the report says.
 *
 * Caveats: at most MG__MC_MAX_CLASSES classes (one byte each), fewer than 2^32
 * rows; label stratification is not offered (its strata are the binary label's).
 */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "stats/multiclass.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "stats/engine_internal.h"
#include "stats/lanes.h"
#include "stats/rng.h"

/* The mean fields per model and slice: log loss, Brier, then one per k. */
enum { MF_LL, MF_BR, MF_TOPK };

/* Replicates per pass: a unit's counts fill one 64-byte cache line, so the pass in
 * a class's probability order, which reads units out of order, brings in 64
 * replicates' counts per miss rather than MG__LANES' (it is bound by those misses).
 * The lanes are processed as CHUNKS vectors of MG__LANES. */
#define WIDE   64
#define CHUNKS (WIDE / MG__LANES)
/* Rows ahead whose counts a pass in probability order prefetches: enough misses in
 * flight to cover the memory's latency. */
#define AHEAD 48

struct mg__mc_engine {
    size_t n, K, M, nsid, nslices, stride, replicates, npairs, nk, W, NF;
    size_t *offset, *slice_rows;
    unsigned char *has_prob; /* M */
    double *est;             /* M × stride × W */
    double *rep;             /* replicates × M × stride × W */
    /* the jackknife */
    size_t units;
    int clustered;
    size_t (*pairs)[2];
    size_t natoms;
    uint32_t *atom_count;
    uint8_t *atom_key;   /* natoms × (1 + M): true class, each model's prediction */
    uint16_t *atom_sid;  /* natoms × nsid */
    mg__jack *mean_jack; /* (M + npairs) × stride × NF */
};

/* One model's rows by descending probability of one class (ties in canonical
 * order), with what a pass reads beside each row so that it reads them in order:
 * only the unit counts are looked up out of order (and prefetched). */
typedef struct mc_sorted {
    uint32_t *slot; /* the unit whose count weighs the row */
    uint8_t *flags; /* bit 0: of the class; bit 1: tied with the previous row */
    uint16_t *sid;  /* nsid slice ids */
} mc_sorted;

/* What the passes read, in canonical order (index t), built once. */
typedef struct mc_plan {
    mg__plan p; /* units, draws and the canonical order (stats/setup.c) */
    mg__dataset bd;
    mg__engine_options eo;
    const mg__mc_dataset *d;
    const mg__mc_options *o;
    mg__mc_engine *e;
    size_t n, K, M, nsid, S, NF;
    uint32_t *slot;      /* n: the unit whose count weighs row t */
    uint16_t *sid;       /* n × nsid */
    double *mean;        /* M × NF × n per-row values (models with probabilities) */
    uint32_t *unit_atom; /* units (unclustered) */
    uint32_t *atom_unit; /* natoms (clustered) */
    mc_sorted *sorted;   /* M × K, or NULL: rows by descending probability */
} mc_plan;

/* A pass's scratch: accumulators of WIDE replicates. */
typedef struct mc_scratch {
    mg__rng gen;
    uint8_t *counts; /* units × WIDE */
    uint32_t *cnt;   /* natoms × WIDE */
    double *macc;    /* M × S × NF × WIDE */
    double *aacc;    /* S × 3 × WIDE: positives, negatives, pairs above */
    double *gp, *gn; /* S × WIDE: the current tie group */
    uint32_t *touched;
    uint8_t *mark;
} mc_scratch;

#define AACC(a, f, s) ((a) + ((size_t)(s)*3 + (f)) * WIDE)

static double *block(const mg__mc_engine *e, double *base, size_t m, size_t s)
{
    return base + (m * e->stride + s) * e->W;
}

/* ---- Accessors ----------------------------------------------------------- */

size_t mg__mc_engine_slice_offset(const mg__mc_engine *e, size_t slicing)
{
    return e->offset[slicing];
}

size_t mg__mc_engine_slice_rows(const mg__mc_engine *e, size_t slice)
{
    return e->slice_rows[slice];
}

size_t mg__mc_engine_replicates(const mg__mc_engine *e)
{
    return e->replicates;
}

static void view(const mg__mc_engine *e, const double *x, size_t m, size_t kslot,
                 mg_multiclass_stats *out)
{
    const size_t K = e->K;
    out->classes = K;
    out->confusion = x;
    out->auc_u = e->has_prob[m] ? x + K * K : NULL;
    out->log_loss_sum = x[K * K + K + MF_LL];
    out->brier_sum = x[K * K + K + MF_BR];
    out->top_k_hits = kslot < e->nk ? x[K * K + K + MF_TOPK + kslot] : 0;
}

void mg__mc_engine_stats(const mg__mc_engine *e, long b, size_t model, size_t slice,
                         size_t kslot, mg_multiclass_stats *out)
{
    const double *x =
        b < 0 ? block(e, e->est, model, slice)
              : block(e, e->rep + (size_t)b * e->M * e->stride * e->W, model, slice);
    view(e, x, model, kslot, out);
}

void mg__mc_engine_free(mg__mc_engine *e)
{
    if (e == NULL)
        return;
    free(e->offset);
    free(e->slice_rows);
    free(e->has_prob);
    free(e->est);
    free(e->rep);
    free(e->pairs);
    free(e->atom_count);
    free(e->atom_key);
    free(e->atom_sid);
    free(e->mean_jack);
    free(e);
}

/* ---- Jackknife ----------------------------------------------------------- */

static void jack_add(mg__jack *j, double d, double mult)
{
    if (isnan(d)) {
        j->undefined += mult;
        return;
    }
    j->s1 += mult * d;
    j->s2 += mult * d * d;
    j->s3 += mult * d * d * d;
}

/* Metric m's change on a slice's statistics when one row of confusion cell
 * (y, pred) is left out; NaN when undefined then. `conf` is restored. */
static double cell_deviation(mg_multiclass_stats *st, double *conf, mg_metric m,
                             long param, double v0, size_t y, size_t pred)
{
    double v1 = 0;
    int rc;
    conf[y * st->classes + pred] -= 1;
    rc = mg_multiclass_value(m, st, param, &v1, NULL);
    conf[y * st->classes + pred] += 1;
    return rc == 0 ? v1 - v0 : NAN;
}

/* Every cell's deviation of model m on slice s into dev (K × K), NaN where the
 * leave-one-out value is undefined. Returns 0, or -1 when θ̂ itself is undefined. */
static int cell_deviations(const mg__mc_engine *e, size_t model, size_t s, mg_metric m,
                           long param, double *conf, double *dev)
{
    const size_t K = e->K;
    mg_multiclass_stats st;
    double v0;
    mg__mc_engine_stats(e, -1, model, s, 0, &st);
    memcpy(conf, st.confusion, K * K * sizeof *conf);
    st.confusion = conf;
    if (mg_multiclass_value(m, &st, param, &v0, NULL) != 0)
        return -1;
    for (size_t y = 0; y < K; y++)
        for (size_t q = 0; q < K; q++)
            dev[y * K + q] =
                conf[y * K + q] > 0 ? cell_deviation(&st, conf, m, param, v0, y, q) : 0;
    return 0;
}

static int atom_in_slice(const mg__mc_engine *e, size_t a, size_t s)
{
    for (size_t k = 0; k < e->nsid; k++)
        if (e->atom_sid[a * e->nsid + k] == s)
            return 1;
    return 0;
}

void mg__mc_engine_jack(const mg__mc_engine *e, long pair, size_t model, size_t slice,
                        mg_metric m, long param, mg__jack *out)
{
    const mg_metric_info *mi = mg_metric_get(m);
    const size_t K = e->K;
    double *conf = NULL, *dev = NULL;

    memset(out, 0, sizeof *out);
    out->n = (double)e->units;
    if (mi == NULL)
        return;
    if (mi->family == MG_FAMILY_MEAN) {
        size_t who = pair < 0 ? model : e->M + (size_t)pair;
        size_t f = m == MG_METRIC_MC_LOG_LOSS ? MF_LL
                   : m == MG_METRIC_MC_BRIER  ? MF_BR
                                              : MF_TOPK + (size_t)param;
        if (e->mean_jack == NULL || f >= e->NF) {
            out->unavailable = 1;
            return;
        }
        *out = e->mean_jack[(who * e->stride + slice) * e->NF + f];
        return;
    }
    if (mi->family != MG_FAMILY_CONFUSION || e->clustered || K > 64) {
        out->unavailable = 1;
        return;
    }
    conf = malloc(K * K * sizeof *conf);
    dev = malloc(2 * K * K * sizeof *dev);
    if (conf == NULL || dev == NULL) {
        out->unavailable = 1;
        goto cleanup;
    }
    if (pair < 0) {
        if (cell_deviations(e, model, slice, m, param, conf, dev) == 0) {
            mg_multiclass_stats st;
            mg__mc_engine_stats(e, -1, model, slice, 0, &st);
            for (size_t c = 0; c < K * K; c++)
                if (st.confusion[c] > 0)
                    jack_add(out, dev[c], st.confusion[c]);
        }
        goto cleanup;
    }
    {
        size_t b = e->pairs[pair][1];
        double *devb = dev + K * K;
        if (cell_deviations(e, model, slice, m, param, conf, dev) != 0 ||
            cell_deviations(e, b, slice, m, param, conf, devb) != 0)
            goto cleanup;
        for (size_t a = 0; a < e->natoms; a++) {
            const uint8_t *key = &e->atom_key[a * (1 + e->M)];
            double d1, d2;
            if (!atom_in_slice(e, a, slice))
                continue;
            d1 = dev[key[0] * K + key[1 + model]];
            d2 = devb[key[0] * K + key[1 + b]];
            jack_add(out, d1 - d2, e->atom_count[a]);
        }
    }
cleanup:
    free(conf);
    free(dev);
}

/* The means' jackknife: d_i = (θ̂ − v_i)/(n_s − 1) for the rows of slice s
 * (0 elsewhere), and a pair's d_i the difference of its models'. */
static int mean_jackknife(mc_plan *q)
{
    mg__mc_engine *e = q->e;
    const size_t n = q->n, S = q->S, NF = q->NF, nsid = q->nsid;
    const size_t nwho = q->M + e->npairs;
    e->mean_jack = mg__xcalloc(nwho * S * NF, sizeof *e->mean_jack);
    if (e->mean_jack == NULL)
        return MG_ENOMEM;
    for (size_t w = 0; w < nwho * S * NF; w++)
        e->mean_jack[w].n = (double)e->units;
    if (e->clustered) {
        for (size_t w = 0; w < nwho * S * NF; w++)
            e->mean_jack[w].unavailable = 1;
        return 0;
    }
    for (size_t who = 0; who < nwho; who++) {
        size_t m1 = who < q->M ? who : e->pairs[who - q->M][0];
        long m2 = who < q->M ? -1 : (long)e->pairs[who - q->M][1];
        if (!e->has_prob[m1] || (m2 >= 0 && !e->has_prob[m2]))
            continue;
        for (size_t f = 0; f < NF; f++) {
            const double *v1 = q->mean + (m1 * NF + f) * n;
            const double *v2 = m2 >= 0 ? q->mean + ((size_t)m2 * NF + f) * n : NULL;
            for (size_t t = 0; t < n; t++)
                for (size_t k = 0; k < nsid; k++) {
                    size_t s = q->sid[t * nsid + k];
                    double ns = (double)e->slice_rows[s], th, v, d;
                    mg__jack *j = &e->mean_jack[(who * S + s) * NF + f];
                    if (ns < 2) {
                        j->undefined += 1;
                        continue;
                    }
                    th = block(e, e->est, m1, s)[q->K * q->K + q->K + f] / ns;
                    v = v1[t];
                    if (v2 != NULL) {
                        th -= block(e, e->est, (size_t)m2, s)[q->K * q->K + q->K + f] /
                              ns;
                        v -= v2[t];
                    }
                    d = (th - v) / (ns - 1);
                    jack_add(j, d, 1);
                }
        }
    }
    return 0;
}

/* ---- Setup --------------------------------------------------------------- */

static uint64_t atom_hash(const uint8_t *key, size_t klen, const uint16_t *sid,
                          size_t nsid, uint32_t cluster)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < klen; i++)
        h = mg__mix64(h ^ key[i] ^ (i << 8));
    for (size_t k = 0; k < nsid; k++)
        h = mg__mix64(h ^ sid[k] ^ ((uint64_t)k << 16));
    return mg__mix64(h ^ ((uint64_t)cluster << 24));
}

/* Atoms over the rows in file order (row_atom, n): open addressing over a table
 * of representative rows (with their hashes, for growing), at most half full. */
static int build_atoms(mc_plan *q, const uint16_t *row_sid, uint32_t *row_atom,
                       uint32_t **atom_cluster)
{
    const mg__mc_dataset *d = q->d;
    mg__mc_engine *e = q->e;
    const size_t n = q->n, M = q->M, nsid = q->nsid, klen = 1 + M;
    size_t cap = 1024, used = 0, acap = 512;
    uint32_t *table = malloc(cap * sizeof *table), *rep = malloc(acap * sizeof *rep);
    uint64_t *hash = malloc(acap * sizeof *hash);
    uint8_t *key = malloc(klen);
    int rc = MG_ENOMEM;

    if (table == NULL || rep == NULL || hash == NULL || key == NULL)
        goto cleanup;
    memset(table, 0xff, cap * sizeof *table);
    for (size_t i = 0; i < n; i++) {
        uint32_t cl = d->cluster ? d->cluster[i] : 0;
        uint64_t hv;
        size_t h;
        key[0] = d->label[i];
        for (size_t m = 0; m < M; m++)
            key[1 + m] = d->pred[m][i];
        hv = atom_hash(key, klen, &row_sid[i * nsid], nsid, cl);
        if (2 * (used + 1) > cap) { /* grow: cap stays twice acap */
            uint32_t *t2 = malloc(2 * cap * sizeof *t2), *r2;
            uint64_t *h2;
            if (t2 == NULL)
                goto cleanup;
            free(table);
            table = t2;
            cap *= 2;
            memset(table, 0xff, cap * sizeof *table);
            for (size_t a = 0; a < used; a++) {
                size_t g = hash[a] & (cap - 1);
                while (table[g] != UINT32_MAX)
                    g = (g + 1) & (cap - 1);
                table[g] = (uint32_t)a;
            }
            acap = cap / 2;
            if ((r2 = realloc(rep, acap * sizeof *r2)) == NULL)
                goto cleanup;
            rep = r2;
            if ((h2 = realloc(hash, acap * sizeof *h2)) == NULL)
                goto cleanup;
            hash = h2;
        }
        h = hv & (cap - 1);
        for (; table[h] != UINT32_MAX; h = (h + 1) & (cap - 1)) {
            size_t r = rep[table[h]];
            int same = hash[table[h]] == hv && d->label[r] == key[0] &&
                       memcmp(&row_sid[r * nsid], &row_sid[i * nsid],
                              nsid * sizeof *row_sid) == 0 &&
                       (d->cluster == NULL || d->cluster[r] == cl);
            for (size_t m = 0; same && m < M; m++)
                same = d->pred[m][r] == key[1 + m];
            if (same)
                break;
        }
        if (table[h] == UINT32_MAX) {
            table[h] = (uint32_t)used;
            hash[used] = hv;
            rep[used++] = (uint32_t)i;
        }
        row_atom[i] = table[h];
    }
    e->natoms = used;
    e->atom_count = mg__xcalloc(used, sizeof *e->atom_count);
    e->atom_key = mg__xcalloc(used * klen, 1);
    e->atom_sid = mg__xcalloc(used * nsid, sizeof *e->atom_sid);
    *atom_cluster = mg__xcalloc(used, sizeof **atom_cluster);
    if (!e->atom_count || !e->atom_key || !e->atom_sid || !*atom_cluster)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        e->atom_count[row_atom[i]]++;
    for (size_t a = 0; a < used; a++) {
        size_t r = rep[a];
        e->atom_key[a * klen] = d->label[r];
        for (size_t m = 0; m < M; m++)
            e->atom_key[a * klen + 1 + m] = d->pred[m][r];
        memcpy(&e->atom_sid[a * nsid], &row_sid[r * nsid], nsid * sizeof *row_sid);
        (*atom_cluster)[a] = d->cluster ? d->cluster[r] : 0;
    }
    rc = 0;
cleanup:
    free(table);
    free(rep);
    free(hash);
    free(key);
    return rc;
}

/* Every model's rows sorted by each class's probability (radix sort, ties in
 * canonical order), with their slots, flags and slice ids copied in that order. */
static int build_sorted(mc_plan *q, const uint8_t *label)
{
    const size_t n = q->n, K = q->K, nsid = q->nsid;
    uint32_t *rows = malloc((n ? n : 1) * sizeof *rows);
    q->sorted = mg__xcalloc(q->M * K, sizeof *q->sorted);
    if (rows == NULL || q->sorted == NULL) {
        free(rows);
        return MG_ENOMEM;
    }
    for (size_t m = 0; m < q->M; m++) {
        if (q->d->prob[m] == NULL)
            continue;
        for (size_t c = 0; c < K; c++) {
            const double *x = q->d->prob[m][c];
            mc_sorted *so = &q->sorted[m * K + c];
            so->slot = malloc((n ? n : 1) * sizeof *so->slot);
            so->flags = malloc(n ? n : 1);
            so->sid = malloc((n ? n : 1) * nsid * sizeof *so->sid);
            if (!so->slot || !so->flags || !so->sid ||
                mg__sort_descending(x, q->p.order, n, rows) != 0) {
                free(rows);
                return MG_ENOMEM;
            }
            for (size_t i = 0; i < n; i++) {
                size_t t = rows[i];
                so->slot[i] = q->slot[t];
                so->flags[i] =
                    (uint8_t)((label[t] == c) |
                              (i > 0 && x[q->p.order[rows[i - 1]]] == x[q->p.order[t]]
                                   ? 2
                                   : 0));
                memcpy(&so->sid[i * nsid], &q->sid[t * nsid], nsid * sizeof *so->sid);
            }
        }
    }
    free(rows);
    return 0;
}

static void plan_free(mc_plan *q)
{
    mg__plan_free(&q->p);
    free(q->slot);
    free(q->sid);
    free(q->mean);
    free(q->unit_atom);
    free(q->atom_unit);
    for (size_t i = 0; q->sorted && i < q->M * q->K; i++) {
        free(q->sorted[i].slot);
        free(q->sorted[i].flags);
        free(q->sorted[i].sid);
    }
    free(q->sorted);
}

static int plan_build(mc_plan *q)
{
    const mg__mc_dataset *d = q->d;
    mg__mc_engine *e = q->e;
    const size_t n = q->n, M = q->M, K = q->K, nsid = q->nsid, NF = q->NF;
    uint16_t *row_sid = malloc((n ? n : 1) * nsid * sizeof *row_sid);
    uint32_t *row_atom = malloc((n ? n : 1) * sizeof *row_atom), *atom_cluster = NULL;
    uint8_t *label = malloc(n ? n : 1);
    int rc = MG_ENOMEM;

    if (row_sid == NULL || row_atom == NULL || label == NULL)
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        uint16_t *sid = &row_sid[i * nsid];
        sid[0] = 0;
        for (size_t k = 0; k < d->nslicings; k++) {
            uint32_t c = d->slice_code[k][i];
            sid[k + 1] =
                (uint16_t)(c == MG__ENGINE_NO_SLICE ? e->nslices : e->offset[k] + c);
        }
        for (size_t k = 0; k < nsid; k++)
            e->slice_rows[sid[k]]++;
    }
    if (build_atoms(q, row_sid, row_atom, &atom_cluster) != 0)
        goto cleanup;
    /* Units and the canonical order, as the binary engine numbers them. */
    q->bd = (mg__dataset){0};
    q->bd.n = n;
    q->bd.label = d->label;
    q->bd.key = d->key;
    q->bd.cluster = d->cluster;
    q->bd.nclusters = d->nclusters;
    q->eo.seed = q->o->seed;
    q->eo.resampler = q->o->resampler;
    q->eo.stratify = MG__ENGINE_STRATIFY_NONE;
    q->p.d = &q->bd;
    q->p.o = &q->eo;
    q->p.n = n;
    q->p.nsid = 1;
    mg__resample_init_poisson(&q->p);
    if (mg__plan_units(&q->p, row_atom) != 0)
        goto cleanup;
    e->units = q->p.units;
    q->slot = malloc((n ? n : 1) * sizeof *q->slot);
    q->sid = malloc((n ? n : 1) * nsid * sizeof *q->sid);
    q->mean = mg__xcalloc(M * NF * n, sizeof *q->mean);
    if (q->slot == NULL || q->sid == NULL || q->mean == NULL)
        goto cleanup;
    for (size_t t = 0; t < n; t++) {
        size_t i = q->p.order[t];
        q->slot[t] = q->p.row_slot[i];
        label[t] = d->label[i];
        memcpy(&q->sid[t * nsid], &row_sid[i * nsid], nsid * sizeof *row_sid);
    }
    /* Per-row losses and hits, in canonical order. */
    {
        double *p = malloc(K * sizeof *p);
        if (p == NULL)
            goto cleanup;
        for (size_t m = 0; m < M; m++) {
            if (d->prob[m] == NULL)
                continue;
            for (size_t t = 0; t < n; t++) {
                size_t i = q->p.order[t], y = label[t];
                double *v = q->mean + m * NF * n;
                for (size_t c = 0; c < K; c++)
                    p[c] = d->prob[m][c][i];
                v[MF_LL * n + t] = mg_metric_row_log_loss_multiclass(p, K, y);
                v[MF_BR * n + t] = mg_metric_row_brier_multiclass(p, K, y);
                for (size_t j = 0; j < q->o->nk; j++)
                    v[(MF_TOPK + j) * n + t] =
                        mg_metric_row_top_k(p, K, y, q->o->ks[j]);
            }
        }
        free(p);
    }
    if (d->cluster == NULL) {
        q->unit_atom = q->p.unit_atom;
        q->p.unit_atom = NULL;
    } else {
        q->atom_unit = atom_cluster;
        atom_cluster = NULL;
    }
    if (q->o->need_auc && build_sorted(q, label) != 0)
        goto cleanup;
    rc = 0;
cleanup:
    free(row_sid);
    free(row_atom);
    free(atom_cluster);
    free(label);
    return rc;
}

/* ---- Passes -------------------------------------------------------------- */

/*
 * Zeroed bytes for a replicate batch's unit counts, on 2 MiB boundaries and with
 * transparent huge pages asked for: the passes in probability order read them at
 * random, and with 4 KiB pages nearly every read would miss the TLB as well as the
 * cache (64 MiB of counts for a million rows span 16,384 small pages).
 */
static uint8_t *counts_alloc(size_t bytes)
{
    void *mem = NULL;
    bytes = bytes ? bytes : 1;
    if (posix_memalign(&mem, (size_t)2 << 20, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(mem, bytes, MADV_HUGEPAGE);
#endif
    memset(mem, 0, bytes);
    return mem;
}

static int scratch_init(mc_scratch *w, const mc_plan *q)
{
    memset(w, 0, sizeof *w);
    mg__rng_init(&w->gen);
    w->counts = counts_alloc(q->e->units * WIDE);
    w->cnt = mg__xcalloc(q->e->natoms * WIDE, sizeof *w->cnt);
    w->macc = lanes_calloc(q->M * q->S * q->NF * WIDE);
    w->aacc = lanes_calloc(q->S * 3 * WIDE);
    w->gp = lanes_calloc(q->S * WIDE);
    w->gn = lanes_calloc(q->S * WIDE);
    w->touched = mg__xcalloc(q->S, sizeof *w->touched);
    w->mark = mg__xcalloc(q->S, 1);
    return w->counts && w->cnt && w->macc && w->aacc && w->gp && w->gn && w->touched &&
                   w->mark
               ? 0
               : MG_ENOMEM;
}

static void scratch_free(mc_scratch *w)
{
    free(w->counts);
    free(w->cnt);
    free(w->macc);
    free(w->aacc);
    free(w->gp);
    free(w->gn);
    free(w->touched);
    free(w->mark);
}

/* Confusion matrices of `lanes` replicates from their unit counts, into `out`
 * (lane r's blocks at out + r × M × S × W). */
static void atom_pass(const mc_plan *q, const uint8_t *counts, uint32_t *cnt,
                      size_t lanes, double *out)
{
    const mg__mc_engine *e = q->e;
    const size_t L = WIDE, K = q->K, M = q->M, klen = 1 + M;
    if (q->atom_unit != NULL) {
        for (size_t a = 0; a < e->natoms; a++)
            for (size_t r = 0; r < L; r++)
                cnt[a * L + r] =
                    e->atom_count[a] * counts[(size_t)q->atom_unit[a] * L + r];
    } else {
        memset(cnt, 0, e->natoms * L * sizeof *cnt);
        for (size_t u = 0; u < e->units; u++) {
            uint32_t *c = &cnt[(size_t)q->unit_atom[u] * L];
            const uint8_t *w = &counts[u * L];
            for (size_t r = 0; r < L; r++)
                c[r] += w[r];
        }
    }
    for (size_t r = 0; r < lanes; r++) {
        double *lane = out + r * M * q->S * e->W;
        for (size_t a = 0; a < e->natoms; a++) {
            double c = cnt[a * L + r];
            const uint8_t *key = &e->atom_key[a * klen];
            if (c == 0)
                continue;
            for (size_t m = 0; m < M; m++)
                for (size_t k = 0; k < q->nsid; k++) {
                    size_t s = e->atom_sid[a * q->nsid + k];
                    lane[(m * q->S + s) * e->W + (size_t)key[0] * K + key[1 + m]] += c;
                }
        }
    }
}

/* A row's WIDE lane weights as CHUNKS vectors. */
static inline void row_weights(const uint8_t *c, vlane *w)
{
    for (size_t k = 0; k < CHUNKS; k++)
        w[k] = load_weights(c + k * MG__LANES);
}

/* Log loss, Brier and top-k sums of every model with probabilities. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx2", "default")))
#endif
static void
mean_pass(const mc_plan *q, const uint8_t *counts, double *acc)
{
    const size_t n = q->n, nsid = q->nsid, NF = q->NF, S = q->S, L = WIDE;
    memset(acc, 0, q->M * S * NF * L * sizeof *acc);
    for (size_t t = 0; t < n; t++) {
        vlane w[CHUNKS];
        const uint16_t *sid = &q->sid[t * nsid];
        row_weights(counts + (size_t)q->slot[t] * L, w);
        for (size_t m = 0; m < q->M; m++) {
            const double *v = q->mean + m * NF * n;
            if (q->d->prob[m] == NULL)
                continue;
            for (size_t k = 0; k < nsid; k++) {
                double *a = acc + ((m * S + sid[k]) * NF) * L;
                for (size_t f = 0; f < NF; f++)
                    for (size_t h = 0; h < CHUNKS; h++)
                        lane_add(a + f * L + h * MG__LANES, w[h], v[f * n + t]);
            }
        }
    }
}

/* One class's weighted Mann–Whitney counts for model m: rows in descending order
 * of p_c, a row of class c joining the positives above, any other row pairing with
 * them; a tie group settles per slice with its pairs counting ½. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx2", "default")))
#endif
static void
auc_pass(const mc_plan *q, mc_scratch *w, const uint8_t *counts, size_t m, size_t c)
{
    const size_t n = q->n, nsid = q->nsid, L = WIDE, V = MG__LANES;
    const mc_sorted *so = &q->sorted[m * q->K + c];
    const uint8_t *flags = so->flags;
    double *a = w->aacc;
    memset(a, 0, q->S * 3 * L * sizeof *a);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1, ntouched = 0;
        while (j < n && (flags[j] & 2))
            j++;
        for (size_t t = i; t < j; t++) {
            const uint16_t *sid = &so->sid[t * nsid];
            vlane wt[CHUNKS];
            if (t + AHEAD < n)
                __builtin_prefetch(counts + (size_t)so->slot[t + AHEAD] * L);
            row_weights(counts + (size_t)so->slot[t] * L, wt);
            for (size_t k = 0; k < nsid; k++) {
                size_t s = sid[k];
                if (j == i + 1) {
                    double *cp = AACC(a, 0, s), *cn = AACC(a, 1, s), *u = AACC(a, 2, s);
                    if (flags[t] & 1)
                        for (size_t h = 0; h < CHUNKS; h++)
                            lane_count(cp + h * V, wt[h]);
                    else
                        for (size_t h = 0; h < CHUNKS; h++) {
                            vstore(u + h * V,
                                   vload(u + h * V) + wt[h] * vload(cp + h * V));
                            lane_count(cn + h * V, wt[h]);
                        }
                    continue;
                }
                if (!w->mark[s]) {
                    w->mark[s] = 1;
                    w->touched[ntouched++] = (uint32_t)s;
                }
                for (size_t h = 0; h < CHUNKS; h++)
                    lane_count(((flags[t] & 1) ? w->gp : w->gn) + s * L + h * V, wt[h]);
            }
        }
        for (size_t u = 0; u < ntouched; u++) {
            size_t s = w->touched[u];
            for (size_t h = 0; h < CHUNKS; h++) {
                double *gpp = w->gp + s * L + h * V, *gnp = w->gn + s * L + h * V;
                double *cpp = AACC(a, 0, s) + h * V, *cnp = AACC(a, 1, s) + h * V,
                       *up = AACC(a, 2, s) + h * V;
                vlane gp = vload(gpp), gn = vload(gnp), cp = vload(cpp), zero = {0};
                vstore(up, vload(up) + gn * (cp + 0.5 * gp));
                vstore(cpp, cp + gp);
                vstore(cnp, vload(cnp) + gn);
                vstore(gpp, zero);
                vstore(gnp, zero);
            }
            w->mark[s] = 0;
        }
        i = j;
    }
}

/* The mean and AUC families of `lanes` replicates whose counts are in w->counts. */
static void row_passes(const mc_plan *q, mc_scratch *w, const uint8_t *counts,
                       size_t lanes, double *out)
{
    const mg__mc_engine *e = q->e;
    const size_t K = q->K, S = q->S, L = WIDE, NF = q->NF;
    int means = 0;
    for (size_t m = 0; m < q->M; m++)
        means |= q->d->prob[m] != NULL;
    if (means) {
        mean_pass(q, counts, w->macc);
        for (size_t r = 0; r < lanes; r++)
            for (size_t m = 0; m < q->M; m++)
                for (size_t s = 0; s < S; s++) {
                    double *x = out + r * q->M * S * e->W + (m * S + s) * e->W;
                    for (size_t f = 0; f < NF; f++)
                        x[K * K + K + f] = w->macc[((m * S + s) * NF + f) * L + r];
                }
    }
    if (q->sorted == NULL)
        return;
    for (size_t m = 0; m < q->M; m++) {
        if (q->d->prob[m] == NULL)
            continue;
        for (size_t c = 0; c < K; c++) {
            auc_pass(q, w, counts, m, c);
            for (size_t r = 0; r < lanes; r++)
                for (size_t s = 0; s < S; s++)
                    out[r * q->M * S * e->W + (m * S + s) * e->W + K * K + c] =
                        AACC(w->aacc, 2, s)[r];
        }
    }
}

/* ---- Threads ------------------------------------------------------------- */

typedef struct team {
    const mc_plan *q;
    atomic_size_t next;
    size_t nbatches;
    pthread_mutex_t lock;
    size_t done;
    atomic_int failed;
    int code;
} team;

static void *worker(void *arg)
{
    team *t = arg;
    const mc_plan *q = t->q;
    mg__mc_engine *e = q->e;
    mc_scratch w;
    int code = 0;

    if (scratch_init(&w, q) != 0) {
        code = MG_ENOMEM;
        goto done;
    }
    for (;;) {
        size_t batch = atomic_fetch_add(&t->next, 1), b0 = batch * WIDE, lanes;
        double *out;
        if (batch >= t->nbatches || t->failed || (q->o->cancel && *q->o->cancel))
            break;
        lanes = e->replicates - b0 < WIDE ? e->replicates - b0 : WIDE;
        memset(w.counts, 0, e->units * WIDE);
        for (size_t r = 0; r < lanes && code == 0; r++)
            if (mg__resample_counts_strided(&q->p, &w.gen.gsl, b0 + r, (int)r, w.counts,
                                            WIDE) != 0)
                code = MG_ENUMERIC;
        if (code != 0)
            break;
        out = e->rep + b0 * q->M * q->S * e->W;
        atom_pass(q, w.counts, w.cnt, lanes, out);
        row_passes(q, &w, w.counts, lanes, out);
        pthread_mutex_lock(&t->lock);
        t->done += lanes;
        if (q->o->progress)
            q->o->progress(q->o->progress_ctx, t->done, e->replicates);
        pthread_mutex_unlock(&t->lock);
    }
done:
    if (code != 0) {
        pthread_mutex_lock(&t->lock);
        if (!t->failed)
            t->code = code;
        t->failed = 1;
        pthread_mutex_unlock(&t->lock);
    }
    scratch_free(&w);
    return NULL;
}

static int replicates(const mc_plan *q, mg_error *err)
{
    team t = {0};
    size_t nthreads = q->o->threads > 1 ? q->o->threads : 1, started = 0;
    pthread_t *threads = calloc(nthreads, sizeof *threads);
    if (threads == NULL)
        return mg__engine_nomem(err);
    t.q = q;
    t.nbatches = (q->e->replicates + WIDE - 1) / WIDE;
    atomic_init(&t.next, 0);
    pthread_mutex_init(&t.lock, NULL);
    for (size_t i = 1; i < nthreads; i++) {
        if (pthread_create(&threads[i], NULL, worker, &t) != 0)
            break;
        started = i;
    }
    worker(&t);
    for (size_t i = 1; i <= started; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&t.lock);
    free(threads);
    if (t.failed)
        return t.code == MG_ENOMEM
                   ? mg__engine_nomem(err)
                   : mg_error_set(err, MG_ENUMERIC, NULL, 0, 0,
                                  "a bootstrap unit was drawn over 255 times");
    if (q->o->cancel && *q->o->cancel)
        return mg_error_set(err, MG_EINTERNAL, NULL, 0, 0, "interrupted");
    return 0;
}

/* ---- Driver -------------------------------------------------------------- */

static size_t stats_width(const mg__mc_dataset *d, const mg__mc_options *o)
{
    return d->classes * d->classes + d->classes + 2 + o->nk;
}

double mg__mc_engine_memory(const mg__mc_dataset *d, const mg__mc_options *o)
{
    double n = (double)d->n, M = (double)d->nmodels, S = 2,
           nsid = 1 + (double)d->nslicings;
    double W = (double)stats_width(d, o), K = (double)d->classes, bytes;
    double threads = o->threads > 1 ? o->threads : 1;
    for (size_t k = 0; k < d->nslicings; k++)
        S += (double)d->nlevels[k];
    bytes = ((double)o->replicates + 1) * M * S * W * sizeof(double);
    bytes += n * (2 * nsid * sizeof(uint16_t) + 6 * sizeof(uint32_t) + 2 +
                  sizeof(uint64_t) + sizeof(mg__key_item));
    bytes += n * M * (2 + (double)o->nk) * sizeof(double);
    bytes += threads * n * WIDE;
    if (o->need_auc)
        bytes += M * K * n * (sizeof(uint32_t) + 1) + n * sizeof(double) * 2;
    return bytes;
}

int mg__mc_engine_run(mg__mc_engine **out, const mg__mc_dataset *d,
                      const mg__mc_options *o, mg_error *err)
{
    mc_plan q = {0};
    mg__mc_engine *e = calloc(1, sizeof *e);
    int rc = MG_ENOMEM;

    *out = NULL;
    if (e == NULL)
        return mg__engine_nomem(err);
    if (d->n == 0 || d->nmodels == 0 || d->classes < 2 ||
        d->classes > MG__MC_MAX_CLASSES || d->n > UINT32_MAX) {
        free(e);
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "no rows, no models, or a class count outside 2 to %d",
                            MG__MC_MAX_CLASSES);
    }
    e->n = d->n;
    e->K = d->classes;
    e->M = d->nmodels;
    e->nsid = d->nslicings + 1;
    e->replicates = o->replicates;
    e->npairs = o->npairs;
    e->nk = o->nk;
    e->NF = 2 + o->nk;
    e->W = stats_width(d, o);
    e->clustered = d->cluster != NULL;
    e->offset = mg__xcalloc(d->nslicings, sizeof *e->offset);
    e->has_prob = mg__xcalloc(e->M, 1);
    e->pairs = mg__xcalloc(o->npairs, sizeof *e->pairs);
    if (!e->offset || !e->has_prob || !e->pairs)
        goto cleanup;
    if (o->npairs > 0)
        memcpy(e->pairs, o->pairs, o->npairs * sizeof *e->pairs);
    for (size_t m = 0; m < e->M; m++)
        e->has_prob[m] = d->prob[m] != NULL;
    e->nslices = 1;
    for (size_t k = 0; k < d->nslicings; k++) {
        e->offset[k] = e->nslices;
        e->nslices += d->nlevels[k];
    }
    if (e->nslices > MG__ENGINE_MAX_SLICES) {
        rc = mg_error_set(err, MG_EDATA, NULL, 0, 0,
                          "%zu slices in all: more than the limit of %d", e->nslices,
                          MG__ENGINE_MAX_SLICES);
        goto cleanup;
    }
    e->stride = e->nslices + 1;
    e->slice_rows = mg__xcalloc(e->stride, sizeof *e->slice_rows);
    e->est = mg__xcalloc(e->M * e->stride * e->W, sizeof *e->est);
    e->rep = mg__xcalloc(o->replicates * e->M * e->stride * e->W, sizeof *e->rep);
    if (!e->slice_rows || !e->est || !e->rep)
        goto cleanup;
    q.d = d;
    q.o = o;
    q.e = e;
    q.n = d->n;
    q.K = d->classes;
    q.M = d->nmodels;
    q.nsid = e->nsid;
    q.S = e->stride;
    q.NF = e->NF;
    if (plan_build(&q) != 0)
        goto cleanup;
    /* Point estimates: every unit counted once, through the same passes. */
    {
        mc_scratch w;
        if (scratch_init(&w, &q) != 0) {
            scratch_free(&w);
            goto cleanup;
        }
        for (size_t u = 0; u < e->units; u++)
            w.counts[u * WIDE] = 1;
        atom_pass(&q, w.counts, w.cnt, 1, e->est);
        row_passes(&q, &w, w.counts, 1, e->est);
        scratch_free(&w);
    }
    if (mean_jackknife(&q) != 0)
        goto cleanup;
    if (o->replicates > 0 && (rc = replicates(&q, err)) != 0)
        goto cleanup;
    rc = 0;
    *out = e;
    e = NULL;
cleanup:
    plan_free(&q);
    mg__mc_engine_free(e);
    if (rc == MG_ENOMEM && err && err->code == 0)
        mg__engine_nomem(err);
    return rc;
}
