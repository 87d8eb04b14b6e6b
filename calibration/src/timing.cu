// Timing layer of the calibration suite: device facts, the random initialiser
// and the nvbench-style timer declared in cuda_util.cuh (its statistics are
// host-only, in timing_stats.cpp).

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#if CUDART_VERSION >= 11080
#include <cuda_fp8.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <stdexcept>
#include <utility>

#include "cuda_util.cuh"
#include "telemetry.hpp"

namespace edgeperf::calib {

void throw_cuda_error(cudaError_t err, const char* expr, const char* file, int line) {
  throw std::runtime_error(std::string(file) + ":" + std::to_string(line) + ": " + expr +
                           " failed: " + cudaGetErrorName(err) + " (" + cudaGetErrorString(err) +
                           ")");
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

namespace {

__device__ __forceinline__ unsigned long long global_ns() {
  unsigned long long t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}

/// Spins until the host sets flags[0]; gives up after `timeout_ns` and sets
/// flags[1] (a queue deeper than the GPU's launch queue would otherwise
/// deadlock host and device), as nvbench's blocking kernel does.
__global__ void blocking_kernel(volatile int* flags, unsigned long long timeout_ns) {
  const unsigned long long t0 = global_ns();
  while (flags[0] == 0) {
    if (global_ns() - t0 > timeout_ns) {
      flags[1] = 1;
      break;
    }
#if __CUDA_ARCH__ >= 700
    __nanosleep(1000);
#endif
  }
}

/// Reads the flush buffer (float4, grid-stride); the conditional store keeps
/// the loads from being optimised away and never happens for the buffer's
/// random contents in practice.
__global__ void flush_read_kernel(const float4* __restrict__ p, std::size_t n, float* sink) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  float acc = 0.0f;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float4 v = p[i];
    acc += v.x + v.y + v.z + v.w;
  }
  if (acc == 1234567.0f) *sink = acc;
}

constexpr unsigned long long blocking_timeout_ns = 2000000000ull;  // 2 s

}  // namespace

timer::timer(int device) {
  facts_ = query_device_facts(device);
  EDGEPERF_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  EDGEPERF_CUDA_CHECK(cudaEventCreate(&start_));
  EDGEPERF_CUDA_CHECK(cudaEventCreate(&stop_));
  flush_ = device_buffer(flush_bytes(facts_.l2_bytes, facts_.integrated));
  fill_random(flush_.get(), flush_.bytes() / 4, elem::f32, 0x5eedull);
  sink_ = device_buffer(sizeof(float));
  EDGEPERF_CUDA_CHECK(cudaHostAlloc(reinterpret_cast<void**>(&host_flags_), 2 * sizeof(int), cudaHostAllocMapped));
  host_flags_[0] = 0;
  host_flags_[1] = 0;
  EDGEPERF_CUDA_CHECK(cudaHostGetDevicePointer(reinterpret_cast<void**>(&dev_flags_), host_flags_, 0));
}

timer::~timer() {
  if (stream_ != nullptr) (void)cudaStreamSynchronize(stream_);
  if (host_flags_ != nullptr) (void)cudaFreeHost(host_flags_);
  if (start_ != nullptr) (void)cudaEventDestroy(start_);
  if (stop_ != nullptr) (void)cudaEventDestroy(stop_);
  if (stream_ != nullptr) (void)cudaStreamDestroy(stream_);
}

void timer::flush_l2() {
  const std::size_t n4 = flush_.bytes() / 16;
  flush_read_kernel<<<grid_for(n4, 256, facts_.sm_count, 4), 256, 0, stream_>>>(flush_.as<float4>(), n4,
                                                                                  sink_.as<float>());
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
}

void timer::block() {
  reinterpret_cast<volatile int*>(host_flags_)[0] = 0;
  reinterpret_cast<volatile int*>(host_flags_)[1] = 0;
  std::atomic_thread_fence(std::memory_order_seq_cst);
  blocking_kernel<<<1, 1, 0, stream_>>>(dev_flags_, blocking_timeout_ns);
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
}

