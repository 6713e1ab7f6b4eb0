/*
 * The metric registry (metrics/registry.c) and the metric kernels (metrics/binary.c,
 * metrics/multiclass.c).
 *
 * core: public numbers never move; every metric has reference values from
 *       scikit-learn (tests/reference/churn_sklearn.h), and every reference value
 *       lies in its metric's registered range; a Wilson proportion's cells give the
 *       kernel's value; docs/metrics.md shows the registry as it is.
 * edge: each kernel on hand-made confusion counts (binary) and 3 × 3 confusion
 *       matrices (multiclass), defined and undefined; the multiclass per-row values.
 *
 * Set MG_UPDATE_DOCS=1 to rewrite the generated table of docs/metrics.md instead of
 * checking it (then commit the file).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/error.h"
#include "modelgate/metrics.h"
#include "reference/churn_sklearn.h"
#include "reference/digits_sklearn.h"
#include "testutil.h"

/* Numbers published so far. New metrics append; none of these may change. */
static const struct {
    const char *name;
    int number;
} published[] = {
    {"n", 0},           {"prevalence", 1}, {"positive_rate", 2},
    {"accuracy", 3},    {"precision", 4},  {"recall", 5},
    {"specificity", 6}, {"f1", 7},         {"balanced_accuracy", 8},
    {"mcc", 9},         {"auc", 10},       {"average_precision", 11},
    {"log_loss", 12},   {"brier", 13},
};

START_TEST(numbers_never_move)
{
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
        const mg_metric_info *mi = mg_metric_get((mg_metric)published[i].number);
        ck_assert_ptr_nonnull(mi);
        ck_assert_str_eq(mi->name, published[i].name);
        ck_assert_int_eq((int)mi->id, published[i].number);
        ck_assert_int_eq(mg_metric_from_name(published[i].name), published[i].number);
    }
    ck_assert_ptr_null(mg_metric_get(MG_METRIC_COUNT));
    ck_assert_ptr_null(mg_metric_get((mg_metric)-1));
    ck_assert_int_eq(mg_metric_from_name("aucc"), -1);
}
END_TEST

/* A metric nobody checked against an independent implementation is not done. */
START_TEST(every_metric_has_reference_values)
{
    for (int m = 0; m < MG_METRIC_COUNT; m++) {
        const mg_metric_info *mi = mg_metric_get((mg_metric)m);
        size_t defined = 0, len = strlen(mi->name);
        if (mi->task == MG_TASK_BINARY) {
            for (size_t i = 0; i < MG_REF_CHURN_COUNT; i++)
                defined += strcmp(mg_ref_churn[i].metric, mi->name) == 0 &&
                           mg_ref_churn[i].defined;
            ck_assert_msg(defined > 0,
                          "metric '%s' has no reference values in "
                          "tests/reference/churn_sklearn.h; add it to "
                          "tests/reference/make_sklearn_reference.py and regenerate",
                          mi->name);
            continue;
        }
        /* multiclass: "recall[8]" and "top_k_accuracy[k=2]" count for their metric */
        for (size_t i = 0; i < MG_REF_DIGITS_COUNT; i++) {
            const char *r = mg_ref_digits[i].metric;
            defined += strncmp(r, mi->name, len) == 0 &&
                       (r[len] == '\0' || r[len] == '[') && mg_ref_digits[i].defined;
        }
        ck_assert_msg(defined > 0,
                      "multiclass metric '%s' has no reference values in "
                      "tests/reference/digits_sklearn.h; add it to "
                      "tests/reference/make_multiclass_reference.py and regenerate",
                      mi->name);
    }
}
END_TEST

START_TEST(reference_values_in_range)
{
    for (size_t i = 0; i < MG_REF_CHURN_COUNT; i++) {
        const mg_ref_entry *r = &mg_ref_churn[i];
        const mg_metric_info *mi =
            mg_metric_get((mg_metric)mg_metric_from_name(r->metric));
        ck_assert_ptr_nonnull(mi);
        if (r->defined)
            ck_assert_msg(r->value >= mi->low && r->value <= mi->high,
                          "%s %.17g outside [%g, %g]", r->metric, r->value, mi->low,
                          mi->high);
    }
}
END_TEST

