#pragma once
/// @file
/// Reads and writes the calibration suite's measurements JSON
/// (`edgeperf.measurements/2`, and version 1 files; docs/calibration.md,
/// calibration/src/main.cpp) into the plain structs of fit/measurements.hpp.
///
/// Reading. `load_measurements(path)` / `measurements_from_json(j, name)`.
/// Required: `schema` ("edgeperf.measurements/2" or "/1"), `run.id` (non-empty),
/// `device` with `sm_count` (> 0), `l2_bytes`, `memory_bus_bits`,
/// `total_memory_bytes` (≥ 0), and in each benchmark record `bench`, `name`
/// and `time_s.median` (finite, > 0: nothing is timed on zeros or failed runs).
/// Everything else is optional; a field the suite writes as `null` (an
/// interrupted run) reads as 0 / empty. Unknown fields are ignored (a newer
/// suite may add some). A field of the wrong type or out of range throws
/// `edgeperf::io::io_error` naming the file, the field path
/// (`benchmarks[3].time_s.median`), the value found and what was expected.
///
/// Writing. `measurements_to_json` / `save_measurements` write the same
/// schema, version 2 (the synthetic generator of the tests uses it), so a
/// write-then-read round trip gives back the same struct.

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "edgeperf/fit/measurements.hpp"
#include "edgeperf/io/io_error.hpp"
#include "edgeperf/io/json_file.hpp"

namespace edgeperf::io {

namespace detail {

/// Parses a measurements document; `file_` labels every error.
class measurements_reader {
 public:
  explicit measurements_reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw io_error(file_, field, message);
  }

  /// Short rendering of a JSON value for messages.
  [[nodiscard]] static std::string show(const nlohmann::json& v) {
    std::string s = v.dump();
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return s;
  }

  [[nodiscard]] fit::measurements read(const nlohmann::json& j) const {
    if (!j.is_object()) fail("", "expected a JSON object (a measurements file), got " + show(j));
    fit::measurements m{};
    if (!j.contains("schema")) fail("schema", std::string("missing; expected \"") + fit::measurements_schema + "\"");
    m.schema = string(j["schema"], "schema");
    if (fit::measurements_schema_version(m.schema) == 0)
      fail("schema", "unsupported schema " + show(j["schema"]) + "; expected \"" + fit::measurements_schema +
                         "\" or \"" + fit::measurements_schema_v1 + "\"");
    read_run(object(j, "run", true), m.run);
    read_device(object(j, "device", true), m.device);
    if (const auto* h = object(j, "host", false)) {
      m.host.kernel = opt_string(*h, "kernel", "host.kernel");
      m.host.os = opt_string(*h, "os", "host.os");
      m.host.board_model = opt_string(*h, "board_model", "host.board_model");
      m.host.l4t_release = opt_string(*h, "l4t_release", "host.l4t_release");
      m.host.jetpack = opt_string(*h, "jetpack", "host.jetpack");
    }
    if (const auto* p = object(j, "power_mode", false)) {
      m.nvpmodel_present = opt_bool(*p, "nvpmodel_present", "power_mode.nvpmodel_present");
      m.nvpmodel_q = opt_string(*p, "nvpmodel_q", "power_mode.nvpmodel_q");
      m.jetson_clocks = opt_string(*p, "jetson_clocks", "power_mode.jetson_clocks");
      m.clocks_pinned = opt_bool(*p, "clocks_pinned", "power_mode.clocks_pinned");
    }
    if (const auto* t = object(j, "telemetry", false)) {
      m.telemetry_start = number_map(*t, "start", "telemetry.start");
      m.telemetry_end = number_map(*t, "end", "telemetry.end");
    }
    if (const auto* s = object(j, "power_sensors", false)) {
      if (const auto* rails = array(*s, "rails", "power_sensors.rails"))
        for (std::size_t i = 0; i < rails->size(); ++i) {
          const std::string f = "power_sensors.rails[" + std::to_string(i) + "]";
          const auto& r = (*rails)[i];
          if (!r.is_object()) fail(f, "expected an object {label, volt_path, curr_path}, got " + show(r));
          m.power_rails.push_back(opt_string(r, "label", f + ".label"));
        }
      m.nvml_power = opt_bool(*s, "nvml_power", "power_sensors.nvml_power");
      m.power_sampling = number_map(*s, "sampling", "power_sensors.sampling");
    }
    if (const auto* b = array(j, "benchmarks", "benchmarks"))
      for (std::size_t i = 0; i < b->size(); ++i)
        m.benchmarks.push_back(read_record((*b)[i], "benchmarks[" + std::to_string(i) + "]"));
    if (const auto* p = object(j, "power", false))
      if (const auto* phases = array(*p, "phases", "power.phases"))
        for (std::size_t i = 0; i < phases->size(); ++i)
          m.power_phases.push_back(read_phase((*phases)[i], "power.phases[" + std::to_string(i) + "]"));
    if (const auto* s = array(j, "skipped", "skipped"))
      for (std::size_t i = 0; i < s->size(); ++i) {
        const std::string f = "skipped[" + std::to_string(i) + "]";
        const auto& x = (*s)[i];
        if (!x.is_object()) fail(f, "expected an object {bench, name, reason}, got " + show(x));
        m.skipped.push_back({opt_string(x, "bench", f + ".bench"), opt_string(x, "name", f + ".name"),
                             opt_string(x, "reason", f + ".reason")});
      }
    if (const auto* c = array(j, "checks", "checks"))
      for (std::size_t i = 0; i < c->size(); ++i) {
        const std::string f = "checks[" + std::to_string(i) + "]";
        const auto& x = (*c)[i];
        if (!x.is_object()) fail(f, "expected an object {name, max_abs_err, ...}, got " + show(x));
        fit::kernel_check k{};
        k.name = opt_string(x, "name", f + ".name");
        k.max_abs_err = opt_number(x, "max_abs_err", f + ".max_abs_err");
        k.max_abs_ref = opt_number(x, "max_abs_ref", f + ".max_abs_ref");
        k.tolerance = opt_number(x, "tolerance", f + ".tolerance");
        k.passed = opt_bool(x, "passed", f + ".passed");
        m.checks.push_back(std::move(k));
      }
    return m;
  }

