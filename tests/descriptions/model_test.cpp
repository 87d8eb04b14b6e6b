// Model shape helpers (descriptions/model.hpp): which layers are windowed or
// MoE, and the attention widths, against published architectures.
#include <catch2/catch.hpp>

#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"

using namespace edgeperf;

TEST_CASE("attention widths of a GQA model", "[descriptions][model]") {
  // Llama 3.1 8B: 32 query heads, 8 KV heads, head_dim 128 (config.json).
  const model_spec m = find_model("llama-3.1-8b").value();
  CHECK(q_width(m) == 4096);
  CHECK(kv_width(m) == 1024);
  // Gemma 3 1B: explicit head_dim 256 with 4 heads: q is wider than hidden/heads would give.
  const model_spec g = find_model("gemma-3-1b").value();
  CHECK(q_width(g) == 1024);
  CHECK(kv_width(g) == 256);
}

TEST_CASE("sliding-window layers: p - 1 windowed, then one full, per group of p", "[descriptions][model]") {
  // Gemma 3 1B: 26 layers, 5 local : 1 global → full layers 6, 12, 18, 24 (1-based).
  const model_spec g = find_model("gemma-3-1b").value();
  CHECK(window_layer_count(g) == 22);
  CHECK_FALSE(is_window_layer(g, 5));
  CHECK(is_window_layer(g, 0));
  CHECK(is_window_layer(g, 25));  // the last group is cut short: all windowed
  model_spec m = g;
  m.sliding_pattern = 1;  // every layer windowed (Mistral v0.1 style)
  CHECK(window_layer_count(m) == m.layers);
  m.sliding_window = 0;  // no window at all, whatever the pattern
  CHECK(window_layer_count(m) == 0);
  CHECK_FALSE(is_window_layer(m, 0));
}

TEST_CASE("MoE layers: every sparse_step-th layer", "[descriptions][model]") {
  const model_spec mix = find_model("mixtral-8x7b").value();
  CHECK(moe_layer_count(mix) == 32);
  model_spec m = mix;
  m.moe.sparse_step = 2;
  CHECK(moe_layer_count(m) == 16);
  CHECK_FALSE(is_moe_layer(m, 0));
  CHECK(is_moe_layer(m, 1));
  m.moe.experts = 0;  // dense
  CHECK(moe_layer_count(m) == 0);
  CHECK_FALSE(m.moe.enabled());
}
