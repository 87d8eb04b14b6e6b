// Tests of the quantization catalog (descriptions/quant_catalog.hpp) and of the
// per-tensor weight bytes (accounting/weights.hpp): published effective bits
// per weight (quant-formats.md), hand-derived byte counts of a small model,
// and the Q4_K_M layer selection.

#include "edgeperf/accounting/weights.hpp"

#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "edgeperf/accounting/params.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// Llama-2-7B (the model llama.cpp's published bits/weight refer to): values
// given in the issue (hidden 4096, 32 layers, 32 heads, 32 KV heads, FFN 11008,
// vocab 32000, untied, gated, RMSNorm).
constexpr model_spec llama2_7b{
    .id = "llama-2-7b",
    .family = "llama",
    .layers = 32,
    .hidden = 4096,
    .heads = 32,
    .kv_heads = 32,
    .head_dim = 128,
    .ffn = 11008,
    .vocab = 32000,
    .max_context = 4096,
    .mlp = mlp_kind::gated,
    .norm = norm_kind::rms,
    .tied_embeddings = false,
};

// A small model whose bytes are derived by hand below: 2 layers, hidden 256,
// 4 heads × 64, 2 KV heads, FFN 512 (gated), vocab 1000, untied, q/k/v biases.
constexpr model_spec tiny{
    .id = "tiny",
    .family = "qwen2",
    .layers = 2,
    .hidden = 256,
    .heads = 4,
    .kv_heads = 2,
    .head_dim = 64,
    .ffn = 512,
    .vocab = 1000,
    .max_context = 4096,
    .mlp = mlp_kind::gated,
    .norm = norm_kind::rms,
    .tied_embeddings = false,
    .qkv_bias = true,
};

// Gemma-3-1B (models.md row 'gemma-3-1b'): hidden 1152 is not a multiple of 256.
constexpr model_spec gemma3_1b{
    .id = "gemma-3-1b",
    .family = "gemma3_text",
    .layers = 26,
    .hidden = 1152,
    .heads = 4,
    .kv_heads = 1,
    .head_dim = 256,
    .ffn = 6912,
    .vocab = 262144,
    .max_context = 32768,
    .mlp = mlp_kind::gated,
    .norm = norm_kind::rms,
    .tied_embeddings = true,
    .qk_norm = true,
    .norms_per_layer = 4,
    .sliding_window = 512,
    .sliding_pattern = 6,
};

// Mixtral-8x7B (models.md row 'mixtral-8x7b'): 8 experts, top-2.
constexpr model_spec mixtral{
    .id = "mixtral-8x7b",
    .family = "mixtral",
    .layers = 32,
    .hidden = 4096,
    .heads = 32,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 14336,
    .vocab = 32000,
    .max_context = 32768,
    .mlp = mlp_kind::gated,
    .norm = norm_kind::rms,
    .tied_embeddings = false,
    .moe = {.experts = 8, .top_k = 2, .expert_ffn = 14336},
};

// Bits per weight of the linear matrices only (biases excluded: Llama has none).
double linear_bits(const model_spec& m, const quant_spec& q) {
  const auto w = count_weight_bytes(m, q);
  std::int64_t linear_params = 0;
  for_each_weight(m, [&](const weight_tensor& t) {
    if (t.cls != tensor_class::embed && t.cls != tensor_class::lm_head &&
        t.cls != tensor_class::norm)
      linear_params += t.elements() + t.bias * t.count;
  });
  return 8.0 * w.linear_bytes / static_cast<double>(linear_params);
}

// The tensor of class `c` in layer `layer` (first match).
weight_tensor find_tensor(const model_spec& m, tensor_class c, int layer) {
  weight_tensor found{};
  bool seen = false;
  for_each_weight(m, [&](const weight_tensor& t) {
    if (!seen && t.cls == c && t.layer == layer) {
      found = t;
      seen = true;
    }
  });
  REQUIRE(seen);
  return found;
}

}  // namespace

// ---------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------

