// libFuzzer harness: runtime profile JSON (io/profile_json.hpp, runtime_from_json).
// A profile that loads is estimated with llama-3.2-1b on an AGX Orin 64GB
// (and on a Raspberry Pi 5 when it claims a CPU backend) in a few quant
// formats; each estimate must be finite or an error value (unsupported path).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "edgeperf/io/profile_json.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeperf;
  nlohmann::json j;
  if (!fuzz::parse_json(data, size, j)) return 0;
  runtime_spec r;
  std::vector<std::string> warnings;
  try {
    r = io::runtime_from_json(j, "fuzz/runtime.json", &warnings);
  } catch (const io::io_error& e) {
    if (std::string_view(e.what()).find("fuzz/runtime.json") == std::string_view::npos)
      fuzz::finding(std::string("io_error without the file name: ") + e.what());
    return 0;
  }
  // What loaded must save (valid UTF-8, finite numbers) and load back.
  try {
    nlohmann::ordered_json saved;
    to_json(saved, r);
    (void)io::runtime_from_json(nlohmann::json::parse(saved.dump()), "fuzz/round-trip.json");
  } catch (const std::exception& e) {
    fuzz::finding(std::string("save + load of a loaded profile failed: ") + e.what());
  }
  static const model_spec m = find_model("llama-3.2-1b").value();
  static const device_spec orin = find_device("agx-orin-64gb").value();
  static const device_spec pi = find_device("rpi5-8gb").value();
  const std::uint8_t a = size > 0 ? data[0] : 0, b = size > 1 ? data[size - 1] : 0;
  const workload w = fuzz::small_workload(a, b);
  for (const char* qid : {"bf16", "w4a16", "w8a8-int8", "q4_k_m"}) {
    const quant_spec q = find_quant(qid).value();
    fuzz::check_estimate(m, q, orin, 0, r, w);
    if (r.cpu_backend) fuzz::check_estimate(m, q, pi, 0, r, w);
  }
  return 0;
}
