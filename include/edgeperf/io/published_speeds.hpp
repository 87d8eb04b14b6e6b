#pragma once
/// @file
/// Reading the published speeds (data/published-speeds.csv) as run rows for
/// the joint fit (fit/joint_fit.hpp, fit/corpus.hpp), and a resolver of the
/// corpus' model and quant names (catalog ids or config.json paths).

#include <filesystem>
#include <string>
#include <vector>

#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/fit/runs.hpp"
#include "edgeperf/io/csv.hpp"
#include "edgeperf/io/hf_config.hpp"
#include "edgeperf/io/io_error.hpp"
#include "edgeperf/io/runs_csv.hpp"

namespace edgeperf::io {

/// Reads data/published-speeds.csv as run rows (batch 1, one sample), keeping
/// the rows of `device` only (empty: all rows). The row's mode, when empty,
/// is the device's default mode.
[[nodiscard]] inline std::vector<fit::run_measurement> load_published_runs(const std::filesystem::path& path,
                                                                        const std::string& device = "") {
  const io::csv_table t = io::read_csv(path);
  io::require_columns(t, {"id", "device", "mode", "model", "quant", "runtime", "input_tokens",
                          "output_tokens", "metric", "value"});
  std::vector<fit::run_measurement> out;
  for (const auto& row : t.rows) {
    fit::run_measurement m{};
    m.device = t.cell(row, "device");
    if (!device.empty() && m.device != device) continue;
    m.model = t.cell(row, "model");
    m.mode = t.cell(row, "mode");
    m.runtime = t.cell(row, "runtime");
    m.quant = t.cell(row, "quant");
    m.input_tokens = t.int_cell(row, "input_tokens", 1);
    m.output_tokens = t.int_cell(row, "output_tokens", 1);
    m.metric = t.cell(row, "metric");
    m.value = t.number(row, "value");
    m.unit = "tok/s";
    m.where = t.where(row) + " (" + t.cell(row, "id") + ")";
    if (fit::classify_metric(m.metric) == fit::latency_metric::none)
      throw io_error(t.where(row), "metric", "expected decode_tok_s or prefill_tok_s, got '" + m.metric + "'");
    if (!(m.value > 0)) throw io_error(t.where(row), "value", "expected a speed > 0");
    out.push_back(std::move(m));
  }
  return out;
}

/// Resolves a row's model as a catalog id or a config.json path (relative to
/// `base_dir`), its quant as a catalog id.
[[nodiscard]] inline fit::case_resolver corpus_resolver(std::filesystem::path base_dir) {
  fit::case_resolver r;
  r.model = [base_dir](const fit::run_measurement& row) {
    if (auto m = find_model(row.model)) return *m;
    const std::filesystem::path p = std::filesystem::path(row.model).is_absolute() ? std::filesystem::path(row.model)
                                                                                   : base_dir / row.model;
    if (std::filesystem::exists(p)) return load_hf_config(p);
    throw std::runtime_error(row.where + ": model '" + row.model + "' is neither a catalog id nor a config file");
  };
  r.quant = [](const fit::run_measurement& row) {
    auto q = find_quant(row.quant);
    if (!q) throw std::runtime_error(row.where + ": " + q.error_value().message);
    return *q;
  };
  return r;
}

}  // namespace edgeperf::io
