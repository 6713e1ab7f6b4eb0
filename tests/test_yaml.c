/*
 * Tests of the strict YAML reader alone (harness/yaml.h, harness/yaml.c,
 * harness/yaml_read.c), without modelgate's schema; tests/test_suite.c covers the
 * schema and, through mg_suite_load, the reader's file-level errors.
 *
 * core: conversions (one table row per input), the readers on a value (one row per
 * value and type: the result, or the message and column), map checks (unknown keys
 * with suggestions, reserved keys, duplicates, keys that are not names), and the
 * tree: every node's line, column and key path in a nested document with an alias,
 * asserted in the order of a preorder walk. Lines and columns were counted by hand
 * (1-based) and agree with PyYAML's node marks (yaml.compose) plus one.
 * edge: the limits and the noun that names the file, key paths cut to the size of
 * mg_error's key, numbers under a comma-decimal locale, suggestions and duplicates.
 */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness/yaml.h"
#include "testutil.h"

static const mg__yaml_limits limits = {"test file", 1 << 20, 8, 4, 64};

static mg__yaml_doc *parse_ok(const char *text)
{
    mg__yaml_doc *doc = NULL;
    mg_error err = MG_ERROR_INIT;
    int rc = mg__yaml_parse(&doc, "t.yaml", (const unsigned char *)text, strlen(text),
                            &limits, &err);

    ck_assert_msg(rc == 0, "%s: %s", text, err.message);
    return doc;
}

static void assert_err(const mg_error *err, unsigned long line, unsigned long column,
                       const char *key, const char *message)
{
    ck_assert_str_eq(err->message, message);
    ck_assert_str_eq(err->file, "t.yaml");
    ck_assert_str_eq(err->key, key);
    ck_assert_msg(err->line == line && err->column == column,
                  "%s: at %lu:%lu, expected %lu:%lu", message, err->line, err->column,
                  line, column);
}

/* ---- conversions --------------------------------------------------------------- */

typedef struct double_case {
    const char *s;
    int status;
    double value;
} double_case;

static const double_case doubles[] = {
    {"0", MG__YAML_NUM_OK, 0},          {"0.95", MG__YAML_NUM_OK, 0.95},
    {"-1e-3", MG__YAML_NUM_OK, -0.001}, {"+.5", MG__YAML_NUM_OK, 0.5},
    {"1.", MG__YAML_NUM_OK, 1},         {"2E+2", MG__YAML_NUM_OK, 200},
    {"1e308", MG__YAML_NUM_OK, 1e308},  {"1e999", MG__YAML_NUM_RANGE, 0},
    {"-1e999", MG__YAML_NUM_RANGE, 0},  {"", MG__YAML_NUM_SYNTAX, 0},
    {".", MG__YAML_NUM_SYNTAX, 0},      {"-", MG__YAML_NUM_SYNTAX, 0},
    {"1e", MG__YAML_NUM_SYNTAX, 0},     {"1e+", MG__YAML_NUM_SYNTAX, 0},
    {".inf", MG__YAML_NUM_SYNTAX, 0},   {".nan", MG__YAML_NUM_SYNTAX, 0},
    {"nan", MG__YAML_NUM_SYNTAX, 0},    {"0x10", MG__YAML_NUM_SYNTAX, 0},
    {"1,5", MG__YAML_NUM_SYNTAX, 0},    {" 1", MG__YAML_NUM_SYNTAX, 0},
    {"1 ", MG__YAML_NUM_SYNTAX, 0},     {"1_000", MG__YAML_NUM_SYNTAX, 0},
};

START_TEST(test_to_double)
{
    const double_case *t = &doubles[_i];
    double x = -7;
    int st = mg__yaml_to_double(t->s, &x);

    ck_assert_msg(st == t->status, "'%s': status %d", t->s, st);
    if (st == MG__YAML_NUM_OK)
        ck_assert_double_eq(x, t->value);
    else
        ck_assert_double_eq(x, -7); /* untouched */
}
END_TEST

typedef struct integer_case {
    const char *s;
    int status, negative;
    uint64_t magnitude;
} integer_case;

