// The calibration measurements as plain data (fit/measurements.hpp): the
// lookups the device fit uses (phase by name, rail by label, record params and
// tags with fallbacks), with no JSON involved.
#include <catch2/catch.hpp>

#include <string>

#include "edgeperf/fit/measurements.hpp"

using namespace edgeperf::fit;

TEST_CASE("phases and rails are found by name; missing ones are null", "[fit][measurements]") {
  measurements m{};
  power_phase idle{};
  idle.name = "idle";
  rail_reading gpu{};
  gpu.rail = "VDD_GPU_SOC";
  gpu.power_w.median = 4.0;
  idle.rails.push_back(gpu);
  m.power_phases.push_back(idle);
  power_phase compute{};
  compute.name = "compute";
  m.power_phases.push_back(compute);
  REQUIRE(m.phase("idle") != nullptr);
  CHECK(m.phase("compute") == &m.power_phases[1]);
  CHECK(m.phase("memory") == nullptr);
  const rail_reading* r = m.phase("idle")->rail("VDD_GPU_SOC");
  REQUIRE(r != nullptr);
  CHECK(r->power_w.median == 4.0);
  CHECK(r->energy_j < 0);  // unavailable unless measured
  CHECK(m.phase("idle")->rail("VIN_SYS_5V0") == nullptr);
  CHECK(m.phase("compute")->rail("VDD_GPU_SOC") == nullptr);
}

TEST_CASE("record params and tags fall back when absent", "[fit][measurements]") {
  benchmark_record b{};
  b.params = {{"m", 4096}, {"n", 128}};
  b.tags = {{"dtype", "f16"}};
  CHECK(b.param("m") == 4096);
  CHECK(b.param("k") == 0);
  CHECK(b.param("k", 7) == 7);
  CHECK(b.tag("dtype") == "f16");
  CHECK(b.tag("l2").empty());
  // A new measurements file names the schema this library reads.
  CHECK(std::string(measurements{}.schema) == measurements_schema);
}
