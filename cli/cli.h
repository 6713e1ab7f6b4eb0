/*
 * What the files of the `modelgate` command share: its three tables and the
 * options a command line parses into.
 *
 * Commands, options and report formats each have one home, a table, and everything
 * else is generated from the tables: getopt's option list, the range checks and
 * their messages, the usage lines and the help text (cli/help.c), the report path
 * checks and the writing of the reports (cli/reports.c). A command takes the
 * options whose `commands` set holds its bit.
 */
#ifndef MG_CLI_H
#define MG_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "modelgate/modelgate.h"

/* The exit statuses, the contract CI relies on; what each means is said once, in
 * cli/help.c, where `modelgate help` prints it from. */
enum { EXIT_PASS = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

/* One bit per command, for the `commands` sets of options and formats. */
enum {
    CLI_RUN = 1u << 0,
    CLI_METRICS = 1u << 1,
    CLI_VALIDATE = 1u << 2,
    CLI_VERSION = 1u << 3,
    CLI_HELP = 1u << 4,
    CLI_DIFF = 1u << 5,
    CLI_DISCOVER = 1u << 6,
    CLI_PLAN = 1u << 7,
    CLI_DRIFT = 1u << 8,
};

/* The commands that read a suite, and those of them that write reports. */
#define CLI_SUITE     (CLI_RUN | CLI_METRICS | CLI_VALIDATE | CLI_DISCOVER | CLI_PLAN)
#define CLI_REPORTING (CLI_RUN | CLI_METRICS | CLI_DISCOVER)

/*
 * An output format: the option `--NAME F` writes the report with `write`. A format
 * with `to_string` may also go to stdout: for the commands in `stdout_commands`,
 * `--NAME` without a file prints it there. A row without `write` is reserved for a
 * later issue: its option is refused with "not supported yet" and is not shown.
 */
typedef struct cli_format {
    const char *name; /* the option's long name, without "--" */
    const char *help; /* what the report holds, for the help text */
    int (*write)(const mg_report *r, const char *path, mg_error *err);
    int (*to_string)(const mg_report *r, char **out, mg_error *err);
    unsigned commands;        /* CLI_* bits of the commands that write it */
    unsigned stdout_commands; /* CLI_* bits where `--NAME` alone means stdout */
} cli_format;

/* Room for the format table's rows in cli_args (checked where it is defined). */
#define CLI_FORMATS_MAX 8

extern const cli_format cli_formats[];
extern const size_t cli_nformats;

/* How an option's value is read and stored. */
typedef enum cli_kind {
    CLI_FLAG,      /* no value; sets an int to 1 */
    CLI_UINT64,    /* an integer in [min, max], into a uint64_t */
    CLI_SIZE_T,    /* the same, into a size_t */
    CLI_UNSIGNED,  /* the same, into an unsigned */
    CLI_BYTES,     /* a size such as 512M or 4G, in bytes, into a double */
    CLI_SHOW_HELP, /* prints the command's help and stops parsing */
    CLI_STRING,    /* a non-empty word, into a const char * */
    CLI_NUMBER     /* a finite number, into a double */
} cli_kind;

/*
 * An option other than a report format. `field` is the offset in cli_args of
 * where the value goes; `given`, when not 0, of an int set to 1 when the option
 * appears (for values whose every setting is meaningful, such as a seed). Offset 0
 * is cli_args.suite, which is never a flag.
 */
typedef struct cli_option {
    const char *name;       /* long name, without "--" */
    char short_name;        /* or 0 */
    const char *arg;        /* the value's name in the help ("N"), NULL for a flag */
    const char *help;       /* one sentence; a range is added from min and max */
    cli_kind kind;          /* how the value is read */
    unsigned long long min; /* integer options: the accepted range */
    unsigned long long max;
    size_t field; /* offsetof(cli_args, ...) */
    size_t given; /* offsetof(cli_args, ...), or 0 for none */
    unsigned commands;
} cli_option;

extern const cli_option cli_options[];
extern const size_t cli_noptions;

/* What a command line asked for. */
typedef struct cli_args {
    const char *suite; /* the first operand: the suite, or diff's BASE.json */
    const char *head;  /* diff's second operand, HEAD.json */
    const char *report[CLI_FORMATS_MAX]; /* by cli_formats row: a file, or NULL */
    int report_stdout[CLI_FORMATS_MAX];  /* by cli_formats row: print on stdout */
    int quiet;
    int help; /* --help was given: the help is printed, nothing else is done */
    int no_step_summary; /* do not append to $GITHUB_STEP_SUMMARY */
    mg_run_options run;
    /* discover: the search (mg_suite_discover) */
    int discover;
    const char *columns, *metric, *model;
    size_t depth;
    double margin;
    /* plan: the target power, and a true value to plan at */
    double power, at;
    int has_at;
    /* drift: the two files and the bins (columns above) */
    const char *reference, *current;
    size_t bins;
} cli_args;

typedef struct cli_command cli_command;

/* A command: `modelgate NAME OPERANDS [OPTIONS]`. */
struct cli_command {
    const char *name;
    unsigned bit;         /* CLI_*: the options whose `commands` hold it are its own */
    const char *operands; /* "SUITE.yaml", "BASE.json HEAD.json", "[COMMAND]" or "";
                             cli_parse takes one operand per word */
    const char *summary;  /* one line, lower case, no period */
    const char *alias[3]; /* other spellings as the first argument, or NULL */
    int (*fn)(const cli_command *self, int argc, char **argv);
};

extern const cli_command cli_commands[];
extern const size_t cli_ncommands;

/* The command named `name` (or one of its aliases), or NULL. */
const cli_command *cli_command_find(const char *name);

/*
 * Parse a suite command's arguments (argv[0] is the command's name) into `a`,
 * already initialised with cli_args_init. Returns 0, or the exit status after
 * printing the one-line error. With --help, prints the command's help, sets
 * a->help and returns 0.
 */
int cli_parse(cli_args *a, const cli_command *cmd, int argc, char **argv);
void cli_args_init(cli_args *a, mg_run_mode mode);

/* cli/help.c: `modelgate help` and a command's help, from the tables. */
void cli_print_help(FILE *out);
void cli_print_command_help(FILE *out, const cli_command *cmd);
int cli_cmd_help(const cli_command *self, int argc, char **argv);
/* The manual page modelgate(1) in roff (`modelgate help --man`). */
void cli_print_man(FILE *out);

/* cli/reports.c: the format table's rows at work. */
int cli_check_reports(const cli_args *a);
int cli_write_reports(const cli_args *a, const mg_report *r);
int cli_print_reports(const cli_args *a, const mg_report *r, int *printed);

/* The Markdown summary appended to $GITHUB_STEP_SUMMARY, when that is set and
 * --no-step-summary was not given: the file is checked before anything is
 * computed (exit 2 when it cannot be opened for appending), appended after. */
const char *cli_step_summary(const cli_args *a);
int cli_check_step_summary(const cli_args *a);
int cli_append_step_summary(const cli_args *a, const char *markdown);

/* Two paths that name one file (the same string, or the same device and inode). */
int cli_same_file(const char *p, const char *q);

/* The row of the format table named `name` (a format that exists). */
size_t cli_format_index(const char *name);

/* cli/main.c: one-line errors on stderr; each returns the exit status. */
int cli_report_error(const mg_error *err);
int cli_usage_error(const char *fmt, const char *arg);

#endif
