/* Helpers shared by the Check programs: paths into the source tree, scratch files. */
#ifndef MG_TESTUTIL_H
#define MG_TESTUTIL_H

#include <stddef.h>

#include <check.h>

/* MG_SOURCE_DIR "/" rel, in a static buffer rotated over 16 calls of tu_src and
 * tu_write. */
const char *tu_src(const char *rel);
/* A fresh empty scratch directory under the build tree, named after `tag` (a ring
 * of its own: 16 calls of tu_scratch_dir). */
const char *tu_scratch_dir(const char *tag);
/* Write `text` to dir/name and return the full path (tu_src's ring). */
const char *tu_write(const char *dir, const char *name, const char *text);
/* Whole file as a NUL-terminated string (malloc), or NULL. */
char *tu_slurp(const char *path, size_t *len);
/* Non-zero when path exists. */
int tu_exists(const char *path);
/* main() of every Check program: run `s` with GSL's abort-on-error handler off;
 * EXIT_SUCCESS when no test failed. */
int tu_run(Suite *s);
/* |a - b| <= rel * max(|a|, |b|), or both tiny (|a - b| <= rel). */
int tu_close(double a, double b, double rel);

#endif
