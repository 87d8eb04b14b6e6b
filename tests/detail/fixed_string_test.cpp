// fixed_string (detail/fixed_string.hpp): inline storage for names and notes,
// usable in constant expressions, truncating (and saying so) instead of
// overflowing.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "edgeperf/detail/fixed_string.hpp"

using edgeperf::fixed_string;

TEST_CASE("fixed_string keeps at most N - 1 characters and says when it cut", "[detail][fixed_string]") {
  constexpr fixed_string<6> fits("hello");
  STATIC_REQUIRE(fits.size() == 5);
  STATIC_REQUIRE_FALSE(fits.truncated());
  STATIC_REQUIRE(fits == "hello");
  constexpr fixed_string<6> cut("hello world");
  STATIC_REQUIRE(cut.size() == 5);
  STATIC_REQUIRE(cut.truncated());
  STATIC_REQUIRE(cut.view() == "hello");
  CHECK(std::string(cut.c_str()) == "hello");  // null-terminated after the cut
  CHECK(cut.c_str()[5] == '\0');
}

TEST_CASE("fixed_string compares by content and converts to string_view", "[detail][fixed_string]") {
  constexpr fixed_string<16> a("vllm"), b(std::string_view("vllm")), c("vllm2");
  STATIC_REQUIRE(a == b);
  STATIC_REQUIRE_FALSE(a == c);
  STATIC_REQUIRE(a == std::string_view("vllm"));
  constexpr fixed_string<16> empty{};
  STATIC_REQUIRE(empty.empty());
  STATIC_REQUIRE(empty.view().empty());
  const std::string_view sv = a;
  CHECK(sv == "vllm");
  // Copies carry their own storage: no view into the source survives.
  std::string src = "temporary";
  const fixed_string<16> copy(src);
  src.assign("overwritten");
  CHECK(copy == "temporary");
}
