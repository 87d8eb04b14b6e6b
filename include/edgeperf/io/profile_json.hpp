#pragma once
/// @file
/// Device and runtime profiles as JSON: `to_json`/`from_json` (nlohmann_json,
/// non-intrusive) for `sourced`, `power_mode`, `device_spec`, `gemm_tile` and
/// `runtime_spec`, and `load_*_profile` / `save_*_profile` for files. This is
/// the format the calibration suite writes.
///
/// Format. Field names are the C++ member names. A `sourced` number is either
/// an object `{"value": 1.3e9, "source": "datasheet", "note": "..."}` or a bare
/// number; a bare number (or an object with a value but no source) counts as
/// `source::assumed` with the note "set in <file>". Enums use their
/// `to_string` names (`"jetson"`, `"paged"`, `"bf16"`); `supported_paths` is a
/// list of compute-path names (or the raw bit mask); `tiles` a list of
/// `{"m":, "n":, "ctas_per_sm":}`; `modes` a list of power modes by `name`.
///
/// Overrides. `"base": "<catalog id>"` starts from that catalog entry and every
/// other field overrides it: objects merge field by field (`{"value": 0.8}`
/// keeps nothing of the old source and note unless given), modes merge by
/// name and unknown mode names are appended, `tiles` replaces the list.
/// Without a base, missing fields stay 0 (with a warning) and validation
/// rejects the ones a model cannot do without. A loaded profile also passes
/// the description checks every estimate applies (descriptions/validate.hpp:
/// `check_device` in each mode, `check_runtime`).
///
/// Namespaces. Everything here is in `edgeperf::io` except the nlohmann
/// hooks `to_json`/`from_json`, which must sit in the namespace of the type
/// they convert (`edgeperf`) for argument-dependent lookup to find them.
///
/// Errors. Malformed input throws `edgeperf::io::io_error` naming the file, the
/// field path (`modes[1].gpu_clock_hz`), the value found and what was expected.
/// Unknown fields are ignored and reported through the optional `warnings`.
/// Saving then loading gives back an identical spec (doubles round-trip).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/provenance.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/descriptions/validate.hpp"
#include "edgeperf/detail/nearest.hpp"
#include "edgeperf/io/io_error.hpp"
#include "edgeperf/io/json_file.hpp"

