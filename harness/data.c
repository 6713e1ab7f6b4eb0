/*
 * Loading a suite's data.
 *
 * The holdout file is read once, keeping only the columns the suite uses: the
 * label, the id, slice columns, the cluster column and any score column that lives
 * in the holdout file. Each distinct prediction file is then read once, joined to
 * the holdout rows by id (or by position when the suite has no id), keeping the
 * score columns of every model that names it.
 *
 * The suite's slicings are then built over the holdout rows by harness/slices.c:
 * a code and a label per slice, checked against the run's limit on slices.
 *
 * Errors that concern a column the suite names point at the suite file, line and
 * key; errors inside a data file point at that file and line.
 */
#include "harness/data.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"

/* A column wanted from a file, with the suite location that asked for it. */
typedef struct want {
    const char *name;
    mg_column_type type;
    const mg_loc *loc;
} want;

typedef struct want_list {
    want *items;
    size_t n, cap;
    const want *conflict; /* set when want_add met a column under two types */
    const mg_loc *conflict_loc;
} want_list;

static int want_add(want_list *l, const char *name, mg_column_type type,
                    const mg_loc *loc)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0) {
            if (l->items[i].type != type) {
                l->conflict = &l->items[i];
                l->conflict_loc = loc;
                return MG_EINVAL;
            }
            return 0;
        }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        want *items = realloc(l->items, cap * sizeof *items);
        if (items == NULL)
            return MG_ENOMEM;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = (want){name, type, loc};
    return 0;
}

void mg__data_free(mg__data *d)
{
    if (d == NULL)
        return;
    free(d->label);
    free(d->negative);
    mg_table_free(d->holdout);
    for (size_t i = 0; i < d->ntables; i++)
        mg_table_free(d->tables[i]);
    free(d->tables);
    free(d->score);
    free(d->threshold);
    free(d->not_probability);
    free(d->score_table);
    free(d->cluster);
    mg__slicings_free(d->slicings, d->nslicings);
    for (size_t i = 0; i < d->ninputs; i++) {
        free(d->inputs[i].role);
        free(d->inputs[i].path);
    }
    free(d->inputs);
    free(d);
}

/* Map a loader error about a missing column onto the suite key that named it. */
static int blame_column(const mg_suite *suite, const want_list *w, const char *path,
                        mg_error *err)
{
    char quoted[300];
    if (err == NULL || err->line > 1)
        return err ? err->code : MG_EDATA;
    for (size_t i = 0; i < w->n; i++) {
        snprintf(quoted, sizeof quoted, "no column '%s'", w->items[i].name);
        if (strstr(err->message, quoted) != NULL && w->items[i].loc != NULL)
            return mg_suite_error(suite, w->items[i].loc, err, MG_EDATA,
                                  "no column '%s' in %s", w->items[i].name, path);
    }
    return err->code;
}

static int add_input(mg__data *d, const char *role, const mg_table *t)
{
    mg_input_file *f = &d->inputs[d->ninputs];
    f->role = mg__strdup(role);
    f->path = mg__strdup(mg_table_path(t));
    if (f->role == NULL || f->path == NULL)
        return MG_ENOMEM;
    f->rows = mg_table_rows(t);
    memcpy(f->sha256, mg_table_sha256(t), 64);
    f->sha256[64] = '\0';
    d->ninputs++;
    return 0;
}

static int holdout_wants(const mg_suite *s, want_list *w)
{
    int rc = want_add(w, s->data.label, MG_COLUMN_CATEGORY, &s->data.label_loc);
    for (size_t k = 0; rc == 0 && k < s->nslicings; k++)
        for (size_t c = 0; rc == 0 && c < s->slicings[k].ncolumns; c++)
            rc = want_add(w, s->slicings[k].columns[c],
                          s->slicings[k].bins ? MG_COLUMN_NUMBER : MG_COLUMN_CATEGORY,
                          &s->slicings[k].loc);
    if (rc == 0 && s->bootstrap.cluster)
        rc = want_add(w, s->bootstrap.cluster, MG_COLUMN_CATEGORY,
                      &s->bootstrap.cluster_loc);
    for (size_t m = 0; rc == 0 && m < s->nmodels; m++)
        if (s->models[m].file == NULL)
            rc = want_add(w, s->models[m].score, MG_COLUMN_NUMBER,
                          &s->models[m].score_loc);
    return rc;
}

/* One prediction file to read: its path, the score columns it serves. */
typedef struct load_job {
    const char *path;
    size_t first_model; /* the first model that names the file */
    want_list wants;
    mg_column_request *req;
    const mg_csv_options *opts;
    mg_table *table;
    mg_error err;
    int rc;
} load_job;