  [[nodiscard]] static nlohmann::json parse_file(const std::filesystem::path& path) {
    return io::read_json_file(path);  // io_error for missing/huge files and every parser error
  }

 private:
  // --- scalars (null = absent) ----------------------------------------------------

  [[nodiscard]] std::string string(const nlohmann::json& v, const std::string& field) const {
    if (!v.is_string()) fail(field, "expected a string, got " + show(v));
    return v.get<std::string>();
  }
  [[nodiscard]] double number(const nlohmann::json& v, const std::string& field) const {
    if (!v.is_number()) fail(field, "expected a number, got " + show(v));
    const double x = v.get<double>();
    if (!std::isfinite(x)) fail(field, "expected a finite number, got " + show(v));
    return x;
  }
  [[nodiscard]] double nonneg(const nlohmann::json& v, const std::string& field) const {
    const double x = number(v, field);
    if (x < 0) fail(field, "expected a number >= 0, got " + show(v));
    return x;
  }
  [[nodiscard]] const nlohmann::json* get(const nlohmann::json& obj, const char* key) const {
    const auto it = obj.find(key);
    return (it == obj.end() || it->is_null()) ? nullptr : &*it;
  }
  [[nodiscard]] std::string opt_string(const nlohmann::json& obj, const char* key,
                                       const std::string& field) const {
    const auto* v = get(obj, key);
    return v ? string(*v, field) : std::string();
  }
  [[nodiscard]] double opt_number(const nlohmann::json& obj, const char* key, const std::string& field) const {
    const auto* v = get(obj, key);
    return v ? number(*v, field) : 0.0;
  }
  [[nodiscard]] double opt_nonneg(const nlohmann::json& obj, const char* key, const std::string& field) const {
    const auto* v = get(obj, key);
    return v ? nonneg(*v, field) : 0.0;
  }
  [[nodiscard]] double req_nonneg(const nlohmann::json& obj, const char* key, const std::string& field) const {
    const auto* v = get(obj, key);
    if (!v) fail(field, "missing; expected a number >= 0");
    return nonneg(*v, field);
  }
  [[nodiscard]] bool opt_bool(const nlohmann::json& obj, const char* key, const std::string& field) const {
    const auto* v = get(obj, key);
    if (!v) return false;
    if (!v->is_boolean()) fail(field, "expected true or false, got " + show(*v));
    return v->get<bool>();
  }
  [[nodiscard]] int opt_int(const nlohmann::json& obj, const char* key, const std::string& field) const {
    const auto* v = get(obj, key);
    if (!v) return 0;
    const double x = number(*v, field);
    if (x != std::floor(x) || std::fabs(x) > 1e9) fail(field, "expected an integer, got " + show(*v));
    return static_cast<int>(x);
  }

