#pragma once
/// @file
/// The output fields of an estimate: ONE list (name, SI unit, getter) that the
/// CSV and JSON row writers here, the human table (report/table.hpp), the
/// `edgeperf` CLI and the other front ends (Python, browser) all read, so every
/// front end prints the same names in the same units. CSV and JSON carry SI
/// base units (seconds, bytes, FLOPs, joules, watts) and US dollars; scripts
/// and planners need no parsing of units.
///
/// Field definitions (issue 3, "The CLI"; issue 4, energy and cost):
///   ttft_s = prefill + first token; decode_s = first to last token (O − 1
///   steps); total_s = ttft_s + decode_s; tpot_s = decode_s / (O − 1);
///   output_tokens_per_s = batch · samples · O / total_s;
///   peak_memory_bytes = weights + KV cache + activations + runtime overhead;
///   prefill_energy_j, decode_energy_j, energy_j: accelerator rail (VDD_GPU_SOC
///   on AGX Orin, VDD_CPU_GPU_CV + VDD_SOC on Orin NX/Nano, board on discrete
///   GPUs); module_energy_j: the whole module; avg_power_w = energy_j / total_s;
///   j_per_token = energy_j / (batch · samples · O); tokens_per_j its inverse;
///   prefill_power_w / decode_power_w: average accelerator-rail power of the
///   phase; peak_power_w: the highest step power;
///   cost_per_1m_usd = electricity_per_1m_usd + amortized_per_1m_usd per 1M
///   generated tokens (electricity on the module energy); cloud_per_1m_usd: the
///   same tokens at the user's cloud prices, empty when none was given.
///   ttft_sigma_s, decode_sigma_s, total_sigma_s, energy_sigma_j: the ±1σ band
///   of ttft_s, decode_s, total_s, energy_j (phases/interval.hpp:
///   estimate_interval, from the profiles' stated 1-σ of their fitted numbers).
/// Cost fields are empty when the caller passes no cost, the σ fields when it
/// passes no interval (`row_extras`).
///
/// For one estimate, `estimate_json` gives the JSON object `edgeperf estimate
/// --format json` prints, and `estimate_fields` the same fields as an ordered
/// list of (name, unit, value).

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "edgeperf/descriptions/workload.hpp"
#include "edgeperf/detail/utf8.hpp"
#include "edgeperf/phases/interval.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/plan/cost.hpp"

