#pragma once
/// @file
/// A whole request: prefill, the exact decode total, memory and cold start
/// (DESIGN.md §6). Definitions (also the CLI's columns):
///   ttft_s   = prefill step (incl. LM head and first sampling)
///   decode_s = Σ of the O − 1 decode steps (first token to last token)
///   total_s  = ttft_s + decode_s;  tpot_s = decode_s / (O − 1)
///   output_tokens_per_s = batch · samples · O / total_s
/// Parallel samples (test-time scaling): the n samples of each prompt decode
/// as one batch of b·n sequences; the prompt is prefilled once per prompt and
/// its KV stored (and read) once when the runtime shares prefixes.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include "edgeperf/accounting/memory.hpp"
#include "edgeperf/accounting/weights.hpp"
#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/descriptions/validate.hpp"
#include "edgeperf/descriptions/workload.hpp"
#include "edgeperf/result.hpp"
#include "edgeperf/phases/decode.hpp"
#include "edgeperf/phases/power_cap.hpp"
#include "edgeperf/phases/step.hpp"

namespace edgeperf {

/// Everything estimated for one request.
template <class T = double>
struct request_estimate {
  step_result<T> prefill{};       ///< the prefill step (per-op breakdown: request_options)
  step_result<T> first_decode{};  ///< the first decode step (context I + 1; breakdown: request_options)
  T ttft_s{};
  T decode_s{};
  T total_s{};
  T tpot_s{};                     ///< 0 when O = 1
  T output_tokens_per_s{};
  double prefill_flops{0};
  double prefill_bytes{0};
  double decode_flops{0};         ///< over all O − 1 steps
  double decode_bytes{0};         ///< over all O − 1 steps
  std::int64_t decode_steps{0};
  // Energy (docs/energy.md). `energy_j` is the accelerator rail (VDD_GPU_SOC on
  // AGX Orin, VDD_CPU_GPU_CV + VDD_SOC on Orin NX/Nano, the board on discrete GPUs).
  T prefill_energy_j{};
  T decode_energy_j{};
  T energy_j{};                   ///< prefill + decode, accelerator rail
  T module_energy_j{};            ///< prefill + decode, whole module
  T prefill_power_w{};            ///< average accelerator-rail power during prefill
  T decode_power_w{};             ///< average accelerator-rail power during decode (0 if O = 1)
  T avg_power_w{};                ///< energy_j / total_s
  T peak_power_w{};               ///< the highest step power (prefill, first or last decode step)
  T host_busy_s{};                ///< host time (launches + serial step work), both phases
  T j_per_token{};                ///< energy_j per generated token (batch · samples · O)
  T tokens_per_j{};
  memory_footprint memory{};
  double cold_start_s{0};         ///< loading the weights from storage, reported on its own
  dtype kv{dtype::fp16};          ///< the KV dtype used
  int mode_index{0};
  /// GPU and CPU clocks of each phase relative to the mode's clock caps: below 1
  /// when the mode's power budget binds and DVFS throttles (phases/power_cap.hpp).
  double prefill_clock_scale{1};
  double decode_clock_scale{1};

