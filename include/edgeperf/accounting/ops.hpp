#pragma once
/// @file
/// Workload accounting: the op instances of one forward step (prefill of b × I
/// tokens, or one decode step at context c), each with its FLOPs and bytes
/// following the counting conventions of shared/DESIGN.md §4 (written out with
/// their equations in docs/model.md):
///   - a multiply-add is 2 FLOPs everywhere, including the LM head;
///   - causal prefill attention counts only unmasked scores, Σ_i min(i, W);
///   - decode step k (1 … O − 1) attends over I + k tokens (cached + itself);
///   - the prefill LM head covers the last position only unless the runtime
///     computes all logits;
///   - grouped-query attention reads K/V once per KV head;
///   - sliding-window layers cap the KV length at the window.
/// No allocation: an `op_list` is a fixed-capacity array.

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>

#include "edgeperf/accounting/params.hpp"
#include "edgeperf/accounting/weights.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/detail/assert.hpp"

namespace edgeperf {

/// Kinds of op the cost model distinguishes.
enum class op_kind : std::uint8_t {
  gemm,            ///< a (possibly quantized) matmul: M × N × K
  attention,       ///< scores + softmax + weighted sum over the KV cache
  elementwise,     ///< norms, RoPE, activation, residual adds (memory-bound)
  embedding,       ///< token embedding gather
  dequant_copy,    ///< bitsandbytes-style dequantize-to-memory pass
  sampling,        ///< reading the logits to sample the next token
};

[[nodiscard]] constexpr const char* to_string(op_kind k) {
  switch (k) {
    case op_kind::gemm: return "gemm";
    case op_kind::attention: return "attention";
    case op_kind::elementwise: return "elementwise";
    case op_kind::embedding: return "embedding";
    case op_kind::dequant_copy: return "dequant_copy";
    case op_kind::sampling: return "sampling";
  }
  return "?";
}

/// Shape of an attention op (one layer group).
struct attention_shape {
  std::int64_t seqs{0};      ///< sequences (query batch)
  std::int64_t q_heads{0};
  std::int64_t kv_heads{0};
  std::int64_t head_dim{0};
  std::int64_t q_len{0};     ///< queries per sequence (I in prefill, 1 in decode)
  std::int64_t kv_len{0};    ///< keys per sequence the last query sees (already window-capped)
  std::int64_t window{0};    ///< sliding window (0 = full)
  std::int64_t shared_tokens{0};  ///< decode: KV tokens not re-read (samples sharing the prompt)
  bool causal{true};
};

/// One op instance of a step, repeated `count` times (e.g. once per layer).
/// FLOPs and bytes are per instance; multiply by `count` for the step.
struct op_instance {
  const char* name{""};
  op_kind kind{op_kind::elementwise};
  double count{1};                  ///< instances per step
  std::int64_t m{0}, n{0}, k{0};    ///< GEMM: M tokens, N outputs, K inputs
  compute_path path{compute_path::native};
  dtype math{dtype::fp16};          ///< dtype the math runs in
  attention_shape att{};            ///< attention ops only
  double flops{0};                  ///< useful FLOPs (counting conventions above)
  double weight_bytes{0};           ///< weights incl. scales/zeros/biases read
  double act_bytes{0};              ///< activations read + written
  double kv_read_bytes{0};          ///< KV cache read
  double kv_write_bytes{0};         ///< KV cache written
  double dequant_ops{0};            ///< CUDA-core ops to unpack the weights once
  int extra_launches{0};            ///< kernels per instance beyond the runtime's fused count
                                    ///< (bitsandbytes' helper kernels; phases/step.hpp adds them)

  [[nodiscard]] constexpr double bytes() const {
    return weight_bytes + act_bytes + kv_read_bytes + kv_write_bytes;
  }
};

/// Fixed-capacity list of op instances (no allocation in the hot path).
struct op_list {
  /// The most a step can hold: embedding, ≤ 15 GEMM shapes (q, k, v, o, router,
  /// 3 routed-expert, 3 shared-expert, shared gate, 3 dense MLP on models that
  /// mix dense and MoE layers), 2 attention groups, elementwise, LM head,
  /// sampling and the bitsandbytes dequant pass: 22.
  static constexpr std::size_t capacity = 24;
  std::array<op_instance, capacity> items;
  std::size_t size{0};

