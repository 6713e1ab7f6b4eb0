/*
 * Tests of the fixtures module: CSV files into tables (include/modelgate/table.h).
 *
 * core: what a well-formed file turns into (values, codes, levels, lines, joins).
 * edge: line ends, BOM, delimiters, quoting, blank lines, chunk boundaries.
 * errors: every bad input, with its exact code, file, line, column and message.
 * reference: SHA-256 against coreutils' sha256sum (tests/data/csv/README.md), and
 * oracle tests of the fast paths (Clinger number parsing against strtod, the hash
 * dictionary against a linear search).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "modelgate/table.h"

#include "fixtures/dict.h"
#include "fixtures/number.h"
#include "fixtures/table_internal.h"
#include "testutil.h"

/* Fixture files committed under tests/data/csv. */
static const char *data(const char *name)
{
    static char path[8][4096];
    static unsigned next;
    char *s = path[next++ % 8];
    snprintf(s, 4096, "tests/data/csv/%s", name);
    return tu_src(s);
}

/* A fresh scratch directory, copied out of testutil's rotating buffers (which
 * tu_write reuses after eight calls). */
static void scratch(char *dir, const char *tag)
{
    snprintf(dir, 4096, "%s", tu_scratch_dir(tag));
}

/* Write `len` bytes (NULs allowed) to dir/name; returns the path (static). */
static const char *write_bytes(const char *dir, const char *name, const char *bytes,
                               size_t len)
{
    static char path[4][4096];
    static unsigned next;
    char *s = path[next++ % 4];
    FILE *f;
    snprintf(s, 4096, "%s/%s", dir, name);
    f = fopen(s, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return s;
}

static mg_table *load(const char *path, const mg_csv_options *o,
                      const mg_column_request *cols, size_t n)
{
    mg_error err = MG_ERROR_INIT;
    mg_table *t = NULL;
    char msg[2048];
    int rc = mg_table_load_csv(&t, path, o, cols, n, &err);
    mg_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == 0, "load failed: %s (%s)", msg, mg_error_name(rc));
    ck_assert_ptr_nonnull(t);
    return t;
}

/* Load must fail with exactly this record; the table pointer must stay NULL. */
static void expect_error(const char *path, const mg_csv_options *o,
                         const mg_column_request *cols, size_t n, int code,
                         unsigned long line, unsigned long column, const char *message)
{
    mg_error err = MG_ERROR_INIT;
    mg_table *t = (mg_table *)&err; /* must be overwritten with NULL */
    int rc = mg_table_load_csv(&t, path, o, cols, n, &err);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(rc, code);
    ck_assert_int_eq(err.code, code);
    ck_assert_str_eq(err.message, message);
    ck_assert_str_eq(err.file, path);
    ck_assert_uint_eq(err.line, line);
    ck_assert_uint_eq(err.column, column);
}

static const mg_column_request basic_cols[] = {
    {"p_churn", MG_COLUMN_NUMBER},
    {"segment", MG_COLUMN_CATEGORY},
    {"note", MG_COLUMN_CATEGORY},
};

/* ---- core ---------------------------------------------------------------------- */

START_TEST(core_basic)
{
    mg_table *t = load(data("basic.csv"), NULL, basic_cols, 3);
    const double *p;
    const uint32_t *seg, *note;

    ck_assert_uint_eq(mg_table_rows(t), 5);
    ck_assert_uint_eq(mg_table_columns(t), 3);
    ck_assert_str_eq(mg_table_column_name(t, 0), "p_churn");
    ck_assert_str_eq(mg_table_column_name(t, 2), "note");
    ck_assert_ptr_null(mg_table_column_name(t, 3));
    ck_assert_int_eq(mg_table_column_type(t, 0), MG_COLUMN_NUMBER);
    ck_assert_int_eq(mg_table_column_type(t, 1), MG_COLUMN_CATEGORY);
    ck_assert_int_eq(mg_table_find(t, "segment"), 1);
    ck_assert_int_eq(mg_table_find(t, "label"), -1); /* not requested */
    ck_assert_int_eq(mg_table_find(t, "id"), -1);
    ck_assert_str_eq(mg_table_path(t), data("basic.csv"));

    p = mg_table_numbers(t, 0);
    ck_assert_ptr_nonnull(p);
    ck_assert_double_eq(p[0], 0.91);
    ck_assert_double_eq(p[1], 0.12);
    ck_assert_double_eq(p[2], 0.33);
    ck_assert_double_eq(p[3], 0.75);
    ck_assert_double_eq(p[4], 0.5);
    ck_assert_ptr_null(mg_table_codes(t, 0));
    ck_assert_ptr_null(mg_table_numbers(t, 1));

    /* Codes in first-seen order: north 0, south 1, east 2. */
    seg = mg_table_codes(t, 1);
    ck_assert_uint_eq(mg_table_levels(t, 1), 3);
    ck_assert_uint_eq(seg[0], 0);
    ck_assert_uint_eq(seg[1], 1);
    ck_assert_uint_eq(seg[2], 0);
    ck_assert_uint_eq(seg[3], 2);
    ck_assert_uint_eq(seg[4], 1);
    ck_assert_str_eq(mg_table_level(t, 1, 0), "north");
    ck_assert_str_eq(mg_table_level(t, 1, 1), "south");
    ck_assert_str_eq(mg_table_level(t, 1, 2), "east");
    ck_assert_ptr_null(mg_table_level(t, 1, 3));
    ck_assert_int_eq(mg_table_code_of(t, 1, "east"), 2);
    ck_assert_int_eq(mg_table_code_of(t, 1, "west"), -1);
    ck_assert_int_eq(mg_table_code_of(t, 0, "0.91"), -1); /* a number column */
    ck_assert_uint_eq(mg_table_levels(t, 0), 0);

    /* Quoted fields: embedded delimiter, doubled quotes, embedded newline. */
    note = mg_table_codes(t, 2);
    ck_assert_uint_eq(mg_table_levels(t, 2), 5);
    ck_assert_str_eq(mg_table_level(t, 2, note[1]), "comma, inside");
    ck_assert_str_eq(mg_table_level(t, 2, note[2]), "quote \"here\"");
    ck_assert_str_eq(mg_table_level(t, 2, note[3]), "two\nlines");

    /* The header is line 1; row 3 spans lines 5-6, so row 4 starts on line 7. */
    ck_assert_uint_eq(mg_table_line(t, 0), 2);
    ck_assert_uint_eq(mg_table_line(t, 3), 5);
    ck_assert_uint_eq(mg_table_line(t, 4), 7);
    ck_assert_uint_eq(mg_table_line(t, 5), 0); /* out of range */
    mg_table_free(t);
}
END_TEST

