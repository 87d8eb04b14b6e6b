#pragma once
/// @file
/// One forward step (a prefill of b × I tokens, or one decode step at context
/// c) on a device: Σ op times plus launch gaps on the device, overlapped with
/// the host's kernel launches, then the host work that does not overlap:
///   t_step = max(t_device, t_host_launch) + t_host_serial          (serial host work)
///   t_step = max(t_device, t_host_launch + t_host_serial)          (runtime_spec::host_overlap)
///   t_device = Σ_ops count · max(t_compute, t_mem) + launches · gap
///   t_host_launch = launches · h_launch  (or one graph replay with CUDA graphs)
///   t_host_serial = (h_step + seqs · h_seq) · host_scale + t_sync
/// Energy on the accelerator rail (docs/energy.md):
///   E_step = P_idle · t_step + Σ_ops count · E_dyn(op) + P_host · (t_host_launch + t_host_serial)
/// and on the module: P_module_idle · t_step + Σ E_dyn + (P_host + P_cpu) · t_host,
/// with P_host and P_cpu at the mode's (or the throttled) CPU clock, f·V², and
/// E_dyn at its V² (cost/device_state.hpp; the budget: phases/power_cap.hpp).
/// (DESIGN.md §5, docs/model.md "Steps").

#include <array>
#include <cstdint>

#include "edgeperf/accounting/ops.hpp"
#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/cost/op_cost.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/runtime.hpp"

namespace edgeperf {

/// One line of a step's per-op breakdown.
template <class T = double>
struct op_breakdown {
  const char* name;
  op_kind kind;
  double count;        ///< instances in the step
  double flops;        ///< useful FLOPs of all instances
  double bytes;        ///< bytes of all instances
  union {              // (a variant member: not constructed by the empty constructor below)
    op_cost<T> cost;   ///< per instance
  };
  T time_s;            ///< all instances: count · cost.time_s
  T energy_j;          ///< dynamic energy of all instances (accelerator rail)

