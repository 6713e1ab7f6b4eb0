/*
 * The suite side of weak-slice discovery: a weak_slices test's column combinations
 * as slicings, and `modelgate discover` as a suite with one such test.
 *
 * Every combination of up to `depth` of the test's columns becomes one slicing (a
 * column alone, or the cross of two, three, …; a number column written `tenure:4`
 * is cut into 4 quantile bins, alone and in every cross), appended to the suite's
 * slicings and flagged `discovery`, so that the data loader checks its columns, the
 * slicing builder numbers and labels its slices, and the engine computes every slice's
 * statistics and replicates in the one run it makes for the whole suite. The
 * slicings are not found by name and not listed by `modelgate metrics`.
 *
 * A slice is compared with its complement, whose sufficient statistics are the
 * whole set's minus the slice's: that holds for the confusion counts and the sums of
 * per-row losses, not for the rank statistics (auc, average_precision), which are
 * refused; a descriptive metric (n, prevalence, positive_rate) has no worse side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "harness/suite_fields.h"
#include "modelgate/metrics.h"
#include "modelgate/suite.h"

const char *mg__weak_metric_refusal(int metric)
{
    const mg_metric_info *mi = mg_metric_get((mg_metric)metric);
    if (mi->family == MG_FAMILY_RANK)
        return "weak_slices compares a slice with the rest of the rows, which needs "
               "a metric of sums (confusion counts or per-row losses); auc and "
               "average_precision are not";
    if (mi->direction == 0)
        return "weak_slices needs a metric with a better side; this one is "
               "descriptive";
    return NULL;
}

int mg__weak_column(const char *text, char **name, size_t *quantiles)
{
    const char *colon = strrchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    *quantiles = 0;
    *name = NULL;
    if (colon != NULL) {
        char *end;
        unsigned long k = strtoul(colon + 1, &end, 10);
        if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || k < 2 || k > 1000 ||
            len == 0)
            return MG_EINVAL;
        *quantiles = k;
    }
    if ((*name = malloc(len + 1)) == NULL)
        return MG_ENOMEM;
    memcpy(*name, text, len);
    (*name)[len] = '\0';
    return 0;
}

/* Append one slicing over columns[pick[0..k-1]]; a number column cut into
 * quantiles is its own slicing alone, and a part (by reference) of a cross. */
static int add_combination(mg_suite *s, const mg_test_spec *t, const size_t *pick,
                           size_t k)
{
    mg_slicing_spec *sl, *grown;
    size_t len = 1;

    grown = realloc(s->slicings, (s->nslicings + 1) * sizeof *grown);
    if (grown == NULL)
        return MG_ENOMEM;
    s->slicings = grown;
    sl = &s->slicings[s->nslicings];
    memset(sl, 0, sizeof *sl);
    sl->discovery = 1;
    sl->loc = t->weak_loc;
    if ((sl->columns = calloc(k, sizeof *sl->columns)) == NULL)
        return MG_ENOMEM;
    s->nslicings++; /* owned by the suite from here, freed with it */
    for (size_t i = 0; i < k; i++) {
        size_t q = t->weak_quantiles ? t->weak_quantiles[pick[i]] : 0;
        if ((sl->columns[i] = mg__strdup(t->weak_columns[pick[i]])) == NULL)
            return MG_ENOMEM;
        sl->ncolumns++;
        len += strlen(t->weak_columns[pick[i]]) + 5;
        if (q > 0 && k == 1)
            sl->quantiles = q;
        else if (q > 0) {
            /* the single-column slicing of the same column, made first */
            if (sl->refs == NULL) {
                if ((sl->refs = malloc(k * sizeof *sl->refs)) == NULL)
                    return MG_ENOMEM;
                for (size_t j = 0; j < k; j++)
                    sl->refs[j] = -1;
            }
            sl->refs[i] = (long)(t->weak_first + pick[i]);
        }
    }
    if ((sl->name = malloc(len)) == NULL)
        return MG_ENOMEM;
    sl->name[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        if (i > 0)
            strcat(sl->name, " \xc3\x97 ");
        strcat(sl->name, sl->columns[i]);
    }
    return 0;
}

