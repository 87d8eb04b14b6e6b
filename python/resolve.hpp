#pragma once
// Python arguments → specs for the `edgeperf` module: a model, device or
// runtime given as a catalog id, a file path (str or os.PathLike), a dict
// (the JSON's contents) or, for devices and runtimes, an edgeperf.Device /
// edgeperf.Runtime object. Each distinct argument is resolved once per call
// (a sweep resolves its lists up front); references stay valid while the
// resolver lives.

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <pybind11/pybind11.h>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/io/hf_config.hpp"
#include "edgeperf/io/json_file.hpp"
#include "edgeperf/io/profile_json.hpp"

namespace edgeperf::python {

namespace py = pybind11;

/// Bad input from Python: becomes edgeperf.Error (a ValueError) with this message.
struct input_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class T>
T unwrap(result<T> r) {
  if (!r) throw input_error(r.error_value().message);
  return std::move(r).value();
}

/// True for objects with __fspath__ (pathlib.Path and friends), not str.
inline bool is_pathlike(py::handle h) {
  return !py::isinstance<py::str>(h) && py::hasattr(h, "__fspath__");
}

/// A str or os.PathLike as text; anything else raises edgeperf.Error.
inline std::string path_text(py::handle h) {
  if (py::isinstance<py::str>(h)) return py::cast<std::string>(h);
  if (is_pathlike(h)) return py::cast<std::string>(py::str(h.attr("__fspath__")()));
  throw input_error("expected a path (str or os.PathLike), got " + std::string(py::repr(h)));
}

/// The name a result shows for an argument: the text as given for ids and
/// paths (as the CLI echoes them), else the resolved spec's id.
inline std::string display_name(py::handle given, std::string_view id) {
  if (py::isinstance<py::str>(given) || is_pathlike(given)) return path_text(given);
  return std::string(id);
}

/// A dict (or list) as nlohmann JSON, through Python's json module.
inline nlohmann::json dict_json(py::handle h, const std::string& what) {
  std::string text;
  try {
    text = py::cast<std::string>(py::module_::import("json").attr("dumps")(h));
  } catch (py::error_already_set& e) {
    throw input_error(what + ": the dict is not JSON-serializable: " + std::string(e.what()));
  }
  return io::parse_json_text(text, what);
}

/// The KV dtype keyword: None (the quant's or runtime's default) or a dtype name.
inline std::optional<dtype> kv_dtype_of(py::handle h) {
  if (h.is_none()) return std::nullopt;
  const std::string s = py::isinstance<py::str>(h) ? py::cast<std::string>(h) : std::string(py::repr(h));
  if (auto t = parse_dtype(s)) return t;
  throw input_error("kv_dtype: unknown dtype '" + s + "'; expected one of fp32, fp16, bf16, fp8, int8, int4, nf4");
}

/// A model and the 16-bit quant its config names (none for catalog models).
struct resolved_model {
  model_spec spec{};
  std::optional<quant_spec> config_quant;
  std::string name;  ///< as given (id or path), or the spec's id for a dict
};

class resolver {
 public:
  const resolved_model& model(py::handle h) {
    if (py::isinstance<py::dict>(h)) {
      const nlohmann::json j = dict_json(h, "model dict");
      return get(models_, "\x01" + j.dump(), [&] {
        resolved_model m{};
        set_from_hf(m, parse_hf_model(j, "model dict", "model-dict"));
        m.name = std::string(m.spec.id.view());
        return m;
      });
    }
    const std::string s = text_of(h, "model");
    return get(models_, s, [&] {
      resolved_model m{};
      m.name = s;
      if (const model_spec* p = find_model_or_null(s)) {
        m.spec = *p;
      } else if (is_pathlike(h) || looks_like_path(s)) {
        set_from_hf(m, load_hf_model(s));
      } else {
        m.spec = unwrap(find_model(s));
      }
      return m;
    });
  }

  const device_spec& device(py::handle h) {
    if (py::isinstance<device_spec>(h)) return keep(devices_, py::cast<const device_spec&>(h));
    if (py::isinstance<py::dict>(h)) {
      const nlohmann::json j = dict_json(h, "device dict");
      return get(devices_, "\x01" + j.dump(), [&] { return device_from_json(j, "device dict"); });
    }
    const std::string s = text_of(h, "device");
    return get(devices_, s, [&] {
      if (const device_spec* p = find_device_or_null(s)) return *p;
      if (is_pathlike(h) || looks_like_path(s)) return load_device_profile(s);
      return unwrap(find_device(s));
    });
  }

  const runtime_spec& runtime(py::handle h) {
    if (py::isinstance<runtime_spec>(h)) return keep(runtimes_, py::cast<const runtime_spec&>(h));
    if (py::isinstance<py::dict>(h)) {
      const nlohmann::json j = dict_json(h, "runtime dict");
      return get(runtimes_, "\x01" + j.dump(), [&] { return runtime_from_json(j, "runtime dict"); });
    }
    const std::string s = text_of(h, "runtime");
    return get(runtimes_, s, [&] {
      if (const runtime_spec* p = find_runtime_or_null(s)) return *p;
      if (is_pathlike(h) || looks_like_path(s)) return load_runtime_profile(s);
      return unwrap(find_runtime(s));
    });
  }

  /// A quant id (no default).
  quant_spec quant_id(py::handle h) { return unwrap(find_quant(text_of(h, "quant"))); }

  /// The quant of a case: the id given, else the 16-bit dtype the model's config names.
  quant_spec quant(py::handle h, const resolved_model& m, py::handle model_given) {
    if (!h.is_none()) return quant_id(h);
    if (!m.config_quant)
      throw input_error("quant: no quant given and model '" +
                        (py::isinstance<py::dict>(model_given) ? m.name : text_of(model_given, "model")) +
                        "' names no 16-bit dtype; give a quant id (e.g. bf16, w4a16)");
    return *m.config_quant;
  }

  /// The power mode's index: None = the device's default.
  int mode(const device_spec& d, py::handle h) {
    return unwrap(find_mode(d, h.is_none() ? std::string() : text_of(h, "mode")));
  }

 private:
  static std::string text_of(py::handle h, const char* what) {
    if (py::isinstance<py::str>(h) || is_pathlike(h)) return path_text(h);
    throw input_error(std::string(what) + ": expected a catalog id, a path or a dict, got " + std::string(py::repr(h)));
  }
  static bool looks_like_path(const std::string& s) {
    std::error_code ec;
    return s.find('/') != std::string::npos || s.find('\\') != std::string::npos ||
           (s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0) || std::filesystem::exists(s, ec);
  }
  static void set_from_hf(resolved_model& m, const hf_model& hf) {
    m.spec = hf.model;
    if (!hf.quant)
      if (auto t = parse_dtype(hf.dtype))
        if (const quant_spec* q = find_quant_or_null(to_string(*t))) m.config_quant = *q;
  }
  template <class T, class F>
  static const T& get(std::map<std::string, T>& cache, const std::string& key, F&& load) {
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, load()).first;
    return it->second;
  }
  template <class T>
  const T& keep(std::map<std::string, T>& cache, const T& v) {
    return cache.emplace("\x02" + std::to_string(cache.size()), v).first->second;
  }

  std::map<std::string, resolved_model> models_;
  std::map<std::string, device_spec> devices_;
  std::map<std::string, runtime_spec> runtimes_;
};

}  // namespace edgeperf::python
