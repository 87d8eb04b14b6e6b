#pragma once
/// @file
/// Vocabulary of the device fit (fit/device_fit.hpp): what one fitted
/// parameter, one residual row and one reported figure look like, the fit's
/// options and result, and the runtimes the GEMM and GEMV records are
/// modelled with.

#include <limits>
#include <string>
#include <vector>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/runtime.hpp"

namespace edgeperf::fit {

/// Residuals of one benchmark (or one part of it) against the fitted profile.
struct benchmark_residuals {
  std::string name;  ///< "memory/flushed", "gemm/cublaslt/fp16", "launch/queued", ...
  int n{0};          ///< measurements compared
  double r2{std::numeric_limits<double>::quiet_NaN()};  ///< R² of log time; NaN if < 2 points
  double mape{0};              ///< mean |pred − meas| / meas
  double worst_rel_error{0};   ///< (pred − meas) / meas of the worst point (signed)
  std::string worst_case;      ///< the worst point, e.g. "fp16 m=129 n=4096 k=4096"
  bool fitted{true};           ///< false: a check only (the points did not set a parameter)
};

/// One parameter the fit identified, with its 1-σ uncertainty.
struct fitted_parameter {
  std::string name;    ///< profile field ("mem_efficiency", "modes[0].static_power_w") or a
                       ///< kernel figure ("gemm.tile.128x64.efficiency", "gemm.wmma.kernel_efficiency")
  double base{0};      ///< value in the starting profile (NaN for kernel figures)
  double value{0};     ///< fitted value (as stored in the profile)
  double sigma{0};     ///< 1-σ uncertainty of `value`, same unit (from the fit's covariance or the sample spread)
  std::string from;    ///< the measurements it came from
  bool profile_field{true};  ///< false: a kernel figure reported beside the profile (tile efficiency, ...)
};

/// A measured figure that is not a profile field (sync round trip, host
/// issue cost, loaded powers, W4A16/fp16 GEMV ratio, ...).
struct measured_value {
  std::string name;
  double value{0};
  std::string unit;  ///< "s", "W", "B/s", "FLOP/s", "" (ratio)
};

/// Options of `fit_device`.
struct device_fit_options {
  std::string mode;               ///< power mode of the measurements; empty = from `nvpmodel -q`, else mode 0
  double gemm_rate_min_m{1024};   ///< GEMM rows with M ≥ this fix the tensor rate
  bool fit_dtype_rates{false};    ///< also replace the base's per-clock rates of non-reference dtypes
  double dequant_margin{0.05};    ///< W4A16 rows this much slower than memory count as dequant-bound
  double compute_bound_margin{0.10};  ///< GEMM rows whose compute exceeds memory by this fraction identify tile efficiencies
  bool keep_throttled{false};     ///< also fit records sampled while a throttle reason was active
};

/// Result of `fit_device`.
struct device_fit_result {
  device_spec profile{};   ///< the base with the fitted fields replaced
  int mode_index{0};       ///< mode of `profile` the measurements belong to
  int schema_version{0};   ///< of the measurements (1 or 2)
  std::vector<fitted_parameter> parameters;
  std::vector<benchmark_residuals> residuals;
  std::vector<measured_value> measured;
  std::vector<std::string> notes;  ///< what could not be fitted, clamps, mismatches with the base
  /// cuBLAS tiles seen in the GEMM sweeps (our M × N orientation, CTAs per SM
  /// as modelled) with their fitted efficiencies: a runtime profile's `tiles`.
  std::vector<gemm_tile> cublas_tiles;

  /// The measured value `name`, or NaN.
  [[nodiscard]] double measured_or_nan(const std::string& name) const {
    for (const auto& m : measured)
      if (m.name == name) return m.value;
    return std::numeric_limits<double>::quiet_NaN();
  }
  /// The fitted parameter `name`, or nullptr.
  [[nodiscard]] const fitted_parameter* parameter(const std::string& name) const {
    for (const auto& p : parameters)
      if (p.name == name) return &p;
    return nullptr;
  }
  /// The residuals named `name`, or nullptr.
  [[nodiscard]] const benchmark_residuals* residuals_of(const std::string& name) const {
    for (const auto& r : residuals)
      if (r.name == name) return &r;
    return nullptr;
  }
};

/// The CTA tiles cuBLAS-backed GEMMs are modelled with when the measurements
/// do not record cuBLASLt's choice (schema 1): the family of
/// runtime_catalog.hpp's cuBLAS runtimes (assumed), at the device's own rate.
[[nodiscard]] inline runtime_spec cublas_like_runtime() {
  runtime_spec r{};
  r.id = "cublaslt";
  r.tiles = {{{256, 128, 1, 1.0}, {128, 128, 1, 1.0}, {128, 64, 1, 0.9}, {64, 64, 2, 0.8},
              {32, 64, 2, 0.6}, {16, 128, 2, 0.5}}};
  r.tile_count = 6;
  r.kernel_efficiency = {1.0, source::assumed, "cuBLAS defines the device's tensor rate"};
  r.dequant_efficiency = {1.0, source::assumed, "no dequant in cuBLAS GEMMs"};
  return r;
}

/// A runtime with one fixed tile: the suite's own WMMA kernel (128×128,
/// `ctas_per_sm` resident CTAs per SM as cudaOccupancyMaxActiveBlocksPerMultiprocessor
/// reports), or the tile cuBLASLt chose for one record, with tile efficiency
/// `tile_eff` and kernel efficiency `kernel_eff` relative to the device's rate.
[[nodiscard]] inline runtime_spec fixed_tile_runtime(int tile_m, int tile_n, double kernel_eff, int ctas_per_sm = 1,
                                                     double tile_eff = 1.0) {
  runtime_spec r{};
  r.id = "fixed-tile";
  r.tiles[0] = gemm_tile{tile_m, tile_n, ctas_per_sm > 0 ? ctas_per_sm : 1, tile_eff};
  r.tile_count = 1;
  r.kernel_efficiency = {kernel_eff, source::assumed, "the kernel relative to the device's tensor rate"};
  r.dequant_efficiency = {1.0, source::assumed, "no dequant"};
  return r;
}

/// A runtime with no tiles (GEMV kernels: work spread evenly over the SMs).
[[nodiscard]] inline runtime_spec gemv_runtime() {
  runtime_spec r{};
  r.id = "gemv";
  r.tile_count = 0;
  r.kernel_efficiency = {1.0, source::assumed, "GEMV at the device rate"};
  r.dequant_efficiency = {1.0, source::assumed, "dequant at the device's CUDA-core efficiency"};
  return r;
}

}  // namespace edgeperf::fit
