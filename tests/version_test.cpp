// The version macros (edgeperf/version.hpp) match the CMake package version
// (`project(edgeperf VERSION x.y.z)` in the top-level CMakeLists.txt).
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "edgeperf/version.hpp"

TEST_CASE("version.hpp matches the CMake project version", "[version]") {
  std::ifstream in(std::string(EDGEPERF_SOURCE_DIR) + "/CMakeLists.txt");
  const std::string cmake{std::istreambuf_iterator<char>(in), {}};
  std::smatch m;
  REQUIRE(std::regex_search(cmake, m, std::regex(R"(project\(\s*edgeperf\s+VERSION\s+(\d+)\.(\d+)\.(\d+))")));
  CHECK(std::stoi(m[1]) == EDGEPERF_VERSION_MAJOR);
  CHECK(std::stoi(m[2]) == EDGEPERF_VERSION_MINOR);
  CHECK(std::stoi(m[3]) == EDGEPERF_VERSION_PATCH);
  CHECK(std::string(EDGEPERF_VERSION_STRING) == m[1].str() + "." + m[2].str() + "." + m[3].str());
}

TEST_CASE("the version number orders versions", "[version]") {
  STATIC_REQUIRE(EDGEPERF_VERSION ==
                 EDGEPERF_VERSION_MAJOR * 10000 + EDGEPERF_VERSION_MINOR * 100 + EDGEPERF_VERSION_PATCH);
  STATIC_REQUIRE(EDGEPERF_VERSION_MINOR < 100);
  STATIC_REQUIRE(EDGEPERF_VERSION_PATCH < 100);
  STATIC_REQUIRE(edgeperf::version.major == EDGEPERF_VERSION_MAJOR);
  CHECK(std::string(edgeperf::version.string) == EDGEPERF_VERSION_STRING);
}
