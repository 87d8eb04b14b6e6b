// libFuzzer harness: accuracy CSV (io/accuracy_csv.hpp, io::parse_accuracy_csv over io::parse_csv).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeperf/io/accuracy_csv.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeperf;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const io::csv_table t = io::parse_csv(text, "fuzz/accuracy.csv");
    const accuracy_table a = io::parse_accuracy_csv(t);
    for (const accuracy_row& r : a.rows) {
      if (!(r.accuracy >= 0 && r.accuracy <= 1)) fuzz::finding("accuracy outside [0, 1] accepted");
      if (r.key.samples < 1) fuzz::finding("samples < 1 accepted");
    }
  } catch (const io::io_error& e) {
    if (std::string_view(e.what()).find("fuzz/accuracy.csv") == std::string_view::npos)
      fuzz::finding(std::string("io_error without the file name: ") + e.what());
  }
  return 0;
}