namespace edgeperf {

/// The case a report is about, as the user named it (ids or file paths), so
/// that a report can echo it. `mode` is the resolved power-mode name (the
/// device default when none was asked for); the resolved KV dtype comes from
/// the estimate (`request_estimate::kv`).
struct case_description {
  std::string id;       ///< row id in batch mode (may be empty)
  std::string model;    ///< model catalog id or config.json path
  std::string quant;    ///< quant catalog id
  std::string device;   ///< device catalog id or profile path
  std::string mode;     ///< power mode name
  std::string runtime;  ///< runtime catalog id or profile path
  workload load{};      ///< batch, samples, I, O, KV override
};

/// A field (column) of the row outputs. The enumerators are in the order of
/// `all_fields`, so `static_cast<std::size_t>(c)` indexes it.
enum class column : std::uint8_t {
  // the case
  id, model, device, mode, runtime, quant, kv_dtype, batch, samples, input_tokens, output_tokens,
  // the estimate (issue 3's required columns, in its order)
  ttft_s, decode_s, total_s, tpot_s, output_tokens_per_s, prefill_energy_j, decode_energy_j,
  energy_j, avg_power_w, prefill_flops, decode_flops, weights_bytes, kv_cache_bytes,
  peak_memory_bytes, fits, error,
  // extras
  module_energy_j, prefill_bytes, decode_bytes, activation_bytes, budget_bytes, prefill_bound,
  decode_bound, cold_start_s,
  // energy extras (issue 4)
  j_per_token, tokens_per_j, prefill_power_w, decode_power_w, peak_power_w,
  // cost (per 1M generated tokens; empty without cost inputs)
  cost_per_1m_usd, electricity_per_1m_usd, amortized_per_1m_usd, cloud_per_1m_usd,
  // the ±1σ band (phases/interval.hpp; empty without an interval)
  ttft_sigma_s, decode_sigma_s, total_sigma_s, energy_sigma_j,
  // power-mode choice (`estimate --best-mode`)
  tpot_limit_s, module_j_per_token, meets_limit, best,
};

/// One cell: empty (no value), a number, a string or a boolean.
using cell = std::variant<std::monostate, double, std::string, bool>;

/// What a row shows beside the estimate; each part empty when absent.
struct row_extras {
  const cost_breakdown* cost{nullptr};  ///< cost columns (empty when null)
  std::optional<double> tpot_limit_s{}; ///< `--best-mode`: the limit (≤ 0: none)
  std::optional<bool> meets_limit{};    ///< `--best-mode`: the mode meets the limit
  std::optional<bool> best{};           ///< `--best-mode`: the mode picked
  const std::vector<std::string>* notes{nullptr};  ///< loader notes and profile warnings: a
                                        ///< `notes` array in JSON (absent when null)
  const request_interval* interval{nullptr};  ///< the ±1σ band (σ columns empty when null)
};

/// What a field's getter reads: the case, its estimate (null when the case
/// failed), the error message (empty when it did not) and the extras.
struct row_view {
  const case_description& c;
  const request_estimate<double>* e;
  std::string_view error;
  const row_extras& x;
};

/// A field: its name (CSV header, JSON key), its unit (SI base unit, "USD",
/// a ratio such as "J/token", or "" for names, counts and flags) and its getter.
struct field_def {
  column col;
  std::string_view name;
  std::string_view unit;
  cell (*get)(const row_view&);
};

namespace detail::fields {
/// A number of the estimate; empty when the case failed.
template <auto Member>
cell est(const row_view& r) {
  return r.e ? cell{static_cast<double>(r.e->*Member)} : cell{};
}
template <auto Member>
cell mem(const row_view& r) {
  return r.e ? cell{static_cast<double>(r.e->memory.*Member)} : cell{};
}
/// A cost number; empty without an estimate or without cost inputs.
template <auto Member>
cell money(const row_view& r) {
  return r.e && r.x.cost ? cell{static_cast<double>(r.x.cost->*Member)} : cell{};
}
/// A σ of the ±1σ band; empty without an estimate or without an interval.
template <auto Member>
cell band(const row_view& r) {
  return r.e && r.x.interval ? cell{static_cast<double>(r.x.interval->*Member)} : cell{};
}
inline cell flag(const std::optional<bool>& b) { return b ? cell{*b} : cell{}; }
inline double tokens(const case_description& c) {
  return static_cast<double>(c.load.batch) * c.load.samples * c.load.output_tokens;
}
}  // namespace detail::fields

/// Every field, in `column` order. The only place a field's name, unit and
/// value are defined.
inline constexpr std::array<field_def, 52> all_fields{{
    {column::id, "id", "", [](const row_view& r) -> cell { return r.c.id; }},
    {column::model, "model", "", [](const row_view& r) -> cell { return r.c.model; }},
    {column::device, "device", "", [](const row_view& r) -> cell { return r.c.device; }},
    {column::mode, "mode", "", [](const row_view& r) -> cell { return r.c.mode; }},
    {column::runtime, "runtime", "", [](const row_view& r) -> cell { return r.c.runtime; }},
    {column::quant, "quant", "", [](const row_view& r) -> cell { return r.c.quant; }},
    {column::kv_dtype, "kv_dtype", "",
     [](const row_view& r) -> cell {
       if (r.e) return std::string(to_string(r.e->kv));
       return r.c.load.kv_dtype ? cell{std::string(to_string(*r.c.load.kv_dtype))} : cell{std::string()};
     }},
    {column::batch, "batch", "", [](const row_view& r) -> cell { return static_cast<double>(r.c.load.batch); }},
    {column::samples, "samples", "",
     [](const row_view& r) -> cell { return static_cast<double>(r.c.load.samples); }},
    {column::input_tokens, "input_tokens", "token",
     [](const row_view& r) -> cell { return static_cast<double>(r.c.load.input_tokens); }},
    {column::output_tokens, "output_tokens", "token",
     [](const row_view& r) -> cell { return static_cast<double>(r.c.load.output_tokens); }},
    {column::ttft_s, "ttft_s", "s", detail::fields::est<&request_estimate<double>::ttft_s>},
    {column::decode_s, "decode_s", "s", detail::fields::est<&request_estimate<double>::decode_s>},
    {column::total_s, "total_s", "s", detail::fields::est<&request_estimate<double>::total_s>},
    {column::tpot_s, "tpot_s", "s", detail::fields::est<&request_estimate<double>::tpot_s>},
    {column::output_tokens_per_s, "output_tokens_per_s", "token/s",
     detail::fields::est<&request_estimate<double>::output_tokens_per_s>},
    {column::prefill_energy_j, "prefill_energy_j", "J", detail::fields::est<&request_estimate<double>::prefill_energy_j>},
    {column::decode_energy_j, "decode_energy_j", "J", detail::fields::est<&request_estimate<double>::decode_energy_j>},
    {column::energy_j, "energy_j", "J", detail::fields::est<&request_estimate<double>::energy_j>},
    {column::avg_power_w, "avg_power_w", "W", detail::fields::est<&request_estimate<double>::avg_power_w>},
    {column::prefill_flops, "prefill_flops", "FLOP", detail::fields::est<&request_estimate<double>::prefill_flops>},
    {column::decode_flops, "decode_flops", "FLOP", detail::fields::est<&request_estimate<double>::decode_flops>},
    {column::weights_bytes, "weights_bytes", "B", detail::fields::mem<&memory_footprint::weights_bytes>},
    {column::kv_cache_bytes, "kv_cache_bytes", "B", detail::fields::mem<&memory_footprint::kv_cache_bytes>},
    {column::peak_memory_bytes, "peak_memory_bytes", "B", detail::fields::mem<&memory_footprint::total_bytes>},
    {column::fits, "fits", "", [](const row_view& r) -> cell { return r.e ? cell{r.e->memory.fits} : cell{}; }},
    {column::error, "error", "", [](const row_view& r) -> cell { return std::string(r.error); }},
    {column::module_energy_j, "module_energy_j", "J", detail::fields::est<&request_estimate<double>::module_energy_j>},
    {column::prefill_bytes, "prefill_bytes", "B", detail::fields::est<&request_estimate<double>::prefill_bytes>},
    {column::decode_bytes, "decode_bytes", "B", detail::fields::est<&request_estimate<double>::decode_bytes>},
    {column::activation_bytes, "activation_bytes", "B", detail::fields::mem<&memory_footprint::activation_bytes>},
    {column::budget_bytes, "budget_bytes", "B", detail::fields::mem<&memory_footprint::budget_bytes>},
    {column::prefill_bound, "prefill_bound", "",
     [](const row_view& r) -> cell { return r.e ? cell{std::string(to_string(r.e->prefill.binds))} : cell{}; }},
    {column::decode_bound, "decode_bound", "",
     [](const row_view& r) -> cell { return r.e ? cell{std::string(to_string(r.e->first_decode.binds))} : cell{}; }},
    {column::cold_start_s, "cold_start_s", "s", detail::fields::est<&request_estimate<double>::cold_start_s>},
    {column::j_per_token, "j_per_token", "J/token", detail::fields::est<&request_estimate<double>::j_per_token>},
    {column::tokens_per_j, "tokens_per_j", "token/J", detail::fields::est<&request_estimate<double>::tokens_per_j>},
    {column::prefill_power_w, "prefill_power_w", "W", detail::fields::est<&request_estimate<double>::prefill_power_w>},
    {column::decode_power_w, "decode_power_w", "W", detail::fields::est<&request_estimate<double>::decode_power_w>},
    {column::peak_power_w, "peak_power_w", "W", detail::fields::est<&request_estimate<double>::peak_power_w>},
    {column::cost_per_1m_usd, "cost_per_1m_usd", "USD", detail::fields::money<&cost_breakdown::total_per_1m_usd>},
    {column::electricity_per_1m_usd, "electricity_per_1m_usd", "USD",
     detail::fields::money<&cost_breakdown::electricity_per_1m_usd>},
    {column::amortized_per_1m_usd, "amortized_per_1m_usd", "USD",
     detail::fields::money<&cost_breakdown::amortized_per_1m_usd>},
    {column::cloud_per_1m_usd, "cloud_per_1m_usd", "USD",
     [](const row_view& r) -> cell {
       return r.x.cost && r.x.cost->cloud_usd > 0 ? detail::fields::money<&cost_breakdown::cloud_per_1m_usd>(r)
                                                  : cell{};
     }},
    {column::ttft_sigma_s, "ttft_sigma_s", "s", detail::fields::band<&request_interval::ttft_sigma_s>},
    {column::decode_sigma_s, "decode_sigma_s", "s", detail::fields::band<&request_interval::decode_sigma_s>},
    {column::total_sigma_s, "total_sigma_s", "s", detail::fields::band<&request_interval::total_sigma_s>},
    {column::energy_sigma_j, "energy_sigma_j", "J", detail::fields::band<&request_interval::energy_sigma_j>},
    {column::tpot_limit_s, "tpot_limit_s", "s",
     [](const row_view& r) -> cell { return r.x.tpot_limit_s ? cell{*r.x.tpot_limit_s} : cell{}; }},
    {column::module_j_per_token, "module_j_per_token", "J/token",
     [](const row_view& r) -> cell {
       const double t = detail::fields::tokens(r.c);
       return r.e ? cell{t > 0 ? static_cast<double>(r.e->module_energy_j) / t : 0.0} : cell{};
     }},
    {column::meets_limit, "meets_limit", "", [](const row_view& r) { return detail::fields::flag(r.x.meets_limit); }},
    {column::best, "best", "", [](const row_view& r) { return detail::fields::flag(r.x.best); }},
}};

namespace detail::fields {
[[nodiscard]] consteval bool in_column_order() {
  for (std::size_t i = 0; i < all_fields.size(); ++i)
    if (static_cast<std::size_t>(all_fields[i].col) != i) return false;
  return static_cast<std::size_t>(column::best) + 1 == all_fields.size();
}
static_assert(in_column_order(), "all_fields must list every column once, in enum order");
}  // namespace detail::fields

/// The field of column `c`.
[[nodiscard]] constexpr const field_def& field_of(column c) { return all_fields[static_cast<std::size_t>(c)]; }

/// The column's header name (also the JSON key).
[[nodiscard]] constexpr const char* column_name(column c) { return field_of(c).name.data(); }

/// The column's unit ("" for names, counts and flags).
[[nodiscard]] constexpr std::string_view column_unit(column c) { return field_of(c).unit; }

/// The column named `name`, if any.
[[nodiscard]] constexpr std::optional<column> find_column(std::string_view name) {
  for (const field_def& f : all_fields)
    if (f.name == name) return f.col;
  return std::nullopt;
}

/// Columns of `estimate` (one case or `--cases`): `id`, the estimate columns
/// issue 3 requires in its order, then the extras (`module_energy_j`, bytes,
/// `mode`, `kv_dtype`, bounds, `cold_start_s`), the ±1σ band of ttft_s,
/// decode_s, total_s and energy_j, the energy extras (J/token, tokens/J, phase
/// and peak power) and the cost per 1M generated tokens.
[[nodiscard]] inline std::vector<column> estimate_columns() {
  return {column::id,           column::ttft_s,          column::decode_s,
          column::total_s,      column::tpot_s,          column::output_tokens_per_s,
          column::prefill_energy_j, column::decode_energy_j, column::energy_j,
          column::avg_power_w,  column::prefill_flops,   column::decode_flops,
          column::weights_bytes, column::kv_cache_bytes, column::peak_memory_bytes,
          column::fits,         column::error,           column::module_energy_j,
          column::mode,         column::kv_dtype,        column::prefill_bound,
          column::decode_bound, column::cold_start_s,    column::prefill_bytes,
          column::decode_bytes, column::activation_bytes, column::budget_bytes,
          column::ttft_sigma_s, column::decode_sigma_s, column::total_sigma_s, column::energy_sigma_j,
          column::j_per_token,  column::tokens_per_j,    column::prefill_power_w,
          column::decode_power_w, column::peak_power_w,  column::cost_per_1m_usd,
          column::electricity_per_1m_usd, column::amortized_per_1m_usd, column::cloud_per_1m_usd};
}

/// Columns of `estimate --best-mode` (one row per power mode): the estimate
/// columns, then the TPOT limit, the module J/token, whether the mode meets the
/// limit and whether it is the mode `best_energy_mode` picked.
[[nodiscard]] inline std::vector<column> mode_columns() {
  std::vector<column> cols = estimate_columns();
  for (column c : {column::tpot_limit_s, column::module_j_per_token, column::meets_limit, column::best})
    cols.push_back(c);
  return cols;
}

/// Whether `c` is a σ of the ±1σ band.
[[nodiscard]] constexpr bool is_sigma_column(column c) {
  return c == column::ttft_sigma_s || c == column::decode_sigma_s || c == column::total_sigma_s ||
         c == column::energy_sigma_j;
}

/// Columns of `sweep`: the case (id, model, device, mode, runtime, quant,
/// kv_dtype, batch, samples, input_tokens, output_tokens) then the estimate
/// columns not already named, without the ±1σ band (a sweep computes no
/// intervals: each costs two estimates per fitted parameter).
[[nodiscard]] inline std::vector<column> sweep_columns() {
  std::vector<column> cols{column::id,      column::model,   column::device,
                           column::mode,    column::runtime, column::quant,
                           column::kv_dtype, column::batch,  column::samples,
                           column::input_tokens, column::output_tokens};
  for (column c : estimate_columns())
    if (c != column::id && c != column::mode && c != column::kv_dtype && !is_sigma_column(c)) cols.push_back(c);
  return cols;
}

/// The value of column `col` for case `c` with estimate `e` (nullptr when the
/// case failed), error message `error` (empty when it did not) and extras `x`.
[[nodiscard]] inline cell column_value(column col, const case_description& c,
                                       const request_estimate<double>* e, std::string_view error,
                                       const row_extras& x = {}) {
  return field_of(col).get(row_view{c, e, error, x});
}

/// `s` as a CSV field: quoted (with doubled quotes) when it holds a comma,
/// quote, CR or LF, or starts/ends with a blank (which readers trim); bytes
/// that are not UTF-8 become U+FFFD.
[[nodiscard]] inline std::string csv_escape(std::string_view raw) {
  const std::string s = detail::valid_utf8(raw);
  const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' ' || s.front() == '\t' ||
                                     s.back() == '\t'));
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

