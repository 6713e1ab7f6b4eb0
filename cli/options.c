/*
 * The option table, and the parser it drives.
 *
 * Each row says everything about one option: its long and short name, the name of
 * its value and its help sentence (cli/help.c prints them), how the value is read
 * and the range it must lie in, where it is stored, and which commands take it.
 * The parser builds getopt_long's option list from this table and from the report
 * formats (cli/reports.c), so an option cannot be documented and not parsed, or
 * the reverse. getopt_long's own behaviour is kept: options and operands in any
 * order, `--name=value`, unambiguous abbreviations, `--` ends the options.
 *
 * Every suite command takes every option below, as it always has; those that do
 * not apply to a command (a seed for `validate`) change nothing. Report options are
 * recognised for every suite command, so that `validate --junit F` is told that
 * validate writes no reports rather than that --junit is unknown.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const cli_option cli_options[] = {
    {.name = "seed",
     .arg = "N",
     .help = "the bootstrap seed, instead of the suite's",
     .kind = CLI_UINT64,
     .min = 0,
     .max = UINT64_MAX,
     .field = offsetof(cli_args, run.seed),
     .given = offsetof(cli_args, run.has_seed),
     .commands = CLI_SUITE | CLI_DRIFT},
    {.name = "replicates",
     .arg = "N",
     .help = "bootstrap replicates, instead of the suite's",
     .kind = CLI_SIZE_T,
     .min = 1,
     .max = 10000000,
     .field = offsetof(cli_args, run.replicates),
     .commands = CLI_SUITE | CLI_DRIFT},
    {.name = "threads",
     .arg = "N",
     .help = "worker threads (default: the number of cores); results are "
             "bit-identical for any number",
     .kind = CLI_UNSIGNED,
     .min = 1,
     .max = 1024,
     .field = offsetof(cli_args, run.threads),
     .commands = CLI_SUITE | CLI_DRIFT},
    {.name = "quiet",
     .short_name = 'q',
     .help = "print only the failed and errored cases and the summary line (run), "
             "or nothing (metrics, validate); errors still go to stderr",
     .kind = CLI_FLAG,
     .field = offsetof(cli_args, quiet),
     .commands = CLI_SUITE},
    {.name = "metrics",
     .help = "also compute every metric × model × slice with its interval, for the "
             "JSON report's \"metrics\" (as modelgate metrics lists them)",
     .kind = CLI_FLAG,
     .field = offsetof(cli_args, run.with_metrics),
     .commands = CLI_RUN},
    {.name = "allow-empty",
     .help = "a suite that tests nothing (no tests, every case skipped) may pass",
     .kind = CLI_FLAG,
     .field = offsetof(cli_args, run.allow_empty),
     .commands = CLI_SUITE},
    {.name = "max-memory",
     .arg = "SIZE",
     .help = "stop before a run estimated to need more memory than SIZE, such as "
             "512M or 4G (default: 80 % of physical memory)",
     .kind = CLI_BYTES,
     .field = offsetof(cli_args, run.max_memory),
     .commands = CLI_SUITE},
    {.name = "no-step-summary",
     .help = "do not append the Markdown summary to the file $GITHUB_STEP_SUMMARY "
             "names (GitHub Actions sets it)",
     .kind = CLI_FLAG,
     .field = offsetof(cli_args, no_step_summary),
     .commands = CLI_RUN | CLI_DIFF},
    {.name = "columns",
     .arg = "A,B,C",
     .help = "discover: the columns whose values, and combinations of values, are "
             "searched for weak slices (required); NAME:K cuts a number column into K "
             "quantile bins; drift: the columns to compare (default: every column both "
             "files have)",
     .kind = CLI_STRING,
     .field = offsetof(cli_args, columns),
     .commands = CLI_DISCOVER | CLI_DRIFT},
    {.name = "depth",
     .arg = "N",
     .help = "discover: combine up to N columns (default 2)",
     .kind = CLI_SIZE_T,
     .min = 1,
     .max = 4,
     .field = offsetof(cli_args, depth),
     .commands = CLI_DISCOVER},
    {.name = "metric",
     .arg = "NAME",
     .help = "discover: the metric to compare (default recall; a metric of counts or "
             "per-row losses, not auc or average_precision)",
     .kind = CLI_STRING,
     .field = offsetof(cli_args, metric),
     .commands = CLI_DISCOVER},
    {.name = "model",
     .arg = "NAME",
     .help = "discover: the model to search (default candidate)",
     .kind = CLI_STRING,
     .field = offsetof(cli_args, model),
     .commands = CLI_DISCOVER},
    {.name = "margin",
     .arg = "D",
     .help = "discover: report slices worse than the rest by more than D (default 0)",
     .kind = CLI_NUMBER,
     .field = offsetof(cli_args, margin),
     .commands = CLI_DISCOVER},
    {.name = "power",
     .arg = "P",
     .help = "plan: the target power, in (0, 1) (default 0.8)",
     .kind = CLI_NUMBER,
     .field = offsetof(cli_args, power),
     .commands = CLI_PLAN},
    {.name = "at",
     .arg = "X",
     .help = "plan: also the power if the true value is X (a comparison's Δ; default "
             "Δ = 0 for comparisons)",
     .kind = CLI_NUMBER,
     .field = offsetof(cli_args, at),
     .given = offsetof(cli_args, has_at),
     .commands = CLI_PLAN},
    {.name = "reference",
     .arg = "FILE",
     .help = "drift: the reference data set (required): the training data, the last "
             "release's holdout",
     .kind = CLI_STRING,
     .field = offsetof(cli_args, reference),
     .commands = CLI_DRIFT},
    {.name = "current",
     .arg = "FILE",
     .help = "drift: the data set to compare with the reference (required)",
     .kind = CLI_STRING,
     .field = offsetof(cli_args, current),
     .commands = CLI_DRIFT},
    {.name = "bins",
     .arg = "N",
     .help = "drift: PSI and Jensen–Shannon bins, cut at the reference's quantiles "
             "(default 10)",
     .kind = CLI_SIZE_T,
     .min = 2,
     .max = 1000,
     .field = offsetof(cli_args, bins),
     .commands = CLI_DRIFT},
    {.name = "help",
     .short_name = 'h',
     .help = "show this help",
     .kind = CLI_SHOW_HELP,
     .field = offsetof(cli_args, help),
     .commands = CLI_SUITE | CLI_DIFF | CLI_DRIFT},
};
const size_t cli_noptions = sizeof cli_options / sizeof cli_options[0];

_Static_assert(offsetof(cli_args, suite) == 0, "cli_option.given: 0 means none");

/* getopt_long's codes for the rows: formats, then options, above any character. */
enum { FORMAT_CODE = 256, OPTION_CODE = 512 };

