/*
 * The CI recipes of examples/ci/ against the modelgate they call.
 *
 * Each recipe is read with the project's own YAML reader (harness/yaml.c, the one
 * suites are read with): it must be one valid YAML document without a key given
 * twice in a map (GitHub and GitLab refuse those). Its shell scripts are the
 * values of `run` (GitHub Actions steps) and the items of `script`,
 * `before_script` and `after_script` (GitLab jobs); every modelgate command in
 * them is split into words as the shell would (quotes, backslash-newlines, up to
 * an operator such as `||`) and handed to the built binary with `--help`
 * appended: the parser then reads every option of the command line, with its
 * value, before it prints the help, so an option or a command the binary does
 * not know, or a value it refuses, fails this test. An option the binary reserves
 * for a later issue ("not supported yet", the HTML report until it lands) is
 * reported on stdout and accepted.
 *
 * Then what the recipes promise: the suite's run writes JUnit, JSON, HTML and
 * Markdown; GitHub uploads the directory they are in and runs diff on a pull
 * request; GitLab publishes the JUnit file as `artifacts:reports:junit` and
 * exposes the HTML report.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness/yaml.h"
#include "testutil.h"

#define WORDS_MAX 64

static const mg__yaml_limits recipe_limits = {
    .what = "CI recipe",
    .max_bytes = 1048576,
    .max_depth = 32,
    .max_anchors = 100,
    .max_nodes = 10000,
};

/* A modelgate command line found in a script. */
typedef struct command {
    char *words[WORDS_MAX]; /* words[0] is the command (run, diff, …) */
    size_t n;
} command;

typedef struct recipe {
    mg__yaml_doc *doc;
    const mg__yaml_node *root;
    command commands[32];
    size_t ncommands;
} recipe;

static void command_free(command *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->words[i]);
    c->n = 0;
}

/*
 * The words of the shell text at *s up to the end of a simple command (a newline,
 * an operator such as ;, &&, ||, |, a redirection, or a comment), each malloc'd
 * into words[]; single and double quotes group, a backslash-newline joins lines.
 * *s is left after the operator. Variables are kept as written.
 */
static size_t shell_words(const char **s, char *words[WORDS_MAX])
{
    size_t n = 0;
    const char *p = *s;

    for (;;) {
        char buf[4096];
        size_t len = 0;
        int quoted = 0;
        while (*p == ' ' || *p == '\t' || (p[0] == '\\' && p[1] == '\n'))
            p += *p == '\\' ? 2 : 1;
        if (*p == '\0' || *p == '\n' || strchr(";&|<>#", *p) != NULL)
            break;
        while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' &&
               (quoted || strchr(";&|<>", *p) == NULL)) {
            if (*p == '\\' && p[1] == '\n') {
                p += 2;
                continue;
            }
            if (*p == '\'' || *p == '"') {
                char q = *p++;
                while (*p != '\0' && *p != q && len + 1 < sizeof buf)
                    buf[len++] = *p++;
                if (*p == q)
                    p++;
                quoted = 0;
                continue;
            }
            if (*p == '\\' && p[1] != '\0')
                p++;
            if (len + 1 < sizeof buf)
                buf[len++] = *p;
            p++;
        }
        buf[len] = '\0';
        ck_assert_uint_lt(n, WORDS_MAX);
        words[n] = strdup(buf);
        ck_assert_ptr_nonnull(words[n]);
        n++;
    }
    if (*p == '#')
        while (*p != '\0' && *p != '\n')
            p++;
    while (*p != '\0' && strchr(";&|<>", *p) != NULL)
        p++;
    if (*p == '\n')
        p++;
    *s = p;
    return n;
}

/* Whether a word names the modelgate binary: modelgate, build/modelgate, …. */
static int is_modelgate(const char *word)
{
    const char *base = strrchr(word, '/');
    return strcmp(base != NULL ? base + 1 : word, "modelgate") == 0;
}

