// Tests of the memory footprint (accounting/memory.hpp): KV-cache bytes derived
// by hand (GQA, sliding windows, fp8 KV, parallel samples with and without a
// shared prompt), peak activations, exact additivity, and the fit check.

#include "edgeperf/accounting/memory.hpp"

#include <catch2/catch.hpp>

#include "edgeperf/accounting/weights.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

namespace {

// Llama-3.1-8B (models.md row 'llama-3.1-8b'): 32 layers, 8 KV heads × 128.
constexpr model_spec llama31_8b{
    .id = "llama-3.1-8b",
    .family = "llama",
    .layers = 32,
    .hidden = 4096,
    .heads = 32,
    .kv_heads = 8,
    .head_dim = 128,
    .ffn = 14336,
    .vocab = 128256,
    .max_context = 131072,
    .mlp = mlp_kind::gated,
    .norm = norm_kind::rms,
    .tied_embeddings = false,
    .rope_theta = 5.0e5,
};

// Gemma-3-1B (models.md row 'gemma-3-1b'): 26 layers, 1 KV head × 256, window
// 512 on 5 of every 6 layers.
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

constexpr double gib = 1024.0 * 1024.0 * 1024.0;

}  // namespace

TEST_CASE("KV bytes per token, Llama-3.1-8B", "[accounting][memory][kv]") {
  // 2 (K, V) × 32 layers × 8 KV heads × 128 × 2 bytes = 131072 B per token.
  static_assert(kv_bytes_per_token(llama31_8b, dtype::fp16) == 131072.0);
  CHECK(kv_bytes_per_token(llama31_8b, dtype::bf16) == 131072.0);
  // fp8 halves it; fp32 doubles it.
  CHECK(kv_bytes_per_token(llama31_8b, dtype::fp8) == 65536.0);
  CHECK(kv_bytes_per_token(llama31_8b, dtype::fp32) == 262144.0);
  // fp8 with one 16-bit scale per 16 elements: 8 + 16/16 = 9 bits → 131072 × 9/16.
  CHECK(kv_bytes_per_token(llama31_8b, dtype::fp8, 16, 16) == 73728.0);

  // one sequence of 1000 tokens; then 2 prompts × 4 samples
  CHECK(kv_cache_bytes(llama31_8b, dtype::fp16, 0, 0, 1, 1, 1000, 0) == 131072.0 * 1000);
  CHECK(kv_cache_bytes(llama31_8b, dtype::fp16, 0, 0, 2, 4, 1000, 0) == 131072.0 * 1000 * 8);
  CHECK(kv_cache_bytes(llama31_8b, dtype::fp8, 0, 0, 2, 4, 1000, 0) ==
        0.5 * kv_cache_bytes(llama31_8b, dtype::fp16, 0, 0, 2, 4, 1000, 0));
}

TEST_CASE("sliding-window layers cap the KV cache, Gemma-3-1B", "[accounting][memory][kv]") {
  // Per layer and token: 2 × 1 × 256 × 2 B = 1024 B.
  CHECK(kv_bytes_per_token_layer(gemma3_1b, dtype::fp16) == 1024.0);
  // Pattern 6: layers 5, 11, 17, 23 are global, the other 22 keep 512 tokens.
  REQUIRE(window_layer_count(gemma3_1b) == 22);
  SECTION("context beyond the window") {
    // 4096 tokens: 22 × 512 + 4 × 4096 = 11264 + 16384 = 27648 token-slots × 1024 B.
    CHECK(kv_cache_bytes(gemma3_1b, dtype::fp16, 0, 0, 1, 1, 4096, 0) == 27648.0 * 1024);
    // vs. 26 × 4096 × 1024 without the cap
    CHECK(kv_cache_bytes(gemma3_1b, dtype::fp16, 0, 0, 1, 1, 4096, 0) < 26.0 * 4096 * 1024 * 0.3);
  }
  SECTION("context within the window: no cap") {
    CHECK(kv_cache_bytes(gemma3_1b, dtype::fp16, 0, 0, 1, 1, 300, 0) == 26.0 * 300 * 1024);
    CHECK(kv_cache_bytes(gemma3_1b, dtype::fp16, 0, 0, 1, 1, 512, 0) == 26.0 * 512 * 1024);
  }
  SECTION("fp8 halves it") {
    CHECK(kv_cache_bytes(gemma3_1b, dtype::fp8, 0, 0, 3, 2, 4096, 0) ==
          0.5 * kv_cache_bytes(gemma3_1b, dtype::fp16, 0, 0, 3, 2, 4096, 0));
  }
}

