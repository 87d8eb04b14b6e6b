#pragma once
/// @file
/// Decode over O tokens in closed form (DESIGN.md §6). The step time at
/// context c is
///   t(c) = max(F + Σ_g n_g · max(c0_g + c1_g·x_g, m0_g + m1_g·x_g), H) + S,
///   x_g = min(P·⌈c/P⌉, W_g),
/// where F is the context-independent device time (GEMMs, elementwise, LM
/// head, sampling, launch gaps), g runs over the attention layer groups (full
/// and sliding-window), P is the runtime's KV block, H the host launch time
/// and S the serial host time. t depends on c only through j = ⌈c/P⌉ and is
/// piecewise affine in j; the breakpoints are the window caps, the
/// compute/memory crossovers of each group and the device/host crossover.
/// Σ_{c=a}^{b} t(c) is summed exactly as arithmetic series between
/// breakpoints: the cost does not depend on O (a request with O = 32 768 costs
/// what O = 16 does). Tests compare it with a brute-force loop.

#include <utility>
#include <array>
#include <cstdint>

#include "edgeperf/phases/step.hpp"

namespace edgeperf {

/// The decode step of a fixed batch as a function of context (see file
/// comment), without the sample step's breakdown (`decode_plan` adds it).
template <class T = double>
struct decode_plan_core {
  struct group {
    T count{};                        ///< layers in the group
    decode_attention_coeffs<T> c{};   ///< per layer, in padded KV tokens
    std::int64_t window{0};           ///< 0 = full attention
    double flops_per_token{0};        ///< useful FLOPs per KV token (all layers of the group)
    double read_per_token{0};         ///< KV bytes read per KV token (all layers of the group)
    double read_offset{0};            ///< constant KV-read bytes (negative: shared prompt)
    T energy_per_token{};             ///< dynamic J per KV token (all layers of the group)
    T energy_offset{};                ///< constant dynamic J (negative: shared prompt)
  };
  T fixed_s{};            ///< context-independent device time
  T host_launch_s{};      ///< H
  T host_serial_s{};      ///< S
  bool overlap{false};    ///< the runtime overlaps S with the device (runtime_spec::host_overlap)
  std::array<group, 2> groups{};
  int group_count{0};
  std::int64_t block{1};  ///< P: KV block the attention kernel pads to
  double fixed_flops{0};  ///< context-independent FLOPs per step
  double fixed_bytes{0};  ///< context-independent bytes per step (incl. KV writes)
  T fixed_dynamic_j{};    ///< context-independent dynamic energy per step
  T static_w{};           ///< accelerator-rail idle power
  T module_static_w{};    ///< module idle power
  T host_w{};             ///< accelerator-rail power while the host works
  T cpu_w{};              ///< CPU-rail power while the host works (module)

