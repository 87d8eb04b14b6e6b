// The planner (plan/planner.hpp): the documented optimum on a hand-derived toy
// case, energy and memory budgets, "nothing fits" as a value, missing accuracy
// cells, the exact frontier against brute force, the vote rule, the
// discretized length law, and the parallel-sampling latency against the shared
// EdgeReasoning tts_total_s rows.
#include "edgeperf/plan/planner.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "../support/test_specs.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/io/runs_csv.hpp"

using namespace edgeperf;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// ---- the constructed case ----------------------------------------------------------------
//
// Device: the toy GPU of tests/support (100 GB/s, no latencies, no launch
// costs) with its tensor rate raised to 10⁶ FLOP/clk/SM so that every step is
// memory-bound even with the runtime's 128-row tile padding; runtime: the toy
// runtime (no host costs); mode FULL only; input I = 100; BF16.
//
// Models: one Llama-like shape (hidden 2048, 16 heads / 4 KV heads of 128,
// FFN 8192, vocab 32000) with 16 layers ("big") or 8 layers ("small"). The
// planner finds output lengths by model id, so the shapes borrow ids of the
// built-in output-length table:
//   big   as dsr1-qwen-14b  reasoning: E[L] = 1317.8 tokens; budget 256 cut: 112.9
//   small as dsr1-llama-8b  reasoning: E[L] =  811.1 tokens
//   big   as qwen2.5-7b     direct:    E[L] =   40.2 tokens
// A decode step reads the weights except the embedding table (vocab·hidden·2
// bytes, only looked up), so per token t = (W − 2·32000·2048) / 100 GB/s:
//   big:   W ≈ 2.21 GB → t ≈ 20.8 ms;   small: W ≈ 1.24 GB → t ≈ 11.0 ms,
// and latency ≈ E[L]·t (prefill of 100 tokens adds ~20 ms, the KV reads ~2 %):
//   A  = big reasoning          ≈ 1317.8 · 20.8 ms ≈ 27.4 s   accuracy 0.85 (table)
//   A' = big reasoning, 256 cut ≈  112.9 · 20.8 ms ≈  2.3 s   accuracy 0.70 (table)
//   D  = small reasoning        ≈  811.1 · 11.0 ms ≈  9.0 s   accuracy 0.75 (table)
//   B  = big direct             ≈   40.2 · 20.8 ms ≈  0.84 s  accuracy 0.60 (table)
// The plan is the most accurate point within the budget, so:
//   60 s → A;  20 s → D;  5 s → A';  2 s → B;  0.5 s → nothing (the fastest is B).
// Not in the table (missing, never interpolated between A and A'): big
// reasoning with a 128 cut, big and small no-reasoning, small with a 128 cut.

constexpr double toy_bandwidth = 100e9;  // bytes/s, tests/support/test_specs.hpp
constexpr double embedding_bytes = 32000.0 * 2048 * 2;

model_spec sized_model(const char* id, int layers) {
  model_spec m = test::toy_model();
  m.id = id;
  m.layers = layers;
  m.hidden = 2048;
  m.heads = 16;
  m.kv_heads = 4;
  m.head_dim = 128;
  m.ffn = 8192;
  m.vocab = 32000;
  m.max_context = 1 << 16;
  return m;
}

device_spec memory_bound_toy_gpu() {
  device_spec d = test::toy_gpu();
  d.tensor_bf16_flops_per_clk = {1e6};
  d.tensor_fp16_flops_per_clk = {1e6};
  return d;
}

accuracy_row row(const char* model, const char* mode, double acc, std::optional<long long> budget = {},
                 unsigned n = 1, const char* source = "planner_test") {
  accuracy_row r;
  r.key = {model, "mmlu-redux", mode, budget, n};
  r.accuracy = acc;
  r.source = source;
  return r;
}

plan_request toy_request() {
  plan_request r;
  r.models = {sized_model("dsr1-qwen-14b", 16), sized_model("dsr1-llama-8b", 8), sized_model("qwen2.5-7b", 16)};
  r.quants = {find_quant("bf16").value()};
  r.devices = {memory_bound_toy_gpu()};
  r.runtime = test::toy_runtime();
  r.power_modes = {"FULL"};
  r.answer_modes = {{"reasoning"}, {"reasoning", 256, true}, {"reasoning", 128, true}, {"no-reasoning"}, {"direct"}};
  r.samples = {1};
  r.input_tokens = 100;
  r.accuracy.rows = {row("dsr1-qwen-14b", "reasoning", 0.85), row("dsr1-qwen-14b", "reasoning", 0.70, 256),
                     row("dsr1-llama-8b", "reasoning", 0.75), row("qwen2.5-7b", "direct", 0.60)};
  return r;
}

