// Tests for the built-in device catalog: bandwidth and dense rates against the
// tables of data/jetson-devices.md, provenance on every number, power
// modes (default first, lookup, aliases, errors), reference-GPU data-sheet
// peaks, Raspberry Pi memory numbers, cold start, and the energy coefficients
// of issue 4 (fitted AGX values, assumed copies, DVFS scale, idle bounds);
// issue 11: only what was fitted is labelled fitted, and every device's mode
// table matches data/jetson-devices.md (parsed here).

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"

namespace ep = edgeperf;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

// ---- compile-time facts ------------------------------------------------------
static_assert(ep::device_catalog().size() == 12);
static_assert(ep::find_device_or_null("agx-orin-64gb") != nullptr);
static_assert(ep::find_device_or_null("agx-orin") == nullptr);
static_assert(ep::devices::agx_orin_64gb.modes[0].name == std::string_view("MAXN"));
static_assert(ep::find_mode_index(ep::devices::orin_nx_16gb, "10W") == 4);
// NVMe at 1.5 GB/s loads 1.5 GB in one second.
static_assert(ep::cold_start_s(ep::devices::orin_nx_16gb, 1.5e9) == 1.0);

namespace {

const ep::device_spec& dev(std::string_view id) {
  const ep::device_spec* d = ep::find_device_or_null(id);
  REQUIRE(d != nullptr);
  return *d;
}

const ep::power_mode& mode(const ep::device_spec& d, std::string_view name) {
  const auto i = ep::find_mode(d, name);
  REQUIRE(i.has_value());
  return d.modes[static_cast<std::size_t>(*i)];
}

}  // namespace

TEST_CASE("catalog holds the issue's device ids, each once", "[descriptions][device]") {
  const std::set<std::string_view> want = {
      "agx-orin-64gb", "agx-orin-32gb", "orin-nx-16gb", "orin-nx-8gb", "orin-nano-8gb", "orin-nano-4gb",
      "a100-80gb-sxm", "h100-sxm",      "h200",         "rtx-4090",    "rpi4-8gb",      "rpi5-8gb"};
  std::set<std::string_view> got;
  for (std::string_view id : ep::device_ids()) {
    CAPTURE(id);
    CHECK(got.insert(id).second);
  }
  CHECK(got == want);
}

TEST_CASE("theoretical bandwidth = bus/8 x 2 x EMC clock matches the table", "[descriptions][device]") {
  struct row {
    std::string_view id, mode;
    double gb_per_s;  // jetson-devices.md
    double rel;
  };
  const row rows[] = {
      {"agx-orin-64gb", "MAXN", 204.8, 1e-6},       {"agx-orin-32gb", "MAXN", 204.8, 1e-6},
      {"orin-nx-16gb", "MAXN_SUPER", 102.4, 1e-3},  {"orin-nano-8gb", "MAXN_SUPER", 102.4, 1e-3},
      {"orin-nano-8gb", "15W", 68.3, 1e-3},         {"orin-nx-8gb", "20W", 102.4, 1e-3},
      {"orin-nano-4gb", "10W", 34.0, 5e-3},         {"agx-orin-64gb", "15W", 136.5, 1e-3},
  };
  for (const row& r : rows) {
    CAPTURE(r.id, r.mode, r.gb_per_s);
    const auto& d = dev(r.id);
    CHECK_THAT(ep::theoretical_bandwidth(d, mode(d, r.mode).emc_clock_hz.value), WithinRel(r.gb_per_s * 1e9, r.rel));
  }
  // The device-level EMC clock is the reference for the quoted bandwidth.
  CHECK_THAT(ep::theoretical_bandwidth(dev("agx-orin-64gb"), dev("agx-orin-64gb").emc_clock_hz.value),
             WithinRel(204.8e9, 1e-9));
}

TEST_CASE("derived dense rates reproduce jetson-devices.md's table", "[descriptions][device]") {
  struct row {
    std::string_view id;
    double gpu_hz;
    double fp32_tflops, int8_tops, fp16_tflops;  // table values (D)
  };
  // Clocks from the table; 918 MHz / 625 MHz are the non-Super NX / Nano rows.
  const row rows[] = {
      {"agx-orin-64gb", 1.3e9, 5.3, 85, 42.6},    {"agx-orin-32gb", 0.93e9, 3.3, 53, 26.7},
      {"orin-nx-16gb", 0.918e9, 1.9, 30, 15.0},   {"orin-nx-16gb", 1.173e9, 2.4, 38, 19.2},
      {"orin-nano-8gb", 0.625e9, 1.28, 20, 10.2}, {"orin-nano-8gb", 1.02e9, 2.09, 33, 16.7},
  };
  for (const row& r : rows) {
    CAPTURE(r.id, r.gpu_hz);
    const auto& d = dev(r.id);
    const double sm_hz = d.sm_count.value * r.gpu_hz;
    CHECK_THAT(sm_hz * d.cuda_fp32_flops_per_clk.value, WithinRel(r.fp32_tflops * 1e12, 0.03));
    CHECK_THAT(sm_hz * d.tensor_int8_ops_per_clk.value, WithinRel(r.int8_tops * 1e12, 0.03));
    CHECK_THAT(sm_hz * d.tensor_fp16_flops_per_clk.value, WithinRel(r.fp16_tflops * 1e12, 0.01));
    CHECK(d.tensor_bf16_flops_per_clk.value == d.tensor_fp16_flops_per_clk.value);
    CHECK(d.tensor_fp8_flops_per_clk.value == 0);  // sm_87 has no FP8
  }
  // AGX MAXN FP16 = 16 x 2048 x 1.3e9, from the default mode's own clock.
  const auto& agx = dev("agx-orin-64gb");
  CHECK_THAT(agx.sm_count.value * agx.tensor_fp16_flops_per_clk.value * agx.modes[0].gpu_clock_hz.value,
             WithinRel(42.6e12, 0.01));
}

