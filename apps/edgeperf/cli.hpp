#pragma once
// The `edgeperf` CLI's own pieces, shared by its subcommands (and by the
// examples, which are front ends too): exit codes and errors, the
// command-line options of one case and of the cost (CLI11), the list and range
// syntax of `sweep`, the row writer of the batch outputs, and the options of
// `plan` / `pareto`. Everything else is the library: resolving ids, paths and
// JSON text (io/resolve.hpp), the fields of a row (report/fields.hpp), sweeps
// (plan/sweep.hpp), plans (plan/planner.hpp, report/plan.hpp).
//
// Error messages here name the command-line flag (`--kwh-price -0.1:
// expected ...`); the library's messages name the value and what it expected.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/io/csv.hpp"
#include "edgeperf/io/number.hpp"
#include "edgeperf/io/resolve.hpp"
#include "edgeperf/phases/interval.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/plan/cost.hpp"
#include "edgeperf/report/fields.hpp"

namespace edgeperf::cli {

/// Exit codes of the CLI and the examples.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;  ///< bad input, or any case failed
inline constexpr int exit_usage = 2;   ///< bad command line

/// An expected failure with a message for the user (no stack of prefixes).
struct cli_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A usage error found after CLI11's parse (maps to exit status 2).
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A subcommand: its CLI11 app and what runs when it was given.
struct subcommand {
  CLI::App* app{nullptr};
  std::function<int()> run;
};

/// The value of `r`, or a cli_error with its message.
template <class T>
T unwrap(result<T> r) {
  if (!r) throw cli_error(r.error_value().message);
  return std::move(r).value();
}

/// The library's resolver (io/resolve.hpp) with accessors that throw
/// cli_error for a description that does not resolve.
class spec_cache {
 public:
  spec_cache() = default;
  explicit spec_cache(std::filesystem::path base_dir) : res_(std::move(base_dir)) {}

  const io::resolved_model& model(const std::string& s) { return get(res_.model(s)); }
  const device_spec& device(const std::string& s) { return get(res_.device(s)); }
  const runtime_spec& runtime(const std::string& s) { return get(res_.runtime(s)); }
  const quant_spec& quant(const std::string& s) { return get(res_.quant(s)); }
  io::resolver& resolver() noexcept { return res_; }

 private:
  template <class T>
  static const T& get(const result<T>& r) {
    if (!r) throw cli_error(r.error_value().message);
    return *r;
  }
  io::resolver res_;
};

using io::case_input;

/// A case estimated: its description (names as resolved) and the estimate, or the error message.
struct case_outcome {
  case_description desc{};
  std::unique_ptr<request_estimate<double>> estimate;  ///< null when the case failed
  const device_spec* device{nullptr};  ///< the resolved device (in the cache), when the case resolved
  std::string error;
  std::vector<std::string> notes;  ///< loader notes and profile warnings (io::resolved_case::notes)
  std::optional<request_interval> interval;  ///< the ±1σ band, when asked for and estimated
};

/// Prints each of `notes` on stderr once per `seen` (`edgeperf: note: ...`):
/// every loader note and profile warning reaches the user.
inline void print_notes(const std::vector<std::string>& notes, std::set<std::string>& seen) {
  for (const auto& n : notes)
    if (seen.insert(n).second) fmt::print(stderr, "edgeperf: note: {}\n", n);
}

/// The description of a case as given, with the names resolution settled
/// (the power mode, the quant of a config.json) and the workload.
inline case_description describe(const case_input& in, const io::resolved_case& rc) {
  case_description d{};
  d.id = in.id;
  d.model = in.model;
  d.quant = rc.quant_name;
  d.device = in.device;
  d.mode = rc.mode_name;
  d.runtime = in.runtime;
  d.load = rc.load;
  return d;
}

/// Resolves and estimates one case (io::estimate_case), with the ±1σ band
/// (phases/interval.hpp) when `with_interval`; never throws for bad input (the
/// message lands in `error`).
inline case_outcome evaluate_case(spec_cache& cache, const case_input& in, bool with_interval = false) {
  io::case_estimate ce = io::estimate_case(cache.resolver(), in);
  case_outcome out{};
  out.desc = describe(in, ce.resolved);
  out.error = std::move(ce.error);
  out.notes = ce.resolved.notes;
  if (ce.estimate) {
    out.estimate = std::make_unique<request_estimate<double>>(std::move(*ce.estimate));
    out.device = ce.resolved.device;
    const io::resolved_case& rc = ce.resolved;
    if (with_interval) out.interval = estimate_interval(*rc.model, rc.quant, *rc.device, rc.mode, *rc.runtime, rc.load);
  }
  return out;
}

/// Resolves one case or throws cli_error (for commands that need every part).
inline io::resolved_case resolve_or_throw(spec_cache& cache, const case_input& in) {
  io::resolved_case rc = io::resolve_case(cache.resolver(), in);
  if (!rc.ok()) throw cli_error(rc.error);
  return rc;
}

/// CLI11 transform for an integer flag: decimal only (`010` is ten, never
/// CLI11's octal; no hex), in [`lo`, `hi`] before any narrowing, the error
/// quoting the text as written (io/number.hpp). The text is rewritten in
/// canonical decimal so that CLI11's own conversion reads the same value.
inline CLI::Validator decimal_int(long long lo, long long hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) -> std::string {
        const io::parsed_integer v = io::parse_decimal_integer(s, lo, hi);
        if (!v) return v.error;
        s = std::to_string(v.value);
        return {};
      },
      "INT in " + std::to_string(lo) + ".." + std::to_string(hi), "decimal_int");
}

