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
 * Missing values. The files are read with the suite's missing-value markers
 * (data.missing), so a marker in a number column arrives as NaN and in a category
 * column as a level of its own. A missing label or score is an error naming the
 * file, line and column, or with data.drop_missing the row is left out of every
 * table (a missing id is left out by the loader) and the count is recorded in the
 * report's provenance per input file. Slice columns keep their missing values:
 * harness/slices.c makes them a slice `(missing)`.
 *
 * Labels compare by value: "1", "1.0" and "TRUE" are one class, "0", "0.0" and
 * "FALSE" another (R writes logicals as TRUE/FALSE, pandas writes an integer column
 * that had a NaN as floats). A label error lists the values the column holds, with
 * their counts.
 *
 * Scores. For a model that a threshold metric (accuracy, recall, ...) evaluates,
 * scores on another scale than the threshold's are an error with the figures: any
 * score outside [0, 1] while the threshold is in [0, 1] (scores written as 0-100),
 * or every score on one side of the threshold (every row predicted one class). A
 * model declared `scores: raw` (margins, logits) is not checked.
 *
 * Errors that concern a column the suite names point at the suite file, line and
 * key; errors inside a data file point at that file and line. An input file that
 * cannot be opened is reported at the suite key that names it.
 */
#include "harness/data.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/util.h"
#include "fixtures/table_internal.h"

/* A column wanted from a file, with the suite location that asked for it. */
typedef struct want {
    const char *name;
    mg_column_type type;
    const mg_loc *loc;
    int optional; /* a `columns` check names it: the header may lack it */
    int later;    /* wanted as numbers, read as strings for a `columns` check */
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
    l->items[l->n++] = (want){name, type, loc, 0, 0};
    return 0;
}

static want *want_find(want_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    return NULL;
}

/*
 * The holdout columns the data checks read: each as the suite reads it anyway, or
 * else as strings (a check decides what they hold). A column a `columns` check
 * names is optional (the check reports it absent) and read as strings, so that the
 * check sees a value that is not a number; the suite's numbers are made from the
 * strings afterwards (numbers_later).
 */
static int check_wants(const mg_suite *s, want_list *w)
{
    for (size_t k = 0; k < s->nchecks; k++) {
        const mg_check_spec *ck = &s->checks[k];
        for (size_t c = 0; c < ck->ncolumns; c++) {
            want *have = want_find(w, ck->columns[c]);
            int rc;
            if (have == NULL) {
                if ((rc = want_add(w, ck->columns[c], MG_COLUMN_CATEGORY,
                                   &ck->column_locs[c])) != 0)
                    return rc;
                have = &w->items[w->n - 1];
            }
            if (ck->kind != MG_CHECK_COLUMNS)
                continue;
            have->optional = 1;
            if (have->type == MG_COLUMN_NUMBER) {
                have->type = MG_COLUMN_CATEGORY;
                have->later = 1;
            }
        }
    }
    return 0;
}

/* A unique check names the holdout's id column. */
static int id_checked_unique(const mg_suite *s)
{
    for (size_t k = 0; s->data.id != NULL && k < s->nchecks; k++)
        for (size_t c = 0; c < s->checks[k].ncolumns; c++)
            if (s->checks[k].kind == MG_CHECK_UNIQUE &&
                strcmp(s->checks[k].columns[c], s->data.id) == 0)
                return 1;
    return 0;
}

void mg__data_free(mg__data *d)
{
    if (d == NULL)
        return;
    free(d->label);
    free(d->negative);
    for (size_t i = 0; i < d->nabsent; i++)
        free(d->absent[i]);
    free(d->absent);
    for (size_t i = 0; i < d->nlater; i++)
        free(d->later[i]);
    free(d->later);
    free(d->placeholder);
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
    free(d->test_slicing);
    for (size_t i = 0; i < d->ninputs; i++) {
        free(d->inputs[i].role);
        free(d->inputs[i].path);
    }
    free(d->inputs);
    for (size_t i = 0; i < d->nwarnings; i++)
        free(d->warnings[i]);
    free(d->warnings);
    mg__mc_free(d);
    free(d);
}

/*
 * Put a loader error where the user can act on it: a file that cannot be opened at
 * the suite key that names it, a column the header lacks (`absent`, as the loader
 * reported it: an index into the want list, w->n for the id) at the key that asked
 * for the column.
 */
static int blame_column(const mg_suite *suite, const want_list *w, size_t absent,
                        const char *path, const char *id, const mg_loc *id_loc,
                        const mg_loc *file_loc, mg_error *err)
{
    char prefix[300], hint[MG_ERROR_MESSAGE_MAX];
    const char *name;
    const mg_loc *loc;
    size_t len;
    if (err == NULL || err->line > 1)
        return err ? err->code : MG_EDATA;
    /* A file that cannot be opened: the suite key that names it. */
    if (err->code == MG_EIO && err->line == 0 && file_loc != NULL) {
        /* The loader names the file: the path, or the part of a pattern. */
        char file[MG_ERROR_PATH_MAX];
        snprintf(file, sizeof file, "%s", err->file[0] ? err->file : path);
        snprintf(hint, sizeof hint, "%s", err->message);
        return mg_suite_error(suite, file_loc, err, MG_EIO, "%s: %s", file, hint);
    }
    if (absent > w->n)
        return err->code;
    name = absent < w->n ? w->items[absent].name : id;
    loc = absent < w->n ? w->items[absent].loc : id_loc;
    if (name == NULL || loc == NULL)
        return err->code;
    /* The loader's sentence names the header; ours names the file, and keeps the
     * loader's suggestion that follows it ("(did you mean 'p_churn'?)"). */
    len = (size_t)snprintf(prefix, sizeof prefix, "no column '%s' in the header", name);
    snprintf(hint, sizeof hint, "%s",
             strncmp(err->message, prefix, len) == 0 ? err->message + len : "");
    return mg_suite_error(suite, loc, err, MG_EDATA, "no column '%s' in %s%s", name,
                          path, hint);
}

