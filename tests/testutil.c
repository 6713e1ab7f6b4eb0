#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char slots[8][4096];
static unsigned next_slot;

static char *slot(void)
{
    return slots[next_slot++ % 8];
}

const char *tu_src(const char *rel)
{
    char *s = slot();
    snprintf(s, 4096, "%s/%s", MG_SOURCE_DIR, rel);
    return s;
}

const char *tu_scratch_dir(const char *tag)
{
    char *s = slot();
    char cmd[4200];
    snprintf(s, 4096, "%s/tests/scratch/%s.%ld", MG_BINARY_DIR, tag, (long)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", s, s);
    if (system(cmd) != 0)
        abort();
    return s;
}

const char *tu_write(const char *dir, const char *name, const char *text)
{
    char *s = slot();
    FILE *f;
    snprintf(s, 4096, "%s/%s", dir, name);
    f = fopen(s, "wb");
    if (f == NULL)
        abort();
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
                abort();
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