  // --- containers ------------------------------------------------------------------

  [[nodiscard]] const nlohmann::json* object(const nlohmann::json& parent, const char* key, bool required) const {
    const auto* v = get(parent, key);
    if (!v) {
      if (required) fail(key, "missing; expected an object");
      return nullptr;
    }
    if (!v->is_object()) fail(key, "expected an object, got " + show(*v));
    return v;
  }
  [[nodiscard]] const nlohmann::json* array(const nlohmann::json& parent, const char* key,
                                            const std::string& field) const {
    const auto* v = get(parent, key);
    if (!v) return nullptr;
    if (!v->is_array()) fail(field, "expected an array, got " + show(*v));
    return v;
  }
  [[nodiscard]] std::map<std::string, double> number_map(const nlohmann::json& parent, const char* key,
                                                         const std::string& field) const {
    std::map<std::string, double> out;
    const auto* v = get(parent, key);
    if (!v) return out;
    if (!v->is_object()) fail(field, "expected an object of numbers, got " + show(*v));
    for (const auto& item : v->items()) {
      if (item.value().is_null()) continue;
      out[item.key()] = number(item.value(), field + "." + item.key());
    }
    return out;
  }
  [[nodiscard]] std::map<std::string, std::string> string_map(const nlohmann::json& parent, const char* key,
                                                              const std::string& field) const {
    std::map<std::string, std::string> out;
    const auto* v = get(parent, key);
    if (!v) return out;
    if (!v->is_object()) fail(field, "expected an object of strings, got " + show(*v));
    for (const auto& item : v->items()) out[item.key()] = string(item.value(), field + "." + item.key());
    return out;
  }
  [[nodiscard]] fit::sample_spread spread(const nlohmann::json& v, const std::string& field, bool record) const {
    if (!v.is_object()) fail(field, "expected an object {median, min, max, p10, p90, mean, count}, got " + show(v));
    fit::sample_spread s{};
    if (record) {
      const auto* med = get(v, "median");
      if (!med) fail(field + ".median", "missing; expected a time > 0 s");
      s.median = number(*med, field + ".median");
      if (!(s.median > 0)) fail(field + ".median", "expected a time > 0 s, got " + show(*med));
    } else {
      s.median = opt_nonneg(v, "median", field + ".median");
    }
    s.min = opt_nonneg(v, "min", field + ".min");
    s.max = opt_nonneg(v, "max", field + ".max");
    s.p10 = opt_nonneg(v, "p10", field + ".p10");
    s.p90 = opt_nonneg(v, "p90", field + ".p90");
    s.mean = opt_nonneg(v, "mean", field + ".mean");
    s.count = opt_int(v, "count", field + ".count");
    s.stable = opt_bool(v, "stable", field + ".stable");
    s.iqr = opt_nonneg(v, "iqr", field + ".iqr");
    s.mad = opt_nonneg(v, "mad", field + ".mad");
    return s;
  }

  // --- sections --------------------------------------------------------------------