/* The table's files in the provenance: the file, or each part of a partitioned
 * input with its own rows and digest. */
static int add_input(mg__data *d, const char *role, const mg_table *t)
{
    mg_input_file *grown = realloc(d->inputs, (d->ninputs + t->nparts) * sizeof *grown);
    if (grown == NULL)
        return MG_ENOMEM;
    d->inputs = grown;
    for (size_t p = 0; p < t->nparts; p++) {
        mg_input_file *f = &d->inputs[d->ninputs];
        memset(f, 0, sizeof *f);
        d->ninputs++;
        f->role = mg__strdup(role);
        f->path = mg__strdup(t->parts[p].path);
        if (f->role == NULL || f->path == NULL)
            return MG_ENOMEM;
        f->rows = t->parts[p].rows;
        f->missing_dropped = t->parts[p].skipped_missing;
        f->extra_ignored = t->parts[p].skipped_extra;
        memcpy(f->sha256, t->parts[p].sha256, 65);
    }
    return 0;
}

/* After rows were left out: each input's rows, counted per part. */
static void count_input_rows(mg__data *d)
{
    size_t f = 0;
    for (size_t k = 0; k <= d->ntables; k++) {
        const mg_table *t = k == 0 ? d->holdout : d->tables[k - 1];
        for (size_t p = 0; p < t->nparts && f + p < d->ninputs; p++)
            d->inputs[f + p].rows = 0;
        for (size_t r = 0; r < t->rows; r++) {
            size_t p = t->lines[r] >> MG__LINE_BITS;
            if (p < t->nparts && f + p < d->ninputs)
                d->inputs[f + p].rows++;
        }
        f += t->nparts;
    }
}

static int want_has(const want_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0)
            return 1;
    return 0;
}

/* The columns of a filter: an ordering needs numbers (pass 0); an equality takes
 * the column as the rest of the suite wants it, or as categories (pass 1). */
static int where_wants(want_list *w, const mg_where_cond *c, size_t n, int pass)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int ordering = c[i].op >= MG_WHERE_LT && c[i].op <= MG_WHERE_GE;
        if (pass == 0 && ordering)
            rc = want_add(w, c[i].column, MG_COLUMN_NUMBER, &c[i].loc);
        else if (pass == 1 && !ordering && !want_has(w, c[i].column))
            rc = want_add(w, c[i].column, MG_COLUMN_CATEGORY, &c[i].loc);
    }
    return rc;
}

/* The columns model m reads: its score (binary), or its probability and
 * predicted-class columns (multiclass; harness/data_multiclass.c names them once
 * the classes are known, the suite's own list before). */
static int model_wants(const mg__data *d, const mg_suite *s, size_t m, want_list *w)
{
    const mg_model_spec *ms = &s->models[m];
    const char *const *names;
    size_t n, np;
    int rc = 0;
    if (s->task != MG_TASK_MULTICLASS)
        return want_add(w, ms->score, MG_COLUMN_NUMBER, &ms->score_loc);
    if ((n = mg__mc_model_columns(d, s, m, &names)) > 0) {
        np = n - (ms->label != NULL);
        for (size_t c = 0; rc == 0 && c < n; c++)
            rc = want_add(w, names[c], c < np ? MG_COLUMN_NUMBER : MG_COLUMN_CATEGORY,
                          c < np
                              ? (ms->prefix ? &ms->prefix_loc : &ms->probabilities_loc)
                              : &ms->label_loc);
        return rc;
    }
    for (size_t c = 0; rc == 0 && c < ms->nprobabilities; c++)
        rc =
            want_add(w, ms->probabilities[c], MG_COLUMN_NUMBER, &ms->probabilities_loc);
    if (rc == 0 && ms->label)
        rc = want_add(w, ms->label, MG_COLUMN_CATEGORY, &ms->label_loc);
    return rc;
}

static int holdout_wants(const mg__data *d, const mg_suite *s, want_list *w)
{
    int rc = want_add(w, s->data.label, MG_COLUMN_CATEGORY, &s->data.label_loc);
    for (size_t k = 0; rc == 0 && k < s->nslicings; k++) {
        const mg_slicing_spec *sl = &s->slicings[k];
        for (size_t c = 0; rc == 0 && c < sl->ncolumns; c++)
            if (sl->refs == NULL || sl->refs[c] < 0)
                rc = want_add(w, sl->columns[c],
                              sl->bins || sl->quantiles ? MG_COLUMN_NUMBER
                                                        : MG_COLUMN_CATEGORY,
                              &sl->loc);
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; rc == 0 && k < s->nslicings; k++)
            rc = where_wants(w, s->slicings[k].where, s->slicings[k].nwhere, pass);
        for (size_t i = 0; rc == 0 && i < s->ntests; i++)
            rc = where_wants(w, s->tests[i].where, s->tests[i].nwhere, pass);
    }
    if (rc == 0 && s->bootstrap.cluster)
        rc = want_add(w, s->bootstrap.cluster, MG_COLUMN_CATEGORY,
                      &s->bootstrap.cluster_loc);
    for (size_t m = 0; rc == 0 && m < s->nmodels; m++)
        if (s->models[m].file == NULL)
            rc = model_wants(d, s, m, w);
    return rc;
}

