#pragma once
/// @file
/// The built-in model catalog: one `inline constexpr model_spec` per supported
/// checkpoint, with the architecture values of its Hugging Face `config.json`
/// as collected in data/models.md (tag E = copied, D = implied by the
/// `model_type` rules of the models.md field dictionary, U = not in models.md,
/// taken from the public config and unverified here). Every entry sets every
/// field, so the catalog reads as a table; `count_params` (accounting/params.hpp)
/// reproduces each model's published parameter count within 1 %, which the
/// tests check. Lookup by id goes through `find_model`, which reports unknown
/// ids as a `result` error naming the nearest ids.
///
/// Fields that do not change cost (rope_theta) are kept for completeness only.

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/detail/nearest.hpp"
#include "edgeperf/result.hpp"

namespace edgeperf {

/// Catalog entries, one variable per model (`models::llama_3_1_8b`, ...).
namespace models {

/// DeepSeek-R1-Distill-Qwen-1.5B: Qwen2.5-Math-1.5B distilled on R1 traces; untied LM head.
/// HF id deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B; published parameters 1.78B (models.md).
// Source: data/models.md, row 'dsr1-qwen-1.5b' (E) unless a field says otherwise.
inline constexpr model_spec dsr1_qwen_1_5b{
    .id = "dsr1-qwen-1.5b",
    .family = "qwen2",                  // model_type (E)
    .layers = 28,
    .hidden = 1536,
    .heads = 12,
    .kv_heads = 2,
    .head_dim = 128,
    .ffn = 8960,
    .vocab = 151936,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e4,                // (E: notes)
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// DeepSeek-R1-Distill-Qwen-7B: Qwen2.5-Math-7B distilled on R1 traces.
/// HF id deepseek-ai/DeepSeek-R1-Distill-Qwen-7B; published parameters 7.62B (models.md).
// Source: data/models.md, row 'dsr1-qwen-7b' (E) unless a field says otherwise.
inline constexpr model_spec dsr1_qwen_7b{
    .id = "dsr1-qwen-7b",
    .family = "qwen2",                  // model_type (E)
    .layers = 28,
    .hidden = 3584,
    .heads = 28,
    .kv_heads = 4,
    .head_dim = 128,
    .ffn = 18944,
    .vocab = 152064,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e4,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// DeepSeek-R1-Distill-Llama-8B: Llama-3.1-8B distilled on R1 traces.
/// HF id deepseek-ai/DeepSeek-R1-Distill-Llama-8B; published parameters 8.03B (models.md).
// Source: data/models.md, row 'dsr1-llama-8b' (E) unless a field says otherwise.
inline constexpr model_spec dsr1_llama_8b{
    .id = "dsr1-llama-8b",
    .family = "llama",                  // model_type (E)
    .layers = 32,
    .hidden = 4096,
    .heads = 32,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 14336,
    .vocab = 128256,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = false,
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,
    .sliding_pattern = 0,
    .rope_theta = 5.0e5,                // (E: notes)
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// DeepSeek-R1-Distill-Qwen-14B: the Qwen2.5-14B architecture.
/// HF id deepseek-ai/DeepSeek-R1-Distill-Qwen-14B; published parameters 14.8B (models.md).
// Source: data/models.md, row 'dsr1-qwen-14b' (E) unless a field says otherwise.
inline constexpr model_spec dsr1_qwen_14b{
    .id = "dsr1-qwen-14b",
    .family = "qwen2",                  // model_type (E)
    .layers = 48,
    .hidden = 5120,
    .heads = 40,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 13824,
    .vocab = 152064,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// DeepSeek-R1-Distill-Qwen-32B: the Qwen2.5-32B architecture.
/// HF id deepseek-ai/DeepSeek-R1-Distill-Qwen-32B; published parameters 32.8B (models.md).
// Source: data/models.md, row 'dsr1-qwen-32b' (E) unless a field says otherwise.
inline constexpr model_spec dsr1_qwen_32b{
    .id = "dsr1-qwen-32b",
    .family = "qwen2",                  // model_type (E)
    .layers = 64,
    .hidden = 5120,
    .heads = 40,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 27648,
    .vocab = 152064,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Llama-3.1-8B (and -Instruct): GQA 32/8, llama3 RoPE scaling.
/// HF id meta-llama/Llama-3.1-8B; published parameters 8.03B (models.md).
// Source: data/models.md, row 'llama-3.1-8b' (E) unless a field says otherwise.
inline constexpr model_spec llama_3_1_8b{
    .id = "llama-3.1-8b",
    .family = "llama",                  // model_type (E)
    .layers = 32,
    .hidden = 4096,
    .heads = 32,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 14336,
    .vocab = 128256,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = false,
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,
    .sliding_pattern = 0,
    .rope_theta = 5.0e5,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Llama-3.2-1B: explicit head_dim 64, tied embeddings.
/// HF id meta-llama/Llama-3.2-1B; published parameters 1.24B (models.md).
// Source: data/models.md, row 'llama-3.2-1b' (E) unless a field says otherwise.
inline constexpr model_spec llama_3_2_1b{
    .id = "llama-3.2-1b",
    .family = "llama",                  // model_type (E)
    .layers = 16,
    .hidden = 2048,
    .heads = 32,
    .kv_heads = 8,
    .head_dim = 64,                     // explicit head_dim field == hidden/H (E)
    .ffn = 8192,
    .vocab = 128256,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = true,            // tie_word_embeddings (E)
    .qkv_bias = false,
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,
    .sliding_pattern = 0,
    .rope_theta = 5.0e5,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Llama-3.2-3B: tied embeddings.
/// HF id meta-llama/Llama-3.2-3B; published parameters 3.21B (models.md).
// Source: data/models.md, row 'llama-3.2-3b' (E) unless a field says otherwise.
inline constexpr model_spec llama_3_2_3b{
    .id = "llama-3.2-3b",
    .family = "llama",                  // model_type (E)
    .layers = 28,
    .hidden = 3072,
    .heads = 24,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 8192,
    .vocab = 128256,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = true,            // tie_word_embeddings (E)
    .qkv_bias = false,
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,
    .sliding_pattern = 0,
    .rope_theta = 5.0e5,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Qwen2.5-0.5B: tied embeddings, q/k/v biases.
/// HF id Qwen/Qwen2.5-0.5B; published parameters 0.49B (models.md).
// Source: data/models.md, row 'qwen2.5-0.5b' (E) unless a field says otherwise.
inline constexpr model_spec qwen2_5_0_5b{
    .id = "qwen2.5-0.5b",
    .family = "qwen2",                  // model_type (E)
    .layers = 24,
    .hidden = 896,
    .heads = 14,
    .kv_heads = 2,
    .head_dim = 64,
    .ffn = 4864,
    .vocab = 151936,
    .max_context = 32768,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = true,            // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Qwen2.5-1.5B: tied embeddings, q/k/v biases.
/// HF id Qwen/Qwen2.5-1.5B; published parameters 1.54B (models.md).
// Source: data/models.md, row 'qwen2.5-1.5b' (E) unless a field says otherwise.
inline constexpr model_spec qwen2_5_1_5b{
    .id = "qwen2.5-1.5b",
    .family = "qwen2",                  // model_type (E)
    .layers = 28,
    .hidden = 1536,
    .heads = 12,
    .kv_heads = 2,
    .head_dim = 128,
    .ffn = 8960,
    .vocab = 151936,
    .max_context = 32768,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = true,            // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Qwen2.5-3B: tied embeddings, q/k/v biases.
/// HF id Qwen/Qwen2.5-3B; published parameters 3.09B (models.md).
// Source: data/models.md, row 'qwen2.5-3b' (E) unless a field says otherwise.
inline constexpr model_spec qwen2_5_3b{
    .id = "qwen2.5-3b",
    .family = "qwen2",                  // model_type (E)
    .layers = 36,
    .hidden = 2048,
    .heads = 16,
    .kv_heads = 2,
    .head_dim = 128,
    .ffn = 11008,
    .vocab = 151936,
    .max_context = 32768,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = true,            // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Qwen2.5-7B (-Instruct): untied LM head, q/k/v biases; context of the Instruct config.
/// HF id Qwen/Qwen2.5-7B-Instruct; published parameters 7.61B (models.md).
// Source: data/models.md, row 'qwen2.5-7b' (E) unless a field says otherwise.
inline constexpr model_spec qwen2_5_7b{
    .id = "qwen2.5-7b",
    .family = "qwen2",                  // model_type (E)
    .layers = 28,
    .hidden = 3584,
    .heads = 28,
    .kv_heads = 4,
    .head_dim = 128,
    .ffn = 18944,
    .vocab = 152064,
    .max_context = 32768,               // Instruct config (E)
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Qwen2.5-14B: untied LM head, q/k/v biases.
/// HF id Qwen/Qwen2.5-14B; published parameters 14.7B (models.md).
// Source: data/models.md, row 'qwen2.5-14b' (E) unless a field says otherwise.
inline constexpr model_spec qwen2_5_14b{
    .id = "qwen2.5-14b",
    .family = "qwen2",                  // model_type (E)
    .layers = 48,
    .hidden = 5120,
    .heads = 40,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 13824,
    .vocab = 152064,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Phi-2: parallel attention + MLP from one LayerNorm, 2-matrix GELU MLP, biases everywhere, MHA.
/// HF id microsoft/phi-2; published parameters 2.78B (models.md).
// Source: data/models.md, row 'phi-2' (E) unless a field says otherwise.
inline constexpr model_spec phi_2{
    .id = "phi-2",
    .family = "phi",                    // model_type (E)
    .layers = 32,
    .hidden = 2560,
    .heads = 32,
    .kv_heads = 32,                     // KV == H: MHA (E)
    .head_dim = 80,
    .ffn = 10240,
    .vocab = 51200,
    .max_context = 2048,
    .mlp = mlp_kind::plain,             // fc1/fc2 GELU (E: notes)
    .norm = norm_kind::layer,           // LayerNorm, weight + bias (E: notes)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = true,                   // biases on all linears (E: notes)
    .o_bias = true,                     // (E: notes)
    .mlp_bias = true,                   // (E: notes)
    .lm_head_bias = true,               // (E: notes)
    .parallel_attn_mlp = true,          // (E: notes)
    .qk_norm = false,
    .norms_per_layer = 1,               // one shared input LayerNorm (E: notes)
    .sliding_window = 0,
    .sliding_pattern = 0,
    .rope_theta = 1.0e4,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 0.4,              // partial_rotary_factor (E: notes)
    .moe = {},                          // dense
};

/// Phi-3.5-mini-instruct: fused qkv_proj / gate_up_proj (same shapes and FLOPs as split), MHA.
/// HF id microsoft/Phi-3.5-mini-instruct; published parameters 3.82B (models.md).
// Source: data/models.md, row 'phi-3.5-mini' (E) unless a field says otherwise.
inline constexpr model_spec phi_3_5_mini{
    .id = "phi-3.5-mini",
    .family = "phi3",                   // model_type (E)
    .layers = 32,
    .hidden = 3072,
    .heads = 32,
    .kv_heads = 32,                     // KV == H: MHA (E)
    .head_dim = 96,
    .ffn = 8192,
    .vocab = 32064,
    .max_context = 131072,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = false,
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // config window 262144 >= context: none (D)
    .sliding_pattern = 0,
    .rope_theta = 1.0e4,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Gemma-3-1B: head_dim 256 != hidden/H, GeGLU, q/k norms, 4 norms per block, 5:1 local:global.
/// HF id google/gemma-3-1b-it; published parameters 1.0B (models.md).
// Source: data/models.md, row 'gemma-3-1b' (E) unless a field says otherwise.
inline constexpr model_spec gemma_3_1b{
    .id = "gemma-3-1b",
    .family = "gemma3_text",            // model_type (E)
    .layers = 26,
    .hidden = 1152,
    .heads = 4,
    .kv_heads = 1,
    .head_dim = 256,                    // explicit head_dim (E); hidden/H = 288
    .ffn = 6912,
    .vocab = 262144,
    .max_context = 32768,
    .mlp = mlp_kind::gated,             // GeGLU (E: notes)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = true,            // tie_word_embeddings (E)
    .qkv_bias = false,
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = true,                    // Gemma 3 q/k RMSNorm (D: model_type)
    .norms_per_layer = 4,               // pre/post attention + pre/post FFN (D: model_type)
    .sliding_window = 512,              // (E: notes)
    .sliding_pattern = 6,               // 5 windowed + 1 full per 6 layers (E: notes)
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// TinyLlama-1.1B-Chat-v1.0: the Llama-2 architecture at 1.1B, GQA 32/4.
/// HF id TinyLlama/TinyLlama-1.1B-Chat-v1.0; published parameters 1.1B (models.md).
// Source: data/models.md, row 'tinyllama-1.1b' (E) unless a field says otherwise.
inline constexpr model_spec tinyllama_1_1b{
    .id = "tinyllama-1.1b",
    .family = "llama",                  // model_type (E)
    .layers = 22,
    .hidden = 2048,
    .heads = 32,
    .kv_heads = 4,
    .head_dim = 64,
    .ffn = 5632,
    .vocab = 32000,
    .max_context = 2048,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = false,
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,
    .sliding_pattern = 0,
    .rope_theta = 1.0e4,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Mistral-7B-v0.3: no sliding window (sliding_window null in v0.3).
/// HF id mistralai/Mistral-7B-v0.3; published parameters 7.25B (models.md).
// Source: data/models.md, row 'mistral-7b-v0.3' (E) unless a field says otherwise.
inline constexpr model_spec mistral_7b_v0_3{
    .id = "mistral-7b-v0.3",
    .family = "mistral",                // model_type (E)
    .layers = 32,
    .hidden = 4096,
    .heads = 32,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 14336,
    .vocab = 32768,
    .max_context = 32768,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = false,
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // none in v0.3 (E: notes)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {},                          // dense
};

/// Mixtral-8x7B-v0.1: every layer MoE, 8 experts, top-2.
/// HF id mistralai/Mixtral-8x7B-v0.1; published parameters 46.7B total, 12.9B active (models.md).
// Source: data/models.md, row 'mixtral-8x7b' (E) unless a field says otherwise.
inline constexpr model_spec mixtral_8x7b{
    .id = "mixtral-8x7b",
    .family = "mixtral",                // model_type (E)
    .layers = 32,
    .hidden = 4096,
    .heads = 32,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 14336,                       // intermediate_size; unused: all layers MoE (E)
    .vocab = 32000,
    .max_context = 32768,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = false,
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // sliding_window null (U: public config)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {.experts = 8,                  // num_local_experts (E)
            .top_k = 2,                    // num_experts_per_tok (E)
            .expert_ffn = 14336,           // = intermediate_size (E)
            .shared_ffn = 0,
            .shared_expert_gate = false,
            .sparse_step = 1},
};

/// Qwen1.5-MoE-A2.7B: 60 routed experts top-4 plus a gated shared expert on every layer.
/// HF id Qwen/Qwen1.5-MoE-A2.7B; published parameters 14.3B total, 2.7B active (models.md).
// Source: data/models.md, row 'qwen1.5-moe-a2.7b' (E) unless a field says otherwise.
inline constexpr model_spec qwen1_5_moe_a2_7b{
    .id = "qwen1.5-moe-a2.7b",
    .family = "qwen2_moe",              // model_type (E)
    .layers = 24,
    .hidden = 2048,
    .heads = 16,
    .kv_heads = 16,                     // KV == H: MHA (E)
    .head_dim = 128,
    .ffn = 5632,
    .vocab = 151936,
    .max_context = 32768,
    .mlp = mlp_kind::gated,             // SwiGLU (D: model_type)
    .norm = norm_kind::rms,             // RMSNorm (D: model_type)
    .tied_embeddings = false,           // tie_word_embeddings (E)
    .qkv_bias = true,                   // implied by model_type (E: field dictionary)
    .o_bias = false,
    .mlp_bias = false,
    .lm_head_bias = false,
    .parallel_attn_mlp = false,
    .qk_norm = false,
    .norms_per_layer = 2,               // input + post-attention norm (D)
    .sliding_window = 0,                // use_sliding_window: false (E: field dictionary)
    .sliding_pattern = 0,
    .rope_theta = 1.0e6,                // not in models.md; public config value (U), cost-neutral
    .partial_rotary = 1.0,
    .moe = {.experts = 60,                 // num_experts (E)
            .top_k = 4,                    // num_experts_per_tok (E)
            .expert_ffn = 1408,            // moe_intermediate_size (E)
            .shared_ffn = 5632,            // shared_expert_intermediate_size (E)
            .shared_expert_gate = true,    // qwen2_moe shared_expert_gate (D: model_type)
            .sparse_step = 1},             // decoder_sparse_step 1, mlp_only_layers [] (U: public config)
};

}  // namespace models

/// Every catalog entry, in the order of data/models.md.
inline constexpr std::array<model_spec, 20> model_catalog_entries{
    models::dsr1_qwen_1_5b,  models::dsr1_qwen_7b,      models::dsr1_llama_8b,
    models::dsr1_qwen_14b,   models::dsr1_qwen_32b,     models::llama_3_1_8b,
    models::llama_3_2_1b,    models::llama_3_2_3b,      models::qwen2_5_0_5b,
    models::qwen2_5_1_5b,    models::qwen2_5_3b,        models::qwen2_5_7b,
    models::qwen2_5_14b,     models::phi_2,             models::phi_3_5_mini,
    models::gemma_3_1b,      models::tinyllama_1_1b,    models::mistral_7b_v0_3,
    models::mixtral_8x7b,    models::qwen1_5_moe_a2_7b,
};

/// All catalog entries as a read-only view (static storage; never dangles).
[[nodiscard]] constexpr std::span<const model_spec> model_catalog() {
  return {model_catalog_entries.data(), model_catalog_entries.size()};
}

/// The ids of all catalog entries, in catalog order.
[[nodiscard]] constexpr std::array<std::string_view, model_catalog_entries.size()> model_ids() {
  std::array<std::string_view, model_catalog_entries.size()> ids{};
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = model_catalog_entries[i].id.view();
  return ids;
}

/// The catalog entry with id `id`, or nullptr; usable in constant expressions
/// (`static_assert(find_model_or_null("phi-2") != nullptr)`).
[[nodiscard]] constexpr const model_spec* find_model_or_null(std::string_view id) {
  for (const model_spec& m : model_catalog_entries)
    if (m.id == id) return &m;
  return nullptr;
}

/// The catalog entry with id `id` (exact, case-sensitive match). An unknown id
/// gives `errc::unknown_id` with a message naming the id and the nearest ids,
/// e.g. "unknown model id 'qwen2.5-1.5'; nearest: qwen2.5-1.5b, ...".
[[nodiscard]] inline result<model_spec> find_model(std::string_view id) {
  if (const model_spec* m = find_model_or_null(id)) return *m;
  return make_error(errc::unknown_id, detail::unknown_id_message("model id", id, model_ids()));
}

}  // namespace edgeperf
