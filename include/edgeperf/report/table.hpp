#pragma once
/// @file
/// Reports of a request estimate for people (fmt): the readable estimate
/// table, the cost section and the power-mode comparison, in human units
/// (µs/ms/s, GB, GFLOP/TFLOP, GiB for memory footprints, mJ/J/kJ, W, $). The
/// machine-readable rows (CSV, JSON) and the one list of output fields with
/// their names and SI units live in report/fields.hpp, included here. Everything
/// is derived from `request_estimate` (phases/request.hpp), the per-rail split
/// (phases/rails.hpp), the cost (plan/cost.hpp) and the power-mode choice
/// (plan/power_modes.hpp); nothing is computed twice.

#include <cmath>
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "edgeperf/cost/op_cost.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/workload.hpp"
#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/phases/rails.hpp"
#include "edgeperf/phases/interval.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/plan/cost.hpp"
#include "edgeperf/plan/power_modes.hpp"
#include "edgeperf/report/fields.hpp"

namespace edgeperf {

// ---- human units ------------------------------------------------------------------

namespace detail {
/// `v` with three significant digits in fixed notation (12.3, 1.23, 123).
[[nodiscard]] inline std::string sig3(double v) {
  const double a = std::fabs(v);
  if (a >= 100.0 || a == 0.0) return fmt::format("{:.0f}", v);
  if (a >= 10.0) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}
}  // namespace detail

/// A duration in seconds as "812 µs", "45.2 ms", "12.3 s", "2.05 min".
[[nodiscard]] inline std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return "n/a";
  const double a = std::fabs(seconds);
  if (a == 0.0) return "0 s";
  if (a < 1e-3) return detail::sig3(seconds * 1e6) + " µs";
  if (a < 1.0) return detail::sig3(seconds * 1e3) + " ms";
  if (a < 600.0) return detail::sig3(seconds) + " s";
  return detail::sig3(seconds / 60.0) + " min";
}

/// Bytes moved (traffic), in decimal units: "512 B", "3.55 GB" (1 GB = 1e9 B).
[[nodiscard]] inline std::string format_bytes(double bytes) {
  const double a = std::fabs(bytes);
  if (a < 1e3) return fmt::format("{:.0f} B", bytes);
  if (a < 1e6) return detail::sig3(bytes / 1e3) + " kB";
  if (a < 1e9) return detail::sig3(bytes / 1e6) + " MB";
  if (a < 1e12) return detail::sig3(bytes / 1e9) + " GB";
  return detail::sig3(bytes / 1e12) + " TB";
}

/// A memory footprint in binary units, matching how DRAM is sized:
/// "3.31 GiB", "112 MiB" (1 GiB = 2^30 B).
[[nodiscard]] inline std::string format_memory(double bytes) {
  constexpr double kib = 1024.0, mib = kib * 1024.0, gib = mib * 1024.0;
  const double a = std::fabs(bytes);
  if (a < kib) return fmt::format("{:.0f} B", bytes);
  if (a < mib) return detail::sig3(bytes / kib) + " KiB";
  if (a < gib) return detail::sig3(bytes / mib) + " MiB";
  return detail::sig3(bytes / gib) + " GiB";
}

/// FLOPs (a count, not a rate): "512 MFLOP", "1.58 TFLOP".
[[nodiscard]] inline std::string format_flops(double flops) {
  const double a = std::fabs(flops);
  if (a < 1e3) return fmt::format("{:.0f} FLOP", flops);
  if (a < 1e6) return detail::sig3(flops / 1e3) + " kFLOP";
  if (a < 1e9) return detail::sig3(flops / 1e6) + " MFLOP";
  if (a < 1e12) return detail::sig3(flops / 1e9) + " GFLOP";
  if (a < 1e15) return detail::sig3(flops / 1e12) + " TFLOP";
  return detail::sig3(flops / 1e15) + " PFLOP";
}

/// Energy: "812 µJ", "45.2 mJ", "12.3 J", "1.23 kJ", "4.56 MJ".
[[nodiscard]] inline std::string format_energy(double joules) {
  if (!std::isfinite(joules)) return "n/a";
  const double a = std::fabs(joules);
  if (a == 0.0) return "0 J";
  if (a < 1e-3) return detail::sig3(joules * 1e6) + " µJ";
  if (a < 1.0) return detail::sig3(joules * 1e3) + " mJ";
  if (a < 1e3) return detail::sig3(joules) + " J";
  if (a < 1e6) return detail::sig3(joules / 1e3) + " kJ";
  return detail::sig3(joules / 1e6) + " MJ";
}

