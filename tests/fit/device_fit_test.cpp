// The device fit from calibration measurements (fit/device_fit.hpp) and the
// measurements JSON reader (io/measurements_json.hpp): known profiles are
// turned into synthetic measurements with the library's own model plus noise
// (tests/support/synthetic_measurements.hpp), written to JSON and read back,
// and the fit must recover every parameter it reports within 3 %; malformed
// files give errors naming file, field and value.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "../support/synthetic_measurements.hpp"

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
  t.pj_per_flop_tensor.value = 0.9;
  t.pj_per_byte_dram.value = 35;
  t.modes[0].static_power_w.value = 4.2;
  t.modes[0].module_static_power_w.value = 7.5;
  return t;
}

testing::synth_options quick_sweeps() {
  testing::synth_options o{};
  o.quick = true;
  return o;
}

using testing::synthesize_measurements;

const fit::fitted_parameter* parameter(const fit::device_fit_result& r, const std::string& name) {
  for (const auto& p : r.parameters)
    if (p.name == name) return &p;
  return nullptr;
}


TEST_CASE("Synthetic measurements survive a JSON round trip", "[fit][io][measurements]") {
  const auto m = synthesize_measurements(perturbed_orin(), 1, 0.01, quick_sweeps());
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

/// Truth of every parameter the fit can report for `truth` synthesized with `o`.
std::map<std::string, double> truth_table(const device_spec& truth, const testing::synth_options& o, int mode) {
  const std::string mf = "modes[" + std::to_string(mode) + "].";
  std::map<std::string, double> t = {
      {"mem_efficiency", truth.mem_efficiency.value},
      {"tensor_efficiency", truth.tensor_efficiency.value},
      {"mem_latency_s", truth.mem_latency_s.value},
      {"launch_overhead_s", truth.launch_overhead_s.value},
      {"graph_node_overhead_s", truth.graph_node_overhead_s.value},
      {"l2_bytes_per_s", truth.l2_bytes_per_s.value},
      {"cuda_efficiency", truth.cuda_efficiency.value},
      {"pj_per_flop_tensor", truth.pj_per_flop_tensor.value},
      {"pj_per_byte_dram", truth.pj_per_byte_dram.value},
      {mf + "static_power_w", truth.modes[static_cast<std::size_t>(mode)].static_power_w.value},
      {mf + "module_static_power_w", truth.modes[static_cast<std::size_t>(mode)].module_static_power_w.value},
      {"gemm.wmma.kernel_efficiency", o.wmma_kernel_efficiency},
      {"dequant.w4a16_gemv.memory_fraction", 1.0},
  };
  // Tile efficiencies are relative to the reference tile (the one used most at large M).
  for (int i = 0; i < o.cublas.tile_count; ++i) {
    const gemm_tile& g = o.cublas.tiles[static_cast<std::size_t>(i)];
    t["gemm.tile." + std::to_string(g.m) + "x" + std::to_string(g.n) +
      (g.ctas_per_sm > 1 ? "x" + std::to_string(g.ctas_per_sm) + "cta" : "") + ".efficiency"] = g.efficiency;
  }
  return t;
}

/// Every parameter the fit reports is within `tol` of its truth (tile
/// efficiencies relative to the reference tile's); prints the errors with
/// EDGEPERF_PRINT_RECOVERY=1. Returns how many were compared.
int check_recovery(const fit::device_fit_result& r, const std::map<std::string, double>& truth, double ref_tile_eff,
                   double tol) {
  const bool print = std::getenv("EDGEPERF_PRINT_RECOVERY") != nullptr;
  int n = 0;
  for (const auto& p : r.parameters) {
    const auto it = truth.find(p.name);
    CAPTURE(p.name, p.value, p.sigma, p.from);
    REQUIRE(it != truth.end());  // the test knows the truth of everything the fit reports
    const double want = p.name.rfind("gemm.tile.", 0) == 0 ? it->second / ref_tile_eff : it->second;
    const double err = (p.value - want) / want;
    if (print) std::printf("  %-34s truth %-11.5g fitted %-11.5g sigma %-10.3g error %+.3f %%\n", p.name.c_str(), want,
                           p.value, p.sigma, 100 * err);
    CHECK_THAT(p.value, WithinRel(want, tol));
    CHECK(p.sigma >= 0);
    CHECK(std::isfinite(p.sigma));
    ++n;
  }
  if (print)
    for (const auto& note : r.notes) std::printf("  note: %s\n", note.c_str());
  return n;
}

}  // namespace

