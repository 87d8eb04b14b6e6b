#pragma once
/// @file
/// A power mode's budget binds (docs/energy.md, "Power caps"). nvpmodel modes
/// are named after a module power budget (15W, 30W, ...); when a phase
/// evaluated at the mode's clock caps would draw more than that on the module
/// rail, the GPU and CPU clocks are throttled together (DVFS, both domains
/// share the module budget; `throttle_clocks`) until it does not:
///   find the largest φ ∈ (0, 1] with P_module(φ) ≤ P_cap,
///   P_module(φ) = E_module(φ) / t(φ)
/// where φ scales the GPU clock (compute rates, L2, launch gaps) and the CPU
/// clock (host time), per-op energies follow V(φf)² and host-work powers f·V²
/// (cost/device_state.hpp); the EMC clock stays. P_module(φ) increases with
/// φ: every op's and the host's time is
/// non-increasing in φ and every energy term non-decreasing, so a bracketed
/// root finder converges and the returned φ is on the feasible side. As φ → 0
/// the phase stretches and its power falls to the module idle power, which the
/// catalog keeps below every cap (and `validate_case` checks for user
/// profiles), so a feasible φ exists.
///
/// The budget is applied per phase: the prefill step, and the decode phase as
/// a whole (one clock for all its steps, so its average module power meets the
/// budget). Modes without a budget (`power_cap_w` = 0: MAXN, discrete GPUs'
/// default, boards) are never throttled.

#include <cstdint>
#include <optional>

#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/phases/decode.hpp"
#include "edgeperf/phases/step.hpp"