TEST_CASE("every number in every device has a source note", "[descriptions][device][provenance]") {
  for (const ep::device_spec& d : ep::device_catalog()) {
    auto check = [&](const char* field, const ep::sourced& s) {
      CAPTURE(d.id.view(), field, s.value);
      CHECK_FALSE(s.note.empty());
      CHECK_FALSE(s.note.truncated());
      CHECK(s.value >= 0);
    };
    ep::for_each_sourced(d, check);
    for (int i = 0; i < d.mode_count; ++i) {
      const auto& m = d.modes[static_cast<std::size_t>(i)];
      ep::for_each_sourced(m, [&](const char* field, const ep::sourced& s) {
        CAPTURE(m.name.view());
        check(field, s);
      });
    }
    CHECK_FALSE(d.accel_rail.empty());
    CHECK_FALSE(d.module_rail.empty());
  }
}

TEST_CASE("modes: at least one, default first and highest, consistent", "[descriptions][device][mode]") {
  for (const ep::device_spec& d : ep::device_catalog()) {
    CAPTURE(d.id.view());
    REQUIRE(d.mode_count >= 1);
    REQUIRE(d.mode_count <= static_cast<int>(ep::max_power_modes));
    const auto& m0 = d.modes[0];
    // The default mode runs at the device's reference clocks.
    CHECK(m0.gpu_clock_hz.value == d.gpu_clock_hz.value);
    CHECK(m0.emc_clock_hz.value == d.emc_clock_hz.value);
    CHECK(m0.cpu_clock_hz.value == d.cpu_clock_hz.value);
    CHECK(m0.cpu_cores.value == d.cpu_cores.value);
    std::set<std::string_view> names;
    for (int i = 0; i < d.mode_count; ++i) {
      const auto& m = d.modes[static_cast<std::size_t>(i)];
      CAPTURE(m.name.view());
      CHECK(names.insert(m.name.view()).second);
      CHECK(m.gpu_clock_hz.value <= m0.gpu_clock_hz.value);
      CHECK(m.emc_clock_hz.value <= m0.emc_clock_hz.value);
      CHECK(m.cpu_cores.value <= m0.cpu_cores.value);
      CHECK(m.active_sms.value >= 1);
      CHECK(m.active_sms.value <= d.sm_count.value);
      CHECK(m.gpu_clock_hz.value > 0);
      if (i > 0 && m0.power_cap_w.value > 0) CHECK(m.power_cap_w.value < m0.power_cap_w.value);
    }
  }
}

TEST_CASE("the issue's nvpmodel names exist in order", "[descriptions][device][mode]") {
  struct row {
    std::string_view id;
    std::vector<std::string_view> modes;
  };
  const row rows[] = {
      {"agx-orin-64gb", {"MAXN", "50W", "30W", "15W"}},
      {"agx-orin-32gb", {"MAXN", "40W", "30W", "15W"}},
      {"orin-nx-16gb", {"MAXN_SUPER", "40W", "25W", "15W", "10W"}},
      {"orin-nano-8gb", {"MAXN_SUPER", "25W", "15W", "7W"}},
  };
  for (const row& r : rows) {
    CAPTURE(r.id);
    const auto& d = dev(r.id);
    REQUIRE(d.mode_count == static_cast<int>(r.modes.size()));
    for (std::size_t i = 0; i < r.modes.size(); ++i) CHECK(d.modes[i].name.view() == r.modes[i]);
  }
  // Measured numbers where the data has them.
  CHECK(mode(dev("orin-nx-16gb"), "40W").module_static_power_w.value == 4.6);
  CHECK(mode(dev("orin-nano-8gb"), "25W").module_static_power_w.src == ep::source::published);
  CHECK(mode(dev("orin-nano-8gb"), "25W").gpu_clock_hz.value == 918e6);
  CHECK(mode(dev("agx-orin-64gb"), "30W").gpu_clock_hz.value == 612e6);
  // 7W on the Nano is not in the data: every clock is an assumption.
  const auto& nano7 = mode(dev("orin-nano-8gb"), "7W");
  CHECK(nano7.gpu_clock_hz.src == ep::source::assumed);
  CHECK(nano7.emc_clock_hz.src == ep::source::assumed);
  CHECK(nano7.cpu_clock_hz.src == ep::source::assumed);
}

