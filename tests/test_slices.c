/*
 * Tests of slicings (harness/slices.h), through the data loader that builds them
 * (harness/data.c) from a suite and a holdout file written to a scratch directory.
 *
 * core: codes and labels of a column (natural order: numbers by value, before
 *   strings), a cross and bins, each row's label checked against its own values;
 *   quantile edges worked out by hand (bin sizes ⌊m/k⌋ or ⌈m/k⌉ without ties,
 *   ties in one bin with a warning), groups with and without (other), filters
 *   alone and on a slicing (missing values meet no condition), a filtered cross of
 *   slicings, finding a slice by its parts in any order; the errors for values no
 *   row holds and filters that keep nothing.
 * edge: the run's limit on slices (MG__SLICES_MAX) at its boundary, shared between
 *   slicings, reached by a cross of small columns (through the direct index and
 *   through the sort), and by bins; labels and order under a host locale with a
 *   decimal comma.
 * reference: an oracle test of the membership index against a scan of the codes.
 */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/suite.h"

#include "harness/data.h"
#include "harness/slices.h"
#include "testutil.h"

/* A suite over holdout.csv (columns label, p and the slice columns), with the
 * given lines under `slices:`; its first slicing is on line 7, column 3. */
static const char *write_suite(const char *dir, const char *slices)
{
    char *text = NULL;
    size_t len = strlen(slices) + 512;
    const char *path;

    text = malloc(len);
    ck_assert_ptr_nonnull(text);
    snprintf(text, len,
             "suite: t\n"
             "task: binary\n"
             "data: {holdout: holdout.csv, label: label, positive: \"1\"}\n"
             "models:\n"
             "  candidate: {score: p}\n"
             "slices:\n"
             "%s"
             "tests:\n"
             "  - {name: auc floor, metric: auc, at_least: 0.5, rule: estimate}\n",
             slices);
    path = tu_write(dir, "suite.yaml", text);
    free(text);
    return path;
}

static mg_suite *suite_ok(const char *path)
{
    mg_suite *s = NULL;
    mg_error err = MG_ERROR_INIT;
    char line[2048];
    int rc = mg_suite_load(&s, path, &err);

    mg_error_format(&err, line, sizeof line);
    ck_assert_msg(rc == 0, "%s: %s", path, line);
    return s;
}

/* Load the data of a suite; returns the loader's status, *err filled on error. */
static int load(const char *dir, const char *slices, mg_suite **suite, mg__data **d,
                mg_error *err)
{
    *suite = suite_ok(write_suite(dir, slices));
    return mg__data_load(d, *suite, NULL, err);
}

static mg__data *load_ok(const char *dir, const char *slices, mg_suite **suite)
{
    mg_error err = MG_ERROR_INIT;
    mg__data *d = NULL;
    char line[2048];
    int rc = load(dir, slices, suite, &d, &err);

    mg_error_format(&err, line, sizeof line);
    ck_assert_msg(rc == 0, "%s", line);
    ck_assert_ptr_nonnull(d);
    return d;
}

/* The load fails with MG_EDATA at the suite line and key, with this message. */
static void load_fails(const char *dir, const char *slices, unsigned long line,
                       const char *key, const char *message)
{
    mg_error err = MG_ERROR_INIT;
    mg_suite *s = NULL;
    mg__data *d = (mg__data *)&err; /* must be overwritten with NULL */

    ck_assert_int_eq(load(dir, slices, &s, &d, &err), MG_EDATA);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(err.code, MG_EDATA);
    ck_assert_str_eq(err.file, s->path);
    ck_assert_uint_eq(err.line, line);
    ck_assert_uint_eq(err.column, 3);
    ck_assert_str_eq(err.key, key);
    ck_assert_str_eq(err.message, message);
    mg_suite_free(s);
}

/* holdout.csv with a header and `n` rows made by row(i, buffer). */
static void write_holdout(const char *dir, const char *header, size_t n,
                          void (*row)(size_t i, char *buf, size_t size))
{
    char path[4200], buf[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/holdout.csv", dir);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%s\n", header);
    for (size_t i = 0; i < n; i++) {
        row(i, buf, sizeof buf);
        fprintf(f, "%s\n", buf);
    }
    ck_assert_int_eq(fclose(f), 0);
}

