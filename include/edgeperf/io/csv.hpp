#pragma once
/// @file
/// A small CSV reader for case lists (`edgeperf estimate --cases`), run
/// measurements and accuracy tables: a header row, columns looked up by name
/// (any order, extra columns ignored), RFC-4180 quoting, CRLF tolerated.
/// Errors name the file, the line and the column.

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "edgeperf/io/io_error.hpp"
#include "edgeperf/io/number.hpp"
#include "edgeperf/io/input_file.hpp"

namespace edgeperf::io {

/// One data row with its 1-based line number in the file.
struct csv_row {
  std::size_t line{0};
  std::vector<std::string> cells;
};

/// A parsed CSV table.
struct csv_table {
  std::string source;                         ///< file name for messages
  std::vector<std::string> header;
  std::map<std::string, std::size_t> column;  ///< header name → index
  std::vector<csv_row> rows;

  [[nodiscard]] bool has(const std::string& name) const { return column.count(name) != 0; }

  /// The cell of `name` in `row`, or "" when the column is absent or the row short.
  [[nodiscard]] std::string cell(const csv_row& row, const std::string& name) const {
    const auto it = column.find(name);
    if (it == column.end() || it->second >= row.cells.size()) return {};
    return row.cells[it->second];
  }

  /// Location prefix for messages: "<file>:<line>".
  [[nodiscard]] std::string where(const csv_row& row) const {
    return source + ":" + std::to_string(row.line);
  }

  /// The cell as a finite number; throws io_error naming file:line, column and value
  /// (NaN and infinities are rejected).
  [[nodiscard]] double number(const csv_row& row, const std::string& name) const {
    const std::string s = cell(row, name);
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)
      throw io_error(where(row), name, "expected a number, got '" + s + "'");
    if (!std::isfinite(v))  // "nan", "inf", "infinity" parse with strtod
      throw io_error(where(row), name, "expected a finite number, got '" + s + "'");
    return v;
  }

  /// The cell as an integer ≥ `min`; empty → `fallback` when given.
  [[nodiscard]] long long integer(const csv_row& row, const std::string& name, long long min,
                                  std::optional<long long> fallback = std::nullopt) const {
    const std::string s = cell(row, name);
    if (s.empty() && fallback) return *fallback;
    // Decimal only (a leading zero is not octal), range-checked before use.
    const parsed_integer v = parse_decimal_integer(s, min, std::numeric_limits<long long>::max());
    if (!v) throw io_error(where(row), name, v.error);
    return v.value;
  }

  /// The cell as an `int` in [`min`, INT_MAX] (token counts, batch, samples);
  /// empty → `fallback` when given. Throws io_error naming file:line, column
  /// and value for a non-integer or out-of-range cell (no silent narrowing).
  [[nodiscard]] int int_cell(const csv_row& row, const std::string& name, int min,
                             std::optional<int> fallback = std::nullopt) const {
    const std::optional<long long> fb =
        fallback ? std::optional<long long>(*fallback) : std::nullopt;
    const std::string s = cell(row, name);
    if (s.empty() && fb) return static_cast<int>(*fb);
    const parsed_integer v = parse_decimal_integer(s, min, std::numeric_limits<int>::max());
    if (!v) throw io_error(where(row), name, v.error);
    return static_cast<int>(v.value);
  }
};

namespace detail {

/// Splits CSV text into records (quoted fields may hold commas, quotes, newlines).
inline std::vector<csv_row> split_records(std::string_view text, const std::string& source) {
  std::vector<csv_row> out;
  csv_row cur{1, {}};
  std::string field;
  bool quoted = false, field_started = false;
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      cur.cells.push_back(field);
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      cur.cells.push_back(field);
      field.clear();
      field_started = false;
      const bool blank = cur.cells.size() == 1 && cur.cells[0].empty();
      if (!blank) out.push_back(cur);
      ++line;
      cur = csv_row{line, {}};
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) throw io_error(source + ":" + std::to_string(cur.line), "", "unterminated quoted field");
  if (field_started || !cur.cells.empty()) {
    cur.cells.push_back(field);
    out.push_back(cur);
  }
  return out;
}

inline std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace detail

/// Parses CSV `text`; `source` names it in errors. The first record is the header.
[[nodiscard]] inline csv_table parse_csv(std::string_view text, const std::string& source) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF)
    text.remove_prefix(3);  // UTF-8 BOM
  for (unsigned char c : text)
    if (c == 0) throw io_error(source, "", "binary data (NUL byte) in a CSV file");
  csv_table t{};
  t.source = source;
  auto records = detail::split_records(text, source);
  if (records.empty()) throw io_error(source, "", "empty file: expected a header row");
  for (auto& h : records.front().cells) t.header.push_back(detail::trim(h));
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    if (t.header[i].empty()) continue;
    if (!t.column.emplace(t.header[i], i).second)
      throw io_error(source + ":" + std::to_string(records.front().line), t.header[i],
                     "duplicate column in the header");
  }
  for (std::size_t i = 1; i < records.size(); ++i) {
    for (auto& c : records[i].cells) c = detail::trim(c);
    t.rows.push_back(std::move(records[i]));
  }
  return t;
}

/// Reads and parses a CSV file; throws io_error if it cannot be read.
[[nodiscard]] inline csv_table read_csv(const std::filesystem::path& path) {
  // io_error for a missing file, a directory, a file over 256 MiB, a read error.
  return parse_csv(read_input_file(path), path.string());
}

/// Throws io_error unless every column in `names` is present.
inline void require_columns(const csv_table& t, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (!t.has(n)) throw io_error(t.source, n, "missing required column");
}

}  // namespace edgeperf::io
