// The device fit from calibration measurements (fit/device_fit.hpp) and the
// measurements JSON reader (io/measurements_json.hpp): known profiles are
// turned into synthetic measurements with the library's own model plus noise,
// written to JSON and read back, and the fit must recover every parameter
// within 3 %; malformed files give errors naming file, field and value.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/fit/device_fit.hpp"
#include "edgeperf/io/measurements_json.hpp"
#include "edgeperf/io/profile_json.hpp"

using namespace edgeperf;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

const std::string fixtures = std::string(EDGEPERF_SOURCE_DIR) + "/tests/data/measurements/";

/// Writes `m` to a temporary JSON file and reads it back through the parser.
fit::measurements round_trip(const fit::measurements& m, const std::string& tag) {
  const auto path = std::filesystem::temp_directory_path() / ("edgeperf_device_fit_" + tag + ".json");
  io::save_measurements(m, path);
  fit::measurements back = io::load_measurements(path);
  std::filesystem::remove(path);
  return back;
}

/// The perturbed AGX Orin 64GB the recovery test synthesizes from.
device_spec perturbed_orin() {
  device_spec t = devices::agx_orin_64gb;
  t.mem_efficiency.value = 0.8;
  t.tensor_efficiency.value = 0.55;
  t.mem_latency_s.value = 3e-6;
  t.launch_overhead_s.value = 6e-6;
  t.graph_node_overhead_s.value = 2e-6;
  t.l2_bytes_per_s.value = 350e9;
  t.modes[0].static_power_w.value = 4.2;
  t.modes[0].module_static_power_w.value = 7.5;
  return t;
}

fit::synth_options quick_sweeps() {
  fit::synth_options o{};
  o.quick = true;
  return o;
}

