/**
 * @file error.h
 * @brief Error codes and the caller-owned error record every fallible call fills.
 *
 * Functions return 0 on success or a negative MG_E* code. When they fail they fill
 * the mg_error the caller passed (if not NULL) with the code, a one-line message and
 * the location of the problem: the input file, its line and column, and the suite
 * key, whichever are known. The library never prints; the CLI formats the record
 * as `modelgate: FILE:LINE:COL: message`.
 */
#ifndef MODELGATE_ERROR_H
#define MODELGATE_ERROR_H

#include <stddef.h>

#include "modelgate/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** X-macro table: name, value, generic description. */
#define MG_ERROR_TABLE(X)                                                              \
    X(EINVAL, -1, "invalid argument")                                                  \
    X(EIO, -2, "input or output error")                                                \
    X(EPARSE, -3, "malformed input")                                                   \
    X(EDATA, -4, "bad data")                                                           \
    X(ENOMEM, -5, "out of memory")                                                     \
    X(ENUMERIC, -6, "numerical failure")                                               \
    X(EINTERNAL, -7, "internal error")

enum mg_status {
    MG_OK = 0,
#define MG__ERROR_ENUM(name, value, text) MG_##name = value,
    MG_ERROR_TABLE(MG__ERROR_ENUM)
#undef MG__ERROR_ENUM
};

#define MG_ERROR_MESSAGE_MAX 512
#define MG_ERROR_PATH_MAX    1024
#define MG_ERROR_KEY_MAX     128

/**
 * An error record. Fields that are unknown are empty strings or 0. `message` is
 * one line with no trailing period and no "failed to" prefix.
 */
typedef struct mg_error {
    int code;                           /**< MG_E* code, 0 when no error */
    char file[MG_ERROR_PATH_MAX];       /**< input file the problem is in, or "" */
    unsigned long line;                 /**< 1-based line in file, or 0 */
    unsigned long column;               /**< 1-based column (field) in line, or 0 */
    char key[MG_ERROR_KEY_MAX];         /**< suite key such as tests[2].metric, or "" */
    char message[MG_ERROR_MESSAGE_MAX]; /**< what is wrong */
} mg_error;

#define MG_ERROR_INIT                                                                  \
    {                                                                                  \
        0, "", 0, 0, "", ""                                                            \
    }

/** Name of a code ("EDATA"), or "UNKNOWN". */
MG_EXTERN const char *mg_error_name(int code);

/**
 * Fill `err` (may be NULL) and return `code`. `file` may be NULL. The message is
 * printf-formatted and truncated to fit.
 */
MG_EXTERN int mg_error_set(mg_error *err, int code, const char *file,
                           unsigned long line, unsigned long column, const char *fmt,
                           ...) __attribute__((format(printf, 6, 7)));

/** Set the key of an already filled record (may be NULL). Returns err->code. */
MG_EXTERN int mg_error_set_key(mg_error *err, const char *key);

/**
 * Format the record as one line, `FILE:LINE:COL: message` with the parts that are
 * known (the key, when set, is quoted before the message: `key 'tests[2].metric': …`).
 * Returns the length it would have written, as snprintf does.
 */
MG_EXTERN int mg_error_format(const mg_error *err, char *buf, size_t size);

/** Clear the record to its initial state (may be NULL). */
MG_EXTERN void mg_error_clear(mg_error *err);

#ifdef __cplusplus
}
#endif

#endif
