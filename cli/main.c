/*
 * modelgate: the command line, a thin layer over libmodelgate.
 *
 * The command table below maps each command to its handler and its one-line
 * summary; the options it takes are the rows of the option table (cli/options.c)
 * and of the report formats (cli/reports.c) that hold its bit, and its help is
 * generated from the three (cli/help.c). A suite command parses its options,
 * checks the report paths before computing anything, runs the suite through the
 * public API and hands the report to the reporters. Errors are one line on
 * stderr; a bad invocation, suite or data exits 2 with no report written, an
 * interrupted run or a report that could not be written after the run exits 3.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli.h"

static volatile sig_atomic_t interrupted;
static volatile int cancel_flag;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
    cancel_flag = 1;
}

static int exit_for(int code)
{
    switch (code) {
    case MG_EINVAL:
    case MG_EIO:
    case MG_EPARSE:
    case MG_EDATA:
        return EXIT_USAGE;
    default:
        return EXIT_INTERNAL;
    }
}

int cli_report_error(const mg_error *err)
{
    char line[MG_ERROR_PATH_MAX + MG_ERROR_MESSAGE_MAX + MG_ERROR_KEY_MAX + 64];
    mg_error_format(err, line, sizeof line);
    fprintf(stderr, "modelgate: %s\n", line);
    return exit_for(err->code);
}

int cli_usage_error(const char *fmt, const char *arg)
{
    fputs("modelgate: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (modelgate help)\n", stderr);
    return EXIT_USAGE;
}

/* Progress on stderr, only for a terminal. */
static void show_progress(void *ctx, size_t done, size_t total)
{
    int width = 40,
        filled = total ? (int)((double)done / (double)total * width) : width;
    fprintf(stderr, "\r[%-*.*s] %zu/%zu replicates", width, filled,
            "########################################", done, total);
    if (done >= total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
    (void)ctx;
}

static int use_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(f)) && (nc == NULL || nc[0] == '\0');
}

/*
 * `run --metrics`: the report's metric entries. The runner fills them from the run's
 * own replicates when it honours mg_run_options.with_metrics; a report that comes
 * back without them (a library that does not yet) gets them from a second run in
 * metrics mode, with the same seed and replicates, so the numbers are the same.
 */
static int add_metrics(const cli_args *a, const mg_suite *suite, mg_report *r,
                       mg_error *err)
{
    mg_run_options o = a->run;
    mg_report *m = NULL;
    int rc;

    if (!a->run.with_metrics || a->run.mode != MG_RUN_TESTS || r->nmetrics > 0)
        return 0;
    o.mode = MG_RUN_METRICS;
    o.with_metrics = 0;
    o.progress = NULL;
    if ((rc = mg_run_suite(&m, suite, &o, err)) != 0)
        return rc;
    r->metrics = m->metrics;
    r->nmetrics = m->nmetrics;
    m->metrics = NULL;
    m->nmetrics = 0;
    mg_report_free(m);
    return 0;
}

