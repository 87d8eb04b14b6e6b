// edgeperf in the browser: the library compiled to WebAssembly (Emscripten,
// embind), a thin shell for web/app.js. Nothing here models anything: every
// number comes from the same library calls the CLI makes (io::resolve_case,
// estimate_request, request_cost, best_energy_mode, the planner), and the
// page's field names and values come from the one field list of
// report/fields.hpp (`estimate_json`, the object `edgeperf estimate --format
// json` prints), so the page and the CLI cannot drift apart.
//
// The page talks to this file in JSON text, one call per view:
//   catalog()          the ids the inputs offer (models, quants, devices with
//                      their power modes, runtimes) and the default case;
//   evaluate(case)     the estimate row, memory by class, the per-op breakdown
//                      of the first decode step, the prefill and decode curves
//                      and every power mode of the device; or {"error": ...};
//   frontier(case)     the planner's points and exact frontier on the chosen
//                      device and runtime, and its choice under the latency budget.
// A case is a JSON object of strings, as they stand in the URL query (model,
// config, quant, device, mode, runtime, input, output, batch, samples,
// kwh_price, device_price, budget_s); a bad value comes back as the library's
// error message, or as one naming the parameter and what it expects.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <emscripten/bind.h>
#include <nlohmann/json.hpp>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/io/resolve.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/plan/accuracy.hpp"
#include "edgeperf/plan/cost.hpp"
#include "edgeperf/plan/planner.hpp"
#include "edgeperf/plan/power_modes.hpp"
#include "edgeperf/report/fields.hpp"

namespace {

using json = nlohmann::json;
using namespace edgeperf;

/// A bad input, with the message the page shows.
struct input_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class T>
T unwrap(result<T> r) {
  if (!r) throw input_error(r.error_value().message);
  return std::move(r).value();
}

// ---- the case, from the page's strings ----------------------------------------------------

/// The default case: a reasoning model on a Jetson AGX Orin.
const json& default_case() {
  static const json d = {{"model", "dsr1-qwen-14b"}, {"quant", "w4a16"},   {"device", "agx-orin-64gb"},
                         {"mode", ""},               {"runtime", "vllm"},  {"input", "512"},
                         {"output", "1024"},         {"batch", "1"},       {"samples", "1"},
                         {"kwh_price", "0.15"},      {"device_price", "0"}, {"budget_s", "10"}};
  return d;
}

/// The parameter as given (an empty value stays empty, so that a cleared field
/// is an error, not a silent default), else the default case's value.
std::string text_of(const json& c, const char* key) {
  const auto it = c.find(key);
  if (it == c.end()) return default_case().value(key, std::string());
  if (!it->is_string()) throw input_error(std::string(key) + ": expected a string, got " + it->dump());
  return it->get<std::string>();
}

/// A whole number parameter (tokens, batch, samples), >= 1.
int int_of(const json& c, const char* key, const char* what) {
  const std::string s = text_of(c, key);
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size() || v < 1 || v > (1LL << 30))
    throw input_error(std::string(key) + " = '" + s + "': expected " + what +
                      ", a whole number from 1 to 1073741824");
  return static_cast<int>(v);
}

/// A number parameter (prices, budgets); the range is checked by the library call it feeds.
double number_of(const json& c, const char* key, const char* what) {
  const std::string s = text_of(c, key);
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size() || !std::isfinite(v))
    throw input_error(std::string(key) + " = '" + s + "': expected " + what);
  return v;
}

/// A case resolved by the library (io/resolve.hpp), with what the page adds:
/// the cost inputs.
struct resolved {
  io::resolver res;          ///< owns the specs `rc` points into
  io::resolved_case rc{};
  case_description desc{};   ///< as the CLI echoes it (report/fields.hpp)
  cost_inputs cost{};
};

/// Resolves the case with `io::resolve_case`, the call the CLI makes: the
/// model is a catalog id, or the text of a Hugging Face config.json (chosen
/// from disk or pasted on the page, carried in the `config` parameter).
void resolve(const json& c, resolved& r) {
  io::case_input in{};
  const auto cfg = c.find("config");
  const bool has_config = cfg != c.end() && cfg->is_string() && !cfg->get<std::string>().empty();
  in.model = has_config ? cfg->get<std::string>() : text_of(c, "model");
  in.quant = text_of(c, "quant");
  in.device = text_of(c, "device");
  in.mode = text_of(c, "mode");
  in.runtime = text_of(c, "runtime");
  in.input_tokens = int_of(c, "input", "the prompt length in tokens");
  in.output_tokens = int_of(c, "output", "the generated tokens per sample");
  in.batch = int_of(c, "batch", "the number of prompts decoded together");
  in.samples = int_of(c, "samples", "the parallel samples per prompt");
  r.rc = io::resolve_case(r.res, in);
  if (!r.rc.ok()) throw input_error(r.rc.error);
  r.cost.electricity_usd_per_kwh = number_of(c, "kwh_price", "an electricity price in $/kWh >= 0");
  r.cost.device_price_usd = number_of(c, "device_price", "a device price in $ >= 0");
  unwrap(validate_cost_inputs(r.cost));
  r.desc.model = std::string(r.rc.model->id.view());
  r.desc.quant = r.rc.quant_name;
  r.desc.device = std::string(r.rc.device->id.view());
  r.desc.mode = r.rc.mode_name;
  r.desc.runtime = std::string(r.rc.runtime->id.view());
  r.desc.load = r.rc.load;
}