bool timer::release() {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  reinterpret_cast<volatile int*>(host_flags_)[0] = 1;
  std::atomic_thread_fence(std::memory_order_seq_cst);
  EDGEPERF_CUDA_CHECK(cudaStreamSynchronize(stream_));
  return reinterpret_cast<volatile int*>(host_flags_)[1] == 0;
}

sample_stats timer::measure(const std::function<void(cudaStream_t)>& launch, const timing_options& opt) {
  using clock = std::chrono::steady_clock;
  const auto elapsed_s = [&]() {
    float ms = 0;
    EDGEPERF_CUDA_CHECK(cudaEventSynchronize(stop_));
    EDGEPERF_CUDA_CHECK(cudaEventElapsedTime(&ms, start_, stop_));
    return static_cast<double>(ms) * 1e-3;
  };
  // 1. Warm-up until the round medians settle (clocks ramped, caches and modules loaded).
  std::vector<double> round_medians;
  const auto w0 = clock::now();
  do {
    std::vector<double> round;
    for (int i = 0; i < std::max(1, opt.warmup_launches); ++i) {
      EDGEPERF_CUDA_CHECK(cudaEventRecord(start_, stream_));
      launch(stream_);
      EDGEPERF_CUDA_CHECK(cudaEventRecord(stop_, stream_));
      round.push_back(elapsed_s());
    }
    EDGEPERF_CUDA_CHECK(cudaGetLastError());
    round_medians.push_back(summarize(round).median_s);
  } while (!warmup_settled(round_medians, opt.warmup_k, opt.warmup_tol) &&
           std::chrono::duration<double>(clock::now() - w0).count() < opt.warmup_max_s);
  // 2. Batch short warm-cache kernels (a flushed sample must hold one launch).
  const int batch = opt.flush_l2 ? 1 : batch_for(round_medians.back(), opt.batch_target_s, opt.max_batch);

  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(opt.max_samples));
  clock_tracker clocks;
  double gpu_total_s = 0;
  bool stable = false;
  bool blocking = opt.blocking;
  const auto t0 = clock::now();
  while (static_cast<int>(samples.size()) < opt.max_samples) {
    const clock_reading c = read_clocks();
    clocks.add(c.source, c.sm_hz, c.mem_hz, c.reasons);
    if (opt.flush_l2) flush_l2();
    if (blocking) block();
    EDGEPERF_CUDA_CHECK(cudaEventRecord(start_, stream_));
    for (int b = 0; b < batch; ++b) launch(stream_);
    EDGEPERF_CUDA_CHECK(cudaEventRecord(stop_, stream_));
    if (blocking && !release()) {
      // The launch queue filled before the release: drop this sample, time the rest unblocked.
      blocking = false;
      continue;
    }
    EDGEPERF_CUDA_CHECK(cudaGetLastError());
    samples.push_back(elapsed_s() / batch);
    gpu_total_s += samples.back() * batch;
    if (sampling_converged(samples, gpu_total_s, opt.min_samples, opt.min_time_s, opt.rel_tol)) {
      stable = true;
      break;
    }
    const double wall_s = std::chrono::duration<double>(clock::now() - t0).count();
    if (wall_s >= opt.max_time_s && static_cast<int>(samples.size()) >= std::min(3, opt.min_samples)) break;
  }
  sample_stats s = summarize(std::move(samples));
  s.stable = stable;
  s.batch = batch;
  s.clocks = clocks.summary();
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

bool budget_stop(const options& opt, results& out, const std::string& bench, const std::string& name) {
  if (!out_of_time(opt)) return false;
  for (const skipped& s : out.skips)
    if (s.bench == bench && s.name == name && s.reason.rfind("time budget", 0) == 0) return true;
  out.skips.push_back({bench, name, "time budget (--budget) spent: the rest of this sweep was not run"});
  return true;
}

void progress(const options& opt, const std::string& line) {
  if (opt.verbose) std::cerr << "[edgeperf_calibrate] " << line << std::endl;
}

}  // namespace edgeperf::calib
