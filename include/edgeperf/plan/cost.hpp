#pragma once
/// @file
/// Cost per 1M generated tokens (DESIGN.md §7, docs/energy.md):
///   electricity = E_module [J] / 3.6e6 [J/kWh] × price [$/kWh]
///   amortized   = device price / (service life × utilization) × request time
///   per 1M      = (electricity + amortized) / tokens × 1e6
/// with the module energy (what the wall socket pays for), and an
/// edge-versus-cloud line from a cloud price per 1M input/output tokens that
/// the user supplies (no built-in cloud prices). All three inputs have
/// documented defaults and are meant to be overridden.

#include <cmath>
#include <string>

#include "edgeperf/result.hpp"
#include "edgeperf/phases/request.hpp"

namespace edgeperf {

/// Inputs of the cost model.
struct cost_inputs {
  double electricity_usd_per_kwh{0.15};  ///< default: the rate the EdgeReasoning paper uses
  double device_price_usd{0};            ///< purchase price; 0 = electricity only
  double service_life_years{3};          ///< amortisation period
  double utilization{1.0};               ///< fraction of the service life spent generating
  double cloud_input_usd_per_1m{0};      ///< user-supplied cloud price per 1M input tokens (0 = none)
  double cloud_output_usd_per_1m{0};     ///< user-supplied cloud price per 1M output tokens (0 = none)
};

/// Cost of a request and per 1M generated tokens.
struct cost_breakdown {
  double electricity_usd{0};        ///< this request's electricity (module energy)
  double amortized_usd{0};          ///< this request's share of the device price
  double total_usd{0};
  double output_tokens{0};          ///< batch · samples · O
  double input_tokens{0};           ///< batch · I (each prompt once)
  double electricity_per_1m_usd{0}; ///< per 1M generated tokens
  double amortized_per_1m_usd{0};
  double total_per_1m_usd{0};
  double cloud_usd{0};              ///< the same tokens at the user's cloud prices (0 when none given)
  double cloud_per_1m_usd{0};       ///< cloud cost per 1M generated tokens of this request mix
};

/// Checks the inputs; returns an error naming the bad field.
[[nodiscard]] inline result<bool> validate_cost_inputs(const cost_inputs& c) {
  const auto bad = [](const char* field, double v, const char* want) {
    return result<bool>(make_error(errc::invalid_argument, std::string(field) + " = " +
                                                               std::to_string(v) + ": expected " + want));
  };
  if (!(c.electricity_usd_per_kwh >= 0) || !std::isfinite(c.electricity_usd_per_kwh))
    return bad("electricity_usd_per_kwh", c.electricity_usd_per_kwh, "a finite value >= 0");
  if (!(c.device_price_usd >= 0) || !std::isfinite(c.device_price_usd))
    return bad("device_price_usd", c.device_price_usd, "a finite value >= 0");
  if (!(c.service_life_years > 0) || !std::isfinite(c.service_life_years))
    return bad("service_life_years", c.service_life_years, "a finite value > 0");
  if (!(c.utilization > 0 && c.utilization <= 1))
    return bad("utilization", c.utilization, "a value in (0, 1]");
  if (!(c.cloud_input_usd_per_1m >= 0) || !(c.cloud_output_usd_per_1m >= 0))
    return bad("cloud price", c.cloud_input_usd_per_1m < 0 ? c.cloud_input_usd_per_1m : c.cloud_output_usd_per_1m,
               "a value >= 0");
  return result<bool>(true);
}

/// Cost of one estimated request for workload `w`.
[[nodiscard]] inline result<cost_breakdown> request_cost(const request_estimate<double>& e,
                                                         const workload& w, const cost_inputs& c) {
  auto ok = validate_cost_inputs(c);
  if (!ok) return ok.error_value();
  constexpr double joules_per_kwh = 3.6e6;
  constexpr double seconds_per_year = 365.25 * 24 * 3600;
  cost_breakdown b{};
  b.output_tokens = static_cast<double>(w.batch) * w.samples * w.output_tokens;
  b.input_tokens = static_cast<double>(w.batch) * w.input_tokens;
  b.electricity_usd = e.module_energy_j / joules_per_kwh * c.electricity_usd_per_kwh;
  b.amortized_usd = c.device_price_usd / (c.service_life_years * seconds_per_year * c.utilization) * e.total_s;
  b.total_usd = b.electricity_usd + b.amortized_usd;
  const double per = 1e6 / b.output_tokens;
  b.electricity_per_1m_usd = b.electricity_usd * per;
  b.amortized_per_1m_usd = b.amortized_usd * per;
  b.total_per_1m_usd = b.total_usd * per;
  b.cloud_usd = (b.input_tokens * c.cloud_input_usd_per_1m + b.output_tokens * c.cloud_output_usd_per_1m) / 1e6;
  b.cloud_per_1m_usd = b.cloud_usd * per;
  return b;
}

}  // namespace edgeperf
