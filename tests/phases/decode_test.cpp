// The closed-form decode total against a brute-force loop over steps.
#include <catch2/catch.hpp>

#include <random>

#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/phases/decode.hpp"
#include "../support/test_specs.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

namespace {

// Σ over k = 1 … O − 1 of the full step evaluation at context I + k.
double brute_force(const model_spec& m, const quant_spec& q, const runtime_spec& r,
                   const device_state<double>& d, std::int64_t seqs, std::int64_t prompts,
                   std::int64_t shared, std::int64_t I, std::int64_t O, dtype kv,
                   double* flops = nullptr) {
  double t = 0, f = 0;
  for (std::int64_t k = 1; k <= O - 1; ++k) {
    step_shape s{};
    s.seqs = seqs;
    s.prompts = prompts;
    s.shared_prompt = shared;
    s.new_tokens = 1;
    s.context = I + k;
    s.decode = true;
    const auto st = step_cost(m, q, r, d, s, kv);
    t += st.time_s;
    f += st.flops;
  }
  if (flops) *flops = f;
  return t;
}

}  // namespace

TEST_CASE("Closed-form decode total equals the brute-force loop", "[phases][decode]") {
  std::mt19937_64 rng(20261122);
  const auto models = model_catalog();
  const char* quants[] = {"bf16", "fp16", "w4a16", "q4_k_m", "w8a8-int8", "bnb-nf4"};
  auto dev = test::toy_gpu();
  dev.mem_latency_s = {1e-6};
  dev.launch_overhead_s = {4e-6};
  dev.graph_node_overhead_s = {1e-6};
  for (int trial = 0; trial < 60; ++trial) {
    const model_spec& m = models[rng() % models.size()];
    const quant_spec q = find_quant(quants[rng() % 6]).value();
    auto r = test::toy_runtime();
    r.attn_kv_block = std::array<int, 4>{1, 16, 64, 256}[rng() % 4];
    r.graphs_decode = rng() % 2;
    r.host_per_launch_s = {std::uniform_real_distribution<double>(0, 2e-4)(rng)};
    r.host_per_step_s = {std::uniform_real_distribution<double>(0, 1e-2)(rng)};
    r.host_per_seq_s = {std::uniform_real_distribution<double>(0, 1e-3)(rng)};
    r.prefix_sharing = rng() % 2;
    r.tiles[1] = gemm_tile{16, 64, 2, 0.4};
    r.tile_count = 2;
    const auto d = resolve(dev, static_cast<int>(rng() % 2));
    const std::int64_t b = 1 + static_cast<std::int64_t>(rng() % 4);
    const std::int64_t n = 1 + static_cast<std::int64_t>(rng() % 4);
    const std::int64_t I = 1 + static_cast<std::int64_t>(rng() % 1500);
    const std::int64_t O = 1 + static_cast<std::int64_t>(rng() % 1200);
    const bool share = r.prefix_sharing && n > 1;
    CAPTURE(m.id.view(), q.id.view(), r.attn_kv_block, r.graphs_decode, b, n, I, O);
    const auto plan = make_decode_plan(m, q, r, d, b * n, b, share ? I : 0, I + 1, dtype::fp16);
    const auto total = decode_total(plan, I, O);
    double flops = 0;
    const double ref = brute_force(m, q, r, d, b * n, b, share ? I : 0, I, O, dtype::fp16, &flops);
    CHECK(total.steps == O - 1);
    if (O > 1) {
      CHECK_THAT(total.time_s, WithinRel(ref, 1e-9));
      CHECK_THAT(total.flops, WithinRel(flops, 1e-9));
    } else {
      CHECK(total.time_s == 0);
    }
  }
}

TEST_CASE("Decode plan step equals the full step evaluation", "[phases][decode]") {
  const auto m = find_model("gemma-3-1b").value();  // sliding-window layers: two groups
  const auto q = find_quant("bf16").value();
  auto r = test::toy_runtime();
  r.attn_kv_block = 16;
  const auto d = resolve(test::toy_gpu());
  const auto plan = make_decode_plan(m, q, r, d, 2, 2, 0, 10, dtype::bf16);
  CHECK(plan.group_count == 2);
  for (std::int64_t c : {10, 11, 511, 512, 513, 600, 5000}) {
    CAPTURE(c);
    step_shape s{};
    s.seqs = 2;
    s.prompts = 2;
    s.new_tokens = 1;
    s.context = c;
    s.decode = true;
    CHECK_THAT(plan.step_at(c), WithinRel(step_cost(m, q, r, d, s, dtype::bf16).time_s, 1e-12));
  }
}

TEST_CASE("Decode cost is independent of O (no loop over O)", "[phases][decode]") {
  // The closed form evaluates the device time at O(breakpoints) points; for
  // O = 32768 the result still equals the brute-force sum.
  const auto m = find_model("qwen2.5-0.5b").value();
  const auto q = find_quant("fp16").value();
  auto r = test::toy_runtime();
  r.attn_kv_block = 16;
  r.host_per_launch_s = {5e-5};
  const auto d = resolve(test::toy_gpu());
  const auto plan = make_decode_plan(m, q, r, d, 1, 1, 0, 101, dtype::fp16);
  const auto total = decode_total(plan, 100, 32768);
  CHECK_THAT(total.time_s, WithinRel(brute_force(m, q, r, d, 1, 1, 0, 100, 32768, dtype::fp16), 1e-9));
}

TEST_CASE("Decode grows linearly with context through KV reads", "[phases][decode]") {
  const auto m = find_model("llama-3.1-8b").value();
  const auto q = find_quant("bf16").value();
  const auto r = test::toy_runtime();
  const auto d = resolve(test::toy_gpu());
  const auto plan = make_decode_plan(m, q, r, d, 1, 1, 0, 2, dtype::bf16);
  // KV per token: 2 × 32 layers × 8 heads × 128 × 2 B = 131072 B at 100 GB/s.
  const double per_token = 131072.0 / 100e9;
  CHECK_THAT(plan.step_at(2001) - plan.step_at(1001), WithinRel(1000 * per_token, 1e-6));
}
