/*
 * Error records.
 *
 * Every fallible library call takes an optional mg_error and fills it on failure with
 * a code, a one-line message and where the problem is. Keeping the location as
 * separate fields (file, line, column, suite key) lets the CLI print the contract's
 * `modelgate: FILE:LINE:COL: what is wrong` and lets tests assert each part.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "modelgate/error.h"

const char *mg_error_name(int code)
{
    switch (code) {
    case MG_OK:
        return "OK";
#define MG__ERROR_CASE(name, value, text)                                              \
    case MG_##name:                                                                    \
        return #name;
        MG_ERROR_TABLE(MG__ERROR_CASE)
#undef MG__ERROR_CASE
    default:
        return "UNKNOWN";
    }
}

/* Replace control characters so that a message always stays on one line. */
static void one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
}

int mg_error_set(mg_error *err, int code, const char *file, unsigned long line,
                 unsigned long column, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    err->key[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    one_line(err->message);
    one_line(err->file);
    return code;
}

int mg_error_set_key(mg_error *err, const char *key)
{
    if (err == NULL)
        return 0;
    snprintf(err->key, sizeof err->key, "%s", key ? key : "");
    one_line(err->key);
    return err->code;
}

int mg_error_format(const mg_error *err, char *buf, size_t size)
{
    char where[MG_ERROR_PATH_MAX + 64] = "";
    char key[MG_ERROR_KEY_MAX + 16] = "";

    if (err->file[0] != '\0') {
        if (err->line > 0 && err->column > 0)
            snprintf(where, sizeof where, "%s:%lu:%lu: ", err->file, err->line,
                     err->column);
        else if (err->line > 0)
            snprintf(where, sizeof where, "%s:%lu: ", err->file, err->line);
        else
            snprintf(where, sizeof where, "%s: ", err->file);
    }
    if (err->key[0] != '\0')
        snprintf(key, sizeof key, "key '%s': ", err->key);
    return snprintf(buf, size, "%s%s%s", where, key, err->message);
}

void mg_error_clear(mg_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof *err);
}
