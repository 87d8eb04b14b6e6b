#pragma once
/// @file
/// Time of one op instance on a device in one mode under a runtime: the
/// roofline made honest (DESIGN.md §5, docs/model.md "Cost model").
///   - GEMM: tile and wave quantization. With the runtime's tile Tm × Tn and
///     c CTAs per SM on S SMs: tiles = ⌈M/Tm⌉·⌈N/Tn⌉, waves = ⌈tiles/(S·c)⌉,
///     t_compute = waves · c · (2·Tm·Tn·K / (r_SM·e_tile) + Tn·K·q / r_CUDA),
///     where r_SM is the per-SM math rate (× the runtime's kernel efficiency),
///     e_tile the tile's efficiency and q the CUDA-core ops to unpack one
///     quantized weight (r_CUDA × the runtime's dequant efficiency).
///     The runtime's heuristic picks the fastest listed tile.
///     A tile flagged `cuda_cores` is a GEMV-style kernel (decode batches):
///     its math runs at the CUDA-core FP16 rate with no MMA row padding.
///   - Memory: t_mem = latency + (weights + KV) / BW_DRAM + activations / BW_act,
///     BW_act = the L2 bandwidth when the op's activations fit in L2.
///   - An op takes max(t_compute, t_mem) and records the bound that binds;
///     launch gaps are charged per kernel at the step level (phases/step.hpp).
///   - Attention: flash/paged kernels execute whole query blocks (Bq) against
///     the keys each block sees; materialized attention computes the full
///     I × I score matrix and writes/reads it; decode attention reads the KV
///     cache padded to the runtime's KV block.
/// Everything is computed in the scalar type `T`.

#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "edgeperf/accounting/ops.hpp"
#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/descriptions/runtime.hpp"

namespace edgeperf {

/// Which resource binds an op or a step.
enum class bound : std::uint8_t { compute, memory, launch, host };

[[nodiscard]] constexpr const char* to_string(bound b) {
  switch (b) {
    case bound::compute: return "compute";
    case bound::memory: return "memory";
    case bound::launch: return "launch";
    case bound::host: return "host";
  }
  return "?";
}

/// Cost of one op instance (multiply by `count` for the step).
template <class T = double>
struct op_cost {
  T compute_s{};  ///< time the math takes (padded tiles, dequant work)
  T memory_s{};   ///< time the bytes take
  T time_s{};     ///< max(compute_s, memory_s)
  bound binds{bound::memory};
  gemm_tile tile{};  ///< GEMMs: the tile the heuristic picked
};

namespace detail {

[[nodiscard]] constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  if (b <= 0) return 0;
  // Tile sizes (and SM counts of Orin) are powers of two: a shift.
  if ((b & (b - 1)) == 0) return (a + b - 1) >> std::countr_zero(static_cast<std::uint64_t>(b));
  // 32-bit division is several times cheaper than 64-bit on x86 and A78; the
  // shapes of a step almost always fit.
  if (a >= 0 && a < (std::int64_t{1} << 31) && b < (std::int64_t{1} << 31)) {
    const auto ua = static_cast<std::uint32_t>(a), ub = static_cast<std::uint32_t>(b);
    return static_cast<std::int64_t>((ua + ub - 1) / ub);
  }
  return (a + b - 1) / b;
}

template <class T>
[[nodiscard]] constexpr T max_t(const T& a, const T& b) {
  return a < b ? b : a;
}

/// Memory time of an op: weights and KV stream from DRAM; activations come
/// from L2 when they fit there.
template <class T>
[[nodiscard]] constexpr T memory_time(const device_state<T>& d, double dram_bytes,
                                      double act_bytes) {
  if (dram_bytes <= 0 && act_bytes <= 0) return T(0);
  const T act_bw = (T(act_bytes) <= d.l2_bytes) ? d.l2_bytes_per_s : d.dram_bytes_per_s;
  return d.mem_latency_s + T(dram_bytes) / d.dram_bytes_per_s + T(act_bytes) / act_bw;
}

template <class T>
[[nodiscard]] constexpr op_cost<T> finish(T compute, T memory) {
  op_cost<T> c{};
  c.compute_s = compute;
  c.memory_s = memory;
  c.binds = compute > memory ? bound::compute : bound::memory;
  c.time_s = max_t(compute, memory);
  return c;
}

template <class T>
[[nodiscard]] constexpr T runtime_factor(const sourced& s) {
  return T(s.value > 0 ? s.value : 1.0);
}

/// Efficiency of a tile: the GEMV tile's gemv_efficiency when set; a tensor
/// tile's min(1, (Tm·Tn/128²)^α) when the runtime has a tile law α > 0;
/// else the listed efficiency.
[[nodiscard]] inline double tile_efficiency(const gemm_tile& t, double gemv_eff, double alpha) {
  if (t.cuda_cores) return gemv_eff > 0 ? gemv_eff : (t.efficiency > 0 ? t.efficiency : 1.0);
  if (alpha > 0) {
    const double e = std::pow(static_cast<double>(t.m) * t.n / (128.0 * 128.0), alpha);
    return e < 1 ? e : 1.0;
  }
  return t.efficiency > 0 ? t.efficiency : 1.0;
}

/// The runtime's GEMM efficiency on this device family (Jetson value when set).
template <class T>
[[nodiscard]] constexpr T kernel_factor(const runtime_spec& r, const device_state<T>& d) {
  if (d.jetson && r.kernel_efficiency_jetson.value > 0) return T(r.kernel_efficiency_jetson.value);
  return runtime_factor<T>(r.kernel_efficiency);
}

/// A GEMM's time from its compute and memory times: the longer one plus the
/// part of the shorter one the runtime's kernels do not hide
/// (runtime_spec::gemm_serial_fraction; 0 = the plain roofline).
template <class T>
[[nodiscard]] constexpr op_cost<T> finish_gemm(T compute, T memory, double serial) {
  op_cost<T> c = finish(compute, memory);
  if (serial > 0) c.time_s += T(serial) * (compute < memory ? compute : memory);
  return c;
}

}  // namespace detail

