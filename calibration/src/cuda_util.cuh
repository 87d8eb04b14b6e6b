#pragma once
/// @file
/// CUDA helpers shared by the benchmarks: error checks that throw, a typed
/// device buffer, random non-zero initialisation (nothing is ever timed on
/// zeros), and the nvbench-style `timer` (see the class comment); the
/// host-side statistics it uses are in timing_stats.hpp.

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "suite.hpp"
#include "timing_stats.hpp"

namespace edgeperf::calib {

/// Throws std::runtime_error naming the call site and the CUDA error.
void throw_cuda_error(cudaError_t err, const char* expr, const char* file, int line);

#define EDGEPERF_CUDA_CHECK(expr)                                                        \
  do {                                                                                  \
    const cudaError_t edgeperf_err_ = (expr);                                           \
    if (edgeperf_err_ != cudaSuccess)                                                   \
      ::edgeperf::calib::throw_cuda_error(edgeperf_err_, #expr, __FILE__, __LINE__);    \
  } while (0)

/// Element types the random initialiser knows.
enum class elem : int { f32 = 0, f16 = 1, bf16 = 2, i8 = 3, fp8_e4m3 = 4, u8 = 5 };

/// Bytes per element of `e`.
[[nodiscard]] std::size_t elem_bytes(elem e);

/// Owning device allocation (cudaMalloc), move-only.
class device_buffer {
 public:
  device_buffer() = default;
  explicit device_buffer(std::size_t bytes);
  ~device_buffer();
  device_buffer(device_buffer&& o) noexcept;
  device_buffer& operator=(device_buffer&& o) noexcept;
  device_buffer(const device_buffer&) = delete;
  device_buffer& operator=(const device_buffer&) = delete;

  [[nodiscard]] void* get() const { return ptr_; }
  template <class T>
  [[nodiscard]] T* as() const {
    return static_cast<T*>(ptr_);
  }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }

 private:
  void* ptr_{nullptr};
  std::size_t bytes_{0};
};

/// Fills `count` elements of type `e` with pseudo-random non-zero values:
/// floats uniform in ±[0.1, 1) (scaled by `scale`), int8 in ±[1, 7], bytes in
/// [1, 255]. Deterministic in `seed`. Synchronous.
void fill_random(void* ptr, std::size_t count, elem e, std::uint64_t seed, float scale = 1.0f);

/// Knobs of one measurement; the defaults keep the full suite within minutes.
struct timing_options {
  int min_samples{10};        ///< never fewer samples
  int max_samples{400};       ///< cap on samples (short flushed kernels need many)
  double min_time_s{0.002};   ///< accumulate at least this much GPU time
  double max_time_s{0.25};    ///< wall-clock cap per configuration
  double rel_tol{0.005};      ///< stop when the median's standard error is below this fraction of it
  bool flush_l2{true};        ///< read the flush buffer before each sample (false: warm-cache measurement)
  bool blocking{true};        ///< queue each sample's launches behind the blocking kernel
  double batch_target_s{100e-6};  ///< warm-cache samples shorter than this batch several launches per event pair
  int max_batch{64};          ///< cap on the batch (the blocking kernel holds them all in the queue)
  // Warm-up until clocks settle: rounds of `warmup_launches`, until the last
  // `warmup_k` round medians agree within `warmup_tol`, at most `warmup_max_s`.
  int warmup_launches{3};
  int warmup_k{3};
  double warmup_tol{0.02};
  double warmup_max_s{0.3};
};

/// Times launches on one stream with CUDA events, nvbench-style:
///  1. warm-up rounds until the last k round medians agree (clocks settled,
///     Jetson DVFS included), capped;
///  2. per sample: the clocks are read (NVML / devfreq, `read_clocks`), the
///     last-level cache is evicted by reading a buffer several times its size
///     (`flush_bytes`: L2 × 4, plus Orin's system cache), a blocking kernel
///     spinning on a host-mapped flag is launched, then the start event, the
///     batch of launches and the stop event are queued behind it and the flag
///     is released: the events bracket work the GPU already holds, not the
///     host's launch rate;
///  3. samples repeat until the median's standard error (from the IQR) is
///     below `rel_tol` of it, or a cap.
class timer {
 public:
  explicit timer(int device);
  ~timer();
  timer(const timer&) = delete;
  timer& operator=(const timer&) = delete;

  /// Runs `launch(stream)` until stable; one call of `launch` is one
  /// configuration; the result is per configuration (a batched sample is divided).
  [[nodiscard]] sample_stats measure(const std::function<void(cudaStream_t)>& launch,
                                     const timing_options& opt = {});

  /// Reads the flush buffer on the stream: evicts whatever L2 (and Orin's system cache) holds.
  void flush_l2();

  /// Launches the blocking kernel on the stream (it spins until `release`).
  void block();
  /// Releases the blocking kernel; false when it had timed out (the queue
  /// held more than the GPU's launch queue: the sample is not valid).
  bool release();

  [[nodiscard]] cudaStream_t stream() const { return stream_; }
  [[nodiscard]] const device_facts& facts() const { return facts_; }
  [[nodiscard]] std::size_t flush_buffer_bytes() const { return flush_.bytes(); }

 private:
  device_facts facts_{};
  cudaStream_t stream_{nullptr};
  cudaEvent_t start_{nullptr};
  cudaEvent_t stop_{nullptr};
  device_buffer flush_;
  device_buffer sink_;
  int* host_flags_{nullptr};  ///< [0] release flag, [1] timed-out flag (host-mapped)
  int* dev_flags_{nullptr};
};

/// Grid size for a grid-stride kernel over `n` items with `threads` per block.
[[nodiscard]] int grid_for(std::size_t n, int threads, int sm_count, int blocks_per_sm = 8);

/// Copies `count` fp16 values from the device and widens them to double.
[[nodiscard]] std::vector<double> download_f16(const void* dev, std::size_t count);

/// Compares `got` with `ref`: passes when max |got - ref| <= rel_tol * max(1, max |ref|).
[[nodiscard]] check_result compare(const std::string& name, const std::vector<double>& got,
                                   const std::vector<double>& ref, double rel_tol);

/// Copy kernel on float4 (used by the memory bench and the memory-bound power load).
void launch_copy(const void* src, void* dst, std::size_t n4, int grid, cudaStream_t s);

}  // namespace edgeperf::calib
