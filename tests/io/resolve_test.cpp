// Tests of io/resolve.hpp: a description given as catalog id, file path or
// JSON text resolves to the same spec the catalog or the loaders give; unknown
// ids, missing files and bad JSON come back as error values naming what was
// given and what is accepted; the resolver loads each text once; a case
// resolves in a fixed order and reports the first failure.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/io/hf_config.hpp"
#include "edgeperf/io/input_file.hpp"
#include "edgeperf/io/profile_json.hpp"
#include "edgeperf/io/resolve.hpp"

namespace ep = edgeperf;
namespace io = edgeperf::io;
// The loaders, wherever io/ keeps them (edgeperf or edgeperf::io).
using namespace edgeperf;
using namespace edgeperf::io;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

const fs::path kHf = fs::path(EDGEPERF_SOURCE_DIR) / "tests" / "data" / "hf";
const fs::path kCases = fs::path(EDGEPERF_SOURCE_DIR) / "tests" / "data" / "cases";

ep::model_spec with_id(ep::model_spec m, const ep::model_spec& ref) {
  m.id = ref.id;
  return m;
}

}  // namespace

TEST_CASE("classify_source tells ids, JSON text and paths apart") {
  CHECK(io::classify_source("dsr1-qwen-1.5b") == io::source_kind::catalog_id);
  CHECK(io::classify_source("  {\"hidden_size\": 1}") == io::source_kind::json_text);
  CHECK(io::classify_source("some/dir") == io::source_kind::file);
  CHECK(io::classify_source("profile.json") == io::source_kind::file);
  CHECK(io::classify_source("a\\b") == io::source_kind::file);
  CHECK(io::classify_source("") == io::source_kind::catalog_id);
}

TEST_CASE("catalog ids resolve to the catalog entries") {
  const auto m = io::resolve_model("dsr1-qwen-1.5b");
  REQUIRE(m);
  CHECK(m->spec == *ep::find_model_or_null("dsr1-qwen-1.5b"));
  CHECK_FALSE(m->config_quant);
  const auto d = io::resolve_device("agx-orin-64gb");
  REQUIRE(d);
  CHECK(d->id.view() == "agx-orin-64gb");
  CHECK(d->mode_count == ep::find_device_or_null("agx-orin-64gb")->mode_count);
  const auto r = io::resolve_runtime("vllm");
  REQUIRE(r);
  CHECK(r->id.view() == "vllm-0.8");
  const auto q = io::resolve_quant("w4a16");
  REQUIRE(q);
  CHECK(q->id.view() == "w4a16");
}

TEST_CASE("a config.json path, its folder and its text give the loader's model") {
  const fs::path file = kHf / "qwen2.5-0.5b" / "config.json";
  const hf_model hf = load_hf_model(file);
  for (const std::string& text : {file.string(), (kHf / "qwen2.5-0.5b").string()}) {
    const auto m = io::resolve_model(text);
    REQUIRE(m);
    CHECK(m->spec == hf.model);
    // The checkpoint's 16-bit dtype becomes the quant to use when none is given.
    REQUIRE(m->config_quant);
    CHECK(m->config_quant->id.view() == ep::to_string(*ep::parse_dtype(hf.dtype)));
  }
  const auto from_text = io::resolve_model(io::read_input_file(file));
  REQUIRE(from_text);
  CHECK(with_id(from_text->spec, hf.model) == hf.model);
  REQUIRE(from_text->config_quant);
  CHECK(from_text->config_quant->id == io::resolve_model(file.string())->config_quant->id);
}

TEST_CASE("a device profile path and its text give the same device") {
  const fs::path file = kCases / "orin-64gb-sd-card.json";
  const auto by_path = io::resolve_device(file.string());
  REQUIRE(by_path);
  const ep::device_spec loaded = load_device_profile(file);
  CHECK(by_path->id.view() == loaded.id.view());
  CHECK(by_path->storage_bytes_per_s.value == loaded.storage_bytes_per_s.value);
  const auto by_text = io::resolve_device(io::read_input_file(file));
  REQUIRE(by_text);
  CHECK(by_text->id.view() == loaded.id.view());
  CHECK(by_text->storage_bytes_per_s.value == loaded.storage_bytes_per_s.value);
  CHECK(by_text->mode_count == loaded.mode_count);
}

TEST_CASE("relative paths are tried under the base directory") {
  CHECK_FALSE(io::resolve_device("orin-64gb-sd-card.json"));
  const auto d = io::resolve_device("orin-64gb-sd-card.json", kCases);
  REQUIRE(d);
  CHECK(d->id.view() == load_device_profile(kCases / "orin-64gb-sd-card.json").id.view());
}