  /// Device time at padded block index j (x = j·P, capped per group).
  [[nodiscard]] constexpr T device_at_block(std::int64_t j) const {
    T t = fixed_s;
    for (int i = 0; i < group_count; ++i) {
      const group& g = groups[static_cast<std::size_t>(i)];
      std::int64_t x = j * block;
      if (g.window > 0 && x > g.window) x = g.window;
      t += g.count * g.c.at(T(static_cast<double>(x)));
    }
    return t;
  }
  /// Step time at block index j.
  [[nodiscard]] constexpr T step_at_block(std::int64_t j) const {
    return overlap ? detail::max_t(device_at_block(j), host_launch_s + host_serial_s)
                   : detail::max_t(device_at_block(j), host_launch_s) + host_serial_s;
  }
  /// Step time at context c (the KV length the step attends over).
  [[nodiscard]] constexpr T step_at(std::int64_t context) const {
    return step_at_block(detail::ceil_div(context, block));
  }
};

/// A decode plan with the step at the context it was built at (its `sample`,
/// with the per-op breakdown).
template <class T = double>
struct decode_plan : decode_plan_core<T> {
  step_result<T> sample{};  ///< the step at the context the plan was built at (breakdown)
};

/// The shape of a decode step of `seqs` sequences (`prompts` distinct prompts
/// sharing `shared_prompt` tokens of KV) at `context`.
[[nodiscard]] constexpr step_shape decode_step_shape(std::int64_t seqs, std::int64_t prompts,
                                                     std::int64_t shared_prompt, std::int64_t context) {
  step_shape s{};
  s.seqs = seqs;
  s.prompts = prompts;
  s.shared_prompt = shared_prompt;
  s.new_tokens = 1;
  s.context = context;
  s.decode = true;
  return s;
}

/// `make_decode_plan_into` from the decode step's op list `ops` (`step_ops` of
/// the shape `s`, `decode_step_shape`), which does not depend on the device
/// state: a clock search (phases/power_cap.hpp) builds it once for all its
/// trial clocks.
template <class T = double>
constexpr void make_decode_plan_of_ops(const model_spec& m, const op_list& ops, const runtime_spec& r,
                                       const device_state<T>& d, const step_shape& s, const tile_table& tiles,
                                       decode_plan_core<T>& p, step_result<T>& sample, bool breakdown) {
  p.block = (r.attn_kv_block > 0 && !d.cpu) ? r.attn_kv_block : 1;
  std::array<T, op_list::capacity> op_time, op_energy;  // count · cost_of(op).time_s, its dynamic energy
  step_cost_into(m, ops, r, d, s, tiles, sample, breakdown, op_time.data(), op_energy.data());
  for (std::size_t i = 0; i < ops.size; ++i) {
    const op_instance& op = ops.items[i];
    if (op.kind == op_kind::attention) {
      auto& g = p.groups[static_cast<std::size_t>(p.group_count++)];
      g.count = T(op.count);
      g.c = decode_attention(op, d);
      g.window = op.att.window;
      const double kv_len = static_cast<double>(op.att.kv_len);
      g.flops_per_token = op.flops * op.count / kv_len;
      const double read_tokens =
          static_cast<double>(op.att.seqs) * kv_len - static_cast<double>(op.att.shared_tokens);
      const double per_tok = read_tokens > 0 ? op.kv_read_bytes / read_tokens : 0.0;
      g.read_per_token = per_tok * static_cast<double>(op.att.seqs) * op.count;
      g.read_offset = -per_tok * static_cast<double>(op.att.shared_tokens) * op.count;
      p.fixed_bytes += (op.act_bytes + op.kv_write_bytes) * op.count;
      g.energy_per_token = d.j_per_flop_cuda * T(g.flops_per_token) + d.j_per_byte * T(g.read_per_token);
      g.energy_offset = d.j_per_byte * T(g.read_offset);
      p.fixed_dynamic_j += d.j_per_byte * T((op.act_bytes + op.kv_write_bytes) * op.count);
    } else {
      p.fixed_s += op_time[i];           // count · cost_of(op).time_s
      p.fixed_dynamic_j += op_energy[i];  // count · op_dynamic_energy(op)
      p.fixed_flops += op.flops * op.count;
      p.fixed_bytes += op.bytes() * op.count;
    }
  }
  p.fixed_s += sample.launch_gaps_s;
  p.host_launch_s = sample.host_launch_s;
  p.host_serial_s = sample.host_serial_s;
  p.overlap = r.host_overlap;
  p.static_w = d.static_w;
  p.module_static_w = d.module_static_w;
  p.host_w = d.host_active_w;
  p.cpu_w = d.cpu_active_w;
}

/// Builds the decode plan for `seqs` sequences (`prompts` distinct prompts
/// sharing `shared_prompt` tokens of KV when the runtime shares prefixes) into
/// `p` (value-initialised), and the step at `context` into `sample` (with its
/// per-op breakdown when `breakdown`; `step_cost_into`). The tile
/// efficiencies come from `tiles` (`make_tile_table(r)`).
template <class T = double>
constexpr void make_decode_plan_into(const model_spec& m, const gemm_shapes& shapes, const quant_spec& q,
                                     const runtime_spec& r, const device_state<T>& d, std::int64_t seqs,
                                     std::int64_t prompts, std::int64_t shared_prompt, std::int64_t context,
                                     dtype kv, const tile_table& tiles, decode_plan_core<T>& p,
                                     step_result<T>& sample, bool breakdown) {
  const step_shape s = decode_step_shape(seqs, prompts, shared_prompt, context);
  detail::with_op_list(1, [&](op_list& ops) {
    step_ops_into(m, shapes, q, r, s, kv, ops);
    make_decode_plan_of_ops(m, ops, r, d, s, tiles, p, sample, breakdown);
  });
}

/// Builds the decode plan for `seqs` sequences (`prompts` distinct prompts
/// sharing `shared_prompt` tokens of KV when the runtime shares prefixes),
/// with the sample step's breakdown.
template <class T = double>
[[nodiscard]] constexpr decode_plan<T> make_decode_plan(const model_spec& m, const gemm_shapes& shapes,
                                                        const quant_spec& q, const runtime_spec& r,
                                                        const device_state<T>& d,
                                                        std::int64_t seqs, std::int64_t prompts,
                                                        std::int64_t shared_prompt,
                                                        std::int64_t context, dtype kv) {
  decode_plan<T> p{};
  // Every GEMM computed (no GEMM cost cache): the reference the lean paths are checked against.
  make_decode_plan_into(m, shapes, q, r, d, seqs, prompts, shared_prompt, context, kv,
                        detail::uncached(make_tile_table(r)), p, p.sample, true);
  return p;
}

/// The same, computing the model's GEMM shapes itself.
template <class T = double>
[[nodiscard]] constexpr decode_plan<T> make_decode_plan(const model_spec& m, const quant_spec& q,
                                                        const runtime_spec& r,
                                                        const device_state<T>& d,
                                                        std::int64_t seqs, std::int64_t prompts,
                                                        std::int64_t shared_prompt,
                                                        std::int64_t context, dtype kv) {
  return make_decode_plan(m, layer_gemm_shapes(m, q), q, r, d, seqs, prompts, shared_prompt, context, kv);
}

namespace detail {

/// Σ_{c=a}^{b} min(c, w) (w ≤ 0: no cap), a ≤ b.
[[nodiscard]] constexpr double sum_min(std::int64_t a, std::int64_t b, std::int64_t w) {
  const auto series = [](std::int64_t lo, std::int64_t hi) {
    return lo > hi ? 0.0 : (static_cast<double>(lo) + static_cast<double>(hi)) *
                               static_cast<double>(hi - lo + 1) / 2.0;
  };
  if (w <= 0 || b <= w) return series(a, b);
  if (a > w) return static_cast<double>(w) * static_cast<double>(b - a + 1);
  return series(a, w) + static_cast<double>(w) * static_cast<double>(b - w);
}

/// Σ_{j=lo}^{hi} f(j) for f affine on [lo, hi] (exact from the end points).
template <class T>
[[nodiscard]] constexpr T affine_sum(std::int64_t lo, std::int64_t hi, const T& f_lo,
                                     const T& f_hi) {
  return (f_lo + f_hi) * T(static_cast<double>(hi - lo + 1)) / T(2);
}

}  // namespace detail

/// Σ_{j=lo}^{hi} step_at_block(j), exactly, in O(breakpoints).
template <class T>
[[nodiscard]] constexpr T sum_blocks(const decode_plan_core<T>& p, std::int64_t lo, std::int64_t hi) {
  if (lo > hi) return T(0);
  // Breakpoints of the device time in j: window caps and compute/memory
  // crossovers. Segments [b_i + 1, b_{i+1}] are affine in j.
  std::array<std::int64_t, 8> bps{};
  std::size_t nb = 0;
  for (int i = 0; i < p.group_count; ++i) {
    const auto& g = p.groups[static_cast<std::size_t>(i)];
    if (g.window > 0) bps[nb++] = g.window / p.block;  // x = j·P ≤ W for j ≤ ⌊W/P⌋
    const T dc = g.c.c1 - g.c.m1;
    if (dc != T(0)) {
      const double xs = static_cast<double>((g.c.m0 - g.c.c0) / dc);
      const double js = xs / static_cast<double>(p.block);
      if (js > static_cast<double>(lo) && js < static_cast<double>(hi))
        bps[nb++] = static_cast<std::int64_t>(js);  // floor for positive js
    }
  }
  for (std::size_t i = 1; i < nb; ++i)  // insertion sort (≤ 4 entries)
    for (std::size_t j = i; j > 0 && bps[j] < bps[j - 1]; --j) std::swap(bps[j], bps[j - 1]);
  T total{};
  std::int64_t start = lo;
  for (std::size_t i = 0; i <= nb && start <= hi; ++i) {
    std::int64_t end = i < nb ? bps[i] : hi;
    if (end < start) continue;
    if (end > hi) end = hi;
    // Device time is affine on [start, end]; split where it crosses H.
    const T d_lo = p.device_at_block(start), d_hi = p.device_at_block(end);
    // Overlapped host work: the threshold is H + S and nothing is added.
    const T h = p.overlap ? p.host_launch_s + p.host_serial_s : p.host_launch_s;
    const T s = p.overlap ? T(0) : p.host_serial_s;
    if (!(d_lo < h) || !(h < d_hi)) {  // one side of H throughout
      const T f_lo = detail::max_t(d_lo, h) + s, f_hi = detail::max_t(d_hi, h) + s;
      total += detail::affine_sum(start, end, f_lo, f_hi);
    } else {
      const double frac = static_cast<double>((h - d_lo) / (d_hi - d_lo));
      auto jc = start + static_cast<std::int64_t>(frac * static_cast<double>(end - start));
      while (jc < end && !(h < p.device_at_block(jc + 1))) ++jc;  // guard rounding
      while (jc >= start && h < p.device_at_block(jc)) --jc;
      if (jc >= start) total += T(static_cast<double>(jc - start + 1)) * (h + s);
      if (jc + 1 <= end)
        total += detail::affine_sum(jc + 1, end, p.device_at_block(jc + 1) + s, d_hi + s);
    }
    start = end + 1;
  }
  return total;
}

/// Σ_{c=a}^{b} step_at(c), exactly (a ≤ b).
template <class T>
[[nodiscard]] constexpr T sum_steps(const decode_plan_core<T>& p, std::int64_t a, std::int64_t b) {
  if (a > b) return T(0);
  const std::int64_t P = p.block;
  const std::int64_t ja = detail::ceil_div(a, P), jb = detail::ceil_div(b, P);
  if (ja == jb) return T(static_cast<double>(b - a + 1)) * p.step_at_block(ja);
  T total = T(static_cast<double>(ja * P - a + 1)) * p.step_at_block(ja);  // partial first block
  total += T(static_cast<double>(b - (jb - 1) * P)) * p.step_at_block(jb); // partial last block
  if (jb - 1 >= ja + 1) total += T(static_cast<double>(P)) * sum_blocks(p, ja + 1, jb - 1);
  return total;
}

/// Dynamic energy of the step at context c (unpadded KV tokens, as the op accounting).
template <class T>
[[nodiscard]] constexpr T step_dynamic_j(const decode_plan_core<T>& p, std::int64_t c) {
  T e = p.fixed_dynamic_j;
  for (int i = 0; i < p.group_count; ++i) {
    const auto& g = p.groups[static_cast<std::size_t>(i)];
    const std::int64_t x = (g.window > 0 && c > g.window) ? g.window : c;
    e += g.energy_per_token * T(static_cast<double>(x)) + g.energy_offset;
  }
  return e;
}

/// Accelerator-rail power of the decode step at context c.
template <class T>
[[nodiscard]] constexpr T step_power(const decode_plan_core<T>& p, std::int64_t c) {
  const T t = p.step_at(c);
  const T e = p.static_w * t + step_dynamic_j(p, c) + p.host_w * (p.host_launch_s + p.host_serial_s);
  return t > T(0) ? e / t : T(0);
}

/// Totals of a decode phase.
template <class T = double>
struct decode_totals {
  T time_s{};       ///< Σ of the O − 1 step times
  T energy_j{};     ///< accelerator rail: idle · time + dynamic + host
  T module_energy_j{};
  T dynamic_j{};    ///< Σ dynamic energy of the steps
  T host_busy_s{};    ///< host time (launch + serial work) over the steps
  T first_power_w{};  ///< accelerator-rail power of the first step
  T last_power_w{};   ///< accelerator-rail power of the last step
  double flops{0};  ///< useful FLOPs over the steps
  double bytes{0};  ///< bytes over the steps
  std::int64_t steps{0};
};

/// Decode of O tokens after a prompt of I: steps k = 1 … O − 1 at context I + k.
template <class T>
[[nodiscard]] constexpr decode_totals<T> decode_total(const decode_plan_core<T>& p,
                                                      std::int64_t input_tokens,
                                                      std::int64_t output_tokens) {
  decode_totals<T> t{};
  if (output_tokens <= 1) return t;
  const std::int64_t a = input_tokens + 1, b = input_tokens + output_tokens - 1;
  t.steps = b - a + 1;
  t.time_s = sum_steps(p, a, b);
  const double n = static_cast<double>(t.steps);
  t.flops = p.fixed_flops * n;
  t.bytes = p.fixed_bytes * n;
  t.dynamic_j = p.fixed_dynamic_j * T(n);
  for (int i = 0; i < p.group_count; ++i) {
    const auto& g = p.groups[static_cast<std::size_t>(i)];
    const double keys = detail::sum_min(a, b, g.window);
    t.flops += g.flops_per_token * keys;
    t.bytes += g.read_per_token * keys + g.read_offset * n;
    t.dynamic_j += g.energy_per_token * T(keys) + g.energy_offset * T(n);
  }
  const T host_t = (p.host_launch_s + p.host_serial_s) * T(n);
  t.host_busy_s = host_t;
  t.energy_j = p.static_w * t.time_s + t.dynamic_j + p.host_w * host_t;
  t.module_energy_j = p.module_static_w * t.time_s + t.dynamic_j + (p.host_w + p.cpu_w) * host_t;
  t.first_power_w = step_power(p, a);
  t.last_power_w = step_power(p, b);
  return t;
}

}  // namespace edgeperf
