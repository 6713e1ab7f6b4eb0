/*
 * The library's version, as the build stamped it (CMake's project version).
 */
#include "modelgate/run.h"

#ifndef MG_VERSION
#define MG_VERSION "0.0.0"
#endif

const char *mg_version(void)
{
    return MG_VERSION;
}
