/*
 * The help, generated from the tables, so that it cannot drift from what the
 * parser accepts: `modelgate help` lists every command with its usage line and
 * summary; `modelgate help COMMAND` and `modelgate COMMAND --help` give one
 * command's usage line and every option it takes, with the option's help sentence
 * and, for numbers, the range the parser enforces. README.md's "Commands" section
 * quotes `modelgate help`; tests/cli/help.sh checks that the two agree.
 *
 * Lines are wrapped to 80 columns; a usage line's continuation lines start under
 * its first option, an option's help under the help column.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define WIDTH 80

/* What each exit status means: README.md's "Exit status" table says it at length. */
static const struct {
    int status;
    const char *meaning;
} exit_statuses[] = {
    {EXIT_PASS, "all tests passed"},
    {EXIT_FAILED, "a test failed or errored"},
    {EXIT_USAGE, "bad invocation, suite or data"},
    {EXIT_INTERNAL, "internal error"},
};

/* Columns a UTF-8 string takes: one per character (the help has no wide ones). */
static int columns(const char *s, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/*
 * Print a word at *col: after a space, or, when it would pass WIDTH, on a new line
 * at `indent`. A word at the start of a line (*col == indent) gets no space.
 */
static void put_word(FILE *out, const char *word, size_t len, int indent, int *col)
{
    int w = columns(word, len);
    if (*col != indent) {
        if (*col + 1 + w > WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            *col = indent;
        } else {
            fputc(' ', out);
            (*col)++;
        }
    }
    fwrite(word, 1, len, out);
    *col += w;
}

/* Print `text` word by word from *col, wrapping at `indent`; a range such as
 * "[1, 1024]" is kept on one line. */
static void put_text(FILE *out, const char *text, int indent, int *col)
{
    while (*text != '\0') {
        size_t len = 0;
        int depth = 0;
        for (; text[len] != '\0' && (text[len] != ' ' || depth > 0); len++)
            depth += (text[len] == '[') - (text[len] == ']');
        if (len > 0)
            put_word(out, text, len, indent, col);
        text += len;
        text += strspn(text, " ");
    }
}

static int shown(const cli_format *f, const cli_command *cmd)
{
    return f->write != NULL && (f->commands & cmd->bit);
}

/* `modelgate run SUITE.yaml [--junit F] …`, after `lead`, wrapped. */
static void print_usage(FILE *out, const char *lead, const cli_command *cmd)
{
    char token[96];
    int col = fprintf(out, "%smodelgate %s%s%s", lead, cmd->name,
                      cmd->operands[0] != '\0' ? " " : "", cmd->operands);
    int indent = col + 1;

    for (size_t i = 0; i < cli_nformats; i++) {
        const cli_format *f = &cli_formats[i];
        if (!shown(f, cmd))
            continue;
        snprintf(token, sizeof token,
                 (f->stdout_commands & cmd->bit) ? "[--%s [F]]" : "[--%s F]", f->name);
        put_word(out, token, strlen(token), indent, &col);
    }
    for (size_t i = 0; i < cli_noptions; i++) {
        const cli_option *opt = &cli_options[i];
        if (!(opt->commands & cmd->bit) || opt->kind == CLI_SHOW_HELP)
            continue;
        if (opt->arg != NULL)
            snprintf(token, sizeof token, "[--%s %s]", opt->name, opt->arg);
        else
            snprintf(token, sizeof token, "[--%s]", opt->name);
        put_word(out, token, strlen(token), indent, &col);
    }
    fputc('\n', out);
}

void cli_print_help(FILE *out)
{
    char token[96];
    int col;

    fputs("usage: modelgate COMMAND [OPTIONS]\n\n", out);
    for (size_t i = 0; i < cli_ncommands; i++) {
        print_usage(out, "  ", &cli_commands[i]);
        col = fprintf(out, "      ");
        put_text(out, cli_commands[i].summary, col, &col);
        fputc('\n', out);
    }
    fputc('\n', out);
    col = fprintf(out, "exit status:");
    for (size_t i = 0; i < sizeof exit_statuses / sizeof exit_statuses[0]; i++) {
        snprintf(token, sizeof token, "%d %s%s", exit_statuses[i].status,
                 exit_statuses[i].meaning,
                 i + 1 < sizeof exit_statuses / sizeof exit_statuses[0] ? "," : "");
        put_word(out, token, strlen(token), (int)strlen("exit status: "), &col);
    }
    fputc('\n', out);
}

/*
 * The k-th line of a command's option list (the formats, then the options): the
 * option on the left, its help on the right. Returns 0 when the command does not
 * take it.
 */
static int option_line(const cli_command *cmd, size_t k, char *left, size_t lsize,
                       char *help, size_t hsize)
{
    const cli_option *opt;

    if (k < cli_nformats) {
        const cli_format *f = &cli_formats[k];
        if (!shown(f, cmd))
            return 0;
        if (f->stdout_commands & cmd->bit) {
            snprintf(left, lsize, "      --%s [F]", f->name);
            snprintf(help, hsize, "%s; without F or with F = -, on stdout", f->help);
        } else {
            snprintf(left, lsize, "      --%s F", f->name);
            snprintf(help, hsize, "%s%s", f->help,
                     f->to_string != NULL ? "; F = - for stdout" : "");
        }
        return 1;
    }
    opt = &cli_options[k - cli_nformats];
    if (!(opt->commands & cmd->bit))
        return 0;
    snprintf(left, lsize, "  %c%c%c --%s%s%s", opt->short_name ? '-' : ' ',
             opt->short_name ? opt->short_name : ' ', opt->short_name ? ',' : ' ',
             opt->name, opt->arg ? " " : "", opt->arg ? opt->arg : "");
    if (opt->kind == CLI_UINT64 || opt->kind == CLI_SIZE_T || opt->kind == CLI_UNSIGNED)
        snprintf(help, hsize, "%s; %s in [%llu, %llu]", opt->help, opt->arg, opt->min,
                 opt->max);
    else
        snprintf(help, hsize, "%s", opt->help);
    return 1;
}

void cli_print_command_help(FILE *out, const cli_command *cmd)
{
    char left[96], help[512];
    size_t nlines = cli_nformats + cli_noptions;
    int help_col = 0, col;

    print_usage(out, "usage: ", cmd);
    fputc('\n', out);
    col = 0;
    put_text(out, cmd->summary, 0, &col);
    fputc('\n', out);

    /* The help column: two spaces after the widest option. */
    for (size_t k = 0; k < nlines; k++)
        if (option_line(cmd, k, left, sizeof left, help, sizeof help)) {
            int w = (int)strlen(left) + 2;
            help_col = w > help_col ? w : help_col;
        }
    if (help_col == 0)
        return;
    fputs("\noptions:\n", out);
    for (size_t k = 0; k < nlines; k++)
        if (option_line(cmd, k, left, sizeof left, help, sizeof help)) {
            col = fprintf(out, "%-*s", help_col, left);
            put_text(out, help, help_col, &col);
            fputc('\n', out);
        }
}

int cli_cmd_help(const cli_command *self, int argc, char **argv)
{
    const cli_command *cmd;
    (void)self;
    if (argc > 2)
        return cli_usage_error("unexpected argument '%s'", argv[2]);
    if (argc == 1) {
        cli_print_help(stdout);
        return EXIT_PASS;
    }
    if (strcmp(argv[1], "--man") == 0) {
        cli_print_man(stdout);
        return EXIT_PASS;
    }
    if ((cmd = cli_command_find(argv[1])) == NULL)
        return cli_usage_error("unknown command '%s'", argv[1]);
    cli_print_command_help(stdout, cmd);
    return EXIT_PASS;
}

/*
 * The manual page modelgate(1), in roff, from the same tables: the synopsis is
 * every command's usage, COMMANDS their summaries, OPTIONS every report format and
 * option with its help, range and the commands that take it, EXIT STATUS the
 * table above. The build writes it with `modelgate help --man` and `make install`
 * installs it, so the page cannot describe an option the parser does not know.
 * The prose around the tables (description, environment, examples) is here.
 */

/* Text for a roff line: backslashes escaped, hyphens of options and numbers kept
 * as minus signs, a leading '.' or '\'' defused. */
static void roff(FILE *out, const char *text)
{
    if (*text == '.' || *text == '\'')
        fputs("\\&", out);
    for (const char *s = text; *s != '\0'; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-' && (s[1] == '-' || (s[1] >= '0' && s[1] <= '9') ||
                               (s > text && s[-1] == '-')))
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

/* An option's name, every hyphen a minus sign (as a reader types it). */
static void roff_name(FILE *out, const char *name)
{
    for (; *name != '\0'; name++)
        if (*name == '-')
            fputs("\\-", out);
        else
            fputc(*name, out);
}

/* The commands whose bit is in `bits`, as "run, metrics and validate". */
static void roff_commands(FILE *out, unsigned bits)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < cli_ncommands; i++)
        n += (cli_commands[i].bit & bits) != 0;
    for (size_t i = 0; i < cli_ncommands; i++) {
        if (!(cli_commands[i].bit & bits))
            continue;
        fprintf(out, "%s\\fB%s\\fR",
                k == 0       ? ""
                : k + 1 == n ? " and "
                             : ", ",
                cli_commands[i].name);
        k++;
    }
}

