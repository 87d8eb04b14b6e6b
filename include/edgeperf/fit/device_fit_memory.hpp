#pragma once
/// @file
/// Memory part of the device fit: DRAM bandwidth and latency from the
/// read-only sweep with the cache flushed, L2 bandwidth from the warm sweep.
///
/// The read-only kernel is what decode does (weights and KV stream in, little
/// goes out), so it, not copy or triad, sets `mem_efficiency`; copy, scale,
/// triad and write-only are residual checks (schema 1 files have no read
/// sweep: copy/scale/triad then set it, with a note). Each timed kernel's
/// device-side launch gap (fitted first, from the blocking-kernel launches)
/// is taken off before the line fit, so the intercept is the memory latency
/// only and the model, which charges the gap per kernel, does not count it twice.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "edgeperf/cost/op_cost.hpp"
#include "edgeperf/fit/device_fit_detail.hpp"

namespace edgeperf::fit::detail {

/// Bytes of one record of the memory sweep.
[[nodiscard]] inline std::string memory_where(const fit::benchmark_record* r) {
  return r->name + " " + format_bytes(r->param("size_bytes", r->bytes)) + " " +
         (r->tag("l2").empty() ? "flushed" : r->tag("l2"));
}

inline void fit_memory(device_fitter& f) {
  static const char* const names[] = {"read", "write", "copy", "scale", "triad"};
  std::vector<const fit::benchmark_record*> flushed, warm;
  for (const auto* r : f.records("memory")) {
    if (!(r->bytes > 0) || std::find(std::begin(names), std::end(names), r->name) == std::end(names)) continue;
    (r->tag("l2") == "warm" ? warm : flushed).push_back(r);
  }
  // The fitting set: read-only when measured, else the STREAM kernels (schema 1).
  const auto has_read = std::any_of(flushed.begin(), flushed.end(), [](const auto* r) { return r->name == "read"; });
  const auto used = [&](const fit::benchmark_record* r) {
    return has_read ? r->name == "read" : (r->name == "copy" || r->name == "scale" || r->name == "triad");
  };
  const std::string set_name = has_read ? "memory read-only" : "memory copy/scale/triad";
  if (!has_read && !flushed.empty())
    f.note("memory: no read-only sweep (schema 1?); bandwidth fitted on copy/scale/triad, which include writes");
  std::vector<const fit::benchmark_record*> fit_rows;
  for (const auto* r : flushed)
    if (used(r)) fit_rows.push_back(r);
  if (fit_rows.size() < 2) {
    f.note("memory: fewer than 2 flushed records to fit; mem_efficiency and mem_latency_s kept");
  } else {
    std::vector<double> x, t;
    for (const auto* r : fit_rows) x.push_back(r->bytes), t.push_back(f.kernel_time(*r));
    const line_fit lf = nonneg_line_fit(x, t);
    if (!(lf.b > 0)) {
      f.note("memory: no bandwidth term in the flushed curve; mem_efficiency kept");
    } else {
      const double bw = 1.0 / lf.b;
      const double bw_sigma = lf.sigma_b / (lf.b * lf.b);
      power_mode& pm = f.d.modes[static_cast<std::size_t>(f.mode)];
      if (!(pm.emc_clock_hz.value > 0 || f.d.emc_clock_hz.value > 0)) {
        // No memory clock known: store the measured bandwidth as the theoretical one.
        const double per_clk = f.d.mem_bus_bits.value / 8.0 * f.d.mem_transfers_per_clk.value;
        f.set("emc_clock_hz", f.d.emc_clock_hz, bw / per_clk, bw_sigma / per_clk,
              set_name + " flushed (no memory clock reported)");
        pm.emc_clock_hz = f.d.emc_clock_hz;
      }
      const double emc = pm.emc_clock_hz.value > 0 ? pm.emc_clock_hz.value : f.d.emc_clock_hz.value;
      const double theo = theoretical_bandwidth(f.d, emc);
      double eff = bw / theo;
      f.measured("memory.dram_bytes_per_s", bw, "B/s");
      f.measured("memory.theoretical_bytes_per_s", theo, "B/s");
      if (eff > 1) {
        f.note("memory: measured " + std::to_string(bw / 1e9) + " GB/s exceeds the theoretical " +
               std::to_string(theo / 1e9) + " GB/s (bus, transfers or memory clock wrong?); mem_efficiency clamped to 1");
        eff = 1;
      }
      f.set("mem_efficiency", f.d.mem_efficiency, eff, bw_sigma / theo,
            set_name + ", L2 flushed: t - gap = latency + bytes/BW");
      f.set("mem_latency_s", f.d.mem_latency_s, lf.a, lf.sigma_a, set_name + ", L2 flushed: intercept after the launch gap");
      if (!(lf.a > 0)) f.note("memory: the latency intercept is at its bound 0");
    }
  }
  const auto s0 = f.state();
  std::vector<const fit::benchmark_record*> warm_in;
  for (const auto* r : warm)
    if (r->bytes <= s0.l2_bytes && used(r)) warm_in.push_back(r);
  if (warm_in.size() < 2) {
    if (!warm.empty()) f.note("memory: fewer than 2 warm records within L2; l2_bytes_per_s kept");
  } else {
    std::vector<double> x, t;
    for (const auto* r : warm_in) x.push_back(r->bytes), t.push_back(f.kernel_time(*r));
    const line_fit lf = nonneg_line_fit(x, t);
    if (lf.b > 0) {
      f.measured("memory.l2_bytes_per_s", 1.0 / lf.b, "B/s");
      f.measured("memory.warm_latency_s", lf.a, "s");
      f.set("l2_bytes_per_s", f.d.l2_bytes_per_s, 1.0 / lf.b / f.clk_ratio(), lf.sigma_b / (lf.b * lf.b) / f.clk_ratio(),
            set_name + ", L2 warm, traffic <= L2");
    }
    // The knee: the largest warm traffic still clearly faster than flushed.
    double knee = 0;
    for (const auto* w : warm)
      for (const auto* r : flushed)
        if (r->name == w->name && r->bytes == w->bytes && w->time_s.median < 0.75 * r->time_s.median)
          knee = std::max(knee, w->bytes);
    if (knee > 0) f.measured("memory.l2_knee_bytes", knee, "B");
  }
  // Residuals through the library's memory_time with the fitted profile, per kernel.
  const auto s = f.state();
  for (const char* name : names) {
    std::vector<double> p, t;
    std::vector<std::string> w;
    bool fitted = false;
    for (const auto* r : flushed)
      if (r->name == name) {
        p.push_back(f.with_gaps(*r, edgeperf::detail::memory_time(s, r->bytes, 0.0)));
        t.push_back(r->time_s.median);
        w.push_back(memory_where(r));
        fitted = fitted || used(r);
      }
    if (!t.empty()) f.res.residuals.push_back(residual_stats(std::string("memory/") + name + "/flushed", p, t, w, fitted));
  }
  {  // the fitting set as a whole (read-only; copy/scale/triad for schema 1)
    std::vector<double> p, t;
    std::vector<std::string> w;
    for (const auto* r : fit_rows) {
      p.push_back(f.with_gaps(*r, edgeperf::detail::memory_time(s, r->bytes, 0.0)));
      t.push_back(r->time_s.median);
      w.push_back(memory_where(r));
    }
    if (!t.empty()) f.res.residuals.push_back(residual_stats("memory/flushed", p, t, w, true));
  }
  std::vector<double> p, t;
  std::vector<std::string> w;
  for (const auto* r : warm_in) {
    p.push_back(f.with_gaps(*r, edgeperf::detail::memory_time(s, 0.0, r->bytes)));
    t.push_back(r->time_s.median);
    w.push_back(memory_where(r));
  }
  if (!t.empty()) f.res.residuals.push_back(residual_stats("memory/warm (<= L2)", p, t, w, true));
}

}  // namespace edgeperf::fit::detail
