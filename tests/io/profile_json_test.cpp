// Tests for device and runtime profile JSON: exact round trips of every
// catalog entry through files, "base" + partial overrides (modes by name,
// appended modes), bare numbers, warnings for unknown fields, and io_error
// messages for malformed profiles (wrong type, negative value, unknown source,
// unknown base, bad enums, unreadable files).

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "edgeperf/io/profile_json.hpp"

namespace ep = edgeperf;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;
using nlohmann::json;

namespace {

/// Field-by-field equality of two device specs (device_spec has no operator==).
bool same(const ep::device_spec& a, const ep::device_spec& b) {
  bool eq = a.id == b.id && a.kind == b.kind && a.mode_count == b.mode_count &&
            a.accel_rail == b.accel_rail && a.module_rail == b.module_rail;
  std::vector<const ep::sourced*> fa, fb;
  ep::for_each_sourced(a, [&](const char*, const ep::sourced& s) { fa.push_back(&s); });
  ep::for_each_sourced(b, [&](const char*, const ep::sourced& s) { fb.push_back(&s); });
  for (int i = 0; eq && i < a.mode_count; ++i) {
    const auto& ma = a.modes[static_cast<std::size_t>(i)];
    const auto& mb = b.modes[static_cast<std::size_t>(i)];
    eq = eq && ma.name == mb.name;
    ep::for_each_sourced(ma, [&](const char*, const ep::sourced& s) { fa.push_back(&s); });
    ep::for_each_sourced(mb, [&](const char*, const ep::sourced& s) { fb.push_back(&s); });
  }
  if (!eq || fa.size() != fb.size()) return false;
  for (std::size_t i = 0; i < fa.size(); ++i)
    if (!(*fa[i] == *fb[i])) return false;
  return true;
}

bool same(const ep::runtime_spec& a, const ep::runtime_spec& b) {
  bool eq = a.id == b.id && a.launches_per_layer_prefill == b.launches_per_layer_prefill &&
            a.launches_per_layer_decode == b.launches_per_layer_decode && a.launches_head == b.launches_head &&
            a.graphs_decode == b.graphs_decode && a.graphs_prefill == b.graphs_prefill &&
            a.attention == b.attention && a.attn_q_block == b.attn_q_block &&
            a.attn_kv_block == b.attn_kv_block && a.tile_count == b.tile_count && a.tiles == b.tiles &&
            a.last_position_logits == b.last_position_logits && a.prefix_sharing == b.prefix_sharing &&
            a.default_kv == b.default_kv && a.supported_paths == b.supported_paths;
  std::vector<ep::sourced> fa, fb;
  ep::for_each_sourced(a, [&](const char*, const ep::sourced& s) { fa.push_back(s); });
  ep::for_each_sourced(b, [&](const char*, const ep::sourced& s) { fb.push_back(s); });
  return eq && fa == fb;
}

/// A scratch file unique to one test case (test cases may run in parallel).
fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / ("edgeperf_profile_json_test_" + name + ".json");
}

fs::path write(const std::string& name, const std::string& text) {
  const fs::path p = scratch(name);
  std::ofstream(p) << text;
  return p;
}

/// Loads `text` as a device profile and returns the io_error it throws.
ep::io::io_error device_error(const json& j) {
  try {
    (void)ep::io::device_from_json(j, "bad.json");
  } catch (const ep::io::io_error& e) {
    return e;
  }
  FAIL("expected an io_error for " << j.dump());
  return ep::io::io_error("", "", "");
}

ep::io::io_error runtime_error(const json& j) {
  try {
    (void)ep::io::runtime_from_json(j, "bad.json");
  } catch (const ep::io::io_error& e) {
    return e;
  }
  FAIL("expected an io_error for " << j.dump());
  return ep::io::io_error("", "", "");
}

}  // namespace

TEST_CASE("every catalog device round-trips through a file exactly", "[io][profile][device]") {
  for (const ep::device_spec& d : ep::device_catalog()) {
    CAPTURE(d.id.view());
    const fs::path p = scratch("device_" + std::string(d.id.view()));
    ep::io::save_device_profile(d, p);
    std::vector<std::string> warnings;
    const ep::device_spec back = ep::io::load_device_profile(p, &warnings);
    CHECK(same(d, back));
    CHECK(warnings.empty());
    // The saved form is a full profile: every sourced field is an object.
    std::ifstream in(p);
    const json j = json::parse(in);
    CHECK(j.at("sm_count").at("source") == ep::to_string(d.sm_count.src));
    CHECK(j.at("modes").size() == static_cast<std::size_t>(d.mode_count));
    fs::remove(p);
  }
}

