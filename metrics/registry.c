/*
 * The metric registry: MG_METRIC_TABLE (include/modelgate/metrics.h) expanded into
 * one array of mg_metric_info, indexed by the metric's public number.
 *
 * Everything that needs to know a fact about a metric reads it here: the suite
 * parser its name, the engine its family, the runner its direction, its analytic
 * interval and the significance test beside a comparison, the reporters its
 * direction, and the generated docs/metrics.md every column. The table's numbers
 * are checked to be dense and in order at compile time, so a row added out of order
 * or with a reused number does not build.
 */
#include <string.h>

#include "modelgate/error.h"
#include "modelgate/metrics.h"

static const mg_metric_info registry[] = {
#define MG__METRIC_INFO(id, num, name, task, family, dir, low, high, analytic, succ,   \
                        trials, paired, prob, cc, undefined, summary)                  \
    [num] = {MG_METRIC_##id,                                                           \
             name,                                                                     \
             MG_TASK_##task,                                                           \
             MG_FAMILY_##family,                                                       \
             dir,                                                                      \
             low,                                                                      \
             high,                                                                     \
             MG_ANALYTIC_##analytic,                                                   \
             succ,                                                                     \
             trials,                                                                   \
             MG_PAIRED_##paired,                                                       \
             prob,                                                                     \
             undefined,                                                                \
             summary,                                                                  \
             cc},
    MG_METRIC_TABLE(MG__METRIC_INFO)
#undef MG__METRIC_INFO
};

/* Numbers are dense from 0: the array has exactly one row per enumerator. */
_Static_assert(sizeof registry / sizeof registry[0] == MG_METRIC_COUNT,
               "metric numbers must be dense: 0, 1, 2, ... in table order");

const mg_metric_info *mg_metric_get(mg_metric m)
{
    return (unsigned)m < MG_METRIC_COUNT ? &registry[m] : NULL;
}

const char *mg_metric_name(mg_metric m)
{
    return (unsigned)m < MG_METRIC_COUNT ? registry[m].name : "unknown";
}

int mg_metric_from_name(const char *name)
{
    for (int m = 0; m < MG_METRIC_COUNT; m++)
        if (strcmp(registry[m].name, name) == 0)
            return m;
    return -1;
}

mg_family mg_metric_family(mg_metric m)
{
    return registry[m].family;
}

int mg_metric_direction(mg_metric m)
{
    return registry[m].direction;
}

mg_analytic mg_metric_analytic(mg_metric m)
{
    return registry[m].analytic;
}

int mg_metric_needs_probability(mg_metric m)
{
    return registry[m].needs_probability;
}

/* Σ of the confusion cells in `mask`, added in the order tp, fp, tn, fn. */
static double cells(const mg_binary_stats *s, unsigned mask)
{
    double sum = 0;
    if (mask & MG_CELL_TP)
        sum += s->tp;
    if (mask & MG_CELL_FP)
        sum += s->fp;
    if (mask & MG_CELL_TN)
        sum += s->tn;
    if (mask & MG_CELL_FN)
        sum += s->fn;
    return sum;
}

int mg_metric_proportion(mg_metric m, const mg_binary_stats *s, double *successes,
                         double *trials)
{
    const mg_metric_info *info = mg_metric_get(m);
    if (info == NULL || info->analytic != MG_ANALYTIC_WILSON)
        return MG_EINVAL;
    *successes = cells(s, info->successes);
    *trials = cells(s, info->trials);
    return 0;
}

double mg_metric_effective_size(mg_metric m, const mg_binary_stats *s)
{
    const mg_metric_info *info = mg_metric_get(m);
    double pos = s->tp + s->fn, neg = s->tn + s->fp;
    if (info == NULL)
        return 0;
    if (info->analytic == MG_ANALYTIC_WILSON)
        return cells(s, info->trials);
    if (info->family == MG_FAMILY_MEAN)
        return s->pos + s->neg;
    if (info->family == MG_FAMILY_RANK)
        return s->pos < s->neg ? s->pos : s->neg;
    return pos < neg ? pos : neg;
}
