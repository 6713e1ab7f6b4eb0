/*
 * Drift between two data sets, column by column: the `modelgate drift` table
 * (mg_drift_compare) and the columns of a suite's drift tests (harness/run.c).
 *
 * A column is a number when every value in both files is a number or a
 * missing-value marker, and a category otherwise. Without a suite nothing says
 * which: a column is typed a category when its first thousand rows in either file
 * hold a value that is not a number, and a number otherwise; a column the loader
 * then refuses as "not a number" (a late text value) is reloaded as a category, at
 * the cost of one more read of the file. Missing values are left out of both samples
 * and counted. A category column's two dictionaries are matched by value, so a category
 * that only the current data has is counted there (and reported as new).
 *
 * Columns are independent: they are computed on worker threads, each column's
 * bootstrap on its own random stream (keyed by the column's position), so the table
 * is the same for any thread count. The p-values (KS for numbers, χ² for
 * categories) are Holm-adjusted across the table's columns (assertions/family.c):
 * with twenty columns and no drift, one raw p-value below 0.05 is expected by
 * chance alone. The table is sorted by PSI, largest first, the one effect size
 * defined for every column.
 */
#include "harness/drift.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assertions/family.h"
#include "common/clocale.h"
#include "common/util.h"
#include "fixtures/header.h"
#include "stats/ci.h"

/* Rows looked at to type the columns before loading (harness/drift.c). */
#define MG__DRIFT_SNIFF_ROWS 1000

/* The markers `modelgate drift` reads as missing, as a suite does by default. */
static const char *const default_missing[] = {"",     "NA",  "NaN", "null",
                                              "None", "N/A", NULL};

static int is_missing(const char *const *missing, const char *s)
{
    for (size_t i = 0; missing != NULL && missing[i] != NULL; i++)
        if (strcmp(missing[i], s) == 0)
            return 1;
    return 0;
}

/* A category column's counts over the union of both files' levels. */
static int category_counts(const mg_table *rt, size_t rc, const mg_table *ct, size_t cc,
                           const char *const *missing, double **rcount, double **ccount,
                           size_t *k, size_t *miss_r, size_t *miss_c)
{
    size_t lr = mg_table_levels(rt, rc), lc = mg_table_levels(ct, cc), n = 0;
    long *map_r = malloc((lr ? lr : 1) * sizeof *map_r);
    long *map_c = malloc((lc ? lc : 1) * sizeof *map_c);
    double *r = calloc(lr + lc + 1, sizeof *r), *c = calloc(lr + lc + 1, sizeof *c);
    const uint32_t *codes;

    if (!map_r || !map_c || !r || !c) {
        free(map_r), free(map_c), free(r), free(c);
        return MG_ENOMEM;
    }
    for (size_t j = 0; j < lr; j++)
        map_r[j] =
            is_missing(missing, mg_table_level(rt, rc, (uint32_t)j)) ? -1 : (long)n++;
    for (size_t j = 0; j < lc; j++) {
        const char *v = mg_table_level(ct, cc, (uint32_t)j);
        long in_r = mg_table_code_of(rt, rc, v);
        map_c[j] = is_missing(missing, v) ? -1 : in_r >= 0 ? map_r[in_r] : (long)n++;
    }
    *miss_r = *miss_c = 0;
    codes = mg_table_codes(rt, rc);
    for (size_t i = 0; i < mg_table_rows(rt); i++) {
        long b = map_r[codes[i]];
        if (b < 0)
            (*miss_r)++;
        else
            r[b]++;
    }
    codes = mg_table_codes(ct, cc);
    for (size_t i = 0; i < mg_table_rows(ct); i++) {
        long b = map_c[codes[i]];
        if (b < 0)
            (*miss_c)++;
        else
            c[b]++;
    }
    free(map_r), free(map_c);
    *rcount = r;
    *ccount = c;
    *k = n;
    return 0;
}

int mg__drift_of(mg__drift *out, const mg__drift_sample *ref,
                 const mg__drift_sample *cur, const mg_drift_options *o,
                 uint64_t stream, mg_error *err)
{
    int rc;

    memset(out, 0, sizeof *out);
    if (ref->numbers != NULL && cur->numbers != NULL)
        return mg__drift_numbers(out, ref->numbers, ref->n, cur->numbers, cur->n, o,
                                 stream, err);
    {
        double *r = NULL, *c = NULL;
        size_t k = 0, mr = 0, mc = 0;
        if (category_counts(ref->table, ref->column, cur->table, cur->column,
                            ref->missing, &r, &c, &k, &mr, &mc) != 0)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        rc = mg__drift_counts(out, r, c, k, o, stream, err);
        out->r.missing_reference = mr;
        out->r.missing_current = mc;
        free(r);
        free(c);
    }
    return rc;
}

