// Request-level definitions (the CLI's columns) and validation.
#include <catch2/catch.hpp>

#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/request.hpp"
#include "../support/test_specs.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

TEST_CASE("Request totals follow their definitions", "[phases][request]") {
  const auto m = find_model("dsr1-qwen-1.5b").value();
  const auto q = find_quant("bf16").value();
  const auto dev = test::toy_gpu();
  auto r = test::toy_runtime();
  r.host_per_step_s = {1e-3};
  workload w{};
  w.batch = 2;
  w.samples = 3;
  w.input_tokens = 300;
  w.output_tokens = 50;
  const auto e = estimate_request(m, q, dev, 0, r, w).value();
  CHECK_THAT(e.ttft_s, WithinRel(e.prefill.time_s, 1e-15));
  CHECK_THAT(e.total_s, WithinRel(e.ttft_s + e.decode_s, 1e-15));
  CHECK_THAT(e.tpot_s, WithinRel(e.decode_s / 49, 1e-15));
  CHECK_THAT(e.output_tokens_per_s, WithinRel(2.0 * 3 * 50 / e.total_s, 1e-15));
  CHECK(e.decode_steps == 49);
  CHECK(e.memory.fits);
  CHECK_THAT(e.cold_start_s, WithinRel(e.memory.weights_bytes / 1e9, 1e-12));
  // Without prefix sharing every sample is prefilled: 6 sequences instead of 2.
  CHECK(e.prefill.flops > 0);
  r.prefix_sharing = true;
  const auto shared = estimate_request(m, q, dev, 0, r, w).value();
  CHECK(shared.prefill.flops < e.prefill.flops);
  CHECK(shared.memory.kv_cache_bytes < e.memory.kv_cache_bytes);
}

TEST_CASE("O = 1 has no decode steps", "[phases][request]") {
  const auto e = estimate_request(find_model("qwen2.5-0.5b").value(), find_quant("fp16").value(),
                                  test::toy_gpu(), 0, test::toy_runtime(),
                                  workload{1, 1, 64, 1, {}})
                     .value();
  CHECK(e.decode_s == 0);
  CHECK(e.tpot_s == 0);
  CHECK(e.total_s == e.ttft_s);
}

TEST_CASE("Invalid and unsupported cases are error values", "[phases][request]") {
  const auto m = find_model("qwen2.5-0.5b").value();
  const auto dev = test::toy_gpu();  // no FP8 tensor cores
  const auto r = test::toy_runtime();
  auto bad_batch = estimate_request(m, find_quant("fp16").value(), dev, 0, r, workload{0, 1, 8, 8, {}});
  REQUIRE_FALSE(bad_batch);
  CHECK(bad_batch.error_value().code == errc::invalid_argument);
  CHECK_THAT(bad_batch.error_value().message, Catch::Matchers::Contains("batch"));
  auto fp8 = estimate_request(m, find_quant("fp8").value(), dev, 0, r, workload{});
  REQUIRE_FALSE(fp8);
  CHECK(fp8.error_value().code == errc::unsupported);
  CHECK_THAT(fp8.error_value().message, Catch::Matchers::Contains("FP8"));
  auto too_long = estimate_request(m, find_quant("fp16").value(), dev, 0, r, workload{1, 1, 30000, 5000, {}});
  REQUIRE_FALSE(too_long);
  CHECK_THAT(too_long.error_value().message, Catch::Matchers::Contains("max context"));
  auto bad_mode = estimate_request(m, find_quant("fp16").value(), dev, 7, r, workload{});
  REQUIRE_FALSE(bad_mode);
}

