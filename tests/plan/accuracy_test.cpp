// Accuracy tables: lookup that never invents a cell, user rows overriding
// built-in ones, and the built-in tables against data/accuracy.md. (Reading
// CSV files: tests/io/accuracy_csv_test.cpp.)
#include "edgeperf/plan/accuracy.hpp"

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "edgeperf/descriptions/model_catalog.hpp"

using namespace edgeperf;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

accuracy_key key(std::string model, std::string bench, std::string mode,
                 std::optional<long long> budget = std::nullopt, unsigned samples = 1) {
  return accuracy_key{std::move(model), std::move(bench), std::move(mode), budget, samples};
}

/// Markdown table rows (cells trimmed) under the header row whose first cells match `head`.
std::vector<std::vector<std::string>> md_table(const std::string& text, const std::string& head) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind('|', 0) != 0) {
      if (inside) break;
      continue;
    }
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ls(line.substr(1));
    while (std::getline(ls, cell, '|')) {
      const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    if (!inside) {
      if (line.rfind(head, 0) == 0) inside = true;
      continue;
    }
    if (cells.empty() || cells[0].rfind("---", 0) == 0) continue;
    rows.push_back(cells);
  }
  return rows;
}

double number_in(const std::string& s) {
  return std::stod(std::regex_replace(s, std::regex("[^0-9.]"), ""));
}

const std::map<std::string, std::string> md_names{
    {"DeepSeek-R1-Distill-Llama-8B", "dsr1-llama-8b"},
    {"DeepSeek-R1-Distill-Qwen-14B", "dsr1-qwen-14b"},
    {"DeepSeek-R1-Distill-Qwen-1.5B", "dsr1-qwen-1.5b"},
    {"Llama-3.1-8B-Instruct", "llama-3.1-8b"},
    {"Qwen2.5-7B-Instruct", "qwen2.5-7b"},
    {"L1-Qwen-1.5B-Max (budget-aware)", "l1-qwen-1.5b-max"},
    {"DeepScaleR-1.5B-Preview", "deepscaler-1.5b-preview"},
    {"OpenAI o1-preview", "openai-o1-preview"},
};

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("User rows override built-in rows with the same key", "[plan][accuracy]") {
  accuracy_table user;
  const auto row = [](unsigned samples, double acc, std::string where) {
    accuracy_row r;
    r.key = key("dsr1-llama-8b", "mmlu-redux", "reasoning", std::nullopt, samples);
    r.accuracy = acc;
    r.source = "rerun";
    r.where = std::move(where);
    return r;
  };
  user.rows.push_back(row(1, 0.70, "user.csv:2"));
  user.rows.push_back(row(5, 0.75, "user.csv:3"));
  REQUIRE(find_accuracy(builtin_accuracy_table(), key("dsr1-llama-8b", "mmlu-redux", "reasoning")));
  REQUIRE_FALSE(find_accuracy(builtin_accuracy_table(), key("dsr1-llama-8b", "mmlu-redux", "reasoning",
                                                            std::nullopt, 5)));
  const auto merged = with_overrides(builtin_accuracy_table(), user);
  CHECK(merged.rows.size() == published_accuracies.size() + 1);
  const auto r = find_accuracy(merged, key("dsr1-llama-8b", "mmlu-redux", "reasoning"));
  REQUIRE(r);
  CHECK(r->accuracy == 0.70);
  CHECK(r->where == "user.csv:2");
  CHECK(find_accuracy(merged, key("dsr1-qwen-14b", "mmlu-redux", "reasoning"))->where ==
        "built-in");
}

