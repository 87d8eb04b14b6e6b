#pragma once
/// @file
/// The built-in quantization catalog: one `inline constexpr quant_spec` per
/// supported storage/compute format (16-bit and fp32 baselines, W8A8 fp8/int8,
/// weight-only int8/int4 as AWQ/GPTQ/compressed-tensors/MLC store them, the
/// GGUF types and recipes of llama.cpp, and bitsandbytes), with the sizes of
/// data/quant-formats.md (tag E = copied from the format's source,
/// D = derived there, U = not in quant-formats.md: taken from the library's
/// source and marked as an assumption here). Per-tensor exceptions (GGUF's
/// Q6_K output, Q4_K_M's upgraded layers, norms, biases, routers) are applied by
/// `tensor_format` in accounting/weights.hpp; the entries only name the formats.
///
/// `dequant_ops_per_weight` is an engineering assumption per family, counted as
/// CUDA-core ops to turn one stored weight into an fp16 operand:
///   - native 16/32-bit, fp8 and int8 tensor-core paths: 0 (scales are applied
///     per output element in the epilogue, not per weight);
///   - int8 weight-only (w8a16, Q8_0, bnb-int8): 2 (convert int8→fp16, multiply
///     by the scale);
///   - 4-bit groups (AWQ/GPTQ/MLC/Q4_0/Q4_K, NF4): 4 (shift, mask, convert, one
///     FMA applying scale and zero/offset; NF4's code-book lookup replaces the
///     convert);
///   - 5/6-bit K-quants (Q5_K, Q6_K): 6 (low and high bit planes: two shifts,
///     two masks/or, convert, FMA).
/// The dequant efficiency of a runtime's kernels scales these (runtime_spec).
///
/// Also here: `parse_dtype`, the dtype names used by files and the CLI.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/detail/nearest.hpp"
#include "edgeperf/result.hpp"