TEST_CASE("every catalog runtime round-trips through a file exactly", "[io][profile][runtime]") {
  for (const ep::runtime_spec& r : ep::runtime_catalog()) {
    CAPTURE(r.id.view());
    const fs::path p = scratch("runtime_" + std::string(r.id.view()));
    ep::io::save_runtime_profile(r, p);
    std::vector<std::string> warnings;
    const ep::runtime_spec back = ep::io::load_runtime_profile(p, &warnings);
    CHECK(same(r, back));
    CHECK(warnings.empty());
    fs::remove(p);
  }
  // A changed field does not compare equal (the helper can fail).
  ep::runtime_spec r = ep::runtimes::vllm;
  r.tiles[0].ctas_per_sm = 3;
  CHECK_FALSE(same(r, ep::runtimes::vllm));
}

TEST_CASE("sourced: bare number or object; json value conversions", "[io][profile]") {
  ep::sourced s = json::parse(R"({"value": 1.5, "source": "calibrated", "note": "run 7"})").get<ep::sourced>();
  CHECK(s.value == 1.5);
  CHECK(s.src == ep::source::calibrated);
  CHECK(s.note.view() == "run 7");
  ep::sourced bare = json(2.5).get<ep::sourced>();
  CHECK(bare.value == 2.5);
  CHECK(bare.src == ep::source::assumed);
  CHECK_FALSE(bare.note.empty());

  json j = ep::runtimes::trtllm;  // to_json through nlohmann's machinery
  CHECK(j.at("attention") == "paged");
  CHECK(j.at("supported_paths") == json({"native", "dequant_in_kernel", "native_int8", "native_fp8"}));
  CHECK(same(j.get<ep::runtime_spec>(), ep::runtimes::trtllm));
  json t = ep::gemm_tile{64, 32, 2};
  CHECK(t.get<ep::gemm_tile>() == ep::gemm_tile{64, 32, 2});
}

TEST_CASE("base + partial overrides for a device profile", "[io][profile][device]") {
  const fs::path p = write("base_override", R"({
    "base": "agx-orin-64gb",
    "id": "my-agx",
    "mem_efficiency": {"value": 0.95, "source": "calibrated", "note": "calibration run 42"},
    "storage_bytes_per_s": 2e9,
    "tensor_efficiency": {"value": 0.72},
    "modes": [
      {"name": "MAXN", "gpu_clock_hz": {"value": 1.2e9, "source": "calibrated", "note": "run 42"}},
      {"name": "CUSTOM_LOWEMC", "gpu_clock_hz": 1.3e9, "emc_clock_hz": 665e6, "active_sms": 16,
       "cpu_cores": 12, "cpu_clock_hz": 2.2e9, "static_power_w": 3, "module_static_power_w": 5,
       "power_cap_w": 0}
    ],
    "colour": "green"
  })");
  std::vector<std::string> warnings;
  const ep::device_spec d = ep::io::load_device_profile(p, &warnings);
  const ep::device_spec& base = ep::devices::agx_orin_64gb;

  CHECK(d.id.view() == "my-agx");
  CHECK(d.mem_efficiency.value == 0.95);
  CHECK(d.mem_efficiency.src == ep::source::calibrated);
  CHECK(d.mem_efficiency.note.view() == "calibration run 42");
  // A bare number is an assumption noted with the file it came from.
  CHECK(d.storage_bytes_per_s.value == 2e9);
  CHECK(d.storage_bytes_per_s.src == ep::source::assumed);
  CHECK_THAT(std::string(d.storage_bytes_per_s.note.view()), Contains(p.filename().string()));
  // An object with a value but no source is an assumption too.
  CHECK(d.tensor_efficiency.value == 0.72);
  CHECK(d.tensor_efficiency.src == ep::source::assumed);
  // Untouched fields keep the catalog's values and provenance.
  CHECK(d.sm_count == base.sm_count);
  CHECK(d.l2_bytes == base.l2_bytes);
  // Modes: MAXN merged by name (EMC kept), a new mode appended.
  REQUIRE(d.mode_count == base.mode_count + 1);
  CHECK(d.modes[0].gpu_clock_hz.value == 1.2e9);
  CHECK(d.modes[0].gpu_clock_hz.src == ep::source::calibrated);
  CHECK(d.modes[0].emc_clock_hz == base.modes[0].emc_clock_hz);
  CHECK(d.modes[1].name == base.modes[1].name);
  const auto custom = ep::find_mode(d, "CUSTOM_LOWEMC");
  REQUIRE(custom.has_value());
  CHECK(*custom == 4);
  CHECK_THAT(ep::theoretical_bandwidth(d, d.modes[4].emc_clock_hz.value), WithinRel(42.56e9, 1e-9));
  // The unknown field is ignored with a warning naming it.
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Contains("colour") && Contains(p.string()));
  fs::remove(p);
}

