// Timing layer of the calibration suite: statistics, device facts, the random
// initialiser and the nvbench-style timer declared in cuda_util.cuh.

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#if CUDART_VERSION >= 11080
#include <cuda_fp8.h>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <stdexcept>
#include <utility>

#include "cuda_util.cuh"

namespace edgeperf::calib {

void throw_cuda_error(cudaError_t err, const char* expr, const char* file, int line) {
  throw std::runtime_error(std::string(file) + ":" + std::to_string(line) + ": " + expr +
                           " failed: " + cudaGetErrorName(err) + " (" + cudaGetErrorString(err) +
                           ")");
}

namespace {

/// Linear-interpolated quantile q in [0, 1] of sorted `xs`.
double quantile_sorted(const std::vector<double>& xs, double q) {
  if (xs.empty()) return 0.0;
  const double pos = q * static_cast<double>(xs.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, xs.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return xs[lo] * (1.0 - frac) + xs[hi] * frac;
}

}  // namespace

sample_stats summarize(std::vector<double> xs) {
  sample_stats s{};
  if (xs.empty()) return s;
  std::sort(xs.begin(), xs.end());
  s.count = static_cast<int>(xs.size());
  s.min_s = xs.front();
  s.max_s = xs.back();
  s.median_s = quantile_sorted(xs, 0.5);
  s.p10_s = quantile_sorted(xs, 0.1);
  s.p90_s = quantile_sorted(xs, 0.9);
  double sum = 0;
  for (double x : xs) sum += x;
  s.mean_s = sum / static_cast<double>(xs.size());
  return s;
}

device_facts query_device_facts(int device) {
  EDGEPERF_CUDA_CHECK(cudaSetDevice(device));
  cudaDeviceProp p{};
  EDGEPERF_CUDA_CHECK(cudaGetDeviceProperties(&p, device));
  device_facts f{};
  f.sm_count = p.multiProcessorCount;
  f.cc_major = p.major;
  f.cc_minor = p.minor;
  f.integrated = p.integrated != 0;
  f.l2_bytes = p.l2CacheSize;
  std::size_t free_b = 0, total_b = 0;
  EDGEPERF_CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
  f.free_bytes = static_cast<std::int64_t>(free_b);
  f.total_bytes = static_cast<std::int64_t>(total_b);
  return f;
}

std::size_t elem_bytes(elem e) {
  switch (e) {
    case elem::f32: return 4;
    case elem::f16:
    case elem::bf16: return 2;
    case elem::i8:
    case elem::fp8_e4m3:
    case elem::u8: return 1;
  }
  return 1;
}

// ---- device_buffer -----------------------------------------------------------

device_buffer::device_buffer(std::size_t bytes) : bytes_(bytes) {
  if (bytes > 0) EDGEPERF_CUDA_CHECK(cudaMalloc(&ptr_, bytes));
}
device_buffer::~device_buffer() {
  if (ptr_ != nullptr) (void)cudaFree(ptr_);
}
device_buffer::device_buffer(device_buffer&& o) noexcept
    : ptr_(std::exchange(o.ptr_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}
device_buffer& device_buffer::operator=(device_buffer&& o) noexcept {
  if (this != &o) {
    if (ptr_ != nullptr) (void)cudaFree(ptr_);
    ptr_ = std::exchange(o.ptr_, nullptr);
    bytes_ = std::exchange(o.bytes_, 0);
  }
  return *this;
}

// ---- random initialisation ---------------------------------------------------

namespace {

__device__ __forceinline__ std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// One kernel for every element type (a runtime switch keeps template
/// instantiations, and so nvcc time, down).
__global__ void fill_random_kernel(void* ptr, std::size_t count, int type, std::uint64_t seed,
                                   float scale) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += stride) {
    const std::uint64_t r = splitmix64(seed ^ (i * 0x2545f4914f6cdd1dull));
    const float u = static_cast<float>(r >> 40) * (1.0f / 16777216.0f);  // [0, 1)
    const float mag = 0.1f + 0.9f * u;
    const float v = ((r & 1ull) != 0ull ? -mag : mag) * scale;
    switch (type) {
      case 0: static_cast<float*>(ptr)[i] = v; break;
      case 1: static_cast<__half*>(ptr)[i] = __float2half(v); break;
      case 2: static_cast<__nv_bfloat16*>(ptr)[i] = __float2bfloat16(v); break;
      case 3: {
        const int q = 1 + static_cast<int>((r >> 8) % 7u);
        static_cast<std::int8_t*>(ptr)[i] = static_cast<std::int8_t>((r & 1ull) != 0ull ? -q : q);
        break;
      }
      case 4:
#if CUDART_VERSION >= 11080
        static_cast<__nv_fp8_e4m3*>(ptr)[i] = __nv_fp8_e4m3(v);
#endif
        break;
      default: static_cast<std::uint8_t*>(ptr)[i] = static_cast<std::uint8_t>(1u + (r >> 8) % 255u); break;
    }
  }
}

}  // namespace

void fill_random(void* ptr, std::size_t count, elem e, std::uint64_t seed, float scale) {
  if (count == 0) return;
  const std::size_t blocks = std::min<std::size_t>((count + 255) / 256, 65535);
  fill_random_kernel<<<static_cast<unsigned>(blocks), 256>>>(ptr, count, static_cast<int>(e),
                                                             seed, scale);
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
  EDGEPERF_CUDA_CHECK(cudaDeviceSynchronize());
}

// ---- timer -------------------------------------------------------------------

timer::timer(int device) {
  facts_ = query_device_facts(device);
  EDGEPERF_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  EDGEPERF_CUDA_CHECK(cudaEventCreate(&start_));
  EDGEPERF_CUDA_CHECK(cudaEventCreate(&stop_));
  // >= 2x L2 so that every line the measured kernel could hit is overwritten.
  const std::size_t l2 = static_cast<std::size_t>(std::max<std::int64_t>(facts_.l2_bytes, 1 << 20));
  flush_ = device_buffer(2 * l2);
}

timer::~timer() {
  if (start_ != nullptr) (void)cudaEventDestroy(start_);
  if (stop_ != nullptr) (void)cudaEventDestroy(stop_);
  if (stream_ != nullptr) (void)cudaStreamDestroy(stream_);
}

void timer::flush_l2() {
  // A different byte each time so the memset cannot be elided by compression.
  ++flush_count_;
  EDGEPERF_CUDA_CHECK(
      cudaMemsetAsync(flush_.get(), static_cast<int>(flush_count_ & 0xffu), flush_.bytes(), stream_));
}

sample_stats timer::measure(const std::function<void(cudaStream_t)>& launch,
                            const timing_options& opt) {
  using clock = std::chrono::steady_clock;
  for (int i = 0; i < opt.warmup; ++i) launch(stream_);
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
  EDGEPERF_CUDA_CHECK(cudaStreamSynchronize(stream_));

  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(opt.max_samples));
  double gpu_total_s = 0;
  bool stable = false;
  const auto t0 = clock::now();
  while (static_cast<int>(samples.size()) < opt.max_samples) {
    if (opt.flush_l2) flush_l2();
    EDGEPERF_CUDA_CHECK(cudaEventRecord(start_, stream_));
    launch(stream_);
    EDGEPERF_CUDA_CHECK(cudaEventRecord(stop_, stream_));
    EDGEPERF_CUDA_CHECK(cudaEventSynchronize(stop_));
    EDGEPERF_CUDA_CHECK(cudaGetLastError());
    float ms = 0;
    EDGEPERF_CUDA_CHECK(cudaEventElapsedTime(&ms, start_, stop_));
    samples.push_back(static_cast<double>(ms) * 1e-3);
    gpu_total_s += samples.back();

    const double wall_s = std::chrono::duration<double>(clock::now() - t0).count();
    if (static_cast<int>(samples.size()) >= opt.min_samples && gpu_total_s >= opt.min_time_s) {
      // Standard error of the median ~ 1.2533 sigma / sqrt(n), sigma estimated
      // robustly from the 10-90 % spread (2.563 sigma for a normal).
      const sample_stats s = summarize(samples);
      const double sigma = (s.p90_s - s.p10_s) / 2.563;
      const double se = 1.2533 * sigma / std::sqrt(static_cast<double>(s.count));
      if (se <= opt.rel_tol * s.median_s) {
        stable = true;
        break;
      }
    }
    if (wall_s >= opt.max_time_s && static_cast<int>(samples.size()) >= std::min(3, opt.min_samples))
      break;
  }
  sample_stats s = summarize(std::move(samples));
  s.stable = stable;
  return s;
}

