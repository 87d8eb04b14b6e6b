// Benchmark 5: W4A16 dequantising GEMVs against the fp16 GEMV of the same
// shape (batch 1 decode of a Linear layer): y[N] = W[N x K] x[K].
// W4 format (AWQ/GPTQ-like): 4-bit unsigned weights packed 8 per uint32 along
// K (nibble j of word i is k = 8 i + j), groups of 128 along K with one fp16
// scale and one fp16 zero point per (row, group): w = (q - z) * s.
//  - "w4a16_gemv" (production): the unpacking Marlin, AWQ and llama.cpp
//    kernels use: per 32-bit word, (w >> 4j) & 0x000f000f | 0x64006400 is a
//    half2 holding 1024 + q for two nibbles at once (one LOP3), minus 1024 in
//    one HSUB2; the products with x accumulate in half2 (HFMA2) over the 8
//    weights of a word, then in fp32. About one CUDA-core op per weight
//    (declared as extra.dequant_ops = N K). The fit takes cuda_efficiency
//    from this kernel only, when it is dequant-bound.
//  - "w4a16_gemv_naive": the same layout, one weight at a time (shift, mask,
//    integer-to-float convert, FMA in fp32): about 2 ops per weight; reported.
//  - "f16_gemv": the fp16 reference (each lane reads 8 weights per 16 bytes).

#include <cuda_fp16.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "cuda_util.cuh"

