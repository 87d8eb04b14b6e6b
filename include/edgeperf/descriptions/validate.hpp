#pragma once
/// @file
/// Description checks: whether a model, quant format, device (in one power
/// mode), runtime and workload form a case the model can estimate. Used by
/// phases/ (`estimate_request` validates first) and by io/ (a loaded profile
/// must pass the same checks, on top of the file format's own rules), so a
/// bad description gets the same message wherever it comes from.
///
/// The `check_*` functions return "" when valid and a message otherwise; they
/// allocate only on failure (validation runs in the planner's inner loop).
/// `validate_case` wraps them as a `result<bool>` with an `errc`.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/detail/inline.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/descriptions/spec_ranges.hpp"
#include "edgeperf/descriptions/workload.hpp"
#include "edgeperf/result.hpp"

namespace edgeperf {

namespace detail {

/// Largest magnitude a device or runtime number may have: beyond it products
/// of rates (clock × FLOP/clk × SMs) or energies (pJ × FLOPs) can overflow a
/// double and give inf/NaN times. A sanity bound, not a spec.
inline constexpr double max_spec_value = 1e30;
/// Smallest positive value of a number the model divides by (clocks, widths,
/// SM and core counts): below it a step time can overflow to inf.
inline constexpr double min_divisor_value = 1e-30;
/// Most tokens one request may hold, batch × samples × (input + output):
/// 2^36 keeps every integer tile and token count of a step inside int64.
inline constexpr double max_request_tokens = 68719476736.0;  // 2^36
/// Largest width of one dimension (hidden, ffn, q/kv width, expert ffn) and of
/// the vocabulary, layer and expert counts the integer accounting supports.
inline constexpr std::int64_t max_model_width = std::int64_t{1} << 22;  // 4,194,304
inline constexpr std::int64_t max_model_layers = std::int64_t{1} << 16;
inline constexpr std::int64_t max_model_experts = std::int64_t{1} << 16;
/// Most parameters a model may have (1e15: a thousand times a 1T model),
/// keeping element and byte counts exact in int64 and double.
inline constexpr double max_model_params = 1e15;

/// Shortest rendering of a double for messages ("0.95", "3.2e+09", "nan").
inline std::string show_number(double x) {
  if (x != x) return "nan";
  if (x == std::numeric_limits<double>::infinity()) return "inf";
  if (x == -std::numeric_limits<double>::infinity()) return "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

/// What a message is about ("device 'agx-orin-64gb' mode 'MAXN'"), built only
/// when a check fails: validation runs in the planner's inner loop and must
/// not allocate on the success path.
struct spec_label {
  std::string_view kind, id, mode{};
  [[nodiscard]] std::string str() const {
    std::string out = std::string(kind) + " '" + std::string(id) + "'";
    if (!mode.empty()) out += " mode '" + std::string(mode) + "'";
    return out;
  }
};
inline std::string operator+(const spec_label& l, const char* s) { return l.str() + s; }
inline std::string operator+(const spec_label& l, const std::string& s) { return l.str() + s; }

/// Checks one `sourced` number of a device, mode or runtime: finite, >= 0,
/// at most `max_spec_value`; when `divisor`, also >= `min_divisor_value`;
/// when `fraction`, in (0, 1] (0 allowed = "use 1"). Returns "" when valid.
/// What is wrong with a number for `check_spec_number`, or nullptr when nothing.
[[nodiscard]] constexpr const char* spec_number_problem(double v, bool divisor, bool fraction) {
  if (!(v == v) || v == std::numeric_limits<double>::infinity() ||
      v == -std::numeric_limits<double>::infinity())
    return "expected a finite number";
  if (v < 0) return "expected a value >= 0";
  if (v > max_spec_value) return "expected at most 1e30 (larger values overflow the estimate)";
  if (divisor && v < min_divisor_value) return "expected a value > 0 (the model divides by it)";
  if (fraction && v > 1) return "expected a fraction in (0, 1] (0 = 1)";
  return nullptr;
}

inline std::string check_spec_number(const spec_label& what, const char* field, double v,
                                     bool divisor, bool fraction) {
  const char* why = spec_number_problem(v, divisor, fraction);
  if (why == nullptr) return {};
  return what + ": field '" + field + "' = " + show_number(v) + ": " + why;
}

/// The physical range of `field` (descriptions/spec_ranges.hpp) checked on
/// `v`; "" when inside it or when the field has no range there.
inline std::string check_spec_range(const spec_label& what, const spec_range* r, const char* field,
                                    double v) {
  if (r == nullptr || in_range(*r, v)) return {};
  return what + ": field '" + field + "' = " + show_number(v) + ": expected " +
         (r->zero_ok ? "0 or " : "") + "a value in [" + show_number(r->lo) + ", " +
         show_number(r->hi) + "] (" + std::string(r->why) + ")";
}

template <std::size_t N>
inline std::string check_spec_range(const spec_label& what, const spec_range (&table)[N],
                                    const char* field, double v) {
  return check_spec_range(what, find_range(table, field), field, v);
}

/// The same, looking `field` up with a cursor (fields checked in table order).
template <std::size_t N>
inline std::string check_spec_range(const spec_label& what, range_cursor<N>& table, const char* field,
                                    double v) {
  return check_spec_range(what, table.find(field), field, v);
}

/// The numbers of a device that `check_device` checks, in its order:
/// `f(field, value, divisor, fraction)` (see `check_spec_number`).
template <class F>
constexpr void visit_device_numbers(const device_spec& d, F&& f) {
  f("sm_count", d.sm_count, true, false);
  f("tensor_fp16_flops_per_clk", d.tensor_fp16_flops_per_clk, false, false);
  f("tensor_bf16_flops_per_clk", d.tensor_bf16_flops_per_clk, false, false);
  f("tensor_int8_ops_per_clk", d.tensor_int8_ops_per_clk, false, false);
  f("tensor_fp8_flops_per_clk", d.tensor_fp8_flops_per_clk, false, false);
  f("cuda_fp32_flops_per_clk", d.cuda_fp32_flops_per_clk, true, false);
  f("cuda_fp16_flops_per_clk", d.cuda_fp16_flops_per_clk, true, false);
  f("gpu_clock_hz", d.gpu_clock_hz, true, false);
  f("tensor_efficiency", d.tensor_efficiency, false, true);
  f("cuda_efficiency", d.cuda_efficiency, false, true);
  f("mem_bus_bits", d.mem_bus_bits, true, false);
  f("emc_clock_hz", d.emc_clock_hz, true, false);
  f("mem_transfers_per_clk", d.mem_transfers_per_clk, true, false);
  f("mem_efficiency", d.mem_efficiency, false, true);
  f("mem_latency_s", d.mem_latency_s, false, false);
  f("l2_bytes", d.l2_bytes, false, false);
  f("l2_bytes_per_s", d.l2_bytes_per_s, false, false);
  f("memory_bytes", d.memory_bytes, true, false);
  f("reserved_bytes", d.reserved_bytes, false, false);
  f("storage_bytes_per_s", d.storage_bytes_per_s, false, false);
  f("launch_overhead_s", d.launch_overhead_s, false, false);
  f("graph_node_overhead_s", d.graph_node_overhead_s, false, false);
  f("cpu_cores", d.cpu_cores, false, false);
  f("cpu_clock_hz", d.cpu_clock_hz, false, false);
  f("host_speed", d.host_speed, false, false);
  f("pj_per_flop_tensor", d.pj_per_flop_tensor, false, false);
  f("pj_per_flop_cuda", d.pj_per_flop_cuda, false, false);
  f("pj_per_byte_dram", d.pj_per_byte_dram, false, false);
  f("host_active_power_w", d.host_active_power_w, false, false);
  f("cpu_active_power_w", d.cpu_active_power_w, false, false);
  f("sensor_ramp_s", d.sensor_ramp_s, false, false);
  f("price_usd", d.price_usd, false, false);
}

/// The numbers of a power mode that `check_device` checks (0 = the device's value).
template <class F>
constexpr void visit_mode_numbers(const power_mode& m, F&& f) {
  f("gpu_clock_hz", m.gpu_clock_hz, false, false);
  f("emc_clock_hz", m.emc_clock_hz, false, false);
  f("active_sms", m.active_sms, false, false);
  f("cpu_cores", m.cpu_cores, false, false);
  f("cpu_clock_hz", m.cpu_clock_hz, false, false);
  f("static_power_w", m.static_power_w, false, false);
  f("module_static_power_w", m.module_static_power_w, false, false);
  f("power_cap_w", m.power_cap_w, false, false);
  f("dyn_energy_scale", m.dyn_energy_scale, false, false);
}

/// The numbers of a runtime that `check_runtime` checks (kernel_efficiency:
/// relative to cuBLAS, 0 = 1; profile_json.hpp allows up to 2).
template <class F>
constexpr void visit_runtime_numbers(const runtime_spec& r, F&& f) {
  f("host_per_launch_s", r.host_per_launch_s, false, false);
  f("host_per_step_s", r.host_per_step_s, false, false);
  f("host_per_seq_s", r.host_per_seq_s, false, false);
  f("graph_launch_s", r.graph_launch_s, false, false);
  f("sync_s", r.sync_s, false, false);
  f("kernel_efficiency", r.kernel_efficiency, false, false);
  f("dequant_efficiency", r.dequant_efficiency, false, true);
}

/// Whether `visit(f)` passes exactly the fields of `table`, in its order.
template <std::size_t N, class Visit>
constexpr bool visits_table_in_order(const spec_range (&table)[N], Visit&& visit) {
  std::size_t i = 0;
  bool ok = true;
  visit([&](const char* f, const sourced&, bool, bool) {
    ok = ok && i < N && table[i].field == std::string_view(f);
    ++i;
  });
  return ok && i == N;
}
static_assert(visits_table_in_order(device_ranges, [](auto&& f) { visit_device_numbers(device_spec{}, f); }));
static_assert(visits_table_in_order(mode_ranges, [](auto&& f) { visit_mode_numbers(power_mode{}, f); }));
static_assert(visits_table_in_order(runtime_ranges, [](auto&& f) { visit_runtime_numbers(runtime_spec{}, f); }));

/// Whether every number `visit(f)` passes to `f` passes `check_spec_number`
/// and its range in `table` (`check_spec_range`): the same tests, without
/// building a string. The i-th number's range is `table[i]` (what
/// `find_range` finds for its field: the static_asserts above). When false,
/// the checks run again for the message.
template <std::size_t N, class Visit>
constexpr bool numbers_ok(const spec_range (&table)[N], Visit&& visit) {
  std::size_t i = 0;
  bool ok = true;
  // `spec_number_problem(v, …) == nullptr && in_range(table[i], v)` folded
  // into one interval test (validation runs per request): v = 0 passes where
  // the range allows 0 and v is no divisor; any other v must be > 0 (not NaN,
  // not negative) and inside the range clipped to [1e-30, …] for divisors
  // and to [… , 1] for fractions and [… , 1e30] for all. Inlined at every
  // field, the bounds fold to constants.
  visit([&](const char*, const sourced& s, bool divisor, bool fraction) EDGEPERF_ALWAYS_INLINE {
    const double v = s.value;
    const spec_range& r = table[i++];
    const double lo = divisor && r.lo < min_divisor_value ? min_divisor_value : r.lo;
    const double hi_spec = r.hi < max_spec_value ? r.hi : max_spec_value;
    const double hi = fraction && hi_spec > 1 ? 1.0 : hi_spec;
    ok &= ((v > 0) & (v >= lo) & (v <= hi)) | ((v == 0) & r.zero_ok & !divisor);
  });
  return ok;
}

}  // namespace detail

/// The device checks of `validate_case` for power mode `mode_index` (which
/// must be in range): every number finite, >= 0 and at most 1e30, divisors
/// > 0, fractions <= 1 (0 = 1), mode numbers 0 (the device's value) or
/// >= 1e-30, cores on CPU boards; then every field's physical range
/// (descriptions/spec_ranges.hpp). Returns "" when valid, else a message
/// naming the device, mode, field, value and the constraint.
[[nodiscard]] inline std::string check_device(const device_spec& d, int mode_index) {
  const detail::spec_label what{"device", d.id.view()};
  // Physical ranges (descriptions/spec_ranges.hpp) are reported after the
  // specific checks below, so that those keep their own messages.
  std::string range_error;
  range_cursor<std::size(device_ranges)> ranges{device_ranges};  // fields checked in table order
  // The success path builds no string (validation runs per request): a
  // predicate pass first; the messages only when a number fails.
  if (!detail::numbers_ok(device_ranges, [&](auto&& f) { detail::visit_device_numbers(d, f); })) {
    std::string first;
    detail::visit_device_numbers(d, [&](const char* f, const sourced& s, bool divisor, bool fraction) {
      if (!first.empty()) return;
      first = detail::check_spec_number(what, f, s.value, divisor, fraction);
      if (first.empty() && range_error.empty()) range_error = detail::check_spec_range(what, ranges, f, s.value);
    });
    if (!first.empty()) return first;
  }
  if (d.mode_count < 0 || d.mode_count > static_cast<int>(max_power_modes))
    return what + ": mode_count = " + std::to_string(d.mode_count) + ": expected 0.." +
           std::to_string(max_power_modes);
  if (d.mode_count > 0) {
    const power_mode& m = d.modes[static_cast<std::size_t>(mode_index)];
    const detail::spec_label mw{"device", d.id.view(), m.name.view()};
    range_cursor<std::size(mode_ranges)> mranges{mode_ranges};
    // 0 means "the device's value" for clocks, SMs and cores (resolve()).
    if (!detail::numbers_ok(mode_ranges, [&](auto&& f) { detail::visit_mode_numbers(m, f); })) {
      std::string first;
      detail::visit_mode_numbers(m, [&](const char* f, const sourced& s, bool divisor, bool fraction) {
        if (!first.empty()) return;
        first = detail::check_spec_number(mw, f, s.value, divisor, fraction);
        if (first.empty() && range_error.empty()) range_error = detail::check_spec_range(mw, mranges, f, s.value);
      });
      if (!first.empty()) return first;
    }
    const std::pair<const char*, double> zero_or_value[] = {{"gpu_clock_hz", m.gpu_clock_hz.value},
                                                            {"emc_clock_hz", m.emc_clock_hz.value},
                                                            {"active_sms", m.active_sms.value},
                                                            {"cpu_cores", m.cpu_cores.value},
                                                            {"cpu_clock_hz", m.cpu_clock_hz.value}};
    for (const auto& [f, v] : zero_or_value)  // the message only for the first that fails
      if (v > 0 && v < detail::min_divisor_value)
        return mw + ": field '" + f + "' = " + detail::show_number(v) +
               ": expected 0 (the device's value) or a value >= 1e-30";
    // A budget binds by throttling towards the module's idle power
    // (phases/power_cap.hpp): it must lie above it.
    if (m.power_cap_w.value > 0 && !(m.module_static_power_w.value < m.power_cap_w.value))
      return mw + ": field 'power_cap_w' = " + detail::show_number(m.power_cap_w.value) +
             ": expected 0 (no budget) or a budget above module_static_power_w = " +
             detail::show_number(m.module_static_power_w.value);
  }
  if (d.kind == device_kind::cpu) {  // CPU boards: cores at the CPU clock do the math
    const power_mode* m = d.mode_count > 0 ? &d.modes[static_cast<std::size_t>(mode_index)] : nullptr;
    const double cores = m && m->cpu_cores.value > 0 ? m->cpu_cores.value : d.sm_count.value;
    const double clock = m && m->cpu_clock_hz.value > 0 ? m->cpu_clock_hz.value : d.cpu_clock_hz.value;
    if (!(cores >= detail::min_divisor_value))
      return what + ": CPU board without cores (sm_count or the mode's cpu_cores must be > 0)";
    if (clock > 0 && clock < detail::min_divisor_value)
      return what + ": field 'cpu_clock_hz' = " + detail::show_number(clock) + ": expected a value >= 1e-30";
  }
  return range_error;
}

/// The runtime checks of `validate_case`: numbers as for devices,
/// kernel_efficiency in (0, 2], launch counts and attention blocks >= 0,
/// tiles with m, n >= 1 and an efficiency in (0, 1]. "" when valid.
[[nodiscard]] inline std::string check_runtime(const runtime_spec& r) {
  const detail::spec_label what{"runtime", r.id.view()};
  std::string range_error;  // physical ranges, reported after the specific checks
  range_cursor<std::size(runtime_ranges)> ranges{runtime_ranges};  // fields checked in table order
  if (!detail::numbers_ok(runtime_ranges, [&](auto&& f) { detail::visit_runtime_numbers(r, f); })) {
    std::string first;
    detail::visit_runtime_numbers(r, [&](const char* f, const sourced& s, bool divisor, bool fraction) {
      if (!first.empty()) return;
      first = detail::check_spec_number(what, f, s.value, divisor, fraction);
      if (first.empty() && range_error.empty()) range_error = detail::check_spec_range(what, ranges, f, s.value);
    });
    if (!first.empty()) return first;
  }
  if (r.kernel_efficiency.value > 2)
    return what + ": field 'kernel_efficiency' = " + detail::show_number(r.kernel_efficiency.value) +
           ": expected a value in (0, 2] (relative to cuBLAS; 0 = 1)";
  const std::pair<const char*, int> counts[] = {{"launches_per_layer_prefill", r.launches_per_layer_prefill},
                                                {"launches_per_layer_decode", r.launches_per_layer_decode},
                                                {"launches_head", r.launches_head},
                                                {"attn_q_block", r.attn_q_block},
                                                {"attn_kv_block", r.attn_kv_block}};
  for (const auto& [f, v] : counts)  // the message only for the first that fails
    if (v < 0) return what + ": field '" + f + "' = " + std::to_string(v) + ": expected an integer >= 0";
  if (r.tile_count < 0 || r.tile_count > static_cast<int>(max_gemm_tiles))
    return what + ": tile_count = " + std::to_string(r.tile_count) + ": expected 0.." +
           std::to_string(max_gemm_tiles);
  for (int i = 0; i < r.tile_count; ++i) {
    const gemm_tile& t = r.tiles[static_cast<std::size_t>(i)];
    const auto f = [&] { return what + ": tiles[" + std::to_string(i) + "]"; };
    if (t.m < 1 || t.n < 1 || t.ctas_per_sm < 0)
      return f() + " = {m: " + std::to_string(t.m) + ", n: " + std::to_string(t.n) + ", ctas_per_sm: " +
             std::to_string(t.ctas_per_sm) + "}: expected m, n >= 1 and ctas_per_sm >= 0 (0 = 1)";
    if (!(t.efficiency >= 0 && t.efficiency <= 1))  // NaN fails too
      return f() + ".efficiency = " + detail::show_number(t.efficiency) + ": expected a fraction in (0, 1] (0 = 1)";
  }
  return range_error;
}

/// The model checks of `validate_case` beyond the basic sizes: widths,
/// layer, vocabulary and expert counts within what the integer accounting
/// supports, MoE routing, fractions, and at most 1e15 parameters. "" when valid.
[[nodiscard]] inline std::string check_model(const model_spec& m) {
  const detail::spec_label what{"model", m.id.view()};
  const auto field = [&](const char* f, std::int64_t v, const std::string& expected) {
    return what + ": " + f + " = " + std::to_string(v) + ": expected " + expected;
  };
  const auto w = [] { return std::to_string(detail::max_model_width); };  // only in messages
  if (m.layers > detail::max_model_layers) return field("layers", m.layers, "at most " + std::to_string(detail::max_model_layers));
  if (m.hidden > detail::max_model_width) return field("hidden", m.hidden, "at most " + w());
  if (m.ffn > detail::max_model_width) return field("ffn", m.ffn, "at most " + w());
  if (m.ffn < 0) return field("ffn", m.ffn, "a width >= 0");
  if (q_width(m) > detail::max_model_width)
    return field("heads × head_dim", q_width(m), "at most " + w());
  if (m.vocab > (std::int64_t{1} << 24)) return field("vocab", m.vocab, "at most 16777216");
  if (m.max_context < 0) return field("max_context", m.max_context, ">= 0 (0 = no limit)");
  if (m.sliding_window < 0) return field("sliding_window", m.sliding_window, ">= 0 (0 = none)");
  if (m.sliding_pattern < 0) return field("sliding_pattern", m.sliding_pattern, ">= 0");
  if (m.norms_per_layer < 0) return field("norms_per_layer", m.norms_per_layer, ">= 0");
  if (!(m.partial_rotary >= 0 && m.partial_rotary <= 1))
    return what + ": partial_rotary = " + detail::show_number(m.partial_rotary) + ": expected a fraction in [0, 1]";
  if (!std::isfinite(m.rope_theta) || m.rope_theta < 0)
    return what + ": rope_theta = " + detail::show_number(m.rope_theta) + ": expected a finite value >= 0";
  if (m.moe.experts < 0) return field("moe.experts", m.moe.experts, ">= 0 (0 = dense)");
  if (m.moe.enabled()) {
    if (m.moe.experts > detail::max_model_experts)
      return field("moe.experts", m.moe.experts, "at most " + std::to_string(detail::max_model_experts));
    if (m.moe.top_k < 1 || m.moe.top_k > m.moe.experts)
      return field("moe.top_k", m.moe.top_k, "1.." + std::to_string(m.moe.experts) + " (the expert count)");
    if (m.moe.expert_ffn < 1 || m.moe.expert_ffn > detail::max_model_width)
      return field("moe.expert_ffn", m.moe.expert_ffn, "1.." + w());
    if (m.moe.shared_ffn < 0 || m.moe.shared_ffn > detail::max_model_width)
      return field("moe.shared_ffn", m.moe.shared_ffn, "0.." + w());
    if (m.moe.sparse_step < 1) return field("moe.sparse_step", m.moe.sparse_step, ">= 1");
    if (m.moe.first_dense < 0 || m.moe.first_dense > m.layers)
      return field("moe.first_dense", m.moe.first_dense, "0..layers (" + std::to_string(m.layers) + ")");
  }
  if (m.mla.kv_lora_rank < 0) return field("mla.kv_lora_rank", m.mla.kv_lora_rank, ">= 0 (0 = no MLA)");
  if (m.mla.enabled()) {
    if (m.mla.kv_lora_rank > detail::max_model_width)
      return field("mla.kv_lora_rank", m.mla.kv_lora_rank, "at most " + w());
    if (m.mla.q_lora_rank < 0 || m.mla.q_lora_rank > detail::max_model_width)
      return field("mla.q_lora_rank", m.mla.q_lora_rank, "0.." + w() + " (0 = plain q_proj)");
    if (m.mla.qk_nope_head_dim < 1 || m.mla.qk_nope_head_dim > detail::max_model_width)
      return field("mla.qk_nope_head_dim", m.mla.qk_nope_head_dim, "1.." + w());
    if (m.mla.qk_rope_head_dim < 1 || m.mla.qk_rope_head_dim > detail::max_model_width)
      return field("mla.qk_rope_head_dim", m.mla.qk_rope_head_dim, "1.." + w());
    if (m.mla.v_head_dim < 1 || m.mla.v_head_dim > detail::max_model_width)
      return field("mla.v_head_dim", m.mla.v_head_dim, "1.." + w());
    if (m.head_dim != m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim)
      return field("head_dim", m.head_dim, "qk_nope_head_dim + qk_rope_head_dim with MLA");
    if (m.kv_heads != m.heads) return field("kv_heads", m.kv_heads, "heads with MLA");
    if (o_width(m) > detail::max_model_width) return field("heads × v_head_dim", o_width(m), "at most " + w());
  }
  if (m.vision_params < 0 || static_cast<double>(m.vision_params) > detail::max_model_params)
    return field("vision_params", m.vision_params, "0..1e15");
  // Parameter bound in double (no int64 overflow while checking).
  const double h = m.hidden, qw = static_cast<double>(q_width(m)), kvw = static_cast<double>(kv_width(m));
  const double per_layer = h * (qw + 2 * kvw) + qw * h + 3 * h * m.ffn +
                           (m.moe.enabled() ? 3.0 * h * m.moe.expert_ffn * m.moe.experts +
                                                  3.0 * h * m.moe.shared_ffn
                                            : 0.0);
  const double params = per_layer * m.layers + 2.0 * h * m.vocab;
  if (params > detail::max_model_params)
    return what + ": about " + detail::show_number(params) +
           " parameters: expected at most 1e15 (the accounting's exact integer range)";
  return {};
}

/// The quant-format checks of `validate_case`: group sizes, scale and zero
/// bits, KV grouping. "" when valid.
[[nodiscard]] inline std::string check_quant(const quant_spec& q) {
  const detail::spec_label what{"quant", q.id.view()};
  const auto fmt = [&](const char* f, const weight_format& w) -> std::string {
    if (w.group_size < -1)
      return what + ": " + f + ".group_size = " + std::to_string(w.group_size) +
             ": expected -1 (per channel), 0 (none) or a group size >= 1";
    if (w.scale_bits < 0 || w.zero_bits < 0)
      return what + ": " + f + ": scale_bits and zero_bits must be >= 0, got " +
             std::to_string(w.scale_bits) + " and " + std::to_string(w.zero_bits);
    return {};
  };
  const std::pair<const char*, const weight_format*> formats[] = {
      {"linear", &q.linear}, {"upgraded", &q.upgraded}, {"embed", &q.embed}, {"lm_head", &q.lm_head}};
  for (const auto& [f, w] : formats)  // the message only for the first that fails
    if (w->group_size < -1 || w->scale_bits < 0 || w->zero_bits < 0) return fmt(f, *w);
  if (q.kv_group < 0 || q.kv_scale_bits < 0 || q.dequant_ops_per_weight < 0)
    return what + ": kv_group, kv_scale_bits and dequant_ops_per_weight must be >= 0, got " +
           std::to_string(q.kv_group) + ", " + std::to_string(q.kv_scale_bits) + ", " +
           std::to_string(q.dequant_ops_per_weight);
  return {};
}

/// Checks the case's domain: the workload's sizes (and their product, bounded
/// so that integer counts cannot overflow), the model's shapes (positive
/// sizes, heads divisible into KV groups, MoE routing, context within
/// max_context), the quant format, every number of the device and its mode
/// (finite, >= 0, divisors > 0, fractions <= 1: nothing that would make a time
/// NaN, inf or negative) and of the runtime, the mode index, and the
/// supported combinations. Errors name the value and the constraint
/// (`errc::invalid_argument`) or the unsupported pair (`errc::unsupported`).
/// A case that does not fit in memory is valid: `estimate_request` reports it
/// with `memory.fits == false`.
[[nodiscard]] inline result<bool> validate_case(const model_spec& m, const quant_spec& q,
                                                const device_spec& d, int mode_index,
                                                const runtime_spec& r, const workload& w) {
  const auto bad = [](errc code, std::string msg) { return result<bool>(make_error(code, std::move(msg))); };
  if (w.batch < 1) return bad(errc::invalid_argument, "batch must be >= 1, got " + std::to_string(w.batch));
  if (w.samples < 1) return bad(errc::invalid_argument, "samples must be >= 1, got " + std::to_string(w.samples));
  if (w.input_tokens < 1)
    return bad(errc::invalid_argument, "input_tokens must be >= 1, got " + std::to_string(w.input_tokens));
  if (w.output_tokens < 1)
    return bad(errc::invalid_argument, "output_tokens must be >= 1, got " + std::to_string(w.output_tokens));
  if (w.kv_dtype && dtype_bits(*w.kv_dtype) <= 0)
    return bad(errc::invalid_argument, "kv_dtype must be a known dtype");
  {
    const double tokens = static_cast<double>(w.batch) * w.samples *
                          (static_cast<double>(w.input_tokens) + w.output_tokens);
    if (tokens > detail::max_request_tokens)
      return bad(errc::invalid_argument,
                 "batch × samples × (input_tokens + output_tokens) = " + detail::show_number(tokens) +
                     " tokens: expected at most 2^36 = 68719476736 in one request");
  }
  const auto mid = [&] { return std::string(m.id.view()); };  // built on failure only
  if (m.layers < 1 || m.hidden < 1 || m.heads < 1 || m.kv_heads < 1 || m.head_dim < 1 || m.vocab < 1)
    return bad(errc::invalid_argument, "model '" + mid() + "': layers, hidden, heads, kv_heads, head_dim and vocab must be >= 1, got " +
                                           std::to_string(m.layers) + ", " + std::to_string(m.hidden) + ", " +
                                           std::to_string(m.heads) + ", " + std::to_string(m.kv_heads) + ", " +
                                           std::to_string(m.head_dim) + ", " + std::to_string(m.vocab));
  if (m.heads % m.kv_heads != 0)
    return bad(errc::invalid_argument, "model '" + mid() + "': heads (" + std::to_string(m.heads) +
                                           ") must be a multiple of kv_heads (" + std::to_string(m.kv_heads) + ")");
  if (m.ffn < 1 && !m.moe.enabled())
    return bad(errc::invalid_argument, "model '" + mid() + "': ffn must be >= 1, got " + std::to_string(m.ffn));
  if (auto e = check_model(m); !e.empty()) return bad(errc::invalid_argument, std::move(e));
  if (m.max_context > 0 &&
      static_cast<std::int64_t>(w.input_tokens) + w.output_tokens > m.max_context)
    return bad(errc::invalid_argument,
               "input_tokens + output_tokens = " + std::to_string(static_cast<std::int64_t>(w.input_tokens) + w.output_tokens) +
                   " exceeds model '" + mid() + "' max context " + std::to_string(m.max_context));
  if (auto e = check_quant(q); !e.empty()) return bad(errc::invalid_argument, std::move(e));
  if (mode_index < 0 || (d.mode_count > 0 && mode_index >= d.mode_count) ||
      (d.mode_count <= 0 && mode_index != 0))
    return bad(errc::invalid_argument, "mode index " + std::to_string(mode_index) + " out of range for device '" +
                                           std::string(d.id.view()) + "' (" + std::to_string(d.mode_count) +
                                           " modes)");
  if (auto e = check_device(d, mode_index); !e.empty()) return bad(errc::invalid_argument, std::move(e));
  if (auto e = check_runtime(r); !e.empty()) return bad(errc::invalid_argument, std::move(e));
  // Names only for the messages (built on failure: no allocation when valid).
  const auto rid = [&] { return std::string(r.id.view()); };
  const auto did = [&] { return std::string(d.id.view()); };
  const auto qid = [&] { return std::string(q.id.view()); };
  if (d.kind == device_kind::cpu && !r.cpu_backend)
    return bad(errc::unsupported, "runtime '" + rid() + "' does not run on CPU-only device '" + did() + "'");
  if (d.kind != device_kind::cpu && !r.gpu_backend)
    return bad(errc::unsupported, "runtime '" + rid() + "' does not run on GPU device '" + did() + "'");
  if (!supports(r, q.path))
    return bad(errc::unsupported, "runtime '" + rid() + "' has no " + to_string(q.path) + " kernels for quant '" + qid() + "'");
  if (q.path == compute_path::native_fp8 && d.tensor_fp8_flops_per_clk.value <= 0)
    return bad(errc::unsupported, "quant '" + qid() + "' needs FP8 tensor cores; device '" + did() + "' has none");
  if (q.path == compute_path::native_int8 && d.tensor_int8_ops_per_clk.value <= 0)
    return bad(errc::unsupported, "quant '" + qid() + "' needs INT8 tensor cores; device '" + did() + "' has none");
  if (q.path == compute_path::dequant_to_memory && dtype_bits(q.linear.elem) >= 8 &&
      d.tensor_int8_ops_per_clk.value <= 0)  // LLM.int8() (accounting/ops.hpp bnb_kernel)
    return bad(errc::unsupported, "quant '" + qid() + "' (LLM.int8()) runs an int8 matmul; device '" + did() +
                                      "' has no INT8 tensor cores");
  return result<bool>(true);
}

}  // namespace edgeperf