/* Every modelgate command of a script, into r->commands. */
static void scan_script(recipe *r, const char *text)
{
    const char *p = text;
    while (*p != '\0') {
        char *words[WORDS_MAX];
        size_t n = shell_words(&p, words), i = 0;
        /* a command may follow `then`, `do` and the like */
        while (i < n && !is_modelgate(words[i]))
            i++;
        if (i + 1 < n) {
            command *c = &r->commands[r->ncommands++];
            ck_assert_uint_lt(r->ncommands, sizeof r->commands / sizeof r->commands[0]);
            c->n = 0;
            for (size_t k = i + 1; k < n; k++)
                c->words[c->n++] = strdup(words[k]);
        }
        for (size_t k = 0; k < n; k++)
            free(words[k]);
    }
}

/* No key twice in any map, and the scripts found, walking the whole tree. */
static void walk(recipe *r, const mg__yaml_node *n, const char *file)
{
    if (n->kind == MG__YAML_MAP)
        for (size_t i = 0; i < n->n; i++) {
            const char *key = n->keys[i]->text;
            for (size_t k = 0; k < i; k++)
                ck_assert_msg(strcmp(n->keys[k]->text, key) != 0,
                              "%s:%lu: key '%s' given twice in one map", file,
                              n->keys[i]->line, key);
            if (strcmp(key, "run") == 0 && n->items[i]->kind == MG__YAML_SCALAR)
                scan_script(r, n->items[i]->text);
            if ((strcmp(key, "script") == 0 || strcmp(key, "before_script") == 0 ||
                 strcmp(key, "after_script") == 0) &&
                n->items[i]->kind == MG__YAML_SEQUENCE)
                for (size_t k = 0; k < n->items[i]->n; k++)
                    scan_script(r, n->items[i]->items[k]->text);
        }
    for (size_t i = 0; i < n->n; i++)
        walk(r, n->items[i], file);
}

static void load(recipe *r, const char *rel)
{
    mg_error err = MG_ERROR_INIT;
    char line[2048];
    memset(r, 0, sizeof *r);
    if (mg__yaml_load(&r->doc, tu_src(rel), &recipe_limits, &err) != 0) {
        mg_error_format(&err, line, sizeof line);
        ck_abort_msg("%s", line);
    }
    r->root = mg__yaml_root(r->doc);
    ck_assert_int_eq(r->root->kind, MG__YAML_MAP);
    walk(r, r->root, rel);
}

static void unload(recipe *r)
{
    for (size_t i = 0; i < r->ncommands; i++)
        command_free(&r->commands[i]);
    mg__yaml_free(r->doc);
}

/* s in single quotes for sh. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

/*
 * Hand the command to the binary with --help appended. Returns 0 when the parser
 * accepts every option (exit 0), 1 when it refuses one only because the binary
 * reserves it for later ("not supported yet"), -1 otherwise; *why receives the
 * binary's stderr.
 */
static int check_command(const command *c, char *why, size_t size)
{
    const char *dir = tu_scratch_dir("recipes");
    char errpath[4200], *text, *cmd = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&cmd, &len);
    int status, rc;

    snprintf(errpath, sizeof errpath, "%s/stderr", dir);
    ck_assert_ptr_nonnull(f);
    fputs("cd ", f);
    put_quoted(f, dir);
    fputs(" && env -u GITHUB_STEP_SUMMARY ", f);
    put_quoted(f, MG_BINARY_DIR "/modelgate");
    for (size_t i = 0; i < c->n; i++) {
        fputc(' ', f);
        put_quoted(f, c->words[i]);
    }
    fputs(" --help >/dev/null 2>", f);
    put_quoted(f, errpath);
    ck_assert_int_eq(fclose(f), 0);
    status = system(cmd);
    free(cmd);
    ck_assert_int_ne(status, -1);
    text = tu_slurp(errpath, NULL);
    snprintf(why, size, "%s", text != NULL ? text : "");
    rc = WIFEXITED(status) && WEXITSTATUS(status) == 0 && why[0] == '\0' ? 0
         : WIFEXITED(status) && WEXITSTATUS(status) == 2 &&
                 strstr(why, "is not supported yet") != NULL
             ? 1
             : -1;
    free(text);
    return rc;
}