TEST_CASE("Fit recovers every parameter of a perturbed AGX Orin from noisy synthetic measurements", "[fit][device_fit]") {
  const device_spec truth = perturbed_orin();
  const double noise = 0.015;  // 1.5 % log-normal per measurement
  testing::synth_options o{};
  o.cublas.tiles[2].efficiency = 0.85;  // 128x64
  const auto m = round_trip(synthesize_measurements(truth, 42, noise, o), "orin");
  REQUIRE(m.schema == fit::measurements_schema);
  const auto r = fit::fit_device(m, devices::agx_orin_64gb);
  CHECK(r.mode_index == 0);
  CHECK(r.schema_version == 2);

  // Profile fields: calibrated, cited, within 3 %.
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
      {"pj_per_flop_tensor", 0.9, &r.profile.pj_per_flop_tensor},
      {"pj_per_byte_dram", 35, &r.profile.pj_per_byte_dram},
      {"modes[0].static_power_w", 4.2, &r.profile.modes[0].static_power_w},
      {"modes[0].module_static_power_w", 7.5, &r.profile.modes[0].module_static_power_w},
  };
  for (const auto& e : table) {
    CAPTURE(e.name, e.truth, e.fitted->value);
    CHECK_THAT(e.fitted->value, WithinRel(e.truth, 0.03));
    CHECK(e.fitted->src == source::calibrated);
    CHECK(e.fitted->note.view() == "calibrated: run " + m.run.id);
    REQUIRE(parameter(r, e.name) != nullptr);
    CHECK(parameter(r, e.name)->profile_field);
    CHECK(parameter(r, e.name)->sigma > 0);
    CHECK(parameter(r, e.name)->sigma < 0.05 * e.truth);  // the fit's own σ agrees it is identified
  }
  // Every reported parameter (profile fields, tile and kernel figures) within 3 %.
  const double ref_eff = [&] {
    for (int i = 0; i < o.cublas.tile_count; ++i) {
      const auto& g = o.cublas.tiles[static_cast<std::size_t>(i)];
      if (g.m == r.measured_or_nan("gemm.fp16.reference_tile_m") && g.n == r.measured_or_nan("gemm.fp16.reference_tile_n"))
        return g.efficiency;
    }
    return 1.0;
  }();
  CHECK(check_recovery(r, truth_table(truth, o, 0), ref_eff, 0.03) >= 13);
  // The tiles seen at compute-bound M are identified; the list is a runtime's tiles.
  CHECK(r.parameter("gemm.tile.128x64.efficiency") != nullptr);
  CHECK(r.parameter("gemm.wmma.kernel_efficiency") != nullptr);
  CHECK(r.cublas_tiles.size() >= 2);
  // Not fitted: the catalog's per-clock rates stay, other dtypes report their efficiency.
  CHECK(r.profile.tensor_fp16_flops_per_clk == devices::agx_orin_64gb.tensor_fp16_flops_per_clk);
  CHECK(r.profile.cuda_efficiency == devices::agx_orin_64gb.cuda_efficiency);
  CHECK_THAT(r.measured_or_nan("gemm.bf16.implied_efficiency"), WithinRel(0.55, 0.03));
  CHECK_THAT(r.measured_or_nan("gemm.int8.implied_efficiency"), WithinRel(0.55, 0.03));
  CHECK_THAT(r.measured_or_nan("launch.sync_round_trip_s"), WithinRel(25e-6, 0.03));
  CHECK_THAT(r.measured_or_nan("launch.host_issue_s_per_launch"), WithinRel(o.host_issue_s, 0.03));
  CHECK_THAT(r.measured_or_nan("launch.host_graph_launch_s"), WithinRel(o.host_graph_launch_s, 0.03));
  CHECK_THAT(r.measured_or_nan("launch.graph.launch_s"), WithinRel(4e-6, 0.15));
  CHECK_THAT(r.measured_or_nan("memory.l2_knee_bytes"), WithinRel(truth.l2_bytes.value, 0.5));
  // W4A16 reads ~3.6x fewer bytes than fp16 and is memory-bound on this profile.
  CHECK_THAT(r.measured_or_nan("dequant.w4a16_over_f16_time"), WithinRel(0.28, 0.05));

  SECTION("residual report: every benchmark reproduced, R² close to 1") {
    REQUIRE(r.residuals.size() >= 14);
    for (const auto& x : r.residuals) {
      CAPTURE(x.name, x.n, x.r2, x.worst_rel_error, x.worst_case);
      CHECK(x.n >= 2);
      CHECK(x.r2 > 0.99);
      CHECK(x.mape < 2.5 * noise);
      CHECK(std::fabs(x.worst_rel_error) < 6 * noise);
      CHECK_FALSE(x.worst_case.empty());
    }
    REQUIRE(r.residuals_of("memory/read/flushed") != nullptr);
    CHECK(r.residuals_of("memory/read/flushed")->fitted);
    CHECK_FALSE(r.residuals_of("memory/triad/flushed")->fitted);
    REQUIRE(r.residuals_of("gemm/cublaslt/fp16 (M >= 1024)") != nullptr);
    REQUIRE(r.residuals_of("gemm/wmma_128x128x32 staircase (all M)") != nullptr);
    CHECK(r.residuals_of("launch/queued") != nullptr);
    CHECK(r.residuals_of("launch/graph_queued") != nullptr);
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

TEST_CASE("Fit recovers every parameter of a perturbed H100 from its catalog base", "[fit][device_fit]") {
  device_spec truth = devices::h100_sxm;
  truth.mem_efficiency.value = 0.86;
  truth.tensor_efficiency.value = 0.68;
  truth.launch_overhead_s.value = 2.2e-6;
  truth.graph_node_overhead_s.value = 0.9e-6;
  truth.mem_latency_s.value = 4e-6;
  truth.pj_per_flop_tensor.value = 0.35;
  truth.pj_per_byte_dram.value = 12;
  testing::synth_options o{};
  o.wmma_blocks_per_sm = 1;
  o.wmma_kernel_efficiency = 0.45;
  const auto r = fit::fit_device(round_trip(synthesize_measurements(truth, 17, 0.015, o), "h100-full"), devices::h100_sxm);
  const double ref_eff = [&] {
    for (int i = 0; i < o.cublas.tile_count; ++i) {
      const auto& g = o.cublas.tiles[static_cast<std::size_t>(i)];
      if (g.m == r.measured_or_nan("gemm.fp16.reference_tile_m") && g.n == r.measured_or_nan("gemm.fp16.reference_tile_n"))
        return g.efficiency;
    }
    return 1.0;
  }();
  CHECK(check_recovery(r, truth_table(truth, o, 0), ref_eff, 0.03) >= 12);
  CHECK(r.parameter("pj_per_byte_dram") != nullptr);
  CHECK(r.parameter("tensor_efficiency") != nullptr);
}

TEST_CASE("NVML's energy counter, not its 1 s averaged power, gives a phase's power", "[fit][device_fit]") {
  device_spec truth = devices::h100_sxm;
  truth.pj_per_flop_tensor.value = 0.35;
  truth.pj_per_byte_dram.value = 12;
  auto m = synthesize_measurements(truth, 23, 0.01, quick_sweeps());
  for (auto& ph : m.power_phases)
    for (auto& rail : ph.rails) {
      rail.source = "nvml:nvmlDeviceGetPowerUsage; energy:nvmlDeviceGetTotalEnergyConsumption";
      rail.power_w.median *= 1.15;  // the moving average still rising from the previous phase
    }
  const auto r = fit::fit_device(m, devices::h100_sxm);
  CHECK_THAT(r.profile.modes[0].static_power_w.value, WithinRel(truth.modes[0].static_power_w.value, 0.03));
  CHECK_THAT(r.profile.pj_per_byte_dram.value, WithinRel(12, 0.03));
  // Without the counter the biased medians are what is left.
  for (auto& ph : m.power_phases)
    for (auto& rail : ph.rails) rail.source = "nvml:nvmlDeviceGetPowerUsage";
  CHECK(fit::fit_device(m, devices::h100_sxm).profile.modes[0].static_power_w.value >
        1.1 * truth.modes[0].static_power_w.value);
}

TEST_CASE("Schema 1 files still fit, with notes on what they lack", "[fit][io][measurements]") {
  auto m = synthesize_measurements(perturbed_orin(), 31, 0.01, quick_sweeps());
  // What a version 1 suite wrote: plain launches, STREAM kernels only, no tiles.
  m.schema = fit::measurements_schema_v1;
  std::vector<fit::benchmark_record> v1;
  for (auto r : m.benchmarks) {
    if (r.bench == "memory" && (r.name == "read" || r.name == "write")) continue;
    if (r.bench == "launch" && r.name == "queued") r.name = "plain";
    if (r.bench == "launch" && r.name == "graph_queued") r.name = "graph";
    if (r.bench == "launch" && (r.name == "host_issue" || r.name == "host_graph")) continue;
    if (r.bench == "gemm") r.params.erase("tile_m"), r.params.erase("tile_n"), r.params.erase("ctas_per_sm");
    v1.push_back(r);
  }
  m.benchmarks = v1;
  const auto back = round_trip(m, "schema1");
  CHECK(back.schema == fit::measurements_schema_v1);
  const auto r = fit::fit_device(back, devices::agx_orin_64gb);
  CHECK(r.schema_version == 1);
  CHECK(r.profile.mem_efficiency.src == source::calibrated);
  CHECK(r.profile.launch_overhead_s.src == source::calibrated);
  for (const char* what : {"no read-only sweep", "no blocking-kernel launches", "carry no tile", "schema 1 w4a16_gemv"}) {
    bool noted = false;
    for (const auto& n : r.notes) noted = noted || n.find(what) != std::string::npos;
    CAPTURE(what);
    CHECK(noted);
  }
}

TEST_CASE("A throttled record is left out of the fit and said to be", "[fit][device_fit]") {
  auto m = synthesize_measurements(perturbed_orin(), 11, 0.01, quick_sweeps());
  int throttled = 0;
  for (auto& r : m.benchmarks)
    if (r.bench == "memory" && r.name == "read" && r.tag("l2") == "flushed" && r.param("size_bytes") > 1e8) {
      r.clocks.throttled_samples = 3;
      r.clocks.throttle_mask = 4;   // power cap
      r.time_s.median *= 1.5;       // what a power-capped run looks like
      ++throttled;
    }
  REQUIRE(throttled > 0);
  const auto r = fit::fit_device(m, devices::agx_orin_64gb);
  CHECK_THAT(r.profile.mem_efficiency.value, WithinRel(0.8, 0.03));
  bool noted = false;
  for (const auto& n : r.notes) noted = noted || n.find("throttle") != std::string::npos;
  CHECK(noted);
  fit::device_fit_options keep{};
  keep.keep_throttled = true;
  CHECK(fit::fit_device(m, devices::agx_orin_64gb, keep).profile.mem_efficiency.value < 0.75);
}

TEST_CASE("A base far from the truth still converges", "[fit][device_fit]") {
  device_spec start = devices::agx_orin_64gb;
  start.mem_efficiency.value = 0.3;
  start.tensor_efficiency.value = 0.95;
  start.mem_latency_s.value = 20e-6;
  const auto r = fit::fit_device(synthesize_measurements(perturbed_orin(), 5, 0.01), start);
  CHECK_THAT(r.profile.mem_efficiency.value, WithinRel(0.8, 0.03));
  CHECK_THAT(r.profile.tensor_efficiency.value, WithinRel(0.55, 0.03));
  CHECK_THAT(r.profile.mem_latency_s.value, WithinRel(3e-6, 0.03));
}

TEST_CASE("A dequant-bound W4A16 GEMV fixes cuda_efficiency", "[fit][device_fit]") {
  device_spec truth = perturbed_orin();
  truth.cuda_efficiency.value = 0.02;  // so slow that unpacking, not DRAM, binds the production GEMV
  const auto r = fit::fit_device(synthesize_measurements(truth, 9, 0.01), devices::agx_orin_64gb);
  CHECK_THAT(r.profile.cuda_efficiency.value, WithinRel(0.02, 0.03));
  CHECK(r.profile.cuda_efficiency.src == source::calibrated);
  REQUIRE(r.parameter("cuda_efficiency") != nullptr);
  CHECK_THAT(r.parameter("cuda_efficiency")->from, Contains("production"));
  // The naive kernel (2 ops per weight) only reports what it would imply: the same device efficiency.
  CHECK_THAT(r.measured_or_nan("dequant.naive.implied_cuda_efficiency"), WithinRel(0.02, 0.03));
  // With the catalog's 0.7 the same GEMV is memory-bound: reported as not identifiable.
  const auto r2 = fit::fit_device(synthesize_measurements(perturbed_orin(), 9, 0.01), devices::agx_orin_64gb);
  CHECK(r2.profile.cuda_efficiency == devices::agx_orin_64gb.cuda_efficiency);
  CHECK(r2.measured_or_nan("dequant.cuda_efficiency_lower_bound") < 0.7);
  bool noted = false;
  for (const auto& n : r2.notes) noted = noted || n.find("cuda_efficiency not identifiable") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("Measurements in a lower power mode are referred to the reference clock", "[fit][device_fit]") {
  const device_spec truth = perturbed_orin();
  testing::synth_options o{};
  o.mode_index = 2;  // 30W: 612 MHz GPU clock
  const auto m = synthesize_measurements(truth, 3, 0.01, o);
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
  const auto m = round_trip(synthesize_measurements(truth, 7, 0.01, quick_sweeps()), "h100");
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

TEST_CASE("A schema 2 fixture: clocks, batch, spread, sampling settings, blocking-kernel launches", "[fit][io][measurements]") {
  const auto m = io::load_measurements(fixtures + "tiny_v2.json");
  CHECK(fit::measurements_schema_version(m.schema) == 2);
  REQUIRE(m.benchmarks.size() == 9);
  CHECK(m.benchmarks[0].clocks.source == "devfreq");
  CHECK(m.benchmarks[0].clocks.sm_hz_min == 1300500000);
  CHECK(m.benchmarks[0].clocks.readings == 120);
  CHECK(m.benchmarks[0].time_s.iqr == 4e-7);
  CHECK(m.benchmarks[0].time_s.mad == 2e-7);
  CHECK(m.benchmarks[2].batch == 17);
  CHECK(m.benchmarks[2].clocks.source == "none");
  CHECK(m.benchmarks[3].batch == 1);
  CHECK_FALSE(m.benchmarks[0].throttled());
  CHECK(m.clocks_pinned);
  CHECK_THAT(m.jetson_clocks, Contains("MaxFreq"));
  CHECK(m.power_sampling.at("ina3221.hwmon1.samples") == 4);
  CHECK(m.power_sampling.size() == 3);
  const auto r = fit::fit_device(m, devices::agx_orin_64gb);
  // The device-side gap is the slope of the queued launches, exactly.
  CHECK_THAT(r.profile.launch_overhead_s.value, WithinRel((1.602e-3 - 4.2e-5) / 390, 1e-9));
  CHECK_THAT(r.profile.graph_node_overhead_s.value, WithinRel((1.506e-3 - 6e-6) / 999, 1e-9));
  CHECK_THAT(r.measured_or_nan("launch.host_issue_s_per_launch"), WithinRel(4.5e-6, 1e-12));
  CHECK_THAT(r.measured_or_nan("launch.host_graph_launch_s"), WithinRel(3e-6, 1e-12));
  // Bandwidth from the read-only sweep, each kernel's gap taken off first.
  REQUIRE(r.parameter("mem_efficiency") != nullptr);
  CHECK_THAT(r.parameter("mem_efficiency")->from, Contains("read-only"));
  const double bw = (1073741824.0 - 65536.0) / ((0.0066 - 4e-6) - (1.2e-5 - 4e-6));
  CHECK_THAT(r.measured_or_nan("memory.dram_bytes_per_s"), WithinRel(bw, 1e-6));
  CHECK_THAT(r.profile.modes[0].static_power_w.value, WithinRel(4.0, 1e-12));
  // σ of the idle power from the IQR: 1.2533 (0.1 / 1.349) / √200.
  CHECK_THAT(r.parameter("modes[0].static_power_w")->sigma, WithinRel(1.2533 * 0.1 / 1.349 / std::sqrt(200.0), 1e-9));
  bool noted = false;
  for (const auto& n : r.notes) noted = noted || n.find("schema 1") != std::string::npos;
  CHECK_FALSE(noted);
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
      {"bad_batch.json", "benchmarks[0].batch", "expected a count >= 1 of configurations per event pair, got 0"},
      {"bad_clocks.json", "benchmarks[1].clocks.throttled_samples", "expected a count >= 0, got -2"},
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