/* Load, run, and write what was asked. *report receives the report on success. */
static int execute(cli_args *a, mg_report **report)
{
    mg_error err = MG_ERROR_INIT;
    mg_suite *suite = NULL;
    struct sigaction sa;
    int rc;

    *report = NULL;
    /* From here on SIGINT and SIGTERM stop the run cleanly: exit 3, no report. A
     * blocking read (a FIFO with no writer) returns EINTR instead of hanging. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    a->run.cancel = &cancel_flag;
    if ((rc = cli_check_reports(a)) != 0 ||
        (a->run.mode == MG_RUN_TESTS && (rc = cli_check_step_summary(a)) != 0))
        return rc;
    if (mg_suite_load(&suite, a->suite, &err) != 0) {
        if (interrupted) {
            fputs("modelgate: interrupted; no report written\n", stderr);
            return EXIT_INTERNAL;
        }
        return cli_report_error(&err);
    }
    if (a->discover && a->columns == NULL) {
        mg_suite_free(suite);
        return cli_usage_error("%s", "discover needs --columns");
    }
    if (a->discover && mg_suite_discover(suite, a->columns, a->depth, a->metric,
                                         a->model, a->margin, &err) != 0) {
        mg_suite_free(suite);
        return cli_report_error(&err);
    }
    /* The HTML report draws curves and every model beside the one under test: the
     * run computes them only when it is asked for. */
    for (size_t i = 0; i < cli_nformats; i++)
        if (strcmp(cli_formats[i].name, "html") == 0 &&
            (a->report[i] != NULL || a->report_stdout[i]))
            a->run.with_plots = 1;
    if (isatty(STDERR_FILENO) && !a->quiet && a->run.mode != MG_RUN_VALIDATE) {
        a->run.progress = show_progress;
        a->run.progress_ctx = NULL;
    }
    rc = interrupted ? MG_EINTERNAL : mg_run_suite(report, suite, &a->run, &err);
    if (rc == 0 && !interrupted)
        rc = add_metrics(a, suite, *report, &err);
    mg_suite_free(suite);
    if (interrupted) {
        mg_report_free(*report);
        *report = NULL;
        fputs("modelgate: interrupted; no report written\n", stderr);
        return EXIT_INTERNAL;
    }
    if (rc != 0)
        return cli_report_error(&err);
    return cli_write_reports(a, *report);
}

/*
 * What every suite command does first: parse its arguments and run the suite.
 * Returns the exit status when the command should stop there (an error, or --help
 * was printed: *r is then NULL), 0 with the report in *r otherwise.
 */
static int parse_and_execute(const cli_command *self, mg_run_mode mode, int argc,
                             char **argv, cli_args *a, mg_report **r)
{
    int rc;
    *r = NULL;
    cli_args_init(a, mode);
    if ((rc = cli_parse(a, self, argc, argv)) != 0 || a->help)
        return rc;
    return execute(a, r);
}

/*
 * The table of cases and the summary line. A report asked for on stdout (`--json -`)
 * keeps stdout to itself, so the table goes to stderr then: the CI log still shows
 * the verdict. --quiet keeps only the failed and errored cases and the summary line,
 * which is always printed, so a failing run never leaves an empty log.
 */
static int cmd_run(const cli_command *self, int argc, char **argv)
{
    mg_console_options co = MG_CONSOLE_OPTIONS_INIT;
    mg_report *r = NULL;
    FILE *table = stdout;
    cli_args a;
    int rc, printed;

    if ((rc = parse_and_execute(self, MG_RUN_TESTS, argc, argv, &a, &r)) != 0 ||
        r == NULL)
        return rc;
    if ((rc = cli_print_reports(&a, r, &printed)) != 0) {
        mg_report_free(r);
        return rc;
    }
    if (printed)
        table = stderr;
    co.color = use_color(table);
    co.only_failures = a.quiet;
    mg_report_print_cases(r, table, &co);
    rc = r->failed > 0 || r->errors > 0 ? EXIT_FAILED : EXIT_PASS;
    if (cli_step_summary(&a) != NULL) {
        mg_error err = MG_ERROR_INIT;
        char *text = NULL;
        int st;
        if (mg_report_markdown_string(r, &text, &err) != 0) {
            cli_report_error(&err);
            st = EXIT_INTERNAL;
        } else {
            st = cli_append_step_summary(&a, text);
        }
        free(text);
        rc = st != 0 ? st : rc;
    }
    mg_report_free(r);
    return rc;
}

/*
 * Two JSON reports compared (reporters/diff.c): the table of changed cases on
 * stdout (on stderr when the Markdown goes to stdout), the Markdown where asked and
 * in the GitHub step summary. Exit 1 when a case went from pass to fail or error.
 */