/* Every modelgate command of a recipe passes check_command. */
static void check_commands(const recipe *r, const char *rel)
{
    char why[2048];
    ck_assert_uint_gt(r->ncommands, 0);
    for (size_t i = 0; i < r->ncommands; i++) {
        int rc = check_command(&r->commands[i], why, sizeof why);
        ck_assert_msg(rc >= 0, "%s: modelgate %s ...: %s", rel, r->commands[i].words[0],
                      why);
        if (rc == 1)
            printf("%s: modelgate %s: an option this binary reserves for later: %s",
                   rel, r->commands[i].words[0], why);
    }
}

/* The first command `name`, or NULL. */
static const command *find_command(const recipe *r, const char *name)
{
    for (size_t i = 0; i < r->ncommands; i++)
        if (strcmp(r->commands[i].words[0], name) == 0)
            return &r->commands[i];
    return NULL;
}

/* The value of `--name VALUE` (or --name=VALUE) in a command, or NULL. */
static const char *option_value(const command *c, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 1; i < c->n; i++) {
        if (strcmp(c->words[i], name) == 0 && i + 1 < c->n)
            return c->words[i + 1];
        if (strncmp(c->words[i], name, len) == 0 && c->words[i][len] == '=')
            return c->words[i] + len + 1;
    }
    return NULL;
}

/* The node at a path of map keys ("jobs", "acceptance", …), or NULL. */
static const mg__yaml_node *at(const mg__yaml_node *n, const char *const *path)
{
    for (; n != NULL && *path != NULL; path++)
        n = n->kind == MG__YAML_MAP ? mg__yaml_get(n, *path) : NULL;
    return n;
}

static const char *const reports[] = {"--junit", "--json", "--html", "--markdown"};

START_TEST(github_actions)
{
    static const char *const steps_path[] = {"jobs", "acceptance", "steps", NULL};
    static const char *const pr_path[] = {"on", "pull_request", NULL};
    static const char *const push_path[] = {"on", "push", NULL};
    const char *rel = "examples/ci/github-actions.yml", *upload = NULL;
    const mg__yaml_node *steps;
    const command *run, *diff;
    recipe r;

    load(&r, rel);
    check_commands(&r, rel);
    ck_assert_ptr_nonnull(at(r.root, pr_path));
    ck_assert_ptr_nonnull(at(r.root, push_path));
    run = find_command(&r, "run");
    diff = find_command(&r, "diff");
    ck_assert_ptr_nonnull(run);
    ck_assert_ptr_nonnull(diff);
    /* the uploaded artifact holds every report of the run */
    steps = at(r.root, steps_path);
    ck_assert_ptr_nonnull(steps);
    for (size_t i = 0; i < steps->n; i++) {
        const mg__yaml_node *uses = mg__yaml_get(steps->items[i], "uses"), *with, *path;
        if (uses == NULL || strncmp(uses->text, "actions/upload-artifact@", 24) != 0)
            continue;
        with = mg__yaml_get(steps->items[i], "with");
        path = with != NULL ? mg__yaml_get(with, "path") : NULL;
        ck_assert_ptr_nonnull(path);
        upload = path->text;
    }
    ck_assert_msg(upload != NULL, "%s: no actions/upload-artifact step", rel);
    for (size_t k = 0; k < sizeof reports / sizeof reports[0]; k++) {
        const char *v = option_value(run, reports[k]);
        ck_assert_msg(v != NULL, "%s: the run writes no %s report", rel, reports[k]);
        ck_assert_msg(strncmp(v, upload, strlen(upload)) == 0,
                      "%s: %s %s is not in the uploaded %s", rel, reports[k], v,
                      upload);
    }
    /* diff compares with the run's JSON */
    ck_assert_str_eq(diff->words[2], option_value(run, "--json"));
    unload(&r);
}
END_TEST

