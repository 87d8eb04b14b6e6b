#pragma once
/// @file
/// Measured runs as plain data: one measured metric of one case (model,
/// device, power mode, runtime, quant, workload), the input of the latency and
/// energy fits (fit/latency_fit.hpp, fit/energy_fit.hpp) and of validation
/// against measurements. Standard library and descriptions/ only; reading the long-format CSV
/// lives in io/runs_csv.hpp.

#include <functional>
#include <string>

#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"

namespace edgeperf::fit {

/// One measured metric of one case.
struct run_measurement {
  std::string model, device, mode, runtime, quant;
  int batch{1}, samples{1}, input_tokens{1}, output_tokens{1};
  std::string metric;  ///< ttft_s, decode_s, tts_total_s, decode_avg_power_w, ...
  double value{0};
  std::string unit;
  std::string where;   ///< file:line (or another label), for messages
};

/// Which latency metric a run row measures, and how it is predicted.
enum class latency_metric { ttft, decode, total, decode_rate, prefill_rate, none };

/// Maps a metric name to what the model predicts (`ttft_s` → TTFT; `decode_s`,
/// `tts_decode_s` → decode time; `tts_total_s`, `total_s` → total).
[[nodiscard]] inline latency_metric classify_metric(const std::string& metric) {
  if (metric == "ttft_s") return latency_metric::ttft;
  if (metric == "decode_s" || metric == "tts_decode_s") return latency_metric::decode;
  if (metric == "tts_total_s" || metric == "total_s") return latency_metric::total;
  if (metric == "decode_tok_s") return latency_metric::decode_rate;    // 1 / tpot (published speeds)
  if (metric == "prefill_tok_s") return latency_metric::prefill_rate;  // input tokens / ttft
  return latency_metric::none;
}

/// Resolves the specs of a run row (catalog ids or files), or throws io_error.
struct case_resolver {
  std::function<model_spec(const run_measurement&)> model;
  std::function<quant_spec(const run_measurement&)> quant;
};

}  // namespace edgeperf::fit
