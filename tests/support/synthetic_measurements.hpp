#pragma once
/// @file
/// Synthetic calibration measurements for the device-fit tests: what the
/// suite (calibration/src, schema `edgeperf.measurements/2`) would write on a
/// device that behaves exactly like a known profile under the library's own
/// model, plus log-normal noise. Test support only: the library never
/// fabricates measurements.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/cost/op_cost.hpp"
#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/fit/device_fit.hpp"
#include "edgeperf/fit/measurements.hpp"

namespace edgeperf::testing {

/// Options of `synthesize_measurements`: the figures the profile does not hold.
struct synth_options {
  int mode_index{0};                     ///< power mode of `truth` the run is in
  bool quick{false};                     ///< the suite's --quick sweeps
  double wmma_kernel_efficiency{0.6};    ///< the WMMA kernel relative to the device's tensor rate
  int wmma_blocks_per_sm{2};             ///< resident CTAs of the WMMA kernel (occupancy API)
  /// cuBLASLt's tiles (our M × N) with their true efficiencies; the model's
  /// heuristic picks among them and the record says which it picked.
  runtime_spec cublas = fit::cublas_like_runtime();
  double graph_launch_s{4e-6};           ///< device-side cost of one graph launch
  double queue_intercept_s{2e-6};        ///< event overhead of a queued-launch sample
  double host_issue_s{3.5e-6};           ///< host CPU time per launch call
  double host_graph_launch_s{2.5e-6};    ///< host CPU time per graph launch
  double sync_round_trip_s{25e-6};       ///< launch + cudaDeviceSynchronize round trip
  double prod_dequant_ops_per_weight{1.0};   ///< the production W4A16 GEMV (half2 unpack)
  double naive_dequant_ops_per_weight{2.0};  ///< the naive one (extract + convert per weight, as the suite declares)
  double power_duration_s{4.0};          ///< length of each power phase
  /// Log-normal noise of a rail's median power (the median of ~400 samples
  /// moves far less than one sample or one timed configuration); < 0: `noise_sigma` / 4.
  double power_noise_sigma{-1};
  double compute_bytes_per_flop{3.0 / 8192.0};  ///< DRAM bytes the power GEMM moves per FLOP (8192³ fp16)
};

/// Measurements the suite would produce on a device that behaves exactly like
/// `truth` (memory_time, gemm_cost, launch gaps, static power + energy per
/// FLOP/byte), each time multiplied by exp(noise_sigma · N(0, 1)) from a
/// generator seeded with `seed`. Same benchmarks, sizes, shapes and M values
/// as calibration/src (full or quick). Every timed kernel carries the
/// device-side gap in front of it, as the blocking-kernel timer sees it.
[[nodiscard]] inline fit::measurements synthesize_measurements(const device_spec& truth, std::uint64_t seed,
                                                              double noise_sigma, const synth_options& o = {}) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto noisy = [&](double t) { return t * std::exp(noise_sigma * normal(rng)); };
  const auto s = resolve<double>(truth, o.mode_index);
  const power_mode& pm = truth.modes[static_cast<std::size_t>(o.mode_index)];
  fit::measurements m{};
  m.run.id = "synthetic-" + std::string(truth.id.view()) + "-" + std::to_string(seed);
  m.run.hostname = "synthetic";
  m.run.suite_version = "synthetic";
  m.run.quick = o.quick;
  m.run.command_line = "synthesize_measurements";
  fit::device_properties& p = m.device;
  p.name = std::string(truth.id.view());
  p.integrated = truth.kind == device_kind::jetson;
  p.cc_major = p.integrated ? 8 : 9;
  p.cc_minor = p.integrated ? 7 : 0;
  p.sm_count = static_cast<int>(s.sms + 0.5);
  p.total_memory_bytes = truth.memory_bytes.value;
  p.free_memory_bytes = truth.memory_bytes.value - truth.reserved_bytes.value;
  p.l2_bytes = truth.l2_bytes.value;
  p.memory_bus_bits = truth.mem_bus_bits.value;
  p.clock_hz = s.gpu_clock_hz;
  const double emc = pm.emc_clock_hz.value > 0 ? pm.emc_clock_hz.value : truth.emc_clock_hz.value;
  p.memory_clock_hz = theoretical_bandwidth(truth, emc) / (2.0 * truth.mem_bus_bits.value / 8.0);
  if (p.integrated) {
    m.nvpmodel_present = true;
    m.nvpmodel_q = "NV Power Mode: " + std::string(pm.name.view()) + "\n" + std::to_string(o.mode_index) + "\n";
    m.jetson_clocks = "GPU MinFreq=" + std::to_string(s.gpu_clock_hz) + " MaxFreq=" + std::to_string(s.gpu_clock_hz);
    m.clocks_pinned = true;
    m.power_sampling = {{"ina3221.update_interval_ms", 1}, {"ina3221.samples", 1}, {"sampler.period_s", 0.01}};
  } else {
    m.power_sampling = {{"sampler.period_s", 0.02}, {"nvml.power_average_window_s", 1.0}};
  }
  m.telemetry_start["cpu.online_cores"] = pm.cpu_cores.value > 0 ? pm.cpu_cores.value : truth.cpu_cores.value;
  m.telemetry_start["cpu0.max_freq_hz"] = pm.cpu_clock_hz.value > 0 ? pm.cpu_clock_hz.value : truth.cpu_clock_hz.value;
  const auto spread = [](double med) {
    fit::sample_spread t{med, med * 0.99, med * 1.03, med * 0.995, med * 1.01, med * 1.002, 20, true};
    t.iqr = med * 0.008;
    t.mad = med * 0.004;
    return t;
  };
  const auto clocks = [&] {
    fit::sample_clocks c{};
    c.source = p.integrated ? "devfreq" : "nvml";
    c.sm_hz_min = c.sm_hz_max = s.gpu_clock_hz;
    c.mem_hz_min = c.mem_hz_max = emc;
    c.readings = 20;
    return c;
  }();
  // One timed configuration: `t` is the model's time; the gap of each kernel is added.
  const auto record = [&](const char* bench, std::string name, double t, double units, bool kernels = true) {
    fit::benchmark_record r{};
    r.bench = bench;
    r.name = std::move(name);
    r.units_per_sample = units;
    r.time_s = spread(noisy(t + (kernels ? units * s.launch_s : 0.0)));
    r.batch = t < 50e-6 ? static_cast<int>(std::ceil(50e-6 / t)) : 1;
    r.clocks = clocks;
    return r;
  };

