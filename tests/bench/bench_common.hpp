#pragma once
// Shared setup of the benchmarks: the catalog entries of each benchmarked case,
// looked up once (outside the timed loops) through the public find_* API.
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/descriptions/workload.hpp"

namespace edgeperf::bench {

/// Unwraps a catalog lookup; a missing id aborts the benchmark binary.
template <class T>
T must(result<T> r, std::string_view what) {
  if (!r) {
    std::cerr << "edgeperf_bench: " << what << ": " << r.error_value().message << '\n';
    std::abort();
  }
  return *r;
}

/// One benchmarked case: model, quant, device (mode index), runtime, workload.
struct bench_case {
  model_spec m;
  quant_spec q;
  device_spec d;
  int mode{0};
  runtime_spec r;
  workload w;
};

/// `model` in `quant` on the AGX Orin 64GB (MAXN) with vLLM, batch × samples
/// sequences of I input and O output tokens.
inline bench_case orin_case(std::string_view model, std::string_view quant, int input_tokens,
                            int output_tokens, int batch = 1, int samples = 1,
                            std::string_view runtime = "vllm") {
  bench_case c{must(find_model(model), model), must(find_quant(quant), quant),
               must(find_device("agx-orin-64gb"), "agx-orin-64gb"), 0,
               must(find_runtime(runtime), runtime), workload{}};
  const auto dev = c.d;
  c.mode = must(find_mode(dev, "MAXN"), "MAXN");
  c.w.batch = batch;
  c.w.samples = samples;
  c.w.input_tokens = input_tokens;
  c.w.output_tokens = output_tokens;
  return c;
}

}  // namespace edgeperf::bench