  /// Every field at its initialiser above. (A user-provided constructor: the
  /// value-initialisation `request_estimate<T>()`, as in a `result<>`, would
  /// otherwise zero all 6 kB first, the breakdown lines included.)
  constexpr request_estimate() noexcept {}
};

/// What a request estimate fills beyond its numbers.
struct request_options {
  /// The per-op breakdown of the prefill and first decode step
  /// (`step_result::ops`, `op_count`): only when asked for (a table of ops, a
  /// roofline plot). Without it `op_count` is 0; every other field is the same
  /// to the last bit.
  bool breakdown{false};
};

/// The KV dtype of a case: the workload's override, else a non-16-bit default
/// of the quant format (one that implies an 8-bit cache), else the runtime's.
[[nodiscard]] constexpr dtype case_kv_dtype(const workload& w, const quant_spec& q,
                                            const runtime_spec& r) {
  if (w.kv_dtype) return *w.kv_dtype;
  if (dtype_bits(q.kv) < 16) return q.kv;
  return r.default_kv;
}

/// The device state a case is costed with (per device, power mode and
/// runtime; a sweep computes it once per such triple): the mode's device as
/// the runtime's kernels see it, before its power budget binds.
template <class T = double>
[[nodiscard]] constexpr device_state<T> case_device_state(const device_spec& dev, int mode_index,
                                                          const runtime_spec& r) {
  return as_seen_by(resolve<T>(dev, mode_index), r);
}

/// What a request needs from its (model, quant) alone: the weight-GEMM shapes
/// (`layer_gemm_shapes`) and the weight bytes (`count_weight_bytes`). Both walk
/// the model's weight tensors; a sweep or planner computes them once per
/// (model, quant) and passes them to `prepare_request`.
struct model_quant_parts {
  gemm_shapes shapes{};
  weight_bytes weights{};
};

/// The `model_quant_parts` of `m` stored in `q`: `layer_gemm_shapes(m, q)` and
/// `count_weight_bytes(m, q)` (the same numbers) in one walk over the weights,
/// each tensor's `tensor_bytes` computed once for both.
[[nodiscard]] constexpr model_quant_parts model_quant_of(const model_spec& m, const quant_spec& q) {
  model_quant_parts out{};
  std::int64_t params = 0;
  detail::for_each_weight_grouped(m, q, [&](const weight_tensor& t, std::int64_t layers) {
    const double one = tensor_bytes(q, m, t);
    detail::add_weight_bytes(out.weights, params, t, layers, one);
    detail::add_gemm_shape(out.shapes, m, q, t, layers, one);
  });
  detail::finish_weight_bytes(out.weights, params);
  detail::finish_gemm_shapes(out.shapes);
  return out;
}

namespace detail {

/// The last (model, quant) whose parts were computed on this thread, with
/// them (`model_quant_recent`).
struct model_quant_memo {
  bool valid{false};
  model_spec m{};
  quant_spec q{};
  model_quant_parts parts{};
};

[[nodiscard]] inline model_quant_memo& thread_model_quant_memo() {
  thread_local model_quant_memo memo{};
  return memo;
}

}  // namespace detail

/// `model_quant_of(m, q)`, kept for the last (model, quant) seen on this
/// thread: a loop of requests that varies the workload, the device, mode or
/// runtime of one model (a planner's inner loop) walks its weights once. The
/// memo is keyed on the descriptions' bytes (`model_spec` and `quant_spec`
/// are trivially copyable, 432 bytes together), so a changed field, or other
/// descriptions with the same id, are walked anew; equal bytes give equal
/// parts, so the numbers do not depend on the memo. The reference stays
/// valid until the next call on this thread.
[[nodiscard]] inline const model_quant_parts& model_quant_recent(const model_spec& m, const quant_spec& q) {
  static_assert(std::is_trivially_copyable_v<model_spec> && std::is_trivially_copyable_v<quant_spec>);
  detail::model_quant_memo& memo = detail::thread_model_quant_memo();
  if (!memo.valid || std::memcmp(&memo.m, &m, sizeof m) != 0 || std::memcmp(&memo.q, &q, sizeof q) != 0) {
    memo.valid = false;  // stays invalid if the walk throws (it does not: constexpr arithmetic)
    std::memcpy(static_cast<void*>(&memo.m), &m, sizeof m);
    std::memcpy(static_cast<void*>(&memo.q), &q, sizeof q);
    memo.parts = model_quant_of(m, q);
    memo.valid = true;
  }
  return memo.parts;
}

namespace detail {

/// The shape of a request's prefill step: b prompts of I tokens, prefilled
/// once per prompt when the runtime shares prefixes (`share`), else once per
/// sample.
[[nodiscard]] constexpr step_shape prefill_step_shape(const workload& w, const runtime_spec& r, bool share) {
  const std::int64_t b = w.batch, n = w.samples, I = w.input_tokens;
  step_shape ps{};
  ps.seqs = share ? b : b * n;
  ps.prompts = b;
  ps.new_tokens = I;
  ps.context = I;
  ps.all_logits = !r.last_position_logits;
  ps.decode = false;
  return ps;
}

/// The prefill part of a request estimate (fills `e.mode_index`, `e.kv`,
/// `e.prefill_clock_scale`, `e.prefill`, `e.ttft_s`, `e.prefill_flops`,
/// `e.prefill_bytes`); returns the weight-GEMM shapes, shared with decode.
/// The prefill's budget (its own clock factor) does not depend on O.
template <class T>
constexpr gemm_shapes estimate_prefill(const model_spec& m, const quant_spec& q, const device_state<T>& d_mode,
                                       int mode_index, const runtime_spec& r, const workload& w, dtype kv,
                                       bool share, request_estimate<T>& e) {
  e.mode_index = mode_index;
  e.kv = kv;
  const step_shape ps = prefill_step_shape(w, r, share);
  const gemm_shapes shapes = layer_gemm_shapes(m, q);  // shared by both phases
  const op_list prefill_ops = step_ops(m, shapes, q, r, ps, kv);
  const capped_state<T> dp = prefill_state(m, prefill_ops, r, d_mode, ps);  // the mode's budget binds
  e.prefill_clock_scale = dp.clock_scale;
  e.prefill = step_cost_of_ops(m, prefill_ops, r, dp.state, ps);
  e.ttft_s = e.prefill.time_s;
  e.prefill_flops = e.prefill.flops;
  e.prefill_bytes = e.prefill.bytes;
  return shapes;
}

/// `estimate_prefill` on the lean path: the tile efficiencies from `tiles`,
/// the step evaluated in place in `e.prefill`, its breakdown only when
/// `breakdown`. The same numbers to the last bit.
template <class T>
constexpr void estimate_prefill_into(const model_spec& m, const gemm_shapes& shapes, const quant_spec& q,
                                     const device_state<T>& d_mode, int mode_index, const runtime_spec& r,
                                     const workload& w, dtype kv, bool share, const tile_table& tiles,
                                     bool breakdown, request_estimate<T>& e) {
  e.mode_index = mode_index;
  e.kv = kv;
  const step_shape ps = prefill_step_shape(w, r, share);
  detail::with_op_list(0, [&](op_list& prefill_ops) {
    step_ops_into(m, shapes, q, r, ps, kv, prefill_ops);
    const capped_state<T> dp = prefill_state(m, prefill_ops, r, d_mode, ps, tiles);  // the mode's budget binds
    e.prefill_clock_scale = dp.clock_scale;
    step_cost_into(m, prefill_ops, r, dp.state, ps, tiles, e.prefill, breakdown);
  });
  e.ttft_s = e.prefill.time_s;
  e.prefill_flops = e.prefill.flops;
  e.prefill_bytes = e.prefill.bytes;
}

/// `to = from` for the fields a step fills (`step_cost_into`): the scalars and
/// the `op_count` entries of the breakdown, not the unused rest of `ops`.
template <class T>
constexpr void assign_step(step_result<T>& to, const step_result<T>& from) {
  to.time_s = from.time_s;
  to.device_s = from.device_s;
  to.launch_gaps_s = from.launch_gaps_s;
  to.host_launch_s = from.host_launch_s;
  to.host_serial_s = from.host_serial_s;
  to.binds = from.binds;
  to.dynamic_j = from.dynamic_j;
  to.static_j = from.static_j;
  to.host_j = from.host_j;
  to.energy_j = from.energy_j;
  to.module_energy_j = from.module_energy_j;
  to.avg_power_w = from.avg_power_w;
  to.launches = from.launches;
  to.flops = from.flops;
  to.bytes = from.bytes;
  to.weight_bytes = from.weight_bytes;
  to.kv_read_bytes = from.kv_read_bytes;
  to.kv_write_bytes = from.kv_write_bytes;
  for (std::size_t i = 0; i < from.op_count; ++i) to.ops[i] = from.ops[i];
  to.op_count = from.op_count;
}

/// The fields of `e` that follow from the decode totals `dt` and the prefill.
template <class T>
constexpr void fill_request_totals(const workload& w, const decode_totals<T>& dt, request_estimate<T>& e) {
  const std::int64_t b = w.batch, n = w.samples, O = w.output_tokens;
  e.decode_s = dt.time_s;
  e.decode_flops = dt.flops;
  e.decode_bytes = dt.bytes;
  e.decode_steps = dt.steps;
  e.total_s = e.ttft_s + e.decode_s;
  e.tpot_s = O > 1 ? e.decode_s / T(static_cast<double>(O - 1)) : T(0);
  e.output_tokens_per_s = T(static_cast<double>(b * n * O)) / e.total_s;

  e.prefill_energy_j = e.prefill.energy_j;
  e.decode_energy_j = dt.energy_j;
  e.energy_j = e.prefill_energy_j + e.decode_energy_j;
  e.module_energy_j = e.prefill.module_energy_j + dt.module_energy_j;
  e.prefill_power_w = e.prefill.avg_power_w;
  e.decode_power_w = dt.steps > 0 ? dt.energy_j / dt.time_s : T(0);
  e.avg_power_w = e.total_s > T(0) ? e.energy_j / e.total_s : T(0);
  e.peak_power_w = e.prefill_power_w;
  if (dt.steps > 0) {
    e.peak_power_w = detail::max_t(e.peak_power_w, dt.first_power_w);
    e.peak_power_w = detail::max_t(e.peak_power_w, dt.last_power_w);
  }
  e.host_busy_s = e.prefill.host_launch_s + e.prefill.host_serial_s + dt.host_busy_s;
  e.j_per_token = e.energy_j / T(static_cast<double>(b * n * O));
  e.tokens_per_j = e.energy_j > T(0) ? T(static_cast<double>(b * n * O)) / e.energy_j : T(0);
}

/// The memory footprint and cold start of a request.
template <class T>
constexpr void fill_request_memory(const model_spec& m, const quant_spec& q, const device_spec& dev,
                                   const runtime_spec& r, const workload& w, dtype kv, bool share,
                                   const weight_bytes& weights, request_estimate<T>& e) {
  const double budget = dev.memory_bytes.value - dev.reserved_bytes.value;
  e.memory = estimate_memory(m, q, w, kv, !r.last_position_logits, budget, share, weights);
  e.cold_start_s = dev.storage_bytes_per_s.value > 0
                       ? e.memory.weights_bytes / dev.storage_bytes_per_s.value
                       : 0.0;
}

}  // namespace detail

/// Estimates one request without validation, the straightforward way: each
/// step evaluated with its per-op breakdown and returned by value, the tile
/// efficiencies computed per GEMM, the decode plan built with its sample
/// step. It is the reference that the lean paths equal to the last bit
/// (`estimate_unchecked`, `estimate_request`, `prepare_request` +
/// `finish_request`; tests/phases/fast_path_test.cpp, tests/plan/sweep_test.cpp).
template <class T = double>
[[nodiscard]] constexpr request_estimate<T> estimate_reference(const model_spec& m,
                                                               const quant_spec& q,
                                                               const device_spec& dev,
                                                               int mode_index,
                                                               const runtime_spec& r,
                                                               const workload& w) {
  request_estimate<T> e{};
  // The mode's device as the runtime's kernels see it; its budget binds below.
  const device_state<T> d_mode = case_device_state<T>(dev, mode_index, r);
  const dtype kv = case_kv_dtype(w, q, r);
  const std::int64_t b = w.batch, n = w.samples, I = w.input_tokens, O = w.output_tokens;
  const bool share = r.prefix_sharing && n > 1;
  const gemm_shapes shapes = detail::estimate_prefill(m, q, d_mode, mode_index, r, w, kv, share, e);

  const capped_state<T> dd = decode_state(m, shapes, q, r, d_mode, b * n, b, share ? I : 0, I, O, kv);
  e.decode_clock_scale = dd.clock_scale;
  const decode_plan<T> plan =
      make_decode_plan(m, shapes, q, r, dd.state, b * n, b, share ? I : 0, I + 1, kv);
  e.first_decode = plan.sample;
  detail::fill_request_totals(w, decode_total(plan, I, O), e);
  detail::fill_request_memory(m, q, dev, r, w, kv, share, count_weight_bytes(m, q), e);
  return e;
}

/// `estimate_unchecked` into `e`, which must be value-initialised
/// (`request_estimate<T>{}`): the lean path, filled in place.
template <class T = double>
constexpr void estimate_unchecked_into(const model_spec& m, const quant_spec& q, const device_spec& dev,
                                       int mode_index, const runtime_spec& r, const workload& w,
                                       request_estimate<T>& e, request_options opt = {}) {
  // The mode's device as the runtime's kernels see it; its budget binds below.
  const device_state<T> d_mode = case_device_state<T>(dev, mode_index, r);
  const dtype kv = case_kv_dtype(w, q, r);
  const std::int64_t b = w.batch, n = w.samples, I = w.input_tokens, O = w.output_tokens;
  const bool share = r.prefix_sharing && n > 1;
  const tile_table tiles = make_tile_table(r);
  const auto run = [&](const model_quant_parts& mq) {
    const gemm_shapes& shapes = mq.shapes;  // shared by both phases
    detail::estimate_prefill_into(m, shapes, q, d_mode, mode_index, r, w, kv, share, tiles, opt.breakdown, e);

    const capped_state<T> dd = decode_state(m, shapes, q, r, d_mode, b * n, b, share ? I : 0, I, O, kv, tiles);
    e.decode_clock_scale = dd.clock_scale;
    decode_plan_core<T> plan{};
    make_decode_plan_into(m, shapes, q, r, dd.state, b * n, b, share ? I : 0, I + 1, kv, tiles, plan,
                          e.first_decode, opt.breakdown);
    detail::fill_request_totals(w, decode_total(plan, I, O), e);
    detail::fill_request_memory(m, q, dev, r, w, kv, share, mq.weights, e);
  };
  // One walk over the weights, or none when this thread's last request had
  // the same (model, quant); constant evaluation has no thread-local memo.
  if (std::is_constant_evaluated()) {
    run(model_quant_of(m, q));
  } else {
    run(model_quant_recent(m, q));
  }
}

/// Estimates one request without validation (call `validate_case` first, or
/// use `estimate_request`). Allocation-free. The lean path: the runtime's tile
/// efficiencies computed once, the steps evaluated in place in the estimate,
/// the per-op breakdown only when `opt.breakdown`. The numbers are those of
/// `estimate_reference` to the last bit (with the breakdown: every field).
template <class T = double>
[[nodiscard]] constexpr request_estimate<T> estimate_unchecked(const model_spec& m,
                                                               const quant_spec& q,
                                                               const device_spec& dev,
                                                               int mode_index,
                                                               const runtime_spec& r,
                                                               const workload& w,
                                                               request_options opt = {}) {
  request_estimate<T> e{};
  estimate_unchecked_into(m, q, dev, mode_index, r, w, e, opt);
  return e;
}

/// What a request estimate builds that does not depend on the output length
/// O: the mode's device state, the KV dtype and the decode plan on the
/// mode's clocks (its `sample` is the first decode step). `prepare_request`
/// fills it (and the prefill part of a `request_estimate`) once per (case,
/// I); `finish_request` adds one O. The plan serves every O for which the
/// decode phase stays within the mode's power budget at full clocks (always,
/// for modes without a budget); for the others `finish_request` finds the
/// throttled clock and builds that O's plan, as `estimate_unchecked` does.
template <class T = double>
struct request_prep {
  device_state<T> d{};
  dtype kv{dtype::fp16};
  bool share{false};
  decode_plan<T> plan{};
  tile_table tiles{};     ///< the runtime's tile efficiencies (`make_tile_table`)
  bool breakdown{false};  ///< request_options::breakdown
  model_quant_parts mq{}; ///< the GEMM shapes and weight bytes of (model, quant)
};

/// The O-independent part of `estimate_unchecked`: fills `e.prefill`,
/// `e.prefill_clock_scale`, `e.first_decode`, `e.decode_clock_scale`,
/// `e.ttft_s`, `e.prefill_flops`, `e.prefill_bytes`, `e.kv`, `e.mode_index`
/// and `p`. `d` is `case_device_state<T>(dev, mode_index, r)`. Only
/// `w.output_tokens` may differ between this call and `finish_request`.
/// `mq` is `model_quant_of(m, q)` (the overload below computes it).
template <class T = double>
constexpr void prepare_request(const model_spec& m, const quant_spec& q, const model_quant_parts& mq,
                               const device_state<T>& d, int mode_index, const runtime_spec& r,
                               const workload& w, request_estimate<T>& e, request_prep<T>& p,
                               request_options opt = {}) {
  p.mq = mq;
  p.d = d;
  p.kv = case_kv_dtype(w, q, r);
  const std::int64_t b = w.batch, n = w.samples, I = w.input_tokens;
  p.share = r.prefix_sharing && n > 1;
  p.tiles = make_tile_table(r);
  p.breakdown = opt.breakdown;
  detail::estimate_prefill_into(m, mq.shapes, q, d, mode_index, r, w, p.kv, p.share, p.tiles, opt.breakdown, e);
  // The decode plan at the mode's clocks (φ = 1: throttle_clocks(d, 1) is d).
  static_cast<decode_plan_core<T>&>(p.plan) = decode_plan_core<T>{};
  make_decode_plan_into(m, mq.shapes, q, r, d, b * n, b, p.share ? I : 0, I + 1, p.kv, p.tiles, p.plan,
                        p.plan.sample, opt.breakdown);
  detail::assign_step(e.first_decode, p.plan.sample);
  e.decode_clock_scale = 1;
}

/// `prepare_request` with the (model, quant) parts computed here.
template <class T = double>
constexpr void prepare_request(const model_spec& m, const quant_spec& q, const device_state<T>& d,
                               int mode_index, const runtime_spec& r, const workload& w,
                               request_estimate<T>& e, request_prep<T>& p, request_options opt = {}) {
  prepare_request(m, q, model_quant_of(m, q), d, mode_index, r, w, e, p, opt);
}

/// The O-dependent part of `estimate_unchecked`: every field of `e` that
/// `prepare_request` does not fill, for `w.output_tokens`, plus
/// `e.first_decode` and `e.decode_clock_scale` when the mode's budget throttles
/// this O's decode phase (and back to the prepared ones when it does not). The
/// other fields `prepare_request` filled stay untouched, so one prepared
/// estimate serves every O of a (case, I). `memory = false` skips the memory
/// footprint and cold start (`e.memory`, `e.cold_start_s` keep their values:
/// for callers that only read times and energies, such as the planner's
/// length bins).
template <class T = double>
constexpr void finish_request(const model_spec& m, const quant_spec& q, const device_spec& dev,
                              const runtime_spec& r, const workload& w, const request_prep<T>& p,
                              request_estimate<T>& e, bool memory = true) {
  const std::int64_t b = w.batch, n = w.samples, I = w.input_tokens, O = w.output_tokens;
  const decode_totals<T> dt = decode_total(p.plan, I, O);
  // `decode_state`'s first test, on the prepared plan: no budget, no decode
  // step, or the phase within the budget at φ = 1 leave the mode's clocks.
  const double cap = static_cast<double>(p.d.power_cap_w);
  const double power_at_one = static_cast<double>(decode_module_power(dt));  // φ = 1 is the prepared plan
  if (O <= 1 || !(cap > 0) || power_at_one <= cap) {
    if (e.decode_clock_scale != 1) {  // a previous O was throttled: back to the prepared step
      detail::assign_step(e.first_decode, p.plan.sample);
      e.decode_clock_scale = 1;
    }
    detail::fill_request_totals(w, dt, e);
  } else {
    // The budget binds: exactly as estimate_unchecked.
    const gemm_shapes& shapes = p.mq.shapes;
    const capped_state<T> dd =
        decode_state(m, shapes, q, r, p.d, b * n, b, p.share ? I : 0, I, O, p.kv, p.tiles, power_at_one);
    e.decode_clock_scale = dd.clock_scale;
    decode_plan_core<T> plan{};
    make_decode_plan_into(m, shapes, q, r, dd.state, b * n, b, p.share ? I : 0, I + 1, p.kv, p.tiles, plan,
                          e.first_decode, p.breakdown);
    detail::fill_request_totals(w, decode_total(plan, I, O), e);
  }
  if (memory) detail::fill_request_memory(m, q, dev, r, w, p.kv, p.share, p.mq.weights, e);
}

/// Validates and estimates one request. Expected failures (bad sizes,
/// unsupported combinations) come back as errors; a case that does not fit in
/// memory is still estimated and reports `memory.fits == false`.
template <class T = double>
[[nodiscard]] result<request_estimate<T>> estimate_request(const model_spec& m, const quant_spec& q,
                                                           const device_spec& dev, int mode_index,
                                                           const runtime_spec& r, const workload& w,
                                                           request_options opt = {}) {
  auto ok = validate_case(m, q, dev, mode_index, r, w);
  // One named result for every return (NRVO): the 6 kB estimate is filled in
  // place, never copied.
  result<request_estimate<T>> out = ok ? result<request_estimate<T>>(std::in_place)
                                       : result<request_estimate<T>>(ok.error_value());
  if (out) estimate_unchecked_into(m, q, dev, mode_index, r, w, *out, opt);
  return out;
}

}  // namespace edgeperf