/* The label of row i's slice, or NULL for a row in none. */
static const char *label_of(const mg__slicing *sl, size_t i)
{
    if (sl->code[i] == MG__NO_SLICE)
        return NULL;
    ck_assert_uint_lt(sl->code[i], sl->nlevels);
    return sl->labels[sl->code[i]];
}

/* ---- core ---------------------------------------------------------------------- */

/* Region values in holdout row order; in natural order they read
 * -1, 6.5, 9, 10, 1e1 (10 too: ties go bytewise), b, x. */
static const char *const regions[] = {"10",  "9",   "x", "-1", "b",
                                      "1e1", "6.5", "9", "b"};
static const char *const plans[] = {"basic", "pro",   "basic", "pro",  "pro",
                                    "basic", "basic", "basic", "basic"};
static const char *const tenures[] = {"-1",  "0",    "6.5", "6.4999", "12",
                                      "100", "11.9", "1e9", "3"};
#define NROWS (sizeof regions / sizeof regions[0])

static const char *const slices_core = "  region: region\n"
                                       "  cross: [region, plan]\n"
                                       "  tenure: {column: t, bins: [0, 6.5, 12]}\n";

static void core_row(size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "%zu,0.%zu,%s,%s,%s", i % 2, i, regions[i], plans[i],
             tenures[i]);
}

START_TEST(test_labels_and_codes)
{
    const char *dir = tu_scratch_dir("slices-core");
    static const char *const region_labels[] = {"region=-1", "region=6.5", "region=9",
                                                "region=10", "region=1e1", "region=b",
                                                "region=x"};
    static const char *const cross_labels[] = {
        "region=-1 \xc3\x97 plan=pro",   "region=6.5 \xc3\x97 plan=basic",
        "region=9 \xc3\x97 plan=basic",  "region=9 \xc3\x97 plan=pro",
        "region=10 \xc3\x97 plan=basic", "region=1e1 \xc3\x97 plan=basic",
        "region=b \xc3\x97 plan=basic",  "region=b \xc3\x97 plan=pro",
        "region=x \xc3\x97 plan=basic"};
    static const char *const tenure_labels[] = {"t=(-inf, 0)", "t=[0, 6.5)",
                                                "t=[6.5, 12)", "t=[12, inf)"};
    /* tenures: -1 (-inf, 0), 0 [0, 6.5), 6.5 [6.5, 12), 6.4999 [0, 6.5),
     * 12 [12, inf), 100, 11.9, 1e9, 3: a value below the first edge has a bin */
    static const uint32_t tenure_codes[NROWS] = {0, 1, 2, 1, 3, 3, 2, 3, 1};
    mg_suite *s;
    mg__data *d;
    char want[128];

    write_holdout(dir, "label,p,region,plan,t", NROWS, core_row);
    d = load_ok(dir, slices_core, &s);
    ck_assert_uint_eq(d->nslicings, 3);

    ck_assert_uint_eq(d->slicings[0].nlevels, 7);
    for (size_t k = 0; k < 7; k++)
        ck_assert_str_eq(d->slicings[0].labels[k], region_labels[k]);
    ck_assert_uint_eq(d->slicings[1].nlevels, 9);
    for (size_t k = 0; k < 9; k++)
        ck_assert_str_eq(d->slicings[1].labels[k], cross_labels[k]);
    ck_assert_uint_eq(d->slicings[2].nlevels, 4);
    for (size_t k = 0; k < 4; k++)
        ck_assert_str_eq(d->slicings[2].labels[k], tenure_labels[k]);

    for (size_t i = 0; i < NROWS; i++) {
        snprintf(want, sizeof want, "region=%s", regions[i]);
        ck_assert_str_eq(label_of(&d->slicings[0], i), want);
        snprintf(want, sizeof want, "region=%s \xc3\x97 plan=%s", regions[i], plans[i]);
        ck_assert_str_eq(label_of(&d->slicings[1], i), want);
        ck_assert_uint_eq(d->slicings[2].code[i], tenure_codes[i]);
    }
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* Missing values in slicing columns, as pandas (empty, NaN) and R (NA) write them. */
static const char *const mregions[] = {"north", "", "south", "NA", "north", "N/A"};
static const char *const mplans[] = {"pro", "basic", "NA", "pro", "basic", "basic"};
static const char *const mtenures[] = {"3", "NA", "-2", "", "30", "7"};
#define MROWS (sizeof mregions / sizeof mregions[0])

static void missing_row(size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "%zu,0.%zu,%s,%s,%s", i % 2, i, mregions[i], mplans[i],
             mtenures[i]);
}