START_TEST(core_id_column)
{
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_table *t;
    const uint32_t *ids;

    o.id = "id";
    t = load(data("basic.csv"), &o, basic_cols, 3);
    /* The id column comes after the requested ones, as a category column. */
    ck_assert_uint_eq(mg_table_columns(t), 4);
    ck_assert_int_eq(mg_table_find(t, "id"), 3);
    ck_assert_int_eq(mg_table_column_type(t, 3), MG_COLUMN_CATEGORY);
    ck_assert_uint_eq(mg_table_levels(t, 3), 5);
    ids = mg_table_codes(t, 3);
    ck_assert_str_eq(mg_table_level(t, 3, ids[4]), "5");
    ck_assert_int_eq(mg_table_code_of(t, 3, "3"), 2);
    mg_table_free(t);

    /* Requested as a category column, the id is not added a second time. */
    {
        mg_column_request cols[] = {{"id", MG_COLUMN_CATEGORY},
                                    {"label", MG_COLUMN_NUMBER}};
        t = load(data("basic.csv"), &o, cols, 2);
        ck_assert_uint_eq(mg_table_columns(t), 2);
        ck_assert_int_eq(mg_table_find(t, "id"), 0);
        ck_assert_double_eq(mg_table_numbers(t, 1)[0], 1.0);
        ck_assert_str_eq(mg_table_level(t, 0, mg_table_codes(t, 0)[1]), "2");
        mg_table_free(t);
    }
}
END_TEST

START_TEST(core_no_columns)
{
    /* Nothing requested: the rows are still counted and lined. */
    mg_table *t = load(data("basic.csv"), NULL, NULL, 0);
    ck_assert_uint_eq(mg_table_rows(t), 5);
    ck_assert_uint_eq(mg_table_columns(t), 0);
    ck_assert_uint_eq(mg_table_line(t, 4), 7);
    mg_table_free(t);
}
END_TEST

static const mg_column_request holdout_cols[] = {
    {"segment", MG_COLUMN_CATEGORY},
    {"label", MG_COLUMN_NUMBER},
};
static const mg_column_request pred_cols[] = {{"p_churn", MG_COLUMN_NUMBER}};

START_TEST(core_join_by_id)
{
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_table *h, *p;
    const double *v;
    const uint32_t *hid, *pid;
    size_t r;

    o.id = "id";
    h = load(data("holdout.csv"), &o, holdout_cols, 2);
    ck_assert_uint_eq(mg_table_rows(h), 5);
    o.join_to = h;
    p = load(data("predictions_shuffled.csv"), &o, pred_cols, 1);

    /* The holdout's rows and order: ids 10..14 with p_churn 0.10..0.14. */
    ck_assert_uint_eq(mg_table_rows(p), 5);
    v = mg_table_numbers(p, 0);
    ck_assert_double_eq(v[0], 0.10);
    ck_assert_double_eq(v[1], 0.11);
    ck_assert_double_eq(v[2], 0.12);
    ck_assert_double_eq(v[3], 0.13);
    ck_assert_double_eq(v[4], 0.14);
    /* Lines are the prediction file's: id 10 is on its line 3, id 14 on line 2. */
    ck_assert_uint_eq(mg_table_line(p, 0), 3);
    ck_assert_uint_eq(mg_table_line(p, 1), 5);
    ck_assert_uint_eq(mg_table_line(p, 4), 2);

    /* The id column is findable and agrees with the holdout's row by row. */
    ck_assert_int_eq(mg_table_find(p, "id"), 1);
    hid = mg_table_codes(h, (size_t)mg_table_find(h, "id"));
    pid = mg_table_codes(p, 1);
    ck_assert_uint_eq(mg_table_levels(p, 1), 5);
    for (r = 0; r < 5; r++)
        ck_assert_str_eq(mg_table_level(p, 1, pid[r]), mg_table_level(h, 2, hid[r]));
    ck_assert_str_eq(mg_table_level(p, 1, pid[2]), "12");

    /* A table joined to a joined table lands on the same rows. */
    {
        mg_table *q;
        o.join_to = p;
        q = load(data("predictions_shuffled.csv"), &o, pred_cols, 1);
        for (r = 0; r < 5; r++)
            ck_assert_double_eq(mg_table_numbers(q, 0)[r], v[r]);
        mg_table_free(q);
    }
    mg_table_free(p);
    mg_table_free(h);
}
END_TEST

START_TEST(core_join_by_position)
{
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_table *h, *p;

    o.id = "id";
    h = load(data("holdout.csv"), &o, holdout_cols, 2);
    o.id = NULL;
    o.join_to = h;
    p = load(data("predictions_by_row.csv"), &o, pred_cols, 1);
    ck_assert_uint_eq(mg_table_rows(p), 5);
    ck_assert_uint_eq(mg_table_columns(p), 1);
    ck_assert_double_eq(mg_table_numbers(p, 0)[0], 0.10);
    ck_assert_double_eq(mg_table_numbers(p, 0)[4], 0.14);
    ck_assert_uint_eq(mg_table_line(p, 4), 6);
    mg_table_free(p);
    mg_table_free(h);
}
END_TEST

START_TEST(core_numbers)
{
    char dir[4096];
    scratch(dir, "table_numbers");
    const char *path = tu_write(dir, "n.csv",
                                "x\n-0\n+.5\n1E-3\n\" 2.5 \"\n 7 \n1e-400\n5.\n"
                                "0x1p-2\n123456789012345678901234567890\n"
                                "0.1000000000000000055511151231257827\n");
    mg_column_request col = {"x", MG_COLUMN_NUMBER};
    mg_table *t = load(path, NULL, &col, 1);
    const double *x = mg_table_numbers(t, 0);

    ck_assert_uint_eq(mg_table_rows(t), 10);
    ck_assert_double_eq(x[0], 0.0);
    ck_assert(signbit(x[0]));
    ck_assert_double_eq(x[1], 0.5);
    ck_assert_double_eq(x[2], 0.001);
    ck_assert_double_eq(x[3], 2.5); /* spaces inside quotes are trimmed too */
    ck_assert_double_eq(x[4], 7.0);
    ck_assert_double_eq(x[5], 0.0); /* underflow is accepted */
    ck_assert_double_eq(x[6], 5.0);
    ck_assert_double_eq(x[7], 0.25);
    ck_assert_double_eq(x[8], 1.2345678901234568e29);
    ck_assert_double_eq(x[9], 0.1);
    mg_table_free(t);
}
END_TEST

