// Benchmark 1: memory bandwidth over transfer sizes: read-only (what decode
// does: weights and KV stream in), write-only, and the STREAM copy, scale and
// triad, on float4, 64 KiB per array up to >= 1 GiB (clamped to what fits in
// free memory). Each size is timed with the last-level cache flushed (the
// DRAM latency + bandwidth curve) and, while the working set fits in 2x L2,
// also warm (the L2 knee). The fit reads mem_efficiency and mem_latency_s from
// the flushed read-only sweep and l2_bytes_per_s from the warm one; the
// others are checks.

#include <algorithm>
#include <cmath>
#include <string>

#include "cuda_util.cuh"

namespace edgeperf::calib {

namespace {

__global__ void copy_kernel(const float4* __restrict__ a, float4* __restrict__ b, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride)
    b[i] = a[i];
}

__global__ void scale_kernel(const float4* __restrict__ a, float4* __restrict__ b, float s, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float4 v = a[i];
    b[i] = make_float4(s * v.x, s * v.y, s * v.z, s * v.w);
  }
}

__global__ void triad_kernel(const float4* __restrict__ b, const float4* __restrict__ c, float4* __restrict__ a,
                             float s, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float4 x = b[i];
    const float4 y = c[i];
    a[i] = make_float4(x.x + s * y.x, x.y + s * y.y, x.z + s * y.z, x.w + s * y.w);
  }
}

/// Read-only: every element loaded once and summed; the conditional store keeps
/// the loads alive and never fires for the random non-zero contents.
__global__ void read_kernel(const float4* __restrict__ a, float* __restrict__ sink, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  float acc = 0.0f;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float4 v = a[i];
    acc += (v.x + v.y) + (v.z + v.w);
  }
  if (acc == 1234567.0f) *sink = acc;
}

/// Write-only: every element stored once (a value that depends on the index,
/// so no write can be skipped or compressed away as a constant fill).
__global__ void write_kernel(float4* __restrict__ b, float s, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float f = s * static_cast<float>(i & 0xffffu);
    b[i] = make_float4(f, f + 1.0f, f + 2.0f, f + 3.0f);
  }
}

constexpr int threads = 256;
constexpr int memory_ops = 5;
const char* const op_names[memory_ops] = {"read", "write", "copy", "scale", "triad"};
/// Arrays touched per element: read 1, write 1, copy/scale 2 (read + write), triad 3.
constexpr double op_traffic[memory_ops] = {1.0, 1.0, 2.0, 2.0, 3.0};

}  // namespace

void launch_copy(const void* src, void* dst, std::size_t n4, int grid, cudaStream_t s) {
  copy_kernel<<<grid, threads, 0, s>>>(static_cast<const float4*>(src), static_cast<float4*>(dst), n4);
}

void run_memory(const options& opt, results& out) {
  timer tm(opt.device);
  const device_facts& f = tm.facts();

  // Largest per-array size: 2 GiB (1 GiB in quick mode), clamped so the three
  // triad arrays take at most half of the free memory (Jetson shares it with the OS).
  const std::size_t goal = opt.quick ? (std::size_t{1} << 30) : (std::size_t{2} << 30);
  const std::size_t fit = static_cast<std::size_t>(f.free_bytes) / 6;
  std::size_t max_bytes = std::min(goal, fit) & ~std::size_t{4095};
  if (max_bytes < goal)
    out.skips.push_back({"memory", "sizes", "largest array clamped to " + std::to_string(max_bytes) +
                                                " bytes by free memory"});
  device_buffer a(max_bytes), b(max_bytes), c(max_bytes), sink(sizeof(float));
  fill_random(a.get(), max_bytes / 4, elem::f32, 11);
  fill_random(b.get(), max_bytes / 4, elem::f32, 12);
  fill_random(c.get(), max_bytes / 4, elem::f32, 13);

  // Sizes: 64 KiB upward by sqrt(2) (quick: by 2), rounded to 4 KiB.
  std::vector<std::size_t> sizes;
  const double step = opt.quick ? 2.0 : std::sqrt(2.0);
  for (double s = 65536.0; s <= static_cast<double>(max_bytes) * 1.0001; s *= step) {
    const std::size_t v = (static_cast<std::size_t>(s + 0.5) + 4095) & ~std::size_t{4095};
    if (sizes.empty() || v != sizes.back()) sizes.push_back(std::min(v, max_bytes));
  }

  timing_options to;
  to.max_time_s = opt.quick ? 0.08 : 0.2;
  const float scalar = 1.0009765625f;
  int done = 0;
  for (const std::size_t size : sizes) {
    if (budget_stop(opt, out, "memory", "sizes")) break;
    const std::size_t n4 = size / 16;
    const int grid = grid_for(n4, threads, f.sm_count);
    for (int op = 0; op < memory_ops; ++op) {
      const char* name = op_names[op];
      // Analytic traffic: each array the kernel touches, once.
      const double bytes = static_cast<double>(size) * op_traffic[op];
      const double flops = op == 0   ? static_cast<double>(size / 4)  // one add per element
                           : op <= 2 ? 0.0
                                     : static_cast<double>(size / 4) * (op == 3 ? 1.0 : 2.0);
      auto launch = [&](cudaStream_t s) {
        switch (op) {
          case 0: read_kernel<<<grid, threads, 0, s>>>(a.as<float4>(), sink.as<float>(), n4); break;
          case 1: write_kernel<<<grid, threads, 0, s>>>(b.as<float4>(), scalar, n4); break;
          case 2: copy_kernel<<<grid, threads, 0, s>>>(a.as<float4>(), b.as<float4>(), n4); break;
          case 3: scale_kernel<<<grid, threads, 0, s>>>(a.as<float4>(), b.as<float4>(), scalar, n4); break;
          default:
            triad_kernel<<<grid, threads, 0, s>>>(b.as<float4>(), c.as<float4>(), a.as<float4>(), scalar, n4);
        }
      };
      const bool warm_too = bytes <= 2.0 * static_cast<double>(f.l2_bytes);
      for (int warm = 0; warm < (warm_too ? 2 : 1); ++warm) {
        timing_options o = to;
        o.flush_l2 = warm == 0;
        record r;
        r.bench = "memory";
        r.name = name;
        r.params = {{"size_bytes", static_cast<double>(size)}, {"grid", static_cast<double>(grid)},
                    {"threads", static_cast<double>(threads)}};
        r.tags = {{"l2", warm == 0 ? "flushed" : "warm"}, {"dtype", "f32x4"}};
        r.flops = flops;
        r.bytes = bytes;
        r.time = tm.measure(launch, o);
        out.records.push_back(std::move(r));
        ++done;
      }
    }
  }
  progress(opt, "memory: " + std::to_string(done) + " configurations (read, write, copy, scale, triad), sizes 64 KiB.." +
                    std::to_string(max_bytes >> 20) + " MiB");
}

}  // namespace edgeperf::calib
