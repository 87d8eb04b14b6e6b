// One step (phases/step.hpp): host-bound vs device-bound, launch counts from
// the runtime's fusion, the per-op breakdown adding up to the step, and the
// step's energy identities.
#include <catch2/catch.hpp>

#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/phases/step.hpp"
#include "../support/test_specs.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

TEST_CASE("Host-bound vs device-bound steps", "[phases][step]") {
  const auto m = test::toy_model();
  const auto q = find_quant("fp16").value();
  const auto dev = test::toy_gpu();
  const auto d = resolve(dev);
  auto r = test::toy_runtime();
  r.host_per_launch_s = {1e-3};  // 23 launches × 1 ms ≫ the toy's device time
  step_shape s{};
  s.seqs = 1;
  s.new_tokens = 1;
  s.context = 10;
  s.decode = true;
  auto eager = step_cost(m, q, r, d, s, dtype::fp16);
  CHECK(eager.binds == bound::host);
  CHECK(eager.launches == 23);
  CHECK_THAT(eager.time_s, WithinRel(23e-3, 1e-12));
  r.graphs_decode = true;
  r.graph_launch_s = {1e-9};
  auto graphed = step_cost(m, q, r, d, s, dtype::fp16);
  CHECK(graphed.binds != bound::host);
  CHECK_THAT(graphed.time_s, WithinRel(graphed.device_s, 1e-12));
  // Serial host work adds on top: per step and per sequence.
  r.host_per_step_s = {1e-3};
  r.host_per_seq_s = {2e-3};
  s.seqs = 3;
  auto serial = step_cost(m, q, r, d, s, dtype::fp16);
  CHECK_THAT(serial.host_serial_s, WithinRel(7e-3, 1e-12));
  CHECK_THAT(serial.time_s, WithinRel(serial.device_s + 7e-3, 1e-12));
}

TEST_CASE("The per-op breakdown adds up to the step", "[phases][step]") {
  const auto m = test::toy_model();
  const auto q = find_quant("fp16").value();
  const auto d = resolve(test::toy_gpu());
  auto r = test::toy_runtime();
  r.host_per_launch_s = {1e-7};
  step_shape s{};
  s.seqs = 4;
  s.prompts = 4;
  s.new_tokens = 64;
  s.context = 64;
  s.decode = false;
  const auto st = step_cost(m, q, r, d, s, dtype::fp16);
  REQUIRE(st.op_count > 0);
  double t = 0, e = 0, f = 0, b = 0;
  for (std::size_t i = 0; i < st.op_count; ++i) {
    const auto& op = st.ops[i];
    CHECK_THAT(op.time_s, WithinRel(op.count * op.cost.time_s, 1e-12));
    t += op.time_s;
    e += op.energy_j;
    f += op.flops;
    b += op.bytes;
  }
  CHECK_THAT(st.device_s, WithinRel(t + st.launch_gaps_s, 1e-12));
  CHECK_THAT(st.dynamic_j, WithinRel(e, 1e-12));
  CHECK_THAT(st.flops, WithinRel(f, 1e-12));
  CHECK_THAT(st.bytes, WithinRel(b, 1e-12));
  // Launches: per layer × layers + the head's.
  CHECK(st.launches == r.launches_per_layer_prefill * m.layers + r.launches_head);
}

TEST_CASE("Step energy: idle × time + op energy + host power × host time", "[phases][step]") {
  const auto m = test::toy_model();
  const auto q = find_quant("fp16").value();
  const auto dev = test::toy_gpu();
  auto r = test::toy_runtime();
  r.host_per_step_s = {1e-3};
  step_shape s{};
  s.seqs = 1;
  s.prompts = 1;
  s.new_tokens = 1;
  s.context = 100;
  s.decode = true;
  for (int mode : {0, 1}) {
    CAPTURE(mode);
    const auto d = resolve(dev, mode);
    const auto st = step_cost(m, q, r, d, s, dtype::fp16);
    const double host_t = st.host_launch_s + st.host_serial_s;
    CHECK_THAT(st.static_j, WithinRel(dev.modes[static_cast<std::size_t>(mode)].static_power_w.value * st.time_s, 1e-12));
    // Host-work power at the mode's CPU clock: f·V² relative to the top clock (issue 11).
    const power_mode& pm = dev.modes[static_cast<std::size_t>(mode)];
    const double cpu_f = pm.cpu_clock_hz.value > 0 ? pm.cpu_clock_hz.value : dev.cpu_clock_hz.value;
    const double host_w = dev.host_active_power_w.value * dvfs_power_ratio(cpu_f, dev.cpu_clock_hz.value);
    CHECK_THAT(st.host_j, WithinRel(host_w * host_t, 1e-12));
    CHECK_THAT(st.energy_j, WithinRel(st.static_j + st.dynamic_j + st.host_j, 1e-12));
    CHECK_THAT(st.avg_power_w, WithinRel(st.energy_j / st.time_s, 1e-12));
    CHECK(st.module_energy_j > st.energy_j);  // the module idles higher and adds the CPU rail
  }
}
