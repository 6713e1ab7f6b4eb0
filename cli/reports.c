/*
 * The report formats: one table row per format, and the three things done with
 * the rows: check every report path before anything is computed, write the
 * reports after the run, print on stdout the ones asked for there.
 *
 * A row names the option (`--junit`), says what the report holds (for the help),
 * and gives the library's writer, which writes atomically (a temporary file in the
 * same directory, then a rename), so a failed run leaves no half-written report.
 * Adding a format is adding a row: its option, its help line, its path check, the
 * refusal of a path another report already uses, and its writing follow.
 *
 * A row with `to_string` may go to stdout instead of a file: `--json -` (and the
 * paths that name stdout itself, /dev/stdout, /dev/fd/1, /proc/self/fd/1, which the
 * atomic writer would refuse as a symbolic link or a device). Only one report can go
 * there, or a reader could not tell where one ends; stdout is not a file to be
 * renamed over, so it is written directly, after the run, like the console table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const cli_format cli_formats[] = {
    {.name = "junit",
     .help = "JUnit XML: one <testcase> per test and slice, for CI",
     .write = mg_report_write_junit,
     .to_string = mg_report_junit_string,
     .commands = CLI_REPORTING},
    {.name = "json",
     .help = "JSON: everything computed, numbers to 17 significant digits",
     .write = mg_report_write_json,
     .to_string = mg_report_json_string,
     .commands = CLI_REPORTING | CLI_DRIFT,
     .stdout_commands = CLI_METRICS},
    {.name = "markdown",
     .help = "Markdown for a CI step summary or a merge-request comment: the "
             "summary table (run, metrics) or the comparison (diff)",
     .write = mg_report_write_markdown,
     .to_string = mg_report_markdown_string,
     .commands = CLI_REPORTING | CLI_DIFF},
    {.name = "html",
     .help = "one self-contained HTML page with plots (forest, ROC, precision-recall)",
     .write = mg_report_write_html,
     .to_string = mg_report_html_string,
     .commands = CLI_RUN},
};
const size_t cli_nformats = sizeof cli_formats / sizeof cli_formats[0];

_Static_assert(sizeof cli_formats / sizeof cli_formats[0] <= CLI_FORMATS_MAX,
               "cli_args holds CLI_FORMATS_MAX reports: raise it");

/* Two report paths that name one file: the second would replace the first. */
int cli_same_file(const char *p, const char *q)
{
    struct stat sp, sq;
    return strcmp(p, q) == 0 || (stat(p, &sp) == 0 && stat(q, &sq) == 0 &&
                                 sp.st_dev == sq.st_dev && sp.st_ino == sq.st_ino);
}

/* Report paths: writable before anything is computed, and no two the same file. */
int cli_check_reports(const cli_args *a)
{
    mg_error err = MG_ERROR_INIT;
    for (size_t i = 0; i < cli_nformats; i++) {
        if (a->report[i] == NULL)
            continue;
        if (mg_report_check_path(a->report[i], &err) != 0)
            return cli_report_error(&err);
        for (size_t j = 0; j < i; j++)
            if (a->report[j] != NULL && cli_same_file(a->report[i], a->report[j])) {
                fprintf(stderr, "modelgate: --%s and --%s name the same file '%s'\n",
                        cli_formats[j].name, cli_formats[i].name, a->report[i]);
                return EXIT_USAGE;
            }
    }
    return 0;
}

/* After the run: a report that cannot be written is an internal error (exit 3). */
int cli_write_reports(const cli_args *a, const mg_report *r)
{
    mg_error err = MG_ERROR_INIT;
    for (size_t i = 0; i < cli_nformats; i++)
        if (a->report[i] != NULL && cli_formats[i].write(r, a->report[i], &err) != 0) {
            cli_report_error(&err);
            return EXIT_INTERNAL;
        }
    return 0;
}

