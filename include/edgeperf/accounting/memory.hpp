#pragma once
/// @file
/// Memory footprint of one case: weights (exact bytes per format, weights.hpp),
/// KV cache (per layer, sliding windows capped, parallel samples with or
/// without a shared prompt), peak activations (a documented estimate), and
/// whether the sum fits in a memory budget. All byte counts are in bytes;
/// everything is constexpr and allocation-free.
///
/// KV cache (quant-formats.md "KV cache", models.md, D):
///   per layer and token: 2 (K and V) × kv_heads × head_dim × bits / 8, where
///   bits = `kv_bits_per_element(kv, kv_group, kv_scale_bits)` includes scales;
///   tokens kept per sequence on a sliding-window layer = min(context, window),
///   i.e. the last `window` tokens;
///   with a shared prompt of P tokens (prefix sharing), the prompt tokens that
///   are still kept are stored once per prompt, the rest once per sample:
///   tokens = batch × (shared_kept + samples × (kept − shared_kept)).
///
/// Peak activations (assumption, documented in `peak_activation_bytes`): one
/// layer at a time in the activation dtype (16-bit; 32-bit for fp32), no score
/// matrix (flash/paged attention), plus fp32 logits.

#include <algorithm>
#include <cstdint>

#include "edgeperf/accounting/params.hpp"
#include "edgeperf/accounting/weights.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/workload.hpp"
#include "edgeperf/detail/assert.hpp"