/// `s` as a JSON string literal (quotes, backslashes and control characters
/// escaped; bytes that are not UTF-8 become U+FFFD, so the output stays valid).
[[nodiscard]] inline std::string json_escape(std::string_view raw) {
  const std::string s = detail::valid_utf8(raw);
  std::string out = "\"";
  for (char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(ch)));
        else
          out += ch;
    }
  }
  return out + "\"";
}

namespace detail {
/// Numbers are written in fmt's shortest round-trip form (so that parsing
/// them back gives the same double); integers without a decimal point.
[[nodiscard]] inline std::string number_text(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
    return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}
}  // namespace detail

/// A cell as CSV text: empty cells and non-finite numbers empty, booleans
/// `true`/`false`, strings escaped.
[[nodiscard]] inline std::string csv_text(const cell& v) {
  if (const auto* d = std::get_if<double>(&v)) return std::isfinite(*d) ? detail::number_text(*d) : std::string();
  if (const auto* s = std::get_if<std::string>(&v)) return csv_escape(*s);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return {};
}

/// A cell as JSON text: `null` for empty cells and non-finite numbers.
[[nodiscard]] inline std::string json_text(const cell& v) {
  if (const auto* d = std::get_if<double>(&v)) return std::isfinite(*d) ? detail::number_text(*d) : "null";
  if (const auto* s = std::get_if<std::string>(&v)) return json_escape(*s);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return "null";
}

