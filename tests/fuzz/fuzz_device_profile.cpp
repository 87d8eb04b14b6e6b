// libFuzzer harness: device profile JSON (io/profile_json.hpp, device_from_json).
// A profile that loads is estimated in each of its power modes with a small
// catalog model (llama-3.2-1b, bf16) on vLLM (llama.cpp on CPU boards); the
// estimate must be finite or an error value naming what is wrong.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "edgeperf/io/profile_json.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeperf;
  nlohmann::json j;
  if (!fuzz::parse_json(data, size, j)) return 0;
  device_spec d;
  std::vector<std::string> warnings;
  try {
    d = io::device_from_json(j, "fuzz/device.json", &warnings);
  } catch (const io::io_error& e) {
    if (std::string_view(e.what()).find("fuzz/device.json") == std::string_view::npos)
      fuzz::finding(std::string("io_error without the file name: ") + e.what());
    return 0;
  }
  // What loaded must save (valid UTF-8, finite numbers) and load back.
  try {
    nlohmann::ordered_json saved;
    to_json(saved, d);
    (void)io::device_from_json(nlohmann::json::parse(saved.dump()), "fuzz/round-trip.json");
  } catch (const std::exception& e) {
    fuzz::finding(std::string("save + load of a loaded profile failed: ") + e.what());
  }
  static const model_spec m = find_model("llama-3.2-1b").value();
  static const quant_spec q = find_quant("bf16").value();
  static const quant_spec q4 = find_quant("q4_0").value();
  static const runtime_spec vllm = find_runtime("vllm").value();
  static const runtime_spec cpp = find_runtime("llama.cpp").value();
  const std::uint8_t a = size > 0 ? data[0] : 0, b = size > 1 ? data[size - 1] : 0;
  const workload w = fuzz::small_workload(a, b);
  for (int mode = 0; mode < d.mode_count; ++mode) {
    if (d.kind == device_kind::cpu) {
      fuzz::check_estimate(m, q4, d, mode, cpp, w);
    } else {
      fuzz::check_estimate(m, q, d, mode, vllm, w);
    }
  }
  return 0;
}
