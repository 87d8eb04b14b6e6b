// Cost-model pieces (cost/op_cost.hpp) against hand-derived expectations.
// (Whole steps: phases/step_test.)
#include <catch2/catch.hpp>

#include "edgeperf/cost/op_cost.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "../support/test_specs.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

namespace {
op_instance gemm(std::int64_t m, std::int64_t n, std::int64_t k) {
  op_instance op{};
  op.kind = op_kind::gemm;
  op.m = m;
  op.n = n;
  op.k = k;
  op.math = dtype::fp16;
  op.flops = 2.0 * m * n * k;
  return op;  // no bytes: compute only
}
}  // namespace

TEST_CASE("GEMM staircase: flat within a tile, one step per extra wave", "[cost][gemm]") {
  const auto d = resolve(test::toy_gpu());
  const auto r = test::toy_runtime();
  // N = 512 → 4 tile columns; S = 4 SMs, 1 CTA each → 4 tiles per wave.
  // One tile: 2·128·128·K FLOP at 1e12 FLOP/s per SM. K = 1000 → 32.768 µs.
  const double tile_s = 2.0 * 128 * 128 * 1000 / 1e12;
  for (int m : {1, 17, 64, 127, 128}) {
    CAPTURE(m);
    const auto c = gemm_cost(gemm(m, 512, 1000), d, r);
    CHECK_THAT(c.compute_s, WithinRel(tile_s, 1e-12));  // one wave of 4 tiles
    CHECK(c.binds == bound::compute);
  }
  for (int m : {129, 200, 256}) {
    CAPTURE(m);
    CHECK_THAT(gemm_cost(gemm(m, 512, 1000), d, r).compute_s, WithinRel(2 * tile_s, 1e-12));
  }
  CHECK_THAT(gemm_cost(gemm(257, 512, 1000), d, r).compute_s, WithinRel(3 * tile_s, 1e-12));
  // More tile columns than SMs: N = 640 → 5 columns → 5 tiles → 2 waves already at M = 1.
  CHECK_THAT(gemm_cost(gemm(1, 640, 1000), d, r).compute_s, WithinRel(2 * tile_s, 1e-12));
}

TEST_CASE("GEMM heuristic picks the faster tile; tile efficiency counts", "[cost][gemm]") {
  const auto d = resolve(test::toy_gpu());
  auto r = test::toy_runtime();
  r.tiles[1] = gemm_tile{16, 128, 1, 0.5};
  r.tile_count = 2;
  // M = 1: the 16-row tile at half efficiency: 2·16·128·K / (0.5e12) = 1/4 of the big tile.
  const double big = 2.0 * 128 * 128 * 1000 / 1e12;
  const auto c = gemm_cost(gemm(1, 512, 1000), d, r);
  CHECK_THAT(c.compute_s, WithinRel(big / 4, 1e-12));
  CHECK(c.tile.m == 16);
  // M = 128: eight 16-row tile rows (8 waves) at half rate lose to one big wave.
  const auto c2 = gemm_cost(gemm(128, 512, 1000), d, r);
  CHECK(c2.tile.m == 128);
  CHECK_THAT(c2.compute_s, WithinRel(big, 1e-12));
}

TEST_CASE("GEMM memory time and the binding bound", "[cost][gemm]") {
  const auto d = resolve(test::toy_gpu());
  const auto r = test::toy_runtime();
  op_instance op = gemm(1, 512, 1000);
  op.weight_bytes = 512.0 * 1000 * 2;  // 1.024 MB at 100 GB/s = 10.24 µs
  op.act_bytes = 2.0 * (512 + 1000);   // from DRAM too (no L2 in the toy)
  const auto c = gemm_cost(op, d, r);
  CHECK_THAT(c.memory_s, WithinRel((op.weight_bytes + op.act_bytes) / 100e9, 1e-12));
  CHECK(c.binds == bound::compute);  // 32.8 µs of padded compute > 10.3 µs of bytes
  op.weight_bytes *= 10;
  CHECK(gemm_cost(op, d, r).binds == bound::memory);
}

