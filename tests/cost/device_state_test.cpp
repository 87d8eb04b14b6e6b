// A device in one power mode (cost/device_state.hpp): the rates `resolve`
// derives from a spec, by hand for the toy GPU, and the "0 = the device's
// value" rule for mode fields.
#include <catch2/catch.hpp>

#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "../support/test_specs.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

TEST_CASE("resolve: rates of the toy GPU by hand", "[cost][device_state]") {
  const device_spec dev = test::toy_gpu();
  const auto full = resolve(dev, 0);
  CHECK(full.sms == 4);
  CHECK_THAT(full.tensor_fp16_sm, WithinRel(1000 * 1e9, 1e-15));   // 1000 FLOP/clk at 1 GHz
  CHECK_THAT(full.cuda_fp32_sm, WithinRel(100 * 1e9, 1e-15));
  CHECK_THAT(full.dram_bytes_per_s, WithinRel(100e9, 1e-15));      // 64/8 × 2 × 6.25 GHz
  CHECK_THAT(full.l2_bytes_per_s, WithinRel(full.dram_bytes_per_s, 1e-15));  // no L2 rate: DRAM's
  CHECK_THAT(full.host_scale, WithinRel(1.0, 1e-15));              // 2.2 GHz reference CPU
  CHECK_THAT(full.static_w, WithinRel(2.0, 1e-15));
  CHECK_THAT(full.j_per_flop_tensor, WithinRel(1e-12, 1e-15));
  // HALF: half the GPU, memory and CPU clocks, half the per-op energy.
  const auto half = resolve(dev, 1);
  CHECK_THAT(half.tensor_fp16_sm, WithinRel(0.5e12, 1e-15));
  CHECK_THAT(half.dram_bytes_per_s, WithinRel(50e9, 1e-15));
  CHECK_THAT(half.host_scale, WithinRel(2.0, 1e-15));
  CHECK_THAT(half.j_per_flop_tensor, WithinRel(0.5e-12, 1e-15));
  CHECK_THAT(half.j_per_byte, WithinRel(full.j_per_byte, 1e-15));  // DRAM energy is not mode-scaled
  CHECK(half.mode_index == 1);
}

TEST_CASE("resolve: mode fields of 0 mean the device's value; efficiencies apply", "[cost][device_state]") {
  device_spec dev = test::toy_gpu();
  dev.modes[1].gpu_clock_hz = {0};
  dev.modes[1].active_sms = {0};
  dev.modes[1].emc_clock_hz = {0};
  const auto s = resolve(dev, 1);
  CHECK(s.gpu_clock_hz == dev.gpu_clock_hz.value);
  CHECK(s.sms == dev.sm_count.value);
  CHECK_THAT(s.dram_bytes_per_s, WithinRel(100e9, 1e-15));
  dev.tensor_efficiency = {0.5};
  dev.mem_efficiency = {0.8};
  const auto e = resolve(dev, 0);
  CHECK_THAT(e.tensor_fp16_sm, WithinRel(0.5e12, 1e-15));
  CHECK_THAT(e.dram_bytes_per_s, WithinRel(80e9, 1e-15));
  dev.tensor_efficiency = {0};  // 0 = 1
  CHECK_THAT(resolve(dev, 0).tensor_fp16_sm, WithinRel(1e12, 1e-15));
}

TEST_CASE("math rate per dtype, with CUDA-core fallbacks", "[cost][device_state]") {
  device_spec dev = test::toy_gpu();
  dev.tensor_bf16_flops_per_clk = {0};
  const auto s = resolve(dev, 0);
  CHECK(math_rate_sm(s, dtype::fp16) == s.tensor_fp16_sm);
  CHECK(math_rate_sm(s, dtype::bf16) == s.cuda_fp16_sm);  // no bf16 tensor cores
  CHECK(math_rate_sm(s, dtype::int8) == s.tensor_int8_sm);
  CHECK(math_rate_sm(s, dtype::fp32) == s.cuda_fp32_sm);
  CHECK(math_rate_sm(s, dtype::fp8) == 0);  // the toy has no FP8: unsupported, not a fallback
}

TEST_CASE("CPU boards: cores at the CPU clock do the math", "[cost][device_state]") {
  const device_spec pi = *find_device_or_null("rpi5-8gb");
  REQUIRE(pi.kind == device_kind::cpu);
  const auto s = resolve(pi, 0);
  CHECK(s.cpu);
  const auto& m = pi.modes[0];
  const double cores = m.cpu_cores.value > 0 ? m.cpu_cores.value : pi.sm_count.value;
  const double clock = m.cpu_clock_hz.value > 0 ? m.cpu_clock_hz.value : pi.cpu_clock_hz.value;
  CHECK(s.sms == cores);
  CHECK(s.gpu_clock_hz == clock);
}
