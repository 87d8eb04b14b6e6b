#pragma once
/// @file
/// Host-side statistics of the calibration timer, no CUDA needed (unit-tested
/// on the CPU: tests/calibration/timing_stats_test.cpp):
///   - `summarize`: median, quantiles, mean, IQR and MAD of samples;
///   - `median_standard_error` / `median_converged`: when to stop sampling
///     (the median's standard error from the IQR, below a fraction of it);
///   - `warmup_settled`: warm-up until clocks settle (the last k warm-up
///     medians agree within x %);
///   - `batch_for`: launches per event pair so that a short kernel's sample
///     lasts long enough for the event timer's resolution;
///   - `clock_tracker`: the SM and memory clocks and NVML clocks-event
///     reasons read before every sample, summarised per configuration;
///   - `flush_bytes`: size of the buffer whose read evicts the last-level
///     cache (L2, and on Orin the 4 MiB system cache behind it);
///   - `ctas_from_waves`: resident CTAs per SM from cuBLASLt's wavesCount.
/// C++17 (the suite's standard) and the standard library only.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace edgeperf::calib {

/// Clocks observed while one configuration was sampled (one reading per sample).
struct clock_summary {
  std::string source{"none"};     ///< "nvml", "devfreq", or "none" (not readable)
  double sm_hz_min{0};
  double sm_hz_max{0};
  double mem_hz_min{0};
  double mem_hz_max{0};
  std::uint64_t throttle_mask{0};  ///< OR of the throttling reasons seen (see `throttle_reasons`)
  int throttled_samples{0};       ///< samples read while one of them was active
  int readings{0};
};

/// Spread of the per-sample times of one configuration, seconds (or any
/// unit: the power sampler uses it for watts).
struct sample_stats {
  double median_s{0};
  double min_s{0};
  double max_s{0};
  double p10_s{0};
  double p25_s{0};
  double p75_s{0};
  double p90_s{0};
  double mean_s{0};
  double iqr_s{0};  ///< p75 − p25
  double mad_s{0};  ///< median |x − median|
  int count{0};
  bool stable{false};  ///< the median's standard error fell below the tolerance before a cap
  int batch{1};        ///< configurations per event pair (the samples are per configuration)
  clock_summary clocks{};
};

/// Linear-interpolated quantile q in [0, 1] of sorted `xs` (0 when empty).
[[nodiscard]] double quantile_sorted(const std::vector<double>& xs, double q);

/// Summary statistics of `xs`.
[[nodiscard]] sample_stats summarize(std::vector<double> xs);

/// Standard error of the median: 1.2533 σ / √n with σ = IQR / 1.349 (robust
/// to the rare slow sample a timer catches); 0 with fewer than 2 samples.
[[nodiscard]] double median_standard_error(const sample_stats& s);

/// True when at least `min_samples` were taken and the median's standard
/// error is at most `rel_tol` × median.
[[nodiscard]] bool median_converged(const std::vector<double>& xs, int min_samples, double rel_tol);

/// The timer's stop rule after each sample: the median converged
/// (`median_converged`) and either `min_time_s` of GPU time was accumulated
/// or, for kernels too short to reach it within the sample cap, at least
/// 4 × `min_samples` samples were taken.
[[nodiscard]] bool sampling_converged(const std::vector<double>& xs, double gpu_total_s, int min_samples,
                                      double min_time_s, double rel_tol);

/// Warm-up rule: true when the last `k` medians (of warm-up rounds) agree
/// within `rel_tol` (max/min − 1 ≤ rel_tol). Fewer than `k` rounds: false.
[[nodiscard]] bool warmup_settled(const std::vector<double>& round_medians, int k, double rel_tol);

/// Launches per event pair for a kernel of `single_s`: enough that one sample
/// lasts `target_s` (the CUDA event timer resolves ~0.5 µs), at least 1, at
/// most `cap`.
[[nodiscard]] int batch_for(double single_s, double target_s, int cap);

/// NVML clocks-event reasons that mean the clocks were held down by the
/// power or thermal limits (SW power cap 0x4, HW slowdown 0x8, SW thermal
/// 0x20, HW thermal 0x40, HW power brake 0x80); idle (0x1), application
/// clocks (0x2), sync boost (0x10) and display (0x100) are not throttling.
inline constexpr std::uint64_t throttle_reasons = 0x4u | 0x8u | 0x20u | 0x40u | 0x80u;

/// Accumulates one clock reading per sample.
class clock_tracker {
 public:
  /// `sm_hz`, `mem_hz` ≤ 0: not read. `reasons`: NVML clocks-event reasons (0 without NVML).
  void add(const std::string& source, double sm_hz, double mem_hz, std::uint64_t reasons);
  [[nodiscard]] const clock_summary& summary() const { return s_; }

 private:
  clock_summary s_{};
};

/// Bytes to read so that nothing a measured kernel touched stays in the
/// last-level cache: `factor` × (L2 + the system cache of an integrated GPU).
/// Orin's 4 MiB system cache sits behind the GPU L2 and is not reported by
/// the CUDA runtime: `system_cache_bytes` is its documented lower bound
/// (NVIDIA Jetson AGX Orin technical brief); 0 on discrete GPUs. At least 8 MiB.
[[nodiscard]] std::size_t flush_bytes(std::int64_t l2_bytes, bool integrated, double factor = 4.0);

/// Orin's system cache (SC) lower bound used by `flush_bytes`, bytes.
inline constexpr std::int64_t orin_system_cache_bytes = std::int64_t{4} << 20;

/// Resident CTAs per SM implied by cuBLASLt's heuristic: it reports
/// wavesCount = CTAs / (SMs × CTAs per SM), so CTAs per SM =
/// CTAs / (SMs × wavesCount), rounded, at least 1; 0 when not derivable.
[[nodiscard]] int ctas_from_waves(double ctas, int sms, double waves_count);

}  // namespace edgeperf::calib