static int cmd_diff(const cli_command *self, int argc, char **argv)
{
    mg_console_options co = MG_CONSOLE_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    size_t md = cli_format_index("markdown");
    mg_diff *d = NULL;
    char *text = NULL;
    FILE *table = stdout;
    cli_args a;
    int rc;

    cli_args_init(&a, MG_RUN_TESTS);
    if ((rc = cli_parse(&a, self, argc, argv)) != 0 || a.help)
        return rc;
    if ((rc = cli_check_reports(&a)) != 0 || (rc = cli_check_step_summary(&a)) != 0)
        return rc;
    for (int k = 0; k < 2 && a.report[md] != NULL; k++)
        if (cli_same_file(a.report[md], k == 0 ? a.suite : a.head)) {
            fprintf(
                stderr,
                "modelgate: --markdown would replace the report it compares, '%s'\n",
                a.report[md]);
            return EXIT_USAGE;
        }
    if (mg_diff_reports(&d, a.suite, a.head, &err) != 0)
        return cli_report_error(&err);
    if ((a.report[md] != NULL || a.report_stdout[md] || cli_step_summary(&a) != NULL) &&
        mg_diff_markdown_string(d, &text, &err) != 0) {
        cli_report_error(&err);
        rc = EXIT_INTERNAL;
        goto cleanup;
    }
    if (a.report[md] != NULL &&
        mg_write_file_atomic(a.report[md], text, strlen(text), &err) != 0) {
        cli_report_error(&err);
        rc = EXIT_INTERNAL;
        goto cleanup;
    }
    if (a.report_stdout[md]) {
        fputs(text, stdout);
        table = stderr;
        if (fflush(stdout) != 0) {
            fputs("modelgate: stdout: cannot write the report\n", stderr);
            rc = EXIT_INTERNAL;
            goto cleanup;
        }
    }
    co.color = use_color(table);
    mg_diff_print(d, table, &co);
    if (text != NULL && (rc = cli_append_step_summary(&a, text)) != 0)
        goto cleanup;
    rc = d->count[MG_DIFF_REGRESSED] > 0 ? EXIT_FAILED : EXIT_PASS;

cleanup:
    free(text);
    mg_diff_free(d);
    return rc;
}

static int cmd_metrics(const cli_command *self, int argc, char **argv)
{
    mg_console_options co = MG_CONSOLE_OPTIONS_INIT;
    mg_report *r = NULL;
    cli_args a;
    int rc, printed;

    if ((rc = parse_and_execute(self, MG_RUN_METRICS, argc, argv, &a, &r)) != 0 ||
        r == NULL)
        return rc;
    /* A report asked for on stdout takes the table's place. */
    rc = cli_print_reports(&a, r, &printed);
    if (rc == 0 && !printed && !a.quiet) {
        co.color = use_color(stdout);
        mg_report_print_metrics(r, stdout, &co);
    }
    mg_report_free(r);
    return rc;
}

/* discover: the suite's data and models, searched for weak slices; the suite's own
 * tests are not run. Exit 0 whatever it finds: it explores (a weak_slices test in a
 * suite gates). */
static int cmd_discover(const cli_command *self, int argc, char **argv)
{
    mg_console_options co = MG_CONSOLE_OPTIONS_INIT;
    mg_report *r = NULL;
    FILE *table = stdout;
    cli_args a;
    int rc, printed;

    cli_args_init(&a, MG_RUN_TESTS);
    if ((rc = cli_parse(&a, self, argc, argv)) != 0 || a.help)
        return rc;
    a.discover = 1;
    a.run.allow_empty = 1;
    if ((rc = execute(&a, &r)) != 0 || r == NULL)
        return rc;
    if ((rc = cli_print_reports(&a, r, &printed)) != 0) {
        mg_report_free(r);
        return rc;
    }
    if (printed)
        table = stderr;
    co.color = use_color(table);
    co.verbose = !a.quiet;
    mg_report_print_cases(r, table, &co);
    mg_report_free(r);
    return EXIT_PASS;
}

/* One plan row's cells. */
typedef struct plan_row {
    char cell[10][96];
} plan_row;

