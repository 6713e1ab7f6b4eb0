# FindCSV: libcsv (Robert Gamble's CSV parser), which Debian's libcsv-dev ships
# without a pkg-config file, so it is found by its header and library.
#
# Defines the imported target CSV::CSV and the variables CSV_FOUND, CSV_INCLUDE_DIR
# and CSV_LIBRARY (cache entries a user may set to point at another copy).
#
# The build uses this module, and so does the installed modelgateConfig.cmake: the
# exported static library names CSV::CSV in its link interface, and a consumer's
# find_package(modelgate) recreates the target here.
find_path(CSV_INCLUDE_DIR csv.h)
find_library(CSV_LIBRARY csv)
mark_as_advanced(CSV_INCLUDE_DIR CSV_LIBRARY)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CSV REQUIRED_VARS CSV_LIBRARY CSV_INCLUDE_DIR)

if(CSV_FOUND AND NOT TARGET CSV::CSV)
  add_library(CSV::CSV UNKNOWN IMPORTED)
  set_target_properties(CSV::CSV PROPERTIES
    IMPORTED_LOCATION "${CSV_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CSV_INCLUDE_DIR}")
endif()
