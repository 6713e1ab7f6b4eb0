/*
 * The library's version, as the build stamped it into the generated
 * modelgate/version.h (CMake's project version). The string is compiled into the
 * library, so a program learns here which library it runs with, whatever headers
 * it was compiled against.
 */
#include "modelgate/version.h"

const char *mg_version(void)
{
    return MG_VERSION_STRING;
}
