// result<T> (edgeperf/result.hpp): a value or an error, the error kinds'
// names, and what happens when code reads a value that is not there.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <utility>

#include "edgeperf/result.hpp"

using namespace edgeperf;
using Catch::Matchers::Equals;

namespace {
result<int> half(int x) {
  if (x % 2 != 0) return make_error(errc::invalid_argument, "x must be even, got " + std::to_string(x));
  return x / 2;
}
}  // namespace

TEST_CASE("result holds a value or an error", "[result]") {
  const auto ok = half(8);
  REQUIRE(ok.has_value());
  CHECK(static_cast<bool>(ok));
  CHECK(ok.value() == 4);
  CHECK(*ok == 4);
  const auto bad = half(3);
  REQUIRE_FALSE(bad.has_value());
  CHECK_FALSE(static_cast<bool>(bad));
  CHECK(bad.error_value().code == errc::invalid_argument);
  CHECK_THAT(bad.error_value().message, Equals("x must be even, got 3"));
}

TEST_CASE("reading the value of an error throws bad_result_access with kind and message", "[result]") {
  const auto bad = half(5);
  try {
    (void)bad.value();
    FAIL("no exception");
  } catch (const bad_result_access& e) {
    CHECK_THAT(std::string(e.what()), Equals("invalid_argument: x must be even, got 5"));
    CHECK(e.err().code == errc::invalid_argument);
  }
  // The rvalue and non-const overloads throw too.
  CHECK_THROWS_AS(half(7).value(), bad_result_access);
  auto m = half(9);
  CHECK_THROWS_AS(m.value(), bad_result_access);
}

TEST_CASE("the value moves out of an rvalue result", "[result]") {
  result<std::string> r(std::string(1000, 'x'));
  const std::string s = std::move(r).value();
  CHECK(s.size() == 1000);
  result<std::string> w(std::string("abc"));
  w.value() += "d";
  CHECK(*w == "abcd");
  CHECK(w->size() == 4);
}

TEST_CASE("every error kind has its own name", "[result]") {
  std::set<std::string> names;
  for (errc e : {errc::invalid_argument, errc::unknown_id, errc::unsupported, errc::does_not_fit,
                 errc::parse_error}) {
    const std::string n = to_string(e);
    CHECK(n != "unknown");
    names.insert(n);
  }
  CHECK(names.size() == 5);
  CHECK_THAT(to_string(errc::does_not_fit), Equals("does_not_fit"));
}
