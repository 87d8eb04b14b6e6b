#pragma once
/// @file
/// `workload`: the request shape a phase or request estimate is asked about.

#include <optional>

#include "edgeperf/descriptions/quant.hpp"

namespace edgeperf {

/// A batch of `batch` distinct prompts, each of `input_tokens`, each sampled
/// `samples` times (parallel sampling / test-time scaling), each sample
/// generating `output_tokens` tokens (the first from prefill, O − 1 decode steps).
struct workload {
  int batch{1};           ///< distinct prompts decoded together
  int samples{1};         ///< parallel samples per prompt (n in vLLM's SamplingParams)
  int input_tokens{1};    ///< prompt length I
  int output_tokens{1};   ///< generated tokens O per sample (O ≥ 1)
  std::optional<dtype> kv_dtype{};  ///< KV-cache dtype override (else quant, else runtime default)
};

}  // namespace edgeperf
