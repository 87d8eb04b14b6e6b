#pragma once
// What `validate`, `fit --runs` and `fit-energy` share: the options about
// measured runs, the resolver of a run row's model and quant, and the
// Markdown rows of the statistics (fit/validate.hpp computes them).

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "edgeperf/fit/validate.hpp"

namespace edgeperf::cli {

/// The options about measured runs, as given.
struct runs_args {
  std::string runs, device, runtime, predictions, device_out, runtime_out;
  std::vector<std::string> exclude, metrics;
  bool documented_start{false};  ///< start from the documented AGX Orin values
  int score_min_output{0};       ///< energy: decode power and total energy on O >= this
  double min_window_s{fit::energy_fit_options{}.min_window_s};

  [[nodiscard]] fit::validate_options scoring() const { return {exclude, score_min_output, min_window_s}; }
};

/// Resolves a run row's model and quant through `cache` (an unquantized
/// config.json without a quant uses its dtype).
inline fit::case_resolver make_resolver(spec_cache& cache) {
  fit::case_resolver r;
  r.model = [&cache](const fit::run_row& row) { return cache.model(row.model).spec; };
  r.quant = [&cache](const fit::run_row& row) {
    if (row.quant.empty()) {
      const auto& m = cache.model(row.model);
      if (m.config_quant) return *m.config_quant;
    }
    auto q = find_quant(row.quant);
    if (!q) throw cli_error(row.where + ": " + q.error_value().message);
    return *q;
  };
  return r;
}

/// "file:line" → the case of that row ("I=2561 O=1 b=1 n=1 (line 42)").
inline std::string describe_row(const std::vector<fit::run_row>& rows, const std::string& where) {
  for (const auto& r : rows)
    if (r.where == where)
      return fmt::format("I={} O={} b={} n={} (line {})", r.input_tokens, r.output_tokens, r.batch, r.samples,
                         where.substr(where.rfind(':') + 1));
  return where;
}

/// The statistics of `name` in `stats`, if any.
inline const fit::metric_stats* find_stats(const std::vector<fit::metric_stats>& stats, const std::string& name) {
  for (const auto& s : stats)
    if (s.metric == name) return &s;
  return nullptr;
}

/// "\nexcluded: a, b\n" when rows were excluded.
inline void print_excluded(const std::vector<std::string>& exclude) {
  if (exclude.empty()) return;
  std::string ex;
  for (const auto& x : exclude) ex += (ex.empty() ? "" : ", ") + x;
  fmt::print("\nexcluded: {}\n", ex);
}

/// "| metric | n | MAPE before | MAPE after | worst after | worst case |" rows, in the order of `metrics`.
inline void print_before_after(const std::vector<std::string>& metrics, const std::vector<fit::metric_stats>& before,
                               const std::vector<fit::metric_stats>& after, const std::vector<fit::run_row>& rows) {
  for (const auto& name : metrics) {
    const fit::metric_stats* s = find_stats(after, name);
    if (!s) continue;
    const fit::metric_stats* b = find_stats(before, name);
    fmt::print("| {} | {} | {:.1f} % | {:.1f} % | {:.1f} % | {} |\n", s->metric, s->n,
               100.0 * (b ? b->mape : std::nan("")), 100.0 * s->mape, 100.0 * s->worst,
               describe_row(rows, s->worst_where));
  }
}

}  // namespace edgeperf::cli