/* ---- edge ---------------------------------------------------------------------- */

static const mg_column_request ab_cols[] = {
    {"a", MG_COLUMN_CATEGORY},
    {"b", MG_COLUMN_NUMBER},
};

/* The file "a,b" + rows x1..xN with b = 1..N, written with the given line end. */
static void check_ab(const char *path, size_t rows, const unsigned long *lines)
{
    mg_table *t = load(path, NULL, ab_cols, 2);
    size_t r;
    ck_assert_uint_eq(mg_table_rows(t), rows);
    for (r = 0; r < rows; r++) {
        char want[32];
        snprintf(want, sizeof want, "x%zu", r + 1);
        ck_assert_str_eq(mg_table_level(t, 0, mg_table_codes(t, 0)[r]), want);
        ck_assert_double_eq(mg_table_numbers(t, 1)[r], (double)(r + 1));
        ck_assert_uint_eq(mg_table_line(t, r), lines[r]);
    }
    mg_table_free(t);
}

START_TEST(edge_line_ends)
{
    char dir[4096];
    scratch(dir, "table_line_ends");
    static const unsigned long plain[] = {2, 3, 4};
    static const unsigned long gaps[] = {3, 5, 6};

    check_ab(tu_write(dir, "lf.csv", "a,b\nx1,1\nx2,2\nx3,3\n"), 3, plain);
    check_ab(tu_write(dir, "crlf.csv", "a,b\r\nx1,1\r\nx2,2\r\nx3,3\r\n"), 3, plain);
    check_ab(tu_write(dir, "cr.csv", "a,b\rx1,1\rx2,2\rx3,3\r"), 3, plain);
    check_ab(tu_write(dir, "mixed.csv", "a,b\r\nx1,1\rx2,2\nx3,3"), 3, plain);
    check_ab(tu_write(dir, "none.csv", "a,b\nx1,1\nx2,2\nx3,3"), 3, plain);
    check_ab(tu_write(dir, "trailing.csv", "a,b\nx1,1\nx2,2\nx3,3\n\n\r\n  \n"), 3,
             plain);
    /* Blank lines are not records but still count as lines. */
    check_ab(tu_write(dir, "gaps.csv", "a,b\n\nx1,1\n\r\nx2,2\r\nx3,3\n"), 3, gaps);
    check_ab(tu_write(dir, "lead.csv", "\n\na,b\nx1,1\n\nx2,2\nx3,3\n"), 3,
             (const unsigned long[]){4, 6, 7});
}
END_TEST

START_TEST(edge_bom)
{
    char dir[4096];
    scratch(dir, "table_bom");
    static const unsigned long lines[] = {2, 3};
    /* Without BOM removal the first header name would be "\xEF\xBB\xBF" "a". */
    check_ab(tu_write(dir, "bom.csv",
                      "\xEF\xBB\xBF"
                      "a,b\r\nx1,1\r\nx2,2\r\n"),
             2, lines);
    /* A BOM later in the file is data. */
    {
        mg_table *t =
            load(tu_write(dir, "bom2.csv", "a,b\n\xEF\xBB\xBFx,1\n"), NULL, ab_cols, 2);
        ck_assert_str_eq(mg_table_level(t, 0, 0), "\xEF\xBB\xBFx");
        mg_table_free(t);
    }
}
END_TEST

START_TEST(edge_delimiters)
{
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_column_request cols[] = {{"region", MG_COLUMN_CATEGORY},
                                {"amount", MG_COLUMN_NUMBER}};
    mg_table *t;
    char dir[4096];
    scratch(dir, "table_delim");

    o.delimiter = ';';
    t = load(data("semicolon.csv"), &o, cols, 2);
    ck_assert_uint_eq(mg_table_rows(t), 2);
    ck_assert_str_eq(mg_table_level(t, 0, 0), "Nord, Ost");
    ck_assert_str_eq(mg_table_level(t, 0, 1), "Sued; West");
    ck_assert_double_eq(mg_table_numbers(t, 1)[0], 1.5);
    ck_assert_double_eq(mg_table_numbers(t, 1)[1], 2.0);
    mg_table_free(t);

    o.delimiter = '\t';
    t = load(tu_write(dir, "tab.tsv", "region\tamount\n  north  west \t 3 \n"), &o,
             cols, 2);
    ck_assert_str_eq(mg_table_level(t, 0, 0), "north  west");
    ck_assert_double_eq(mg_table_numbers(t, 1)[0], 3.0);
    mg_table_free(t);
}
END_TEST

START_TEST(edge_spaces_and_empty)
{
    char dir[4096];
    scratch(dir, "table_spaces");
    mg_column_request cols[] = {{"c", MG_COLUMN_CATEGORY}, {"d", MG_COLUMN_CATEGORY}};
    /* Unquoted fields are trimmed of spaces and tabs (header too); quoted are not. */
    mg_table *t =
        load(tu_write(dir, "s.csv", " c , d\n  a  ,\" a \"\n,\"\"\n"), NULL, cols, 2);
    ck_assert_uint_eq(mg_table_rows(t), 2);
    ck_assert_str_eq(mg_table_level(t, 0, 0), "a");
    ck_assert_str_eq(mg_table_level(t, 1, 0), " a ");
    /* Empty category values, quoted or not, are the level "". */
    ck_assert_str_eq(mg_table_level(t, 0, mg_table_codes(t, 0)[1]), "");
    ck_assert_str_eq(mg_table_level(t, 1, mg_table_codes(t, 1)[1]), "");
    ck_assert_int_eq(mg_table_code_of(t, 0, ""), 1);
    ck_assert_uint_eq(mg_table_line(t, 0), 2);
    ck_assert_uint_eq(mg_table_line(t, 1), 3);
    mg_table_free(t);
}
END_TEST