/* One prediction file to read: its path, the score columns it serves. */
typedef struct load_job {
    const char *path;
    size_t first_model; /* the first model that names the file */
    want_list wants;
    mg_column_request *req;
    mg_csv_options opts; /* the file's own: its id column and extra_ids */
    mg_table *table;
    mg_error err;
    int rc;
    size_t absent; /* the requested column the file's header lacks, if that failed */
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

/* The id column of a model's file: its own, or the holdout's. */
static const char *model_id(const mg_suite *s, const mg_model_spec *m)
{
    return m->id != NULL ? m->id : s->data.id;
}

static int same_id(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static int plan_prediction_files(const mg__data *d, const mg_suite *s,
                                 const mg_csv_options *opts, load_job **out,
                                 size_t *count, mg_error *err)
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
            j->opts = *opts;
            j->opts.id = model_id(s, &s->models[m]);
            j->opts.join_id = s->data.id;
            j->opts.extra_ids =
                (mg_extra_ids)(s->models[m].has_extra_ids ? s->models[m].extra_ids
                                                          : s->data.extra_ids);
        } else if (!same_id(j->opts.id, model_id(s, &s->models[m]))) {
            return mg_suite_error(s, &s->models[m].id_loc, err, MG_EDATA,
                                  "model '%s' reads %s with id column '%s', model '%s' "
                                  "with '%s'; models sharing a file share its id",
                                  s->models[m].name, path, model_id(s, &s->models[m]),
                                  s->models[j->first_model].name, j->opts.id);
        }
        int rc = model_wants(d, s, m, &j->wants);
        if (rc == MG_EINVAL)
            return mg_suite_error(s, j->wants.conflict_loc, err, MG_EDATA,
                                  "column '%s' of %s is read both as probabilities "
                                  "and as predicted classes",
                                  j->wants.conflict->name, path);
        if (rc != 0)
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
    j->rc =
        mg_table_load_csv(&j->table, j->path, &j->opts, j->req, j->wants.n, &j->err);
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

/* A copy of `name` at the end of a list of names. */
static int note_name(char ***list, size_t *n, const char *name)
{
    char **grown = realloc(*list, (*n + 1) * sizeof *grown);

    if (grown == NULL)
        return MG_ENOMEM;
    *list = grown;
    if ((grown[*n] = mg__strdup(name)) == NULL)
        return MG_ENOMEM;
    (*n)++;
    return 0;
}

/*
 * Read the holdout file. With `lenient` (a run with data checks), a column that a
 * `columns` check names may be absent: the file is read again without it, and the
 * check reports it. And when the read fails while a `unique` check names the id
 * column, the file is read again without an id: if its ids do repeat, the check
 * reports them and the predictions are not joined (d->ids_repeat); otherwise the
 * first error stands. Both rereads stop at the header or at the failure, and need a
 * file that can be read twice (not standard input).
 */
static int load_holdout(mg__data *d, const mg_suite *s, want_list *w,
                        mg_csv_options *opts, int lenient, mg_error *err)
{
    int again = lenient && strcmp(s->data.holdout, "-") != 0, without_id = 0, rc;
    mg_error first = MG_ERROR_INIT;

    for (;;) {
        mg_column_request *req = calloc(w->n ? w->n : 1, sizeof *req);
        size_t absent = SIZE_MAX;

        if (req == NULL)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t i = 0; i < w->n; i++)
            req[i] = (mg_column_request){w->items[i].name, w->items[i].type};
        opts->absent = &absent;
        rc = mg_table_load_csv(&d->holdout, s->data.holdout, opts, req, w->n, err);
        opts->absent = NULL;
        free(req);
        if (rc == 0)
            break;
        if (again && rc == MG_EDATA && absent < w->n && w->items[absent].optional) {
            if (note_name(&d->absent, &d->nabsent, w->items[absent].name) != 0)
                return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
            memmove(&w->items[absent], &w->items[absent + 1],
                    (w->n - absent - 1) * sizeof *w->items);
            w->n--;
            continue;
        }
        if (again && !without_id && rc == MG_EDATA && absent == SIZE_MAX &&
            id_checked_unique(s)) {
            if (err != NULL)
                first = *err;
            without_id = 1;
            opts->id = NULL;
            if (want_find(w, s->data.id) == NULL &&
                want_add(w, s->data.id, MG_COLUMN_CATEGORY, &s->data.id_loc) != 0)
                return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
            continue;
        }
        if (without_id) {
            if (err != NULL)
                *err = first;
            return first.code;
        }
        return blame_column(s, w, absent, s->data.holdout, s->data.id, &s->data.id_loc,
                            &s->data.holdout_loc, err);
    }
    if (without_id) {
        size_t col = (size_t)mg_table_find(d->holdout, s->data.id);
        if (mg_table_levels(d->holdout, col) == mg_table_rows(d->holdout)) {
            /* Every id differs: the first failure was something else. */
            if (err != NULL)
                *err = first;
            return first.code;
        }
        d->ids_repeat = 1;
    }
    return 0;
}

