#pragma once
// Python arguments → the library's description texts (io/resolve.hpp). A
// model, device or runtime may be given as
//   - a str: a catalog id, a file path or JSON text, exactly as on the CLI;
//   - an os.PathLike (pathlib.Path): its path;
//   - a dict: its JSON text (json.dumps), read as the CLI reads JSON text;
//   - an edgeperf.Device / edgeperf.Runtime: its profile JSON text.
// Everything is then resolved by io::resolver (each distinct text once), so
// the module accepts what the CLI accepts and fails with the CLI's messages.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <pybind11/pybind11.h>

#include "edgeperf/io/profile_json.hpp"
#include "edgeperf/io/resolve.hpp"

namespace edgeperf::python {

namespace py = pybind11;

/// Bad input from Python: becomes edgeperf.Error (a ValueError) with this message.
struct input_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The value of a `result`, or edgeperf.Error with its message.
template <class T>
const T& unwrap(const result<T>& r) {
  if (!r) throw input_error(r.error_value().message);
  return *r;
}

/// True for objects with __fspath__ (pathlib.Path and friends), not str.
inline bool is_pathlike(py::handle h) { return !py::isinstance<py::str>(h) && py::hasattr(h, "__fspath__"); }

/// A str or os.PathLike as text; anything else raises edgeperf.Error.
inline std::string path_text(py::handle h) {
  if (py::isinstance<py::str>(h)) return py::cast<std::string>(h);
  if (is_pathlike(h)) return py::cast<std::string>(py::str(h.attr("__fspath__")()));
  throw input_error("expected a path (str or os.PathLike), got " + std::string(py::repr(h)));
}

/// An argument as the description text the library resolves, and the label a
/// result echoes (the text for ids and paths, as the CLI echoes them; the
/// spec's id for dicts and objects, filled in once resolved).
struct source {
  std::string text;
  std::string label;  ///< empty: use the resolved spec's id
};

template <class Spec>
std::string profile_text(const Spec& s) {
  nlohmann::ordered_json j;
  to_json(j, s);
  return j.dump();
}

/// `what` names the keyword in messages ("model", "device", "runtime").
inline source source_of(py::handle h, const char* what) {
  if (py::isinstance<py::str>(h) || is_pathlike(h)) {
    std::string t = path_text(h);
    return {t, t};
  }
  if (py::isinstance<py::dict>(h)) {
    try {
      return {py::cast<std::string>(py::module_::import("json").attr("dumps")(h)), {}};
    } catch (py::error_already_set& e) {
      throw input_error(std::string(what) + ": the dict is not JSON-serializable: " +
                        py::cast<std::string>(py::str(e.value())));
    }
  }
  if (py::isinstance<device_spec>(h)) return {profile_text(py::cast<const device_spec&>(h)), {}};
  if (py::isinstance<runtime_spec>(h)) return {profile_text(py::cast<const runtime_spec&>(h)), {}};
  throw input_error(std::string(what) + ": expected a catalog id, a path or a dict, got " + std::string(py::repr(h)));
}

/// An optional text keyword (mode, quant, kv_dtype): None → "" (the default).
inline std::string optional_text(py::handle h, const char* what) {
  if (h.is_none()) return {};
  if (py::isinstance<py::str>(h)) return py::cast<std::string>(h);
  throw input_error(std::string(what) + ": expected a str or None, got " + std::string(py::repr(h)));
}

/// io::resolver with Python arguments.
class resolver {
 public:
  const io::resolved_model& model(const source& s) { return unwrap(lib_.model(s.text)); }
  const device_spec& device(const source& s) { return unwrap(lib_.device(s.text)); }
  const runtime_spec& runtime(const source& s) { return unwrap(lib_.runtime(s.text)); }
  const io::resolved_model& model(py::handle h) { return model(source_of(h, "model")); }
  const device_spec& device(py::handle h) { return device(source_of(h, "device")); }
  const runtime_spec& runtime(py::handle h) { return runtime(source_of(h, "runtime")); }
  const quant_spec& quant(py::handle h) { return unwrap(lib_.quant(optional_text(h, "quant"))); }
  /// The power mode's index on `d`: None = the device's default.
  int mode(const device_spec& d, py::handle h) { return unwrap(find_mode(d, optional_text(h, "mode"))); }

  io::resolver& library() noexcept { return lib_; }

 private:
  io::resolver lib_;
};

}  // namespace edgeperf::python
