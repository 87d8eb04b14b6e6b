// Every class of bad input listed in docs/robustness.md, with the message it
// gets. Each row states the input, the entry point and the substrings the
// message must contain (value and constraint, file and field for files).
// `EDGEPERF_PRINT_MESSAGES=1 ./property_bad_inputs_test` prints the full
// messages (the table in docs/robustness.md was made that way).
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/detail/utf8.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/io/csv.hpp"
#include "edgeperf/io/hf_config.hpp"
#include "edgeperf/io/measurements_json.hpp"
#include "edgeperf/io/profile_json.hpp"
#include "edgeperf/io/runs_csv.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/io/accuracy_csv.hpp"
#include "edgeperf/plan/planner.hpp"
#include "edgeperf/plan/power_modes.hpp"

using namespace edgeperf;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

const double nan_v = std::numeric_limits<double>::quiet_NaN();
const double inf_v = std::numeric_limits<double>::infinity();

fs::path scratch_dir() {
  const fs::path d = fs::temp_directory_path() / ("edgeperf-bad-inputs-" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}
fs::path write_file(const std::string& name, const std::string& text) {
  const fs::path p = scratch_dir() / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

/// Message of the error `f` reports: a result error value or an exception.
std::string message_of(const std::function<std::string()>& f) {
  try {
    return f();
  } catch (const io::io_error& e) {
    return std::string("io_error: ") + e.what();
  } catch (const std::invalid_argument& e) {
    return std::string("invalid_argument: ") + e.what();
  }
}

template <class R>
std::string err(const R& r) {
  return r ? std::string("OK (no error)") : std::string(to_string(r.error_value().code)) + ": " + r.error_value().message;
}

struct bad_case {
  const char* cls;                     // the class of bad input
  std::function<std::string()> run;    // returns the message
  std::vector<std::string> expect;     // substrings the message must contain
};

const model_spec& llama8b() { static const model_spec m = find_model("llama-3.1-8b").value(); return m; }
const quant_spec& bf16() { static const quant_spec q = find_quant("bf16").value(); return q; }
const device_spec& orin() { static const device_spec d = find_device("agx-orin-64gb").value(); return d; }
const runtime_spec& vllm() { static const runtime_spec r = find_runtime("vllm").value(); return r; }

std::string estimate_msg(model_spec m, quant_spec q, device_spec d, int mode, runtime_spec r, workload w) {
  return err(estimate_request(m, q, d, mode, r, w));
}
workload wl(int b, int n, int i, int o) { workload w{}; w.batch = b; w.samples = n; w.input_tokens = i; w.output_tokens = o; return w; }

std::vector<bad_case> cases() {
  std::vector<bad_case> v;
  // ---- workload ------------------------------------------------------------------
  v.push_back({"batch 0", [] { return estimate_msg(llama8b(), bf16(), orin(), 0, vllm(), wl(0, 1, 128, 128)); },
               {"invalid_argument", "batch must be >= 1, got 0"}});
  v.push_back({"negative output tokens", [] { return estimate_msg(llama8b(), bf16(), orin(), 0, vllm(), wl(1, 1, 128, -5)); },
               {"output_tokens must be >= 1, got -5"}});
  v.push_back({"request too large for exact counts", [] { return estimate_msg(llama8b(), bf16(), orin(), 0, vllm(), wl(1 << 20, 1 << 10, 1 << 10, 1)); },
               {"tokens", "2^36"}});
  v.push_back({"context over the model's max", [] { return estimate_msg(llama8b(), bf16(), orin(), 0, vllm(), wl(1, 1, 130000, 2000)); },
               {"132000", "max context 131072"}});
  v.push_back({"does not fit in memory (a value, still estimated)", [] {
                 workload w = wl(64, 1, 16000, 16000);
                 const auto e = estimate_request(llama8b(), bf16(), orin(), 0, vllm(), w);
                 return e ? std::string("estimated, memory.fits = ") + (e->memory.fits ? "true" : "false") : err(e);
               },
               {"estimated, memory.fits = false"}});
  // ---- model ---------------------------------------------------------------------
  v.push_back({"heads not divisible into KV groups", [] { model_spec m = llama8b(); m.kv_heads = 5; return estimate_msg(m, bf16(), orin(), 0, vllm(), wl(1, 1, 8, 8)); },
               {"heads (32) must be a multiple of kv_heads (5)"}});
  v.push_back({"zero layers", [] { model_spec m = llama8b(); m.layers = 0; return estimate_msg(m, bf16(), orin(), 0, vllm(), wl(1, 1, 8, 8)); },
               {"must be >= 1, got 0"}});
  v.push_back({"MoE top_k above the expert count", [] { model_spec m = find_model("mixtral-8x7b").value(); m.moe.top_k = 9; return estimate_msg(m, bf16(), orin(), 0, vllm(), wl(1, 1, 8, 8)); },
               {"moe.top_k = 9", "1..8"}});
  v.push_back({"model too wide for the integer accounting", [] { model_spec m = llama8b(); m.hidden = 1 << 30; return estimate_msg(m, bf16(), orin(), 0, vllm(), wl(1, 1, 8, 8)); },
               {"hidden = 1073741824", "at most 4194304"}});
  v.push_back({"NaN partial_rotary", [] { model_spec m = llama8b(); m.partial_rotary = nan_v; return estimate_msg(m, bf16(), orin(), 0, vllm(), wl(1, 1, 8, 8)); },
               {"partial_rotary = nan"}});
  // ---- device / runtime numbers ------------------------------------------------------
  v.push_back({"NaN device number", [] { device_spec d = orin(); d.mem_efficiency.value = nan_v; return estimate_msg(llama8b(), bf16(), d, 0, vllm(), wl(1, 1, 8, 8)); },
               {"device 'agx-orin-64gb'", "'mem_efficiency' = nan", "finite"}});
  v.push_back({"infinite device number", [] { device_spec d = orin(); d.launch_overhead_s.value = inf_v; return estimate_msg(llama8b(), bf16(), d, 0, vllm(), wl(1, 1, 8, 8)); },
               {"'launch_overhead_s' = inf"}});
  v.push_back({"negative device number", [] { device_spec d = orin(); d.pj_per_byte_dram.value = -3; return estimate_msg(llama8b(), bf16(), d, 0, vllm(), wl(1, 1, 8, 8)); },
               {"'pj_per_byte_dram' = -3", ">= 0"}});
  v.push_back({"zero divisor (clock)", [] { device_spec d = orin(); d.gpu_clock_hz.value = 0; return estimate_msg(llama8b(), bf16(), d, 0, vllm(), wl(1, 1, 8, 8)); },
               {"'gpu_clock_hz' = 0", "divides"}});
  v.push_back({"denormal device efficiency", [] { device_spec d = orin(); d.tensor_efficiency.value = 1e-310; return estimate_msg(llama8b(), bf16(), d, 0, vllm(), wl(1, 1, 8, 8)); },
               {"'tensor_efficiency' = 1e-310", "expected 0 or a value in [0.01, 1]"}});
  v.push_back({"absurd device clock (1 Hz)", [] { device_spec d = orin(); d.gpu_clock_hz.value = 1; return estimate_msg(llama8b(), bf16(), d, 0, vllm(), wl(1, 1, 8, 8)); },
               {"'gpu_clock_hz' = 1", "[1e+06, 1e+10]"}});
  v.push_back({"absurd memory bandwidth (bus of 1e29 bits)", [] { device_spec d = orin(); d.mem_bus_bits.value = 1e29; return estimate_msg(llama8b(), bf16(), d, 0, vllm(), wl(1, 1, 8, 8)); },
               {"'mem_bus_bits' = 1e+29", "bus width"}});
  v.push_back({"denormal runtime efficiency", [] { runtime_spec r = vllm(); r.kernel_efficiency.value = 4e-320; return estimate_msg(llama8b(), bf16(), orin(), 0, r, wl(1, 1, 8, 8)); },
               {"runtime 'vllm-0.8'", "'kernel_efficiency'", "[0.01, 2]"}});
  v.push_back({"huge device number (overflow)", [] { device_spec d = orin(); d.emc_clock_hz.value = 1e300; return estimate_msg(llama8b(), bf16(), d, 0, vllm(), wl(1, 1, 8, 8)); },
               {"'emc_clock_hz' = 1e+300", "at most 1e30"}});
  v.push_back({"NaN in a power mode", [] { device_spec d = orin(); d.modes[1].static_power_w.value = nan_v; return estimate_msg(llama8b(), bf16(), d, 1, vllm(), wl(1, 1, 8, 8)); },
               {"mode '", "'static_power_w' = nan"}});
  v.push_back({"NaN runtime number", [] { runtime_spec r = vllm(); r.host_per_step_s.value = nan_v; return estimate_msg(llama8b(), bf16(), orin(), 0, r, wl(1, 1, 8, 8)); },
               {"runtime 'vllm-0.8'", "'host_per_step_s' = nan"}});
  v.push_back({"NaN tile efficiency", [] { runtime_spec r = vllm(); r.tiles[0].efficiency = nan_v; return estimate_msg(llama8b(), bf16(), orin(), 0, r, wl(1, 1, 8, 8)); },
               {"tiles[0].efficiency = nan"}});
  v.push_back({"mode index out of range", [] { return estimate_msg(llama8b(), bf16(), orin(), 17, vllm(), wl(1, 1, 8, 8)); },
               {"mode index 17 out of range", "agx-orin-64gb"}});
  // ---- unsupported combinations (values) -------------------------------------------------
  v.push_back({"fp8 on Orin", [] { return estimate_msg(llama8b(), find_quant("fp8").value(), orin(), 0, vllm(), wl(1, 1, 8, 8)); },
               {"unsupported", "FP8"}});
  v.push_back({"GPU runtime on a CPU board", [] { return estimate_msg(llama8b(), bf16(), find_device("rpi5-8gb").value(), 0, vllm(), wl(1, 1, 8, 8)); },
               {"unsupported", "rpi5-8gb"}});
  // ---- ids and mode names -----------------------------------------------------------------
  v.push_back({"unknown model id", [] { return err(find_model("llama-3.1-8")); }, {"unknown_id", "llama-3.1-8b"}});
  v.push_back({"unknown device id", [] { return err(find_device("agx-orin-46gb")); }, {"unknown_id", "agx-orin-64gb"}});
  v.push_back({"unknown quant id", [] { return err(find_quant("q4km")); }, {"unknown_id", "q4_k_m"}});
  v.push_back({"unknown runtime id", [] { return err(find_runtime("vlm")); }, {"unknown_id", "vllm"}});
  v.push_back({"mode name not on the device", [] { return err(find_mode(orin(), "25W")); }, {"25W"}});
  // ---- planning budgets ---------------------------------------------------------------------
  v.push_back({"NaN latency budget", [] { plan_budget b{}; b.latency_s = nan_v; return err(plan({}, b)); }, {"latency budget must be > 0 s, got nan"}});
  v.push_back({"infinite energy budget", [] { plan_budget b{}; b.latency_s = 1; b.energy_j = inf_v; return err(plan({}, b)); }, {"energy budget", "inf"}});
  v.push_back({"NaN TPOT limit", [] { return err(best_energy_mode(llama8b(), bf16(), orin(), vllm(), wl(1, 1, 8, 8), nan_v)); }, {"tpot_limit_s", "nan"}});
  // ---- files ------------------------------------------------------------------------------------
  v.push_back({"missing file", [] { return message_of([] { (void)io::load_hf_model(scratch_dir() / "nope" / "config.json"); return std::string("loaded"); }); },
               {"io_error", "nope", "does not exist"}});
  v.push_back({"directory instead of a file", [] { return message_of([] { (void)io::load_device_profile(scratch_dir()); return std::string("loaded"); }); },
               {"is a directory"}});
  v.push_back({"empty file (JSON)", [] { const auto p = write_file("empty.json", ""); return message_of([&] { (void)io::load_runtime_profile(p); return std::string("loaded"); }); },
               {"empty.json", "empty file"}});
  v.push_back({"empty file (CSV)", [] { const auto p = write_file("empty.csv", ""); return message_of([&] { (void)io::read_csv(p); return std::string("loaded"); }); },
               {"empty.csv", "empty file: expected a header row"}});
  v.push_back({"number overflow in JSON (1e999)", [] { const auto p = write_file("overflow.json", R"({"base": "vllm", "sync_s": 1e999})"); return message_of([&] { (void)io::load_runtime_profile(p); return std::string("loaded"); }); },
               {"overflow.json", "invalid JSON", "number overflow"}});
  v.push_back({"non-UTF-8 JSON", [] { const auto p = write_file("latin1.json", "{\"base\": \"vllm\", \"id\": \"caf\xe9\"}"); return message_of([&] { (void)io::load_runtime_profile(p); return std::string("loaded"); }); },
               {"latin1.json", "invalid JSON", "UTF-8"}});
  v.push_back({"deep nesting (100000 levels)", [] { const auto p = write_file("deep.json", "{\"base\": \"vllm\", \"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
                 std::vector<std::string> warnings; return message_of([&] { (void)io::load_runtime_profile(p, &warnings); return "loaded, warning: " + warnings.at(0); }); },
               {"loaded, warning", "'x'", "ignored"}});
  v.push_back({"unknown field", [] { std::vector<std::string> w; (void)io::device_from_json(nlohmann::json{{"base", "agx-orin-64gb"}, {"colour", "green"}}, "d.json", &w); return "loaded, warning: " + w.at(0); },
               {"d.json", "'colour'", "ignored"}});
  v.push_back({"huge file (> 256 MiB)", [] {
                 const fs::path p = scratch_dir() / "huge.csv";
                 { std::ofstream(p) << "a,b\n"; }
                 fs::resize_file(p, (std::uintmax_t{256} << 20) + 1);  // sparse: no disk used
                 return message_of([&] { (void)io::read_csv(p); return std::string("loaded"); }); },
               {"huge.csv", "268435457 bytes", "at most 268435456"}});
  v.push_back({"NUL bytes in a CSV", [] { return message_of([] { (void)io::parse_csv(std::string("a,b\n1,\0\n", 8), "bin.csv"); return std::string("loaded"); }); },
               {"bin.csv", "NUL"}});
  v.push_back({"HF config: wrong type", [] { return message_of([] { (void)io::parse_hf_model(nlohmann::json{{"model_type", "llama"}, {"num_hidden_layers", "32"}}, "config.json"); return std::string("loaded"); }); },
               {"config.json", "num_hidden_layers"}});
  v.push_back({"HF config: heads not divisible", [] { return message_of([] { (void)io::load_hf_model(fs::path(EDGEPERF_SOURCE_DIR) / "tests/data/hf/bad/heads-not-divisible.json"); return std::string("loaded"); }); },
               {"heads-not-divisible.json", "num_key_value_heads"}});
  v.push_back({"profile: negative number", [] { return message_of([] { (void)io::runtime_from_json(nlohmann::json{{"base", "vllm"}, {"sync_s", -1e-6}}, "r.json"); return std::string("loaded"); }); },
               {"r.json", "'sync_s'", "expected a value >= 0"}});
  v.push_back({"measurements: bad median", [] { return message_of([] { (void)io::load_measurements(fs::path(EDGEPERF_SOURCE_DIR) / "tests/data/measurements/bad_median.json"); return std::string("loaded"); }); },
               {"bad_median.json", "time_s.median"}});
  // ---- CSV cells ------------------------------------------------------------------------------------
  v.push_back({"CSV number: inf", [] { return message_of([] { const auto t = io::parse_csv("metric,value\nttft_s,inf\n", "runs.csv"); return std::to_string(t.number(t.rows[0], "value")); }); },
               {"runs.csv:2", "'value'", "expected a finite number, got 'inf'"}});
  v.push_back({"CSV number: nan", [] { return message_of([] { const auto t = io::parse_csv("value\nnan\n", "runs.csv"); return std::to_string(t.number(t.rows[0], "value")); }); },
               {"expected a finite number, got 'nan'"}});
  v.push_back({"CSV integer beyond int", [] { return message_of([] { const auto t = io::parse_csv("batch\n4294967297\n", "cases.csv"); return std::to_string(t.int_cell(t.rows[0], "batch", 1)); }); },
               {"cases.csv:2", "'batch'", "expected an integer in 1..2147483647, got '4294967297'"}});
  v.push_back({"CSV integer below its minimum", [] { return message_of([] { const auto t = io::parse_csv("input_tokens\n0\n", "cases.csv"); return std::to_string(t.int_cell(t.rows[0], "input_tokens", 1)); }); },
               {"expected an integer in 1..2147483647, got '0'"}});
  v.push_back({"CSV integer 2^31", [] { return message_of([] { const auto t = io::parse_csv("input_tokens\n2147483648\n", "cases.csv"); return std::to_string(t.int_cell(t.rows[0], "input_tokens", 1)); }); },
               {"cases.csv:2", "'input_tokens'", "expected an integer in 1..2147483647, got '2147483648'"}});
  v.push_back({"CSV integer in hex", [] { return message_of([] { const auto t = io::parse_csv("batch\n0x10\n", "cases.csv"); return std::to_string(t.int_cell(t.rows[0], "batch", 1)); }); },
               {"'batch'", "expected a decimal integer, got '0x10'"}});
  v.push_back({"CSV integer with a leading zero (decimal, not octal)", [] { return message_of([] { const auto t = io::parse_csv("batch\n010\n", "cases.csv"); return "read as " + std::to_string(t.int_cell(t.rows[0], "batch", 1)); }); },
               {"read as 10"}});
  v.push_back({"HF config: unknown model_type", [] { return message_of([] { (void)io::parse_hf_model(nlohmann::json{{"model_type", "my_llm"}, {"num_hidden_layers", 2}}, "config.json"); return std::string("loaded"); }); },
               {"config.json", "'model_type'", "unsupported architecture: model_type 'my_llm'"}});
  v.push_back({"HF config: hybrid state-space model (Jamba)", [] { return message_of([] { (void)io::load_hf_model(fs::path(EDGEPERF_SOURCE_DIR) / "data/hf-configs/beyond-dense/jamba-1.5-mini.json"); return std::string("loaded"); }); },
               {"jamba-1.5-mini.json", "unsupported architecture: model_type 'jamba'", "state-space"}});
  v.push_back({"HF config: architecture field on a known type", [] { return message_of([] { (void)io::parse_hf_model(nlohmann::json{{"model_type", "llama"}, {"ssm_state_size", 16}}, "config.json"); return std::string("loaded"); }); },
               {"'ssm_state_size'", "unsupported architecture"}});
  v.push_back({"non-UTF-8 id in text output", [] { return "written as " + detail::valid_utf8("caf\xe9-\xff"); },
               {"written as caf\xEF\xBF\xBD-\xEF\xBF\xBD"}});
  v.push_back({"CSV unterminated quote", [] { return message_of([] { (void)io::parse_csv("a,b\n\"x,1\n", "q.csv"); return std::string("loaded"); }); },
               {"q.csv", "unterminated quoted field"}});
  v.push_back({"runs CSV: tokens beyond int", [] { return message_of([] {
                 (void)io::parse_runs(io::parse_csv("model,device,mode,runtime,quant,batch,samples,input_tokens,output_tokens,metric,value,unit\n"
                                                    "m,d,MAXN,vllm,bf16,1,1,99999999999,1,ttft_s,1,s\n", "runs.csv"));
                 return std::string("loaded"); }); },
               {"runs.csv:2", "input_tokens", "..2147483647, got '99999999999'"}});
  v.push_back({"accuracy CSV: fraction above 1", [] { return message_of([] { (void)io::read_accuracy_csv(fs::path(EDGEPERF_SOURCE_DIR) / "tests/data/accuracy/bad_fraction.csv"); return std::string("loaded"); }); },
               {"bad_fraction.csv", "accuracy"}});
  return v;
}

}  // namespace

TEST_CASE("Every class of bad input gets a clear error naming the value and the constraint",
          "[property][validation]") {
  const bool print = std::getenv("EDGEPERF_PRINT_MESSAGES") != nullptr;
  for (const bad_case& c : cases()) {
    const std::string msg = c.run();
    if (print) std::printf("| %s | `%s` |\n", c.cls, msg.c_str());
    CAPTURE(c.cls, msg);
    for (const std::string& s : c.expect) CHECK_THAT(msg, Contains(s));
  }
  std::error_code ec;
  fs::remove_all(scratch_dir(), ec);
}

TEST_CASE("Every catalog combination is valid or an unsupported value, never invalid",
          "[property][validation]") {
  int valid = 0, unsupported = 0;
  for (const auto& d : device_catalog_entries)
    for (int mode = 0; mode < std::max(1, d.mode_count); ++mode)
      for (const auto& r : runtime_catalog_entries)
        for (const auto& q : quant_catalog_entries)
          for (const auto& m : model_catalog_entries) {
            const auto v = validate_case(m, q, d, mode, r, wl(1, 1, 128, 64));
            if (v) {
              ++valid;
              continue;
            }
            CAPTURE(m.id.view(), q.id.view(), d.id.view(), mode, r.id.view(), v.error_value().message);
            CHECK(v.error_value().code == errc::unsupported);
            ++unsupported;
          }
  CHECK(valid > 1000);
  CHECK(unsupported > 0);
}