/* The table's columns agree with each other. */
START_TEST(rows_are_consistent)
{
    for (int m = 0; m < MG_METRIC_COUNT; m++) {
        const mg_metric_info *mi = mg_metric_get((mg_metric)m);
        ck_assert_int_eq((int)mi->id, m);
        ck_assert(mi->low < mi->high);
        ck_assert(mi->direction >= -1 && mi->direction <= 1);
        /* a descriptive metric is never compared, a compared one has a test */
        ck_assert_int_eq(mi->direction == 0, mi->paired == MG_PAIRED_NONE);
        if (mi->analytic == MG_ANALYTIC_WILSON) {
            ck_assert(mi->successes != 0 && mi->trials != 0);
            ck_assert_uint_eq(mi->successes & ~mi->trials, 0); /* successes ⊆ trials */
        } else {
            ck_assert(mi->successes == 0 && mi->trials == 0);
        }
        ck_assert(strlen(mi->summary) > 0 && strlen(mi->undefined) > 0);
        /* a name is one metric per task: "accuracy" of a binary model and of a
         * multiclass one are two rows */
        for (int q = 0; q < m; q++)
            ck_assert(mg_metric_get((mg_metric)q)->task != mi->task ||
                      strcmp(mg_metric_get((mg_metric)q)->name, mi->name) != 0);
        ck_assert_int_eq(mg_metric_for_task(mi->name, mi->task), m);
    }
}
END_TEST

/*
 * class-conditional is what the kernels do: weighting the positives by 3 and the
 * negatives by 5 (a different class mix, the same distribution within each class)
 * leaves a class-conditional metric unchanged and moves every other confusion
 * metric. Rank and mean metrics other than auc cannot be reweighted from the sums,
 * so only auc is checked among them.
 */
START_TEST(class_conditional_is_mix_free)
{
    const mg_binary_stats s = {
        .tp = 7, .fp = 3, .tn = 11, .fn = 5, .pos = 12, .neg = 14, .auc_u = 120};
    mg_binary_stats t = s;
    t.tp *= 3, t.fn *= 3, t.pos *= 3, t.fp *= 5, t.tn *= 5, t.neg *= 5, t.auc_u *= 15;
    for (int m = 0; m < MG_METRIC_COUNT; m++) {
        const mg_metric_info *mi = mg_metric_get((mg_metric)m);
        double a, b;
        if (mi->task != MG_TASK_BINARY ||
            (mi->family != MG_FAMILY_CONFUSION && m != MG_METRIC_AUC))
            continue;
        ck_assert_int_eq(mg_metric_value((mg_metric)m, &s, &a, NULL), 0);
        ck_assert_int_eq(mg_metric_value((mg_metric)m, &t, &b, NULL), 0);
        if (mi->class_conditional)
            ck_assert_msg(fabs(a - b) < 1e-15, "%s moved with the class mix", mi->name);
        else
            ck_assert_msg(fabs(a - b) > 1e-6, "%s did not move with the class mix",
                          mi->name);
    }
    ck_assert(!mg_metric_get(MG_METRIC_AVERAGE_PRECISION)->class_conditional);
    ck_assert(!mg_metric_get(MG_METRIC_LOG_LOSS)->class_conditional);
    ck_assert(!mg_metric_get(MG_METRIC_BRIER)->class_conditional);
}
END_TEST

/* successes / trials from the registry's cells is the kernel's value. */
START_TEST(proportions_match_kernels)
{
    mg_binary_stats s = {.tp = 7, .fp = 3, .tn = 11, .fn = 5, .pos = 12, .neg = 14};
    for (int m = 0; m < MG_METRIC_COUNT; m++) {
        double x, n, v;
        if (mg_metric_get((mg_metric)m)->analytic != MG_ANALYTIC_WILSON) {
            ck_assert_int_eq(mg_metric_proportion((mg_metric)m, &s, &x, &n), MG_EINVAL);
            continue;
        }
        ck_assert_int_eq(mg_metric_proportion((mg_metric)m, &s, &x, &n), 0);
        ck_assert_int_eq(mg_metric_value((mg_metric)m, &s, &v, NULL), 0);
        ck_assert_double_eq(x / n, v);
    }
}
END_TEST

