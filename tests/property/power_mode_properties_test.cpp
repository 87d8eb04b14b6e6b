// Power-mode properties over EVERY catalog device × power mode × a few
// models, quantizations, runtimes and workloads (issue 11, "Power modes";
// docs/energy.md): predictions respect each mode's power budget (the GPU clock
// throttles when it binds, and only as far as it must), power and energy are
// finite and positive, a higher mode is never slower than a lower one unless
// the lower mode has more of some resource (then by at most that resource's
// ratio), and a bigger model of a family never costs less energy per token.
// The audit's four cases are pinned as regressions at the end.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/request.hpp"

using namespace edgeperf;

namespace {

// Families ordered by size: energy per token must not fall along each list.
const std::vector<std::vector<std::string_view>> families = {
    {"llama-3.2-1b", "llama-3.2-3b", "llama-3.1-8b"},
    {"qwen2.5-0.5b", "qwen2.5-1.5b", "qwen2.5-7b"},
};
const std::string_view quant_ids[] = {"bf16", "w4a16", "q4_k_m", "bnb-nf4"};
const workload loads[] = {workload{1, 1, 128, 256, {}}, workload{4, 2, 512, 64, {}}};

/// Relative slack for comparisons of two evaluations of the model (rounding).
constexpr double rel_eps = 1e-9;

struct case_key {
  std::string device, model, quant, runtime;
  int mode{0}, load{0};
  bool operator<(const case_key& o) const {
    return std::tie(device, model, quant, runtime, mode, load) <
           std::tie(o.device, o.model, o.quant, o.runtime, o.mode, o.load);
  }
};

/// Every supported case of the grid, estimated once (the tests below share it).
const std::map<case_key, request_estimate<double>>& grid() {
  static const std::map<case_key, request_estimate<double>> g = [] {
    std::map<case_key, request_estimate<double>> out;
    for (const device_spec& d : device_catalog())
      for (const auto& fam : families)
        for (std::string_view mid : fam)
          for (std::string_view qid : quant_ids)
            for (const runtime_spec& r : runtime_catalog())
              for (int mi = 0; mi < d.mode_count; ++mi)
                for (int li = 0; li < 2; ++li) {
                  const model_spec m = find_model(mid).value();
                  const quant_spec q = find_quant(qid).value();
                  auto e = estimate_request<double>(m, q, d, mi, r, loads[li]);
                  if (!e) {
                    // Only unsupported combinations may be refused.
                    if (e.error_value().code != errc::unsupported) {
                      FAIL_CHECK(e.error_value().message);
                    }
                    continue;
                  }
                  out.emplace(case_key{std::string(d.id.view()), std::string(mid), std::string(qid),
                                       std::string(r.id.view()), mi, li},
                              *e);
                }
    return out;
  }();
  return g;
}

bool positive(double v) { return std::isfinite(v) && v > 0; }

const power_mode& mode_of(std::string_view device, int mi) {
  return find_device_or_null(device)->modes[static_cast<std::size_t>(mi)];
}

}  // namespace

TEST_CASE("every device x mode: power and energy finite and positive; rails nest", "[property][power]") {
  const auto& g = grid();
  REQUIRE(g.size() > 2000);
  std::map<std::string, int> per_device;
  for (const auto& [k, e] : g) {
    CAPTURE(k.device, mode_of(k.device, k.mode).name.view(), k.model, k.quant, k.runtime, k.load);
    ++per_device[k.device];
    CHECK(positive(e.ttft_s));
    CHECK(positive(e.total_s));
    CHECK(positive(e.energy_j));
    CHECK(positive(e.module_energy_j));
    CHECK(positive(e.prefill_power_w));
    CHECK(positive(e.decode_power_w));
    CHECK(positive(e.avg_power_w));
    CHECK(positive(e.peak_power_w));
    CHECK(positive(e.j_per_token));
    // The module contains the accelerator rail.
    CHECK(e.energy_j <= e.module_energy_j * (1 + rel_eps));
    CHECK(e.prefill.energy_j <= e.prefill.module_energy_j * (1 + rel_eps));
    // Power is at least the mode's idle power on each rail.
    const power_mode& pm = mode_of(k.device, k.mode);
    CHECK(e.avg_power_w >= pm.static_power_w.value * (1 - rel_eps));
    CHECK(e.module_energy_j / e.total_s >= pm.module_static_power_w.value * (1 - rel_eps));
    CHECK(e.prefill_clock_scale > 0);
    CHECK(e.prefill_clock_scale <= 1);
    CHECK(e.decode_clock_scale > 0);
    CHECK(e.decode_clock_scale <= 1);
  }
  // Every catalog device took part, in every mode.
  for (const device_spec& d : device_catalog()) {
    CAPTURE(d.id.view());
    CHECK(per_device[std::string(d.id.view())] > 0);
  }
}

