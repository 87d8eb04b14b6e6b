#pragma once
/// @file
/// Enumerates the weight tensors of a `model_spec` (one callback per tensor
/// class per layer) and counts parameters from them. This is the single place
/// that knows which matrices a transformer has; weight bytes (per quant
/// format) and per-op weight traffic are derived from it. See docs/model.md.

#include <cstdint>

#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"

namespace edgeperf {

/// One weight tensor (or a stack of identical ones, e.g. the routed experts).
struct weight_tensor {
  tensor_class cls{tensor_class::attn_q};
  int layer{-1};                 ///< 0-based layer; -1 for embedding, final norm, LM head
  std::int64_t rows{0};          ///< output features (N of the GEMM)
  std::int64_t cols{0};          ///< input features (K of the GEMM)
  std::int64_t count{1};         ///< identical copies (routed experts); 1 otherwise
  std::int64_t active{1};        ///< copies a token uses (top-k for routed experts)
  std::int64_t bias{0};          ///< bias elements per copy (kept in 16-bit)
  bool expert{false};            ///< part of a MoE block (routed or shared)

  /// Matrix elements over all copies (without bias).
  [[nodiscard]] constexpr std::int64_t elements() const { return rows * cols * count; }
  /// Matrix elements one token touches.
  [[nodiscard]] constexpr std::int64_t active_elements() const { return rows * cols * active; }
};

namespace detail {

/// `moe_layer_count(m)` in closed form: layers i >= first_dense with
/// (i + 1) % step == 0.
[[nodiscard]] constexpr int moe_layers(const model_spec& m) {
  if (!m.moe.enabled() || m.layers <= 0) return 0;
  const int step = m.moe.sparse_step > 0 ? m.moe.sparse_step : 1;
  const int skip = m.moe.first_dense < 0 ? 0 : (m.moe.first_dense < m.layers ? m.moe.first_dense : m.layers);
  return m.layers / step - skip / step;
}

/// `window_layer_count(m)` in closed form: with pattern p > 1 the full layers
/// are i with (i + 1) % p == 0.
[[nodiscard]] constexpr int window_layers(const model_spec& m) {
  if (m.sliding_window <= 0 || m.sliding_pattern <= 0 || m.layers <= 0) return 0;
  if (m.sliding_pattern == 1) return m.layers;
  return m.layers - m.layers / m.sliding_pattern;
}

/// Calls `f(weight_tensor)` for every weight tensor of layer `i` of `m` (the
/// order `for_each_weight` uses). A layer's tensors depend on `i` only through
/// `is_moe_layer(m, i)`, so callers can visit one layer per group of alike
/// layers (weights.hpp, `detail::for_each_weight_grouped`).
template <class F>
constexpr void layer_weights(const model_spec& m, int i, F& f) {
  const std::int64_t h = m.hidden;
  const std::int64_t qw = q_width(m);
  const std::int64_t kvw = kv_width(m);
  const std::int64_t norm_elems = (m.norm == norm_kind::layer) ? 2 * h : h;
  const auto mlp = [&](std::int64_t width, std::int64_t count, std::int64_t active, bool expert) {
    const std::int64_t b_up = m.mlp_bias ? width : 0;
    const std::int64_t b_dn = m.mlp_bias ? h : 0;
    if (m.mlp == mlp_kind::gated)
      f(weight_tensor{tensor_class::ffn_gate, i, width, h, count, active, b_up, expert});
    f(weight_tensor{tensor_class::ffn_up, i, width, h, count, active, b_up, expert});
    f(weight_tensor{tensor_class::ffn_down, i, h, width, count, active, b_dn, expert});
  };
  if (m.mla.enabled()) {
    // DeepSeek MLA (modeling_deepseek.py): q_a h→q_lora + q_a_layernorm, q_b
    // q_lora→heads·(nope+rope) (or one q_proj h→heads·(nope+rope)), kv_a
    // h→kv_lora+rope + kv_a_layernorm, kv_b kv_lora→heads·(nope+v), o heads·v→h.
    const std::int64_t lora_q = m.mla.q_lora_rank;
    const std::int64_t lora_kv = m.mla.kv_lora_rank;
    const std::int64_t kv_b = static_cast<std::int64_t>(m.heads) *
                              (m.mla.qk_nope_head_dim + m.mla.v_head_dim);
    if (lora_q > 0) {
      f(weight_tensor{tensor_class::attn_q, i, lora_q, h, 1, 1, 0, false});
      f(weight_tensor{tensor_class::attn_q, i, qw, lora_q, 1, 1, 0, false});
      f(weight_tensor{tensor_class::norm, i, 1, lora_q, 1, 1, 0, false});
    } else {
      f(weight_tensor{tensor_class::attn_q, i, qw, h, 1, 1, 0, false});
    }
    f(weight_tensor{tensor_class::attn_k, i, lora_kv + m.mla.qk_rope_head_dim, h, 1, 1, 0, false});
    f(weight_tensor{tensor_class::norm, i, 1, lora_kv, 1, 1, 0, false});
    f(weight_tensor{tensor_class::attn_v, i, kv_b, lora_kv, 1, 1, 0, false});
    f(weight_tensor{tensor_class::attn_o, i, h, o_width(m), 1, 1, m.o_bias ? h : 0, false});
  } else {
    f(weight_tensor{tensor_class::attn_q, i, qw, h, 1, 1, m.qkv_bias ? qw : 0, false});
    f(weight_tensor{tensor_class::attn_k, i, kvw, h, 1, 1, m.qkv_bias ? kvw : 0, false});
    f(weight_tensor{tensor_class::attn_v, i, kvw, h, 1, 1, m.qkv_bias ? kvw : 0, false});
    f(weight_tensor{tensor_class::attn_o, i, h, qw, 1, 1, m.o_bias ? h : 0, false});
  }
  if (is_moe_layer(m, i)) {
    f(weight_tensor{tensor_class::router, i, m.moe.experts, h, 1, 1,
                    m.moe.router_bias ? m.moe.experts : 0, true});
    mlp(m.moe.expert_ffn, m.moe.experts, m.moe.top_k, true);
    if (m.moe.shared_ffn > 0) {
      mlp(m.moe.shared_ffn, 1, 1, true);
      if (m.moe.shared_expert_gate)
        f(weight_tensor{tensor_class::router, i, 1, h, 1, 1, 0, true});
    }
  } else {
    mlp(m.ffn, 1, 1, false);
  }
  f(weight_tensor{tensor_class::norm, i, 1, norm_elems * m.norms_per_layer, 1, 1, 0, false});
  if (m.qk_norm) f(weight_tensor{tensor_class::norm, i, 1, 2LL * m.head_dim, 1, 1, 0, false});
}

/// Calls `f(weight_tensor)` for the tensors outside the layers (`layer == -1`):
/// the final norm, the embedding, (when untied) the LM head and (vision-language
/// models) the vision tower as one block of `vision_params`.
template <class F>
constexpr void head_weights(const model_spec& m, F& f) {
  const std::int64_t h = m.hidden;
  const std::int64_t norm_elems = (m.norm == norm_kind::layer) ? 2 * h : h;
  f(weight_tensor{tensor_class::norm, -1, 1, norm_elems, 1, 1, 0, false});
  f(weight_tensor{tensor_class::embed, -1, m.vocab, h, 1, 1, 0, false});
  if (!m.tied_embeddings)
    f(weight_tensor{tensor_class::lm_head, -1, m.vocab, h, 1, 1, m.lm_head_bias ? m.vocab : 0,
                    false});
  // Vision tower: stored, but no text token uses it (active 0).
  if (m.vision_params > 0)
    f(weight_tensor{tensor_class::vision, -1, 1, m.vision_params, 1, 0, 0, false});
}

}  // namespace detail

/// Calls `f(weight_tensor)` for every weight tensor of `m`, layer by layer,
/// then the final norm, the embedding and (when untied) the LM head. Norm
/// vectors are reported with `cls == tensor_class::norm`, `rows = 1`.
template <class F>
constexpr void for_each_weight(const model_spec& m, F&& f) {
  for (int i = 0; i < m.layers; ++i) detail::layer_weights(m, i, f);
  detail::head_weights(m, f);
}

/// Parameter counts of a model.
struct param_counts {
  std::int64_t total{0};       ///< every parameter stored
  std::int64_t active{0};      ///< parameters one token uses (MoE: top-k experts)
  std::int64_t embedding{0};   ///< the token embedding table
  std::int64_t lm_head{0};     ///< the untied LM head (0 when tied)
  std::int64_t vision{0};      ///< the vision tower and projector (in `total`, not in `active`)
};

/// Counts parameters (weights + biases + norms) from `for_each_weight`.
[[nodiscard]] constexpr param_counts count_params(const model_spec& m) {
  param_counts p{};
  for_each_weight(m, [&](const weight_tensor& t) {
    p.total += t.elements() + t.bias * t.count;
    p.active += t.active_elements() + t.bias * t.active;
    if (t.cls == tensor_class::embed) p.embedding += t.elements();
    if (t.cls == tensor_class::lm_head) p.lm_head += t.elements() + t.bias;
    if (t.cls == tensor_class::vision) p.vision += t.elements();
  });
  return p;
}

}  // namespace edgeperf