/// The CSV header line (no trailing newline).
[[nodiscard]] inline std::string csv_header(const std::vector<column>& cols) {
  std::string out;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i) out += ',';
    out += column_name(cols[i]);
  }
  return out;
}

/// One CSV data line (no trailing newline). Empty cells stay empty; booleans
/// are `true`/`false`; non-finite numbers are empty.
[[nodiscard]] inline std::string csv_row(const std::vector<column>& cols, const case_description& c,
                                         const request_estimate<double>* e,
                                         std::string_view error = {}, const row_extras& x = {}) {
  std::string out;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i) out += ',';
    out += csv_text(column_value(cols[i], c, e, error, x));
  }
  return out;
}

/// One JSON object (single line) with a key per column: numbers, strings,
/// booleans; `null` for empty cells and non-finite numbers.
[[nodiscard]] inline std::string json_object(const std::vector<column>& cols,
                                             const case_description& c,
                                             const request_estimate<double>* e,
                                             std::string_view error = {}, const row_extras& x = {}) {
  std::string out = "{";
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i) out += ", ";
    out += json_escape(column_name(cols[i]));
    out += ": ";
    out += json_text(column_value(cols[i], c, e, error, x));
  }
  if (x.notes != nullptr) {
    out += cols.empty() ? "\"notes\": [" : ", \"notes\": [";
    for (std::size_t i = 0; i < x.notes->size(); ++i) {
      if (i) out += ", ";
      out += json_escape((*x.notes)[i]);
    }
    out += "]";
  }
  return out + "}";
}

