/* Helpers shared by the Check programs: paths into the source tree, scratch files. */
#ifndef MG_TESTUTIL_H
#define MG_TESTUTIL_H

#include <stddef.h>

/* MG_SOURCE_DIR "/" rel, in a static buffer rotated over 8 calls. */
const char *tu_src(const char *rel);
/* A fresh empty scratch directory under the build tree, named after `tag`. */
const char *tu_scratch_dir(const char *tag);
/* Write `text` to dir/name and return the full path (static buffer, 8 slots). */
const char *tu_write(const char *dir, const char *name, const char *text);
/* Whole file as a NUL-terminated string (malloc), or NULL. */
char *tu_slurp(const char *path, size_t *len);
/* Non-zero when path exists. */
int tu_exists(const char *path);
/* |a - b| <= rel * max(|a|, |b|), or both tiny (|a - b| <= rel). */
int tu_close(double a, double b, double rel);

#endif
