// Tests of report/table.hpp: human units, the estimate table carries the
// numbers of the estimate (energy per phase, rail and op; cost; power modes),
// and the CSV/JSON batch columns round-trip through the CSV reader
// (io/csv.hpp) and nlohmann_json. Numbers come from the estimate itself (and
// plan/cost.hpp, plan/power_modes.hpp), never from the catalogs (whose values
// change with fits).
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/io/csv.hpp"
#include "edgeperf/plan/cost.hpp"
#include "edgeperf/plan/power_modes.hpp"
#include "edgeperf/report/table.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

namespace {

struct fixture {
  case_description c{};
  request_estimate<double> e{};
};

fixture make_case(const char* model, const char* quant, const char* device, const char* mode,
                  const char* runtime, int batch, int samples, int input, int output) {
  fixture f{};
  f.c.id = "case-1";
  f.c.model = model;
  f.c.quant = quant;
  f.c.device = device;
  f.c.mode = mode;
  f.c.runtime = runtime;
  f.c.load.batch = batch;
  f.c.load.samples = samples;
  f.c.load.input_tokens = input;
  f.c.load.output_tokens = output;
  const device_spec d = find_device(device).value();
  const int m = find_mode(d, mode).value();
  // With the per-op breakdown, as the CLI's estimate (io::estimate_case) asks for it.
  auto r = estimate_request<double>(find_model(model).value(), find_quant(quant).value(), d, m,
                                    find_runtime(runtime).value(), f.c.load, {.breakdown = true});
  REQUIRE(r.has_value());
  f.e = *r;
  return f;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("human units pick the unit and three significant digits", "[report][units]") {
  CHECK(format_duration(0.0452) == "45.2 ms");
  CHECK(format_duration(812e-6) == "812 µs");
  CHECK(format_duration(12.34) == "12.3 s");
  CHECK(format_duration(1.5) == "1.50 s");
  CHECK(format_duration(0.0) == "0 s");
  CHECK(format_duration(1200.0) == "20.0 min");
  CHECK(format_bytes(3.55e9) == "3.55 GB");
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(220e6) == "220 MB");
  CHECK(format_flops(1.58e12) == "1.58 TFLOP");
  CHECK(format_flops(67.6e9) == "67.6 GFLOP");
  CHECK(format_memory(3.5 * 1073741824.0) == "3.50 GiB");
  CHECK(format_memory(42.0 * 1048576.0) == "42.0 MiB");
  CHECK(format_energy(1174.8) == "1.17 kJ");
  CHECK(format_energy(3.98) == "3.98 J");
  CHECK(format_energy(0.0452) == "45.2 mJ");
  CHECK(format_energy(340e-6) == "340 µJ");
  CHECK(format_energy(0.0) == "0 J");
  CHECK(format_power(30.28) == "30.3 W");
  CHECK(format_power(0.5) == "500 mW");
  CHECK(format_power(1200.0) == "1.20 kW");
  CHECK(format_usd(0.0) == "$0");
  CHECK(format_usd(0.055724) == "$0.0557");
  CHECK(format_usd(0.15) == "$0.150");
  CHECK(format_usd(5.71e-5) == "$0.0000571");
  CHECK(format_usd(1.657) == "$1.66");
  CHECK(format_usd(2000.0) == "$2000");
  CHECK(format_usd(-0.25) == "-$0.250");
}

TEST_CASE("the estimate table carries the case and the key numbers", "[report][table]") {
  const fixture f = make_case("dsr1-qwen-1.5b", "bf16", "agx-orin-64gb", "MAXN", "vllm", 1, 1, 512, 1024);
  const std::string t = format_estimate_table(f.c, f.e);
  CAPTURE(t);
  CHECK(contains(t, "dsr1-qwen-1.5b · bf16 · agx-orin-64gb (MAXN) · vllm · batch 1 · samples 1 · "
                    "I=512 · O=1024 · KV " + std::string(to_string(f.e.kv))));
  // phases: time, FLOPs, bytes, bound
  CHECK(contains(t, format_duration(f.e.prefill.time_s)));
  CHECK(contains(t, format_flops(f.e.prefill.flops)));
  CHECK(contains(t, format_bytes(f.e.prefill.bytes)));
  CHECK(contains(t, format_duration(f.e.first_decode.time_s)));
  CHECK(contains(t, to_string(f.e.prefill.binds)));
  CHECK(contains(t, to_string(f.e.first_decode.binds)));
  // every op of both phases, GEMMs with their tile
  for (const auto* s : {&f.e.prefill, &f.e.first_decode}) {
    REQUIRE(s->op_count > 0);
    for (std::size_t i = 0; i < s->op_count; ++i) {
      const auto& op = s->ops[i];
      CAPTURE(op.name);
      CHECK(contains(t, std::string("  ") + op.name + " "));
      CHECK(contains(t, format_duration(op.time_s)));
      if (op.kind == op_kind::gemm)
        CHECK(contains(t, std::to_string(op.cost.tile.m) + "x" + std::to_string(op.cost.tile.n)));
    }
  }
  // totals and memory
  CHECK(contains(t, "TTFT                   " + format_duration(f.e.ttft_s)));
  CHECK(contains(t, "total                  " + format_duration(f.e.total_s)));
  CHECK(contains(t, "TPOT                   " + format_duration(f.e.tpot_s)));
  CHECK(contains(t, fmt::format("{:.1f}", f.e.output_tokens_per_s)));
  CHECK(contains(t, format_memory(f.e.memory.weights_bytes)));
  CHECK(contains(t, format_memory(f.e.memory.kv_cache_bytes)));
  CHECK(contains(t, format_memory(f.e.memory.total_bytes) + " of " +
                        format_memory(f.e.memory.budget_bytes) + " budget: " +
                        (f.e.memory.fits ? "fits" : "DOES NOT FIT")));
  CHECK(contains(t, "cold start (load weights from storage): " + format_duration(f.e.cold_start_s) +
                        " — not part of any token"));
  // energy: per phase (accelerator rail) with average power, the request with
  // its peak, J/token and tokens/J; per-op energy and each step's split
  REQUIRE(f.e.energy_j > 0);
  CHECK(contains(t, "\nenergy (accelerator rail)\n"));
  CHECK(contains(t, fmt::format("\n  {:<22} {:>10} {:>10}\n", "prefill", format_energy(f.e.prefill_energy_j),
                                format_power(f.e.prefill_power_w))));
  CHECK(contains(t, fmt::format("\n  {:<22} {:>10} {:>10}\n", "decode (1023 steps)",
                                format_energy(f.e.decode_energy_j), format_power(f.e.decode_power_w))));
  CHECK(contains(t, format_energy(f.e.decode_energy_j)));
  CHECK(contains(t, format_power(f.e.decode_power_w)));
  CHECK(contains(t, "(peak step " + format_power(f.e.peak_power_w) + ")"));
  CHECK(contains(t, "J/token                " + format_energy(f.e.j_per_token) + " (module " +
                        format_energy(f.e.module_energy_j / 1024.0) + ")"));
  CHECK(contains(t, fmt::format("tokens/J               {:.3g}", f.e.tokens_per_j)));
  CHECK(contains(t, "module (request)       " + format_energy(f.e.module_energy_j)));
  for (const auto* s : {&f.e.prefill, &f.e.first_decode}) {
    for (std::size_t i = 0; i < s->op_count; ++i) CHECK(contains(t, format_energy(s->ops[i].energy_j)));
    CHECK(contains(t, "energy " + format_energy(s->energy_j) + " = idle " + format_energy(s->static_j) +
                          " + ops " + format_energy(s->dynamic_j) + " + host work " +
                          format_energy(s->host_j)));
  }
  // without a device or a cost: no rails, no cost section
  CHECK_FALSE(contains(t, "per rail"));
  CHECK_FALSE(contains(t, "cost per 1M"));
  // no line ends in a blank
  CHECK_FALSE(contains(t, " \n"));
}

TEST_CASE("the table names the rails and splits the energy per rail", "[report][table][energy]") {
  const fixture f = make_case("dsr1-qwen-1.5b", "bf16", "agx-orin-64gb", "MAXN", "vllm", 1, 1, 512, 1024);
  const device_spec d = find_device("agx-orin-64gb").value();
  table_extras x{};
  x.device = &d;
  const std::string t = format_estimate_table(f.c, f.e, x);
  CAPTURE(t);
  CHECK(contains(t, "energy (accelerator rail " + std::string(d.accel_rail.view()) + "; module " +
                        std::string(d.module_rail.view()) + ")"));
  const auto rails = request_rails(d, f.e);
  REQUIRE(rails.size() >= 2);
  for (const rail_energy& r : rails) {
    CAPTURE(r.rail);
    CHECK(contains(t, fmt::format("    {:<20} {:>10}  {}", r.rail, format_energy(r.energy_j), r.covers)));
  }
  CHECK(rails.front().energy_j == f.e.energy_j);
  CHECK(rails.back().energy_j == f.e.module_energy_j);
  CHECK_FALSE(contains(t, " \n"));
}

TEST_CASE("the cost section shows the inputs, the split and the cloud line", "[report][table][cost]") {
  const fixture f = make_case("dsr1-qwen-1.5b", "bf16", "agx-orin-64gb", "MAXN", "vllm", 1, 1, 512, 1024);
  cost_inputs in{};
  in.electricity_usd_per_kwh = 0.3;
  in.device_price_usd = 2000;
  in.service_life_years = 4;
  in.utilization = 0.5;
  const cost_breakdown no_cloud = request_cost(f.e, f.c.load, in).value();
  table_extras x{};
  x.cost_in = &in;
  x.cost = &no_cloud;
  std::string t = format_estimate_table(f.c, f.e, x);
  CAPTURE(t);
  CHECK(contains(t, "cost per 1M output tokens (electricity $0.300/kWh on the module energy; device "
                    "$2000 over 4 years at 50 % utilization)"));
  CHECK(contains(t, "electricity            " + format_usd(no_cloud.electricity_per_1m_usd) + "\n"));
  CHECK(contains(t, "device (amortized)     " + format_usd(no_cloud.amortized_per_1m_usd) + "\n"));
  CHECK(contains(t, "total                  " + format_usd(no_cloud.total_per_1m_usd) + " (" +
                        format_usd(no_cloud.total_usd) + " per request of 1024 output tokens)"));
  CHECK(contains(t, "no cloud price given (none is built in)"));

  // A cloud price far above and far below the edge cost flips the verdict.
  for (const double out_price : {1000.0, 1e-9}) {
    cost_inputs c = in;
    c.cloud_output_usd_per_1m = out_price;
    const cost_breakdown b = request_cost(f.e, f.c.load, c).value();
    x.cost_in = &c;
    x.cost = &b;
    t = format_estimate_table(f.c, f.e, x);
    CAPTURE(out_price, t);
    CHECK(contains(t, "cloud                  " + format_usd(b.cloud_per_1m_usd) + " at your prices ($0/1M input, " +
                          format_usd(out_price) + "/1M output tokens): edge costs "));
    CHECK(contains(t, out_price > 1 ? "x less" : "x more"));
    CHECK_FALSE(contains(t, " \n"));
  }
}

TEST_CASE("the power-mode table lists every mode and marks the choice", "[report][table][modes]") {
  const fixture f = make_case("dsr1-qwen-1.5b", "bf16", "agx-orin-64gb", "MAXN", "vllm", 1, 1, 512, 256);
  const device_spec d = find_device("agx-orin-64gb").value();
  const auto m = find_model("dsr1-qwen-1.5b").value();
  const auto q = find_quant("bf16").value();
  const auto r = find_runtime("vllm").value();
  // A limit between the fastest and the slowest mode's TPOT: some meet it, some do not.
  const mode_choice any = best_energy_mode(m, q, d, r, f.c.load, 0).value();
  REQUIRE(any.modes.size() == static_cast<std::size_t>(d.mode_count));
  double lo = any.modes.front().tpot_s, hi = lo;
  for (const auto& o : any.modes) {
    lo = std::min(lo, o.tpot_s);
    hi = std::max(hi, o.tpot_s);
  }
  REQUIRE(lo < hi);
  const double limit = 0.5 * (lo + hi);
  const mode_choice c = best_energy_mode(m, q, d, r, f.c.load, limit).value();
  REQUIRE(c.best >= 0);
  const std::string t = format_mode_choice(f.c, f.e.kv, c, limit);
  CAPTURE(t);
  CHECK(contains(t, "with TPOT <= " + format_duration(limit)));
  for (std::size_t i = 0; i < c.modes.size(); ++i) {
    const mode_outcome& o = c.modes[i];
    CAPTURE(o.name);
    CHECK(contains(t, fmt::format("  {:<12} {:>10} {:>10} {:>10} {:>16}  {}", o.name, format_duration(o.tpot_s),
                                  format_duration(o.total_s), format_energy(o.j_per_token),
                                  format_energy(o.module_j_per_token), o.meets_limit ? "yes" : "no") +
                          (static_cast<int>(i) == c.best ? "  <- best\n" : "\n")));
  }
  CHECK(contains(t, "\nchoice: " + c.reason + "\n"));
  const mode_choice none = best_energy_mode(m, q, d, r, f.c.load, 0.5 * lo).value();
  CHECK(contains(format_mode_choice(f.c, f.e.kv, none, 0.5 * lo), "\nno choice: " + none.reason));
  CHECK(contains(format_mode_choice(f.c, f.e.kv, any, 0), "with TPOT <= any (no limit)"));
}

TEST_CASE("a case that does not fit says so", "[report][table]") {
  const fixture f = make_case("dsr1-qwen-32b", "bf16", "orin-nano-8gb", "", "vllm", 1, 1, 128, 16);
  REQUIRE_FALSE(f.e.memory.fits);
  CHECK(contains(format_estimate_table(f.c, f.e), "DOES NOT FIT"));
}

TEST_CASE("the batch columns hold issue 3's required columns in order", "[report][columns]") {
  const std::vector<std::string> required{
      "id", "ttft_s", "decode_s", "total_s", "tpot_s", "output_tokens_per_s", "prefill_energy_j",
      "decode_energy_j", "energy_j", "avg_power_w", "prefill_flops", "decode_flops",
      "weights_bytes", "kv_cache_bytes", "peak_memory_bytes", "fits", "error"};
  const auto cols = estimate_columns();
  REQUIRE(cols.size() >= required.size());
  for (std::size_t i = 0; i < required.size(); ++i) CHECK(column_name(cols[i]) == required[i]);
  for (const auto& set : {estimate_columns(), sweep_columns()}) {
    std::set<std::string> names;
    for (column c : set) CHECK(names.insert(column_name(c)).second);  // no duplicate header
  }
  const auto sweep = sweep_columns();
  CHECK(column_name(sweep[1]) == std::string("model"));
  CHECK(std::count(sweep.begin(), sweep.end(), column::peak_memory_bytes) == 1);
  // issue 4's extras at the end, energy then cost
  const std::vector<std::string> tail{"j_per_token", "tokens_per_j", "prefill_power_w", "decode_power_w",
                                      "peak_power_w", "cost_per_1m_usd", "electricity_per_1m_usd",
                                      "amortized_per_1m_usd", "cloud_per_1m_usd"};
  for (const auto& set : {cols, sweep}) {
    REQUIRE(set.size() >= tail.size());
    for (std::size_t i = 0; i < tail.size(); ++i)
      CHECK(column_name(set[set.size() - tail.size() + i]) == tail[i]);
    CHECK(std::count(set.begin(), set.end(), column::module_energy_j) == 1);
  }
  const auto modes = mode_columns();
  REQUIRE(modes.size() == cols.size() + 4);
  CHECK(std::equal(cols.begin(), cols.end(), modes.begin()));
  CHECK(column_name(modes[modes.size() - 4]) == std::string("tpot_limit_s"));
  CHECK(column_name(modes[modes.size() - 3]) == std::string("module_j_per_token"));
  CHECK(column_name(modes[modes.size() - 2]) == std::string("meets_limit"));
  CHECK(column_name(modes.back()) == std::string("best"));
}

TEST_CASE("CSV rows round-trip through the CSV reader", "[report][csv]") {
  const fixture f = make_case("dsr1-llama-8b", "w4a16", "orin-nx-16gb", "25W", "vllm", 4, 2, 1000, 300);
  const auto cols = sweep_columns();
  const std::string text = csv_header(cols) + "\n" + csv_row(cols, f.c, &f.e) + "\n";
  const io::csv_table t = io::parse_csv(text, "<test>");
  REQUIRE(t.rows.size() == 1);
  const io::csv_row& r = t.rows[0];
  CAPTURE(text);
  const std::pair<const char*, double> numbers[] = {
      {"ttft_s", f.e.ttft_s},
      {"decode_s", f.e.decode_s},
      {"total_s", f.e.total_s},
      {"tpot_s", f.e.tpot_s},
      {"output_tokens_per_s", f.e.output_tokens_per_s},
      {"prefill_flops", f.e.prefill_flops},
      {"decode_flops", f.e.decode_flops},
      {"weights_bytes", f.e.memory.weights_bytes},
      {"kv_cache_bytes", f.e.memory.kv_cache_bytes},
      {"peak_memory_bytes", f.e.memory.total_bytes},
      {"cold_start_s", f.e.cold_start_s},
      {"prefill_energy_j", f.e.prefill_energy_j},
      {"decode_energy_j", f.e.decode_energy_j},
      {"energy_j", f.e.energy_j},
      {"module_energy_j", f.e.module_energy_j},
      {"avg_power_w", f.e.avg_power_w},
      {"j_per_token", f.e.j_per_token},
      {"tokens_per_j", f.e.tokens_per_j},
      {"prefill_power_w", f.e.prefill_power_w},
      {"decode_power_w", f.e.decode_power_w},
      {"peak_power_w", f.e.peak_power_w},
      {"batch", 4},
      {"samples", 2},
      {"input_tokens", 1000},
      {"output_tokens", 300},
  };
  for (const auto& [name, value] : numbers) {
    CAPTURE(name);
    CHECK(t.number(r, name) == value);  // shortest round-trip form: exact
  }
  CHECK_THAT(t.number(r, "total_s"), WithinRel(t.number(r, "ttft_s") + t.number(r, "decode_s"), 1e-12));
  CHECK_THAT(t.number(r, "tpot_s"), WithinRel(t.number(r, "decode_s") / 299.0, 1e-12));
  CHECK_THAT(t.number(r, "output_tokens_per_s"), WithinRel(4 * 2 * 300 / t.number(r, "total_s"), 1e-12));
  CHECK(t.cell(r, "fits") == (f.e.memory.fits ? "true" : "false"));
  CHECK(t.cell(r, "mode") == "25W");
  CHECK(t.cell(r, "model") == "dsr1-llama-8b");
  CHECK(t.cell(r, "kv_dtype") == to_string(f.e.kv));
  CHECK(t.cell(r, "prefill_bound") == to_string(f.e.prefill.binds));
  CHECK_THAT(t.number(r, "energy_j"),
             WithinRel(t.number(r, "prefill_energy_j") + t.number(r, "decode_energy_j"), 1e-12));
  CHECK_THAT(t.number(r, "avg_power_w"), WithinRel(t.number(r, "energy_j") / t.number(r, "total_s"), 1e-12));
  CHECK_THAT(t.number(r, "j_per_token"), WithinRel(t.number(r, "energy_j") / (4 * 2 * 300), 1e-12));
  CHECK_THAT(t.number(r, "tokens_per_j") * t.number(r, "j_per_token"), WithinRel(1.0, 1e-12));
  CHECK(t.number(r, "module_energy_j") > t.number(r, "energy_j"));
  // no cost passed: the cost columns stay empty
  for (const char* empty : {"cost_per_1m_usd", "electricity_per_1m_usd", "amortized_per_1m_usd",
                            "cloud_per_1m_usd", "error"})
    CHECK(t.cell(r, empty).empty());
}

TEST_CASE("cost columns carry request_cost; the cloud column only with a cloud price", "[report][csv][cost]") {
  const fixture f = make_case("dsr1-qwen-14b", "bf16", "agx-orin-64gb", "30W", "vllm", 1, 1, 512, 1024);
  const auto cols = estimate_columns();
  cost_inputs in{};
  in.device_price_usd = 1999;
  in.utilization = 0.25;
  const cost_breakdown c = request_cost(f.e, f.c.load, in).value();
  row_extras x{};
  x.cost = &c;
  io::csv_table t = io::parse_csv(csv_header(cols) + "\n" + csv_row(cols, f.c, &f.e, {}, x), "<test>");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.number(t.rows[0], "cost_per_1m_usd") == c.total_per_1m_usd);
  CHECK(t.number(t.rows[0], "electricity_per_1m_usd") == c.electricity_per_1m_usd);
  CHECK(t.number(t.rows[0], "amortized_per_1m_usd") == c.amortized_per_1m_usd);
  CHECK(c.amortized_per_1m_usd > 0);
  CHECK(t.cell(t.rows[0], "cloud_per_1m_usd").empty());
  // hand computation of the electricity share: module J → kWh × $/kWh per 1M tokens
  CHECK_THAT(t.number(t.rows[0], "electricity_per_1m_usd"),
             WithinRel(f.e.module_energy_j / 3.6e6 * 0.15 / 1024 * 1e6, 1e-12));

