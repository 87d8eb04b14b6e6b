// Hand-derived FLOP and byte counts of prefill and decode steps (the counting
// conventions of docs/model.md §3), for Llama-3.1-8B, Phi-2 and Gemma-3-1B.
#include <catch2/catch.hpp>

#include <string_view>
#include <utility>

#include "edgeperf/accounting/ops.hpp"
#include "edgeperf/accounting/weights.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "../support/test_specs.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

namespace {
struct sums {
  double gemm_flops = 0, attn_flops = 0, weight_bytes = 0, kv_read = 0, kv_write = 0;
};
sums sum(const op_list& ops) {
  sums s;
  for (const auto& o : ops) {
    if (o.kind == op_kind::gemm) s.gemm_flops += o.flops * o.count;
    if (o.kind == op_kind::attention) s.attn_flops += o.flops * o.count;
    s.weight_bytes += o.weight_bytes * o.count;
    s.kv_read += o.kv_read_bytes * o.count;
    s.kv_write += o.kv_write_bytes * o.count;
  }
  return s;
}
op_list prefill(const model_spec& m, std::int64_t I) {
  step_shape s{};
  s.seqs = 1;
  s.new_tokens = I;
  s.context = I;
  return step_ops(m, find_quant("bf16").value(), test::toy_runtime(), s, dtype::bf16);
}
op_list decode(const model_spec& m, std::int64_t c) {
  step_shape s{};
  s.seqs = 1;
  s.new_tokens = 1;
  s.context = c;
  s.decode = true;
  return step_ops(m, find_quant("bf16").value(), test::toy_runtime(), s, dtype::bf16);
}
}  // namespace