TEST_CASE("every device x mode: module power stays within the mode's budget, throttling only as needed",
          "[property][power][cap]") {
  // No tolerance: the whole module (all rails) is held within the budget, per
  // phase (prefill step, decode phase) and so over the request.
  int throttled = 0, capped_cases = 0;
  for (const auto& [k, e] : grid()) {
    const power_mode& pm = mode_of(k.device, k.mode);
    const double cap = pm.power_cap_w.value;
    CAPTURE(k.device, pm.name.view(), cap, k.model, k.quant, k.runtime, k.load, e.prefill_clock_scale,
            e.decode_clock_scale);
    const double prefill_w = e.prefill.module_energy_j / e.prefill.time_s;
    const double decode_w = (e.module_energy_j - e.prefill.module_energy_j) / e.decode_s;
    const double request_w = e.module_energy_j / e.total_s;
    if (cap <= 0) {  // no budget: never throttled
      CHECK(e.prefill_clock_scale == 1);
      CHECK(e.decode_clock_scale == 1);
      continue;
    }
    ++capped_cases;
    CHECK(prefill_w <= cap * (1 + rel_eps));
    CHECK(decode_w <= cap * (1 + rel_eps));
    CHECK(request_w <= cap * (1 + rel_eps));
    // Throttled only as far as needed: a throttled phase sits at the budget.
    if (e.prefill_clock_scale < 1) {
      ++throttled;
      CHECK(prefill_w >= cap * (1 - 1e-4));
    }
    if (e.decode_clock_scale < 1) {
      ++throttled;
      CHECK(decode_w >= cap * (1 - 1e-4));
    }
  }
  CHECK(capped_cases > 1000);
  CHECK(throttled > 50);  // the budget binds somewhere: the test can fail
}

TEST_CASE("every device: a higher mode is never slower, except by the ratio of a resource it has less of",
          "[property][power][modes]") {
  // Modes are listed highest first. When mode i has at least every resource
  // of mode j (GPU, EMC and CPU clocks, SMs, cores, budget), it is never
  // slower. Where the data gives the higher mode less of something (AGX Orin
  // 50W runs its CPU at 1497 MHz, 30W at 1728 MHz: jetson-devices.md, U), a
  // host-bound case can be slower, by at most that resource's ratio.
  int dominated = 0, bounded = 0;
  for (const auto& [k, lo] : grid()) {
    for (int hi_mode = 0; hi_mode < k.mode; ++hi_mode) {
      case_key kh = k;
      kh.mode = hi_mode;
      const auto it = grid().find(kh);
      REQUIRE(it != grid().end());
      const request_estimate<double>& hi = it->second;
      const power_mode& a = mode_of(k.device, hi_mode);
      const power_mode& b = mode_of(k.device, k.mode);
      const device_spec& d = *find_device_or_null(k.device);
      const auto v = [](const sourced& mode_v, const sourced& dev_v) {
        return mode_v.value > 0 ? mode_v.value : dev_v.value;
      };
      const double cap_a = a.power_cap_w.value > 0 ? a.power_cap_w.value : 1e300;
      const double cap_b = b.power_cap_w.value > 0 ? b.power_cap_w.value : 1e300;
      const double ratios[] = {v(b.gpu_clock_hz, d.gpu_clock_hz) / v(a.gpu_clock_hz, d.gpu_clock_hz),
                               v(b.emc_clock_hz, d.emc_clock_hz) / v(a.emc_clock_hz, d.emc_clock_hz),
                               v(b.cpu_clock_hz, d.cpu_clock_hz) / v(a.cpu_clock_hz, d.cpu_clock_hz),
                               v(b.active_sms, d.sm_count) / v(a.active_sms, d.sm_count)};
      double worst = 1;
      for (double r : ratios) worst = std::max(worst, r);
      const bool dominates = worst == 1 && v(a.cpu_cores, d.cpu_cores) >= v(b.cpu_cores, d.cpu_cores) &&
                             cap_a >= cap_b;
      CAPTURE(k.device, a.name.view(), b.name.view(), k.model, k.quant, k.runtime, k.load, worst, hi.total_s,
              lo.total_s);
      if (dominates) {
        ++dominated;
        CHECK(hi.total_s <= lo.total_s * (1 + rel_eps));
        CHECK(hi.ttft_s <= lo.ttft_s * (1 + rel_eps));
        CHECK(hi.decode_s <= lo.decode_s * (1 + rel_eps));
      } else {
        ++bounded;
        CHECK(hi.total_s <= lo.total_s * worst * (1 + rel_eps));
      }
    }
  }
  CHECK(dominated > 1000);
  CHECK(bounded > 0);
}