/// Power: "18.3 W", "812 mW", "1.20 kW".
[[nodiscard]] inline std::string format_power(double watts) {
  if (!std::isfinite(watts)) return "n/a";
  const double a = std::fabs(watts);
  if (a == 0.0) return "0 W";
  if (a < 1.0) return detail::sig3(watts * 1e3) + " mW";
  if (a < 1e3) return detail::sig3(watts) + " W";
  return detail::sig3(watts / 1e3) + " kW";
}

/// US dollars with three significant digits and no exponent: "$0", "$0.0123",
/// "$0.0000456", "$1.23", "$45.60", "$1234".
[[nodiscard]] inline std::string format_usd(double usd) {
  if (!std::isfinite(usd)) return "n/a";
  const double a = std::fabs(usd);
  const char* sign = usd < 0 ? "-" : "";
  if (a == 0.0) return "$0";
  if (a >= 100.0) return fmt::format("{}${:.0f}", sign, a);
  if (a >= 1.0) return fmt::format("{}${:.2f}", sign, a);
  const int decimals = std::clamp(2 - static_cast<int>(std::floor(std::log10(a))), 2, 15);
  return fmt::format("{}${:.{}f}", sign, a, decimals);
}

/// The case header line: "dsr1-qwen-1.5b · bf16 · agx-orin-64gb (MAXN) · vllm ·
/// batch 1 · samples 1 · I=512 · O=1024 · KV fp16".
[[nodiscard]] inline std::string format_case_line(const case_description& c, dtype kv) {
  return fmt::format("{} · {} · {} ({}) · {} · batch {} · samples {} · I={} · O={} · KV {}", c.model,
                     c.quant, c.device, c.mode.empty() ? "default mode" : c.mode, c.runtime,
                     c.load.batch, c.load.samples, c.load.input_tokens, c.load.output_tokens,
                     to_string(kv));
}

namespace detail {

/// Appends the per-op breakdown of one step: name, count, time of all
/// instances, share of the step's op time, FLOPs, bytes, dynamic energy
/// (accelerator rail), bound, GEMM tile; then the step's time and energy split.
inline void append_ops(std::string& out, const step_result<double>& s) {
  double op_sum = 0.0;
  for (std::size_t i = 0; i < s.op_count; ++i) op_sum += s.ops[i].time_s;
  fmt::format_to(std::back_inserter(out), "  {:<18} {:>6} {:>10} {:>7} {:>12} {:>10} {:>10}  {:<8} {}\n",
                 "op", "count", "time", "share", "FLOPs", "bytes", "energy", "bound", "tile");
  for (std::size_t i = 0; i < s.op_count; ++i) {
    const op_breakdown<double>& op = s.ops[i];
    const std::string tile = op.kind == op_kind::gemm
                                 ? fmt::format("{}x{}", op.cost.tile.m, op.cost.tile.n)
                                 : std::string();
    std::string line = fmt::format(
                   "  {:<18} {:>6} {:>10} {:>6.1f}% {:>12} {:>10} {:>10}  {:<8} {}", op.name,
                   fmt::format("{:g}", op.count), format_duration(op.time_s),
                   op_sum > 0 ? 100.0 * op.time_s / op_sum : 0.0, format_flops(op.flops),
                   format_bytes(op.bytes), format_energy(op.energy_j), to_string(op.cost.binds), tile);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line;
    out += '\n';
  }
  fmt::format_to(std::back_inserter(out),
                 "  device {} = ops {} + launch gaps {} ({} kernels); host launch {}, "
                 "host serial {}\n",
                 format_duration(s.device_s), format_duration(op_sum),
                 format_duration(s.launch_gaps_s), s.launches, format_duration(s.host_launch_s),
                 format_duration(s.host_serial_s));
  fmt::format_to(std::back_inserter(out),
                 "  energy {} = idle {} + ops {} + host work {} (accelerator rail, avg {}); "
                 "module {}\n",
                 format_energy(s.energy_j), format_energy(s.static_j), format_energy(s.dynamic_j),
                 format_energy(s.host_j), format_power(s.avg_power_w), format_energy(s.module_energy_j));
}

}  // namespace detail

/// Optional parts of the estimate table.
struct table_extras {
  const device_spec* device{nullptr};    ///< names the rails and adds the per-rail energies
  const cost_inputs* cost_in{nullptr};   ///< with `cost`: the cost section
  const cost_breakdown* cost{nullptr};
  const request_interval* interval{nullptr};  ///< ±1σ bands next to TTFT, decode, total, energy
};

