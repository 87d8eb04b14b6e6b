#pragma once
/// @file
/// Measured runs as plain data: one measured metric of one case (model,
/// device, power mode, runtime, quant, workload), the input of the latency and
/// energy fits (fit/latency_fit.hpp, fit/energy_fit.hpp) and of validation
/// against measurements. Standard library only; reading the long-format CSV
/// lives in io/runs_csv.hpp.

#include <string>

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

}  // namespace edgeperf::fit