/// Adds the options of one case (model, device, mode, runtime, quant, KV
/// dtype, batch, samples, input, output) to `app`. With `required`, the ones
/// without a default are marked required by CLI11.
inline void add_case_options(CLI::App& app, case_input& c, bool required) {
  auto* m = app.add_option("--model", c.model, "model catalog id or path to a HF config.json");
  auto* d = app.add_option("--device", c.device, "device catalog id or path to a profile JSON");
  app.add_option("--mode", c.mode, "power mode (default: the device's highest)");
  auto* r = app.add_option("--runtime", c.runtime, "runtime catalog id or path to a profile JSON");
  app.add_option("--quant", c.quant, "quant catalog id (e.g. bf16, w4a16, q4_k_m)");
  app.add_option("--kv-dtype", c.kv_dtype, "KV-cache dtype (default: the runtime's)");
  constexpr long long int_max = std::numeric_limits<int>::max();
  app.add_option("--batch", c.batch, "distinct prompts decoded together")
      ->transform(decimal_int(1, int_max))
      ->capture_default_str();
  app.add_option("--samples", c.samples, "parallel samples per prompt")
      ->transform(decimal_int(1, int_max))
      ->capture_default_str();
  auto* i = app.add_option("--input", c.input_tokens, "prompt tokens I")->transform(decimal_int(1, int_max));
  auto* o = app.add_option("--output", c.output_tokens, "generated tokens O per sample")
                ->transform(decimal_int(1, int_max));
  if (required)
    for (CLI::Option* opt : {m, d, r, i, o}) opt->required();
}

// ---- cost -------------------------------------------------------------------------------------

/// The cost options (plan/cost.hpp); defaults are `cost_inputs`'s.
struct cost_args {
  cost_inputs in{};
  CLI::Option* device_price{nullptr};  ///< given on the command line when its count() > 0

  /// The inputs for a case on device `d`: without --device-price, the device
  /// profile's `price_usd` (0 in the catalog, which has no prices: electricity only).
  [[nodiscard]] cost_inputs for_device(const device_spec* d) const {
    cost_inputs c = in;
    if ((device_price == nullptr || device_price->count() == 0) && d && d->price_usd.value > 0)
      c.device_price_usd = d->price_usd.value;
    return c;
  }
};