static_assert(find_quant_or_null("q4_k_m") != nullptr);
static_assert(find_quant_or_null("Q4_K_M") == nullptr);  // ids are case-sensitive
static_assert(parse_dtype("bfloat16") == dtype::bf16);
static_assert(!parse_dtype("fp12").has_value());
static_assert(quants::w4a16.linear.bits_per_weight() == 4.0 + 20.0 / 128.0);
static_assert(quants::q4f16_1.linear.bits_per_weight() == 4.5);
static_assert(use_more_bits(0, 32) && !use_more_bits(4, 32) && use_more_bits(6, 32));

TEST_CASE("quant catalog has the issue's ids, unique, each findable", "[descriptions][quant]") {
  const std::vector<std::string> expected{
      "fp32",    "fp16", "bf16",   "fp8",    "w8a8-int8", "w8a16", "w4a16",    "w4a16-g32",
      "q4f16_1", "q4_0", "q4_k_m", "q5_k_m", "q6_k",      "q8_0",  "bnb-int8", "bnb-nf4"};
  std::vector<std::string> ids;
  for (auto id : quant_ids()) ids.emplace_back(id);
  CHECK(ids == expected);
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
  for (const auto& id : expected) {
    CAPTURE(id);
    const auto q = find_quant(id);
    REQUIRE(q.has_value());
    CHECK(q->id == id);
  }
}

TEST_CASE("unknown quant id is an error naming the nearest ids", "[descriptions][quant]") {
  const auto q = find_quant("q4_k");
  REQUIRE_FALSE(q.has_value());
  CHECK(q.error_value().code == errc::unknown_id);
  const std::string& msg = q.error_value().message;
  CAPTURE(msg);
  CHECK(msg.find("'q4_k'") != std::string::npos);
  CHECK(msg.find("q4_k_m") != std::string::npos);
}

TEST_CASE("parse_dtype accepts the config spellings", "[descriptions][quant]") {
  CHECK(parse_dtype("float16") == dtype::fp16);
  CHECK(parse_dtype("fp16") == dtype::fp16);
  CHECK(parse_dtype("bf16") == dtype::bf16);
  CHECK(parse_dtype("float32") == dtype::fp32);
  CHECK(parse_dtype("fp8") == dtype::fp8);
  CHECK(parse_dtype("int8") == dtype::int8);
  CHECK(parse_dtype("nf4") == dtype::nf4);
  CHECK_FALSE(parse_dtype("FP16").has_value());
  CHECK_FALSE(parse_dtype("").has_value());
  // every dtype's own name parses back to it
  for (dtype t :
       {dtype::fp32, dtype::fp16, dtype::bf16, dtype::fp8, dtype::int8, dtype::int4, dtype::nf4}) {
    CAPTURE(to_string(t));
    CHECK(parse_dtype(to_string(t)) == t);
  }
}

TEST_CASE("catalog compute paths and formats", "[descriptions][quant]") {
  CHECK(quants::fp8.path == compute_path::native_fp8);
  CHECK(quants::w8a8_int8.path == compute_path::native_int8);
  CHECK(quants::w4a16.path == compute_path::dequant_in_kernel);
  CHECK(quants::bnb_int8.path == compute_path::dequant_to_memory);
  CHECK(quants::bnb_nf4.path == compute_path::dequant_to_memory);
  CHECK(quants::q4_k_m.recipe == quant_recipe::gguf_km);
  CHECK(quants::q5_k_m.recipe == quant_recipe::gguf_km);
  CHECK(quants::q6_k.recipe == quant_recipe::uniform);
  // GGUF output.weight: Q6_K for every ftype except Q8_0.
  CHECK(quants::q4_0.lm_head.gguf == gguf_type::q6_k);
  CHECK(quants::q4_k_m.lm_head.gguf == gguf_type::q6_k);
  CHECK(quants::q8_0.lm_head.gguf == gguf_type::q8_0);
  // token_embd keeps the base type.
  CHECK(quants::q4_k_m.embed.gguf == gguf_type::q4_k);
  // every format keeps an fp16/bf16/fp32 KV cache by default (none implies fp8 KV)
  for (const quant_spec& q : quant_catalog()) {
    CAPTURE(q.id.view());
    CHECK(dtype_bits(q.kv) >= 16);
    CHECK(q.dequant_ops_per_weight >= 0);
    // quantized-weight paths unpack; native ones do not
    CHECK((q.path == compute_path::dequant_in_kernel ||
           q.path == compute_path::dequant_to_memory) == (q.dequant_ops_per_weight > 0));
  }
  // bnb-nf4: 4 + 8/64 + 32/(64·256) bits (double-quantized absmax).
  CHECK_THAT(quants::bnb_nf4.linear.bits_per_weight(),
             WithinAbs(4.0 + 8.0 / 64 + 32.0 / (64 * 256), 1e-12));
}