namespace edgeperf {

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/// `{"value": v, "source": "<name>", "note": "<note>"}` (always the full object).
template <class BasicJsonType>
void to_json(BasicJsonType& j, const sourced& s) {
  j = BasicJsonType::object();
  j["value"] = s.value;
  j["source"] = to_string(s.src);
  j["note"] = std::string(s.note.view());
  if (s.rel_sigma > 0) j["sigma"] = s.rel_sigma;  // 1-σ of log(value), when stated
}

/// One power mode: `name` then its `sourced` fields.
template <class BasicJsonType>
void to_json(BasicJsonType& j, const power_mode& m) {
  j = BasicJsonType::object();
  j["name"] = std::string(m.name.view());
  for_each_sourced(m, [&](const char* name, const sourced& s) { to_json(j[name], s); });
}

/// A whole device profile (every field, modes in order).
template <class BasicJsonType>
void to_json(BasicJsonType& j, const device_spec& d) {
  j = BasicJsonType::object();
  j["id"] = std::string(d.id.view());
  j["kind"] = to_string(d.kind);
  for_each_sourced(d, [&](const char* name, const sourced& s) { to_json(j[name], s); });
  BasicJsonType modes = BasicJsonType::array();
  for (int i = 0; i < d.mode_count; ++i) {
    BasicJsonType m;
    to_json(m, d.modes[static_cast<std::size_t>(i)]);
    modes.push_back(std::move(m));
  }
  j["modes"] = std::move(modes);
  j["accel_rail"] = std::string(d.accel_rail.view());
  j["module_rail"] = std::string(d.module_rail.view());
}

/// `{"m": .., "n": .., "ctas_per_sm": ..}`.
template <class BasicJsonType>
void to_json(BasicJsonType& j, const gemm_tile& t) {
  j = BasicJsonType::object();
  j["m"] = t.m;
  j["n"] = t.n;
  j["ctas_per_sm"] = t.ctas_per_sm;
  j["efficiency"] = t.efficiency;
  j["cuda_cores"] = t.cuda_cores;
}

/// A whole runtime profile (every field).
template <class BasicJsonType>
void to_json(BasicJsonType& j, const runtime_spec& r) {
  j = BasicJsonType::object();
  j["id"] = std::string(r.id.view());
  j["launches_per_layer_prefill"] = r.launches_per_layer_prefill;
  j["launches_per_layer_decode"] = r.launches_per_layer_decode;
  j["launches_head"] = r.launches_head;
  for_each_sourced(r, [&](const char* name, const sourced& s) { to_json(j[name], s); });
  j["graphs_decode"] = r.graphs_decode;
  j["graphs_prefill"] = r.graphs_prefill;
  j["attention"] = to_string(r.attention);
  j["attn_q_block"] = r.attn_q_block;
  j["attn_kv_block"] = r.attn_kv_block;
  j["gemv_max_m"] = r.gemv_max_m;
  j["host_overlap"] = r.host_overlap;
  BasicJsonType tiles = BasicJsonType::array();
  for (int i = 0; i < r.tile_count; ++i) {
    BasicJsonType t;
    to_json(t, r.tiles[static_cast<std::size_t>(i)]);
    tiles.push_back(std::move(t));
  }
  j["tiles"] = std::move(tiles);
  j["last_position_logits"] = r.last_position_logits;
  j["prefix_sharing"] = r.prefix_sharing;
  j["cpu_backend"] = r.cpu_backend;
  j["gpu_backend"] = r.gpu_backend;
  j["default_kv"] = to_string(r.default_kv);
  BasicJsonType paths = BasicJsonType::array();
  for (unsigned p = 0; p < 8; ++p)
    if ((r.supported_paths >> p) & 1u) {
      const auto path = static_cast<compute_path>(p);
      if (p <= static_cast<unsigned>(compute_path::dequant_to_memory))
        paths.push_back(to_string(path));
      else
        paths.push_back(p);  // a bit with no named path: keep it numerically
    }
  j["supported_paths"] = std::move(paths);
}

}  // namespace edgeperf

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

namespace edgeperf::io::detail {

/// Parses profile JSON with a file name for messages and a warning sink.
class profile_reader {
 public:
  profile_reader(std::string file, std::vector<std::string>* warnings)
      : file_(std::move(file)), warnings_(warnings) {}

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw io_error(file_, field, message);
  }
  void warn(const std::string& field, const std::string& message) const {
    if (warnings_) warnings_->push_back(file_ + ": field '" + field + "': " + message);
  }

  /// Short rendering of a JSON value for messages.
  [[nodiscard]] static std::string show(const nlohmann::json& v) {
    std::string s = v.dump();
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return s;
  }

  /// Shortest round-trip rendering of a number ("-1", "0.95", "3200000000.0").
  [[nodiscard]] static std::string num(double x) { return nlohmann::json(x).dump(); }

  // --- scalars ---------------------------------------------------------------

  [[nodiscard]] double number(const nlohmann::json& v, const std::string& field) const {
    if (!v.is_number()) fail(field, "expected a number, got " + show(v));
    const double x = v.get<double>();
    if (!std::isfinite(x)) fail(field, "expected a finite number, got " + show(v));
    return x;
  }

  [[nodiscard]] int integer(const nlohmann::json& v, const std::string& field, int min) const {
    if (!v.is_number()) fail(field, "expected an integer >= " + std::to_string(min) + ", got " + show(v));
    const double x = v.get<double>();
    if (x != std::floor(x) || x < min || x > 1e9)
      fail(field, "expected an integer >= " + std::to_string(min) + ", got " + show(v));
    return static_cast<int>(x);
  }

  [[nodiscard]] bool boolean(const nlohmann::json& v, const std::string& field) const {
    if (!v.is_boolean()) fail(field, "expected true or false, got " + show(v));
    return v.get<bool>();
  }

