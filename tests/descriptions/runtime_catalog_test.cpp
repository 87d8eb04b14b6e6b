// Tests for the built-in runtime catalog: ids and lookup, provenance on every
// number, and the behaviour each engine is known for (CUDA graphs, attention
// kind, logits, prefix sharing, supported compute paths).

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <string_view>

#include "edgeperf/descriptions/runtime_catalog.hpp"

namespace ep = edgeperf;
using Catch::Matchers::Contains;

static_assert(ep::runtime_catalog().size() == 7);
static_assert(ep::find_runtime_or_null("vllm") == ep::find_runtime_or_null("vllm-0.8"));
static_assert(ep::find_runtime_or_null("vllm") != nullptr);
static_assert(ep::find_runtime_or_null("VLLM") == nullptr);
static_assert(ep::path_mask({ep::compute_path::native}) == 1);
static_assert(ep::supports(ep::runtimes::trtllm, ep::compute_path::native_fp8));
static_assert(!ep::supports(ep::runtimes::llama_cpp, ep::compute_path::native_int8));

namespace {
const ep::runtime_spec& rt(std::string_view id) {
  const ep::runtime_spec* r = ep::find_runtime_or_null(id);
  REQUIRE(r != nullptr);
  return *r;
}
}  // namespace

TEST_CASE("runtime catalog ids and lookup", "[descriptions][runtime]") {
  const std::set<std::string_view> want = {"vllm-0.8", "vllm-0.8-eager", "vllm-0.6", "hf-eager",
                                           "llama.cpp", "mlc", "trtllm"};
  std::set<std::string_view> got;
  for (std::string_view id : ep::runtime_ids()) CHECK(got.insert(id).second);
  CHECK(got == want);

  const auto bad = ep::find_runtime("llamacpp");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error_value().code == ep::errc::unknown_id);
  CHECK_THAT(bad.error_value().message, Contains("'llamacpp'") && Contains("llama.cpp"));
  CHECK(ep::find_runtime("mlc")->attention == ep::attention_kind::paged);
  // `vllm` stays a valid id: an alias of the EdgeReasoning configuration.
  CHECK(ep::find_runtime("vllm")->id.view() == "vllm-0.8");
  CHECK(ep::canonical_runtime_id("vllm") == "vllm-0.8");
  CHECK(ep::runtime_matches("vllm", ep::runtimes::vllm_0_8));
  CHECK_FALSE(ep::runtime_matches("vllm", ep::runtimes::vllm_0_6));
  // Variants differ in what they are named for.
  CHECK_FALSE(ep::runtimes::vllm_0_8_eager.graphs_decode);
  CHECK(ep::runtimes::vllm_0_8.graphs_decode);
}

TEST_CASE("every runtime number has a source note; shapes are sane", "[descriptions][runtime][provenance]") {
  for (const ep::runtime_spec& r : ep::runtime_catalog()) {
    CAPTURE(r.id.view());
    ep::for_each_sourced(r, [&](const char* field, const ep::sourced& s) {
      CAPTURE(field, s.value);
      CHECK_FALSE(s.note.empty());
      CHECK_FALSE(s.note.truncated());
      CHECK(s.value >= 0);
    });
    CHECK(r.launches_per_layer_decode >= 5);
    CHECK(r.launches_per_layer_prefill >= r.launches_per_layer_decode);
    CHECK(r.launches_head >= 1);
    REQUIRE(r.tile_count >= 1);
    REQUIRE(r.tile_count <= static_cast<int>(ep::max_gemm_tiles));
    for (int i = 0; i < r.tile_count; ++i) {
      const auto& t = r.tiles[static_cast<std::size_t>(i)];
      CHECK(t.m >= (t.cuda_cores ? 1 : 8));  // MMA tiles span >= 8 rows; CUDA-core GEMV tiles 1
      CHECK(t.n >= 32);
      CHECK(t.ctas_per_sm >= 1);
    }
    CHECK(r.attn_q_block >= 1);
    CHECK(r.attn_kv_block >= 1);
    CHECK(r.kernel_efficiency.value > 0);
    CHECK(r.kernel_efficiency.value <= 1);
    CHECK(r.dequant_efficiency.value > 0);
    CHECK(r.dequant_efficiency.value <= 1);
    CHECK(ep::supports(r, ep::compute_path::native));
    CHECK(ep::supports(r, ep::compute_path::dequant_in_kernel));
  }
}

TEST_CASE("runtime behaviours from the issue", "[descriptions][runtime]") {
  // CUDA graphs for decode everywhere but eager Transformers.
  CHECK(rt("vllm").graphs_decode);
  CHECK(rt("trtllm").graphs_decode);
  CHECK(rt("mlc").graphs_decode);
  CHECK(rt("llama.cpp").graphs_decode);
  CHECK_FALSE(rt("hf-eager").graphs_decode);
  // Attention kinds and vLLM's 16-token pages.
  CHECK(rt("vllm").attention == ep::attention_kind::paged);
  CHECK(rt("vllm").attn_kv_block == 16);
  CHECK(rt("hf-eager").attention == ep::attention_kind::materialized);
  CHECK(rt("llama.cpp").attention == ep::attention_kind::flash);
  // Eager Transformers launches many more small kernels, each costing more host time.
  CHECK(rt("hf-eager").launches_per_layer_decode >= 2 * rt("vllm").launches_per_layer_decode);
  CHECK(rt("hf-eager").host_per_launch_s.value > rt("llama.cpp").host_per_launch_s.value);
  // Logits and prefix sharing.
  CHECK_FALSE(rt("hf-eager").last_position_logits);
  CHECK(rt("vllm").last_position_logits);
  CHECK(rt("vllm").prefix_sharing);
  CHECK(rt("trtllm").prefix_sharing);
  CHECK_FALSE(rt("llama.cpp").prefix_sharing);
  CHECK_FALSE(rt("hf-eager").prefix_sharing);
  // KV defaults are 16-bit.
  for (const auto& r : ep::runtime_catalog()) CHECK(ep::dtype_bits(r.default_kv) == 16);
  // Compute paths.
  CHECK(ep::supports(rt("hf-eager"), ep::compute_path::dequant_to_memory));
  CHECK_FALSE(ep::supports(rt("llama.cpp"), ep::compute_path::dequant_to_memory));
  CHECK_FALSE(ep::supports(rt("mlc"), ep::compute_path::native_fp8));
  CHECK(ep::supports(rt("trtllm"), ep::compute_path::native_int8));
  CHECK_FALSE(ep::supports(rt("trtllm"), ep::compute_path::dequant_to_memory));
  CHECK(ep::supports(rt("vllm"), ep::compute_path::native_fp8));
}
