// Per-rail energies of a request (phases/rails.hpp): which rails a device
// reports and what goes on each.
#include <catch2/catch.hpp>

#include <string>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/rails.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

namespace {
request_estimate<double> estimate(const device_spec& d) {
  const workload w{1, 1, 256, 64, {}};
  return estimate_request(find_model("llama-3.2-1b").value(), find_quant("fp16").value(), d, 0,
                          find_runtime(d.kind == device_kind::cpu ? "llama.cpp" : "vllm").value(), w)
      .value();
}
}  // namespace

TEST_CASE("AGX Orin: GPU rail, CPU rail, module", "[phases][rails]") {
  const device_spec d = *find_device_or_null("agx-orin-64gb");
  REQUIRE(d.accel_rail == "VDD_GPU_SOC");
  CHECK(cpu_rail_name(d) == "VDD_CPU_CV");
  const auto e = estimate(d);
  const auto rails = request_rails(d, e);
  REQUIRE(rails.size() == 3);
  CHECK(rails[0].rail == "VDD_GPU_SOC");
  CHECK(rails[0].energy_j == e.energy_j);
  CHECK(rails[1].rail == "VDD_CPU_CV");
  CHECK_THAT(rails[1].energy_j, WithinRel(d.cpu_active_power_w.value * e.host_busy_s, 1e-12));
  CHECK(rails[2].rail == std::string(d.module_rail.view()));
  CHECK(rails[2].energy_j == e.module_energy_j);
  CHECK(rails[2].energy_j > rails[0].energy_j);
}

TEST_CASE("devices without a separate CPU rail report accelerator and module only", "[phases][rails]") {
  device_spec d = *find_device_or_null("agx-orin-64gb");
  d.cpu_active_power_w = {0};  // no CPU power modelled: no CPU rail line
  CHECK(request_rails(d, estimate(d)).size() == 2);
  const device_spec h = *find_device_or_null("h100-sxm");
  REQUIRE(h.kind == device_kind::discrete_gpu);
  CHECK(cpu_rail_name(h) == "host CPU");
  const device_spec pi = *find_device_or_null("rpi5-8gb");
  CHECK(cpu_rail_name(pi).empty());
}
