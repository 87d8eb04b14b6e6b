// The repository stands alone: every file under data/ is listed, with its
// sources, in data/README.md, and nothing the build, the tests or the docs
// read points outside the clone (no path to the team's shared folder anywhere but the data
// README's list of sources).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
const fs::path root{EDGEPERF_SOURCE_DIR};
// The two spellings of a path outside the clone, assembled so that this file
// does not itself contain them.
const std::string parent_shared = std::string("..") + "/" + "shared";
const std::string shared_data = std::string("shared") + "/" + "data";
}  // namespace

TEST_CASE("Every data file is listed in data/README.md", "[project][data]") {
  const std::string readme = slurp(root / "data" / "README.md");
  REQUIRE_FALSE(readme.empty());
  for (const auto& e : fs::directory_iterator(root / "data")) {
    const std::string name = e.path().filename().string();
    if (name == "README.md") continue;
    const std::string listed = e.is_directory() ? "`" + name + "/`" : "`" + name + "`";
    CAPTURE(name);
    CHECK(readme.find(listed) != std::string::npos);
  }
}

TEST_CASE("No source, test, doc or build file reads a path outside the clone", "[project][data]") {
  const char* dirs[] = {"include", "apps", "tests", "docs", "cmake", "examples", "python", "web", ".ci"};
  int scanned = 0;
  for (const char* d : dirs) {
    if (!fs::exists(root / d)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / d)) {
      if (!e.is_regular_file()) continue;
      const auto ext = e.path().extension().string();
      if (ext == ".png" || ext == ".wasm") continue;
      ++scanned;
      const std::string text = slurp(e.path());
      CAPTURE(e.path().string());
      CHECK(text.find(parent_shared) == std::string::npos);
      CHECK(text.find(shared_data) == std::string::npos);
    }
  }
  for (const char* f : {"CMakeLists.txt", "CMakePresets.json", "README.md"}) {
    CAPTURE(f);
    CHECK(slurp(root / f).find(shared_data) == std::string::npos);
  }
  CHECK(scanned > 100);
}
