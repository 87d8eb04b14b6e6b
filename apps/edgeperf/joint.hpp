#pragma once
// What `fit --runs A --runs B` (the joint fit) and `validate --cv model`
// (leave-one-model-out) share: the corpus rows of several runs files (and,
// with --published, the device's rows of a published-speeds CSV) and the
// Markdown rows of the per-(model, runtime, metric) statistics.
// fit/joint_fit.hpp and fit/corpus.hpp do the work (as in examples/joint.cpp).

#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "edgeperf/fit/corpus.hpp"
#include "edgeperf/io/published_speeds.hpp"
#include "edgeperf/io/runs_csv.hpp"

namespace edgeperf::cli {

/// The rows of every runs file, then the `device_id` rows of `published` (if given).
inline std::vector<fit::run_measurement> load_corpus(const std::vector<std::string>& runs, const std::string& published,
                                                     const std::string& device_id) {
  std::vector<fit::run_measurement> rows;
  for (const auto& f : runs) {
    auto r = io::load_runs(f);
    rows.insert(rows.end(), r.begin(), r.end());
  }
  if (!published.empty()) {
    auto r = io::load_published_runs(published, device_id);
    rows.insert(rows.end(), r.begin(), r.end());
  }
  return rows;
}

/// "| model | runtime | metric | n | MAPE | worst | worst row |" rows.
inline void print_group_stats(const std::vector<fit::group_stats>& stats) {
  for (const auto& s : stats)
    fmt::print("| {} | {} | {} | {} | {:.1f} % | {:.1f} % | {} |\n", s.model, s.runtime, s.metric, s.n, 100 * s.mape,
               100 * s.worst, s.worst_where.substr(s.worst_where.rfind('/') + 1));
}

}  // namespace edgeperf::cli
