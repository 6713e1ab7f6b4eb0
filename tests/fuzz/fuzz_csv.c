/*
 * libFuzzer target: the CSV loader (fixtures/csv.c), alone and joined to a holdout set.
 *
 * Input layout: two control bytes, then the file.
 *   byte 0, bits 0-1  delimiter: ',' ';' '\t' '|'
 *           bit 2     the first header field is the id column
 *           bit 3     join to a holdout table (by id when bit 2 is set, else by row)
 *           bits 4-5  padding before the file: none, or a line of spaces ended by
 *                     LF, CR, or CR LF
 *   byte 1            b: the padding is 65537 - b bytes, so that the 64 KiB read
 *                     boundary falls after byte b - 1 of the file (b = 0 with CR LF:
 *                     between the CR and the LF)
 * The loader reads 64 KiB chunks and cuts them at line ends, so bugs at chunk edges
 * need files longer than libFuzzer's usual inputs. The padding is one blank line,
 * which the loader skips but counts, and costs one segment rather than thousands.
 *
 * Columns are taken from the file's own first line (split naively on the delimiter),
 * so that any CSV in the seed corpus asks for columns it has: the second field as a
 * category, the third and the last as numbers.
 *
 * Oracles: no sanitizer report, no leak, and on success a table whose invariants
 * hold: every code is below its column's level count, every number is finite, every
 * row has a line, the hash is 64 hex digits, a joined table has the holdout's rows.
 * On failure the error has a code and a one-line message.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/table.h"

#include "fuzz_common.h"

#define CHUNK        (64 * 1024)
#define NAME_MAX_LEN 64

static const char *csv_path, *holdout_path;

/* Field k (0-based) of the first line, split on delim without quoting rules, after
 * the byte-order mark the loader skips. */
static int header_field(const uint8_t *d, size_t n, char delim, size_t k, char *out)
{
    size_t i = n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, f = 0, len = 0;

    for (; i < n && d[i] != '\n' && d[i] != '\r'; i++) {
        if (d[i] == (uint8_t)delim) {
            if (f++ == k)
                break;
            continue;
        }
        if (f == k) {
            if (d[i] == '\0' || len == NAME_MAX_LEN)
                return 0;
            out[len++] = (char)d[i];
        }
    }
    out[len] = '\0';
    return f >= k && len > 0;
}

static void check_table(const mg_table *t, size_t want_rows)
{
    size_t rows = mg_table_rows(t), ncols = mg_table_columns(t);
    const char *sha = mg_table_sha256(t);

    FUZZ_CHECK(rows > 0);
    FUZZ_CHECK(want_rows == 0 || rows == want_rows);
    FUZZ_CHECK(sha != NULL && strlen(sha) == 64 &&
               strspn(sha, "0123456789abcdef") == 64);
    for (size_t r = 0; r < rows; r++)
        FUZZ_CHECK(mg_table_line(t, r) > 0);
    for (size_t c = 0; c < ncols; c++) {
        FUZZ_CHECK(mg_table_find(t, mg_table_column_name(t, c)) == (long)c);
        if (mg_table_column_type(t, c) == MG_COLUMN_NUMBER) {
            const double *x = mg_table_numbers(t, c);
            for (size_t r = 0; r < rows; r++)
                FUZZ_CHECK(isfinite(x[r]));
        } else {
            const uint32_t *codes = mg_table_codes(t, c);
            size_t levels = mg_table_levels(t, c);
            for (size_t r = 0; r < rows; r++) {
                const char *s;
                FUZZ_CHECK(codes[r] < levels);
                s = mg_table_level(t, c, codes[r]);
                FUZZ_CHECK(s != NULL);
                FUZZ_CHECK(mg_table_code_of(t, c, s) == (long)codes[r]);
            }
        }
    }
}

