/*
 * The metric registry (metrics/registry.c) and the metric kernels (metrics/binary.c).
 *
 * core: public numbers never move; every metric has reference values from
 *       scikit-learn (tests/reference/churn_sklearn.h), and every reference value
 *       lies in its metric's registered range; a Wilson proportion's cells give the
 *       kernel's value; docs/metrics.md shows the registry as it is.
 * edge: each kernel on hand-made confusion counts, defined and undefined.
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
        size_t defined = 0;
        for (size_t i = 0; i < MG_REF_CHURN_COUNT; i++)
            defined += strcmp(mg_ref_churn[i].metric, mi->name) == 0 &&
                       mg_ref_churn[i].defined;
        ck_assert_msg(defined > 0,
                      "metric '%s' has no reference values in "
                      "tests/reference/churn_sklearn.h; add it to "
                      "tests/reference/make_sklearn_reference.py and regenerate",
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
        for (int q = 0; q < m; q++)
            ck_assert_str_ne(mg_metric_get((mg_metric)q)->name, mi->name);
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
        if (mi->family != MG_FAMILY_CONFUSION && m != MG_METRIC_AUC)
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
    static const char *tasks[] = {"binary"};
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
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return tu_run(s);
}