/* ---- Kernels on hand-made counts ------------------------------------------ */

static const struct kernel_row {
    mg_metric metric;
    mg_binary_stats s;
    int defined;
    double value;       /* when defined */
    const char *reason; /* when not */
} kernel_rows[] = {
    /* tp 3, fp 1, tn 4, fn 2: hand-computed */
    {MG_METRIC_N, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 10, NULL},
    {MG_METRIC_PREVALENCE, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 0.5, NULL},
    {MG_METRIC_POSITIVE_RATE, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 0.4, NULL},
    {MG_METRIC_ACCURACY, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 0.7, NULL},
    {MG_METRIC_PRECISION, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 0.75, NULL},
    {MG_METRIC_RECALL, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 0.6, NULL},
    {MG_METRIC_SPECIFICITY, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 0.8, NULL},
    {MG_METRIC_F1, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 6.0 / 9.0, NULL},
    {MG_METRIC_BALANCED_ACCURACY, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 0.7, NULL},
    /* (12 − 2) / √(4 · 5 · 5 · 6) */
    {MG_METRIC_MCC, {3, 1, 4, 2, 5, 5, 0, 0, 0, 0}, 1, 10 / sqrt(600), NULL},
    /* U = 18 of 25 pairs; AP sum 3.5 over 5 positives; losses over 10 rows */
    {MG_METRIC_AUC, {3, 1, 4, 2, 5, 5, 18, 3.5, 4.2, 1.3}, 1, 0.72, NULL},
    {MG_METRIC_AVERAGE_PRECISION, {3, 1, 4, 2, 5, 5, 18, 3.5, 4.2, 1.3}, 1, 0.7, NULL},
    {MG_METRIC_LOG_LOSS, {3, 1, 4, 2, 5, 5, 18, 3.5, 4.2, 1.3}, 1, 0.42, NULL},
    {MG_METRIC_BRIER, {3, 1, 4, 2, 5, 5, 18, 3.5, 4.2, 1.3}, 1, 0.13, NULL},
    /* undefined, with the reason the report will show */
    {MG_METRIC_PREVALENCE, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 0, "no rows"},
    {MG_METRIC_PRECISION,
     {0, 0, 4, 2, 2, 4, 0, 0, 0, 0},
     0,
     0,
     "no predicted positives"},
    {MG_METRIC_RECALL, {0, 1, 4, 0, 0, 5, 0, 0, 0, 0}, 0, 0, "no positives"},
    {MG_METRIC_SPECIFICITY, {3, 0, 0, 2, 5, 0, 0, 0, 0, 0}, 0, 0, "no negatives"},
    {MG_METRIC_F1,
     {0, 0, 4, 0, 0, 4, 0, 0, 0, 0},
     0,
     0,
     "no positives and no predicted positives"},
    {MG_METRIC_BALANCED_ACCURACY, {0, 1, 4, 0, 0, 5, 0, 0, 0, 0}, 0, 0, "no positives"},
    {MG_METRIC_MCC, {3, 0, 4, 2, 5, 4, 0, 0, 0, 0}, 1, 12 / sqrt(3 * 5 * 4 * 6), NULL},
    {MG_METRIC_MCC, {3, 1, 0, 0, 3, 1, 0, 0, 0, 0}, 0, 0, "no predicted negatives"},
    {MG_METRIC_AUC, {3, 0, 0, 2, 5, 0, 0, 0, 0, 0}, 0, 0, "no negatives"},
    {MG_METRIC_AUC, {0, 1, 4, 0, 0, 5, 0, 0, 0, 0}, 0, 0, "no positives"},
    {MG_METRIC_AVERAGE_PRECISION, {0, 1, 4, 0, 0, 5, 0, 0, 0, 0}, 0, 0, "no positives"},
    {MG_METRIC_LOG_LOSS, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 0, "no rows"},
};

