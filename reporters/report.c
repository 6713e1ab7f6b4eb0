/*
 * Reports: ownership, output paths and atomic file writes.
 *
 * A run must never leave a half-written or stale-looking report where a CI step will
 * pick it up: if modelgate dies after writing half of junit.xml, the pipeline would
 * publish a truncated file, or worse, a complete file from the previous run that
 * looks current. So every reporter renders its whole output in memory and hands it
 * to mg_write_file_atomic, which writes a temporary file in the target's own
 * directory (mkstemp; ".NAME.XXXXXX", hidden from globs such as *.xml), flushes it
 * with fsync, and rename(2)s it over the target. rename is atomic within one file
 * system, which is why the temporary file must live beside the target and not in
 * /tmp. On any failure the temporary file is unlinked, so nothing is left behind.
 *
 * Policy on what may be replaced: a regular file or nothing. A symbolic link at the
 * target is refused ("is a symbolic link; refusing to replace it") rather than
 * followed or replaced: rename would silently swap the link for a file, and writing
 * through it would let a link planted in a shared workspace redirect the report
 * anywhere the user can write. Directories, devices and FIFOs are refused as well,
 * rather than renamed over: a report meant for a pipe or a terminal is a string
 * (mg_report_json_string and its siblings) that the caller writes there itself, as
 * the CLI does for `--json -` and `--json /dev/stdout`. mg_report_check_path applies
 * the same rules, plus "the directory exists and
 * is writable", before any computation, so a typo in an output path costs
 * milliseconds and not a ten-minute bootstrap.
 *
 * mkstemp creates files with mode 0600. A report is an artifact other users and CI
 * uploaders read, so the file gets the mode an ordinary fopen would give it:
 * 0666 less the process umask, or the mode of the file it replaces. The umask is read
 * from /proc/self/status where available, because umask(2) can only be read by
 * changing it, which would race with other threads of the host creating files.
 *
 * This file also holds the small helpers the reporters share (report_internal.h):
 * outcome counts, a C-locale scope for number formatting, and the number formats.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "modelgate/report.h"
#include "reporters/report_internal.h"
#include "reporters/xmlclean.h"

static void free_case(mg_case *c)
{
    free(c->test);
    free(c->metric);
    free(c->model);
    free(c->baseline);
    free(c->slicing);
    free(c->slice);
    free(c->p_method);
    free(c->rule);
    free(c->interval);
    free(c->message);
    free(c->detail);
    free(c->warning);
    free(c->reason);
    free(c->gap_high);
    free(c->gap_low);
    free(c->weak_explained_by);
    for (size_t i = 0; c->peers != NULL && i < c->npeers; i++)
        free(c->peers[i].model);
    free(c->peers);
}

static void free_curve(mg_curve *c)
{
    free(c->model);
    free(c->x);
    free(c->y);
    free(c->low);
    free(c->high);
    free(c->reason);
}

static void free_metric(mg_metric_entry *m)
{
    free(m->model);
    free(m->slicing);
    free(m->slice);
    free(m->metric);
    free(m->reason);
}

void mg_report_free(mg_report *r)
{
    size_t i;

    if (r == NULL)
        return;
    free(r->suite);
    free(r->suite_path);
    free(r->tool_version);
    free(r->interval);
    free(r->resampler);
    free(r->stratify);
    free(r->cluster);
    for (i = 0; r->inputs != NULL && i < r->ninputs; i++) {
        free(r->inputs[i].role);
        free(r->inputs[i].path);
    }
    free(r->inputs);
    for (i = 0; r->warnings != NULL && i < r->nwarnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    for (i = 0; r->cases != NULL && i < r->ncases; i++)
        free_case(&r->cases[i]);
    free(r->cases);
    for (i = 0; r->metrics != NULL && i < r->nmetrics; i++)
        free_metric(&r->metrics[i]);
    free(r->metrics);
    for (i = 0; r->curves != NULL && i < r->ncurves; i++)
        free_curve(&r->curves[i]);
    free(r->curves);
    free(r->commit);
    free(r->commit_source);
    free(r);
}

/*
 * Check what is at `path` now: nothing, or a regular file, whose lstat is stored in
 * *st and flagged in *exists. Anything else is MG_EIO naming the path.
 */
