// Tests of fit/validate.hpp, the validate/fit orchestration: metric selection
// and pairs of hand-made rows (order, filters, errors naming the value), and on
// the EdgeReasoning set that validate_runs / fit_latency_runs /
// fit_energy_runs give exactly what the underlying fits and statistics give
// (the orchestration adds no numerics of its own).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "../support/edgereasoning.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/fit/validate.hpp"
#include "edgeperf/io/runs_csv.hpp"

using namespace edgeperf;
using Catch::Matchers::Contains;

namespace {

fit::run_row row(std::string device, std::string runtime, std::string metric, std::string mode = "MAXN") {
  fit::run_row r{};
  r.model = "dsr1-llama-8b";
  r.device = std::move(device);
  r.mode = std::move(mode);
  r.runtime = std::move(runtime);
  r.quant = "bf16";
  r.metric = std::move(metric);
  r.value = 1;
  r.where = "runs.csv:" + std::to_string(2);
  return r;
}

void check_same(const std::vector<fit::metric_stats>& a, const std::vector<fit::metric_stats>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].metric == b[i].metric);
    CHECK(a[i].n == b[i].n);
    CHECK(a[i].mape == b[i].mape);
    CHECK(a[i].worst == b[i].worst);
    CHECK(a[i].worst_where == b[i].worst_where);
  }
}

}  // namespace

TEST_CASE("select_metrics splits latency and energy metrics", "[fit][validate]") {
  const std::vector<fit::run_row> rows{row("d", "r", "decode_s"), row("d", "r", "decode_avg_power_w"),
                                       row("d", "r", "ttft_s"), row("d", "r", "decode_s"),
                                       row("d", "r", "gpu_temp_c")};
  const auto all = fit::select_metrics(rows, {});
  REQUIRE(all);
  CHECK(all->latency == std::vector<std::string>{"decode_s", "ttft_s"});
  CHECK(all->energy == std::vector<std::string>{"decode_avg_power_w"});
  const auto some = fit::select_metrics(rows, {"total_energy_gpu_soc_j", "tts_total_s"});
  REQUIRE(some);
  CHECK(some->latency == std::vector<std::string>{"tts_total_s"});
  CHECK(some->energy == std::vector<std::string>{"total_energy_gpu_soc_j"});
  const auto bad = fit::select_metrics(rows, {"ttft_s", "watts"});
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error_value().message, Contains("'watts'") && Contains("ttft_s") && Contains("decode_avg_power_w"));
}

TEST_CASE("run_pairs lists the (device, runtime) pairs in order, filtered", "[fit][validate]") {
  const std::vector<fit::run_row> rows{row("b", "x", "decode_s"), row("a", "x", "decode_s"),
                                       row("b", "x", "ttft_s"), row("b", "y", "ttft_s")};
  const auto all = fit::run_pairs(rows);
  REQUIRE(all);
  CHECK(*all == std::vector<std::pair<std::string, std::string>>{{"b", "x"}, {"a", "x"}, {"b", "y"}});
  const auto only_b = fit::run_pairs(rows, "b");
  REQUIRE(only_b);
  CHECK(only_b->size() == 2);
  const auto only_y = fit::run_pairs(rows, "", "y");
  REQUIRE(only_y);
  CHECK(*only_y == std::vector<std::pair<std::string, std::string>>{{"b", "y"}});
  const auto none = fit::run_pairs(rows, "c", "x");
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error_value().message, Contains("'c'") && Contains("'x'"));
}

TEST_CASE("energy_fit_mode names the mode of the energy rows, or why there is none", "[fit][validate]") {
  const device_spec d = find_device("agx-orin-64gb").value();
  const runtime_spec r = find_runtime("vllm").value();
  std::vector<fit::run_row> rows{row("agx-orin-64gb", "vllm", "decode_s", "15W"),
                                 row("agx-orin-64gb", "vllm", "decode_avg_power_w", "30W")};
  const auto m = fit::energy_fit_mode(rows, d, r);
  REQUIRE(m);
  CHECK(d.modes[static_cast<std::size_t>(*m)].name.view() == "30W");
  rows[1].mode = "99W";
  const auto bad = fit::energy_fit_mode(rows, d, r);
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error_value().message, Contains("runs.csv:2") && Contains("99W"));
  rows.pop_back();
  const auto none = fit::energy_fit_mode(rows, d, r);
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error_value().message, Contains("no energy rows"));
  // The start of the energy fit is the mode's current values.
  const fit::energy_params p = fit::energy_start(d, 0);
  CHECK(p.static_power_w == d.modes[0].static_power_w.value);
  CHECK(p.pj_per_byte_dram == d.pj_per_byte_dram.value);
}