std::vector<double> download_f16(const void* dev, std::size_t count) {
  std::vector<__half> h(count);
  EDGEPERF_CUDA_CHECK(cudaDeviceSynchronize());
  EDGEPERF_CUDA_CHECK(cudaMemcpy(h.data(), dev, count * sizeof(__half), cudaMemcpyDeviceToHost));
  std::vector<double> d(count);
  for (std::size_t i = 0; i < count; ++i) d[i] = static_cast<double>(__half2float(h[i]));
  return d;
}

check_result compare(const std::string& name, const std::vector<double>& got, const std::vector<double>& ref,
                     double rel_tol) {
  check_result c;
  c.name = name;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    c.max_abs_ref = std::max(c.max_abs_ref, std::fabs(ref[i]));
    const double e = i < got.size() ? std::fabs(got[i] - ref[i]) : INFINITY;
    c.max_abs_err = std::isnan(e) ? INFINITY : std::max(c.max_abs_err, e);
  }
  c.tolerance = rel_tol * std::max(1.0, c.max_abs_ref);
  c.passed = got.size() == ref.size() && c.max_abs_err <= c.tolerance;
  return c;
}

int grid_for(std::size_t n, int threads, int sm_count, int blocks_per_sm) {
  const std::size_t need = (n + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
  const std::size_t cap = static_cast<std::size_t>(std::max(sm_count, 1)) * static_cast<std::size_t>(blocks_per_sm);
  return static_cast<int>(std::max<std::size_t>(1, std::min(need, cap)));
}

void progress(const options& opt, const std::string& line) {
  if (opt.verbose) std::cerr << "[edgeperf_calibrate] " << line << std::endl;
}

}  // namespace edgeperf::calib