static int check_target(const char *path, struct stat *st, int *exists, mg_error *err)
{
    size_t len = strlen(path);

    *exists = 0;
    if (len > 0 && path[len - 1] == '/')
        return mg_error_set(err, MG_EIO, path, 0, 0, "is a directory");
    if (lstat(path, st) != 0) {
        if (errno == ENOENT)
            return 0;
        return mg_error_set(err, MG_EIO, path, 0, 0, "%s", strerror(errno));
    }
    if (S_ISLNK(st->st_mode))
        return mg_error_set(err, MG_EIO, path, 0, 0,
                            "is a symbolic link; refusing to replace it");
    if (S_ISDIR(st->st_mode))
        return mg_error_set(err, MG_EIO, path, 0, 0, "is a directory");
    if (!S_ISREG(st->st_mode))
        return mg_error_set(err, MG_EIO, path, 0, 0,
                            "is not a regular file; refusing to replace it");
    *exists = 1;
    return 0;
}

/* The directory part of path ("." when it has none), malloc'd; NULL when out of
 * memory. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n;
    char *dir;

    if (slash == NULL)
        return strdup(".");
    n = slash == path ? 1 : (size_t)(slash - path);
    dir = malloc(n + 1);
    if (dir == NULL)
        return NULL;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return dir;
}

int mg_report_check_path(const char *path, mg_error *err)
{
    struct stat st;
    char *dir = NULL;
    int exists, error;

    if (path == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no output path");
    if (path[0] == '\0')
        return mg_error_set(err, MG_EIO, NULL, 0, 0, "empty output path");
    if ((error = check_target(path, &st, &exists, err)) < 0)
        goto cleanup;
    if ((dir = dir_of(path)) == NULL) {
        error = mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
        goto cleanup;
    }
    if (stat(dir, &st) != 0) {
        if (errno == ENOENT)
            error = mg_error_set(err, MG_EIO, path, 0, 0,
                                 "directory '%s' does not exist", dir);
        else
            error = mg_error_set(err, MG_EIO, path, 0, 0, "directory '%s': %s", dir,
                                 strerror(errno));
        goto cleanup;
    }
    if (!S_ISDIR(st.st_mode)) {
        error = mg_error_set(err, MG_EIO, path, 0, 0, "'%s' is not a directory", dir);
        goto cleanup;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        error =
            mg_error_set(err, MG_EIO, path, 0, 0, "directory '%s' is not writable: %s",
                         dir, strerror(errno));
        goto cleanup;
    }
    error = 0;

cleanup:
    free(dir);
    return error;
}

/* The process umask without changing it (see the essay); 022 when unknown. */
static mode_t current_umask(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long mask;
    mode_t result = 022;

    if (f == NULL)
        return result;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "Umask:", 6) == 0) {
            char *end;
            errno = 0;
            mask = strtoul(line + 6, &end, 8);
            if (errno == 0 && end != line + 6 && mask <= 0777)
                result = (mode_t)mask;
            break;
        }
    }
    fclose(f);
    return result;
}

