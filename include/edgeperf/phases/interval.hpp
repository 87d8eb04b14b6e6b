#pragma once
/// @file
/// Prediction intervals: a ±1σ band on a request's latency and energy,
/// propagated from the uncertainty of the profile numbers by finite
/// differences in log space (docs/validation.md "Prediction intervals"):
///   σ_f² = Σ_i (∂f/∂log θ_i · σ_i)² + 2 Σ_(i<j) ρ_ij (∂f/∂log θ_i σ_i)(∂f/∂log θ_j σ_j)
/// σ_i is a number's stated 1-σ of log θ (`sourced::rel_sigma`, set by a fit)
/// or, when none is stated, the default of its provenance: fitted 0.10,
/// published or calibrated 0.05, derived 0.30, assumed 0.50 (a factor 1.65:
/// an assumed runtime, device or board is a guess and its band says so);
/// data-sheet numbers (clocks, widths, unit counts) are taken as exact. ρ_ij
/// are the correlations a fit stored for its profile (`fitted_correlations`).
/// Only the efficiency, host-time and energy numbers vary: shapes and counts
/// are exact. Where a runtime's Jetson efficiency is fitted, the fit pinned
/// its product with the device's silicon number (tensor, bandwidth, CUDA-core
/// rate), and only the fitted factor varies.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string_view>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/request.hpp"

namespace edgeperf {

/// A request's estimate with 1-σ bands.
struct request_interval {
  double ttft_s{0}, decode_s{0}, total_s{0}, energy_j{0};   ///< central estimate
  double ttft_sigma_s{0}, decode_sigma_s{0}, total_sigma_s{0}, energy_sigma_j{0};
  int varied{0};  ///< profile numbers varied
};

/// Default 1-σ of log θ of a number by provenance (see the file comment).
[[nodiscard]] constexpr double default_log_sigma(const sourced& s) {
  if (s.rel_sigma > 0) return s.rel_sigma;
  switch (s.src) {
    case source::fitted: return 0.10;
    case source::published:
    case source::calibrated: return 0.05;
    case source::derived: return 0.30;
    case source::assumed: return 0.50;
    case source::datasheet: return 0.0;
  }
  return 0.5;
}

namespace detail {

/// Whether a device field is an uncertain efficiency / overhead / energy number.
[[nodiscard]] constexpr bool uncertain_device_field(std::string_view n) {
  for (std::string_view k : {"tensor_efficiency", "cuda_efficiency", "mem_efficiency", "mem_latency_s",
                             "launch_overhead_s", "graph_node_overhead_s", "host_speed", "pj_per_flop_tensor",
                             "pj_per_flop_cuda", "pj_per_byte_dram", "host_active_power_w"})
    if (k == n) return true;
  return false;
}

struct varied_param {
  sourced* field;
  std::string_view owner;  ///< "device" or "runtime"
  std::string_view name;
  double sigma;
  double j[4];  ///< ∂(ttft, decode, total, energy)/∂log θ
};

}  // namespace detail

/// Estimates the request and its ±1σ band. The case must be valid
/// (`validate_case`); perturbed profiles skip validation (a fraction nudged
/// past 1 is what a band means). About 2 × 25 estimates: for the CLI, not
/// the planner's inner loop.
[[nodiscard]] inline request_interval estimate_interval(const model_spec& m, const quant_spec& q,
                                                        const device_spec& dev, int mode_index,
                                                        const runtime_spec& rt, const workload& w) {
  device_spec d = dev;
  runtime_spec r = rt;
  const auto metrics = [&](double out[4]) {
    const auto e = estimate_unchecked<double>(m, q, d, mode_index, r, w);
    out[0] = e.ttft_s;
    out[1] = e.decode_s;
    out[2] = e.total_s;
    out[3] = e.energy_j;
  };
  request_interval res{};
  double f0[4];
  metrics(f0);
  res.ttft_s = f0[0];
  res.decode_s = f0[1];
  res.total_s = f0[2];
  res.energy_j = f0[3];

  constexpr std::size_t max_params = 48;
  detail::varied_param ps[max_params];
  std::size_t np = 0;
  const auto add = [&](std::string_view owner, const char* name, sourced& s) {
    const double sg = default_log_sigma(s);
    if (!(s.value > 0) || !(sg > 0) || np >= max_params) return;
    ps[np++] = detail::varied_param{&s, owner, name, sg, {0, 0, 0, 0}};
  };
  // A runtime fitted on this device family pins the product of the device's
  // silicon number and its own efficiency: the split is not varied twice.
  const bool jetson = d.kind == device_kind::jetson;
  const auto pinned = [&](std::string_view n) {
    if (!jetson) return false;
    if (n == "tensor_efficiency") return r.kernel_efficiency_jetson.src == source::fitted;
    if (n == "mem_efficiency") return r.mem_efficiency_jetson.src == source::fitted;
    if (n == "cuda_efficiency") return r.gemv_efficiency.src == source::fitted;
    return false;
  };
  for_each_sourced(d, [&](const char* n, sourced& s) {
    if (detail::uncertain_device_field(n) && !pinned(n)) add("device", n, s);
  });
  if (d.mode_count > 0) add("device", "static_power_w", d.modes[static_cast<std::size_t>(mode_index)].static_power_w);
  for_each_sourced(r, [&](const char* n, sourced& s) { add("runtime", n, s); });

  constexpr double h = 0.01;
  for (std::size_t i = 0; i < np; ++i) {
    auto& p = ps[i];
    const double v = p.field->value;
    double up[4], dn[4];
    p.field->value = v * std::exp(h);
    metrics(up);
    p.field->value = v * std::exp(-h);
    metrics(dn);
    p.field->value = v;
    for (int k = 0; k < 4; ++k) p.j[k] = (up[k] - dn[k]) / (2 * h);
  }
  double var[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < np; ++i)
    for (int k = 0; k < 4; ++k) var[k] += (ps[i].j[k] * ps[i].sigma) * (ps[i].j[k] * ps[i].sigma);
  // Correlations the runtime's fit stored (both numbers fitted in that fit).
  for (const fitted_correlation& c : fitted_correlations) {
    if (!runtime_matches(c.runtime, rt)) continue;
    const detail::varied_param *a = nullptr, *b = nullptr;
    for (std::size_t i = 0; i < np; ++i) {
      if (ps[i].owner == "runtime" && ps[i].name == c.a && ps[i].field->src == source::fitted) a = &ps[i];
      if (ps[i].owner == "runtime" && ps[i].name == c.b && ps[i].field->src == source::fitted) b = &ps[i];
    }
    if (!a || !b) continue;
    for (int k = 0; k < 4; ++k) var[k] += 2 * c.rho * (a->j[k] * a->sigma) * (b->j[k] * b->sigma);
  }
  res.ttft_sigma_s = std::sqrt(std::max(0.0, var[0]));
  res.decode_sigma_s = std::sqrt(std::max(0.0, var[1]));
  res.total_sigma_s = std::sqrt(std::max(0.0, var[2]));
  res.energy_sigma_j = std::sqrt(std::max(0.0, var[3]));
  res.varied = static_cast<int>(np);
  return res;
}

}  // namespace edgeperf
