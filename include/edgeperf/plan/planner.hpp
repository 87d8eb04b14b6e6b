#pragma once
/// @file
/// The planner (DESIGN.md §7): enumerate configurations — model × answer mode
/// (reasoning, no-reasoning, direct) × token budget × quantization × parallel
/// samples × device × power mode — estimate each one's expected latency,
/// energy, accuracy and memory, keep the exact Pareto frontier, and pick the
/// best configuration under a latency / energy / memory budget.
///
/// Per configuration:
///   - output length per sample: a lognormal with the published mean output
///     tokens of the (model, mode, budget) cell and an assumed coefficient of
///     variation (`plan_request::length_cv`), cut at the budget when the budget
///     is a hard cut; for a cut law the untruncated mean is solved so that the
///     cut mean equals the published one;
///   - latency = E[total_s(I, max(L_1 … L_n), n)] — the n samples decode as one
///     batch until the longest finishes (conservative: shorter samples are not
///     retired early); energy the same way (accelerator rail);
///   - accuracy: the table's cell for (model, benchmark, mode, budget, n); with
///     no cell for n > 1 but one for n = 1, the plurality vote of n independent
///     samples over `vote_options` answers (`plurality_vote_accuracy`);
///     otherwise missing — never interpolated, and the planner says so;
///   - memory: the footprint at the 99th percentile of the longest sample.
/// Lengths beyond the model's context are cut there (generation stops).
/// Accuracy is taken as independent of the quantization (the published cells
/// are BF16, and the accuracy key has no quant): an assumption the planner's
/// output states; see docs/planning.md.

#include <algorithm>
#include <limits>
#include <variant>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/result.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/plan/accuracy.hpp"
#include "edgeperf/plan/output_length.hpp"
#include "edgeperf/plan/pareto.hpp"
#include "edgeperf/plan/sweep.hpp"
#include "edgeperf/plan/vote.hpp"

