# Driven by CTest (edgeperf_app_installed, EdgeperfPackageTests.cmake):
#   cmake -DBUILD_DIR=... -DPREFIX=... -DWORK_DIR=... -DBUILD_EXE=... [-DCONFIG=...]
#         -P EdgeperfAppInstallTest.cmake
# `cmake --install`s the build into PREFIX, then runs PREFIX/bin/edgeperf from
# an empty directory: `estimate --format json` must succeed and print exactly
# what the build tree's program prints, and an unknown model must fail with
# exit status 1 and a message naming it.
foreach(var BUILD_DIR PREFIX WORK_DIR BUILD_EXE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "EdgeperfAppInstallTest.cmake: -D${var}=... is required")
  endif()
endforeach()
set(config_args "")
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()

file(REMOVE_RECURSE ${PREFIX} ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} ${config_args}
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed (${rc})")
endif()
set(exe ${PREFIX}/bin/edgeperf${CMAKE_EXECUTABLE_SUFFIX})
foreach(f ${exe} ${PREFIX}/include/edgeperf/io/resolve.hpp ${PREFIX}/include/edgeperf/report/fields.hpp)
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "missing from the install tree: ${f}")
  endif()
endforeach()

set(case estimate --model dsr1-qwen-1.5b --device agx-orin-64gb --runtime vllm --quant bf16
         --input 512 --output 1024 --format json)
execute_process(COMMAND ${exe} ${case} WORKING_DIRECTORY ${WORK_DIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("$ ${exe} ${case}\n${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed edgeperf exited with ${rc}")
endif()
if(NOT out MATCHES "^{\"id\": \"\", \"ttft_s\": [0-9]" OR NOT out MATCHES "\"fits\": true")
  message(FATAL_ERROR "the installed edgeperf printed no estimate")
endif()
execute_process(COMMAND ${BUILD_EXE} ${case} WORKING_DIRECTORY ${WORK_DIR} OUTPUT_VARIABLE build_out)
if(NOT out STREQUAL build_out)
  message(FATAL_ERROR "the installed and the build tree's edgeperf differ:\n${out}\n${build_out}")
endif()

execute_process(COMMAND ${exe} estimate --model dsr1-qwen-1.6b --device agx-orin-64gb --runtime vllm
                        --quant bf16 --input 512 --output 1024
                WORKING_DIRECTORY ${WORK_DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("$ ${exe} estimate --model dsr1-qwen-1.6b ...\n${out}${err}")
if(NOT rc EQUAL 1 OR NOT err MATCHES "unknown model id 'dsr1-qwen-1.6b'")
  message(FATAL_ERROR "the installed edgeperf should refuse an unknown model with exit status 1")
endif()
