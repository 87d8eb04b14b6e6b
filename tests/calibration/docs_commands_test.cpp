// The commands docs/calibration.md tells a user to copy and paste: every flag
// exists in the program it is given to, every `--only` name is a benchmark of
// the suite, every run_all.sh step exists, and the fit-then-validate commands
// agree on ids (the profile `edgeperf validate --device` reads was written by
// an `edgeperf fit --base <catalog id>` whose id is one run_hf.py writes into
// the runs' device column). Reads the sources as text: no CUDA, no GPU.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path root = EDGEPERF_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  INFO("reading " << p.string());
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The C++ sources of the `edgeperf` CLI (examples/ today, apps/ after the move).
std::string cli_sources() {
  std::string all;
  for (const char* dir : {"examples", "apps"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      const auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".cpp" || ext == ".hpp")) all += slurp(e.path());
    }
  }
  return all;
}

/// Commands in the ```sh blocks: continuation lines joined, comments dropped, split into words.
std::vector<std::vector<std::string>> doc_commands(const std::string& md) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(md);
  bool in_sh = false;
  std::string line, pending;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) {
      in_sh = !in_sh && line == "```sh";
      continue;
    }
    if (!in_sh) continue;
    const auto hash = line.find(" #");
    if (hash != std::string::npos) line = line.substr(0, hash);
    if (!line.empty() && line[0] == '#') continue;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty() && line.back() == '\\') {
      pending += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    line = pending + line;
    pending.clear();
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (!w.empty()) out.push_back(w);
  }
  return out;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// True when `cli` declares the subcommand `sub` (`add_subcommand(` then, after
/// any whitespace, the quoted name).
bool has_subcommand(const std::string& cli, const std::string& sub) {
  const std::string call = "add_subcommand(";
  for (auto p = cli.find(call); p != std::string::npos; p = cli.find(call, p + 1)) {
    auto q = p + call.size();
    while (q < cli.size() && (cli[q] == ' ' || cli[q] == '\n')) ++q;
    if (cli.compare(q, sub.size() + 2, "\"" + sub + "\"") == 0) return true;
  }
  return false;
}

/// The value after `flag` in `w`, or "".
std::string value_of(const std::vector<std::string>& w, const std::string& flag) {
  for (std::size_t i = 0; i + 1 < w.size(); ++i)
    if (w[i] == flag) return w[i + 1];
  return "";
}

}  // namespace

TEST_CASE("Every command in docs/calibration.md parses and the fit/validate ids agree", "[calibration][docs]") {
  const auto commands = doc_commands(slurp(root / "docs/calibration.md"));
  const std::string suite_main = slurp(root / "calibration/src/main.cpp");
  const std::string run_all = slurp(root / "calibration/validate/run_all.sh");
  const std::string jetson = slurp(root / "calibration/jetson_quick.sh");
  const std::string run_hf = slurp(root / "calibration/validate/run_hf.py");
  const std::string cli = cli_sources();
  REQUIRE_FALSE(cli.empty());

  std::map<std::string, std::string> fitted;  // profile path -> the catalog id it was fitted from
  int checked = 0, validates = 0;
  for (const auto& w : commands) {
    std::string all;
    for (const auto& x : w) all += x + " ";
    CAPTURE(all);
    const std::string& prog = w[0];
    if (ends_with(prog, "edgeperf_calibrate")) {
      for (std::size_t i = 1; i < w.size(); ++i) {
        if (w[i].rfind("-", 0) != 0) continue;
        CHECK(suite_main.find("a == \"" + w[i] + "\"") != std::string::npos);
      }
      std::istringstream only(value_of(w, "--only"));
      for (std::string b; std::getline(only, b, ',');) {
        CAPTURE(b);
        CHECK((b == "power" || suite_main.find("{\"" + b + "\", ") != std::string::npos));
      }
      ++checked;
    } else if (ends_with(prog, "run_all.sh")) {
      if (w.size() > 1 && w[1].rfind("-", 0) != 0) {
        CAPTURE(w[1]);
        CHECK(run_all.find("calib|hf|all|deps) ;;") != std::string::npos);
        CHECK((w[1] == "calib" || w[1] == "hf" || w[1] == "all" || w[1] == "deps"));
      }
      for (std::size_t i = 1; i < w.size(); ++i)
        if (w[i] == "--quick") CHECK(run_all.find("--quick") != std::string::npos);
      ++checked;
    } else if (ends_with(prog, "jetson_quick.sh")) {
      for (std::size_t i = 1; i < w.size(); ++i)
        if (w[i].rfind("--", 0) == 0) CHECK(jetson.find("    " + w[i] + ")") != std::string::npos);
      ++checked;
    } else if (prog == "edgeperf" && w.size() > 1) {
      const std::string& sub = w[1];
      CHECK(has_subcommand(cli, sub));
      for (std::size_t i = 2; i < w.size(); ++i) {
        if (w[i].rfind("-", 0) != 0) continue;
        CAPTURE(w[i]);
        // CLI11 option names: "--flag" alone or "-o,--device-out".
        CHECK((cli.find("\"" + w[i] + "\"") != std::string::npos || cli.find("\"" + w[i] + ",") != std::string::npos ||
               cli.find("," + w[i] + "\"") != std::string::npos));
      }
      if (sub == "fit" && !value_of(w, "--measurements").empty()) {
        const std::string base = value_of(w, "--base");
        const std::string out = value_of(w, "-o");
        REQUIRE_FALSE(base.empty());  // without --base the profile is named after the GPU: no runs row matches
        REQUIRE_FALSE(out.empty());
        CHECK(edgeperf::find_device_or_null(base) != nullptr);
        fitted[out] = base;
      }
      if (sub == "validate") {
        const std::string device = value_of(w, "--device");
        const auto it = fitted.find(device);
        INFO("the validated profile must come from a fit above in the file");
        REQUIRE(it != fitted.end());
        // The id run_hf.py writes into the runs' device column for this GPU.
        CHECK(run_hf.find("return \"" + it->second + "\"") != std::string::npos);
        const std::string runtime = value_of(w, "--runtime");
        CHECK((edgeperf::find_runtime_or_null(runtime) != nullptr || fs::exists(root / runtime)));
        ++validates;
      }
      ++checked;
    }
  }
  CHECK(checked >= 15);
  CHECK(validates >= 4);
}

TEST_CASE("run_all.sh prints fit and validate commands whose ids agree", "[calibration][docs]") {
  const std::string run_all = slurp(root / "calibration/validate/run_all.sh");
  // The device id goes to run_hf.py as the runs' device column and to the fit as --base.
  CHECK(run_all.find("--device-id \"$id\"") != std::string::npos);
  CHECK(run_all.find("edgeperf fit --measurements measurements.json --base $id -o $id-profile.json") != std::string::npos);
  CHECK(run_all.find("--device $id-profile.json") != std::string::npos);
  // Default budget of the one call: 9 minutes.
  CHECK(run_all.find("budget=${CALL_BUDGET_S:-540}") != std::string::npos);
}