  template <std::size_t N>
  void string(const nlohmann::json& v, const std::string& field, fixed_string<N>& out,
              bool truncate_ok) const {
    if (!v.is_string()) fail(field, "expected a string, got " + show(v));
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > N - 1) {
      if (!truncate_ok)
        fail(field, "expected at most " + std::to_string(N - 1) + " characters, got " +
                        std::to_string(s.size()) + " (" + show(v) + ")");
      warn(field, "truncated to " + std::to_string(N - 1) + " characters");
      // Cut at a UTF-8 character boundary: half a multi-byte character would
      // make the saved profile invalid UTF-8 (nlohmann's dump() throws on it).
      std::size_t n = N - 1;
      while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
      out = fixed_string<N>(std::string_view(s).substr(0, n));
      return;
    }
    out = fixed_string<N>(std::string_view(s));
  }

  /// A `sourced` number: bare number or {value, source, note}; merges into `out`.
  void read_sourced(const nlohmann::json& v, const std::string& field, sourced& out) const {
    if (v.is_number()) {
      out.value = number(v, field);
      out.src = source::assumed;
      out.note = note_string(std::string_view("set in " + file_));
    } else if (v.is_object()) {
      for (const auto& item : v.items()) {
        const std::string& key = item.key();
        const nlohmann::json& x = item.value();
        if (key == "value") {
          out.value = number(x, field + ".value");
        } else if (key == "source") {
          if (!x.is_string())
            fail(field + ".source", "expected a source name (" + source_names() + "), got " + show(x));
          if (!parse_source(x.get_ref<const std::string&>(), out.src))
            fail(field + ".source", "unknown source " + show(x) + "; expected one of " + source_names());
        } else if (key == "note") {
          string(x, field + ".note", out.note, true);
        } else if (key == "sigma") {
          out.rel_sigma = number(x, field + ".sigma");
          if (!(out.rel_sigma >= 0) || !std::isfinite(out.rel_sigma))
            fail(field + ".sigma", "expected a 1-sigma of log(value) >= 0, got " + num(out.rel_sigma));
        } else {
          warn(field + "." + key, "unknown field ignored");
        }
      }
      if (v.contains("value") && !v.contains("source")) {
        out.src = source::assumed;
        if (!v.contains("note")) out.note = note_string(std::string_view("set in " + file_));
      }
    } else {
      fail(field, "expected a number or an object {\"value\", \"source\", \"note\"}, got " + show(v));
    }
    if (out.value < 0) fail(field, "expected a value >= 0, got " + num(out.value));
  }

  [[nodiscard]] static std::string source_names() {
    std::string s;
    for (source x : {source::datasheet, source::derived, source::published, source::calibrated,
                     source::fitted, source::assumed}) {
      if (!s.empty()) s += ", ";
      s += to_string(x);
    }
    return s;
  }

  // --- power modes and devices --------------------------------------------------

  void read_mode(const nlohmann::json& v, const std::string& field, power_mode& m) const {
    if (!v.is_object()) fail(field, "expected a power-mode object, got " + show(v));
    for (const auto& item : v.items()) {
      const std::string& key = item.key();
      const nlohmann::json& x = item.value();
      if (key == "name") continue;  // handled by the caller
      bool found = false;
      for_each_sourced(m, [&](const char* name, sourced& s) {
        if (key == name) {
          read_sourced(x, field + "." + key, s);
          found = true;
        }
      });
      if (!found) warn(field + "." + key, "not a power-mode field; ignored");
    }
  }

  void read_modes(const nlohmann::json& v, device_spec& d) const {
    if (!v.is_array()) fail("modes", "expected an array of power modes, got " + show(v));
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string field = "modes[" + std::to_string(i) + "]";
      const auto& m = v[i];
      if (!m.is_object() || !m.contains("name"))
        fail(field, "expected a power-mode object with a \"name\", got " + show(m));
      name_string name;
      string(m["name"], field + ".name", name, false);
      if (name.empty()) fail(field + ".name", "expected a non-empty mode name");
      int idx = find_mode_index(d, name.view());
      if (idx < 0) {
        if (d.mode_count >= static_cast<int>(max_power_modes))
          fail(field, "too many power modes: at most " + std::to_string(max_power_modes));
        idx = d.mode_count++;
        power_mode fresh{};
        fresh.name = name;
        for_each_sourced(fresh, [&](const char*, sourced& s) {
          s.note = note_string(std::string_view("not given in " + file_));
        });
        d.modes[static_cast<std::size_t>(idx)] = fresh;
        if (d.mode_count > 1 && !m.contains("gpu_clock_hz"))
          warn(field, "new mode '" + std::string(name.view()) + "' without gpu_clock_hz");
      }
      read_mode(m, field, d.modes[static_cast<std::size_t>(idx)]);
    }
  }

  [[nodiscard]] device_spec read_device(const nlohmann::json& j) const {
    if (!j.is_object()) fail("", "expected a JSON object (a device profile), got " + show(j));
    device_spec d{};
    const bool has_base = j.contains("base");
    if (has_base) {
      const auto& b = j["base"];
      if (!b.is_string()) fail("base", "expected a device catalog id (string), got " + show(b));
      const auto& id = b.get_ref<const std::string&>();
      const device_spec* base = find_device_or_null(id);
      if (!base) fail("base", edgeperf::detail::unknown_id_message("device id", id, device_ids()));
      d = *base;
    } else {
      for_each_sourced(d, [&](const char* name, sourced& s) {
        s.note = note_string(std::string_view("not given in " + file_));
        if (!j.contains(name)) warn(name, "missing (no base); left at 0");
      });
    }
    for (const auto& item : j.items()) {
      const std::string& key = item.key();
      const nlohmann::json& v = item.value();
      if (key == "base") continue;
      if (key == "id") {
        string(v, "id", d.id, false);
      } else if (key == "kind") {
        if (!v.is_string()) fail("kind", "expected \"jetson\", \"discrete_gpu\" or \"cpu\", got " + show(v));
        const auto& s = v.get_ref<const std::string&>();
        bool ok = false;
        for (device_kind k : {device_kind::jetson, device_kind::discrete_gpu, device_kind::cpu})
          if (s == to_string(k)) d.kind = k, ok = true;
        if (!ok) fail("kind", "expected \"jetson\", \"discrete_gpu\" or \"cpu\", got " + show(v));
      } else if (key == "modes") {
        read_modes(v, d);
      } else if (key == "accel_rail") {
        string(v, "accel_rail", d.accel_rail, false);
      } else if (key == "module_rail") {
        string(v, "module_rail", d.module_rail, false);
      } else {
        bool found = false;
        for_each_sourced(d, [&](const char* name, sourced& s) {
          if (key == name) {
            read_sourced(v, key, s);
            found = true;
          }
        });
        if (!found) warn(key, "not a device profile field; ignored");
      }
    }
    validate(d);
    return d;
  }

  /// The constraints a model needs; names the field and the value.
  void validate(const device_spec& d) const {
    if (d.id.empty()) fail("id", "expected a non-empty device id");
    auto positive = [&](const std::string& field, const sourced& s) {
      if (!(s.value > 0)) fail(field, "expected a value > 0, got " + num(s.value));
    };
    auto fraction = [&](const std::string& field, const sourced& s) {
      if (!(s.value > 0 && s.value <= 1))
        fail(field, "expected a fraction in (0, 1], got " + num(s.value));
    };
    positive("sm_count", d.sm_count);
    positive("gpu_clock_hz", d.gpu_clock_hz);
    positive("mem_bus_bits", d.mem_bus_bits);
    positive("emc_clock_hz", d.emc_clock_hz);
    positive("mem_transfers_per_clk", d.mem_transfers_per_clk);
    positive("memory_bytes", d.memory_bytes);
    positive("storage_bytes_per_s", d.storage_bytes_per_s);
    positive("cpu_cores", d.cpu_cores);
    positive("cpu_clock_hz", d.cpu_clock_hz);
    positive("host_speed", d.host_speed);
    fraction("tensor_efficiency", d.tensor_efficiency);
    fraction("cuda_efficiency", d.cuda_efficiency);
    fraction("mem_efficiency", d.mem_efficiency);
    if (d.reserved_bytes.value >= d.memory_bytes.value)
      fail("reserved_bytes", "expected less than memory_bytes (" + num(d.memory_bytes.value) +
                                 "), got " + num(d.reserved_bytes.value));
    if (d.mode_count < 1) fail("modes", "expected at least one power mode");
    for (int i = 0; i < d.mode_count; ++i) {
      const power_mode& m = d.modes[static_cast<std::size_t>(i)];
      const std::string f = "modes[" + std::to_string(i) + "]";
      positive(f + ".gpu_clock_hz", m.gpu_clock_hz);
      positive(f + ".emc_clock_hz", m.emc_clock_hz);
      positive(f + ".active_sms", m.active_sms);
      positive(f + ".cpu_cores", m.cpu_cores);
      positive(f + ".cpu_clock_hz", m.cpu_clock_hz);
      if (m.active_sms.value > d.sm_count.value)
        fail(f + ".active_sms", "expected at most sm_count (" + num(d.sm_count.value) +
                                    "), got " + num(m.active_sms.value));
    }
    // Beyond the format's completeness rules above: the description checks
    // every estimate applies (descriptions/validate.hpp), in every mode.
    for (int i = 0; i < d.mode_count; ++i)
      if (std::string e = check_device(d, i); !e.empty()) fail("", e);
  }

  // --- runtimes -----------------------------------------------------------------

  void read_tiles(const nlohmann::json& v, runtime_spec& r) const {
    if (!v.is_array()) fail("tiles", "expected an array of {\"m\", \"n\", \"ctas_per_sm\"}, got " + show(v));
    if (v.size() > max_gemm_tiles)
      fail("tiles", "expected at most " + std::to_string(max_gemm_tiles) + " tiles, got " +
                        std::to_string(v.size()));
    r.tiles = {};
    r.tile_count = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string field = "tiles[" + std::to_string(i) + "]";
      const auto& t = v[i];
      if (!t.is_object()) fail(field, "expected {\"m\", \"n\", \"ctas_per_sm\"}, got " + show(t));
      gemm_tile tile{};
      for (const auto& item : t.items()) {
        const std::string& key = item.key();
        const nlohmann::json& x = item.value();
        if (key == "m") tile.m = integer(x, field + ".m", 1);
        else if (key == "n") tile.n = integer(x, field + ".n", 1);
        else if (key == "ctas_per_sm") tile.ctas_per_sm = integer(x, field + ".ctas_per_sm", 1);
        else if (key == "cuda_cores") {
          if (!x.is_boolean()) fail(field + ".cuda_cores", "expected true or false, got " + show(x));
          tile.cuda_cores = x.get<bool>();
        } else if (key == "efficiency") {
          if (!x.is_number() || !(x.get<double>() > 0) || x.get<double>() > 1)
            fail(field + ".efficiency", "expected a number in (0, 1], got " + show(x));
          tile.efficiency = x.get<double>();
        }
        else warn(field + "." + key, "not a tile field; ignored");
      }
      if (!t.contains("m") || !t.contains("n")) fail(field, "expected both \"m\" and \"n\", got " + show(t));
      r.tiles[i] = tile;
      r.tile_count = static_cast<int>(i + 1);
    }
  }

  [[nodiscard]] std::uint8_t read_paths(const nlohmann::json& v) const {
    if (v.is_number()) return static_cast<std::uint8_t>(integer(v, "supported_paths", 0) & 0xFF);
    if (!v.is_array()) fail("supported_paths", "expected a list of compute-path names, got " + show(v));
    unsigned mask = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string field = "supported_paths[" + std::to_string(i) + "]";
      const auto& x = v[i];
      if (x.is_number()) {
        const int bit = integer(x, field, 0);
        if (bit > 7) fail(field, "expected a bit index 0..7, got " + show(x));
        mask |= 1u << static_cast<unsigned>(bit);
        continue;
      }
      bool ok = false;
      for (unsigned p = 0; p <= static_cast<unsigned>(compute_path::dequant_to_memory); ++p)
        if (x.is_string() && x.get_ref<const std::string&>() == to_string(static_cast<compute_path>(p)))
          mask |= 1u << p, ok = true;
      if (!ok)
        fail(field, "expected one of native, dequant_in_kernel, native_int8, native_fp8, "
                    "dequant_to_memory, got " + show(x));
    }
    return static_cast<std::uint8_t>(mask);
  }

  [[nodiscard]] runtime_spec read_runtime(const nlohmann::json& j) const {
    if (!j.is_object()) fail("", "expected a JSON object (a runtime profile), got " + show(j));
    runtime_spec r{};
    if (j.contains("base")) {
      const auto& b = j["base"];
      if (!b.is_string()) fail("base", "expected a runtime catalog id (string), got " + show(b));
      const auto& id = b.get_ref<const std::string&>();
      const runtime_spec* base = find_runtime_or_null(id);
      if (!base) fail("base", edgeperf::detail::unknown_id_message("runtime id", id, runtime_ids()));
      r = *base;
    } else {
      for_each_sourced(r, [&](const char* name, sourced& s) {
        s.note = note_string(std::string_view("not given in " + file_));
        if (!j.contains(name)) warn(name, "missing (no base); left at 0");
      });
    }
    for (const auto& item : j.items()) {
      const std::string& key = item.key();
      const nlohmann::json& v = item.value();
      if (key == "base") continue;
      if (key == "id") {
        string(v, "id", r.id, false);
      } else if (key == "launches_per_layer_prefill") {
        r.launches_per_layer_prefill = integer(v, key, 0);
      } else if (key == "launches_per_layer_decode") {
        r.launches_per_layer_decode = integer(v, key, 0);
      } else if (key == "launches_head") {
        r.launches_head = integer(v, key, 0);
      } else if (key == "graphs_decode") {
        r.graphs_decode = boolean(v, key);
      } else if (key == "graphs_prefill") {
        r.graphs_prefill = boolean(v, key);
      } else if (key == "attention") {
        bool ok = false;
        for (attention_kind a : {attention_kind::flash, attention_kind::paged, attention_kind::materialized})
          if (v.is_string() && v.get_ref<const std::string&>() == to_string(a)) r.attention = a, ok = true;
        if (!ok) fail(key, "expected \"flash\", \"paged\" or \"materialized\", got " + show(v));
      } else if (key == "attn_q_block") {
        r.attn_q_block = integer(v, key, 1);
      } else if (key == "attn_kv_block") {
        r.attn_kv_block = integer(v, key, 1);
      } else if (key == "gemv_max_m") {
        r.gemv_max_m = integer(v, key, 0);
      } else if (key == "host_overlap") {
        r.host_overlap = boolean(v, key);
      } else if (key == "tiles") {
        read_tiles(v, r);
      } else if (key == "last_position_logits") {
        r.last_position_logits = boolean(v, key);
      } else if (key == "prefix_sharing") {
        r.prefix_sharing = boolean(v, key);
      } else if (key == "cpu_backend") {
        r.cpu_backend = boolean(v, key);
      } else if (key == "gpu_backend") {
        r.gpu_backend = boolean(v, key);
      } else if (key == "default_kv") {
        const auto t = v.is_string() ? parse_dtype(v.get_ref<const std::string&>()) : std::nullopt;
        if (!t) fail(key, "expected a dtype name (fp32, fp16, bf16, fp8, int8, int4, nf4), got " + show(v));
        r.default_kv = *t;
      } else if (key == "supported_paths") {
        r.supported_paths = read_paths(v);
      } else {
        bool found = false;
        for_each_sourced(r, [&](const char* name, sourced& s) {
          if (key == name) {
            read_sourced(v, key, s);
            found = true;
          }
        });
        if (!found) warn(key, "not a runtime profile field; ignored");
      }
    }
    if (r.id.empty()) fail("id", "expected a non-empty runtime id");
    if (r.tile_count < 1) fail("tiles", "expected at least one GEMM tile");
    if (!(r.kernel_efficiency.value > 0 && r.kernel_efficiency.value <= 2))
      fail("kernel_efficiency", "expected a value in (0, 2] (relative to cuBLAS), got " +
                                    num(r.kernel_efficiency.value));
    if (!(r.dequant_efficiency.value > 0 && r.dequant_efficiency.value <= 1))
      fail("dequant_efficiency", "expected a fraction in (0, 1], got " +
                                     num(r.dequant_efficiency.value));
    if (std::string e = check_runtime(r); !e.empty()) fail("", e);  // descriptions/validate.hpp
    return r;
  }

  [[nodiscard]] static nlohmann::json parse_file(const std::filesystem::path& path) {
    return io::read_json_file(path);  // io_error for missing/huge files and every parser error
  }

  static void write_file(const nlohmann::ordered_json& j, const std::filesystem::path& path) {
    std::ofstream out(path);
    if (!out) throw io_error(path.string(), "", "cannot open file for writing");
    out << j.dump(2) << '\n';
    if (!out) throw io_error(path.string(), "", "write failed");
  }

 private:
  std::string file_;
  std::vector<std::string>* warnings_;
};

}  // namespace edgeperf::io::detail