/* The reports asked for on stdout; *printed tells whether there was one. */
int cli_print_reports(const cli_args *a, const mg_report *r, int *printed)
{
    mg_error err = MG_ERROR_INIT;
    *printed = 0;
    for (size_t i = 0; i < cli_nformats; i++) {
        char *text = NULL;
        if (!a->report_stdout[i])
            continue;
        if (cli_formats[i].to_string(r, &text, &err) != 0) {
            cli_report_error(&err);
            return EXIT_INTERNAL;
        }
        fputs(text, stdout);
        if (text[0] == '\0' || text[strlen(text) - 1] != '\n')
            fputc('\n', stdout);
        free(text);
        *printed = 1;
    }
    if (*printed && (ferror(stdout) || fflush(stdout) != 0)) {
        fputs("modelgate: stdout: cannot write the report\n", stderr);
        return EXIT_INTERNAL;
    }
    return 0;
}

size_t cli_format_index(const char *name)
{
    size_t i = 0;
    while (i + 1 < cli_nformats && strcmp(cli_formats[i].name, name) != 0)
        i++;
    return i;
}

/*
 * GitHub Actions' step summary: the runner sets GITHUB_STEP_SUMMARY to a file
 * whose Markdown it shows on the run's page; every step appends to it. The file is
 * opened for appending before anything is computed, so that a path that cannot be
 * written stops the step at once (exit 2) rather than after the run; the text is
 * appended with O_APPEND, so parallel writers cannot interleave within a write.
 * GitHub refuses a step's summary above 1 MiB (and then shows none of it), so a
 * longer one keeps its heading and counts, up to its first table, and says where
 * the rest is.
 */
#define STEP_SUMMARY_MAX (1024 * 1024 - 4096)

const char *cli_step_summary(const cli_args *a)
{
    const char *path = getenv("GITHUB_STEP_SUMMARY");
    if (a->no_step_summary || path == NULL || path[0] == '\0')
        return NULL;
    return path;
}

static int open_step_summary(const char *path)
{
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

/* Writable, without creating it: a run stopped by bad input leaves no file. */
int cli_check_step_summary(const cli_args *a)
{
    mg_error err = MG_ERROR_INIT;
    const char *path = cli_step_summary(a);
    const char *why;
    int fd;
    if (path == NULL)
        return 0;
    if ((fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) >= 0) {
        close(fd);
        return 0;
    }
    why = strerror(errno);
    if (errno == ENOENT) {
        if (mg_report_check_path(path, &err) == 0)
            return 0;
        why = err.message;
    }
    fprintf(stderr,
            "modelgate: %s: %s (GITHUB_STEP_SUMMARY; --no-step-summary to leave it)\n",
            path, why);
    return EXIT_USAGE;
}

int cli_append_step_summary(const cli_args *a, const char *markdown)
{
    const char *path = cli_step_summary(a), *table;
    char note[256];
    size_t len = strlen(markdown), done = 0;
    int fd;
    if (path == NULL)
        return 0;
    note[0] = '\0';
    if (len > STEP_SUMMARY_MAX) {
        /* Up to the folded blocks (the failures' table stays), else up to the
         * first table. */
        const char *details = strstr(markdown, "\n<details>");
        table = strstr(markdown, "\n|");
        if (details != NULL && (size_t)(details - markdown) <= STEP_SUMMARY_MAX)
            table = details;
        else if (table != NULL && details != NULL && details < table)
            table = details;
        if (table == NULL || (size_t)(table - markdown) > STEP_SUMMARY_MAX)
            table = markdown;
        len = (size_t)(table - markdown);
        snprintf(note, sizeof note,
                 "\n> The rest is left out: the whole summary (%zu KiB) is above "
                 "GitHub's 1 MiB limit for a step summary. The Markdown, JSON and "
                 "JUnit reports hold every case.\n",
                 strlen(markdown) / 1024);
    }
    if ((fd = open_step_summary(path)) < 0)
        goto fail;
    /* A blank line keeps our heading apart from what an earlier step wrote. */
    if (write(fd, "\n", 1) != 1)
        goto fail;
    while (done < len) {
        ssize_t n = write(fd, markdown + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto fail;
        done += (size_t)n;
    }
    if (note[0] != '\0' && write(fd, note, strlen(note)) != (ssize_t)strlen(note))
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    return 0;
fail:
    fprintf(stderr, "modelgate: %s: %s (GITHUB_STEP_SUMMARY)\n", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return EXIT_INTERNAL;
}