namespace edgeperf {

/// KV-cache bytes one token adds in one layer: 2 × kv_heads × head_dim × bits / 8;
/// with MLA (kv_lora_rank + qk_rope_head_dim) × bits / 8 (the latent cache).
[[nodiscard]] constexpr double kv_bytes_per_token_layer(const model_spec& m, dtype kv,
                                                        int kv_group = 0, int kv_scale_bits = 0) {
  return static_cast<double>(kv_cache_elems_per_token_layer(m)) *
         kv_bits_per_element(kv, kv_group, kv_scale_bits) / 8.0;
}

/// KV-cache bytes one token adds over all layers (no window cap): e.g.
/// Llama-3.1-8B fp16: 2 × 32 × 8 × 128 × 2 = 131072 B.
[[nodiscard]] constexpr double kv_bytes_per_token(const model_spec& m, dtype kv, int kv_group = 0,
                                                  int kv_scale_bits = 0) {
  return m.layers * kv_bytes_per_token_layer(m, kv, kv_group, kv_scale_bits);
}

/// KV-cache bytes of `batch` prompts × `samples` sequences each, every sequence
/// holding `context_tokens` tokens (prompt + generated), of which the first
/// `shared_prefix_tokens` (the prompt, 0 = no sharing; clamped to the context)
/// are stored once per prompt instead of once per sample. Sliding-window
/// layers keep only the last `window` tokens of each sequence; shared tokens
/// that fell out of the window are no longer stored.
[[nodiscard]] constexpr double kv_cache_bytes(const model_spec& m, dtype kv, int kv_group,
                                              int kv_scale_bits, int batch, int samples,
                                              int context_tokens, int shared_prefix_tokens) {
  EDGEPERF_ASSERT(batch >= 0 && samples >= 0 && context_tokens >= 0 && shared_prefix_tokens >= 0,
                  "kv_cache_bytes: negative batch, samples or token count");
  const double per_layer = kv_bytes_per_token_layer(m, kv, kv_group, kv_scale_bits);
  const std::int64_t c = context_tokens;
  const std::int64_t p = std::min<std::int64_t>(shared_prefix_tokens, c);
  // Token-slots summed over layers. A layer's slots depend only on whether it
  // is windowed: one term per kind, times its layer count (detail::window_layers).
  const auto slots = [&](std::int64_t kept) {
    const std::int64_t first_kept = c - kept;  // position of the oldest token still kept
    const std::int64_t shared_kept = std::max<std::int64_t>(0, p - first_kept);
    const std::int64_t private_kept = kept - shared_kept;
    return static_cast<double>(batch) *
           (static_cast<double>(shared_kept) + static_cast<double>(samples) * private_kept);
  };
  const int windowed = detail::window_layers(m);
  double tokens = 0.0;
  if (m.layers > windowed) tokens += static_cast<double>(m.layers - windowed) * slots(c);
  if (windowed > 0)
    tokens += static_cast<double>(windowed) * slots(std::min<std::int64_t>(c, m.sliding_window));
  return tokens * per_layer;
}

/// Bytes of one activation element: 4 for the fp32 format, else 2 (hidden
/// states stay 16-bit even when the matmul inputs are fp8/int8).
[[nodiscard]] constexpr double activation_elem_bytes(const quant_spec& q) {
  return q.activation == dtype::fp32 ? 4.0 : 2.0;
}

/// Peak activation bytes of a forward pass over `tokens` tokens that computes
/// logits for `logit_rows` of them. Estimate (assumption, not measured):
///   residual stream   T × hidden                       (lives across layers)
/// + the larger of, within one layer (both together when attention and MLP run
///   in parallel, Phi-2):
///     attention: normed input T × hidden + q,k,v T × (q_width + kv_width + v_width)
///                + attention output T × o_width (flash: no score matrix; MLA:
///                the decompressed K and V of prefill)
///     MLP:       normed input T × hidden + intermediates: gated 3 × T × ffn
///                (gate, up, product), plain 2 × T × ffn; MoE layers: top_k
///                routed experts per token at expert_ffn plus the shared expert
///   all of these in `activation_elem_bytes(q)`;
/// + logits logit_rows × vocab × 4 bytes (fp32);
/// + for 4-bit bitsandbytes formats with more than one token (the fused GEMV
///   needs no copy; LLM.int8() runs an int8 matmul), the fp16 copy of the
///   largest single weight matrix (one expert for MoE) being dequantized.
[[nodiscard]] constexpr double peak_activation_bytes(const model_spec& m, const quant_spec& q,
                                                     std::int64_t tokens, std::int64_t logit_rows) {
  const double t = static_cast<double>(tokens);
  const double e = activation_elem_bytes(q);
  const double h = m.hidden;
  const double mats = m.mlp == mlp_kind::gated ? 3.0 : 2.0;
  const double attn =
      t * (h + static_cast<double>(q_width(m) + kv_width(m) + v_width(m)) +
           static_cast<double>(o_width(m)));
  double mlp_width = m.ffn;  // per-token intermediate width of the widest MLP block
  const int moe_layers = detail::moe_layers(m);  // = moe_layer_count(m), without the loop
  if (m.moe.enabled() && moe_layers > 0) {
    const double moe_width = static_cast<double>(m.moe.top_k) * m.moe.expert_ffn + m.moe.shared_ffn;
    mlp_width = moe_layers == m.layers ? moe_width : std::max<double>(mlp_width, moe_width);
  }
  const double mlp = t * (h + mats * mlp_width);
  const double layer = m.parallel_attn_mlp ? attn + mlp - t * h : std::max(attn, mlp);
  double bytes = (t * h + layer) * e + static_cast<double>(logit_rows) * m.vocab * 4.0;
  if (q.path == compute_path::dequant_to_memory && dtype_bits(q.linear.elem) < 8 && tokens > 1) {
    double largest = 0.0;
    // Tensor shapes depend on the layer only through its MoE block: one
    // layer per group is enough.
    detail::for_each_weight_grouped(m, q, [&](const weight_tensor& w, std::int64_t) {
      if (detail::is_linear_class(w.cls))
        largest = std::max(largest, static_cast<double>(w.rows) * static_cast<double>(w.cols));
    });
    bytes += 2.0 * largest;
  }
  return bytes;
}

/// The KV dtype a case uses: the workload's override, else the format's default.
[[nodiscard]] constexpr dtype resolve_kv_dtype(const workload& w, const quant_spec& q) {
  return w.kv_dtype.value_or(q.kv);
}

/// Memory footprint of one case, in bytes. `total_bytes` is exactly the sum of
/// the four parts; `fits` is `total_bytes <= budget_bytes`.
struct memory_footprint {
  double weights_bytes{0.0};           ///< `count_weight_bytes(m, q).total_bytes`
  double kv_cache_bytes{0.0};          ///< KV cache at the end of the request
  double activation_bytes{0.0};        ///< peak activations (estimate, `peak_activation_bytes`)
  double runtime_overhead_bytes{0.0};  ///< CUDA context, allocator slack, ... (runtime-specific;
                                       ///< 0 from `estimate_memory`, see `with_runtime_overhead`)
  double total_bytes{0.0};             ///< sum of the four parts above
  double budget_bytes{0.0};            ///< memory available to the case
  bool fits{false};                    ///< total_bytes <= budget_bytes
  std::int64_t params{0};              ///< parameters stored (count_params().total)
  std::int64_t active_params{0};       ///< parameters one token uses (count_params().active)
  double kv_bytes_per_token{0.0};      ///< cache bytes one token adds over all layers (no
                                       ///< window cap; MLA: the latent)
};

/// `f` with `overhead_bytes` of runtime overhead added (total and fits updated).
[[nodiscard]] constexpr memory_footprint with_runtime_overhead(memory_footprint f,
                                                               double overhead_bytes) {
  f.runtime_overhead_bytes += overhead_bytes;
  f.total_bytes =
      f.weights_bytes + f.kv_cache_bytes + f.activation_bytes + f.runtime_overhead_bytes;
  f.fits = f.total_bytes <= f.budget_bytes;
  return f;
}

/// Memory footprint of running workload `w` of model `m` stored in `q`:
/// - weights: `count_weight_bytes(m, q).total_bytes`;
/// - KV cache in `kv` (resolved by the caller, e.g. `resolve_kv_dtype`; the
///   format's `kv_group`/`kv_scale_bits` apply when `kv == q.kv`, otherwise
///   per-tensor scales costing 0 are assumed) for batch × samples sequences of
///   I + O − 1 tokens (the prompt and every generated token except the last,
///   which is never fed back); with `share_prompt_kv` the prompt's KV is stored
///   once per prompt (runtime prefix sharing);
/// - activations: the larger of prefill (batch × I tokens; logits for every
///   position when `all_logits`, else one row per prompt) and a decode step
///   (batch × samples tokens, one logits row each), `peak_activation_bytes`;
/// - runtime overhead 0 (add it with `with_runtime_overhead`).
/// `wb` is `count_weight_bytes(m, q)`, computed by the caller (a sweep, once per
/// (model, quant)); the overload below computes it.
[[nodiscard]] constexpr memory_footprint estimate_memory(const model_spec& m, const quant_spec& q,
                                                         const workload& w, dtype kv,
                                                         bool all_logits, double budget_bytes,
                                                         bool share_prompt_kv, const weight_bytes& wb) {
  EDGEPERF_ASSERT(w.batch >= 0 && w.samples >= 0 && w.input_tokens >= 0 && w.output_tokens >= 1,
                  "estimate_memory: workload needs batch, samples, input >= 0 and output >= 1");
  memory_footprint f{};
  f.weights_bytes = wb.total_bytes;
  f.params = wb.params;
  f.active_params = wb.active_params;
  const bool format_kv = kv == q.kv;
  const int context = w.input_tokens + w.output_tokens - 1;
  f.kv_cache_bytes =
      kv_cache_bytes(m, kv, format_kv ? q.kv_group : 0, format_kv ? q.kv_scale_bits : 0, w.batch,
                     w.samples, context, share_prompt_kv ? w.input_tokens : 0);
  const std::int64_t prefill_tokens = static_cast<std::int64_t>(w.batch) * w.input_tokens;
  const std::int64_t decode_tokens = static_cast<std::int64_t>(w.batch) * w.samples;
  f.activation_bytes =
      std::max(peak_activation_bytes(m, q, prefill_tokens, all_logits ? prefill_tokens : w.batch),
               peak_activation_bytes(m, q, decode_tokens, decode_tokens));
  f.kv_bytes_per_token = kv_bytes_per_token(m, kv, format_kv ? q.kv_group : 0,
                                            format_kv ? q.kv_scale_bits : 0);
  f.budget_bytes = budget_bytes;
  return with_runtime_overhead(f, 0.0);
}

/// `estimate_memory` with the weights counted here (`count_weight_bytes(m, q)`).
[[nodiscard]] constexpr memory_footprint estimate_memory(const model_spec& m, const quant_spec& q,
                                                         const workload& w, dtype kv,
                                                         bool all_logits, double budget_bytes,
                                                         bool share_prompt_kv = false) {
  return estimate_memory(m, q, w, kv, all_logits, budget_bytes, share_prompt_kv, count_weight_bytes(m, q));
}

}  // namespace edgeperf
