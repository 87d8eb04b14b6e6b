#pragma once
/// @file
/// `model_spec`: the architecture of one decoder-only transformer, as far as
/// performance is concerned (shapes, not weights). See shared/DESIGN.md §3 and
/// docs/model.md. Plain aggregate, usable in constant expressions.

#include <cstdint>

#include "edgeperf/detail/fixed_string.hpp"

namespace edgeperf {

/// MLP form. `gated`: SwiGLU/GeGLU, three matrices (gate, up: hidden→ffn; down:
/// ffn→hidden). `plain`: two matrices (up, down) with GELU (Phi-2, GPT-2).
enum class mlp_kind : std::uint8_t { gated, plain };

/// Normalisation layer kind (RMSNorm has no bias; LayerNorm has weight + bias).
enum class norm_kind : std::uint8_t { rms, layer };

/// Mixture-of-experts block, replacing the dense MLP on MoE layers.
struct moe_spec {
  int experts{0};             ///< routed experts per MoE layer (0 = dense model)
  int top_k{0};               ///< experts each token is routed to
  int expert_ffn{0};          ///< FFN width of one routed expert
  int shared_ffn{0};          ///< total FFN width of the always-on shared expert(s); 0 = none
  bool shared_expert_gate{false};  ///< a sigmoid gate (hidden → 1) on the shared expert (qwen2_moe)
  int sparse_step{1};         ///< every `sparse_step`-th layer is MoE (qwen2_moe decoder_sparse_step)
  int first_dense{0};         ///< the first `first_dense` layers keep the dense MLP
                              ///< (DeepSeek `first_k_dense_replace`)
  bool router_bias{false};    ///< a per-expert score-correction bias on the router
                              ///< (DeepSeek-V3 `noaux_tc`: `e_score_correction_bias`)

  [[nodiscard]] constexpr bool enabled() const { return experts > 0; }
  friend constexpr bool operator==(const moe_spec&, const moe_spec&) = default;
};

/// Multi-head latent attention (DeepSeek-V2/V3): K and V are compressed into a
/// shared latent of `kv_lora_rank` per token plus one decoupled RoPE key of
/// `qk_rope_head_dim`; the cache holds only these (docs/model.md "MLA").
/// With MLA, `model_spec::heads` = `kv_heads` = the attention heads and
/// `head_dim` = qk_nope + qk_rope (the query/key width per head).
struct mla_spec {
  int kv_lora_rank{0};      ///< latent width of K and V (0 = no MLA)
  int q_lora_rank{0};       ///< latent width of Q (0 = a plain q_proj, DeepSeek-V2-Lite)
  int qk_nope_head_dim{0};  ///< per-head query/key width without RoPE
  int qk_rope_head_dim{0};  ///< per-head query width with RoPE (the key part is shared by all heads)
  int v_head_dim{0};        ///< per-head value width

  [[nodiscard]] constexpr bool enabled() const { return kv_lora_rank > 0; }
  friend constexpr bool operator==(const mla_spec&, const mla_spec&) = default;
};

/// One decoder-only transformer. Sizes are element counts; no units needed.
struct model_spec {
  name_string id{};           ///< catalog id or the path/name it was loaded from
  name_string family{};       ///< Hugging Face `model_type` (llama, qwen2, phi, gemma3_text, ...)
  int layers{0};              ///< num_hidden_layers
  int hidden{0};              ///< hidden_size
  int heads{0};               ///< num_attention_heads (query heads)
  int kv_heads{0};            ///< num_key_value_heads (== heads for MHA)
  int head_dim{0};            ///< explicit head dim; q/o projections are heads × head_dim wide
  int ffn{0};                 ///< intermediate_size of the dense MLP
  int vocab{0};               ///< vocab_size
  int max_context{0};         ///< max_position_embeddings
  mlp_kind mlp{mlp_kind::gated};
  norm_kind norm{norm_kind::rms};
  bool tied_embeddings{false};   ///< LM head shares the embedding matrix
  bool qkv_bias{false};          ///< biases on q, k, v projections (qwen2)
  bool o_bias{false};            ///< bias on the attention output projection (phi)
  bool mlp_bias{false};          ///< biases on the MLP matrices (phi)
  bool lm_head_bias{false};      ///< bias on the LM head (phi)
  bool parallel_attn_mlp{false}; ///< attention and MLP read the same normed input (Phi-2)
  bool qk_norm{false};           ///< RMSNorm over head_dim on q and k (qwen3, gemma3)
  int norms_per_layer{2};        ///< normalisation layers per block (Gemma 3: 4, Phi-2: 1)
  int sliding_window{0};         ///< window in tokens on windowed layers; 0 = none
  int sliding_pattern{0};        ///< 0: no windowed layers; 1: every layer windowed;
                                 ///< p > 1: in each group of p layers, p − 1 windowed then 1 full
  double rope_theta{10000.0};    ///< RoPE base (does not affect cost; kept for completeness)
  double partial_rotary{1.0};    ///< fraction of head_dim rotated (Phi-2: 0.4)
  moe_spec moe{};
  mla_spec mla{};                ///< multi-head latent attention (DeepSeek); disabled by default
  std::int64_t vision_params{0}; ///< weights of a vision tower + projector (vision-language
                                 ///< checkpoints): held in memory, unused by text tokens

