// libFuzzer harness: Hugging Face config.json (io/hf_config.hpp, parse_hf_model).
// A config that loads is estimated on an AGX Orin 64GB with vLLM in bf16
// (and in the quant format a quantization_config suggests is not needed: bf16
// covers every architecture); the estimate must be finite or an error value.
#include <cstddef>
#include <cstdint>

#include "edgeperf/io/hf_config.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeperf;
  nlohmann::json j;
  if (!fuzz::parse_json(data, size, j)) return 0;
  io::hf_model hm;
  try {
    hm = io::parse_hf_model(j, "fuzz/config.json", "fuzz-model");
  } catch (const io::io_error& e) {
    if (std::string_view(e.what()).find("fuzz/config.json") == std::string_view::npos)
      fuzz::finding(std::string("io_error without the file name: ") + e.what());
    return 0;
  }
  static const quant_spec q = find_quant("bf16").value();
  static const device_spec d = find_device("agx-orin-64gb").value();
  static const runtime_spec r = find_runtime("vllm").value();
  const std::uint8_t a = size > 0 ? data[0] : 0, b = size > 1 ? data[size - 1] : 0;
  fuzz::check_estimate(hm.model, q, d, 0, r, fuzz::small_workload(a, b));
  return 0;
}
