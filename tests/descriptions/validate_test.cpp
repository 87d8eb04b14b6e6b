// Description checks (descriptions/validate.hpp): every catalog entry passes,
// each kind of bad description is refused with a message that names the
// description, the field, the value and the constraint, and validate_case
// tells invalid input (errc::invalid_argument) from unsupported pairs
// (errc::unsupported).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/descriptions/validate.hpp"

using namespace edgeperf;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

device_spec orin() { return *find_device_or_null("agx-orin-64gb"); }
runtime_spec vllm() { return *find_runtime_or_null("vllm"); }
model_spec llama8b() { return find_model("llama-3.1-8b").value(); }
quant_spec bf16() { return find_quant("bf16").value(); }

workload wl(int batch, int samples, int in, int out) {
  workload w{};
  w.batch = batch;
  w.samples = samples;
  w.input_tokens = in;
  w.output_tokens = out;
  return w;
}

}  // namespace

TEST_CASE("every catalog description passes its checks", "[descriptions][validate]") {
  for (const device_spec& d : device_catalog_entries) {
    const int modes = d.mode_count > 0 ? d.mode_count : 1;
    for (int i = 0; i < modes; ++i) {
      INFO(d.id.view() << " mode " << i);
      CHECK_THAT(check_device(d, i), Equals(""));
    }
  }
  for (const runtime_spec& r : runtime_catalog_entries) {
    INFO(r.id.view());
    CHECK_THAT(check_runtime(r), Equals(""));
  }
  for (const model_spec& m : model_catalog_entries) {
    INFO(m.id.view());
    CHECK_THAT(check_model(m), Equals(""));
  }
  for (const quant_spec& q : quant_catalog_entries) {
    INFO(q.id.view());
    CHECK_THAT(check_quant(q), Equals(""));
  }
}

TEST_CASE("device checks name the device, mode, field, value and constraint",
          "[descriptions][validate][device]") {
  device_spec d = orin();
  d.gpu_clock_hz.value = 0;
  CHECK_THAT(check_device(d, 0), Equals("device 'agx-orin-64gb': field 'gpu_clock_hz' = 0: "
                                        "expected a value > 0 (the model divides by it)"));
  d = orin();
  d.mem_efficiency.value = std::numeric_limits<double>::quiet_NaN();
  CHECK_THAT(check_device(d, 0), Equals("device 'agx-orin-64gb': field 'mem_efficiency' = nan: "
                                        "expected a finite number"));
  d = orin();
  d.tensor_efficiency.value = 1.5;
  CHECK_THAT(check_device(d, 0), Contains("'tensor_efficiency' = 1.5") && Contains("(0, 1]"));
  d = orin();
  d.tensor_efficiency.value = 0;  // 0 means "use 1": allowed
  CHECK_THAT(check_device(d, 0), Equals(""));
  d = orin();
  d.l2_bytes.value = 2e30;
  CHECK_THAT(check_device(d, 0), Contains("'l2_bytes' = 2e+30") && Contains("at most 1e30"));

  // Mode numbers: only the mode asked for is checked; 0 means "the device's value".
  d = orin();
  REQUIRE(d.mode_count > 1);
  d.modes[1].gpu_clock_hz.value = 1e-40;
  CHECK_THAT(check_device(d, 0), Equals(""));
  const std::string mode_msg = check_device(d, 1);
  CHECK_THAT(mode_msg, Contains("device 'agx-orin-64gb' mode '" + std::string(d.modes[1].name.view()) + "'") &&
                           Contains("'gpu_clock_hz' = 1e-40") && Contains("expected 0 (the device's value)"));
  d.modes[1].gpu_clock_hz.value = 0;
  CHECK_THAT(check_device(d, 1), Equals(""));

  d = orin();
  d.mode_count = static_cast<int>(max_power_modes) + 1;
  CHECK_THAT(check_device(d, 0), Contains("mode_count = 9") && Contains("expected 0..8"));

  // A CPU board needs cores somewhere (device or mode).
  device_spec pi = *find_device_or_null("rpi5-8gb");
  REQUIRE(pi.kind == device_kind::cpu);
  pi.sm_count.value = 0;
  for (int i = 0; i < pi.mode_count; ++i) pi.modes[static_cast<std::size_t>(i)].cpu_cores.value = 0;
  CHECK_THAT(check_device(pi, 0), Contains("device 'rpi5-8gb'") &&
                                      (Contains("CPU board without cores") || Contains("'sm_count' = 0")));
}