  void read_run(const nlohmann::json* r, fit::run_info& run) const {
    const auto* id = get(*r, "id");
    if (!id) fail("run.id", "missing; expected the run id string (YYYYMMDDThhmmssZ-hostname)");
    run.id = string(*id, "run.id");
    if (run.id.empty()) fail("run.id", "expected a non-empty run id, got \"\"");
    run.hostname = opt_string(*r, "hostname", "run.hostname");
    run.started_utc = opt_string(*r, "started_utc", "run.started_utc");
    run.finished_utc = opt_string(*r, "finished_utc", "run.finished_utc");
    run.wall_s = opt_nonneg(*r, "wall_s", "run.wall_s");
    run.suite_version = opt_string(*r, "suite_version", "run.suite_version");
    run.quick = opt_bool(*r, "quick", "run.quick");
    run.command_line = opt_string(*r, "command_line", "run.command_line");
    run.bench_wall_s = number_map(*r, "bench_wall_s", "run.bench_wall_s");
    if (const auto* e = array(*r, "errors", "run.errors"))
      for (std::size_t i = 0; i < e->size(); ++i) {
        const std::string f = "run.errors[" + std::to_string(i) + "]";
        if (!(*e)[i].is_object()) fail(f, "expected an object {bench, what}, got " + show((*e)[i]));
        run.errors.emplace_back(opt_string((*e)[i], "bench", f + ".bench"), opt_string((*e)[i], "what", f + ".what"));
      }
  }

  void read_device(const nlohmann::json* d, fit::device_properties& p) const {
    p.name = opt_string(*d, "name", "device.name");
    p.index = opt_int(*d, "index", "device.index");
    p.pci_bus_id = opt_string(*d, "pci_bus_id", "device.pci_bus_id");
    p.cc_major = opt_int(*d, "cc_major", "device.cc_major");
    p.cc_minor = opt_int(*d, "cc_minor", "device.cc_minor");
    const auto* sms = get(*d, "sm_count");
    if (!sms) fail("device.sm_count", "missing; expected the number of SMs (an integer > 0)");
    const double s = number(*sms, "device.sm_count");
    if (!(s >= 1) || s != std::floor(s) || s > 1e6)
      fail("device.sm_count", "expected an integer > 0, got " + show(*sms));
    p.sm_count = static_cast<int>(s);
    p.integrated = opt_bool(*d, "integrated", "device.integrated");
    p.total_memory_bytes = req_nonneg(*d, "total_memory_bytes", "device.total_memory_bytes");
    p.free_memory_bytes = opt_nonneg(*d, "free_memory_bytes", "device.free_memory_bytes");
    p.l2_bytes = req_nonneg(*d, "l2_bytes", "device.l2_bytes");
    p.persisting_l2_max_bytes = opt_nonneg(*d, "persisting_l2_max_bytes", "device.persisting_l2_max_bytes");
    p.memory_bus_bits = req_nonneg(*d, "memory_bus_bits", "device.memory_bus_bits");
    p.clock_hz = opt_nonneg(*d, "clock_hz", "device.clock_hz");
    p.memory_clock_hz = opt_nonneg(*d, "memory_clock_hz", "device.memory_clock_hz");
    p.shared_memory_per_sm_bytes = opt_nonneg(*d, "shared_memory_per_sm_bytes", "device.shared_memory_per_sm_bytes");
    p.registers_per_sm = opt_nonneg(*d, "registers_per_sm", "device.registers_per_sm");
    p.max_threads_per_sm = opt_nonneg(*d, "max_threads_per_sm", "device.max_threads_per_sm");
    p.ecc_enabled = opt_bool(*d, "ecc_enabled", "device.ecc_enabled");
    p.cuda_driver_version = opt_string(*d, "cuda_driver_version", "device.cuda_driver_version");
    p.cuda_runtime_version = opt_string(*d, "cuda_runtime_version", "device.cuda_runtime_version");
    p.cublaslt_version = opt_nonneg(*d, "cublaslt_version", "device.cublaslt_version");
  }

