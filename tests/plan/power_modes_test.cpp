// Choosing the power mode with the least energy per token under a TPOT limit
// (plan/power_modes.hpp).
#include <catch2/catch.hpp>

#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/plan/power_modes.hpp"
#include "../support/test_specs.hpp"

using namespace edgeperf;

namespace {
runtime_spec rt() {
  auto r = test::toy_runtime();
  r.host_per_step_s = {2e-3};
  r.host_per_seq_s = {1e-3};
  r.attn_kv_block = 16;
  return r;
}
}  // namespace

TEST_CASE("Best power mode under a TPOT limit", "[plan][power_modes]") {
  const auto m = find_model("llama-3.2-1b").value();
  const auto q = find_quant("fp16").value();
  const auto dev = test::toy_gpu();
  const workload w{1, 1, 128, 256, {}};
  const auto all = best_energy_mode(m, q, dev, rt(), w, 0).value();
  REQUIRE(all.modes.size() == 2);
  // Whichever mode has the lower J/token wins without a limit...
  const int cheaper = all.modes[0].j_per_token < all.modes[1].j_per_token ? 0 : 1;
  CHECK(all.best == cheaper);
  // ...and a limit between the two TPOTs forces the faster mode.
  const double t0 = all.modes[0].tpot_s, t1 = all.modes[1].tpot_s;
  REQUIRE(t0 < t1);
  const auto limited = best_energy_mode(m, q, dev, rt(), w, 0.5 * (t0 + t1)).value();
  CHECK(limited.best == 0);
  const auto none = best_energy_mode(m, q, dev, rt(), w, 0.5 * t0).value();
  CHECK(none.best == -1);
  CHECK_THAT(none.reason, Catch::Matchers::Contains("no mode"));
}