TEST_CASE("base + partial overrides for a runtime profile", "[io][profile][runtime]") {
  const json j = json::parse(R"({
    "base": "vllm",
    "host_per_step_s": {"value": 0.004, "source": "fitted", "note": "EdgeReasoning DSR1-Llama-8B"},
    "tiles": [{"m": 64, "n": 64, "ctas_per_sm": 2}, {"m": 128, "n": 128}],
    "supported_paths": ["native", "dequant_in_kernel"],
    "default_kv": "fp16",
    "graphs_decode": false
  })");
  const ep::runtime_spec r = ep::io::runtime_from_json(j, "vllm-fit.json");
  CHECK(r.id.view() == "vllm-0.8");  // "vllm" is an alias of vllm-0.8 (runtime_catalog.hpp)
  CHECK(r.host_per_step_s.value == 0.004);
  CHECK(r.host_per_step_s.src == ep::source::fitted);
  REQUIRE(r.tile_count == 2);
  CHECK(r.tiles[0] == ep::gemm_tile{64, 64, 2});
  CHECK(r.tiles[1] == ep::gemm_tile{128, 128, 1});
  CHECK(ep::supports(r, ep::compute_path::dequant_in_kernel));
  CHECK_FALSE(ep::supports(r, ep::compute_path::native_fp8));
  CHECK(r.default_kv == ep::dtype::fp16);
  CHECK_FALSE(r.graphs_decode);
  CHECK(r.host_per_launch_s == ep::runtimes::vllm.host_per_launch_s);
  CHECK(r.attn_kv_block == 16);
}

TEST_CASE("a profile without a base must carry the essentials", "[io][profile][device]") {
  // Built from a full catalog entry minus one required field.
  json j = ep::devices::orin_nx_16gb;
  j.erase("sm_count");
  std::vector<std::string> warnings;
  const auto e = [&] {
    try {
      (void)ep::io::device_from_json(j, "nx.json", &warnings);
    } catch (const ep::io::io_error& err) {
      return std::string(err.what());
    }
    return std::string("no error");
  }();
  CHECK_THAT(e, Contains("nx.json") && Contains("sm_count") && Contains("> 0"));
  REQUIRE_FALSE(warnings.empty());
  CHECK_THAT(warnings[0], Contains("sm_count") && Contains("missing"));
}

TEST_CASE("malformed device profiles throw io_error naming file, field, value", "[io][profile][device]") {
  SECTION("wrong type") {
    const auto e = device_error({{"base", "orin-nx-16gb"}, {"sm_count", "sixteen"}});
    CHECK(e.file() == "bad.json");
    CHECK(e.field() == "sm_count");
    CHECK_THAT(std::string(e.what()), Contains("bad.json") && Contains("sixteen") && Contains("expected a number"));
  }
  SECTION("negative value") {
    const auto e = device_error({{"base", "orin-nx-16gb"}, {"memory_bytes", {{"value", -1}, {"source", "datasheet"}}}});
    CHECK(e.field() == "memory_bytes");
    CHECK_THAT(std::string(e.what()), Contains(">= 0") && Contains("-1"));
  }
  SECTION("unknown source name") {
    const auto e = device_error({{"base", "orin-nx-16gb"}, {"mem_efficiency", {{"value", 0.8}, {"source", "guess"}}}});
    CHECK(e.field() == "mem_efficiency.source");
    CHECK_THAT(std::string(e.what()), Contains("guess") && Contains("datasheet") && Contains("calibrated"));
  }
  SECTION("unknown base id names the nearest") {
    const auto e = device_error({{"base", "agx-orin-65gb"}});
    CHECK(e.field() == "base");
    CHECK_THAT(std::string(e.what()), Contains("agx-orin-65gb") && Contains("agx-orin-64gb"));
  }
  SECTION("efficiency above 1") {
    const auto e = device_error({{"base", "h100-sxm"}, {"tensor_efficiency", 1.5}});
    CHECK(e.field() == "tensor_efficiency");
  }
  SECTION("mode without a name, mode with a bad value") {
    CHECK(device_error({{"base", "h100-sxm"}, {"modes", json::array({{{"gpu_clock_hz", 1e9}}})}}).field() ==
          "modes[0]");
    const auto e = device_error(
        {{"base", "agx-orin-64gb"}, {"modes", json::array({{{"name", "30W"}, {"active_sms", true}}})}});
    CHECK(e.field() == "modes[0].active_sms");
  }
  SECTION("active SMs above the SM count") {
    const auto e = device_error(
        {{"base", "orin-nano-8gb"}, {"modes", json::array({{{"name", "25W"}, {"active_sms", 16}}})}});
    CHECK(e.field() == "modes[1].active_sms");
  }
  SECTION("bad kind, too many modes") {
    CHECK(device_error({{"base", "h200"}, {"kind", "fpga"}}).field() == "kind");
    json modes = json::array();
    for (int i = 0; i < 9; ++i) modes.push_back({{"name", "M" + std::to_string(i)}, {"gpu_clock_hz", 1e9}});
    CHECK(device_error({{"base", "h200"}, {"modes", modes}}).field() == "modes[7]");
  }
}