static int load_tables(mg__data *d, const mg_suite *s, int lenient,
                       volatile const int *cancel, mg_error *err)
{
    want_list w = {0};
    mg_csv_options opts = MG_CSV_OPTIONS_INIT;
    load_job *jobs = NULL;
    size_t njobs = 0;
    int rc;

    opts.delimiter = s->data.delimiter ? s->data.delimiter : ',';
    opts.id = s->data.id;
    opts.cancel = cancel;
    opts.missing = (const char *const *)s->data.missing;
    opts.drop_missing = s->data.drop_missing;
    for (size_t m = 0; m < s->nmodels; m++)
        if (s->models[m].id != NULL &&
            (s->data.id == NULL || s->models[m].file == NULL)) {
            rc = mg_suite_error(s, &s->models[m].id_loc, err, MG_EDATA, "%s",
                                s->models[m].file == NULL
                                    ? "a model without a file reads its scores from "
                                      "the holdout set, which has no other id"
                                    : "a model's id needs data.id, the holdout set's "
                                      "id column, to join on");
            goto cleanup;
        }
    if (s->task == MG_TASK_MULTICLASS && (rc = mg__mc_suite_classes(d, s, err)) != 0)
        goto cleanup;
    rc = holdout_wants(d, s, &w);
    if (rc == 0 && lenient)
        rc = check_wants(s, &w);
    if (rc == MG_EINVAL) {
        rc = mg_suite_error(s, w.conflict_loc, err, MG_EDATA,
                            "column '%s' is used both as numbers (scores, bins, "
                            "quantiles, <, <=, >, >=) and as categories (label, "
                            "slices, groups, cluster)",
                            w.conflict->name);
        goto cleanup;
    }
    if (rc != 0) {
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if ((rc = load_holdout(d, s, &w, &opts, lenient, err)) != 0)
        goto cleanup;
    for (size_t i = 0; i < w.n; i++)
        if (w.items[i].later &&
            (rc = note_name(&d->later, &d->nlater, w.items[i].name)) != 0) {
            rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
    if ((rc = add_input(d, "holdout", d->holdout)) != 0)
        goto cleanup;
    d->n = mg_table_rows(d->holdout);
    for (size_t m = 0; m < s->nmodels; m++)
        if (s->models[m].file == NULL)
            d->score_table[m] = d->holdout;
    /* Repeated ids join nothing: the unique check reports them, and every test
     * that would read the predictions is not evaluated. */
    if (d->ids_repeat)
        goto cleanup;

    /* Each distinct prediction file once, with every score column it serves; the
     * files are independent, so they are read in parallel. */
    opts.join_to = d->holdout;
    opts.join_name = "holdout set";
    if (s->task == MG_TASK_MULTICLASS && (rc = mg__mc_data_classes(d, s, err)) != 0)
        goto cleanup;
    if ((rc = plan_prediction_files(d, s, &opts, &jobs, &njobs, err)) != 0)
        goto cleanup;
    for (size_t j = 0; j < njobs; j++) {
        jobs[j].absent = SIZE_MAX;
        jobs[j].opts.absent = &jobs[j].absent;
    }
    run_jobs(jobs, njobs);
    for (size_t j = 0; j < njobs; j++) {
        if (jobs[j].rc != 0) {
            const mg_model_spec *m = &s->models[jobs[j].first_model];
            if (err)
                *err = jobs[j].err;
            rc = blame_column(
                s, &jobs[j].wants, jobs[j].absent, jobs[j].path, jobs[j].opts.id,
                m->id != NULL ? &m->id_loc : &s->data.id_loc, &m->file_loc, err);
            goto cleanup;
        }
        d->tables[d->ntables++] = jobs[j].table;
        jobs[j].table = NULL;
    }
    for (size_t m = 0; m < s->nmodels; m++) {
        const char *path = s->models[m].file;
        for (size_t j = 0; path != NULL && j < njobs; j++)
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
    free_jobs(jobs, njobs);
    return rc;
}

/* A level is one of the suite's missing-value markers. */
static int is_marker(const mg_suite *s, const char *v)
{
    for (size_t i = 0; i < s->data.nmissing; i++)
        if (strcmp(s->data.missing[i], v) == 0)
            return 1;
    return 0;
}

/* A column a model reads, as missing_values checks it. */
typedef struct model_column {
    const mg_table *t;
    size_t col;
    int number; /* else a category: missing when its level is a marker */
} model_column;

/* Every column the models read (*n of them; free the array). */
static model_column *model_columns(const mg__data *d, const mg_suite *s,
                                   const unsigned char *blocked, size_t *n)
{
    size_t total = 0;
    model_column *cols;
    for (size_t m = 0; m < s->nmodels; m++) {
        const char *const *names;
        total +=
            s->task == MG_TASK_MULTICLASS ? mg__mc_model_columns(d, s, m, &names) : 1;
    }
    if ((cols = calloc(total ? total : 1, sizeof *cols)) == NULL)
        return NULL;
    *n = 0;
    for (size_t m = 0; m < s->nmodels; m++) {
        const mg_table *t = d->score_table[m];
        const char *const *names = NULL;
        size_t k = 1;
        if (blocked != NULL && blocked[m])
            continue; /* a failed data check holds the model back */
        if (s->task == MG_TASK_MULTICLASS)
            k = mg__mc_model_columns(d, s, m, &names);
        for (size_t c = 0; c < k; c++) {
            const char *name = names ? names[c] : s->models[m].score;
            size_t col = (size_t)mg_table_find(t, name);
            cols[(*n)++] = (model_column){
                t, col, mg_table_column_type(t, col) == MG_COLUMN_NUMBER};
        }
    }
    return cols;
}

/* A value of a model's column is missing: NaN, or a category that is a marker. */
static int model_missing(const mg_suite *s, const model_column *mc, size_t i);

/*
 * Rows with a missing label or score: an error at the first (file, line, column),
 * or with data.drop_missing left out of every table, counted against the first
 * input file that has the row missing.
 */
static int missing_values(mg__data *d, const mg_suite *s, const unsigned char *blocked,
                          mg_error *err)
{
    const mg_table *h = d->holdout;
    size_t lc = (size_t)mg_table_find(h, s->data.label), n = d->n, kept = 0, ncols = 0;
    const uint32_t *codes = mg_table_codes(h, lc);
    size_t nl = mg_table_levels(h, lc);
    unsigned char *gone = calloc(nl ? nl : 1, 1), *keep = malloc(n ? n : 1);
    model_column *cols = model_columns(d, s, blocked, &ncols);
    int rc = 0;

    if (gone == NULL || keep == NULL || cols == NULL) {
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t c = 0; c < nl; c++)
        gone[c] = (unsigned char)is_marker(s, mg_table_level(h, lc, (uint32_t)c));
    for (size_t i = 0; i < n; i++) {
        const mg_table *t = h;
        size_t col = lc;
        int missing = gone[codes[i]];
        for (size_t q = 0; !missing && q < ncols; q++) {
            t = cols[q].t;
            col = cols[q].col;
            missing = model_missing(s, &cols[q], i);
        }
        keep[i] = !missing;
        kept += !missing;
        if (!missing)
            continue;
        if (!s->data.drop_missing) {
            const char *v =
                t == h && col == lc ? mg_table_level(h, lc, codes[i]) : NULL;
            char shown[96] = "";
            if (v != NULL)
                snprintf(shown, sizeof shown, " '%s'", v);
            rc = mg_error_set(
                err, MG_EDATA, mg__table_row_path(t, i), mg_table_line(t, i),
                mg_table_field(t, col),
                "column '%s': missing %s%s (to leave out rows with a missing label, "
                "id or score, set data.drop_missing: true)",
                mg_table_column_name(t, col),
                col == lc && t == h                                ? "label"
                : mg_table_column_type(t, col) == MG_COLUMN_NUMBER ? "score"
                                                                   : "predicted class",
                shown);
            goto cleanup;
        }
        for (size_t f = 0; f < d->ninputs; f++)
            if (strcmp(d->inputs[f].path, mg__table_row_path(t, i)) == 0) {
                d->inputs[f].missing_dropped++;
                break;
            }
    }
    if (kept == n)
        goto cleanup;
    if (kept == 0) {
        rc = mg_suite_error(s, &s->data.drop_missing_loc, err, MG_EDATA,
                            "every row of %s has a missing label or score",
                            s->data.holdout);
        goto cleanup;
    }
    mg__table_filter(d->holdout, keep);
    for (size_t t = 0; t < d->ntables; t++)
        mg__table_filter(d->tables[t], keep);
    count_input_rows(d);
    d->n = kept;
cleanup:
    free(cols);
    free(gone);
    free(keep);
    return rc;
}

static int model_missing(const mg_suite *s, const model_column *mc, size_t i)
{
    if (mc->number)
        return isnan(mg_table_numbers(mc->t, mc->col)[i]);
    return is_marker(s,
                     mg_table_level(mc->t, mc->col, mg_table_codes(mc->t, mc->col)[i]));
}

/* A label's value for comparison: a number by value, TRUE/FALSE as 1/0 (R writes
 * logicals so), otherwise the string itself. */
typedef struct label_value {
    int number;
    double x;
    const char *s;
} label_value;

static label_value label_of(const char *s)
{
    label_value v = {0, 0, s};
    char *end;
    if (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0) {
        v.number = 1;
        v.x = strcasecmp(s, "true") == 0;
    } else if (*s != '\0' && *s != ' ') {
        v.x = strtod(s, &end);
        v.number = *end == '\0' && isfinite(v.x);
    }
    return v;
}

static int same_label(label_value a, label_value b)
{
    return a.number && b.number ? a.x == b.x
                                : !a.number && !b.number && strcmp(a.s, b.s) == 0;
}

int mg__same_label(const char *a, const char *b)
{
    return same_label(label_of(a), label_of(b));
}

/* "'yes' (120 rows), 'no' (380)": the first few values a label column holds. */
static const char *label_values(const mg_table *t, size_t col, const size_t *count,
                                char *buf, size_t size)
{
    size_t nl = mg_table_levels(t, col), used = 0, shown = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < nl && used + 1 < size; c++) {
        if (count[c] == 0)
            continue;
        if (shown == 5) {
            snprintf(buf + used, size - used, ", ...");
            break;
        }
        used += (size_t)snprintf(buf + used, size - used, "%s'%.40s' (%zu%s)",
                                 shown ? ", " : "", mg_table_level(t, col, (uint32_t)c),
                                 count[c], shown ? "" : " rows");
        shown++;
    }
    return buf;
}

/*
 * The label column must hold the positive value and exactly one other, compared by
 * value (see label_of). Every error lists the values found with their counts.
 */
static int build_label(mg__data *d, const mg_suite *s, mg_error *err)
{
    const mg_table *t = d->holdout;
    size_t col = (size_t)mg_table_find(t, s->data.label);
    size_t nl = mg_table_levels(t, col);
    const uint32_t *codes = mg_table_codes(t, col);
    label_value pos = label_of(s->data.positive);
    size_t *count = calloc(nl ? nl : 1, sizeof *count);
    signed char *cls = malloc(nl ? nl : 1); /* 1 positive, 0 negative, -1 neither */
    char found[400];
    long neg = -1, npos = 0;
    int rc = 0;

    if (count == NULL || cls == NULL) {
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < d->n; i++)
        count[codes[i]]++;
    for (size_t c = 0; c < nl; c++) {
        label_value v = label_of(mg_table_level(t, col, (uint32_t)c));
        cls[c] = -1;
        if (count[c] == 0)
            continue;
        if (same_label(v, pos)) {
            cls[c] = 1;
            npos++;
        } else if (neg < 0 ||
                   same_label(v, label_of(mg_table_level(t, col, (uint32_t)neg)))) {
            cls[c] = 0;
            if (neg < 0)
                neg = (long)c;
        }
    }
    label_values(t, col, count, found, sizeof found);
    if (npos == 0) {
        rc =
            mg_suite_error(s, &s->data.positive_loc, err, MG_EDATA,
                           "the positive label '%s' never occurs in column '%s' of %s, "
                           "which holds %s",
                           s->data.positive, s->data.label, s->data.holdout, found);
        goto cleanup;
    }
    if (neg < 0) {
        rc = mg_suite_error(s, &s->data.label_loc, err, MG_EDATA,
                            "column '%s' of %s holds one class only: %s; a binary "
                            "holdout set needs positives and negatives",
                            s->data.label, s->data.holdout, found);
        goto cleanup;
    }
    d->label = malloc(d->n ? d->n : 1);
    if (d->label == NULL) {
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < d->n; i++) {
        if (cls[codes[i]] < 0) {
            rc = mg_error_set(
                err, MG_EDATA, mg__table_row_path(t, i), mg_table_line(t, i),
                mg_table_field(t, col),
                "column '%s': label '%s' is neither the positive '%s' nor the "
                "negative '%s'; a binary label has two values, the column holds %s",
                s->data.label, mg_table_level(t, col, codes[i]), s->data.positive,
                mg_table_level(t, col, (uint32_t)neg), found);
            goto cleanup;
        }
        d->label[i] = (unsigned char)cls[codes[i]];
    }
    d->negative = mg__strdup(mg_table_level(t, col, (uint32_t)neg));
    if (d->negative == NULL)
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
cleanup:
    free(count);
    free(cls);
    return rc;
}

/* A line for the report's warnings. */
static int add_warning(mg__data *d, const char *line)
{
    char **grown = realloc(d->warnings, (d->nwarnings + 1) * sizeof *grown);
    if (grown == NULL)
        return MG_ENOMEM;
    d->warnings = grown;
    if ((d->warnings[d->nwarnings] = mg__strdup(line)) == NULL)
        return MG_ENOMEM;
    d->nwarnings++;
    return 0;
}

/*
 * A model whose scores take at most two values (predicted labels given as scores)
 * makes rank metrics degenerate: AUC is then balanced accuracy, and its ties say
 * nothing about ranking. Not an error: a warning in every report.
 */
static int two_values_warning(mg__data *d, const mg_suite *s, size_t m)
{
    const double *x = d->score[m];
    double a = x[0], b = x[0];
    char line[512];

    for (size_t i = 0; i < d->n; i++) {
        if (x[i] == a || x[i] == b)
            continue;
        if (a != b)
            return 0;
        b = x[i];
    }
    if (a == b)
        snprintf(line, sizeof line,
                 "model '%s': its scores take one value only (%.6g), so rank metrics "
                 "(auc, average_precision) are degenerate",
                 s->models[m].name, a);
    else
        snprintf(line, sizeof line,
                 "model '%s': its scores take only two values (%.6g and %.6g), so rank "
                 "metrics (auc, average_precision) are degenerate: are these predicted "
                 "labels rather than scores?",
                 s->models[m].name, a < b ? a : b, a < b ? b : a);
    return add_warning(d, line);
}

/* The first test that evaluates model m with a threshold metric, or NULL. */
static const mg_test_spec *threshold_test(const mg_suite *s, size_t m)
{
    for (size_t i = 0; i < s->ntests; i++) {
        const mg_test_spec *t = &s->tests[i];
        int names = (t->model && strcmp(t->model, s->models[m].name) == 0) ||
                    (t->baseline && strcmp(t->baseline, s->models[m].name) == 0);
        /* n and prevalence count rows and labels: no threshold in them. */
        if (names && mg_metric_family((mg_metric)t->metric) == MG_FAMILY_CONFUSION &&
            t->metric != MG_METRIC_N && t->metric != MG_METRIC_PREVALENCE)
            return t;
    }
    return NULL;
}

/* Scores on the threshold's scale for a model a threshold metric evaluates. */
static int check_scale(const mg__data *d, const mg_suite *s, size_t m, mg_error *err)
{
    const mg_model_spec *ms = &s->models[m];
    const mg_test_spec *t = threshold_test(s, m);
    const double *x = d->score[m];
    double lo = x[0], hi = x[0], th = d->threshold[m];
    size_t above = 0;

    if (t == NULL || ms->raw_scores)
        return 0;
    for (size_t i = 0; i < d->n; i++) {
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
        above += x[i] >= th;
    }
    if (th >= 0 && th <= 1 && (lo < 0 || hi > 1))
        return mg_suite_error(
            s, &ms->score_loc, err, MG_EDATA,
            "model '%s': scores range from %.6g to %.6g, outside [0, 1], but the "
            "threshold is %.6g, so test '%s' (%s) would compare them on another "
            "scale: set models.%s.threshold on the scores' scale, or scores: raw for "
            "margins or logits",
            ms->name, lo, hi, th, t->name, mg_metric_name((mg_metric)t->metric),
            ms->name);
    if (above == 0 || above == d->n)
        return mg_suite_error(
            s, &ms->score_loc, err, MG_EDATA,
            "model '%s': every score (%.6g to %.6g) is %s the threshold %.6g, so test "
            "'%s' (%s) would see every row predicted %s: set models.%s.threshold on "
            "the scores' scale, or scores: raw",
            ms->name, lo, hi, above ? "at or above" : "below", th, t->name,
            mg_metric_name((mg_metric)t->metric), above ? "positive" : "negative",
            ms->name);
    return 0;
}

/*
 * Each test's slicing: the suite's, or for a test with a filter (where) a slicing
 * of its own, the suite's restricted to the rows the filter keeps, appended after
 * the suite's. The slicings' notes go to the report's warnings.
 */
static int test_slicings(mg__data *d, const mg_suite *s, const unsigned char *blocked,
                         mg_error *err)
{
    size_t extra = 0, used = 1;
    mg__slicing *grown;

    for (size_t k = 0; k < d->nslicings; k++) {
        used += d->slicings[k].nlevels;
        if (d->slicings[k].note != NULL && add_warning(d, d->slicings[k].note) != 0)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < s->ntests; i++)
        extra += s->tests[i].nwhere > 0;
    d->test_slicing = malloc((s->ntests ? s->ntests : 1) * sizeof *d->test_slicing);
    grown = realloc(d->slicings, (d->nslicings + extra + 1) * sizeof *grown);
    if (d->test_slicing == NULL || grown == NULL) {
        if (grown != NULL)
            d->slicings = grown;
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    d->slicings = grown;
    for (size_t i = 0; i < s->ntests; i++) {
        const mg_test_spec *t = &s->tests[i];
        long k = t->slices ? mg_suite_slicing(s, t->slices) : -1;
        int rc;
        d->test_slicing[i] = k;
        if (t->nwhere == 0 || (blocked != NULL && blocked[i]))
            continue; /* a test a data check holds back is never evaluated */
        if ((rc = mg__slicing_restrict(&d->slicings[d->nslicings], s, d->holdout,
                                       k < 0 ? NULL : &d->slicings[k], t, used, err)) !=
            0)
            return rc;
        used += d->slicings[d->nslicings].nlevels;
        d->test_slicing[i] = (long)d->nslicings++;
    }
    return 0;
}

int mg__data_read(mg__data **out, const mg_suite *s, int lenient,
                  volatile const int *cancel, mg_error *err)
{
    mg__data *d = calloc(1, sizeof *d);
    int rc;

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
        mg__data_free(d);
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if ((rc = load_tables(d, s, lenient, cancel, err)) != 0) {
        mg__data_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

/*
 * The slicings, with a blocked one (its column failed a data check, or is absent)
 * built over the label column instead: a placeholder that keeps every slicing's
 * index and that no test reads (every test on it is not evaluated).
 */
static int build_slicings(mg__data *d, const mg_suite *s, const unsigned char *blocked,
                          mg_error *err)
{
    mg_suite copy = *s;
    mg_slicing_spec *specs = NULL;
    char *label = s->data.label;
    int rc;

    if (blocked != NULL && s->nslicings > 0) {
        if ((specs = malloc(s->nslicings * sizeof *specs)) == NULL)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        memcpy(specs, s->slicings, s->nslicings * sizeof *specs);
        for (size_t k = 0; k < s->nslicings; k++)
            if (blocked[k]) {
                mg_slicing_spec one = {0};
                one.name = specs[k].name;
                one.loc = specs[k].loc;
                one.columns = &label;
                one.ncolumns = 1;
                specs[k] = one;
            }
        copy.slicings = specs;
    }
    rc = mg__slicings_new(&d->slicings, &copy, d->holdout, err);
    free(specs);
    if (rc == 0)
        d->nslicings = s->nslicings;
    return rc;
}

/* Whether filter w (n conditions) compares holdout column `name` with a number. */
static int where_orders(const mg_where_cond *w, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (w[i].op >= MG_WHERE_LT && w[i].op <= MG_WHERE_GE &&
            strcmp(w[i].column, name) == 0)
            return 1;
    return 0;
}

/* Whether the suite still reads holdout column `name` as numbers: a binned or
 * quantile slicing, a filter's ordering, a model's scores, that no failed check
 * holds back. */
static int read_as_numbers(const mg_suite *s, const char *name,
                           const mg__data_blocks *b)
{
    for (size_t k = 0; k < s->nslicings; k++) {
        const mg_slicing_spec *sl = &s->slicings[k];
        if (b && b->slicing && b->slicing[k])
            continue;
        if (where_orders(sl->where, sl->nwhere, name))
            return 1;
        for (size_t q = 0; (sl->bins || sl->quantiles) && q < sl->ncolumns; q++)
            if ((sl->refs == NULL || sl->refs[q] < 0) &&
                strcmp(sl->columns[q], name) == 0)
                return 1;
    }
    for (size_t i = 0; i < s->ntests; i++)
        if (!(b && b->test && b->test[i]) &&
            where_orders(s->tests[i].where, s->tests[i].nwhere, name))
            return 1;
    for (size_t m = 0; m < s->nmodels; m++)
        if (s->models[m].file == NULL && s->models[m].score != NULL &&
            strcmp(s->models[m].score, name) == 0 && !(b && b->model && b->model[m]))
            return 1;
    return 0;
}

/*
 * The columns read as strings for a `columns` check that the suite reads as
 * numbers, made numbers now. A value that is not a number is the loader's error,
 * unless nothing reads the column any more (the check failed and held back what
 * reads it).
 */
static int numbers_later(mg__data *d, const mg_suite *s, const mg__data_blocks *b,
                         mg_error *err)
{
    for (size_t i = 0; i < d->nlater; i++) {
        mg_table *t = d->holdout;
        size_t col = (size_t)mg_table_find(t, d->later[i]), bad = 0;
        int rc =
            mg__table_to_numbers(t, col, (const char *const *)s->data.missing, &bad);
        if (rc == MG_ENOMEM)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        if (rc != 0 && read_as_numbers(s, d->later[i], b))
            return mg_error_set(err, MG_EDATA, mg__table_row_path(t, bad),
                                mg_table_line(t, bad), mg_table_field(t, col),
                                "column '%s': '%s' is not a number", d->later[i],
                                mg_table_level(t, col, mg_table_codes(t, col)[bad]));
    }
    return 0;
}

int mg__data_prepare(mg__data *d, const mg_suite *s, const mg__data_blocks *b,
                     mg_error *err)
{
    const unsigned char *bm = b ? b->model : NULL;
    int rc;

    if (b != NULL && b->all)
        return 0;
    if ((rc = numbers_later(d, s, b, err)) != 0)
        return rc;
    if ((rc = missing_values(d, s, bm, err)) != 0)
        return rc;
    if (s->task == MG_TASK_MULTICLASS)
        rc = mg__mc_build(d, s, bm, err);
    else
        rc = build_label(d, s, err);
    if (rc != 0)
        return rc;
    for (size_t m = 0; s->task == MG_TASK_BINARY && m < s->nmodels; m++) {
        const mg_table *t = d->score_table[m];
        d->threshold[m] =
            s->models[m].has_threshold ? s->models[m].threshold : s->threshold;
        d->not_probability[m] = -1;
        if (bm != NULL && bm[m]) {
            /* A placeholder no test reads: its tests are not evaluated. */
            if (d->placeholder == NULL &&
                (d->placeholder = calloc(d->n ? d->n : 1, sizeof *d->placeholder)) ==
                    NULL)
                return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
            d->score[m] = d->placeholder;
            continue;
        }
        const double *x =
            mg_table_numbers(t, (size_t)mg_table_find(t, s->models[m].score));
        d->score[m] = x;
        for (size_t i = 0; i < d->n; i++)
            if (x[i] < 0 || x[i] > 1) {
                d->not_probability[m] = (long)i;
                break;
            }
        if ((rc = check_scale(d, s, m, err)) != 0)
            return rc;
        if (two_values_warning(d, s, m) != 0)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if ((rc = build_slicings(d, s, b ? b->slicing : NULL, err)) != 0 ||
        (rc = test_slicings(d, s, b ? b->test : NULL, err)) != 0)
        return rc;
    if (s->bootstrap.cluster) {
        long col = mg_table_find(d->holdout, s->bootstrap.cluster);
        d->nclusters = mg_table_levels(d->holdout, (size_t)col);
        d->cluster = malloc((d->n ? d->n : 1) * sizeof *d->cluster);
        if (d->cluster == NULL)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        memcpy(d->cluster, mg_table_codes(d->holdout, (size_t)col),
               d->n * sizeof *d->cluster);
    }
    return 0;
}

int mg__data_load(mg__data **out, const mg_suite *s, volatile const int *cancel,
                  mg_error *err)
{
    int rc = mg__data_read(out, s, 0, cancel, err);

    if (rc == 0 && (rc = mg__data_prepare(*out, s, NULL, err)) != 0) {
        mg__data_free(*out);
        *out = NULL;
    }
    return rc;
}