TEST_CASE("Llama-3.1-8B: prefill and decode counts by hand", "[accounting][ops]") {
  const auto m = find_model("llama-3.1-8b").value();
  // Per layer and token, multiply-adds of the linear layers (h 4096, q 32×128,
  // kv 8×128, FFN 14336, gated):
  //   q 4096·4096 + k 4096·1024 + v 4096·1024 + o 4096·4096 = 41 943 040
  //   gate + up + down 3·4096·14336                        = 176 160 768
  //   total 218 103 808 MACs = 436 207 616 FLOPs, × 32 layers = 13 958 643 712 FLOPs/token.
  const double layer_flops_per_token = 13'958'643'712.0;
  // LM head (last position only): 2·4096·128256 = 1 050 673 152 FLOPs.
  const double head_flops = 1'050'673'152.0;
  const std::int64_t I = 100;
  const auto p = sum(prefill(m, I));
  CHECK_THAT(p.gemm_flops, WithinRel(I * layer_flops_per_token + head_flops, 1e-12));
  // Causal attention: 4·H·d = 4·32·128 = 16384 FLOPs per (query, key) pair,
  // Σ keys = I(I+1)/2 = 5050, × 32 layers.
  CHECK_THAT(p.attn_flops, WithinRel(16384.0 * 5050 * 32, 1e-12));
  // Weights in BF16: 218 103 808 · 32 · 2 B = 13 958 643 712 B; head 128256·4096·2 B =
  // 1 050 673 152 B; embedding rows gathered: I · 4096 · 2 B = 819 200 B.
  CHECK_THAT(p.weight_bytes, WithinRel(13'958'643'712.0 + 1'050'673'152.0 + 819'200.0, 1e-12));
  // KV written: I tokens · 32 layers · 2 (K,V) · 8 heads · 128 · 2 B = I · 131072 B.
  CHECK_THAT(p.kv_write, WithinRel(I * 131072.0, 1e-12));

  const std::int64_t c = 1000;
  const auto d = sum(decode(m, c));
  CHECK_THAT(d.gemm_flops, WithinRel(layer_flops_per_token + head_flops, 1e-12));
  CHECK_THAT(d.attn_flops, WithinRel(16384.0 * c * 32, 1e-12));
  // Decode reads the whole KV cache once per KV head: c · 131072 B.
  CHECK_THAT(d.kv_read, WithinRel(c * 131072.0, 1e-12));
  CHECK_THAT(d.weight_bytes, WithinRel(13'958'643'712.0 + 1'050'673'152.0 + 8192.0, 1e-12));
}

TEST_CASE("Phi-2: plain MLP, biases everywhere, MHA", "[accounting][ops]") {
  const auto m = find_model("phi-2").value();
  // Per layer: q, k, v, o 4·2560·2560 = 26 214 400 MACs; up + down 2·2560·10240 =
  // 52 428 800 MACs; 78 643 200 MACs = 157 286 400 FLOPs/token, × 32 = 5 033 164 800.
  // Head (untied, with bias): 2·2560·51200 = 262 144 000 FLOPs.
  const auto d = sum(decode(m, 500));
  CHECK_THAT(d.gemm_flops, WithinRel(5'033'164'800.0 + 262'144'000.0, 1e-12));
  // Attention: 4·32·80 = 10240 FLOPs per key, 500 keys, 32 layers.
  CHECK_THAT(d.attn_flops, WithinRel(10240.0 * 500 * 32, 1e-12));
  // KV (MHA): 2 · 32 heads · 80 · 2 B = 10240 B per token and layer.
  CHECK_THAT(d.kv_read, WithinRel(500.0 * 32 * 10240, 1e-12));
  // Weights: per layer 78 643 200 weights + biases (q, k, v, o: 4·2560; up 10240,
  // down 2560) = 78 666 240 values · 2 B · 32 layers; head 51200·2560 + 51200 bias
  // values · 2 B; one embedding row 2560 · 2 B.
  const double w = 78'666'240.0 * 2 * 32 + (131'072'000.0 + 51'200.0) * 2 + 5120.0;
  CHECK_THAT(d.weight_bytes, WithinRel(w, 1e-12));
  const auto p = sum(prefill(m, 64));
  CHECK_THAT(p.gemm_flops, WithinRel(64 * 5'033'164'800.0 + 262'144'000.0, 1e-12));
  CHECK_THAT(p.attn_flops, WithinRel(10240.0 * (64 * 65 / 2) * 32, 1e-12));
}

TEST_CASE("Gemma-3-1B: head_dim 256, sliding windows on 22 of 26 layers, tied head", "[accounting][ops]") {
  const auto m = find_model("gemma-3-1b").value();
  // Per layer: q 1152·1024 + k 1152·256 + v 1152·256 + o 1024·1152 = 2 949 120 MACs
  // (q/o are H·d = 4·256 = 1024 wide, not 1152); GeGLU 3·1152·6912 = 23 887 872;
  // 26 836 992 MACs = 53 673 984 FLOPs/token, × 26 = 1 395 523 584.
  // Tied head: 2·1152·262144 = 603 979 776 FLOPs.
  const std::int64_t I = 1000;
  const auto p = sum(prefill(m, I));
  CHECK_THAT(p.gemm_flops, WithinRel(I * 1'395'523'584.0 + 603'979'776.0, 1e-12));
  // Attention, 4·H·d = 4096 FLOPs per key. Layers 5, 11, 17, 23 are full (4):
  // Σ keys = 1000·1001/2 = 500 500. The other 22 are capped at 512:
  // Σ min(i, 512) = 512·513/2 + 488·512 = 131 328 + 249 856 = 381 184.
  CHECK_THAT(p.attn_flops, WithinRel(4096.0 * (4 * 500'500.0 + 22 * 381'184.0), 1e-12));
  // Decode at c = 2000: full layers read 2000 tokens, windowed ones 512;
  // KV per token and layer 2 · 1 head · 256 · 2 B = 1024 B.
  const auto d = sum(decode(m, 2000));
  CHECK_THAT(d.kv_read, WithinRel(1024.0 * (4 * 2000 + 22 * 512), 1e-12));
  CHECK_THAT(d.attn_flops, WithinRel(4096.0 * (4 * 2000 + 22 * 512), 1e-12));
  CHECK_THAT(d.gemm_flops, WithinRel(1'395'523'584.0 + 603'979'776.0, 1e-12));
}

TEST_CASE("All-logits runtimes bill the LM head for every prompt token", "[accounting][ops]") {
  const auto m = find_model("llama-3.2-1b").value();
  step_shape s{};
  s.seqs = 1;
  s.new_tokens = 50;
  s.context = 50;
  s.all_logits = true;
  const auto ops = step_ops(m, find_quant("fp16").value(), test::toy_runtime(), s, dtype::fp16);
  for (const auto& o : ops)
    if (std::string_view(o.name) == "lm_head") CHECK(o.m == 50);
}

// ---- issue 11 audit slips, and the architectures of issue 12 ---------------------

namespace {
const op_instance* find_op(const op_list& ops, const char* name) {
  for (const auto& o : ops)
    if (std::string_view(o.name) == name) return &o;
  return nullptr;
}
op_list step(const model_spec& m, const char* quant, std::int64_t seqs, std::int64_t new_tokens,
             std::int64_t context, bool is_decode) {
  step_shape s{};
  s.seqs = seqs;
  s.new_tokens = new_tokens;
  s.context = context;
  s.decode = is_decode;
  return step_ops(m, find_quant(quant).value(), test::toy_runtime(), s, dtype::bf16);
}
}  // namespace

TEST_CASE("expert GEMMs at batch 1 run one row per touched expert", "[accounting][ops][moe]") {
  // Qwen1.5-MoE: 60 experts, top-4. One token touches exactly 4 experts, each
  // with 1 row; 60·(1 − (1 − 4/60)) is 4 only up to rounding, and ⌈1·4/4⌉ must
  // stay 1 (it was 2 before).
  const auto m = find_model("qwen1.5-moe-a2.7b").value();
  for (std::int64_t seqs : {1, 2, 3}) {
    const auto ops = step(m, "bf16", seqs, 1, 100, true);
    const op_instance* up = find_op(ops, "expert_up");
    REQUIRE(up != nullptr);
    CAPTURE(seqs);
    if (seqs == 1) CHECK(up->m == 1);
    // FLOPs are T·k expert rows no matter how they are split.
    CHECK_THAT(up->flops * up->count,
               WithinRel(2.0 * static_cast<double>(seqs) * 4 * 1408 * 2048 * 24, 1e-12));
  }
  // Many tokens: every expert is touched, ⌈T·k / 60⌉ rows each.
  const auto ops = step(m, "bf16", 1, 600, 600, false);
  CHECK(find_op(ops, "expert_up")->m == 40);
}

TEST_CASE("Q4_K_M charges each tensor the dequant ops of the type it is stored in",
          "[accounting][ops][gguf]") {
  const auto m = find_model("llama-3.1-8b").value();
  const auto ops = step(m, "q4_k_m", 1, 1, 100, true);
  const quant_spec q = find_quant("q4_k_m").value();
  // attn_v and ffn_down: Q6_K (6 ops) on use_more_bits layers, Q4_K (4) elsewhere.
  int more = 0;
  for (int i = 0; i < m.layers; ++i) more += use_more_bits(i, m.layers) ? 1 : 0;
  const double mean_ops = (6.0 * more + 4.0 * (m.layers - more)) / m.layers;
  const op_instance* v = find_op(ops, "v_proj");
  const op_instance* down = find_op(ops, "ffn_down");
  const op_instance* qp = find_op(ops, "q_proj");
  REQUIRE((v && down && qp));
  CHECK_THAT(v->dequant_ops, WithinRel(mean_ops * 1024 * 4096, 1e-12));
  CHECK_THAT(down->dequant_ops, WithinRel(mean_ops * 4096 * 14336, 1e-12));
  CHECK_THAT(qp->dequant_ops, WithinRel(4.0 * 4096 * 4096, 1e-12));
  // The output (LM head) is Q6_K.
  CHECK_THAT(find_op(ops, "lm_head")->dequant_ops, WithinRel(6.0 * 128256 * 4096, 1e-12));
  CHECK(q.dequant_ops_per_weight == 4);
  CHECK(dequant_ops_per_weight(q, gguf_format(gguf_type::q6_k)) == 6);
  CHECK(dequant_ops_per_weight(q, gguf_format(gguf_type::q4_k)) == 4);
  CHECK(dequant_ops_per_weight(q, gguf_format(gguf_type::f16)) == 0);
}

namespace {
/// DeepSeek-V2-Lite (DeepSeek-V2 paper, arXiv 2405.04434, appendix B; tests/data/hf/deepseek-v2-lite).
model_spec v2_lite() {
  model_spec m{};
  m.id = "deepseek-v2-lite";
  m.layers = 27;
  m.hidden = 2048;
  m.heads = 16;
  m.kv_heads = 16;
  m.head_dim = 192;
  m.ffn = 10944;
  m.vocab = 102400;
  m.max_context = 163840;
  m.mla = {.kv_lora_rank = 512, .q_lora_rank = 0, .qk_nope_head_dim = 128,
           .qk_rope_head_dim = 64, .v_head_dim = 128};
  m.moe = {.experts = 64, .top_k = 6, .expert_ffn = 1408, .shared_ffn = 2816, .first_dense = 1};
  return m;
}
}  // namespace

TEST_CASE("MLA: latent cache, absorbed decode and unabsorbed prefill", "[accounting][ops][mla]") {
  const model_spec m = v2_lite();
  // Per layer and token, MACs of the attention projections:
  //   q_proj 2048·16·192 + kv_a 2048·576 + kv_b 512·16·256 + o 16·128·2048
  const double attn_macs = 2048.0 * 3072 + 2048.0 * 576 + 512.0 * 4096 + 2048.0 * 2048;
  const auto p = step(m, "bf16", 1, 100, 100, false);
  // Prefill attention, unabsorbed: 2·H·(192 + 128) FLOPs per (query, key), Σ keys = 5050.
  const op_instance* a = find_op(p, "attention");
  REQUIRE(a != nullptr);
  CHECK_THAT(a->flops * a->count, WithinRel(2.0 * 16 * (192 + 128) * 5050 * 27, 1e-12));
  // Latent cache written: (512 + 64) · 2 B per token and layer.
  CHECK_THAT(a->kv_write_bytes * a->count, WithinRel(100.0 * 576 * 2 * 27, 1e-12));
  // Decode, absorbed: every head scores over the 576-wide latent and sums 512 wide.
  const auto d = step(m, "bf16", 1, 1, 1000, true);
  const op_instance* ad = find_op(d, "attention");
  REQUIRE(ad != nullptr);
  CHECK(ad->att.kv_heads == 1);
  CHECK_THAT(ad->flops * ad->count, WithinRel(2.0 * 16 * (576 + 512) * 1000 * 27, 1e-12));
  CHECK_THAT(ad->kv_read_bytes * ad->count, WithinRel(1000.0 * 576 * 2 * 27, 1e-12));
  // The projection GEMMs: same FLOPs in both forms (W_UK, W_UV absorbed into kv_b's cost).
  double proj = 0;
  for (const char* n : {"q_proj", "k_proj", "v_proj", "o_proj"}) proj += find_op(d, n)->flops * find_op(d, n)->count;
  CHECK_THAT(proj, WithinRel(2.0 * attn_macs * 27, 1e-12));
  // Dense first layer and 26 MoE layers.
  CHECK(find_op(d, "ffn_up")->count == 1);
  CHECK(find_op(d, "expert_up") != nullptr);
}

// ---- bitsandbytes: the kernel each format runs at each M (issue 11) -----------

namespace {
op_list bnb_step(const char* quant, std::int64_t seqs, std::int64_t new_tokens) {
  const model_spec m = find_model("llama-3.1-8b").value();
  step_shape s{};
  s.seqs = seqs;
  s.new_tokens = new_tokens;
  s.context = new_tokens == 1 ? 129 : new_tokens;
  s.decode = new_tokens == 1;
  return step_ops(m, find_quant(quant).value(), test::toy_runtime(), s, dtype::fp16);
}
const op_instance* find_op(const op_list& ops, op_kind k) {
  for (const auto& o : ops)
    if (o.kind == k) return &o;
  return nullptr;
}
double linear_weight_bytes(const op_list& ops) {
  double b = 0;
  for (const auto& o : ops)
    if (o.kind == op_kind::gemm && std::string_view(o.name) != "lm_head") b += o.weight_bytes * o.count;
  return b;
}
}  // namespace

TEST_CASE("bitsandbytes NF4: fused GEMV for one token, dequantize-to-fp16 copy above", "[accounting][ops][bnb]") {
  // Llama-3.1-8B linear layers: 32 x (4096 x (4096 + 2 x 1024) + 4096 x 4096 + 3 x 14336 x 4096) weights.
  const double elems = 32.0 * (4096.0 * 6144 + 4096.0 * 4096 + 3.0 * 14336 * 4096);
  const double nf4_bits = 4 + 2080.0 / 16384;  // 4.12695 bits (quant-formats.md, D)
  SECTION("batch-1 decode (M = 1): gemv_4bit reads the packed weights once, no copy") {
    const op_list ops = bnb_step("bnb-nf4", 1, 1);
    CHECK(find_op(ops, op_kind::dequant_copy) == nullptr);
    CHECK_THAT(linear_weight_bytes(ops), WithinRel(elems * nf4_bits / 8, 1e-9));
    for (const auto& o : ops)
      if (o.kind == op_kind::gemm && std::string_view(o.name) != "lm_head") {
        CAPTURE(o.name);
        CHECK(o.path == compute_path::dequant_in_kernel);
        CHECK(o.dequant_ops == 4.0 * static_cast<double>(o.n) * static_cast<double>(o.k));
      }
  }
  for (const auto& [seqs, tokens] : {std::pair{4, 1}, std::pair{1, 128}}) {
    CAPTURE(seqs, tokens);
    // M > 1 (batched decode, prefill): dequantize_4bit to fp16 in DRAM, then an fp16 GEMM.
    const op_list ops = bnb_step("bnb-nf4", seqs, tokens);
    const op_instance* copy = find_op(ops, op_kind::dequant_copy);
    REQUIRE(copy != nullptr);
    CHECK(copy->count == 32 * 7);            // one dequantize_4bit kernel per linear weight
    CHECK(copy->extra_launches == 1);
    CHECK_THAT(copy->weight_bytes * copy->count, WithinRel(elems * nf4_bits / 8, 1e-9));  // packed read once
    CHECK_THAT(copy->act_bytes * copy->count, WithinRel(2.0 * elems, 1e-12));              // fp16 copy written
    CHECK_THAT(linear_weight_bytes(ops), WithinRel(2.0 * elems, 1e-12));     // and read by the GEMMs
  }
  // The fused path moves ~4.5x fewer bytes per token than the copy path: the
  // old model charged the copy at batch 1 too.
  // Per token: batch 1 fused vs batch 2 through the copy.
  CHECK(bnb_step("bnb-nf4", 1, 1).bytes() < 0.3 * bnb_step("bnb-nf4", 2, 1).bytes() / 2);
}

TEST_CASE("bitsandbytes LLM.int8(): int8 tensor-core matmul with fp16 outliers at every M", "[accounting][ops][bnb]") {
  for (const auto& [seqs, tokens] : {std::pair{1, 1}, std::pair{8, 1}, std::pair{1, 256}}) {
    CAPTURE(seqs, tokens);
    const op_list ops = bnb_step("bnb-int8", seqs, tokens);
    CHECK(find_op(ops, op_kind::dequant_copy) == nullptr);  // no fp16 weight copy
    for (const auto& o : ops) {
      if (o.kind != op_kind::gemm || std::string_view(o.name) == "lm_head") continue;
      CAPTURE(o.name);
      CHECK(o.math == dtype::int8);
      CHECK(o.extra_launches == bnb_int8_extra_launches);  // quantize, dequantize, outlier kernels
      CHECK(o.path == compute_path::native_int8);
      const double e = static_cast<double>(o.n) * static_cast<double>(o.k);
      // int8 weights + one fp32 scale per row + the outlier columns read again.
      CHECK_THAT(o.weight_bytes, WithinRel(e + 4.0 * static_cast<double>(o.n) + bnb_int8_outlier_fraction * e, 1e-9));
      CHECK_THAT(o.dequant_ops, WithinRel(2.0 * bnb_int8_outlier_fraction * e, 1e-12));
      // activation quantization and the int32 result: M (4K + 10N) bytes
      CHECK(o.act_bytes == static_cast<double>(o.m) * (4.0 * static_cast<double>(o.k) + 10.0 * static_cast<double>(o.n)));
    }
  }
  CHECK(bnb_kernel_for(find_quant("bnb-int8").value(), 1) == bnb_kernel::int8_matmul);
  CHECK(bnb_kernel_for(find_quant("bnb-nf4").value(), 1) == bnb_kernel::fused_gemv);
  CHECK(bnb_kernel_for(find_quant("bnb-nf4").value(), 2) == bnb_kernel::dequant_copy);
}
