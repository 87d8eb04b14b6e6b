#pragma once
/// @file
/// `runtime_spec`: what an inference engine does to the model: kernels per
/// layer (fusion), host cost per launch / step / sequence, CUDA graphs,
/// attention kernel kind, GEMM tile shapes, dequant kernel efficiency,
/// last-position-only logits, prefix sharing. See shared/DESIGN.md §3.

#include <array>
#include <cstdint>

#include "edgeperf/descriptions/provenance.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/detail/fixed_string.hpp"

namespace edgeperf {

/// Attention kernel family.
enum class attention_kind : std::uint8_t {
  flash,         ///< fused (FlashAttention): Q, K, V, O move once (+ KV re-reads per query block)
  paged,         ///< paged attention (vLLM): flash-style prefill, block-table decode
  materialized,  ///< eager matmul + softmax: the full score matrix is written and read
};

[[nodiscard]] constexpr const char* to_string(attention_kind a) {
  switch (a) {
    case attention_kind::flash: return "flash";
    case attention_kind::paged: return "paged";
    case attention_kind::materialized: return "materialized";
  }
  return "?";
}

/// A GEMM tile the runtime's kernels use (CTA tile, in output elements).
/// `efficiency` is the fraction of the SM's math rate a CTA of this shape
/// reaches (small tiles reuse less data per load); the large tile is 1.
struct gemm_tile {
  int m{128};
  int n{128};
  int ctas_per_sm{1};
  double efficiency{1.0};
  bool cuda_cores{false};  ///< a GEMV-style kernel on CUDA cores (no MMA padding; decode M ≤ 8)
  friend constexpr bool operator==(const gemm_tile&, const gemm_tile&) = default;
};

/// Maximum tile shapes a runtime lists (its kernel heuristic picks among them).
inline constexpr std::size_t max_gemm_tiles = 8;

/// One inference runtime.
struct runtime_spec {
  name_string id{};
  int launches_per_layer_prefill{0};  ///< kernels one transformer layer launches in prefill
  int launches_per_layer_decode{0};   ///< kernels one layer launches in a decode step
  int launches_head{0};               ///< embedding, final norm, LM head, sampling kernels per step

  sourced host_per_launch_s{};  ///< CPU time to launch one kernel eagerly (reference core)
  sourced host_per_step_s{};    ///< CPU time per forward step that does not overlap the GPU
                                ///< (scheduler, input preparation), reference core
  sourced host_per_seq_s{};     ///< per sequence per step (sampling, detokenise, stop checks)
  sourced graph_launch_s{};     ///< CPU time to replay one CUDA graph
  sourced sync_s{};             ///< device→host synchronisation at the end of a step

  bool graphs_decode{false};    ///< decode replayed from CUDA graphs
  bool graphs_prefill{false};   ///< prefill replayed from CUDA graphs
  /// The runtime schedules asynchronously (the next step's scheduling, input
  /// preparation and the previous step's sampling/output processing run while
  /// the device computes): host serial work overlaps device time,
  ///   t_step = max(t_device, t_host_launch + t_host_serial);
  /// otherwise t_step = max(t_device, t_host_launch) + t_host_serial.
  bool host_overlap{false};
  attention_kind attention{attention_kind::flash};
  int attn_q_block{128};        ///< query rows per attention CTA (prefill padding)
  int attn_kv_block{16};        ///< KV tokens per page/block (decode padding)

  std::array<gemm_tile, max_gemm_tiles> tiles{};
  int tile_count{0};            ///< the heuristic picks the fastest listed tile per GEMM
  /// GEMMs with M ≤ this many rows run the GEMV-style (`cuda_cores`) tile
  /// only: the runtime's small-batch kernels (cost linear in M, no MMA
  /// padding). 0 = every GEMM picks the fastest listed tile.
  int gemv_max_m{0};

  sourced kernel_efficiency{};   ///< this runtime's large-tile GEMMs relative to the device's tensor rate
  sourced dequant_efficiency{};  ///< fraction of the device's CUDA-core rate its dequant code reaches
  /// The same on Jetson (Ampere sm_87 integrated) GPUs, where it is fitted or
  /// assumed separately: what a runtime's kernels achieve depends on the
  /// device family, what the silicon can do is the device's tensor_efficiency.
  /// 0 = use kernel_efficiency.
  sourced kernel_efficiency_jetson{};
  /// Fraction of the device's achievable DRAM bandwidth (device
  /// mem_efficiency: what a tuned streaming loop reaches) this runtime's
  /// kernels reach on Jetson GPUs. 0 = 1.
  sourced mem_efficiency_jetson{};
  /// Prefill attention's tensor rate relative to the GEMMs' (flash/paged
  /// kernels reach less of the MMA rate than large GEMMs). 0 = 1.
  sourced attention_efficiency{};
  /// Efficiency of the GEMV-style (`cuda_cores`) tile: fraction of the CUDA-core
  /// FP16 rate its per-row math reaches; it sets what one more sequence costs
  /// in a small-batch decode step. 0 = the tile's own `efficiency`.
  sourced gemv_efficiency{};
  /// Efficiency law of the tensor tiles: e = min(1, (Tm·Tn / 128²)^α) with
  /// α this value (bigger tiles reuse more data per load). 0 = each tile's
  /// listed `efficiency`.
  sourced tile_efficiency_exponent{};
  /// Fraction of the shorter of a GEMM's compute and memory times that its
  /// kernels do NOT hide behind the longer one: t = max(c, m) + s · min(c, m).
  /// 0 = the plain roofline (perfect overlap).
  sourced gemm_serial_fraction{};
  bool last_position_logits{true};  ///< prefill computes logits for the last position only
  bool prefix_sharing{false};       ///< parallel samples share the prompt's KV blocks
  dtype default_kv{dtype::fp16};    ///< KV dtype when neither workload nor quant sets one
  std::uint8_t supported_paths{0xFF};  ///< bit i set = compute_path(i) supported
  bool cpu_backend{false};          ///< can run on CPU-only boards (llama.cpp)
  bool gpu_backend{true};           ///< can run on GPUs
};

/// Whether `r` runs matmuls along `p`.
[[nodiscard]] constexpr bool supports(const runtime_spec& r, compute_path p) {
  return (r.supported_paths >> static_cast<unsigned>(p)) & 1u;
}

}  // namespace edgeperf
