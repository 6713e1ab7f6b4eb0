/*
 * The manual page of the suite file, docs/man/modelgate-suite.5, against the suite
 * reader's tables (harness/suite_fields.h): every key a section's table reads has an
 * entry (".TP" then ".B key") under the ".SS" of its section, every entry names a
 * key the table reads, and every reserved key is mentioned in its section. So a key
 * added to the reader fails this test until the page documents it, and the page
 * cannot document a key the reader refuses. (modelgate(1) is generated from the
 * command line's tables; tests/cli/man.sh checks it.)
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/suite_fields.h"
#include "modelgate/metrics.h"
#include "testutil.h"

#define SECTIONS_MAX 16

/* The page's entries: section title, key, line. */
typedef struct entry {
    char section[64];
    char key[64];
    int line;
} entry;

typedef struct page {
    entry entries[512];
    size_t n;
    char *text; /* the whole page */
} page;

/* ".SS \"data\"" -> "data"; the top level's title is "top level". */
static void section_title(const char *line, char *out, size_t size)
{
    const char *s = line + 4;
    size_t len;
    if (*s == '"')
        s++;
    len = strcspn(s, "\"\n");
    snprintf(out, size, "%.*s", (int)len, s);
}

static void read_page(page *p)
{
    char section[64] = "", *line, *save = NULL, *copy;
    int prev_tp = 0, n = 0;

    p->text = tu_slurp(tu_src("docs/man/modelgate-suite.5"), NULL);
    ck_assert_ptr_nonnull(p->text);
    copy = strdup(p->text);
    ck_assert_ptr_nonnull(copy);
    p->n = 0;
    for (line = strtok_r(copy, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        n++;
        if (strncmp(line, ".SH ", 4) == 0)
            section[0] = '\0';
        if (strncmp(line, ".SS ", 4) == 0)
            section_title(line, section, sizeof section);
        if (prev_tp && section[0] != '\0' && strncmp(line, ".B ", 3) == 0) {
            entry *e = &p->entries[p->n++];
            ck_assert_uint_lt(p->n, sizeof p->entries / sizeof p->entries[0]);
            snprintf(e->section, sizeof e->section, "%s", section);
            snprintf(e->key, sizeof e->key, "%s", line + 3);
            e->line = n;
        }
        prev_tp = strcmp(line, ".TP") == 0;
    }
    free(copy);
}

static const char *title_of(const mg__schema_section *s)
{
    return s->path[0] == '\0' ? "top level" : s->path;
}

static int documented(const page *p, const char *section, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->entries[i].section, section) == 0 &&
            strcmp(p->entries[i].key, key) == 0)
            return 1;
    return 0;
}

/* The text of a section of the page: from its .SS line to the next .SS or .SH. */
static char *section_text(const page *p, const char *title)
{
    char head[96], *start, *end, *out;
    snprintf(head, sizeof head, "\n.SS \"%s\"\n", title);
    start = strstr(p->text, head);
    ck_assert_msg(start != NULL, "docs/man/modelgate-suite.5 has no section .SS \"%s\"",
                  title);
    start += strlen(head);
    end = start + strcspn(start, "");
    for (const char *m = start; *m; m++)
        if (m[0] == '\n' && m[1] == '.' && m[2] == 'S' &&
            (m[3] == 'S' || m[3] == 'H')) {
            end = (char *)m;
            break;
        }
    out = strndup(start, (size_t)(end - start));
    ck_assert_ptr_nonnull(out);
    return out;
}

/* Whether `word` appears in text as a whole word (after ".B ", ".BR ", a space). */
static int mentions(const char *text, const char *word)
{
    size_t len = strlen(word);
    for (const char *s = strstr(text, word); s != NULL; s = strstr(s + 1, word)) {
        char before = s == text ? ' ' : s[-1], after = s[len];
        if ((before == ' ' || before == '\n') &&
            (after == ' ' || after == '\n' || after == ',' || after == '\0'))
            return 1;
    }
    return 0;
}

