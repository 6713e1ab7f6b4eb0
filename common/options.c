/*
 * The _init functions of the public options structs, libgit2's convention
 * (git_blame_options_init): each options struct starts with `unsigned int version`,
 * its header defines MG_X_OPTIONS_VERSION and MG_X_OPTIONS_INIT, and
 * mg_x_options_init(opts, version) fills the struct with the same defaults for
 * callers that cannot use the macro (bindings from other languages).
 *
 * The version is what lets the structs grow. A new field is appended and the
 * version goes up; the library reads a caller's struct only as far as the version
 * it carries says, so a program compiled against older headers keeps working.
 * Version 0 is never valid here: a caller asking for it has not read the header.
 * mg_run_suite refuses a struct of version 0 too (it was never initialised);
 * mg_table_load_csv alone reads a zeroed struct as the defaults, as it did before
 * the structs had a version.
 *
 * Each function copies a static template initialised by the macro itself, so the
 * macro and the function cannot disagree, and every byte of the struct is written:
 * an object with static storage has its padding set to zero bits (C11 6.7.9 §10),
 * and memcpy carries it. tests/test_api.c checks both byte for byte.
 */
#include <stddef.h>
#include <string.h>

#include "modelgate/drift.h"
#include "modelgate/error.h"
#include "modelgate/report.h"
#include "modelgate/run.h"
#include "modelgate/table.h"

/*
 * Copy the first `size` bytes of the template (the struct as `version` knew it) and
 * stamp the version asked for: a caller built against older headers has a shorter
 * struct, and the library reads only the fields its version carries.
 */
#define MG__INIT_VERSIONED(opts, version, tmpl, size)                                  \
    do {                                                                               \
        memcpy((opts), &(tmpl), (size));                                               \
        (opts)->version = (version);                                                   \
    } while (0)

int mg_run_options_init(mg_run_options *opts, unsigned int version)
{
    static const mg_run_options tmpl = MG_RUN_OPTIONS_INIT;
    static const size_t size[] = {0, offsetof(mg_run_options, with_metrics),
                                  offsetof(mg_run_options, with_plots),
                                  sizeof(mg_run_options)};

    if (opts == NULL || version < 1 || version > MG_RUN_OPTIONS_VERSION)
        return MG_EINVAL;
    MG__INIT_VERSIONED(opts, version, tmpl, size[version]);
    return 0;
}

int mg_console_options_init(mg_console_options *opts, unsigned int version)
{
    static const mg_console_options tmpl = MG_CONSOLE_OPTIONS_INIT;
    static const size_t size[] = {0, offsetof(mg_console_options, only_failures),
                                  sizeof(mg_console_options)};

    if (opts == NULL || version < 1 || version > MG_CONSOLE_OPTIONS_VERSION)
        return MG_EINVAL;
    MG__INIT_VERSIONED(opts, version, tmpl, size[version]);
    return 0;
}

int mg_csv_options_init(mg_csv_options *opts, unsigned int version)
{
    static const mg_csv_options tmpl = MG_CSV_OPTIONS_INIT;
    static const size_t size[] = {0, offsetof(mg_csv_options, missing),
                                  offsetof(mg_csv_options, absent),
                                  sizeof(mg_csv_options)};

    if (opts == NULL || version < 1 || version > MG_CSV_OPTIONS_VERSION)
        return MG_EINVAL;
    MG__INIT_VERSIONED(opts, version, tmpl, size[version]);
    return 0;
}

int mg_drift_options_init(mg_drift_options *opts, unsigned int version)
{
    static const mg_drift_options tmpl = MG_DRIFT_OPTIONS_INIT;
    static const size_t size[] = {0, sizeof(mg_drift_options)};

    if (opts == NULL || version < 1 || version > MG_DRIFT_OPTIONS_VERSION)
        return MG_EINVAL;
    MG__INIT_VERSIONED(opts, version, tmpl, size[version]);
    return 0;
}