START_TEST(test_missing_slice)
{
    const char *dir = tu_scratch_dir("slices-missing");
    static const char *const region_labels[] = {"region=north", "region=south",
                                                "region=(missing)"};
    static const uint32_t region_codes[MROWS] = {0, 2, 1, 2, 0, 2};
    static const char *const tenure_labels[] = {
        "t=(-inf, 0)", "t=[0, 6.5)", "t=[6.5, 12)", "t=[12, inf)", "t=(missing)"};
    static const uint32_t tenure_codes[MROWS] = {1, 4, 0, 4, 3, 2};
    static const char *const cross_labels[] = {
        "region=north \xc3\x97 plan=basic", "region=north \xc3\x97 plan=pro",
        "region=south \xc3\x97 plan=(missing)", "region=(missing) \xc3\x97 plan=basic",
        "region=(missing) \xc3\x97 plan=pro"};
    mg_suite *s;
    mg__data *d;

    write_holdout(dir, "label,p,region,plan,t", MROWS, missing_row);
    d = load_ok(dir, slices_core, &s);
    ck_assert_uint_eq(d->slicings[0].nlevels, 3);
    for (size_t k = 0; k < 3; k++)
        ck_assert_str_eq(d->slicings[0].labels[k], region_labels[k]);
    ck_assert_uint_eq(d->slicings[1].nlevels, 5);
    for (size_t k = 0; k < 5; k++)
        ck_assert_str_eq(d->slicings[1].labels[k], cross_labels[k]);
    ck_assert_uint_eq(d->slicings[2].nlevels, 5);
    for (size_t k = 0; k < 5; k++)
        ck_assert_str_eq(d->slicings[2].labels[k], tenure_labels[k]);
    for (size_t i = 0; i < MROWS; i++) {
        ck_assert_uint_eq(d->slicings[0].code[i], region_codes[i]);
        ck_assert_uint_eq(d->slicings[2].code[i], tenure_codes[i]);
    }
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* Quantiles: row i of 103 has t = (i * 37) % 103 (distinct, shuffled), and q
 * ties half its rows at 0; row 5 misses both, row 50 (t = 99) misses q. */
static void quantile_row(size_t i, char *buf, size_t size)
{
    if (i == 5 || i == 50)
        snprintf(buf, size, "%zu,0.5,%s,NA,%s", i % 2, i == 5 ? "NA" : "99",
                 i % 3 ? "a" : "b");
    else
        snprintf(buf, size, "%zu,0.5,%zu,%zu,%s", i % 2, (i * 37) % 103, i % 2 ? 0 : i,
                 i % 3 ? "a" : "b");
}

START_TEST(test_quantiles)
{
    const char *dir = tu_scratch_dir("slices_quantiles");
    mg_suite *s = NULL;
    mg__data *d;
    size_t count[8] = {0};
    const mg__slicing *t, *q;

    write_holdout(dir, "label,p,t,q,g", 103, quantile_row);
    d = load_ok(dir,
                "  tq: {column: t, quantiles: 4}\n"
                "  qq: {column: q, quantiles: 4}\n",
                &s);
    /* 102 distinct values, 0..102 without 82 (row 5): sorted, edge j is the value
     * at position floor(j * 102 / 4) = 25, 51, 76. */
    t = &d->slicings[0];
    ck_assert_uint_eq(t->nlevels, 5);
    ck_assert_str_eq(t->labels[0], "t=[0, 25)");
    ck_assert_str_eq(t->labels[1], "t=[25, 51)");
    ck_assert_str_eq(t->labels[2], "t=[51, 76)");
    ck_assert_str_eq(t->labels[3], "t=[76, 102]");
    ck_assert_str_eq(t->labels[4], "t=(missing)");
    for (size_t i = 0; i < 103; i++)
        count[t->code[i]]++;
    /* Without ties each bin holds floor(102/4) or ceil(102/4) rows. */
    for (size_t b = 0; b < 4; b++)
        ck_assert_msg(count[b] == 25 || count[b] == 26, "bin %zu: %zu", b, count[b]);
    ck_assert_uint_eq(count[4], 1);
    /* Ties: 51 rows of 0 (odd i, and i = 0) among 101, then 2, 4, …, 102 without
     * 50: edges at positions 25 and 50 are 0, the minimum, and are dropped; the
     * one at 75 is 52. Every 0 is in the first bin. */
    q = &d->slicings[1];
    ck_assert_uint_eq(q->nlevels, 3);
    ck_assert_str_eq(q->labels[0], "q=[0, 52)");
    ck_assert_str_eq(q->labels[1], "q=[52, 102]");
    ck_assert_str_eq(q->labels[2], "q=(missing)");
    for (size_t i = 0; i < 103; i++)
        if (i != 5 && i != 50 && (i % 2 == 1 || i == 0))
            ck_assert_uint_eq(q->code[i], 0);
    /* (after the warning that every score is 0.5) */
    ck_assert_uint_eq(d->nwarnings, 2);
    ck_assert_str_eq(d->warnings[1], "slicing 'qq': 4 quantile bins asked, 2 made: "
                                     "tied values of 'q' stay in one bin");
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* Groups (with and without other), a filter alone, a filtered slicing and a cross
 * of slicings: each row's label against its own values. */
START_TEST(test_groups_filters_crosses)
{
    const char *dir = tu_scratch_dir("slices_groups");
    mg_suite *s = NULL;
    mg__data *d;

    write_holdout(dir, "label,p,t,q,g", 103, quantile_row);
    d = load_ok(dir,
                "  grp: {column: q, groups: {zero: [0], small: [2, 4, \"6\"]}}\n"
                "  only: {column: q, groups: {small: [2, 4, 6]}, other: false}\n"
                "  b: {where: {g: b}}\n"
                "  tb: {column: g, where: {t: {\">=\": 50}, q: {not_in: [0]}}}\n"
                "  x: {cross: [grp, g], where: {t: {\"<\": 40}}}\n",
                &s);
    for (size_t i = 0; i < 103; i++) {
        int missing = i == 5 || i == 50, zero = !missing && (i % 2 == 1 || i == 0);
        int t_missing = i == 5;
        int small = !missing && !zero && i <= 6;
        const char *g = i % 3 ? "a" : "b";
        size_t tv = i == 50 ? 99 : (i * 37) % 103;
        char want[128];
        ck_assert_str_eq(label_of(&d->slicings[0], i), missing ? "q=(missing)"
                                                       : zero  ? "q=zero"
                                                       : small ? "q=small"
                                                               : "q=(other)");
        if (small)
            ck_assert_str_eq(label_of(&d->slicings[1], i), "q=small");
        else if (missing)
            ck_assert_str_eq(label_of(&d->slicings[1], i), "q=(missing)");
        else
            ck_assert_ptr_null(label_of(&d->slicings[1], i));
        if (*g == 'b')
            ck_assert_str_eq(label_of(&d->slicings[2], i), "g=b");
        else
            ck_assert_ptr_null(label_of(&d->slicings[2], i));
        /* A missing value meets no condition, not_in included. */
        if (!missing && tv >= 50 && !zero) { /* q missing: no condition met */
            snprintf(want, sizeof want, "g=%s \xc3\x97 t>=50 \xc3\x97 q not in {0}", g);
            ck_assert_str_eq(label_of(&d->slicings[3], i), want);
        } else {
            ck_assert_ptr_null(label_of(&d->slicings[3], i));
        }
        if (!t_missing && !missing && tv < 40) {
            snprintf(want, sizeof want, "q=%s \xc3\x97 g=%s \xc3\x97 t<40",
                     zero    ? "zero"
                     : small ? "small"
                             : "(other)",
                     g);
            ck_assert_str_eq(label_of(&d->slicings[4], i), want);
        } else {
            ck_assert_ptr_null(label_of(&d->slicings[4], i));
        }
    }
    /* Slices left empty by a filter are dropped: (missing) is not in x. */
    for (size_t l = 0; l < d->slicings[4].nlevels; l++)
        ck_assert_ptr_null(strstr(d->slicings[4].labels[l], "missing"));
    ck_assert_int_eq(
        mg__slicing_find(&d->slicings[4], "t<40 & g=b & q=zero"),
        mg__slicing_find(&d->slicings[4], "q=zero \xc3\x97 g=b \xc3\x97 t<40"));
    ck_assert_int_ge(mg__slicing_find(&d->slicings[4], "t<40 & g=b & q=zero"), 0);
    ck_assert_int_eq(mg__slicing_find(&d->slicings[4], "g=b & q=zero"), -1);
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* The load fails with MG_EDATA at the key, with this message. */
static void load_error(const char *dir, const char *slices, const char *key,
                       const char *message)
{
    mg_error err = MG_ERROR_INIT;
    mg_suite *s = NULL;
    mg__data *d = NULL;

    ck_assert_int_eq(load(dir, slices, &s, &d, &err), MG_EDATA);
    ck_assert_ptr_null(d);
    ck_assert_str_eq(err.key, key);
    ck_assert_str_eq(err.message, message);
    ck_assert_uint_eq(err.line, 7);
    mg_suite_free(s);
}

/* Values no row holds, filters that keep nothing, quantiles of nothing. */
START_TEST(test_slicing_errors)
{
    const char *dir = tu_scratch_dir("slices_errors");

    write_holdout(dir, "label,p,t,q,g", 103, quantile_row);
    load_error(dir, "  grp: {column: g, groups: {A: [a, c]}}\n", "slices.grp.groups.A",
               "group 'A': no row has g=c");
    load_error(dir, "  f: {where: {g: [a, z]}}\n", "slices.f.where.g",
               "no row has g=z");
    load_error(dir, "  f: {where: {t: 1.5}}\n", "slices.f.where.t", "no row has t=1.5");
    load_error(dir, "  f: {where: {t: {\">\": 102}}}\n", "slices.f",
               "the filter (where) keeps no row of the holdout set");
    load_error(dir, "  f: {column: q, quantiles: 2, where: {t: [99]}}\n", "slices.f",
               "slicing 'f': column 'q' has no values to cut into quantiles (every "
               "value is missing)");
}
END_TEST

/* ---- edge: the limit on slices ----------------------------------------------------
 */

/* Row i has user u<i mod users> (users set before writing) and region i mod 2. */
static size_t users;
static void user_row(size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "%zu,0.5,%s,u%zu", i % 2, i % 2 ? "north" : "south", i % users);
}

START_TEST(test_limit_boundary)
{
    const char *dir = tu_scratch_dir("slices-limit");
    mg_suite *s;
    mg__data *d;

    /* MG__SLICES_MAX - 1 users and the overall slice: exactly the limit. */
    ck_assert_uint_eq(MG__SLICES_MAX, 65534);
    users = MG__SLICES_MAX - 1;
    write_holdout(dir, "label,p,region,user", users, user_row);
    d = load_ok(dir, "  user: user\n", &s);
    ck_assert_uint_eq(d->slicings[0].nlevels, MG__SLICES_MAX - 1);
    ck_assert_str_eq(d->slicings[0].labels[0], "user=u0");
    mg__data_free(d);
    mg_suite_free(s);

    users = MG__SLICES_MAX;
    write_holdout(dir, "label,p,region,user", users, user_row);
    load_fails(dir, "  user: user\n", 7, "slices.user",
               "slicing 'user' has more than 65,533 slices; a run may have at most "
               "65,534, the overall slice included: slice by a column with fewer "
               "distinct values, or bin a number column");
}
END_TEST

START_TEST(test_limit_shared)
{
    const char *dir = tu_scratch_dir("slices-shared");
    mg_suite *s;
    mg__data *d;

    /* 65,531 users, two regions and the overall slice: exactly the limit. */
    users = MG__SLICES_MAX - 3;
    write_holdout(dir, "label,p,region,user", users, user_row);
    d = load_ok(dir, "  region: region\n  user: user\n", &s);
    ck_assert_uint_eq(d->slicings[0].nlevels, 2);
    ck_assert_uint_eq(d->slicings[1].nlevels, MG__SLICES_MAX - 3);
    mg__data_free(d);
    mg_suite_free(s);

    /* One user more: alone they fit, beside the regions they do not, and the
     * slicing that comes second is the one blamed. */
    users = MG__SLICES_MAX - 2;
    write_holdout(dir, "label,p,region,user", users, user_row);
    d = load_ok(dir, "  user: user\n", &s);
    ck_assert_uint_eq(d->slicings[0].nlevels, MG__SLICES_MAX - 2);
    mg__data_free(d);
    mg_suite_free(s);
    load_fails(dir, "  region: region\n  user: user\n", 8, "slices.user",
               "slicing 'user' has more than 65,531 slices, what is left of the 65,534 "
               "a run may have after the overall slice and the 2 of earlier slicings: "
               "slice by a column with fewer distinct values, or bin a number column");
    load_fails(dir, "  user: user\n  region: region\n", 8, "slices.region",
               "slicing 'region' has more than 1 slice, what is left of the 65,534 "
               "a run may have after the overall slice and the 65,532 of earlier "
               "slicings: slice by a column with fewer distinct values, or bin a "
               "number column");
}
END_TEST

/* Row i: a = i mod ka, b = i mod kb (ka, kb coprime: every row its own pair). */
static size_t ka, kb;
static void cross_row(size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "%zu,0.5,a%zu,b%zu", i % 2, i % ka, i % kb);
}

START_TEST(test_limit_cross)
{
    const char *dir = tu_scratch_dir("slices-cross");
    static const char *const message =
        "slicing 'ab' has more than 65,533 slices; a run may have at most 65,534, "
        "the overall slice included: cross columns with fewer distinct values";

    /* 257 × 256 pairs in a key space numbered through the direct index. */
    ka = 257, kb = 256;
    write_holdout(dir, "label,p,a,b", ka * kb, cross_row);
    load_fails(dir, "  ab: [a, b]\n", 7, "slices.ab", message);

    /* 70,000 pairs in a key space of 2049 × 2048 > 2^22, numbered by a sort. */
    ka = 2049, kb = 2048;
    write_holdout(dir, "label,p,a,b", 70000, cross_row);
    load_fails(dir, "  ab: [a, b]\n", 7, "slices.ab", message);
}
END_TEST

static void bins_row(size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "%zu,0.5,%zu", i % 2, i);
}

