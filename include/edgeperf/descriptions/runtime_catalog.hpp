#pragma once
/// @file
/// The built-in runtime catalog: one `inline constexpr runtime_spec` per
/// inference engine (`vllm`, `hf-eager`, `llama.cpp`, `mlc`, `trtllm`) and the
/// lookup `find_runtime`.
///
/// Kernel counts per layer are integers documented by the fusion they assume
/// (listed in each entry's comment for a Llama-style decoder layer with
/// RMSNorm, RoPE, GQA and a SwiGLU MLP). Host costs are quoted on the reference
/// core (Cortex-A78AE; a device's `host_speed` and CPU clock scale them). They
/// are engineering starting values (`source::assumed`): vLLM's are fitted on the
/// EdgeReasoning data by the lead (docs/validation.md), the others wait for
/// calibration. data/published-speeds.md gives orientation figures, not
/// a fitting set.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/detail/nearest.hpp"
#include "edgeperf/result.hpp"

namespace edgeperf {

/// Bit mask of the given compute paths (for `runtime_spec::supported_paths`).
[[nodiscard]] constexpr std::uint8_t path_mask(std::initializer_list<compute_path> paths) {
  unsigned m = 0;
  for (compute_path p : paths) m |= 1u << static_cast<unsigned>(p);
  return static_cast<std::uint8_t>(m);
}

/// Catalog entries, one variable per runtime (`runtimes::vllm`, ...).
///
/// GEMM tiles: each list is the CTA tile family the runtime's GEMM kernels
/// choose from, with the fraction of the SM's tensor rate each shape reaches
/// (`gemm_tile::efficiency`, assumed): large tiles 1.0; smaller tiles reuse
/// less data per load and hide less latency (128×64 0.9, 64×64 0.8, 32×64 0.6);
/// the skinny tiles (M ≤ 16) stand for split-K MMA kernels (0.35–0.5), and the
/// last tile of each list (`cuda_cores`) for the GEMV kernels runtimes use for
/// decode batches: one row per CTA on CUDA cores at an assumed 0.7 of the FMA
/// rate, so a batch-1 quantized decode is not billed 16-row MMA padding. These shape the prefill padding staircase
/// and are what the calibration suite's GEMM M-sweep measures (docs/calibration.md).
namespace runtimes {

/// vLLM 0.8.6 as in the EdgeReasoning runs (JetPack 6 container, BF16,
/// batch 1, CUDA graphs for decode: enforce_eager=False default). Decode
/// kernels per layer (10): fused_add_rms_norm, QKV GEMM, rotary_embedding,
/// reshape_and_cache, paged/flash attention, O GEMM, fused_add_rms_norm,
/// gate_up GEMM, silu_and_mul, down GEMM. Prefill: the same 10 with varlen
/// flash attention. Head (8): embedding, final norm, last-position gather,
/// LM-head GEMM and ~4 sampler kernels. Prefill runs eagerly.
/// Fitted jointly on both EdgeReasoning models (docs/validation.md): the
/// Jetson GEMM efficiency, prefill attention efficiency, GEMV efficiency (the
/// marginal cost of one more sequence), the GEMMs' unhidden compute/memory
/// fraction and the host times; the AGX Orin's mem_efficiency comes from the
/// same fit. Host work is serial with the device (no asynchronous scheduling
/// in 0.8's default engine path): host_overlap = false.
inline constexpr runtime_spec vllm_0_8{
    .id = "vllm-0.8",
    .launches_per_layer_prefill = 10,
    .launches_per_layer_decode = 10,
    .launches_head = 8,
    .host_per_launch_s = {20e-6, source::assumed,
                          "PyTorch custom-op dispatch on A78AE, ~20 us/launch (eager prefill); not separable from host_per_step_s"},
    .host_per_step_s = {3.270e-3, source::fitted,
                        "joint fit: EdgeReasoning DSR1-Llama-8B + DSR1-Qwen-14B, AGX Orin MAXN (docs/validation.md); A78AE @ 2.2 GHz", 1.269},
    .host_per_seq_s = {0.1046e-3, source::fitted,
                       "joint fit: EdgeReasoning tts rows N = 1..32 of both models (docs/validation.md); A78AE @ 2.2 GHz", 1.441},
    .graph_launch_s = {30e-6, source::assumed, "cudaGraphLaunch + Python wrapper on A78AE; not separable from host_per_step_s"},
    .sync_s = {20e-6, source::assumed, "device->host sync of sampled ids at step end; not separable from host_per_step_s"},
    .graphs_decode = true,   // CUDA graphs captured for decode batch sizes (enforce_eager=False default)
    .graphs_prefill = false,
    .host_overlap = false,
    .attention = attention_kind::paged,
    .attn_q_block = 128,     // flash-attention prefill query tile
    .attn_kv_block = 16,     // vLLM default block_size 16
    // cuBLAS-like CTA tiles; their efficiencies follow the fitted tile law
    // (tile_efficiency_exponent). M <= 32 (decode batches, parallel samples)
    // runs the GEMV-style path: the EdgeReasoning tts rows grow linearly in N
    // with no 16/32-row padding steps (docs/validation.md).
    .tiles = {{{256, 128, 1, 1.0}, {128, 128, 1, 1.0}, {128, 64, 1, 0.9}, {64, 128, 1, 0.9},
               {64, 64, 2, 0.8}, {16, 128, 2, 0.5}, {1, 128, 1, 0.7, true}}},
    .tile_count = 7,
    .gemv_max_m = 32,
    .kernel_efficiency = {1.0, source::assumed, "16-bit GEMMs go through cuBLAS: 1.0 of the device's tensor rate off Jetson (not measured)"},
    .dequant_efficiency = {0.5, source::assumed, "AWQ/GPTQ (Marlin/exllama) kernels, starting value; to be calibrated"},
    .kernel_efficiency_jetson = {0.4303, source::fitted,
                                 "joint fit (docs/validation.md): vLLM prefill GEMMs vs the Orin data-sheet BF16 rate", 0.052},
    .mem_efficiency_jetson = {0.8075, source::fitted,
                              "joint fit (docs/validation.md): vLLM decode vs the Orin tuned-loop bandwidth", 0.043},
    .attention_efficiency = {0.4800, source::fitted,
                             "joint fit (docs/validation.md): prefill attention vs GEMM rate (TTFT to 4k)", 0.515},
    .gemv_efficiency = {0.3933, source::fitted,
                        "joint fit (docs/validation.md): small-M GEMM per-row rate vs CUDA-core FP16 (tts slopes)", 0.211},
    .tile_efficiency_exponent = {0.1791, source::fitted,
                                 "joint fit (docs/validation.md): tile law e = (Tm*Tn/128^2)^a, prefill staircase", 0.392},
    .gemm_serial_fraction = {0.8746, source::fitted,
                             "joint fit (docs/validation.md): share of min(compute, memory) a GEMM does not hide", 0.298},
    .last_position_logits = true,  // logits_indices select the last prompt position
    .prefix_sharing = true,        // n > 1 samples fork the prompt's KV blocks (copy-on-write)
    .default_kv = dtype::bf16,     // kv_cache_dtype "auto" = model dtype (BF16 checkpoints)
    // bitsandbytes is supported since vLLM 0.5 and dequantizes per layer as in
    // HF, hence dequant_to_memory; fp8 needs sm_89+ (the device check rejects it on Orin).
    .supported_paths = path_mask({compute_path::native, compute_path::dequant_in_kernel,
                                  compute_path::native_int8, compute_path::native_fp8,
                                  compute_path::dequant_to_memory}),
};

/// vLLM 0.8.6 with enforce_eager=True: the same kernels and fitted
/// efficiencies, decode launched eagerly (every kernel pays its host launch
/// and device gap). No measurement of this configuration exists yet: it
/// differs from vllm-0.8 only in the launch path.
inline constexpr runtime_spec vllm_0_8_eager = [] {
  runtime_spec r = vllm_0_8;
  r.id = "vllm-0.8-eager";
  r.graphs_decode = false;
  return r;
}();

/// vLLM 0.6.3 as in the published Llama-3.2-1B FP16 point on AGX Orin
/// (data/published-speeds.md): the same kernel family as vllm-0.8 (assumed),
/// its host time per step fitted on that one row (one row pins one number:
/// the fit is exact and says nothing about the rest). Decode from CUDA graphs.
inline constexpr runtime_spec vllm_0_6 = [] {
  runtime_spec r = vllm_0_8;
  r.id = "vllm-0.6";
  r.host_per_step_s = {16.06e-3, source::fitted,
                       "fit on published-speeds.csv vllm-llama32-1b (AGX Orin, 30.2 tok/s, 1 row; docs/validation.md)", 0.084};
  return r;
}();

/// The default vLLM entry: `vllm` resolves to vllm-0.8 (runtime_aliases).
inline constexpr const runtime_spec& vllm = vllm_0_8;

/// Hugging Face Transformers, eager attention (`attn_implementation="eager"`),
/// `generate()` with a DynamicCache. Kernels per layer (48, both phases):
/// 2 unfused RMSNorms × 8 (to fp32, pow, mean, +eps, rsqrt, mul, to dtype,
/// weight mul), 7 GEMMs (q, k, v, o, gate, up, down), RoPE on q and k × 5
/// (mul cos, neg, cat, mul sin, add), 2 cache cats, 2 repeat_kv copies (GQA),
/// attention 7 (QK^T, scale, mask add, softmax, cast, PV, transpose copy),
/// 2 residual adds, SiLU + mul. Head (30): embedding, rotary cos/sin, causal
/// mask, final norm (8), LM head, logits cast, logits processors, sampling,
/// input_ids cat, stopping criteria.
inline constexpr runtime_spec hf_eager{
    .id = "hf-eager",
    .launches_per_layer_prefill = 48,
    .launches_per_layer_decode = 48,
    .launches_head = 30,
    .host_per_launch_s = {30e-6, source::assumed,
                          "eager PyTorch from Python on A78AE, 20-40 us per op; to be calibrated"},
    .host_per_step_s = {2e-3, source::assumed,
                        "generate() loop: prepare_inputs, cache update, processors on A78AE; to be calibrated"},
    .host_per_seq_s = {50e-6, source::assumed, "per-sequence stopping checks and token append; to be calibrated"},
    .graph_launch_s = {0, source::assumed, "unused: eager generate() does not use CUDA graphs"},
    .sync_s = {20e-6, source::assumed, "device->host sync for stopping criteria each step; to be calibrated"},
    .graphs_decode = false,
    .graphs_prefill = false,
    .attention = attention_kind::materialized,  // eager QK^T scores written and read
    .attn_q_block = 128,                        // cuBLAS batched GEMM tile on the score matrix
    .attn_kv_block = 1,                         // contiguous cache: no page padding
    .tiles = {{{256, 128, 1, 1.0}, {128, 128, 1, 1.0}, {128, 64, 1, 0.9}, {64, 64, 2, 0.8},
               {32, 64, 2, 0.6}, {16, 128, 2, 0.5}, {1, 128, 1, 0.7, true}}},
    .tile_count = 7,                            // cuBLAS-like CTA tiles (assumed family)
    .kernel_efficiency = {1.0, source::assumed, "16-bit GEMMs go through cuBLAS: 1.0 of the device's cuBLAS rate"},
    .dequant_efficiency = {0.3, source::assumed, "AutoAWQ/AutoGPTQ kernels under eager PyTorch, starting value"},
    // Eager generate() computes logits for every prompt position unless the
    // model is called with num_logits_to_keep / logits_to_keep (newer versions
    // set it for some models); the eager baseline keeps the all-position cost.
    .kernel_efficiency_jetson = {0.43, source::assumed,
                                 "assumed: vllm-0.8's fitted Jetson value (0.43) x this runtime's assumed rate vs cuBLAS; not measured"},
    .mem_efficiency_jetson = {0.81, source::assumed,
                              "assumed: vllm-0.8's fitted Jetson value; not measured for this runtime"},
    .attention_efficiency = {0, source::assumed, "0 = 1: prefill attention at the GEMMs' rate (not fitted for this runtime)"},
    .gemv_efficiency = {0, source::assumed, "0 = the GEMV tile's listed efficiency (not fitted for this runtime)"},
    .tile_efficiency_exponent = {0, source::assumed, "0 = each tile's listed efficiency (no fitted tile law)"},
    .gemm_serial_fraction = {0, source::assumed, "0 = roofline: GEMM compute and memory overlap (not fitted)"},
    .last_position_logits = false,
    .prefix_sharing = false,  // num_return_sequences repeats the prompt: each copy has its own KV
    .default_kv = dtype::fp16,
    // native; AWQ/GPTQ kernels (in-kernel dequant); bitsandbytes (dequant to memory).
    .supported_paths = path_mask({compute_path::native, compute_path::dequant_in_kernel,
                                  compute_path::dequant_to_memory}),
};

/// llama.cpp, CUDA backend. Decode kernels per layer (22): RMSNorm + weight
/// mul (2), Q/K/V matmuls (3), RoPE on q and k (2), K/V copies into the cache
/// (2), flash attention (1), O matmul (1), residual add (1), FFN RMSNorm + mul
/// (2), gate and up (2), SwiGLU (1), down (1), residual add (1) = 19, plus ~3
/// kernels quantizing activations to q8_1 for the mmvq/mmq matmuls (shared
/// where the input is the same). Prefill runs the same graph.
/// Head (5): get_rows, final norm + mul, LM-head matmul, its quantize.
/// Sampling runs on the CPU (host_per_seq_s).
inline constexpr runtime_spec llama_cpp{
    .id = "llama.cpp",
    .launches_per_layer_prefill = 22,
    .launches_per_layer_decode = 22,
    .launches_head = 5,
    .host_per_launch_s = {5e-6, source::assumed, "ggml-cuda C++ launch on A78AE, ~5 us per kernel; to be calibrated"},
    .host_per_step_s = {17.78e-3, source::fitted,
                        "joint fit on the one Orin llama.cpp row of published-speeds.csv (IGX Orin Llama-2-7B q4_0; exact, 1 row)", 0.090},
    .host_per_seq_s = {500e-6, source::assumed, "CPU sampler chain over the full vocabulary per token; to be calibrated"},
    .graph_launch_s = {20e-6, source::assumed, "cudaGraphLaunch from C++ on A78AE; to be calibrated"},
    .sync_s = {20e-6, source::assumed, "logits copy back to the host at step end; to be calibrated"},
    // ggml-cuda replays batch-1 decode from CUDA graphs by default since mid-2024
    // (GGML_CUDA_USE_GRAPHS); prefill (batch > 1 ubatch) runs without them.
    .graphs_decode = true,
    .graphs_prefill = false,
    .attention = attention_kind::flash,  // -fa (flash_attn "auto"/on in recent builds)
    .attn_q_block = 64,                  // FA kernel query columns per CTA (assumed)
    .attn_kv_block = 256,                // KV cache padded to 256 cells with flash attention
    .tiles = {{{128, 128, 1, 1.0}, {64, 128, 1, 0.9}, {32, 128, 2, 0.7}, {16, 128, 2, 0.5},
               {8, 128, 4, 0.35}, {1, 128, 1, 0.7, true}}},
    .tile_count = 6,                     // mmq: mmq_x (tokens) 8..128 x mmq_y 128 rows
    .kernel_efficiency = {0.9, source::assumed, "F16 GEMMs via cuBLAS, ggml overheads; starting value"},
    .dequant_efficiency = {0.5, source::assumed, "mmq/mmvq int8 dot-product dequant kernels, starting value"},
    .kernel_efficiency_jetson = {0.39, source::assumed,
                                 "assumed: vllm-0.8's fitted Jetson value (0.43) x this runtime's assumed rate vs cuBLAS; not measured"},
    .mem_efficiency_jetson = {0.81, source::assumed,
                              "assumed: vllm-0.8's fitted Jetson value; not measured for this runtime"},
    .attention_efficiency = {0, source::assumed, "0 = 1: prefill attention at the GEMMs' rate (not fitted for this runtime)"},
    .gemv_efficiency = {0, source::assumed, "0 = the GEMV tile's listed efficiency (not fitted for this runtime)"},
    .tile_efficiency_exponent = {0, source::assumed, "0 = each tile's listed efficiency (no fitted tile law)"},
    .gemm_serial_fraction = {0, source::assumed, "0 = roofline: GEMM compute and memory overlap (not fitted)"},
    .last_position_logits = true,   // only tokens with batch.logits set produce logits
    .prefix_sharing = false,        // parallel sequences keep their own KV by default
    .default_kv = dtype::fp16,      // cache_type_k/v = f16
    .supported_paths = path_mask({compute_path::native, compute_path::dequant_in_kernel}),
    .cpu_backend = true,  // the ggml CPU backend runs on CPU-only boards (Raspberry Pi)
};

/// MLC-LLM (TVM-compiled, q4f16 and f16 models). Decode kernels per layer (10):
/// fused add+RMSNorm, fused dequant-QKV GEMV, RoPE, KV append, paged attention,
/// fused dequant-O (+residual), fused add+RMSNorm, fused dequant gate_up,
/// SiLU-and-mul, fused dequant down (+residual). Head (6). Decode from CUDA
/// graphs (the compiler's `cudagraph` option, on at opt level O2).
inline constexpr runtime_spec mlc{
    .id = "mlc",
    .launches_per_layer_prefill = 10,
    .launches_per_layer_decode = 10,
    .launches_head = 6,
    .host_per_launch_s = {5e-6, source::assumed, "TVM runtime (C++) launch on A78AE; to be calibrated"},
    .host_per_step_s = {0.1363e-3, source::fitted,
                        "joint fit on the 3 AGX Orin MLC rows of published-speeds.csv (docs/validation.md; poorly pinned)", 1.434},
    .host_per_seq_s = {200e-6, source::assumed, "sampling and detokenisation per sequence; to be calibrated"},
    .graph_launch_s = {20e-6, source::assumed, "cudaGraphLaunch from C++ on A78AE; to be calibrated"},
    .sync_s = {20e-6, source::assumed, "sampled ids copied back at step end; to be calibrated"},
    .graphs_decode = true,   // assumption: built with cudagraph (O2); check the model's compile flags
    .graphs_prefill = false,
    .attention = attention_kind::paged,  // PagedKVCache (FlashInfer or TIR kernels)
    .attn_q_block = 64,                  // assumed prefill query tile
    .attn_kv_block = 16,                 // PagedKVCache page size 16
    .tiles = {{{128, 128, 1, 1.0}, {64, 128, 1, 0.9}, {64, 64, 2, 0.8}, {32, 64, 2, 0.6},
               {16, 64, 4, 0.45}, {1, 128, 1, 0.7, true}}},
    .tile_count = 6,                     // dlight GEMM schedules (assumed family)
    .kernel_efficiency = {0.8, source::assumed, "TVM-generated 16-bit GEMMs vs cuBLAS, starting value"},
    .dequant_efficiency = {0.6, source::assumed,
                           "fused q4f16 dequant-GEMV; published 46.9 tok/s Llama-2-7B AGX ~ 0.87 of BW (orientation)"},
    .kernel_efficiency_jetson = {0.34, source::assumed,
                                 "assumed: vllm-0.8's fitted Jetson value (0.43) x this runtime's assumed rate vs cuBLAS; not measured"},
    .mem_efficiency_jetson = {0.6767, source::fitted,
                              "joint fit on the 3 AGX Orin MLC rows of published-speeds.csv (docs/validation.md)", 0.028},
    .attention_efficiency = {0, source::assumed, "0 = 1: prefill attention at the GEMMs' rate (not fitted for this runtime)"},
    .gemv_efficiency = {0, source::assumed, "0 = the GEMV tile's listed efficiency (not fitted for this runtime)"},
    .tile_efficiency_exponent = {0, source::assumed, "0 = each tile's listed efficiency (no fitted tile law)"},
    .gemm_serial_fraction = {0, source::assumed, "0 = roofline: GEMM compute and memory overlap (not fitted)"},
    .last_position_logits = true,
    .prefix_sharing = false,  // assumed off (the engine can fork sequences; not modelled yet)
    .default_kv = dtype::fp16,
    .supported_paths = path_mask({compute_path::native, compute_path::dequant_in_kernel}),
};

/// TensorRT-LLM. Decode kernels per layer (8): fused add+RMSNorm, QKV GEMM,
/// GPT-attention plugin (RoPE + KV write + masked MHA/XQA in one), O GEMM,
/// fused add+RMSNorm, fused gate_up GEMM, SwiGLU, down GEMM. Head (5).
inline constexpr runtime_spec trtllm{
    .id = "trtllm",
    .launches_per_layer_prefill = 8,
    .launches_per_layer_decode = 8,
    .launches_head = 5,
    .host_per_launch_s = {5e-6, source::assumed, "TensorRT engine enqueue (C++) per kernel on A78AE; to be calibrated"},
    .host_per_step_s = {300e-6, source::assumed, "C++ executor / batch manager per step on A78AE; to be calibrated"},
    .host_per_seq_s = {50e-6, source::assumed, "per-sequence bookkeeping (sampling on GPU); to be calibrated"},
    .graph_launch_s = {20e-6, source::assumed, "cudaGraphLaunch from C++ on A78AE; to be calibrated"},
    .sync_s = {20e-6, source::assumed, "step-end synchronisation; to be calibrated"},
    .graphs_decode = true,   // assumed enabled (cuda_graph_mode / executor CUDA-graph option)
    .graphs_prefill = false,
    .attention = attention_kind::paged,  // paged KV cache + fused MHA (context) / XQA (generation)
    .attn_q_block = 128,
    .attn_kv_block = 64,                 // tokens_per_block default 64 (assumed)
    .tiles = {{{256, 128, 1, 1.0}, {128, 128, 1, 1.0}, {128, 64, 1, 0.9}, {64, 64, 2, 0.8},
               {32, 64, 2, 0.6}, {16, 128, 2, 0.5}, {1, 128, 1, 0.7, true}}},
    .tile_count = 7,                     // CUTLASS/TensorRT tactics (assumed family)
    .kernel_efficiency = {1.0, source::assumed, "TensorRT tactic selection ~ cuBLAS rate; starting value"},
    .dequant_efficiency = {0.6, source::assumed, "weight-only (W4A16/W8A16) GEMV/GEMM kernels, starting value"},
    .kernel_efficiency_jetson = {0.43, source::assumed,
                                 "assumed: vllm-0.8's fitted Jetson value (0.43) x this runtime's assumed rate vs cuBLAS; not measured"},
    .mem_efficiency_jetson = {0.81, source::assumed,
                              "assumed: vllm-0.8's fitted Jetson value; not measured for this runtime"},
    .attention_efficiency = {0, source::assumed, "0 = 1: prefill attention at the GEMMs' rate (not fitted for this runtime)"},
    .gemv_efficiency = {0, source::assumed, "0 = the GEMV tile's listed efficiency (not fitted for this runtime)"},
    .tile_efficiency_exponent = {0, source::assumed, "0 = each tile's listed efficiency (no fitted tile law)"},
    .gemm_serial_fraction = {0, source::assumed, "0 = roofline: GEMM compute and memory overlap (not fitted)"},
    .last_position_logits = true,  // gather_context_logits off by default
    .prefix_sharing = true,        // n samples per request share the context's KV blocks
    .default_kv = dtype::fp16,
    .supported_paths = path_mask({compute_path::native, compute_path::dequant_in_kernel,
                                  compute_path::native_int8, compute_path::native_fp8}),
};

}  // namespace runtimes

/// Every runtime catalog entry.
inline constexpr std::array<runtime_spec, 7> runtime_catalog_entries{
    runtimes::vllm_0_8, runtimes::vllm_0_8_eager, runtimes::vllm_0_6, runtimes::hf_eager,
    runtimes::llama_cpp, runtimes::mlc, runtimes::trtllm,
};

/// Ids kept for compatibility: `vllm` names the EdgeReasoning configuration
/// (vLLM 0.8.6, CUDA graphs), the runtime the profiles were first fitted for.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 1> runtime_aliases{{
    {"vllm", "vllm-0.8"},
}};