namespace edgeperf {

/// How a model answers: its mode and an optional token budget.
struct answer_mode {
  std::string mode{"reasoning"};               ///< reasoning | no-reasoning | direct
  std::optional<long long> budget_tokens{};    ///< prompt budget; empty = none
  bool hard_cut{true};                         ///< generation is also cut at the budget
};

/// What to enumerate.
struct plan_request {
  std::vector<model_spec> models;          ///< ids must match the accuracy table's model names
  std::vector<quant_spec> quants;
  std::vector<device_spec> devices;
  std::vector<std::string> power_modes{};  ///< restrict to these mode names; empty = every mode
  runtime_spec runtime{};
  std::vector<answer_mode> answer_modes{{"reasoning"}, {"no-reasoning"}, {"direct"}};
  std::vector<unsigned> samples{1};
  std::string benchmark{"mmlu-redux"};
  int input_tokens{170};                   ///< prompt length (MMLU-Redux mean: 169.6)
  accuracy_table accuracy{};               ///< e.g. builtin_accuracy_table(), with user overrides
  double length_cv{1.0};                   ///< assumed CV of the output length per sample
  unsigned vote_options{2};                ///< answer options for the vote: 2 = binary majority
                                           ///< (all wrong samples agree: conservative); the
                                           ///< number of choices (MMLU: 4) assumes wrong answers
                                           ///< spread uniformly (optimistic)
  int length_bins{48};                     ///< equal-probability bins of the length law
};

/// One evaluated configuration.
struct plan_point {
  std::string model, answer, quant, device, power_mode;
  std::optional<long long> budget_tokens{};
  bool hard_cut{true};
  unsigned samples{1};
  double mean_output_tokens{0};   ///< E[L] per sample
  double latency_s{0};            ///< E[total time], longest of n samples
  double energy_j{0};             ///< E[energy], accelerator rail
  double memory_bytes{0};         ///< footprint at the 99th percentile length
  bool fits{false};
  std::optional<double> accuracy{};
  std::string accuracy_source;    ///< citation, "vote of n from …", or why it is missing
  bool usable{false};             ///< fits, estimated and has an accuracy
  std::string error;              ///< why this configuration could not be estimated
};

/// The output-length law of a (model, answer mode) cell, or an error saying
/// that the table has no mean output length for it.
[[nodiscard]] inline result<output_length> answer_length(std::string_view model,
                                                          std::string_view benchmark,
                                                          const answer_mode& a, double cv) {
  const auto cell = find_output_length(model, benchmark, a.mode, a.budget_tokens, a.hard_cut);
  if (!cell)
    return make_error(errc::unknown_id, "no published mean output length for " + std::string(model) +
                                            " / " + std::string(benchmark) + " / " + a.mode +
                                            (a.budget_tokens ? " / budget " + std::to_string(*a.budget_tokens) : ""));
  const double mean = cell->mean_output_tokens;
  if (!(a.budget_tokens && a.hard_cut)) return output_length::lognormal_mean_cv(mean, cv);
  // Cut law: solve the untruncated mean m so that E[min(L, B)] = the published mean.
  const double B = static_cast<double>(*a.budget_tokens);
  if (!(mean < B))
    return make_error(errc::invalid_argument, "published mean " + std::to_string(mean) +
                                                  " is not below the hard budget " + std::to_string(B));
  const auto cut_mean = [&](double m) {
    auto law = output_length::lognormal_mean_cv(m, cv);
    return law ? expected(law->with_budget(B).value()) : 0.0;
  };
  double lo = mean, hi = mean;
  for (int i = 0; i < 60 && cut_mean(hi) < mean; ++i) hi *= 2;
  if (cut_mean(hi) < mean)
    return make_error(errc::invalid_argument, "cannot reach the published cut mean with CV " + std::to_string(cv));
  for (int i = 0; i < 80; ++i) {
    const double mid = 0.5 * (lo + hi);
    (cut_mean(mid) < mean ? lo : hi) = mid;
  }
  auto law = output_length::lognormal_mean_cv(0.5 * (lo + hi), cv);
  if (!law) return law.error_value();
  return law->with_budget(B);
}

/// A length law as K bins, each at its conditional mean (so E[L] is exact),
/// plus the atom at a hard budget. The bin edges sit at the probabilities
/// p_i = F(B)·(1 − (1 − i/K)²), finer toward the upper tail where the maximum
/// of n samples lives: with K = 48, E[max of n] on the bins is within 0.1 % of
/// `expected_max` for lognormal CV 0.5…1.5 and n ≤ 16 (equal-probability bins
/// were 2 % low at CV 1.5, n = 16). Fixed and histogram laws are returned as
/// they are. The planner evaluates the request at these K lengths once and
/// takes E[f(max of n)] exactly on the discrete law:
/// Σ_i f(v_i) (F_iⁿ − F_{i−1}ⁿ) — the latency of n samples for K estimates.
[[nodiscard]] inline output_length discretize(const output_length& m, int bins = 48) {
  using boost::math::cdf;
  using boost::math::quantile;
  const auto B = m.budget_tokens();
  return std::visit(
      [&](const auto& law) -> output_length {
        using L = std::decay_t<decltype(law)>;
        if constexpr (std::is_same_v<L, fixed_law> || std::is_same_v<L, histogram_law>) {
          return m;
        } else {
          const auto d = detail::boost_dist(law);
          // Partial expectation E[L; L ≤ x] in closed form.
          const auto partial = [&](double x) -> double {
            if (x <= 0) return 0.0;
            if constexpr (std::is_same_v<L, lognormal_law>) {
              const double s = law.sigma;
              return std::exp(law.mu + s * s / 2) *
                     detail::std_normal_cdf((std::log(x) - law.mu - s * s) / s);
            } else {
              return law.shape * law.scale_tokens * boost::math::gamma_p(law.shape + 1, x / law.scale_tokens);
            }
          };
          const double top = B ? cdf(d, *B) : 1.0;
          const double total_mean = partial(std::numeric_limits<double>::max());
          std::vector<double> values, weights;
          double prev_p = 0, prev_pe = 0;
          for (int i = 1; i <= bins; ++i) {
            const double t = 1.0 - static_cast<double>(i) / bins;
            const double p = top * (1.0 - t * t);  // finer bins toward the tail
            const double x = (i == bins && !B) ? std::numeric_limits<double>::infinity()
                                               : (i == bins ? *B : quantile(d, p));
            const double pe = std::isinf(x) ? total_mean : partial(x);
            const double w = p - prev_p;
            if (w > 0) {
              values.push_back(std::max((pe - prev_pe) / w, 0.0));
              weights.push_back(w);
            }
            prev_p = p;
            prev_pe = pe;
          }
          if (B && top < 1.0) {
            values.push_back(*B);
            weights.push_back(1.0 - top);
          }
          return output_length::histogram(values, weights).value();
        }
      },
      m.law());
}

/// Accuracy of a configuration from the table, with the vote for n > 1.
[[nodiscard]] inline std::pair<std::optional<double>, std::string> answer_accuracy(
    const accuracy_table& t, const std::string& model, const std::string& benchmark,
    const answer_mode& a, unsigned n, unsigned options) {
  accuracy_key key{model, benchmark, a.mode, a.budget_tokens, n};
  if (auto row = find_accuracy(t, key)) return {row->accuracy, row->source};
  if (n > 1) {
    key.samples = 1;
    if (auto row = find_accuracy(t, key)) {
      // Outside the exact vote's domain the accuracy is missing, with the
      // reason (a value, not plurality_vote_accuracy's precondition exception).
      if (options < 2 || n > max_exact_vote_samples)
        return {std::nullopt, "missing: the plurality vote is computed for 2 or more answer options and at most " +
                                  std::to_string(max_exact_vote_samples) + " samples, got " +
                                  std::to_string(options) + " options and n=" + std::to_string(n)};
      const double acc = plurality_vote_accuracy(row->accuracy, n, options);
      return {acc, "plurality vote of " + std::to_string(n) + " independent samples over " +
                       std::to_string(options) + " options from " + row->source};
    }
  }
  return {std::nullopt, "missing: no accuracy for " + model + " / " + benchmark + " / " + a.mode +
                            (a.budget_tokens ? " / budget " + std::to_string(*a.budget_tokens) : "") +
                            " / n=" + std::to_string(n)};
}

/// Evaluates every configuration of `req` (in enumeration order). Cells
/// without an output length are skipped (no point); points without an
/// accuracy are kept with `usable == false` and the reason.
[[nodiscard]] inline std::vector<plan_point> enumerate_plans(const plan_request& req) {
  std::vector<plan_point> out;
  std::vector<double> bin_weight;
  request_estimate<double> est{};
  request_prep<double> prep{};
  for (const model_spec& m : req.models) {
    const std::string mid(m.id.view());
    for (const answer_mode& a : req.answer_modes) {
      auto exact = answer_length(mid, req.benchmark, a, req.length_cv);
      if (!exact) continue;
      const double mean_len = expected(*exact);
      const output_length length = discretize(*exact, req.length_bins);
      const auto& hist = std::get<histogram_law>(length.law());
      for (const quant_spec& q : req.quants) {
        const model_quant_parts mq = model_quant_of(m, q);  // GEMM shapes and weight bytes, once
        for (unsigned n : req.samples) {
          const auto [acc, acc_src] = answer_accuracy(req.accuracy, mid, req.benchmark, a, n, req.vote_options);
          const double q99 = quantile(*exact, std::pow(0.99, 1.0 / n));
          // P(max of n samples falls in bin i) = F_iⁿ − F_{i−1}ⁿ (0: the bin is skipped).
          bin_weight.assign(hist.tokens.size(), 0.0);
          double prev = 0;
          for (std::size_t i = 0; i < hist.tokens.size(); ++i) {
            const double cur = std::pow(hist.cdf[i], static_cast<double>(n));
            if (cur > prev) bin_weight[i] = cur - prev;
            prev = cur;
          }
          for (const device_spec& d : req.devices) {
            const int modes = d.mode_count > 0 ? d.mode_count : 1;
            for (int mi = 0; mi < modes; ++mi) {
              const std::string mode_name =
                  d.mode_count > 0 ? std::string(d.modes[static_cast<std::size_t>(mi)].name.view()) : "default";
              if (!req.power_modes.empty() &&
                  std::find(req.power_modes.begin(), req.power_modes.end(), mode_name) == req.power_modes.end())
                continue;
              plan_point p{};
              p.model = mid;
              p.answer = a.mode;
              p.budget_tokens = a.budget_tokens;
              p.hard_cut = a.hard_cut;
              p.quant = std::string(q.id.view());
              p.device = std::string(d.id.view());
              p.power_mode = mode_name;
              p.samples = n;
              p.mean_output_tokens = mean_len;
              p.accuracy = acc;
              p.accuracy_source = acc_src;
              // Lengths beyond the model's context are cut there (generation stops).
              const double max_out = m.max_context > 0 ? m.max_context - req.input_tokens : 1e9;
              const auto load = [&](double tokens) {
                const double o = std::clamp(std::ceil(tokens), 1.0, std::max(1.0, max_out));
                return workload{1, static_cast<int>(n), req.input_tokens, static_cast<int>(o), {}};
              };
              // The numbers of estimate_request at each length: the prefill step
              // and decode plan are prepared once (they do not depend on the
              // output length), then finished per length.
              const workload probe_load = load(std::max(1.0, q99));
              if (auto ok = validate_case(m, q, d, mi, req.runtime, probe_load); !ok) {
                p.error = ok.error_value().message;
                out.push_back(std::move(p));
                continue;
              }
              prepare_request(m, q, mq, case_device_state<double>(d, mi, req.runtime), mi, req.runtime,
                              probe_load, est, prep);
              finish_request(m, q, d, req.runtime, probe_load, prep, est);
              p.memory_bytes = est.memory.total_bytes;
              p.fits = est.memory.fits;
              // E[f(max of n)] on the discrete law: one estimate per bin gives both.
              for (std::size_t i = 0; i < hist.tokens.size(); ++i) {
                if (!(bin_weight[i] > 0)) continue;
                const workload w = load(hist.tokens[i]);
                // Only the checks involving O can differ from the probe's; on a
                // failure, validate_case's error is thrown as estimate_request(...).value() would.
                if (!detail::sweep::output_ok(m, w)) (void)validate_case(m, q, d, mi, req.runtime, w).value();
                finish_request(m, q, d, req.runtime, w, prep, est, false);
                p.latency_s += bin_weight[i] * est.total_s;
                p.energy_j += bin_weight[i] * est.energy_j;
              }
              p.usable = p.fits && p.accuracy.has_value();
              out.push_back(std::move(p));
            }
          }
        }
      }
    }
  }
  return out;
}

/// Indices of the Pareto-optimal usable points over latency ↓, energy ↓,
/// accuracy ↑ and memory ↓ (exact; equal points: the first is kept).
[[nodiscard]] inline std::vector<std::size_t> plan_frontier(const std::vector<plan_point>& pts) {
  std::vector<std::size_t> idx;
  std::vector<double> flat;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (!pts[i].usable) continue;
    idx.push_back(i);
    flat.insert(flat.end(), {pts[i].latency_s, pts[i].energy_j, *pts[i].accuracy, pts[i].memory_bytes});
  }
  const sense senses[] = {sense::minimize, sense::minimize, sense::maximize, sense::minimize};
  std::vector<std::size_t> out;
  for (std::size_t j : pareto_front(std::span<const double>(flat), std::span<const sense>(senses)))
    out.push_back(idx[j]);
  return out;
}