static const integer_case integers[] = {
    {"0", MG__YAML_NUM_OK, 0, 0},
    {"+42", MG__YAML_NUM_OK, 0, 42},
    {"-0", MG__YAML_NUM_OK, 1, 0},
    {"-17", MG__YAML_NUM_OK, 1, 17},
    {"18446744073709551615", MG__YAML_NUM_OK, 0, UINT64_MAX},
    {"18446744073709551616", MG__YAML_NUM_RANGE, 0, 0},
    {"-99999999999999999999999", MG__YAML_NUM_RANGE, 1, 0},
    {"99999999999999999999999x", MG__YAML_NUM_SYNTAX, 0, 0},
    {"", MG__YAML_NUM_SYNTAX, 0, 0},
    {"-", MG__YAML_NUM_SYNTAX, 1, 0},
    {"1.0", MG__YAML_NUM_SYNTAX, 0, 0},
    {"1e3", MG__YAML_NUM_SYNTAX, 0, 0},
    {"0x1F", MG__YAML_NUM_SYNTAX, 0, 0},
};

START_TEST(test_to_integer)
{
    const integer_case *t = &integers[_i];
    uint64_t m = 7;
    int negative = -1, st = mg__yaml_to_integer(t->s, &negative, &m);

    ck_assert_msg(st == t->status, "'%s': status %d", t->s, st);
    ck_assert_int_eq(negative, t->negative);
    if (st == MG__YAML_NUM_OK)
        ck_assert(m == t->magnitude);
}
END_TEST

/* ---- readers on one value ------------------------------------------------------ */

enum { STRING, NUMBER, UINT, BOOL, ENUM, LIST };

typedef struct read_case {
    const char *value; /* written as "v: <value>" */
    int type;
    const char *want;     /* STRING: the string; ENUM: the name; else NULL */
    double number;        /* NUMBER, UINT, BOOL: the value */
    unsigned long column; /* of the error (line 1), 0 when the read succeeds */
    const char *message;
} read_case;

static const char *const colours[] = {"red", "green", "blue", NULL};

static const read_case reads[] = {
    /* Strings: any non-empty scalar, whatever its style. */
    {"abc", STRING, "abc", 0, 0, NULL},
    {"1", STRING, "1", 0, 0, NULL},
    {"'1'", STRING, "1", 0, 0, NULL},
    {"true", STRING, "true", 0, 0, NULL},
    {"|-\n  block", STRING, "block", 0, 0, NULL},
    {"\"\"", STRING, NULL, 0, 4, "expected a non-empty string"},
    {"", STRING, NULL, 0, 3, "expected a string, got an empty value"},
    {"~", STRING, NULL, 0, 4, "expected a string, got null"},
    {"Null", STRING, NULL, 0, 4, "expected a string, got null"},
    {"'null'", STRING, "null", 0, 0, NULL},
    {"[a]", STRING, NULL, 0, 4, "expected a string, got a list"},
    {"{a: 1}", STRING, NULL, 0, 4, "expected a string, got a map"},
    {"\"a\\0b\"", STRING, NULL, 0, 4, "expected a string without NUL characters"},
    /* Numbers: plain scalars only. */
    {"0.25", NUMBER, NULL, 0.25, 0, NULL},
    {"-3", NUMBER, NULL, -3, 0, NULL},
    {"\"0.5\"", NUMBER, NULL, 0, 4, "expected a number, got a quoted string '0.5'"},
    {"1e999", NUMBER, NULL, 0, 4, "expected a finite number, got '1e999'"},
    {".inf", NUMBER, NULL, 0, 4, "expected a number, got '.inf'"},
    {"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", NUMBER, NULL, 0, 4,
     "expected a number, got 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn...'"},
    /* Integers in [1, 100]. */
    {"7", UINT, NULL, 7, 0, NULL},
    {"+100", UINT, NULL, 100, 0, NULL},
    {"0", UINT, NULL, 0, 4, "expected an integer between 1 and 100, got '0'"},
    {"101", UINT, NULL, 0, 4, "expected an integer between 1 and 100, got '101'"},
    {"-5", UINT, NULL, 0, 4, "expected an integer between 1 and 100, got '-5'"},
    {"1.5", UINT, NULL, 0, 4, "expected an integer, got '1.5'"},
    {"'7'", UINT, NULL, 0, 4, "expected an integer, got a quoted string '7'"},
    /* Booleans: plain true and false only. */
    {"true", BOOL, NULL, 1, 0, NULL},
    {"false", BOOL, NULL, 0, 0, NULL},
    {"yes", BOOL, NULL, 0, 4, "expected true or false, got 'yes'"},
    {"True", BOOL, NULL, 0, 4, "expected true or false, got 'True'"},
    {"'true'", BOOL, NULL, 0, 4, "expected true or false, got a quoted string 'true'"},
    /* Enumerations: a suggestion when one is close, else the list. */
    {"green", ENUM, "green", 0, 0, NULL},
    {"gren", ENUM, NULL, 0, 4, "unknown colour 'gren' (did you mean 'green'?)"},
    {"bleu", ENUM, NULL, 0, 4, "unknown colour 'bleu' (did you mean 'blue'?)"},
    {"purple", ENUM, NULL, 0, 4,
     "unknown colour 'purple' (expected red, green or blue)"},
    {"[red]", ENUM, NULL, 0, 4, "expected a string, got a list"},
    /* Lists. */
    {"[1, 2]", LIST, NULL, 0, 0, NULL},
    {"{a: 1}", LIST, NULL, 0, 4, "expected a list, got a map"},
};

