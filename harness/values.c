/*
 * A metric's value, whichever engine computed it: the binary engine
 * (stats/engine.c, mg_binary_stats) or the multiclass one (stats/multiclass.c,
 * mg_multiclass_stats). The cases (harness/cases.c) and the metrics view
 * (harness/run.c) read estimates, replicates, jackknife sums and effective sizes
 * through these functions only, so a test decides the same way for every task.
 *
 * A metric instance is the registry row and its parameter (plan.param): the
 * class's index for a per-class multiclass metric, the k slot (the engine's index
 * of the test's k) for top_k_accuracy, unused otherwise.
 */
#include "harness/run_internal.h"

size_t mg__run_slice_offset(const ctx *c, size_t slicing)
{
    return c->mc ? mg__mc_engine_slice_offset(c->mc, slicing)
                 : mg__engine_slice_offset(c->e, slicing);
}

size_t mg__run_slice_rows(const ctx *c, size_t slice)
{
    return c->mc ? mg__mc_engine_slice_rows(c->mc, slice)
                 : mg__engine_slice_rows(c->e, slice);
}

/* The multiclass statistics of the estimate (b < 0) or replicate b. */
static void mc_stats(const ctx *c, const mg_metric_info *mi, long param, long b,
                     size_t model, size_t slice, mg_multiclass_stats *st)
{
    size_t kslot = mg_metric_parameter_of(mi->id) == MG_PARAMETER_K ? (size_t)param : 0;
    mg__mc_engine_stats(c->mc, b, model, slice, kslot, st);
}

int mg__run_value(const ctx *c, const mg_metric_info *mi, long param, long b,
                  size_t model, size_t slice, double *out, const char **reason)
{
    if (c->mc) {
        mg_multiclass_stats st;
        mc_stats(c, mi, param, b, model, slice, &st);
        return mg_multiclass_value(mi->id, &st, param, out, reason);
    }
    return mg_metric_value(mi->id,
                           b < 0 ? mg__engine_estimate(c->e, model, slice)
                                 : mg__engine_replicate(c->e, (size_t)b, model, slice),
                           out, reason);
}

void mg__run_jack(const ctx *c, const mg_metric_info *mi, long param, long pair,
                  size_t model, size_t slice, mg__jack *out)
{
    if (c->mc) {
        mg__mc_engine_jack(c->mc, pair, model, slice, mi->id, param, out);
        return;
    }
    *out = *mg__engine_jack(c->e, pair, model, slice, mi->id);
}

double mg__run_effective_size(const ctx *c, const mg_metric_info *mi, long param,
                              size_t model, size_t slice)
{
    if (c->mc) {
        mg_multiclass_stats st;
        mc_stats(c, mi, param, -1, model, slice, &st);
        return mg_multiclass_effective_size(mi->id, &st, param);
    }
    return mg_metric_effective_size(mi->id, mg__engine_estimate(c->e, model, slice));
}

void mg__run_class_counts(const ctx *c, const mg_metric_info *mi, long param,
                          size_t model, size_t slice, size_t *positives,
                          size_t *negatives)
{
    if (c->mc) {
        mg_multiclass_stats st;
        double rows = 0, all = 0;
        *positives = *negatives = 0;
        if (mg_metric_parameter_of(mi->id) != MG_PARAMETER_CLASS)
            return;
        mc_stats(c, mi, param, -1, model, slice, &st);
        for (size_t i = 0; i < st.classes; i++)
            for (size_t j = 0; j < st.classes; j++) {
                double x = st.confusion[i * st.classes + j];
                all += x;
                rows += (long)i == param ? x : 0;
            }
        *positives = (size_t)rows;
        *negatives = (size_t)(all - rows);
        return;
    }
    const mg_binary_stats *st = mg__engine_estimate(c->e, model, slice);
    *positives = (size_t)(st->tp + st->fn);
    *negatives = (size_t)(st->tn + st->fp);
}

/* Whether two models predict every row of a slice alike. */
int mg__run_same_predictions(const ctx *c, size_t m1, size_t m2, const uint32_t *rows,
                             size_t count)
{
    const mg__data *d = c->d;
    for (size_t t = 0; t < count; t++) {
        size_t i = rows ? rows[t] : t;
        if (!c->mc) {
            if (d->score[m1][i] != d->score[m2][i])
                return 0;
            continue;
        }
        if (d->pred[m1][i] != d->pred[m2][i] ||
            (d->prob[m1] == NULL) != (d->prob[m2] == NULL))
            return 0;
        for (size_t k = 0; d->prob[m1] && k < d->nclasses; k++)
            if (d->prob[m1][k][i] != d->prob[m2][k][i])
                return 0;
    }
    return 1;
}
