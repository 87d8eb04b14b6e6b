#pragma once
/// @file
/// Resolving the descriptions of a case from text, as every front end (CLI,
/// Python, browser) receives them: a model, device, runtime or quant given as
///   - a catalog id (`dsr1-qwen-1.5b`, `agx-orin-64gb`, `vllm`, `w4a16`),
///   - JSON text (the first non-blank character is `{`): a Hugging Face
///     config.json for a model, a profile JSON for a device or runtime,
///   - a file path: a config.json or its folder for a model, a profile JSON for
///     a device or runtime. A text counts as a path when it holds `/` or `\`,
///     ends in `.json`, or names an existing file; relative paths are tried
///     against the current directory, then against `base_dir` (e.g. the folder
///     of a cases file).
/// Quants are catalog ids only.
///
/// Errors are values (`result`): an unknown id names what was given, the
/// nearest catalog ids and what else is accepted; a file or JSON text that
/// cannot be read or does not describe the thing gives the loader's `io_error`
/// message (file, field, value, expectation) as the error. Nothing here throws
/// for bad input.
///
/// `resolver` caches each distinct text (and its failure), so that a sweep or a
/// cases file loads every description once. `resolve_case` turns one case
/// given as strings (`case_input`) into specs and a workload, and
/// `estimate_case` also estimates it.

#include <cstdint>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <system_error>
#include <utility>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/descriptions/workload.hpp"
#include "edgeperf/io/hf_config.hpp"
#include "edgeperf/io/json_file.hpp"
#include "edgeperf/io/profile_json.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/result.hpp"

namespace edgeperf::io {

/// How a description text is read.
enum class source_kind : std::uint8_t {
  catalog_id,  ///< anything that is neither of the others
  json_text,   ///< first non-blank character `{`
  file,        ///< holds `/` or `\`, ends in `.json`, or names an existing file
};

/// How `text` will be read (a catalog hit is checked before this by the resolvers).
[[nodiscard]] inline source_kind classify_source(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return source_kind::json_text;
  std::error_code ec;
  if (text.find('/') != std::string_view::npos || text.find('\\') != std::string_view::npos ||
      (text.size() > 5 && text.substr(text.size() - 5) == ".json") ||
      (!text.empty() && std::filesystem::exists(std::filesystem::path(text), ec)))
    return source_kind::file;
  return source_kind::catalog_id;
}

/// A model and, for an unquantized config.json, the quant its 16-bit dtype
/// names (used when the case gives no quant).
struct resolved_model {
  model_spec spec{};
  std::optional<quant_spec> config_quant;
  std::vector<std::string> notes;  ///< the loader's notes (`hf_model::notes`); empty for catalog models
};

namespace detail::resolve {

/// `text` as a path: relative paths that do not exist are tried under `base_dir`.
[[nodiscard]] inline std::filesystem::path locate(std::string_view text, const std::filesystem::path& base_dir) {
  const std::filesystem::path p(text);
  std::error_code ec;
  if (p.is_relative() && !base_dir.empty() && !std::filesystem::exists(p, ec) &&
      std::filesystem::exists(base_dir / p, ec))
    return base_dir / p;
  return p;
}

/// Runs a loader that throws `io_error` (or another exception for bad input)
/// and turns the exception into an error value.
template <class T, class F>
[[nodiscard]] result<T> capture(F&& load) {
  try {
    return load();
  } catch (const std::exception& e) {
    return make_error(errc::parse_error, e.what());
  }
}

/// The catalog's unknown-id error with what else the text could have been.
template <class T>
[[nodiscard]] result<T> unknown(result<T> r, std::string_view expected) {
  if (r) return r;
  return make_error(r.error_value().code, r.error_value().message + " (expected " + std::string(expected) + ")");
}

inline constexpr std::string_view model_expected =
    "a model catalog id, a path to a Hugging Face config.json or its folder, or config JSON text";
inline constexpr std::string_view device_expected =
    "a device catalog id, a path to a device profile JSON, or profile JSON text";
inline constexpr std::string_view runtime_expected =
    "a runtime catalog id, a path to a runtime profile JSON, or profile JSON text";

[[nodiscard]] inline resolved_model from_hf(const hf_model& hf) {
  resolved_model m{};
  m.spec = hf.model;
  m.notes = hf.notes;
  if (!hf.quant)
    if (auto t = parse_dtype(hf.dtype))
      if (const quant_spec* q = find_quant_or_null(to_string(*t))) m.config_quant = *q;
  return m;
}

}  // namespace detail::resolve

/// A model from a catalog id, a config.json path (or its folder) or config JSON
/// text (whose id is `_name_or_path`, else "json-model").
[[nodiscard]] inline result<resolved_model> resolve_model(std::string_view text,
                                                          const std::filesystem::path& base_dir = {}) {
  namespace r = detail::resolve;
  if (const model_spec* p = find_model_or_null(text)) return resolved_model{*p, std::nullopt, {}};
  switch (classify_source(text)) {
    case source_kind::json_text:
      return r::capture<resolved_model>([&] {
        return r::from_hf(parse_hf_model(parse_json_text(text, "model JSON text"), "model JSON text", "json-model"));
      });
    case source_kind::file:
      return r::capture<resolved_model>([&] { return r::from_hf(load_hf_model(r::locate(text, base_dir))); });
    case source_kind::catalog_id: break;
  }
  const auto miss = r::unknown(find_model(text), r::model_expected);
  return miss.error_value();
}

/// A device from a catalog id, a profile JSON path or profile JSON text.
/// Profile warnings (unknown fields, truncated strings) go to `warnings` when given.
[[nodiscard]] inline result<device_spec> resolve_device(std::string_view text,
                                                        const std::filesystem::path& base_dir = {},
                                                        std::vector<std::string>* warnings = nullptr) {
  namespace r = detail::resolve;
  if (const device_spec* p = find_device_or_null(text)) return *p;
  switch (classify_source(text)) {
    case source_kind::json_text:
      return r::capture<device_spec>(
          [&] { return device_from_json(parse_json_text(text, "device JSON text"), "device JSON text", warnings); });
    case source_kind::file:
      return r::capture<device_spec>([&] { return load_device_profile(r::locate(text, base_dir), warnings); });
    case source_kind::catalog_id: break;
  }
  return r::unknown(find_device(text), r::device_expected);
}

/// A runtime from a catalog id, a profile JSON path or profile JSON text.
/// Profile warnings go to `warnings` when given.
[[nodiscard]] inline result<runtime_spec> resolve_runtime(std::string_view text,
                                                          const std::filesystem::path& base_dir = {},
                                                          std::vector<std::string>* warnings = nullptr) {
  namespace r = detail::resolve;
  if (const runtime_spec* p = find_runtime_or_null(text)) return *p;
  switch (classify_source(text)) {
    case source_kind::json_text:
      return r::capture<runtime_spec>(
          [&] { return runtime_from_json(parse_json_text(text, "runtime JSON text"), "runtime JSON text", warnings); });
    case source_kind::file:
      return r::capture<runtime_spec>([&] { return load_runtime_profile(r::locate(text, base_dir), warnings); });
    case source_kind::catalog_id: break;
  }
  return r::unknown(find_runtime(text), r::runtime_expected);
}

/// A quant format from its catalog id (there are no quant files).
[[nodiscard]] inline result<quant_spec> resolve_quant(std::string_view text) { return find_quant(text); }

/// A KV-cache dtype name (`parse_dtype`); empty text: no override (the runtime's).
[[nodiscard]] inline result<std::optional<dtype>> resolve_kv_dtype(std::string_view text) {
  if (text.empty()) return std::optional<dtype>{};
  if (auto t = parse_dtype(text)) return std::optional<dtype>{*t};
  return make_error(errc::unknown_id, "kv_dtype: unknown dtype '" + std::string(text) +
                                          "'; expected one of fp32, fp16, bf16, fp8, int8, int4, nf4");
}

/// Resolves each distinct text once and keeps the result (or the error).
/// References stay valid while the resolver lives.
class resolver {
 public:
  resolver() = default;
  explicit resolver(std::filesystem::path base_dir) : base_dir_(std::move(base_dir)) {}