  // Memory: 64 KiB up by √2 (quick: 2) to 1 GiB; warm where traffic ≤ 2 × L2.
  const double step = o.quick ? 2.0 : std::sqrt(2.0);
  const char* names[] = {"read", "write", "copy", "scale", "triad"};
  const double traffic[] = {1, 1, 2, 2, 3};
  for (double size = 65536.0; size <= 1073741824.0 * 1.0001; size *= step) {
    const double sz = std::floor((size + 4095.0) / 4096.0) * 4096.0;
    for (int op = 0; op < 5; ++op) {
      const double bytes = sz * traffic[op];
      for (int warm = 0; warm < (bytes <= 2.0 * truth.l2_bytes.value ? 2 : 1); ++warm) {
        const double t = warm ? edgeperf::detail::memory_time(s, 0.0, bytes) : edgeperf::detail::memory_time(s, bytes, 0.0);
        auto r = record("memory", names[op], t, 1);
        r.params = {{"size_bytes", sz}};
        r.tags = {{"l2", warm ? "warm" : "flushed"}, {"dtype", "f32x4"}};
        r.bytes = bytes;
        r.flops = op < 3 ? 0.0 : sz / 4 * (op == 3 ? 1.0 : 2.0);
        m.benchmarks.push_back(std::move(r));
      }
    }
  }