// ---------------------------------------------------------------------------
// Q4_K_M recipe
// ---------------------------------------------------------------------------

TEST_CASE("Q4_K_M layer selection for n = 32", "[accounting][weights][gguf]") {
  // use_more_bits(i, 32): n/8 = 4, 7n/8 = 28 (integer division).
  //   i < 4              → 0, 1, 2, 3
  //   i >= 28            → 28, 29, 30, 31
  //   (i - 4) % 3 == 2   → i - 4 ∈ {2, 5, 8, 11, 14, 17, 20, 23, (26)} → 6, 9, 12, 15, 18, 21, 24,
  //   27
  //                        (i = 30 also matches but is already in the tail; for i < 4
  //                         C++'s % of a negative number is ≤ 0, never 2)
  // → 16 of 32 layers get Q6_K attn_v and ffn_down.
  const std::vector<int> expected{0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31};
  std::vector<int> got;
  for (int i = 0; i < 32; ++i)
    if (use_more_bits(i, 32)) got.push_back(i);
  CHECK(got == expected);

  // tensor_format applies it to attn_v and ffn_down only, and leaves the rest Q4_K.
  for (int i = 0; i < 32; ++i) {
    CAPTURE(i);
    const bool up = use_more_bits(i, 32);
    const gguf_type hi = up ? gguf_type::q6_k : gguf_type::q4_k;
    CHECK(tensor_format(quants::q4_k_m, llama2_7b, find_tensor(llama2_7b, tensor_class::attn_v, i))
              .gguf == hi);
    CHECK(
        tensor_format(quants::q4_k_m, llama2_7b, find_tensor(llama2_7b, tensor_class::ffn_down, i))
            .gguf == hi);
    CHECK(tensor_format(quants::q4_k_m, llama2_7b, find_tensor(llama2_7b, tensor_class::attn_k, i))
              .gguf == gguf_type::q4_k);
    CHECK(tensor_format(quants::q4_k_m, llama2_7b, find_tensor(llama2_7b, tensor_class::ffn_up, i))
              .gguf == gguf_type::q4_k);
    // Q6_K (uniform) is never "upgraded"; Q4_0 has no recipe
    CHECK(tensor_format(quants::q4_0, llama2_7b, find_tensor(llama2_7b, tensor_class::attn_v, i))
              .gguf == gguf_type::q4_0);
  }
}