void cli_args_init(cli_args *a, mg_run_mode mode)
{
    mg_run_options run = MG_RUN_OPTIONS_INIT;
    memset(a, 0, sizeof *a);
    a->run = run;
    a->run.mode = mode;
    a->depth = 2;
    a->power = 0.8;
}

/* A decimal integer in [opt->min, opt->max]; no sign, no spaces, no exponent. */
static int parse_count(const cli_option *opt, const char *s, unsigned long long *out)
{
    char *end;
    unsigned long long v;
    errno = 0;
    if (s[0] == '-' || s[0] == '+' || s[0] == '\0')
        goto bad;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < opt->min || v > opt->max)
        goto bad;
    *out = v;
    return 0;
bad:
    fprintf(stderr, "modelgate: --%s: expected an integer in [%llu, %llu], got '%s'\n",
            opt->name, opt->min, opt->max, s);
    return EXIT_USAGE;
}

/* "512M", "2G", "1500000000": bytes, with binary K/M/G/T suffixes. */
static int parse_bytes(const cli_option *opt, const char *s, double *out)
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
    fprintf(stderr, "modelgate: --%s: expected a size such as 512M or 4G, got '%s'\n",
            opt->name, s);
    return EXIT_USAGE;
}

/* Read and store one option's value. */
static int set_option(cli_args *a, const cli_option *opt, const char *value)
{
    char *field = (char *)a + opt->field;
    unsigned long long v = 0;

    switch (opt->kind) {
    case CLI_FLAG:
    case CLI_SHOW_HELP:
        *(int *)field = 1;
        break;
    case CLI_UINT64:
    case CLI_SIZE_T:
    case CLI_UNSIGNED:
        if (parse_count(opt, value, &v) != 0)
            return EXIT_USAGE;
        if (opt->kind == CLI_UINT64)
            *(uint64_t *)field = v;
        else if (opt->kind == CLI_SIZE_T)
            *(size_t *)field = (size_t)v;
        else
            *(unsigned *)field = (unsigned)v;
        break;
    case CLI_BYTES:
        if (parse_bytes(opt, value, (double *)field) != 0)
            return EXIT_USAGE;
        break;
    case CLI_STRING:
        if (value[0] == '\0') {
            fprintf(stderr, "modelgate: --%s: expected a value, got ''\n", opt->name);
            return EXIT_USAGE;
        }
        *(const char **)field = value;
        break;
    case CLI_NUMBER: {
        char *end;
        double x;
        errno = 0;
        x = strtod(value, &end);
        if (errno != 0 || end == value || *end != '\0' || !isfinite(x)) {
            fprintf(stderr, "modelgate: --%s: expected a number, got '%s'\n", opt->name,
                    value);
            return EXIT_USAGE;
        }
        *(double *)field = x;
        break;
    }
    }
    if (opt->given != 0)
        *(int *)((char *)a + opt->given) = 1;
    return 0;
}

/* "-" and the paths that are stdout itself, whatever it is redirected to. */
static int names_stdout(const char *path)
{
    return strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0 ||
           strcmp(path, "/dev/fd/1") == 0 || strcmp(path, "/proc/self/fd/1") == 0;
}