namespace edgeperf::calib {

namespace {

constexpr int group_size = 128;
constexpr int rows_per_block = 8;  // one warp per output row
constexpr int gemv_threads = 32 * rows_per_block;

/// Each lane takes 32 consecutive weights (one uint4 of packed nibbles), all in
/// one group, so the group's affine map factors out: s (sum q x - z sum x).
__global__ void __launch_bounds__(gemv_threads) w4a16_gemv_kernel(const uint4* __restrict__ wq,
                                                                   const __half* __restrict__ scales,
                                                                   const __half* __restrict__ zeros,
                                                                   const __half* __restrict__ x, __half* __restrict__ y,
                                                                   int n, int k) {
  const int row = static_cast<int>(blockIdx.x) * rows_per_block + static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  if (row >= n) return;
  const int groups = k / group_size;
  const uint4* wrow = wq + static_cast<std::size_t>(row) * (k / 32);
  float acc = 0.0f;
  for (int k0 = lane * 32; k0 < k; k0 += 32 * 32) {
    const uint4 packed = wrow[k0 / 32];
    const int grp = k0 / group_size;
    const float s = __half2float(scales[static_cast<std::size_t>(row) * groups + grp]);
    const float z = __half2float(zeros[static_cast<std::size_t>(row) * groups + grp]);
    const uint4* xv = reinterpret_cast<const uint4*>(x + k0);
    const unsigned words[4] = {packed.x, packed.y, packed.z, packed.w};
    float sum_qx = 0.0f, sum_x = 0.0f;
#pragma unroll
    for (int wi = 0; wi < 4; ++wi) {
      const uint4 xr = __ldg(xv + wi);  // 8 halves = the 8 nibbles of word wi
      const __half2* x2 = reinterpret_cast<const __half2*>(&xr);
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const float2 xf = __half22float2(x2[e]);
        const float q0 = static_cast<float>((words[wi] >> (8 * e)) & 0xfu);
        const float q1 = static_cast<float>((words[wi] >> (8 * e + 4)) & 0xfu);
        sum_qx += q0 * xf.x + q1 * xf.y;
        sum_x += xf.x + xf.y;
      }
    }
    acc += s * (sum_qx - z * sum_x);
  }
#pragma unroll
  for (int off = 16; off > 0; off >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, off);
  if (lane == 0) y[row] = __float2half(acc);
}

/// fp16 GEMV: each lane reads 8 weights (16 bytes) per step.
__global__ void __launch_bounds__(gemv_threads) f16_gemv_kernel(const __half* __restrict__ w,
                                                                 const __half* __restrict__ x, __half* __restrict__ y,
                                                                 int n, int k) {
  const int row = static_cast<int>(blockIdx.x) * rows_per_block + static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  if (row >= n) return;
  const __half* wrow = w + static_cast<std::size_t>(row) * k;
  float acc = 0.0f;
  for (int k0 = lane * 8; k0 < k; k0 += 32 * 8) {
    const uint4 wr = *reinterpret_cast<const uint4*>(wrow + k0);
    const uint4 xr = __ldg(reinterpret_cast<const uint4*>(x + k0));
    const __half2* w2 = reinterpret_cast<const __half2*>(&wr);
    const __half2* x2 = reinterpret_cast<const __half2*>(&xr);
#pragma unroll
    for (int e = 0; e < 4; ++e) {
      const float2 wf = __half22float2(w2[e]);
      const float2 xf = __half22float2(x2[e]);
      acc += wf.x * xf.x + wf.y * xf.y;
    }
  }
#pragma unroll
  for (int off = 16; off > 0; off >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, off);
  if (lane == 0) y[row] = __float2half(acc);
}

/// Production W4A16 GEMV: each lane takes 32 consecutive weights (one uint4,
/// four 32-bit words), all in one group. Per word the nibble pairs (j, j + 4)
/// become half2 {1024 + q_j, 1024 + q_{j+4}} with one and-or (the compiler
/// emits LOP3), one HSUB2 takes the 1024 off (exact: integers below 2048 are
/// exact in fp16), and HFMA2 accumulates q·x over the word's 8 weights; the
/// group's affine map factors out: s (sum q x - z sum x).
__global__ void __launch_bounds__(gemv_threads) w4a16_gemv_prod_kernel(const uint4* __restrict__ wq,
                                                                        const __half* __restrict__ scales,
                                                                        const __half* __restrict__ zeros,
                                                                        const __half* __restrict__ x,
                                                                        __half* __restrict__ y, int n, int k) {
  const int row = static_cast<int>(blockIdx.x) * rows_per_block + static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  if (row >= n) return;
  const int groups = k / group_size;
  const uint4* wrow = wq + static_cast<std::size_t>(row) * (k / 32);
  const __half2 magic = __float2half2_rn(1024.0f);
  float acc = 0.0f;
  for (int k0 = lane * 32; k0 < k; k0 += 32 * 32) {
    const uint4 packed = wrow[k0 / 32];
    const int grp = k0 / group_size;
    const float s = __half2float(scales[static_cast<std::size_t>(row) * groups + grp]);
    const float z = __half2float(zeros[static_cast<std::size_t>(row) * groups + grp]);
    const uint4* xv = reinterpret_cast<const uint4*>(x + k0);
    const unsigned words[4] = {packed.x, packed.y, packed.z, packed.w};
    float sum_qx = 0.0f, sum_x = 0.0f;
#pragma unroll
    for (int wi = 0; wi < 4; ++wi) {
      const uint4 xr = __ldg(xv + wi);  // x[8 wi .. 8 wi + 7]
      const __half* xh = reinterpret_cast<const __half*>(&xr);
      __half2 qx = __float2half2_rn(0.0f);
      __half2 xs = __float2half2_rn(0.0f);
#pragma unroll
      for (int j = 0; j < 4; ++j) {
        const unsigned bits = ((words[wi] >> (4 * j)) & 0x000f000fu) | 0x64006400u;  // nibbles j and j + 4
        __half2 q;
        memcpy(&q, &bits, sizeof(q));
        q = __hsub2(q, magic);
        const __half2 xp = __halves2half2(xh[j], xh[j + 4]);
        qx = __hfma2(q, xp, qx);
        xs = __hadd2(xs, xp);
      }
      const float2 a = __half22float2(qx);
      const float2 b = __half22float2(xs);
      sum_qx += a.x + a.y;
      sum_x += b.x + b.y;
    }
    acc += s * (sum_qx - z * sum_x);
  }
#pragma unroll
  for (int off = 16; off > 0; off >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, off);
  if (lane == 0) y[row] = __float2half(acc);
}

/// The three GEMVs against host references: N = 16, K = 256 (two groups per row).
void check_gemv(results& out) {
  const int n = 16, k = 256, groups = k / group_size;
  device_buffer wq(std::size_t{1} * n * k / 2), sc(std::size_t{2} * n * groups), zp(std::size_t{2} * n * groups);
  device_buffer w16(std::size_t{2} * n * k), x(std::size_t{2} * k), y(std::size_t{2} * n);
  fill_random(wq.get(), std::size_t{1} * n * k / 2, elem::u8, 81);
  fill_random(sc.get(), std::size_t{1} * n * groups, elem::f16, 82, 0.02f);
  fill_random(zp.get(), std::size_t{1} * n * groups, elem::f16, 83, 8.0f);
  fill_random(w16.get(), std::size_t{1} * n * k, elem::f16, 84);
  fill_random(x.get(), static_cast<std::size_t>(k), elem::f16, 85);
  std::vector<unsigned char> packed(std::size_t{1} * n * k / 2);
  EDGEPERF_CUDA_CHECK(cudaMemcpy(packed.data(), wq.get(), packed.size(), cudaMemcpyDeviceToHost));
  const auto s = download_f16(sc.get(), std::size_t{1} * n * groups), z = download_f16(zp.get(), std::size_t{1} * n * groups);
  const auto w = download_f16(w16.get(), std::size_t{1} * n * k), xv = download_f16(x.get(), static_cast<std::size_t>(k));
  std::vector<double> ref4(static_cast<std::size_t>(n)), ref16(static_cast<std::size_t>(n));
  for (int r = 0; r < n; ++r) {
    double a4 = 0, a16 = 0;
    for (int kk = 0; kk < k; ++kk) {
      const std::size_t byte = (static_cast<std::size_t>(r) * k + kk) / 2;  // little endian: nibble j of a word = byte j/2
      const int q = (kk % 2 == 0) ? (packed[byte] & 0xf) : (packed[byte] >> 4);
      const std::size_t g = static_cast<std::size_t>(r) * groups + kk / group_size;
      a4 += (q - z[g]) * s[g] * xv[static_cast<std::size_t>(kk)];
      a16 += w[static_cast<std::size_t>(r) * k + kk] * xv[static_cast<std::size_t>(kk)];
    }
    ref4[static_cast<std::size_t>(r)] = a4;
    ref16[static_cast<std::size_t>(r)] = a16;
  }
  const unsigned grid = (n + rows_per_block - 1) / rows_per_block;
  w4a16_gemv_kernel<<<grid, gemv_threads>>>(wq.as<uint4>(), sc.as<__half>(), zp.as<__half>(), x.as<__half>(),
                                            y.as<__half>(), n, k);
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
  out.checks.push_back(
      compare("w4a16_gemv_naive n=16 k=256", download_f16(y.get(), static_cast<std::size_t>(n)), ref4, 1e-2));
  w4a16_gemv_prod_kernel<<<grid, gemv_threads>>>(wq.as<uint4>(), sc.as<__half>(), zp.as<__half>(), x.as<__half>(),
                                                 y.as<__half>(), n, k);
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
  out.checks.push_back(compare("w4a16_gemv n=16 k=256", download_f16(y.get(), static_cast<std::size_t>(n)), ref4, 1e-2));
  f16_gemv_kernel<<<grid, gemv_threads>>>(w16.as<__half>(), x.as<__half>(), y.as<__half>(), n, k);
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
  out.checks.push_back(compare("f16_gemv n=16 k=256", download_f16(y.get(), static_cast<std::size_t>(n)), ref16, 1e-2));
}

struct gemv_shape {
  const char* model;
  const char* layer;
  int n;
  int k;
};

}  // namespace

