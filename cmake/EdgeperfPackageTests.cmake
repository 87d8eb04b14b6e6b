# Package-level tests, included from tests/CMakeLists.txt:
#   * edgeperf_headers_self_contained: every public header compiles on its own
#     (one generated .cpp per header, linked only with the target of its folder);
#   * edgeperf_core_std_only: core headers include nothing beyond the standard
#     library and other core headers;
#   * edgeperf_consumer_installed / edgeperf_consumer_subdirectory: a separate
#     CMake project (tests/consumer) finds the installed package with
#     find_package(edgeperf CONFIG) and links edgeperf::edgeperf, or pulls the
#     source tree in with add_subdirectory();
#   * edgeperf_app_installed: the `edgeperf` application installed into a fresh
#     prefix runs from there (below).

set(_edgeperf_inc ${PROJECT_SOURCE_DIR}/include)
file(GLOB_RECURSE _edgeperf_public_headers CONFIGURE_DEPENDS
     RELATIVE ${_edgeperf_inc} ${_edgeperf_inc}/edgeperf/*.hpp)
list(SORT _edgeperf_public_headers)

# ---- each header on its own ------------------------------------------------------
# Folders with a dependency are compiled against their own optional target only;
# everything else against the core target only.
set(_edgeperf_hdr_dir ${CMAKE_CURRENT_BINARY_DIR}/header_check)
foreach(part IN ITEMS core io report fit plan)
  set(_edgeperf_hdr_${part} "")
endforeach()
foreach(hdr IN LISTS _edgeperf_public_headers)
  set(part core)
  if(hdr MATCHES "^edgeperf/(io|report|fit|plan)/")
    set(part ${CMAKE_MATCH_1})
  endif()
  string(MAKE_C_IDENTIFIER ${hdr} stem)
  set(src ${_edgeperf_hdr_dir}/${stem}.cpp)
  # Included twice: the second include checks the #pragma once guard.
  file(CONFIGURE OUTPUT ${src} CONTENT "#include <${hdr}>\n#include <${hdr}>\n" @ONLY)
  list(APPEND _edgeperf_hdr_${part} ${src})
endforeach()
set(_edgeperf_header_targets "")
foreach(part IN ITEMS core io report fit plan)
  if(NOT _edgeperf_hdr_${part})
    continue()
  endif()
  if(part STREQUAL "core")
    set(dep edgeperf::edgeperf)
  else()
    set(dep edgeperf::${part})
  endif()
  if(NOT TARGET ${dep})
    message(STATUS "edgeperf: header check of ${part}/ skipped (${dep} not built)")
    continue()
  endif()
  add_library(edgeperf_header_check_${part} OBJECT ${_edgeperf_hdr_${part}})
  target_link_libraries(edgeperf_header_check_${part} PRIVATE ${dep})
  list(APPEND _edgeperf_header_targets edgeperf_header_check_${part})
endforeach()
if(_edgeperf_header_targets)
  # The objects are built with everything else; the test re-runs that build step
  # so that a header that stopped compiling shows up as a failed test too.
  add_test(NAME edgeperf_headers_self_contained
           COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${_edgeperf_header_targets})
  set_tests_properties(edgeperf_headers_self_contained PROPERTIES
                       LABELS "package" RESOURCE_LOCK edgeperf_build_tree)
endif()

# ---- core headers use the standard library only -------------------------------------
add_test(NAME edgeperf_core_std_only
         COMMAND ${CMAKE_COMMAND} -DINCLUDE_DIR=${_edgeperf_inc}
                 -P ${CMAKE_CURRENT_LIST_DIR}/EdgeperfCheckCoreIncludes.cmake)
set_tests_properties(edgeperf_core_std_only PROPERTIES LABELS "package")

# ---- a separate project consumes the package ------------------------------------------
set(_edgeperf_consumer_parts "")
foreach(part IN ITEMS io report fit plan)
  if(TARGET edgeperf_${part})
    list(APPEND _edgeperf_consumer_parts ${part})
  endif()
endforeach()
string(REPLACE ";" "," _edgeperf_consumer_parts "${_edgeperf_consumer_parts}")
foreach(mode IN ITEMS installed subdirectory)
  # EDGEPERF_INSTALL is declared after tests/ is added; undefined means its default (ON).
  if(mode STREQUAL "installed" AND DEFINED EDGEPERF_INSTALL AND NOT EDGEPERF_INSTALL)
    continue()
  endif()
  add_test(NAME edgeperf_consumer_${mode}
           COMMAND ${CMAKE_COMMAND}
                   -DMODE=${mode}
                   -DEDGEPERF_SOURCE_DIR=${PROJECT_SOURCE_DIR}
                   -DEDGEPERF_BUILD_DIR=${CMAKE_BINARY_DIR}
                   -DEDGEPERF_VERSION=${PROJECT_VERSION}
                   -DCONSUMER_SOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}/../tests/consumer
                   -DWORK_DIR=${CMAKE_BINARY_DIR}/consumer-${mode}
                   -DPREFIX=${CMAKE_BINARY_DIR}/consumer-prefix
                   -DCONFIG=$<CONFIG>
                   "-DGENERATOR=${CMAKE_GENERATOR}"
                   "-DCXX_COMPILER=${CMAKE_CXX_COMPILER}"
                   "-DCXX_FLAGS=${CMAKE_CXX_FLAGS}"
                   -DEXPECT_PARTS=${_edgeperf_consumer_parts}
                   -P ${CMAKE_CURRENT_LIST_DIR}/EdgeperfConsumerTest.cmake)
  set_tests_properties(edgeperf_consumer_${mode} PROPERTIES LABELS "package" TIMEOUT 600)
endforeach()

# ---- the installed application runs from the install prefix -------------------------------
#   * edgeperf_app_installed: `cmake --install` into a fresh prefix, then
#     <prefix>/bin/edgeperf estimate from an empty directory (EdgeperfAppInstallTest.cmake).
if(TARGET edgeperf AND (NOT DEFINED EDGEPERF_INSTALL OR EDGEPERF_INSTALL))
  add_test(NAME edgeperf_app_installed
           COMMAND ${CMAKE_COMMAND}
                   -DBUILD_DIR=${CMAKE_BINARY_DIR}
                   -DPREFIX=${CMAKE_BINARY_DIR}/app-prefix
                   -DWORK_DIR=${CMAKE_BINARY_DIR}/app-run
                   -DBUILD_EXE=$<TARGET_FILE:edgeperf>
                   -DCONFIG=$<CONFIG>
                   -P ${CMAKE_CURRENT_LIST_DIR}/EdgeperfAppInstallTest.cmake)
  set_tests_properties(edgeperf_app_installed PROPERTIES LABELS "package;cli" TIMEOUT 300)
endif()
