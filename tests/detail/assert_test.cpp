// EDGEPERF_ASSERT (detail/assert.hpp) guards programmer errors inside the
// library. An embedder may route it to its own handler by defining the macro
// before any edgeperf header; here it throws, so a broken invariant (a power
// mode index out of range) becomes observable.
#include <stdexcept>
#include <string>

#define EDGEPERF_ASSERT(cond, msg) ((cond) ? static_cast<void>(0) : throw std::logic_error(msg))

#include <catch2/catch.hpp>

#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"

TEST_CASE("a user-defined EDGEPERF_ASSERT sees the library's invariant checks", "[detail][assert]") {
  const edgeperf::device_spec d = *edgeperf::find_device_or_null("agx-orin-64gb");
  CHECK_NOTHROW(edgeperf::resolve(d, 0));
  CHECK_NOTHROW(edgeperf::resolve(d, d.mode_count - 1));
  CHECK_THROWS_WITH(edgeperf::resolve(d, d.mode_count), "mode index out of range");
  CHECK_THROWS_AS(edgeperf::resolve(d, -1), std::logic_error);
}
