// The request shape (descriptions/workload.hpp): its defaults form the
// smallest valid request, and its KV-dtype override wins over the quant
// format's and the runtime's defaults.
#include <catch2/catch.hpp>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/descriptions/workload.hpp"
#include "edgeperf/phases/request.hpp"

using namespace edgeperf;

TEST_CASE("the default workload is one prompt token in, one token out", "[descriptions][workload]") {
  const workload w{};
  const auto m = find_model("qwen2.5-0.5b").value();
  const auto q = find_quant("fp16").value();
  const auto d = find_device("agx-orin-64gb").value();
  const auto r = find_runtime("vllm").value();
  REQUIRE(validate_case(m, q, d, 0, r, w));
  const auto e = estimate_request(m, q, d, 0, r, w).value();
  CHECK(e.decode_steps == 0);
  CHECK(e.total_s == e.ttft_s);
  CHECK(e.kv == r.default_kv);  // no override, a 16-bit quant: the runtime's KV dtype
}

TEST_CASE("the workload's KV dtype overrides quant and runtime", "[descriptions][workload]") {
  const auto r = find_runtime("vllm").value();
  workload w{};
  CHECK(case_kv_dtype(w, quants::bf16, r) == r.default_kv);
  w.kv_dtype = dtype::fp8;
  CHECK(case_kv_dtype(w, quants::bf16, r) == dtype::fp8);
  // An 8-bit KV cache is smaller than the 16-bit default for the same request.
  const auto m = find_model("llama-3.1-8b").value();
  const auto d = find_device("agx-orin-64gb").value();
  w.input_tokens = 4096;
  w.output_tokens = 16;
  const auto e8 = estimate_request(m, quants::bf16, d, 0, r, w).value();
  w.kv_dtype.reset();
  const auto e16 = estimate_request(m, quants::bf16, d, 0, r, w).value();
  CHECK(e8.memory.kv_cache_bytes < e16.memory.kv_cache_bytes);
}