const fit::fitted_parameter* parameter(const fit::device_fit_result& r, const std::string& name) {
  for (const auto& p : r.parameters)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("Synthetic measurements survive a JSON round trip", "[fit][io][measurements]") {
  const auto m = fit::synthesize_measurements(perturbed_orin(), 1, 0.01, quick_sweeps());
  const auto back = round_trip(m, "roundtrip");
  REQUIRE(back.benchmarks.size() == m.benchmarks.size());
  REQUIRE(back.power_phases.size() == 3);
  CHECK(back.run.id == m.run.id);
  CHECK(back.device.sm_count == 16);
  CHECK(back.nvpmodel_q == m.nvpmodel_q);
  for (std::size_t i = 0; i < m.benchmarks.size(); i += 37) {
    CAPTURE(i);
    CHECK(back.benchmarks[i].bench == m.benchmarks[i].bench);
    CHECK(back.benchmarks[i].params == m.benchmarks[i].params);
    CHECK(back.benchmarks[i].tags == m.benchmarks[i].tags);
    CHECK(back.benchmarks[i].time_s.median == m.benchmarks[i].time_s.median);
  }
}

TEST_CASE("Fit recovers a perturbed AGX Orin from noisy synthetic measurements", "[fit][device_fit]") {
  const device_spec truth = perturbed_orin();
  const double noise = 0.015;  // 1.5 % log-normal per measurement
  const auto m = round_trip(fit::synthesize_measurements(truth, 42, noise), "orin");
  const auto r = fit::fit_device(m, devices::agx_orin_64gb);
  CHECK(r.mode_index == 0);

  struct expect {
    const char* name;
    double truth;
    const sourced* fitted;
  };
  const expect table[] = {
      {"mem_efficiency", 0.8, &r.profile.mem_efficiency},
      {"tensor_efficiency", 0.55, &r.profile.tensor_efficiency},
      {"mem_latency_s", 3e-6, &r.profile.mem_latency_s},
      {"launch_overhead_s", 6e-6, &r.profile.launch_overhead_s},
      {"graph_node_overhead_s", 2e-6, &r.profile.graph_node_overhead_s},
      {"l2_bytes_per_s", 350e9, &r.profile.l2_bytes_per_s},
      {"modes[0].static_power_w", 4.2, &r.profile.modes[0].static_power_w},
      {"modes[0].module_static_power_w", 7.5, &r.profile.modes[0].module_static_power_w},
  };
  for (const auto& e : table) {
    CAPTURE(e.name, e.truth, e.fitted->value);
    CHECK_THAT(e.fitted->value, WithinRel(e.truth, 0.03));
    CHECK(e.fitted->src == source::calibrated);
    CHECK(e.fitted->note.view() == "calibrated: run " + m.run.id);
    CHECK(parameter(r, e.name) != nullptr);
  }
  // Not fitted: the catalog's per-clock rates stay, other dtypes report their efficiency.
  CHECK(r.profile.tensor_fp16_flops_per_clk == devices::agx_orin_64gb.tensor_fp16_flops_per_clk);
  CHECK(r.profile.cuda_efficiency == devices::agx_orin_64gb.cuda_efficiency);
  CHECK_THAT(r.measured_or_nan("gemm.bf16.implied_efficiency"), WithinRel(0.55, 0.03));
  CHECK_THAT(r.measured_or_nan("gemm.int8.implied_efficiency"), WithinRel(0.55, 0.03));
  CHECK_THAT(r.measured_or_nan("gemm.wmma.kernel_efficiency"), WithinRel(0.6, 0.03));
  CHECK_THAT(r.measured_or_nan("launch.sync_round_trip_s"), WithinRel(25e-6, 0.03));
  CHECK_THAT(r.measured_or_nan("launch.graph.launch_s"), WithinRel(4e-6, 0.15));
  CHECK_THAT(r.measured_or_nan("memory.l2_knee_bytes"), WithinRel(truth.l2_bytes.value, 0.5));
  // W4A16 reads ~3.6x fewer bytes than fp16 and is memory-bound on this profile.
  CHECK_THAT(r.measured_or_nan("dequant.w4a16_over_f16_time"), WithinRel(0.28, 0.05));

  SECTION("residual report: every benchmark reproduced, R² close to 1") {
    REQUIRE(r.residuals.size() >= 12);
    for (const auto& x : r.residuals) {
      CAPTURE(x.name, x.n, x.r2, x.worst_rel_error, x.worst_case);
      CHECK(x.n >= 2);
      CHECK(x.r2 > 0.99);
      CHECK(x.mape < 2.5 * noise);
      CHECK(std::fabs(x.worst_rel_error) < 6 * noise);
      CHECK_FALSE(x.worst_case.empty());
    }
    REQUIRE(r.residuals_of("memory/flushed") != nullptr);
    REQUIRE(r.residuals_of("gemm/cublaslt/fp16 (M >= 1024)") != nullptr);
    REQUIRE(r.residuals_of("gemm/wmma_128x128x32 staircase (all M)") != nullptr);
    CHECK(r.residuals_of("launch/graph") != nullptr);
  }
  SECTION("the fitted profile is a valid profile JSON") {
    const auto path = std::filesystem::temp_directory_path() / "edgeperf_device_fit_profile.json";
    io::save_device_profile(r.profile, path);
    const device_spec back = io::load_device_profile(path);
    std::filesystem::remove(path);
    CHECK(back.mem_efficiency == r.profile.mem_efficiency);
    CHECK(back.launch_overhead_s.src == source::calibrated);
  }
}

TEST_CASE("A base far from the truth still converges", "[fit][device_fit]") {
  device_spec start = devices::agx_orin_64gb;
  start.mem_efficiency.value = 0.3;
  start.tensor_efficiency.value = 0.95;
  start.mem_latency_s.value = 20e-6;
  const auto r = fit::fit_device(fit::synthesize_measurements(perturbed_orin(), 5, 0.01), start);
  CHECK_THAT(r.profile.mem_efficiency.value, WithinRel(0.8, 0.03));
  CHECK_THAT(r.profile.tensor_efficiency.value, WithinRel(0.55, 0.03));
  CHECK_THAT(r.profile.mem_latency_s.value, WithinRel(3e-6, 0.03));
}

TEST_CASE("A dequant-bound W4A16 GEMV fixes cuda_efficiency", "[fit][device_fit]") {
  device_spec truth = perturbed_orin();
  truth.cuda_efficiency.value = 0.04;  // so slow that unpacking, not DRAM, binds
  const auto r = fit::fit_device(fit::synthesize_measurements(truth, 9, 0.01), devices::agx_orin_64gb);
  CHECK_THAT(r.profile.cuda_efficiency.value, WithinRel(0.04, 0.03));
  CHECK(r.profile.cuda_efficiency.src == source::calibrated);
  // With the catalog's 0.7 the same GEMV is memory-bound: reported as not identifiable.
  const auto r2 = fit::fit_device(fit::synthesize_measurements(perturbed_orin(), 9, 0.01), devices::agx_orin_64gb);
  CHECK(r2.profile.cuda_efficiency == devices::agx_orin_64gb.cuda_efficiency);
  CHECK(r2.measured_or_nan("dequant.cuda_efficiency_lower_bound") < 0.7);
  bool noted = false;
  for (const auto& n : r2.notes) noted = noted || n.find("cuda_efficiency not identifiable") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("Measurements in a lower power mode are referred to the reference clock", "[fit][device_fit]") {
  const device_spec truth = perturbed_orin();
  fit::synth_options o{};
  o.mode_index = 2;  // 30W: 612 MHz GPU clock
  const auto m = fit::synthesize_measurements(truth, 3, 0.01, o);
  CHECK(m.nvpmodel_q.find("30W") != std::string::npos);
  const auto r = fit::fit_device(m, devices::agx_orin_64gb);
  REQUIRE(r.mode_index == 2);
  CHECK_THAT(r.profile.launch_overhead_s.value, WithinRel(6e-6, 0.03));
  CHECK_THAT(r.profile.graph_node_overhead_s.value, WithinRel(2e-6, 0.03));
  CHECK_THAT(r.profile.l2_bytes_per_s.value, WithinRel(350e9, 0.03));
  CHECK_THAT(r.profile.tensor_efficiency.value, WithinRel(0.55, 0.03));
  CHECK_THAT(r.profile.modes[2].static_power_w.value, WithinRel(truth.modes[2].static_power_w.value, 0.03));
  CHECK(r.profile.modes[0].static_power_w == devices::agx_orin_64gb.modes[0].static_power_w);
}

TEST_CASE("Without a base the profile is built from the device properties", "[fit][device_fit]") {
  device_spec truth = devices::h100_sxm;
  truth.mem_efficiency.value = 0.85;
  truth.tensor_efficiency.value = 0.7;
  const auto m = round_trip(fit::synthesize_measurements(truth, 7, 0.01, quick_sweeps()), "h100");
  const auto r = fit::fit_device(m);
  const device_spec& p = r.profile;
  CHECK(p.kind == device_kind::discrete_gpu);
  CHECK(p.sm_count.value == truth.sm_count.value);
  CHECK(p.sm_count.src == source::calibrated);
  CHECK_THAT(std::string(p.sm_count.note.view()), Contains(m.run.id));
  CHECK(p.l2_bytes.value == truth.l2_bytes.value);
  CHECK_THAT(theoretical_bandwidth(p, p.emc_clock_hz.value),
             WithinRel(theoretical_bandwidth(truth, truth.emc_clock_hz.value), 1e-9));
  CHECK_THAT(p.mem_efficiency.value, WithinRel(0.85, 0.03));
  // No data-sheet rate: the per-clock rates are the sustained ones (efficiency 1, assumed).
  CHECK(p.tensor_efficiency.value == 1.0);
  CHECK(p.tensor_efficiency.src == source::assumed);
  CHECK_THAT(p.tensor_fp16_flops_per_clk.value, WithinRel(truth.tensor_fp16_flops_per_clk.value * 0.7, 0.03));
  CHECK_THAT(p.tensor_fp8_flops_per_clk.value, WithinRel(truth.tensor_fp8_flops_per_clk.value * 0.7, 0.03));
  CHECK_THAT(p.modes[0].static_power_w.value, WithinRel(truth.modes[0].static_power_w.value, 0.03));
  // It passes the profile reader's validation.
  const auto path = std::filesystem::temp_directory_path() / "edgeperf_device_fit_h100.json";
  io::save_device_profile(p, path);
  CHECK_NOTHROW(io::load_device_profile(path));
  std::filesystem::remove(path);
}

TEST_CASE("The tiny fixture loads, ignores unknown fields and fits what it has", "[fit][io][measurements]") {
  const auto m = io::load_measurements(fixtures + "tiny_valid.json");
  CHECK(m.run.id == "20250101T000000Z-tiny");
  CHECK(m.run.finished_utc.empty());  // null while running
  CHECK(m.benchmarks.size() == 6);
  CHECK(m.telemetry_end.empty());
  CHECK(m.skipped.size() == 1);
  CHECK(m.checks.front().passed);
  CHECK(m.power_rails.size() == 2);
  const auto r = fit::fit_device(m, devices::agx_orin_64gb);
  CHECK(r.profile.mem_efficiency.src == source::calibrated);
  CHECK_THAT(r.profile.launch_overhead_s.value, WithinRel((6.0e-3 - 6.1e-4) / 900, 1e-6));
  CHECK_THAT(r.profile.graph_node_overhead_s.value, WithinRel((2.004e-3 - 6e-6) / 999, 1e-6));
  CHECK_THAT(r.profile.modes[0].static_power_w.value, WithinRel(4.0, 1e-12));
  CHECK_THAT(r.profile.modes[0].module_static_power_w.value, WithinRel(7.0, 1e-12));
  // No GEMM rows: the tensor efficiency is the catalog's, and the report says so.
  CHECK(r.profile.tensor_efficiency == devices::agx_orin_64gb.tensor_efficiency);
  bool noted = false;
  for (const auto& n : r.notes) noted = noted || n.find("gemm: no cuBLASLt rows") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("Malformed measurement files name file, field and value", "[fit][io][measurements]") {
  struct bad {
    const char* file;
    const char* field;
    const char* message_part;
  };
  const bad cases[] = {
      {"bad_schema.json", "schema", "\"edgeperf.measurements/2\""},
      {"missing_run_id.json", "run.id", "missing"},
      {"bad_median.json", "benchmarks[1].time_s.median", "expected a number, got \"fast\""},
      {"zero_median.json", "benchmarks[2].time_s.median", "expected a time > 0 s, got 0"},
      {"bad_sm_count.json", "device.sm_count", "expected an integer > 0, got -4"},
      {"bad_tag.json", "benchmarks[0].tags.l2", "expected a string, got 1"},
      {"bad_rail_power.json", "power.phases[0].rails[1].power_w", "got 7.0"},
      {"truncated.json", "", "invalid JSON"},
      {"does_not_exist.json", "", "cannot open"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    try {
      (void)io::load_measurements(fixtures + c.file);
      FAIL("no error for " << c.file);
    } catch (const io::io_error& e) {
      CHECK_THAT(e.file(), Contains(c.file));
      CHECK(e.field() == c.field);
      CHECK_THAT(e.message(), Contains(c.message_part));
      CHECK_THAT(std::string(e.what()), Contains(c.file));
    }
  }
}
