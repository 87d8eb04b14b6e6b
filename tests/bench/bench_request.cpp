// Whole-request benchmarks: `estimate_request` (validation + prefill + exact
// decode total + memory) and `estimate_unchecked`, for DSR1-Qwen-14B BF16 on
// the AGX Orin 64GB (MAXN) with vLLM at I = 512 and O from 16 to 32 768, plus
// batched/sampled, sliding-window and MoE cases and a sweep-like loop over
// 1000 configurations. Results and how to rerun: docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "bench_common.hpp"
#include "edgeperf/phases/request.hpp"

namespace {

using edgeperf::bench::bench_case;
using edgeperf::bench::orin_case;

/// estimate_request<T> for `c`; range(0) is O when `vary_o`.
template <class T>
void run_request(benchmark::State& state, bench_case c) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.w);  // the workload is opaque: no constant folding
    auto e = edgeperf::estimate_request<T>(c.m, c.q, c.d, c.mode, c.r, c.w);
    benchmark::DoNotOptimize(e);
  }
}

template <class T>
void run_unchecked(benchmark::State& state, bench_case c) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.w);
    auto e = edgeperf::estimate_unchecked<T>(c.m, c.q, c.d, c.mode, c.r, c.w);
    benchmark::DoNotOptimize(e);
  }
}

// DSR1-Qwen-14B BF16, AGX Orin 64GB MAXN, vLLM, I = 512, O = range(0).
template <class T>
void BM_request_dsr1_qwen_14b(benchmark::State& state) {
  run_request<T>(state, orin_case("dsr1-qwen-14b", "bf16", 512, static_cast<int>(state.range(0))));
}
BENCHMARK_TEMPLATE(BM_request_dsr1_qwen_14b, double)->ArgName("O")->Arg(16)->Arg(128)->Arg(1024)->Arg(32768);
BENCHMARK_TEMPLATE(BM_request_dsr1_qwen_14b, float)->ArgName("O")->Arg(128)->Arg(32768);

template <class T>
void BM_unchecked_dsr1_qwen_14b(benchmark::State& state) {
  run_unchecked<T>(state, orin_case("dsr1-qwen-14b", "bf16", 512, static_cast<int>(state.range(0))));
}
BENCHMARK_TEMPLATE(BM_unchecked_dsr1_qwen_14b, double)->ArgName("O")->Arg(128)->Arg(32768);
BENCHMARK_TEMPLATE(BM_unchecked_dsr1_qwen_14b, float)->ArgName("O")->Arg(128)->Arg(32768);

// The same request with its per-op breakdown (request_options::breakdown),
// and on the straightforward reference path (estimate_reference).
void BM_request_dsr1_qwen_14b_breakdown(benchmark::State& state) {
  const bench_case c = orin_case("dsr1-qwen-14b", "bf16", 512, 1024);
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.w);
    auto e = edgeperf::estimate_request<double>(c.m, c.q, c.d, c.mode, c.r, c.w, {.breakdown = true});
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_request_dsr1_qwen_14b_breakdown);

void BM_reference_dsr1_qwen_14b(benchmark::State& state) {
  const bench_case c = orin_case("dsr1-qwen-14b", "bf16", 512, 1024);
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.w);
    auto e = edgeperf::estimate_reference<double>(c.m, c.q, c.d, c.mode, c.r, c.w);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_reference_dsr1_qwen_14b);

// Batch 8 × 4 parallel samples (test-time scaling), I = 512, O = 1024.
void BM_request_dsr1_qwen_14b_b8_n4(benchmark::State& state) {
  run_request<double>(state, orin_case("dsr1-qwen-14b", "bf16", 512, 1024, 8, 4));
}
BENCHMARK(BM_request_dsr1_qwen_14b_b8_n4);

