// Energy across the phases: power integrated over steps, decode and the
// request, idle, monotonicity, power modes. (The sensor model, cost arithmetic
// and the best-mode choice: phases/sensor_test, plan/cost_test, plan/power_modes_test.)
#include <catch2/catch.hpp>

#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/phases/request.hpp"
#include "../support/test_specs.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;
using Catch::Matchers::WithinAbs;

namespace {
runtime_spec rt() {
  auto r = test::toy_runtime();
  r.host_per_step_s = {2e-3};
  r.host_per_seq_s = {1e-3};
  r.attn_kv_block = 16;
  return r;
}
}  // namespace

TEST_CASE("Step energy is idle power × time + op energies + host power × host time", "[energy][step]") {
  const auto m = find_model("qwen2.5-0.5b").value();
  const auto q = find_quant("fp16").value();
  const auto d = resolve(test::toy_gpu());
  step_shape s{};
  s.seqs = 2;
  s.new_tokens = 100;
  s.context = 100;
  const auto st = step_cost(m, q, rt(), d, s, dtype::fp16);
  double ops = 0;
  for (std::size_t i = 0; i < st.op_count; ++i) ops += st.ops[i].energy_j;
  CHECK_THAT(st.dynamic_j, WithinRel(ops, 1e-12));
  const double host_t = st.host_launch_s + st.host_serial_s;
  CHECK_THAT(st.energy_j, WithinRel(2.0 * st.time_s + ops + 10.0 * host_t, 1e-12));
  CHECK_THAT(st.module_energy_j, WithinRel(3.0 * st.time_s + ops + 12.0 * host_t, 1e-12));
  CHECK_THAT(st.avg_power_w * st.time_s, WithinRel(st.energy_j, 1e-12));
  // Hand check of one GEMM's dynamic energy: 1 pJ per useful FLOP + 100 pJ per byte.
  for (std::size_t i = 0; i < st.op_count; ++i) {
    const auto& o = st.ops[i];
    if (std::string_view(o.name) == "ffn_up")
      CHECK_THAT(o.energy_j, WithinRel(1e-12 * o.flops + 100e-12 * o.bytes, 1e-12));
  }
}

TEST_CASE("Decode energy equals the sum of the step energies", "[energy][decode]") {
  const auto m = find_model("gemma-3-1b").value();  // two attention groups
  const auto q = find_quant("bf16").value();
  const auto r = rt();
  const auto d = resolve(test::toy_gpu());
  const std::int64_t I = 300, O = 700;
  const auto plan = make_decode_plan(m, q, r, d, 3, 3, 0, I + 1, dtype::bf16);
  const auto tot = decode_total(plan, I, O);
  double e = 0, em = 0;
  for (std::int64_t k = 1; k <= O - 1; ++k) {
    step_shape s{};
    s.seqs = 3;
    s.prompts = 3;
    s.new_tokens = 1;
    s.context = I + k;
    s.decode = true;
    const auto st = step_cost(m, q, r, d, s, dtype::bf16);
    e += st.energy_j;
    em += st.module_energy_j;
  }
  CHECK_THAT(tot.energy_j, WithinRel(e, 1e-9));
  CHECK_THAT(tot.module_energy_j, WithinRel(em, 1e-9));
}

TEST_CASE("Idle only: energy is static power × time", "[energy][static]") {
  auto dev = test::toy_gpu();
  dev.pj_per_flop_tensor = {0};
  dev.pj_per_flop_cuda = {0};
  dev.pj_per_byte_dram = {0};
  dev.host_active_power_w = {0};
  dev.cpu_active_power_w = {0};
  const auto e = estimate_request(find_model("llama-3.2-1b").value(), find_quant("fp16").value(), dev, 0,
                                  rt(), workload{1, 1, 64, 200, {}})
                     .value();
  CHECK_THAT(e.energy_j, WithinRel(2.0 * e.total_s, 1e-12));
  CHECK_THAT(e.module_energy_j, WithinRel(3.0 * e.total_s, 1e-12));
  CHECK_THAT(e.avg_power_w, WithinRel(2.0, 1e-12));
  CHECK_THAT(e.peak_power_w, WithinRel(2.0, 1e-12));
}

TEST_CASE("Energy grows with output length", "[energy][monotonic]") {
  const auto m = find_model("dsr1-qwen-1.5b").value();
  const auto q = find_quant("w4a16").value();
  double prev = 0;
  for (int O : {1, 2, 16, 128, 1024, 4096}) {
    CAPTURE(O);
    const auto e = estimate_request(m, q, test::toy_gpu(), 0, rt(), workload{1, 1, 128, O, {}}).value();
    CHECK(e.energy_j > prev);
    CHECK(e.energy_j == e.prefill_energy_j + e.decode_energy_j);
    prev = e.energy_j;
  }
}

TEST_CASE("A lower power mode: less dynamic energy per op, more idle energy per token",
          "[energy][modes]") {
  // Documented direction (docs/energy.md): HALF halves clocks and the energy
  // per FLOP; compute-bound prefill takes twice as long, so its idle share grows
  // while its dynamic energy halves.
  const auto m = find_model("qwen2.5-0.5b").value();
  const auto q = find_quant("fp16").value();
  const workload w{1, 1, 2048, 1, {}};
  const auto full = estimate_request(m, q, test::toy_gpu(), 0, rt(), w).value();
  const auto half = estimate_request(m, q, test::toy_gpu(), 1, rt(), w).value();
  CHECK(half.ttft_s > full.ttft_s);
  // FLOP energies halve, DRAM byte energy does not scale with the GPU clock.
  CHECK(half.prefill.dynamic_j < full.prefill.dynamic_j);
  CHECK(half.prefill.dynamic_j > 0.5 * full.prefill.dynamic_j);
  CHECK(half.prefill.static_j > full.prefill.static_j);
  CHECK(half.prefill_power_w < full.prefill_power_w);
}
