#pragma once
/// @file
/// Reads accuracy tables (plan/accuracy.hpp) from CSV: columns
/// `model,benchmark,mode,budget,samples,accuracy,source` in any order
/// (optional `tag`, `latency_s`; other columns ignored). `accuracy` is a
/// fraction in [0, 1] or a percentage with a `%` sign (`61.7%`); `budget` is
/// a token count >= 1 or empty/`none` for no budget; `samples` an integer
/// >= 1 (empty = 1). Malformed cells, missing columns and duplicate cells
/// throw `io_error` naming file:line, the column and the value.

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include "edgeperf/io/csv.hpp"
#include "edgeperf/io/io_error.hpp"
#include "edgeperf/plan/accuracy.hpp"

namespace edgeperf::io {

namespace detail {

/// "61.7%" / "61.7 %" → 0.617; "0.617" → 0.617; anything else throws io_error.
[[nodiscard]] inline double parse_accuracy_cell(const csv_table& t, const csv_row& row) {
  const std::string raw = t.cell(row, "accuracy");
  const auto fail = [&](const std::string& why) {
    throw io_error(t.where(row), "accuracy", why + ", got '" + raw + "'");
  };
  std::string s = raw;
  bool percent = false;
  if (!s.empty() && s.back() == '%') {
    percent = true;
    s.pop_back();
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  }
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || !(v == v))
    fail("expected a fraction in [0, 1] or a percentage like 61.7%");
  if (percent) {
    if (!(v >= 0.0 && v <= 100.0)) fail("expected a percentage in [0, 100]");
    return v / 100.0;
  }
  if (!(v >= 0.0 && v <= 1.0))
    fail("expected a fraction in [0, 1] (write a percentage with a '%' sign)");
  return v;
}

[[nodiscard]] inline std::string require_text(const csv_table& t, const csv_row& row,
                                              const char* column) {
  std::string s = t.cell(row, column);
  if (s.empty()) throw io_error(t.where(row), column, "expected a non-empty value");
  return s;
}

}  // namespace detail

/// Accuracy rows from a parsed CSV table (see the file comment for the columns).
/// Throws io_error naming file:line, the column and the offending value, for a
/// missing required column, and for two rows with the same key.
[[nodiscard]] inline accuracy_table parse_accuracy_csv(const csv_table& t) {
  require_columns(t, {"model", "benchmark", "mode", "budget", "samples", "accuracy", "source"});
  accuracy_table out;
  std::map<accuracy_key, std::size_t> seen;  // key → line
  for (const csv_row& row : t.rows) {
    accuracy_row r;
    r.key.model = detail::require_text(t, row, "model");
    r.key.benchmark = detail::require_text(t, row, "benchmark");
    r.key.mode = detail::require_text(t, row, "mode");
    const std::string budget = t.cell(row, "budget");
    if (!budget.empty() && budget != "none") r.key.budget_tokens = t.integer(row, "budget", 1);
    const long long samples = t.integer(row, "samples", 1, 1);
    if (samples > 1'000'000)
      throw io_error(t.where(row), "samples",
                     "expected at most 1000000 samples, got " + std::to_string(samples));
    r.key.samples = static_cast<unsigned>(samples);
    r.accuracy = detail::parse_accuracy_cell(t, row);
    r.source = t.cell(row, "source");
    r.tag = t.cell(row, "tag");
    if (!t.cell(row, "latency_s").empty()) {
      const double lat = t.number(row, "latency_s");
      if (!(lat >= 0.0))
        throw io_error(t.where(row), "latency_s",
                       "expected seconds >= 0, got " + t.cell(row, "latency_s"));
      r.latency_per_question_s = lat;
    }
    r.where = t.where(row);
    const auto [it, fresh] = seen.emplace(r.key, row.line);
    if (!fresh)
      throw io_error(
          t.where(row), "",
          "duplicate accuracy cell (same model, benchmark, mode, budget, samples as line " +
              std::to_string(it->second) + ")");
    out.rows.push_back(std::move(r));
  }
  return out;
}

/// Reads an accuracy CSV file; throws io_error (unreadable file, malformed cell).
[[nodiscard]] inline accuracy_table read_accuracy_csv(const std::filesystem::path& path) {
  return parse_accuracy_csv(read_csv(path));
}

}  // namespace edgeperf::io