  // GEMM: the suite's (N, K) shapes and M values, per dtype the truth supports.
  struct shape { const char* model; const char* layer; int n, k; };
  std::vector<shape> shapes = {{"llama-8b", "o_proj", 4096, 4096},       {"llama-8b", "qkv_proj", 6144, 4096},
                               {"llama-8b", "gate_up_proj", 28672, 4096}, {"llama-8b", "down_proj", 4096, 14336},
                               {"qwen-1.5b", "qkv_proj", 2048, 1536},     {"qwen-1.5b", "gate_up_proj", 17920, 1536},
                               {"qwen-1.5b", "down_proj", 1536, 8960}};
  if (o.quick) shapes = {shapes[0], shapes[2], shapes[6]};
  std::vector<int> ms;
  if (o.quick) {
    ms = {1, 16, 64, 128, 144, 256, 512, 1024, 2048, 4096, 8192};
  } else {
    ms.push_back(1);
    for (int v = 16; v <= 512; v += 16) ms.push_back(v);
    for (int v = 576; v <= 1024; v += 64) ms.push_back(v);
    for (int v = 1152; v <= 2048; v += 128) ms.push_back(v);
    for (int v = 2304; v <= 4096; v += 256) ms.push_back(v);
    for (int v = 4608; v <= 8192; v += 512) ms.push_back(v);
  }
  const runtime_spec wmma = fit::fixed_tile_runtime(128, 128, o.wmma_kernel_efficiency, o.wmma_blocks_per_sm);
  const auto gemm_record = [&](const char* name, const fit::detail::gemm_dtype_info& dt, const shape& sh, int mv,
                               const runtime_spec& rt) {
    fit::benchmark_record r{};
    r.params = {{"m", mv}, {"n", sh.n}, {"k", sh.k}};
    r.flops = 2.0 * mv * static_cast<double>(sh.n) * sh.k;
    r.bytes = dt.ab_bytes * (static_cast<double>(sh.n) * sh.k + static_cast<double>(mv) * sh.k) +
              dt.cd_bytes * static_cast<double>(mv) * sh.n;
    const auto c = gemm_cost(fit::detail::gemm_op(r, dt), s, rt);
    fit::benchmark_record out = record("gemm", name, c.time_s, 1);
    out.params = r.params;
    out.flops = r.flops;
    out.bytes = r.bytes;
    out.tags = {{"dtype", dt.tag}, {"library", rt.tile_count == 1 ? "own" : "cublasLt"}, {"model", sh.model}, {"layer", sh.layer}};
    if (rt.tile_count > 1) {  // cuBLASLt: the heuristic's tile, as the suite records it
      out.params["tile_m"] = c.tile.m;
      out.params["tile_n"] = c.tile.n;
      out.params["ctas_per_sm"] = c.tile.ctas_per_sm;
    }
    return out;
  };
  for (const auto& dt : fit::detail::gemm_dtypes) {
    if (!((truth.*dt.rate).value > 0)) continue;
    for (const auto& sh : shapes)
      for (const int mv : ms) m.benchmarks.push_back(gemm_record("cublaslt", dt, sh, mv, o.cublas));
  }
  for (const auto& sh : shapes)
    for (const int mv : ms) {
      auto r = gemm_record("wmma_128x128x32", fit::detail::gemm_dtypes[0], sh, mv, wmma);
      r.params["tile_m"] = 128;
      r.params["tile_n"] = 128;
      r.params["tile_k"] = 32;
      r.params["blocks_per_sm"] = o.wmma_blocks_per_sm;
      m.benchmarks.push_back(std::move(r));
    }

  // Launch: queued behind a blocking kernel (device side), host issue, sync, graphs.
  for (const int n : {10, 100, 1000}) {
    auto r = record("launch", "queued", o.queue_intercept_s + n * s.launch_s, n, false);
    r.params = {{"launches", n}};
    r.tags = {{"kernel", "empty"}, {"timer", "cuda events, blocking kernel"}};
    m.benchmarks.push_back(std::move(r));
    auto h = record("launch", "host_issue", n * o.host_issue_s, n, false);
    h.params = {{"launches", n}};
    h.tags = {{"kernel", "empty"}, {"timer", "host steady_clock"}};
    m.benchmarks.push_back(std::move(h));
  }
  {
    auto r = record("launch", "sync", 200 * o.sync_round_trip_s, 200, false);
    r.params = {{"launches", 200}};
    m.benchmarks.push_back(std::move(r));
  }
  for (const int n : o.quick ? std::vector<int>{1, 100, 1000} : std::vector<int>{1, 10, 100, 300, 1000}) {
    auto r = record("launch", "graph_queued", o.graph_launch_s + n * s.graph_node_s, n, false);
    r.params = {{"nodes", n}};
    m.benchmarks.push_back(std::move(r));
    auto h = record("launch", "host_graph", o.host_graph_launch_s, 1, false);
    h.params = {{"nodes", n}};
    m.benchmarks.push_back(std::move(h));
  }