namespace edgeperf {

/// Reads a `sourced` (bare number or object); throws `io_error` (file "<json>").
inline void from_json(const nlohmann::json& j, sourced& s) {
  io::detail::profile_reader("<json>", nullptr).read_sourced(j, "value", s);
}

/// Reads a power mode (its `name` and `sourced` fields).
inline void from_json(const nlohmann::json& j, power_mode& m) {
  const io::detail::profile_reader rd("<json>", nullptr);
  if (!j.is_object() || !j.contains("name")) rd.fail("name", "expected a power-mode object with a name");
  rd.string(j["name"], "name", m.name, false);
  rd.read_mode(j, "mode", m);
}

/// Reads a device profile (honours "base"); throws `io_error` (file "<json>").
inline void from_json(const nlohmann::json& j, device_spec& d) {
  d = io::detail::profile_reader("<json>", nullptr).read_device(j);
}

/// Reads a tile `{"m", "n", "ctas_per_sm"}`.
inline void from_json(const nlohmann::json& j, gemm_tile& t) {
  runtime_spec r{};
  io::detail::profile_reader("<json>", nullptr).read_tiles(nlohmann::json::array({j}), r);
  t = r.tiles[0];
}

/// Reads a runtime profile (honours "base"); throws `io_error` (file "<json>").
inline void from_json(const nlohmann::json& j, runtime_spec& r) {
  r = io::detail::profile_reader("<json>", nullptr).read_runtime(j);
}

}  // namespace edgeperf

