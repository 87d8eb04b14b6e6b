#pragma once
/// @file
/// CUDA helpers shared by the benchmarks: error checks that throw, a typed
/// device buffer, random non-zero initialisation (nothing is ever timed on
/// zeros), and the nvbench-style `timer`: warm-up, an L2 flush before every
/// sample (a memset over >= 2x L2), CUDA events around the launch, repeats
/// until the median is stable or a cap is hit.

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "suite.hpp"

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
  int warmup{2};             ///< untimed launches first (also loads modules, picks clocks)
  int min_samples{7};        ///< never fewer samples
  int max_samples{100};      ///< cap on samples
  double min_time_s{0.005};  ///< accumulate at least this much GPU time
  double max_time_s{0.25};   ///< wall-clock cap per configuration
  double rel_tol{0.005};     ///< stop when the median's standard error is below this fraction
  bool flush_l2{true};       ///< flush L2 before each sample (false: warm-cache measurement)
};

/// Times launches on one stream with CUDA events (see file comment).
class timer {
 public:
  explicit timer(int device);
  ~timer();
  timer(const timer&) = delete;
  timer& operator=(const timer&) = delete;

  /// Runs `launch(stream)` until stable; one call of `launch` is one sample.
  [[nodiscard]] sample_stats measure(const std::function<void(cudaStream_t)>& launch,
                                     const timing_options& opt = {});

  /// Writes the flush buffer (>= 2x L2) on the stream: evicts whatever L2 holds.
  void flush_l2();

  [[nodiscard]] cudaStream_t stream() const { return stream_; }
  [[nodiscard]] const device_facts& facts() const { return facts_; }

 private:
  device_facts facts_{};
  cudaStream_t stream_{nullptr};
  cudaEvent_t start_{nullptr};
  cudaEvent_t stop_{nullptr};
  device_buffer flush_;
  unsigned flush_count_{0};
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