  friend constexpr bool operator==(const model_spec&, const model_spec&) = default;
};

/// Whether layer `i` (0-based) uses sliding-window attention.
[[nodiscard]] constexpr bool is_window_layer(const model_spec& m, int i) {
  if (m.sliding_window <= 0 || m.sliding_pattern <= 0) return false;
  if (m.sliding_pattern == 1) return true;
  return (i % m.sliding_pattern) != m.sliding_pattern - 1;
}

/// Number of sliding-window layers.
[[nodiscard]] constexpr int window_layer_count(const model_spec& m) {
  int n = 0;
  for (int i = 0; i < m.layers; ++i) n += is_window_layer(m, i) ? 1 : 0;
  return n;
}

/// Whether layer `i` carries a MoE block instead of the dense MLP.
[[nodiscard]] constexpr bool is_moe_layer(const model_spec& m, int i) {
  if (!m.moe.enabled() || i < m.moe.first_dense) return false;
  const int step = m.moe.sparse_step > 0 ? m.moe.sparse_step : 1;
  return (i + 1) % step == 0;
}

/// Number of MoE layers.
[[nodiscard]] constexpr int moe_layer_count(const model_spec& m) {
  int n = 0;
  for (int i = 0; i < m.layers; ++i) n += is_moe_layer(m, i) ? 1 : 0;
  return n;
}

/// Width of the query: heads × head_dim (MLA: heads × (qk_nope + qk_rope)).
[[nodiscard]] constexpr std::int64_t q_width(const model_spec& m) {
  return static_cast<std::int64_t>(m.heads) * m.head_dim;
}
/// Input width of the output projection: heads × head_dim (MLA: heads × v_head_dim).
[[nodiscard]] constexpr std::int64_t o_width(const model_spec& m) {
  return m.mla.enabled() ? static_cast<std::int64_t>(m.heads) * m.mla.v_head_dim : q_width(m);
}
/// Width of K (and of V): kv_heads × head_dim. MLA: the width of the
/// decompressed K (heads × (qk_nope + qk_rope)) that prefill attention reads.
[[nodiscard]] constexpr std::int64_t kv_width(const model_spec& m) {
  return static_cast<std::int64_t>(m.kv_heads) * m.head_dim;
}
/// Width of V: kv_width, or with MLA the decompressed V (heads × v_head_dim).
[[nodiscard]] constexpr std::int64_t v_width(const model_spec& m) {
  return m.mla.enabled() ? static_cast<std::int64_t>(m.heads) * m.mla.v_head_dim : kv_width(m);
}
/// Elements one token adds to one layer's cache: 2 × kv_width (K and V), or
/// with MLA kv_lora_rank + qk_rope_head_dim (the latent and the shared RoPE key).
[[nodiscard]] constexpr std::int64_t kv_cache_elems_per_token_layer(const model_spec& m) {
  if (m.mla.enabled())
    return static_cast<std::int64_t>(m.mla.kv_lora_rank) + m.mla.qk_rope_head_dim;
  return 2 * kv_width(m);
}

}  // namespace edgeperf
