/*
 * Tests of harness/data.c: loading a suite's data as pandas and R write it.
 *
 * The fixtures in tests/data/ingest/ were written by pandas (make_pandas.py: an
 * unnamed index column, integer columns with a NaN written as floats, NaN as an
 * empty field) and by R (make_r.R: R's airquality data set with write.csv: quoted
 * row names under an empty header, NA, TRUE/FALSE). The expected counts below were
 * computed from the same files with pandas (read_csv, then dropna on the label):
 *   holdout.csv: 40 rows, 1 missing label, 12 positives, 2 missing regions,
 *                4 ages below 18, 1 missing age; predictions.csv: 60 rows, 1 id NaN
 *   airquality.csv: 153 rows, 37 missing labels, 31 TRUE, 5 missing Solar.R,
 *                   15 below 50
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "modelgate/modelgate.h"

#include "harness/data.h"
#include "testutil.h"

static mg_suite *suite_at(const char *path)
{
    mg_suite *s = NULL;
    mg_error err = MG_ERROR_INIT;
    char line[2048];
    int rc = mg_suite_load(&s, path, &err);

    mg_error_format(&err, line, sizeof line);
    ck_assert_msg(rc == 0, "%s", line);
    return s;
}

static mg__data *data_ok(const mg_suite *s)
{
    mg_error err = MG_ERROR_INIT;
    mg__data *d = NULL;
    char line[2048];
    int rc = mg__data_load(&d, s, NULL, &err);

    mg_error_format(&err, line, sizeof line);
    ck_assert_msg(rc == 0, "%s", line);
    return d;
}

/* The load fails; the formatted error is returned in buf. */
static const char *data_fails(const mg_suite *s, char *buf, size_t size)
{
    mg_error err = MG_ERROR_INIT;
    mg__data *d = (mg__data *)&err;

    ck_assert_int_eq(mg__data_load(&d, s, NULL, &err), MG_EDATA);
    ck_assert_ptr_null(d);
    mg_error_format(&err, buf, size);
    return buf;
}

static size_t positives(const mg__data *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++)
        k += d->label[i];
    return k;
}

/* ---- core: pandas and R files ------------------------------------------------- */

