#pragma once
/// @file
/// EDGEPERF_ASSERT: checks programmer errors (broken invariants inside the
/// library). Data errors are reported as values (result.hpp) or, at the io/
/// boundary, as exceptions; never through this macro.

#include <cstdio>
#include <cstdlib>

#ifndef EDGEPERF_ASSERT
#ifdef NDEBUG
#define EDGEPERF_ASSERT(cond, msg) static_cast<void>(0)
#else
#define EDGEPERF_ASSERT(cond, msg)                                                         \
  ((cond) ? static_cast<void>(0)                                                           \
          : (std::fprintf(stderr, "%s:%d: edgeperf assertion failed: %s (%s)\n", __FILE__, \
                          __LINE__, #cond, msg),                                           \
             std::abort()))
#endif
#endif
