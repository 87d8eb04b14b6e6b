#pragma once
/// @file
/// `quant_spec`: how weights, activations and the KV cache are stored, and the
/// compute path a quantized matmul takes. Formats and sizes follow
/// data/quant-formats.md. See docs/model.md for the byte equations.

#include <cstdint>

#include "edgeperf/detail/fixed_string.hpp"

namespace edgeperf {

/// Element types of weights, activations and the KV cache.
enum class dtype : std::uint8_t { fp32, fp16, bf16, fp8, int8, int4, nf4 };

/// Bits of one element of `t` (storage, without scales).
[[nodiscard]] constexpr double dtype_bits(dtype t) {
  switch (t) {
    case dtype::fp32: return 32;
    case dtype::fp16:
    case dtype::bf16: return 16;
    case dtype::fp8:
    case dtype::int8: return 8;
    case dtype::int4:
    case dtype::nf4: return 4;
  }
  return 16;
}

[[nodiscard]] constexpr const char* to_string(dtype t) {
  switch (t) {
    case dtype::fp32: return "fp32";
    case dtype::fp16: return "fp16";
    case dtype::bf16: return "bf16";
    case dtype::fp8: return "fp8";
    case dtype::int8: return "int8";
    case dtype::int4: return "int4";
    case dtype::nf4: return "nf4";
  }
  return "?";
}

/// GGUF (llama.cpp) block types. `none` = not a GGUF block format.
enum class gguf_type : std::uint8_t {
  none, f32, f16, q4_0, q4_1, q5_0, q5_1, q8_0, q2_k, q3_k, q4_k, q5_k, q6_k, q8_k
};

/// One GGUF block: weights per block and bytes per block (ggml-common.h).
struct gguf_block {
  int weights{0};
  int bytes{0};
};

/// Block layout of a GGUF type (E: struct sizes from ggml-common.h, quant-formats.md).
[[nodiscard]] constexpr gguf_block gguf_layout(gguf_type t) {
  switch (t) {
    case gguf_type::none: return {0, 0};
    case gguf_type::f32: return {1, 4};
    case gguf_type::f16: return {1, 2};
    case gguf_type::q4_0: return {32, 18};
    case gguf_type::q4_1: return {32, 20};
    case gguf_type::q5_0: return {32, 22};
    case gguf_type::q5_1: return {32, 24};
    case gguf_type::q8_0: return {32, 34};
    case gguf_type::q2_k: return {256, 84};
    case gguf_type::q3_k: return {256, 110};
    case gguf_type::q4_k: return {256, 144};
    case gguf_type::q5_k: return {256, 176};
    case gguf_type::q6_k: return {256, 210};
    case gguf_type::q8_k: return {256, 292};
  }
  return {0, 0};
}

/// How one class of tensors is stored.
struct weight_format {
  dtype elem{dtype::fp16};   ///< element type of the stored weights
  int group_size{0};         ///< weights per scale group; 0 = no groups; -1 = per output channel
  int scale_bits{0};         ///< bits of one scale per group
  int zero_bits{0};          ///< bits of one zero point per group (asymmetric formats)
  gguf_type gguf{gguf_type::none};  ///< when set, the block layout defines the size

  /// Storage bits per weight including scales and zeros. For per-channel
  /// groups (-1) the per-row scale is amortised over `row_len` weights.
  [[nodiscard]] constexpr double bits_per_weight(std::int64_t row_len = 4096) const {
    if (gguf != gguf_type::none) {
      const auto b = gguf_layout(gguf);
      return 8.0 * b.bytes / b.weights;
    }
    double bits = dtype_bits(elem);
    const double group = group_size > 0    ? static_cast<double>(group_size)
                         : group_size < 0 ? static_cast<double>(row_len)
                                          : 0.0;
    if (group > 0) bits += (scale_bits + zero_bits) / group;
    return bits;
  }
  friend constexpr bool operator==(const weight_format&, const weight_format&) = default;
};

/// The path a matmul with these weights takes on the device.
enum class compute_path : std::uint8_t {
  native,             ///< fp32/fp16/bf16 weights, matmul in that dtype
  dequant_in_kernel,  ///< low-bit weights unpacked to fp16 in registers (AWQ/GPTQ/Marlin/GGUF/MLC)
  native_int8,        ///< int8 × int8 tensor-core matmul (W8A8, SmoothQuant)
  native_fp8,         ///< fp8 × fp8 tensor-core matmul (needs sm_89+)
  dequant_to_memory,  ///< bitsandbytes: 4-bit formats dequantize to a full fp16 copy in DRAM
                      ///< then matmul, except a fused GEMV for one token; LLM.int8() runs an
                      ///< int8 matmul with fp16 outliers (accounting/ops.hpp, `bnb_kernel`)
};

[[nodiscard]] constexpr const char* to_string(compute_path p) {
  switch (p) {
    case compute_path::native: return "native";
    case compute_path::dequant_in_kernel: return "dequant_in_kernel";
    case compute_path::native_int8: return "native_int8";
    case compute_path::native_fp8: return "native_fp8";
    case compute_path::dequant_to_memory: return "dequant_to_memory";
  }
  return "?";
}

/// Per-tensor type recipes (GGUF's `llama_tensor_get_type`).
enum class quant_recipe : std::uint8_t {
  uniform,  ///< every linear weight in `linear`; embeddings/LM head as their own fields
  gguf_km,  ///< Q4_K_M / Q5_K_M: attn_v and ffn_down raised to `upgraded` on
            ///< layers i < n/8 || i >= 7n/8 || (i − n/8) % 3 == 2; 8-expert MoE puts
            ///< attn_k/attn_v in Q8_0
};

/// Classes of weight tensors (for per-tensor recipes and byte accounting).
enum class tensor_class : std::uint8_t {
  attn_q, attn_k, attn_v, attn_o, ffn_gate, ffn_up, ffn_down, router, embed, lm_head, norm,
  vision  ///< a vision tower with its projector, kept in 16-bit (model_spec::vision_params)
};

/// Storage and compute format of one quantization scheme.
struct quant_spec {
  name_string id{};
  weight_format linear{};    ///< default format of the transformer's linear layers
  weight_format upgraded{};  ///< tensors a recipe raises (Q6_K in Q4_K_M)
  weight_format embed{};     ///< token embedding table
  weight_format lm_head{};   ///< output projection (when untied; tied heads use `embed`... see docs)
  quant_recipe recipe{quant_recipe::uniform};
  dtype activation{dtype::fp16};  ///< dtype the matmul's activations are in
  dtype kv{dtype::fp16};          ///< default KV-cache element type (a runtime/workload may override)
  int kv_group{0};                ///< KV elements per scale; 0 = per-tensor scales (negligible bytes)
  int kv_scale_bits{0};           ///< bits of one KV scale
  compute_path path{compute_path::native};
  int dequant_ops_per_weight{0};  ///< CUDA-core ops to unpack one weight (shift, mask, scale, zero)

  friend constexpr bool operator==(const quant_spec&, const quant_spec&) = default;
};

/// Bits per KV-cache element including its scales (`kv_group` elements share
/// one `kv_scale_bits` scale; per-tensor scales, as vLLM's fp8 KV uses, cost 0).
[[nodiscard]] constexpr double kv_bits_per_element(dtype kv, int kv_group = 0, int kv_scale_bits = 0) {
  return dtype_bits(kv) + (kv_group > 0 ? static_cast<double>(kv_scale_bits) / kv_group : 0.0);
}

}  // namespace edgeperf