const plan_point& find_point(const std::vector<plan_point>& pts, const std::string& model, const std::string& mode,
                             std::optional<long long> budget = {}, unsigned n = 1) {
  for (const plan_point& p : pts)
    if (p.model == model && p.answer == mode && p.budget_tokens == budget && p.samples == n) return p;
  FAIL("no point " << model << " " << mode);
  return pts.front();
}

std::string describe(const plan_point& p) {
  return p.model + " " + p.answer + (p.budget_tokens ? " " + std::to_string(*p.budget_tokens) : "") + " n=" +
         std::to_string(p.samples) + " " + p.quant + " " + p.power_mode;
}

/// O(n²) reference frontier over the usable points: i is kept unless some usable
/// j weakly dominates it and is strictly better somewhere, or equals it with j < i.
std::vector<std::size_t> brute_force_frontier(const std::vector<plan_point>& pts) {
  const auto obj = [](const plan_point& p) {
    return std::array<double, 4>{p.latency_s, p.energy_j, -*p.accuracy, p.memory_bytes};
  };
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (!pts[i].usable) continue;
    bool keep = true;
    for (std::size_t j = 0; j < pts.size() && keep; ++j) {
      if (j == i || !pts[j].usable) continue;
      const auto a = obj(pts[j]), b = obj(pts[i]);
      bool weak = true, strict = false;
      for (std::size_t k = 0; k < 4; ++k) {
        weak = weak && a[k] <= b[k];
        strict = strict || a[k] < b[k];
      }
      if (weak && (strict || j < i)) keep = false;
    }
    if (keep) out.push_back(i);
  }
  return out;
}

}  // namespace