/* ---- Worker threads ---------------------------------------------------------- */

typedef struct pool {
    mg__drift_job *jobs;
    size_t n, next;
    const mg_drift_options *o;
    pthread_mutex_t lock;
    int failed;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t i;
        mg__drift_job *j;
        pthread_mutex_lock(&p->lock);
        i = p->failed ? p->n : p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        j = &p->jobs[i];
        j->err = (mg_error)MG_ERROR_INIT;
        if (j->skip)
            continue;
        j->rc = mg__drift_of(&j->out, &j->ref, &j->cur, p->o, j->stream, &j->err);
        if (j->rc != 0) {
            pthread_mutex_lock(&p->lock);
            p->failed = 1;
            pthread_mutex_unlock(&p->lock);
        }
    }
}

int mg__drift_run(mg__drift_job *jobs, size_t n, const mg_drift_options *o,
                  unsigned threads)
{
    pool p = {jobs, n, 0, o, PTHREAD_MUTEX_INITIALIZER, 0};
    pthread_t tid[64];
    unsigned t, started = 0;

    if (threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (unsigned)cores : 1;
    }
    t = threads > 64 ? 64 : threads;
    if (t > n)
        t = n ? (unsigned)n : 1;
    for (unsigned i = 1; i < t; i++)
        if (pthread_create(&tid[started], NULL, worker, &p) == 0)
            started++;
    worker(&p);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    for (size_t i = 0; i < n; i++)
        if (jobs[i].rc != 0)
            return jobs[i].rc;
    return 0;
}

/* ---- The drift table ---------------------------------------------------------- */

/* Load `path` with the columns `names` typed as `types`; a column the loader finds
 * not to be a number becomes a category and the file is read again. *changed
 * says whether any did. */
static int load_typed(mg_table **out, const char *path, char delim,
                      const char *const *missing, const char *const *names,
                      mg_column_type *types, size_t n, int *changed, mg_error *err)
{
    *changed = 0;
    mg_column_request *req = malloc((n ? n : 1) * sizeof *req);
    mg_csv_options co = MG_CSV_OPTIONS_INIT;
    char **header = NULL;
    size_t nheader = 0;
    int rc;

    if (req == NULL)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    unsigned char *not_number = NULL;

    if ((rc = mg__csv_header(path, delim, MG__DRIFT_SNIFF_ROWS, missing, &header,
                             &nheader, &not_number, err)) != 0) {
        free(req);
        return rc;
    }
    /* what the first rows already show to be categories */
    for (size_t i = 0; i < n; i++)
        for (size_t f = 0; f < nheader; f++)
            if (types[i] == MG_COLUMN_NUMBER && not_number[f] &&
                strcmp(names[i], header[f]) == 0) {
                types[i] = MG_COLUMN_CATEGORY;
                *changed = 1;
            }
    free(not_number);
    co.missing = missing;
    co.delimiter = delim;
    for (;;) {
        size_t k = n;
        for (size_t i = 0; i < n; i++)
            req[i] = (mg_column_request){names[i], types[i]};
        *out = NULL;
        rc = mg_table_load_csv(out, path, &co, req, n, err);
        if (rc != MG_EDATA || strstr(err->message, "is not a number") == NULL ||
            err->column == 0 || err->column > nheader)
            break;
        for (size_t i = 0; i < n; i++)
            if (types[i] == MG_COLUMN_NUMBER &&
                strcmp(names[i], header[err->column - 1]) == 0)
                k = i;
        if (k == n)
            break;
        types[k] = MG_COLUMN_CATEGORY;
        *changed = 1;
        *err = (mg_error)MG_ERROR_INIT;
    }
    mg__csv_header_free(header, nheader);
    free(req);
    return rc;
}

int mg__drift_load(mg_table **rt, mg_table **ct, const char *reference,
                   const char *current, char delim, const char *const *missing,
                   const char *const *names, mg_column_type *types, size_t n,
                   mg_error *err)
{
    int rc, changed;

    *rt = *ct = NULL;
    /* until neither file turns another column into a category */
    do {
        mg_table_free(*rt), mg_table_free(*ct);
        *rt = *ct = NULL;
        if ((rc = load_typed(rt, reference, delim, missing, names, types, n, &changed,
                             err)) != 0 ||
            (rc = load_typed(ct, current, delim, missing, names, types, n, &changed,
                             err)) != 0) {
            mg_table_free(*rt), mg_table_free(*ct);
            *rt = *ct = NULL;
            return rc;
        }
    } while (changed);
    return 0;
}