TEST_CASE("Latency is monotonic in input, output, batch and samples", "[phases][request]") {
  const auto m = find_model("llama-3.2-1b").value();
  const auto q = find_quant("w4a16").value();
  const auto dev = test::toy_gpu();
  auto r = test::toy_runtime();
  r.tiles[1] = gemm_tile{16, 64, 2, 0.4};
  r.tile_count = 2;
  auto total = [&](int b, int n, int I, int O) {
    return estimate_request(m, q, dev, 0, r, workload{b, n, I, O, {}}).value().total_s;
  };
  CHECK(total(1, 1, 100, 100) <= total(1, 1, 200, 100));
  CHECK(total(1, 1, 100, 100) <= total(1, 1, 100, 200));
  CHECK(total(1, 1, 100, 100) <= total(2, 1, 100, 100));
  CHECK(total(1, 1, 100, 100) <= total(1, 2, 100, 100));
  // A slower power mode is never faster.
  CHECK(estimate_request(m, q, dev, 0, r, workload{1, 1, 100, 100, {}}).value().total_s <=
        estimate_request(m, q, dev, 1, r, workload{1, 1, 100, 100, {}}).value().total_s);
}

TEST_CASE("Request estimate in float agrees with double", "[phases][scalar]") {
  const auto m = find_model("dsr1-qwen-14b").value();
  const auto q = find_quant("bf16").value();
  const workload w{1, 1, 512, 1024, {}};
  const auto ed = estimate_request<double>(m, q, test::toy_gpu(), 0, test::toy_runtime(), w).value();
  const auto ef = estimate_request<float>(m, q, test::toy_gpu(), 0, test::toy_runtime(), w).value();
  CHECK_THAT(static_cast<double>(ef.total_s), WithinRel(ed.total_s, 1e-4));
  CHECK_THAT(static_cast<double>(ef.ttft_s), WithinRel(ed.ttft_s, 1e-4));
}

// Issue 11: batched decode comes from the ops (small-M GEMMs, attention over
// each sequence's KV, sampler, host work per sequence), not a constant.
TEST_CASE("Batch-8 W4A16 decode on AGX Orin is physically sensible", "[request][batch]") {
  const auto m = edgeperf::find_model("dsr1-llama-8b").value();
  const auto q = edgeperf::find_quant("w4a16").value();
  const auto d = edgeperf::find_device("agx-orin-64gb").value();
  const auto r = edgeperf::find_runtime("vllm").value();
  edgeperf::workload w1{1, 1, 128, 256, {}};
  edgeperf::workload w8{8, 1, 128, 256, {}};
  const auto e1 = edgeperf::estimate_request(m, q, d, 0, r, w1).value();
  const auto e8 = edgeperf::estimate_request(m, q, d, 0, r, w8).value();
  const double tps1 = 1.0 / e1.tpot_s, tps8 = 8.0 / e8.tpot_s;
  CAPTURE(tps1, tps8, e1.tpot_s, e8.tpot_s);
  // Weight streaming dominates a 4-bit 8B step at batch 1: eight sequences
  // share it, so throughput rises far more than 2x but cannot exceed 8x,
  // and a batch-8 step is never faster than a batch-1 step.
  CHECK(tps8 > 3.0 * tps1);
  CHECK(tps8 <= 8.0 * tps1);
  CHECK(e8.tpot_s >= e1.tpot_s);
}

TEST_CASE("One more parallel sample costs more on a bigger model", "[request][batch]") {
  const auto q = edgeperf::find_quant("bf16").value();
  const auto d = edgeperf::find_device("agx-orin-64gb").value();
  const auto r = edgeperf::find_runtime("vllm").value();
  const auto marginal = [&](const char* id) {
    const auto m = edgeperf::find_model(id).value();
    const auto a = edgeperf::estimate_request(m, q, d, 0, r, edgeperf::workload{1, 8, 128, 128, {}}).value();
    const auto b = edgeperf::estimate_request(m, q, d, 0, r, edgeperf::workload{1, 16, 128, 128, {}}).value();
    return (b.tpot_s - a.tpot_s) / 8.0;
  };
  const double small = marginal("dsr1-qwen-1.5b"), big = marginal("dsr1-qwen-14b");
  CAPTURE(small, big);
  CHECK(small > 0);
  CHECK(big > small);
}