TEST_CASE("planner: the toy case matches the hand derivation", "[plan][planner]") {
  const plan_request req = toy_request();
  const std::vector<plan_point> pts = enumerate_plans(req);
  // 3 models × 5 answer modes, minus the cells without a published output length
  // (qwen2.5-7b has only `direct`; the reasoning models have no `direct`).
  REQUIRE(pts.size() == 9);
  for (const plan_point& p : pts) {
    CAPTURE(describe(p));
    CHECK(p.error.empty());
    CHECK(p.fits);
  }
  // Latency ≈ E[L] · (W − embedding) / BW, the derivation above, within 5 %.
  for (const plan_point& p : pts) {
    const int layers = p.model == "dsr1-llama-8b" ? 8 : 16;
    const model_spec m = sized_model(p.model.c_str(), layers);
    const workload w{1, 1, 100, 100, {}};
    const double weights = estimate_request<double>(m, req.quants[0], req.devices[0], 0, req.runtime, w)
                               .value()
                               .memory.weights_bytes;
    const double hand = p.mean_output_tokens * (weights - embedding_bytes) / toy_bandwidth;
    CAPTURE(describe(p), p.mean_output_tokens, weights, hand);
    CHECK_THAT(p.latency_s, WithinRel(hand, 0.05));
  }
  const plan_point& A = find_point(pts, "dsr1-qwen-14b", "reasoning");
  const plan_point& A256 = find_point(pts, "dsr1-qwen-14b", "reasoning", 256);
  const plan_point& D = find_point(pts, "dsr1-llama-8b", "reasoning");
  const plan_point& B = find_point(pts, "qwen2.5-7b", "direct");
  CHECK_THAT(A.mean_output_tokens, WithinRel(1317.8, 1e-12));
  CHECK_THAT(A256.mean_output_tokens, WithinRel(112.9, 1e-6));  // the cut law is solved to the published mean
  CHECK(B.latency_s < 2.0);
  CHECK(A256.latency_s > 2.0);
  CHECK(A256.latency_s < 5.0);
  CHECK(D.latency_s > 5.0);
  CHECK(D.latency_s < 20.0);
  CHECK(A.latency_s > 20.0);
  CHECK(A.latency_s < 60.0);

  const auto pick = [&](plan_budget b) {
    auto c = plan(pts, b);
    REQUIRE(c);
    return *c;
  };
  SECTION("latency budgets pick the most accurate point that fits") {
    const plan_choice c60 = pick({60.0});
    REQUIRE(c60.best);
    CHECK(describe(*c60.best) == describe(A));
    CHECK(c60.evaluated == 9);
    CHECK(c60.usable == 4);
    CHECK(c60.feasible == 4);
    CHECK(c60.missing_accuracy == 5);
    REQUIRE(c60.runners_up.size() == 3);  // best first: D 0.75, A' 0.70, B 0.60
    CHECK(describe(c60.runners_up[0]) == describe(D));
    CHECK(describe(c60.runners_up[1]) == describe(A256));
    CHECK(describe(c60.runners_up[2]) == describe(B));
    CHECK_THAT(c60.reason, Contains("85") && Contains("within 60 s"));

    CHECK(describe(*pick({20.0}).best) == describe(D));
    CHECK(describe(*pick({5.0}).best) == describe(A256));
    CHECK(describe(*pick({2.0}).best) == describe(B));
    CHECK(pick({5.0}).feasible == 2);
  }
  SECTION("energy and memory budgets") {
    CAPTURE(A.energy_j, D.energy_j, A256.energy_j, B.energy_j, A.memory_bytes, D.memory_bytes);
    REQUIRE(D.energy_j < A.energy_j);
    // An energy budget between D and A leaves D; one below A' and D leaves B.
    CHECK(describe(*pick({60.0, 0.5 * (D.energy_j + A.energy_j)}).best) == describe(D));
    REQUIRE(B.energy_j < A256.energy_j);
    CHECK(describe(*pick({60.0, 0.5 * (B.energy_j + A256.energy_j)}).best) == describe(B));
    // Memory: the small model (8 layers) needs about half; a budget between it and
    // the big model's footprint leaves D.
    const double big_min = std::min({A.memory_bytes, A256.memory_bytes, B.memory_bytes});
    REQUIRE(D.memory_bytes < big_min);
    CHECK(describe(*pick({60.0, std::nullopt, 0.5 * (D.memory_bytes + big_min)}).best) == describe(D));
    const plan_choice none = pick({60.0, std::nullopt, 0.5 * D.memory_bytes});
    CHECK_FALSE(none.best);
    CHECK(none.feasible == 0);
  }
  SECTION("nothing fits is a value naming the fastest option") {
    const plan_choice c = pick({0.5});
    CHECK_FALSE(c.best);
    CHECK(c.runners_up.empty());
    CHECK(c.usable == 4);
    CHECK(c.feasible == 0);
    CHECK_THAT(c.reason, Contains("nothing fits") && Contains("qwen2.5-7b direct") &&
                             Contains(detail::g3(B.latency_s) + " s against 0.5 s") &&
                             Contains("5 configurations have no accuracy data"));
  }
  SECTION("bad budgets are errors") {
    CHECK_FALSE(plan(pts, {0.0}));
    CHECK_FALSE(plan(pts, {-1.0}));
    CHECK_FALSE(plan(pts, {std::nan("")}));
    CHECK_FALSE(plan(pts, {5.0, 0.0}));
    CHECK_FALSE(plan(pts, {5.0, std::nullopt, -1.0}));
    CHECK_THAT(plan(pts, {5.0, -2.0}).error_value().message, Contains("energy budget"));
  }
}

TEST_CASE("planner: missing accuracy cells stay missing", "[plan][planner]") {
  const std::vector<plan_point> pts = enumerate_plans(toy_request());
  // The table has big reasoning without a budget (0.85) and with a 256 cut
  // (0.70); the 128 cut lies between them but must not be interpolated.
  for (const auto& [model, mode, budget] :
       std::vector<std::tuple<std::string, std::string, std::optional<long long>>>{
           {"dsr1-qwen-14b", "reasoning", 128}, {"dsr1-qwen-14b", "no-reasoning", {}},
           {"dsr1-llama-8b", "reasoning", 128}, {"dsr1-llama-8b", "no-reasoning", {}}}) {
    const plan_point& p = find_point(pts, model, mode, budget);
    CAPTURE(describe(p));
    CHECK_FALSE(p.accuracy);
    CHECK_FALSE(p.usable);
    CHECK(p.fits);  // estimated all the same: latency, energy and memory are there
    CHECK(p.latency_s > 0);
    CHECK_THAT(p.accuracy_source, Contains("missing") && Contains(model) && Contains(mode));
  }
  std::size_t missing = 0;
  for (const plan_point& p : pts) missing += p.accuracy ? 0 : 1;
  CHECK(missing == 5);  // the four above and dsr1-llama-8b reasoning 256
  CHECK(plan(pts, {1e9}).value().missing_accuracy == missing);
  // Never on the frontier, never chosen.
  for (std::size_t i : plan_frontier(pts)) CHECK(pts[i].usable);
}