TEST_CASE("find_mode: default, exact, MODE_ alias, case, unknown", "[descriptions][device][mode]") {
  const auto& agx = dev("agx-orin-64gb");
  CHECK(*ep::find_mode(agx, "") == 0);
  CHECK(*ep::find_mode(agx, "30W") == 2);
  CHECK(*ep::find_mode(agx, "MODE_30W") == 2);
  CHECK(*ep::find_mode(agx, "MODE_15W") == 3);
  CHECK(*ep::find_mode(agx, "maxn") == 0);
  CHECK(*ep::find_mode(dev("orin-nano-8gb"), "MAXN_SUPER") == 0);

  const auto bad = ep::find_mode(agx, "MODE_99W");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error_value().code == ep::errc::unknown_id);
  CHECK_THAT(bad.error_value().message, Contains("MODE_99W") && Contains("agx-orin-64gb") &&
                                            Contains("MAXN, 50W, 30W, 15W"));
  const auto bad_nx = ep::find_mode(dev("orin-nx-16gb"), "MAXN");
  REQUIRE_FALSE(bad_nx.has_value());
  CHECK_THAT(bad_nx.error_value().message, Contains("MAXN_SUPER, 40W, 25W, 15W, 10W"));
}

TEST_CASE("find_device: known id copies the entry, unknown id names the nearest", "[descriptions][device]") {
  const auto nx = ep::find_device("orin-nx-16gb");
  REQUIRE(nx.has_value());
  CHECK(nx->sm_count.value == 8);
  CHECK(nx->mode_count == 5);

  const auto bad = ep::find_device("agx-orin-64");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error_value().code == ep::errc::unknown_id);
  CHECK_THAT(bad.error_value().message, Contains("'agx-orin-64'") && Contains("agx-orin-64gb"));
}

TEST_CASE("reference GPUs: data-sheet identity, peaks reproduce the data sheets", "[descriptions][device]") {
  struct row {
    std::string_view id;
    double fp16_tflops, int8_tops, fp8_tflops, fp32_tflops, tb_per_s;
  };
  const row rows[] = {
      {"a100-80gb-sxm", 312, 624, 0, 19.5, 2.039},
      {"h100-sxm", 989.4, 1979, 1979, 66.9, 3.35},
      {"h200", 989.4, 1979, 1979, 66.9, 4.8},
      {"rtx-4090", 165.2, 660.6, 330.3, 82.6, 1.008},
  };
  for (const row& r : rows) {
    CAPTURE(r.id);
    const auto& d = dev(r.id);
    CHECK(d.kind == ep::device_kind::discrete_gpu);
    CHECK(d.sm_count.src == ep::source::datasheet);
    CHECK(d.gpu_clock_hz.src == ep::source::datasheet);
    CHECK(d.memory_bytes.src == ep::source::datasheet);
    CHECK(d.l2_bytes.src == ep::source::datasheet);
    CHECK(d.modes[0].power_cap_w.src == ep::source::datasheet);
    const double sm_hz = d.sm_count.value * d.gpu_clock_hz.value;
    CHECK_THAT(sm_hz * d.tensor_fp16_flops_per_clk.value, WithinRel(r.fp16_tflops * 1e12, 1e-6));
    CHECK_THAT(sm_hz * d.tensor_int8_ops_per_clk.value, WithinRel(r.int8_tops * 1e12, 1e-6));
    CHECK_THAT(sm_hz * d.cuda_fp32_flops_per_clk.value, WithinRel(r.fp32_tflops * 1e12, 1e-6));
    if (r.fp8_tflops > 0)
      CHECK_THAT(sm_hz * d.tensor_fp8_flops_per_clk.value, WithinRel(r.fp8_tflops * 1e12, 1e-6));
    else
      CHECK(d.tensor_fp8_flops_per_clk.value == 0);
    CHECK_THAT(ep::theoretical_bandwidth(d, d.emc_clock_hz.value), WithinRel(r.tb_per_s * 1e12, 1e-6));
    CHECK_THAT(std::string(d.sm_count.note.view()), Contains("NVIDIA"));
  }
}

TEST_CASE("Jetson entries share the sm_87 per-SM rates and name their rails", "[descriptions][device]") {
  for (const ep::device_spec& d : ep::device_catalog()) {
    if (d.kind != ep::device_kind::jetson) continue;
    CAPTURE(d.id.view());
    CHECK(d.tensor_fp16_flops_per_clk.value == 2048);
    CHECK(d.tensor_int8_ops_per_clk.value == 4096);
    CHECK(d.cuda_fp32_flops_per_clk.value == 256);
    CHECK(d.cuda_fp16_flops_per_clk.value == 512);
    CHECK(d.mem_transfers_per_clk.value == 2);
    CHECK(d.host_speed.value == 1);
    CHECK(d.reserved_bytes.value < d.memory_bytes.value);
    const bool agx = d.id.view().substr(0, 3) == "agx";
    CHECK(d.accel_rail.view() == (agx ? "VDD_GPU_SOC" : "VDD_CPU_GPU_CV+VDD_SOC"));
    CHECK(d.module_rail.view() == (agx ? "VIN_SYS_5V0" : "VDD_IN"));
  }
  CHECK(dev("agx-orin-64gb").memory_bytes.value == 64.0 * 1073741824.0);
  CHECK(dev("orin-nano-4gb").memory_bytes.value == 4.0 * 1073741824.0);
  CHECK(dev("agx-orin-64gb").l2_bytes.value == 4194304.0);  // deviceQuery
}

