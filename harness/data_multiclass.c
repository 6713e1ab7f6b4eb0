/*
 * Loading a multiclass suite's data: the classes, the columns each model reads,
 * and the checked true classes, predicted classes and probabilities.
 *
 * The classes are data.classes when the suite lists them (their order is the
 * order of each model's probability columns), else the label column's distinct
 * values in ascending order: by value when every one is a number ("2" before
 * "10"), else by text, as scikit-learn's np.unique orders them. A model reads
 * `probabilities: [p_a, p_b, ...]` (one column per class, in class order), or
 * `prefix: p_` (the columns p_ + each class), and/or `label:`, a predicted-class
 * column; without one its prediction is the most probable class (the first of
 * equals, as NumPy's argmax).
 *
 * Checks, each a one-line error naming the file, line and column: a true or
 * predicted class outside the classes (with the values the column holds), a
 * probability outside [0, 1], and a row whose probabilities sum further from 1
 * than data.probability_tolerance (1e-6 by default), with the sum. A missing or
 * non-numeric value has already been refused by the loader (harness/data.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "harness/data.h"

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
}

void mg__mc_free(mg__data *d)
{
    for (size_t m = 0; m < d->mc_nmodels; m++) {
        if (d->pred)
            free(d->pred[m]);
        if (d->prob)
            free((void *)d->prob[m]);
        for (size_t c = 0; d->mc_columns && d->mc_columns[m] && c < d->mc_ncolumns[m];
             c++)
            free(d->mc_columns[m][c]);
        if (d->mc_columns)
            free(d->mc_columns[m]);
    }
    for (size_t c = 0; d->classes && c < d->nclasses; c++)
        free(d->classes[c]);
    free(d->classes);
    free(d->cls);
    free(d->pred);
    free(d->prob);
    free(d->mc_columns);
    free(d->mc_ncolumns);
}

size_t mg__mc_model_columns(const mg__data *d, const mg_suite *s, size_t m,
                            const char *const **names)
{
    (void)s;
    if (d->mc_columns == NULL || d->mc_columns[m] == NULL) {
        *names = NULL;
        return 0;
    }
    *names = (const char *const *)d->mc_columns[m];
    return d->mc_ncolumns[m];
}

/* Every model's columns from the classes (which are known). */
static int model_columns(mg__data *d, const mg_suite *s, mg_error *err)
{
    d->mc_nmodels = s->nmodels;
    d->mc_columns = calloc(s->nmodels, sizeof *d->mc_columns);
    d->mc_ncolumns = calloc(s->nmodels, sizeof *d->mc_ncolumns);
    d->pred = calloc(s->nmodels, sizeof *d->pred);
    d->prob = calloc(s->nmodels, sizeof *d->prob);
    if (!d->mc_columns || !d->mc_ncolumns || !d->pred || !d->prob)
        return nomem(err);
    for (size_t m = 0; m < s->nmodels; m++) {
        const mg_model_spec *ms = &s->models[m];
        size_t np = ms->probabilities || ms->prefix ? d->nclasses : 0, k = 0;
        if (ms->probabilities && ms->nprobabilities != d->nclasses)
            return mg_suite_error(
                s, &ms->probabilities_loc, err, MG_EDATA,
                "model '%s': %zu probability columns for %zu classes (%s): one column "
                "per class, in class order",
                ms->name, ms->nprobabilities, d->nclasses,
                s->data.classes ? "data.classes" : "the label column's values");
        if ((d->mc_columns[m] = calloc(np + 1, sizeof **d->mc_columns)) == NULL)
            return nomem(err);
        for (size_t c = 0; c < np; c++, k++) {
            char *name;
            if (ms->probabilities)
                name = mg__strdup(ms->probabilities[c]);
            else if ((name = malloc(strlen(ms->prefix) + strlen(d->classes[c]) + 1)))
                strcat(strcpy(name, ms->prefix), d->classes[c]);
            if ((d->mc_columns[m][k] = name) == NULL)
                return nomem(err);
        }
        if (ms->label && (d->mc_columns[m][k++] = mg__strdup(ms->label)) == NULL)
            return nomem(err);
        d->mc_ncolumns[m] = k;
    }
    return 0;
}

