// Parameter counts (accounting/params.hpp): a toy model counted by hand,
// dense and MoE, tied and untied heads, and a published exact count.
#include <catch2/catch.hpp>

#include "edgeperf/accounting/params.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "../support/test_specs.hpp"

using namespace edgeperf;

TEST_CASE("toy model counted by hand", "[accounting][params]") {
  // 2 layers; hidden 512, 8 heads × 64, 2 KV heads, gated FFN 1024, vocab 1000.
  // Per layer: q, o 512×512; k, v 128×512; gate, up, down 3 × 1024×512; 2 RMSNorms × 512.
  const std::int64_t layer = 2 * 512 * 512 + 2 * 128 * 512 + 3 * 1024 * 512 + 2 * 512;
  const std::int64_t head = 512 + 1000 * 512 + 1000 * 512;  // final norm, embedding, untied head
  model_spec m = test::toy_model();
  auto p = count_params(m);
  CHECK(p.total == 2 * layer + head);
  CHECK(p.active == p.total);
  CHECK(p.embedding == 1000 * 512);
  CHECK(p.lm_head == 1000 * 512);
  m.tied_embeddings = true;
  p = count_params(m);
  CHECK(p.total == 2 * layer + head - 1000 * 512);
  CHECK(p.lm_head == 0);
  m.qkv_bias = true;  // biases on q, k, v: 512 + 128 + 128 per layer
  CHECK(count_params(m).total == p.total + 2 * (512 + 128 + 128));
}

TEST_CASE("MoE: all experts stored, top-k active", "[accounting][params]") {
  model_spec m = test::toy_model();
  m.moe = {.experts = 4, .top_k = 2, .expert_ffn = 256, .sparse_step = 2};  // layer 1 is MoE
  const std::int64_t attn = 2 * 512 * 512 + 2 * 128 * 512, norms = 2 * 512;
  const std::int64_t dense = attn + 3 * 1024 * 512 + norms;
  const std::int64_t router = 4 * 512, expert = 3 * 256 * 512;
  const std::int64_t head = 512 + 2 * 1000 * 512;
  const auto p = count_params(m);
  CHECK(p.total == dense + (attn + router + 4 * expert + norms) + head);
  CHECK(p.active == dense + (attn + router + 2 * expert + norms) + head);
}

TEST_CASE("closed-form layer counts equal the per-layer predicates", "[accounting][params]") {
  model_spec m = test::toy_model();
  for (int layers : {1, 5, 6, 7, 26, 31}) {
    m.layers = layers;
    for (int step : {1, 2, 3, 4}) {
      m.moe = {.experts = 8, .top_k = 2, .expert_ffn = 64, .sparse_step = step};
      CAPTURE(layers, step);
      CHECK(detail::moe_layers(m) == moe_layer_count(m));
    }
    m.moe = {};
    for (int pattern : {0, 1, 2, 6}) {
      m.sliding_window = 512;
      m.sliding_pattern = pattern;
      CAPTURE(layers, pattern);
      CHECK(detail::window_layers(m) == window_layer_count(m));
    }
  }
}

TEST_CASE("Llama 3.1 8B has 8,030,261,248 parameters", "[accounting][params]") {
  // The count Hugging Face reports for meta-llama/Llama-3.1-8B (safetensors metadata).
  CHECK(count_params(find_model("llama-3.1-8b").value()).total == 8'030'261'248LL);
}
