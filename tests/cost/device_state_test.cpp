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

// ---- issue 11: DVFS scaling of host-work power and the budget throttle -------

TEST_CASE("DVFS: V proportional to f above a floor; energy per op V^2, power f V^2", "[cost][device_state][power]") {
  using Catch::Matchers::WithinRel;
  CHECK(edgeperf::dvfs_voltage_ratio(1.3e9, 1.3e9) == 1);
  CHECK_THAT(edgeperf::dvfs_energy_ratio(0.8, 1.0), WithinRel(0.64, 1e-12));
  CHECK_THAT(edgeperf::dvfs_power_ratio(0.8, 1.0), WithinRel(0.512, 1e-12));
  // Below ~0.55 f_ref the voltage stops falling: energy per op stays at 0.3.
  CHECK_THAT(edgeperf::dvfs_energy_ratio(0.3, 1.0), WithinRel(0.3, 1e-12));
  CHECK_THAT(edgeperf::dvfs_power_ratio(0.3, 1.0), WithinRel(0.09, 1e-12));
  // The catalog's per-mode energy scale is the same curve (AGX 50W: (1020/1300)^2).
  const auto& agx = edgeperf::devices::agx_orin_64gb;
  CHECK_THAT(agx.modes[1].dyn_energy_scale.value, WithinRel(edgeperf::dvfs_energy_ratio(1.02e9, 1.3e9), 1e-12));
}

TEST_CASE("host-work powers follow the mode's CPU clock (f V^2); MAXN keeps the fitted value",
          "[cost][device_state][power]") {
  using Catch::Matchers::WithinRel;
  const auto& agx = edgeperf::devices::agx_orin_64gb;
  const auto maxn = edgeperf::resolve(agx, 0);
  CHECK(maxn.host_active_w == agx.host_active_power_w.value);
  CHECK(maxn.cpu_active_w == agx.cpu_active_power_w.value);
  CHECK(maxn.power_cap_w == 0);
  const int w15 = edgeperf::find_mode_index(agx, "15W");
  const auto s15 = edgeperf::resolve(agx, w15);
  const double k = edgeperf::dvfs_power_ratio(1.114e9, 2.2e9);  // 0.506 x 0.3
  CHECK_THAT(s15.host_active_w, WithinRel(agx.host_active_power_w.value * k, 1e-12));
  CHECK_THAT(s15.cpu_active_w, WithinRel(agx.cpu_active_power_w.value * k, 1e-12));
  CHECK(s15.host_active_w < 5);  // was the MAXN 30.7 W in every mode
  CHECK(s15.power_cap_w == 15);
}

TEST_CASE("throttle_clocks scales GPU and CPU together, leaves DRAM and idle", "[cost][device_state][power]") {
  using Catch::Matchers::WithinRel;
  const auto& agx = edgeperf::devices::agx_orin_64gb;
  const auto d = edgeperf::resolve(agx, edgeperf::find_mode_index(agx, "50W"));
  const auto t = edgeperf::throttle_clocks(d, 0.5);
  CHECK_THAT(t.tensor_bf16_sm, WithinRel(0.5 * d.tensor_bf16_sm, 1e-12));
  CHECK_THAT(t.cuda_fp16_sm, WithinRel(0.5 * d.cuda_fp16_sm, 1e-12));
  CHECK_THAT(t.launch_s, WithinRel(2 * d.launch_s, 1e-12));
  CHECK_THAT(t.host_scale, WithinRel(2 * d.host_scale, 1e-12));
  CHECK(t.dram_bytes_per_s == d.dram_bytes_per_s);
  CHECK(t.static_w == d.static_w);
  CHECK(t.module_static_w == d.module_static_w);
  const double e = edgeperf::dvfs_energy_ratio(0.51e9, 1.3e9) / edgeperf::dvfs_energy_ratio(1.02e9, 1.3e9);
  CHECK_THAT(t.j_per_flop_tensor, WithinRel(e * d.j_per_flop_tensor, 1e-12));
  const double p = edgeperf::dvfs_power_ratio(0.7485e9, 2.2e9) / edgeperf::dvfs_power_ratio(1.497e9, 2.2e9);
  CHECK_THAT(t.cpu_active_w, WithinRel(p * d.cpu_active_w, 1e-12));
  CHECK_THAT(t.host_active_w, WithinRel(p * d.host_active_w, 1e-12));
  CHECK(t.clock_scale == 0.5);
  CHECK(edgeperf::throttle_clocks(d, 1.0).tensor_bf16_sm == d.tensor_bf16_sm);
}
