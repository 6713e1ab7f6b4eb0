/*
 * libFuzzer target: the suite reader on arbitrary bytes: the YAML reader
 * (harness/yaml.c, harness/yaml_read.c) and the schema (harness/suite.c,
 * harness/suite_tests.c).
 *
 * Oracles: no sanitizer report, no leak, no timeout (the YAML reader bounds
 * libyaml's work in its pass over the events and its walk of the composed graph),
 * and on success a suite whose promises hold: the required strings are set, every
 * test names a declared model, baseline and slicing, confidence is in (0, 1),
 * replicates in [1, 10^7], bin edges ascend. On failure the error has a code and a
 * one-line message and no suite is returned.
 */
#include <stdint.h>
#include <string.h>

#include "modelgate/suite.h"

#include "fuzz_common.h"

static void check_suite(const mg_suite *s)
{
    FUZZ_CHECK(s->name != NULL && s->data.holdout != NULL && s->data.label != NULL &&
               s->data.positive != NULL);
    FUZZ_CHECK(s->nmodels > 0);
    FUZZ_CHECK(s->bootstrap.confidence > 0 && s->bootstrap.confidence < 1);
    FUZZ_CHECK(s->bootstrap.replicates >= 1 && s->bootstrap.replicates <= 10000000);
    for (size_t m = 0; m < s->nmodels; m++) {
        FUZZ_CHECK(s->models[m].name != NULL && s->models[m].score != NULL);
        FUZZ_CHECK(mg_suite_model(s, s->models[m].name) >= 0);
    }
    for (size_t k = 0; k < s->nslicings; k++) {
        const mg_slicing_spec *sl = &s->slicings[k];
        FUZZ_CHECK(sl->name != NULL && sl->ncolumns >= 1);
        for (size_t j = 0; j < sl->ncolumns; j++)
            FUZZ_CHECK(sl->columns[j] != NULL);
        for (size_t b = 1; b < sl->nbins; b++)
            FUZZ_CHECK(sl->bins[b] > sl->bins[b - 1]);
    }
    for (size_t i = 0; i < s->ntests; i++) {
        const mg_test_spec *t = &s->tests[i];
        FUZZ_CHECK(t->name != NULL && t->model != NULL);
        FUZZ_CHECK(mg_suite_model(s, t->model) >= 0);
        FUZZ_CHECK(t->baseline == NULL || mg_suite_model(s, t->baseline) >= 0);
        FUZZ_CHECK(t->slices == NULL || mg_suite_slicing(s, t->slices) >= 0);
        FUZZ_CHECK(t->has_at_least || t->has_at_most || t->baseline != NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *path;
    mg_error err = MG_ERROR_INIT;
    mg_suite *s = NULL;
    int rc;

    if (path == NULL)
        path = fuzz_path("suite", ".yaml");
    fuzz_write(path, data, size);
    rc = mg_suite_load(&s, path, &err);
    if (rc == 0) {
        FUZZ_CHECK(s != NULL);
        check_suite(s);
    } else {
        FUZZ_CHECK(s == NULL);
        FUZZ_CHECK(rc < 0 && err.code == rc);
        FUZZ_CHECK(err.message[0] != '\0');
        FUZZ_CHECK(strchr(err.message, '\n') == NULL);
    }
    mg_suite_free(s);
    return 0;
}