TEST_CASE("Built-in tables equal data/accuracy.md", "[plan][accuracy]") {
  const std::string md = read_file(std::string(EDGEPERF_DATA_DIR) + "/accuracy.md");
  REQUIRE_FALSE(md.empty());
  const auto builtin = builtin_accuracy_table();
  std::size_t checked = 0;

  // Table II (E2): model | mode | accuracy | latency per question | source
  const auto t2 = md_table(md, "| model | mode | accuracy | latency per question");
  REQUIRE(t2.size() == 4);
  for (const auto& row : t2) {
    CAPTURE(row[0]);
    const auto r = find_accuracy(builtin, key(md_names.at(row[0]), "mmlu-redux", row[1]));
    REQUIRE(r);
    CHECK_THAT(r->accuracy, WithinAbs(number_in(row[2]) / 100.0, 1e-12));
    REQUIRE(r->latency_per_question_s);
    CHECK_THAT(*r->latency_per_question_s, WithinAbs(number_in(row[3]), 1e-12));
    CHECK(r->tag == row[4]);
    ++checked;
  }
  // No-reasoning (E): model | NR accuracy | NR output tokens per question
  const auto nr = md_table(md, "| model | NR accuracy");
  REQUIRE(nr.size() == 3);
  for (const auto& row : nr) {
    CAPTURE(row[0]);
    const std::string id = md_names.at(row[0]);
    const auto r = find_accuracy(builtin, key(id, "mmlu-redux", "no-reasoning"));
    REQUIRE(r);
    CHECK_THAT(r->accuracy, WithinAbs(number_in(row[1]) / 100.0, 1e-12));
    CHECK(r->tag == "E");
    const auto len = find_output_length(id, "mmlu-redux", "no-reasoning");
    REQUIRE(len);
    CHECK(len->mean_output_tokens == number_in(row[2]));
    ++checked;
  }
  // MATH500 (E): system | accuracy | source
  const auto math = md_table(md, "| system | accuracy | source");
  REQUIRE(math.size() == 2);
  for (const auto& row : math) {
    CAPTURE(row[0]);
    const auto r = find_accuracy(builtin, key(md_names.at(row[0]), "math500", "reasoning"));
    REQUIRE(r);
    CHECK_THAT(r->accuracy, WithinAbs(number_in(row[1]) / 100.0, 1e-12));
    ++checked;
  }
  CHECK(checked == published_accuracies.size());  // every built-in row is in accuracy.md

  // Output tokens by budget setting (E).
  const auto budgets = md_table(md, "| model | base | 128t | 128t_NC | 256t | 256t_NC");
  REQUIRE(budgets.size() == 4);
  std::size_t lengths = 0;
  for (const auto& row : budgets) {
    CAPTURE(row[0]);
    const std::string id = md_names.at(row[0]);
    const std::optional<long long> none;
    CHECK(find_output_length(id, "mmlu-redux", "reasoning", none)->mean_output_tokens ==
          number_in(row[1]));
    CHECK(find_output_length(id, "mmlu-redux", "reasoning", 128, true)->mean_output_tokens ==
          number_in(row[2]));
    CHECK(find_output_length(id, "mmlu-redux", "reasoning", 128, false)->mean_output_tokens ==
          number_in(row[3]));
    CHECK(find_output_length(id, "mmlu-redux", "reasoning", 256, true)->mean_output_tokens ==
          number_in(row[4]));
    CHECK(find_output_length(id, "mmlu-redux", "reasoning", 256, false)->mean_output_tokens ==
          number_in(row[5]));
    CHECK(find_output_length(id, "mmlu-redux", "reasoning", 256, false)->setting == "256t_NC");
    lengths += 5;
  }
  // Direct models: "Llama-3.1-8B 63.5, Qwen2.5-7B 40.2, Gemma-7B 44.7 output tokens per question".
  const std::map<std::string, std::string> direct{
      {"Llama-3.1-8B", "llama-3.1-8b"}, {"Qwen2.5-7B", "qwen2.5-7b"}, {"Gemma-7B", "gemma-7b"}};
  for (const auto& [name, id] : direct) {
    CAPTURE(name);
    std::smatch m;
    REQUIRE(std::regex_search(
        md, m, std::regex(std::regex_replace(name, std::regex("\\."), "\\.") + "\\s+([0-9.]+)")));
    REQUIRE(find_output_length(id, "mmlu-redux", "direct"));
    CHECK(find_output_length(id, "mmlu-redux", "direct")->mean_output_tokens == std::stod(m[1]));
    ++lengths;
  }
  CHECK(lengths + nr.size() == published_output_lengths.size());
  std::smatch m;
  REQUIRE(std::regex_search(md, m, std::regex("Mean input ≈ ([0-9.]+) tokens")));
  CHECK(mmlu_redux_mean_input_tokens == std::stod(m[1]));

  // Missing cells stay missing.
  CHECK_FALSE(find_output_length("dsr1-llama-8b", "mmlu-redux", "reasoning", 512));
  CHECK_FALSE(find_output_length("llama-3.1-8b", "mmlu-redux", "reasoning"));
  CHECK_FALSE(find_accuracy(builtin, key("dsr1-qwen-1.5b", "mmlu-redux", "reasoning")));
  CHECK_FALSE(
      find_accuracy(builtin, key("dsr1-llama-8b", "mmlu-redux", "reasoning", std::nullopt, 8)));
}

TEST_CASE("Built-in rows use catalog ids where the model is in the catalog", "[plan][accuracy]") {
  const std::vector<std::string_view> outside{"deepscaler-1.5b-preview", "openai-o1-preview",
                                              "l1-qwen-1.5b-max", "gemma-7b"};
  auto check = [&](std::string_view id) {
    CAPTURE(id);
    const bool is_outside = std::find(outside.begin(), outside.end(), id) != outside.end();
    CHECK((find_model_or_null(id) != nullptr) != is_outside);
  };
  for (const auto& r : published_accuracies) {
    check(r.model);
    CHECK(r.accuracy > 0.0);
    CHECK(r.accuracy <= 1.0);
    CHECK_FALSE(r.source.empty());
    CHECK((r.tag == "E" || r.tag == "E2"));
  }
  for (const auto& r : published_output_lengths) {
    check(r.model);
    CHECK(r.mean_output_tokens > 0.0);
    CHECK_FALSE(r.source.empty());
  }
  static_assert(
      find_output_length("dsr1-qwen-14b", "mmlu-redux", "reasoning", 128)->mean_output_tokens ==
      78.2);
}
