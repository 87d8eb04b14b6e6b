// Runtime descriptions (descriptions/runtime.hpp): which compute paths a
// runtime has kernels for, and the attention-kind names profiles use.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "edgeperf/descriptions/runtime.hpp"

using namespace edgeperf;

TEST_CASE("supported compute paths are a bit mask", "[descriptions][runtime]") {
  runtime_spec r{};
  for (unsigned p = 0; p <= static_cast<unsigned>(compute_path::dequant_to_memory); ++p)
    CHECK(supports(r, static_cast<compute_path>(p)));  // default: everything
  r.supported_paths = static_cast<std::uint8_t>((1u << static_cast<unsigned>(compute_path::native)) |
                                                (1u << static_cast<unsigned>(compute_path::native_int8)));
  CHECK(supports(r, compute_path::native));
  CHECK(supports(r, compute_path::native_int8));
  CHECK_FALSE(supports(r, compute_path::native_fp8));
  CHECK_FALSE(supports(r, compute_path::dequant_in_kernel));
  r.supported_paths = 0;
  CHECK_FALSE(supports(r, compute_path::native));
}

TEST_CASE("attention kinds have distinct names", "[descriptions][runtime]") {
  std::set<std::string> names;
  for (attention_kind a : {attention_kind::flash, attention_kind::paged, attention_kind::materialized})
    names.insert(to_string(a));
  CHECK(names.size() == 3);
  CHECK(std::string(to_string(attention_kind::paged)) == "paged");
}
