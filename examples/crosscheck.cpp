// Cross-check: the profiles' predictions against published speeds they were
// never fitted on (data/published-speeds.csv, copied with citations from
// data/published-speeds.md). Prints the Markdown table of
// docs/validation.md "Cross-checks"; exits 1 if a row cannot be estimated.
//
//   edgeperf_crosscheck [--data FILE.csv]
#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli.hpp"
#include "edgeperf/report/table.hpp"
#include "edgeperf/io/csv.hpp"

using namespace edgeperf;
using namespace edgeperf::cli;

int main(int argc, char** argv) {
  std::string data = EDGEPERF_SOURCE_DIR "/data/published-speeds.csv";
  if (argc == 3 && std::string(argv[1]) == "--data") data = argv[2];
  else if (argc != 1) {
    std::fprintf(stderr, "usage: edgeperf_crosscheck [--data FILE.csv]\n");
    return 2;
  }
  try {
    const io::csv_table t = io::read_csv(data);
    io::require_columns(t, {"id", "device", "mode", "model", "quant", "runtime", "input_tokens",
                            "output_tokens", "metric", "value", "tag", "source"});
    spec_cache cache{EDGEPERF_SOURCE_DIR};
    fmt::print("| case | device | model · quant · runtime | I/O | metric | published | predicted | error | tag | fitted on it? |\n"
               "|---|---|---|---|---|---:|---:|---:|---|---|\n");
    int failed = 0;
    double sum_abs = 0;
    int n = 0;
    for (const auto& row : t.rows) {
      case_input in{};
      in.id = t.cell(row, "id");
      in.model = t.cell(row, "model");
      in.device = t.cell(row, "device");
      in.mode = t.cell(row, "mode");
      in.runtime = t.cell(row, "runtime");
      in.quant = t.cell(row, "quant");
      in.input_tokens = t.int_cell(row, "input_tokens", 1);
      in.output_tokens = t.int_cell(row, "output_tokens", 1);
      const std::string metric = t.cell(row, "metric");
      const double published = t.number(row, "value");
      const case_outcome out = evaluate_case(cache, in);
      if (!out.estimate) {
        fmt::print("| {} | {} | {} | | {} | {} | error: {} | | |\n", in.id, in.device, in.model, metric,
                   published, out.error);
        ++failed;
        continue;
      }
      const auto& e = *out.estimate;
      double predicted = std::nan("");
      if (metric == "decode_tok_s") predicted = 1.0 / e.tpot_s;
      else if (metric == "prefill_tok_s") predicted = in.input_tokens / e.ttft_s;
      else throw io::io_error(t.where(row), "metric", "expected decode_tok_s or prefill_tok_s, got '" + metric + "'");
      const double err = predicted / published - 1;
      // The AGX Orin 64GB rows are the fitting set of the MLC, llama.cpp and
      // vLLM 0.6 profiles (fit/corpus.hpp); the other devices' rows are
      // cross-checks, never fitted.
      const bool fitted = in.device == "agx-orin-64gb";
      if (!fitted) {
        sum_abs += std::abs(err);
        ++n;
      }
      const std::string model = in.model.find('/') != std::string::npos ? std::string(out.desc.model) : in.model;
      fmt::print("| {} | {} {} | {} · {} · {} | {}/{} | {} | {:.3g} | {:.3g} | {:+.0f} % | {} | {} |\n", in.id,
                 in.device, out.desc.mode, model, out.desc.quant, in.runtime, in.input_tokens, in.output_tokens,
                 metric, published, predicted, 100 * err, t.cell(row, "tag"),
                 fitted ? "yes (joint fit)" : "no");
    }
    if (n > 0) fmt::print("\nmean absolute error over {} rows never fitted: {:.0f} %\n", n, 100 * sum_abs / n);
    return failed > 0 ? 1 : 0;
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "edgeperf_crosscheck: %s\n", ex.what());
    return 1;
  }
}
