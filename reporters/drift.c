/*
 * The drift table on a terminal (`modelgate drift`): one line per column, largest
 * PSI first, each effect size with its interval, the p-value and its Holm-adjusted
 * form. Numbers are formatted in the C locale; a statistic a column does not have
 * (KS for a category) is a dash, never a NaN.
 */
#include <stdio.h>
#include <string.h>

#include "common/clocale.h"
#include "modelgate/drift.h"

/* "0.0312 [0.0251, 0.0388]" or "0.0312" without an interval, or "-". */
static void cell(char *buf, size_t size, const mg_drift_value *v)
{
    if (!v->has_value)
        snprintf(buf, size, "-");
    else if (v->has_ci)
        snprintf(buf, size, "%.4f [%.4f, %.4f]", v->value, v->ci_low, v->ci_high);
    else
        snprintf(buf, size, "%.4f", v->value);
}

int mg_drift_table_print(const mg_drift_table *t, FILE *out)
{
    mg__c_numeric scope = {0};
    static const mg_drift_statistic shown[] = {MG_DRIFT_PSI, MG_DRIFT_JS, MG_DRIFT_KS,
                                               MG_DRIFT_WASSERSTEIN_NORM,
                                               MG_DRIFT_CRAMERS_V};
    static const char *const heads[] = {"psi", "js", "ks", "wasserstein/sd",
                                        "cramers_v"};
    size_t width = 6;

    if (mg__c_numeric_begin(&scope) != 0)
        return MG_ENOMEM;
    for (size_t i = 0; i < t->ncolumns; i++) {
        size_t w = strlen(t->columns[i].name);
        width = w > width ? w : width;
    }
    width = width > 32 ? 32 : width;
    fprintf(out, "%-*s %-8s", (int)width, "column", "type");
    for (size_t s = 0; s < sizeof shown / sizeof shown[0]; s++)
        fprintf(out, " %-26s", heads[s]);
    fprintf(out, " %-10s %s\n", "p", "p (holm)");
    for (size_t i = 0; i < t->ncolumns; i++) {
        const mg_drift_column *c = &t->columns[i];
        fprintf(out, "%-*.*s %-8s", (int)width, (int)width, c->name,
                c->categorical ? "category" : "number");
        for (size_t s = 0; s < sizeof shown / sizeof shown[0]; s++) {
            char buf[96];
            cell(buf, sizeof buf, &c->stat[shown[s]]);
            fprintf(out, " %-26s", buf);
        }
        if (c->has_p_value)
            fprintf(out, " %-10.3g %.3g\n", c->p_value, c->p_adjusted);
        else
            fprintf(out, " %-10s -\n", "-");
    }
    fprintf(out,
            "%zu column%s; reference %s (%zu rows), current %s (%zu rows); "
            "%.0f%% %s intervals from %zu replicates; p: %s; sorted by psi\n",
            t->ncolumns, t->ncolumns == 1 ? "" : "s", t->reference, t->reference_rows,
            t->current, t->current_rows, t->options.confidence * 100,
            t->options.interval == MG_INTERVAL_BASIC ? "basic"
            : t->options.interval == MG_INTERVAL_BCA ? "BC"
                                                     : "percentile",
            t->options.replicates,
            "KS for numbers, chi-squared for categories, Holm-adjusted across columns");
    if (t->nunshared > 0) {
        fprintf(out, "not compared (in one file only):");
        for (size_t i = 0; i < t->nunshared; i++)
            fprintf(out, "%s %s", i ? "," : "", t->unshared[i]);
        fputc('\n', out);
    }
    if (t->nids > 0) {
        fprintf(out, "not compared (a distinct value in every row, an id):");
        for (size_t i = 0; i < t->nids; i++)
            fprintf(out, "%s %s", i ? "," : "", t->ids[i]);
        fputc('\n', out);
    }
    mg__c_numeric_end(&scope);
    return 0;
}
