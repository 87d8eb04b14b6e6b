// Sweep and planner throughput (docs/performance.md): `sweep_map` over grids
// that vary only the output length, the input and output lengths, and every
// description axis, on one thread and on every core; and `enumerate_plans`
// as `edgeperf plan` runs it by default. Each reports `configs_per_s`
// (configurations, i.e. grid points or plan points, per second of CPU time
// on one thread; of wall time on several, where the main thread's CPU time
// would not count the workers).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "edgeperf/plan/accuracy.hpp"
#include "edgeperf/plan/planner.hpp"
#include "edgeperf/plan/sweep.hpp"

namespace {

using namespace edgeperf;

template <class T>
sweep_value<T> ok(std::string label, T v) {
  return sweep_value<T>{std::move(label), std::move(v), {}};
}

sweep_grid base_grid() {
  sweep_grid g;
  g.models = {ok("dsr1-qwen-14b", sweep_model{bench::must(find_model("dsr1-qwen-14b"), "model"), {}})};
  g.quants = {ok("bf16", std::optional<quant_spec>{bench::must(find_quant("bf16"), "quant")})};
  g.devices = {ok("agx-orin-64gb", bench::must(find_device("agx-orin-64gb"), "device"))};
  g.modes = {"MAXN"};
  g.runtimes = {ok("vllm", bench::must(find_runtime("vllm"), "runtime"))};
  return g;
}

/// One case, I = 512, O = 1 … 10 000: 10 000 points.
sweep_grid grid_o() {
  sweep_grid g = base_grid();
  g.input_tokens = {512};
  for (int o = 1; o <= 10000; ++o) g.output_tokens.push_back(o);
  return g;
}

/// The same case in the 15W mode, I = 512, O = 1, 11, … 9 991: 1 000 points.
/// Where the budget binds, `finish_request` finds each O's throttled decode
/// clock (phases/power_cap.hpp) instead of reusing the prepared plan.
sweep_grid grid_o_capped() {
  sweep_grid g = base_grid();
  g.modes = {"15W"};
  g.input_tokens = {512};
  for (int o = 1; o <= 10000; o += 10) g.output_tokens.push_back(o);
  return g;
}

/// One case, I ∈ 64 lengths, O ∈ 64 lengths: 4 096 points.
sweep_grid grid_io() {
  sweep_grid g = base_grid();
  for (int i = 0; i < 64; ++i) g.input_tokens.push_back(64 + 96 * i);
  for (int o = 0; o < 64; ++o) g.output_tokens.push_back(16 + 250 * o);
  return g;
}

/// Every description axis: 6 models × 5 formats × 2 devices × their modes
/// (3 named on each) × 4 runtimes × batch {1, 8} × samples {1, 4} × I {128, 2048}
/// × O {128, 1024, 8192}; invalid combinations are error rows (they count).
sweep_grid grid_full() {
  sweep_grid g;
  for (const char* m : {"dsr1-qwen-1.5b", "dsr1-qwen-7b", "dsr1-qwen-14b", "llama-3.2-3b", "gemma-3-1b",
                        "mixtral-8x7b"})
    g.models.push_back(ok(m, sweep_model{bench::must(find_model(m), m), {}}));
  for (const char* q : {"bf16", "fp16", "w4a16", "w8a16", "q4_k_m"})
    g.quants.push_back(ok(q, std::optional<quant_spec>{bench::must(find_quant(q), q)}));
  for (const char* d : {"agx-orin-64gb", "orin-nano-8gb"}) g.devices.push_back(ok(d, bench::must(find_device(d), d)));
  g.modes = {""};
  for (const char* r : {"vllm", "llama.cpp", "mlc", "trtllm"}) g.runtimes.push_back(ok(r, bench::must(find_runtime(r), r)));
  g.batches = {1, 8};
  g.samples = {1, 4};
  g.input_tokens = {128, 2048};
  g.output_tokens = {128, 1024, 8192};
  return g;
}

/// range(0) threads (0 = every core the work pays for); every point's total_s is summed.
void run_sweep_bench(benchmark::State& state, const sweep_grid& g) {
  const auto threads = static_cast<unsigned>(state.range(0));
  const sweep_options o{threads, 0};
  for (auto _ : state) {
    double sum = 0;
    sweep_map(g, o, [](const sweep_row& r) { return r.estimate ? r.estimate->total_s : 0.0; },
              [&](double v) { sum += v; });
    benchmark::DoNotOptimize(sum);
  }
  state.counters["configs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * g.size(), benchmark::Counter::kIsRate);
  // 0: every core the grid's work pays for (sweep_map's automatic count).
  state.counters["threads"] =
      threads > 0 ? threads
                  : std::min(std::max(1u, std::thread::hardware_concurrency()),
                             edgeperf::detail::sweep::useful_threads(static_cast<std::size_t>(g.size()),
                                                                     g.output_tokens.size()));
}

void BM_sweep_o(benchmark::State& state) { run_sweep_bench(state, grid_o()); }
void BM_sweep_o_capped(benchmark::State& state) { run_sweep_bench(state, grid_o_capped()); }
void BM_sweep_io(benchmark::State& state) { run_sweep_bench(state, grid_io()); }
void BM_sweep_full(benchmark::State& state) { run_sweep_bench(state, grid_full()); }
// 1 thread: CPU time; every core (0): wall time.
BENCHMARK(BM_sweep_o)->ArgName("threads")->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sweep_o)->ArgName("threads")->Arg(0)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sweep_o_capped)->ArgName("threads")->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sweep_io)->ArgName("threads")->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sweep_io)->ArgName("threads")->Arg(0)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sweep_full)->ArgName("threads")->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sweep_full)->ArgName("threads")->Arg(0)->UseRealTime()->Unit(benchmark::kMillisecond);

/// `edgeperf plan`'s default request on the AGX Orin 64GB: the accuracy
/// table's catalog models × 3 answer modes × {bf16, w8a16, w4a16} ×
/// samples {1, 2, 4, 8} × every power mode, 48 output-length bins each.
void BM_plan(benchmark::State& state) {
  plan_request req;
  req.accuracy = builtin_accuracy_table();
  std::vector<std::string> seen;
  for (const accuracy_row& r : req.accuracy.rows) {
    if (r.key.benchmark != req.benchmark) continue;
    if (std::find(seen.begin(), seen.end(), r.key.model) != seen.end()) continue;
    seen.push_back(r.key.model);
    if (const model_spec* m = find_model_or_null(r.key.model)) req.models.push_back(*m);
  }
  for (const char* q : {"bf16", "w8a16", "w4a16"}) req.quants.push_back(bench::must(find_quant(q), q));
  req.devices = {bench::must(find_device("agx-orin-64gb"), "device")};
  req.runtime = bench::must(find_runtime("vllm"), "vllm");
  req.samples = {1, 2, 4, 8};
  std::size_t points = 0;
  for (auto _ : state) {
    auto pts = enumerate_plans(req);
    points = pts.size();
    benchmark::DoNotOptimize(pts);
  }
  state.counters["configs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(points),
                         benchmark::Counter::kIsRate);
  state.counters["configs"] = static_cast<double>(points);
}
BENCHMARK(BM_plan)->Unit(benchmark::kMillisecond);

}  // namespace