START_TEST(edge_chunk_boundaries)
{
    /* The reader cuts the file into 64 KiB chunks; put a CR LF pair and a quoted
     * CR LF across the first boundary (bytes 65535 and 65536). */
    const size_t chunk = 64 * 1024;
    char dir[4096];
    scratch(dir, "table_chunks");
    char *buf = malloc(2 * chunk);
    mg_column_request col = {"pad", MG_COLUMN_CATEGORY};
    size_t n, pad;
    mg_table *t;
    const char *level;

    ck_assert_ptr_nonnull(buf);
    /* "id,pad\r\n" (8 bytes), "1," then padding so that its CR is byte 65535. */
    n = (size_t)sprintf(buf, "id,pad\r\n1,");
    pad = chunk - 1 - n;
    memset(buf + n, 'x', pad);
    n += pad;
    n += (size_t)sprintf(buf + n, "\r\n2,y\r\n");
    ck_assert_uint_eq((unsigned char)buf[chunk - 1], '\r');
    t = load(write_bytes(dir, "a.csv", buf, n), NULL, &col, 1);
    ck_assert_uint_eq(mg_table_rows(t), 2);
    ck_assert_uint_eq(mg_table_line(t, 0), 2);
    ck_assert_uint_eq(mg_table_line(t, 1), 3);
    ck_assert_uint_eq(strlen(mg_table_level(t, 0, 0)), pad);
    mg_table_free(t);

    /* The same with the CR LF inside a quoted field. */
    n = (size_t)sprintf(buf, "id,pad\r\n1,\"");
    pad = chunk - 1 - n;
    memset(buf + n, 'x', pad);
    n += pad;
    n += (size_t)sprintf(buf + n, "\r\nz\"\r\n2,y\r\n");
    ck_assert_uint_eq((unsigned char)buf[chunk - 1], '\r');
    t = load(write_bytes(dir, "b.csv", buf, n), NULL, &col, 1);
    ck_assert_uint_eq(mg_table_rows(t), 2);
    ck_assert_uint_eq(mg_table_line(t, 1), 4);
    level = mg_table_level(t, 0, 0);
    ck_assert_uint_eq(strlen(level), pad + 3);
    ck_assert_str_eq(level + pad, "\r\nz");
    mg_table_free(t);

    /* A BOM-only first chunk is impossible, but a three-byte file is not. */
    expect_error(write_bytes(dir, "bom.csv", "\xEF\xBB\xBF", 3), NULL, NULL, 0,
                 MG_EDATA, 0, 0, "empty file");
    free(buf);
}
END_TEST

START_TEST(edge_many_rows)
{
    /* Enough rows for many chunks and several growths of every array. */
    char dir[4096];
    scratch(dir, "table_many");
    char path[4200];
    const size_t rows = 100000;
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_column_request cols[] = {{"g", MG_COLUMN_CATEGORY}, {"v", MG_COLUMN_NUMBER}};
    mg_table *t;
    FILE *f;
    size_t r;

    snprintf(path, sizeof path, "%s/many.csv", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "id,g,v\n");
    for (r = 0; r < rows; r++)
        fprintf(f, "id%zu,g%zu,%zu.25\n", r, r % 7, r);
    ck_assert_int_eq(fclose(f), 0);

    o.id = "id";
    t = load(path, &o, cols, 2);
    ck_assert_uint_eq(mg_table_rows(t), rows);
    ck_assert_uint_eq(mg_table_levels(t, 0), 7);
    ck_assert_uint_eq(mg_table_levels(t, 2), rows);
    for (r = 0; r < rows; r++) {
        ck_assert_uint_eq(mg_table_codes(t, 0)[r], r % 7);
        ck_assert_uint_eq(mg_table_codes(t, 2)[r], r);
        ck_assert_double_eq(mg_table_numbers(t, 1)[r], (double)r + 0.25);
        ck_assert_uint_eq(mg_table_line(t, r), r + 2);
    }
    ck_assert_int_eq(mg_table_code_of(t, 2, "id12345"), 12345);
    mg_table_free(t);
}
END_TEST

START_TEST(edge_fifo)
{
    /* A pipe is streamed like a file (modelgate run --predictions <(...)). */
    char dir[4096], path[4200];
    mg_column_request col = {"v", MG_COLUMN_NUMBER};
    mg_table *t;
    pid_t pid;
    int status;

    scratch(dir, "table_fifo");
    snprintf(path, sizeof path, "%s/pipe.csv", dir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        FILE *f = fopen(path, "w");
        int i;
        if (f == NULL)
            _exit(1);
        fputs("v\n", f);
        for (i = 0; i < 50000; i++)
            fprintf(f, "%d\n", i);
        _exit(fclose(f) == 0 ? 0 : 1);
    }
    t = load(path, NULL, &col, 1);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_uint_eq(mg_table_rows(t), 50000);
    ck_assert_double_eq(mg_table_numbers(t, 0)[49999], 49999.0);
    ck_assert_uint_eq(strlen(mg_table_sha256(t)), 64);
    mg_table_free(t);
}
END_TEST

START_TEST(edge_free_null)
{
    mg_table_free(NULL);
    /* Without an error record the code still comes back. */
    {
        mg_table *t;
        ck_assert_int_eq(
            mg_table_load_csv(&t, "/nonexistent/x.csv", NULL, NULL, 0, NULL), MG_EIO);
        ck_assert_ptr_null(t);
    }
}
END_TEST

/* ---- errors -------------------------------------------------------------------- */