TEST_CASE("GGUF per-tensor exceptions", "[accounting][weights][gguf]") {
  const weight_tensor embed = find_tensor(llama2_7b, tensor_class::embed, -1);
  const weight_tensor head = find_tensor(llama2_7b, tensor_class::lm_head, -1);
  const weight_tensor norm = find_tensor(llama2_7b, tensor_class::norm, 0);
  CHECK(tensor_format(quants::q4_k_m, llama2_7b, embed).gguf == gguf_type::q4_k);
  CHECK(tensor_format(quants::q4_k_m, llama2_7b, head).gguf == gguf_type::q6_k);
  CHECK(tensor_format(quants::q8_0, llama2_7b, head).gguf == gguf_type::q8_0);
  CHECK(tensor_format(quants::q4_k_m, llama2_7b, norm).elem == dtype::fp32);
  CHECK(tensor_format(quants::w4a16, llama2_7b, norm).elem == dtype::fp16);
  CHECK(tensor_format(quants::w4a16, llama2_7b, embed) == quants::fp16_format);
  CHECK(tensor_format(quants::w4a16, llama2_7b, head) == quants::fp16_format);

  SECTION("tied model: token_embd takes output's place (Q6_K), with the row fallback") {
    // Gemma-3-1B is tied; K = hidden = 1152 = 4.5 × 256, so Q6_K cannot hold a
    // row and llama.cpp stores Q8_0 instead (1152 = 36 × 32).
    const weight_tensor e = find_tensor(gemma3_1b, tensor_class::embed, -1);
    CHECK(tensor_format(quants::q4_k_m, gemma3_1b, e).gguf == gguf_type::q8_0);
    // Q4_K rows of 1152 fall back to Q5_0; ffn_down (K = 6912 = 27 × 256) keeps Q4_K/Q6_K.
    CHECK(tensor_format(quants::q4_k_m, gemma3_1b, find_tensor(gemma3_1b, tensor_class::attn_q, 4))
              .gguf == gguf_type::q5_0);
    CHECK(
        tensor_format(quants::q4_k_m, gemma3_1b, find_tensor(gemma3_1b, tensor_class::ffn_down, 4))
            .gguf == gguf_type::q4_k);
    CHECK(
        tensor_format(quants::q4_k_m, gemma3_1b, find_tensor(gemma3_1b, tensor_class::ffn_down, 0))
            .gguf == gguf_type::q6_k);
    // attn_v (K = 1152) on an upgraded layer: Q6_K → Q8_0
    CHECK(tensor_format(quants::q4_k_m, gemma3_1b, find_tensor(gemma3_1b, tensor_class::attn_v, 0))
              .gguf == gguf_type::q8_0);
    // non-GGUF tied: the embedding stays 16-bit
    CHECK(tensor_format(quants::w4a16, gemma3_1b, e).elem == dtype::fp16);
    // a tied model has no LM head bytes
    CHECK(count_weight_bytes(gemma3_1b, quants::q4_k_m).lm_head_bytes == 0.0);
  }
  SECTION("8-expert MoE: attn_k and attn_v in Q8_0") {
    for (const quant_spec* q : {&quants::q4_k_m, &quants::q4_0, &quants::q6_k}) {
      CAPTURE(q->id.view());
      CHECK(tensor_format(*q, mixtral, find_tensor(mixtral, tensor_class::attn_k, 10)).gguf ==
            gguf_type::q8_0);
      CHECK(tensor_format(*q, mixtral, find_tensor(mixtral, tensor_class::attn_v, 10)).gguf ==
            gguf_type::q8_0);
      CHECK(tensor_format(*q, mixtral, find_tensor(mixtral, tensor_class::attn_q, 10)).gguf ==
            q->linear.gguf);
    }
    // routers stay unquantized (F32 in GGUF, 16-bit otherwise)
    CHECK(tensor_format(quants::q4_k_m, mixtral, find_tensor(mixtral, tensor_class::router, 0))
              .elem == dtype::fp32);
    CHECK(
        tensor_format(quants::w4a16, mixtral, find_tensor(mixtral, tensor_class::router, 0)).elem ==
        dtype::fp16);
    // a dense model's attn_k keeps the base type
    CHECK(tensor_format(quants::q4_k_m, llama2_7b, find_tensor(llama2_7b, tensor_class::attn_k, 10))
              .gguf == gguf_type::q4_k);
  }
}

// ---------------------------------------------------------------------------
// Published effective bits per weight
// ---------------------------------------------------------------------------