START_TEST(test_limit_bins)
{
    const char *dir = tu_scratch_dir("slices-bins");
    size_t cap = 16 * (size_t)MG__SLICES_MAX + 64, len = 0;
    char *slices = malloc(cap);

    ck_assert_ptr_nonnull(slices);
    len += (size_t)snprintf(slices + len, cap - len, "  t: {column: t, bins: [");
    for (size_t b = 0; b < MG__SLICES_MAX; b++)
        len += (size_t)snprintf(slices + len, cap - len, "%s%zu", b ? ", " : "", b);
    snprintf(slices + len, cap - len, "]}\n");
    write_holdout(dir, "label,p,t", 10, bins_row);
    load_fails(dir, slices, 7, "slices.t",
               "slicing 't' has more than 65,533 slices; a run may have at most "
               "65,534, the overall slice included: use fewer bins");
    free(slices);
}
END_TEST

/* ---- edge: the host's locale ------------------------------------------------------
 */

/*
 * Switch LC_NUMERIC to a locale with a decimal comma: an installed one, or one
 * compiled into the scratch directory with localedef (found through LOCPATH).
 * Returns 0 when neither is possible.
 */
static int comma_locale(const char *dir)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                        "de_DE", "nl_NL.UTF-8"};
    char cmd[4400], buf[16];
    int ok;

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (setlocale(LC_NUMERIC, names[i]) != NULL)
            goto check;
    snprintf(cmd, sizeof cmd,
             "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1", dir);
    if (system(cmd) != 0 || setenv("LOCPATH", dir, 1) != 0)
        return 0;
    ok = setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
    /* loaded now; glibc's newlocale leaks its search list while LOCPATH is set */
    unsetenv("LOCPATH");
    if (!ok)
        return 0;
