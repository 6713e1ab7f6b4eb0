/*
 * The tables that drive the reading of a suite's map sections (not installed),
 * shared by harness/suite.c (the file, data, models, bootstrap, slices) and
 * harness/suite_tests.c (tests).
 *
 * A section is a NULL-terminated array of mg__field rows, one per key, in the order
 * in which values are read. mg__suite_section checks the map as a whole against the
 * rows' names (unknown keys with a suggestion, reserved keys "not supported yet",
 * duplicates) and then reads each row: read when the key is present, else absent.
 * A key that is a string, a number or a boolean needs only a row with the generic
 * reader and the offsets of its storage; any other gets a small read function.
 */
#ifndef MG_HARNESS_SUITE_FIELDS_H
#define MG_HARNESS_SUITE_FIELDS_H

#include <stddef.h>

#include "modelgate/suite.h"

#include "harness/yaml.h"

/* What the reading needs at hand: where to report, and the suite being filled. */
typedef struct mg__suite_ctx {
    mg__yaml_reader r; /* the suite path as given, the caller's error record */
    mg_suite *suite;
} mg__suite_ctx;

typedef struct mg__field mg__field;

/*
 * One key of a map section. read turns the value v into obj (the struct the section
 * fills); absent handles a map without the key. Both return 0 or a negative MG_E*
 * code with the error reported. The generic readers find where to store through
 * value, has and loc: byte offsets into obj plus one (MG__FIELD), so that a row that
 * leaves one out means none.
 */
struct mg__field {
    const char *name;
    int (*read)(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                void *obj);
    /* NULL: nothing, except that a row with loc records the default's location
     * (line 0, the key the value would have). */
    int (*absent)(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *map,
                  void *obj);
    size_t value; /* where the value goes */
    size_t has;   /* an int set to 1 when the key is given */
    size_t loc;   /* the mg_loc recording where the value was written; the table
                     walk records it after read succeeds */
    int arg;      /* a constant for read (the mg_comparison of a comparison key) */
};

/* Rows of a section's table, its NULL row excluded. */
#define MG__FIELDS_MAX 32

/*
 * The schema's sections, for the check that docs/man/modelgate-suite.5 documents
 * every key and no other (tests/test_manual.c): each a key path ("" for the top
 * level, "data", "models.NAME", "bootstrap", "slices.NAME", "checks[]", "tests[]"), its
 * rows and its reserved keys.
 */
typedef struct mg__schema_section {
    const char *path;
    const mg__field *fields;     /* NULL-terminated */
    const char *const *reserved; /* NULL-terminated, or NULL */
} mg__schema_section;

/* The sections in the order of a suite file, into out[] (room for max); returns
 * their number, which may exceed max (then only max are written). */
size_t mg__suite_schema(mg__schema_section *out, size_t max);

/* suite_checks.c's table of a data check's keys. */
const mg__field *mg__suite_check_fields(void);

/* suite_tests.c's table of a test's keys and its reserved keys. */
const mg__field *mg__suite_test_fields(const char *const **reserved);
/* The drift[] table (harness/suite_drift.c), for mg__suite_schema. */
const mg__field *mg__suite_drift_fields(void);

/* A field's storage offset in a row, and the storage it names in obj. */
#define MG__FIELD(type, member)         (offsetof(type, member) + 1)
#define MG__FIELD_AT(type, obj, offset) ((type *)(void *)((char *)(obj) + (offset)-1))
/* Placed after a table: it has no more rows than mg__suite_section can hold. */
#define MG__FIELDS_FIT(table)                                                          \
    _Static_assert(sizeof(table) / sizeof(table)[0] <= MG__FIELDS_MAX + 1,             \
                   #table " has more than MG__FIELDS_MAX rows")

/* Check map as a whole against the rows' names and `reserved` (unknown keys are
 * "unknown <noun> 'x'"), then read the rows in order into obj. */
int mg__suite_section(mg__suite_ctx *c, const mg__yaml_node *map,
                      const mg__field *fields, const char *const *reserved,
                      const char *noun, void *obj);

/* The location of `at` (NULL: line 0) under the key path of `under`, followed by
 * ".name" when name is not NULL. */
void mg__suite_loc(const mg__yaml_node *at, const mg__yaml_node *under,
                   const char *name, mg_loc *loc);

/* A copy of s in *out (freeing what *out held); MG_ENOMEM reported. */
int mg__suite_copy(mg__suite_ctx *c, const char *s, char **out);

/* absent: "missing required key". */
int mg__field_required(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *map,
                       void *obj);
/* read: a string copied into the char * at value. */
int mg__field_string(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj);
/* read: a number into the double at value; the int at has (if any) set to 1. */
int mg__field_number(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj);
/* read: on_undefined (error | skip) into the mg_on_undefined at value. */
int mg__suite_read_on_undefined(mg__suite_ctx *c, const mg__field *f,
                                const mg__yaml_node *v, void *obj);
/* read: true or false into the int at value. */
int mg__field_bool(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                   void *obj);

/* A `where` filter (a map of columns to a value, a list or operators) into *out,
 * *n conditions; mg__suite_where_free frees them (NULL allowed). */
int mg__suite_where(mg__suite_ctx *c, const mg__yaml_node *v, mg_where_cond **out,
                    size_t *n);
void mg__suite_where_free(mg_where_cond *w, size_t n);
/* read: a path, resolved against the suite file's directory, into the char * at
 * value. */
int mg__field_path(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                   void *obj);

/* read of the top-level `drift` (harness/suite_drift.c); obj is the mg_suite. */
int mg__suite_drift(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                    void *obj);
/* Free a suite's drift tests. */
void mg__suite_drift_free(mg_suite *s);

/* read: a model declared under models:, copied into the char * at value. */
int mg__suite_read_model(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj);

/* read: strict, lenient or estimate into the mg_rule at value. */
int mg__suite_read_rule(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                        void *obj);

/* read of the top-level `checks` (harness/suite_checks.c); obj is the mg_suite. */
int mg__suite_checks(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj);
/* Free what a check spec owns (not the spec itself). */
void mg__check_spec_clear(mg_check_spec *k);

/* read of the top-level `tests` (harness/suite_tests.c); obj is the mg_suite. */
/* The deepest weak_slices search: combinations of up to this many columns. */
#define MG_WEAK_DEPTH_MAX 4

/* Why `metric` cannot serve a weak-slice search (its complement is not a
 * difference of sums, or it is descriptive), or NULL (harness/weak_spec.c). */
const char *mg__weak_metric_refusal(int metric);

/* Split a weak column "name" or "name:K" (K quantile bins, 1 < K <= 1000) into a
 * copy of its name and K (0 for categories). Returns 0, MG_EINVAL for a K that is
 * not such a number, or MG_ENOMEM (harness/weak_spec.c). */
int mg__weak_column(const char *text, char **name, size_t *quantiles);

/* Append the slicings of weak_slices test t to s: every combination of up to
 * t->weak_depth of its columns, as mg_slicing_spec.discovery slicings; sets
 * t->weak_first and t->weak_count. Returns 0 or MG_ENOMEM (harness/weak_spec.c). */
int mg__suite_weak_slicings(mg_suite *s, mg_test_spec *t);

int mg__suite_tests(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                    void *obj);

#endif
