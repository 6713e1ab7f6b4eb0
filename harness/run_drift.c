/*
 * The suite's drift tests (`drift:`): one case per column (or per model), each an
 * effect size gated on its bound, decided like a metric test.
 *
 * For each test the two samples are gathered: the holdout's columns and the
 * reference's (both files read again for the test's columns, typed as
 * harness/drift.c types them), or a model's scores against the reference file's
 * column of the same name, or against a baseline model's scores on the holdout set.
 * stats/drift.c computes the statistics and their bootstrap replicates (both
 * samples resampled over sufficient statistics). A case then reads its interval at
 * the level its family gives it (stats/ci.c through mg__drift_ci: percentile or
 * basic as the suite asks; BCa becomes BC, drift statistics having no closed-form
 * jackknife), and the rule is assertions/decide.c's with at_most: strict passes
 * when the upper bound is at most the threshold, lenient fails only when the lower
 * bound is above it, estimate compares the point estimate. A lenient test over
 * several columns is a family and gets Holm's (or Bonferroni's) levels from
 * assertions/family.c; its p-values (KS for numbers, χ² for categories, the test of
 * "the same distribution") are adjusted across its columns by the same correction
 * (Holm by default, whatever the rule), so that twenty columns of noise do not read
 * as one significant shift.
 *
 * A statistic a column does not have (KS of a category, Cramér's V of a number, the
 * normalised Wasserstein distance of a constant reference) is an error case with
 * the reason. With no spread in the replicates (a constant column in both files)
 * there is no interval and the case is inconclusive: a strict test fails, a lenient
 * one passes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assertions/decide.h"
#include "assertions/family.h"
#include "common/util.h"
#include "harness/drift.h"
#include "harness/run_internal.h"
#include "reporters/render.h"

/* One drift test, its samples computed. */
typedef struct drift_plan {
    const mg_drift_spec *t;
    mg_interval_kind kind; /* percentile, or basic when the suite asks for it */
    double *scratch;       /* the replicates of one statistic */
    mg__drift_job *jobs;   /* one per column (or one for a model) */
    size_t n;
    mg_table *rt, *ct; /* the files read for the test's columns, or NULL */
    const char **held; /* per job: why a failed data check holds it back, or NULL */
} drift_plan;

static const char *const rule_names[] = {"strict", "lenient", "estimate"};
static const char *const interval_names[] = {"bca", "percentile", "basic", "analytic"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The interval a drift statistic gets. Percentile unless the suite asks for basic:
 * PSI, KS, JS, Wasserstein and V are at least 0 and biased upwards, so near no
 * drift nearly every replicate lies above the estimate, and BCa's (here BC's) bias
 * correction then reads its ends at replicate levels no number of replicates
 * resolves. The percentile interval carries the upward bias into its upper bound,
 * which makes an at_most gate conservative. Analytic has no drift form either.
 */
static mg_interval_kind drift_interval(mg_interval_kind asked)
{
    return asked == MG_INTERVAL_BASIC ? MG_INTERVAL_BASIC : MG_INTERVAL_PERCENTILE;
}

/* The label a case of the plan carries in place of a slice: "column=NAME", as the
 * data checks label theirs, or "scores" for prediction drift. */
static const char *case_label(const drift_plan *p, size_t q, char *buf, size_t size)
{
    if (p->t->columns == NULL)
        return "scores";
    snprintf(buf, size, "column=%s", p->t->columns[q]);
    return buf;
}

/* Why statistic s is undefined for a column, or NULL. */
static const char *undefined_reason(const mg__drift *d, mg_drift_statistic s)
{
    if (d->r.stat[s].has_value)
        return NULL;
    if (s == MG_DRIFT_KS || s == MG_DRIFT_WASSERSTEIN_NORM)
        return d->r.categorical
                   ? "the column is a category (KS and Wasserstein are for "
                     "numbers: gate it on psi, js or cramers_v)"
                   : "the reference has a single value, so it has no "
                     "spread to normalise by";
    return "the column is a number (Cramér's V is for categories: gate it on psi, js, "
           "ks or wasserstein)";
}