check:
    snprintf(buf, sizeof buf, "%.1f", 1.5);
    ck_assert_str_eq(buf, "1,5"); /* the locale is in force for plain printf */
    return 1;
}

START_TEST(test_labels_ignore_lc_numeric)
{
    const char *dir = tu_scratch_dir("slices-locale");
    mg_error err = MG_ERROR_INIT;
    mg_suite *s;
    mg__data *d = NULL;
    char buf[16], line[2048];
    int rc;

    write_holdout(dir, "label,p,region,plan,t", NROWS, core_row);
    /* The suite is read in the C locale: this tests the slices, not the reader. */
    s = suite_ok(write_suite(dir, slices_core));
    if (!comma_locale(dir)) {
        fprintf(stderr, "note: no locale with a decimal comma available; "
                        "test_labels_ignore_lc_numeric skipped\n");
        mg_suite_free(s);
        return;
    }
    rc = mg__data_load(&d, s, NULL, &err);
    mg_error_format(&err, line, sizeof line);
    ck_assert_msg(rc == 0, "%s", line);
    ck_assert_str_eq(d->slicings[2].labels[1], "t=[0, 6.5)");
    ck_assert_str_eq(d->slicings[2].labels[2], "t=[6.5, 12)");
    /* "6.5" still reads as a number, between -1 and 9 */
    ck_assert_str_eq(d->slicings[0].labels[1], "region=6.5");
    ck_assert_str_eq(d->slicings[0].labels[2], "region=9");

    /* the host's locale is in force again */
    snprintf(buf, sizeof buf, "%.1f", 1.5);
    ck_assert_str_eq(buf, "1,5");
    setlocale(LC_NUMERIC, "C");
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

/* ---- reference: membership against a scan ------------------------------------------
 */

static void mixed_row(size_t i, char *buf, size_t size)
{
    /* a small LCG: deterministic, uneven slice sizes */
    size_t h = (i * 2654435761u) % 1000003;
    snprintf(buf, size, "%zu,0.5,r%zu,%s,%.3f", i % 2, h % 13, h % 3 ? "basic" : "pro",
             (double)(h % 400) / 10 - 5);
}

START_TEST(test_members_match_scan)
{
    const char *dir = tu_scratch_dir("slices-members");
    const uint32_t *rows, *again;
    size_t count, n = 5000;
    mg_suite *s;
    mg__data *d;

    write_holdout(dir, "label,p,region,plan,t", n, mixed_row);
    d = load_ok(dir, slices_core, &s);
    for (size_t k = 0; k < d->nslicings; k++) {
        mg__slicing *sl = &d->slicings[k];
        size_t total = 0, in_some = 0;
        ck_assert_ptr_null(sl->rows); /* built on first use */
        for (size_t level = 0; level < sl->nlevels; level++) {
            size_t j = 0;
            ck_assert_int_eq(mg__slicing_members(sl, n, level, &rows, &count), 0);
            for (size_t i = 0; i < n; i++)
                if (sl->code[i] == level) {
                    ck_assert_uint_lt(j, count);
                    ck_assert_uint_eq(rows[j], i);
                    j++;
                }
            ck_assert_uint_eq(j, count);
            total += count;
        }
        for (size_t i = 0; i < n; i++)
            in_some += sl->code[i] != MG__NO_SLICE;
        ck_assert_uint_eq(total, in_some);
        /* the index is kept: the same rows again */
        ck_assert_int_eq(mg__slicing_members(sl, n, 0, &rows, &count), 0);
        ck_assert_int_eq(mg__slicing_members(sl, n, 0, &again, &count), 0);
        ck_assert_ptr_eq(rows, again);
        ck_assert_int_eq(mg__slicing_members(sl, n, sl->nlevels, &rows, &count),
                         MG_EINVAL);
    }
    /* the binned slicing's rows below its first edge have a slice: every row is in
     * one */
    ck_assert_str_eq(d->slicings[2].labels[0], "t=(-inf, 0)");
    ck_assert_uint_eq(d->slicings[2].start[d->slicings[2].nlevels], n);
    mg__data_free(d);
    mg_suite_free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("slices");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");
    TCase *reference = tcase_create("reference");

    tcase_add_test(core, test_labels_and_codes);
    tcase_add_test(core, test_missing_slice);
    tcase_add_test(core, test_quantiles);
    tcase_add_test(core, test_groups_filters_crosses);
    tcase_add_test(core, test_slicing_errors);
    tcase_add_test(edge, test_limit_boundary);
    tcase_add_test(edge, test_limit_shared);
    tcase_add_test(edge, test_limit_cross);
    tcase_add_test(edge, test_limit_bins);
    tcase_add_test(edge, test_labels_ignore_lc_numeric);
    tcase_add_test(reference, test_members_match_scan);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    suite_add_tcase(s, reference);
    return tu_run(s);
}
