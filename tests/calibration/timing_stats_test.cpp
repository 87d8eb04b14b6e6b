// Host-side statistics of the calibration suite's timer
// (calibration/src/timing_stats.*) and its cuBLASLt tile table, on the CPU:
// no CUDA needed. Built here (tests/ glob, runs in every preset) and by the
// calibration project (with nvcc). The .cpp is included so that this one file
// is the whole test binary in both builds.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "../../calibration/src/cublaslt_tiles.hpp"
#include "../../calibration/src/timing_stats.cpp"  // NOLINT: the unit under test, compiled in

using namespace edgeperf::calib;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("summarize: quantiles, IQR and MAD of known samples", "[calibration][timing]") {
  const sample_stats s = summarize({5, 1, 4, 2, 3});
  CHECK(s.count == 5);
  CHECK(s.median_s == 3);
  CHECK(s.min_s == 1);
  CHECK(s.max_s == 5);
  CHECK(s.p25_s == 2);
  CHECK(s.p75_s == 4);
  CHECK(s.iqr_s == 2);
  CHECK(s.mad_s == 1);  // |x - 3| = {2, 1, 0, 1, 2}
  CHECK_THAT(s.p10_s, WithinAbs(1.4, 1e-12));
  CHECK_THAT(s.mean_s, WithinAbs(3.0, 1e-12));
  CHECK(summarize({}).count == 0);
  // One outlier moves the mean, not the median, IQR or MAD.
  const sample_stats o = summarize({1, 1, 1, 1, 1, 1, 1, 1, 1, 100});
  CHECK(o.median_s == 1);
  CHECK(o.iqr_s == 0);
  CHECK(o.mad_s == 0);
  CHECK(o.mean_s > 10);
}

TEST_CASE("median standard error matches the spread of medians of normal samples", "[calibration][timing]") {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(10e-6, 0.5e-6);  // a 10 µs kernel, 5 % jitter
  const int n = 101;
  std::vector<double> medians;
  double se_sum = 0;
  for (int rep = 0; rep < 400; ++rep) {
    std::vector<double> xs;
    for (int i = 0; i < n; ++i) xs.push_back(normal(rng));
    const sample_stats s = summarize(xs);
    medians.push_back(s.median_s);
    se_sum += median_standard_error(s);
  }
  double mean = 0, var = 0;
  for (double m : medians) mean += m / static_cast<double>(medians.size());
  for (double m : medians) var += (m - mean) * (m - mean) / static_cast<double>(medians.size() - 1);
  // The estimate agrees with the observed spread of the median within 15 %.
  CHECK_THAT(se_sum / 400, WithinRel(std::sqrt(var), 0.15));
}

TEST_CASE("convergence: a short kernel with jitter converges with enough samples", "[calibration][timing]") {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(20e-6, 0.6e-6);
  std::vector<double> xs;
  int needed = 0;
  for (int i = 0; i < 1000 && needed == 0; ++i) {
    xs.push_back(normal(rng));
    if (median_converged(xs, 10, 0.005)) needed = static_cast<int>(xs.size());
  }
  CHECK(needed >= 10);
  CHECK(needed < 200);
  CHECK_FALSE(median_converged({1.0, 1.0}, 10, 0.005));  // fewer than the minimum
  CHECK(median_converged(std::vector<double>(10, 1.0), 10, 0.005));
}

TEST_CASE("a 2 µs flushed kernel can be stable although it never reaches the GPU-time minimum", "[calibration][timing]") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(2e-6, 0.05e-6);
  std::vector<double> xs;
  double gpu = 0;
  bool stable = false;
  for (int i = 0; i < 400 && !stable; ++i) {  // the timer's sample cap
    xs.push_back(normal(rng));
    gpu += xs.back();
    stable = sampling_converged(xs, gpu, 10, 0.002, 0.005);
  }
  CHECK(stable);
  CHECK(gpu < 0.002);           // 400 x 2 µs never reach 2 ms of GPU time
  CHECK(xs.size() >= 40);       // 4 x min_samples before the count replaces the time minimum
  // A long kernel stops on time as soon as the median converged.
  CHECK(sampling_converged(std::vector<double>(10, 1e-3), 0.01, 10, 0.002, 0.005));
  CHECK_FALSE(sampling_converged(std::vector<double>(10, 1e-6), 1e-5, 10, 0.002, 0.005));
}