TEST_CASE("Raspberry Pi boards: CPU kind, NEON rates, read bandwidth from the measured copy", "[descriptions][device]") {
  struct row {
    std::string_view id;
    double theoretical_gb_s, measured_copy_gb_s, neon_fp32_per_clk;
  };
  const row rows[] = {{"rpi4-8gb", 12.8, 2.8, 8}, {"rpi5-8gb", 17.07, 5.55, 16}};
  for (const row& r : rows) {
    CAPTURE(r.id);
    const auto& d = dev(r.id);
    CHECK(d.kind == ep::device_kind::cpu);
    CHECK(d.sm_count.value == 4);
    CHECK(d.tensor_fp16_flops_per_clk.value == 0);
    CHECK(d.tensor_int8_ops_per_clk.value == 0);
    CHECK(d.cuda_fp32_flops_per_clk.value == r.neon_fp32_per_clk);
    const double bw = ep::theoretical_bandwidth(d, d.emc_clock_hz.value);
    CHECK_THAT(bw, WithinRel(r.theoretical_gb_s * 1e9, 1e-3));
    // tinymembench counts bytes copied; a copy reads and writes each byte, so a
    // read stream reaches twice the copy figure.
    CHECK_THAT(bw * d.mem_efficiency.value, WithinRel(2 * r.measured_copy_gb_s * 1e9, 1e-3));
    CHECK(d.mem_efficiency.src == ep::source::derived);
  }
}

TEST_CASE("cold start = weight bytes / storage bandwidth", "[descriptions][device]") {
  const double weights = 16.06e9;  // DSR1-Llama-8B in BF16
  CAPTURE(weights);
  CHECK_THAT(ep::cold_start_s(dev("agx-orin-64gb"), weights), WithinRel(weights / 0.3e9, 1e-12));
  // microSD on a Pi is far slower than NVMe on an Orin NX.
  CHECK(ep::cold_start_s(dev("rpi5-8gb"), weights) > 10 * ep::cold_start_s(dev("orin-nx-16gb"), weights));
  // Overridable: a faster drive halves it.
  ep::device_spec d = dev("orin-nx-16gb");
  d.storage_bytes_per_s.value *= 2;
  CHECK_THAT(ep::cold_start_s(d, weights), WithinRel(ep::cold_start_s(dev("orin-nx-16gb"), weights) / 2, 1e-12));
}

// ---- energy coefficients (issue 4) ---------------------------------------------

TEST_CASE("energy: no note anywhere is a placeholder", "[descriptions][device][energy][provenance]") {
  for (const ep::device_spec& d : ep::device_catalog()) {
    auto check = [&](const char* field, const ep::sourced& s) {
      CAPTURE(d.id.view(), field, s.note.view());
      CHECK(s.note.view().find("placeholder") == std::string_view::npos);
      CHECK_FALSE(s.note.empty());
    };
    ep::for_each_sourced(d, check);
    for (int i = 0; i < d.mode_count; ++i) {
      const auto& m = d.modes[static_cast<std::size_t>(i)];
      ep::for_each_sourced(m, [&](const char* field, const ep::sourced& s) {
        CAPTURE(m.name.view());
        check(field, s);
      });
    }
  }
}

TEST_CASE("energy: agx-orin-64gb MAXN carries the fitted coefficients", "[descriptions][device][energy]") {
  const auto& agx = dev("agx-orin-64gb");
  const auto& maxn = mode(agx, "MAXN");
  struct row {
    const char* field;
    const ep::sourced& s;
    double fitted;  // docs/validation.md
  };
  const row rows[] = {
      // The fit's results live once, in detail::orin_fit_* (tests/fit/energy_fit_test.cpp
      // reruns the fit and checks them against it).
      {"static_power_w (MAXN)", maxn.static_power_w, ep::detail::orin_fit_static_w},
      {"pj_per_flop_tensor", agx.pj_per_flop_tensor, ep::detail::orin_fit_pj_tensor},
      {"pj_per_byte_dram", agx.pj_per_byte_dram, ep::detail::orin_fit_pj_dram},
      {"host_active_power_w", agx.host_active_power_w, ep::detail::orin_fit_host_active_w},
      {"sensor_ramp_s", agx.sensor_ramp_s, ep::detail::orin_fit_ramp_s},
  };
  for (const row& r : rows) {
    CAPTURE(r.field, r.s.value, r.s.note.view());
    CHECK(r.s.src == ep::source::fitted);
    CHECK_THAT(r.s.value, WithinRel(r.fitted, 1e-12));
    CHECK_THAT(std::string(r.s.note.view()), Contains("EdgeReasoning") && Contains("validation.md"));
  }
  // Only MAXN was fitted: the other modes' idle powers are assumptions.
  for (int i = 1; i < agx.mode_count; ++i) {
    CAPTURE(agx.modes[static_cast<std::size_t>(i)].name.view());
    CHECK(agx.modes[static_cast<std::size_t>(i)].static_power_w.src == ep::source::assumed);
  }
  // The CUDA-core energy is an assumption: 4 x the fitted tensor value.
  CHECK(agx.pj_per_flop_cuda.src == ep::source::assumed);
  CHECK_THAT(agx.pj_per_flop_cuda.value, WithinRel(4 * ep::detail::orin_fit_pj_tensor, 1e-12));
}

