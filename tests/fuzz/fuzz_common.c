/*
 * Helpers for the fuzz targets: a per-process scratch path on a tmpfs, whole-file
 * writes, and an assertion that aborts so that libFuzzer keeps the input.
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The scratch files of this process, removed at exit. */
static char *paths[8];
static size_t npaths;

static void remove_paths(void)
{
    for (size_t i = 0; i < npaths; i++)
        unlink(paths[i]);
}

const char *fuzz_path(const char *tag, const char *suffix)
{
    struct stat st;
    const char *dir = getenv("MG_FUZZ_DIR");
    char *path = malloc(4096);

    if (path == NULL || npaths == sizeof paths / sizeof paths[0])
        abort();
    if (dir == NULL)
        dir = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(path, 4096, "%s/mg-fuzz-%s-%ld%s", dir, tag, (long)getpid(), suffix);
    if (npaths == 0)
        atexit(remove_paths);
    paths[npaths++] = path;
    return path;
}

void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL || (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

void fuzz_check(int cond, const char *what, const char *file, int line)
{
    if (cond)
        return;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    abort();
}