namespace edgeperf::io {

/// Device profile from a parsed JSON value; `name` labels error messages.
/// Unknown fields are appended to `*warnings` when given.
[[nodiscard]] inline device_spec device_from_json(const nlohmann::json& j, std::string name = "<json>",
                                                  std::vector<std::string>* warnings = nullptr) {
  return detail::profile_reader(std::move(name), warnings).read_device(j);
}

/// Runtime profile from a parsed JSON value; `name` labels error messages.
[[nodiscard]] inline runtime_spec runtime_from_json(const nlohmann::json& j, std::string name = "<json>",
                                                    std::vector<std::string>* warnings = nullptr) {
  return detail::profile_reader(std::move(name), warnings).read_runtime(j);
}

/// Loads a device profile JSON file. Throws `io_error` (file, field, value,
/// expectation) on unreadable or malformed input; unknown fields go to
/// `*warnings` when given.
[[nodiscard]] inline device_spec load_device_profile(const std::filesystem::path& path,
                                                     std::vector<std::string>* warnings = nullptr) {
  return detail::profile_reader(path.string(), warnings).read_device(detail::profile_reader::parse_file(path));
}

/// Writes every field of `d` (full `sourced` objects, modes in order).
inline void save_device_profile(const device_spec& d, const std::filesystem::path& path) {
  nlohmann::ordered_json j;
  to_json(j, d);
  detail::profile_reader::write_file(j, path);
}

/// Loads a runtime profile JSON file (see `load_device_profile`).
[[nodiscard]] inline runtime_spec load_runtime_profile(const std::filesystem::path& path,
                                                       std::vector<std::string>* warnings = nullptr) {
  return detail::profile_reader(path.string(), warnings).read_runtime(detail::profile_reader::parse_file(path));
}

/// Writes every field of `r`.
inline void save_runtime_profile(const runtime_spec& r, const std::filesystem::path& path) {
  nlohmann::ordered_json j;
  to_json(j, r);
  detail::profile_reader::write_file(j, path);
}

}  // namespace edgeperf::io