TEST_CASE("planner: the vote is applied for n > 1 only without an explicit cell", "[plan][planner]") {
  plan_request req = toy_request();
  req.samples = {1, 3, 4, 8};
  req.answer_modes = {{"direct"}, {"reasoning"}};
  req.accuracy.rows.push_back(row("qwen2.5-7b", "direct", 0.66, std::nullopt, 4, "measured n=4"));
  for (unsigned options : {2u, 4u}) {
    req.vote_options = options;
    CAPTURE(options);
    const std::vector<plan_point> pts = enumerate_plans(req);
    const auto acc = [&](const char* model, const char* mode, unsigned n) {
      return find_point(pts, model, mode, std::nullopt, n);
    };
    // n = 1: the cell itself.
    CHECK_THAT(*acc("qwen2.5-7b", "direct", 1).accuracy, WithinAbs(0.60, 1e-15));
    CHECK(acc("qwen2.5-7b", "direct", 1).accuracy_source == "planner_test");
    // n = 3, 8: no cell → the vote of n independent samples from the n = 1 cell.
    for (unsigned n : {3u, 8u}) {
      const plan_point& p = acc("qwen2.5-7b", "direct", n);
      CAPTURE(n);
      CHECK_THAT(*p.accuracy, WithinAbs(plurality_vote_accuracy(0.60, n, options), 1e-15));
      CHECK_THAT(p.accuracy_source, Contains("vote of " + std::to_string(n)) && Contains("planner_test"));
    }
    // Binary majority of 3 at p = 0.6 by hand: p³ + 3p²(1 − p) = 0.216 + 0.432 = 0.648.
    if (options == 2) CHECK_THAT(*acc("qwen2.5-7b", "direct", 3).accuracy, WithinAbs(0.648, 1e-12));
    // n = 4: the explicit cell wins over the vote.
    CHECK_THAT(*acc("qwen2.5-7b", "direct", 4).accuracy, WithinAbs(0.66, 1e-15));
    CHECK(acc("qwen2.5-7b", "direct", 4).accuracy_source == "measured n=4");
    // More samples: never faster (the longest of n decides), and n decode together.
    CHECK(acc("dsr1-qwen-14b", "reasoning", 8).latency_s > acc("dsr1-qwen-14b", "reasoning", 1).latency_s);
  }
  // Without an n = 1 cell there is nothing to vote from: missing.
  req.accuracy.rows = {row("qwen2.5-7b", "direct", 0.66, std::nullopt, 4)};
  const std::vector<plan_point> pts = enumerate_plans(req);
  CHECK_FALSE(find_point(pts, "qwen2.5-7b", "direct", std::nullopt, 8).accuracy);
  CHECK(find_point(pts, "qwen2.5-7b", "direct", std::nullopt, 4).accuracy);
}

TEST_CASE("planner: outside the vote's domain the accuracy is missing, not an exception",
          "[plan][planner]") {
  plan_request req = toy_request();
  req.answer_modes = {{"direct"}};
  req.samples = {1, max_exact_vote_samples + 1};
  std::vector<plan_point> pts;
  REQUIRE_NOTHROW(pts = enumerate_plans(req));
  CHECK(find_point(pts, "qwen2.5-7b", "direct", std::nullopt, 1).accuracy);
  const plan_point& many = find_point(pts, "qwen2.5-7b", "direct", std::nullopt, max_exact_vote_samples + 1);
  CHECK_FALSE(many.accuracy);
  CHECK_FALSE(many.usable);
  CHECK_THAT(many.accuracy_source, Contains("missing") && Contains("at most 64 samples") && Contains("n=65"));
  req.samples = {3};
  req.vote_options = 1;  // not a vote
  REQUIRE_NOTHROW(pts = enumerate_plans(req));
  CHECK_THAT(find_point(pts, "qwen2.5-7b", "direct", std::nullopt, 3).accuracy_source, Contains("1 options"));
}