static int has_name(char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* The columns both headers name, in the reference's order, into *out (borrowed
 * names); the others into t->unshared (copies). None shared is an error. */
static int shared_columns(mg_drift_table *t, char **rh, size_t nr, char **ch, size_t nc,
                          const char ***out, size_t *n, mg_error *err)
{
    const char **names = malloc((nr ? nr : 1) * sizeof *names);
    *n = 0;
    *out = names;
    if (names == NULL ||
        (t->unshared = calloc(nr + nc + 1, sizeof *t->unshared)) == NULL)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < nr; i++)
        if (has_name(ch, nc, rh[i]))
            names[(*n)++] = rh[i];
        else if ((t->unshared[t->nunshared++] = mg__strdup(rh[i])) == NULL)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < nc; i++)
        if (!has_name(rh, nr, ch[i]) &&
            (t->unshared[t->nunshared++] = mg__strdup(ch[i])) == NULL)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    if (*n == 0)
        return mg_error_set(err, MG_EDATA, NULL, 0, 0,
                            "the two files have no column name in common");
    return 0;
}

static int by_psi(const void *a, const void *b)
{
    const mg_drift_column *x = a, *y = b;
    double u = x->stat[MG_DRIFT_PSI].value, v = y->stat[MG_DRIFT_PSI].value;
    if (u != v)
        return u > v ? -1 : 1;
    return strcmp(x->name, y->name);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Fill each column's intervals at the table's level, then the adjusted p-values. */
static int finish_columns(mg_drift_table *t, mg__drift_job *jobs, size_t n)
{
    double *scratch =
        malloc((t->options.replicates ? t->options.replicates : 1) * sizeof *scratch);
    double *p = malloc((n ? n : 1) * sizeof *p),
           *adj = malloc((n ? n : 1) * sizeof *adj);
    int rc = 0;

    if (!scratch || !p || !adj) {
        rc = MG_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        mg__drift *d = &jobs[i].out;
        for (int s = 0; s < MG_DRIFT_STATISTIC_COUNT; s++) {
            mg__ci ci;
            if (d->rep[s] == NULL)
                continue;
            mg__drift_ci(d, (mg_drift_statistic)s, t->options.interval,
                         t->options.confidence, scratch, &ci);
            if (ci.has_ci) {
                d->r.stat[s].has_ci = 1;
                d->r.stat[s].ci_low = ci.low + 0.0;
                d->r.stat[s].ci_high = ci.high + 0.0;
            }
        }
        p[i] = d->r.p_value;
    }
    if ((rc = mg__p_adjust(MG_CORRECTION_HOLM, p, n, adj)) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        jobs[i].out.r.p_adjusted = adj[i];
        t->columns[i] = jobs[i].out.r;
        memset(&jobs[i].out.r, 0, sizeof jobs[i].out.r);
    }
done:
    free(scratch), free(p), free(adj);
    return rc;
}

int mg_drift_compare(mg_drift_table **out, const char *reference, const char *current,
                     const char *const *columns, size_t ncolumns,
                     const mg_drift_options *opts, mg_error *err)
{
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    char **rh = NULL, **ch = NULL;
    size_t nrh = 0, nch = 0, n = 0, m = 0, *col = NULL;
    const char **shared = NULL;
    const char *const *names;
    mg_column_type *types = NULL;
    mg_table *rt = NULL, *ct = NULL;
    mg_drift_table *t = NULL;
    mg__drift_job *jobs = NULL;
    mg__c_numeric scope = {0};
    double t0 = now();
    int rc;

    *out = NULL;
    if (opts != NULL) {
        if (opts->version == 0 || opts->version > MG_DRIFT_OPTIONS_VERSION)
            return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                                "mg_drift_options version %u is not one this library "
                                "knows: initialise them with MG_DRIFT_OPTIONS_INIT",
                                opts->version);
        o = *opts;
    }
    if (o.bins < 2 || !(o.psi_floor > 0 && o.psi_floor < 1) ||
        !(o.confidence > 0 && o.confidence < 1))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "drift options: bins must be at least 2, psi_floor and "
                            "confidence in (0, 1)");
    if (mg__c_numeric_begin(&scope) != 0)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    if ((t = calloc(1, sizeof *t)) == NULL)
        goto nomem;
    if (ncolumns == 0) {
        if ((rc = mg__csv_header(reference, ',', 0, NULL, &rh, &nrh, NULL, err)) != 0 ||
            (rc = mg__csv_header(current, ',', 0, NULL, &ch, &nch, NULL, err)) != 0 ||
            (rc = shared_columns(t, rh, nrh, ch, nch, &shared, &n, err)) != 0)
            goto done;
        names = shared;
    } else {
        names = columns;
        n = ncolumns;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0) {
                rc = mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                                  "column '%s' is named twice", names[i]);
                goto done;
            }
    types = malloc((n ? n : 1) * sizeof *types);
    jobs = calloc(n ? n : 1, sizeof *jobs);
    col = malloc((n ? n : 1) * sizeof *col);
    if (!types || !jobs || !col ||
        (t->columns = calloc(n ? n : 1, sizeof *t->columns)) == NULL ||
        (t->ids = calloc(n ? n : 1, sizeof *t->ids)) == NULL)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        types[i] = MG_COLUMN_NUMBER;
    if ((rc = mg__drift_load(&rt, &ct, reference, current, ',', default_missing, names,
                             types, n, err)) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        mg__drift_job *j = &jobs[m];
        /* Without a list, a category with a value per row is an id: its "drift"
         * measures nothing, and its bootstrap would be meaningless. */
        if (ncolumns == 0 && types[i] == MG_COLUMN_CATEGORY && mg_table_rows(rt) > 1 &&
            mg_table_levels(rt, i) == mg_table_rows(rt)) {
            if ((t->ids[t->nids++] = mg__strdup(names[i])) == NULL)
                goto nomem;
            continue;
        }
        col[m++] = i;
        if (types[i] == MG_COLUMN_NUMBER) {
            j->ref.numbers = mg_table_numbers(rt, i);
            j->cur.numbers = mg_table_numbers(ct, i);
        }
        j->ref.n = mg_table_rows(rt);
        j->cur.n = mg_table_rows(ct);
        j->ref.table = rt, j->ref.column = i, j->ref.missing = default_missing;
        j->cur.table = ct, j->cur.column = i, j->cur.missing = default_missing;
        j->stream = i;
    }
    if ((rc = mg__drift_run(jobs, m, &o, o.threads)) != 0) {
        for (size_t q = 0; q < m; q++)
            if (jobs[q].rc != 0) {
                *err = jobs[q].err;
                if (rc == MG_EDATA)
                    snprintf(err->message, sizeof err->message,
                             "column '%.100s': %.380s", names[col[q]],
                             jobs[q].err.message);
                break;
            }
        goto done;
    }
    for (size_t q = 0; q < m; q++)
        if ((jobs[q].out.r.name = mg__strdup(names[col[q]])) == NULL)
            goto nomem;
    t->ncolumns = m;
    t->options = o;
    if (finish_columns(t, jobs, m) != 0)
        goto nomem;
    qsort(t->columns, m, sizeof *t->columns, by_psi);
    t->reference = mg__strdup(reference);
    t->current = mg__strdup(current);
    if (!t->reference || !t->current)
        goto nomem;
    snprintf(t->reference_sha256, sizeof t->reference_sha256, "%s",
             mg_table_sha256(rt));
    snprintf(t->current_sha256, sizeof t->current_sha256, "%s", mg_table_sha256(ct));
    t->reference_rows = mg_table_rows(rt);
    t->current_rows = mg_table_rows(ct);
    t->sort_by = MG_DRIFT_PSI;
    t->seconds = now() - t0;
    *out = t;
    t = NULL;
    rc = 0;
    goto done;
nomem:
    rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
done:
    mg__c_numeric_end(&scope);
    for (size_t i = 0; jobs != NULL && i < m; i++)
        mg__drift_free(&jobs[i].out);
    free(jobs);
    free(col);
    free(types);
    mg_table_free(rt);
    mg_table_free(ct);
    mg__csv_header_free(rh, nrh);
    mg__csv_header_free(ch, nch);
    free(shared);
    mg_drift_table_free(t);
    return rc;
}

void mg__drift_column_clear(mg_drift_column *c)
{
    free(c->name);
    free(c->reason);
}

void mg_drift_table_free(mg_drift_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; t->columns != NULL && i < t->ncolumns; i++)
        mg__drift_column_clear(&t->columns[i]);
    free(t->columns);
    for (size_t i = 0; i < t->nunshared; i++)
        free(t->unshared[i]);
    free(t->unshared);
    for (size_t i = 0; i < t->nids; i++)
        free(t->ids[i]);
    free(t->ids);
    free(t->reference);
    free(t->current);
    free(t);
}
