#pragma once
/// @file
/// Weight bytes per tensor and per model for a quantization format. For every
/// tensor that `for_each_weight` (params.hpp) enumerates, `tensor_format`
/// decides how it is stored (the format's per-tensor recipe) and
/// `tensor_bytes` counts its exact bytes: matrix elements, group scales and
/// zero points (or whole GGUF blocks), and its bias. `count_weight_bytes`
/// sums them per tensor class, and per token for MoE (active experts only).
///
/// Rules (quant-formats.md, E; llama.cpp `llama_tensor_get_type`):
/// - uniform recipe: linear layers in `quant.linear`, the embedding in
///   `quant.embed`, an untied LM head in `quant.lm_head`;
/// - GGUF (`is_gguf`): the LM head (`output.weight`) is `quant.lm_head` (Q6_K, or
///   Q8_0 for the Q8_0 ftype); a TIED model has no output tensor, so
///   `token_embd` takes its place and type; 8-expert MoE models put attn_k and
///   attn_v in Q8_0 (every ftype, as llama.cpp does);
/// - gguf_km recipe (Q4_K_M, Q5_K_M): attn_v and ffn_down (dense, routed and
///   shared experts alike) raised to `quant.upgraded` on layers where
///   `use_more_bits(i, n)`;
/// - GGUF rows whose length (K, `ne[0]`) is not a multiple of the block size
///   fall back as llama.cpp's `convert_incompatible_tensor` does: Q4_K→Q5_0,
///   Q5_K→Q5_1, Q6_K→Q8_0, Q2_K/Q3_K→IQ4_NL (same size as Q4_0, stored here as
///   Q4_0), anything else→F16 (e.g. Gemma-3-1B, hidden 1152 = 4.5 × 256);
/// - a vision tower (vision-language models): 16-bit in every format (the
///   quantizers skip it; llama.cpp keeps it in an f16 mmproj file);
/// - norms, biases and routers: F32 in GGUF (1-D tensors and `ffn_gate_inp` are
///   kept in F32 by the converter); otherwise 16-bit (32-bit for the fp32 format).
///
/// Not modelled: llama.cpp's extra bumps for specific model types (70B attn_v
/// Q4_K→Q5_K; 8-expert attn_output Q4_K→Q5_K in Q4_K_M; fused attn_qkv Q5_K),
/// none of which quant-formats.md lists, and GPTQ `desc_act`'s per-K-row g_idx
/// (+32 bits per input row): `weight_format` has no field for it.
///
/// Everything is constexpr and allocation-free. Whole-model sums visit one
/// layer per group of layers stored alike (`detail::for_each_weight_grouped`:
/// at most four groups, counted arithmetically) and scale by the group's
/// layer count, so their cost does not grow with the depth of the model.

#include <array>
#include <cstdint>

#include "edgeperf/accounting/params.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"

