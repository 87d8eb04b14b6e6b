#pragma once
/// @file
/// "Which power mode gives the lowest J/token under a TPOT limit?" — every
/// mode of a device estimated for one case, and the mode with the lowest
/// accelerator-rail energy per generated token whose TPOT meets the limit.
/// Lower clocks lower the energy per op (V²) but stretch time, so the idle
/// power is paid for longer; the optimum is found by evaluating, not assumed.

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "edgeperf/result.hpp"
#include "edgeperf/phases/request.hpp"

namespace edgeperf {

/// One mode's outcome.
struct mode_outcome {
  int mode_index{0};
  std::string name;
  double tpot_s{0};
  double j_per_token{0};        ///< accelerator rail
  double module_j_per_token{0};
  double total_s{0};
  bool meets_limit{false};
};

/// All modes and the choice.
struct mode_choice {
  std::vector<mode_outcome> modes;  ///< in the device's mode order
  int best{-1};                     ///< index into `modes`; -1 when no mode meets the limit
  std::string reason;               ///< why `best` (or why none)
};

/// Evaluates every mode of `d` for the case and picks the lowest J/token with
/// TPOT ≤ `tpot_limit_s` (≤ 0: no limit). Errors: the case's own errors.
[[nodiscard]] inline result<mode_choice> best_energy_mode(const model_spec& m, const quant_spec& q,
                                                          const device_spec& d, const runtime_spec& r,
                                                          const workload& w, double tpot_limit_s) {
  if (!std::isfinite(tpot_limit_s))
    return make_error(errc::invalid_argument,
                      "tpot_limit_s must be a finite number of seconds (<= 0: no limit), got " +
                          std::to_string(tpot_limit_s));
  mode_choice out{};
  const int n = d.mode_count > 0 ? d.mode_count : 1;
  for (int i = 0; i < n; ++i) {
    auto e = estimate_request<double>(m, q, d, i, r, w);
    if (!e) return e.error_value();
    mode_outcome o{};
    o.mode_index = i;
    o.name = d.mode_count > 0 ? std::string(d.modes[static_cast<std::size_t>(i)].name.view()) : "default";
    o.tpot_s = w.output_tokens > 1 ? e->tpot_s : e->ttft_s;
    o.j_per_token = e->j_per_token;
    const double tokens = static_cast<double>(w.batch) * w.samples * w.output_tokens;
    o.module_j_per_token = e->module_energy_j / tokens;
    o.total_s = e->total_s;
    o.meets_limit = tpot_limit_s <= 0 || o.tpot_s <= tpot_limit_s;
    out.modes.push_back(o);
    if (o.meets_limit && (out.best < 0 || o.j_per_token < out.modes[static_cast<std::size_t>(out.best)].j_per_token))
      out.best = static_cast<int>(out.modes.size()) - 1;
  }
  const auto g3 = [](double v) {  // 3 significant digits
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return std::string(buf);
  };
  if (out.best >= 0) {
    const auto& b = out.modes[static_cast<std::size_t>(out.best)];
    out.reason = "mode " + b.name + ": " + g3(b.j_per_token) + " J/token at TPOT " + g3(b.tpot_s * 1e3) +
                 " ms, the lowest J/token among the modes with TPOT <= " +
                 (tpot_limit_s > 0 ? g3(tpot_limit_s * 1e3) + " ms" : std::string("any"));
  } else {
    double fastest = out.modes.front().tpot_s;
    for (const auto& o : out.modes) fastest = o.tpot_s < fastest ? o.tpot_s : fastest;
    out.reason = "no mode meets TPOT <= " + g3(tpot_limit_s * 1e3) + " ms; the fastest reaches " +
                 g3(fastest * 1e3) + " ms";
  }
  return out;
}

}  // namespace edgeperf