/// Adds --kwh-price, --device-price, --life-years, --utilization,
/// --cloud-input-price and --cloud-output-price to `app`.
inline void add_cost_options(CLI::App& app, cost_args& a) {
  const std::string g = "Cost per 1M generated tokens";
  app.add_option("--kwh-price", a.in.electricity_usd_per_kwh,
                 "electricity price, $/kWh, applied to the module energy")
      ->capture_default_str()
      ->group(g);
  a.device_price = app.add_option("--device-price", a.in.device_price_usd,
                                  "device purchase price, $ (default: the device profile's "
                                  "price_usd; the catalog has none, so electricity only)")
                       ->group(g);
  app.add_option("--life-years", a.in.service_life_years, "service life the price is amortized over, years")
      ->capture_default_str()
      ->group(g);
  app.add_option("--utilization", a.in.utilization,
                 "fraction of the service life spent generating, in (0, 1]")
      ->capture_default_str()
      ->group(g);
  app.add_option("--cloud-input-price", a.in.cloud_input_usd_per_1m,
                 "your cloud price per 1M input tokens, $ (no built-in prices)")
      ->group(g);
  app.add_option("--cloud-output-price", a.in.cloud_output_usd_per_1m,
                 "your cloud price per 1M output tokens, $ (no built-in prices)")
      ->group(g);
}

/// Checks the cost options, naming the flag; throws usage_error.
inline void check_cost_args(const cost_args& a) {
  const auto bad = [](const char* flag, double v, const char* want) {
    throw usage_error(std::string(flag) + " " + fmt::format("{:g}", v) + ": expected " + want);
  };
  const cost_inputs& c = a.in;
  // Upper bounds keep every cost finite (products of prices, energies and
  // token counts stay far inside the double range); they are far above any real price.
  if (!(c.electricity_usd_per_kwh >= 0 && c.electricity_usd_per_kwh <= 1e6))
    bad("--kwh-price", c.electricity_usd_per_kwh, "a price in $/kWh in [0, 1e6]");
  if (!(c.device_price_usd >= 0 && c.device_price_usd <= 1e12))
    bad("--device-price", c.device_price_usd, "a price in $ in [0, 1e12]");
  if (!(c.service_life_years >= 1e-3 && c.service_life_years <= 1e3))
    bad("--life-years", c.service_life_years, "a service life in years in [0.001, 1000]");
  if (!(c.utilization > 0 && c.utilization <= 1))
    bad("--utilization", c.utilization, "a fraction of the service life in (0, 1], e.g. 0.5 for 12 h a day");
  if (!(c.utilization >= 1e-6))
    bad("--utilization", c.utilization, "a fraction of the service life in [1e-6, 1]");
  if (!(c.cloud_input_usd_per_1m >= 0 && c.cloud_input_usd_per_1m <= 1e9))
    bad("--cloud-input-price", c.cloud_input_usd_per_1m, "a price per 1M tokens in [0, 1e9]");
  if (!(c.cloud_output_usd_per_1m >= 0 && c.cloud_output_usd_per_1m <= 1e9))
    bad("--cloud-output-price", c.cloud_output_usd_per_1m, "a price per 1M tokens in [0, 1e9]");
}

/// The cost of an estimate of a case on device `d` (null: no cost).
inline std::optional<cost_breakdown> estimate_cost(const cost_args& a, const request_estimate<double>* e,
                                                   const workload& load, const device_spec* d) {
  if (!e) return std::nullopt;
  auto c = request_cost(*e, load, a.for_device(d));
  if (!c) throw cli_error(c.error_value().message);
  return *c;
}

/// The cost of an estimated case (null estimate: no cost).
inline std::optional<cost_breakdown> case_cost(const cost_args& a, const case_outcome& r) {
  return estimate_cost(a, r.estimate.get(), r.desc.load, r.device);
}

// ---- rows -------------------------------------------------------------------------------------