TEST_CASE("energy: other Orin modules reuse the fitted per-op energies, labelled assumed", "[descriptions][device][energy]") {
  const auto& agx = dev("agx-orin-64gb");
  for (const ep::device_spec& d : ep::device_catalog()) {
    if (d.kind != ep::device_kind::jetson || d.id.view() == "agx-orin-64gb") continue;
    CAPTURE(d.id.view());
    CHECK(d.pj_per_flop_tensor.value == agx.pj_per_flop_tensor.value);
    CHECK(d.pj_per_byte_dram.value == agx.pj_per_byte_dram.value);
    CHECK(d.pj_per_flop_cuda.value == agx.pj_per_flop_cuda.value);
    // Never fitted on these modules: the AGX fit reused is an assumption.
    CHECK(d.pj_per_flop_tensor.src == ep::source::assumed);
    CHECK(d.pj_per_byte_dram.src == ep::source::assumed);
    CHECK(d.sensor_ramp_s.value == agx.sensor_ramp_s.value);
    CHECK(d.sensor_ramp_s.src == ep::source::assumed);
  }
}

TEST_CASE("energy: host and CPU power follow the rail layout", "[descriptions][device][energy]") {
  // Non-AGX Orins: the AGX fit x (max module power / 60 W), jetson-devices.md.
  struct row {
    std::string_view id;
    double max_module_w;
  };
  const row rows[] = {{"orin-nx-16gb", 40}, {"orin-nx-8gb", 20}, {"orin-nano-8gb", 25}, {"orin-nano-4gb", 10}};
  for (const row& r : rows) {
    CAPTURE(r.id, r.max_module_w);
    const auto& d = dev(r.id);
    CHECK_THAT(d.host_active_power_w.value, WithinRel(ep::detail::orin_fit_host_active_w * r.max_module_w / 60, 1e-12));
    // The CPU shares VDD_CPU_GPU_CV with the GPU: no separate CPU rail.
    CHECK(d.cpu_active_power_w.value == 0);
  }
  // AGX: the CPU has its own rail (VDD_CPU_CV), counted in the module only.
  for (std::string_view id : {"agx-orin-64gb", "agx-orin-32gb"}) {
    CAPTURE(id);
    CHECK(dev(id).cpu_active_power_w.value > 0);
    CHECK(dev(id).host_active_power_w.value == ep::detail::orin_fit_host_active_w);
  }
  // Discrete GPUs: the board rail does not see the host; NVML reads fast.
  for (std::string_view id : {"a100-80gb-sxm", "h100-sxm", "h200", "rtx-4090"}) {
    CAPTURE(id);
    const auto& d = dev(id);
    CHECK(d.host_active_power_w.value == 0);
    CHECK(d.cpu_active_power_w.value > 0);
    CHECK(d.sensor_ramp_s.value == 0.1);
    CHECK(d.sensor_ramp_s.value < dev("agx-orin-64gb").sensor_ramp_s.value);
  }
  for (std::string_view id : {"rpi4-8gb", "rpi5-8gb"}) {
    CAPTURE(id);
    CHECK(dev(id).sensor_ramp_s.value == 0);  // no on-board sensor
    CHECK(dev(id).cpu_active_power_w.value == 0);
  }
  // Prices are never built in.
  for (const ep::device_spec& d : ep::device_catalog()) {
    CAPTURE(d.id.view());
    CHECK(d.price_usd.value == 0);
    CHECK_THAT(std::string(d.price_usd.note.view()), Contains("--device-price"));
  }
}

TEST_CASE("energy: per-mode dynamic energy scale follows the DVFS rule", "[descriptions][device][energy][mode]") {
  for (const ep::device_spec& d : ep::device_catalog()) {
    CAPTURE(d.id.view());
    REQUIRE(d.mode_count >= 1);
    CHECK(d.modes[0].dyn_energy_scale.value == 1);
    CHECK(d.modes[0].dyn_energy_scale.src == ep::source::derived);
    for (int i = 1; i < d.mode_count; ++i) {
      const auto& m = d.modes[static_cast<std::size_t>(i)];
      const double r = m.gpu_clock_hz.value / d.modes[0].gpu_clock_hz.value;
      CAPTURE(m.name.view(), r, m.dyn_energy_scale.value);
      CHECK(m.dyn_energy_scale.value > 0);
      CHECK(m.dyn_energy_scale.value <= 1);
      CHECK(m.dyn_energy_scale.src == ep::source::assumed);
      CHECK_THAT(m.dyn_energy_scale.value, WithinRel(std::max(r * r, 0.3), 1e-12));
      // A slower mode never costs more energy per op.
      CHECK(m.dyn_energy_scale.value <= d.modes[static_cast<std::size_t>(i - 1)].dyn_energy_scale.value);
    }
  }
  // Hand values: AGX 64GB 50W (1020/1300)^2, 30W floored; Nano 25W (918/1020)^2.
  CHECK_THAT(mode(dev("agx-orin-64gb"), "50W").dyn_energy_scale.value, WithinRel(0.615621, 1e-5));
  CHECK(mode(dev("agx-orin-64gb"), "30W").dyn_energy_scale.value == 0.3);
  CHECK_THAT(mode(dev("orin-nano-8gb"), "25W").dyn_energy_scale.value, WithinRel(0.81, 1e-12));
  // The cost model applies it to the per-op energies, not to DRAM bytes.
  const auto maxn = ep::resolve(dev("agx-orin-64gb"), 0);
  const auto w30 = ep::resolve(dev("agx-orin-64gb"), 2);
  CHECK_THAT(w30.j_per_flop_tensor, WithinRel(0.3 * maxn.j_per_flop_tensor, 1e-12));
  CHECK(w30.j_per_byte == maxn.j_per_byte);
}

