/*
 * Tests of the public API's versioning (include/modelgate/version.h, the options
 * structs of run.h, report.h and table.h, common/options.c).
 *
 * core: each options struct's _INIT macro and its _init() function give the same
 * bytes, as libgit2's tests/libgit2/core/structinit.c checks for git_*_options.
 * edge: unknown versions are refused, by the _init functions and by the functions
 * that take the structs.
 * reference: the generated version.h against the version in the top-level
 * CMakeLists.txt, and against mg_version().
 */
#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/modelgate.h"
#include "testutil.h"

/* Written over every struct first, so that a byte the initialiser leaves alone
 * shows up as a difference. */
#define JUNK 0xA5

/*
 * The macro's struct and the function's, byte for byte, with every version from 1
 * to the current one accepted by the function. The macro's side is a static object
 * initialised by the macro and copied whole: padding bytes of an automatic struct
 * are unspecified after `x = INIT`, and a static object's are zero (C11 6.7.9 §10),
 * which is what the _init functions copy too.
 */
#define CHECK_INIT_AGREES(type, latest, init_macro, init_fn)                           \
    do {                                                                               \
        static const type from_macro = init_macro;                                     \
        type by_macro, by_fn;                                                          \
        memset(&by_macro, JUNK, sizeof by_macro);                                      \
        memset(&by_fn, JUNK, sizeof by_fn);                                            \
        memcpy(&by_macro, &from_macro, sizeof by_macro);                               \
        ck_assert_int_eq(init_fn(&by_fn, latest), 0);                                  \
        ck_assert_msg(memcmp(&by_macro, &by_fn, sizeof by_fn) == 0,                    \
                      "%s and %s differ at byte %zu", #init_macro, #init_fn,           \
                      first_difference(&by_macro, &by_fn, sizeof by_fn));              \
        ck_assert_uint_eq(by_fn.version, latest);                                      \
        for (unsigned int v_ = 1; v_ < (latest); v_++)                                 \
            ck_assert_int_eq(init_fn(&by_fn, v_), 0);                                  \
    } while (0)

/* An unknown version (0, or one past the current) and a NULL struct are
 * MG_EINVAL, and the struct is left as it was. */
#define CHECK_INIT_REFUSES(type, latest, init_fn)                                      \
    do {                                                                               \
        const unsigned int bad_[] = {0, (latest) + 1, 0xFFFFFFFFu};                    \
        type junk_, o_;                                                                \
        memset(&junk_, JUNK, sizeof junk_);                                            \
        for (size_t i_ = 0; i_ < sizeof bad_ / sizeof bad_[0]; i_++) {                 \
            memcpy(&o_, &junk_, sizeof o_);                                            \
            ck_assert_int_eq(init_fn(&o_, bad_[i_]), MG_EINVAL);                       \
            ck_assert_msg(memcmp(&o_, &junk_, sizeof o_) == 0,                         \
                          "%s(%u) changed the struct it refused", #init_fn, bad_[i_]); \
        }                                                                              \
        ck_assert_int_eq(init_fn(NULL, latest), MG_EINVAL);                            \
    } while (0)

static size_t first_difference(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    size_t i = 0;
    while (i < n && p[i] == q[i])
        i++;
    return i;
}

/* ---- core ---------------------------------------------------------------------- */

START_TEST(core_init_agrees)
{
    CHECK_INIT_AGREES(mg_run_options, MG_RUN_OPTIONS_VERSION, MG_RUN_OPTIONS_INIT,
                      mg_run_options_init);
    CHECK_INIT_AGREES(mg_console_options, MG_CONSOLE_OPTIONS_VERSION,
                      MG_CONSOLE_OPTIONS_INIT, mg_console_options_init);
    CHECK_INIT_AGREES(mg_csv_options, MG_CSV_OPTIONS_VERSION, MG_CSV_OPTIONS_INIT,
                      mg_csv_options_init);
}
END_TEST

/* The defaults the headers document, through the function. */
START_TEST(core_init_defaults)
{
    mg_run_options r;
    mg_console_options c;
    mg_csv_options v;

    ck_assert_int_eq(mg_run_options_init(&r, MG_RUN_OPTIONS_VERSION), 0);
    ck_assert_int_eq(r.mode, MG_RUN_TESTS);
    ck_assert_int_eq(r.has_seed, 0);
    ck_assert_uint_eq(r.replicates, 0);
    ck_assert_uint_eq(r.threads, 0);
    ck_assert_double_eq(r.max_memory, 0);
    ck_assert_ptr_null(r.progress);
    ck_assert(r.cancel == NULL);
    ck_assert_int_eq(mg_console_options_init(&c, MG_CONSOLE_OPTIONS_VERSION), 0);
    ck_assert_int_eq(c.color, 0);
    ck_assert_int_eq(c.verbose, 0);
    ck_assert_int_eq(mg_csv_options_init(&v, MG_CSV_OPTIONS_VERSION), 0);
    ck_assert_int_eq(v.delimiter, ',');
    ck_assert_ptr_null(v.id);
    ck_assert_ptr_null(v.join_to);
}
END_TEST

/* ---- edge ---------------------------------------------------------------------- */

START_TEST(edge_init_refuses_unknown_versions)
{
    CHECK_INIT_REFUSES(mg_run_options, MG_RUN_OPTIONS_VERSION, mg_run_options_init);
    CHECK_INIT_REFUSES(mg_console_options, MG_CONSOLE_OPTIONS_VERSION,
                       mg_console_options_init);
    CHECK_INIT_REFUSES(mg_csv_options, MG_CSV_OPTIONS_VERSION, mg_csv_options_init);
}
END_TEST

/* mg_run_suite refuses a struct from a newer header, or one never initialised
 * (version 0), before it reads anything. */
START_TEST(edge_run_refuses_unknown_versions)
{
    const unsigned int bad[] = {0, MG_RUN_OPTIONS_VERSION + 1, 0xFFFFFFFFu};
    mg_error err = MG_ERROR_INIT;
    mg_suite *suite = NULL;

    ck_assert_msg(mg_suite_load(&suite, tu_src("examples/churn/suite.yaml"), &err) == 0,
                  "%s", err.message);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mg_run_options o = MG_RUN_OPTIONS_INIT;
        mg_report *r = (mg_report *)&o; /* must come back NULL */
        o.version = bad[i];
        mg_error_clear(&err);
        ck_assert_int_eq(mg_run_suite(&r, suite, &o, &err), MG_EINVAL);
        ck_assert_ptr_null(r);
        ck_assert_int_eq(err.code, MG_EINVAL);
        ck_assert_msg(strstr(err.message, "mg_run_options") != NULL, "%s", err.message);
    }
    mg_suite_free(suite);
}
END_TEST