TEST_CASE("errors name what was given and what is accepted") {
  const auto m = io::resolve_model("dsr1-qwen-1.6b");
  REQUIRE_FALSE(m);
  CHECK(m.error_value().code == ep::errc::unknown_id);
  CHECK_THAT(m.error_value().message, Contains("'dsr1-qwen-1.6b'") && Contains("dsr1-qwen-1.5b") &&
                                          Contains("config.json") && Contains("JSON text"));
  const auto d = io::resolve_device("agx-orin-65gb");
  REQUIRE_FALSE(d);
  CHECK_THAT(d.error_value().message, Contains("'agx-orin-65gb'") && Contains("agx-orin-64gb") &&
                                          Contains("device profile JSON"));
  const auto r = io::resolve_runtime("vlm");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error_value().message, Contains("'vlm'") && Contains("vllm"));
  const auto q = io::resolve_quant("w4a17");
  REQUIRE_FALSE(q);
  CHECK_THAT(q.error_value().message, Contains("'w4a17'") && Contains("w4a16"));

  const auto missing = io::resolve_model("no/such/config.json");
  REQUIRE_FALSE(missing);
  CHECK(missing.error_value().code == ep::errc::parse_error);
  CHECK_THAT(missing.error_value().message, Contains("no/such/config.json"));

  const auto bad_json = io::resolve_device("{\"id\": ");
  REQUIRE_FALSE(bad_json);
  CHECK_THAT(bad_json.error_value().message, Contains("device JSON text") && Contains("invalid JSON"));

  const auto bad_field = io::resolve_model(io::read_input_file(kHf / "bad" / "negative-size.json"));
  REQUIRE_FALSE(bad_field);
  CHECK_THAT(bad_field.error_value().message, Contains("model JSON text") && Contains("field"));

  const auto kv = io::resolve_kv_dtype("fp7");
  REQUIRE_FALSE(kv);
  CHECK_THAT(kv.error_value().message, Contains("'fp7'") && Contains("fp16"));
  REQUIRE(io::resolve_kv_dtype(""));
  CHECK_FALSE(*io::resolve_kv_dtype(""));
  CHECK(**io::resolve_kv_dtype("fp8") == ep::dtype::fp8);
}

TEST_CASE("the resolver loads each text once and keeps failures") {
  io::resolver res;
  const auto& a = res.model("dsr1-qwen-1.5b");
  const auto& b = res.model("dsr1-qwen-1.5b");
  CHECK(&a == &b);
  const auto& bad1 = res.device("nope");
  const auto& bad2 = res.device("nope");
  CHECK(&bad1 == &bad2);
  CHECK_FALSE(bad1);
  io::resolver in_dir(kCases);
  CHECK(in_dir.base_dir() == kCases);
  CHECK(in_dir.device("orin-64gb-sd-card.json"));
}

TEST_CASE("resolve_case resolves in order and stops at the first failure") {
  io::resolver res;
  io::case_input in{"c1", "dsr1-qwen-1.5b", "agx-orin-64gb", "30w", "vllm", "bf16", "", 2, 3, 100, 50};
  const io::resolved_case ok = io::resolve_case(res, in);
  REQUIRE(ok.ok());
  CHECK(ok.model->id.view() == "dsr1-qwen-1.5b");
  CHECK(ok.device->id.view() == "agx-orin-64gb");
  CHECK(ok.mode_name == "30W");  // the device's spelling
  CHECK(ok.device->modes[static_cast<std::size_t>(ok.mode)].name.view() == "30W");
  CHECK(ok.runtime->id.view() == "vllm-0.8");
  CHECK(ok.quant_name == "bf16");
  CHECK(ok.load.batch == 2);
  CHECK(ok.load.samples == 3);
  CHECK(ok.load.input_tokens == 100);
  CHECK(ok.load.output_tokens == 50);
  CHECK_FALSE(ok.load.kv_dtype);

  // kv_dtype is checked before the model.
  io::case_input bad = in;
  bad.kv_dtype = "fp7";
  bad.model = "nope";
  CHECK_THAT(io::resolve_case(res, bad).error, Contains("kv_dtype"));
  // A runtime failure after the mode resolved keeps the resolved mode name.
  bad = in;
  bad.runtime = "nope";
  const io::resolved_case rt = io::resolve_case(res, bad);
  CHECK_THAT(rt.error, Contains("'nope'"));
  CHECK(rt.mode_name == "30W");
  // A bad mode leaves the name as given.
  bad = in;
  bad.mode = "99W";
  const io::resolved_case md = io::resolve_case(res, bad);
  CHECK_THAT(md.error, Contains("99W"));
  CHECK(md.mode_name == "99W");
  // No quant: a catalog model has no dtype to fall back on; a config.json has.
  bad = in;
  bad.quant = "";
  CHECK_THAT(io::resolve_case(res, bad).error, Contains("no quant given"));
  bad.model = (kHf / "qwen2.5-0.5b").string();
  const io::resolved_case hf = io::resolve_case(res, bad);
  REQUIRE(hf.ok());
  CHECK(hf.quant_name == std::string(hf.quant.id.view()));
  CHECK_FALSE(hf.quant_name.empty());
}

TEST_CASE("estimate_case is estimate_request of the resolved case, or the first error") {
  io::resolver res;
  const io::case_input in{"", "dsr1-qwen-1.5b", "agx-orin-64gb", "", "vllm", "w4a16", "", 1, 2, 256, 32};
  const io::case_estimate ce = io::estimate_case(res, in);
  REQUIRE(ce.ok());
  CHECK(ce.error.empty());
  const auto& rc = ce.resolved;
  const auto direct = ep::estimate_request<double>(*rc.model, rc.quant, *rc.device, rc.mode, *rc.runtime, rc.load);
  REQUIRE(direct);
  CHECK(ce.estimate->total_s == direct->total_s);
  CHECK(ce.estimate->energy_j == direct->energy_j);
  CHECK(ce.resolved.mode_name == std::string(rc.device->modes[0].name.view()));

  io::case_input bad = in;
  bad.quant = "w4a17";
  const io::case_estimate failed = io::estimate_case(res, bad);
  CHECK_FALSE(failed.ok());
  CHECK_THAT(failed.error, Contains("'w4a17'"));
  // An estimate the model refuses (a zero batch) is an error too, not an exception.
  bad = in;
  bad.batch = 0;
  const io::case_estimate refused = io::estimate_case(res, bad);
  CHECK_FALSE(refused.ok());
  CHECK_FALSE(refused.error.empty());
}