  // Dequant GEMV: production and naive W4A16 (group 128) and fp16, batch 1, the GEMM shapes.
  const runtime_spec gemv = fit::gemv_runtime();
  for (const auto& sh : shapes)
    for (const int variant : {0, 1, 2}) {
      const bool w4 = variant < 2;
      const double nk = static_cast<double>(sh.n) * sh.k;
      fit::benchmark_record r{};
      r.params = {{"m", 1}, {"n", sh.n}, {"k", sh.k}, {"group_size", w4 ? 128 : 0}};
      r.flops = 2.0 * nk;
      r.bytes = w4 ? nk / 2.0 + 4.0 * nk / 128.0 + 2.0 * sh.k + 2.0 * sh.n : 2.0 * nk + 2.0 * sh.k + 2.0 * sh.n;
      if (w4) r.extra = {{"dequant_ops", (variant == 0 ? o.prod_dequant_ops_per_weight : o.naive_dequant_ops_per_weight) * nk}};
      const double t = gemm_cost(fit::detail::gemv_op(r, w4), s, gemv).time_s;
      fit::benchmark_record out = record("dequant", variant == 0 ? "w4a16_gemv" : variant == 1 ? "w4a16_gemv_naive" : "f16_gemv", t, 1);
      out.params = r.params;
      out.flops = r.flops;
      out.bytes = r.bytes;
      out.extra = r.extra;
      out.tags = {{"model", sh.model}, {"layer", sh.layer}};
      m.benchmarks.push_back(std::move(out));
    }

  // Power: static power + dynamic energy of the load (pJ per FLOP / byte).
  const auto accel = fit::detail::split_rails(truth.accel_rail.view());
  const auto module = fit::detail::split_rails(truth.module_rail.view());
  for (const char* name : {"idle", "compute", "memory"}) {
    fit::power_phase ph{};
    ph.name = name;
    ph.duration_s = o.power_duration_s;
    double dyn = 0;
    if (std::string(name) == "compute") {
      const double rate = s.tensor_fp16_sm * s.sms;
      ph.flops = rate * ph.duration_s;
      ph.bytes = ph.flops * o.compute_bytes_per_flop;
      dyn = (truth.pj_per_flop_tensor.value * ph.flops + truth.pj_per_byte_dram.value * ph.bytes) * 1e-12 / ph.duration_s;
    } else if (std::string(name) == "memory") {
      ph.bytes = s.dram_bytes_per_s * ph.duration_s;
      dyn = truth.pj_per_byte_dram.value * 1e-12 * s.dram_bytes_per_s;
    }
    ph.busy_s = std::string(name) == "idle" ? 0 : ph.duration_s;
    ph.sample_period_s = p.integrated ? 0.01 : 0.02;
    const auto add = [&](const std::string& rail, double w) {
      for (auto& r : ph.rails)
        if (r.rail == rail) return;
      const double psig = o.power_noise_sigma >= 0 ? o.power_noise_sigma : noise_sigma / 4;
      const double med = w * std::exp(psig * normal(rng));
      fit::sample_spread sp{med, med * 0.97, med * 1.05, med * 0.98, med * 1.02, med, 400, false};
      // A spread consistent with the noise of the median: σ_sample = psig · √400 / 1.2533.
      sp.iqr = med * psig * 20.0 / 1.2533 * 1.349;
      sp.mad = sp.iqr / 2;
      ph.rails.push_back({rail, p.integrated ? "hwmon" : "nvml", sp, med * ph.duration_s});
    };
    const double a = pm.static_power_w.value + dyn;
    for (const auto& r : accel) add(r, a / static_cast<double>(accel.size()));
    for (const auto& r : module) add(r, pm.module_static_power_w.value + dyn);
    m.power_phases.push_back(std::move(ph));
  }
  for (const auto& r : accel) m.power_rails.push_back(r);
  for (const auto& r : module)
    if (std::find(m.power_rails.begin(), m.power_rails.end(), r) == m.power_rails.end()) m.power_rails.push_back(r);
  m.nvml_power = !p.integrated;
  return m;
}

}  // namespace edgeperf::testing
