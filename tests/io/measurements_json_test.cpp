// The calibration suite's measurements JSON (io/measurements_json.hpp): the
// tiny fixture's fields land in fit::measurements, nulls and unknown fields
// are tolerated, a write-then-read round trip is lossless, and bad files name
// the file and the field path.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "edgeperf/io/measurements_json.hpp"

namespace fs = std::filesystem;
using namespace edgeperf;
using Catch::Matchers::Contains;

namespace {
const std::string fixtures = std::string(EDGEPERF_SOURCE_DIR) + "/tests/data/measurements/";
}  // namespace

TEST_CASE("the tiny fixture's fields land where they belong", "[io][measurements_json]") {
  const fit::measurements m = io::load_measurements(fixtures + "tiny_valid.json");
  CHECK(m.schema == "edgeperf.measurements/1");
  CHECK(m.run.id == "20250101T000000Z-tiny");
  CHECK(m.run.finished_utc.empty());  // null: an interrupted run
  CHECK(m.run.wall_s == 0);           // null → 0
  CHECK(m.run.quick);
  CHECK(m.device.sm_count == 16);
  CHECK(m.device.integrated);
  CHECK(m.device.l2_bytes == 4194304);
  CHECK(m.device.cc_major == 8);
  CHECK(m.host.jetpack == "6.0");
  CHECK(m.nvpmodel_present);
  CHECK_THAT(m.nvpmodel_q, Contains("MAXN"));
  REQUIRE(m.benchmarks.size() == 6);
  const auto& b0 = m.benchmarks[0];
  CHECK(b0.bench == "memory");
  CHECK(b0.param("size_bytes") == 65536);
  CHECK(b0.tag("l2") == "flushed");
  CHECK(b0.time_s.median == 3.8e-6);
  CHECK(b0.time_s.count == 20);
  CHECK(b0.time_s.stable);
  CHECK(m.benchmarks[2].units_per_sample == 100);
  CHECK(m.benchmarks[2].extra.at("host_issue_s_per_launch_median") == 4e-6);
  REQUIRE(m.power_phases.size() == 1);
  REQUIRE(m.phase("idle") != nullptr);
  CHECK(m.phase("idle")->rail("VIN_SYS_5V0")->power_w.median == 7.0);
  CHECK(m.phase("idle")->rail("VDD_GPU_SOC")->energy_j == 6.0);
  REQUIRE(m.skipped.size() == 1);
  CHECK(m.skipped[0].reason == "needs cc >= 8.9");
  REQUIRE(m.checks.size() == 1);
  CHECK(m.checks[0].passed);
}

TEST_CASE("write then read gives back the same measurements", "[io][measurements_json]") {
  const fit::measurements m = io::load_measurements(fixtures + "tiny_valid.json");
  const fs::path p = fs::temp_directory_path() / "edgeperf_measurements_json_test.json";
  io::save_measurements(m, p);
  const fit::measurements back = io::load_measurements(p);
  CHECK(back.run.id == m.run.id);
  CHECK(back.device.memory_bus_bits == m.device.memory_bus_bits);
  REQUIRE(back.benchmarks.size() == m.benchmarks.size());
  for (std::size_t i = 0; i < m.benchmarks.size(); ++i) {
    CAPTURE(i);
    CHECK(back.benchmarks[i].name == m.benchmarks[i].name);
    CHECK(back.benchmarks[i].params == m.benchmarks[i].params);
    CHECK(back.benchmarks[i].tags == m.benchmarks[i].tags);
    CHECK(back.benchmarks[i].time_s.median == m.benchmarks[i].time_s.median);
  }
  REQUIRE(back.power_phases.size() == 1);
  CHECK(back.power_phases[0].rails.size() == m.power_phases[0].rails.size());
  CHECK(back.skipped.size() == 1);
  CHECK(back.checks.size() == 1);
}

TEST_CASE("bad measurement files name the file and the field path", "[io][measurements_json]") {
  struct bad {
    const char* file;
    const char* field;
  };
  for (const bad& c : {bad{"bad_schema.json", "schema"}, bad{"missing_run_id.json", "run.id"},
                       bad{"bad_median.json", "benchmarks[1].time_s.median"},
                       bad{"zero_median.json", "benchmarks[2].time_s.median"},
                       bad{"bad_sm_count.json", "device.sm_count"},
                       bad{"bad_tag.json", "benchmarks[0].tags.l2"},
                       bad{"bad_rail_power.json", "power.phases[0].rails[1].power_w"},
                       bad{"truncated.json", ""}}) {
    CAPTURE(c.file);
    try {
      (void)io::load_measurements(fixtures + c.file);
      FAIL("no error");
    } catch (const io::io_error& e) {
      CHECK_THAT(e.file(), Contains(c.file));
      CHECK(e.field() == c.field);
    }
  }
  // Parsed JSON that is not an object.
  CHECK_THROWS_WITH(io::measurements_from_json(nlohmann::json::array(), "arr.json"),
                    Contains("arr.json") && Contains("expected a JSON object"));
}