static void free_jobs(load_job *jobs, size_t n)
{
    for (size_t j = 0; jobs && j < n; j++) {
        free(jobs[j].wants.items);
        free(jobs[j].req);
        mg_table_free(jobs[j].table);
    }
    free(jobs);
}

static int plan_prediction_files(const mg_suite *s, const mg_csv_options *opts,
                                 load_job **out, size_t *count, mg_error *err)
{
    load_job *jobs = calloc(s->nmodels ? s->nmodels : 1, sizeof *jobs);
    size_t n = 0;
    *out = jobs;
    *count = 0;
    if (jobs == NULL)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t m = 0; m < s->nmodels; m++) {
        const char *path = s->models[m].file;
        load_job *j = NULL;
        if (path == NULL)
            continue;
        for (size_t q = 0; q < n && j == NULL; q++)
            if (strcmp(jobs[q].path, path) == 0)
                j = &jobs[q];
        if (j == NULL) {
            j = &jobs[n++];
            *count = n;
            j->path = path;
            j->first_model = m;
            j->opts = opts;
        }
        if (want_add(&j->wants, s->models[m].score, MG_COLUMN_NUMBER,
                     &s->models[m].score_loc) != 0)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t q = 0; q < n; q++) {
        jobs[q].req = calloc(jobs[q].wants.n, sizeof *jobs[q].req);
        if (jobs[q].req == NULL)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t i = 0; i < jobs[q].wants.n; i++)
            jobs[q].req[i] = (mg_column_request){jobs[q].wants.items[i].name,
                                                 jobs[q].wants.items[i].type};
    }
    return 0;
}

static void *load_job_run(void *arg)
{
    load_job *j = arg;
    j->rc = mg_table_load_csv(&j->table, j->path, j->opts, j->req, j->wants.n, &j->err);
    return NULL;
}

/* Read the files with up to one thread per core; errors stay in each job. */
static void run_jobs(load_job *jobs, size_t n)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t width = cores > 1 ? (size_t)cores : 1;
    if (width > 64)
        width = 64;
    for (size_t first = 0; first < n; first += width) {
        size_t batch = n - first < width ? n - first : width;
        pthread_t threads[64];
        int started[64] = {0};
        for (size_t t = 1; t < batch; t++)
            started[t] =
                pthread_create(&threads[t], NULL, load_job_run, &jobs[first + t]) == 0;
        load_job_run(&jobs[first]);
        for (size_t t = 1; t < batch; t++) {
            if (started[t])
                pthread_join(threads[t], NULL);
            else
                load_job_run(&jobs[first + t]);
        }
    }
}

static int load_tables(mg__data *d, const mg_suite *s, volatile const int *cancel,
                       mg_error *err)
{
    want_list w = {0};
    mg_column_request *req = NULL;
    mg_csv_options opts = MG_CSV_OPTIONS_INIT;
    load_job *jobs = NULL;
    size_t njobs = 0;
    int rc;

    opts.delimiter = s->data.delimiter ? s->data.delimiter : ',';
    opts.id = s->data.id;
    opts.cancel = cancel;
    rc = holdout_wants(s, &w);
    if (rc == MG_EINVAL) {
        rc = mg_suite_error(s, w.conflict_loc, err, MG_EDATA,
                            "column '%s' is used both as numbers (scores, bins) and as "
                            "categories (label, slices, cluster)",
                            w.conflict->name);
        goto cleanup;
    }
    if (rc != 0 || (req = calloc(w.n, sizeof *req)) == NULL) {
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < w.n; i++)
        req[i] = (mg_column_request){w.items[i].name, w.items[i].type};
    rc = mg_table_load_csv(&d->holdout, s->data.holdout, &opts, req, w.n, err);
    if (rc != 0) {
        rc = blame_column(s, &w, s->data.holdout, err);
        goto cleanup;
    }
    if ((rc = add_input(d, "holdout", d->holdout)) != 0)
        goto cleanup;
    d->n = mg_table_rows(d->holdout);

    /* Each distinct prediction file once, with every score column it serves; the
     * files are independent, so they are read in parallel. */
    opts.join_to = d->holdout;
    opts.join_name = "holdout set";
    if ((rc = plan_prediction_files(s, &opts, &jobs, &njobs, err)) != 0)
        goto cleanup;
    run_jobs(jobs, njobs);
    for (size_t j = 0; j < njobs; j++) {
        if (jobs[j].rc != 0) {
            if (err)
                *err = jobs[j].err;
            rc = blame_column(s, &jobs[j].wants, jobs[j].path, err);
            goto cleanup;
        }
        d->tables[d->ntables++] = jobs[j].table;
        jobs[j].table = NULL;
    }
    for (size_t m = 0; m < s->nmodels; m++) {
        const char *path = s->models[m].file;
        if (path == NULL) {
            d->score_table[m] = d->holdout;
            continue;
        }
        for (size_t j = 0; j < njobs; j++)
            if (strcmp(jobs[j].path, path) == 0)
                d->score_table[m] = d->tables[j];
    }
    for (size_t j = 0; j < njobs; j++) {
        char role[300];
        snprintf(role, sizeof role, "model %s", s->models[jobs[j].first_model].name);
        if ((rc = add_input(d, role, d->tables[j])) != 0)
            goto cleanup;
    }
    rc = 0;
cleanup:
    free(w.items);
    free(req);
    free_jobs(jobs, njobs);
    return rc;
}

