# edgeperf_run_test(NAME <name> RC <0|nonzero|n> [ROWS n] [LABEL label] [REGEX re...]
#                   COMMAND <target> args...)
# Registers a CTest test that runs the executable of <target> with the
# arguments from the source root and checks, through EdgeperfCheckRun.cmake,
# its exit status, the number of stdout lines after the first (CSV rows) and
# regular expressions on stdout + stderr. Used by tests/cli/ and examples/.
set(EDGEPERF_CHECK_RUN_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EdgeperfCheckRun.cmake)

function(edgeperf_run_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;RC;ROWS;LABEL" "REGEX;COMMAND")
  set(defs -DEXPECT_RC=${arg_RC})
  if(DEFINED arg_ROWS)
    list(APPEND defs -DEXPECT_ROWS=${arg_ROWS})
  endif()
  set(i 0)
  foreach(re IN LISTS arg_REGEX)
    list(APPEND defs "-DREGEX_${i}=${re}")
    math(EXPR i "${i} + 1")
  endforeach()
  list(POP_FRONT arg_COMMAND exe)
  string(REPLACE ";" "|" args "${arg_COMMAND}")
  add_test(NAME ${arg_NAME}
           COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:${exe}> "-DARGS=${args}" ${defs}
                   -P ${EDGEPERF_CHECK_RUN_SCRIPT}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  if(NOT arg_LABEL)
    set(arg_LABEL examples)
  endif()
  set_tests_properties(${arg_NAME} PROPERTIES LABELS "${arg_LABEL}")
endfunction()
