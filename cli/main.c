/*
 * modelgate: the command line, a thin layer over libmodelgate.
 *
 * A table maps each command to its handler. Every handler parses its options, checks
 * report paths before computing anything, runs the suite through the public API and
 * hands the report to the reporters. Exit status is the contract CI relies on:
 * 0 every test passed, 1 a test failed or errored, 2 bad invocation, suite or data
 * (no report is written), 3 internal error (out of memory, interrupted, a report
 * that could not be written after the run).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "modelgate/modelgate.h"

enum { EXIT_PASS = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

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

static int report_error(const mg_error *err)
{
    char line[MG_ERROR_PATH_MAX + MG_ERROR_MESSAGE_MAX + MG_ERROR_KEY_MAX + 64];
    mg_error_format(err, line, sizeof line);
    fprintf(stderr, "modelgate: %s\n", line);
    return exit_for(err->code);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("modelgate: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (modelgate help)\n", stderr);
    return EXIT_USAGE;
}

static int parse_count(const char *opt, const char *s, unsigned long long min,
                       unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long v;
    errno = 0;
    if (s[0] == '-' || s[0] == '+' || s[0] == '\0')
        goto bad;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        goto bad;
    *out = v;
    return 0;
bad:
    fprintf(stderr, "modelgate: %s: expected an integer in [%llu, %llu], got '%s'\n",
            opt, min, max, s);
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

typedef struct cli_options {
    const char *suite;
    const char *junit, *json, *markdown;
    int json_stdout;
    int quiet;
    int allow_empty;
    mg_run_options run;
} cli_options;

enum {
    OPT_JUNIT = 256,
    OPT_JSON,
    OPT_MARKDOWN,
    OPT_HTML,
    OPT_SEED,
    OPT_REPLICATES,
    OPT_THREADS,
    OPT_QUIET,
    OPT_ALLOW_EMPTY,
    OPT_MAX_MEMORY
};

/* "512M", "2G", "1500000000": bytes, with binary K/M/G/T suffixes. */
static int parse_size(const char *s, double *out)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || !(v > 0) || v > 1e18)
        goto bad;
    switch (*end) {
    case 'T':
        v *= 1024;
        /* fall through */
    case 'G':
        v *= 1024;
        /* fall through */
    case 'M':
        v *= 1024;
        /* fall through */
    case 'K':
        v *= 1024;
        end++;
        break;
    default:
        break;
    }
    if (*end != '\0')
        goto bad;
    *out = v;
    return 0;
bad:
    fprintf(stderr,
            "modelgate: --max-memory: expected a size such as 512M or 4G, got '%s'\n",
            s);
    return EXIT_USAGE;
}

static int parse_options(int argc, char **argv, cli_options *o, int json_flag)
{
    static const struct option longopts[] = {
        {"junit", required_argument, NULL, OPT_JUNIT},
        {"json", optional_argument, NULL, OPT_JSON},
        {"markdown", required_argument, NULL, OPT_MARKDOWN},
        {"html", required_argument, NULL, OPT_HTML},
        {"seed", required_argument, NULL, OPT_SEED},
        {"replicates", required_argument, NULL, OPT_REPLICATES},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"allow-empty", no_argument, NULL, OPT_ALLOW_EMPTY},
        {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
        {NULL, 0, NULL, 0}};
    unsigned long long v;
    int ch;

    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        switch (ch) {
        case OPT_JUNIT:
            o->junit = optarg;
            break;
        case OPT_JSON:
            if (json_flag && optarg == NULL)
                o->json_stdout = 1;
            else if (optarg == NULL && optind < argc && argv[optind][0] != '-')
                o->json = argv[optind++];
            else if (optarg != NULL)
                o->json = optarg;
            else
                return usage_error("%s needs a file name", "--json");
            break;
        case OPT_MARKDOWN:
            o->markdown = optarg;
            break;
        case OPT_HTML:
            return usage_error("%s is not supported yet", "--html");
        case OPT_SEED:
            if (parse_count("--seed", optarg, 0, UINT64_MAX, &v) != 0)
                return EXIT_USAGE;
            o->run.has_seed = 1;
            o->run.seed = v;
            break;
        case OPT_REPLICATES:
            if (parse_count("--replicates", optarg, 1, 10000000, &v) != 0)
                return EXIT_USAGE;
            o->run.replicates = (size_t)v;
            break;
        case OPT_THREADS:
            if (parse_count("--threads", optarg, 1, 1024, &v) != 0)
                return EXIT_USAGE;
            o->run.threads = (unsigned)v;
            break;
        case 'q':
        case OPT_QUIET:
            o->quiet = 1;
            break;
        case OPT_ALLOW_EMPTY:
            o->run.allow_empty = 1;
            break;
        case OPT_MAX_MEMORY:
            if (parse_size(optarg, &o->run.max_memory) != 0)
                return EXIT_USAGE;
            break;
        default:
            return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("%s", "missing the suite file");
    if (optind + 1 < argc)
        return usage_error("unexpected argument '%s'", argv[optind + 1]);
    o->suite = argv[optind];
    return 0;
}

/* Report paths: writable before anything is computed, and no two the same file. */
static int check_outputs(const cli_options *o)
{
    const char *paths[3] = {o->junit, o->json, o->markdown};
    const char *names[3] = {"--junit", "--json", "--markdown"};
    mg_error err = MG_ERROR_INIT;
    for (int i = 0; i < 3; i++) {
        struct stat si, sj;
        if (paths[i] == NULL)
            continue;
        if (mg_report_check_path(paths[i], &err) != 0)
            return report_error(&err);
        for (int j = 0; j < i; j++)
            if (paths[j] != NULL &&
                (strcmp(paths[i], paths[j]) == 0 ||
                 (stat(paths[i], &si) == 0 && stat(paths[j], &sj) == 0 &&
                  si.st_dev == sj.st_dev && si.st_ino == sj.st_ino))) {
                fprintf(stderr, "modelgate: %s and %s name the same file '%s'\n",
                        names[j], names[i], paths[i]);
                return EXIT_USAGE;
            }
    }
    return 0;
}

static int use_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(f)) && (nc == NULL || nc[0] == '\0');
}