/* Decide case q of plan p with each bound one-sided at `level`. */
static void decide(const drift_plan *p, size_t q, double level, mg_case *k,
                   char *reason, size_t rsize)
{
    const mg__drift *d = &p->jobs[q].out;
    mg_drift_statistic s = (mg_drift_statistic)p->t->statistic;
    const char *why = p->held[q] ? NULL : undefined_reason(d, s);
    mg__rule rule = {p->t->rule, 0, 1, 0, p->t->at_most, MG_COMPARE_NONE, 0};
    mg__evidence ev = {0};
    mg__verdict v;
    mg__ci ci;

    k->kind = MG_TEST_DRIFT;
    k->bound_level = level;
    k->confidence = mg__two_sided(level);
    k->n = d->r.n_current;
    k->effective_size =
        d->r.n_reference < d->r.n_current ? d->r.n_reference : d->r.n_current;
    k->has_threshold = 1;
    k->threshold = p->t->at_most;
    if (p->held[q] != NULL) {
        k->status = MG_STATUS_DATA_FAILED;
        k->outcome = MG_OUTCOME_ERROR;
        snprintf(reason, rsize, "%s", p->held[q]);
        return;
    }
    if (why != NULL) {
        k->status = MG_STATUS_UNDEFINED;
        k->outcome = MG_OUTCOME_ERROR;
        snprintf(reason, rsize, "%s", why);
        return;
    }
    k->has_estimate = 1;
    k->estimate = d->r.stat[s].value;
    ev.estimate = k->estimate;
    mg__drift_ci(d, s, p->kind, k->confidence, p->scratch, &ci);
    k->method = ci.has_ci ? ci.method : MG_CI_NONE;
    k->replicates = ci.replicates;
    k->replicates_undefined = ci.undefined;
    k->degenerate = ci.degenerate;
    if (ci.reason[0] != '\0')
        snprintf(reason, rsize, "%s", ci.reason);
    if (!ci.has_ci && p->t->rule != MG_RULE_ESTIMATE) {
        k->status = MG_STATUS_NO_EVIDENCE;
        k->replicates_needed = ci.needed;
        k->outcome = p->t->rule == MG_RULE_LENIENT ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL;
        return;
    }
    if (ci.has_ci) {
        ev.has_ci = 1;
        ev.low = k->ci_low = ci.low + 0.0;
        ev.high = k->ci_high = ci.high + 0.0;
        k->has_ci = 1;
    }
    mg__decide(&rule, &ev, &v);
    k->status = MG_STATUS_DECIDED;
    k->outcome = v.outcome;
    memcpy(k->checks, v.checks, sizeof v.checks);
    k->nchecks = v.nchecks;
}

static int probe(void *arg, size_t q, double level, mg_outcome *out)
{
    const drift_plan *p = arg;
    mg_case k = {0};
    char reason[MG_ERROR_MESSAGE_MAX];
    decide(p, q, level, &k, reason, sizeof reason);
    *out = k.outcome;
    return 0;
}

/* ---- Gathering the samples ----------------------------------------------------- */

/* The error of a drift test's data, at the test's key: the reference's key when the
 * file cannot be read, else `loc` (the columns or the model). */
static int data_error(const ctx *c, const mg_drift_spec *t, const mg_loc *loc,
                      mg_error *err)
{
    if (err->code == MG_EIO)
        loc = t->reference ? &t->reference_loc : &c->s->data.reference_loc;
    if (err->key[0] == '\0')
        mg_error_set_key(err, loc->line ? loc->key : t->loc.key);
    return err->code;
}

/* Why a failed data check holds back `column`, or NULL. */
static const char *column_held(const ctx *c, const char *column)
{
    if (c->b.all != NULL)
        return c->b.all;
    for (size_t j = 0; j < c->b.ncolumns; j++)
        if (strcmp(c->b.column[j], column) == 0)
            return c->b.column_reason[j];
    return NULL;
}

/* The test's columns from both files, those a failed data check holds back left
 * out (they may not even be there). */
static int plan_columns(ctx *c, drift_plan *p, mg_error *err)
{
    const mg_drift_spec *t = p->t;
    const char *ref = t->reference ? t->reference : c->s->data.reference;
    mg_column_type *types = malloc(t->ncolumns * sizeof *types);
    const char **names = malloc(t->ncolumns * sizeof *names);
    size_t n = 0, *at = malloc(t->ncolumns * sizeof *at);
    int rc = 0;

    if (types == NULL || names == NULL || at == NULL) {
        free(types), free(names), free(at);
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < t->ncolumns; i++) {
        if ((p->held[i] = column_held(c, t->columns[i])) != NULL) {
            p->jobs[i].skip = 1;
            continue;
        }
        at[i] = n;
        types[n] = MG_COLUMN_NUMBER;
        names[n++] = t->columns[i];
    }
    if (n > 0)
        rc = mg__drift_load(
            &p->rt, &p->ct, ref, c->s->data.holdout, c->s->data.delimiter,
            (const char *const *)c->s->data.missing, names, types, n, err);
    free(names);
    if (rc != 0) {
        free(types), free(at);
        return data_error(c, t, &t->columns_loc, err);
    }
    for (size_t i = 0; i < t->ncolumns; i++) {
        mg__drift_job *j = &p->jobs[i];
        if (p->held[i] != NULL)
            continue;
        if (types[at[i]] == MG_COLUMN_NUMBER) {
            j->ref.numbers = mg_table_numbers(p->rt, at[i]);
            j->cur.numbers = mg_table_numbers(p->ct, at[i]);
        }
        j->ref.n = mg_table_rows(p->rt);
        j->cur.n = mg_table_rows(p->ct);
        j->ref.table = p->rt, j->cur.table = p->ct;
        j->ref.column = j->cur.column = at[i];
        j->ref.missing = j->cur.missing = (const char *const *)c->s->data.missing;
    }
    free(types);
    free(at);
    return 0;
}

