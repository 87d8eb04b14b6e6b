# CLI11 for the `edgeperf` application and the examples: the Debian package's
# CMake config (libcli11-dev), else the bare header. Defines CLI11::CLI11 when found.
if(NOT TARGET CLI11::CLI11)
  find_package(CLI11 CONFIG QUIET)
endif()
if(NOT TARGET CLI11::CLI11)
  find_path(EDGEPERF_CLI11_INCLUDE_DIR CLI/CLI.hpp)
  if(EDGEPERF_CLI11_INCLUDE_DIR)
    add_library(edgeperf_cli11 INTERFACE)
    target_include_directories(edgeperf_cli11 SYSTEM INTERFACE ${EDGEPERF_CLI11_INCLUDE_DIR})
    add_library(CLI11::CLI11 ALIAS edgeperf_cli11)
  endif()
endif()
