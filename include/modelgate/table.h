/**
 * @file table.h
 * @brief Columnar tables read from CSV files (the fixtures module).
 *
 * A table holds only the columns a suite asks for: numbers as `double`, categorical
 * columns dictionary-encoded as `uint32_t` codes with a level string per code. The
 * CSV file is streamed through libcsv once; nothing else of the file is kept. While
 * streaming, the SHA-256 of the file's bytes is computed for the report's provenance.
 *
 * A prediction file can be joined to a holdout table as it is read: with an id
 * column, each row is placed at the holdout row with the same id (any row order);
 * without one, rows align by position and the counts must match. Either way the
 * resulting table has the holdout's row count and row order.
 *
 * Files compressed with gzip or zstd are recognised by their first bytes and read
 * through zlib or libzstd; the SHA-256 is then that of the compressed bytes, as
 * stored. The path "-" reads standard input (named "<stdin>" in messages). Files
 * that are not CSV but start like Parquet, Excel (xlsx, xls), bzip2, xz, SQLite,
 * Feather, HDF5, NumPy or pickle files are refused with a message saying so.
 */
#ifndef MODELGATE_TABLE_H
#define MODELGATE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/error.h"
#include "modelgate/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mg_table mg_table;

typedef enum mg_column_type {
    MG_COLUMN_NUMBER,  /**< finite double; empty, non-numeric, NaN, ±inf are errors,
                            except that a missing-value marker (mg_csv_options.missing)
                            is stored as NaN */
    MG_COLUMN_CATEGORY /**< any string, dictionary-encoded in first-seen order */
} mg_column_type;

/** One column the caller wants kept. */
typedef struct mg_column_request {
    const char *name; /**< header name, matched exactly (after BOM removal) */
    mg_column_type type;
} mg_column_request;

/** The version of mg_csv_options this header describes. */
#define MG_CSV_OPTIONS_VERSION 3

/** What to do with a joined file's rows whose id the join_to table does not have. */
typedef enum mg_extra_ids {
    MG_EXTRA_IDS_ERROR, /**< an error naming the count and the first few ids */
    MG_EXTRA_IDS_IGNORE /**< skip them (predictions for more rows than the holdout) */
} mg_extra_ids;

/**
 * How to read a CSV file. Initialise with MG_CSV_OPTIONS_INIT or mg_csv_options_init;
 * a zeroed struct (version 0, as callers wrote before the options had a version)
 * reads as version 1 with a ',' delimiter.
 */
typedef struct mg_csv_options {
    unsigned int version;    /**< MG_CSV_OPTIONS_VERSION */
    char delimiter;          /**< field delimiter, ',' by default */
    const char *id;          /**< id column name or NULL; ids must be unique */
    const mg_table *join_to; /**< when set, rows are placed in join_to's row order */
    const char *join_name;   /**< how to name join_to in messages ("holdout set") */
    /** When *cancel becomes non-zero, loading stops with MG_EINTERNAL; NULL for never.
     * A FIFO waiting for its writer checks it every 100 ms. */
    volatile const int *cancel;
    /* Version 2. */
    /** Missing-value markers (NULL-terminated), or NULL for none. A number column
     * stores a marker as NaN; a category column keeps it as a level; an id that is a
     * marker is an error, or the record is skipped with drop_missing. */
    const char *const *missing;
    int drop_missing;       /**< skip records whose id is a missing-value marker */
    const char *join_id;    /**< join_to's id column when its name differs from id;
                                 NULL: the same name */
    mg_extra_ids extra_ids; /**< ids absent from join_to: error (default) or skip */
    /* Version 3. */
    /** When the header lacks a requested column, the loader stores which: its index
     * in `cols`, or ncols for the id column when `cols` does not name it. Left alone
     * otherwise; NULL: not wanted. (The error message says the same in words.) */
    size_t *absent;
} mg_csv_options;

#define MG_CSV_OPTIONS_INIT                                                            \
    {                                                                                  \
        MG_CSV_OPTIONS_VERSION, ',', NULL, NULL, NULL, NULL, NULL, 0, NULL,            \
            MG_EXTRA_IDS_ERROR, NULL                                                   \
    }

