// The quant catalog (descriptions/quant_catalog.hpp): dtype aliases as written
// in configs, id lookup with suggestions, and formats whose storage matches
// their published bits per weight.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "edgeperf/descriptions/quant_catalog.hpp"

using namespace edgeperf;
using Catch::Matchers::Contains;

TEST_CASE("dtype names as configs write them", "[descriptions][quant_catalog]") {
  CHECK(parse_dtype("bfloat16") == dtype::bf16);
  CHECK(parse_dtype("float16") == dtype::fp16);
  CHECK(parse_dtype("half") == dtype::fp16);
  CHECK(parse_dtype("float8_e4m3fn") == dtype::fp8);
  CHECK(parse_dtype("f32") == dtype::fp32);
  CHECK_FALSE(parse_dtype("BF16"));  // case-sensitive
  CHECK_FALSE(parse_dtype("fp12"));
  // Every dtype's own name parses back to it.
  for (dtype t : {dtype::fp32, dtype::fp16, dtype::bf16, dtype::fp8, dtype::int8, dtype::int4, dtype::nf4})
    CHECK(parse_dtype(to_string(t)) == t);
}

TEST_CASE("quant ids: unique, found exactly, unknown ids suggest the nearest", "[descriptions][quant_catalog]") {
  std::set<std::string> ids;
  for (const auto& id : quant_ids()) ids.insert(std::string(id));
  CHECK(ids.size() == quant_catalog_entries.size());
  CHECK(find_quant("w4a16").value().id == "w4a16");
  const auto bad = find_quant("w4a61");
  REQUIRE_FALSE(bad);
  CHECK(bad.error_value().code == errc::unknown_id);
  CHECK_THAT(bad.error_value().message, Contains("'w4a61'") && Contains("w4a16"));
  STATIC_REQUIRE(find_quant_or_null("q4_k_m") != nullptr);
  STATIC_REQUIRE(find_quant_or_null("Q4_K_M") == nullptr);
}

TEST_CASE("catalog formats store what their names say", "[descriptions][quant_catalog]") {
  CHECK(quants::bf16.linear.bits_per_weight() == 16);
  // FP8 with one fp32 scale per output channel: 8 + 32/K bits (K = 4096 here).
  CHECK(quants::fp8.linear.bits_per_weight(4096) == 8.0 + 32.0 / 4096);
  CHECK(quants::q4_0.linear.bits_per_weight() == 4.5);   // GGUF Q4_0
  CHECK(quants::q8_0.linear.bits_per_weight() == 8.5);   // GGUF Q8_0
  CHECK(is_gguf(quants::q4_k_m));
  CHECK_FALSE(is_gguf(quants::w4a16));
  // W4A16 (GPTQ/AWQ-style, group 128): between 4 and 4.25 bits per weight.
  const double w4 = quants::w4a16.linear.bits_per_weight();
  CHECK(w4 > 4.0);
  CHECK(w4 <= 4.25);
  // Smaller groups cost more scale bits.
  CHECK(quants::w4a16_g32.linear.bits_per_weight() > w4);
}