/// The cost section: per 1M generated tokens, electricity (module energy) and
/// the amortized device price, and the edge-versus-cloud line when the user
/// gave a cloud price (there are no built-in cloud prices).
[[nodiscard]] inline std::string format_cost_section(const cost_inputs& in, const cost_breakdown& c) {
  std::string out;
  const auto put = [&out]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
  };
  put("cost per 1M output tokens (electricity {}/kWh on the module energy; device {} over {:g} "
      "years at {:g} % utilization)\n",
      format_usd(in.electricity_usd_per_kwh), format_usd(in.device_price_usd), in.service_life_years,
      100.0 * in.utilization);
  put("  {:<22} {}\n", "electricity", format_usd(c.electricity_per_1m_usd));
  put("  {:<22} {}\n", "device (amortized)", format_usd(c.amortized_per_1m_usd));
  put("  {:<22} {} ({} per request of {:g} output tokens)\n", "total", format_usd(c.total_per_1m_usd),
      format_usd(c.total_usd), c.output_tokens);
  if (c.cloud_usd > 0) {
    std::string verdict;
    if (c.total_usd > 0) {
      const double ratio = c.cloud_usd / c.total_usd;
      verdict = ratio >= 1 ? fmt::format("edge costs {:.3g}x less", ratio)
                           : fmt::format("edge costs {:.3g}x more", 1.0 / ratio);
    } else {
      verdict = "edge cost is zero with these inputs";
    }
    put("  {:<22} {} at your prices ({}/1M input, {}/1M output tokens): {}\n", "cloud",
        format_usd(c.cloud_per_1m_usd), format_usd(in.cloud_input_usd_per_1m),
        format_usd(in.cloud_output_usd_per_1m), verdict);
  } else {
    put("  {:<22} no cloud price given (none is built in)\n", "cloud");
  }
  return out;
}