namespace edgeperf {

/// llama.cpp `use_more_bits(i_layer, n_layers)`: whether layer `i` (0-based) of
/// `n` gets the upgraded type in the *_K_M recipes. Integer division as in
/// llama.cpp: `i < n/8 || i >= 7*n/8 || (i - n/8) % 3 == 2`.
[[nodiscard]] constexpr bool use_more_bits(int i, int n) {
  return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

/// The type llama.cpp stores a tensor in when its row length is not a multiple
/// of `t`'s block size (`convert_incompatible_tensor`); `t` itself otherwise.
[[nodiscard]] constexpr gguf_type gguf_row_fallback(gguf_type t, std::int64_t row_len) {
  const gguf_block b = gguf_layout(t);
  if (b.weights <= 1 || row_len % b.weights == 0) return t;
  switch (t) {
    case gguf_type::q4_k:
      return gguf_type::q5_0;
    case gguf_type::q5_k:
      return gguf_type::q5_1;
    case gguf_type::q6_k:
      return gguf_type::q8_0;
    case gguf_type::q2_k:
    case gguf_type::q3_k:
      return gguf_type::q4_0;  // IQ4_NL: 18 B / 32 weights, as Q4_0
    default:
      return gguf_type::f16;
  }
}

namespace detail {

/// Whether `q` keeps its unquantized tensors (norms, biases, routers) in
/// 32 bits: GGUF (F32) and the fp32 format; otherwise 16 bits.
[[nodiscard]] constexpr bool plain_is_fp32(const quant_spec& q) {
  return is_gguf(q) || q.activation == dtype::fp32;
}

/// The two plain formats, as constants (copied rather than built field by field).
inline constexpr weight_format plain_fp32{.elem = dtype::fp32};
inline constexpr weight_format plain_fp16{.elem = dtype::fp16};

/// Plain format of tensors a format leaves unquantized (norms, biases, routers):
/// F32 in GGUF, fp32 for the fp32 format, fp16 (or the same-sized bf16) otherwise.
[[nodiscard]] constexpr weight_format plain_format(const quant_spec& q) {
  return plain_is_fp32(q) ? plain_fp32 : plain_fp16;
}

/// `f`, or the format llama.cpp falls back to when rows of `row_len` weights
/// are not whole blocks of `f.gguf` (`gguf_row_fallback`).
[[nodiscard]] constexpr weight_format gguf_row_format(const weight_format& f,
                                                      std::int64_t row_len) {
  const gguf_type g = gguf_row_fallback(f.gguf, row_len);
  return g != f.gguf ? gguf_format(g) : f;
}

/// Whether `c` is one of the transformer's linear (GEMM) weight classes.
[[nodiscard]] constexpr bool is_linear_class(tensor_class c) {
  switch (c) {
    case tensor_class::attn_q:
    case tensor_class::attn_k:
    case tensor_class::attn_v:
    case tensor_class::attn_o:
    case tensor_class::ffn_gate:
    case tensor_class::ffn_up:
    case tensor_class::ffn_down:
      return true;
    default:
      return false;
  }
}

}  // namespace detail

/// How tensor `t` of model `m` is stored under `q` (rules in the file comment).
[[nodiscard]] constexpr weight_format tensor_format(const quant_spec& q, const model_spec& m,
                                                    const weight_tensor& t) {
  const bool gguf = is_gguf(q);
  const weight_format* f = &q.linear;  // chosen by reference, copied once
  switch (t.cls) {
    case tensor_class::norm:
    case tensor_class::router:
      return detail::plain_format(q);
    case tensor_class::vision:  // not converted by the quantizers; llama.cpp's mmproj f16
      return q.activation == dtype::fp32 ? detail::plain_fp32 : detail::plain_fp16;
    case tensor_class::embed:
      // GGUF, tied: no output.weight, token_embd is stored in output's type.
      f = (gguf && m.tied_embeddings) ? &q.lm_head : &q.embed;
      break;
    case tensor_class::lm_head:
      f = &q.lm_head;
      break;
    default:
      // "for the 8-expert model, bumping this to Q8_0 trades just ~128MB" (llama.cpp).
      if (gguf && m.moe.experts == 8 &&
          (t.cls == tensor_class::attn_k || t.cls == tensor_class::attn_v))
        return detail::gguf_row_format(gguf_format(gguf_type::q8_0), t.cols);
      if (q.recipe == quant_recipe::gguf_km &&
          (t.cls == tensor_class::attn_v || t.cls == tensor_class::ffn_down) && t.layer >= 0 &&
          use_more_bits(t.layer, m.layers))
        f = &q.upgraded;
      break;
  }
  if (f->gguf != gguf_type::none) return detail::gguf_row_format(*f, t.cols);
  return *f;
}

/// CUDA-core ops to unpack one weight of a tensor stored in `f` under `q`:
/// `q.dequant_ops_per_weight` for the format's own base type; for a GGUF tensor
/// that a recipe or a row fallback stores in another type (Q4_K_M's Q6_K
/// layers, the Q6_K output, Q5_0 rows of Gemma-3-1B), the ops of that type
/// under the same assumption as quant_catalog.hpp: 8-bit 2, 4-bit (and
/// IQ4_NL, stored here as Q4_0) 4, 5/6-bit and 2/3-bit K-quants 6 (two bit
/// planes), F16/F32 and any 16/32-bit tensor 0.
[[nodiscard]] constexpr int dequant_ops_per_weight(const quant_spec& q, const weight_format& f) {
  if (f.gguf == gguf_type::none)  // 16/32-bit (incl. GGUF's F16 fallback rows): nothing to unpack
    return dtype_bits(f.elem) >= 16 ? 0 : q.dequant_ops_per_weight;
  if (f.gguf == q.linear.gguf) return q.dequant_ops_per_weight;
  switch (f.gguf) {
    case gguf_type::f32:
    case gguf_type::f16:
      return 0;
    case gguf_type::q8_0:
    case gguf_type::q8_k:
      return 2;
    case gguf_type::q4_0:
    case gguf_type::q4_1:
    case gguf_type::q4_k:
      return 4;
    default:
      return 6;
  }
}

/// Bytes of tensor `t` (all `count` copies) under `q`: stored elements plus
/// scales and zeros (exact GGUF blocks per row: rows × ceil(K / block) × block
/// bytes; otherwise elements × `bits_per_weight(K)` / 8, exact when groups
/// divide K) plus its bias in the plain format (`detail::plain_format`).
[[nodiscard]] constexpr double tensor_bytes(const quant_spec& q, const model_spec& m,
                                            const weight_tensor& t) {
  const weight_format f = tensor_format(q, m, t);
  double matrix = 0.0;
  if (f.gguf != gguf_type::none) {
    const gguf_block b = gguf_layout(f.gguf);
    const std::int64_t blocks_per_row = (t.cols + b.weights - 1) / b.weights;
    matrix = static_cast<double>(t.rows * t.count) * static_cast<double>(blocks_per_row) * b.bytes;
  } else {
    matrix = static_cast<double>(t.elements()) * f.bits_per_weight(t.cols) / 8.0;
  }
  // = dtype_bits(detail::plain_format(q).elem): 32 or 16.
  const double bias =
      static_cast<double>(t.bias * t.count) * (detail::plain_is_fp32(q) ? 32.0 : 16.0) / 8.0;
  return matrix + bias;
}

/// Bytes of the part of `t` one token uses (`active` of `count` copies: the
/// routed experts a token is sent to); equals `tensor_bytes` for dense tensors.
[[nodiscard]] constexpr double active_tensor_bytes(const quant_spec& q, const model_spec& m,
                                                   const weight_tensor& t) {
  if (t.count <= 0) return 0.0;
  return tensor_bytes(q, m, t) * static_cast<double>(t.active) / static_cast<double>(t.count);
}

/// Weight bytes of a model under a format, by tensor class.
struct weight_bytes {
  double total_bytes{0.0};      ///< everything stored (= linear + embedding + lm_head + other
                                ///< + vision)
  double linear_bytes{0.0};     ///< attention/MLP/expert matrices and routers, with their biases
  double embedding_bytes{0.0};  ///< token embedding table (tied models: also the LM head)
  double lm_head_bytes{0.0};    ///< untied LM head with its bias (0 when tied)
  double other_bytes{0.0};      ///< norm weights (and biases of LayerNorm)
  double vision_bytes{0.0};     ///< vision tower and projector (16-bit; 0 for text-only models)
  double active_bytes{0.0};     ///< bytes one token's forward pass uses: total minus the
                                ///< routed experts it is not sent to (whole embedding table
                                ///< counted, as in `count_params().active`)
  double bits_per_weight{0.0};  ///< 8 × total_bytes / count_params().total (biases and norms
                                ///< included in both), the "bpw" llama.cpp reports
  std::int64_t params{0};       ///< = count_params().total
  std::int64_t active_params{0};  ///< = count_params().active
};

namespace detail {

/// Layers stored alike: `count` layers that have the same tensors in the same
/// formats as layer `first` (the first of them).
struct layer_group {
  int first{0};
  int count{0};
};

/// The layers of `m` partitioned by what makes a layer's tensors or formats
/// differ: a MoE block (`is_moe_layer`) and, in the gguf_km recipe, the
/// upgraded attn_v/ffn_down (`use_more_bits`). Groups are ordered by their
/// first layer, so visiting them in order meets every tensor shape in the
/// order `for_each_weight` first meets it.
struct layer_groups {
  std::array<layer_group, 4> items{};
  int size{0};

  constexpr void add(int first, int count) {
    if (count <= 0) return;
    std::size_t j = static_cast<std::size_t>(size++);
    items[j] = layer_group{first, count};
    for (; j > 0 && items[j].first < items[j - 1].first; --j) {  // keep sorted (≤ 4)
      const layer_group t = items[j];
      items[j] = items[j - 1];
      items[j - 1] = t;
    }
  }
  [[nodiscard]] constexpr const layer_group* begin() const { return items.data(); }
  [[nodiscard]] constexpr const layer_group* end() const {
    return items.data() + static_cast<std::size_t>(size);
  }
};

/// Groups the layers of `m` under `q` (see `layer_groups`): closed forms for
/// every catalog case; a loop over the layers for a gguf_km recipe on a
/// model whose MoE blocks skip layers (`sparse_step > 1`) and for models with
/// dense first layers (`moe.first_dense > 0`).
[[nodiscard]] constexpr layer_groups group_layers(const model_spec& m, const quant_spec& q) {
  layer_groups g{};
  const int n = m.layers;
  if (n <= 0) return g;
  const int step = !m.moe.enabled() ? 0 : (m.moe.sparse_step > 0 ? m.moe.sparse_step : 1);
  const bool km = q.recipe == quant_recipe::gguf_km;
  if (step > 0 && m.moe.first_dense > 0) {  // dense first layers (DeepSeek): count by a loop
    std::array<int, 4> first{-1, -1, -1, -1};
    std::array<int, 4> count{};
    for (int i = 0; i < n; ++i) {
      const auto key = static_cast<std::size_t>((is_moe_layer(m, i) ? 1 : 0) |
                                                (km && use_more_bits(i, n) ? 2 : 0));
      if (first[key] < 0) first[key] = i;
      ++count[key];
    }
    for (std::size_t k = 0; k < 4; ++k) g.add(first[k], count[k]);
    return g;
  }
  if (!km) {
    if (step <= 1) {  // all dense or all MoE
      g.add(0, n);
    } else {  // MoE on layers step − 1, 2·step − 1, ...
      g.add(0, n - n / step);
      g.add(step - 1, n / step);
    }
    return g;
  }
  if (step <= 1) {
    // use_more_bits(i, n) = i < a || i >= b || (i − a) % 3 == 2, a = n/8, b = 7n/8 ≥ a:
    // a + (n − b) layers at the ends and ⌊(b − a) / 3⌋ in between.
    const int a = n / 8, b = 7 * n / 8;
    const int more = a + (n - b) + (b - a) / 3;
    const int first_more = a > 0 ? 0 : (a + 2 < b ? a + 2 : b);
    g.add(first_more, more);
    g.add(a, n - more);  // layer a is never upgraded when a < b
    return g;
  }
  std::array<int, 4> first{-1, -1, -1, -1};
  std::array<int, 4> count{};
  for (int i = 0; i < n; ++i) {
    const auto key = static_cast<std::size_t>((is_moe_layer(m, i) ? 1 : 0) |
                                              (use_more_bits(i, n) ? 2 : 0));
    if (first[key] < 0) first[key] = i;
    ++count[key];
  }
  for (std::size_t k = 0; k < 4; ++k) g.add(first[k], count[k]);
  return g;
}

/// Calls `f(weight_tensor, layers)` once per tensor of each group of alike
/// layers (`layers` = the group's layer count, `weight_tensor::layer` = its
/// first layer), then once per tensor outside the layers (`layers` = 1).
/// Summing `layers × g(t)` equals summing `g` over `for_each_weight` (up to
/// the rounding of the order of summation) for any `g` that depends on the
/// layer only through its MoE block and its `tensor_format`.
template <class F>
constexpr void for_each_weight_grouped(const model_spec& m, const quant_spec& q, F&& f) {
  for (const layer_group& lg : group_layers(m, q)) {
    const std::int64_t layers = lg.count;
    auto visit = [&](const weight_tensor& t) { f(t, layers); };
    layer_weights(m, lg.first, visit);
  }
  auto head = [&](const weight_tensor& t) { f(t, std::int64_t{1}); };
  head_weights(m, head);
}

}  // namespace detail

namespace detail {

/// `count_weight_bytes`' step for one tensor `t` standing for `layers` layers,
/// whose `tensor_bytes(q, m, t)` is `one`.
constexpr void add_weight_bytes(weight_bytes& w, std::int64_t& params, const weight_tensor& t,
                                std::int64_t layers, double one) {
  const double n = static_cast<double>(layers);
  const double b = one * n;
  params += (t.elements() + t.bias * t.count) * layers;
  w.active_params += (t.active_elements() + t.bias * t.active) * layers;
  w.total_bytes += b;
  // = active_tensor_bytes(q, m, t), without computing tensor_bytes twice.
  const double active = t.count <= 0 ? 0.0
                                     : one * static_cast<double>(t.active) /
                                           static_cast<double>(t.count);
  w.active_bytes += active * n;
  switch (t.cls) {
    case tensor_class::embed:
      w.embedding_bytes += b;
      break;
    case tensor_class::lm_head:
      w.lm_head_bytes += b;
      break;
    case tensor_class::norm:
      w.other_bytes += b;
      break;
    case tensor_class::vision:
      w.vision_bytes += b;
      break;
    default:
      w.linear_bytes += b;
      break;
  }
}

/// `count_weight_bytes`' last step, once every tensor was added.
constexpr void finish_weight_bytes(weight_bytes& w, std::int64_t params) {
  w.bits_per_weight = params > 0 ? 8.0 * w.total_bytes / static_cast<double>(params) : 0.0;
  w.params = params;
}

}  // namespace detail

/// Sums `tensor_bytes` over every tensor of `m` under `q` (one layer per group
/// of alike layers, times the group's size: `detail::for_each_weight_grouped`).
[[nodiscard]] constexpr weight_bytes count_weight_bytes(const model_spec& m, const quant_spec& q) {
  weight_bytes w{};
  std::int64_t params = 0;
  detail::for_each_weight_grouped(m, q, [&](const weight_tensor& t, std::int64_t layers) {
    detail::add_weight_bytes(w, params, t, layers, tensor_bytes(q, m, t));
  });
  detail::finish_weight_bytes(w, params);
  return w;
}

}  // namespace edgeperf