START_TEST(test_read)
{
    const read_case *t = &reads[_i];
    char text[256];
    mg__yaml_doc *doc;
    const mg__yaml_node *v;
    mg_error err = MG_ERROR_INIT;
    mg__yaml_reader r = {"t.yaml", &err};
    const char *s = NULL;
    double x = 0;
    uint64_t u = 0;
    int b = -1, k = -1, rc = -1;

    snprintf(text, sizeof text, "v: %s\n", t->value);
    doc = parse_ok(text);
    v = mg__yaml_get(mg__yaml_root(doc), "v");
    ck_assert_ptr_nonnull(v);
    switch (t->type) {
    case STRING:
        rc = mg__yaml_string(&r, v, &s);
        break;
    case NUMBER:
        rc = mg__yaml_number(&r, v, &x);
        break;
    case UINT:
        rc = mg__yaml_uint(&r, v, 1, 100, &u);
        x = (double)u;
        break;
    case BOOL:
        rc = mg__yaml_bool(&r, v, &b);
        x = b;
        break;
    case ENUM:
        rc = mg__yaml_enum(&r, v, "colour", colours, &k);
        s = k >= 0 ? colours[k] : NULL;
        break;
    case LIST:
        rc = mg__yaml_list(&r, v);
        break;
    }
    if (t->message == NULL) {
        ck_assert_msg(rc == 0, "'%s': %s", t->value, err.message);
        if (t->want != NULL)
            ck_assert_str_eq(s, t->want);
        else
            ck_assert_double_eq(x, t->number);
    } else {
        ck_assert_int_eq(rc, MG_EPARSE);
        ck_assert_int_eq(err.code, MG_EPARSE);
        assert_err(&err, 1, t->column, "v", t->message);
    }
    mg__yaml_free(doc);
}
END_TEST

/* ---- maps ---------------------------------------------------------------------- */

typedef struct map_case {
    const char *text; /* the map under m: */
    unsigned long line, column;
    const char *key, *message; /* NULL message: the map is accepted */
} map_case;

static const char *const known[] = {"replicates", "confidence", "interval", "id", NULL};
static const char *const reserved[] = {"stratify", NULL};

