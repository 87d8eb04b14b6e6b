// The CSV reader behind --cases, run measurements and accuracy tables.
#include <catch2/catch.hpp>

#include "edgeperf/io/csv.hpp"
#include "edgeperf/io/runs_csv.hpp"

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

TEST_CASE("Run measurements parse with their locations", "[io][runs]") {
  const auto t = io::parse_csv(
      "model,device,mode,runtime,quant,batch,samples,input_tokens,output_tokens,metric,value,unit\n"
      "m,d,MAXN,vllm,bf16,1,1,3,1,ttft_s,0.1,s\n",
      "runs.csv");
  const auto rows = io::parse_runs(t);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].metric == "ttft_s");
  CHECK(rows[0].where == "runs.csv:2");
  CHECK_THROWS_WITH(io::parse_runs(io::parse_csv("model,device\nm,d\n", "r.csv")),
                    Catch::Matchers::Contains("missing required column"));
}