/// The catalog id an id or alias names (the id itself when it is no alias).
[[nodiscard]] constexpr std::string_view canonical_runtime_id(std::string_view id) {
  for (const auto& [alias, target] : runtime_aliases)
    if (alias == id) return target;
  return id;
}

/// Whether runtime id (or alias) `id` names runtime `r`.
[[nodiscard]] constexpr bool runtime_matches(std::string_view id, const runtime_spec& r) {
  return r.id == canonical_runtime_id(id) || r.id == id;
}

/// All runtime entries as a read-only view (static storage; never dangles).
[[nodiscard]] constexpr std::span<const runtime_spec> runtime_catalog() {
  return {runtime_catalog_entries.data(), runtime_catalog_entries.size()};
}

/// The ids of all runtime entries, in catalog order.
[[nodiscard]] constexpr std::array<std::string_view, runtime_catalog_entries.size()> runtime_ids() {
  std::array<std::string_view, runtime_catalog_entries.size()> ids{};
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = runtime_catalog_entries[i].id.view();
  return ids;
}

/// The runtime entry with id `id`, or nullptr; usable in constant expressions.
[[nodiscard]] constexpr const runtime_spec* find_runtime_or_null(std::string_view id) {
  const std::string_view want = canonical_runtime_id(id);
  for (const runtime_spec& r : runtime_catalog_entries)
    if (r.id == want) return &r;
  return nullptr;
}