/* fsync the directory so the rename itself survives a crash; best effort. */
static void sync_dir(const char *path)
{
    char *dir = dir_of(path);
    int fd;

    if (dir == NULL)
        return;
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int mg_write_file_atomic(const char *path, const void *data, size_t len, mg_error *err)
{
    struct stat st;
    const char *base;
    char *tmp = NULL;
    FILE *f = NULL;
    int fd = -1, exists, error, saved;
    size_t prefix;
    mode_t mode;

    if (path == NULL || (data == NULL && len > 0))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no output path or data");
    if (path[0] == '\0')
        return mg_error_set(err, MG_EIO, NULL, 0, 0, "empty output path");
    if ((error = check_target(path, &st, &exists, err)) < 0)
        return error;
    mode = exists ? (st.st_mode & 0777) : (0666 & ~current_umask());

    /* dir/.base.XXXXXX beside the target */
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    prefix = (size_t)(base - path);
    tmp = malloc(prefix + 1 + strlen(base) + sizeof ".XXXXXX");
    if (tmp == NULL)
        return mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
    memcpy(tmp, path, prefix);
    sprintf(tmp + prefix, ".%s.XXXXXX", base);

    fd = mkstemp(tmp);
    if (fd < 0) {
        error = mg_error_set(err, MG_EIO, path, 0, 0,
                             "cannot create a temporary file beside it: %s",
                             strerror(errno));
        free(tmp);
        return error;
    }
    if (fchmod(fd, mode) != 0) {
        error = mg_error_set(err, MG_EIO, path, 0, 0, "cannot set the mode of '%s': %s",
                             tmp, strerror(errno));
        goto cleanup;
    }
    if ((f = fdopen(fd, "wb")) == NULL) {
        error = mg_error_set(err, MG_EIO, path, 0, 0, "%s", strerror(errno));
        goto cleanup;
    }
    fd = -1; /* owned by f now */
    if ((len > 0 && fwrite(data, 1, len, f) != len) || fflush(f) != 0 ||
        fsync(fileno(f)) != 0) {
        error =
            mg_error_set(err, MG_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
        goto cleanup;
    }
    saved = fclose(f);
    f = NULL;
    if (saved != 0) {
        error =
            mg_error_set(err, MG_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
        goto cleanup;
    }
    if (rename(tmp, path) != 0) {
        error = mg_error_set(err, MG_EIO, path, 0, 0,
                             "cannot rename the temporary file over it: %s",
                             strerror(errno));
        goto cleanup;
    }
    free(tmp);
    tmp = NULL;
    sync_dir(path);
    error = 0;

cleanup:
    if (f != NULL)
        fclose(f);
    if (fd >= 0)
        close(fd);
    if (tmp != NULL) {
        unlink(tmp);
        free(tmp);
    }
    return error;
}

/* Shared helpers (report_internal.h). */

void mg__report_tally(const mg_report *r, mg__tally *t)
{
    size_t i;

    memset(t, 0, sizeof *t);
    for (i = 0; r->cases != NULL && i < r->ncases; i++) {
        switch (r->cases[i].outcome) {
        case MG_OUTCOME_PASS:
            t->passed++;
            break;
        case MG_OUTCOME_FAIL:
            t->failed++;
            break;
        case MG_OUTCOME_SKIP:
            t->skipped++;
            break;
        default:
            t->errors++;
            break;
        }
        t->tests++;
    }
}

int mg__tally_ok(const mg__tally *t)
{
    return t->failed == 0 && t->errors == 0;
}

void mg__fmt_real(char *buf, size_t size, double v)
{
    int digits;

    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, size, v < 0 ? "-inf" : "inf");
        return;
    }
    for (digits = 15; digits < 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
    snprintf(buf, size, "%.17g", v);
}

void mg__fmt_seconds(char *buf, size_t size, double v)
{
    if (!isfinite(v) || v < 0)
        v = 0;
    if (v > 1e12) /* keep the digits within any buffer; no run takes 30,000 years */
        v = 1e12;
    snprintf(buf, size, "%.3f", v);
}

const char *mg__case_slice(const mg_case *c)
{
    return c->slice != NULL ? c->slice : "overall";
}

double mg__usual_level(const mg_report *r)
{
    size_t i;

    for (i = 0; r->cases != NULL && i < r->ncases; i++) {
        const mg_case *c = &r->cases[i];
        if ((c->has_ci || mg__case_has_delta_ci(c)) && c->family_size == 0)
            return c->confidence;
    }
    return NAN;
}

void mg__interval_header(char *buf, size_t size, const char *word, const mg_report *r,
                         double level)
{
    size_t i;
    int any = 0;

    for (i = 0; r->cases != NULL && i < r->ncases && !any; i++)
        any = r->cases[i].has_ci || mg__case_has_delta_ci(&r->cases[i]);
    if (any && isfinite(level) && level > 0 && level < 1)
        snprintf(buf, size, "%s [%g%% CI]", word, 100 * level);
    else
        snprintf(buf, size, "%s [CI]", word);
}

int mg__case_has_delta_ci(const mg_case *c)
{
    return c->has_delta && c->method != MG_CI_NONE;
}

const char *mg__outcome_name(mg_outcome o)
{
    switch (o) {
    case MG_OUTCOME_PASS:
        return "pass";
    case MG_OUTCOME_FAIL:
        return "fail";
    case MG_OUTCOME_SKIP:
        return "skipped";
    default:
        return "error";
    }
}

/* Write s as one escaped line of inline Markdown. */
int mg__md_put(FILE *f, const char *s)
{
    char *clean = NULL, *p;
    int error;

    if ((error = mg__text_clean(s, MG__CLEAN_XML | MG__CLEAN_C1 | MG__CLEAN_ONE_LINE,
                                &clean)) < 0)
        return error;
    for (p = clean; *p; p++) {
        if (strchr("\\|`*_<", *p) != NULL)
            fputc('\\', f);
        fputc(*p, f);
    }
    free(clean);
    return 0;
}

const char *mg__md_symbol(mg_outcome o)
{
    switch (o) {
    case MG_OUTCOME_PASS:
        return "\xe2\x9c\x85"; /* ✅ */
    case MG_OUTCOME_FAIL:
        return "\xe2\x9d\x8c"; /* ❌ */
    case MG_OUTCOME_SKIP:
        return "\xe2\x8f\xad\xef\xb8\x8f"; /* ⏭️ */
    default:
        return "\xe2\x9a\xa0\xef\xb8\x8f"; /* ⚠️ */
    }
}