  [[nodiscard]] fit::benchmark_record read_record(const nlohmann::json& v, const std::string& f) const {
    if (!v.is_object()) fail(f, "expected a benchmark record object, got " + show(v));
    fit::benchmark_record r{};
    const auto* bench = get(v, "bench");
    if (!bench) fail(f + ".bench", "missing; expected a benchmark name (memory, gemm, ...)");
    r.bench = string(*bench, f + ".bench");
    const auto* name = get(v, "name");
    if (!name) fail(f + ".name", "missing; expected the variant name (copy, cublaslt, ...)");
    r.name = string(*name, f + ".name");
    r.params = number_map(v, "params", f + ".params");
    r.tags = string_map(v, "tags", f + ".tags");
    r.flops = opt_nonneg(v, "flops", f + ".flops");
    r.bytes = opt_nonneg(v, "bytes", f + ".bytes");
    if (const auto* u = get(v, "units_per_sample")) {
      r.units_per_sample = number(*u, f + ".units_per_sample");
      if (!(r.units_per_sample > 0)) fail(f + ".units_per_sample", "expected a count > 0, got " + show(*u));
    }
    const auto* t = get(v, "time_s");
    if (!t) fail(f + ".time_s", "missing; expected {median, min, max, p10, p90, mean, count, stable}");
    r.time_s = spread(*t, f + ".time_s", true);
    if (const auto* b = get(v, "batch")) {
      const int n = opt_int(v, "batch", f + ".batch");
      if (n < 1) fail(f + ".batch", "expected a count >= 1 of configurations per event pair, got " + show(*b));
      r.batch = n;
    }
    if (const auto* c = get(v, "clocks")) {
      const std::string cf = f + ".clocks";
      if (!c->is_object()) fail(cf, "expected an object {source, sm_hz_min, ...}, got " + show(*c));
      r.clocks.source = opt_string(*c, "source", cf + ".source");
      r.clocks.sm_hz_min = opt_nonneg(*c, "sm_hz_min", cf + ".sm_hz_min");
      r.clocks.sm_hz_max = opt_nonneg(*c, "sm_hz_max", cf + ".sm_hz_max");
      r.clocks.mem_hz_min = opt_nonneg(*c, "mem_hz_min", cf + ".mem_hz_min");
      r.clocks.mem_hz_max = opt_nonneg(*c, "mem_hz_max", cf + ".mem_hz_max");
      r.clocks.throttle_mask = opt_nonneg(*c, "throttle_mask", cf + ".throttle_mask");
      r.clocks.throttled_samples = opt_int(*c, "throttled_samples", cf + ".throttled_samples");
      r.clocks.readings = opt_int(*c, "readings", cf + ".readings");
      if (r.clocks.throttled_samples < 0)
        fail(cf + ".throttled_samples", "expected a count >= 0, got " + show((*c)["throttled_samples"]));
    }
    r.extra = number_map(v, "extra", f + ".extra");
    return r;
  }

  [[nodiscard]] fit::power_phase read_phase(const nlohmann::json& v, const std::string& f) const {
    if (!v.is_object()) fail(f, "expected a power phase object, got " + show(v));
    fit::power_phase p{};
    const auto* name = get(v, "name");
    if (!name) fail(f + ".name", "missing; expected idle, compute or memory");
    p.name = string(*name, f + ".name");
    p.load = opt_string(v, "load", f + ".load");
    p.duration_s = opt_nonneg(v, "duration_s", f + ".duration_s");
    p.busy_s = opt_nonneg(v, "busy_s", f + ".busy_s");
    p.flops = opt_nonneg(v, "flops", f + ".flops");
    p.bytes = opt_nonneg(v, "bytes", f + ".bytes");
    p.sample_period_s = opt_nonneg(v, "sample_period_s", f + ".sample_period_s");
    if (const auto* rails = array(v, "rails", f + ".rails"))
      for (std::size_t i = 0; i < rails->size(); ++i) {
        const std::string rf = f + ".rails[" + std::to_string(i) + "]";
        const auto& x = (*rails)[i];
        if (!x.is_object()) fail(rf, "expected an object {rail, source, power_w, energy_j}, got " + show(x));
        fit::rail_reading r{};
        const auto* label = get(x, "rail");
        if (!label) fail(rf + ".rail", "missing; expected the rail label");
        r.rail = string(*label, rf + ".rail");
        r.source = opt_string(x, "source", rf + ".source");
        const auto* pw = get(x, "power_w");
        if (!pw) fail(rf + ".power_w", "missing; expected {median, min, max, ...} in W");
        r.power_w = spread(*pw, rf + ".power_w", false);
        const auto* e = get(x, "energy_j");
        r.energy_j = e ? number(*e, rf + ".energy_j") : -1.0;
        p.rails.push_back(std::move(r));
      }
    p.telemetry_end = number_map(v, "telemetry_end", f + ".telemetry_end");
    return p;
  }

