/*
 * libFuzzer target: the run diff's reader and comparison (reporters/diff.c) through
 * mg_diff_strings, on JSON the fuzzer writes.
 *
 * Input layout: two documents, base and head, separated by the first NUL byte (no
 * NUL: the input is both).
 *
 * Oracles:
 *   - the call returns 0 with a comparison, or a negative MG_E* code with a
 *     message, the file named, and no comparison;
 *   - a comparison's counts add up to its cases, and match the kinds; a case's
 *     kind agrees with which sides are present and their outcomes (a regression
 *     passed in base and fails or errs in head); a renamed case is paired;
 *   - Markdown and the console text render, and the Markdown has no line break
 *     inside a table row (every row line starts and ends with '|');
 *   - base compared with itself, when it reads, is all unchanged, in base's order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/modelgate.h"

#include "fuzz_common.h"

static void check_diff(const mg_diff *d)
{
    size_t count[MG_DIFF_KINDS] = {0};
    mg_error err = MG_ERROR_INIT;
    char *md = NULL, *line, *save = NULL;
    FILE *devnull;

    for (size_t i = 0; i < d->ncases; i++) {
        const mg_diff_case *c = &d->cases[i];
        int bad_head =
            c->head.outcome == MG_OUTCOME_FAIL || c->head.outcome == MG_OUTCOME_ERROR;
        FUZZ_CHECK(c->kind < MG_DIFF_KINDS);
        count[c->kind]++;
        FUZZ_CHECK(i == 0 || d->cases[i - 1].kind <= c->kind);
        FUZZ_CHECK(c->base.present || c->head.present);
        FUZZ_CHECK((c->kind == MG_DIFF_NEW) == !c->base.present);
        FUZZ_CHECK((c->kind == MG_DIFF_VANISHED) == !c->head.present);
        if (c->kind == MG_DIFF_REGRESSED)
            FUZZ_CHECK(c->base.outcome == MG_OUTCOME_PASS && bad_head);
        if (c->kind == MG_DIFF_SAME)
            FUZZ_CHECK(c->base.outcome == c->head.outcome);
        FUZZ_CHECK(c->base_test == NULL || (c->base.present && c->head.present));
        FUZZ_CHECK(c->test != NULL && c->slice != NULL);
    }
    for (size_t k = 0; k < MG_DIFF_KINDS; k++)
        FUZZ_CHECK(count[k] == d->count[k]);
    FUZZ_CHECK(mg_diff_markdown_string(d, &md, &err) == 0);
    for (line = strtok_r(md, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save))
        if (line[0] == '|')
            FUZZ_CHECK(line[strlen(line) - 1] == '|');
    free(md);
    devnull = fopen("/dev/null", "w");
    FUZZ_CHECK(devnull != NULL);
    FUZZ_CHECK(mg_diff_print(d, devnull, NULL) == 0);
    fclose(devnull);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mg_error err = MG_ERROR_INIT;
    mg_diff *d = (mg_diff *)1;
    const uint8_t *nul = memchr(data, 0, size);
    size_t nb = nul != NULL ? (size_t)(nul - data) : size;
    char *base = malloc(nb + 1), *head;
    size_t nh = nul != NULL ? size - nb - 1 : size;
    int rc;

    head = malloc(nh + 1);
    FUZZ_CHECK(base != NULL && head != NULL);
    memcpy(base, data, nb);
    base[nb] = '\0';
    memcpy(head, nul != NULL ? nul + 1 : data, nh);
    head[nh] = '\0';

    rc = mg_diff_strings(&d, base, "base.json", head, "head.json", &err);
    if (rc == 0) {
        FUZZ_CHECK(d != NULL);
        check_diff(d);
        mg_diff_free(d);
    } else {
        FUZZ_CHECK(rc < 0 && d == NULL && err.message[0] != '\0');
        FUZZ_CHECK(strcmp(err.file, "base.json") == 0 ||
                   strcmp(err.file, "head.json") == 0 || rc == MG_ENOMEM);
    }

    d = NULL;
    if (mg_diff_strings(&d, base, "base.json", base, "base.json", &err) == 0) {
        for (size_t i = 0; i < d->ncases; i++)
            FUZZ_CHECK(d->cases[i].kind == MG_DIFF_SAME);
        mg_diff_free(d);
    }
    free(base);
    free(head);
    return 0;
}