/* mg_table_load_csv refuses a struct from a newer header; a zeroed struct still
 * reads as the defaults (table.h). */
START_TEST(edge_csv_refuses_newer_versions)
{
    const char *path = tu_src("examples/churn/data/holdout.csv");
    mg_column_request col = {"customer_id", MG_COLUMN_CATEGORY};
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_table *t = (mg_table *)&o; /* must come back NULL */

    o.version = MG_CSV_OPTIONS_VERSION + 1;
    ck_assert_int_eq(mg_table_load_csv(&t, path, &o, &col, 1, &err), MG_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_msg(strstr(err.message, "mg_csv_options") != NULL, "%s", err.message);

    memset(&o, 0, sizeof o);
    mg_error_clear(&err);
    ck_assert_msg(mg_table_load_csv(&t, path, &o, &col, 1, &err) == 0, "%s",
                  err.message);
    ck_assert_uint_eq(mg_table_rows(t), 4000);
    mg_table_free(t);
}
END_TEST

/* An older version's struct is shorter: _init for it writes nothing past its last
 * field and stamps the version asked for, which is what the library then reads. */
START_TEST(edge_init_older_versions_stay_in_bounds)
{
    mg_run_options r;
    mg_console_options k;
    size_t run_v1 = offsetof(mg_run_options, with_metrics);
    size_t console_v1 = offsetof(mg_console_options, only_failures);

    memset(&r, JUNK, sizeof r);
    ck_assert_int_eq(mg_run_options_init(&r, 1), 0);
    ck_assert_uint_eq(r.version, 1);
    for (size_t i = run_v1; i < sizeof r; i++)
        ck_assert_uint_eq(((unsigned char *)&r)[i], JUNK);
    /* Version 2 ends before with_plots (version 3). */
    memset(&r, JUNK, sizeof r);
    ck_assert_int_eq(mg_run_options_init(&r, 2), 0);
    ck_assert_uint_eq(r.version, 2);
    ck_assert_int_eq(r.with_metrics, 0);
    for (size_t i = offsetof(mg_run_options, with_plots); i < sizeof r; i++)
        ck_assert_uint_eq(((unsigned char *)&r)[i], JUNK);
    {
        mg_csv_options o;
        memset(&o, JUNK, sizeof o);
        ck_assert_int_eq(mg_csv_options_init(&o, 2), 0);
        ck_assert_uint_eq(o.version, 2);
        for (size_t i = offsetof(mg_csv_options, absent); i < sizeof o; i++)
            ck_assert_uint_eq(((unsigned char *)&o)[i], JUNK);
    }
    memset(&k, JUNK, sizeof k);
    ck_assert_int_eq(mg_console_options_init(&k, 1), 0);
    ck_assert_uint_eq(k.version, 1);
    for (size_t i = console_v1; i < sizeof k; i++)
        ck_assert_uint_eq(((unsigned char *)&k)[i], JUNK);
}
END_TEST

/* The console printers refuse options from a header they do not know. */
START_TEST(edge_console_refuses_unknown_versions)
{
    mg_report r;
    mg_console_options o = MG_CONSOLE_OPTIONS_INIT;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    memset(&r, 0, sizeof r);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(mg_report_print_cases(&r, f, &o), 0);
    ck_assert_int_eq(mg_report_print_metrics(&r, f, &o), 0);
    o.version = 0;
    ck_assert_int_eq(mg_report_print_cases(&r, f, &o), MG_EINVAL);
    o.version = MG_CONSOLE_OPTIONS_VERSION + 1;
    ck_assert_int_eq(mg_report_print_metrics(&r, f, &o), MG_EINVAL);
    fclose(f);
    free(buf);
}
END_TEST

/* ---- reference ----------------------------------------------------------------- */

#if !MG_AT_LEAST_VERSION(0, 0, 0) || MG_AT_LEAST_VERSION(255, 255, 255)
#error "MG_AT_LEAST_VERSION does not work in #if"
#endif

/* The numbers the header gives agree with each other and with the library. */
START_TEST(reference_version_macros)
{
    char spelled[64];

    snprintf(spelled, sizeof spelled, "%d.%d.%d", MG_VERSION_MAJOR, MG_VERSION_MINOR,
             MG_VERSION_PATCH);
    ck_assert_str_eq(spelled, MG_VERSION_STRING);
    ck_assert_str_eq(mg_version(), MG_VERSION_STRING);
    ck_assert_int_eq(MG_VERSION_NUM, MG_VERSION_MAJOR * 65536 + MG_VERSION_MINOR * 256 +
                                         MG_VERSION_PATCH);
    ck_assert_int_eq(MG_VERSION_BITS(1, 2, 3), 0x010203);
    ck_assert(
        MG_AT_LEAST_VERSION(MG_VERSION_MAJOR, MG_VERSION_MINOR, MG_VERSION_PATCH));
    ck_assert(MG_AT_LEAST_VERSION(0, 0, 0));
    ck_assert(
        !MG_AT_LEAST_VERSION(MG_VERSION_MAJOR, MG_VERSION_MINOR, MG_VERSION_PATCH + 1));
    ck_assert(!MG_AT_LEAST_VERSION(MG_VERSION_MAJOR, MG_VERSION_MINOR + 1, 0));
    ck_assert(!MG_AT_LEAST_VERSION(MG_VERSION_MAJOR + 1, 0, 0));
}
END_TEST

/* The generated header against the one place the version is written: the
 * top-level CMakeLists.txt's project(modelgate VERSION x.y.z). */
START_TEST(reference_version_from_cmake)
{
    char *text = tu_slurp(tu_src("CMakeLists.txt"), NULL);
    const char *at;
    int major = -1, minor = -1, patch = -1;

    ck_assert_ptr_nonnull(text);
    at = strstr(text, "project(modelgate VERSION ");
    ck_assert_ptr_nonnull(at);
    ck_assert_int_eq(
        sscanf(at, "project(modelgate VERSION %d.%d.%d", &major, &minor, &patch), 3);
    ck_assert_int_eq(major, MG_VERSION_MAJOR);
    ck_assert_int_eq(minor, MG_VERSION_MINOR);
    ck_assert_int_eq(patch, MG_VERSION_PATCH);
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api");
    TCase *tc;

    tc = tcase_create("core");
    tcase_add_test(tc, core_init_agrees);
    tcase_add_test(tc, core_init_defaults);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, edge_init_refuses_unknown_versions);
    tcase_add_test(tc, edge_run_refuses_unknown_versions);
    tcase_add_test(tc, edge_csv_refuses_newer_versions);
    tcase_add_test(tc, edge_console_refuses_unknown_versions);
    tcase_add_test(tc, edge_init_older_versions_stay_in_bounds);
    suite_add_tcase(s, tc);
    tc = tcase_create("reference");
    tcase_add_test(tc, reference_version_macros);
    tcase_add_test(tc, reference_version_from_cmake);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
