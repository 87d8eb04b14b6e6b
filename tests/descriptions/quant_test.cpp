// Quantization formats (descriptions/quant.hpp): storage bits per weight for
// grouped, per-channel and GGUF block formats, against the published sizes.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "edgeperf/descriptions/quant.hpp"

using namespace edgeperf;
using Catch::Matchers::WithinRel;

TEST_CASE("GGUF blocks: bits per weight from ggml's block structs", "[descriptions][quant]") {
  // ggml-common.h: block_q4_0 = fp16 scale + 16 bytes of nibbles for 32 weights → 4.5 bpw;
  // Q8_0 = 8.5, Q4_K = 4.5, Q6_K = 6.5625 bpw.
  const auto bpw = [](gguf_type t) { return weight_format{.gguf = t}.bits_per_weight(); };
  CHECK(bpw(gguf_type::q4_0) == 4.5);
  CHECK(bpw(gguf_type::q8_0) == 8.5);
  CHECK(bpw(gguf_type::q4_k) == 4.5);
  CHECK(bpw(gguf_type::q5_k) == 5.5);
  CHECK(bpw(gguf_type::q6_k) == 6.5625);
  CHECK(bpw(gguf_type::f16) == 16);
  // The block layout wins over elem/group fields.
  CHECK(weight_format{.elem = dtype::fp32, .group_size = 8, .scale_bits = 16, .gguf = gguf_type::q4_0}
            .bits_per_weight() == 4.5);
}

TEST_CASE("grouped and per-channel scales add their amortised bits", "[descriptions][quant]") {
  // GPTQ/AWQ 4-bit, group 128, fp16 scale and 4-bit zero: 4 + 20/128 bits.
  const weight_format g128{.elem = dtype::int4, .group_size = 128, .scale_bits = 16, .zero_bits = 4};
  CHECK_THAT(g128.bits_per_weight(), WithinRel(4.15625, 1e-15));
  // Per output channel (-1): one scale per row of `row_len` weights.
  const weight_format pc{.elem = dtype::int8, .group_size = -1, .scale_bits = 16};
  CHECK_THAT(pc.bits_per_weight(4096), WithinRel(8.0 + 16.0 / 4096, 1e-15));
  CHECK_THAT(pc.bits_per_weight(1024), WithinRel(8.0 + 16.0 / 1024, 1e-15));
  // No groups: the element alone.
  CHECK(weight_format{.elem = dtype::bf16}.bits_per_weight() == 16);
}

TEST_CASE("dtype sizes, KV bits and names", "[descriptions][quant]") {
  CHECK(dtype_bits(dtype::fp32) == 32);
  CHECK(dtype_bits(dtype::bf16) == 16);
  CHECK(dtype_bits(dtype::fp8) == 8);
  CHECK(dtype_bits(dtype::nf4) == 4);
  CHECK(kv_bits_per_element(dtype::fp16) == 16);
  CHECK(kv_bits_per_element(dtype::int8, 64, 16) == 8.25);  // one fp16 scale per 64 elements
  CHECK(kv_bits_per_element(dtype::fp8, 0, 32) == 8);        // per-tensor scales cost nothing
  std::set<std::string> names;
  for (dtype t : {dtype::fp32, dtype::fp16, dtype::bf16, dtype::fp8, dtype::int8, dtype::int4, dtype::nf4})
    names.insert(to_string(t));
  CHECK(names.size() == 7);
  std::set<std::string> paths;
  for (unsigned p = 0; p <= static_cast<unsigned>(compute_path::dequant_to_memory); ++p)
    paths.insert(to_string(static_cast<compute_path>(p)));
  CHECK(paths.size() == static_cast<unsigned>(compute_path::dequant_to_memory) + 1);
}