/// The estimate of the case with workload `w` (the library's error as an
/// input_error), with the per-op breakdown (`decode_ops` reads it).
request_estimate<double> estimate(const resolved& r, const workload& w) {
  return unwrap(estimate_request<double>(*r.rc.model, r.rc.quant, *r.rc.device, r.rc.mode, *r.rc.runtime, w,
                                         request_options{.breakdown = true}));
}

// ---- calls ---------------------------------------------------------------------------------

std::string error_json(const std::string& message) { return json{{"error", message}}.dump(); }

/// Runs `f` and returns its JSON, or the error message of any failure.
template <class F>
std::string guarded(const std::string& case_text, F&& f) {
  try {
    const json c = case_text.empty() ? json::object() : json::parse(case_text);
    return f(c);
  } catch (const std::exception& e) {
    return error_json(e.what());
  }
}

std::string catalog() {
  json out;
  for (const model_spec& m : model_catalog()) out["models"].push_back(std::string(m.id.view()));
  for (const quant_spec& q : quant_catalog()) out["quants"].push_back(std::string(q.id.view()));
  for (const runtime_spec& r : runtime_catalog()) out["runtimes"].push_back(std::string(r.id.view()));
  for (const device_spec& d : device_catalog()) {
    json modes = json::array();
    for (int i = 0; i < d.mode_count; ++i) modes.push_back(std::string(d.modes[static_cast<std::size_t>(i)].name.view()));
    out["devices"].push_back({{"id", std::string(d.id.view())}, {"modes", modes}});
  }
  out["defaults"] = default_case();
  return out.dump();
}

std::string evaluate(const std::string& case_text) {
  return guarded(case_text, [](const json& c) {
    resolved r;
    resolve(c, r);
    const model_spec& model = *r.rc.model;
    const device_spec& device = *r.rc.device;
    const runtime_spec& runtime = *r.rc.runtime;
    const workload& load = r.rc.load;
    const request_estimate<double> e = estimate(r, load);
    const cost_breakdown cost = unwrap(request_cost(e, load, r.cost));
    json out;
    // The CLI's row, field for field (names and SI values): the object
    // `edgeperf estimate --format json` prints, from the same call.
    const request_interval band = estimate_interval(model, r.rc.quant, device, r.rc.mode, runtime, load);
    // The loader notes (a config's sliding pattern, ...) as the CLI's `notes`.
    out["fields"] = json::parse(estimate_json(r.desc, e, &cost, &r.rc.notes, &band));
    // A field of the same list that the estimate row does not carry (the CLI
    // prints it in the rows of `estimate --best-mode`): J/token of the module.
    row_extras x{};
    x.cost = &cost;
    out["extra_fields"] = json::parse(json_object({column::module_j_per_token}, r.desc, &e, {}, x));
    out["case"] = {{"model", r.desc.model},  {"quant", r.desc.quant},   {"device", r.desc.device},
                   {"mode", r.desc.mode},    {"runtime", r.desc.runtime},
                   {"accel_rail", std::string(device.accel_rail.view())},
                   {"module_rail", std::string(device.module_rail.view())}};
    out["runtime_overhead_bytes"] = e.memory.runtime_overhead_bytes;
    // One decode step (the first, context I + 1), per op.
    json ops = json::array();
    for (std::size_t i = 0; i < e.first_decode.op_count; ++i) {
      const op_breakdown<double>& op = e.first_decode.ops[i];
      ops.push_back({{"name", op.name}, {"time_s", op.time_s}, {"bound", to_string(op.cost.binds)}});
    }
    out["decode_ops"] = ops;
    out["decode_step_s"] = e.first_decode.time_s;
    // Prefill time over the prompt length: steps of 8 tokens show the padding
    // staircase of the tiles; up to twice the chosen prompt (at least 2048).
    const int i_max = std::max(2048, 2 * load.input_tokens);
    const int i_step = std::max(8, (i_max / 320 + 7) / 8 * 8);
    json prefill = json::array();
    for (int i = i_step; i <= i_max; i += i_step) {
      workload w = load;
      w.input_tokens = i;
      w.output_tokens = 1;
      auto p = estimate_request<double>(model, r.rc.quant, device, r.rc.mode, runtime, w);
      if (!p) break;  // beyond the context: the curve ends there
      prefill.push_back({i, p->prefill.time_s});
    }
    out["prefill_curve"] = prefill;
    // Decode time over the output length, up to twice the chosen one.
    const int o_max = std::max(64, 2 * load.output_tokens);
    json decode = json::array();
    for (int k = 1; k <= 120; ++k) {
      workload w = load;
      w.output_tokens = std::max(1, static_cast<int>(std::lround(static_cast<double>(o_max) * k / 120)));
      auto d = estimate_request<double>(model, r.rc.quant, device, r.rc.mode, runtime, w);
      if (!d) break;
      decode.push_back({w.output_tokens, d->decode_s});
    }
    out["decode_curve"] = decode;
    // The same case in every power mode of the device.
    const mode_choice modes = unwrap(best_energy_mode(model, r.rc.quant, device, runtime, load, 0.0));
    json ms = json::array();
    for (const mode_outcome& m : modes.modes)
      ms.push_back({{"mode", m.name}, {"total_s", m.total_s}, {"tpot_s", m.tpot_s}, {"j_per_token", m.j_per_token}});
    out["modes"] = ms;
    out["best_mode"] = modes.best >= 0 ? modes.modes[static_cast<std::size_t>(modes.best)].name : "";
    return out.dump();
  });
}

