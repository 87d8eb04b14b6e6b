// Tests of report/plan.hpp: the CSV of plan points has one cell per header
// column and round-trips the point's numbers; names of configurations follow
// the point; the plan text names the choice the planner made, its numbers and
// the runners-up, or why nothing fits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/io/csv.hpp"
#include "edgeperf/plan/planner.hpp"
#include "edgeperf/report/plan.hpp"

using namespace edgeperf;
using Catch::Matchers::Contains;

namespace {

std::vector<plan_point> small_space() {
  plan_request req;
  for (const char* id : {"dsr1-qwen-1.5b", "dsr1-llama-8b"}) req.models.push_back(find_model(id).value());
  req.quants = {find_quant("bf16").value(), find_quant("w4a16").value()};
  req.devices = {find_device("agx-orin-64gb").value()};
  req.power_modes = {"MAXN"};
  req.runtime = find_runtime("vllm").value();
  req.samples = {1, 4};
  req.answer_modes = {{"reasoning", std::nullopt, true},
                      {"reasoning", 128, true},
                      {"reasoning", 256, false},
                      {"no-reasoning", std::nullopt, true},
                      {"direct", std::nullopt, true}};
  req.accuracy = builtin_accuracy_table();
  return enumerate_plans(req);
}

}  // namespace

TEST_CASE("plan CSV rows have the header's columns and the point's numbers") {
  const std::vector<plan_point> pts = small_space();
  REQUIRE_FALSE(pts.empty());
  std::string text = plan_csv_header() + "\n";
  for (const plan_point& p : pts) text += plan_csv_row(p) + "\n";
  const io::csv_table t = io::parse_csv(text, "plan.csv");
  REQUIRE(t.rows.size() == pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const plan_point& p = pts[i];
    const io::csv_row& row = t.rows[i];
    CHECK(t.cell(row, "model") == p.model);
    CHECK(t.cell(row, "power_mode") == p.power_mode);
    CHECK(t.cell(row, "budget_tokens") == (p.budget_tokens ? std::to_string(*p.budget_tokens) : ""));
    CHECK(t.cell(row, "hard_cut") == (p.hard_cut ? "true" : "false"));
    CHECK(t.number(row, "latency_s") == p.latency_s);
    CHECK(t.number(row, "energy_j") == p.energy_j);
    CHECK(t.cell(row, "accuracy").empty() == !p.accuracy);
    if (p.accuracy) CHECK(t.number(row, "accuracy") == *p.accuracy);
    CHECK(t.cell(row, "usable") == (p.usable ? "true" : "false"));
  }
}

TEST_CASE("configuration names follow the point") {
  plan_point p{};
  p.model = "m";
  p.answer = "reasoning";
  p.quant = "w4a16";
  p.power_mode = "30W";
  p.samples = 1;
  p.budget_tokens = 128;
  p.hard_cut = true;
  CHECK(config_name(p) == "m · reasoning ≤128 (cut) · w4a16 · 30W · 1 sample");
  p.hard_cut = false;
  p.samples = 4;
  CHECK(config_name(p) == "m · reasoning, 128 in prompt · w4a16 · 30W · 4 samples");
  p.budget_tokens.reset();
  CHECK(answer_name(p) == "reasoning");
  CHECK(accuracy_text(p) == "missing");
  p.accuracy = 0.617;
  CHECK(accuracy_text(p) == "61.7 %");
}

TEST_CASE("the plan text names the planner's choice, or why nothing fits") {
  const std::vector<plan_point> pts = small_space();
  REQUIRE(std::count_if(pts.begin(), pts.end(), [](const plan_point& p) { return p.usable; }) > 0);
  const plan_budget loose{1e6, std::nullopt, std::nullopt};
  const plan_choice c = plan(pts, loose, 3).value();
  REQUIRE(c.best);
  const std::string text = format_plan(pts, c, loose);
  CHECK_THAT(text, Contains("\nchoice: " + config_name(*c.best) + "\n"));
  CHECK_THAT(text, Contains(format_duration(c.best->latency_s)));
  CHECK_THAT(text, Contains("evaluated " + std::to_string(c.evaluated) + " configurations"));
  for (const plan_point& r : c.runners_up) CHECK_THAT(text, Contains(config_name(r)));

  const plan_budget tight{1e-6, std::nullopt, std::nullopt};
  const plan_choice none = plan(pts, tight, 3).value();
  REQUIRE_FALSE(none.best);
  CHECK_THAT(format_plan(pts, none, tight), Contains("nothing fits the budget. " + none.reason));
}