/* The label column must hold the positive value and exactly one other. */
static int build_label(mg__data *d, const mg_suite *s, mg_error *err)
{
    const mg_table *t = d->holdout;
    size_t col = (size_t)mg_table_find(t, s->data.label);
    size_t nl = mg_table_levels(t, col);
    long pos = mg_table_code_of(t, col, s->data.positive);
    const uint32_t *codes = mg_table_codes(t, col);

    if (pos < 0)
        return mg_suite_error(
            s, &s->data.positive_loc, err, MG_EDATA,
            "the positive label '%s' never occurs in column '%s' of %s",
            s->data.positive, s->data.label, s->data.holdout);
    if (nl < 2)
        return mg_suite_error(s, &s->data.label_loc, err, MG_EDATA,
                              "column '%s' of %s holds one class only ('%s'); a binary "
                              "holdout set needs positives and negatives",
                              s->data.label, s->data.holdout, s->data.positive);
    d->label = malloc(d->n);
    if (d->label == NULL)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    {
        uint32_t neg = codes[0] == (uint32_t)pos ? UINT32_MAX : codes[0];
        for (size_t i = 0; i < d->n; i++) {
            if (codes[i] != (uint32_t)pos && neg == UINT32_MAX)
                neg = codes[i];
            if (codes[i] != (uint32_t)pos && codes[i] != neg)
                return mg_error_set(
                    err, MG_EDATA, s->data.holdout, mg_table_line(t, i), 0,
                    "column '%s': label '%s' is neither the positive '%s' nor the "
                    "negative '%s'; a binary label has two values",
                    s->data.label, mg_table_level(t, col, codes[i]), s->data.positive,
                    mg_table_level(t, col, neg));
            d->label[i] = codes[i] == (uint32_t)pos;
        }
        d->negative = mg__strdup(mg_table_level(t, col, neg));
        if (d->negative == NULL)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}

int mg__data_load(mg__data **out, const mg_suite *s, volatile const int *cancel,
                  mg_error *err)
{
    mg__data *d = calloc(1, sizeof *d);
    int rc = MG_ENOMEM;

    *out = NULL;
    if (d == NULL)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    d->tables = calloc(s->nmodels, sizeof *d->tables);
    d->score = calloc(s->nmodels, sizeof *d->score);
    d->threshold = calloc(s->nmodels, sizeof *d->threshold);
    d->not_probability = calloc(s->nmodels, sizeof *d->not_probability);
    d->score_table = calloc(s->nmodels, sizeof *d->score_table);
    d->inputs = calloc(s->nmodels + 1, sizeof *d->inputs);
    if (!d->tables || !d->score || !d->threshold || !d->not_probability ||
        !d->score_table || !d->inputs) {
        mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if ((rc = load_tables(d, s, cancel, err)) != 0 ||
        (rc = build_label(d, s, err)) != 0)
        goto cleanup;
    for (size_t m = 0; m < s->nmodels; m++) {
        const mg_table *t = d->score_table[m];
        const double *x =
            mg_table_numbers(t, (size_t)mg_table_find(t, s->models[m].score));
        d->score[m] = x;
        d->threshold[m] =
            s->models[m].has_threshold ? s->models[m].threshold : s->threshold;
        d->not_probability[m] = -1;
        for (size_t i = 0; i < d->n; i++)
            if (x[i] < 0 || x[i] > 1) {
                d->not_probability[m] = (long)i;
                break;
            }
    }
    if ((rc = mg__slicings_new(&d->slicings, s, d->holdout, err)) != 0)
        goto cleanup;
    d->nslicings = s->nslicings;
    if (s->bootstrap.cluster) {
        long col = mg_table_find(d->holdout, s->bootstrap.cluster);
        d->nclusters = mg_table_levels(d->holdout, (size_t)col);
        d->cluster = malloc(d->n * sizeof *d->cluster);
        if (d->cluster == NULL) {
            rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        memcpy(d->cluster, mg_table_codes(d->holdout, (size_t)col),
               d->n * sizeof *d->cluster);
    }
    *out = d;
    return 0;
cleanup:
    mg__data_free(d);
    return rc;
}