/* The operands of a usage line, in italics: "\fISUITE.yaml\fR". */
static void roff_operands(FILE *out, const char *operands)
{
    if (operands[0] != '\0') {
        fputs(" \\fI", out);
        roff(out, operands);
        fputs("\\fR", out);
    }
}

static void man_synopsis(FILE *out, const cli_command *cmd)
{
    fprintf(out, ".br\n\\fBmodelgate %s\\fR", cmd->name);
    roff_operands(out, cmd->operands);
    for (size_t i = 0; i < cli_nformats; i++) {
        const cli_format *f = &cli_formats[i];
        if (shown(f, cmd))
            fprintf(out,
                    (f->stdout_commands & cmd->bit) ? " [\\fB\\-\\-%s\\fR [\\fIF\\fR]]"
                                                    : " [\\fB\\-\\-%s\\fR \\fIF\\fR]",
                    f->name);
    }
    for (size_t i = 0; i < cli_noptions; i++) {
        const cli_option *opt = &cli_options[i];
        if (!(opt->commands & cmd->bit) || opt->kind == CLI_SHOW_HELP)
            continue;
        fputs(" [\\fB\\-\\-", out);
        roff_name(out, opt->name);
        fputs("\\fR", out);
        if (opt->arg != NULL)
            fprintf(out, " \\fI%s\\fR", opt->arg);
        fputs("]", out);
    }
    fputs("\n", out);
}

