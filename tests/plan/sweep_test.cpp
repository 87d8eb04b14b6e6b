// Tests of plan/sweep.hpp: the grid enumerates its cartesian product in the
// documented order, each row carries exactly what estimate_request gives for
// its point, and a value that failed to resolve (or a bad mode, or a missing
// quant) turns into an error on exactly the rows that use it, first failure first.
#include <catch2/catch.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
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

namespace {

/// Every number of two estimates is the same to the last bit.
void check_same(const request_estimate<double>& a, const request_estimate<double>& b) {
  CHECK(a.ttft_s == b.ttft_s);
  CHECK(a.decode_s == b.decode_s);
  CHECK(a.total_s == b.total_s);
  CHECK(a.tpot_s == b.tpot_s);
  CHECK(a.output_tokens_per_s == b.output_tokens_per_s);
  CHECK(a.prefill_flops == b.prefill_flops);
  CHECK(a.prefill_bytes == b.prefill_bytes);
  CHECK(a.decode_flops == b.decode_flops);
  CHECK(a.decode_bytes == b.decode_bytes);
  CHECK(a.decode_steps == b.decode_steps);
  CHECK(a.prefill_energy_j == b.prefill_energy_j);
  CHECK(a.decode_energy_j == b.decode_energy_j);
  CHECK(a.energy_j == b.energy_j);
  CHECK(a.module_energy_j == b.module_energy_j);
  CHECK(a.prefill_power_w == b.prefill_power_w);
  CHECK(a.decode_power_w == b.decode_power_w);
  CHECK(a.avg_power_w == b.avg_power_w);
  CHECK(a.peak_power_w == b.peak_power_w);
  CHECK(a.host_busy_s == b.host_busy_s);
  CHECK(a.j_per_token == b.j_per_token);
  CHECK(a.tokens_per_j == b.tokens_per_j);
  CHECK(a.memory.total_bytes == b.memory.total_bytes);
  CHECK(a.memory.weights_bytes == b.memory.weights_bytes);
  CHECK(a.memory.fits == b.memory.fits);
  CHECK(a.cold_start_s == b.cold_start_s);
  CHECK(a.kv == b.kv);
  CHECK(a.mode_index == b.mode_index);
  CHECK(a.prefill_clock_scale == b.prefill_clock_scale);
  CHECK(a.decode_clock_scale == b.decode_clock_scale);
  for (const auto* s : {&a.prefill, &a.first_decode}) {
    const auto& t = s == &a.prefill ? b.prefill : b.first_decode;
    CHECK(s->time_s == t.time_s);
    CHECK(s->energy_j == t.energy_j);
    CHECK(s->binds == t.binds);
    CHECK(s->op_count == t.op_count);
    for (std::size_t i = 0; i < s->op_count; ++i) CHECK(s->ops[i].time_s == t.ops[i].time_s);
  }
}

/// A grid over every kind of case (dense, MoE, sliding window, GGUF, batches,
/// samples with and without prefix sharing) with points that fail validation
/// in the middle of a run of output lengths (I + O beyond the context) and
/// whole runs whose workload fails (batch 0) between runs of the same
/// descriptions that pass (the sweep checks only the workload there).
sweep_grid mixed_grid() {
  sweep_grid g;
  for (const char* id : {"dsr1-qwen-1.5b", "gemma-3-1b", "mixtral-8x7b"})
    g.models.push_back(ok(id, sweep_model{*find_model_or_null(id), {}}));
  for (const char* id : {"bf16", "w4a16", "q4_k_m"})
    g.quants.push_back(ok(id, std::optional<quant_spec>{*find_quant_or_null(id)}));
  g.devices = {ok("agx-orin-64gb", *find_device_or_null("agx-orin-64gb")),
               ok("orin-nano-8gb", *find_device_or_null("orin-nano-8gb"))};
  g.modes = {"", "15W"};  // the default (no budget) and a budget that throttles some points
  for (const char* id : {"vllm", "llama.cpp"}) g.runtimes.push_back(ok(id, *find_runtime_or_null(id)));
  g.batches = {1, 0, 3};
  g.samples = {1, 4};
  g.input_tokens = {100, 2048};
  g.output_tokens = {1, 2, 777, 40000, 5000};
  return g;
}

}  // namespace