static const map_case maps[] = {
    {"m: {replicates: 1, id: x}\n", 0, 0, NULL, NULL},
    {"m: {}\n", 0, 0, NULL, NULL},
    {"m: {replicate: 1}\n", 1, 5, "m.replicate",
     "unknown key 'replicate' (did you mean 'replicates'?)"},
    {"m: {confidnece: 1}\n", 1, 5, "m.confidnece",
     "unknown key 'confidnece' (did you mean 'confidence'?)"},
    /* At most half the name: "ab" is two edits from "id" but suggests nothing. */
    {"m: {ab: 1}\n", 1, 5, "m.ab", "unknown key 'ab'"},
    {"m: {colour: red}\n", 1, 5, "m.colour", "unknown key 'colour'"},
    {"m: {stratify: label}\n", 1, 5, "m.stratify",
     "key 'stratify' is not supported yet"},
    {"m: {<<: {id: x}}\n", 1, 5, "m.<<", "merge keys ('<<') are not supported"},
    {"m:\n  id: a\n  interval: b\n  id: c\n", 4, 3, "m.id",
     "duplicate key 'id' (first at line 2)"},
    /* The earliest repeat is reported, at its second occurrence. */
    {"m: {interval: a, id: b, id: c, interval: d}\n", 1, 25, "m.id",
     "duplicate key 'id' (first at line 1)"},
    {"m: {~: 1}\n", 1, 5, "m", "expected a name as key, got null"},
    {"m: {\"\": 1}\n", 1, 5, "m", "expected a name as key, got a quoted string ''"},
    {"m:\n  ? [a]\n  : 1\n", 2, 5, "m", "expected a name as key, got a list"},
    {"m: {\"i\\0d\": 1}\n", 1, 5, "m", "expected a key without NUL characters"},
    {"m: [id]\n", 1, 4, "m", "expected a map, got a list"},
    {"m: 3\n", 1, 4, "m", "expected a map, got '3'"},
};

START_TEST(test_check_map)
{
    const map_case *t = &maps[_i];
    mg__yaml_doc *doc = parse_ok(t->text);
    mg_error err = MG_ERROR_INIT;
    mg__yaml_reader r = {"t.yaml", &err};
    const mg__yaml_node *m = mg__yaml_get(mg__yaml_root(doc), "m");
    int rc = mg__yaml_check_map(&r, m, known, reserved, "key");

    if (t->message == NULL) {
        ck_assert_msg(rc == 0, "%s: %s", t->text, err.message);
    } else {
        ck_assert_int_eq(rc, MG_EPARSE);
        assert_err(&err, t->line, t->column, t->key, t->message);
    }
    mg__yaml_free(doc);
}
END_TEST

START_TEST(test_map_lookup)
{
    mg__yaml_doc *doc = parse_ok("a: 1\nb: {c: 2}\n");
    const mg__yaml_node *root = mg__yaml_root(doc), *b;
    mg_error err = MG_ERROR_INIT;
    mg__yaml_reader r = {"t.yaml", &err};

    /* Any name is allowed without a list of known keys. */
    ck_assert_int_eq(mg__yaml_check_map(&r, root, NULL, NULL, "model"), 0);
    ck_assert_str_eq(mg__yaml_get(root, "a")->text, "1");
    ck_assert_ptr_null(mg__yaml_get(root, "c"));
    b = mg__yaml_get(root, "b");
    ck_assert_ptr_null(mg__yaml_get(mg__yaml_get(root, "a"), "a")); /* not a map */
    /* A missing key: at its map, under the path it would have. */
    ck_assert_int_eq(mg__yaml_missing(&r, b, "d"), MG_EPARSE);
    assert_err(&err, 2, 4, "b.d", "missing required key 'd'");
    /* At a key, under its value's path. */
    mg__yaml_fail_key(&r, mg__yaml_get(b, "c")->key, mg__yaml_get(b, "c"), NULL, "x%d",
                      1);
    assert_err(&err, 2, 5, "b.c", "x1");
    mg__yaml_free(doc);
}
END_TEST

/* ---- the tree ------------------------------------------------------------------ */

typedef struct seen {
    const char *path; /* key path, with "(key)" after a key node's */
    mg__yaml_kind kind;
    unsigned long line, column;
} seen;

