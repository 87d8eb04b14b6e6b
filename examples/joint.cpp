// The joint AGX Orin fit and its leave-one-model-out cross-validation: prints
// the tables of docs/validation.md (parameters with 1-σ, correlation matrix,
// in-sample errors per model, LOMO errors per fold). Library calls:
// fit::fit_joint and fit::cross_validate_models (fit/joint_fit.hpp) on the
// corpus of fit/corpus.hpp.
//
//   edgeperf_joint [--runs FILE.csv]... [--published FILE.csv] [--no-cv]
//
// Without --runs: both EdgeReasoning files of data/ and the AGX Orin rows of
// data/published-speeds.csv.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "edgeperf/fit/corpus.hpp"
#include "edgeperf/io/published_speeds.hpp"

using namespace edgeperf;

namespace {

void print_stats(const std::vector<fit::group_stats>& stats, const char* fold) {
  for (const auto& s : stats)
    fmt::print("| {}{} | {} | {} | {} | {:.1f} % | {:.1f} % | {} |\n", fold, s.model, s.runtime, s.metric, s.n,
               100 * s.mape, 100 * s.worst, s.worst_where.substr(s.worst_where.rfind('/') + 1));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string src = EDGEPERF_SOURCE_DIR;
  std::vector<std::string> runs;
  std::string published = src + "/data/published-speeds.csv";
  bool cv = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs.push_back(argv[++i]);
    else if (a == "--published" && i + 1 < argc) published = argv[++i];
    else if (a == "--no-cv") cv = false;
    else {
      std::fprintf(stderr, "usage: edgeperf_joint [--runs FILE.csv]... [--published FILE.csv] [--no-cv]\n");
      return 2;
    }
  }
  if (runs.empty())
    runs = {src + "/data/edgereasoning-dsr1-llama-8b.csv", src + "/data/edgereasoning-dsr1-qwen-14b.csv"};
  try {
    std::vector<fit::run_measurement> rows;
    for (const auto& f : runs) {
      auto r = io::load_runs(f);
      rows.insert(rows.end(), r.begin(), r.end());
    }
    if (!published.empty()) {
      auto r = io::load_published_runs(published, "agx-orin-64gb");
      rows.insert(rows.end(), r.begin(), r.end());
    }
    const auto rc = io::corpus_resolver(src);
    const auto opt = fit::agx_orin_joint_options();
    const auto rts = fit::agx_orin_corpus_runtimes();
    const auto& d = devices::agx_orin_64gb;
    const auto res = fit::fit_joint(rows, rc, d, rts, opt);
    fmt::print("joint fit of agx-orin-64gb (MAXN) + vllm-0.8, vllm-0.6, mlc, llama.cpp: {} rows, {} iterations, "
               "{}converged, cost {:.4g}\n\n",
               res.rows, res.lm.iterations, res.lm.converged ? "" : "NOT ", res.lm.cost);
    fmt::print("| # | parameter | start (prior centre) | prior σ (log) | fitted | 1-σ (log) |\n|---:|---|---:|---:|---:|---:|\n");
    for (std::size_t i = 0; i < res.names.size(); ++i) {
      double prior = 0;
      for (const auto& p : opt.params)
        if (p.name() == res.names[i]) prior = p.prior_sigma;
      fmt::print("| {} | {} | {:.4g} | {:g} | {:.4g} | {:.3f} |\n", i + 1, res.names[i], res.initial[i], prior,
                 res.fitted[i], res.rel_sigma[i]);
    }
    fmt::print("\ncorrelation matrix of log θ (rows/columns numbered as above):\n\n|   |");
    for (std::size_t j = 0; j < res.names.size(); ++j) fmt::print(" {} |", j + 1);
    fmt::print("\n|---|");
    for (std::size_t j = 0; j < res.names.size(); ++j) fmt::print("---:|");
    fmt::print("\n");
    for (Eigen::Index i = 0; i < res.correlation.rows(); ++i) {
      fmt::print("| {} |", i + 1);
      for (Eigen::Index j = 0; j < res.correlation.cols(); ++j) fmt::print(" {:.2f} |", res.correlation(i, j));
      fmt::print("\n");
    }
    fmt::print("\npairs with |ρ| > 0.9:");
    int strong = 0;
    for (Eigen::Index i = 0; i < res.correlation.rows(); ++i)
      for (Eigen::Index j = i + 1; j < res.correlation.cols(); ++j)
        if (std::abs(res.correlation(i, j)) > 0.9) {
          fmt::print("{} {} ~ {} (ρ = {:.2f})", strong++ ? ";" : "", res.names[static_cast<std::size_t>(i)],
                     res.names[static_cast<std::size_t>(j)], res.correlation(i, j));
        }
    fmt::print("{}\n", strong ? "" : " none");

    fmt::print("\nin-sample (every fitting row under the fitted profiles; excluded: ");
    for (const auto& x : opt.exclude) fmt::print("{} ", x);
    fmt::print(")\n\n| model | runtime | metric | n | MAPE | worst | worst row |\n|---|---|---|---:|---:|---:|---|\n");
    print_stats(res.stats, "");
    if (!cv) return 0;
    fmt::print("\nleave-one-model-out: refit without the model, predict its rows\n\n"
               "| left out | runtime | metric | n | MAPE | worst | worst row |\n|---|---|---|---:|---:|---:|---|\n");
    const auto folds = fit::cross_validate_models(rows, rc, d, rts, opt);
    for (const auto& f : folds) print_stats(f.stats, "");
    fmt::print("\nparameters no remaining row pins, per fold (kept at their prior centre):\n");
    for (const auto& f : folds) {
      fmt::print("- {}:", f.model);
      for (const auto& u : f.unpinned) fmt::print(" {}", u);
      if (f.unpinned.empty()) fmt::print(" none");
      fmt::print("\n");
    }
    fmt::print("\nrefitted values per fold (parameter: value without the model):\n");
    for (const auto& f : folds) {
      fmt::print("- without {}:", f.model);
      for (std::size_t i = 0; i < f.fit.names.size(); ++i) fmt::print(" {}={:.4g}", f.fit.names[i], f.fit.fitted[i]);
      fmt::print("\n");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "edgeperf_joint: %s\n", e.what());
    return 1;
  }
  return 0;
}
