// Prediction intervals (issue 11): a ±1σ band propagated from the profiles'
// uncertainty; fitted profiles give narrow bands, assumed ones wide bands.
#include <catch2/catch.hpp>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/interval.hpp"

using namespace edgeperf;

namespace {
request_interval band(const char* model, const char* quant, const char* device, const char* runtime) {
  const auto m = find_model(model).value();
  const auto q = find_quant(quant).value();
  const auto d = find_device(device).value();
  const auto r = find_runtime(runtime).value();
  const workload w{1, 1, 128, 1024, {}};
  REQUIRE(validate_case(m, q, d, 0, r, w));
  return estimate_interval(m, q, d, 0, r, w);
}
}  // namespace

TEST_CASE("The interval's centre is the estimate and its bands are positive", "[interval]") {
  const auto m = find_model("dsr1-qwen-1.5b").value();
  const auto q = find_quant("bf16").value();
  const auto d = find_device("agx-orin-64gb").value();
  const auto r = find_runtime("vllm").value();
  const workload w{1, 1, 128, 1024, {}};
  const auto e = estimate_request(m, q, d, 0, r, w).value();
  const auto b = estimate_interval(m, q, d, 0, r, w);
  CHECK(b.ttft_s == e.ttft_s);
  CHECK(b.decode_s == e.decode_s);
  CHECK(b.energy_j == e.energy_j);
  CHECK(b.varied > 5);
  CHECK(b.ttft_sigma_s > 0);
  CHECK(b.decode_sigma_s > 0);
  CHECK(b.total_sigma_s > 0);
  CHECK(b.energy_sigma_j > 0);
  CHECK(std::isfinite(b.total_sigma_s));
}

TEST_CASE("A guess is shown as a guess: assumed profiles get wider bands", "[interval]") {
  // vLLM 0.8 on the AGX Orin is fitted on two models; TensorRT-LLM is assumed,
  // and the Raspberry Pi's rates are derived/assumed.
  const auto fitted = band("dsr1-llama-8b", "bf16", "agx-orin-64gb", "vllm");
  const auto assumed = band("dsr1-llama-8b", "bf16", "agx-orin-64gb", "trtllm");
  const auto pi = band("qwen2.5-0.5b", "q4_k_m", "rpi5-8gb", "llama.cpp");
  const double rel_fitted = fitted.decode_sigma_s / fitted.decode_s;
  const double rel_assumed = assumed.decode_sigma_s / assumed.decode_s;
  const double rel_pi = pi.decode_sigma_s / pi.decode_s;
  CAPTURE(rel_fitted, rel_assumed, rel_pi);
  CHECK(rel_fitted < 0.10);
  CHECK(rel_assumed > 2 * rel_fitted);
  CHECK(rel_pi > 0.2);
}