/// A readable report of one estimate: the case line; per phase (prefill, first
/// decode step) time, FLOPs, bytes and the binding bound, each with its per-op
/// breakdown (with per-op energy); the request totals (TTFT, decode, total,
/// TPOT, tokens/s); the energy per phase with average and peak power, J/token,
/// tokens/J and (given the device) the per-rail energies; the cost (given
/// inputs and a cost); the memory footprint against the device budget; and the
/// cold start on its own line (it is paid once per process, never per token).
[[nodiscard]] inline std::string format_estimate_table(const case_description& c,
                                                       const request_estimate<double>& e,
                                                       const table_extras& x = {}) {
  std::string out;
  const auto put = [&out]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
  };
  put("case: {}\n\n", format_case_line(c, e.kv));
  put("{:<28} {:>10} {:>12} {:>10}  {}\n", "phase", "time", "FLOPs", "bytes", "bound");
  const auto phase_line = [&](const std::string& name, const step_result<double>& s) {
    put("{:<28} {:>10} {:>12} {:>10}  {}\n", name, format_duration(s.time_s),
        format_flops(s.flops), format_bytes(s.bytes), to_string(s.binds));
  };
  phase_line(fmt::format("prefill ({} tokens)", c.load.input_tokens), e.prefill);
  phase_line(fmt::format("first decode step (ctx {})", c.load.input_tokens + 1), e.first_decode);
  put("{:<28} {:>10} {:>12} {:>10}  ({} steps)\n", "decode total", format_duration(e.decode_s),
      format_flops(e.decode_flops), format_bytes(e.decode_bytes), e.decode_steps);

  put("\nprefill ops\n");
  detail::append_ops(out, e.prefill);
  put("\nfirst decode step ops\n");
  detail::append_ops(out, e.first_decode);

  const auto pm = [&](double sigma, std::string (*fmt_fn)(double)) {
    return x.interval ? "  ± " + fmt_fn(sigma) + " (1σ)" : std::string();
  };
  put("\ntotals{}\n", x.interval ? " (± 1σ from the profiles' fitted or stated uncertainty; docs/validation.md)" : "");
  put("  {:<22} {}{}\n", "TTFT", format_duration(e.ttft_s), pm(x.interval ? x.interval->ttft_sigma_s : 0, format_duration));
  put("  {:<22} {}{}\n", fmt::format("decode ({} steps)", e.decode_steps), format_duration(e.decode_s),
      pm(x.interval ? x.interval->decode_sigma_s : 0, format_duration));
  put("  {:<22} {}{}\n", "total", format_duration(e.total_s), pm(x.interval ? x.interval->total_sigma_s : 0, format_duration));
  put("  {:<22} {}\n", "TPOT", c.load.output_tokens > 1 ? format_duration(e.tpot_s) : "n/a (O = 1)");
  put("  {:<22} {:.1f}\n", "output tokens/s", e.output_tokens_per_s);

  const double tokens = static_cast<double>(c.load.batch) * c.load.samples * c.load.output_tokens;
  if (x.device)
    put("\nenergy (accelerator rail {}; module {})\n", x.device->accel_rail.view(),
        x.device->module_rail.view());
  else
    put("\nenergy (accelerator rail)\n");
  put("  {:<22} {:>10} {:>10}\n", "phase", "energy", "avg power");
  put("  {:<22} {:>10} {:>10}\n", "prefill", format_energy(e.prefill_energy_j),
      format_power(e.prefill_power_w));
  if (e.decode_steps > 0)
    put("  {:<22} {:>10} {:>10}\n", fmt::format("decode ({} steps)", e.decode_steps),
        format_energy(e.decode_energy_j), format_power(e.decode_power_w));
  put("  {:<22} {:>10} {:>10}  (peak step {}){}\n", "request", format_energy(e.energy_j),
      format_power(e.avg_power_w), format_power(e.peak_power_w),
      pm(x.interval ? x.interval->energy_sigma_j : 0, format_energy));
  put("  {:<22} {}\n", "module (request)", format_energy(e.module_energy_j));
  put("  {:<22} {} (module {})\n", "J/token", format_energy(e.j_per_token),
      format_energy(tokens > 0 ? e.module_energy_j / tokens : 0.0));
  put("  {:<22} {:.3g}\n", "tokens/J", e.tokens_per_j);
  if (x.device) {
    put("  per rail\n");
    for (const rail_energy& r : request_rails(*x.device, e))
      put("    {:<20} {:>10}  {}\n", r.rail, format_energy(r.energy_j), r.covers);
  }
  if (x.cost_in && x.cost) put("\n{}", format_cost_section(*x.cost_in, *x.cost));

  const memory_footprint& m = e.memory;
  put("\nmemory\n");
  put("  {:<22} {}", "weights", format_memory(m.weights_bytes));
  if (m.params > 0)
    put(" ({:.3g}B parameters, {:.3g}B used per token)", static_cast<double>(m.params) / 1e9,
        static_cast<double>(m.active_params) / 1e9);
  put("\n  {:<22} {}", "KV cache", format_memory(m.kv_cache_bytes));
  if (m.kv_bytes_per_token > 0) put(" ({} per token)", format_memory(m.kv_bytes_per_token));
  put("\n");
  put("  {:<22} {}\n", "activations (peak)", format_memory(m.activation_bytes));
  if (m.runtime_overhead_bytes > 0)
    put("  {:<22} {}\n", "runtime overhead", format_memory(m.runtime_overhead_bytes));
  put("  {:<22} {} of {} budget: {}\n", "total", format_memory(m.total_bytes),
      format_memory(m.budget_bytes), m.fits ? "fits" : "DOES NOT FIT");
  put("\ncold start (load weights from storage): {} — not part of any token\n",
      format_duration(e.cold_start_s));
  return out;
}

/// The power modes of one case (`best_energy_mode`): per mode TPOT, total
/// time, J/token on the accelerator rail and the module, whether it meets the
/// TPOT limit; then the choice and its reason.
[[nodiscard]] inline std::string format_mode_choice(const case_description& c, dtype kv,
                                                    const mode_choice& choice, double tpot_limit_s) {
  std::string out;
  const auto put = [&out]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
  };
  put("case: {}\n", format_case_line(c, kv));
  put("power modes, lowest J/token (accelerator rail) with TPOT <= {}\n\n",
      tpot_limit_s > 0 ? format_duration(tpot_limit_s) : std::string("any (no limit)"));
  put("  {:<12} {:>10} {:>10} {:>10} {:>16}  {}\n", "mode", "TPOT", "total", "J/token",
      "module J/token", "meets limit");
  for (std::size_t i = 0; i < choice.modes.size(); ++i) {
    const mode_outcome& m = choice.modes[i];
    put("  {:<12} {:>10} {:>10} {:>10} {:>16}  {}{}\n", m.name, format_duration(m.tpot_s),
        format_duration(m.total_s), format_energy(m.j_per_token), format_energy(m.module_j_per_token),
        m.meets_limit ? "yes" : "no", static_cast<int>(i) == choice.best ? "  <- best" : "");
  }
  put("\n{}: {}\n", choice.best >= 0 ? "choice" : "no choice", choice.reason);
  return out;
}

}  // namespace edgeperf
