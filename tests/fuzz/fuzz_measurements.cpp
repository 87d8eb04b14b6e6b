// libFuzzer harness: calibration measurements JSON (io/measurements_json.hpp).
// Anything that loads must survive a write-then-read round trip.
#include <cstddef>
#include <cstdint>

#include "edgeperf/io/measurements_json.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeperf;
  nlohmann::json j;
  if (!fuzz::parse_json(data, size, j)) return 0;
  fit::measurements m;
  try {
    m = io::measurements_from_json(j, "fuzz/measurements.json");
  } catch (const io::io_error& e) {
    if (std::string_view(e.what()).find("fuzz/measurements.json") == std::string_view::npos)
      fuzz::finding(std::string("io_error without the file name: ") + e.what());
    return 0;
  }
  // What loaded must write and read back without an error.
  const nlohmann::json again = nlohmann::json::parse(io::measurements_to_json(m).dump());
  try {
    (void)io::measurements_from_json(again, "fuzz/round-trip.json");
  } catch (const io::io_error& e) {
    fuzz::finding(std::string("round trip of a loaded document failed: ") + e.what());
  }
  return 0;
}