TEST_CASE("parallel samples with and without a shared prompt", "[accounting][memory][kv]") {
  // Llama-3.1-8B, 2 prompts × 4 samples, 1000-token prompt, 1500 tokens per sequence.
  // Unshared: 2 × 4 × 1500 = 12000 token-slots per layer.
  // Shared:   2 × (1000 + 4 × 500) = 6000.
  const double unshared = kv_cache_bytes(llama31_8b, dtype::fp16, 0, 0, 2, 4, 1500, 0);
  const double shared = kv_cache_bytes(llama31_8b, dtype::fp16, 0, 0, 2, 4, 1500, 1000);
  CHECK(unshared == 12000.0 * 131072);
  CHECK(shared == 6000.0 * 131072);
  // one sample: sharing changes nothing
  CHECK(kv_cache_bytes(llama31_8b, dtype::fp16, 0, 0, 2, 1, 1500, 1000) ==
        kv_cache_bytes(llama31_8b, dtype::fp16, 0, 0, 2, 1, 1500, 0));
  // a prefix longer than the context is clamped to it
  CHECK(kv_cache_bytes(llama31_8b, dtype::fp16, 0, 0, 1, 4, 800, 1000) == 800.0 * 131072);

  SECTION("with sliding windows only the prompt tokens still in the window are shared") {
    // Gemma-3-1B, 1 prompt × 4 samples, prompt 1000, context 1500.
    // Window layers keep positions [988, 1500): 12 prompt tokens shared, 500 private
    //   → 12 + 4 × 500 = 2012 slots × 22 layers = 44264.
    // Global layers: 1000 + 4 × 500 = 3000 slots × 4 layers = 12000.
    CHECK(kv_cache_bytes(gemma3_1b, dtype::fp16, 0, 0, 1, 4, 1500, 1000) ==
          (44264.0 + 12000.0) * 1024);
    // once the window has moved past the prompt, nothing is shared on window layers:
    // context 2000 → window layers 4 × 512 slots; global 1000 + 4 × 1000.
    CHECK(kv_cache_bytes(gemma3_1b, dtype::fp16, 0, 0, 1, 4, 2000, 1000) ==
          (22.0 * 4 * 512 + 4.0 * 5000) * 1024);
  }
}

TEST_CASE("peak activations, hand-derived", "[accounting][memory][activations]") {
  // Llama-3.1-8B fp16, prefill of T = 128 tokens, last-position logits:
  //   attention phase per token: h + (q + k + v) + o-in = 4096 + (4096 + 2 × 1024) + 4096 = 14336
  //   MLP phase per token:      h + 3 × 14336 = 47104  (larger)
  //   (residual 4096 + 47104) × 128 × 2 B = 13107200 B; logits 1 × 128256 × 4 B = 513024 B.
  CHECK(peak_activation_bytes(llama31_8b, quants::fp16, 128, 1) == 13107200.0 + 513024.0);
  // all logits: 128 rows
  CHECK(peak_activation_bytes(llama31_8b, quants::fp16, 128, 128) == 13107200.0 + 128 * 513024.0);
  // bitsandbytes 4-bit above one token adds the fp16 copy of the largest matrix
  // (14336 × 4096 × 2 B); its one-token GEMV and LLM.int8() need no copy.
  CHECK(peak_activation_bytes(llama31_8b, quants::bnb_nf4, 128, 1) ==
        peak_activation_bytes(llama31_8b, quants::fp16, 128, 1) + 14336.0 * 4096 * 2);
  CHECK(peak_activation_bytes(llama31_8b, quants::bnb_nf4, 1, 1) ==
        peak_activation_bytes(llama31_8b, quants::fp16, 1, 1));
  CHECK(peak_activation_bytes(llama31_8b, quants::bnb_int8, 128, 1) ==
        peak_activation_bytes(llama31_8b, quants::fp16, 128, 1));
  // fp32 doubles the per-layer part, not the (already fp32) logits
  CHECK(peak_activation_bytes(llama31_8b, quants::fp32, 128, 1) == 2 * 13107200.0 + 513024.0);
}