static void man_formats(FILE *out)
{
    for (size_t i = 0; i < cli_nformats; i++) {
        const cli_format *f = &cli_formats[i];
        if (f->write == NULL)
            continue;
        fprintf(out, ".TP\n\\fB\\-\\-%s\\fR \\fIF\\fR\n", f->name);
        roff(out, f->help);
        fputs(f->to_string != NULL ? "; \\fIF\\fR = \\- for stdout" : "", out);
        if (f->stdout_commands) {
            fputs(" (for ", out);
            roff_commands(out, f->stdout_commands);
            fputs(", \\fB\\-\\-", out);
            fprintf(out, "%s\\fR alone too)", f->name);
        }
        fputs(".\nTaken by ", out);
        roff_commands(out, f->commands);
        fputs(".\n", out);
    }
}

static void man_options(FILE *out)
{
    for (size_t i = 0; i < cli_noptions; i++) {
        const cli_option *opt = &cli_options[i];
        fputs(".TP\n", out);
        if (opt->short_name != 0)
            fprintf(out, "\\fB\\-%c\\fR, ", opt->short_name);
        fputs("\\fB\\-\\-", out);
        roff_name(out, opt->name);
        fputs("\\fR", out);
        if (opt->arg != NULL)
            fprintf(out, " \\fI%s\\fR", opt->arg);
        fputs("\n", out);
        roff(out, opt->help);
        if (opt->kind == CLI_UINT64 || opt->kind == CLI_SIZE_T ||
            opt->kind == CLI_UNSIGNED)
            fprintf(out, "; \\fI%s\\fR in [%llu, %llu]", opt->arg, opt->min, opt->max);
        fputs(".\nTaken by ", out);
        roff_commands(out, opt->commands);
        fputs(".\n", out);
    }
}