TEST_CASE("runtime checks", "[descriptions][validate][runtime]") {
  runtime_spec r = vllm();
  r.kernel_efficiency.value = 2.5;
  CHECK_THAT(check_runtime(r), Equals("runtime 'vllm-0.8': field 'kernel_efficiency' = 2.5: "
                                      "expected a value in (0, 2] (relative to cuBLAS; 0 = 1)"));
  r = vllm();
  r.kernel_efficiency.value = 1.8;  // faster than cuBLAS is allowed up to 2
  CHECK_THAT(check_runtime(r), Equals(""));
  r = vllm();
  r.launches_head = -1;
  CHECK_THAT(check_runtime(r), Contains("'launches_head' = -1") && Contains(">= 0"));
  r = vllm();
  REQUIRE(r.tile_count >= 1);
  r.tiles[0].m = 0;
  CHECK_THAT(check_runtime(r), Contains("tiles[0] = {m: 0") && Contains("m, n >= 1"));
  r = vllm();
  r.tiles[0].efficiency = 1.25;
  CHECK_THAT(check_runtime(r), Contains("tiles[0].efficiency = 1.25"));
  r = vllm();
  r.tile_count = static_cast<int>(max_gemm_tiles) + 1;
  CHECK_THAT(check_runtime(r), Contains("tile_count = 9"));
}

TEST_CASE("model and quant checks", "[descriptions][validate][model][quant]") {
  model_spec m = llama8b();
  m.hidden = (std::int64_t{1} << 22) + 1;
  CHECK_THAT(check_model(m), Contains("model 'llama-3.1-8b': hidden = 4194305: expected at most 4194304"));
  m = llama8b();
  m.partial_rotary = 1.5;
  CHECK_THAT(check_model(m), Contains("partial_rotary = 1.5"));
  m = find_model("mixtral-8x7b").value();
  REQUIRE(m.moe.enabled());
  CHECK_THAT(check_model(m), Equals(""));
  m.moe.top_k = m.moe.experts + 1;
  CHECK_THAT(check_model(m), Contains("moe.top_k = 9") && Contains("1..8"));
  // Sizes each within bounds, but a product beyond the accounting's range.
  m = llama8b();
  m.layers = 60000;
  m.hidden = 1 << 20;
  m.ffn = 1 << 22;
  CHECK_THAT(check_model(m), Contains("parameters: expected at most 1e15"));

  quant_spec q = bf16();
  q.linear.group_size = -2;
  CHECK_THAT(check_quant(q), Contains("quant 'bf16': linear.group_size = -2"));
  q = bf16();
  q.kv_group = -1;
  CHECK_THAT(check_quant(q), Contains("kv_group, kv_scale_bits and dequant_ops_per_weight must be >= 0"));
}

TEST_CASE("validate_case: invalid input vs unsupported combination", "[descriptions][validate]") {
  const auto code = [](const result<bool>& v) { return v ? std::string("ok") : to_string(v.error_value().code); };
  CHECK(code(validate_case(llama8b(), bf16(), orin(), 0, vllm(), wl(1, 1, 128, 64))) == "ok");
  CHECK(code(validate_case(llama8b(), bf16(), orin(), 0, vllm(), wl(0, 1, 128, 64))) == "invalid_argument");
  // Past the model's context window.
  const model_spec m = llama8b();
  REQUIRE(m.max_context > 0);
  const auto ctx = validate_case(m, bf16(), orin(), 0, vllm(), wl(1, 1, static_cast<int>(m.max_context), 1));
  REQUIRE_FALSE(ctx);
  CHECK_THAT(ctx.error_value().message, Contains("exceeds model 'llama-3.1-8b' max context"));
  // Mode index out of range.
  const auto mode = validate_case(m, bf16(), orin(), orin().mode_count, vllm(), wl(1, 1, 8, 8));
  REQUIRE_FALSE(mode);
  CHECK_THAT(mode.error_value().message, Contains("mode index") && Contains("out of range"));
  // The description checks run inside validate_case with the same message.
  device_spec d = orin();
  d.gpu_clock_hz.value = 0;
  const auto dev = validate_case(m, bf16(), d, 0, vllm(), wl(1, 1, 8, 8));
  REQUIRE_FALSE(dev);
  CHECK(dev.error_value().code == errc::invalid_argument);
  CHECK(dev.error_value().message == check_device(d, 0));
  // Valid descriptions that do not go together.
  const auto fp8 = validate_case(m, find_quant("fp8").value(), orin(), 0, vllm(), wl(1, 1, 8, 8));
  REQUIRE_FALSE(fp8);
  CHECK(fp8.error_value().code == errc::unsupported);
  CHECK_THAT(fp8.error_value().message, Contains("fp8") || Contains("FP8"));
  const auto cpu = validate_case(m, bf16(), *find_device_or_null("rpi5-8gb"), 0, vllm(), wl(1, 1, 8, 8));
  REQUIRE_FALSE(cpu);
  CHECK(cpu.error_value().code == errc::unsupported);
  CHECK_THAT(cpu.error_value().message, Contains("does not run on CPU-only device 'rpi5-8gb'"));
  // A case too big for memory is still valid (the estimate reports fits == false).
  CHECK(code(validate_case(find_model("dsr1-qwen-32b").value(), find_quant("fp32").value(),
                           *find_device_or_null("orin-nano-4gb"), 0, vllm(), wl(1, 1, 128, 64))) == "ok");
}