TEST_CASE("energy: idle powers per mode are bounded and ordered", "[descriptions][device][energy][mode]") {
  for (const ep::device_spec& d : ep::device_catalog()) {
    const bool agx = d.id.view().substr(0, 3) == "agx";
    for (int i = 0; i < d.mode_count; ++i) {
      const auto& m = d.modes[static_cast<std::size_t>(i)];
      CAPTURE(d.id.view(), m.name.view(), m.static_power_w.value, m.module_static_power_w.value);
      CHECK(m.static_power_w.value > 0);
      // The module rail contains the accelerator rail.
      CHECK(m.static_power_w.value <= m.module_static_power_w.value);
      if (agx && i > 0) {  // idle never rises from the default mode to lower modes
        const auto& prev = d.modes[static_cast<std::size_t>(i - 1)];
        CHECK(m.static_power_w.value <= prev.static_power_w.value);
        CHECK(m.module_static_power_w.value <= prev.module_static_power_w.value);
      }
    }
  }
  // Idle must lie below what the GPU rail read under GPU stress on an AGX Orin
  // 32GB (jetson-devices.md, E): 30W 7.6 W, 15W 5.2 W.
  for (std::string_view id : {"agx-orin-64gb", "agx-orin-32gb"}) {
    CAPTURE(id);
    CHECK(mode(dev(id), "30W").static_power_w.value < 7.6);
    CHECK(mode(dev(id), "15W").static_power_w.value < 5.2);
    CHECK(mode(dev(id), "MAXN").static_power_w.value == ep::detail::orin_fit_static_w);
  }
  // Measured idles (E) are kept as published.
  CHECK(mode(dev("orin-nx-16gb"), "MAXN_SUPER").module_static_power_w.value == 4.6);
  CHECK(mode(dev("orin-nx-16gb"), "MAXN_SUPER").module_static_power_w.src == ep::source::published);
  CHECK(mode(dev("orin-nano-8gb"), "25W").module_static_power_w.value == 3.5);
}

// ---- issue 11: provenance says what each number is; modes follow the data ----

TEST_CASE("provenance: only the AGX Orin 64GB MAXN parameters that were fitted say fitted",
          "[descriptions][device][provenance]") {
  // What the latency and energy fits set (docs/validation.md): on the AGX Orin
  // 64GB, the efficiencies of the latency fit and the energy coefficients, the
  // idle power of MAXN (the mode the data was measured in). Nothing else was
  // ever fitted; a copy on another module or mode is an assumption.
  // tensor and memory efficiency are silicon values since the joint fit (what
  // a runtime reaches is the runtime's *_jetson efficiency, fitted there).
  const std::set<std::string> agx_fitted = {"pj_per_flop_tensor",
                                            "pj_per_byte_dram",  "host_active_power_w", "sensor_ramp_s",
                                            "MAXN.static_power_w"};
  std::set<std::string> seen;
  for (const ep::device_spec& d : ep::device_catalog()) {
    const bool agx64 = d.id.view() == "agx-orin-64gb";
    const auto check = [&](const std::string& field, const ep::sourced& s) {
      if (s.src != ep::source::fitted) return;
      CAPTURE(d.id.view(), field, s.note.view());
      CHECK(agx64);  // never a fitted label on another device
      if (agx64) seen.insert(field);
      // A fitted number names the data and where the fit is documented.
      CHECK_THAT(std::string(s.note.view()), Contains("EdgeReasoning"));
      CHECK_THAT(std::string(s.note.view()), Contains("validation.md"));
    };
    ep::for_each_sourced(d, [&](const char* f, const ep::sourced& s) { check(f, s); });
    for (int i = 0; i < d.mode_count; ++i) {
      const auto& m = d.modes[static_cast<std::size_t>(i)];
      ep::for_each_sourced(m, [&](const char* f, const ep::sourced& s) {
        check(std::string(m.name.view()) + "." + f, s);
      });
    }
  }
  CHECK(seen == agx_fitted);
  // The copies elsewhere say where they come from.
  for (std::string_view id : {"agx-orin-32gb", "orin-nx-16gb", "orin-nx-8gb", "orin-nano-4gb"}) {
    CAPTURE(id);
    CHECK(dev(id).tensor_efficiency.src == ep::source::assumed);
    CHECK_THAT(std::string(dev(id).tensor_efficiency.note.view()), Contains("AGX Orin 64GB"));
    CHECK(dev(id).mem_efficiency.src == ep::source::assumed);
    CHECK_THAT(std::string(dev(id).mem_efficiency.note.view()), Contains("not fitted"));
  }
}