  std::string file_;
};

}  // namespace detail

/// Measurements from a parsed JSON value; `name` labels error messages.
[[nodiscard]] inline fit::measurements measurements_from_json(const nlohmann::json& j, std::string name = "<json>") {
  return detail::measurements_reader(std::move(name)).read(j);
}

/// Loads a measurements JSON file; throws `io_error` (file, field, value,
/// expectation) on unreadable or malformed input.
[[nodiscard]] inline fit::measurements load_measurements(const std::filesystem::path& path) {
  return detail::measurements_reader(path.string()).read(detail::measurements_reader::parse_file(path));
}

namespace detail {
template <class Json>
[[nodiscard]] Json spread_json(const fit::sample_spread& s, bool with_stable) {
  Json j = Json::object();
  j["median"] = s.median;
  j["min"] = s.min;
  j["max"] = s.max;
  j["p10"] = s.p10;
  j["p90"] = s.p90;
  j["mean"] = s.mean;
  j["count"] = s.count;
  if (with_stable) j["stable"] = s.stable;
  j["iqr"] = s.iqr;
  j["mad"] = s.mad;
  return j;
}
template <class Json, class Map>
[[nodiscard]] Json map_json(const Map& m) {
  Json j = Json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}
}  // namespace detail

/// The document the suite would write for `m` (same field names and order).
[[nodiscard]] inline nlohmann::ordered_json measurements_to_json(const fit::measurements& m) {
  using json = nlohmann::ordered_json;
  json j;
  j["schema"] = m.schema;
  json errors = json::array();
  for (const auto& [bench, what] : m.run.errors) errors.push_back({{"bench", bench}, {"what", what}});
  j["run"] = {{"id", m.run.id},
              {"hostname", m.run.hostname},
              {"started_utc", m.run.started_utc},
              {"finished_utc", m.run.finished_utc.empty() ? json(nullptr) : json(m.run.finished_utc)},
              {"wall_s", m.run.wall_s},
              {"suite_version", m.run.suite_version},
              {"quick", m.run.quick},
              {"command_line", m.run.command_line},
              {"bench_wall_s", detail::map_json<json>(m.run.bench_wall_s)},
              {"errors", errors}};
  const fit::device_properties& d = m.device;
  j["device"] = {{"name", d.name},
                 {"index", d.index},
                 {"pci_bus_id", d.pci_bus_id},
                 {"cc_major", d.cc_major},
                 {"cc_minor", d.cc_minor},
                 {"compute_capability", std::to_string(d.cc_major) + "." + std::to_string(d.cc_minor)},
                 {"sm_count", d.sm_count},
                 {"integrated", d.integrated},
                 {"total_memory_bytes", d.total_memory_bytes},
                 {"free_memory_bytes", d.free_memory_bytes},
                 {"l2_bytes", d.l2_bytes},
                 {"persisting_l2_max_bytes", d.persisting_l2_max_bytes},
                 {"memory_bus_bits", d.memory_bus_bits},
                 {"clock_hz", d.clock_hz},
                 {"memory_clock_hz", d.memory_clock_hz},
                 {"shared_memory_per_sm_bytes", d.shared_memory_per_sm_bytes},
                 {"registers_per_sm", d.registers_per_sm},
                 {"max_threads_per_sm", d.max_threads_per_sm},
                 {"ecc_enabled", d.ecc_enabled},
                 {"cuda_driver_version", d.cuda_driver_version},
                 {"cuda_runtime_version", d.cuda_runtime_version},
                 {"cublaslt_version", d.cublaslt_version}};
  j["host"] = {{"kernel", m.host.kernel},
               {"os", m.host.os},
               {"board_model", m.host.board_model},
               {"l4t_release", m.host.l4t_release},
               {"jetpack", m.host.jetpack}};
  j["power_mode"] = {{"nvpmodel_present", m.nvpmodel_present},
                     {"nvpmodel_q", m.nvpmodel_present ? json(m.nvpmodel_q) : json(nullptr)},
                     {"jetson_clocks", m.jetson_clocks},
                     {"clocks_pinned", m.clocks_pinned}};
  j["telemetry"] = {{"start", detail::map_json<json>(m.telemetry_start)},
                    {"end", detail::map_json<json>(m.telemetry_end)}};
  json rails = json::array();
  for (const auto& r : m.power_rails) rails.push_back({{"label", r}, {"volt_path", ""}, {"curr_path", ""}});
  j["power_sensors"] = {{"rails", rails}, {"nvml_power", m.nvml_power},
                        {"sampling", detail::map_json<json>(m.power_sampling)}};
  json bench = json::array();
  for (const fit::benchmark_record& r : m.benchmarks) {
    json b;
    b["bench"] = r.bench;
    b["name"] = r.name;
    b["params"] = detail::map_json<json>(r.params);
    b["tags"] = detail::map_json<json>(r.tags);
    b["flops"] = r.flops;
    b["bytes"] = r.bytes;
    b["units_per_sample"] = r.units_per_sample;
    b["time_s"] = detail::spread_json<json>(r.time_s, true);
    b["batch"] = r.batch;
    b["clocks"] = {{"source", r.clocks.source},
                   {"sm_hz_min", r.clocks.sm_hz_min},
                   {"sm_hz_max", r.clocks.sm_hz_max},
                   {"mem_hz_min", r.clocks.mem_hz_min},
                   {"mem_hz_max", r.clocks.mem_hz_max},
                   {"throttle_mask", r.clocks.throttle_mask},
                   {"throttled_samples", r.clocks.throttled_samples},
                   {"readings", r.clocks.readings}};
    const double t = r.time_s.median;
    b["derived"] = {{"flops_per_s", t > 0 ? r.flops / t : 0.0},
                    {"bytes_per_s", t > 0 ? r.bytes / t : 0.0},
                    {"time_per_unit_s", r.units_per_sample > 0 ? t / r.units_per_sample : t}};
    b["extra"] = detail::map_json<json>(r.extra);
    bench.push_back(std::move(b));
  }
  j["benchmarks"] = std::move(bench);
  json phases = json::array();
  for (const fit::power_phase& p : m.power_phases) {
    json rj = json::array();
    for (const fit::rail_reading& r : p.rails)
      rj.push_back({{"rail", r.rail},
                    {"source", r.source},
                    {"power_w", detail::spread_json<json>(r.power_w, false)},
                    {"energy_j", r.energy_j}});
    phases.push_back({{"name", p.name},
                      {"load", p.load},
                      {"duration_s", p.duration_s},
                      {"busy_s", p.busy_s},
                      {"flops", p.flops},
                      {"bytes", p.bytes},
                      {"sample_period_s", p.sample_period_s},
                      {"rails", rj},
                      {"telemetry_end", detail::map_json<json>(p.telemetry_end)}});
  }
  j["power"] = {{"phases", phases}};
  json sk = json::array();
  for (const auto& s : m.skipped) sk.push_back({{"bench", s.bench}, {"name", s.name}, {"reason", s.reason}});
  j["skipped"] = sk;
  json ck = json::array();
  for (const auto& c : m.checks)
    ck.push_back({{"name", c.name},
                  {"max_abs_err", c.max_abs_err},
                  {"max_abs_ref", c.max_abs_ref},
                  {"tolerance", c.tolerance},
                  {"passed", c.passed}});
  j["checks"] = ck;
  return j;
}

/// Writes `m` as a measurements JSON file (2-space indented).
inline void save_measurements(const fit::measurements& m, const std::filesystem::path& path) {
  std::ofstream out(path);
  if (!out) throw io_error(path.string(), "", "cannot open file for writing");
  out << measurements_to_json(m).dump(2) << '\n';
  if (!out) throw io_error(path.string(), "", "write failed");
}

}  // namespace edgeperf::io