START_TEST(errors_structure)
{
    char dir[4096];
    scratch(dir, "table_err_structure");
    mg_column_request p = {"p_churn", MG_COLUMN_NUMBER};
    mg_column_request x = {"x", MG_COLUMN_NUMBER};
    const char *f;

    f = tu_write(dir, "empty.csv", "");
    expect_error(f, NULL, &p, 1, MG_EDATA, 0, 0, "empty file");
    f = tu_write(dir, "blank.csv", "\n  \r\n\n");
    expect_error(f, NULL, &p, 1, MG_EDATA, 0, 0, "empty file");
    f = tu_write(dir, "header.csv", "id,p_churn\n");
    expect_error(f, NULL, &p, 1, MG_EDATA, 1, 0, "no data rows (header only)");
    f = tu_write(dir, "header2.csv", "id,p_churn\n\n\n");
    expect_error(f, NULL, &p, 1, MG_EDATA, 1, 0, "no data rows (header only)");
    f = tu_write(dir, "missing.csv", "id,score\n1,0.5\n");
    expect_error(f, NULL, &p, 1, MG_EDATA, 1, 0, "no column 'p_churn' in the header");
    f = tu_write(dir, "dup.csv", "x,y,x\n1,2,3\n");
    expect_error(f, NULL, &x, 1, MG_EDATA, 1, 3,
                 "duplicate column name 'x' in the header");

    f = tu_write(dir, "ragged.csv", "a,b,c,d\n1,2,3,4\n1,2,3\n");
    expect_error(f, NULL, NULL, 0, MG_EDATA, 3, 0,
                 "row has 3 fields, the header has 4");
    f = tu_write(dir, "ragged2.csv", "a,b\n1,2\n\"multi\nline\",2\n1,2,3");
    expect_error(f, NULL, NULL, 0, MG_EDATA, 5, 0,
                 "row has 3 fields, the header has 2");
    /* The field count is reported before a bad value it may have caused. */
    f = tu_write(dir, "ragged3.csv", "x,a,b\n1,2,3\nabc,2\n");
    expect_error(f, NULL, &x, 1, MG_EDATA, 3, 0, "row has 2 fields, the header has 3");
    f = tu_write(dir, "ragged4.csv", "x,a\n1,2\n3\n");
    expect_error(f, NULL, &x, 1, MG_EDATA, 3, 0, "row has 1 field, the header has 2");
}
END_TEST

/* The loader says which requested column the header lacks, as an index into the
 * request (the id column, when not requested, is one past it), so that a caller
 * can point at whatever asked for it without reading the message. */
START_TEST(errors_absent_column)
{
    const char *dir = tu_scratch_dir("table-absent");
    mg_column_request req[2] = {{"score", MG_COLUMN_NUMBER},
                                {"label", MG_COLUMN_CATEGORY}};
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_table *t = NULL;
    size_t absent = 99;
    const char *f = tu_write(dir, "a.csv", "id,score,lbl\n1,0.5,x\n");

    o.absent = &absent;
    ck_assert_int_eq(mg_table_load_csv(&t, f, &o, req, 2, &err), MG_EDATA);
    ck_assert_uint_eq(absent, 1);
    o.id = "key";
    absent = 99;
    mg_error_clear(&err);
    ck_assert_int_eq(mg_table_load_csv(&t, f, &o, req, 1, &err), MG_EDATA);
    ck_assert_uint_eq(absent, 1); /* the id, one past the one request */
    o.id = "id";
    absent = 99;
    ck_assert_int_eq(mg_table_load_csv(&t, f, &o, req, 1, &err), 0);
    ck_assert_uint_eq(absent, 99); /* left alone when nothing is absent */
    mg_table_free(t);
}
END_TEST

START_TEST(errors_syntax)
{
    char dir[4096];
    scratch(dir, "table_err_syntax");
    const char *f;

    f = tu_write(dir, "q1.csv", "a,b,c\n1,\"b\"x,3\n");
    expect_error(f, NULL, NULL, 0, MG_EPARSE, 2, 2, "malformed quoted field");
    f = tu_write(dir, "q2.csv", "a,b\n1,2\n3,\"two\nlines\" \"\n");
    expect_error(f, NULL, NULL, 0, MG_EPARSE, 4, 2, "malformed quoted field");
    f = tu_write(dir, "q3.csv", "a,b\n1,ab\"c\n");
    expect_error(f, NULL, NULL, 0, MG_EPARSE, 2, 2, "quote inside an unquoted field");
    f = tu_write(dir, "q4.csv", "a,b\n1,2\n3,\"open\nand never closed\n");
    expect_error(f, NULL, NULL, 0, MG_EPARSE, 3, 2, "unterminated quoted field");
    f = write_bytes(dir, "nul.csv", "a,b\n1,2\n3,x\0y\n", 14);
    expect_error(f, NULL, NULL, 0, MG_EPARSE, 3, 0, "NUL byte in the file");
}
END_TEST

START_TEST(errors_numbers)
{
    char dir[4096];
    scratch(dir, "table_err_numbers");
    mg_column_request cols[] = {{"seg", MG_COLUMN_CATEGORY},
                                {"p_churn", MG_COLUMN_NUMBER}};
    static const struct {
        const char *value, *message;
    } cases[] = {
        {"abc", "column 'p_churn': 'abc' is not a number"},
        {"0.5x", "column 'p_churn': '0.5x' is not a number"},
        {"1 2", "column 'p_churn': '1 2' is not a number"},
        {"\"\"", "column 'p_churn': empty value is not a number"},
        {"", "column 'p_churn': empty value is not a number"},
        {"nan", "column 'p_churn': 'nan' is not a finite number"},
        {"-inf", "column 'p_churn': '-inf' is not a finite number"},
        {"1e999", "column 'p_churn': '1e999' is not a finite number"},
        /* The message stays on one line: the newline is shown as a space. */
        {"\"\n1\"", "column 'p_churn': ' 1' is not a number"},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256], name[32];
        snprintf(text, sizeof text, "seg,p_churn,z\na,0.1,z\nb,%s,z\n", cases[i].value);
        snprintf(name, sizeof name, "n%zu.csv", i);
        expect_error(tu_write(dir, name, text), NULL, cols, 2, MG_EDATA, 3, 2,
                     cases[i].message);
    }
    /* Long values are clipped in the message. */
    {
        char text[512], want[256];
        memset(want, 0, sizeof want);
        snprintf(text, sizeof text, "p_churn\n%0100d\n", 7);
        text[8] = 'q';
        snprintf(want, sizeof want, "column 'p_churn': '%.64s...' is not a number",
                 text + 8);
        expect_error(tu_write(dir, "long.csv", text), NULL, cols + 1, 1, MG_EDATA, 2, 1,
                     want);
    }
}
END_TEST

