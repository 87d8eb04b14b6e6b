#pragma once
// Shared by the `edgeperf` CLI (edgeperf.cpp) and the what-if example
// (whatif.cpp): resolving ids or files into specs (cached per distinct id or
// path), the command-line options of one case (CLI11), and estimating a case
// into a row of the batch outputs (report/table.hpp).
//
// A model is a catalog id or a path to a Hugging Face config.json (or its
// folder); a device or runtime is a catalog id or a path to a profile JSON.
// A string that names no catalog entry and does not look like a path gives the
// library's message with the nearest ids. Relative paths are tried against the
// current directory, then against `spec_cache::base_dir` (the folder of a
// cases file). The cost options (`--kwh-price` …) are shared by `estimate`,
// `sweep` and the energy report.

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/io/hf_config.hpp"
#include "edgeperf/io/profile_json.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/plan/cost.hpp"
#include "edgeperf/report/table.hpp"

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

/// A model and the storage dtype its config names ("" for catalog models).
struct loaded_model {
  model_spec spec{};
  std::optional<quant_spec> config_quant;  ///< 16-bit dtype of an unquantized config.json
};

/// One case as strings and numbers, as given on a command line or in a row.
struct case_input {
  std::string id, model, device, mode, runtime, quant, kv_dtype;
  int batch{1}, samples{1}, input_tokens{0}, output_tokens{0};
};

/// Loads each distinct model, device and runtime once (and remembers failures).
class spec_cache {
 public:
  std::filesystem::path base_dir;  ///< second place relative paths are looked up in

  const loaded_model& model(const std::string& s) {
    return get(models_, s, [&] {
      loaded_model m{};
      if (const model_spec* p = find_model_or_null(s)) {
        m.spec = *p;
      } else if (looks_like_path(s)) {
        const io::hf_model hf = io::load_hf_model(locate(s));
        m.spec = hf.model;
        if (!hf.quant) {
          if (auto t = parse_dtype(hf.dtype))
            if (const quant_spec* q = find_quant_or_null(to_string(*t))) m.config_quant = *q;
        }
      } else {
        m.spec = unwrap(find_model(s));
      }
      return m;
    });
  }
  const device_spec& device(const std::string& s) {
    return get(devices_, s, [&] {
      if (const device_spec* p = find_device_or_null(s)) return *p;
      if (looks_like_path(s)) return io::load_device_profile(locate(s));
      return unwrap(find_device(s));
    });
  }
  const runtime_spec& runtime(const std::string& s) {
    return get(runtimes_, s, [&] {
      if (const runtime_spec* p = find_runtime_or_null(s)) return *p;
      if (looks_like_path(s)) return io::load_runtime_profile(locate(s));
      return unwrap(find_runtime(s));
    });
  }

  template <class T>
  static T unwrap(result<T> r) {
    if (!r) throw cli_error(r.error_value().message);
    return std::move(r).value();
  }

 private:
  template <class T>
  struct entry {
    std::optional<T> value;
    std::string error;
  };
  template <class T, class F>
  static const T& get(std::map<std::string, entry<T>>& cache, const std::string& key, F&& load) {
    auto it = cache.find(key);
    if (it == cache.end()) {
      entry<T> e{};
      try {
        e.value = load();
      } catch (const std::exception& ex) {
        e.error = ex.what();
      }
      it = cache.emplace(key, std::move(e)).first;
    }
    if (!it->second.value) throw cli_error(it->second.error);
    return *it->second.value;
  }
  static bool looks_like_path(const std::string& s) {
    std::error_code ec;
    return s.find('/') != std::string::npos || s.find('\\') != std::string::npos ||
           (s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0) ||
           std::filesystem::exists(s, ec);
  }
  std::filesystem::path locate(const std::string& s) const {
    const std::filesystem::path p(s);
    std::error_code ec;
    if (p.is_relative() && !base_dir.empty() && !std::filesystem::exists(p, ec) &&
        std::filesystem::exists(base_dir / p, ec))
      return base_dir / p;
    return p;
  }

  std::map<std::string, entry<loaded_model>> models_;
  std::map<std::string, entry<device_spec>> devices_;
  std::map<std::string, entry<runtime_spec>> runtimes_;
};

/// A case resolved into specs (pointers into a `spec_cache`, valid while it lives).
struct resolved_case {
  const model_spec* model{nullptr};
  quant_spec quant{};
  const device_spec* device{nullptr};
  int mode{0};
  const runtime_spec* runtime{nullptr};
};

