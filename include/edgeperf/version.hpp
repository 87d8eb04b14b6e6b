#pragma once
/// @file
/// The library version, equal to the CMake package version (`project(edgeperf
/// VERSION ...)` in CMakeLists.txt; tests/version_test.cpp checks they match).
/// `EDGEPERF_VERSION` is major·10000 + minor·100 + patch, for `#if` tests.

#define EDGEPERF_VERSION_MAJOR 0
#define EDGEPERF_VERSION_MINOR 1
#define EDGEPERF_VERSION_PATCH 0

#define EDGEPERF_VERSION \
  (EDGEPERF_VERSION_MAJOR * 10000 + EDGEPERF_VERSION_MINOR * 100 + EDGEPERF_VERSION_PATCH)

#define EDGEPERF_DETAIL_STR2(x) #x
#define EDGEPERF_DETAIL_STR(x) EDGEPERF_DETAIL_STR2(x)
/// "major.minor.patch", e.g. "0.1.0".
#define EDGEPERF_VERSION_STRING                                         \
  EDGEPERF_DETAIL_STR(EDGEPERF_VERSION_MAJOR)                           \
  "." EDGEPERF_DETAIL_STR(EDGEPERF_VERSION_MINOR) "." EDGEPERF_DETAIL_STR( \
      EDGEPERF_VERSION_PATCH)

namespace edgeperf {

/// The version as numbers and as a string, for code that prefers values to macros.
struct version_info {
  int major, minor, patch;
  const char* string;
};
inline constexpr version_info version{EDGEPERF_VERSION_MAJOR, EDGEPERF_VERSION_MINOR,
                                      EDGEPERF_VERSION_PATCH, EDGEPERF_VERSION_STRING};

}  // namespace edgeperf