START_TEST(core_pandas)
{
    mg_suite *s = suite_at(tu_src("tests/data/ingest/pandas.yaml"));
    mg__data *d = data_ok(s);
    const mg__slicing *region = &d->slicings[0], *age = &d->slicings[1];

    /* the row with a missing label is left out, counted against the holdout */
    ck_assert_uint_eq(d->n, 39);
    ck_assert_uint_eq(positives(d), 12);
    ck_assert_uint_eq(d->ninputs, 2);
    ck_assert_uint_eq(d->inputs[0].rows, 39);
    ck_assert_uint_eq(d->inputs[0].missing_dropped, 1);
    /* predictions: one row without an id, 20 rows beyond the holdout's 40 (ids as
     * floats, 101.0 for 101), of which one is the NaN id */
    ck_assert_uint_eq(d->inputs[1].missing_dropped, 1);
    ck_assert_uint_eq(d->inputs[1].extra_ignored, 19);
    /* customer 101 (first holdout row) joined to id 101.0 */
    ck_assert_double_eq(d->score[0][0], 0.4272);
    ck_assert_uint_eq(region->nlevels, 4);
    ck_assert_str_eq(region->labels[3], "region=(missing)");
    ck_assert_uint_eq(age->nlevels, 5);
    ck_assert_str_eq(age->labels[0], "age=(-inf, 18)");
    ck_assert_str_eq(age->labels[4], "age=(missing)");
    {
        size_t below = 0, missing = 0, nregion = 0;
        for (size_t i = 0; i < d->n; i++) {
            below += age->code[i] == 0;
            missing += age->code[i] == 4;
            nregion += region->code[i] == 3;
            ck_assert_uint_lt(age->code[i], age->nlevels);
        }
        ck_assert_uint_eq(below, 4);
        ck_assert_uint_eq(missing, 1);
        ck_assert_uint_eq(nregion, 2);
    }
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* pandas' unnamed index as the id of both files: id: "". */
START_TEST(core_pandas_index)
{
    mg_suite *s = suite_at(tu_src("tests/data/ingest/pandas_index.yaml"));
    mg__data *d = data_ok(s);

    ck_assert_str_eq(s->data.id, "");
    ck_assert_uint_eq(d->n, 39);
    ck_assert_double_eq(d->score[0][0], 0.4272);
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* R's write.csv: row names as id, NA labels dropped, TRUE as positive "true". */
START_TEST(core_r)
{
    mg_suite *s = suite_at(tu_src("tests/data/ingest/r.yaml"));
    mg__data *d = data_ok(s);
    const mg__slicing *month = &d->slicings[0], *solar = &d->slicings[1];
    size_t below = 0, missing = 0;

    ck_assert_uint_eq(d->n, 116);
    ck_assert_uint_eq(positives(d), 31);
    ck_assert_uint_eq(d->inputs[0].missing_dropped, 37);
    ck_assert_str_eq(d->negative, "FALSE");
    /* day 1 is row 1, score 0.6857 in airquality_scores.csv */
    ck_assert_double_eq(d->score[0][0], 0.6857);
    ck_assert_uint_eq(month->nlevels, 5);
    ck_assert_str_eq(month->labels[0], "month=Aug");
    ck_assert_uint_eq(solar->nlevels, 5);
    ck_assert_str_eq(solar->labels[0], "Solar.R=(-inf, 50)");
    ck_assert_str_eq(solar->labels[4], "Solar.R=(missing)");
    for (size_t i = 0; i < d->n; i++) {
        below += solar->code[i] == 0;
        missing += solar->code[i] == 4;
    }
    ck_assert_uint_eq(below, 15);
    ck_assert_uint_eq(missing, 5);
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* ---- edge ---------------------------------------------------------------------- */

static const char *const small_holdout = "id,label\n"
                                         "1,Yes\n"
                                         "2,no\n"
                                         "3,Yes\n"
                                         "4,no\n"
                                         "5,no\n";

static const char *small_suite(const char *dir, const char *data, const char *model,
                               const char *test)
{
    char text[2048];
    snprintf(text, sizeof text,
             "suite: t\ntask: binary\n"
             "data: {holdout: holdout.csv, id: id, label: label%s}\n"
             "models:\n  candidate: {file: preds.csv, score: p%s}\n"
             "tests:\n  - {name: t, metric: %s, at_least: 0.1, rule: estimate}\n",
             data, model, test);
    return tu_write(dir, "suite.yaml", text);
}

/* A label error lists the values found, with counts. */
START_TEST(edge_label_values_listed)
{
    const char *dir = tu_scratch_dir("data-labels");
    char buf[2048];
    mg_suite *s;

    tu_write(dir, "holdout.csv", small_holdout);
    tu_write(dir, "preds.csv", "id,p\n1,0.9\n2,0.1\n3,0.8\n4,0.3\n5,0.2\n");
    s = suite_at(small_suite(dir, ", positive: yes", "", "auc"));
    ck_assert_msg(strstr(data_fails(s, buf, sizeof buf),
                         "never occurs in column 'label' of ") != NULL &&
                      strstr(buf, "which holds 'Yes' (2 rows), 'no' (3)") != NULL,
                  "%s", buf);
    mg_suite_free(s);
}
END_TEST

/* Scores on a 0-100 scale with a threshold metric: an error with the range; raw
 * scores with a threshold on their scale: fine. */
START_TEST(edge_score_scale)
{
    const char *dir = tu_scratch_dir("data-scale");
    char buf[2048];
    mg_suite *s;
    mg__data *d;

    tu_write(dir, "holdout.csv", small_holdout);
    tu_write(dir, "preds.csv", "id,p\n1,90\n2,10\n3,80\n4,30\n5,20\n");
    s = suite_at(small_suite(dir, ", positive: \"Yes\"", "", "recall"));
    ck_assert_msg(
        strstr(data_fails(s, buf, sizeof buf),
               "scores range from 10 to 90, outside [0, 1], but the threshold "
               "is 0.5") != NULL,
        "%s", buf);
    mg_suite_free(s);
    /* AUC needs no threshold: no check */
    s = suite_at(small_suite(dir, ", positive: \"Yes\"", "", "auc"));
    d = data_ok(s);
    mg__data_free(d);
    mg_suite_free(s);
    s = suite_at(small_suite(dir, ", positive: \"Yes\"", ", threshold: 50, scores: raw",
                             "recall"));
    d = data_ok(s);
    ck_assert_double_eq(d->threshold[0], 50);
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* Scores that take two values: a warning, not an error. */
START_TEST(edge_two_values_warning)
{
    const char *dir = tu_scratch_dir("data-two-values");
    mg_suite *s;
    mg__data *d;

    tu_write(dir, "holdout.csv", small_holdout);
    tu_write(dir, "preds.csv", "id,p\n1,1\n2,0\n3,0\n4,0\n5,1\n");
    s = suite_at(small_suite(dir, ", positive: \"Yes\"", "", "auc"));
    d = data_ok(s);
    ck_assert_uint_eq(d->nwarnings, 1);
    ck_assert_str_eq(d->warnings[0],
                     "model 'candidate': its scores take only two values (0 and 1), so "
                     "rank metrics (auc, average_precision) are degenerate: are these "
                     "predicted labels rather than scores?");
    mg__data_free(d);
    mg_suite_free(s);
    tu_write(dir, "preds.csv", "id,p\n1,0.9\n2,0\n3,0\n4,0\n5,1\n");
    s = suite_at(small_suite(dir, ", positive: \"Yes\"", "", "auc"));
    d = data_ok(s);
    ck_assert_uint_eq(d->nwarnings, 0);
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* gzip and zstd files read as the plain file does; the hash is of the stored bytes. */
START_TEST(edge_compressed)
{
    const char *dir = tu_scratch_dir("data-compressed");
    static const char csv[] = "id,p\n1,0.9\n2,0.1\n3,0.8\n4,0.3\n5,0.2\n";
    mg_column_request req = {"p", MG_COLUMN_NUMBER};
    mg_error err = MG_ERROR_INIT;
    char path[4200], zpath[4200];
    size_t bound = ZSTD_compressBound(sizeof csv - 1);
    void *z = malloc(bound);
    size_t zn = ZSTD_compress(z, bound, csv, sizeof csv - 1, 3);
    mg_table *plain = NULL, *gz = NULL, *zs = NULL;
    gzFile g;
    FILE *f;

    ck_assert(!ZSTD_isError(zn));
    snprintf(path, sizeof path, "%s/p.csv.gz", dir);
    g = gzopen(path, "wb");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(gzwrite(g, csv, sizeof csv - 1), (int)(sizeof csv - 1));
    ck_assert_int_eq(gzclose(g), Z_OK);
    snprintf(zpath, sizeof zpath, "%s/p.zst", dir);
    f = fopen(zpath, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(z, 1, zn, f), zn);
    ck_assert_int_eq(fclose(f), 0);
    free(z);

    ck_assert_int_eq(
        mg_table_load_csv(&plain, tu_write(dir, "p.csv", csv), NULL, &req, 1, &err), 0);
    ck_assert_int_eq(mg_table_load_csv(&gz, path, NULL, &req, 1, &err), 0);
    ck_assert_int_eq(mg_table_load_csv(&zs, zpath, NULL, &req, 1, &err), 0);
    ck_assert_uint_eq(mg_table_rows(gz), 5);
    ck_assert_uint_eq(mg_table_rows(zs), 5);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_double_eq(mg_table_numbers(gz, 0)[i], mg_table_numbers(plain, 0)[i]);
        ck_assert_double_eq(mg_table_numbers(zs, 0)[i], mg_table_numbers(plain, 0)[i]);
        ck_assert_uint_eq(mg_table_line(gz, i), i + 2);
    }
    ck_assert_str_ne(mg_table_sha256(gz), mg_table_sha256(plain));
    mg_table_free(plain);
    mg_table_free(gz);
    mg_table_free(zs);
}
END_TEST

/* "-" reads standard input, named <stdin> in the table and in messages. */
START_TEST(edge_stdin)
{
    const char *dir = tu_scratch_dir("data-stdin");
    mg_column_request req = {"p", MG_COLUMN_NUMBER};
    mg_error err = MG_ERROR_INIT;
    mg_table *t = NULL;
    int fd = open(tu_write(dir, "p.csv", "id,p\n1,0.9\n2,0.1\n3,0.8\n"), O_RDONLY);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
    ck_assert_int_eq(mg_table_load_csv(&t, "-", NULL, &req, 1, &err), 0);
    ck_assert_uint_eq(mg_table_rows(t), 3);
    ck_assert_str_eq(mg_table_path(t), "<stdin>");
    ck_assert_double_eq(mg_table_numbers(t, 0)[2], 0.8);
    mg_table_free(t);
    /* standard input is still open for the caller */
    ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1);
}
END_TEST

/* Ids compared as numbers when both sides are numbers; not when one is not. */
START_TEST(edge_numeric_ids)
{
    const char *dir = tu_scratch_dir("data-ids");
    char buf[2048];
    mg_suite *s;
    mg__data *d;

    tu_write(dir, "holdout.csv", "id,label\n129,1\n7,0\n0130,1\n");
    tu_write(dir, "preds.csv", "id,p\n130.0,0.6\n129.0,0.9\n7,0.2\n");
    s = suite_at(small_suite(dir, ", positive: \"1\"", "", "auc"));
    d = data_ok(s);
    ck_assert_double_eq(d->score[0][0], 0.9);
    ck_assert_double_eq(d->score[0][1], 0.2);
    ck_assert_double_eq(d->score[0][2], 0.6);
    mg__data_free(d);
    mg_suite_free(s);
    tu_write(dir, "holdout.csv", "id,label\n129,1\nx7,0\n");
    tu_write(dir, "preds.csv", "id,p\n129.0,0.9\nx7,0.2\n");
    s = suite_at(small_suite(dir, ", positive: \"1\"", "", "auc"));
    ck_assert_msg(strstr(data_fails(s, buf, sizeof buf),
                         "preds.csv:2:1: id '129.0' is not in the holdout set") != NULL,
                  "%s", buf);
    mg_suite_free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("data");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_test(core, core_pandas);
    tcase_add_test(core, core_pandas_index);
    tcase_add_test(core, core_r);
    tcase_add_test(edge, edge_label_values_listed);
    tcase_add_test(edge, edge_score_scale);
    tcase_add_test(edge, edge_compressed);
    tcase_add_test(edge, edge_stdin);
    tcase_add_test(edge, edge_two_values_warning);
    tcase_add_test(edge, edge_numeric_ids);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return tu_run(s);
}