/// Fills `d` from `in` (ids as given), then resolves the specs; `d.mode` and
/// (without a quant) `d.quant` become the resolved names. Throws cli_error or
/// the loaders' exceptions on bad input.
inline resolved_case resolve_case(spec_cache& cache, const case_input& in, case_description& d) {
  d.id = in.id;
  d.model = in.model;
  d.quant = in.quant;
  d.device = in.device;
  d.mode = in.mode;
  d.runtime = in.runtime;
  d.load.batch = in.batch;
  d.load.samples = in.samples;
  d.load.input_tokens = in.input_tokens;
  d.load.output_tokens = in.output_tokens;
  if (!in.kv_dtype.empty()) {
    d.load.kv_dtype = parse_dtype(in.kv_dtype);
    if (!d.load.kv_dtype)
      throw cli_error("kv_dtype: unknown dtype '" + in.kv_dtype +
                      "'; expected one of fp32, fp16, bf16, fp8, int8, int4, nf4");
  }
  resolved_case rc{};
  const loaded_model& m = cache.model(in.model);
  rc.model = &m.spec;
  rc.device = &cache.device(in.device);
  rc.mode = spec_cache::unwrap(find_mode(*rc.device, in.mode));
  d.mode = std::string(rc.device->modes[static_cast<std::size_t>(rc.mode)].name.view());
  rc.runtime = &cache.runtime(in.runtime);
  if (in.quant.empty()) {
    if (!m.config_quant)
      throw cli_error("quant: no quant given and model '" + in.model +
                      "' names no 16-bit dtype; give a quant id (e.g. bf16, w4a16)");
    rc.quant = *m.config_quant;
    d.quant = std::string(rc.quant.id.view());
  } else {
    rc.quant = spec_cache::unwrap(find_quant(in.quant));
  }
  return rc;
}

/// A case estimated: its description and the estimate, or the error message.
struct case_outcome {
  case_description desc{};
  std::unique_ptr<request_estimate<double>> estimate;  ///< null when the case failed
  const device_spec* device{nullptr};  ///< the resolved device (in the cache), when it resolved
  std::string error;
};

/// Resolves and estimates one case; never throws for bad input (the message
/// lands in `error`).
inline case_outcome evaluate_case(spec_cache& cache, const case_input& in) {
  case_outcome out{};
  try {
    const resolved_case rc = resolve_case(cache, in, out.desc);
    out.device = rc.device;
    auto e = estimate_request<double>(*rc.model, rc.quant, *rc.device, rc.mode, *rc.runtime, out.desc.load);
    if (!e) throw cli_error(e.error_value().message);
    out.estimate = std::make_unique<request_estimate<double>>(*e);
  } catch (const std::exception& ex) {
    out.error = ex.what();
  }
  return out;
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
  app.add_option("--batch", c.batch, "distinct prompts decoded together")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--samples", c.samples, "parallel samples per prompt")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  auto* i = app.add_option("--input", c.input_tokens, "prompt tokens I")->check(CLI::PositiveNumber);
  auto* o = app.add_option("--output", c.output_tokens, "generated tokens O per sample")
                ->check(CLI::PositiveNumber);
  if (required)
    for (CLI::Option* opt : {m, d, r, i, o}) opt->required();
}

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
  if (!(c.electricity_usd_per_kwh >= 0) || !std::isfinite(c.electricity_usd_per_kwh))
    bad("--kwh-price", c.electricity_usd_per_kwh, "a price in $/kWh >= 0");
  if (!(c.device_price_usd >= 0) || !std::isfinite(c.device_price_usd))
    bad("--device-price", c.device_price_usd, "a price in $ >= 0");
  if (!(c.service_life_years > 0) || !std::isfinite(c.service_life_years))
    bad("--life-years", c.service_life_years, "a service life in years > 0");
  if (!(c.utilization > 0 && c.utilization <= 1))
    bad("--utilization", c.utilization, "a fraction of the service life in (0, 1], e.g. 0.5 for 12 h a day");
  if (!(c.cloud_input_usd_per_1m >= 0) || !std::isfinite(c.cloud_input_usd_per_1m))
    bad("--cloud-input-price", c.cloud_input_usd_per_1m, "a price per 1M tokens >= 0");
  if (!(c.cloud_output_usd_per_1m >= 0) || !std::isfinite(c.cloud_output_usd_per_1m))
    bad("--cloud-output-price", c.cloud_output_usd_per_1m, "a price per 1M tokens >= 0");
}

/// The cost of an estimated case (null estimate: no cost).
inline std::optional<cost_breakdown> case_cost(const cost_args& a, const case_outcome& r) {
  if (!r.estimate) return std::nullopt;
  auto c = request_cost(*r.estimate, r.desc.load, a.for_device(r.device));
  if (!c) throw cli_error(c.error_value().message);
  return *c;
}

}  // namespace edgeperf::cli