/* A holdout table of 16 rows whose id column is named like the file's. */
static mg_table *load_holdout(const char *id)
{
    static const char ids[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\na\nb\n";
    char text[NAME_MAX_LEN + sizeof ids + 16];
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_column_request req = {id, MG_COLUMN_CATEGORY};
    mg_error err = MG_ERROR_INIT;
    mg_table *t = NULL;

    /* Names that need quoting would test the holdout, not the file. */
    if (strpbrk(id, "\",;|\t \r\n") != NULL)
        return NULL;
    /* Behind a byte-order mark of its own, a name that starts with one survives. */
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s\n%s", id, ids);
    fuzz_write(holdout_path, (const uint8_t *)text, strlen(text));
    o.id = id;
    FUZZ_CHECK(mg_table_load_csv(&t, holdout_path, &o, &req, 1, &err) == 0);
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {',', ';', '\t', '|'};
    char names[3][NAME_MAX_LEN + 1], id[NAME_MAX_LEN + 1];
    mg_column_request req[3];
    mg_csv_options o = MG_CSV_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_table *t = NULL, *holdout = NULL;
    size_t nreq = 0, pad = 0, nfields = 0;
    uint8_t *buf;
    int use_id, join, pad_kind, rc;

    if (csv_path == NULL) {
        csv_path = fuzz_path("csv", ".csv");
        holdout_path = fuzz_path("holdout", ".csv");
    }
    if (size < 2)
        return 0;
    o.delimiter = delims[data[0] & 3];
    use_id = (data[0] >> 2) & 1;
    join = (data[0] >> 3) & 1;
    pad_kind = (data[0] >> 4) & 3;
    if (pad_kind != 0)
        pad = CHUNK + 1 - data[1];
    data += 2;
    size -= 2;

    /* Columns named in the first line. */
    while (nfields < 64 && header_field(data, size, o.delimiter, nfields, id))
        nfields++;
    if (use_id && !header_field(data, size, o.delimiter, 0, id))
        use_id = 0;
    if (use_id)
        o.id = id;
    {
        size_t want[3] = {1, 2, nfields > 0 ? nfields - 1 : 0};
        for (size_t k = 0; k < 3; k++) {
            int dup = 0;
            if (want[k] == 0 || want[k] >= nfields ||
                !header_field(data, size, o.delimiter, want[k], names[nreq]))
                continue;
            for (size_t j = 0; j < nreq; j++)
                dup |= strcmp(req[j].name, names[nreq]) == 0;
            if (dup || (use_id && strcmp(id, names[nreq]) == 0))
                continue;
            req[nreq].name = names[nreq];
            req[nreq].type = k == 0 ? MG_COLUMN_CATEGORY : MG_COLUMN_NUMBER;
            nreq++;
        }
    }

    buf = malloc(pad + size + 1);
    if (buf == NULL)
        return 0;
    if (pad > 0) {
        memset(buf, ' ', pad);
        if (pad_kind == 3)
            buf[pad - 2] = '\r';
        buf[pad - 1] = pad_kind == 2 ? '\r' : '\n';
    }
    if (size > 0)
        memcpy(buf + pad, data, size);
    fuzz_write(csv_path, buf, pad + size);
    free(buf);

    if (join) {
        if (use_id) {
            holdout = load_holdout(id);
            if (holdout == NULL)
                return 0;
        } else {
            holdout = load_holdout("row");
        }
        o.join_to = holdout;
    }
    rc = mg_table_load_csv(&t, csv_path, &o, nreq ? req : NULL, nreq, &err);
    if (rc == 0) {
        FUZZ_CHECK(t != NULL);
        check_table(t, holdout ? mg_table_rows(holdout) : 0);
    } else {
        FUZZ_CHECK(t == NULL);
        FUZZ_CHECK(rc < 0 && err.code == rc);
        FUZZ_CHECK(err.message[0] != '\0');
        FUZZ_CHECK(strchr(err.message, '\n') == NULL);
    }
    mg_table_free(t);
    mg_table_free(holdout);
    return 0;
}