/* Load, run, and write what was asked. *report receives the report on success. */
static int execute(cli_options *o, mg_report **report)
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
    o->run.cancel = &cancel_flag;
    if ((rc = check_outputs(o)) != 0)
        return rc;
    if (mg_suite_load(&suite, o->suite, &err) != 0) {
        if (interrupted) {
            fputs("modelgate: interrupted; no report written\n", stderr);
            return EXIT_INTERNAL;
        }
        return report_error(&err);
    }
    if (isatty(STDERR_FILENO) && !o->quiet && o->run.mode != MG_RUN_VALIDATE) {
        o->run.progress = show_progress;
        o->run.progress_ctx = NULL;
    }
    rc = interrupted ? MG_EINTERNAL : mg_run_suite(report, suite, &o->run, &err);
    mg_suite_free(suite);
    if (interrupted) {
        mg_report_free(*report);
        *report = NULL;
        fputs("modelgate: interrupted; no report written\n", stderr);
        return EXIT_INTERNAL;
    }
    if (rc != 0)
        return report_error(&err);
    if ((o->junit && mg_report_write_junit(*report, o->junit, &err) != 0) ||
        (o->json && mg_report_write_json(*report, o->json, &err) != 0) ||
        (o->markdown && mg_report_write_markdown(*report, o->markdown, &err) != 0)) {
        report_error(&err);
        return EXIT_INTERNAL;
    }
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    cli_options o = {0};
    mg_console_options co = MG_CONSOLE_OPTIONS_INIT;
    mg_report *r = NULL;
    int rc;

    o.run.mode = MG_RUN_TESTS;
    if ((rc = parse_options(argc, argv, &o, 0)) != 0)
        return rc;
    if ((rc = execute(&o, &r)) != 0)
        return rc;
    co.color = use_color(stdout);
    if (!o.quiet)
        mg_report_print_cases(r, stdout, &co);
    rc = r->failed > 0 || r->errors > 0 ? EXIT_FAILED : EXIT_PASS;
    mg_report_free(r);
    return rc;
}

static int cmd_metrics(int argc, char **argv)
{
    cli_options o = {0};
    mg_console_options co = MG_CONSOLE_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_report *r = NULL;
    int rc;

    o.run.mode = MG_RUN_METRICS;
    if ((rc = parse_options(argc, argv, &o, 1)) != 0)
        return rc;
    if ((rc = execute(&o, &r)) != 0)
        return rc;
    if (o.json_stdout) {
        char *text = NULL;
        if (mg_report_json_string(r, &text, &err) != 0) {
            mg_report_free(r);
            report_error(&err);
            return EXIT_INTERNAL;
        }
        fputs(text, stdout);
        fputc('\n', stdout);
        free(text);
    } else if (!o.quiet) {
        co.color = use_color(stdout);
        mg_report_print_metrics(r, stdout, &co);
    }
    mg_report_free(r);
    return EXIT_PASS;
}

static int cmd_validate(int argc, char **argv)
{
    cli_options o = {0};
    mg_report *r = NULL;
    int rc;

    o.run.mode = MG_RUN_VALIDATE;
    if ((rc = parse_options(argc, argv, &o, 0)) != 0)
        return rc;
    if (o.junit || o.json || o.markdown)
        return usage_error("%s writes no reports", "validate");
    if ((rc = execute(&o, &r)) != 0)
        return rc;
    if (!o.quiet) {
        printf("%s: suite '%s' is valid\n", o.suite, r->suite);
        for (size_t i = 0; i < r->ninputs; i++)
            printf("  %-20s %s (%zu rows, sha256 %.12s…)\n", r->inputs[i].role,
                   r->inputs[i].path, r->inputs[i].rows, r->inputs[i].sha256);
    }
    mg_report_free(r);
    return EXIT_PASS;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("modelgate %s\n", mg_version());
    return EXIT_PASS;
}

static int cmd_help(int argc, char **argv);

static const struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"run", cmd_run,
     "SUITE.yaml [--junit F] [--json F] [--markdown F] [--seed N] [--replicates N]\n"
     "                     [--threads N] [--quiet] [--allow-empty] [--max-memory "
     "SIZE]"},
    {"metrics", cmd_metrics,
     "SUITE.yaml [--json] [--seed N] [--replicates N] [--threads N] [--max-memory "
     "SIZE]"},
    {"validate", cmd_validate, "SUITE.yaml"},
    {"version", cmd_version, ""},
    {"help", cmd_help, ""},
};

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    puts("usage: modelgate COMMAND [OPTIONS]\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        printf("  modelgate %-9s %s\n", commands[i].name, commands[i].summary);
    puts("\nexit status: 0 all tests passed, 1 a test failed or errored,\n"
         "             2 bad invocation, suite or data, 3 internal error");
    return EXIT_PASS;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2)
        return usage_error("%s", "missing command");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(argc - 1, argv + 1);
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", argv[1]);
}
