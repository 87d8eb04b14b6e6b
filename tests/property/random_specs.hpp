#pragma once
// Random valid specs for the property tests: models in catalog-like ranges
// (GQA, sliding windows, MoE, biases, tied heads), catalog quant formats,
// runtimes, devices and power modes, and workloads. Fixed seeds only.
#include <algorithm>
#include <cstdint>
#include <random>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/descriptions/workload.hpp"

namespace edgeperf::test {

struct random_case {
  model_spec model{};
  quant_spec quant{};
  device_spec device{};
  int mode{0};
  runtime_spec runtime{};
  workload load{};
};

class spec_generator {
 public:
  explicit spec_generator(std::uint64_t seed) : rng_(seed) {}

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin(double p = 0.5) { return std::bernoulli_distribution(p)(rng_); }
  template <class A>
  const auto& pick(const A& a) {
    return a[static_cast<std::size_t>(uniform(0, static_cast<int>(a.size()) - 1))];
  }

  /// A decoder-only transformer in the ranges the catalog spans (0.5B..70B
  /// dense, MoE up to 64 experts), with random GQA, windows, biases.
  model_spec model() {
    model_spec m{};
    m.id = "random";
    m.family = "llama";
    m.layers = uniform(1, 64);
    const int head_dims[] = {64, 80, 96, 128, 256};
    m.head_dim = head_dims[uniform(0, 4)];
    m.kv_heads = 1 << uniform(0, 3);
    m.heads = m.kv_heads * (1 << uniform(0, 3));
    m.hidden = coin(0.7) ? m.heads * m.head_dim : 64 * uniform(8, 128);
    m.ffn = 64 * uniform(m.hidden / 64 + 1, 4 * m.hidden / 64 + 1);
    m.vocab = uniform(1000, 160000);
    m.max_context = coin(0.3) ? 0 : 1 << uniform(15, 20);
    m.mlp = coin(0.85) ? mlp_kind::gated : mlp_kind::plain;
    m.norm = coin(0.85) ? norm_kind::rms : norm_kind::layer;
    m.tied_embeddings = coin(0.3);
    m.qkv_bias = coin(0.3);
    m.o_bias = coin(0.1);
    m.mlp_bias = coin(0.1);
    m.lm_head_bias = coin(0.1);
    m.parallel_attn_mlp = coin(0.1);
    m.qk_norm = coin(0.2);
    m.norms_per_layer = uniform(1, 4);
    if (coin(0.3)) {
      m.sliding_window = 128 * uniform(1, 32);
      m.sliding_pattern = uniform(1, 6);
    }
    m.partial_rotary = coin(0.2) ? 0.4 : 1.0;
    if (coin(0.25)) {
      m.moe.experts = uniform(2, 64);
      m.moe.top_k = uniform(1, std::min(8, m.moe.experts));
      m.moe.expert_ffn = 64 * uniform(4, 64);
      m.moe.shared_ffn = coin(0.4) ? 64 * uniform(4, 64) : 0;
      m.moe.shared_expert_gate = m.moe.shared_ffn > 0 && coin();
      m.moe.sparse_step = uniform(1, 2);
      if (coin(0.3)) m.ffn = 0;  // every layer MoE needs no dense width
      if (m.ffn == 0) m.moe.sparse_step = 1;
      if (m.ffn > 0 && coin(0.3)) m.moe.first_dense = uniform(1, std::min(3, m.layers));  // DeepSeek
      m.moe.router_bias = coin(0.2);
    }
    if (coin(0.15)) {  // multi-head latent attention (DeepSeek-V2/V3 shapes)
      m.kv_heads = m.heads;
      m.mla.kv_lora_rank = 64 * uniform(2, 8);
      m.mla.q_lora_rank = coin() ? 64 * uniform(4, 24) : 0;
      m.mla.qk_nope_head_dim = 64 * uniform(1, 2);
      m.mla.qk_rope_head_dim = 32 * uniform(1, 2);
      m.mla.v_head_dim = 64 * uniform(1, 2);
      m.head_dim = m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim;
      m.partial_rotary = 1.0;
    }
    if (coin(0.1)) m.vision_params = std::int64_t{1000000} * uniform(50, 700);  // a vision tower
    return m;
  }

  /// Up to `max_tokens` of context (kept small enough for brute-force loops).
  workload load(int max_in = 4096, int max_out = 2048, int max_batch = 8, int max_samples = 8) {
    workload w{};
    w.batch = uniform(1, max_batch);
    w.samples = uniform(1, max_samples);
    w.input_tokens = uniform(1, max_in);
    w.output_tokens = uniform(1, max_out);
    if (coin(0.15)) w.kv_dtype = coin() ? dtype::fp8 : dtype::int8;
    return w;
  }

  random_case next() {
    random_case c{};
    c.model = model();
    c.quant = pick(quant_catalog_entries);
    c.device = pick(device_catalog_entries);
    c.mode = c.device.mode_count > 0 ? uniform(0, c.device.mode_count - 1) : 0;
    c.runtime = pick(runtime_catalog_entries);
    c.load = load();
    return c;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

}  // namespace edgeperf::test
