#include "testutil.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

/* Two rings of static buffers: paths (tu_src, tu_write) and scratch directories, so
 * that a directory stays valid however many files are written into it. */
#define RING 16
static char paths[RING][4096], dirs[RING][4096];
static unsigned next_path, next_dir;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "testutil: %s %s: %s\n", what, path, strerror(errno));
    abort();
}

const char *tu_src(const char *rel)
{
    char *s = paths[next_path++ % RING];
    snprintf(s, 4096, "%s/%s", MG_SOURCE_DIR, rel);
    return s;
}

const char *tu_scratch_dir(const char *tag)
{
    char *s = dirs[next_dir++ % RING];
    char cmd[2 * sizeof dirs[0] + 32];
    snprintf(s, 4096, "%s/tests/scratch/%s.%ld", MG_BINARY_DIR, tag, (long)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", s, s);
    if (system(cmd) != 0)
        die("cannot create", s);
    return s;
}

const char *tu_write(const char *dir, const char *name, const char *text)
{
    char *s = paths[next_path++ % RING];
    FILE *f;
    /* Tests write below the build tree only; a dir that is not there is a dangling
     * ring buffer (it once sent files to / when run as root). */
    if (dir == s || strncmp(dir, MG_BINARY_DIR "/", strlen(MG_BINARY_DIR) + 1) != 0)
        die("directory outside the build tree for", name);
    snprintf(s, 4096, "%s/%s", dir, name);
    f = fopen(s, "wb");
    if (f == NULL)
        die("cannot write", s);
    fputs(text, f);
    fclose(f);
    return s;
}

char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (f == NULL)
        return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            cap = (cap + 4096) * 2;
            buf = realloc(buf, cap);
            if (buf == NULL)
                die("out of memory reading", path);
        }
        got = fread(buf + n, 1, 4096, f);
        n += got;
    } while (got > 0);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int tu_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int tu_close(double a, double b, double rel)
{
    double scale = fmax(fabs(a), fabs(b));
    if (fabs(a - b) <= rel)
        return 1;
    return fabs(a - b) <= rel * scale;
}

int tu_run(Suite *s)
{
    SRunner *sr;
    int failed;

    gsl_set_error_handler_off();
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