TEST_CASE("planner: the frontier keeps exactly the undominated usable points", "[plan][planner][pareto]") {
  // The toy case with samples and both power modes, and the robot case on the
  // catalog (AGX Orin 64GB, every mode): brute force over the enumerated points.
  plan_request toy = toy_request();
  toy.samples = {1, 2, 3, 4};
  toy.power_modes = {};
  plan_request robot;
  for (const char* id : {"dsr1-qwen-1.5b", "dsr1-llama-8b", "dsr1-qwen-14b", "llama-3.1-8b", "qwen2.5-7b"})
    robot.models.push_back(find_model(id).value());
  for (const char* id : {"bf16", "w8a16", "w4a16"}) robot.quants.push_back(find_quant(id).value());
  robot.devices = {find_device("agx-orin-64gb").value()};
  robot.runtime = find_runtime("vllm").value();
  robot.samples = {1, 2, 4, 8};
  robot.accuracy = builtin_accuracy_table();
  for (const plan_request* req : {&toy, &robot}) {
    const std::vector<plan_point> pts = enumerate_plans(*req);
    const std::vector<std::size_t> front = plan_frontier(pts);
    CAPTURE(pts.size(), front.size());
    CHECK(front == brute_force_frontier(pts));
    CHECK(front.size() >= 2);
    CHECK(front.size() < pts.size());
    // The fastest usable and the most accurate usable point are on it.
    std::size_t fastest = pts.size(), best = pts.size();
    for (std::size_t i = 0; i < pts.size(); ++i) {
      if (!pts[i].usable) continue;
      if (fastest == pts.size() || pts[i].latency_s < pts[fastest].latency_s) fastest = i;
      if (best == pts.size() || *pts[i].accuracy > *pts[best].accuracy) best = i;
    }
    const auto on_front = [&](std::size_t i) {
      return std::find(front.begin(), front.end(), i) != front.end();
    };
    CHECK(on_front(fastest));
    // The most accurate point may tie in accuracy with a faster one; one of the ties is kept.
    bool acc_kept = false;
    for (std::size_t i : front) acc_kept = acc_kept || *pts[i].accuracy == *pts[best].accuracy;
    CHECK(acc_kept);
    // The plan under any latency budget is on the frontier or ties a frontier point
    // in accuracy and latency (equal points keep the first).
    for (double budget : {1.0, 5.0, 20.0, 60.0, 600.0}) {
      const plan_choice c = plan(pts, {budget}).value();
      if (!c.best) continue;
      bool ok = false;
      for (std::size_t i : front)
        ok = ok || (*pts[i].accuracy == *c.best->accuracy && pts[i].latency_s <= c.best->latency_s);
      CAPTURE(budget, describe(*c.best));
      CHECK(ok);
    }
  }
}

TEST_CASE("planner: discretize keeps E[L] exact and E[max of n] within 1 %", "[plan][planner][output_length]") {
  // Budgets are chosen clear of the mean: see the report on expected_max's
  // Boost 1.74 tanh-sinh assertion for a cut at 4 × the mean with CV ≥ 1.25.
  for (double cv : {0.5, 0.75, 1.0, 1.25, 1.5}) {
    for (double budget : {0.0, 256.0, 1000.0}) {
      output_length law = output_length::lognormal_mean_cv(500.0, cv).value();
      if (budget > 0) law = law.with_budget(budget).value();
      const output_length d = discretize(law, plan_request{}.length_bins);
      CAPTURE(cv, budget);
      REQUIRE(d.is_discrete());
      CHECK_THAT(expected(d), WithinRel(expected(law), 1e-9));
      if (budget > 0) CHECK(quantile(d, 1.0) <= budget);
      for (unsigned n = 1; n <= 16; ++n) {
        CAPTURE(n);
        CHECK_THAT(expected_max(d, n), WithinRel(expected_max(law, n), 0.01));
      }
    }
  }
  // Gamma laws go through the same path.
  const output_length g = output_length::gamma_mean_cv(300.0, 1.2).value();
  const output_length dg = discretize(g);
  CHECK_THAT(expected(dg), WithinRel(300.0, 1e-9));
  CHECK_THAT(expected_max(dg, 8), WithinRel(expected_max(g, 8), 0.01));
  // Fixed and histogram laws come back unchanged.
  const output_length f = output_length::fixed(128).value();
  CHECK(std::get<fixed_law>(discretize(f).law()).tokens == 128);
}