/// Streams rows as CSV (header first) or as a JSON array.
class row_writer {
 public:
  row_writer(std::string format, std::vector<column> cols)
      : format_(std::move(format)), cols_(std::move(cols)) {}
  void write(const case_description& d, const request_estimate<double>* e, std::string_view error,
             const row_extras& x = {}) {
    if (format_ == "json") {
      fmt::print("{}  {}", rows_ == 0 ? "[\n" : ",\n", json_object(cols_, d, e, error, x));
    } else {
      if (rows_ == 0) fmt::print("{}\n", csv_header(cols_));
      fmt::print("{}\n", csv_row(cols_, d, e, error, x));
    }
    ++rows_;
    failed_ += e ? 0 : 1;
  }
  /// Prints the case's notes on stderr (each once) and, in JSON, adds them as `notes`.
  void write(const case_outcome& r, row_extras x = {}) {
    print_notes(r.notes, noted_);
    if (format_ == "json") x.notes = &r.notes;
    if (r.interval) x.interval = &*r.interval;
    write(r.desc, r.estimate.get(), r.error, x);
  }
  int finish() {
    if (format_ == "json") fmt::print("{}", rows_ == 0 ? "[]\n" : "\n]\n");
    if (format_ != "json" && rows_ == 0) fmt::print("{}\n", csv_header(cols_));
    return failed_ == 0 ? exit_ok : exit_failed;
  }

 private:
  std::string format_;
  std::vector<column> cols_;
  int rows_{0};
  int failed_{0};
  std::set<std::string> noted_;
};

/// Writes a successful or failed case with its cost.
inline void write_with_cost(row_writer& out, const cost_args& cost, const case_outcome& r, row_extras x = {}) {
  const std::optional<cost_breakdown> c = case_cost(cost, r);
  x.cost = c ? &*c : nullptr;
  out.write(r, x);
}

// ---- lists and ranges (`sweep`) -----------------------------------------------------------------

/// Items of a `sep`-separated list, trimmed; empty items kept.
inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == sep) {
      out.push_back(io::detail::trim(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(io::detail::trim(cur));
  return out;
}

/// A list item as an integer in 1..INT_MAX: decimal only, range-checked
/// before any narrowing (io/number.hpp).
inline long long to_int(const std::string& s, const std::string& what) {
  const io::parsed_integer v = io::parse_decimal_integer(s, 1, std::numeric_limits<int>::max());
  if (!v) throw usage_error(what + ": " + v.error);
  return v.value;
}

/// Integers from a list: `128,256`, `128:1024:128` (arithmetic), `128:4096*2`
/// (geometric; also `128:4096:*2`), or a mix (`1,2,4:32*2`).
inline std::vector<int> parse_int_list(const std::string& text, const std::string& what) {
  std::vector<int> out;
  for (const std::string& item : split(text, ',')) {
    const auto parts = split(item, ':');
    if (parts.size() == 1) {
      out.push_back(static_cast<int>(to_int(item, what)));
      continue;
    }
    if (parts.size() > 3) throw usage_error(what + ": bad range '" + item + "'");
    std::string hi = parts[1], step = parts.size() == 3 ? parts[2] : "1";
    if (parts.size() == 2 && hi.find('*') != std::string::npos) {
      step = hi.substr(hi.find('*'));
      hi = hi.substr(0, hi.find('*'));
    }
    const long long a = to_int(parts[0], what), b = to_int(hi, what);
    const bool geometric = !step.empty() && step[0] == '*';
    const long long s = to_int(geometric ? step.substr(1) : step, what);
    if (a < 1 || b < a || (geometric ? s < 2 : s < 1))
      throw usage_error(what + ": bad range '" + item +
                        "' (expected a:b:step with 1 <= a <= b, step >= 1, or a:b*factor, factor >= 2)");
    for (long long v = a; v <= b; v = geometric ? v * s : v + s) {
      out.push_back(static_cast<int>(v));
      if (out.size() > 100000) throw usage_error(what + ": range '" + item + "' is too long");
    }
  }
  return out;
}

}  // namespace edgeperf::cli
