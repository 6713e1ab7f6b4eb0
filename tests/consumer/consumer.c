/*
 * A program outside the modelgate tree: it includes the installed headers, links
 * the installed library (shared or static, through CMake's find_package or
 * pkg-config), runs a suite and checks what it gets back.
 *
 *   consumer SUITE.yaml
 *
 * It exits 0 when the library is the version the headers announce, the options
 * initialise through both the macro and the function, and the suite runs to a
 * report whose counts add up; otherwise it prints why and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modelgate/modelgate.h>

#if !MG_AT_LEAST_VERSION(0, 1, 0)
#error "modelgate/version.h: older than 0.1.0"
#endif

int main(int argc, char **argv)
{
    mg_error err = MG_ERROR_INIT;
    mg_run_options by_macro = MG_RUN_OPTIONS_INIT, opts;
    mg_suite *suite = NULL;
    mg_report *report = NULL;
    char line[2048];
    int status = EXIT_FAILURE;

    if (argc != 2) {
        fprintf(stderr, "usage: consumer SUITE.yaml\n");
        return 2;
    }
    if (strcmp(mg_version(), MG_VERSION_STRING) != 0) {
        fprintf(stderr, "consumer: library %s, headers %s\n", mg_version(),
                MG_VERSION_STRING);
        return EXIT_FAILURE;
    }
    if (mg_run_options_init(&opts, MG_RUN_OPTIONS_VERSION) != 0 ||
        opts.version != by_macro.version || opts.mode != by_macro.mode) {
        fprintf(stderr, "consumer: mg_run_options_init disagrees with the macro\n");
        return EXIT_FAILURE;
    }
    opts.replicates = 200; /* enough to run every path, quick under sanitizers */
    if (mg_suite_load(&suite, argv[1], &err) != 0 ||
        mg_run_suite(&report, suite, &opts, &err) != 0) {
        mg_error_format(&err, line, sizeof line);
        fprintf(stderr, "consumer: %s\n", line);
        goto cleanup;
    }
    if (report->ncases == 0 ||
        report->passed + report->failed + report->skipped + report->errors !=
            report->ncases) {
        fprintf(stderr, "consumer: %zu cases, %zu + %zu + %zu + %zu counted\n",
                report->ncases, report->passed, report->failed, report->skipped,
                report->errors);
        goto cleanup;
    }
    printf("consumer: modelgate %s, suite '%s': %zu cases, %zu passed, %zu failed\n",
           mg_version(), suite->name, report->ncases, report->passed, report->failed);
    status = EXIT_SUCCESS;
cleanup:
    mg_report_free(report);
    mg_suite_free(suite);
    return status;
}