void run_dequant(const options& opt, results& out) {
  timer tm(opt.device);
  const std::size_t first_check = out.checks.size();
  check_gemv(out);
  for (std::size_t i = first_check; i < out.checks.size(); ++i)
    if (!out.checks[i].passed) {
      out.skips.push_back({"dequant", "gemv", out.checks[i].name + " failed its correctness check: GEMVs not timed"});
      return;
    }
  // The GEMM sweep's Linear shapes (see bench_gemm.cu), batch 1.
  std::vector<gemv_shape> shapes = {
      {"llama-8b", "o_proj", 4096, 4096},       {"llama-8b", "qkv_proj", 6144, 4096},
      {"llama-8b", "gate_up_proj", 28672, 4096}, {"llama-8b", "down_proj", 4096, 14336},
      {"qwen-1.5b", "qkv_proj", 2048, 1536},    {"qwen-1.5b", "gate_up_proj", 17920, 1536},
      {"qwen-1.5b", "down_proj", 1536, 8960},
  };
  if (opt.quick) shapes = {shapes[0], shapes[2], shapes[6]};
  std::size_t max_nk = 0, max_n = 0, max_k = 0;
  for (const auto& s : shapes) {
    max_nk = std::max(max_nk, static_cast<std::size_t>(s.n) * static_cast<std::size_t>(s.k));
    max_n = std::max(max_n, static_cast<std::size_t>(s.n));
    max_k = std::max(max_k, static_cast<std::size_t>(s.k));
  }
  device_buffer w16(max_nk * 2), wq(max_nk / 2), sc(max_nk / group_size * 2), zp(max_nk / group_size * 2);
  device_buffer x(max_k * 2), y(max_n * 2);
  fill_random(w16.get(), max_nk, elem::f16, 61);
  fill_random(wq.get(), max_nk / 2, elem::u8, 62);  // random nibbles, never an all-zero byte
  fill_random(sc.get(), max_nk / group_size, elem::f16, 63, 0.02f);
  fill_random(zp.get(), max_nk / group_size, elem::f16, 64, 8.0f);
  fill_random(x.get(), max_k, elem::f16, 65);

  timing_options to;
  to.max_time_s = opt.quick ? 0.08 : 0.2;
  for (const gemv_shape& s : shapes) {
    if (budget_stop(opt, out, "dequant", "shapes")) break;
    const unsigned grid = static_cast<unsigned>((s.n + rows_per_block - 1) / rows_per_block);
    const double nk = static_cast<double>(s.n) * s.k;
    for (int variant = 0; variant < 3; ++variant) {  // production, naive, fp16
      const bool w4 = variant < 2;
      auto launch = [&](cudaStream_t st) {
        if (variant == 0)
          w4a16_gemv_prod_kernel<<<grid, gemv_threads, 0, st>>>(wq.as<uint4>(), sc.as<__half>(), zp.as<__half>(),
                                                                x.as<__half>(), y.as<__half>(), s.n, s.k);
        else if (variant == 1)
          w4a16_gemv_kernel<<<grid, gemv_threads, 0, st>>>(wq.as<uint4>(), sc.as<__half>(), zp.as<__half>(),
                                                           x.as<__half>(), y.as<__half>(), s.n, s.k);
        else
          f16_gemv_kernel<<<grid, gemv_threads, 0, st>>>(w16.as<__half>(), x.as<__half>(), y.as<__half>(), s.n, s.k);
      };
      record r;
      r.bench = "dequant";
      r.name = variant == 0 ? "w4a16_gemv" : variant == 1 ? "w4a16_gemv_naive" : "f16_gemv";
      r.params = {{"m", 1}, {"n", static_cast<double>(s.n)}, {"k", static_cast<double>(s.k)},
                  {"group_size", w4 ? group_size : 0}};
      r.tags = {{"weights", w4 ? "int4 (fp16 scale+zero per group)" : "fp16"}, {"activations", "fp16"},
                {"library", "own"}, {"model", s.model}, {"layer", s.layer},
                {"unpack", variant == 0 ? "half2 magic (lop3), 8 per 32-bit load" : variant == 1 ? "per weight" : "none"}};
      // Analytic: 2 N K FLOPs; bytes: the weights (+ scales and zeros), x and y once.
      r.flops = 2.0 * nk;
      r.bytes = w4 ? nk / 2.0 + 2.0 * 2.0 * nk / group_size + 2.0 * s.k + 2.0 * s.n
                   : 2.0 * nk + 2.0 * s.k + 2.0 * s.n;
      // CUDA-core ops to unpack the weights: production ~1 per weight (LOP3 +
      // HSUB2 per pair), naive ~2 (extract + convert; the FMA is the GEMV's own).
      if (w4) r.extra = {{"dequant_ops", (variant == 0 ? 1.0 : 2.0) * nk}};
      r.time = tm.measure(launch, to);
      out.records.push_back(std::move(r));
    }
  }
  progress(opt, "dequant: done");
}

}  // namespace edgeperf::calib
