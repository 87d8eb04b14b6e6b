// The CSV reader behind --cases, run measurements and accuracy tables
// (io/csv.hpp).
#include <catch2/catch.hpp>

#include "edgeperf/io/csv.hpp"

using namespace edgeperf;

TEST_CASE("CSV: header lookup, quoting, CRLF, blank lines", "[io][csv]") {
  const auto t = io::parse_csv("b,a,extra\r\n1,\"x, \"\"y\"\"\",z\r\n\r\n2,plain,\n", "cases.csv");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.cell(t.rows[0], "a") == "x, \"y\"");
  CHECK(t.cell(t.rows[1], "a") == "plain");
  CHECK(t.cell(t.rows[1], "extra").empty());
  CHECK(t.cell(t.rows[0], "missing").empty());
  CHECK(t.rows[1].line == 4);
  CHECK(t.number(t.rows[0], "b") == 1.0);
  CHECK(t.integer(t.rows[1], "extra", 1, 7) == 7);  // empty → fallback
}

TEST_CASE("CSV: errors name file, line, column and value", "[io][csv]") {
  const auto t = io::parse_csv("n,m\nabc,-3\n", "cases.csv");
  CHECK_THROWS_WITH(t.number(t.rows[0], "n"),
                    Catch::Matchers::Contains("cases.csv:2") && Catch::Matchers::Contains("'n'") &&
                        Catch::Matchers::Contains("abc"));
  CHECK_THROWS_WITH(t.integer(t.rows[0], "m", 1), Catch::Matchers::Contains("an integer in 1..") &&
                                                       Catch::Matchers::Contains("'-3'"));
  CHECK_THROWS_WITH(io::parse_csv("", "e.csv"), Catch::Matchers::Contains("empty"));
  CHECK_THROWS_WITH(io::parse_csv("a,a\n1,2\n", "d.csv"), Catch::Matchers::Contains("duplicate"));
  CHECK_THROWS_WITH(io::parse_csv("a\n\"open\n", "q.csv"), Catch::Matchers::Contains("unterminated"));
  CHECK_THROWS_WITH(io::parse_csv(std::string("a\n\0\n", 4), "b.csv"), Catch::Matchers::Contains("NUL"));
  CHECK_THROWS_WITH(io::read_csv("/nonexistent/x.csv"), Catch::Matchers::Contains("cannot open"));
}