/* A model's scores now against the reference file's column of the same name. */
static int plan_model(ctx *c, drift_plan *p, mg_error *err)
{
    const mg_drift_spec *t = p->t;
    size_t m = (size_t)mg_suite_model(c->s, t->model);
    long base = t->baseline ? mg_suite_model(c->s, t->baseline) : -1;
    mg__drift_job *j = &p->jobs[0];

    p->held[0] = c->b.all                              ? c->b.all
                 : c->b.model != NULL && c->b.model[m] ? c->b.model[m]
                 : c->b.model != NULL && base >= 0 && c->b.model[base]
                     ? c->b.model[base]
                     : NULL;
    if (p->held[0] != NULL) {
        j->skip = 1;
        return 0;
    }

    j->cur.numbers = c->d->score[m];
    j->cur.n = c->d->n;
    if (t->baseline != NULL) {
        j->ref.numbers = c->d->score[mg_suite_model(c->s, t->baseline)];
        j->ref.n = c->d->n;
        return 0;
    }
    {
        const char *ref = t->reference ? t->reference : c->s->data.reference;
        mg_column_request col = {c->s->models[m].score, MG_COLUMN_NUMBER};
        mg_csv_options co = MG_CSV_OPTIONS_INIT;
        co.missing = (const char *const *)c->s->data.missing;
        co.delimiter = c->s->data.delimiter;
        if (mg_table_load_csv(&p->rt, ref, &co, &col, 1, err) != 0)
            return data_error(c, t, t->reference ? &t->reference_loc : &t->model_loc,
                              err);
        j->ref.numbers = mg_table_numbers(p->rt, 0);
        j->ref.n = mg_table_rows(p->rt);
    }
    return 0;
}

/* ---- The cases ------------------------------------------------------------------ */

static mg_case *new_case(mg_report *r)
{
    mg_case *cases = realloc(r->cases, (r->ncases + 1) * sizeof *cases);
    if (cases == NULL)
        return NULL;
    r->cases = cases;
    memset(&cases[r->ncases], 0, sizeof *cases);
    return &cases[r->ncases++];
}

static void count(mg_report *r, mg_outcome o)
{
    if (o == MG_OUTCOME_PASS)
        r->passed++;
    else if (o == MG_OUTCOME_FAIL)
        r->failed++;
    else if (o == MG_OUTCOME_SKIP)
        r->skipped++;
    else
        r->errors++;
}

static int keep_case(ctx *c, const drift_plan *p, size_t q, double level,
                     mg_correction corr, size_t family_size, const double *p_adj,
                     mg_correction p_corr)
{
    const mg_drift_spec *t = p->t;
    const mg__drift *d = &p->jobs[q].out;
    char reason[MG_ERROR_MESSAGE_MAX] = "", label[256];
    double t0 = now();
    mg_case *k = new_case(c->r);

    if (k == NULL)
        return MG_ENOMEM;
    decide(p, q, level, k, reason, sizeof reason);
    k->correction = corr;
    k->family_size = family_size;
    k->direction = -1;
    k->rule_kind = t->rule;
    k->interval_kind = p->kind;
    k->has_at_most = 1;
    k->at_most = t->at_most;
    k->min_size = 1;
    if (d->r.has_p_value) {
        k->has_p_value = 1;
        k->p_value = d->r.p_value;
        k->has_p_adjusted = p->n > 1 && p_corr != MG_CORRECTION_NONE;
        k->p_adjusted = p_adj[q];
        k->p_correction = p_corr;
    }
    k->test = mg__strdup(t->name);
    k->metric = mg__strdup(mg_drift_statistic_name((mg_drift_statistic)t->statistic));
    k->model = mg__strdup(t->model ? t->model : "data");
    k->baseline = mg__strdup(t->baseline);
    k->slicing = mg__strdup(t->columns ? "column" : "scores");
    k->slice = mg__strdup(case_label(p, q, label, sizeof label));
    k->rule = mg__strdup(rule_names[t->rule]);
    k->interval = mg__strdup(interval_names[p->kind]);
    k->p_method = mg__strdup(d->r.has_p_value ? d->r.p_method : NULL);
    k->reason = reason[0] ? mg__strdup(reason) : NULL;
    if (!k->test || !k->metric || !k->model || !k->slicing || !k->slice || !k->rule ||
        !k->interval || (t->baseline && !k->baseline) ||
        (d->r.has_p_value && !k->p_method) || (reason[0] && !k->reason))
        return MG_ENOMEM;
    k->estimate += 0.0;
    if (mg__case_render(k) != 0)
        return MG_ENOMEM;
    count(c->r, k->outcome);
    k->seconds = now() - t0;
    return 0;
}