TEST_CASE("validate_runs and the fit reports are the fits' own numbers", "[fit][validate]") {
  const auto rows = io::load_runs(test::edgereasoning_csv);
  const auto rc = test::catalog_resolver();
  const device_spec d = find_device("agx-orin-64gb").value();
  const runtime_spec r = find_runtime("vllm").value();
  const auto sel = fit::select_metrics(rows, {}).value();
  REQUIRE_FALSE(sel.latency.empty());
  REQUIRE_FALSE(sel.energy.empty());
  fit::validate_options o{};
  o.exclude = {"ttft_s@2561"};
  o.score_min_output = 256;

  std::vector<fit::row_prediction> preds;
  const fit::validation v = fit::validate_runs(rows, rc, d, r, sel, o, &preds);
  fit::latency_fit_options lo{};
  lo.exclude = o.exclude;
  lo.metrics = sel.latency;
  check_same(v.latency, fit::latency_stats(rows, rc, d, r, lo));
  CHECK(v.sensor_ramp_s == power_sensor{d.sensor_ramp_s.value}.ramp_s);
  // The long-output rule: decode power scored on O >= 256 only, prefill power on all its rows.
  fit::energy_fit_options eo{};
  eo.exclude = o.exclude;
  eo.metrics = {"decode_avg_power_w"};
  eo.score_min_output = 256;
  const power_sensor sensor{d.sensor_ramp_s.value};
  const auto long_only = fit::energy_stats(rows, rc, d, r, sensor, eo);
  eo.score_min_output = 0;
  const auto all_rows = fit::energy_stats(rows, rc, d, r, sensor, eo);
  REQUIRE(long_only.size() == 1);
  for (const auto& s : v.energy)
    if (s.metric == "decode_avg_power_w") {
      CHECK(s.n == long_only[0].n);
      CHECK(s.n < all_rows[0].n);
      CHECK(s.mape == long_only[0].mape);
    }
  std::size_t scored_rows = 0;
  for (const auto& p : preds) scored_rows += p.excluded ? 0 : 1;
  std::size_t counted = 0;
  for (const auto& s : v.latency) counted += static_cast<std::size_t>(s.n);
  for (const auto& s : v.energy) counted += static_cast<std::size_t>(s.n);
  CHECK(scored_rows == counted);

  fit::latency_fit_options fo{};
  fo.exclude = o.exclude;
  fo.start = fit::agx_orin_vllm_start();
  const fit::latency_fit_report lr = fit::fit_latency_runs(rows, rc, d, r, fo);
  const fit::latency_fit_result direct = fit::fit_latency(rows, rc, d, r, fo);
  CHECK(lr.fit.fitted.mem_efficiency == direct.fitted.mem_efficiency);
  check_same(lr.fit.stats, direct.stats);
  device_spec d0 = d;
  runtime_spec r0 = r;
  fit::apply_params(direct.initial, d0, r0, "start");
  check_same(lr.before, fit::latency_stats(rows, rc, d0, r0, fo));

  fit::energy_run_options er{};
  er.scoring = o;
  er.scoring.exclude = {"prefill_avg_power_w@2561", "prefill_energy_gpu_soc_j@2561"};
  er.documented_start = true;
  const auto rep = fit::fit_energy_runs(rows, rc, d, r, er);
  REQUIRE(rep);
  CHECK(rep->metrics == sel.energy);
  CHECK(d.modes[static_cast<std::size_t>(rep->mode)].name.view() == "MAXN");
  CHECK(rep->fit.initial.static_power_w == fit::agx_orin_energy_start().static_power_w);
  REQUIRE(rep->after.size() == rep->before.size());
  REQUIRE_FALSE(rep->scored.empty());
  const auto decode_after = std::find_if(rep->after.begin(), rep->after.end(),
                                         [](const auto& s) { return s.metric == "decode_avg_power_w"; });
  const auto decode_scored = std::find_if(rep->scored.begin(), rep->scored.end(),
                                          [](const auto& s) { return s.metric == "decode_avg_power_w"; });
  REQUIRE(decode_after != rep->after.end());
  REQUIRE(decode_scored != rep->scored.end());
  CHECK(decode_scored->n < decode_after->n);

  er.metrics = {"decode_s"};
  const auto bad = fit::fit_energy_runs(rows, rc, d, r, er);
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error_value().message, Contains("'decode_s' is not an energy metric"));
}