namespace {

std::string read_data(const char* name) {
  std::ifstream f(std::string(EDGEPERF_DATA_DIR) + "/" + name);
  REQUIRE(f.good());
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Cells of the markdown table row whose first cell is `key` (trimmed).
std::vector<std::string> table_row(const std::string& md, const std::string& key) {
  std::istringstream in(md);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| " + key + " |", 0) != 0) continue;
    std::vector<std::string> cells;
    std::size_t p = 1;
    while (p < line.size()) {
      const std::size_t q = line.find('|', p);
      if (q == std::string::npos) break;
      std::string c = line.substr(p, q - p);
      c.erase(0, c.find_first_not_of(' '));
      c.erase(c.find_last_not_of(' ') + 1);
      cells.push_back(c);
      p = q + 1;
    }
    return cells;
  }
  return {};
}

/// Every number in `cell` followed by `unit` (e.g. " W", " MHz").
std::vector<double> numbers_before(const std::string& cell, const std::string& unit) {
  std::vector<double> out;
  const std::regex re("([0-9]+(?:\\.[0-9]+)?)" + unit);
  for (auto it = std::sregex_iterator(cell.begin(), cell.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back(std::stod((*it)[1].str()));
  // "15–60 W": the first number of a range has its unit after the second.
  const std::regex range("([0-9]+)\xE2\x80\x93([0-9]+)" + unit);
  for (auto it = std::sregex_iterator(cell.begin(), cell.end(), range); it != std::sregex_iterator(); ++it)
    out.push_back(std::stod((*it)[1].str()));
  return out;
}

std::string squash_spaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool ws = c == '\n' || c == ' ';
    if (ws && !out.empty() && out.back() == ' ') continue;
    out += ws ? ' ' : c;
  }
  return out;
}

}  // namespace