int mg__mc_suite_classes(mg__data *d, const mg_suite *s, mg_error *err)
{
    if (s->data.classes == NULL) {
        for (size_t m = 0; m < s->nmodels; m++)
            if (s->models[m].file == NULL && s->models[m].prefix != NULL)
                return mg_suite_error(
                    s, &s->models[m].prefix_loc, err, MG_EDATA,
                    "model '%s' reads its probabilities from the holdout set by "
                    "prefix, which needs the classes first: list them in data.classes",
                    s->models[m].name);
        return 0;
    }
    d->classes = calloc(s->data.nclasses, sizeof *d->classes);
    if (d->classes == NULL)
        return nomem(err);
    for (size_t c = 0; c < s->data.nclasses; c++)
        if ((d->classes[d->nclasses++] = mg__strdup(s->data.classes[c])) == NULL)
            return nomem(err);
    return model_columns(d, s, err);
}

/* Ascending: numbers by value before texts, texts by strcmp. */
static int class_order(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    char *ex, *ey;
    double vx = strtod(x, &ex), vy = strtod(y, &ey);
    int nx = *x && *ex == '\0', ny = *y && *ey == '\0';
    if (nx && ny && vx != vy)
        return vx < vy ? -1 : 1;
    if (nx != ny)
        return nx ? -1 : 1;
    return strcmp(x, y);
}

int mg__mc_data_classes(mg__data *d, const mg_suite *s, mg_error *err)
{
    const mg_table *t = d->holdout;
    size_t col = (size_t)mg_table_find(t, s->data.label), nl = mg_table_levels(t, col);
    const uint32_t *codes = mg_table_codes(t, col);
    unsigned char *seen;

    if (d->classes != NULL)
        return 0;
    if ((seen = calloc(nl ? nl : 1, 1)) == NULL ||
        (d->classes = calloc(nl ? nl : 1, sizeof *d->classes)) == NULL) {
        free(seen);
        return nomem(err);
    }
    for (size_t i = 0; i < d->n; i++)
        seen[codes[i]] = 1;
    for (size_t c = 0; c < nl; c++)
        if (seen[c] && (d->classes[d->nclasses++] =
                            mg__strdup(mg_table_level(t, col, (uint32_t)c))) == NULL) {
            free(seen);
            return nomem(err);
        }
    free(seen);
    if (d->nclasses < 2)
        return mg_suite_error(s, &s->data.label_loc, err, MG_EDATA,
                              "column '%s' of %s holds %s; a multiclass holdout set "
                              "needs at least two classes (or list them in "
                              "data.classes)",
                              s->data.label, s->data.holdout,
                              d->nclasses ? "one class only" : "no rows");
    if (d->nclasses > 256)
        return mg_suite_error(s, &s->data.label_loc, err, MG_EDATA,
                              "column '%s' of %s holds %zu distinct values, more than "
                              "the 256 classes a multiclass model may have",
                              s->data.label, s->data.holdout, d->nclasses);
    qsort(d->classes, d->nclasses, sizeof *d->classes, class_order);
    return model_columns(d, s, err);
}

/* "'a', 'b', 'c'": the classes, for messages. */
static const char *class_list(const mg__data *d, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < d->nclasses && used + 1 < size; c++) {
        if (c == 8) {
            snprintf(buf + used, size - used, ", ...");
            break;
        }
        used += (size_t)snprintf(buf + used, size - used, "%s'%.30s'", c ? ", " : "",
                                 d->classes[c]);
    }
    return buf;
}

/* Map a category column's codes to classes (out: n), or say which value is not
 * one of the classes. */
