// The ramping power-sensor model (phases/sensor.hpp): what a sensor that needs
// `ramp_s` to reach the true power reports over long and short windows.
#include <catch2/catch.hpp>

#include "edgeperf/phases/sensor.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

TEST_CASE("Sensor model: ramp deficit and short windows", "[phases][sensor]") {
  const power_sensor s{1.0};
  // Long window: E − (P − P0)·ramp/2.
  CHECK_THAT(sensed_energy(s, 20.0, 5.0, 10.0), WithinRel(200.0 - 15.0 * 0.5, 1e-12));
  CHECK_THAT(sensed_power(s, 20.0, 5.0, 10.0), WithinRel(19.25, 1e-12));
  // Short window: idle + the part of the ramp seen.
  CHECK_THAT(sensed_energy(s, 20.0, 5.0, 0.5), WithinRel(5.0 * 0.5 + 15.0 * 0.25 / 2.0, 1e-12));
  // Continuous at the ramp length.
  CHECK_THAT(sensed_energy(s, 20.0, 5.0, 1.0), WithinRel(20.0 - 7.5, 1e-12));
  CHECK_THAT(sensed_energy(power_sensor{0}, 20.0, 5.0, 3.0), WithinRel(60.0, 1e-12));
}

TEST_CASE("Sensor model: a zero-length window reports idle; energy never exceeds the true energy",
          "[phases][sensor]") {
  const power_sensor s{1.5};
  CHECK(sensed_power(s, 30.0, 6.0, 0.0) == 6.0);
  for (double t : {0.01, 0.5, 1.49, 1.5, 3.0, 100.0}) {
    CAPTURE(t);
    const double e = sensed_energy(s, 30.0, 6.0, t);
    CHECK(e <= 30.0 * t);  // the ramp only loses energy
    CHECK(e >= 6.0 * t);   // never below idle
  }
  // Power falling below idle (a rail that drops): the ramp deficit changes sign.
  CHECK(sensed_energy(s, 2.0, 6.0, 10.0) > 2.0 * 10.0);
}