TEST_CASE("Dequant work adds CUDA-core time per tile", "[cost][gemm]") {
  const auto d = resolve(test::toy_gpu());
  const auto r = test::toy_runtime();
  op_instance op = gemm(1, 512, 1000);
  op.dequant_ops = 4.0 * 512 * 1000;  // 4 ops per weight
  // Per tile: 128·K·4 ops at 200 GFLOP/s per SM (fp16 CUDA cores) on top of the MMA.
  const double tile_s = 2.0 * 128 * 128 * 1000 / 1e12 + 128.0 * 1000 * 4 / 200e9;
  CHECK_THAT(gemm_cost(op, d, r).compute_s, WithinRel(tile_s, 1e-12));
}

TEST_CASE("Prefill attention: flash executes query blocks, materialized the full square",
          "[cost][attention]") {
  const auto d = resolve(test::toy_gpu());
  auto r = test::toy_runtime();
  op_instance a{};
  a.kind = op_kind::attention;
  a.math = dtype::fp16;
  a.att = attention_shape{1, 8, 2, 64, 256, 256, 0, 0, true};
  // Flash, Bq = 128: blocks see 128 and 256 keys → exec keys = 128·(128 + 256) = 49152.
  const double flash_flops = 4.0 * 8 * 64 * 128 * (128 + 256);
  CHECK_THAT(attention_cost(a, d, r, false, 256).compute_s, WithinRel(flash_flops / 4e12, 1e-12));
  r.attention = attention_kind::materialized;
  const double full_flops = 4.0 * 8 * 64 * 256 * 256;
  CHECK_THAT(attention_cost(a, d, r, false, 256).compute_s, WithinRel(full_flops / 4e12, 1e-12));
}

TEST_CASE("Decode attention reads the padded KV cache", "[cost][attention]") {
  const auto d = resolve(test::toy_gpu());
  auto r = test::toy_runtime();
  r.attn_kv_block = 16;
  op_instance a{};
  a.kind = op_kind::attention;
  a.att = attention_shape{1, 8, 2, 64, 1, 100, 0, 0, true};
  a.kv_read_bytes = 100.0 * 2 * 2 * 64 * 2;  // 100 tokens × K,V × 2 heads × 64 × 2 B
  const auto c = attention_cost(a, d, r, true, 100);
  // Padded to 112 tokens.
  CHECK_THAT(c.memory_s, WithinRel(112.0 * 2 * 2 * 64 * 2 / 100e9, 1e-12));
  CHECK(padded_kv(100, 16, 0) == 112);
  CHECK(padded_kv(100, 16, 64) == 64);
}

TEST_CASE("Power modes scale compute, bandwidth and host time", "[cost][modes]") {
  const auto dev = test::toy_gpu();
  const auto full = resolve(dev, 0), half = resolve(dev, 1);
  CHECK_THAT(half.tensor_fp16_sm, WithinRel(full.tensor_fp16_sm / 2, 1e-12));
  CHECK_THAT(half.dram_bytes_per_s, WithinRel(full.dram_bytes_per_s / 2, 1e-12));
  CHECK_THAT(half.host_scale, WithinRel(full.host_scale * 2, 1e-12));
  const auto r = test::toy_runtime();
  op_instance op = gemm(512, 512, 1000);
  CHECK_THAT(gemm_cost(op, half, r).compute_s, WithinRel(2 * gemm_cost(op, full, r).compute_s, 1e-12));
  op.weight_bytes = 1e9;
  CHECK_THAT(gemm_cost(op, half, r).memory_s, WithinRel(2 * gemm_cost(op, full, r).memory_s, 1e-12));
}

TEST_CASE("Cost model instantiates with float", "[cost][scalar]") {
  const auto df = resolve<float>(test::toy_gpu());
  const auto dd = resolve<double>(test::toy_gpu());
  const auto r = test::toy_runtime();
  op_instance op = gemm(300, 700, 900);
  op.weight_bytes = 1.26e6;
  CHECK_THAT(static_cast<double>(gemm_cost(op, df, r).time_s),
             WithinRel(gemm_cost(op, dd, r).time_s, 1e-5));
}
