// The forward declarations (edgeperf/fwd.hpp) are enough to declare an API
// over the core's types, and agree with the definitions (same kind, same
// underlying type, defaults added by the definitions), so both can be
// included in one translation unit, in either order.
#include "edgeperf/fwd.hpp"

namespace api {
// Declared with forward declarations only.
double total_s(const edgeperf::request_estimate<double>& e);
const char* kind_name(edgeperf::device_kind k);
bool fits(const edgeperf::model_spec& m, const edgeperf::quant_spec& q, const edgeperf::device_spec& d,
          const edgeperf::runtime_spec& r, const edgeperf::workload& w);
}  // namespace api

#include <catch2/catch.hpp>

#include <type_traits>

#include "edgeperf/edgeperf.hpp"
#include "edgeperf/fwd.hpp"  // again, after the definitions

namespace api {
double total_s(const edgeperf::request_estimate<double>& e) { return e.total_s; }
const char* kind_name(edgeperf::device_kind k) { return edgeperf::to_string(k); }
bool fits(const edgeperf::model_spec& m, const edgeperf::quant_spec& q, const edgeperf::device_spec& d,
          const edgeperf::runtime_spec& r, const edgeperf::workload& w) {
  const auto e = edgeperf::estimate_request(m, q, d, 0, r, w);
  return e && e->memory.fits;
}
}  // namespace api

TEST_CASE("an API declared over fwd.hpp works with the definitions", "[fwd]") {
  using namespace edgeperf;
  // The default argument comes from the definition, once.
  STATIC_REQUIRE(std::is_same_v<request_estimate<>, request_estimate<double>>);
  STATIC_REQUIRE(std::is_same_v<step_result<>, step_result<double>>);
  STATIC_REQUIRE(std::is_same_v<std::underlying_type_t<dtype>, std::uint8_t>);
  const workload w{1, 1, 128, 32, {}};
  const auto m = find_model("qwen2.5-0.5b").value();
  const auto q = find_quant("fp16").value();
  const auto d = find_device("agx-orin-64gb").value();
  const auto r = find_runtime("vllm").value();
  const auto e = estimate_request(m, q, d, 0, r, w).value();
  CHECK(api::total_s(e) == e.total_s);
  CHECK(api::total_s(e) > 0);
  CHECK(std::string(api::kind_name(device_kind::jetson)) == "jetson");
  CHECK(api::fits(m, q, d, r, w));
}