  in.cloud_input_usd_per_1m = 0.2;
  in.cloud_output_usd_per_1m = 0.6;
  const cost_breakdown cc = request_cost(f.e, f.c.load, in).value();
  x.cost = &cc;
  t = io::parse_csv(csv_header(cols) + "\n" + csv_row(cols, f.c, &f.e, {}, x), "<test>");
  CHECK_THAT(t.number(t.rows[0], "cloud_per_1m_usd"), WithinRel((512 * 0.2 + 1024 * 0.6) / 1024, 1e-12));
  // a failed row shows no cost even when one is passed
  t = io::parse_csv(csv_header(cols) + "\n" + csv_row(cols, f.c, nullptr, "failed", x), "<test>");
  CHECK(t.cell(t.rows[0], "cost_per_1m_usd").empty());
  CHECK(t.cell(t.rows[0], "cloud_per_1m_usd").empty());
}

TEST_CASE("best-mode rows carry the limit and the flags", "[report][json][modes]") {
  const fixture f = make_case("dsr1-qwen-1.5b", "bf16", "agx-orin-64gb", "15W", "vllm", 1, 1, 128, 64);
  row_extras x{};
  x.tpot_limit_s = 0.05;
  x.meets_limit = false;
  x.best = false;
  const auto cols = mode_columns();
  nlohmann::json j = nlohmann::json::parse(json_object(cols, f.c, &f.e, {}, x));
  CHECK(j.at("tpot_limit_s").get<double>() == 0.05);
  CHECK(j.at("meets_limit").get<bool>() == false);
  CHECK(j.at("best").get<bool>() == false);
  CHECK_THAT(j.at("module_j_per_token").get<double>(), WithinRel(f.e.module_energy_j / 64.0, 1e-12));
  CHECK(j.at("cost_per_1m_usd").is_null());
  x.best = true;
  j = nlohmann::json::parse(json_object(cols, f.c, &f.e, {}, x));
  CHECK(j.at("best").get<bool>() == true);
  // without extras the flags are null
  j = nlohmann::json::parse(json_object(cols, f.c, &f.e));
  CHECK(j.at("best").is_null());
  CHECK(j.at("tpot_limit_s").is_null());
}

