// Tests of plan/sweep.hpp: the grid enumerates its cartesian product in the
// documented order, each row carries exactly what estimate_request gives for
// its point, and a value that failed to resolve (or a bad mode, or a missing
// quant) turns into an error on exactly the rows that use it, first failure first.
#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/plan/sweep.hpp"

using namespace edgeperf;
using Catch::Matchers::Contains;

namespace {

template <class T>
sweep_value<T> ok(std::string label, T v) {
  return sweep_value<T>{std::move(label), std::move(v), {}};
}
template <class T>
sweep_value<T> bad(std::string label, std::string error) {
  return sweep_value<T>{std::move(label), T{}, std::move(error)};
}

sweep_grid small_grid() {
  sweep_grid g;
  g.models = {ok("dsr1-qwen-1.5b", sweep_model{*find_model_or_null("dsr1-qwen-1.5b"), {}}),
              ok("qwen2.5-0.5b", sweep_model{*find_model_or_null("qwen2.5-0.5b"), {}})};
  g.quants = {ok("bf16", std::optional<quant_spec>{*find_quant_or_null("bf16")}),
              ok("w4a16", std::optional<quant_spec>{*find_quant_or_null("w4a16")})};
  g.devices = {ok("agx-orin-64gb", *find_device_or_null("agx-orin-64gb"))};
  g.modes = {"", "30w"};
  g.runtimes = {ok("vllm", *find_runtime_or_null("vllm"))};
  g.batches = {1, 4};
  g.input_tokens = {128, 512};
  g.output_tokens = {1, 64};
  return g;
}

}  // namespace

TEST_CASE("a sweep enumerates the product, last axis fastest") {
  const sweep_grid g = small_grid();
  CHECK(g.size() == 2.0 * 2 * 1 * 2 * 1 * 1 * 2 * 1 * 2 * 2);
  const std::vector<sweep_row> rows = run_sweep(g);
  REQUIRE(static_cast<double>(rows.size()) == g.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const sweep_point& p = rows[i].at;
    CHECK(p.index == i);
    // Mixed-radix decoding of the index, innermost (output) first.
    std::size_t k = i;
    CHECK(p.output == k % 2);
    k /= 2;
    CHECK(p.input == k % 2);
    k /= 2;
    CHECK(p.samples == 0);
    CHECK(p.batch == k % 2);
    k /= 2;
    CHECK(p.kv_dtype == 0);
    CHECK(p.runtime == 0);
    CHECK(p.mode == k % 2);
    k /= 2;
    CHECK(p.device == 0);
    CHECK(p.quant == k % 2);
    k /= 2;
    CHECK(p.model == k);
  }
  std::size_t n = 0;
  for_each_case(g, [&](const sweep_row& r) { CHECK(r.at.index == n++); });
  CHECK(n == rows.size());
}

TEST_CASE("each row is estimate_request of its point") {
  const sweep_grid g = small_grid();
  for (const sweep_row& r : run_sweep(g)) {
    REQUIRE(r.ok());
    CHECK(r.error.empty());
    const auto& d = g.devices[r.at.device].value;
    const int mode = find_mode(d, g.modes[r.at.mode]).value();
    CHECK(r.mode == d.modes[static_cast<std::size_t>(mode)].name.view());
    CHECK(r.quant == g.quants[r.at.quant].label);
    CHECK(r.load.batch == g.batches[r.at.batch]);
    CHECK(r.load.input_tokens == g.input_tokens[r.at.input]);
    CHECK(r.load.output_tokens == g.output_tokens[r.at.output]);
    const auto e = estimate_request<double>(g.models[r.at.model].value.spec, *g.quants[r.at.quant].value, d, mode,
                                            g.runtimes[r.at.runtime].value, r.load)
                       .value();
    CHECK(r.estimate->ttft_s == e.ttft_s);
    CHECK(r.estimate->decode_s == e.decode_s);
    CHECK(r.estimate->energy_j == e.energy_j);
    CHECK(r.estimate->memory.total_bytes == e.memory.total_bytes);
    CHECK(r.estimate->mode_index == mode);
  }
}

TEST_CASE("failed values become errors on the rows that use them") {
  sweep_grid g = small_grid();
  g.models.push_back(bad<sweep_model>("nope", "unknown model id 'nope'"));
  g.devices.push_back(bad<device_spec>("dev.json", "dev.json: cannot open file"));
  g.modes = {"", "99W"};
  g.kv_dtypes = {sweep_value<std::optional<dtype>>{}, ok("fp8", std::optional<dtype>{dtype::fp8}),
                 bad<std::optional<dtype>>("zz", "kv_dtype: unknown dtype 'zz'")};
  g.quants.push_back(ok("", std::optional<quant_spec>{}));  // the model's own dtype: catalog models have none
  std::size_t rows = 0;
  for_each_case(g, [&](const sweep_row& r) {
    ++rows;
    const auto& p = r.at;
    INFO(p.index);
    const bool bad_kv = p.kv_dtype == 2, bad_model = p.model == 2, bad_device = p.device == 1,
               bad_mode = p.mode == 1, no_quant = p.quant == 2;
    if (bad_kv) {
      CHECK(r.error == "kv_dtype: unknown dtype 'zz'");
    } else if (bad_model) {
      CHECK(r.error == "unknown model id 'nope'");
    } else if (bad_device) {
      CHECK(r.error == "dev.json: cannot open file");
    } else if (bad_mode) {
      CHECK_THAT(r.error, Contains("99W"));
      CHECK(r.mode == "99W");  // as given
    } else if (no_quant) {
      CHECK_THAT(r.error, Contains("no quant given") && Contains(g.models[p.model].label));
      CHECK(r.mode == "MAXN");  // resolved before the quant failed
    } else {
      CHECK(r.ok());
      CHECK(r.load.kv_dtype == g.kv_dtypes[p.kv_dtype].value);
      if (p.kv_dtype == 1) CHECK(r.estimate->kv == dtype::fp8);
    }
    CHECK(r.ok() == r.error.empty());
  });
  CHECK(static_cast<double>(rows) == g.size());
}

TEST_CASE("a model's default quant is used when the quant axis says so") {
  sweep_grid g = small_grid();
  g.models = {ok("cfg", sweep_model{*find_model_or_null("qwen2.5-0.5b"), *find_quant_or_null("bf16")})};
  g.quants = {ok("", std::optional<quant_spec>{})};
  const auto rows = run_sweep(g);
  REQUIRE_FALSE(rows.empty());
  for (const sweep_row& r : rows) {
    REQUIRE(r.ok());
    CHECK(r.quant == "bf16");
  }
}

TEST_CASE("an empty axis gives no rows") {
  sweep_grid g = small_grid();
  g.output_tokens.clear();
  CHECK(g.size() == 0);
  CHECK(run_sweep(g).empty());
}
