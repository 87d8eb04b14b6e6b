// Device helpers (descriptions/device.hpp): theoretical bandwidth against the
// data sheets, power-mode lookup by name, device-kind names.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

TEST_CASE("theoretical bandwidth = bus/8 × transfers × memory clock", "[descriptions][device]") {
  // AGX Orin 64GB: 256-bit LPDDR5 at 3200 MHz, 204.8 GB/s (NVIDIA data sheet).
  const device_spec agx = *find_device_or_null("agx-orin-64gb");
  CHECK_THAT(theoretical_bandwidth(agx, agx.emc_clock_hz.value), WithinRel(204.8e9, 1e-12));
  // Orin Nano 8GB: 128-bit LPDDR5, 68 GB/s (data sheet; 102 GB/s in the Super modes).
  const device_spec nano = *find_device_or_null("orin-nano-8gb");
  CHECK(nano.mem_bus_bits.value == 128);
  CHECK_THAT(theoretical_bandwidth(nano, 2.133e9), WithinRel(68.256e9, 1e-12));
  // Linear in the clock: half the clock, half the bandwidth.
  CHECK_THAT(theoretical_bandwidth(agx, 1.6e9), WithinRel(102.4e9, 1e-12));
}

TEST_CASE("power modes are found by exact name", "[descriptions][device]") {
  const device_spec agx = *find_device_or_null("agx-orin-64gb");
  CHECK(find_mode_index(agx, "MAXN") == 0);
  const int i30 = find_mode_index(agx, "30W");
  REQUIRE(i30 > 0);
  CHECK(agx.modes[static_cast<std::size_t>(i30)].name == "30W");
  CHECK(find_mode_index(agx, "maxn") == -1);  // case-sensitive
  CHECK(find_mode_index(agx, "") == -1);
  device_spec none{};
  CHECK(find_mode_index(none, "MAXN") == -1);
}

TEST_CASE("device kinds have distinct names", "[descriptions][device]") {
  std::set<std::string> names;
  for (device_kind k : {device_kind::jetson, device_kind::discrete_gpu, device_kind::cpu})
    names.insert(to_string(k));
  CHECK(names.size() == 3);
  CHECK(std::string(to_string(device_kind::jetson)) == "jetson");
}
