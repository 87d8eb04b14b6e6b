#pragma once
// Shared pieces of the libFuzzer harnesses (docs/robustness.md).
//
// Policy. A harness feeds arbitrary bytes to one loader. The documented
// failure is fine and is swallowed: `edgeperf::io::io_error` (every loader error;
// JSON text goes through io::parse_json_text, the loaders' own parser entry,
// which turns every nlohmann exception into one). Everything else (a crash, a
// sanitizer report, another exception escaping, a hang, a non-finite estimate)
// aborts, which libFuzzer reports as a finding.
//
// For specs that load, `check_estimate` runs validate_case + estimate_request
// and aborts unless the case is rejected as a value or every output is finite
// and non-negative.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/io/io_error.hpp"
#include "edgeperf/io/json_file.hpp"
#include "edgeperf/phases/request.hpp"

namespace edgeperf::fuzz {

[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "edgeperf fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

/// Parses JSON text exactly as the file loaders do (io::parse_json_text); returns
/// false on the io_error it throws for a syntax error, invalid UTF-8, a number
/// overflow (1e999) or an empty input. Any other exception escapes: a finding.
inline bool parse_json(const std::uint8_t* data, std::size_t size, nlohmann::json& out) {
  try {
    out = io::parse_json_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz/input");
    return true;
  } catch (const io::io_error& e) {
    if (std::string_view(e.what()).find("fuzz/input") == std::string_view::npos)
      finding(std::string("io_error without the file name: ") + e.what());
    return false;
  }
}

inline void require_finite_nonneg(double v, const char* name, const std::string& where) {
  if (!std::isfinite(v) || v < 0) finding(where + ": " + name + " = " + std::to_string(v));
}

/// validate_case + estimate_request: an error value is fine; an estimate must
/// be finite and non-negative everywhere.
inline void check_estimate(const model_spec& m, const quant_spec& q, const device_spec& d,
                           int mode, const runtime_spec& r, const workload& w) {
  const auto e = estimate_request(m, q, d, mode, r, w);
  if (!e) {
    if (e.error_value().message.empty()) finding("error value without a message");
    return;
  }
  const std::string where = std::string(m.id.view()) + "/" + std::string(q.id.view()) + "/" +
                            std::string(d.id.view()) + "#" + std::to_string(mode) + "/" +
                            std::string(r.id.view());
  const request_estimate<double>& x = *e;
  require_finite_nonneg(x.ttft_s, "ttft_s", where);
  require_finite_nonneg(x.decode_s, "decode_s", where);
  require_finite_nonneg(x.total_s, "total_s", where);
  require_finite_nonneg(x.tpot_s, "tpot_s", where);
  require_finite_nonneg(x.output_tokens_per_s, "output_tokens_per_s", where);
  require_finite_nonneg(x.energy_j, "energy_j", where);
  require_finite_nonneg(x.module_energy_j, "module_energy_j", where);
  require_finite_nonneg(x.avg_power_w, "avg_power_w", where);
  require_finite_nonneg(x.peak_power_w, "peak_power_w", where);
  require_finite_nonneg(x.j_per_token, "j_per_token", where);
  require_finite_nonneg(x.tokens_per_j, "tokens_per_j", where);
  require_finite_nonneg(x.host_busy_s, "host_busy_s", where);
  require_finite_nonneg(x.memory.total_bytes, "memory.total_bytes", where);
  require_finite_nonneg(x.cold_start_s, "cold_start_s", where);
  if (!(x.total_s > 0)) finding(where + ": total_s is not > 0");
}

/// A small workload derived from two input bytes (so that the fuzzer varies it).
inline workload small_workload(std::uint8_t a, std::uint8_t b) {
  workload w{};
  w.batch = 1 + (a & 3);
  w.samples = 1 + ((a >> 2) & 3);
  w.input_tokens = 1 + 37 * b;
  w.output_tokens = 1 + 11 * (a >> 4);
  return w;
}

}  // namespace edgeperf::fuzz
