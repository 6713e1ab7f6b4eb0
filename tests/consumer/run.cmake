# The ctest `consumer` (cmake -P, arguments as -D from tests/CMakeLists.txt): the
# installed package works for a program outside this tree.
#
#  1. Install the build into a prefix under the build directory (so it runs as an
#     unprivileged user and leaves nothing outside the build tree).
#  2. Configure, build and run tests/consumer against it with find_package, once
#     linking modelgate::modelgate_static and once modelgate::modelgate, and check
#     that the program depends on libmodelgate.so only in the second case.
#  3. Compile it by hand with `pkg-config --cflags --libs modelgate` (shared), and
#     with `pkg-config --cflags --static --libs modelgate` against a copy of the
#     prefix holding only the static library, so that -lmodelgate must resolve to
#     libmodelgate.a and the private dependencies must all be listed.
#
# Each program runs examples/churn/suite.yaml. Any failure stops with the command's
# output.
cmake_minimum_required(VERSION 3.16)

foreach(var MG_SOURCE_DIR MG_BINARY_DIR MG_WORK_DIR MG_GENERATOR MG_C_COMPILER
        MG_INSTALL_LIBDIR MG_INSTALL_INCLUDEDIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run.cmake: -D${var}=... is required")
  endif()
endforeach()

set(work "${MG_WORK_DIR}")
set(prefix "${work}/prefix")
set(suite "${MG_SOURCE_DIR}/examples/churn/suite.yaml")
separate_arguments(c_flags UNIX_COMMAND "${MG_C_FLAGS}")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

# run(WHAT cmd...): run a command; stop with its output when it fails.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "${what}: exit status ${rc}\n$ ${cmd}\n${out}")
  endif()
  message(STATUS "${what}: ok")
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# needs_shared(WHAT EXE WANT): the program depends on libmodelgate.so (WANT true) or
# not; skipped without readelf.
function(needs_shared what exe want)
  if(NOT MG_READELF)
    return()
  endif()
  run("${what}: readelf" "${MG_READELF}" -d "${exe}")
  if(run_output MATCHES "NEEDED[^\n]*libmodelgate\\.so")
    set(found TRUE)
  else()
    set(found FALSE)
  endif()
  if(want AND NOT found)
    message(FATAL_ERROR "${what}: ${exe} does not depend on libmodelgate.so")
  elseif(NOT want AND found)
    message(FATAL_ERROR "${what}: ${exe} depends on libmodelgate.so, not the static library")
  endif()
endfunction()

run("install" "${CMAKE_COMMAND}" --install "${MG_BINARY_DIR}" --prefix "${prefix}")

# find_package(modelgate): both targets.
set(make_program "")
if(MG_MAKE_PROGRAM)
  set(make_program "-DCMAKE_MAKE_PROGRAM=${MG_MAKE_PROGRAM}")
endif()
foreach(kind static shared)
  set(target modelgate::modelgate_static)
  set(shared FALSE)
  if(kind STREQUAL "shared")
    set(target modelgate::modelgate)
    set(shared TRUE)
  endif()
  set(dir "${work}/cmake-${kind}")
  run("find_package, ${target}: configure" "${CMAKE_COMMAND}"
    -S "${MG_SOURCE_DIR}/tests/consumer" -B "${dir}" -G "${MG_GENERATOR}"
    ${make_program} "-DCMAKE_C_COMPILER=${MG_C_COMPILER}"
    "-DCMAKE_C_FLAGS=${MG_C_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${MG_C_FLAGS}"
    "-DCMAKE_PREFIX_PATH=${prefix}" "-DMG_CONSUMER_TARGET=${target}")
  run("find_package, ${target}: build" "${CMAKE_COMMAND}" --build "${dir}")
  needs_shared("find_package, ${target}" "${dir}/consumer" ${shared})
  run("find_package, ${target}: run" "${dir}/consumer" "${suite}")
  message(STATUS "${run_output}")
endforeach()

if(NOT MG_PKG_CONFIG)
  message(STATUS "no pkg-config: the modelgate.pc checks are skipped")
  return()
endif()

# pkg-config, shared: -lmodelgate finds libmodelgate.so; an rpath finds it at run
# time.
set(ENV{PKG_CONFIG_PATH} "${prefix}/${MG_INSTALL_LIBDIR}/pkgconfig")
run("pkg-config --cflags --libs modelgate" "${MG_PKG_CONFIG}" --cflags --libs
  modelgate)
separate_arguments(pc_flags UNIX_COMMAND "${run_output}")
set(exe "${work}/pc-shared/consumer")
file(MAKE_DIRECTORY "${work}/pc-shared")
run("pkg-config, shared: compile" "${MG_C_COMPILER}" -std=c11 ${c_flags}
  "${MG_SOURCE_DIR}/tests/consumer/consumer.c" -o "${exe}" ${pc_flags}
  "-Wl,-rpath,${prefix}/${MG_INSTALL_LIBDIR}")
needs_shared("pkg-config, shared" "${exe}" TRUE)
run("pkg-config, shared: run" "${exe}" "${suite}")

# pkg-config --static: a prefix holding the headers, libmodelgate.a and
# modelgate.pc only.
set(sprefix "${work}/prefix-static")
file(COPY "${prefix}/${MG_INSTALL_INCLUDEDIR}/modelgate"
  DESTINATION "${sprefix}/${MG_INSTALL_INCLUDEDIR}")
file(COPY "${prefix}/${MG_INSTALL_LIBDIR}/libmodelgate.a"
  DESTINATION "${sprefix}/${MG_INSTALL_LIBDIR}")
file(COPY "${prefix}/${MG_INSTALL_LIBDIR}/pkgconfig/modelgate.pc"
  DESTINATION "${sprefix}/${MG_INSTALL_LIBDIR}/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "${sprefix}/${MG_INSTALL_LIBDIR}/pkgconfig")
run("pkg-config --cflags --static --libs modelgate" "${MG_PKG_CONFIG}" --cflags
  --static --libs modelgate)
separate_arguments(pc_flags UNIX_COMMAND "${run_output}")
set(exe "${work}/pc-static/consumer")
file(MAKE_DIRECTORY "${work}/pc-static")
run("pkg-config, static: compile" "${MG_C_COMPILER}" -std=c11 ${c_flags}
  "${MG_SOURCE_DIR}/tests/consumer/consumer.c" -o "${exe}" ${pc_flags})
needs_shared("pkg-config, static" "${exe}" FALSE)
run("pkg-config, static: run" "${exe}" "${suite}")
message(STATUS "consumer: every way of linking the installed modelgate works")