TEST_CASE("a sweep on any number of threads gives estimate_request of every point, to the last bit") {
  const sweep_grid g = mixed_grid();
  REQUIRE(find_device_or_null("orin-nano-8gb") != nullptr);
  std::vector<std::optional<request_estimate<double>>> ref;
  std::vector<std::string> ref_error;
  std::size_t failed = 0;
  for_each_case(g, [&](const sweep_row& r) {
    const auto& d = g.devices[r.at.device].value;
    auto e = estimate_request<double>(g.models[r.at.model].value.spec, *g.quants[r.at.quant].value, d,
                                      find_mode(d, g.modes[r.at.mode]).value(), g.runtimes[r.at.runtime].value,
                                      r.load);
    ref_error.push_back(e ? std::string() : e.error_value().message);
    ref.push_back(e ? std::optional<request_estimate<double>>(*e) : std::nullopt);
    failed += e ? 0 : 1;
  });
  REQUIRE(static_cast<double>(ref.size()) == g.size());
  CHECK(failed > 0);               // some points fail (I + O beyond the context) ...
  CHECK(failed < ref.size() / 2);  // ... most do not
  for (unsigned threads : {0u, 1u, 2u, 3u, 5u}) {  // 0: automatic
    for (std::size_t chunk : {std::size_t{0}, std::size_t{3}, std::size_t{5}, std::size_t{35}}) {  // 3 splits runs of O
      INFO("threads " << threads << ", chunk " << chunk);
      const auto rows = run_sweep(g, sweep_options{threads, chunk});
      REQUIRE(rows.size() == ref.size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO("point " << i);
        REQUIRE(rows[i].at.index == i);
        REQUIRE(rows[i].ok() == ref[i].has_value());
        CHECK(rows[i].error == ref_error[i]);
        if (ref[i]) check_same(*rows[i].estimate, *ref[i]);
      }
    }
  }
}

TEST_CASE("the automatic thread count starts threads only for grids with work for them") {
  using detail::sweep::useful_threads;
  CHECK(useful_threads(0, 1) == 1);
  CHECK(useful_threads(4096, 64) == 1);     // 64 runs of 64 O: ~0.6 ms of work
  CHECK(useful_threads(10000, 10000) == 1); // one run of 10 000 O: ~1 ms
  CHECK(useful_threads(11520, 3) >= 2);     // 3 840 runs of 3 O: ~13 ms
  CHECK(useful_threads(10080000, 350) >= 2);
  CHECK(useful_threads(std::size_t{1} << 50, 1) == 1024);  // capped, no overflow
}

TEST_CASE("sweep_map hands results over in row order and rethrows a worker's exception") {
  const sweep_grid g = mixed_grid();
  std::vector<std::size_t> seen;
  sweep_map(g, sweep_options{3, 10}, [](const sweep_row& r) { return r.at.index; },
            [&](std::size_t i) { seen.push_back(i); });
  REQUIRE(static_cast<double>(seen.size()) == g.size());
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i);
  const auto boom = [](const sweep_row& r) -> int {
    if (r.at.index == 123) throw std::runtime_error("boom");
    return 0;
  };
  CHECK_THROWS_WITH(sweep_map(g, sweep_options{3, 10}, boom, [](int) {}), "boom");
  CHECK_THROWS_WITH(sweep_map(g, sweep_options{1, 0}, boom, [](int) {}), "boom");
}

TEST_CASE("one prepared request serves every output length: prepare + finish is estimate_unchecked") {
  // With and without a power budget: where the budget binds, finish_request
  // throttles that O's decode phase; where it does not (or at O = 1), the
  // prepared plan serves, also right after a throttled O.
  const sweep_grid g = mixed_grid();
  const runtime_spec& r = g.runtimes[0].value;
  std::size_t throttled = 0, full = 0;
  for (const char* model : {"dsr1-qwen-1.5b", "gemma-3-1b"}) {  // gemma-3-1b: two attention groups
    const model_spec& m = *find_model_or_null(model);
    for (const char* quant : {"bf16", "q4_k_m"}) {
      const quant_spec& q = *find_quant_or_null(quant);
      for (const auto& [dev, mode] : {std::pair{"agx-orin-64gb", "MAXN"}, {"agx-orin-64gb", "15W"},
                                      {"orin-nano-8gb", "MAXN_SUPER"}, {"orin-nano-8gb", "7W"}}) {
        const device_spec& d = *find_device_or_null(dev);
        const int mi = find_mode(d, mode).value();
        for (const workload w0 : {workload{2, 3, 300, 1, {}}, workload{1, 1, 64, 1, {}}}) {
          INFO(model << " " << quant << " " << dev << " " << mode << " b=" << w0.batch << " I=" << w0.input_tokens);
          workload w = w0;
          request_estimate<double> e{};
          request_prep<double> p{};
          prepare_request(m, q, case_device_state<double>(d, mi, r), mi, r, w, e, p);
          for (int o : {1, 2, 3, 17, 256, 4096, 30000, 64, 1, 5000, 2}) {
            INFO("O " << o);
            w.output_tokens = o;
            finish_request(m, q, d, r, w, p, e);
            const request_estimate<double> ref = estimate_unchecked<double>(m, q, d, mi, r, w);
            check_same(e, ref);
            (ref.decode_clock_scale < 1 ? throttled : full) += 1;
          }
        }
      }
    }
  }
  CHECK(throttled > 10);  // both paths of finish_request ran
  CHECK(full > 10);
}
