#pragma once
/// @file
/// Measured runs in long format (one metric per row), the format of
/// data/edgereasoning-dsr1-llama-8b.csv:
/// `model,device,mode,runtime,quant,batch,samples,input_tokens,output_tokens,metric,value,unit`.
/// Parsed into `fit::run_measurement` (fit/runs.hpp), the plain data the fits
/// and `edgeperf validate --runs` use.

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "edgeperf/fit/runs.hpp"
#include "edgeperf/io/csv.hpp"
#include "edgeperf/io/io_error.hpp"

namespace edgeperf::io {

/// Parses run measurements from a table (all columns required).
[[nodiscard]] inline std::vector<fit::run_measurement> parse_runs(const csv_table& t) {
  require_columns(t, {"model", "device", "mode", "runtime", "quant", "batch", "samples",
                      "input_tokens", "output_tokens", "metric", "value", "unit"});
  std::vector<fit::run_measurement> out;
  out.reserve(t.rows.size());
  for (const auto& row : t.rows) {
    fit::run_measurement m{};
    m.model = t.cell(row, "model");
    m.device = t.cell(row, "device");
    m.mode = t.cell(row, "mode");
    m.runtime = t.cell(row, "runtime");
    m.quant = t.cell(row, "quant");
    m.batch = t.int_cell(row, "batch", 1);
    m.samples = t.int_cell(row, "samples", 1);
    m.input_tokens = t.int_cell(row, "input_tokens", 1);
    m.output_tokens = t.int_cell(row, "output_tokens", 1);
    m.metric = t.cell(row, "metric");
    if (m.metric.empty()) throw io_error(t.where(row), "metric", "expected a metric name, got ''");
    m.value = t.number(row, "value");
    if (!std::isfinite(m.value))
      throw io_error(t.where(row), "value", "expected a finite number, got '" + t.cell(row, "value") + "'");
    m.unit = t.cell(row, "unit");
    m.where = t.where(row);
    out.push_back(std::move(m));
  }
  return out;
}

/// Reads run measurements from a CSV file.
[[nodiscard]] inline std::vector<fit::run_measurement> load_runs(const std::filesystem::path& path) {
  return parse_runs(read_csv(path));
}

}  // namespace edgeperf::io