START_TEST(kernel_table)
{
    const struct kernel_row *t = &kernel_rows[_i];
    const char *reason = NULL;
    double v = -42;
    int rc = mg_metric_value(t->metric, &t->s, &v, &reason);
    if (t->defined) {
        ck_assert_msg(rc == 0, "row %d (%s): undefined: %s", _i,
                      mg_metric_name(t->metric), reason);
        ck_assert_msg(tu_close(v, t->value, 1e-15),
                      "row %d (%s): %.17g, expected %.17g", _i,
                      mg_metric_name(t->metric), v, t->value);
    } else {
        ck_assert_int_eq(rc, MG_ENUMERIC);
        ck_assert_double_eq(v, -42); /* untouched */
        ck_assert_str_eq(reason, t->reason);
    }
}
END_TEST

/* ---- Multiclass kernels on hand-made confusion matrices ---------------------- */

static const struct mc_row {
    mg_metric metric;
    long param;
    double conf[9]; /* 3 × 3, rows true classes */
    int defined;
    double value;
    const char *reason;
} mc_rows[] = {
    /* rows 6, 6, 5; columns 7, 5, 5; trace 12 of 17 */
    {MG_METRIC_MC_N, 0, {5, 1, 0, 2, 3, 1, 0, 1, 4}, 1, 17, NULL},
    {MG_METRIC_MC_ACCURACY, 0, {5, 1, 0, 2, 3, 1, 0, 1, 4}, 1, 12.0 / 17, NULL},
    {MG_METRIC_MC_MICRO_F1, 0, {5, 1, 0, 2, 3, 1, 0, 1, 4}, 1, 12.0 / 17, NULL},
    {MG_METRIC_MC_PRECISION, 0, {5, 1, 0, 2, 3, 1, 0, 1, 4}, 1, 5.0 / 7, NULL},
    {MG_METRIC_MC_RECALL, 0, {5, 1, 0, 2, 3, 1, 0, 1, 4}, 1, 5.0 / 6, NULL},
    {MG_METRIC_MC_F1, 0, {5, 1, 0, 2, 3, 1, 0, 1, 4}, 1, 10.0 / 13, NULL},
    {MG_METRIC_MC_MACRO_RECALL,
     0,
     {5, 1, 0, 2, 3, 1, 0, 1, 4},
     1,
     (5.0 / 6 + 3.0 / 6 + 4.0 / 5) / 3,
     NULL},
    {MG_METRIC_MC_WEIGHTED_PRECISION,
     0,
     {5, 1, 0, 2, 3, 1, 0, 1, 4},
     1,
     (6 * 5.0 / 7 + 6 * 3.0 / 5 + 5 * 4.0 / 5) / 17,
     NULL},
    /* p_e = (6·7 + 6·5 + 5·5) / 17² = 97/289 */
    {MG_METRIC_MC_COHEN_KAPPA, 0, {5, 1, 0, 2, 3, 1, 0, 1, 4}, 1, 107.0 / 192, NULL},
    {MG_METRIC_MC_MCC,
     0,
     {5, 1, 0, 2, 3, 1, 0, 1, 4},
     1,
     107 / sqrt(190.0 * 192),
     NULL},
    /* class 2 has a row but is never predicted: its precision counts 0 in macro */
    {MG_METRIC_MC_PRECISION,
     2,
     {5, 1, 0, 2, 3, 0, 0, 1, 0},
     0,
     0,
     "the class is never predicted"},
    {MG_METRIC_MC_MACRO_PRECISION,
     0,
     {5, 1, 0, 2, 3, 0, 0, 1, 0},
     1,
     (5.0 / 7 + 3.0 / 5) / 3,
     NULL},
    /* class 2 has no rows */
    {MG_METRIC_MC_RECALL,
     2,
     {5, 1, 0, 2, 3, 1, 0, 0, 0},
     0,
     0,
     "the class has no rows"},
    {MG_METRIC_MC_MACRO_F1,
     0,
     {5, 1, 0, 2, 3, 1, 0, 0, 0},
     0,
     0,
     "a class has no rows"},
    {MG_METRIC_MC_BALANCED_ACCURACY,
     0,
     {5, 1, 0, 2, 3, 1, 0, 0, 0},
     1,
     (5.0 / 6 + 3.0 / 6) / 2,
     NULL},
    /* one class in truth and in prediction */
    {MG_METRIC_MC_COHEN_KAPPA,
     0,
     {4, 0, 0, 0, 0, 0, 0, 0, 0},
     0,
     0,
     "chance agreement is 1 (one class in truth and prediction)"},
    {MG_METRIC_MC_MCC,
     0,
     {4, 0, 0, 0, 0, 0, 0, 0, 0},
     0,
     0,
     "every row is of one class, or every prediction is"},
    {MG_METRIC_MC_ACCURACY, 0, {0}, 0, 0, "no rows"},
};