static const char tree_text[] = "name: x\n"                  /* 1 */
                                "list:\n"                    /* 2 */
                                "  - &a {k: 1, j: [2, 3]}\n" /* 3 */
                                "  - *a\n"                   /* 4 */
                                "  - 'q'\n";                 /* 5 */

static const seen tree_nodes[] = {
    {"", MG__YAML_MAP, 1, 1},
    {"(key)", MG__YAML_SCALAR, 1, 1},
    {"name", MG__YAML_SCALAR, 1, 7},
    {"(key)", MG__YAML_SCALAR, 2, 1},
    {"list", MG__YAML_SEQUENCE, 3, 3},
    {"list[0]", MG__YAML_MAP, 3, 5},
    {"list[0](key)", MG__YAML_SCALAR, 3, 9},
    {"list[0].k", MG__YAML_SCALAR, 3, 12},
    {"list[0](key)", MG__YAML_SCALAR, 3, 15},
    {"list[0].j", MG__YAML_SEQUENCE, 3, 18},
    {"list[0].j[0]", MG__YAML_SCALAR, 3, 19},
    {"list[0].j[1]", MG__YAML_SCALAR, 3, 22},
    /* The alias is a copy with the anchored node's marks and its own paths. */
    {"list[1]", MG__YAML_MAP, 3, 5},
    {"list[1](key)", MG__YAML_SCALAR, 3, 9},
    {"list[1].k", MG__YAML_SCALAR, 3, 12},
    {"list[1](key)", MG__YAML_SCALAR, 3, 15},
    {"list[1].j", MG__YAML_SEQUENCE, 3, 18},
    {"list[1].j[0]", MG__YAML_SCALAR, 3, 19},
    {"list[1].j[1]", MG__YAML_SCALAR, 3, 22},
    {"list[2]", MG__YAML_SCALAR, 5, 5},
};

static size_t walk(const mg__yaml_node *n, size_t i)
{
    const size_t total = sizeof tree_nodes / sizeof tree_nodes[0];
    char path[MG_ERROR_KEY_MAX], want[64];
    size_t j;

    ck_assert_uint_lt(i, total);
    mg__yaml_path(n, NULL, path, sizeof path);
    if (n->is_key)
        strcat(path, "(key)");
    snprintf(want, sizeof want, "%s", tree_nodes[i].path);
    ck_assert_str_eq(path, want);
    ck_assert_int_eq(n->kind, tree_nodes[i].kind);
    ck_assert_msg(n->line == tree_nodes[i].line && n->column == tree_nodes[i].column,
                  "%s: %lu:%lu", want, n->line, n->column);
    i++;
    for (j = 0; j < n->n; j++) {
        if (n->keys != NULL) {
            ck_assert_ptr_eq(n->items[j]->key, n->keys[j]);
            ck_assert_ptr_eq(n->keys[j]->parent, n);
            i = walk(n->keys[j], i);
        }
        ck_assert_ptr_eq(n->items[j]->parent, n);
        ck_assert_uint_eq(n->items[j]->index, j);
        i = walk(n->items[j], i);
    }
    return i;
}

START_TEST(test_tree)
{
    mg__yaml_doc *doc = parse_ok(tree_text);
    const mg__yaml_node *root = mg__yaml_root(doc), *q;
    char path[MG_ERROR_KEY_MAX];

    ck_assert_uint_eq(walk(root, 0), sizeof tree_nodes / sizeof tree_nodes[0]);
    ck_assert_ptr_null(root->parent);
    q = mg__yaml_get(root, "list")->items[2];
    ck_assert_str_eq(q->text, "q");
    ck_assert_int_eq(q->plain, 0);
    ck_assert_int_eq(mg__yaml_get(root, "name")->plain, 1);
    ck_assert_str_eq(mg__yaml_path(q, "more", path, sizeof path), "list[2].more");
    ck_assert_str_eq(mg__yaml_path(root, "top", path, sizeof path), "top");
    ck_assert_str_eq(mg__yaml_path(NULL, NULL, path, sizeof path), "");
    mg__yaml_free(doc);
    mg__yaml_free(NULL);
}
END_TEST

/* ---- edge ---------------------------------------------------------------------- */