  /// The second place relative paths are looked up in.
  [[nodiscard]] const std::filesystem::path& base_dir() const noexcept { return base_dir_; }

  const result<resolved_model>& model(std::string_view text) {
    return get(models_, text, [&] { return resolve_model(text, base_dir_); });
  }
  const result<device_spec>& device(std::string_view text) {
    return get(devices_, text, [&] { return resolve_device(text, base_dir_, &warnings_["device:" + std::string(text)]); });
  }
  const result<runtime_spec>& runtime(std::string_view text) {
    return get(runtimes_, text, [&] { return resolve_runtime(text, base_dir_, &warnings_["runtime:" + std::string(text)]); });
  }
  /// Warnings of the device or runtime profile loaded from `text` (none for catalog ids).
  [[nodiscard]] std::vector<std::string> device_warnings(std::string_view text) const {
    const auto it = warnings_.find("device:" + std::string(text));
    return it == warnings_.end() ? std::vector<std::string>{} : it->second;
  }
  [[nodiscard]] std::vector<std::string> runtime_warnings(std::string_view text) const {
    const auto it = warnings_.find("runtime:" + std::string(text));
    return it == warnings_.end() ? std::vector<std::string>{} : it->second;
  }
  const result<quant_spec>& quant(std::string_view text) {
    return get(quants_, text, [&] { return resolve_quant(text); });
  }

 private:
  template <class T, class F>
  static const result<T>& get(std::map<std::string, result<T>, std::less<>>& cache, std::string_view key,
                              F&& load) {
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(std::string(key), load()).first;
    return it->second;
  }