START_TEST(multiclass_kernel_table)
{
    const struct mc_row *t = &mc_rows[_i];
    const double auc_u[3] = {0, 0, 0};
    mg_multiclass_stats s = {3, t->conf, auc_u, 0, 0, 0};
    const char *reason = NULL;
    double v = -42;
    int rc = mg_multiclass_value(t->metric, &s, t->param, &v, &reason);
    if (t->defined) {
        ck_assert_msg(rc == 0, "row %d (%s): undefined: %s", _i,
                      mg_metric_name(t->metric), reason);
        ck_assert_msg(tu_close(v, t->value, 1e-15),
                      "row %d (%s): %.17g, expected %.17g", _i,
                      mg_metric_name(t->metric), v, t->value);
    } else {
        ck_assert_int_eq(rc, MG_ENUMERIC);
        ck_assert_double_eq(v, -42);
        ck_assert_str_eq(reason, t->reason);
    }
}
END_TEST

/* The per-row values: ties in top-k broken as scikit-learn's reversed stable sort
 * breaks them, log loss clipped and renormalised, Brier over every class. */
START_TEST(multiclass_row_values)
{
    const double p[3] = {0.3, 0.3, 0.4}, q[3] = {0, 0.5, 0.5};
    const double eps = 2.220446049250313e-16;
    ck_assert_int_eq(mg_metric_row_top_k(p, 3, 0, 2), 0); /* class 1 ranks above 0 */
    ck_assert_int_eq(mg_metric_row_top_k(p, 3, 1, 2), 1);
    ck_assert_int_eq(mg_metric_row_top_k(p, 3, 2, 1), 1);
    ck_assert_int_eq(mg_metric_row_top_k(p, 3, 0, 3), 1);
    ck_assert(tu_close(mg_metric_row_log_loss_multiclass(q, 3, 0),
                       -log(eps / (1 + eps)), 1e-15));
    ck_assert(tu_close(mg_metric_row_log_loss_multiclass(q, 3, 1),
                       -log(0.5 / (1 + eps)), 1e-15));
    ck_assert(
        tu_close(mg_metric_row_brier_multiclass(p, 3, 2), 0.09 + 0.09 + 0.36, 1e-15));
    /* a binary metric is not a multiclass one, and the reverse */
    {
        double v;
        mg_multiclass_stats s = {3, mc_rows[0].conf, NULL, 0, 0, 0};
        mg_binary_stats b = {1, 1, 1, 1, 2, 2, 0, 0, 0, 0};
        ck_assert_int_eq(mg_multiclass_value(MG_METRIC_ACCURACY, &s, 0, &v, NULL),
                         MG_ENUMERIC);
        ck_assert_int_eq(mg_metric_value(MG_METRIC_MC_ACCURACY, &b, &v, NULL),
                         MG_EINVAL);
        ck_assert_int_eq(mg_multiclass_value(MG_METRIC_MC_RECALL, &s, 3, &v, NULL),
                         MG_EINVAL);
        ck_assert_int_eq(mg_multiclass_value(MG_METRIC_MC_LOG_LOSS, &s, 0, &v, NULL),
                         MG_ENUMERIC); /* no probabilities */
    }
    ck_assert_int_eq(mg_metric_for_task("accuracy", MG_TASK_MULTICLASS),
                     MG_METRIC_MC_ACCURACY);
    ck_assert_int_eq(mg_metric_for_task("specificity", MG_TASK_MULTICLASS), -1);
    ck_assert_int_eq(mg_metric_parameter_of(MG_METRIC_MC_AUC), MG_PARAMETER_CLASS);
    ck_assert_int_eq(mg_metric_parameter_of(MG_METRIC_MC_TOP_K_ACCURACY),
                     MG_PARAMETER_K);
    ck_assert_int_eq(mg_metric_parameter_of(MG_METRIC_AUC), MG_PARAMETER_NONE);
}
END_TEST