TEST_CASE("effective bits per weight of Llama-2-7B match llama.cpp's published values",
          "[accounting][weights][gguf]") {
  // quant-formats.md (E): Q4_K_M 4.84, Q5_K_M 5.68, Q6_K 6.56 for Llama-2 7B.
  struct row {
    const quant_spec* q;
    double published_bpw;
  };
  const row rows[] = {{&quants::q4_k_m, 4.84}, {&quants::q5_k_m, 5.68}, {&quants::q6_k, 6.56}};
  for (const row& r : rows) {
    const double bpw = count_weight_bytes(llama2_7b, *r.q).bits_per_weight;
    CAPTURE(r.q->id.view(), bpw, r.published_bpw);
    CHECK_THAT(bpw, WithinRel(r.published_bpw, 0.02));
  }
  // Ordering the recipe implies: Q4_K < Q4_K_M < Q5_K_M < Q6_K.
  CHECK(count_weight_bytes(llama2_7b, quants::q4_k_m).bits_per_weight > 4.5);
}

TEST_CASE("weight-only formats: bits per linear weight and whole model", "[accounting][weights]") {
  // AWQ/GPTQ g128: 4 + (16 + 4)/128 = 4.15625 bits on the linear layers (D).
  CHECK_THAT(linear_bits(llama2_7b, quants::w4a16), WithinRel(4.15625, 1e-9));
  // The whole model carries 16-bit embeddings and LM head (2 × 32000 × 4096):
  //   (6476005376 × 4.15625 + 262144000 × 16 + 266240 × 16) / 6738415616 ≈ 4.617
  const double whole = count_weight_bytes(llama2_7b, quants::w4a16).bits_per_weight;
  CHECK(whole > 4.2);
  CHECK_THAT(whole, WithinRel(4.6175, 1e-3));
  // group 32: 4 + 20/32 = 4.625
  CHECK_THAT(linear_bits(llama2_7b, quants::w4a16_g32), WithinRel(4.625, 1e-9));
  // MLC q4f16_1: 4 + 16/32 = 4.5 everywhere but the (16-bit) norms
  CHECK_THAT(linear_bits(llama2_7b, quants::q4f16_1), WithinRel(4.5, 1e-9));
  CHECK_THAT(count_weight_bytes(llama2_7b, quants::q4f16_1).bits_per_weight, WithinRel(4.5, 1e-3));
  // bnb-nf4 linear layers: 4 + 8/64 + 32/16384
  CHECK_THAT(linear_bits(llama2_7b, quants::bnb_nf4), WithinRel(4.126953125, 1e-9));
  // per-channel int8: 8 + 16/K (K = 4096 or 11008 per matrix), so just above 8
  const double w8 = linear_bits(llama2_7b, quants::w8a16);
  CHECK(w8 > 8.0);
  CHECK(w8 < 8.01);
}

TEST_CASE("16/32-bit formats: bytes = bytes per element × parameters", "[accounting][weights]") {
  for (const model_spec* m : {&llama2_7b, &tiny, &gemma3_1b, &mixtral}) {
    CAPTURE(m->id.view());
    const auto p = count_params(*m);
    CHECK(count_weight_bytes(*m, quants::bf16).total_bytes == 2.0 * static_cast<double>(p.total));
    CHECK(count_weight_bytes(*m, quants::fp16).total_bytes == 2.0 * static_cast<double>(p.total));
    CHECK(count_weight_bytes(*m, quants::fp32).total_bytes == 4.0 * static_cast<double>(p.total));
    CHECK(count_weight_bytes(*m, quants::bf16).bits_per_weight == 16.0);
    CHECK(count_weight_bytes(*m, quants::bf16).active_bytes == 2.0 * static_cast<double>(p.active));
  }
}

// ---------------------------------------------------------------------------
// Hand-derived bytes of a small model
// ---------------------------------------------------------------------------

