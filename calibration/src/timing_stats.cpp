// Host-side statistics of the calibration timer: see timing_stats.hpp.

#include "timing_stats.hpp"

#include <algorithm>
#include <cmath>

namespace edgeperf::calib {

double quantile_sorted(const std::vector<double>& xs, double q) {
  if (xs.empty()) return 0.0;
  const double pos = std::min(1.0, std::max(0.0, q)) * static_cast<double>(xs.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, xs.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return xs[lo] * (1.0 - frac) + xs[hi] * frac;
}

sample_stats summarize(std::vector<double> xs) {
  sample_stats s{};
  if (xs.empty()) return s;
  std::sort(xs.begin(), xs.end());
  s.count = static_cast<int>(xs.size());
  s.min_s = xs.front();
  s.max_s = xs.back();
  s.median_s = quantile_sorted(xs, 0.5);
  s.p10_s = quantile_sorted(xs, 0.1);
  s.p25_s = quantile_sorted(xs, 0.25);
  s.p75_s = quantile_sorted(xs, 0.75);
  s.p90_s = quantile_sorted(xs, 0.9);
  s.iqr_s = s.p75_s - s.p25_s;
  double sum = 0;
  for (double x : xs) sum += x;
  s.mean_s = sum / static_cast<double>(xs.size());
  std::vector<double> dev(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) dev[i] = std::fabs(xs[i] - s.median_s);
  std::sort(dev.begin(), dev.end());
  s.mad_s = quantile_sorted(dev, 0.5);
  return s;
}

double median_standard_error(const sample_stats& s) {
  if (s.count < 2) return 0.0;
  return 1.2533 * (s.iqr_s / 1.349) / std::sqrt(static_cast<double>(s.count));
}

bool median_converged(const std::vector<double>& xs, int min_samples, double rel_tol) {
  if (static_cast<int>(xs.size()) < std::max(2, min_samples)) return false;
  const sample_stats s = summarize(xs);
  return s.median_s > 0 && median_standard_error(s) <= rel_tol * s.median_s;
}

bool sampling_converged(const std::vector<double>& xs, double gpu_total_s, int min_samples, double min_time_s,
                        double rel_tol) {
  const bool enough = gpu_total_s >= min_time_s || static_cast<int>(xs.size()) >= 4 * std::max(1, min_samples);
  return enough && median_converged(xs, min_samples, rel_tol);
}

bool warmup_settled(const std::vector<double>& round_medians, int k, double rel_tol) {
  if (k < 1 || static_cast<int>(round_medians.size()) < k) return false;
  const auto first = round_medians.end() - k;
  const auto [lo, hi] = std::minmax_element(first, round_medians.end());
  return *lo > 0 && *hi / *lo - 1.0 <= rel_tol;
}

int batch_for(double single_s, double target_s, int cap) {
  if (cap < 1) cap = 1;
  if (!(single_s > 0) || !(target_s > single_s)) return 1;
  const double n = std::ceil(target_s / single_s);
  return n >= cap ? cap : std::max(1, static_cast<int>(n));
}

void clock_tracker::add(const std::string& source, double sm_hz, double mem_hz, std::uint64_t reasons) {
  if (s_.readings == 0 || s_.source == "none") s_.source = source;
  ++s_.readings;
  if (sm_hz > 0) {
    s_.sm_hz_min = s_.sm_hz_min > 0 ? std::min(s_.sm_hz_min, sm_hz) : sm_hz;
    s_.sm_hz_max = std::max(s_.sm_hz_max, sm_hz);
  }
  if (mem_hz > 0) {
    s_.mem_hz_min = s_.mem_hz_min > 0 ? std::min(s_.mem_hz_min, mem_hz) : mem_hz;
    s_.mem_hz_max = std::max(s_.mem_hz_max, mem_hz);
  }
  const std::uint64_t t = reasons & throttle_reasons;
  s_.throttle_mask |= t;
  if (t != 0) ++s_.throttled_samples;
}

std::size_t flush_bytes(std::int64_t l2_bytes, bool integrated, double factor) {
  const double llc = static_cast<double>(std::max<std::int64_t>(l2_bytes, 0)) +
                     (integrated ? static_cast<double>(orin_system_cache_bytes) : 0.0);
  const double want = std::max(factor, 1.0) * llc;
  const double floor_bytes = static_cast<double>(std::size_t{8} << 20);
  const auto b = static_cast<std::size_t>(std::max(want, floor_bytes));
  return (b + 4095) & ~std::size_t{4095};
}

int ctas_from_waves(double ctas, int sms, double waves_count) {
  if (!(ctas > 0) || sms <= 0 || !(waves_count > 0)) return 0;
  const double per_sm = ctas / (static_cast<double>(sms) * waves_count);
  return std::max(1, static_cast<int>(std::lround(per_sm)));
}

}  // namespace edgeperf::calib
