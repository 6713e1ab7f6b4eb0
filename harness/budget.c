/*
 * The memory budget: a run that would not fit stops with a clear error before it
 * allocates, instead of being killed by the kernel half-way through a bootstrap.
 *
 * Two estimates are checked: the input tables before loading (from the files'
 * sizes: a table holds a few times its file's bytes in ids, line numbers and typed
 * columns), and the tables plus the engine's peak plus the replicate scratch before
 * the bootstrap (the engine estimates its own peak, stats/engine.h).
 */
#include "harness/budget.h"

#include <glob.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

double mg__budget_limit(double max_memory)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (max_memory > 0)
        return max_memory;
    return pages > 0 && size > 0 ? 0.8 * (double)pages * (double)size : 4e9;
}

/* Binary units, as --max-memory reads them. */
static void format_bytes(char *buf, size_t size, double bytes)
{
    if (bytes >= 1024.0 * 1024 * 1024)
        snprintf(buf, size, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    else if (bytes >= 1024.0 * 1024)
        snprintf(buf, size, "%.0f MiB", bytes / (1024.0 * 1024));
    else
        snprintf(buf, size, "%.0f KiB", bytes / 1024.0);
}

int mg__budget_check(const mg_suite *s, double need, double limit, const char *what,
                     mg_error *err)
{
    char a[32], b[32];
    if (need <= limit)
        return 0;
    format_bytes(a, sizeof a, need);
    format_bytes(b, sizeof b, limit);
    return mg_error_set(err, MG_EINVAL, s->path, 0, 0,
                        "the run needs about %s of memory (%s), more than the limit "
                        "of %s; lower the replicates or raise --max-memory",
                        a, what, b);
}

/* A file's bytes; for a pattern, its matches' (a directory of parts counts as 0). */
static double file_bytes(const char *path)
{
    struct stat st;
    glob_t g;
    double bytes = 0;

    if (path == NULL)
        return 0;
    if (stat(path, &st) == 0)
        return S_ISREG(st.st_mode) ? (double)st.st_size : 0;
    if (glob(path, GLOB_NOSORT, NULL, &g) != 0)
        return 0;
    for (size_t i = 0; i < g.gl_pathc; i++)
        if (stat(g.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode))
            bytes += (double)st.st_size;
    globfree(&g);
    return bytes;
}

double mg__budget_tables(const mg_suite *s)
{
    double bytes = 3.0 * file_bytes(s->data.holdout);
    for (size_t m = 0; m < s->nmodels; m++)
        bytes += 3.0 * file_bytes(s->models[m].file);
    return bytes;
}