TEST_CASE("warm-up settles when the last k medians agree", "[calibration][timing]") {
  // DVFS ramp: clocks rise, then hold.
  const std::vector<double> ramp = {30e-6, 22e-6, 16e-6, 12.2e-6, 12.1e-6, 12.15e-6};
  CHECK_FALSE(warmup_settled({30e-6, 22e-6}, 3, 0.02));
  CHECK_FALSE(warmup_settled({30e-6, 22e-6, 16e-6, 12.2e-6}, 3, 0.02));
  CHECK(warmup_settled(ramp, 3, 0.02));
  CHECK_FALSE(warmup_settled(ramp, 4, 0.02));
  CHECK_FALSE(warmup_settled({}, 1, 0.02));
}

TEST_CASE("batching: short kernels get several launches per event pair", "[calibration][timing]") {
  CHECK(batch_for(5e-6, 100e-6, 64) == 20);
  CHECK(batch_for(0.1e-6, 100e-6, 64) == 64);  // capped
  CHECK(batch_for(200e-6, 100e-6, 64) == 1);
  CHECK(batch_for(0, 100e-6, 64) == 1);
}

TEST_CASE("clock tracker: range of clocks and throttled samples", "[calibration][timing]") {
  clock_tracker t;
  t.add("nvml", 1.98e9, 2.6e9, 0x1);       // idle: not throttling
  t.add("nvml", 1.755e9, 2.6e9, 0x4);      // SW power cap
  t.add("nvml", 1.98e9, 2.6e9, 0x10 | 0x2);  // sync boost + application clocks: not throttling
  const clock_summary& s = t.summary();
  CHECK(s.source == "nvml");
  CHECK(s.readings == 3);
  CHECK(s.sm_hz_min == 1.755e9);
  CHECK(s.sm_hz_max == 1.98e9);
  CHECK(s.mem_hz_min == 2.6e9);
  CHECK(s.throttle_mask == 0x4);
  CHECK(s.throttled_samples == 1);
  clock_tracker none;
  none.add("none", 0, 0, 0);
  CHECK(none.summary().sm_hz_min == 0);
  CHECK(none.summary().throttled_samples == 0);
}

TEST_CASE("flush buffer covers L2 and Orin's system cache", "[calibration][timing]") {
  // H100/H200: 50 MiB L2 -> 200 MiB read per flush.
  CHECK(flush_bytes(50 << 20, false) == std::size_t{200} << 20);
  // AGX Orin: 4 MiB L2 + 4 MiB system cache -> 32 MiB.
  CHECK(flush_bytes(4 << 20, true) == std::size_t{32} << 20);
  CHECK(flush_bytes(4 << 20, true) >= 4 * static_cast<std::size_t>((4 << 20) + orin_system_cache_bytes));
  CHECK(flush_bytes(0, false) == std::size_t{8} << 20);  // floor
}

TEST_CASE("cuBLASLt tile ids decode to dimensions; waves give occupancy", "[calibration][timing]") {
  CHECK(lt_tile(20).rows == 128);  // CUBLASLT_MATMUL_TILE_128x128 = 20
  CHECK(lt_tile(20).cols == 128);
  CHECK(lt_tile(24).rows == 256);  // CUBLASLT_MATMUL_TILE_256x128 = 24
  CHECK(lt_tile(24).cols == 128);
  CHECK(lt_tile(18).rows == 128);  // CUBLASLT_MATMUL_TILE_128x64 = 18
  CHECK(lt_tile(18).cols == 64);
  CHECK(lt_tile_name(0) == "undefined");
  CHECK(lt_tile(0).rows == 0);
  CHECK(lt_tile(100000).rows == 0);
  CHECK(lt_tile_name(100000) == "id100000");
  // 264 CTAs on 132 SMs in one wave: 2 per SM; half a wave of 66: 1 per SM.
  CHECK(ctas_from_waves(264, 132, 1.0) == 2);
  CHECK(ctas_from_waves(66, 132, 0.5) == 1);
  CHECK(ctas_from_waves(100, 132, 0) == 0);
}
