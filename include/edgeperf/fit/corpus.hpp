#pragma once
/// @file
/// The fitting corpus of the AGX Orin 64GB profiles and the documented
/// parameter set of the joint fit (docs/validation.md):
///   - the EdgeReasoning runs of DSR1-Llama-8B and DSR1-Qwen-14B (vLLM 0.8.6),
///   - the AGX Orin rows of data/published-speeds.csv (MLC, llama.cpp, vLLM 0.6.3),
///     read as run rows with metrics decode_tok_s / prefill_tok_s.
/// Published rows on other devices are cross-checks, never fitted
/// (io::load_published_runs(path, "agx-orin-64gb") reads the fitting rows;
/// io/published_speeds.hpp).

#include <string>
#include <vector>

#include "edgeperf/fit/joint_fit.hpp"

namespace edgeperf::fit {

/// The runtimes of the AGX Orin corpus, in catalog form.
[[nodiscard]] inline std::vector<runtime_spec> agx_orin_corpus_runtimes() {
  return {runtimes::vllm_0_8, runtimes::vllm_0_6, runtimes::mlc, runtimes::llama_cpp};
}

/// The documented parameters of the joint AGX Orin fit: starting values
/// (prior centres) and prior σ (of log θ). Wide priors (σ = 1–2, a factor
/// e–e²) only keep the solver in the physical range; the data decide.
/// Runtimes with one to three published rows fit their host time per step
/// only (what a small-model decode speed pins); everything else of theirs
/// stays as stated in the catalog.
[[nodiscard]] inline std::vector<param_ref> agx_orin_joint_params() {
  return {
      {"vllm-0.8+vllm-0.6", "mem_efficiency_jetson", 0.85, 1.0},
      {"vllm-0.8+vllm-0.6", "kernel_efficiency_jetson", 0.4, 1.0},
      {"vllm-0.8+vllm-0.6", "attention_efficiency", 0.7, 1.0},
      {"vllm-0.8+vllm-0.6", "gemv_efficiency", 0.3, 1.0},
      {"vllm-0.8+vllm-0.6", "gemm_serial_fraction", 0.5, 1.0},
      {"vllm-0.8+vllm-0.6", "tile_efficiency_exponent", 0.2, 1.0},
      {"vllm-0.8", "host_per_step_s", 3e-3, 2.0},
      {"vllm-0.8", "host_per_seq_s", 100e-6, 2.0},
      {"vllm-0.6", "host_per_step_s", 3e-3, 2.0},
      {"mlc", "host_per_step_s", 500e-6, 2.0},
      {"mlc", "mem_efficiency_jetson", 0.85, 1.0},
      {"llama.cpp", "host_per_step_s", 500e-6, 2.0},
  };
}

/// Options of the documented joint fit (the I = 2561 prefill outlier of the
/// 8B file left out, as the data's README names it).
[[nodiscard]] inline joint_fit_options agx_orin_joint_options() {
  joint_fit_options o{};
  o.params = agx_orin_joint_params();
  o.exclude = {"dsr1-llama-8b:ttft_s@2561"};
  return o;
}

}  // namespace edgeperf::fit