TEST_CASE("a failed row keeps its message, quoted, and leaves the numbers empty", "[report][csv]") {
  case_description c{};
  c.id = "bad, \"row\"";
  c.model = "dsr1-qwen-1.6b";
  const std::string msg = "cases.csv:4: unknown model id 'dsr1-qwen-1.6b'; nearest: dsr1-qwen-1.5b, \"x\"";
  const auto cols = estimate_columns();
  const io::csv_table t = io::parse_csv(csv_header(cols) + "\n" + csv_row(cols, c, nullptr, msg), "<test>");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].cells.size() == cols.size());
  CHECK(t.cell(t.rows[0], "error") == msg);
  CHECK(t.cell(t.rows[0], "id") == c.id);
  for (const char* empty : {"ttft_s", "total_s", "fits", "peak_memory_bytes", "cold_start_s"})
    CHECK(t.cell(t.rows[0], empty).empty());
}

TEST_CASE("JSON objects parse back to the same fields", "[report][json]") {
  const fixture f = make_case("dsr1-qwen-1.5b", "bf16", "agx-orin-64gb", "30W", "vllm", 1, 8, 512, 2048);
  const auto cols = estimate_columns();
  const std::string text = json_object(cols, f.c, &f.e);
  CAPTURE(text);
  const nlohmann::json j = nlohmann::json::parse(text);
  CHECK(j.size() == cols.size());
  CHECK(j.at("id") == "case-1");
  CHECK(j.at("ttft_s").get<double>() == f.e.ttft_s);
  CHECK(j.at("decode_s").get<double>() == f.e.decode_s);
  CHECK(j.at("output_tokens_per_s").get<double>() == f.e.output_tokens_per_s);
  CHECK(j.at("decode_flops").get<double>() == f.e.decode_flops);
  CHECK(j.at("peak_memory_bytes").get<double>() == f.e.memory.total_bytes);
  CHECK(j.at("fits").get<bool>() == f.e.memory.fits);
  CHECK(j.at("energy_j").get<double>() == f.e.energy_j);
  CHECK(j.at("module_energy_j").get<double>() == f.e.module_energy_j);
  CHECK(j.at("peak_power_w").get<double>() == f.e.peak_power_w);
  CHECK(j.at("cloud_per_1m_usd").is_null());
  CHECK(j.at("error") == "");
  CHECK(j.at("mode") == "30W");

  const std::string bad = json_object(cols, f.c, nullptr, "tab\there, \"quote\" \\ and\nnewline");
  const nlohmann::json jb = nlohmann::json::parse(bad);
  CHECK(jb.at("error") == "tab\there, \"quote\" \\ and\nnewline");
  CHECK(jb.at("ttft_s").is_null());
  CHECK(jb.at("fits").is_null());
  CHECK(jb.at("energy_j").is_null());
}