TEST_CASE("malformed runtime profiles throw io_error", "[io][profile][runtime]") {
  CHECK(runtime_error({{"base", "vllm"}, {"attention", "sparse"}}).field() == "attention");
  CHECK(runtime_error({{"base", "vllm"}, {"graphs_decode", 1}}).field() == "graphs_decode");
  CHECK(runtime_error({{"base", "vllm"}, {"launches_head", 2.5}}).field() == "launches_head");
  CHECK(runtime_error({{"base", "vllm"}, {"default_kv", "fp12"}}).field() == "default_kv");
  CHECK(runtime_error({{"base", "vllm"}, {"supported_paths", {"native", "magic"}}}).field() ==
        "supported_paths[1]");
  CHECK(runtime_error({{"base", "vllm"}, {"tiles", json::array({{{"m", 0}, {"n", 64}}})}}).field() ==
        "tiles[0].m");
  json tiles = json::array();
  for (std::size_t i = 0; i <= edgeperf::max_gemm_tiles; ++i) tiles.push_back({{"m", 64}, {"n", 64}});
  CHECK(runtime_error({{"base", "vllm"}, {"tiles", tiles}}).field() == "tiles");
  const auto e = runtime_error({{"base", "vlm"}});
  CHECK_THAT(std::string(e.what()), Contains("'vlm'") && Contains("vllm"));
  CHECK(runtime_error({{"base", "vllm"}, {"sync_s", -1e-6}}).field() == "sync_s");
}

TEST_CASE("unreadable files: missing, invalid JSON, not an object", "[io][profile]") {
  const fs::path missing = scratch("does_not_exist");
  fs::remove(missing);
  CHECK_THROWS_AS(ep::io::load_device_profile(missing), ep::io::io_error);
  const fs::path broken = write("broken", R"({"base": "vllm", )");
  try {
    (void)ep::io::load_runtime_profile(broken);
    FAIL("expected an io_error");
  } catch (const ep::io::io_error& e) {
    CHECK(e.file() == broken.string());
    CHECK_THAT(std::string(e.what()), Contains("invalid JSON"));
  }
  const fs::path arr = write("array", "[1, 2]");
  CHECK_THROWS_WITH(ep::io::load_device_profile(arr), Contains("expected a JSON object"));
  fs::remove(broken);
  fs::remove(arr);
}

TEST_CASE("a loaded profile passes the description checks every estimate applies",
          "[io][profile][validate]") {
  // Values the file format accepts (finite, >= 0) but descriptions/validate.hpp
  // refuses: the load fails with the same message an estimate would give.
  const auto d = device_error({{"base", "agx-orin-64gb"}, {"l2_bytes", 1e31}});
  CHECK(d.file() == "bad.json");
  const ep::device_spec over = [] {
    ep::device_spec x = *ep::find_device_or_null("agx-orin-64gb");
    x.l2_bytes.value = 1e31;
    return x;
  }();
  CHECK(d.message() == ep::check_device(over, 0));
  CHECK_THAT(d.message(), Contains("'l2_bytes'") && Contains("at most 1e30"));
  // A mode that is not the first one is checked too.
  const auto m = device_error(
      {{"base", "agx-orin-64gb"}, {"modes", json::array({{{"name", "30W"}, {"power_cap_w", 1e31}}})}});
  CHECK_THAT(m.message(), Contains("mode '30W'") && Contains("'power_cap_w'"));
  const auto r = runtime_error({{"base", "vllm"}, {"sync_s", 1e31}});
  CHECK_THAT(r.message(), Contains("runtime 'vllm-0.8'") && Contains("'sync_s'") && Contains("at most 1e30"));
}
