// The main what-if example (README's first command): what does DSR1-Qwen-1.5B
// in BF16 do on a Jetson AGX Orin 64GB (default mode: MAXN) under vLLM with 512 prompt
// tokens and 1024 output tokens? Prints the full estimate table (with energy
// per phase and rail), then a few
// what-ifs, each computed by the library: the same case in a lower power mode,
// with 4-bit weights (W4A16), and with 8 parallel samples per prompt.
//
//   edgeperf_whatif                         # the case above
//   edgeperf_whatif --model dsr1-qwen-7b --device orin-nx-16gb --input 2048
//   edgeperf_whatif --what-if-mode 15W --what-if-quant q4_k_m --what-if-samples 16
//
// Options are those of `edgeperf estimate` (apps/edgeperf/cli.hpp).
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "edgeperf/report/table.hpp"

namespace {

using namespace edgeperf;
using namespace edgeperf::cli;

/// One what-if line: the variant's numbers and its total time relative to the base.
void print_variant(const std::string& label, const case_outcome& v, const request_estimate<double>& base) {
  if (!v.estimate) {
    fmt::print("  {:<26} not possible: {}\n", label, v.error);
    return;
  }
  const request_estimate<double>& e = *v.estimate;
  fmt::print("  {:<26} {:>9} {:>9} {:>9} {:>9.1f} {:>9} {:>11} {:>5}  {:>6.2f}x\n", label,
             format_duration(e.ttft_s), format_duration(e.tpot_s), format_duration(e.total_s),
             e.output_tokens_per_s, format_energy(e.j_per_token), format_memory(e.memory.total_bytes),
             e.memory.fits ? "yes" : "NO", base.total_s / e.total_s);
}

}  // namespace

int main(int argc, char** argv) {
  case_input base{};
  base.model = "dsr1-qwen-1.5b";
  base.device = "agx-orin-64gb";
  base.runtime = "vllm";
  base.quant = "bf16";
  base.input_tokens = 512;
  base.output_tokens = 1024;
  std::string alt_mode = "30W", alt_quant = "w4a16";
  int alt_samples = 8;

  CLI::App app{"edgeperf what-if: one case in detail, then what changes if ..."};
  add_case_options(app, base, false);
  app.add_option("--what-if-mode", alt_mode, "power mode to compare with")->capture_default_str();
  app.add_option("--what-if-quant", alt_quant, "quant format to compare with")->capture_default_str();
  app.add_option("--what-if-samples", alt_samples, "parallel samples to compare with")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? exit_ok : exit_usage;
  }

  spec_cache cache;
  const case_outcome b = evaluate_case(cache, base);
  if (!b.estimate) {
    fmt::print(stderr, "edgeperf_whatif: {}\n", b.error);
    return exit_failed;
  }
  table_extras extras{};
  extras.device = b.device;  // names the rails and adds the per-rail energies
  fmt::print("edgeperf what-if\n================\n\n{}", format_estimate_table(b.desc, *b.estimate, extras));

  // Variants of the base case; every number below comes from the library.
  struct variant {
    std::string label;
    case_input in;
  };
  std::vector<variant> variants;
  variant v{"as above (" + b.desc.mode + ")", base};
  variants.push_back(v);
  v.in = base;
  v.in.mode = alt_mode;
  v.label = "power mode " + alt_mode;
  variants.push_back(v);
  v.in = base;
  v.in.quant = alt_quant;
  v.label = "quant " + alt_quant;
  variants.push_back(v);
  v.in = base;
  v.in.samples = alt_samples;
  v.label = fmt::format("{} parallel samples", alt_samples);
  variants.push_back(v);
  v.in.quant = alt_quant;
  v.label = fmt::format("{} samples + {}", alt_samples, alt_quant);
  variants.push_back(v);

  fmt::print("\nwhat if ... (same case unless named; J/token on the accelerator rail; "
             "speed-up = base total / total)\n");
  fmt::print("  {:<26} {:>9} {:>9} {:>9} {:>9} {:>9} {:>11} {:>5}  {:>7}\n", "", "TTFT", "TPOT", "total",
             "tokens/s", "J/token", "peak mem", "fits", "speed-up");
  for (const variant& x : variants) print_variant(x.label, evaluate_case(cache, x.in), *b.estimate);
  return exit_ok;
}