namespace edgeperf {

/// Parses a dtype name as written in configs, files and on the command line:
/// `fp32`/`f32`/`float32`, `fp16`/`f16`/`float16`/`half`, `bf16`/`bfloat16`,
/// `fp8`/`fp8_e4m3`/`float8_e4m3fn`, `int8`, `int4`, `nf4`. Case-sensitive;
/// anything else gives `std::nullopt`.
[[nodiscard]] constexpr std::optional<dtype> parse_dtype(std::string_view s) {
  struct alias {
    std::string_view name;
    dtype type;
  };
  constexpr alias aliases[] = {
      {"fp32", dtype::fp32}, {"f32", dtype::fp32},     {"float32", dtype::fp32},
      {"fp16", dtype::fp16}, {"f16", dtype::fp16},     {"float16", dtype::fp16},
      {"half", dtype::fp16}, {"bf16", dtype::bf16},    {"bfloat16", dtype::bf16},
      {"fp8", dtype::fp8},   {"fp8_e4m3", dtype::fp8}, {"float8_e4m3fn", dtype::fp8},
      {"int8", dtype::int8}, {"int4", dtype::int4},    {"nf4", dtype::nf4},
  };
  for (const alias& a : aliases)
    if (a.name == s) return a.type;
  return std::nullopt;
}

/// The `weight_format` of a GGUF block type. `elem` is the integer width the
/// block's quants unpack to (informational only: the size comes from the block
/// layout, `gguf_layout`); F32/F16 map to plain fp32/fp16.
[[nodiscard]] constexpr weight_format gguf_format(gguf_type t) {
  switch (t) {
    case gguf_type::none:
    case gguf_type::f16:
      return weight_format{.elem = dtype::fp16};
    case gguf_type::f32:
      return weight_format{.elem = dtype::fp32};
    case gguf_type::q4_0:
    case gguf_type::q4_1:
    case gguf_type::q2_k:
    case gguf_type::q3_k:
    case gguf_type::q4_k:
      return weight_format{.elem = dtype::int4, .gguf = t};
    case gguf_type::q5_0:
    case gguf_type::q5_1:
    case gguf_type::q5_k:
    case gguf_type::q6_k:
    case gguf_type::q8_0:
    case gguf_type::q8_k:
      return weight_format{.elem = dtype::int8, .gguf = t};
  }
  return weight_format{};
}

/// Whether `q` stores its linear weights in GGUF blocks (llama.cpp formats).
[[nodiscard]] constexpr bool is_gguf(const quant_spec& q) {
  return q.linear.gguf != gguf_type::none;
}

/// Catalog entries, one variable per format (`quants::q4_k_m`, ...).
namespace quants {

/// Plain 16-bit storage used for embeddings and LM heads that formats leave unquantized.
inline constexpr weight_format fp16_format{.elem = dtype::fp16};

/// Unquantized fp32: weights, activations and KV cache all 32-bit.
inline constexpr quant_spec fp32{
    .id = "fp32",
    .linear = {.elem = dtype::fp32},    // 4 bytes/weight (D)
    .upgraded = {.elem = dtype::fp32},  // no recipe
    .embed = {.elem = dtype::fp32},
    .lm_head = {.elem = dtype::fp32},
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp32,
    .kv = dtype::fp32,  // an fp32 model writes fp32 K/V (assumed: cache dtype = model dtype)
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::native,
    .dequant_ops_per_weight = 0,  // nothing to unpack (assumed, see file comment)
};

/// Unquantized fp16.
inline constexpr quant_spec fp16{
    .id = "fp16",
    .linear = fp16_format,  // 2 bytes/weight (D)
    .upgraded = fp16_format,
    .embed = fp16_format,
    .lm_head = fp16_format,
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,  // default KV dtype (brief: fp16 unless the format implies otherwise)
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::native,
    .dequant_ops_per_weight = 0,
};

/// Unquantized bf16 (the dtype most checkpoints ship in).
inline constexpr quant_spec bf16{
    .id = "bf16",
    .linear = {.elem = dtype::bf16},  // 2 bytes/weight (D)
    .upgraded = {.elem = dtype::bf16},
    .embed = {.elem = dtype::bf16},
    .lm_head = {.elem = dtype::bf16},
    .recipe = quant_recipe::uniform,
    .activation = dtype::bf16,
    .kv = dtype::bf16,  // cache in the model dtype (assumed); same size as fp16
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::native,
    .dequant_ops_per_weight = 0,
};

/// W8A8 fp8 (e4m3) on fp8 tensor cores (vLLM / compressed-tensors FP8; needs sm_89+).
inline constexpr quant_spec fp8{
    .id = "fp8",
    // fp8 weights with one fp32 scale per output channel (U: compressed-tensors
    // FP8-dynamic layout; per-tensor static scales would cost ~0 instead, a
    // difference of 32/K bits per weight, < 0.01 bit at K = 4096).
    .linear = {.elem = dtype::fp8, .group_size = -1, .scale_bits = 32},
    .upgraded = {.elem = dtype::fp8, .group_size = -1, .scale_bits = 32},
    .embed = fp16_format,    // embeddings stay 16-bit (quant-formats.md, E)
    .lm_head = fp16_format,  // LM head stays 16-bit (quant-formats.md, E)
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp8,  // activations quantized to fp8 per token (dynamic)
    .kv = dtype::fp16,  // fp8 weights do not imply an fp8 KV cache (vLLM kv_cache_dtype=auto)
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::native_fp8,
    .dequant_ops_per_weight = 0,  // scales applied in the GEMM epilogue (assumed)
};

/// W8A8 int8 (SmoothQuant / compressed-tensors W8A8) on int8 tensor cores.
inline constexpr quant_spec w8a8_int8{
    .id = "w8a8-int8",
    // int8 weights, one scale per output channel stored in the checkpoint's
    // 16-bit dtype (assumed; fp32 scales would add 16/K bits, < 0.004 bit at K = 4096).
    .linear = {.elem = dtype::int8, .group_size = -1, .scale_bits = 16},
    .upgraded = {.elem = dtype::int8, .group_size = -1, .scale_bits = 16},
    .embed = fp16_format,    // (quant-formats.md, E)
    .lm_head = fp16_format,  // (quant-formats.md, E)
    .recipe = quant_recipe::uniform,
    .activation = dtype::int8,  // per-token dynamic int8 activations
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::native_int8,
    .dequant_ops_per_weight = 0,  // epilogue rescale per output element (assumed)
};

/// W8A16: int8 weights dequantized to fp16 inside the GEMM (GPTQ 8-bit per channel, Marlin W8A16).
inline constexpr quant_spec w8a16{
    .id = "w8a16",
    // 8 bits + one fp16 scale per output channel: GPTQ bits=8, group_size=-1 (quant-formats.md, D)
    .linear = {.elem = dtype::int8, .group_size = -1, .scale_bits = 16},
    .upgraded = {.elem = dtype::int8, .group_size = -1, .scale_bits = 16},
    .embed = fp16_format,
    .lm_head = fp16_format,
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_in_kernel,
    .dequant_ops_per_weight = 2,  // convert + scale (assumed, see file comment)
};

/// W4A16 group 128: AWQ, GPTQ and compressed-tensors W4A16 (Marlin/exllama/AWQ kernels).
inline constexpr quant_spec w4a16{
    .id = "w4a16",
    // 4 bits + fp16 scale + 4-bit zero per group of 128: 4 + 20/128 = 4.156 bits
    // (quant-formats.md AWQ/GPTQ rows, D). GPTQ desc_act's g_idx (+32 bits per K
    // row) is not modelled: weight_format has no field for it.
    .linear = {.elem = dtype::int4, .group_size = 128, .scale_bits = 16, .zero_bits = 4},
    .upgraded = {.elem = dtype::int4, .group_size = 128, .scale_bits = 16, .zero_bits = 4},
    .embed = fp16_format,    // embeddings stay 16-bit (quant-formats.md, E)
    .lm_head = fp16_format,  // LM head stays 16-bit (quant-formats.md, E)
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_in_kernel,
    .dequant_ops_per_weight = 4,  // shift, mask, convert, FMA (assumed, see file comment)
};

/// W4A16 group 32 (GPTQ/AWQ with group_size 32).
inline constexpr quant_spec w4a16_g32{
    .id = "w4a16-g32",
    // 4 bits + fp16 scale + 4-bit zero per group of 32: 4 + 20/32 = 4.625 bits
    // (quant-formats.md GPTQ row: bits + (16 + bits)/group, D)
    .linear = {.elem = dtype::int4, .group_size = 32, .scale_bits = 16, .zero_bits = 4},
    .upgraded = {.elem = dtype::int4, .group_size = 32, .scale_bits = 16, .zero_bits = 4},
    .embed = fp16_format,
    .lm_head = fp16_format,
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_in_kernel,
    .dequant_ops_per_weight = 4,
};

/// MLC-LLM q4f16_1: symmetric 4-bit, group 32, one fp16 scale, no zero point.
inline constexpr quant_spec q4f16_1{
    .id = "q4f16_1",
    // 4 + 16/32 = 4.5 bits (quant-formats.md, D)
    .linear = {.elem = dtype::int4, .group_size = 32, .scale_bits = 16},
    .upgraded = {.elem = dtype::int4, .group_size = 32, .scale_bits = 16},
    // MLC's GroupQuantize for q4f16_1 sets quantize_embedding and
    // quantize_final_fc, so the embedding and the LM head are stored in the
    // same 4.5-bit format (U: MLC-LLM quantization presets; not in quant-formats.md).
    .embed = {.elem = dtype::int4, .group_size = 32, .scale_bits = 16},
    .lm_head = {.elem = dtype::int4, .group_size = 32, .scale_bits = 16},
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_in_kernel,
    .dequant_ops_per_weight = 4,  // shift, mask, convert, FMA with offset (assumed)
};

// GGUF (llama.cpp) ftypes. Per llama.cpp llama_tensor_get_type (E, summarised in
// quant-formats.md): token_embd keeps the base type; output.weight is Q6_K for
// every ftype except Q8_0, where it stays Q8_0 (`lm_head` below); a tied model
// stores token_embd in output's type. Norms, biases and routers stay F32.

/// GGUF Q4_0: 32-weight blocks of 18 bytes, 4.5 bits (quant-formats.md, E).
inline constexpr quant_spec q4_0{
    .id = "q4_0",
    .linear = gguf_format(gguf_type::q4_0),    // 18 B / 32 weights (E)
    .upgraded = gguf_format(gguf_type::q4_0),  // no recipe
    .embed = gguf_format(gguf_type::q4_0),     // token_embd: base type (E: llama_tensor_get_type)
    .lm_head = gguf_format(gguf_type::q6_k),   // output.weight → Q6_K (E)
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,  // llama.cpp default cache type f16
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_in_kernel,
    .dequant_ops_per_weight = 4,
};

/// GGUF Q4_K_M: Q4_K base, attn_v/ffn_down on `use_more_bits` layers in Q6_K.
inline constexpr quant_spec q4_k_m{
    .id = "q4_k_m",
    .linear = gguf_format(gguf_type::q4_k),    // 144 B / 256 weights = 4.5 bits (E)
    .upgraded = gguf_format(gguf_type::q6_k),  // 210 B / 256 weights = 6.5625 bits (E)
    .embed = gguf_format(gguf_type::q4_k),     // token_embd: base type (E)
    .lm_head = gguf_format(gguf_type::q6_k),   // output.weight → Q6_K (E)
    .recipe = quant_recipe::gguf_km,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_in_kernel,
    .dequant_ops_per_weight = 4,
};

/// GGUF Q5_K_M: Q5_K base, attn_v/ffn_down on `use_more_bits` layers in Q6_K.
inline constexpr quant_spec q5_k_m{
    .id = "q5_k_m",
    .linear = gguf_format(gguf_type::q5_k),    // 176 B / 256 weights = 5.5 bits (E)
    .upgraded = gguf_format(gguf_type::q6_k),  // (E)
    .embed = gguf_format(gguf_type::q5_k),     // token_embd: base type (E)
    .lm_head = gguf_format(gguf_type::q6_k),   // (E)
    .recipe = quant_recipe::gguf_km,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_in_kernel,
    .dequant_ops_per_weight = 6,
};

/// GGUF Q6_K: every quantized tensor Q6_K.
inline constexpr quant_spec q6_k{
    .id = "q6_k",
    .linear = gguf_format(gguf_type::q6_k),  // 210 B / 256 weights = 6.5625 bits (E)
    .upgraded = gguf_format(gguf_type::q6_k),
    .embed = gguf_format(gguf_type::q6_k),
    .lm_head = gguf_format(gguf_type::q6_k),
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_in_kernel,
    .dequant_ops_per_weight = 6,
};

/// GGUF Q8_0: 32-weight blocks of 34 bytes; the output stays Q8_0.
inline constexpr quant_spec q8_0{
    .id = "q8_0",
    .linear = gguf_format(gguf_type::q8_0),  // 34 B / 32 weights = 8.5 bits (E)
    .upgraded = gguf_format(gguf_type::q8_0),
    .embed = gguf_format(gguf_type::q8_0),
    .lm_head = gguf_format(gguf_type::q8_0),  // output is not raised to Q6_K for Q8_0 (E)
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_in_kernel,
    .dequant_ops_per_weight = 2,
};

/// bitsandbytes LLM.int8(): int8 weights; at run time an int8 tensor-core matmul
/// of row-quantized activations plus the outlier columns in fp16 (accounting/
/// ops.hpp `bnb_kernel::int8_matmul`; no fp16 copy of the weights).
inline constexpr quant_spec bnb_int8{
    .id = "bnb-int8",
    // Stored: int8 weights with one fp32 absmax per output row (Int8Params CB +
    // SCB; U: bitsandbytes source). The fp16 "outliers" of LLM.int8() are a
    // run-time decomposition of the activation columns above the threshold
    // (6.0): the matching weight columns are dequantized from the int8 copy,
    // not stored again, so the stored outlier fraction is assumed to be 0.
    .linear = {.elem = dtype::int8, .group_size = -1, .scale_bits = 32},
    .upgraded = {.elem = dtype::int8, .group_size = -1, .scale_bits = 32},
    .embed = fp16_format,    // nn.Embedding is not converted (assumed)
    .lm_head = fp16_format,  // lm_head is skipped by default (llm_int8_skip_modules, assumed)
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_to_memory,  // bitsandbytes family (quant-formats.md: dequantizes at run time, U)
    .dequant_ops_per_weight = 2,  // the outlier columns' int8 -> fp16 (convert, scale); assumed
};

/// bitsandbytes NF4 with double quantization (QLoRA storage). One token per
/// call runs the fused `gemv_4bit`; more tokens dequantize each weight to an
/// fp16 copy first (accounting/ops.hpp `bnb_kernel`).
inline constexpr quant_spec bnb_nf4{
    .id = "bnb-nf4",
    // NF4 in blocks of 64 with an 8-bit absmax per block, the absmaxes themselves
    // quantized in blocks of 256 with one fp32 scale: 4 + 8/64 + 32/(64·256)
    // = 4.12695 bits (quant-formats.md, D). weight_format has one scale level, so
    // the two levels are folded into one "group" of 64·256 = 16384 weights carrying
    // 256·8 + 32 = 2080 scale bits (same bytes; bitsandbytes blocks run over the
    // flattened tensor, not per row). The group size here is NOT the NF4 block (64).
    .linear = {.elem = dtype::nf4, .group_size = 16384, .scale_bits = 2080},
    .upgraded = {.elem = dtype::nf4, .group_size = 16384, .scale_bits = 2080},
    .embed = fp16_format,    // not converted (assumed)
    .lm_head = fp16_format,  // skipped by default (assumed)
    .recipe = quant_recipe::uniform,
    .activation = dtype::fp16,
    .kv = dtype::fp16,
    .kv_group = 0,
    .kv_scale_bits = 0,
    .path = compute_path::dequant_to_memory,
    .dequant_ops_per_weight = 4,  // shift/mask, code-book lookup, scale (assumed)
};

}  // namespace quants

/// Every catalog entry, in the order of the id list.
inline constexpr std::array<quant_spec, 16> quant_catalog_entries{
    quants::fp32,      quants::fp16,  quants::bf16,     quants::fp8,
    quants::w8a8_int8, quants::w8a16, quants::w4a16,    quants::w4a16_g32,
    quants::q4f16_1,   quants::q4_0,  quants::q4_k_m,   quants::q5_k_m,
    quants::q6_k,      quants::q8_0,  quants::bnb_int8, quants::bnb_nf4,
};

/// All catalog entries as a read-only view (static storage; never dangles).
[[nodiscard]] constexpr std::span<const quant_spec> quant_catalog() {
  return {quant_catalog_entries.data(), quant_catalog_entries.size()};
}

/// The ids of all catalog entries, in catalog order.
[[nodiscard]] constexpr std::array<std::string_view, quant_catalog_entries.size()> quant_ids() {
  std::array<std::string_view, quant_catalog_entries.size()> ids{};
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = quant_catalog_entries[i].id.view();
  return ids;
}

/// The catalog entry with id `id`, or nullptr; usable in constant expressions.
[[nodiscard]] constexpr const quant_spec* find_quant_or_null(std::string_view id) {
  for (const quant_spec& q : quant_catalog_entries)
    if (q.id == id) return &q;
  return nullptr;
}

/// The catalog entry with id `id` (exact, case-sensitive). An unknown id gives
/// `errc::unknown_id` with a message naming the id and the nearest ids.
[[nodiscard]] inline result<quant_spec> find_quant(std::string_view id) {
  if (const quant_spec* q = find_quant_or_null(id)) return *q;
  return make_error(errc::unknown_id, detail::unknown_id_message("quant id", id, quant_ids()));
}

}  // namespace edgeperf