START_TEST(every_key_documented)
{
    mg__schema_section sections[SECTIONS_MAX];
    size_t n = mg__suite_schema(sections, SECTIONS_MAX);
    page p;

    ck_assert_uint_le(n, SECTIONS_MAX);
    ck_assert_uint_ge(n, 6);
    read_page(&p);
    for (size_t s = 0; s < n; s++)
        for (const mg__field *f = sections[s].fields; f->name != NULL; f++)
            ck_assert_msg(
                documented(&p, title_of(&sections[s]), f->name),
                "docs/man/modelgate-suite.5: key '%s' of section '%s' is read "
                "by the suite reader but has no entry (.TP, then .B %s, under "
                ".SS \"%s\")",
                f->name, title_of(&sections[s]), f->name, title_of(&sections[s]));
    free(p.text);
}
END_TEST

START_TEST(no_key_the_reader_refuses)
{
    mg__schema_section sections[SECTIONS_MAX];
    size_t n = mg__suite_schema(sections, SECTIONS_MAX);
    page p;

    read_page(&p);
    ck_assert_uint_gt(p.n, 40);
    for (size_t i = 0; i < p.n; i++) {
        const entry *e = &p.entries[i];
        int found = 0;
        for (size_t s = 0; s < n && !found; s++) {
            if (strcmp(title_of(&sections[s]), e->section) != 0)
                continue;
            for (const mg__field *f = sections[s].fields; f->name != NULL && !found;
                 f++)
                found = strcmp(f->name, e->key) == 0;
        }
        ck_assert_msg(found,
                      "docs/man/modelgate-suite.5:%d: key '%s' under '%s' is not one "
                      "the suite reader reads there",
                      e->line, e->key, e->section);
    }
    free(p.text);
}
END_TEST

START_TEST(reserved_keys_mentioned)
{
    mg__schema_section sections[SECTIONS_MAX];
    size_t n = mg__suite_schema(sections, SECTIONS_MAX);
    page p;

    read_page(&p);
    for (size_t s = 0; s < n; s++) {
        char *text;
        if (sections[s].reserved == NULL)
            continue;
        text = section_text(&p, title_of(&sections[s]));
        for (const char *const *r = sections[s].reserved; *r != NULL; r++)
            ck_assert_msg(mentions(text, *r) && strstr(text, "reserved") != NULL,
                          "docs/man/modelgate-suite.5: section '%s' does not say that "
                          "'%s' is reserved",
                          title_of(&sections[s]), *r);
        free(text);
    }
    free(p.text);
}
END_TEST

/* The metric key's entry lists every metric of the registry (metrics.h). */
START_TEST(every_metric_listed)
{
    page p;
    char *text, *item, *end;
    read_page(&p);
    text = section_text(&p, "tests[]");
    item = strstr(text, ".TP\n.B metric\n");
    ck_assert_ptr_nonnull(item);
    end = strstr(item + 4, ".TP\n");
    ck_assert_ptr_nonnull(end);
    *end = '\0';
    for (int m = 0; m < MG_METRIC_COUNT; m++)
        ck_assert_msg(mentions(item, mg_metric_name((mg_metric)m)),
                      "docs/man/modelgate-suite.5: metric '%s' is not listed under the "
                      "key 'metric' of tests[]",
                      mg_metric_name((mg_metric)m));
    free(text);
    free(p.text);
}
END_TEST

/* The parser of this test reads what it should: a known entry and its line. */
START_TEST(page_parser)
{
    page p;
    int seen = 0;
    read_page(&p);
    for (size_t i = 0; i < p.n; i++)
        if (strcmp(p.entries[i].section, "bootstrap") == 0 &&
            strcmp(p.entries[i].key, "seed") == 0)
            seen = p.entries[i].line > 0;
    ck_assert(seen);
    ck_assert(!documented(&p, "data", "seed"));
    ck_assert(mentions("a\n.B where\n", "where"));
    ck_assert(!mentions("somewhere", "where"));
    free(p.text);
}
END_TEST

static Suite *manual_suite(void)
{
    Suite *s = suite_create("manual");
    TCase *core = tcase_create("core");
    tcase_add_test(core, every_key_documented);
    tcase_add_test(core, no_key_the_reader_refuses);
    tcase_add_test(core, reserved_keys_mentioned);
    tcase_add_test(core, every_metric_listed);
    tcase_add_test(core, page_parser);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return tu_run(manual_suite());
}