// GGUF Q4_K_M (per-layer recipe) with llama.cpp, I = 512, O = 1024.
void BM_request_dsr1_qwen_14b_q4_k_m(benchmark::State& state) {
  run_request<double>(state,
                      orin_case("dsr1-qwen-14b", "q4_k_m", 512, 1024, 1, 1, "llama.cpp"));
}
BENCHMARK(BM_request_dsr1_qwen_14b_q4_k_m);

// Gemma-3-1B: 5 of 6 layers sliding-window (two attention groups); I + O up to
// its 32 768-token context.
void BM_request_gemma_3_1b(benchmark::State& state) {
  run_request<double>(state, orin_case("gemma-3-1b", "bf16", 512, static_cast<int>(state.range(0))));
}
BENCHMARK(BM_request_gemma_3_1b)->ArgName("O")->Arg(1024)->Arg(32256);

// Mixtral-8x7B (MoE, 8 experts top-2), 4-bit AWQ-style weights, O = 1024.
void BM_request_mixtral_8x7b(benchmark::State& state) {
  run_request<double>(state, orin_case("mixtral-8x7b", "w4a16", 512, 1024));
}
BENCHMARK(BM_request_mixtral_8x7b);

// Two models in turn (DSR1-Qwen-14B and -7B, bf16, O = 1024): every call
// misses the per-thread (model, quant) memo (`model_quant_recent`) and walks
// the weights, as a loop over many models does. Time per request.
void BM_request_alternating_models(benchmark::State& state) {
  const bench_case a = orin_case("dsr1-qwen-14b", "bf16", 512, 1024);
  const bench_case b = orin_case("dsr1-qwen-7b", "bf16", 512, 1024);
  bool first = true;
  for (auto _ : state) {
    const bench_case& c = first ? a : b;
    first = !first;
    benchmark::DoNotOptimize(c.w);
    auto e = edgeperf::estimate_request<double>(c.m, c.q, c.d, c.mode, c.r, c.w);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_request_alternating_models);

/// A sweep's configurations: every valid combination of a few models,
/// formats, runtimes, prompt and output lengths on the AGX Orin, cycled to
/// exactly 1000.
std::vector<bench_case> sweep_cases() {
  using namespace edgeperf;
  const device_spec dev = bench::must(find_device("agx-orin-64gb"), "agx-orin-64gb");
  std::vector<bench_case> all;
  for (const char* model : {"dsr1-qwen-1.5b", "dsr1-qwen-7b", "dsr1-qwen-14b", "llama-3.2-3b",
                            "gemma-3-1b", "mixtral-8x7b"})
    for (const char* quant : {"bf16", "fp16", "w4a16", "w8a16", "q4_k_m"})
      for (const char* runtime : {"vllm", "llama.cpp", "mlc", "trtllm", "hf-eager"})
        for (int mode = 0; mode < dev.mode_count; ++mode)
          for (int input : {128, 512, 2048})
            for (int output : {128, 1024, 8192}) {
              bench_case c{bench::must(find_model(model), model),
                           bench::must(find_quant(quant), quant), dev, mode,
                           bench::must(find_runtime(runtime), runtime),
                           workload{1, 1, input, output, {}}};
              if (validate_case(c.m, c.q, c.d, c.mode, c.r, c.w)) all.push_back(c);
            }
  std::vector<bench_case> cases;
  // Spread the 1000 picks over the whole grid (stride through it).
  const std::size_t n = 1000;
  for (std::size_t i = 0; i < n; ++i) cases.push_back(all[(i * all.size()) / n]);
  return cases;
}

// 1000 validated request estimates per iteration; reports configurations/s.
void BM_sweep_1000(benchmark::State& state) {
  const std::vector<bench_case> cases = sweep_cases();
  for (auto _ : state) {
    for (const bench_case& c : cases) {
      auto e = edgeperf::estimate_request<double>(c.m, c.q, c.d, c.mode, c.r, c.w);
      benchmark::DoNotOptimize(e);
    }
  }
  state.counters["configs_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(cases.size()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_sweep_1000)->Unit(benchmark::kMillisecond);

}  // namespace
