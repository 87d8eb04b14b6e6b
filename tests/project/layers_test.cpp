// The layer edges of docs/architecture.md, checked on the headers themselves:
// who may include whom (the core one-way, descriptions → accounting → cost →
// phases, standard library only; plan and fit never include io; each edge
// layer brings only its own dependency), and the one namespace rule for io.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <utility>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path include_root = fs::path(EDGEPERF_SOURCE_DIR) / "include";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// The layer of a header: its folder under edgeperf/, or "top" for the
/// headers directly in edgeperf/ (result, version, fwd, the umbrella).
std::string layer_of(const std::string& rel) {  // rel: "edgeperf/plan/cost.hpp"
  const auto first = rel.find('/');
  const auto second = rel.find('/', first + 1);
  return second == std::string::npos ? "top" : rel.substr(first + 1, second - first - 1);
}

struct include_line {
  bool quoted;
  std::string path;
};

std::vector<include_line> includes_of(const std::string& text) {
  static const std::regex re(R"(^\s*#\s*include\s*([<"])([^">]+)[">])");
  std::vector<include_line> out;
  std::istringstream in(text);
  std::string line;
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_search(line, m, re)) out.push_back({m[1] == "\"", m[2]});
  return out;
}

/// The namespaces opened at the start of a line (`namespace x::y {`).
std::vector<std::pair<std::size_t, std::string>> namespaces_of(const std::string& text) {
  static const std::regex re(R"(^namespace\s+([A-Za-z_:]+)\s*\{)");
  std::vector<std::pair<std::size_t, std::string>> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string line = text.substr(pos, end - pos);
    std::smatch m;
    if (std::regex_search(line, m, re)) out.emplace_back(pos, m[1]);
    pos = end + 1;
  }
  return out;
}

/// Every public header, as "edgeperf/<layer>/<name>.hpp" → its text.
std::map<std::string, std::string> headers() {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(include_root / "edgeperf"))
    if (e.is_regular_file() && e.path().extension() == ".hpp")
      out[fs::relative(e.path(), include_root).generic_string()] = slurp(e.path());
  return out;
}

// Layers each layer may include (itself always allowed), and the third-party
// include prefix each may use (none for the core: standard library only).
const std::set<std::string> core{"top", "detail", "descriptions", "accounting", "cost", "phases"};
const std::map<std::string, std::set<std::string>> may_include{
    {"top", {"detail", "descriptions", "accounting", "cost", "phases"}},
    {"detail", {"top"}},
    {"descriptions", {"top", "detail"}},
    {"accounting", {"top", "detail", "descriptions"}},
    {"cost", {"top", "detail", "descriptions", "accounting"}},
    {"phases", {"top", "detail", "descriptions", "accounting", "cost"}},
    {"plan", {"top", "detail", "descriptions", "accounting", "cost", "phases"}},
    {"fit", {"top", "detail", "descriptions", "accounting", "cost", "phases"}},
    // io parses into the plain data of fit/ and plan/ (runs, measurements, accuracy rows)
    {"io", {"top", "detail", "descriptions", "accounting", "cost", "phases", "fit", "plan"}},
    {"report", {"top", "detail", "descriptions", "accounting", "cost", "phases", "plan"}},
};
const std::map<std::string, std::string> third_party{
    {"plan", "boost/"}, {"fit", "Eigen/"}, {"io", "nlohmann/"}, {"report", "fmt/"}};

bool is_std_header(const std::string& h) { return std::regex_match(h, std::regex("[a-z_]+")); }

}  // namespace

TEST_CASE("No header under plan/ or fit/ includes io/", "[project][layers]") {
  int checked = 0;
  for (const auto& [rel, text] : headers()) {
    const std::string layer = layer_of(rel);
    if (layer != "plan" && layer != "fit") continue;
    ++checked;
    for (const auto& inc : includes_of(text)) {
      CAPTURE(rel, inc.path);
      CHECK(inc.path.rfind("edgeperf/io/", 0) == std::string::npos);
    }
  }
  CHECK(checked >= 10);
}

TEST_CASE("Every header includes only the layers below it", "[project][layers]") {
  int checked = 0;
  for (const auto& [rel, text] : headers()) {
    const std::string layer = layer_of(rel);
    CAPTURE(rel);
    REQUIRE(may_include.count(layer) == 1);  // a new folder needs a rule here and in docs/architecture.md
    ++checked;
    const auto& allowed = may_include.at(layer);
    for (const auto& inc : includes_of(text)) {
      CAPTURE(inc.path);
      if (inc.quoted) {
        REQUIRE(inc.path.rfind("edgeperf/", 0) == 0);
        const std::string target = layer_of(inc.path);
        CHECK((target == layer || allowed.count(target) == 1));
      } else if (!is_std_header(inc.path)) {
        const auto tp = third_party.find(layer);
        CHECK(tp != third_party.end());
        if (tp != third_party.end()) CHECK(inc.path.rfind(tp->second, 0) == 0);
      }
    }
  }
  CHECK(checked >= 46);
}

TEST_CASE("The core uses only the standard library", "[project][layers]") {
  for (const auto& [rel, text] : headers()) {
    if (core.count(layer_of(rel)) == 0) continue;
    for (const auto& inc : includes_of(text)) {
      if (inc.quoted) continue;
      CAPTURE(rel, inc.path);
      CHECK(is_std_header(inc.path));
    }
  }
}

TEST_CASE("Everything under io/ is in namespace edgeperf::io", "[project][layers][io]") {
  for (const auto& [rel, text] : headers()) {
    if (layer_of(rel) != "io") continue;
    CAPTURE(rel);
    bool has_io = false;
    for (const auto& [start, ns] : namespaces_of(text)) {
      if (ns.rfind("edgeperf", 0) != 0) continue;  // nested (detail, ...), inside one below
      if (ns.rfind("edgeperf::io", 0) == 0) {
        has_io = true;
        continue;
      }
      CAPTURE(ns);
      // The one exception: nlohmann's ADL hooks (to_json/from_json) sit in the
      // namespace of the types they convert.
      CHECK(ns == "edgeperf");
      if (ns != "edgeperf") continue;
      const auto end = text.find("}  // namespace edgeperf\n", start);
      REQUIRE(end != std::string::npos);
      const std::string body = text.substr(start, end - start);
      // Function names declared at the start of a line: `[[nodiscard]] inline T name(`.
      static const std::regex decl(R"(^(?:\[\[nodiscard\]\] )?(?:inline |constexpr )*[\w:<>]+[&*]? (\w+)\()");
      std::istringstream in(body);
      std::string line;
      std::smatch m;
      int functions = 0;
      while (std::getline(in, line))
        if (std::regex_search(line, m, decl)) {
          ++functions;
          CAPTURE(line);
          CHECK((m[1] == "to_json" || m[1] == "from_json"));
        }
      CHECK(functions > 0);
    }
    CHECK(has_io);
  }
}