TEST_CASE("hand-derived bytes of a small model", "[accounting][weights]") {
  // tiny: h = 256, q width 4 × 64 = 256, kv width 2 × 64 = 128, FFN 512, 2 layers.
  // Per layer: q 256×256 = 65536, k 128×256 = 32768, v 32768, o 65536,
  //            gate 512×256 = 131072, up 131072, down 256×512 = 131072
  //            → 589824 matrix weights; biases q 256 + k 128 + v 128 = 512;
  //            norms 2 × 256 = 512.
  // Model: linear 1179648, biases 1024, norms 1024 + final 256 = 1280,
  //        embedding 1000 × 256 = 256000, LM head 256000.
  SECTION("fp16") {
    const auto w = count_weight_bytes(tiny, quants::fp16);
    CHECK(w.linear_bytes == 2.0 * (1179648 + 1024));  // 2361344
    CHECK(w.embedding_bytes == 512000.0);
    CHECK(w.lm_head_bytes == 512000.0);
    CHECK(w.other_bytes == 2.0 * 1280);
    CHECK(w.total_bytes == 3387904.0);
    CHECK(w.active_bytes == w.total_bytes);
  }
  SECTION("w4a16 (g128)") {
    // 4-bit: 1179648 / 2 = 589824 B; groups: 1179648 / 128 = 9216 × (16 + 4) bits
    // = 23040 B; biases 1024 × 2 B = 2048 B → 614912 B of linear layers.
    const auto w = count_weight_bytes(tiny, quants::w4a16);
    CHECK(w.linear_bytes == 614912.0);
    CHECK(w.embedding_bytes == 512000.0);
    CHECK(w.lm_head_bytes == 512000.0);
    CHECK(w.other_bytes == 2560.0);
    CHECK(w.total_bytes == 614912.0 + 512000 + 512000 + 2560);  // 1641472
    // one tensor: v of layer 0 (128 × 256) = 16384 B of nibbles + 256 groups × 20 bits
    // (640 B) + 128 bias × 2 B (256 B) = 17280 B
    CHECK(tensor_bytes(quants::w4a16, tiny, find_tensor(tiny, tensor_class::attn_v, 0)) == 17280.0);
  }
  SECTION("q4_k_m") {
    // n = 2: n/8 = 0, 7n/8 = 1 → use_more_bits(0, 2) = false ((0 − 0) % 3 = 0),
    // use_more_bits(1, 2) = true (i >= 1). So layer 1's attn_v and ffn_down are Q6_K.
    CHECK_FALSE(use_more_bits(0, 2));
    CHECK(use_more_bits(1, 2));
    // All matrices Q4_K: 1179648 / 256 = 4608 blocks × 144 B = 663552 B.
    // Layer 1 upgrades: v 32768 / 256 = 128 blocks, down 131072 / 256 = 512 blocks,
    //   640 blocks × (210 − 144) B = 42240 B.
    // Biases stay F32 in GGUF: 1024 × 4 = 4096 B.
    // → linear 663552 + 42240 + 4096 = 709888 B.
    // Norms F32: 1280 × 4 = 5120 B. token_embd Q4_K: 256000 / 256 × 144 = 144000 B.
    // output Q6_K: 1000 blocks × 210 = 210000 B.
    const auto w = count_weight_bytes(tiny, quants::q4_k_m);
    CHECK(w.linear_bytes == 709888.0);
    CHECK(w.other_bytes == 5120.0);
    CHECK(w.embedding_bytes == 144000.0);
    CHECK(w.lm_head_bytes == 210000.0);
    CHECK(w.total_bytes == 709888.0 + 5120 + 144000 + 210000);  // 1069008
    const auto p = count_params(tiny);
    CHECK_THAT(w.bits_per_weight, WithinRel(8.0 * 1069008 / static_cast<double>(p.total), 1e-12));
  }
  SECTION("q4_k_m, tied: token_embd takes output's Q6_K") {
    model_spec tied = tiny;
    tied.tied_embeddings = true;
    const auto w = count_weight_bytes(tied, quants::q4_k_m);
    CHECK(w.embedding_bytes == 210000.0);
    CHECK(w.lm_head_bytes == 0.0);
  }
  SECTION("q8_0") {
    // 34 B per 32 weights: 1179648 / 32 × 34 = 1253376 B; biases F32 4096 B;
    // embedding and output Q8_0: 256000 / 32 × 34 = 272000 B each; norms 5120 B.
    const auto w = count_weight_bytes(tiny, quants::q8_0);
    CHECK(w.linear_bytes == 1253376.0 + 4096);
    CHECK(w.embedding_bytes == 272000.0);
    CHECK(w.lm_head_bytes == 272000.0);
    CHECK(w.total_bytes == 1253376.0 + 4096 + 272000 + 272000 + 5120);
  }
  SECTION("parts add up for every format") {
    for (const quant_spec& q : quant_catalog()) {
      CAPTURE(q.id.view());
      const auto w = count_weight_bytes(tiny, q);
      CHECK_THAT(
          w.total_bytes,
          WithinRel(w.linear_bytes + w.embedding_bytes + w.lm_head_bytes + w.other_bytes, 1e-15));
      double sum = 0.0;
      for_each_weight(tiny, [&](const weight_tensor& t) { sum += tensor_bytes(q, tiny, t); });
      CHECK(sum == w.total_bytes);
    }
  }
}

