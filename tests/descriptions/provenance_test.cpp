// Provenance (descriptions/provenance.hpp): source names round-trip through
// parse_source (the profile JSON format relies on it), and a sourced number
// compares its value, source and note.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "edgeperf/descriptions/provenance.hpp"

using namespace edgeperf;

TEST_CASE("source names round-trip and unknown names are refused", "[descriptions][provenance]") {
  std::set<std::string> names;
  for (source s : {source::datasheet, source::derived, source::published, source::calibrated,
                   source::fitted, source::assumed}) {
    source back = s == source::assumed ? source::datasheet : source::assumed;
    REQUIRE(parse_source(to_string(s), back));
    CHECK(back == s);
    names.insert(to_string(s));
  }
  CHECK(names.size() == 6);
  source out = source::fitted;
  CHECK_FALSE(parse_source("Datasheet", out));  // case-sensitive
  CHECK_FALSE(parse_source("guess", out));
  CHECK_FALSE(parse_source("", out));
  CHECK(out == source::fitted);  // untouched on failure
}

TEST_CASE("sourced numbers compare value, source and note", "[descriptions][provenance]") {
  constexpr sourced a{1.3e9, source::datasheet, "jetson-devices.md (E)"};
  STATIC_REQUIRE(a == sourced{1.3e9, source::datasheet, "jetson-devices.md (E)"});
  STATIC_REQUIRE_FALSE(a == sourced{1.3e9, source::fitted, "jetson-devices.md (E)"});
  STATIC_REQUIRE_FALSE(a == sourced{1.3e9, source::datasheet, "other"});
  STATIC_REQUIRE_FALSE(a == sourced{1.2e9, source::datasheet, "jetson-devices.md (E)"});
  // A bare number is an assumption until someone says where it comes from.
  STATIC_REQUIRE(sourced{}.src == source::assumed);
}
