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
    if ((cmd = cli_command_find(argv[1])) == NULL)
        return cli_usage_error("unknown command '%s'", argv[1]);
    cli_print_command_help(stdout, cmd);
    return EXIT_PASS;
}