/* The operands a command takes: one per word of its `operands`. */
static size_t operand_count(const cli_command *cmd)
{
    size_t n = 0;
    for (const char *p = cmd->operands; *p != '\0'; p++)
        n += *p != ' ' && (p == cmd->operands || p[-1] == ' ');
    return n;
}

static int writes_reports(const cli_command *cmd)
{
    for (size_t i = 0; i < cli_nformats; i++)
        if (cli_formats[i].write != NULL && (cli_formats[i].commands & cmd->bit))
            return 1;
    return 0;
}

/*
 * A report option: `--json F`, `--json=F`, `--json -` for stdout, or, for a format
 * that may go to stdout on this command, `--json` alone. A format that may go to
 * stdout somewhere takes its file as an optional argument, so the file is then the
 * next word unless that is an option.
 */
static int set_report(cli_args *a, const cli_command *cmd, size_t i, int argc,
                      char **argv)
{
    const cli_format *f = &cli_formats[i];
    const char *path = NULL;
    if (f->write == NULL)
        return cli_usage_error("--%s is not supported yet", f->name);
    /* Refused where it appears, so that a --help after it does not hide it. */
    if (!(f->commands & cmd->bit))
        return writes_reports(cmd)
                   ? cli_usage_error("--%s: not a report this command writes", f->name)
                   : cli_usage_error("%s writes no reports", cmd->name);
    if (optarg != NULL)
        path = optarg;
    else if (optind < argc && strcmp(argv[optind], "-") == 0)
        path = argv[optind++];
    else if (f->stdout_commands & cmd->bit)
        path = "-";
    else if (optind < argc && argv[optind][0] != '-')
        path = argv[optind++];
    else
        return cli_usage_error(f->to_string != NULL
                                   ? "--%s needs a file name, or - for stdout"
                                   : "--%s needs a file name",
                               f->name);
    a->report[i] = NULL;
    a->report_stdout[i] = 0;
    if (names_stdout(path) && f->to_string != NULL)
        a->report_stdout[i] = 1;
    else
        a->report[i] = path;
    return 0;
}

int cli_parse(cli_args *a, const cli_command *cmd, int argc, char **argv)
{
    struct option
        longopts[CLI_FORMATS_MAX + sizeof cli_options / sizeof cli_options[0] + 1];
    char shortopts[sizeof cli_options / sizeof cli_options[0] + 1];
    size_t n = 0, ns = 0, noperands;
    int ch, rc;

    for (size_t i = 0; i < cli_nformats; i++)
        longopts[n++] = (struct option){
            cli_formats[i].name,
            cli_formats[i].stdout_commands ? optional_argument : required_argument,
            NULL, FORMAT_CODE + (int)i};
    for (size_t i = 0; i < cli_noptions; i++) {
        const cli_option *opt = &cli_options[i];
        if (!(opt->commands & cmd->bit))
            continue;
        longopts[n++] =
            (struct option){opt->name, opt->arg ? required_argument : no_argument, NULL,
                            OPTION_CODE + (int)i};
        if (opt->short_name != 0)
            shortopts[ns++] = opt->short_name;
    }
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    shortopts[ns] = '\0';

    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        const cli_option *opt = NULL;
        if (ch >= FORMAT_CODE && ch < FORMAT_CODE + (int)cli_nformats) {
            if ((rc = set_report(a, cmd, (size_t)(ch - FORMAT_CODE), argc, argv)) != 0)
                return rc;
            continue;
        }
        if (ch >= OPTION_CODE && ch < OPTION_CODE + (int)cli_noptions)
            opt = &cli_options[ch - OPTION_CODE];
        for (size_t i = 0; opt == NULL && ch > 0 && i < cli_noptions; i++)
            if (cli_options[i].short_name == ch && (cli_options[i].commands & cmd->bit))
                opt = &cli_options[i];
        if (opt == NULL)
            return cli_usage_error("unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        if ((rc = set_option(a, opt, optarg)) != 0)
            return rc;
        if (opt->kind == CLI_SHOW_HELP) {
            cli_print_command_help(stdout, cmd);
            return 0;
        }
    }
    noperands = operand_count(cmd);
    if (optind >= argc && noperands == 1)
        return cli_usage_error("%s", "missing the suite file");
    if (optind + (int)noperands > argc) {
        fprintf(stderr, "modelgate: %s needs %zu operands: %s (modelgate help)\n",
                cmd->name, noperands, cmd->operands);
        return EXIT_USAGE;
    }
    if (optind + (int)noperands < argc)
        return cli_usage_error("unexpected argument '%s'", argv[optind + noperands]);
    a->suite = argv[optind];
    a->head = noperands > 1 ? argv[optind + 1] : NULL;
    for (size_t i = 0; i < cli_nformats; i++) {
        for (size_t j = 0; a->report_stdout[i] && j < i; j++)
            if (a->report_stdout[j]) {
                fprintf(stderr,
                        "modelgate: --%s and --%s both go to stdout; only one report "
                        "can (write the other to a file)\n",
                        cli_formats[j].name, cli_formats[i].name);
                return EXIT_USAGE;
            }
    }
    return 0;
}