static const char *const man_description =
    ".SH DESCRIPTION\n"
    "modelgate loads a candidate model's predictions and a holdout set, computes\n"
    "metrics overall and per slice with bootstrap confidence intervals, compares the\n"
    "candidate with the champion (the model in production) on paired replicates,\n"
    "decides pass or fail with explicit statistical rules, and writes JUnit XML, JSON\n"
    "and Markdown reports, so that the decision gates an ordinary CI pipeline.\n"
    "The suite file, described in\n"
    ".BR modelgate-suite (5),\n"
    "names the data, the models, the slicings and the tests.\n"
    ".PP\n"
    "Errors are one line on standard error naming the file, line, column and suite\n"
    "key; no report is written then.\n"
    "Report files are written atomically (a temporary file, then a rename).\n"
    "Results are bit-identical for any number of threads.\n";

static const char *const man_environment =
    ".SH ENVIRONMENT\n"
    ".TP\n"
    ".B NO_COLOR\n"
    "When set and not empty, the console tables have no colours (they have colours\n"
    "only on a terminal anyway).\n"
    ".TP\n"
    ".B GITHUB_STEP_SUMMARY\n"
    "The file of GitHub Actions' step summary: when it is set,\n"
    ".B run\n"
    "and\n"
    ".B diff\n"
    "append their Markdown summary to it (failures first, slice families folded),\n"
    "unless\n"
    ".B \\-\\-no\\-step\\-summary\n"
    "is given.\n"
    "A file that cannot be opened for appending stops the command before anything is\n"
    "computed (exit status 2).\n";

static const char *const man_examples =
    ".SH EXAMPLES\n"
    "Run a suite and write every report:\n"
    ".PP\n"
    ".nf\n"
    ".RS\n"
    "modelgate run suite.yaml \\-\\-junit junit.xml \\-\\-json results.json \\e\n"
    "    \\-\\-markdown summary.md\n"
    ".RE\n"
    ".fi\n"
    ".PP\n"
    "Compare the main branch's stored report with a pull request's:\n"
    ".PP\n"
    ".nf\n"
    ".RS\n"
    "modelgate diff main.json results.json \\-\\-markdown diff.md\n"
    ".RE\n"
    ".fi\n"
    ".PP\n"
    "Every metric of every model on every slice, as JSON on standard output:\n"
    ".PP\n"
    ".nf\n"
    ".RS\n"
    "modelgate metrics suite.yaml \\-\\-json | jq .metrics\n"
    ".RE\n"
    ".fi\n";

void cli_print_man(FILE *out)
{
    fprintf(out,
            ".\\\" modelgate(1), generated by `modelgate help \\-\\-man` from the "
            "command line's tables\n"
            ".TH MODELGATE 1 \"\" \"modelgate %s\" \"User Commands\"\n"
            ".SH NAME\n"
            "modelgate \\- statistical acceptance tests for machine-learning models\n"
            ".SH SYNOPSIS\n",
            mg_version());
    for (size_t i = 0; i < cli_ncommands; i++)
        man_synopsis(out, &cli_commands[i]);
    fputs(man_description, out);
    fputs(".SH COMMANDS\n", out);
    for (size_t i = 0; i < cli_ncommands; i++) {
        fprintf(out, ".TP\n\\fBmodelgate %s\\fR", cli_commands[i].name);
        roff_operands(out, cli_commands[i].operands);
        fputs("\n", out);
        roff(out, cli_commands[i].summary);
        fputs(".\n", out);
    }
    fputs(".SH OPTIONS\n", out);
    man_formats(out);
    man_options(out);
    fputs(".SH \"EXIT STATUS\"\n", out);
    for (size_t i = 0; i < sizeof exit_statuses / sizeof exit_statuses[0]; i++)
        fprintf(out, ".TP\n.B %d\n%s.\n", exit_statuses[i].status,
                exit_statuses[i].meaning);
    fputs(".PP\n\\fBdiff\\fR exits 1 when a case went from pass to fail or error, 0\n"
          "when none did, 2 when a file is not a modelgate JSON report of a schema it\n"
          "reads.\n",
          out);
    fputs(man_environment, out);
    fputs(man_examples, out);
    fputs(".SH \"SEE ALSO\"\n.BR modelgate-suite (5)\n", out);
}
