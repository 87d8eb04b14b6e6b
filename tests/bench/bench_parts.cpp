// Benchmarks of the pieces of a request estimate, for DSR1-Qwen-14B BF16 on
// the AGX Orin 64GB (MAXN) with vLLM at I = 512: one prefill step, one decode
// step, the decode plan, the closed-form decode total, weight bytes and the
// memory footprint, in double and float. See docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "bench_common.hpp"
#include "edgeperf/accounting/memory.hpp"
#include "edgeperf/accounting/weights.hpp"
#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/phases/decode.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/phases/step.hpp"

namespace {

using edgeperf::bench::bench_case;
using edgeperf::bench::orin_case;

bench_case qwen14() { return orin_case("dsr1-qwen-14b", "bf16", 512, 1024); }

// The prefill step of I = 512 tokens (step_cost: step_ops + per-op costs).
template <class T>
void BM_prefill_step(benchmark::State& state) {
  bench_case c = qwen14();
  const auto d = edgeperf::resolve<T>(c.d, c.mode);
  const edgeperf::dtype kv = edgeperf::case_kv_dtype(c.w, c.q, c.r);
  edgeperf::step_shape s{};
  s.seqs = 1;
  s.prompts = 1;
  s.new_tokens = c.w.input_tokens;
  s.context = c.w.input_tokens;
  s.all_logits = !c.r.last_position_logits;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    auto r = edgeperf::step_cost(c.m, c.q, c.r, d, s, kv);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_TEMPLATE(BM_prefill_step, double);
BENCHMARK_TEMPLATE(BM_prefill_step, float);

// One decode step at context I + 1.
template <class T>
void BM_decode_step(benchmark::State& state) {
  bench_case c = qwen14();
  const auto d = edgeperf::resolve<T>(c.d, c.mode);
  const edgeperf::dtype kv = edgeperf::case_kv_dtype(c.w, c.q, c.r);
  edgeperf::step_shape s{};
  s.seqs = 1;
  s.prompts = 1;
  s.new_tokens = 1;
  s.context = c.w.input_tokens + 1;
  s.decode = true;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    auto r = edgeperf::step_cost(c.m, c.q, c.r, d, s, kv);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_TEMPLATE(BM_decode_step, double);
BENCHMARK_TEMPLATE(BM_decode_step, float);

// The op list of one decode step alone (accounting, no costs).
void BM_decode_step_ops(benchmark::State& state) {
  bench_case c = qwen14();
  const edgeperf::dtype kv = edgeperf::case_kv_dtype(c.w, c.q, c.r);
  edgeperf::step_shape s{};
  s.new_tokens = 1;
  s.context = c.w.input_tokens + 1;
  s.decode = true;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    auto ops = edgeperf::step_ops(c.m, c.q, c.r, s, kv);
    benchmark::DoNotOptimize(ops);
  }
}
BENCHMARK(BM_decode_step_ops);

// The decode plan (context-independent part + attention coefficients).
template <class T>
void BM_decode_plan(benchmark::State& state) {
  bench_case c = qwen14();
  const auto d = edgeperf::resolve<T>(c.d, c.mode);
  const edgeperf::dtype kv = edgeperf::case_kv_dtype(c.w, c.q, c.r);
  std::int64_t context = c.w.input_tokens + 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(context);
    auto p = edgeperf::make_decode_plan(c.m, c.q, c.r, d, 1, 1, 0, context, kv);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK_TEMPLATE(BM_decode_plan, double);
BENCHMARK_TEMPLATE(BM_decode_plan, float);

// The exact decode total from a ready plan, O = range(0).
template <class T>
void BM_decode_total(benchmark::State& state) {
  bench_case c = qwen14();
  const auto d = edgeperf::resolve<T>(c.d, c.mode);
  const edgeperf::dtype kv = edgeperf::case_kv_dtype(c.w, c.q, c.r);
  const auto p = edgeperf::make_decode_plan(c.m, c.q, c.r, d, 1, 1, 0, c.w.input_tokens + 1, kv);
  std::int64_t input = c.w.input_tokens, output = state.range(0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(input);
    benchmark::DoNotOptimize(output);
    auto t = edgeperf::decode_total(p, input, output);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK_TEMPLATE(BM_decode_total, double)->ArgName("O")->Arg(128)->Arg(32768);
BENCHMARK_TEMPLATE(BM_decode_total, float)->ArgName("O")->Arg(128)->Arg(32768);

// Weight bytes of the whole model (BF16 uniform and the per-layer Q4_K_M recipe).
void BM_count_weight_bytes(benchmark::State& state, const char* quant) {
  bench_case c = orin_case("dsr1-qwen-14b", quant, 512, 1024);
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.m);
    auto w = edgeperf::count_weight_bytes(c.m, c.q);
    benchmark::DoNotOptimize(w);
  }
}
BENCHMARK_CAPTURE(BM_count_weight_bytes, bf16, "bf16");
BENCHMARK_CAPTURE(BM_count_weight_bytes, q4_k_m, "q4_k_m");

// The memory footprint (weights + KV + activations) of I = 512, O = 1024.
void BM_estimate_memory(benchmark::State& state) {
  bench_case c = qwen14();
  const edgeperf::dtype kv = edgeperf::case_kv_dtype(c.w, c.q, c.r);
  const double budget = c.d.memory_bytes.value - c.d.reserved_bytes.value;
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.w);
    auto f = edgeperf::estimate_memory(c.m, c.q, c.w, kv, !c.r.last_position_logits, budget);
    benchmark::DoNotOptimize(f);
  }
}
BENCHMARK(BM_estimate_memory);

// Validation alone (builds id strings; part of estimate_request).
void BM_validate_case(benchmark::State& state) {
  bench_case c = qwen14();
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.w);
    auto ok = edgeperf::validate_case(c.m, c.q, c.d, c.mode, c.r, c.w);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_validate_case);

}  // namespace