/// The runtime entry with id `id` (exact match). An unknown id gives
/// `errc::unknown_id` naming the id and the nearest ids.
[[nodiscard]] inline result<runtime_spec> find_runtime(std::string_view id) {
  if (const runtime_spec* r = find_runtime_or_null(id)) return *r;
  return make_error(errc::unknown_id, detail::unknown_id_message("runtime id", id, runtime_ids()));
}

/// A correlation between two fitted numbers of a runtime profile, stored
/// with the profile by the fit that produced them (|ρ| >= 0.3; the full
/// matrix is printed by `edgeperf_joint`): prediction intervals
/// (phases/interval.hpp) use it.
struct fitted_correlation {
  std::string_view runtime, a, b;
  double rho;
};

/// Correlations of the joint AGX Orin fit (docs/validation.md).
inline constexpr std::array<fitted_correlation, 3> fitted_correlations{{
    {"vllm-0.8", "kernel_efficiency_jetson", "attention_efficiency", -0.84},
    {"vllm-0.8", "gemv_efficiency", "gemm_serial_fraction", 0.91},
    {"vllm-0.8", "mem_efficiency_jetson", "host_per_step_s", 0.78},
}};

/// Calls `f(name, field)` for every `sourced` field of a runtime, in
/// declaration order, with the field's JSON name.
template <class Spec, class F>
  requires std::is_same_v<std::remove_const_t<Spec>, runtime_spec>
constexpr void for_each_sourced(Spec& r, F&& f) {
  f("host_per_launch_s", r.host_per_launch_s);
  f("host_per_step_s", r.host_per_step_s);
  f("host_per_seq_s", r.host_per_seq_s);
  f("graph_launch_s", r.graph_launch_s);
  f("sync_s", r.sync_s);
  f("kernel_efficiency", r.kernel_efficiency);
  f("dequant_efficiency", r.dequant_efficiency);
  f("kernel_efficiency_jetson", r.kernel_efficiency_jetson);
  f("mem_efficiency_jetson", r.mem_efficiency_jetson);
  f("attention_efficiency", r.attention_efficiency);
  f("gemv_efficiency", r.gemv_efficiency);
  f("tile_efficiency_exponent", r.tile_efficiency_exponent);
  f("gemm_serial_fraction", r.gemm_serial_fraction);
}

}  // namespace edgeperf