/// A field with its value, for front ends that build their own objects.
struct named_cell {
  std::string_view name;
  std::string_view unit;
  cell value;
};

/// The fields of `cols` for one case, in order, with their units and values.
[[nodiscard]] inline std::vector<named_cell> row_fields(const std::vector<column>& cols,
                                                        const case_description& c,
                                                        const request_estimate<double>* e,
                                                        std::string_view error = {},
                                                        const row_extras& x = {}) {
  std::vector<named_cell> out;
  out.reserve(cols.size());
  for (column col : cols) out.push_back({field_of(col).name, field_of(col).unit, column_value(col, c, e, error, x)});
  return out;
}

/// The fields of one estimate as `edgeperf estimate --format json` prints them
/// (`estimate_columns()`); `cost` null leaves the cost fields empty, `interval`
/// null the σ fields.
[[nodiscard]] inline std::vector<named_cell> estimate_fields(const case_description& c,
                                                             const request_estimate<double>& e,
                                                             const cost_breakdown* cost = nullptr,
                                                             const request_interval* interval = nullptr) {
  row_extras x{};
  x.cost = cost;
  x.interval = interval;
  return row_fields(estimate_columns(), c, &e, {}, x);
}

/// The JSON object of one estimate, exactly as `edgeperf estimate --format
/// json` prints it (without the trailing newline).
/// With `notes` (loader notes, profile warnings) the object ends with a `notes` array;
/// with `interval` (phases/interval.hpp) the σ fields carry the ±1σ band.
[[nodiscard]] inline std::string estimate_json(const case_description& c, const request_estimate<double>& e,
                                               const cost_breakdown* cost = nullptr,
                                               const std::vector<std::string>* notes = nullptr,
                                               const request_interval* interval = nullptr) {
  row_extras x{};
  x.cost = cost;
  x.notes = notes;
  x.interval = interval;
  return json_object(estimate_columns(), c, &e, {}, x);
}

}  // namespace edgeperf