/// The efficiency of each of a runtime's listed tiles (`detail::tile_efficiency`,
/// a `std::pow` per tile with a tile law): it depends on the runtime alone, so
/// a request computes it once and every GEMM of its steps reads it
/// (`gemm_cost` with a table gives the numbers of `gemm_cost` without, to the
/// last bit: the same function of the same inputs).
struct tile_table {
  std::array<double, max_gemm_tiles> efficiency{};
  /// Identifies the runtime tiles (m, n, CTAs per SM, CUDA-core flag, count)
  /// and efficiencies this table was made for, unique in the process
  /// (`make_tile_table`); 0 = unidentified, never looked up in the GEMM
  /// cost cache (`detail::gemm_cost_cache`).
  std::uint64_t id{0};
};

namespace detail {

/// The bit pattern of `x` (std::bit_cast, which emscripten's libc++ lacks).
[[nodiscard]] inline std::uint64_t bits_of(double x) {
  std::uint64_t u = 0;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

/// The next `tile_table::id` (process-wide, so that a table made on one
/// thread and used on another cannot meet another table's cache entries).
[[nodiscard]] inline std::uint64_t next_tile_table_id() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

/// Everything the tiled path of `gemm_cost` reads, as bit patterns: the op's
/// shape and bytes, the rates and memory system of the device state as the
/// runtime's kernels see them, the runtime's serial fraction and M rule, and
/// its tile table (`tile_table::id`). Equal keys give equal costs.
struct gemm_cost_key {
  // The fields that tell a step's GEMMs apart first: the defaulted `==`
  // compares in this order and stops at the first difference (a set's other
  // way is usually another GEMM of the same step).
  std::int64_t m{0}, n{0}, k{0};
  std::uint64_t dram_bytes{0}, act_bytes{0}, decode{0}, rate{0};
  std::uint64_t dequant_ops{0}, cuda_rate{0}, dq_rate{0};
  std::uint64_t l2_bytes{0}, l2_bytes_per_s{0}, dram_bytes_per_s{0}, mem_latency_s{0};
  std::uint64_t serial{0};
  std::int64_t sms{0}, gemv_max_m{0};
  std::uint64_t table{0};
  friend constexpr bool operator==(const gemm_cost_key&, const gemm_cost_key&) = default;
};

/// A small per-thread cache of GEMM costs (per T), two-way set-associative
/// on the GEMM's shape: a request's GEMMs repeat across requests of the same
/// (model, quant, device state, runtime, M), as in an output-length sweep, a
/// planner's bins or a benchmark loop, and a hit skips the tile search, the
/// memory time and the chosen tile's time (their divisions). A request has up
/// to ~20 GEMM keys (its prefill's and its decode step's); two ways per set
/// keep two keys that hash to one set from evicting each other on every
/// request. A hit returns exactly what the computation returned for that key,
/// so the numbers do not depend on the cache (tests/phases/fast_path_test.cpp).
template <class T>
struct gemm_cost_cache {
  static constexpr std::size_t sets = 64;
  struct entry {
    gemm_cost_key key{};
    op_cost<T> cost{};
    bool valid{false};
  };
  std::array<std::array<entry, 2>, sets> entries{};
  std::array<std::uint8_t, sets> older{};  ///< per set: the way to replace next
  [[nodiscard]] static std::size_t slot(const gemm_cost_key& k) {
    std::uint64_t h = static_cast<std::uint64_t>(k.m) * 0x9E3779B97F4A7C15ull;
    h ^= static_cast<std::uint64_t>(k.n) * 0xC2B2AE3D27D4EB4Full;
    h ^= static_cast<std::uint64_t>(k.k) * 0x165667B19E3779F9ull;
    h ^= k.dram_bytes * 0x27D4EB2F165667C5ull;
    h ^= k.rate * 0x94D049BB133111EBull;
    h ^= k.act_bytes * 0xD6E8FEB86659FD93ull;
    h ^= k.decode;
    // The set from the top bits of a final multiply: the low bits of the
    // products above vary little (shapes are multiples of 64, round byte
    // counts), and taking them left a q4_k_m request's 14 keys in 8 sets.
    h ^= h >> 32;
    h *= 0x9E3779B97F4A7C15ull;
    static_assert(sets == 64);
    return static_cast<std::size_t>(h >> 58);
  }
  /// The cost cached for `k`, or null.
  [[nodiscard]] const op_cost<T>* find(std::size_t set, const gemm_cost_key& k) {
    auto& ways = entries[set];
    for (std::uint8_t w = 0; w < 2; ++w)
      if (ways[w].valid && ways[w].key == k) {
        older[set] = static_cast<std::uint8_t>(1 - w);  // the other way is now the older one
        return &ways[w].cost;
      }
    return nullptr;
  }
  /// Remembers `cost` for `k` in the set's older way.
  void store(std::size_t set, const gemm_cost_key& k, const op_cost<T>& cost) {
    const std::uint8_t w = older[set];
    entries[set][w] = entry{k, cost, true};
    older[set] = static_cast<std::uint8_t>(1 - w);
  }
};

template <class T>
[[nodiscard]] inline gemm_cost_cache<T>& thread_gemm_cost_cache() {
  thread_local gemm_cost_cache<T> cache{};
  return cache;
}

}  // namespace detail

/// The tile table of `r`. The efficiencies are a pure function of the
/// runtime's tiles, `gemv_efficiency` and `tile_efficiency_exponent`; the
/// last table computed on this thread is kept with those inputs and returned
/// again (with its id) when they are the same, bit for bit, so that requests
/// of one runtime (a planner's or a benchmark's loop) skip the `std::pow`s
/// and share cached GEMM costs (`detail::gemm_cost_cache`).
[[nodiscard]] inline tile_table make_tile_table(const runtime_spec& r) {
  struct memo {
    bool valid{false};
    std::uint64_t gemv_eff{0}, alpha{0};
    int count{0};
    std::array<gemm_tile, max_gemm_tiles> tiles{};
    tile_table table{};
  };
  thread_local memo last{};
  const double gemv_eff = r.gemv_efficiency.value;
  const double alpha = r.tile_efficiency_exponent.value;
  const int count = r.tile_count < static_cast<int>(max_gemm_tiles) ? r.tile_count : static_cast<int>(max_gemm_tiles);
  const auto gemv_bits = detail::bits_of(gemv_eff);
  const auto alpha_bits = detail::bits_of(alpha);
  bool same = last.valid && last.gemv_eff == gemv_bits && last.alpha == alpha_bits && last.count == r.tile_count;
  for (int i = 0; same && i < count; ++i) {
    const gemm_tile& a = last.tiles[static_cast<std::size_t>(i)];
    const gemm_tile& b = r.tiles[static_cast<std::size_t>(i)];
    same = a.m == b.m && a.n == b.n && a.ctas_per_sm == b.ctas_per_sm && a.cuda_cores == b.cuda_cores &&
           detail::bits_of(a.efficiency) == detail::bits_of(b.efficiency);
  }
  if (same) return last.table;
  tile_table t;
  for (int i = 0; i < count; ++i)
    t.efficiency[static_cast<std::size_t>(i)] =
        detail::tile_efficiency(r.tiles[static_cast<std::size_t>(i)], gemv_eff, alpha);
  // A runtime whose tile list is longer than max_gemm_tiles (validation
  // refuses it) gets no id: its searches are not cached.
  t.id = r.tile_count == count ? detail::next_tile_table_id() : 0;
  last.valid = true;
  last.gemv_eff = gemv_bits;
  last.alpha = alpha_bits;
  last.count = r.tile_count;
  for (int i = 0; i < count; ++i) last.tiles[static_cast<std::size_t>(i)] = r.tiles[static_cast<std::size_t>(i)];
  last.table = t;
  return t;
}

namespace detail {

/// `t` without its id: `gemm_cost` computes every GEMM on it (the same
/// numbers) without looking up or filling the GEMM cost cache, for device
/// states that will not come again (a clock search's trial clocks).
[[nodiscard]] constexpr tile_table uncached(tile_table t) {
  t.id = 0;
  return t;
}

/// A GEMM's math rate per SM (`math`'s rate under the runtime's kernel
/// efficiency) and its dequant rate per SM: what `gemm_cost_computed` computes
/// with, and what `gemm_cost` keys its cache on (one definition for both).
template <class T>
[[nodiscard]] constexpr T gemm_rate(const device_state<T>& d, const runtime_spec& r, dtype math) {
  return math_rate_sm(d, math) * kernel_factor<T>(r, d);
}
template <class T>
[[nodiscard]] constexpr T gemm_dequant_rate(const device_state<T>& d, const runtime_spec& r) {
  return d.cuda_fp16_sm * runtime_factor<T>(r.dequant_efficiency);
}

/// `gemm_cost` computed, without the cache.
template <class T>
[[nodiscard]] constexpr op_cost<T> gemm_cost_computed(const op_instance& op, const device_state<T>& d,
                                                      const runtime_spec& r, const tile_table& table,
                                                      bool decode_step) {
  const T rate = gemm_rate(d, r, op.math);
  const double serial = r.gemm_serial_fraction.value;
  const T dq_rate = gemm_dequant_rate(d, r);
  const double k = static_cast<double>(op.k);
  // (No division when there is nothing to unpack: 0 / x is 0, and only dq_per_w > 0 is used.)
  const double dq_per_w = (op.n > 0 && op.k > 0 && op.dequant_ops != 0)
                              ? op.dequant_ops / (static_cast<double>(op.n) * k)
                              : 0.0;
  const T memory = detail::memory_time(d, op.weight_bytes + op.kv_read_bytes, op.act_bytes);
  // Every return returns `best`: one named result that the compiler builds in
  // the caller's slot (NRVO), not in a stack copy read back field by field.
  op_cost<T> best{};
  if (d.cpu || r.tile_count == 0) {  // no tiles: the math is spread evenly
    const T compute = T(op.flops) / (rate * d.sms) +
                      (dq_per_w > 0 ? T(op.dequant_ops) / (dq_rate * d.sms) : T(0));
    best = detail::finish_gemm(compute, memory, serial);
    return best;
  }
  const auto sms = static_cast<std::int64_t>(static_cast<double>(d.sms) + 0.5);
  // Pick the tile in double arithmetic (the choice is discrete), then compute
  // its time once in T: time_i = waves_i · c_i · (2·Tm·Tn·K / (r·e_i) + Tn·K·q / r_dq).
  const double rate_d = static_cast<double>(rate), dq_rate_d = static_cast<double>(dq_rate);
  const double dq_term = dq_per_w > 0 ? k * dq_per_w / dq_rate_d : 0.0;  // per output column
  const std::int64_t m_rows = op.m, n_cols = op.n;
  // time_i = waves_i·c_i·(A_i/e_i + B_i) with A_i = 2·Tm·Tn·K/r, B_i = Tn·K·q/r_dq; compared
  // as fractions num_i/e_i (no division in the loop: this runs for every GEMM of every step).
  // GEMV-style tiles run on the CUDA cores at their own efficiency (gemv_efficiency).
  // a_scale = 2·K/r and a_scale_cuda = 2·K/r_CUDA are computed when a tile of
  // their kind is first compared (a decode GEMM under the M rule needs one).
  const T cuda_rate = d.cuda_fp16_sm;
  double a_scale = 0, a_scale_cuda = 0;
  bool have_a = false, have_a_cuda = false;
  int best_i = -1;
  double best_num = 0, best_den = 1, best_total = 0;
  const double mem_d = static_cast<double>(memory);
  // The runtime's M rule (gemv_max_m) is how its 16-bit decode GEMMs
  // dispatch: GEMV-style kernels up to that M, tensor tiles above. It is a
  // decode-phase rule: what the fit measured is decode steps at M ≤ 32 (the
  // tts rows) running at a CUDA-core-like rate while prefills of 129+ tokens
  // run on tensor tiles; prefill data at 3 < M < 129 does not exist, and
  // applying the rule there predicted a 16-token prompt slower than a
  // 129-token one. Prefill GEMMs pick the fastest listed tile. Weight-only
  // quantized GEMMs (Marlin/exllama-style) dequantize in registers once per
  // CTA for all its rows and pick among every listed tile.
  const bool m_rule = decode_step && r.gemv_max_m > 0 && dq_per_w == 0;
  const bool gemv_only = m_rule && m_rows <= r.gemv_max_m;
  for (int i = 0; i < r.tile_count; ++i) {  // the search
    const gemm_tile& t = r.tiles[static_cast<std::size_t>(i)];
    if (gemv_only && !t.cuda_cores) continue;
    if (m_rule && !gemv_only && t.cuda_cores) continue;
    const std::int64_t ctas = t.ctas_per_sm > 0 ? t.ctas_per_sm : 1;
    const std::int64_t tiles = detail::ceil_div(m_rows, t.m) * detail::ceil_div(n_cols, t.n);
    const std::int64_t waves = detail::ceil_div(tiles, sms * ctas);
    const double eff = table.efficiency[static_cast<std::size_t>(i)];
    if (t.cuda_cores && !have_a_cuda) {
      a_scale_cuda = 2.0 * k / static_cast<double>(cuda_rate);
      have_a_cuda = true;
    } else if (!t.cuda_cores && !have_a) {
      a_scale = 2.0 * k / rate_d;
      have_a = true;
    }
    const double num = static_cast<double>(waves * ctas) *
                       ((t.cuda_cores ? a_scale_cuda : a_scale) * t.m * t.n + t.n * dq_term * eff);
    if (serial > 0) {
      // Exposed GEMV math counts: compare whole op times, not compute alone.
      const double c = eff == 1.0 ? num : num / eff;  // x / 1 is x: no division at full efficiency
      const double total = (c > mem_d ? c : mem_d) + (t.cuda_cores ? serial * (c < mem_d ? c : mem_d) : 0.0);
      if (best_i < 0 || total < best_total) {
        best_total = total;
        best_i = i;
      }
    } else if (best_i < 0 || num * best_den < best_num * eff) {
      best_num = num;
      best_den = eff;
      best_i = i;
    }
  }
  if (best_i < 0) best_i = 0;  // a runtime whose listed tiles the M rule excludes: its first tile
  const gemm_tile& t = r.tiles[static_cast<std::size_t>(best_i)];
  const double ctas = t.ctas_per_sm > 0 ? t.ctas_per_sm : 1;
  const std::int64_t tiles = detail::ceil_div(op.m, t.m) * detail::ceil_div(op.n, t.n);
  const std::int64_t waves = detail::ceil_div(tiles, sms * static_cast<std::int64_t>(ctas));
  const double wave_ctas = static_cast<double>(waves) * ctas;
  const double t_eff = table.efficiency[static_cast<std::size_t>(best_i)];
  T tile_s = T(2.0 * t.m * t.n * k) / ((t.cuda_cores ? cuda_rate : rate) * T(t_eff));
  if (dq_per_w > 0) tile_s += T(static_cast<double>(t.n) * k * dq_per_w) / dq_rate;
  // Only GEMV-style kernels leave part of their math exposed: tensor-tile
  // kernels pipeline their loads (cp.async stages) behind the MMAs.
  best = detail::finish_gemm(T(wave_ctas) * tile_s, memory,
                                        t.cuda_cores ? serial : 0.0);
  best.tile = t;
  if (m_rule && m_rows > r.gemv_max_m) {
    // Above the M rule a decode GEMM takes at least what the GEMV path takes
    // at the rule's M (assumed: no decode data above M = 32). Without this
    // floor one more sample past the rule made every step cheaper (b·n = 33
    // faster than 32), which no runtime shows and a planner would exploit.
    op_instance at = op;
    const double share = static_cast<double>(r.gemv_max_m) / static_cast<double>(m_rows);
    at.m = r.gemv_max_m;
    at.flops *= share;
    at.act_bytes *= share;
    at.dequant_ops *= share;
    const op_cost<T> at_rule = gemm_cost_computed(at, d, r, table, true);
    if (at_rule.time_s > best.time_s) best = at_rule;
  }
  return best;
}

}  // namespace detail

/// GEMM time with tile and wave quantization (see the file comment), with the
/// runtime's tile efficiencies from `table` (`make_tile_table(r)`). With an
/// identified table (`tile_table::id` ≠ 0) the cost is looked up in, or
/// stored to, this thread's `detail::gemm_cost_cache` under every input it
/// depends on; an unidentified table computes it every time (the reference,
/// and the clock searches, whose trial clocks never repeat).
template <class T = double>
[[nodiscard]] constexpr op_cost<T> gemm_cost(const op_instance& op, const device_state<T>& d,
                                             const runtime_spec& r, const tile_table& table,
                                             bool decode_step) {
  if (table.id == 0 || d.cpu || r.tile_count == 0 || std::is_constant_evaluated())
    return detail::gemm_cost_computed(op, d, r, table, decode_step);
  detail::gemm_cost_key key{};
  key.table = table.id;
  key.m = op.m;
  key.n = op.n;
  key.k = op.k;
  key.sms = static_cast<std::int64_t>(static_cast<double>(d.sms) + 0.5);
  key.gemv_max_m = r.gemv_max_m;
  key.dram_bytes = detail::bits_of(op.weight_bytes + op.kv_read_bytes);
  key.act_bytes = detail::bits_of(op.act_bytes);
  key.dequant_ops = detail::bits_of(op.dequant_ops);
  key.rate = detail::bits_of(static_cast<double>(detail::gemm_rate(d, r, op.math)));
  key.cuda_rate = detail::bits_of(static_cast<double>(d.cuda_fp16_sm));
  key.dq_rate = detail::bits_of(static_cast<double>(detail::gemm_dequant_rate(d, r)));
  key.l2_bytes = detail::bits_of(static_cast<double>(d.l2_bytes));
  key.l2_bytes_per_s = detail::bits_of(static_cast<double>(d.l2_bytes_per_s));
  key.dram_bytes_per_s = detail::bits_of(static_cast<double>(d.dram_bytes_per_s));
  key.mem_latency_s = detail::bits_of(static_cast<double>(d.mem_latency_s));
  key.serial = detail::bits_of(r.gemm_serial_fraction.value);
  key.decode = decode_step ? 1 : 0;
  auto& cache = detail::thread_gemm_cost_cache<T>();
  const std::size_t set = detail::gemm_cost_cache<T>::slot(key);
  if (const op_cost<T>* hit = cache.find(set, key)) return *hit;
  const op_cost<T> c = detail::gemm_cost_computed(op, d, r, table, decode_step);
  cache.store(set, key, c);
  return c;
}

/// GEMM time with tile and wave quantization (see the file comment).
/// `decode_step`: the GEMM belongs to a decode step, where the runtime's M
/// rule (`runtime_spec::gemv_max_m`) applies; prefill GEMMs pick the fastest
/// listed tile whatever their M (see the M-rule comment above).
template <class T = double>
[[nodiscard]] constexpr op_cost<T> gemm_cost(const op_instance& op, const device_state<T>& d,
                                             const runtime_spec& r, bool decode_step = true) {
  return gemm_cost(op, d, r, make_tile_table(r), decode_step);
}

/// Affine decode-attention cost in x, the KV tokens per sequence after
/// padding to the runtime's KV block: time(x) = max(c0 + c1·x, m0 + m1·x).
/// Per instance (one layer of the group).
template <class T = double>
struct decode_attention_coeffs {
  T c0{}, c1{}, m0{}, m1{};
  [[nodiscard]] constexpr T at(const T& x) const {
    return detail::max_t(c0 + c1 * x, m0 + m1 * x);
  }
};

/// Coefficients of a decode attention op (see `decode_attention_coeffs`).
/// KV tokens shared across samples (`att.shared_tokens`) are read once.
template <class T = double>
[[nodiscard]] constexpr decode_attention_coeffs<T> decode_attention(const op_instance& op,
                                                                    const device_state<T>& d) {
  const attention_shape& a = op.att;
  const double shared_tokens_saved = static_cast<double>(a.shared_tokens);
  const double kv_len = a.kv_len > 0 ? static_cast<double>(a.kv_len) : 1.0;
  // KV bytes per token per layer (K and V) from the op's own accounting.
  const double read_tokens = static_cast<double>(a.seqs) * kv_len - shared_tokens_saved;
  const double per_token = read_tokens > 0 ? op.kv_read_bytes / read_tokens : 0.0;
  decode_attention_coeffs<T> c{};
  // Decode attention runs on CUDA cores (one query per sequence: no MMA tile to fill).
  const T rate = d.cuda_fp16_sm * d.sms;
  c.c0 = T(0);
  c.c1 = T(4.0 * static_cast<double>(a.seqs * a.q_heads * a.head_dim)) / rate;
  c.m0 = detail::memory_time(d, op.kv_write_bytes, op.act_bytes) -
         T(shared_tokens_saved * per_token) / d.dram_bytes_per_s;
  c.m1 = T(static_cast<double>(a.seqs) * per_token) / d.dram_bytes_per_s;
  return c;
}

/// KV length padded up to the runtime's KV block (decode) and capped by the window.
[[nodiscard]] constexpr std::int64_t padded_kv(std::int64_t context, std::int64_t block,
                                               std::int64_t window) {
  const std::int64_t b = block > 0 ? block : 1;
  std::int64_t x = detail::ceil_div(context, b) * b;
  if (window > 0 && x > window) x = window;
  return x;
}

/// Attention time (prefill or decode).
template <class T = double>
[[nodiscard]] constexpr op_cost<T> attention_cost(const op_instance& op, const device_state<T>& d,
                                                  const runtime_spec& r, bool decode,
                                                  std::int64_t context) {
  const attention_shape& a = op.att;
  if (decode) {
    const auto c = decode_attention(op, d);
    const T x = T(static_cast<double>(padded_kv(context, d.cpu ? 1 : r.attn_kv_block, a.window)));
    return detail::finish(c.c0 + c.c1 * x, c.m0 + c.m1 * x);
  }
  const double hq = static_cast<double>(a.q_heads * a.head_dim);
  const double seqs = static_cast<double>(a.seqs);
  const double kv_tok = a.kv_len > 0 ? op.kv_read_bytes / (seqs * static_cast<double>(a.kv_len)) : 0;
  double exec_keys = 0;  // per sequence: Σ over executed query rows of executed keys
  double dram = op.kv_write_bytes;
  double act = op.act_bytes;
  if (r.attention == attention_kind::materialized) {
    const double i = static_cast<double>(a.q_len);
    exec_keys = i * i;  // masked scores are computed too
    // Scores written, softmax read + write, read again for P·V: 4 passes of 2 bytes.
    act += 8.0 * seqs * static_cast<double>(a.q_heads) * i * i;
    dram += seqs * static_cast<double>(a.kv_len) * kv_tok;
  } else {
    const std::int64_t bq = r.attn_q_block > 0 ? r.attn_q_block : 128;
    const double nq = static_cast<double>(detail::ceil_div(a.q_len, bq));
    const double b = static_cast<double>(bq);
    if (a.window <= 0) {
      exec_keys = b * b * nq * (nq + 1) / 2;
    } else {
      const double cap = static_cast<double>(a.window) + b;
      double j0 = static_cast<double>((a.window + bq) / bq);
      if (j0 > nq) j0 = nq;
      exec_keys = b * b * j0 * (j0 + 1) / 2 + (nq - j0) * b * cap;
    }
    // Each query block re-reads the K/V it sees (once per KV head).
    dram += seqs * (exec_keys / b) * kv_tok;
  }
  const T rate = math_rate_sm(d, op.math) * detail::kernel_factor<T>(r, d) *
                 detail::runtime_factor<T>(r.attention_efficiency) * d.sms;
  const T compute = T(4.0 * seqs * hq * exec_keys) / rate;
  return detail::finish(compute, detail::memory_time(d, dram, act));
}

/// Dynamic energy of one op instance on the accelerator rail (docs/energy.md):
///   E = e_tensor · FLOPs_tensor + e_cuda · (FLOPs_cuda + dequant ops) + e_byte · bytes
/// GEMMs and prefill attention run on tensor cores when the device has a
/// tensor rate for their dtype; decode attention, elementwise ops, sampling
/// and dequantization run on CUDA cores (CPU boards: the vector units).
/// GEMMs that ran a GEMV-style tile (`cuda_cores`) are charged at the CUDA-core rate.
/// Useful FLOPs are charged: padded tiles cost time (and so static energy),
/// not extra dynamic energy.
template <class T = double>
[[nodiscard]] constexpr T op_dynamic_energy(const op_instance& op, const device_state<T>& d,
                                            bool decode, bool cuda_cores = false) {
  bool tensor = false;
  if ((op.kind == op_kind::gemm && !cuda_cores) || (op.kind == op_kind::attention && !decode)) {
    switch (op.math) {
      case dtype::fp16: tensor = d.tensor_fp16_sm > T(0); break;
      case dtype::bf16: tensor = d.tensor_bf16_sm > T(0); break;
      case dtype::int8: tensor = d.tensor_int8_sm > T(0); break;
      case dtype::fp8: tensor = d.tensor_fp8_sm > T(0); break;
      default: break;
    }
  }
  const T flop_j = tensor ? d.j_per_flop_tensor : d.j_per_flop_cuda;
  return flop_j * T(op.flops) + d.j_per_flop_cuda * T(op.dequant_ops) + d.j_per_byte * T(op.bytes());
}

/// Elementwise, embedding, sampling and dequant-copy ops: memory traffic plus
/// CUDA-core math (dequantization at the runtime's dequant efficiency).
template <class T = double>
[[nodiscard]] constexpr op_cost<T> simple_cost(const op_instance& op, const device_state<T>& d,
                                               const runtime_spec& r) {
  const T rate = d.cuda_fp32_sm * d.sms;
  T compute = T(op.flops) / rate;
  if (op.dequant_ops > 0)
    compute += T(op.dequant_ops) /
               (d.cuda_fp16_sm * d.sms * detail::runtime_factor<T>(r.dequant_efficiency));
  return detail::finish(compute, detail::memory_time(d, op.weight_bytes + op.kv_read_bytes +
                                                            op.kv_write_bytes,
                                                        op.act_bytes));
}

}  // namespace edgeperf