namespace detail {
/// A number with 3 significant digits, for messages.
[[nodiscard]] inline std::string g3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}
}  // namespace detail

/// A budget to plan under.
struct plan_budget {
  double latency_s{0};                     ///< > 0
  std::optional<double> energy_j{};        ///< > 0 when given
  std::optional<double> memory_bytes{};    ///< > 0 when given
};

/// The planner's answer.
struct plan_choice {
  std::optional<plan_point> best{};        ///< empty: nothing fits the budget
  std::vector<plan_point> runners_up{};    ///< the next best feasible points, best first
  std::string reason;                      ///< why `best` (or why nothing)
  std::size_t evaluated{0}, usable{0}, feasible{0}, missing_accuracy{0};
};

/// Orders feasible points: higher accuracy, then lower latency, then lower energy.
[[nodiscard]] inline bool better_plan(const plan_point& a, const plan_point& b) {
  if (*a.accuracy != *b.accuracy) return *a.accuracy > *b.accuracy;
  if (a.latency_s != b.latency_s) return a.latency_s < b.latency_s;
  return a.energy_j < b.energy_j;
}

/// Picks the most accurate usable point within the budget (ties: faster,
/// then less energy). "Nothing fits" is a value with the reason.
[[nodiscard]] inline result<plan_choice> plan(const std::vector<plan_point>& pts, const plan_budget& b,
                                              std::size_t runners_up = 4) {
  if (!(b.latency_s > 0) || !std::isfinite(b.latency_s))
    return make_error(errc::invalid_argument, "latency budget must be > 0 s, got " + std::to_string(b.latency_s));
  if (b.energy_j && (!(*b.energy_j > 0) || !std::isfinite(*b.energy_j)))
    return make_error(errc::invalid_argument, "energy budget must be > 0 J and finite (leave it unset for no limit), got " + std::to_string(*b.energy_j));
  if (b.memory_bytes && (!(*b.memory_bytes > 0) || !std::isfinite(*b.memory_bytes)))
    return make_error(errc::invalid_argument, "memory budget must be > 0 bytes and finite (leave it unset for no limit), got " + std::to_string(*b.memory_bytes));
  plan_choice c{};
  c.evaluated = pts.size();
  std::vector<const plan_point*> ok;
  const plan_point* fastest = nullptr;
  for (const plan_point& p : pts) {
    if (!p.error.empty()) continue;
    if (!p.accuracy) ++c.missing_accuracy;
    if (!p.usable) continue;
    ++c.usable;
    if (!fastest || p.latency_s < fastest->latency_s) fastest = &p;
    if (p.latency_s > b.latency_s) continue;
    if (b.energy_j && p.energy_j > *b.energy_j) continue;
    if (b.memory_bytes && p.memory_bytes > *b.memory_bytes) continue;
    ok.push_back(&p);
  }
  c.feasible = ok.size();
  std::sort(ok.begin(), ok.end(), [](const plan_point* x, const plan_point* y) { return better_plan(*x, *y); });
  if (ok.empty()) {
    c.reason = "nothing fits: " + std::to_string(c.usable) + " configurations with known accuracy";
    if (fastest)
      c.reason += "; the fastest (" + fastest->model + " " + fastest->answer + " " + fastest->quant + " on " +
                  fastest->device + " " + fastest->power_mode + ") needs " + detail::g3(fastest->latency_s) +
                  " s against " + detail::g3(b.latency_s) + " s";
    if (c.missing_accuracy > 0)
      c.reason += "; " + std::to_string(c.missing_accuracy) + " configurations have no accuracy data";
    return c;
  }
  c.best = *ok.front();
  for (std::size_t i = 1; i < ok.size() && c.runners_up.size() < runners_up; ++i) c.runners_up.push_back(*ok[i]);
  const plan_point& p = *c.best;
  c.reason = "highest accuracy (" + detail::g3(*p.accuracy * 100) + " %) among " + std::to_string(c.feasible) +
             " configurations within " + detail::g3(b.latency_s) + " s: expected latency " +
             detail::g3(p.latency_s) + " s, energy " + detail::g3(p.energy_j) + " J";
  return c;
}

}  // namespace edgeperf
