# Driven by CTest (see EdgeperfPackageTests.cmake):
#   cmake -DMODE=installed|subdirectory -D... -P EdgeperfConsumerTest.cmake
#
# installed:    `cmake --install` the current build into PREFIX, then configure,
#               build and run tests/consumer with CMAKE_PREFIX_PATH=PREFIX
#               (find_package(edgeperf CONFIG REQUIRED)).
# subdirectory: configure, build and run tests/consumer with
#               add_subdirectory(EDGEPERF_SOURCE_DIR).
foreach(var MODE EDGEPERF_SOURCE_DIR EDGEPERF_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR PREFIX
            GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "EdgeperfConsumerTest.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run step)
  string(REPLACE ";" " " shown "${ARGN}")
  message(STATUS "[${MODE}] ${step}: ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "[${MODE}] ${step} failed (${rc}): ${shown}")
  endif()
endfunction()

set(config_args "")
set(build_type_arg "")
if(CONFIG)
  set(config_args --config ${CONFIG})
  set(build_type_arg -DCMAKE_BUILD_TYPE=${CONFIG})
endif()

file(REMOVE_RECURSE ${WORK_DIR})
set(mode_args -DEDGEPERF_MODE=${MODE} "-DEDGEPERF_EXPECT_PARTS=${EXPECT_PARTS}")
if(MODE STREQUAL "installed")
  file(REMOVE_RECURSE ${PREFIX})
  run("install" ${CMAKE_COMMAND} --install ${EDGEPERF_BUILD_DIR} --prefix ${PREFIX}
      ${config_args})
  foreach(f include/edgeperf/accounting/params.hpp
            share/cmake/edgeperf/edgeperfConfig.cmake
            share/cmake/edgeperf/edgeperfConfigVersion.cmake
            share/cmake/edgeperf/edgeperfTargets.cmake)
    if(NOT EXISTS ${PREFIX}/${f})
      message(FATAL_ERROR "[installed] missing from the install tree: ${PREFIX}/${f}")
    endif()
  endforeach()
  list(APPEND mode_args -DCMAKE_PREFIX_PATH=${PREFIX} -DEDGEPERF_VERSION=${EDGEPERF_VERSION}
       -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
elseif(MODE STREQUAL "subdirectory")
  list(APPEND mode_args -DEDGEPERF_SOURCE_DIR=${EDGEPERF_SOURCE_DIR})
else()
  message(FATAL_ERROR "MODE must be installed or subdirectory, not '${MODE}'")
endif()

run("configure" ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${WORK_DIR} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" ${build_type_arg}
    ${mode_args})
run("build" ${CMAKE_COMMAND} --build ${WORK_DIR} ${config_args})
run("run" ${CMAKE_CTEST_COMMAND} --test-dir ${WORK_DIR} --output-on-failure ${config_args})
