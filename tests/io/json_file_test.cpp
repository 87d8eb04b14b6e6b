// JSON input (io/json_file.hpp): every parser failure becomes an io_error
// naming the file, with non-ASCII bytes escaped so the message stays UTF-8.
#include <catch2/catch.hpp>

#include <string>

#include "edgeperf/io/json_file.hpp"

using namespace edgeperf::io;
using Catch::Matchers::Contains;

TEST_CASE("valid JSON parses", "[io][json_file]") {
  const auto j = parse_json_text(R"({"a": [1, 2], "b": "x"})", "ok.json");
  CHECK(j["a"].size() == 2);
  CHECK(j["b"] == "x");
}

TEST_CASE("empty, malformed, overflowing and non-UTF-8 input name the file", "[io][json_file]") {
  CHECK_THROWS_WITH(parse_json_text("  \n\t", "blank.json"), Contains("blank.json") && Contains("empty file"));
  CHECK_THROWS_WITH(parse_json_text("{\"a\": }", "bad.json"),
                    Contains("bad.json") && Contains("invalid JSON at byte"));
  CHECK_THROWS_WITH(parse_json_text("[1e999]", "big.json"), Contains("big.json") && Contains("invalid JSON"));
  try {
    (void)parse_json_text("{\"id\": \"caf\xe9\"}", "latin1.json");
    FAIL("no error");
  } catch (const io_error& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Contains("\\xe9"));
    for (const char c : what) CHECK(static_cast<unsigned char>(c) < 0x80);  // escaped, printable ASCII
  }
  CHECK_THROWS_WITH(read_json_file("/nonexistent/profile.json"), Contains("/nonexistent/profile.json"));
}

TEST_CASE("printable escapes every byte outside printable ASCII", "[io][json_file]") {
  CHECK(detail::printable("ok ~") == "ok ~");
  CHECK(detail::printable(std::string("\x01\n\x7f\xc3", 4)) == "\\x01\\x0a\\x7f\\xc3");
}