namespace edgeperf {

namespace detail {

/// Relative precision of the throttle factor (a 1e-6 error in clock is far
/// below the model's own accuracy).
inline constexpr double throttle_rel_tol = 1e-6;

/// Largest φ ∈ (0, 1] with `power(φ) ≤ cap` for `power` increasing in φ
/// (bisection on log φ after bracketing; always returns a feasible φ unless
/// even φ = 2^-40 is not, in which case that floor is returned). `power` is
/// called once per trial φ (each call builds a step or a decode plan);
/// `power_at_one`, when given, is `power(1)` already known to the caller.
template <class Power>
[[nodiscard]] constexpr double largest_feasible_scale(double cap, Power&& power,
                                                      std::optional<double> power_at_one = std::nullopt) {
  double hi = 1.0;
  double p_hi = power_at_one ? *power_at_one : power(hi);
  if (p_hi <= cap) return 1.0;
  double lo = 0.5;
  double p_lo = power(lo);
  int n = 0;
  while (p_lo > cap && n < 40) {
    hi = lo;
    p_hi = p_lo;
    lo *= 0.5;
    ++n;
    if (n < 40) p_lo = power(lo);
  }
  if (n == 40) return lo;  // idle power at or above the cap: the validation rejects such profiles
  // Invariant: power(lo) = p_lo ≤ cap < power(hi) = p_hi. Regula falsi (Illinois) on φ.
  int side = 0;
  for (int it = 0; it < 60 && (hi - lo) > throttle_rel_tol * hi; ++it) {
    double x = lo + (cap - p_lo) * (hi - lo) / (p_hi - p_lo);
    if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    const double p = power(x);
    if (p <= cap) {
      lo = x;
      p_lo = p;
      if (side == -1) p_hi = cap + (p_hi - cap) / 2;  // Illinois: halve the stale end
      side = -1;
    } else {
      hi = x;
      p_hi = p;
      if (side == 1) p_lo = cap - (cap - p_lo) / 2;
      side = 1;
    }
  }
  return lo;
}

}  // namespace detail

/// The clock factor (≤ 1) at which a phase meets the mode's budget, given
/// `module_power(state)`: the phase's average module power on a device state.
/// 1 when the mode has no budget or the phase is within it.
/// `power_at_one`, when given, is `module_power(d)` (at φ = 1) as a double.
template <class T, class ModulePower>
[[nodiscard]] constexpr double capped_clock_scale(const device_state<T>& d, ModulePower&& module_power,
                                                  std::optional<double> power_at_one = std::nullopt) {
  const double cap = static_cast<double>(d.power_cap_w);
  if (!(cap > 0)) return 1.0;
  return detail::largest_feasible_scale(
      cap, [&](double phi) { return static_cast<double>(module_power(throttle_clocks(d, phi))); },
      power_at_one);
}

/// A phase evaluated under the mode's budget: the device state it ran on (the
/// mode's, or throttled) and its clock factor.
template <class T>
struct capped_state {
  device_state<T> state{};
  double clock_scale{1};  ///< GPU and CPU clocks relative to the mode's clock caps
};

/// The state the prefill step (ops `ops`, shape `s`) runs on under the budget
/// (each trial clock evaluates the step without its breakdown; the tile
/// efficiencies come from `tiles`).
template <class T>
[[nodiscard]] constexpr capped_state<T> prefill_state(const model_spec& m, const op_list& ops,
                                                      const runtime_spec& r, const device_state<T>& d,
                                                      const step_shape& s, const tile_table& tiles) {
  if (!(static_cast<double>(d.power_cap_w) > 0)) return {d, 1.0};  // capped_clock_scale's first test
  step_result<T> st{};
  const tile_table trial_tiles = detail::uncached(tiles);  // trial clocks do not repeat: no GEMM cost cache
  const double phi = capped_clock_scale(d, [&](const device_state<T>& x) {
    step_cost_into(m, ops, r, x, s, trial_tiles, st, false);
    return st.time_s > T(0) ? st.module_energy_j / st.time_s : T(0);
  });
  return {throttle_clocks(d, phi), phi};
}

/// The state the prefill step (ops `ops`, shape `s`) runs on under the budget.
template <class T>
[[nodiscard]] constexpr capped_state<T> prefill_state(const model_spec& m, const op_list& ops,
                                                      const runtime_spec& r, const device_state<T>& d,
                                                      const step_shape& s) {
  const double phi = capped_clock_scale(d, [&](const device_state<T>& x) {
    const step_result<T> st = step_cost_of_ops(m, ops, r, x, s);
    return st.time_s > T(0) ? st.module_energy_j / st.time_s : T(0);
  });
  return {throttle_clocks(d, phi), phi};
}

/// The average module power of a decode phase (what the budget bounds).
template <class T>
[[nodiscard]] constexpr T decode_module_power(const decode_totals<T>& t) {
  return t.time_s > T(0) ? t.module_energy_j / t.time_s : T(0);
}

/// The state the decode phase (steps at contexts I + 1 … I + O − 1 of `seqs`
/// sequences) runs on under the budget: one clock for the whole phase. Each
/// trial clock builds its decode plan without the sample's breakdown; the
/// tile efficiencies come from `tiles`. `power_at_one`, when given, is the
/// phase's module power at the mode's clocks (`decode_module_power` of the
/// plan on `d`, as a double), which the caller already has.
template <class T>
[[nodiscard]] constexpr capped_state<T> decode_state(const model_spec& m, const gemm_shapes& shapes,
                                                     const quant_spec& q, const runtime_spec& r,
                                                     const device_state<T>& d, std::int64_t seqs,
                                                     std::int64_t prompts, std::int64_t shared_prompt,
                                                     std::int64_t input_tokens, std::int64_t output_tokens,
                                                     dtype kv, const tile_table& tiles,
                                                     std::optional<double> power_at_one = std::nullopt) {
  if (output_tokens <= 1 || !(static_cast<double>(d.power_cap_w) > 0)) return {d, 1.0};
  step_result<T> sample{};
  // The op list does not depend on the clock: built once for every trial.
  const step_shape s = decode_step_shape(seqs, prompts, shared_prompt, input_tokens + 1);
  return detail::with_op_list(2, [&](op_list& ops) -> capped_state<T> {
    step_ops_into(m, shapes, q, r, s, kv, ops);
    const tile_table trial_tiles = detail::uncached(tiles);  // trial clocks do not repeat: no GEMM cost cache
    const double phi = capped_clock_scale(d, [&](const device_state<T>& x) {
      decode_plan_core<T> p{};
      make_decode_plan_of_ops(m, ops, r, x, s, trial_tiles, p, sample, false);
      return decode_module_power(decode_total(p, input_tokens, output_tokens));
    }, power_at_one);
    return {throttle_clocks(d, phi), phi};
  });
}

/// The state the decode phase (steps at contexts I + 1 … I + O − 1 of `seqs`
/// sequences) runs on under the budget: one clock for the whole phase.
template <class T>
[[nodiscard]] constexpr capped_state<T> decode_state(const model_spec& m, const gemm_shapes& shapes,
                                                     const quant_spec& q, const runtime_spec& r,
                                                     const device_state<T>& d, std::int64_t seqs,
                                                     std::int64_t prompts, std::int64_t shared_prompt,
                                                     std::int64_t input_tokens, std::int64_t output_tokens,
                                                     dtype kv) {
  if (output_tokens <= 1) return {d, 1.0};
  const double phi = capped_clock_scale(d, [&](const device_state<T>& x) {
    const decode_plan<T> p =
        make_decode_plan(m, shapes, q, r, x, seqs, prompts, shared_prompt, input_tokens + 1, kv);
    return decode_module_power(decode_total(p, input_tokens, output_tokens));
  });
  return {throttle_clocks(d, phi), phi};
}

}  // namespace edgeperf