static int map_classes(const mg__data *d, const mg_table *t, const char *column,
                       const char *what, uint8_t *out, mg_error *err)
{
    size_t col = (size_t)mg_table_find(t, column), nl = mg_table_levels(t, col);
    const uint32_t *codes = mg_table_codes(t, col);
    int *map = malloc((nl ? nl : 1) * sizeof *map);
    char list[300];
    if (map == NULL)
        return nomem(err);
    for (size_t c = 0; c < nl; c++) {
        const char *v = mg_table_level(t, col, (uint32_t)c);
        map[c] = -1;
        for (size_t k = 0; k < d->nclasses; k++)
            if (strcmp(v, d->classes[k]) == 0 ||
                class_order(&v, (const char *const *)&d->classes[k]) == 0) {
                map[c] = (int)k;
                break;
            }
    }
    for (size_t i = 0; i < d->n; i++) {
        if (map[codes[i]] < 0) {
            int rc = mg_error_set(err, MG_EDATA, mg_table_path(t), mg_table_line(t, i),
                                  mg_table_field(t, col),
                                  "column '%s': %s '%s' is not one of the classes (%s)",
                                  column, what, mg_table_level(t, col, codes[i]),
                                  class_list(d, list, sizeof list));
            free(map);
            return rc;
        }
        out[i] = (uint8_t)map[codes[i]];
    }
    free(map);
    return 0;
}

/* A model's probabilities: in [0, 1], each row summing to 1 within the tolerance. */
static int check_probabilities(const mg__data *d, const mg_suite *s, size_t m,
                               mg_error *err)
{
    const mg_table *t = d->score_table[m];
    const double *const *p = d->prob[m];
    const size_t K = d->nclasses;
    double tol = s->data.probability_tolerance;
    for (size_t i = 0; i < d->n; i++) {
        double sum = 0;
        for (size_t c = 0; c < K; c++) {
            double x = p[c][i];
            if (!(x >= 0 && x <= 1)) {
                size_t col = (size_t)mg_table_find(t, d->mc_columns[m][c]);
                return mg_error_set(err, MG_EDATA, mg_table_path(t),
                                    mg_table_line(t, i), mg_table_field(t, col),
                                    "column '%s': probability %.17g is outside [0, 1] "
                                    "(model '%s')",
                                    d->mc_columns[m][c], x, s->models[m].name);
            }
            sum += x;
        }
        if (!(fabs(sum - 1) <= tol)) {
            size_t col = (size_t)mg_table_find(t, d->mc_columns[m][0]);
            return mg_error_set(
                err, MG_EDATA, mg_table_path(t), mg_table_line(t, i),
                mg_table_field(t, col),
                "columns '%s' … '%s': model '%s''s probabilities of the row sum to "
                "%.10g, not 1 within %g (data.probability_tolerance)",
                d->mc_columns[m][0], d->mc_columns[m][K - 1], s->models[m].name, sum,
                tol);
        }
    }
    return 0;
}

int mg__mc_build(mg__data *d, const mg_suite *s, const unsigned char *blocked,
                 mg_error *err)
{
    const size_t K = d->nclasses;
    int rc;
    if ((d->cls = malloc(d->n ? d->n : 1)) == NULL)
        return nomem(err);
    if ((rc = map_classes(d, d->holdout, s->data.label, "label", d->cls, err)) != 0)
        return rc;
    for (size_t m = 0; m < s->nmodels; m++) {
        const mg_model_spec *ms = &s->models[m];
        const mg_table *t = d->score_table[m];
        if ((d->pred[m] = calloc(d->n ? d->n : 1, 1)) == NULL)
            return nomem(err);
        if (blocked != NULL && blocked[m])
            continue; /* a placeholder no test reads: a data check failed on it */
        if (ms->probabilities || ms->prefix) {
            const double **p = calloc(K, sizeof *p);
            if ((d->prob[m] = p) == NULL)
                return nomem(err);
            for (size_t c = 0; c < K; c++)
                p[c] =
                    mg_table_numbers(t, (size_t)mg_table_find(t, d->mc_columns[m][c]));
            if ((rc = check_probabilities(d, s, m, err)) != 0)
                return rc;
        }
        if (ms->label) {
            if ((rc = map_classes(d, t, ms->label, "predicted class", d->pred[m],
                                  err)) != 0)
                return rc;
            continue;
        }
        for (size_t i = 0; i < d->n; i++) { /* argmax, the first of equals */
            size_t best = 0;
            for (size_t c = 1; c < K; c++)
                if (d->prob[m][c][i] > d->prob[m][best][i])
                    best = c;
            d->pred[m][i] = (uint8_t)best;
        }
    }
    return 0;
}
