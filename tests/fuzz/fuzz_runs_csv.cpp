// libFuzzer harness: measured runs CSV (io/runs_csv.hpp, io::parse_runs over io::parse_csv).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeperf/io/runs_csv.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeperf;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const io::csv_table t = io::parse_csv(text, "fuzz/runs.csv");
    for (const fit::run_measurement& r : io::parse_runs(t)) {
      if (r.batch < 1 || r.samples < 1 || r.input_tokens < 1 || r.output_tokens < 1)
        fuzz::finding("a run with a size < 1 was accepted at " + r.where);
      if (!std::isfinite(r.value)) fuzz::finding("a non-finite value was accepted at " + r.where);
    }
  } catch (const io::io_error& e) {
    if (std::string_view(e.what()).find("fuzz/runs.csv") == std::string_view::npos)
      fuzz::finding(std::string("io_error without the file name: ") + e.what());
  }
  return 0;
}