  constexpr void push(const op_instance& op) {
    EDGEPERF_ASSERT(size < capacity, "op_list capacity exceeded");
    if (size < capacity) items[size++] = op;
  }
  /// A new op at the end, default-initialised, to be filled in place (no
  /// copy: a copy of an op built field by field on the stack reads stores
  /// back before they have landed). The capacity holds every step `step_ops`
  /// builds; past it (a broken invariant: asserted) the last op is reused.
  [[nodiscard]] constexpr op_instance& emplace() {
    EDGEPERF_ASSERT(size < capacity, "op_list capacity exceeded");
    op_instance* op = &items[size < capacity ? size++ : capacity - 1];
    if (std::is_constant_evaluated()) {
      *op = op_instance{};
    } else {
      // Default-initialised in place: every member has an initialiser, so
      // this writes each once (an assignment from op_instance{} builds a
      // zeroed stack temporary and copies it; value-initialisation zeroes
      // the slot with a `rep stos` first).
      op = ::new (static_cast<void*>(op)) op_instance;
    }
    return *op;
  }
  [[nodiscard]] constexpr const op_instance* begin() const { return items.data(); }
  [[nodiscard]] constexpr const op_instance* end() const { return items.data() + size; }
  [[nodiscard]] constexpr double flops() const {
    double s = 0;
    for (const auto& o : *this) s += o.flops * o.count;
    return s;
  }
  [[nodiscard]] constexpr double bytes() const {
    double s = 0;
    for (const auto& o : *this) s += o.bytes() * o.count;
    return s;
  }
  [[nodiscard]] constexpr double weight_bytes() const {
    double s = 0;
    for (const auto& o : *this) s += o.weight_bytes * o.count;
    return s;
  }
};

/// What a step computes.
struct step_shape {
  std::int64_t seqs{1};          ///< sequences whose tokens are processed together
  std::int64_t new_tokens{1};    ///< tokens per sequence in this step (I in prefill, 1 in decode)
  std::int64_t context{1};       ///< tokens each sequence attends over after this step
  std::int64_t shared_prompt{0}; ///< decode: prompt tokens whose KV is shared across samples
  std::int64_t prompts{1};       ///< decode: distinct prompts (the shared KV is read once each)
  bool all_logits{false};        ///< compute logits for every new token (else last only)
  bool decode{false};            ///< a decode step (one new token per sequence, KV cached)
};

namespace detail {

/// The dtype a matmul runs in for a quant format.
[[nodiscard]] constexpr dtype math_dtype(const quant_spec& q) {
  switch (q.path) {
    case compute_path::native_int8: return dtype::int8;
    case compute_path::native_fp8: return dtype::fp8;
    case compute_path::native: return q.activation;
    default: return (q.activation == dtype::bf16) ? dtype::bf16 : dtype::fp16;
  }
}

/// Element bytes of activations (the matmul's input/output in 16-bit or fp32).
[[nodiscard]] constexpr double act_elem_bytes(const quant_spec& q) {
  return q.activation == dtype::fp32 ? 4.0 : 2.0;
}

/// Σ_{i=1}^{n} min(i, w) (w = 0: no cap): keys seen by n causal queries.
[[nodiscard]] constexpr double causal_keys(std::int64_t n, std::int64_t w) {
  const double nn = static_cast<double>(n);
  if (w <= 0 || w >= n) return nn * (nn + 1) / 2;
  const double ww = static_cast<double>(w);
  return ww * (ww + 1) / 2 + (nn - ww) * ww;
}

}  // namespace detail

/// One weight-GEMM shape of a model under a quant format, summed over the
/// layers that have it (independent of the step's token count).
struct gemm_shape {
  const char* name{"gemm"};
  tensor_class cls{tensor_class::attn_q};
  bool routed{false};            ///< a stack of routed experts
  std::int64_t n{0}, k{0};       ///< output and input features
  double layers{0};              ///< layers with this shape
  double bytes_sum{0};           ///< Σ over those layers of one copy's bytes (incl. scales, bias)
  double dq_ops_sum{0};          ///< Σ over those layers of the CUDA-core ops to unpack one copy
                                 ///< (per layer: its format may differ, Q4_K_M's Q6_K layers)
  double experts{1}, top_k{1};   ///< routed: E and k
  double bytes_per_layer{0};     ///< bytes_sum / layers (`detail::finish_gemm_shapes`)
  double dq_ops_per_layer{0};    ///< dq_ops_sum / layers
};

/// All weight-GEMM shapes of a model (at most 15; see `op_list::capacity`).
struct gemm_shapes {
  std::array<gemm_shape, 16> items{};
  std::size_t size{0};
};

namespace detail {

/// `layer_gemm_shapes`' step for one tensor `t` standing for `layers` layers,
/// whose `tensor_bytes(q, m, t)` is `bytes`.
constexpr void add_gemm_shape(gemm_shapes& out, const model_spec& m, const quant_spec& q,
                              const weight_tensor& t, std::int64_t layers, double bytes) {
  if (t.layer < 0 || t.cls == tensor_class::norm) return;
  const bool routed = t.count > 1;
  std::size_t i = 0;
  for (; i < out.size; ++i)
    if (out.items[i].cls == t.cls && out.items[i].routed == routed && out.items[i].n == t.rows &&
        out.items[i].k == t.cols)
      break;
  if (i == out.size) {
    if (out.size >= out.items.size()) return;
    gemm_shape g{};
    switch (t.cls) {
      case tensor_class::attn_q: g.name = "q_proj"; break;
      case tensor_class::attn_k: g.name = "k_proj"; break;
      case tensor_class::attn_v: g.name = "v_proj"; break;
      case tensor_class::attn_o: g.name = "o_proj"; break;
      case tensor_class::ffn_gate: g.name = routed ? "expert_gate" : "ffn_gate"; break;
      case tensor_class::ffn_up: g.name = routed ? "expert_up" : "ffn_up"; break;
      case tensor_class::ffn_down: g.name = routed ? "expert_down" : "ffn_down"; break;
      case tensor_class::router: g.name = "router"; break;
      default: break;
    }
    g.cls = t.cls;
    g.routed = routed;
    g.n = t.rows;
    g.k = t.cols;
    g.experts = static_cast<double>(t.count);
    g.top_k = static_cast<double>(t.active);
    out.items[out.size++] = g;
  }
  const double per_copy = bytes / static_cast<double>(t.count);
  out.items[i].layers += static_cast<double>(layers);
  out.items[i].bytes_sum += per_copy * static_cast<double>(layers);
  const double ops_per_w = static_cast<double>(dequant_ops_per_weight(q, tensor_format(q, m, t)));
  out.items[i].dq_ops_sum += ops_per_w * static_cast<double>(t.rows * t.cols) *
                             static_cast<double>(layers);
}

/// Completes shapes that `add_gemm_shape` has summed: the per-layer means a
/// step's GEMM ops read (divided once per (model, quant), not per step).
constexpr void finish_gemm_shapes(gemm_shapes& g) {
  for (std::size_t i = 0; i < g.size; ++i) {
    gemm_shape& s = g.items[i];
    s.bytes_per_layer = s.bytes_sum / s.layers;
    s.dq_ops_per_layer = s.dq_ops_sum / s.layers;
  }
}

}  // namespace detail

/// The weight-GEMM shapes of `m` stored in `q`: the part of a step's
/// accounting that does not depend on the step. Compute it once per (model,
/// quant) when estimating many steps (estimate_unchecked does).
[[nodiscard]] constexpr gemm_shapes layer_gemm_shapes(const model_spec& m, const quant_spec& q) {
  gemm_shapes out{};
  // One representative layer per group of alike layers, weighted by the group size.
  detail::for_each_weight_grouped(m, q, [&](const weight_tensor& t, std::int64_t layers) {
    if (t.layer < 0 || t.cls == tensor_class::norm) return;  // (before tensor_bytes: norms are not GEMMs)
    detail::add_gemm_shape(out, m, q, t, layers, tensor_bytes(q, m, t));
  });
  detail::finish_gemm_shapes(out);
  return out;
}

/// Adds the GEMM ops of the shapes `g` to `out` for M = `tokens`. Weight bytes
/// come from `tensor_bytes` (scales, zeros, biases incl.). MoE experts: with T
/// tokens routed to top-k of E experts, the expected number of distinct experts
/// touched is E·(1 − (1 − k/E)^T) (uniform routing); each touched expert reads
/// its weights once and runs a GEMM of ⌈T·k / touched⌉ rows.
constexpr void add_layer_gemms(const quant_spec& q, const gemm_shapes& g, std::int64_t tokens,
                               op_list& out) {
  const dtype math = detail::math_dtype(q);
  const double ab = detail::act_elem_bytes(q);
  const double T = static_cast<double>(tokens);
  for (std::size_t i = 0; i < g.size; ++i) {
    const gemm_shape& s = g.items[i];
    double touched = 1;
    std::int64_t rows = tokens;
    if (s.routed) {
      double miss = 1;  // (1 − k/E)^T, by squaring
      double base = 1 - s.top_k / s.experts;
      for (std::int64_t p = tokens; p > 0; p >>= 1) {
        if (p & 1) miss *= base;
        base *= base;
      }
      touched = s.experts * (1 - miss);
      if (touched < 1) touched = 1;
      // ⌈T·k / touched⌉, ignoring the rounding of `touched` (at T = 1 it is
      // k up to an ulp, and 1 row must not become 2): a ratio within 1e-9 of
      // an integer is that integer.
      const double r = T * s.top_k / touched;
      rows = static_cast<std::int64_t>(r);
      if (static_cast<double>(rows) < r * (1 - 1e-9)) ++rows;
      if (rows < 1) rows = 1;
    }
    op_instance& op = out.emplace();  // built in its slot
    op.name = s.name;
    op.kind = op_kind::gemm;
    op.count = touched * s.layers;
    op.m = rows;
    op.n = s.n;
    op.k = s.k;
    op.path = q.path;
    op.math = math;
    op.weight_bytes = s.bytes_per_layer;   // bytes_sum / layers
    op.dequant_ops = s.dq_ops_per_layer;   // dq_ops_sum / layers
    const double nk = static_cast<double>(s.n) * static_cast<double>(s.k);
    // Useful FLOPs: 2·M·N·K; routed experts 2·T·k·N·K per layer over the touched copies.
    op.flops = s.routed ? 2.0 * T * s.top_k * nk / touched : 2.0 * static_cast<double>(rows) * nk;
    op.act_bytes = ab * static_cast<double>(rows) * static_cast<double>(s.n + s.k);
  }
}

/// Adds the GEMM ops of `m`'s weight tensors to `out` for M = `tokens`.
constexpr void add_layer_gemms(const model_spec& m, const quant_spec& q, std::int64_t tokens,
                               op_list& out) {
  add_layer_gemms(q, layer_gemm_shapes(m, q), tokens, out);
}

/// The kernel a bitsandbytes linear layer runs (bitsandbytes >= 0.45,
/// `bitsandbytes/autograd/_functions.py`; as called by HF Transformers and
/// vLLM's BitsAndBytesLinearMethod; assumed, not in data/quant-formats.md,
/// which says only that bnb "dequantizes at run time"):
///   - 4-bit (NF4, FP4), one token in the call (`A.numel() == A.shape[-1]`,
///     batch-1 decode): `gemv_4bit`, a fused kernel that unpacks the weights
///     in registers: `fused_gemv`;
///   - 4-bit, more tokens (prefill, batched decode): `dequantize_4bit` writes
///     an fp16 copy of the weight, then a cuBLAS fp16 GEMM reads it:
///     `dequant_copy`;
///   - 8-bit LLM.int8(): `int8_vectorwise_quant` of the activations, a cuBLASLt
///     int8 GEMM with the int8 weights, `int8_mm_dequant` of the int32 result,
///     and a 16-bit matmul of the outlier columns: `int8_matmul`, at any M.
enum class bnb_kernel : std::uint8_t { fused_gemv, dequant_copy, int8_matmul };

/// Fraction of the input features LLM.int8() treats as outliers (threshold
/// 6.0): about 0.1 % of the hidden dimensions in the LLM.int8() paper
/// (Dettmers et al. 2022, arXiv 2208.07339; assumed for every model).
inline constexpr double bnb_int8_outlier_fraction = 0.001;

/// Kernels LLM.int8() launches per linear layer beyond the matmul the runtime
/// counts: activation quantization with the outlier scan, the int32 -> fp16
/// dequantization, the outlier gather, the outlier weights' dequantization
/// (two elementwise ops) and the fp16 addmm: 6 (read off bitsandbytes 0.45
/// `MatMul8bitLt.forward`; assumed, not measured).
inline constexpr int bnb_int8_extra_launches = 6;

/// The kernel of a bitsandbytes format for a call of `tokens` rows.
[[nodiscard]] constexpr bnb_kernel bnb_kernel_for(const quant_spec& q, std::int64_t tokens) {
  if (dtype_bits(q.linear.elem) >= 8) return bnb_kernel::int8_matmul;
  return tokens == 1 ? bnb_kernel::fused_gemv : bnb_kernel::dequant_copy;
}

/// `step_ops` into `ops` (its previous ops are dropped): a caller that keeps
/// one list for many steps (`detail::with_op_list`) skips initialising its
/// 24 slots per step.
constexpr void step_ops_into(const model_spec& m, const gemm_shapes& shapes, const quant_spec& q,
                             const runtime_spec& r, const step_shape& s, dtype kv, op_list& ops) {
  ops.size = 0;
  const std::int64_t tokens = s.seqs * s.new_tokens;
  const double ab = detail::act_elem_bytes(q);
  const double h = m.hidden;
  const double tk = static_cast<double>(tokens);
  const bool decode = s.decode;

  // Embedding gather: read one row per token, write the hidden state.
  {
    op_instance& e = ops.emplace();  // built in its slot
    e.name = "embedding";
    e.kind = op_kind::embedding;
    const double row_bytes = h * q.embed.bits_per_weight(m.hidden) / 8.0;
    e.weight_bytes = tk * row_bytes;
    e.act_bytes = tk * h * ab;
  }

  const std::size_t first_gemm = ops.size;
  add_layer_gemms(q, shapes, tokens, ops);

  // bitsandbytes (compute_path::dequant_to_memory): the kernel depends on the
  // format and on M, the tokens in the call (`bnb_kernel`, docs/model.md).
  if (q.path == compute_path::dequant_to_memory) {
    const bnb_kernel kind = bnb_kernel_for(q, tokens);
    double packed = 0, elems = 0;
    for (std::size_t i = first_gemm; i < ops.size; ++i) {
      op_instance& o = ops.items[i];
      if (o.kind != op_kind::gemm) continue;
      const double e = static_cast<double>(o.n) * static_cast<double>(o.k);
      const double rows = static_cast<double>(o.m);
      switch (kind) {
        case bnb_kernel::fused_gemv:
          // gemv_4bit: the packed weights are unpacked in registers (as
          // add_layer_gemms counted them: packed bytes, dequant ops per weight).
          o.path = compute_path::dequant_in_kernel;
          break;
        case bnb_kernel::int8_matmul: {
          // LLM.int8(): activations quantized per row to int8 (read 16-bit,
          // write int8, read int8), int8 x int8 -> int32 on tensor cores, the
          // int32 result dequantized to 16-bit (write 4, read 4, write 2 bytes),
          // plus the outlier columns (fraction f of K) in 16-bit: those weight
          // columns re-read and dequantized (2 ops each) every call.
          const double f = bnb_int8_outlier_fraction;
          o.path = compute_path::native_int8;
          o.math = dtype::int8;
          o.act_bytes = rows * (4.0 * static_cast<double>(o.k) + 10.0 * static_cast<double>(o.n));
          o.weight_bytes += f * e;  // int8 outlier columns read again
          o.dequant_ops = 2.0 * f * e;
          o.extra_launches = bnb_int8_extra_launches;
          break;
        }
        case bnb_kernel::dequant_copy:
          packed += o.weight_bytes * o.count;
          elems += e * o.count;
          o.weight_bytes = 2.0 * e;  // the matmul reads the fp16 copy
          o.dequant_ops = 0;
          o.path = compute_path::native;
          break;
      }
    }
    if (kind == bnb_kernel::dequant_copy) {
      // Every quantized linear weight is expanded to fp16 in DRAM (read the
      // packed weights, write 2 bytes per weight) before its matmul.
      // One `dequantize_4bit` kernel per linear weight: `copies` instances.
      double copies = 0;
      for (std::size_t i = first_gemm; i < ops.size; ++i)
        if (ops.items[i].kind == op_kind::gemm) copies += ops.items[i].count;
      op_instance& d = ops.emplace();  // built in its slot
      d.name = "dequant_copy";
      d.kind = op_kind::dequant_copy;
      d.count = copies;
      d.weight_bytes = packed / copies;
      d.act_bytes = 2.0 * elems / copies;
      d.dequant_ops = static_cast<double>(q.dequant_ops_per_weight) * elems / copies;
      d.extra_launches = 1;
    }
  }

  // Attention, one op per group of layers with the same KV cap.
  const int n_window = detail::window_layers(m);
  const int n_full = m.layers - n_window;
  const double kv_elem = kv_bits_per_element(kv, q.kv_group, q.kv_scale_bits) / 8.0;
  // K and V (MLA: the latent and the shared RoPE key).
  const double kv_tok_layer = static_cast<double>(kv_cache_elems_per_token_layer(m)) * kv_elem;
  // MLA (docs/model.md "Multi-head latent attention"): prefill runs unabsorbed,
  // as multi-head attention over K/V decompressed by kv_b_proj (query/key
  // width nope + rope, value width v); decode runs absorbed, every head
  // attending over the latent cache (key width kv_lora + rope, value width
  // kv_lora; W_UK and W_UV folded into the kv_b_proj GEMM, same FLOPs and
  // bytes). attention_shape has one head width: the mean of the key and value
  // widths (rounded up), so that 4 × heads × width = 2 × heads × (dk + dv).
  const bool mla = m.mla.enabled();
  const std::int64_t mla_dk = decode ? std::int64_t{m.mla.kv_lora_rank} + m.mla.qk_rope_head_dim
                                     : std::int64_t{m.mla.qk_nope_head_dim} + m.mla.qk_rope_head_dim;
  const std::int64_t mla_dv = decode ? m.mla.kv_lora_rank : m.mla.v_head_dim;
  const std::int64_t att_dim = mla ? (mla_dk + mla_dv + 1) / 2 : m.head_dim;
  const std::int64_t att_kv_heads = mla ? (decode ? 1 : m.heads) : m.kv_heads;
  // Prefill MLA reads the decompressed K and V (16-bit activations) instead of the cache.
  const double kv_read_tok_layer =
      mla && !decode ? static_cast<double>(m.heads) * static_cast<double>(mla_dk + mla_dv) * ab
                     : kv_tok_layer;
  for (int g = 0; g < 2; ++g) {
    const int layers = g == 0 ? n_full : n_window;
    if (layers == 0) continue;
    const std::int64_t w = g == 0 ? 0 : m.sliding_window;
    op_instance& a = ops.emplace();  // built in its slot
    a.name = g == 0 ? "attention" : "attention_window";
    a.kind = op_kind::attention;
    a.count = layers;
    a.math = (q.activation == dtype::bf16) ? dtype::bf16 : dtype::fp16;
    a.att = attention_shape{s.seqs, m.heads, att_kv_heads, att_dim, s.new_tokens,
                            (w > 0 && s.context > w) ? w : s.context, w, 0, true};
    const double hq = static_cast<double>(m.heads) * static_cast<double>(att_dim);
    double keys = 0;  // Σ over queries of keys seen, per sequence
    if (decode) {
      keys = static_cast<double>(a.att.kv_len);
    } else {
      keys = detail::causal_keys(s.new_tokens, w);
    }
    a.flops = 4.0 * static_cast<double>(s.seqs) * hq * keys;
    // Q and O in 16-bit; new K/V written once.
    a.act_bytes = 2.0 * tk * hq * ab;
    a.kv_write_bytes = tk * kv_tok_layer;
    if (decode) {
      double read_tokens = static_cast<double>(s.seqs) * static_cast<double>(a.att.kv_len);
      if (r.prefix_sharing && w == 0 && s.shared_prompt > 0 && s.seqs > s.prompts) {
        a.att.shared_tokens = (s.seqs - s.prompts) * s.shared_prompt;
        read_tokens -= static_cast<double>(a.att.shared_tokens);
      }
      a.kv_read_bytes = read_tokens * kv_tok_layer;
    } else {
      // K/V of this step are read back once per KV head (GQA) by the fused kernel.
      a.kv_read_bytes =
          static_cast<double>(s.seqs) * static_cast<double>(a.att.kv_len) * kv_read_tok_layer;
    }
  }

  // Elementwise traffic per layer (16-bit, read + write): norms, residual adds,
  // RoPE on q and k, the MLP activation (gated: read 2·ffn, write ffn).
  {
    const double ffn = m.moe.enabled() ? static_cast<double>(m.moe.top_k) * m.moe.expert_ffn +
                                             m.moe.shared_ffn
                                       : m.ffn;
    // MLA: q_a/kv_a layernorms over the latents; RoPE on heads × rope of q and the shared key.
    const double norms =
        m.norms_per_layer * 2.0 * h +
        (mla ? 2.0 * static_cast<double>(m.mla.q_lora_rank + m.mla.kv_lora_rank) : 0.0);
    const double residual = (m.parallel_attn_mlp ? 1.0 : 2.0) * 3.0 * h;
    const double rope =
        mla ? 2.0 * static_cast<double>(m.heads + 1) * m.mla.qk_rope_head_dim * m.partial_rotary
            : 2.0 * static_cast<double>(q_width(m) + kv_width(m)) * m.partial_rotary;
    const double act = (m.mlp == mlp_kind::gated ? 3.0 : 2.0) * ffn;
    op_instance& e = ops.emplace();  // built in its slot
    e.name = "elementwise";
    e.kind = op_kind::elementwise;
    e.count = m.layers;
    e.act_bytes = tk * (norms + residual + rope + act) * ab;
    e.flops = tk * (5.0 * h * m.norms_per_layer + 2.0 * h + 3.0 * ffn);
  }

  // LM head: last position per sequence unless all logits are computed.
  {
    const std::int64_t rows = (s.all_logits && !decode) ? tokens : s.seqs;
    weight_tensor head{m.tied_embeddings ? tensor_class::embed : tensor_class::lm_head,
                       -1, m.vocab, m.hidden, 1, 1, m.lm_head_bias ? m.vocab : 0, false};
    const weight_format wf = tensor_format(q, m, head);
    op_instance& l = ops.emplace();  // built in its slot
    l.name = "lm_head";
    l.kind = op_kind::gemm;
    l.m = rows;
    l.n = m.vocab;
    l.k = m.hidden;
    const bool quantized = wf.gguf != gguf_type::none || dtype_bits(wf.elem) < 16;
    l.path = quantized ? compute_path::dequant_in_kernel : compute_path::native;
    l.math = (q.activation == dtype::bf16) ? dtype::bf16
             : q.activation == dtype::fp32 ? dtype::fp32
                                           : dtype::fp16;
    l.weight_bytes = tensor_bytes(q, m, head);
    l.dequant_ops =
        quantized ? static_cast<double>(dequant_ops_per_weight(q, wf)) * m.vocab * h : 0.0;
    l.flops = 2.0 * static_cast<double>(rows) * m.vocab * h;
    l.act_bytes = static_cast<double>(rows) * (h * ab + static_cast<double>(m.vocab) * 4.0);

    op_instance& smp = ops.emplace();  // built in its slot
    smp.name = "sampling";
    smp.kind = op_kind::sampling;
    smp.act_bytes = static_cast<double>(s.seqs) * static_cast<double>(m.vocab) * 4.0;
    smp.flops = 5.0 * static_cast<double>(s.seqs) * m.vocab;
  }
}

/// The op instances of one forward step of `m` under `q` and `r`.
/// Prefill: `s.new_tokens = I`, `s.context = I`. Decode: `s.new_tokens = 1`,
/// `s.context = I + k` (the KV length the step's query attends over).
[[nodiscard]] constexpr op_list step_ops(const model_spec& m, const gemm_shapes& shapes,
                                         const quant_spec& q, const runtime_spec& r,
                                         const step_shape& s, dtype kv) {
  op_list ops;
  step_ops_into(m, shapes, q, r, s, kv, ops);
  return ops;
}

namespace detail {

/// The op lists the request paths build their steps in, per thread and per
/// `slot` (one per call site that may be live at once: 0 the prefill, 1 a
/// decode plan, 2 a decode clock search).
[[nodiscard]] inline op_list& thread_op_list(std::size_t slot) {
  thread_local std::array<op_list, 3> lists{};
  return lists[slot];
}

/// `f(list)` with this thread's op list `slot` (a local one in constant
/// evaluation). The list is reused from call to call (`step_ops_into`
/// overwrites it); `f` must not keep it.
template <class F>
constexpr decltype(auto) with_op_list(std::size_t slot, F&& f) {
  if (std::is_constant_evaluated()) {
    op_list local;
    return f(local);
  }
  return f(thread_op_list(slot));
}

}  // namespace detail

/// The op instances of one forward step (computes the GEMM shapes itself).
[[nodiscard]] constexpr op_list step_ops(const model_spec& m, const quant_spec& q,
                                         const runtime_spec& r, const step_shape& s, dtype kv) {
  return step_ops(m, layer_gemm_shapes(m, q), q, r, s, kv);
}

}  // namespace edgeperf