  std::filesystem::path base_dir_;
  std::map<std::string, result<resolved_model>, std::less<>> models_;
  std::map<std::string, result<device_spec>, std::less<>> devices_;
  std::map<std::string, result<runtime_spec>, std::less<>> runtimes_;
  std::map<std::string, result<quant_spec>, std::less<>> quants_;
  std::map<std::string, std::vector<std::string>, std::less<>> warnings_;  ///< by "device:"/"runtime:" + text
};

/// One case as strings and numbers, as given on a command line, in a CSV row
/// or by a script. Empty `mode`: the device's default; empty `quant`: the
/// dtype an unquantized config.json names; empty `kv_dtype`: the default.
struct case_input {
  std::string id, model, device, mode, runtime, quant, kv_dtype;
  int batch{1}, samples{1}, input_tokens{0}, output_tokens{0};
};

/// A case resolved into specs (pointers into the `resolver`, valid while it
/// lives). Resolution stops at the first failure, in the order kv_dtype,
/// model, device, mode, runtime, quant; `error` names it (empty when all
/// resolved). `mode_name` and `quant_name` are the names as given until the
/// device and mode (or the quant) resolve, then the resolved names.
struct resolved_case {
  const model_spec* model{nullptr};
  quant_spec quant{};
  const device_spec* device{nullptr};
  int mode{0};
  const runtime_spec* runtime{nullptr};
  workload load{};        ///< batch, samples, I, O and the KV override
  std::string mode_name;  ///< the power mode (resolved: the device's name for it)
  std::string quant_name; ///< the quant id (resolved: the config's dtype when none was given)
  std::string error;      ///< why the case did not resolve; empty when it did
  std::vector<std::string> notes;  ///< loader notes ("<model>: <note>") and profile warnings of
                                   ///< what resolved; front ends show them (stderr, JSON `notes`)

  [[nodiscard]] bool ok() const noexcept { return error.empty(); }
};

/// Resolves `in` through `res` (see `resolved_case`). Never throws for bad input.
[[nodiscard]] inline resolved_case resolve_case(resolver& res, const case_input& in) {
  resolved_case rc{};
  rc.mode_name = in.mode;
  rc.quant_name = in.quant;
  rc.load.batch = in.batch;
  rc.load.samples = in.samples;
  rc.load.input_tokens = in.input_tokens;
  rc.load.output_tokens = in.output_tokens;
  const auto kv = resolve_kv_dtype(in.kv_dtype);
  if (!kv) {
    rc.error = kv.error_value().message;
    return rc;
  }
  rc.load.kv_dtype = *kv;
  const auto& m = res.model(in.model);
  if (!m) {
    rc.error = m.error_value().message;
    return rc;
  }
  rc.model = &m->spec;
  // Notes name their source: the id or path, or "model JSON text" (never the text itself).
  const std::string source = classify_source(in.model) == source_kind::json_text ? "model JSON text" : in.model;
  for (const auto& n : m->notes) rc.notes.push_back(source + ": " + n);
  const auto& d = res.device(in.device);
  for (auto& w : res.device_warnings(in.device)) rc.notes.push_back(std::move(w));
  if (!d) {
    rc.error = d.error_value().message;
    return rc;
  }
  rc.device = &*d;
  const auto mode = find_mode(*d, in.mode);
  if (!mode) {
    rc.error = mode.error_value().message;
    return rc;
  }
  rc.mode = *mode;
  rc.mode_name = std::string(d->modes[static_cast<std::size_t>(rc.mode)].name.view());
  const auto& r = res.runtime(in.runtime);
  if (!r) {
    rc.error = r.error_value().message;
    return rc;
  }
  rc.runtime = &*r;
  for (auto& w : res.runtime_warnings(in.runtime)) rc.notes.push_back(std::move(w));
  if (in.quant.empty()) {
    if (!m->config_quant) {
      rc.error = "quant: no quant given and model '" + in.model +
                 "' names no 16-bit dtype; give a quant id (e.g. bf16, w4a16)";
      return rc;
    }
    rc.quant = *m->config_quant;
    rc.quant_name = std::string(rc.quant.id.view());
  } else {
    const auto& q = res.quant(in.quant);
    if (!q) {
      rc.error = q.error_value().message;
      return rc;
    }
    rc.quant = *q;
  }
  return rc;
}

/// A case given as text, resolved and estimated: the resolution (names as
/// resolved, specs) and either the estimate or why there is none.
struct case_estimate {
  resolved_case resolved{};
  std::optional<request_estimate<double>> estimate;  ///< empty when the case failed
  std::string error;                                  ///< resolution or estimation error

  [[nodiscard]] bool ok() const noexcept { return estimate.has_value(); }
};

/// Resolves `in` through `res` and estimates it (`estimate_request`). Never
/// throws for bad input: the first failure lands in `error`.
[[nodiscard]] inline case_estimate estimate_case(resolver& res, const case_input& in) {
  case_estimate out{};
  out.resolved = resolve_case(res, in);
  const resolved_case& rc = out.resolved;
  if (!rc.ok()) {
    out.error = rc.error;
    return out;
  }
  // With the per-op breakdown: the estimate table and JSON print it.
  auto e = estimate_request<double>(*rc.model, rc.quant, *rc.device, rc.mode, *rc.runtime, rc.load,
                                    request_options{.breakdown = true});
  if (e)
    out.estimate = std::move(*e);
  else
    out.error = e.error_value().message;
  return out;
}

}  // namespace edgeperf::io
