// Reading accuracy tables from CSV (io/accuracy_csv.hpp): fractions,
// percentages, budgets, samples, reordered columns and CRLF; every bad file
// names file:line, the column and the value.
#include "edgeperf/io/accuracy_csv.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

using namespace edgeperf;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

std::string fixture(const std::string& name) {
  return std::string(EDGEPERF_SOURCE_DIR) + "/tests/data/accuracy/" + name;
}

accuracy_key key(std::string model, std::string bench, std::string mode,
                 std::optional<long long> budget = std::nullopt, unsigned samples = 1) {
  return accuracy_key{std::move(model), std::move(bench), std::move(mode), budget, samples};
}

}  // namespace

TEST_CASE("Accuracy CSV: fractions, percentages, budgets, samples, extra columns",
          "[io][accuracy]") {
  const auto t = io::read_accuracy_csv(fixture("good.csv"));
  REQUIRE(t.rows.size() == 5);
  const auto& r0 = t.rows[0];
  CHECK(r0.key == key("dsr1-llama-8b", "mmlu-redux", "reasoning"));
  CHECK(r0.accuracy == 0.617);
  CHECK(r0.source == "EdgeReasoning, Table II");
  CHECK(r0.tag == "E2");
  REQUIRE(r0.latency_per_question_s);
  CHECK(*r0.latency_per_question_s == 143.3);
  CHECK_THAT(r0.where, Contains("good.csv:2"));
  CHECK_THAT(t.rows[1].accuracy, WithinAbs(0.485, 1e-15));
  CHECK(t.rows[1].key.budget_tokens == 256);
  CHECK_THAT(t.rows[2].accuracy, WithinAbs(0.5525, 1e-15));  // "55.25 %"
  CHECK(t.rows[2].key.samples == 8);
  CHECK_FALSE(t.rows[3].key.budget_tokens);  // "none"
  CHECK(t.rows[3].key.samples == 1);         // empty → 1
  CHECK_FALSE(t.rows[3].latency_per_question_s);
  CHECK(t.rows[4].accuracy == 1.0);

  // Lookup: exact keys only; a different budget or sample count is missing.
  const auto hit = find_accuracy(t, key("dsr1-llama-8b", "mmlu-redux", "reasoning", 256, 8));
  REQUIRE(hit);
  CHECK_THAT(hit->accuracy, WithinAbs(0.5525, 1e-15));
  CHECK_FALSE(find_accuracy(t, key("dsr1-llama-8b", "mmlu-redux", "reasoning", 256, 4)));
  CHECK_FALSE(find_accuracy(t, key("dsr1-llama-8b", "mmlu-redux", "reasoning", 128)));
  CHECK_FALSE(find_accuracy(t, key("dsr1-llama-8b", "math500", "reasoning")));
  CHECK(accuracies_of(t, "dsr1-llama-8b", "mmlu-redux").size() == 3);

  const auto c = io::read_accuracy_csv(fixture("reordered_crlf.csv"));
  REQUIRE(c.rows.size() == 1);
  CHECK(c.rows[0].accuracy == 1.0);
  CHECK(c.rows[0].key.model == "m");
}

TEST_CASE("Accuracy CSV: bad files name file:line, column and value", "[io][accuracy]") {
  struct bad_case {
    const char* file;
    std::vector<std::string> parts;
  };
  const std::vector<bad_case> cases{
      {"bad_fraction.csv", {"bad_fraction.csv:2", "'accuracy'", "'61.7'", "'%' sign"}},
      {"bad_percent.csv", {"bad_percent.csv:3", "'accuracy'", "'120%'", "[0, 100]"}},
      {"bad_samples.csv", {"bad_samples.csv:2", "'samples'", "1..", "'0'"}},
      {"bad_budget.csv", {"bad_budget.csv:2", "'budget'", "'lots'"}},
      {"missing_column.csv", {"missing_column.csv", "'samples'", "missing required column"}},
      {"missing_accuracy.csv", {"missing_accuracy.csv:2", "'accuracy'", "got ''"}},
      {"empty_model.csv", {"empty_model.csv:2", "'model'", "non-empty"}},
      {"duplicate.csv", {"duplicate.csv:4", "duplicate", "line 2"}},
  };
  for (const auto& bc : cases) {
    CAPTURE(bc.file);
    try {
      (void)io::read_accuracy_csv(fixture(bc.file));
      FAIL("expected an io_error");
    } catch (const io::io_error& e) {
      for (const auto& part : bc.parts) CHECK_THAT(e.what(), Contains(part));
    }
  }
  CHECK_THROWS_AS(io::read_accuracy_csv(fixture("does_not_exist.csv")), io::io_error);
}

TEST_CASE("Accuracy CSV: parsed text names its source in every row", "[io][accuracy]") {
  const auto t = io::parse_accuracy_csv(io::parse_csv("model,benchmark,mode,budget,samples,accuracy,source\n"
                                                      "m,math500,reasoning,,1,70%,rerun\n"
                                                      "m,math500,reasoning,512,,0.5,rerun\n",
                                                      "user.csv"));
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].where == "user.csv:2");
  CHECK(t.rows[1].where == "user.csv:3");
  CHECK_THAT(t.rows[0].accuracy, WithinAbs(0.70, 1e-15));
  CHECK(t.rows[1].key.budget_tokens == 512);
  CHECK_THROWS_WITH(io::parse_accuracy_csv(io::parse_csv("model,benchmark\nm,x\n", "short.csv")),
                    Contains("short.csv") && Contains("missing required column"));
}