START_TEST(errors_ids)
{
    char dir[4096];
    scratch(dir, "table_err_ids");
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_table *h = NULL;
    const char *f;

    o.id = "id";
    f = tu_write(dir, "dup.csv", "id,p\n1,0.1\n2,0.2\n3,0.3\n17,0.4\n5,0.5\n17,0.6\n");
    expect_error(f, &o, pred_cols, 0, MG_EDATA, 7, 1,
                 "duplicate id '17' (first on line 5)");
    f = tu_write(dir, "emptyid.csv", "p,id\n0.1,1\n0.2,\n");
    expect_error(f, &o, NULL, 0, MG_EDATA, 3, 2, "empty id in column 'id'");

    ck_assert_int_eq(
        mg_table_load_csv(&h, data("holdout.csv"), &o, holdout_cols, 2, &err), 0);
    o.join_to = h;
    /* The holdout has ids 10..14 on lines 2..6. */
    f = tu_write(dir, "unknown.csv", "id,p_churn\n10,0.1\n99,0.2\n");
    expect_error(f, &o, pred_cols, 1, MG_EDATA, 3, 1,
                 "id '99' is not in the holdout set (if this file covers more rows "
                 "than the holdout set, set extra_ids: ignore)");
    o.join_name = "holdout file";
    expect_error(f, &o, pred_cols, 1, MG_EDATA, 3, 1,
                 "id '99' is not in the holdout file (if this file covers more rows "
                 "than the holdout file, set extra_ids: ignore)");
    o.join_name = NULL;
    f = tu_write(dir, "jdup.csv", "p_churn,id\n0.1,10\n0.2,11\n0.3,10\n");
    expect_error(f, &o, pred_cols, 1, MG_EDATA, 4, 2,
                 "duplicate id '10' (first on line 2)");
    f = tu_write(dir, "short.csv", "id,p_churn\n10,0.1\n11,0.2\n13,0.3\n14,0.4\n");
    expect_error(f, &o, pred_cols, 1, MG_EDATA, 0, 0,
                 "id '12' of the holdout set (line 4) has no row here");

    /* Without an id the counts must match. */
    o.id = NULL;
    f = tu_write(dir, "nine.csv", "p_churn\n1\n2\n3\n4\n");
    expect_error(f, &o, pred_cols, 1, MG_EDATA, 0, 0, "4 rows, the holdout set has 5");
    f = tu_write(dir, "eleven.csv", "p_churn\n1\n2\n3\n4\n5\n6\n");
    expect_error(f, &o, pred_cols, 1, MG_EDATA, 0, 0, "6 rows, the holdout set has 5");
    mg_table_free(h);
}
END_TEST

START_TEST(errors_files)
{
    char dir[4096];
    scratch(dir, "table_err_files");
    char path[4200];

    snprintf(path, sizeof path, "%s/absent.csv", dir);
    expect_error(path, NULL, NULL, 0, MG_EIO, 0, 0, "No such file or directory");
    expect_error(dir, NULL, NULL, 0, MG_EIO, 0, 0,
                 "a directory without part files (files whose names do not start with "
                 "'.' or '_')");
    /* /proc/self/mem is a regular file whose first page cannot be read. */
    if (tu_exists("/proc/self/mem"))
        expect_error("/proc/self/mem", NULL, NULL, 0, MG_EIO, 1, 0,
                     "read error: Input/output error");
}
END_TEST

START_TEST(errors_arguments)
{
    char dir[4096];
    scratch(dir, "table_err_args");
    const char *f = tu_write(dir, "a.csv", "id,x\n1,2\n");
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_column_request twice[] = {{"x", MG_COLUMN_NUMBER}, {"x", MG_COLUMN_CATEGORY}};
    mg_column_request idnum = {"id", MG_COLUMN_NUMBER};
    mg_column_request x = {"x", MG_COLUMN_NUMBER};
    mg_table *h;

    expect_error(f, NULL, twice, 2, MG_EINVAL, 0, 0, "column 'x' is requested twice");
    o.id = "id";
    expect_error(f, &o, &idnum, 1, MG_EINVAL, 0, 0,
                 "id column 'id' cannot be a number column");
    o.delimiter = '"';
    expect_error(f, &o, &x, 1, MG_EINVAL, 0, 0,
                 "the delimiter cannot be a quote or a line end");
    /* A zeroed options struct reads as the defaults. */
    {
        mg_csv_options zero;
        memset(&zero, 0, sizeof zero);
        h = load(f, &zero, &x, 1);
        ck_assert_double_eq(mg_table_numbers(h, 0)[0], 2.0);
        mg_table_free(h);
    }

    /* Joining by an id the holdout was not loaded with. */
    h = load(f, NULL, &x, 1);
    o = (mg_csv_options)MG_CSV_OPTIONS_INIT;
    o.id = "id";
    o.join_to = h;
    expect_error(f, &o, &x, 1, MG_EINVAL, 0, 0,
                 "the holdout set has no id column 'id'");
    mg_table_free(h);
    /* ... or whose id column has repeated values. */
    {
        mg_column_request id = {"id", MG_COLUMN_CATEGORY};
        h = load(tu_write(dir, "rep.csv", "id\n1\n1\n"), NULL, &id, 1);
        o.join_to = h;
        expect_error(f, &o, &x, 1, MG_EINVAL, 0, 0,
                     "column 'id' of the holdout set has repeated values");
        mg_table_free(h);
    }
}
END_TEST

/* ---- reference ----------------------------------------------------------------- */

START_TEST(reference_sha256)
{
    /* Expected values from GNU coreutils sha256sum; see tests/data/csv/README.md. */
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_table *t = load(data("basic.csv"), NULL, basic_cols, 3);
    ck_assert_str_eq(
        mg_table_sha256(t),
        "05f08406ad1ee7aed935c0d7460faaf7c00d70e3cfec725bd5a62c82f6b600e2");
    mg_table_free(t);
    o.delimiter = ';';
    t = load(data("semicolon.csv"), &o, NULL, 0);
    ck_assert_str_eq(
        mg_table_sha256(t),
        "1548b84e8588827c2e0f3e8e0b923ff645b1ff6943114008a5fc763b2cb5a194");
    mg_table_free(t);
    /* The BOM is part of the file's bytes: sha256 of "\xEF\xBB\xBF" "a\n1\n". */
    {
        char dir[4096];
        scratch(dir, "table_sha");
        t = load(tu_write(dir, "bom.csv",
                          "\xEF\xBB\xBF"
                          "a\n1\n"),
                 NULL, NULL, 0);
        ck_assert_str_eq(
            mg_table_sha256(t),
            "3d32ed5d97a42c7ca9387f63ac0f08dceb6b4993089f807c6d56a35db7d70c36");
        mg_table_free(t);
    }
}
END_TEST