TEST_CASE("planner: parallel-sampling latency reproduces the tts_total_s rows", "[plan][planner][validation]") {
  // EdgeReasoning test-time scaling on an AGX Orin 64GB (tests/data,
  // data/): N parallel samples of DSR1-Llama-8B BF16 on vLLM, I = 128,
  // O = 128 each (fixed length, so E[max of N] = 128).
  const auto runs = io::load_runs(std::string(EDGEPERF_SOURCE_DIR) + "/data/edgereasoning-dsr1-llama-8b.csv");
  const model_spec m = find_model("dsr1-llama-8b").value();
  const quant_spec q = find_quant("bf16").value();
  const device_spec d = find_device("agx-orin-64gb").value();
  const runtime_spec r = find_runtime("vllm").value();
  const output_length fixed128 = output_length::fixed(128).value();
  double sum = 0;
  std::vector<int> seen;
  for (const auto& run : runs) {
    if (run.metric != "tts_total_s") continue;
    REQUIRE(run.input_tokens == 128);
    REQUIRE(run.output_tokens == 128);
    const unsigned n = static_cast<unsigned>(run.samples);
    // The planner's integral E[total_s(I, max of n)] over the (fixed) length law.
    const double predicted = expectation_of_max(fixed128, n, [&](double tokens) {
      const workload w{1, static_cast<int>(n), 128, static_cast<int>(tokens), {}};
      return estimate_request<double>(m, q, d, 0, r, w).value().total_s;
    });
    const double err = std::abs(predicted / run.value - 1.0);
    CAPTURE(n, run.value, predicted, err);
    CHECK(err < 0.15);
    sum += err;
    seen.push_back(run.samples);
  }
  CHECK(seen == std::vector<int>{1, 2, 4, 8, 16, 32});
  const double mape = sum / static_cast<double>(seen.size());
  CAPTURE(mape);
  CHECK(mape < 0.10);
}

TEST_CASE("planner: the prepared per-bin path gives estimate_request's numbers to the last bit",
          "[plan][planner]") {
  // The reference: estimate_request at the 99th-percentile length and at every
  // bin of the length law, as enumerate_plans computed before it prepared each
  // configuration once.
  plan_request req;
  req.models = {find_model("dsr1-qwen-1.5b").value(), find_model("dsr1-qwen-14b").value()};
  req.quants = {find_quant("bf16").value(), find_quant("w4a16").value()};
  req.devices = {find_device("agx-orin-64gb").value(), find_device("orin-nano-8gb").value()};
  req.runtime = find_runtime("vllm").value();
  req.samples = {1, 3, 8};
  req.answer_modes = {{"reasoning"}, {"reasoning", 1024, true}, {"no-reasoning"}};
  req.accuracy = builtin_accuracy_table();
  const std::vector<plan_point> pts = enumerate_plans(req);
  REQUIRE(pts.size() > 20);
  std::size_t checked = 0;
  for (const plan_point& p : pts) {
    CAPTURE(p.model, p.answer, p.quant, p.device, p.power_mode, p.samples);
    const model_spec& m = p.model == "dsr1-qwen-1.5b" ? req.models[0] : req.models[1];
    const quant_spec& q = p.quant == "bf16" ? req.quants[0] : req.quants[1];
    const device_spec& d = p.device == "agx-orin-64gb" ? req.devices[0] : req.devices[1];
    const int mi = find_mode(d, p.power_mode).value();
    const answer_mode a{p.answer, p.budget_tokens, p.hard_cut};
    const auto exact = answer_length(p.model, req.benchmark, a, req.length_cv).value();
    const output_length bins = discretize(exact, req.length_bins);
    const auto& hist = std::get<histogram_law>(bins.law());
    const unsigned n = p.samples;
    const double max_out = m.max_context > 0 ? m.max_context - req.input_tokens : 1e9;
    const auto run = [&](double tokens) {
      const double o = std::clamp(std::ceil(tokens), 1.0, std::max(1.0, max_out));
      return estimate_request<double>(m, q, d, mi, req.runtime,
                                      workload{1, static_cast<int>(n), req.input_tokens, static_cast<int>(o), {}});
    };
    const auto probe = run(std::max(1.0, quantile(exact, std::pow(0.99, 1.0 / n))));
    REQUIRE(probe.has_value() == p.error.empty());
    if (!probe) continue;
    double latency = 0, energy = 0, prev = 0;
    for (std::size_t i = 0; i < hist.tokens.size(); ++i) {
      const double cur = std::pow(hist.cdf[i], static_cast<double>(n));
      if (cur > prev) {
        const auto e = run(hist.tokens[i]).value();
        latency += (cur - prev) * e.total_s;
        energy += (cur - prev) * e.energy_j;
      }
      prev = cur;
    }
    CHECK(p.memory_bytes == probe->memory.total_bytes);
    CHECK(p.fits == probe->memory.fits);
    CHECK(p.latency_s == latency);
    CHECK(p.energy_j == energy);
    ++checked;
  }
  CHECK(checked > 20);
}