  /// A line not filled in: its numbers are unset and `cost` is not
  /// constructed (`step_result::ops` past `op_count` are unspecified). Every
  /// `step_result` holds 24 lines; a request without the breakdown does not
  /// pay for writing them.
  constexpr op_breakdown() noexcept {}
  constexpr op_breakdown(const char* name_, op_kind kind_, double count_, double flops_, double bytes_,
                         const op_cost<T>& cost_, T time_s_, T energy_j_) noexcept
      : name(name_), kind(kind_), count(count_), flops(flops_), bytes(bytes_), cost(cost_), time_s(time_s_),
        energy_j(energy_j_) {}
};

/// Result of one step.
template <class T = double>
struct step_result {
  T time_s{};          ///< wall time of the step
  T device_s{};        ///< Σ op times + launch gaps
  T launch_gaps_s{};   ///< device-side launch gaps
  T host_launch_s{};   ///< host time issuing the step's kernels (overlaps the device)
  T host_serial_s{};   ///< host time that does not overlap (scheduler, sampling, sync)
  bound binds{bound::memory};  ///< host, launch, compute or memory
  T dynamic_j{};       ///< Σ op dynamic energy (accelerator rail)
  T static_j{};        ///< idle power of the mode × step time (accelerator rail)
  T host_j{};          ///< accelerator-rail power of host work × host time
  T energy_j{};        ///< accelerator rail: static + dynamic + host
  T module_energy_j{}; ///< module: module idle × time + dynamic + host + CPU rail
  T avg_power_w{};     ///< energy_j / time_s
  int launches{0};     ///< kernels launched
  double flops{0};     ///< useful FLOPs
  double bytes{0};     ///< bytes moved (weights, activations, KV)
  double weight_bytes{0};
  double kv_read_bytes{0};
  double kv_write_bytes{0};
  /// The per-op breakdown, `ops[0 .. op_count)` (0 ops when not asked for:
  /// request_options::breakdown); entries past `op_count` are unspecified.
  std::array<op_breakdown<T>, op_list::capacity> ops{};
  std::size_t op_count{0};
};

namespace detail {

/// Kernels one step launches (from the runtime's fusion).
[[nodiscard]] constexpr int step_launches(const model_spec& m, const runtime_spec& r, bool decode) {
  return (decode ? r.launches_per_layer_decode : r.launches_per_layer_prefill) * m.layers +
         r.launches_head;
}

/// Host launch time and launch gaps of a step.
template <class T>
constexpr void launch_costs(const runtime_spec& r, const device_state<T>& d, bool decode,
                            int launches, T& host_launch, T& gaps) {
  const bool graphs = decode ? r.graphs_decode : r.graphs_prefill;
  if (d.cpu) {
    host_launch = T(0);
    gaps = T(0);
    return;
  }
  host_launch = graphs ? T(r.graph_launch_s.value) * d.host_scale
                       : T(r.host_per_launch_s.value * launches) * d.host_scale;
  gaps = T(static_cast<double>(launches)) * (graphs ? d.graph_node_s : d.launch_s);
}

/// Host work that does not overlap the device.
template <class T>
[[nodiscard]] constexpr T host_serial(const runtime_spec& r, const device_state<T>& d,
                                      std::int64_t seqs) {
  return T(r.host_per_step_s.value + r.host_per_seq_s.value * static_cast<double>(seqs)) *
             d.host_scale +
         T(r.sync_s.value);
}

/// Step wall time: with asynchronous scheduling (runtime_spec::host_overlap)
/// all host work overlaps the device, max(t_device, t_launch + t_serial);
/// otherwise only the launches do, max(t_device, t_launch) + t_serial.
template <class T>
[[nodiscard]] constexpr T step_time(const runtime_spec& r, const T& device, const T& launch,
                                    const T& serial) {
  if (r.host_overlap) return max_t(device, launch + serial);
  return max_t(device, launch) + serial;
}

/// Fills the energy fields of a step whose times and dynamic energy are set.
template <class T>
constexpr void step_energy(const device_state<T>& d, step_result<T>& s) {
  const T host_t = s.host_launch_s + s.host_serial_s;
  s.static_j = d.static_w * s.time_s;
  s.host_j = d.host_active_w * host_t;
  s.energy_j = s.static_j + s.dynamic_j + s.host_j;
  s.module_energy_j = d.module_static_w * s.time_s + s.dynamic_j + (d.host_active_w + d.cpu_active_w) * host_t;
  s.avg_power_w = s.time_s > T(0) ? s.energy_j / s.time_s : T(0);
}

}  // namespace detail

/// The device state as a runtime's kernels see it: on Jetson GPUs the
/// runtime's mem_efficiency_jetson scales the device's achievable DRAM
/// bandwidth (what the silicon can do stays the device's).
template <class T = double>
[[nodiscard]] constexpr device_state<T> as_seen_by(device_state<T> d, const runtime_spec& r) {
  if (d.jetson && r.mem_efficiency_jetson.value > 0) d.dram_bytes_per_s *= T(r.mem_efficiency_jetson.value);
  return d;
}

/// Cost of one op instance of a step (GEMMs read the runtime's tile efficiencies from `tiles`).
template <class T = double>
[[nodiscard]] constexpr op_cost<T> cost_of(const op_instance& op, const device_state<T>& d,
                                           const runtime_spec& r, const step_shape& s,
                                           const tile_table& tiles) {
  switch (op.kind) {
    case op_kind::gemm: return gemm_cost(op, d, r, tiles, s.decode);
    case op_kind::attention: return attention_cost(op, d, r, s.decode, s.context);
    default: return simple_cost(op, d, r);
  }
}

/// Cost of one op instance of a step.
template <class T = double>
[[nodiscard]] constexpr op_cost<T> cost_of(const op_instance& op, const device_state<T>& d,
                                           const runtime_spec& r, const step_shape& s) {
  return cost_of(op, d, r, s, make_tile_table(r));
}

/// Evaluates one step whose op list is already built (`step_ops`) into `out`:
/// every field except `ops` is written; the per-op breakdown (`ops[0 ..
/// op_count)`) only when `breakdown`, else `op_count` is 0 and `ops` is left
/// as it was (no zeroing or copying of the 24 entries: the lean path). `op_time`/`op_energy`, when not null,
/// receive each op's `count · time_s` and dynamic energy (the breakdown's
/// `time_s` and `energy_j`), in op order. The numbers are those of
/// `step_cost_of_ops` to the last bit (that function is this one).
template <class T = double>
constexpr void step_cost_into(const model_spec& m, const op_list& ops, const runtime_spec& r,
                              const device_state<T>& d, const step_shape& s, const tile_table& tiles,
                              step_result<T>& out, bool breakdown, T* op_time = nullptr,
                              T* op_energy = nullptr) {
  out.time_s = T{};
  out.launch_gaps_s = T{};
  out.host_launch_s = T{};
  out.host_serial_s = T{};
  out.op_count = 0;
  // The sums run in locals (in `out` they would go through memory, the
  // compiler not knowing that `out` does not alias the ops), in op order as
  // before: the same numbers.
  T device_s{}, dynamic_j{}, compute_bound{}, memory_bound{};
  double flops = 0, bytes = 0, weight_bytes = 0, kv_read_bytes = 0, kv_write_bytes = 0;
  std::size_t i = 0;
  for (const op_instance& op : ops) {
    const op_cost<T> c = cost_of(op, d, r, s, tiles);
    const T t = T(op.count) * c.time_s;
    device_s += t;
    (c.binds == bound::compute ? compute_bound : memory_bound) += t;
    flops += op.flops * op.count;
    bytes += op.bytes() * op.count;
    weight_bytes += op.weight_bytes * op.count;
    kv_read_bytes += op.kv_read_bytes * op.count;
    kv_write_bytes += op.kv_write_bytes * op.count;
    const T e = T(op.count) * op_dynamic_energy(op, d, s.decode, op.kind == op_kind::gemm && c.tile.cuda_cores);
    dynamic_j += e;
    if (breakdown)
      out.ops[out.op_count++] = op_breakdown<T>{op.name, op.kind, op.count, op.flops * op.count,
                                                op.bytes() * op.count, c, t, e};
    if (op_time != nullptr) op_time[i] = t;
    if (op_energy != nullptr) op_energy[i] = e;
    ++i;
  }
  out.device_s = device_s;
  out.dynamic_j = dynamic_j;
  out.flops = flops;
  out.bytes = bytes;
  out.weight_bytes = weight_bytes;
  out.kv_read_bytes = kv_read_bytes;
  out.kv_write_bytes = kv_write_bytes;
  out.launches = detail::step_launches(m, r, s.decode);
  for (const op_instance& op : ops)  // helper kernels of a quant path (bitsandbytes)
    if (op.extra_launches > 0) out.launches += static_cast<int>(op.count * op.extra_launches + 0.5);
  detail::launch_costs(r, d, s.decode, out.launches, out.host_launch_s, out.launch_gaps_s);
  out.device_s += out.launch_gaps_s;
  out.host_serial_s = detail::host_serial(r, d, s.seqs);
  out.time_s = detail::step_time(r, out.device_s, out.host_launch_s, out.host_serial_s);
  detail::step_energy(d, out);
  if (out.host_launch_s > out.device_s ||
      (r.host_overlap && out.host_launch_s + out.host_serial_s > out.device_s)) {
    out.binds = bound::host;
  } else if (out.launch_gaps_s > compute_bound && out.launch_gaps_s > memory_bound) {
    out.binds = bound::launch;
  } else {
    out.binds = compute_bound > memory_bound ? bound::compute : bound::memory;
  }
}

/// Evaluates one step whose op list is already built (`step_ops`), with its
/// per-op breakdown.
template <class T = double>
[[nodiscard]] constexpr step_result<T> step_cost_of_ops(const model_spec& m, const op_list& ops,
                                                        const runtime_spec& r, const device_state<T>& d,
                                                        const step_shape& s) {
  step_result<T> out{};
  // Every GEMM computed (no GEMM cost cache): the reference the lean paths are checked against.
  step_cost_into(m, ops, r, d, s, detail::uncached(make_tile_table(r)), out, true);
  return out;
}

/// Evaluates one step of `m` under `q` and `r` on `d`.
template <class T = double>
[[nodiscard]] constexpr step_result<T> step_cost(const model_spec& m, const quant_spec& q,
                                                 const runtime_spec& r, const device_state<T>& d,
                                                 const step_shape& s, dtype kv) {
  return step_cost_of_ops(m, step_ops(m, q, r, s, kv), r, d, s);
}

}  // namespace edgeperf