START_TEST(gitlab_ci)
{
    static const char *const junit_path[] = {"model-acceptance", "artifacts", "reports",
                                             "junit", NULL};
    static const char *const expose_path[] = {"model-acceptance", "artifacts",
                                              "expose_as", NULL};
    static const char *const paths_path[] = {"model-acceptance", "artifacts", "paths",
                                             NULL};
    static const char *const when_path[] = {"model-acceptance", "artifacts", "when",
                                            NULL};
    static const char *const rules_path[] = {"model-acceptance", "rules", NULL};
    const char *rel = "examples/ci/gitlab-ci.yml";
    const mg__yaml_node *junit, *paths, *when, *rules;
    const command *run, *diff;
    int html_exposed = 0, mr = 0;
    recipe r;

    load(&r, rel);
    check_commands(&r, rel);
    run = find_command(&r, "run");
    diff = find_command(&r, "diff");
    ck_assert_ptr_nonnull(run);
    ck_assert_ptr_nonnull(diff);
    junit = at(r.root, junit_path);
    ck_assert_msg(junit != NULL, "%s: no artifacts:reports:junit", rel);
    ck_assert_str_eq(junit->text, option_value(run, "--junit"));
    ck_assert_ptr_nonnull(at(r.root, expose_path));
    paths = at(r.root, paths_path);
    ck_assert_ptr_nonnull(paths);
    for (size_t i = 0; i < paths->n; i++)
        html_exposed |= strcmp(paths->items[i]->text, option_value(run, "--html")) == 0;
    ck_assert_msg(html_exposed, "%s: the HTML report is not an exposed artifact", rel);
    /* the reports are kept when the tests fail, which is when they are read */
    when = at(r.root, when_path);
    ck_assert_ptr_nonnull(when);
    ck_assert_str_eq(when->text, "always");
    ck_assert_str_eq(diff->words[2], option_value(run, "--json"));
    /* the job runs in merge request pipelines, where the diff is */
    rules = at(r.root, rules_path);
    ck_assert_msg(rules != NULL && rules->kind == MG__YAML_SEQUENCE, "%s: no rules",
                  rel);
    for (size_t i = 0; i < rules->n; i++) {
        const mg__yaml_node *cond = mg__yaml_get(rules->items[i], "if");
        mr |= cond != NULL && strstr(cond->text, "merge_request_event") != NULL;
    }
    ck_assert_msg(mr, "%s: the job does not run in merge request pipelines", rel);
    unload(&r);
}
END_TEST

/* The check itself: words split as sh would, and a command the binary refuses
 * fails it. */
START_TEST(checker)
{
    recipe r;
    char why[2048];
    memset(&r, 0, sizeof r);
    scan_script(&r,
                "mkdir -p out\nbuild/modelgate run 'my suite.yaml' \\\n  --json "
                "\"out/r.json\" || status=$?\nif x; then ./modelgate diff a b; fi\n");
    ck_assert_uint_eq(r.ncommands, 2);
    ck_assert_uint_eq(r.commands[0].n, 4);
    ck_assert_str_eq(r.commands[0].words[1], "my suite.yaml");
    ck_assert_str_eq(r.commands[0].words[3], "out/r.json");
    ck_assert_uint_eq(r.commands[1].n, 3);
    ck_assert_str_eq(r.commands[1].words[2], "b");
    ck_assert_int_eq(check_command(&r.commands[0], why, sizeof why), 0);
    ck_assert_int_eq(check_command(&r.commands[1], why, sizeof why), 0);
    unload(&r);

    memset(&r, 0, sizeof r);
    scan_script(&r, "modelgate run s.yaml --junitt j.xml\n"
                    "modelgate run s.yaml --seed minus-one\n"
                    "modelgate nosuchcommand s.yaml\n"
                    "modelgate diff a.json b.json --json x.json\n");
    ck_assert_uint_eq(r.ncommands, 4);
    for (size_t i = 0; i < r.ncommands; i++)
        ck_assert_msg(check_command(&r.commands[i], why, sizeof why) == -1,
                      "command %zu passed", i);
    unload(&r);
}
END_TEST

static Suite *recipes_suite(void)
{
    Suite *s = suite_create("recipes");
    TCase *core = tcase_create("core"), *edge = tcase_create("edge");
    tcase_add_test(core, github_actions);
    tcase_add_test(core, gitlab_ci);
    tcase_add_test(edge, checker);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}

int main(void)
{
    return tu_run(recipes_suite());
}
