// Embedding the planner (no CLI): evaluate the configurations once, then
// re-plan as the time left for an answer shrinks. docs/planning.md.
#include <cstdio>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/plan/planner.hpp"

int main() {
  using namespace edgeperf;
  plan_request req;  // what to search: models × answer modes × quants × samples × power modes
  for (const char* id : {"dsr1-qwen-1.5b", "dsr1-llama-8b", "dsr1-qwen-14b", "llama-3.1-8b", "qwen2.5-7b"})
    req.models.push_back(find_model(id).value());
  for (const char* id : {"bf16", "w4a16"}) req.quants.push_back(find_quant(id).value());
  req.devices = {find_device("agx-orin-64gb").value()};
  req.runtime = find_runtime("vllm").value();
  req.samples = {1, 2, 4, 8};
  req.accuracy = builtin_accuracy_table();  // + with_overrides(..., read_accuracy_csv("mine.csv"))

  // Estimate every configuration once (a few ms); plan() is then a scan.
  const std::vector<plan_point> points = enumerate_plans(req);

  // The robot's deadline approaches: re-plan with the time that is left.
  for (double left_s = 90; left_s >= 1; left_s /= 2) {
    const result<plan_choice> c = plan(points, plan_budget{left_s, std::nullopt, 32e9});
    if (!c) return std::printf("bad budget: %s\n", c.error_value().message.c_str()), 1;
    if (!c->best) {  // "nothing fits" is a value with the reason
      std::printf("%5.1f s left: %s\n", left_s, c->reason.c_str());
      continue;
    }
    const plan_point& p = *c->best;
    const bool voted = p.accuracy_source.compare(0, 9, "plurality") == 0;  // vs a table cell
    std::printf("%5.1f s left: %-14s %-12s %-5s %-4s n=%u  %5.1f %% (%s)  %6.2f s  %5.0f J\n", left_s,
                p.model.c_str(), p.answer.c_str(), p.quant.c_str(), p.power_mode.c_str(), p.samples,
                *p.accuracy * 100, voted ? "vote" : "table", p.latency_s, p.energy_j);
  }
  return 0;
}