static void plan_cells(const mg_case *k, const mg_plan_entry *e, plan_row *row)
{
    char(*c)[96] = row->cell;
    snprintf(c[0], 96, "%s", k->test);
    snprintf(c[1], 96, "%s", k->slice);
    snprintf(c[2], 96, "%s%s", k->metric, k->has_delta ? " \xce\x94" : "");
    if (e->method == MG_PLAN_NONE) {
        snprintf(c[3], 96, "-");
        for (int i = 4; i < 9; i++)
            snprintf(c[i], 96, "-");
        snprintf(c[9], 96, "%s", e->note ? e->note : "");
        return;
    }
    snprintf(c[3], 96, "%.0f %s", e->n, e->units);
    snprintf(c[4], 96, "%.4f %s %.4g", e->estimate,
             e->above ? ">=" : "<=", e->threshold);
    snprintf(c[5], 96, "\xc2\xb1%.4f", e->half_width);
    snprintf(c[6], 96, "%.3f", e->power_estimate);
    if (e->has_power_at)
        snprintf(c[7], 96, "%.3f at %.4g", e->power_at, e->at);
    else
        snprintf(c[7], 96, "-");
    if (e->has_needed)
        snprintf(c[8], 96, "%.0f %s (%.0f rows)", e->units_needed, e->units,
                 e->rows_needed);
    else
        snprintf(c[8], 96, "-");
    snprintf(c[9], 96, "%s%s",
             e->method == MG_PLAN_PROPORTION ? "binomial"
             : e->method == MG_PLAN_AUC      ? "AUC: interval's spread, Obuchowski"
                                             : "bootstrap SE",
             e->note ? "; " : "");
    if (e->note)
        snprintf(c[9] + strlen(c[9]), 96 - strlen(c[9]), "%s", e->note);
}

/* Display width: code points, as the console reporter counts them. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* plan: the suite's tests as configured, with their power, half-width and the data
 * each slice needs for the target power (mg_plan_case). */
static int cmd_plan(const cli_command *self, int argc, char **argv)
{
    static const char *heads[10] = {"TEST",     "SLICE",      "STATISTIC", "N",
                                    "ESTIMATE", "HALF-WIDTH", "POWER",     "POWER AT",
                                    "NEEDED",   "METHOD"};
    mg_report *r = NULL;
    plan_row *rows;
    size_t w[10];
    cli_args a;
    int rc;

    cli_args_init(&a, MG_RUN_TESTS);
    if ((rc = cli_parse(&a, self, argc, argv)) != 0 || a.help)
        return rc;
    if (!(a.power > 0 && a.power < 1)) {
        fprintf(stderr, "modelgate: --power: expected a power in (0, 1), got %g\n",
                a.power);
        return EXIT_USAGE;
    }
    a.run.allow_empty = 1;
    if ((rc = execute(&a, &r)) != 0 || r == NULL)
        return rc;
    if ((rows = calloc(r->ncases + 1, sizeof *rows)) == NULL) {
        mg_report_free(r);
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < 10; i++) {
        snprintf(rows[0].cell[i], 96, "%s", heads[i]);
        w[i] = width(heads[i]);
    }
    snprintf(rows[0].cell[8], 96, "NEEDED FOR %g%%", 100 * a.power);
    w[8] = width(rows[0].cell[8]);
    for (size_t i = 0; i < r->ncases; i++) {
        mg_plan_entry e;
        mg_error err = MG_ERROR_INIT;
        mg_plan_case(&r->cases[i], a.power, a.has_at, a.at, &e, &err);
        plan_cells(&r->cases[i], &e, &rows[i + 1]);
        for (int j = 0; j < 10; j++)
            if (width(rows[i + 1].cell[j]) > w[j])
                w[j] = width(rows[i + 1].cell[j]);
    }
    if (!a.quiet)
        for (size_t i = 0; i <= r->ncases; i++) {
            for (int j = 0; j < 10; j++) {
                const char *cell = rows[i].cell[j];
                fputs(cell, stdout);
                if (j < 9)
                    printf("%*s", (int)(w[j] - width(cell) + 2), "");
            }
            putchar('\n');
        }
    free(rows);
    mg_report_free(r);
    return EXIT_PASS;
}