TEST_CASE("every device x mode: a bigger model of a family never costs less energy per token",
          "[property][power][models]") {
  int compared = 0;
  for (const auto& [k, e] : grid()) {
    for (const auto& fam : families) {
      const auto pos = std::find(fam.begin(), fam.end(), k.model);
      if (pos == fam.end() || pos + 1 == fam.end()) continue;
      case_key kb = k;
      kb.model = std::string(*(pos + 1));
      const auto it = grid().find(kb);
      if (it == grid().end()) continue;
      const request_estimate<double>& big = it->second;
      CAPTURE(k.device, mode_of(k.device, k.mode).name.view(), k.model, kb.model, k.quant, k.runtime, k.load);
      ++compared;
      CHECK(big.j_per_token >= e.j_per_token * (1 - rel_eps));
      CHECK(big.module_energy_j >= e.module_energy_j * (1 - rel_eps));
      CHECK(big.total_s >= e.total_s * (1 - rel_eps));
    }
  }
  CHECK(compared > 1000);
}

TEST_CASE("the audit's cases: 15W and 7W within budget, power grows with model size in capped modes",
          "[property][power][audit]") {
  const auto est = [](std::string_view model, std::string_view device, std::string_view mode,
                      std::string_view runtime, std::string_view quant) {
    const device_spec& d = *find_device_or_null(device);
    const int mi = find_mode(d, mode).value();
    return estimate_request<double>(find_model(model).value(), find_quant(quant).value(), d, mi,
                                    find_runtime(runtime).value(), workload{1, 1, 128, 256, {}})
        .value();
  };
  // Was ~28.7 W on VDD_GPU_SOC for a 15 W module budget.
  const auto agx15 = est("llama-3.2-1b", "agx-orin-64gb", "15W", "vllm", "bf16");
  CHECK(agx15.avg_power_w <= 15);
  CHECK(agx15.module_energy_j / agx15.total_s <= 15 * (1 + rel_eps));
  // Was ~13 W module for a 7 W budget.
  const auto nano7 = est("llama-3.2-1b", "orin-nano-8gb", "7W", "vllm", "bf16");
  CHECK(nano7.module_energy_j / nano7.total_s <= 7 * (1 + rel_eps));
  // A 1B model drew more than an 8B: in every capped AGX mode it now draws no more.
  for (std::string_view mode : {"50W", "30W", "15W"}) {
    CAPTURE(mode);
    const auto small = est("llama-3.2-1b", "agx-orin-64gb", mode, "vllm", "bf16");
    const auto big = est("llama-3.1-8b", "agx-orin-64gb", mode, "vllm", "bf16");
    CHECK(small.decode_power_w <= big.decode_power_w);
    // Both may sit at the budget: equal to the throttle's precision (1e-6).
    CHECK(small.module_energy_j / small.total_s <= big.module_energy_j / big.total_s * (1 + 1e-6));
  }
}

// Known inversion, pinned so that its fix shows (this test passes while the
// check inside fails). In MAXN the fitted host-work power (30.7 W above idle
// on VDD_GPU_SOC) exceeds the rail's dynamic power while the GPU streams an
// 8B model's weights (~21 W), so a host-heavier 1B model draws more power than
// an 8B. The joint energy fit of issue 11 (host/device split, P_host bounded by
// the busy power) is where it gets fixed; then drop "[!shouldfail]".
TEST_CASE("known: in MAXN a 1B model draws more decode power than an 8B (fitted host power)",
          "[property][power][audit][!shouldfail]") {
  const device_spec& d = *find_device_or_null("agx-orin-64gb");
  const auto est = [&](std::string_view model) {
    return estimate_request<double>(find_model(model).value(), find_quant("bf16").value(), d, 0,
                                    find_runtime("vllm").value(), workload{1, 1, 128, 256, {}})
        .value();
  };
  CHECK(est("llama-3.2-1b").decode_power_w <= est("llama-3.1-8b").decode_power_w);
}

TEST_CASE("a profile whose budget is not above its idle power is refused with a clear error",
          "[property][power][cap][validate]") {
  device_spec d = *find_device_or_null("orin-nano-8gb");
  const int mi = find_mode(d, "7W").value();
  d.modes[static_cast<std::size_t>(mi)].power_cap_w.value = 3.0;  // idle VDD_IN is 3.5 W
  auto e = estimate_request<double>(find_model("llama-3.2-1b").value(), find_quant("bf16").value(), d, mi,
                                    find_runtime("vllm").value(), workload{1, 1, 16, 16, {}});
  REQUIRE_FALSE(e);
  CHECK(e.error_value().code == errc::invalid_argument);
  CHECK_THAT(e.error_value().message, Catch::Matchers::Contains("mode '7W'") &&
                                          Catch::Matchers::Contains("power_cap_w") &&
                                          Catch::Matchers::Contains("module_static_power_w = 3.5"));
}