/* A small deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

START_TEST(reference_number_oracle)
{
    /* The fast path must agree with strtod, bit for bit, on random decimals of every
     * shape it handles and on many it must hand over. */
    static const char junk[] = "0123456789.eE+- xn";
    char s[64];
    size_t i, j, n;

    for (i = 0; i < 100000; i++) {
        double a = 12345.0, b = 12345.0;
        int ra, rb;
        if (i % 4 != 3) {
            int digits = 1 + (int)(rng() % 20), point = (int)(rng() % (digits + 2));
            n = 0;
            if (rng() % 3 == 0)
                s[n++] = rng() % 2 ? '-' : '+';
            for (j = 0; j < (size_t)digits; j++) {
                if ((int)j == point)
                    s[n++] = '.';
                s[n++] = (char)('0' + (rng() % 4 == 0 ? 0 : rng() % 10));
            }
            if (rng() % 2)
                n += (size_t)sprintf(s + n, "e%d", (int)(rng() % 70) - 35);
        } else {
            n = 1 + rng() % 12;
            for (j = 0; j < n; j++)
                s[j] = junk[rng() % (sizeof junk - 1)];
        }
        s[n] = '\0';
        ra = mg__parse_number(s, n, &a);
        rb = mg__parse_number_slow(s, n, &b);
        ck_assert_msg(ra == rb, "'%s': status %d, strtod says %d", s, ra, rb);
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "'%s': %.17g, strtod says %.17g",
                      s, a, b);
    }
}
END_TEST

START_TEST(reference_dict_oracle)
{
    /* The hash dictionary against a linear search over the same strings. */
    enum { N = 30000, LEN = 5, DISTINCT = 364 }; /* 3^0 + ... + 3^5 strings */
    static char seen[DISTINCT][LEN + 1];
    size_t nseen = 0, i, k;
    mg__dict *d, *c;

    ck_assert_int_eq(mg__dict_new(&d), 0);
    for (i = 0; i < N; i++) {
        char s[LEN + 1];
        size_t len = rng() % (LEN + 1), j;
        uint32_t code;
        int added;
        long naive = -1;
        for (j = 0; j < len; j++)
            s[j] = "abc"[rng() % 3];
        s[len] = '\0';
        for (k = 0; k < nseen; k++)
            if (strcmp(seen[k], s) == 0) {
                naive = (long)k;
                break;
            }
        ck_assert_int_eq(mg__dict_find(d, s, len), naive);
        ck_assert_int_eq(mg__dict_intern(d, s, len, &code, &added), 0);
        if (naive < 0) {
            ck_assert_int_lt(nseen, DISTINCT);
            ck_assert_int_eq(added, 1);
            ck_assert_uint_eq(code, nseen);
            strcpy(seen[nseen++], s);
        } else {
            ck_assert_int_eq(added, 0);
            ck_assert_uint_eq(code, (uint32_t)naive);
        }
    }
    /* Each string is drawn about 20 times on average; all have turned up. */
    ck_assert_uint_eq(nseen, DISTINCT);
    ck_assert_uint_eq(mg__dict_size(d), nseen);
    ck_assert_int_eq(mg__dict_clone(&c, d), 0);
    for (k = 0; k < nseen; k++) {
        ck_assert_str_eq(mg__dict_string(d, (uint32_t)k), seen[k]);
        ck_assert_str_eq(mg__dict_string(c, (uint32_t)k), seen[k]);
        ck_assert_int_eq(mg__dict_find(c, seen[k], strlen(seen[k])), (long)k);
    }
    ck_assert_int_eq(mg__dict_find(c, "abcabc", 6), -1);
    /* A clone is shared, not copied: the same dictionary, alive until both
     * holders have freed it. */
    ck_assert_ptr_eq(c, d);
    mg__dict_free(c);
    ck_assert_str_eq(mg__dict_string(d, 0), seen[0]);
    mg__dict_free(d);
    mg__dict_free(NULL);

    /* Many distinct strings, through several growths of the slot array: the code of
     * "s<i>" must be i. */
    ck_assert_int_eq(mg__dict_new(&d), 0);
    for (i = 0; i < 100000; i++) {
        char s[32];
        int len = snprintf(s, sizeof s, "s%zu", i), added;
        uint32_t code;
        ck_assert_int_eq(mg__dict_intern(d, s, (size_t)len, &code, &added), 0);
        ck_assert_int_eq(added, 1);
        ck_assert_uint_eq(code, i);
    }
    for (i = 0; i < 100000; i += 7) {
        char s[32];
        int len = snprintf(s, sizeof s, "s%zu", i);
        ck_assert_int_eq(mg__dict_find(d, s, (size_t)len), (long)i);
        ck_assert_str_eq(mg__dict_string(d, (uint32_t)i), s);
    }
    ck_assert_int_eq(mg__dict_find(d, "s100000", 7), -1);
    mg__dict_free(d);
}
END_TEST

/* ---- parts ----------------------------------------------------------------------- */

/* dir/name in one of eight rotating buffers. */
static const char *in_dir(const char *dir, const char *name)
{
    static char path[8][4200];
    static unsigned next;
    char *s = path[next++ % 8];
    snprintf(s, 4200, "%s/%s", dir, name);
    return s;
}

/*
 * A partitioned input reads as the one file of its rows: the same values and
 * dictionary codes (levels first seen in a later part get the codes the one file
 * gives them), each row's own part and line, a join of a partitioned prediction file
 * to a partitioned holdout, and the errors (a differing header, no match).
 */