static int cmd_validate(const cli_command *self, int argc, char **argv)
{
    mg_report *r = NULL;
    cli_args a;
    int rc;

    if ((rc = parse_and_execute(self, MG_RUN_VALIDATE, argc, argv, &a, &r)) != 0 ||
        r == NULL)
        return rc;
    if (!a.quiet) {
        printf("%s: suite '%s' is valid\n", a.suite, r->suite);
        for (size_t i = 0; i < r->ninputs; i++)
            printf("  %-20s %s (%zu rows, sha256 %.12s…)\n", r->inputs[i].role,
                   r->inputs[i].path, r->inputs[i].rows, r->inputs[i].sha256);
        /* The data checks are decided too: the data would fail the gate. */
        if (r->ncases > 0)
            printf("data checks: %zu passed, %zu failed, %zu errors\n", r->passed,
                   r->failed, r->errors);
        for (size_t i = 0; i < r->ncases; i++)
            if (r->cases[i].outcome == MG_OUTCOME_FAIL ||
                r->cases[i].outcome == MG_OUTCOME_ERROR)
                printf("  %s  %s [%s]: %s\n",
                       r->cases[i].outcome == MG_OUTCOME_FAIL ? "FAIL " : "ERROR",
                       r->cases[i].test, r->cases[i].slice, r->cases[i].message);
    }
    rc = r->failed > 0 || r->errors > 0 ? EXIT_FAILED : EXIT_PASS;
    mg_report_free(r);
    return rc;
}

/* "a,b,c" split at the commas (in place) into *out; how many, or -1 for an empty
 * name. */
static long split_columns(char *list, const char ***out)
{
    size_t n = 1;
    const char **names;
    for (const char *c = list; *c; c++)
        n += *c == ',';
    if ((names = malloc(n * sizeof *names)) == NULL)
        return -2;
    n = 0;
    for (char *tok = list, *end;; tok = end + 1) {
        end = strchr(tok, ',');
        if (end != NULL)
            *end = '\0';
        if (*tok == '\0') {
            free(names);
            return -1;
        }
        names[n++] = tok;
        if (end == NULL)
            break;
    }
    *out = names;
    return (long)n;
}

/* The json format's row, for drift's own JSON. */
static size_t json_row(void)
{
    size_t i = 0;
    while (i < cli_nformats && strcmp(cli_formats[i].name, "json") != 0)
        i++;
    return i;
}

/*
 * `modelgate drift --reference R --current C`: the drift table, for exploration.
 * It gates nothing: exit 0 whatever the drift, 2 for bad input.
 */
static int cmd_drift(const cli_command *self, int argc, char **argv)
{
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_drift_table *t = NULL;
    const char **names = NULL;
    char *list = NULL, *json = NULL;
    long ncols = 0;
    size_t j = json_row();
    cli_args a;
    int rc;

    cli_args_init(&a, MG_RUN_TESTS);
    if ((rc = cli_parse(&a, self, argc, argv)) != 0 || a.help)
        return rc;
    if (a.reference == NULL || a.current == NULL)
        return cli_usage_error("%s", a.reference == NULL
                                         ? "drift needs --reference FILE"
                                         : "drift needs --current FILE");
    if ((rc = cli_check_reports(&a)) != 0)
        return rc;
    if (a.columns != NULL) {
        if ((list = strdup(a.columns)) == NULL)
            return EXIT_INTERNAL;
        ncols = split_columns(list, &names);
        if (ncols < 0) {
            free(list);
            if (ncols == -1)
                return cli_usage_error("--columns: an empty column name in '%s'",
                                       a.columns);
            return EXIT_INTERNAL;
        }
    }
    if (a.run.has_seed)
        o.seed = a.run.seed;
    if (a.run.replicates > 0)
        o.replicates = a.run.replicates;
    if (a.bins > 0)
        o.bins = a.bins;
    o.threads = a.run.threads;
    rc = mg_drift_compare(&t, a.reference, a.current, names, (size_t)ncols, &o, &err);
    free(names);
    free(list);
    if (rc != 0)
        return cli_report_error(&err);
    if (j < cli_nformats && (a.report[j] != NULL || a.report_stdout[j])) {
        if (mg_drift_table_json(t, &json, &err) != 0 ||
            (a.report[j] != NULL &&
             mg_write_file_atomic(a.report[j], json, strlen(json), &err) != 0)) {
            free(json);
            mg_drift_table_free(t);
            return cli_report_error(&err);
        }
        if (a.report_stdout[j])
            fputs(json, stdout);
    }
    if (!(j < cli_nformats && a.report_stdout[j]))
        mg_drift_table_print(t, stdout);
    free(json);
    mg_drift_table_free(t);
    return EXIT_PASS;
}