/* ---- docs/metrics.md ------------------------------------------------------- */

static const char *BEGIN = "<!-- generated from the registry: begin -->\n";
static const char *END = "<!-- generated from the registry: end -->\n";

static void put_range(char *buf, size_t size, const mg_metric_info *mi)
{
    if (mi->high == HUGE_VAL)
        snprintf(buf, size, "[%g, ∞)", mi->low);
    else
        snprintf(buf, size, "[%g, %g]", mi->low, mi->high);
}

/* The registry as a Markdown table. */
static char *registry_markdown(void)
{
    static const char *tasks[] = {"binary", "multiclass"};
    static const char *families[] = {"confusion", "rank", "mean"};
    static const char *analytic[] = {"—", "Wilson", "DeLong"};
    static const char *paired[] = {"—", "bootstrap", "DeLong", "McNemar"};
    size_t size = 65536, used = 0;
    char *out = malloc(size);
    ck_assert_ptr_nonnull(out);
    used += (size_t)snprintf(out + used, size - used,
                             "| # | metric | task | better | range | family | analytic "
                             "interval | p-value vs a baseline | `stratify: label` | "
                             "undefined when | what it is "
                             "|\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int m = 0; m < MG_METRIC_COUNT; m++) {
        const mg_metric_info *mi = mg_metric_get((mg_metric)m);
        char range[64];
        put_range(range, sizeof range, mi);
        used += (size_t)snprintf(
            out + used, size - used,
            "| %d | `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s%s |\n", m,
            mi->name, tasks[mi->task],
            mi->direction > 0   ? "higher"
            : mi->direction < 0 ? "lower"
                                : "(descriptive)",
            range, families[mi->family], analytic[mi->analytic], paired[mi->paired],
            mi->class_conditional ? "yes" : "no (depends on the class mix)",
            mi->undefined, mi->summary,
            mi->needs_probability ? " (scores must be probabilities)" : "");
        ck_assert(used < size);
    }
    return out;
}

START_TEST(docs_show_the_registry)
{
    const char *path = tu_src("docs/metrics.md");
    char *doc = tu_slurp(path, NULL), *table = registry_markdown();
    char *b, *e;

    ck_assert_msg(doc != NULL, "cannot read %s", path);
    b = strstr(doc, BEGIN);
    e = strstr(doc, END);
    ck_assert_msg(b && e && b < e, "%s lacks the generated-table markers", path);
    b += strlen(BEGIN);
    if (getenv("MG_UPDATE_DOCS")) {
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "%.*s%s%s", (int)(b - doc), doc, table, e);
        fclose(f);
    } else {
        ck_assert_msg(strlen(table) == (size_t)(e - b) &&
                          memcmp(b, table, (size_t)(e - b)) == 0,
                      "docs/metrics.md does not show the registry; regenerate it with "
                      "MG_UPDATE_DOCS=1 build/tests/test_metrics");
    }
    free(doc);
    free(table);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("metrics");
    TCase *core = tcase_create("core"), *edge = tcase_create("edge");
    tcase_add_test(core, numbers_never_move);
    tcase_add_test(core, every_metric_has_reference_values);
    tcase_add_test(core, reference_values_in_range);
    tcase_add_test(core, rows_are_consistent);
    tcase_add_test(core, proportions_match_kernels);
    tcase_add_test(core, docs_show_the_registry);
    tcase_add_test(core, class_conditional_is_mix_free);
    tcase_add_loop_test(edge, kernel_table, 0,
                        (int)(sizeof kernel_rows / sizeof kernel_rows[0]));
    tcase_add_loop_test(edge, multiclass_kernel_table, 0,
                        (int)(sizeof mc_rows / sizeof mc_rows[0]));
    tcase_add_test(edge, multiclass_row_values);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return tu_run(s);
}
