// Cost per 1M tokens (plan/cost.hpp): electricity plus amortised hardware
// against a hand computation, the cloud comparison, and refused inputs.
#include <catch2/catch.hpp>

#include "edgeperf/plan/cost.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

TEST_CASE("Cost per 1M tokens against a hand computation", "[plan][cost]") {
  request_estimate<double> e{};
  e.module_energy_j = 36000;  // 0.01 kWh
  e.total_s = 3600;           // one hour
  const workload w{1, 2, 100, 500, {}};  // 1000 output tokens, 100 input tokens
  cost_inputs c{};
  c.electricity_usd_per_kwh = 0.20;
  c.device_price_usd = 2000;
  c.service_life_years = 2;
  c.utilization = 0.5;
  c.cloud_input_usd_per_1m = 1;
  c.cloud_output_usd_per_1m = 10;
  const auto b = request_cost(e, w, c).value();
  CHECK_THAT(b.electricity_usd, WithinRel(0.002, 1e-12));  // 0.01 kWh × $0.20
  // $2000 over 2 years at 50 % use: per hour of use 2000 / (2 · 8766 h · 0.5) = $0.2281...
  CHECK_THAT(b.amortized_usd, WithinRel(2000.0 / (2 * 365.25 * 24 * 0.5), 1e-12));
  CHECK_THAT(b.total_per_1m_usd, WithinRel((b.electricity_usd + b.amortized_usd) * 1000, 1e-12));
  CHECK_THAT(b.cloud_usd, WithinRel(100e-6 * 1 + 1000e-6 * 10, 1e-12));
  CHECK_FALSE(request_cost(e, w, cost_inputs{0.1, 0, 3, 0.0, 0, 0}));  // utilization 0
  CHECK_FALSE(request_cost(e, w, cost_inputs{-1, 0, 3, 1, 0, 0}));
}