static int cmd_version(const cli_command *self, int argc, char **argv)
{
    (void)self;
    (void)argc;
    (void)argv;
    printf("modelgate %s\n", mg_version());
    return EXIT_PASS;
}

const cli_command cli_commands[] = {
    {.name = "run",
     .bit = CLI_RUN,
     .operands = "SUITE.yaml",
     .summary = "run the suite's tests and write the reports asked for",
     .fn = cmd_run},
    {.name = "metrics",
     .bit = CLI_METRICS,
     .operands = "SUITE.yaml",
     .summary = "every metric × model × slice, with intervals",
     .fn = cmd_metrics},
    {.name = "discover",
     .bit = CLI_DISCOVER,
     .operands = "SUITE.yaml",
     .summary = "search the suite's data for slices where a model is weak, with the "
                "false discovery rate controlled",
     .fn = cmd_discover},
    {.name = "plan",
     .bit = CLI_PLAN,
     .operands = "SUITE.yaml",
     .summary = "each test's power as configured, its interval's half-width, and the "
                "rows a slice needs to pass at the target power",
     .fn = cmd_plan},
    {.name = "validate",
     .bit = CLI_VALIDATE,
     .operands = "SUITE.yaml",
     .summary =
         "check the suite and its data, decide the data checks, compute no metric",
     .fn = cmd_validate},
    {.name = "diff",
     .bit = CLI_DIFF,
     .operands = "BASE.json HEAD.json",
     .summary = "compare two JSON reports of one suite (main against a pull request): "
                "outcome changes, estimate and interval movement, new and vanished "
                "cases; exit 1 when a case went from pass to fail",
     .fn = cmd_diff},
    {.name = "drift",
     .bit = CLI_DRIFT,
     .operands = "",
     .summary = "compare two data sets column by column (PSI, KS, JS, Wasserstein, "
                "chi-squared), sorted by PSI",
     .fn = cmd_drift},
    {.name = "version",
     .bit = CLI_VERSION,
     .operands = "",
     .summary = "print modelgate's version",
     .alias = {"--version"},
     .fn = cmd_version},
    {.name = "help",
     .bit = CLI_HELP,
     .operands = "[COMMAND | --man]",
     .summary = "this help, or one command's options in full (as modelgate COMMAND "
                "--help), or the manual page modelgate(1) in roff (--man)",
     .alias = {"--help", "-h"},
     .fn = cli_cmd_help},
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *cmd = &cli_commands[i];
        if (strcmp(name, cmd->name) == 0)
            return cmd;
        for (size_t k = 0; k < sizeof cmd->alias / sizeof cmd->alias[0]; k++)
            if (cmd->alias[k] != NULL && strcmp(name, cmd->alias[k]) == 0)
                return cmd;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const cli_command *cmd;
    gsl_set_error_handler_off();
    if (argc < 2)
        return cli_usage_error("%s", "missing command");
    if ((cmd = cli_command_find(argv[1])) == NULL)
        return cli_usage_error("unknown command '%s'", argv[1]);
    return cmd->fn(cmd, argc - 1, argv + 1);
}