TEST_CASE("modes follow data/jetson-devices.md: budgets in each module's power range, clocks where given",
          "[descriptions][device][mode][data]") {
  const std::string md = read_data("jetson-devices.md");
  const std::vector<std::string> header = table_row(md, "field");
  const std::vector<std::string> power = table_row(md, "module power");
  const std::vector<std::string> gpu_max = table_row(md, "GPU max clock");
  REQUIRE(header.size() == 8);
  REQUIRE(power.size() == 8);
  REQUIRE(gpu_max.size() == 8);
  // Catalog id -> column of the Modules table (orin-nano-8gb models the "Super" column).
  const std::pair<std::string_view, std::string> cols[] = {
      {"agx-orin-64gb", "AGX Orin 64GB"}, {"agx-orin-32gb", "AGX Orin 32GB"}, {"orin-nx-16gb", "Orin NX 16GB"},
      {"orin-nx-8gb", "Orin NX 8GB"},     {"orin-nano-8gb", "Orin Nano 8GB \"Super\" (JetPack 6.2)"},
      {"orin-nano-4gb", "Orin Nano 4GB"}};
  for (const auto& [id, col] : cols) {
    const auto c = static_cast<std::size_t>(std::find(header.begin(), header.end(), col) - header.begin());
    REQUIRE(c < header.size());
    const auto watts = numbers_before(power[c], " W");
    REQUIRE_FALSE(watts.empty());
    const double lo = *std::min_element(watts.begin(), watts.end());
    const double hi = *std::max_element(watts.begin(), watts.end());
    std::vector<double> clocks = numbers_before(gpu_max[c], " MHz");
    for (double g : numbers_before(gpu_max[c], " GHz")) clocks.push_back(g * 1000);
    REQUIRE_FALSE(clocks.empty());
    const double gpu_top_mhz = *std::max_element(clocks.begin(), clocks.end());
    const auto& d = dev(id);
    CAPTURE(id, power[c], lo, hi, gpu_top_mhz);
    double lowest_cap = 1e9, highest_cap = 0;
    for (int i = 0; i < d.mode_count; ++i) {
      const auto& m = d.modes[static_cast<std::size_t>(i)];
      CAPTURE(m.name.view(), m.power_cap_w.value);
      CHECK(m.gpu_clock_hz.value <= gpu_top_mhz * 1e6 * (1 + 1e-9));
      if (m.power_cap_w.value == 0) {  // MAXN / MAXN_SUPER: uncapped, the default
        CHECK(i == 0);
        CHECK(m.name.view().substr(0, 4) == "MAXN");
        continue;
      }
      // A budget is inside the module's power range, and the mode is named after it.
      CHECK(m.power_cap_w.value >= lo);
      CHECK(m.power_cap_w.value <= hi);
      CHECK(std::string(m.name.view()) == std::to_string(static_cast<int>(m.power_cap_w.value)) + "W");
      lowest_cap = std::min(lowest_cap, m.power_cap_w.value);
      highest_cap = std::max(highest_cap, m.power_cap_w.value);
    }
    CHECK(lowest_cap == lo);  // the module's lowest budget is a mode
  }
  // No AGX Orin 32GB budget above its 40 W module maximum (it once listed 50W).
  CHECK(ep::find_mode_index(dev("agx-orin-32gb"), "50W") == -1);

  // AGX Orin 64GB: the nvpmodel table, row by row (id, name, CPUs, CPU/GPU/EMC MHz).
  const auto& agx = dev("agx-orin-64gb");
  int rows = 0;
  for (const char* id : {"0", "1", "2", "3"}) {
    const auto r = table_row(md, id);
    REQUIRE(r.size() == 6);
    std::string name = r[1];
    if (name.rfind("MODE_", 0) == 0) name = name.substr(5);
    CAPTURE(name);
    const int mi = ep::find_mode_index(agx, name);
    REQUIRE(mi >= 0);
    const auto& m = agx.modes[static_cast<std::size_t>(mi)];
    CHECK(m.cpu_cores.value == std::stod(r[2]));
    CHECK_THAT(m.cpu_clock_hz.value, WithinRel(std::stod(r[3]) * 1e6, 1e-3));  // "1497 (U)": stod stops at the space
    CHECK_THAT(m.gpu_clock_hz.value, WithinRel(std::stod(r[4]) * 1e6, 1e-9));
    CHECK_THAT(m.emc_clock_hz.value, WithinRel(std::stod(r[5]) * 1e6, 1e-9));
    ++rows;
  }
  CHECK(rows == agx.mode_count);

  const std::string text = squash_spaces(md);
  // Orin NX 16GB (JetPack 6.2): "<id> <name> (<n> CPUs[ @ <MHz> MHz][, GPU [uncapped, ]<MHz> MHz...]".
  {
    const auto& nx = dev("orin-nx-16gb");
    const std::size_t at = text.find("Orin NX 16GB, JetPack 6.2 (E):");
    REQUIRE(at != std::string::npos);
    const std::string para = text.substr(at, text.find("Idle module", at) - at);
    const std::regex re("([0-9]) (MAXN_SUPER|[0-9]+W) \\(([0-9]+) CPUs(?: @ ([0-9]+) MHz)?(?:, GPU (?:uncapped, )?([0-9]+) MHz)?");
    int n = 0;
    for (auto it = std::sregex_iterator(para.begin(), para.end(), re); it != std::sregex_iterator(); ++it, ++n) {
      const std::smatch& x = *it;
      CAPTURE(x[0].str());
      const int mi = ep::find_mode_index(nx, x[2].str());
      REQUIRE(mi >= 0);
      const auto& m = nx.modes[static_cast<std::size_t>(mi)];
      CHECK(m.cpu_cores.value == std::stod(x[3].str()));
      if (x[4].matched) CHECK(m.cpu_clock_hz.value == std::stod(x[4].str()) * 1e6);
      if (x[5].matched) CHECK(m.gpu_clock_hz.value == std::stod(x[5].str()) * 1e6);
    }
    CHECK(n == 5);
    CHECK(n == nx.mode_count);
  }
  // Orin Nano 8GB Super: the id list and "<name> = [<n> CPUs @ ][CPU ]<MHz>[ MHz], GPU <MHz>..., EMC <MHz> MHz".
  {
    const auto& nano = dev("orin-nano-8gb");
    const std::size_t at = text.find("Orin Nano 8GB Super, JetPack 6.x");
    REQUIRE(at != std::string::npos);
    const std::string para = text.substr(at, text.find("Idle VDD_IN", at) - at);
    const std::regex ids("[0-9] (MAXN_SUPER|[0-9]+W)[,)]");
    int n = 0;
    for (auto it = std::sregex_iterator(para.begin(), para.end(), ids); it != std::sregex_iterator(); ++it, ++n)
      CHECK(ep::find_mode_index(nano, (*it)[1].str()) >= 0);
    CHECK(n == nano.mode_count);
    const std::regex clk("(MAXN_SUPER|[0-9]+W) = (?:([0-9]+) CPUs @ )?(?:CPU )?([0-9.]+)(?: MHz)?, GPU ([0-9]+)(?: MHz)?(?: \\([0-9] TPC\\))?, EMC ([0-9]+) MHz");
    int c = 0;
    for (auto it = std::sregex_iterator(para.begin(), para.end(), clk); it != std::sregex_iterator(); ++it, ++c) {
      const std::smatch& x = *it;
      CAPTURE(x[0].str());
      const auto& m = mode(nano, x[1].str());
      if (x[2].matched) CHECK(m.cpu_cores.value == std::stod(x[2].str()));
      CHECK_THAT(m.cpu_clock_hz.value, WithinRel(std::stod(x[3].str()) * 1e6, 1e-9));
      CHECK(m.gpu_clock_hz.value == std::stod(x[4].str()) * 1e6);
      CHECK(m.emc_clock_hz.value == std::stod(x[5].str()) * 1e6);
    }
    CHECK(c == 3);  // 25W, 15W, MAXN_SUPER (7W is not in the data)
  }
}

TEST_CASE("every capped mode idles below its budget", "[descriptions][device][mode][energy]") {
  // The budget can only bind if the module's idle power is below it
  // (phases/power_cap.hpp throttles towards idle).
  for (const ep::device_spec& d : ep::device_catalog())
    for (int i = 0; i < d.mode_count; ++i) {
      const auto& m = d.modes[static_cast<std::size_t>(i)];
      CAPTURE(d.id.view(), m.name.view());
      if (m.power_cap_w.value > 0) CHECK(m.module_static_power_w.value < m.power_cap_w.value);
    }
}