std::string frontier(const std::string& case_text) {
  return guarded(case_text, [](const json& c) {
    resolved r;
    resolve(c, r);
    plan_budget budget{};
    budget.latency_s = number_of(c, "budget_s", "a latency budget in seconds > 0");
    // The planner's request on the chosen device and runtime (every power mode),
    // over the models the built-in accuracy table covers (docs/planning.md).
    plan_request req;
    req.accuracy = builtin_accuracy_table();
    for (const accuracy_row& row : req.accuracy.rows)
      if (row.key.benchmark == req.benchmark)
        if (const model_spec* m = find_model_or_null(row.key.model))
          if (std::none_of(req.models.begin(), req.models.end(),
                           [&](const model_spec& x) { return x.id.view() == m->id.view(); }))
            req.models.push_back(*m);
    for (const char* q : {"bf16", "w8a16", "w4a16"}) req.quants.push_back(unwrap(find_quant(q)));
    req.samples = {1, 2, 4, 8};
    req.answer_modes = {{"reasoning", std::nullopt, true}, {"reasoning", 128, true}, {"reasoning", 256, true},
                        {"no-reasoning", std::nullopt, true}, {"direct", std::nullopt, true}};
    req.devices = {*r.rc.device};
    req.runtime = *r.rc.runtime;
    const std::vector<plan_point> pts = enumerate_plans(req);
    const plan_choice choice = unwrap(plan(pts, budget));
    const auto point = [](const plan_point& p) {
      return json{{"model", p.model},       {"answer", p.answer},
                  {"budget_tokens", p.budget_tokens ? json(*p.budget_tokens) : json()},
                  {"quant", p.quant},       {"mode", p.power_mode},  {"samples", p.samples},
                  {"latency_s", p.latency_s}, {"energy_j", p.energy_j},
                  {"accuracy", p.accuracy ? json(*p.accuracy) : json()}};
    };
    json out;
    // Every usable point, and the accuracy-latency frontier among them (the
    // planner's frontier is over latency, energy, accuracy and memory; the plot
    // shows its two-dimensional face).
    json usable = json::array();
    std::vector<std::size_t> idx;
    std::vector<double> flat;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      if (!pts[i].usable) continue;
      usable.push_back({pts[i].latency_s, *pts[i].accuracy});
      idx.push_back(i);
      flat.insert(flat.end(), {pts[i].latency_s, *pts[i].accuracy});
    }
    out["points"] = usable;
    const sense senses[] = {sense::minimize, sense::maximize};
    json front = json::array();
    for (std::size_t j : pareto_front(std::span<const double>(flat), std::span<const sense>(senses)))
      front.push_back(point(pts[idx[j]]));
    out["frontier"] = front;
    out["budget_s"] = budget.latency_s;
    out["choice"] = choice.best ? point(*choice.best) : json();
    out["reason"] = choice.reason;
    out["benchmark"] = req.benchmark;
    return out.dump();
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(edgeperf_web) {
  emscripten::function("catalog", &catalog);
  emscripten::function("evaluate", &evaluate);
  emscripten::function("frontier", &frontier);
}