/* The reference file in the report's provenance, once. */
static int add_input(mg_report *r, const mg_table *t)
{
    mg_input_file *in;
    for (size_t i = 0; i < r->ninputs; i++)
        if (strcmp(r->inputs[i].path, mg_table_path(t)) == 0)
            return 0;
    if ((in = realloc(r->inputs, (r->ninputs + 1) * sizeof *in)) == NULL)
        return MG_ENOMEM;
    r->inputs = in;
    in = &r->inputs[r->ninputs];
    memset(in, 0, sizeof *in);
    in->role = mg__strdup("reference");
    in->path = mg__strdup(mg_table_path(t));
    in->rows = mg_table_rows(t);
    snprintf(in->sha256, sizeof in->sha256, "%s", mg_table_sha256(t));
    r->ninputs++;
    return in->role && in->path ? 0 : MG_ENOMEM;
}

static void plan_free(drift_plan *p)
{
    free(p->scratch);
    free(p->held);
    for (size_t i = 0; p->jobs != NULL && i < p->n; i++)
        mg__drift_free(&p->jobs[i].out);
    free(p->jobs);
    mg_table_free(p->rt);
    mg_table_free(p->ct);
}

static int run_one(ctx *c, const mg_drift_spec *t, size_t index, int check_only,
                   mg_error *err)
{
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    drift_plan p = {
        .t = t, .kind = drift_interval(c->kind), .n = t->columns ? t->ncolumns : 1};
    mg_correction corr = mg__family_correction(t->correction, t->rule);
    mg_correction p_corr =
        t->correction == MG_CORRECTION_DEFAULT ? MG_CORRECTION_HOLM : t->correction;
    double *level = NULL, *pv = NULL, *adj = NULL;
    size_t family_size = 0;
    int rc;

    if ((p.jobs = calloc(p.n, sizeof *p.jobs)) == NULL ||
        (p.held = calloc(p.n, sizeof *p.held)) == NULL) {
        free(p.jobs);
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    rc = t->columns ? plan_columns(c, &p, err) : plan_model(c, &p, err);
    if (rc != 0)
        goto done;
    if (p.rt != NULL && add_input(c->r, p.rt) != 0) {
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (check_only)
        goto done;
    o.bins = t->bins;
    o.replicates = c->o->replicates > 0 ? c->o->replicates : c->s->bootstrap.replicates;
    o.confidence = c->confidence;
    o.interval = p.kind;
    if ((p.scratch = malloc(o.replicates * sizeof *p.scratch)) == NULL) {
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    o.seed = c->r->seed;
    o.threads = c->o->threads;
    for (size_t i = 0; i < p.n; i++)
        p.jobs[i].stream = ((uint64_t)index << 32) | i;
    if ((rc = mg__drift_run(p.jobs, p.n, &o, o.threads)) != 0) {
        for (size_t i = 0; i < p.n; i++)
            if (p.jobs[i].rc != 0) {
                char label[256];
                *err = p.jobs[i].err;
                if (rc != MG_ENOMEM)
                    mg_suite_error(c->s, t->columns ? &t->columns_loc : &t->model_loc,
                                   err, rc, "drift of '%s': %.400s",
                                   case_label(&p, i, label, sizeof label),
                                   p.jobs[i].err.message);
                break;
            }
        goto done;
    }
    level = calloc(p.n, sizeof *level);
    pv = calloc(p.n, sizeof *pv);
    adj = calloc(p.n, sizeof *adj);
    if (!level || !pv || !adj) {
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < p.n; i++)
        pv[i] = p.jobs[i].out.r.has_p_value ? p.jobs[i].out.r.p_value : -1;
    if ((rc = mg__p_adjust(p_corr, pv, p.n, adj)) != 0 ||
        (rc = mg__family_levels(corr, c->confidence, p.n, probe, &p, level,
                                &family_size, NULL, NULL)) != 0) {
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t q = 0; q < p.n && rc == 0; q++)
        rc = keep_case(c, &p, q, level[q], family_size ? corr : MG_CORRECTION_NONE,
                       family_size, adj, p_corr);
    if (rc != 0)
        rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
done:
    free(level), free(pv), free(adj);
    plan_free(&p);
    return rc;
}

int mg__run_drift(ctx *c, int check_only, mg_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < c->s->ndrift && rc == 0; i++)
        rc = run_one(c, &c->s->drift[i], i, check_only, err);
    return rc;
}