/**
 * Initialise `opts` to the defaults, as MG_CSV_OPTIONS_INIT does.
 *
 * @param version MG_CSV_OPTIONS_VERSION
 * @return 0, or MG_EINVAL when opts is NULL or this library does not know `version`
 *         (opts is then left as it was)
 */
MG_EXTERN int mg_csv_options_init(mg_csv_options *opts, unsigned int version);

/**
 * Read `path` keeping the requested columns (and the id column when opts->id is set).
 *
 * Errors (all MG_EDATA or MG_EPARSE with file and line set, MG_EIO for unreadable
 * files, MG_ENOMEM): empty file, no data rows, a requested column missing from the
 * header, a duplicated header name, a record with a different number of fields
 * than the header, a malformed quoted field, a number column value that is not a
 * finite number, a duplicate id, an id absent from join_to, a join_to id with no
 * row here, a row count that differs from join_to when there is no id.
 * A UTF-8 byte-order mark is skipped; LF, CRLF and CR line ends are accepted.
 *
 * A `path` that is a directory, or a pattern (glob(3): *, ?, [...]) that is not
 * itself a file, is a partitioned input: its parts (the directory's files whose names
 * start with neither '.' nor '_', or the pattern's matches) are read in name order
 * (strcmp) as one file of their rows; each part's header must equal the first's, and
 * errors name the part and its line. A pattern that matches nothing is MG_EIO.
 *
 * An options struct whose version is newer than this library's
 * MG_CSV_OPTIONS_VERSION is MG_EINVAL; a zeroed one reads as the defaults.
 *
 * @param out   receives the table, owned by the caller (mg_table_free)
 * @param cols  requested columns; the table's column i is cols[i]
 */
MG_EXTERN int mg_table_load_csv(mg_table **out, const char *path,
                                const mg_csv_options *opts,
                                const mg_column_request *cols, size_t ncols,
                                mg_error *err);

/** Free a table; NULL is allowed. */
MG_EXTERN void mg_table_free(mg_table *t);

MG_EXTERN size_t mg_table_rows(const mg_table *t);
MG_EXTERN size_t mg_table_columns(const mg_table *t);
MG_EXTERN const char *mg_table_column_name(const mg_table *t, size_t col);
MG_EXTERN mg_column_type mg_table_column_type(const mg_table *t, size_t col);

/** Index of the kept column named `name`, or -1. */
MG_EXTERN long mg_table_find(const mg_table *t, const char *name);

/** Values of a number column (rows entries), or NULL for a category column. */
MG_EXTERN const double *mg_table_numbers(const mg_table *t, size_t col);
/** Codes of a category column (rows entries), or NULL for a number column. */
MG_EXTERN const uint32_t *mg_table_codes(const mg_table *t, size_t col);
/** Number of distinct values of a category column (0 for a number column). */
MG_EXTERN size_t mg_table_levels(const mg_table *t, size_t col);
/** The string of `code` in a category column; borrowed, lives as long as t. */
MG_EXTERN const char *mg_table_level(const mg_table *t, size_t col, uint32_t code);
/** Code of `value` in a category column, or -1 when the column never has it. */
MG_EXTERN long mg_table_code_of(const mg_table *t, size_t col, const char *value);

/** 1-based line of the file on which the given row (in table order) starts. */
MG_EXTERN unsigned long mg_table_line(const mg_table *t, size_t row);

/** 1-based field number of a kept column in the file's header (0: out of range). */
MG_EXTERN unsigned long mg_table_field(const mg_table *t, size_t col);

/** Records skipped while loading: with a missing id (drop_missing), and with an id
 * absent from join_to (MG_EXTRA_IDS_IGNORE). */
MG_EXTERN size_t mg_table_skipped_missing(const mg_table *t);
MG_EXTERN size_t mg_table_skipped_extra(const mg_table *t);

/** The path the table was read from (borrowed). */
MG_EXTERN const char *mg_table_path(const mg_table *t);
/** Lower-case hex SHA-256 of the file's bytes (64 characters, borrowed); for a
 * partitioned input, of its parts' digests, each on a line of its own. */
MG_EXTERN const char *mg_table_sha256(const mg_table *t);

#ifdef __cplusplus
}
#endif

#endif