typedef struct limit_case {
    const char *text;
    unsigned long line, column;
    const char *key, *message;
} limit_case;

/* limits: 8 levels, 4 anchors, 64 nodes; the file is a "test file". */
static const limit_case limit_cases[] = {
    {"", 0, 0, "", "empty test file"},
    {"# only a comment\n", 0, 0, "", "empty test file"},
    {"a: 1\n---\nb: 2\n", 3, 1, "", "test file holds more than one YAML document"},
    /* The root map is level 1 and the first '[' (column 4) level 2: the eighth '['
     * (column 11) is the first node past 8 levels. */
    {"a: [[[[[[[[1]]]]]]]]\n", 1, 11, "a", "test file nested deeper than 8 levels"},
    {"a: &x 1\nb: &y 2\nc: &z 3\nd: &w 4\ne: &v 5\n", 5, 4, "e",
     "test file has more than 4 anchors"},
    /* Visits: the root, a, the list and its 8 items, b and its list (13), then 9
     * per alias: the 65th is the sixth item ('6', column 23) of the sixth alias. */
    {"a: &l [1, 2, 3, 4, 5, 6, 7, 8]\nb: [*l, *l, *l, *l, *l, *l, *l, *l]\n", 1, 23,
     "b", "test file too large or too deeply nested (alias expansion)"},
    {"a: &s [*s]\n", 1, 4, "a", "test file nested deeper than 8 levels"},
    {"a: *nope\n", 1, 4, "", "invalid YAML: found undefined alias"},
    {"a: &x 1\nb: &x 2\n", 2, 4, "",
     "invalid YAML: second occurrence (found duplicate anchor; first occurrence at "
     "line 1)"},
    /* A composition error waits for the bounds, and wins over a later syntax error. */
    {"a: *nope\nb: [[[[[[[[1]]]]]]]]\n", 2, 11, "b",
     "test file nested deeper than 8 levels"},
    {"a: *nope\nb: [\n", 1, 4, "", "invalid YAML: found undefined alias"},
    {"a: [1\n", 2, 1, "",
     "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at "
     "line 1)"},
};

START_TEST(test_limits)
{
    const limit_case *t = &limit_cases[_i];
    mg__yaml_doc *doc = (mg__yaml_doc *)&doc; /* must be reset to NULL */
    mg_error err = MG_ERROR_INIT;
    int rc = mg__yaml_parse(&doc, "t.yaml", (const unsigned char *)t->text,
                            strlen(t->text), &limits, &err);

    ck_assert_int_eq(rc, MG_EPARSE);
    ck_assert_ptr_null(doc);
    assert_err(&err, t->line, t->column, t->key, t->message);
}
END_TEST

START_TEST(test_long_path)
{
    char text[600], want[MG_ERROR_KEY_MAX], path[MG_ERROR_KEY_MAX];
    mg__yaml_doc *doc;
    const mg__yaml_node *v;

    memset(text, 'k', 200);
    snprintf(text + 200, sizeof text - 200, ": {a: [1]}\n");
    doc = parse_ok(text);
    v = mg__yaml_get(mg__yaml_root(doc)->items[0], "a")->items[0];
    /* 200 'k's, then ".a[0].more": cut to MG_ERROR_KEY_MAX - 1 bytes, as mg_error
     * cuts a key. */
    memset(want, 'k', sizeof want - 1);
    want[sizeof want - 1] = '\0';
    ck_assert_str_eq(mg__yaml_path(v, "more", path, sizeof path), want);
    /* A small buffer holds the beginning. */
    ck_assert_str_eq(mg__yaml_path(v, NULL, path, 5), "kkkk");
    mg__yaml_free(doc);
}
END_TEST