START_TEST(parts_as_one_file)
{
    char dir[4096], pattern[4200];
    static const mg_column_request cols[] = {{"seg", MG_COLUMN_CATEGORY},
                                             {"x", MG_COLUMN_NUMBER}};
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_table *one, *parts, *pred;
    size_t seg, x;

    scratch(dir, "parts");
    tu_write(dir, "one.csv", "id,seg,x\na,n,1\nb,s,2\nc,n,3\nd,e,4\ne,w,5\n");
    tu_write(dir, "p-2.csv", "id,seg,x\nd,e,4\ne,w,5\n");
    tu_write(dir, "p-0.csv", "id,seg,x\r\na,n,1\r\n\r\nb,s,2\r\n");
    tu_write(dir, "p-1.csv", "id,seg,x\n");
    tu_write(dir, "p-1a.csv", "");
    tu_write(dir, "p-1b.csv", "id,seg,x\nc,n,3\n");
    o.id = "id";
    one = load(in_dir(dir, "one.csv"), &o, cols, 2);
    snprintf(pattern, sizeof pattern, "%s/p-*.csv", dir);
    parts = load(pattern, &o, cols, 2);
    ck_assert_str_eq(mg_table_path(parts), pattern);
    ck_assert_uint_eq(mg_table_rows(parts), 5);
    seg = (size_t)mg_table_find(parts, "seg");
    x = (size_t)mg_table_find(parts, "x");
    ck_assert_uint_eq(mg_table_levels(parts, seg), 4);
    for (size_t r = 0; r < 5; r++) {
        ck_assert_uint_eq(mg_table_codes(parts, seg)[r], mg_table_codes(one, seg)[r]);
        ck_assert_double_eq(mg_table_numbers(parts, x)[r], mg_table_numbers(one, x)[r]);
    }
    ck_assert_str_eq(mg_table_level(parts, seg, 3), "w");
    /* Each row's line in its own part: p-0 lines 2 and 4, p-1b line 2, p-2 2 and 3. */
    ck_assert_uint_eq(mg_table_line(parts, 1), 4);
    ck_assert_uint_eq(mg_table_line(parts, 2), 2);
    ck_assert_uint_eq(mg_table_line(parts, 4), 3);
    ck_assert_str_eq(mg__table_row_path(parts, 1), in_dir(dir, "p-0.csv"));
    ck_assert_str_eq(mg__table_row_path(parts, 2), in_dir(dir, "p-1b.csv"));
    ck_assert_str_eq(mg__table_row_path(parts, 4), in_dir(dir, "p-2.csv"));
    ck_assert_uint_eq(parts->nparts, 5); /* the zero-byte p-1a.csv is a part */
    ck_assert_uint_eq(parts->parts[1].rows, 0);
    ck_assert_uint_eq(parts->parts[2].rows, 0);
    ck_assert_uint_eq(parts->parts[4].rows, 2);

    /* Predictions in two parts, in another order, joined by id. */
    mkdir(in_dir(dir, "pred"), 0755);
    tu_write(dir, "pred/part-1.csv", "id,p\nb,0.2\ne,0.5\n");
    tu_write(dir, "pred/part-0.csv", "id,p\nd,0.4\nc,0.3\na,0.1\n");
    tu_write(dir, "pred/_SUCCESS", "");
    o.join_to = parts;
    pred = load(in_dir(dir, "pred"), &o, (mg_column_request[]){{"p", MG_COLUMN_NUMBER}},
                1);
    for (size_t r = 0; r < 5; r++)
        ck_assert_double_eq(mg_table_numbers(pred, 0)[r],
                            ((const double[]){0.1, 0.2, 0.3, 0.4, 0.5})[r]);
    ck_assert_str_eq(mg__table_row_path(pred, 1), in_dir(dir, "pred/part-1.csv"));
    ck_assert_uint_eq(mg_table_line(pred, 0), 4);
    ck_assert_uint_eq(pred->nparts, 2);
    mg_table_free(pred);

    /* A duplicate id across parts names both; a header that differs; no match. */
    {
        mg_error err = MG_ERROR_INIT;
        mg_table *t = NULL;
        char msg[600];
        tu_write(dir, "pred/part-2.csv", "id,p\na,0.9\n");
        ck_assert_int_eq(
            mg_table_load_csv(&t, in_dir(dir, "pred"), &o,
                              (mg_column_request[]){{"p", MG_COLUMN_NUMBER}}, 1, &err),
            MG_EDATA);
        ck_assert_ptr_null(t);
        ck_assert_str_eq(err.file, in_dir(dir, "pred/part-2.csv"));
        ck_assert_uint_eq(err.line, 2);
        snprintf(msg, sizeof msg, "duplicate id 'a' (first on line 4 of %s)",
                 in_dir(dir, "pred/part-0.csv"));
        ck_assert_str_eq(err.message, msg);
        tu_write(dir, "pred/part-2.csv", "id,q\nz,0.9\n");
        ck_assert_int_eq(
            mg_table_load_csv(&t, in_dir(dir, "pred"), &o,
                              (mg_column_request[]){{"p", MG_COLUMN_NUMBER}}, 1, &err),
            MG_EDATA);
        ck_assert_str_eq(err.file, in_dir(dir, "pred/part-2.csv"));
        ck_assert_uint_eq(err.line, 1);
        ck_assert_uint_eq(err.column, 2);
        snprintf(msg, sizeof msg,
                 "header differs from the first part's (%s): column 2 is 'q' here, "
                 "'p' there; every part must have the same header",
                 in_dir(dir, "pred/part-0.csv"));
        ck_assert_str_eq(err.message, msg);
        o.join_to = NULL;
        snprintf(pattern, sizeof pattern, "%s/nothing-*.csv", dir);
        expect_error(pattern, &o, cols, 2, MG_EIO, 0, 0, "no file matches the pattern");
    }
    mg_table_free(parts);
    mg_table_free(one);
}
END_TEST

static Suite *table_suite(void)
{
    Suite *s = suite_create("table");
    TCase *tc;

    tc = tcase_create("core");
    tcase_add_test(tc, core_basic);
    tcase_add_test(tc, core_id_column);
    tcase_add_test(tc, core_no_columns);
    tcase_add_test(tc, core_join_by_id);
    tcase_add_test(tc, core_join_by_position);
    tcase_add_test(tc, core_numbers);
    suite_add_tcase(s, tc);

    tc = tcase_create("edge");
    tcase_add_test(tc, edge_line_ends);
    tcase_add_test(tc, edge_bom);
    tcase_add_test(tc, edge_delimiters);
    tcase_add_test(tc, edge_spaces_and_empty);
    tcase_add_test(tc, edge_chunk_boundaries);
    tcase_add_test(tc, edge_many_rows);
    tcase_add_test(tc, edge_fifo);
    tcase_add_test(tc, edge_free_null);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, errors_structure);
    tcase_add_test(tc, errors_absent_column);
    tcase_add_test(tc, errors_syntax);
    tcase_add_test(tc, errors_numbers);
    tcase_add_test(tc, errors_ids);
    tcase_add_test(tc, errors_files);
    tcase_add_test(tc, errors_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("parts");
    tcase_add_test(tc, parts_as_one_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("reference");
    tcase_add_test(tc, reference_sha256);
    tcase_add_test(tc, reference_number_oracle);
    tcase_add_test(tc, reference_dict_oracle);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(table_suite());
}