TEST_CASE("GGUF rows that do not fill a block fall back as llama.cpp does",
          "[accounting][weights][gguf]") {
  // Gemma-3-1B layer 0 attn_q: 1024 × 1152 in Q5_0 (llama.cpp: Q4_K → Q5_0):
  // 1024 rows × 36 blocks × 22 B = 811008 B.
  CHECK(tensor_bytes(quants::q4_k_m, gemma3_1b, find_tensor(gemma3_1b, tensor_class::attn_q, 0)) ==
        1024.0 * 36 * 22);
  CHECK(gguf_row_fallback(gguf_type::q4_k, 1152) == gguf_type::q5_0);
  CHECK(gguf_row_fallback(gguf_type::q5_k, 1152) == gguf_type::q5_1);
  CHECK(gguf_row_fallback(gguf_type::q6_k, 1152) == gguf_type::q8_0);
  CHECK(gguf_row_fallback(gguf_type::q4_k, 4096) == gguf_type::q4_k);
  CHECK(gguf_row_fallback(gguf_type::q4_0, 1152) == gguf_type::q4_0);
}

TEST_CASE("MoE active bytes per token count only the top-k routed experts",
          "[accounting][weights][moe]") {
  for (const quant_spec* q : {&quants::bf16, &quants::w4a16, &quants::q4_k_m}) {
    CAPTURE(q->id.view());
    const auto w = count_weight_bytes(mixtral, *q);
    double routed = 0.0;
    for_each_weight(mixtral, [&](const weight_tensor& t) {
      if (t.count > 1) routed += tensor_bytes(*q, mixtral, t);
    });
    // active = total − (8 − 2)/8 of the routed experts
    CHECK_THAT(w.active_bytes, WithinRel(w.total_bytes - routed * 6.0 / 8.0, 1e-12));
    CHECK(w.active_bytes < 0.35 * w.total_bytes);
  }
  // bf16: 2 bytes per published parameter (46.7B total, 12.9B active; models.md)
  const auto b = count_weight_bytes(mixtral, quants::bf16);
  CHECK_THAT(b.total_bytes, WithinRel(2 * 46.7e9, 0.01));
  CHECK_THAT(b.active_bytes, WithinRel(2 * 12.9e9, 0.01));
  // dense models: active == total
  const auto d = count_weight_bytes(llama2_7b, quants::q4_k_m);
  CHECK(d.active_bytes == d.total_bytes);
}

TEST_CASE("weight byte accounting is usable in constant expressions", "[accounting][weights]") {
  constexpr auto w = count_weight_bytes(tiny, quants::fp16);
  static_assert(w.total_bytes == 3387904.0);
  constexpr auto k = count_weight_bytes(tiny, quants::q4_k_m);
  static_assert(k.total_bytes == 1069008.0);
  CHECK(w.total_bytes > k.total_bytes);
}