int mg__suite_weak_slicings(mg_suite *s, mg_test_spec *t)
{
    size_t pick[MG_WEAK_DEPTH_MAX], n = t->nweak_columns;
    size_t depth = t->weak_depth < n ? t->weak_depth : n;
    int rc;

    t->weak_first = s->nslicings;
    /* combinations of k columns in lexicographic order, k = 1 … depth */
    for (size_t k = 1; k <= depth; k++) {
        for (size_t i = 0; i < k; i++)
            pick[i] = i;
        for (;;) {
            size_t i;
            if ((rc = add_combination(s, t, pick, k)) != 0)
                return rc;
            for (i = k; i-- > 0 && pick[i] == n - k + i;)
                ;
            if (i == (size_t)-1)
                break;
            pick[i]++;
            for (size_t j = i + 1; j < k; j++)
                pick[j] = pick[j - 1] + 1;
        }
    }
    t->weak_count = s->nslicings - t->weak_first;
    return 0;
}

/* Drop the suite's tests and the slicings made for them. */
static void drop_tests(mg_suite *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->ntests; i++) {
        mg_test_spec *t = &s->tests[i];
        free(t->name);
        free(t->model);
        free(t->slices);
        free(t->baseline);
        for (size_t j = 0; j < t->nweak_columns; j++)
            free(t->weak_columns[j]);
        free(t->weak_columns);
        free(t->weak_quantiles);
        for (size_t j = 0; j < t->nthresholds; j++)
            free(t->thresholds[j].slice);
        free(t->thresholds);
        mg__suite_where_free(t->where, t->nwhere);
    }
    s->ntests = 0;
    for (size_t i = 0; i < s->nslicings; i++) {
        mg_slicing_spec *sl = &s->slicings[i];
        if (!sl->discovery) {
            s->slicings[kept++] = *sl;
            continue;
        }
        free(sl->name);
        for (size_t j = 0; j < sl->ncolumns; j++)
            free(sl->columns[j]);
        free(sl->columns);
        free(sl->bins);
        free(sl->refs);
    }
    s->nslicings = kept;
}

int mg_suite_discover(mg_suite *s, const char *columns, size_t depth,
                      const char *metric, const char *model, double margin,
                      mg_error *err)
{
    mg_test_spec *t;
    const char *why, *p;
    int m = mg_metric_from_name(metric ? metric : "recall");
    size_t count = 1;

    if (m < 0)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "--metric: unknown metric '%s'",
                            metric);
    if ((why = mg__weak_metric_refusal(m)) != NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "--metric %s: %s", metric, why);
    if (model == NULL)
        model = "candidate";
    if (mg_suite_model(s, model) < 0)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "--model: the suite declares no model '%s'", model);
    if (depth < 1 || depth > MG_WEAK_DEPTH_MAX)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "--depth: expected 1 to %d, got %zu", MG_WEAK_DEPTH_MAX,
                            depth);
    if (!(margin >= 0))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "--margin: expected a non-negative number");
    if (columns == NULL || columns[0] == '\0')
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "--columns: no column given");
    for (p = columns; *p; p++)
        count += *p == ',';
    drop_tests(s);
    if ((t = realloc(s->tests, sizeof *t)) == NULL)
        goto nomem;
    s->tests = t;
    memset(t, 0, sizeof *t);
    s->ntests = 1;
    t->metric = m;
    t->min_size = t->min_positives = t->min_negatives = -1;
    t->weak = 1;
    t->weak_depth = depth;
    t->weak_margin = margin;
    snprintf(t->weak_loc.key, sizeof t->weak_loc.key, "--columns");
    t->loc = t->metric_loc = t->model_loc = t->weak_loc;
    if ((t->name = mg__strdup("weak slices")) == NULL ||
        (t->model = mg__strdup(model)) == NULL ||
        (t->weak_columns = calloc(count, sizeof *t->weak_columns)) == NULL ||
        (t->weak_quantiles = calloc(count, sizeof *t->weak_quantiles)) == NULL)
        goto nomem;
    for (p = columns;; p++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0)
            return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                                "--columns: an empty column name in '%s'", columns);
        char word[512];
        snprintf(word, sizeof word, "%.*s", (int)len, p);
        switch (mg__weak_column(word, &t->weak_columns[t->nweak_columns],
                                &t->weak_quantiles[t->nweak_columns])) {
        case MG_EINVAL:
            return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                                "--columns: '%s': after the colon, the number of "
                                "quantile bins (2 to 1000)",
                                word);
        case MG_ENOMEM:
            goto nomem;
        }
        t->nweak_columns++;
        for (size_t j = 0; j + 1 < t->nweak_columns; j++)
            if (strcmp(t->weak_columns[j], t->weak_columns[t->nweak_columns - 1]) == 0)
                return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                                    "--columns: column '%s' appears twice",
                                    t->weak_columns[j]);
        if (end == NULL)
            break;
        p = end;
    }
    if (mg__suite_weak_slicings(s, t) != 0)
        goto nomem;
    return 0;
nomem:
    return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
}
