// The umbrella header (edgeperf/edgeperf.hpp): one include gives the whole
// core, and it lists every header of the core's layers, so a new core header
// cannot be forgotten in it.
#include "edgeperf/edgeperf.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace fs = std::filesystem;

TEST_CASE("one include estimates a catalog case", "[edgeperf][umbrella]") {
  using namespace edgeperf;
  const auto m = find_model("llama-3.2-1b").value();
  const auto q = find_quant("bf16").value();
  const auto d = find_device("orin-nano-8gb").value();
  const auto r = find_runtime("vllm").value();
  const workload w{1, 1, 256, 64, {}};
  REQUIRE(validate_case(m, q, d, 0, r, w));
  const auto e = estimate_request(m, q, d, 0, r, w).value();
  CHECK(e.total_s > 0);
  CHECK(e.energy_j > 0);
  CHECK(count_params(m).total > 1'000'000'000);
  CHECK(std::string(EDGEPERF_VERSION_STRING).size() >= 5);
}

TEST_CASE("the umbrella includes every core header", "[edgeperf][umbrella]") {
  const fs::path inc = fs::path(EDGEPERF_SOURCE_DIR) / "include";
  std::ifstream in(inc / "edgeperf" / "edgeperf.hpp");
  const std::string umbrella{std::istreambuf_iterator<char>(in), {}};
  int listed = 0;
  for (const char* layer : {"descriptions", "accounting", "cost", "phases"})
    for (const auto& e : fs::directory_iterator(inc / "edgeperf" / layer)) {
      if (e.path().extension() != ".hpp") continue;
      const std::string line =
          "#include \"edgeperf/" + std::string(layer) + "/" + e.path().filename().string() + "\"";
      CAPTURE(line);
      CHECK(umbrella.find(line) != std::string::npos);
      ++listed;
    }
  CHECK(listed >= 20);
  for (const char* top : {"result.hpp", "version.hpp", "fwd.hpp"})
    CHECK(umbrella.find(std::string("#include \"edgeperf/") + top + "\"") != std::string::npos);
  // Nothing from the edge layers (each needs its own dependency).
  for (const char* edge : {"edgeperf/io/", "edgeperf/plan/", "edgeperf/fit/", "edgeperf/report/"})
    CHECK(umbrella.find(edge) == std::string::npos);
}
