#pragma once
/// @file
/// EDGEPERF_ALWAYS_INLINE: asks GCC and Clang to inline a small function or
/// lambda (`[&](…) EDGEPERF_ALWAYS_INLINE { … }`) at every call, where their
/// size heuristics would call it out of line (a visitor called once per field:
/// inlined, its table look-ups fold to constants). Empty elsewhere.

#if defined(__GNUC__) || defined(__clang__)
#define EDGEPERF_ALWAYS_INLINE __attribute__((always_inline))
#else
#define EDGEPERF_ALWAYS_INLINE
#endif