TEST_CASE("memory footprint is exactly additive and checks the budget", "[accounting][memory]") {
  const workload w{.batch = 2, .samples = 4, .input_tokens = 1024, .output_tokens = 512};
  const dtype kv = resolve_kv_dtype(w, quants::w4a16);
  REQUIRE(kv == dtype::fp16);
  const auto f = estimate_memory(llama31_8b, quants::w4a16, w, kv, false, 16 * gib);
  CAPTURE(f.weights_bytes, f.kv_cache_bytes, f.activation_bytes, f.total_bytes);
  CHECK(f.total_bytes ==
        f.weights_bytes + f.kv_cache_bytes + f.activation_bytes + f.runtime_overhead_bytes);
  CHECK(f.weights_bytes == count_weight_bytes(llama31_8b, quants::w4a16).total_bytes);
  // KV for I + O − 1 = 1535 tokens per sequence, 8 sequences, no sharing
  CHECK(f.kv_cache_bytes == 8.0 * 1535 * 131072);
  CHECK(f.runtime_overhead_bytes == 0.0);
  CHECK(f.activation_bytes > 0.0);
  CHECK(f.budget_bytes == 16 * gib);
  CHECK(f.fits);  // ≈ 5.7 GB weights + 1.6 GB KV

  SECTION("exactly at the budget fits; one byte less does not") {
    const auto at = estimate_memory(llama31_8b, quants::w4a16, w, kv, false, f.total_bytes);
    CHECK(at.fits);
    const auto below = estimate_memory(llama31_8b, quants::w4a16, w, kv, false, f.total_bytes - 1);
    CHECK_FALSE(below.fits);
  }
  SECTION("runtime overhead is added and re-checked") {
    const auto g = with_runtime_overhead(f, 9 * gib);
    CHECK(g.runtime_overhead_bytes == 9 * gib);
    CHECK(g.total_bytes == f.total_bytes + 9 * gib);
    CHECK(g.total_bytes ==
          g.weights_bytes + g.kv_cache_bytes + g.activation_bytes + g.runtime_overhead_bytes);
    CHECK_FALSE(g.fits);
  }
  SECTION("bf16 Llama-3.1-8B (16 GB of weights) does not fit in 8 GiB") {
    const auto b = estimate_memory(llama31_8b, quants::bf16, w, dtype::bf16, false, 8 * gib);
    CHECK(b.weights_bytes > 16e9);
    CHECK_FALSE(b.fits);
  }
  SECTION("shared prompt and fp8 KV shrink only the KV part") {
    const auto s = estimate_memory(llama31_8b, quants::w4a16, w, kv, false, 16 * gib, true);
    // per prompt: 1024 shared + 4 × 511 private = 3068 slots; 2 prompts
    CHECK(s.kv_cache_bytes == 2.0 * 3068 * 131072);
    CHECK(s.weights_bytes == f.weights_bytes);
    CHECK(s.activation_bytes == f.activation_bytes);
    workload w8 = w;
    w8.kv_dtype = dtype::fp8;
    const dtype kv8 = resolve_kv_dtype(w8, quants::w4a16);
    REQUIRE(kv8 == dtype::fp8);
    const auto e = estimate_memory(llama31_8b, quants::w4a16, w8, kv8, false, 16 * gib);
    CHECK(e.kv_cache_bytes == 0.5 * f.kv_cache_bytes);
  }
  SECTION("all logits make prefill activations larger") {
    const auto a = estimate_memory(llama31_8b, quants::w4a16, w, kv, true, 16 * gib);
    // prefill logits: 2 × 1024 rows × 128256 × 4 B ≈ 1.05 GB
    CHECK(a.activation_bytes - f.activation_bytes > 1.0e9);
    CHECK(a.total_bytes == a.weights_bytes + a.kv_cache_bytes + a.activation_bytes);
  }
}

TEST_CASE("memory estimate in a constant expression", "[accounting][memory]") {
  constexpr workload w{.batch = 1, .samples = 1, .input_tokens = 4096, .output_tokens = 1};
  constexpr auto f = estimate_memory(gemma3_1b, quants::q4_k_m, w, dtype::fp16, false, 8 * gib);
  static_assert(f.kv_cache_bytes == 27648.0 * 1024);
  static_assert(f.fits);
  CHECK(f.total_bytes == f.weights_bytes + f.kv_cache_bytes + f.activation_bytes);
}

TEST_CASE("MLA caches the latent; vision towers add 16-bit weights", "[accounting][memory][mla]") {
  model_spec m = find_model("llama-3.1-8b").value();
  const double dense = kv_bytes_per_token(m, dtype::bf16);
  m.head_dim = 192;
  m.kv_heads = m.heads;
  m.mla = {.kv_lora_rank = 512, .q_lora_rank = 1536, .qk_nope_head_dim = 128,
           .qk_rope_head_dim = 64, .v_head_dim = 128};
  CHECK(kv_bytes_per_token(m, dtype::bf16) == 32 * 576 * 2.0);
  CHECK(kv_bytes_per_token(m, dtype::bf16) < dense);
  model_spec v = find_model("llama-3.1-8b").value();
  const auto base = count_weight_bytes(v, find_quant("q4_k_m").value());
  v.vision_params = 1000000;
  const auto with = count_weight_bytes(v, find_quant("q4_k_m").value());
  CHECK(with.vision_bytes == 2e6);
  CHECK(with.total_bytes == base.total_bytes + 2e6);
  CHECK(with.active_bytes == base.active_bytes);
  CHECK(count_params(v).active == count_params(find_model("llama-3.1-8b").value()).active);
}