START_TEST(test_comma_locale)
{
    double x = 0;

    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL &&
        setlocale(LC_NUMERIC, "de_DE.utf8") == NULL)
        return; /* no comma-decimal locale installed */
    ck_assert_int_eq(mg__yaml_to_double("0.95", &x), MG__YAML_NUM_OK);
    ck_assert_double_eq(x, 0.95);
    ck_assert_int_eq(mg__yaml_to_double("-1.5e2", &x), MG__YAML_NUM_OK);
    ck_assert_double_eq(x, -150);
    ck_assert_int_eq(mg__yaml_to_double("0,95", &x), MG__YAML_NUM_SYNTAX);
    setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(test_suggestions)
{
    static const char *const names[] = {"auc", "recall", "precision", "accuracy", NULL};
    mg__yaml_nearest best = MG__YAML_NEAREST_INIT;
    char buf[64];

    ck_assert_str_eq(mg__yaml_nearest_in("recal", names).name, "recall");
    ck_assert_str_eq(mg__yaml_nearest_in("acuracy", names).name, "accuracy");
    ck_assert_str_eq(mg__yaml_nearest_in("aucc", names).name, "auc");
    ck_assert_str_eq(mg__yaml_nearest_in("uac", names).name, "auc"); /* transposed */
    ck_assert_ptr_null(mg__yaml_nearest_in("gini", names).name);
    ck_assert_ptr_null(mg__yaml_nearest_in("x", NULL).name);
    /* The first of equals stays; a closer one replaces it. */
    mg__yaml_nearest_consider(&best, "cat", "bat");
    mg__yaml_nearest_consider(&best, "cat", "hat");
    ck_assert_str_eq(best.name, "bat");
    mg__yaml_nearest_consider(&best, "cat", "cat");
    ck_assert_str_eq(best.name, "cat");
    ck_assert_str_eq(mg__yaml_hint(&best, buf, sizeof buf), " (did you mean 'cat'?)");
    best.name = NULL;
    ck_assert_str_eq(mg__yaml_hint(&best, buf, sizeof buf), "");
}
END_TEST

START_TEST(test_duplicates)
{
    static const char *const none[] = {"a", "b", "c"};
    static const char *const two[] = {"x", "y", "x", "y", "y"};
    size_t dup = 99, first = 99;

    ck_assert_int_eq(mg__yaml_first_duplicate(none, 3, &dup, &first), 0);
    ck_assert_int_eq(mg__yaml_first_duplicate(none, 1, &dup, &first), 0);
    ck_assert_int_eq(mg__yaml_first_duplicate(two, 5, &dup, &first), 1);
    ck_assert_uint_eq(dup, 2); /* the earliest repeat, and what it repeats */
    ck_assert_uint_eq(first, 0);
}
END_TEST

START_TEST(test_clip)
{
    char buf[MG__YAML_CLIP_SIZE];
    /* 39 ASCII bytes then 'é' (2 bytes): the cut backs off to the boundary. */
    const char *s = "abcdefghijklmnopqrstuvwxyzabcdefghijklm\xc3\xa9xyz";

    ck_assert_str_eq(mg__yaml_clip("short", 5, buf), "short");
    ck_assert_str_eq(mg__yaml_clip(s, strlen(s), buf),
                     "abcdefghijklmnopqrstuvwxyzabcdefghijklm...");
}
END_TEST

static Suite *yaml_suite(void)
{
    Suite *s = suite_create("yaml");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_loop_test(core, test_to_double, 0,
                        (int)(sizeof doubles / sizeof doubles[0]));
    tcase_add_loop_test(core, test_to_integer, 0,
                        (int)(sizeof integers / sizeof integers[0]));
    tcase_add_loop_test(core, test_read, 0, (int)(sizeof reads / sizeof reads[0]));
    tcase_add_loop_test(core, test_check_map, 0, (int)(sizeof maps / sizeof maps[0]));
    tcase_add_test(core, test_map_lookup);
    tcase_add_test(core, test_tree);
    tcase_add_loop_test(edge, test_limits, 0,
                        (int)(sizeof limit_cases / sizeof limit_cases[0]));
    tcase_add_test(edge, test_long_path);
    tcase_add_test(edge, test_comma_locale);
    tcase_add_test(edge, test_suggestions);
    tcase_add_test(edge, test_duplicates);
    tcase_add_test(edge, test_clip);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}

int main(void)
{
    return tu_run(yaml_suite());
}
