// Benchmark 2: GEMM sweeps. Y[M x N] = X[M x K] * W[N x K]^T (a Linear layer,
// weights row-major N x K as PyTorch stores them), over M from 1 to 8192 and
// (N, K) pairs of real models, per dtype through cuBLASLt (fp16, bf16 with
// fp32 accumulate; int8 with int32 accumulate; fp8 e4m3 where cc >= 8.9), plus
// one kernel of our own with a fixed, known 128x128x32 CTA tile (WMMA fp16) so
// the padding staircase (time flat within each 128-row band of M) is
// unambiguous. cuBLAS sees the column-major transpose: m = N, n = M, k = K,
// op(A) = T on W, op(B) = N on X ("TN", the layout int8/fp8 require).
// Every cuBLASLt record carries the heuristic's choice (algo, tile, stages,
// split-K, wavesCount) and the tile in our orientation with the resident CTAs
// per SM it implies, which the fit models that record with. Two entry points
// so that a short budget keeps fp16 (run early) and cuts the other dtypes
// (run late): run_gemm (fp16 + the WMMA kernel), run_gemm_dtypes (bf16,
// int8, fp8).

#include <cublasLt.h>
#include <cuda_fp16.h>
#include <mma.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

#include "cublaslt_tiles.hpp"
#include "cuda_util.cuh"

namespace edgeperf::calib {

namespace {

void check_lt(cublasStatus_t st, const char* what) {
  if (st != CUBLAS_STATUS_SUCCESS)
    throw std::runtime_error(std::string("cublasLt: ") + what + " failed with status " + std::to_string(static_cast<int>(st)));
}

/// One dtype of the sweep: how cuBLASLt is configured for it.
struct gemm_dtype {
  const char* name;
  cudaDataType_t ab;           ///< A and B (W and X)
  cudaDataType_t cd;           ///< C and D (Y)
  cublasComputeType_t compute;
  cudaDataType_t scale;
  elem init;                   ///< random initialiser for A and B
  std::size_t ab_bytes;
  std::size_t cd_bytes;
  int min_cc;                  ///< 10*major + minor required
};

std::vector<gemm_dtype> gemm_dtypes() {
  std::vector<gemm_dtype> v = {
      {"fp16", CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, CUDA_R_32F, elem::f16, 2, 2, 70},
      {"bf16", CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F, elem::bf16, 2, 2, 80},
      {"int8", CUDA_R_8I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I, elem::i8, 1, 4, 75},
  };
#if CUDART_VERSION >= 12000
  v.push_back({"fp8_e4m3", CUDA_R_8F_E4M3, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F, elem::fp8_e4m3, 1, 2, 89});
#endif
  return v;
}

/// (N, K) of a Linear layer of a real model.
struct nk_shape {
  const char* model;
  const char* layer;
  int n;
  int k;
};

std::vector<nk_shape> nk_shapes(bool quick) {
  // Llama-3.1-8B: hidden 4096, 32 q / 8 kv heads of 128 (qkv = 6144),
  // intermediate 14336 (gate_up fused = 28672). Qwen2.5-1.5B (DeepSeek-R1-
  // Distill-Qwen-1.5B): hidden 1536, 12 q / 2 kv heads of 128 (qkv = 2048),
  // intermediate 8960 (gate_up = 17920). See data/models.md.
  std::vector<nk_shape> all = {
      {"llama-8b", "o_proj", 4096, 4096},     {"llama-8b", "qkv_proj", 6144, 4096},
      {"llama-8b", "gate_up_proj", 28672, 4096}, {"llama-8b", "down_proj", 4096, 14336},
      {"qwen-1.5b", "qkv_proj", 2048, 1536},  {"qwen-1.5b", "gate_up_proj", 17920, 1536},
      {"qwen-1.5b", "down_proj", 1536, 8960},
  };
  if (!quick) return all;
  return {all[0], all[2], all[6]};
}

/// M values: every 16 up to 512 (plus M = 1), then 64, 128, 256, 512 steps per octave.
std::vector<int> m_values(bool quick, int m_max) {
  std::vector<int> v;
  if (quick) {
    v = {1, 16, 64, 128, 144, 256, 512, 1024, 2048, 4096, 8192};
  } else {
    v.push_back(1);
    for (int m = 16; m <= 512; m += 16) v.push_back(m);
    for (int m = 576; m <= 1024; m += 64) v.push_back(m);
    for (int m = 1152; m <= 2048; m += 128) v.push_back(m);
    for (int m = 2304; m <= 4096; m += 256) v.push_back(m);
    for (int m = 4608; m <= 8192; m += 512) v.push_back(m);
  }
  v.erase(std::remove_if(v.begin(), v.end(), [&](int m) { return m > m_max; }), v.end());
  return v;
}

// ---- our own kernel: WMMA fp16, CTA tile 128 x 128 x 32, 8 warps -------------

constexpr int wm_tile_m = 128;
constexpr int wm_tile_n = 128;
constexpr int wm_tile_k = 32;
constexpr int wm_lds = wm_tile_k + 8;  // padded row (halves) against bank conflicts
constexpr int wm_threads = 256;

/// Y = X W^T, X [M x K], W [N x K], Y [M x N], all row-major fp16, fp32
/// accumulate. Requires K % 32 == 0; M and N arbitrary (zero-filled edges), so
/// a partial tile costs a full one: the staircase the cost model bills.
/// Warps tile the CTA 2 (M) x 4 (N), 64 x 32 each (4 x 2 fragments of 16x16).
/// No software pipelining: a reference for tile quantisation, not for speed.
__global__ void __launch_bounds__(wm_threads) wmma_gemm_kernel(const __half* __restrict__ x,
                                                                const __half* __restrict__ w,
                                                                __half* __restrict__ y, int m, int n, int k) {
  using namespace nvcuda;
  __shared__ __align__(128) __half sa[wm_tile_m * wm_lds];
  __shared__ __align__(128) __half sb[wm_tile_n * wm_lds];
  const int m0 = static_cast<int>(blockIdx.y) * wm_tile_m;
  const int n0 = static_cast<int>(blockIdx.x) * wm_tile_n;
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int wrow = (warp / 4) * 64;
  const int wcol = (warp % 4) * 32;

  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[4][2];
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 2; ++j) wmma::fill_fragment(acc[i][j], 0.0f);

  for (int k0 = 0; k0 < k; k0 += wm_tile_k) {
    // 128 rows x 32 halves = 512 16-byte chunks per operand, 2 per thread.
#pragma unroll
    for (int it = 0; it < 2; ++it) {
      const int idx = static_cast<int>(threadIdx.x) + it * wm_threads;
      const int row = idx >> 2;
      const int col = (idx & 3) * 8;
      const int gm = m0 + row;
      const int gn = n0 + row;
      uint4 va = make_uint4(0, 0, 0, 0);
      uint4 vb = make_uint4(0, 0, 0, 0);
      if (gm < m) va = *reinterpret_cast<const uint4*>(x + static_cast<std::size_t>(gm) * k + k0 + col);
      if (gn < n) vb = *reinterpret_cast<const uint4*>(w + static_cast<std::size_t>(gn) * k + k0 + col);
      *reinterpret_cast<uint4*>(sa + row * wm_lds + col) = va;
      *reinterpret_cast<uint4*>(sb + row * wm_lds + col) = vb;
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < wm_tile_k; kk += 16) {
      wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> fa[4];
      wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::col_major> fb[2];
#pragma unroll
      for (int i = 0; i < 4; ++i) wmma::load_matrix_sync(fa[i], sa + (wrow + i * 16) * wm_lds + kk, wm_lds);
#pragma unroll
      for (int j = 0; j < 2; ++j) wmma::load_matrix_sync(fb[j], sb + (wcol + j * 16) * wm_lds + kk, wm_lds);
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 2; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
    }
    __syncthreads();
  }

  // Epilogue through shared memory (sa is free now): 1 KiB of floats per warp.
  float* stage = reinterpret_cast<float*>(sa) + warp * 256;
#pragma unroll
  for (int i = 0; i < 4; ++i) {
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      wmma::store_matrix_sync(stage, acc[i][j], 16, wmma::mem_row_major);
      __syncwarp();
      for (int e = lane; e < 256; e += 32) {
        const int gm = m0 + wrow + i * 16 + e / 16;
        const int gn = n0 + wcol + j * 16 + e % 16;
        if (gm < m && gn < n) y[static_cast<std::size_t>(gm) * n + gn] = __float2half(stage[e]);
      }
      __syncwarp();
    }
  }
}

/// The own kernel against a host reference on a shape with partial tiles in M and N.
check_result check_wmma() {
  const int m = 130, n = 200, k = 64;
  device_buffer dx(std::size_t{2} * m * k), dw(std::size_t{2} * n * k), dy(std::size_t{2} * m * n);
  fill_random(dx.get(), std::size_t{1} * m * k, elem::f16, 91);
  fill_random(dw.get(), std::size_t{1} * n * k, elem::f16, 92);
  const dim3 grid((n + wm_tile_n - 1) / wm_tile_n, (m + wm_tile_m - 1) / wm_tile_m);
  wmma_gemm_kernel<<<grid, wm_threads>>>(dx.as<__half>(), dw.as<__half>(), dy.as<__half>(), m, n, k);
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
  const auto x = download_f16(dx.get(), std::size_t{1} * m * k);
  const auto w = download_f16(dw.get(), std::size_t{1} * n * k);
  const auto y = download_f16(dy.get(), std::size_t{1} * m * n);
  std::vector<double> ref(std::size_t{1} * m * n, 0.0);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double acc = 0;
      for (int kk = 0; kk < k; ++kk) acc += x[static_cast<std::size_t>(i) * k + kk] * w[static_cast<std::size_t>(j) * k + kk];
      ref[static_cast<std::size_t>(i) * n + j] = acc;
    }
  return compare("wmma_128x128x32 m=130 n=200 k=64", y, ref, 1e-2);
}

/// cuBLASLt state for one dtype: descriptors and the heuristic's pick per shape.
struct lt_plan {
  cublasLtMatmulDesc_t op{nullptr};
  cublasLtMatrixLayout_t a{nullptr}, b{nullptr}, c{nullptr};
  cublasLtMatmulAlgo_t algo{};
  bool ok{false};
  int algo_id{-1}, tile_id{-1}, stages_id{-1}, splitk{-1};
  float waves{0};  ///< cublasLtMatmulHeuristicResult_t::wavesCount
  std::size_t workspace{0};

  lt_plan() = default;
  lt_plan(const lt_plan&) = delete;
  lt_plan& operator=(const lt_plan&) = delete;
  ~lt_plan() {
    if (a != nullptr) (void)cublasLtMatrixLayoutDestroy(a);
    if (b != nullptr) (void)cublasLtMatrixLayoutDestroy(b);
    if (c != nullptr) (void)cublasLtMatrixLayoutDestroy(c);
    if (op != nullptr) (void)cublasLtMatmulDescDestroy(op);
  }
};

/// Builds descriptors for Y^T[N x M] = W^T-op * X (column-major view, see file
/// comment) and asks the heuristic for its best algorithm. `ok` false when
/// cuBLASLt has none for this dtype and shape; `why` then says so.
void plan_lt(cublasLtHandle_t h, const gemm_dtype& dt, int m, int n, int k, std::size_t workspace_bytes,
             lt_plan& p, std::string& why) {
  check_lt(cublasLtMatmulDescCreate(&p.op, dt.compute, dt.scale), "MatmulDescCreate");
  const cublasOperation_t ta = CUBLAS_OP_T;
  const cublasOperation_t tb = CUBLAS_OP_N;
  check_lt(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof(ta)), "set TRANSA");
  check_lt(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof(tb)), "set TRANSB");
  // cuBLAS dims: rows = N (output features), cols = M (tokens), inner = K.
  check_lt(cublasLtMatrixLayoutCreate(&p.a, dt.ab, static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(n), k), "layout A");
  check_lt(cublasLtMatrixLayoutCreate(&p.b, dt.ab, static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(m), k), "layout B");
  check_lt(cublasLtMatrixLayoutCreate(&p.c, dt.cd, static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(m), n), "layout C");
  cublasLtMatmulPreference_t pref = nullptr;
  check_lt(cublasLtMatmulPreferenceCreate(&pref), "PreferenceCreate");
  check_lt(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace_bytes,
                                                sizeof(workspace_bytes)),
           "set workspace");
  cublasLtMatmulHeuristicResult_t res{};
  int found = 0;
  const cublasStatus_t st = cublasLtMatmulAlgoGetHeuristic(h, p.op, p.a, p.b, p.c, p.c, pref, 1, &res, &found);
  (void)cublasLtMatmulPreferenceDestroy(pref);
  if (st != CUBLAS_STATUS_SUCCESS || found == 0) {
    why = "no cuBLASLt algorithm (status " + std::to_string(static_cast<int>(st)) + ")";
    return;
  }
  p.algo = res.algo;
  p.workspace = res.workspaceSize;
  p.waves = res.wavesCount;
  p.ok = true;
  std::size_t written = 0;
  std::uint32_t u32 = 0;
  std::int32_t i32 = 0;
  if (cublasLtMatmulAlgoConfigGetAttribute(&p.algo, CUBLASLT_ALGO_CONFIG_ID, &i32, sizeof(i32), &written) ==
      CUBLAS_STATUS_SUCCESS)
    p.algo_id = i32;
  if (cublasLtMatmulAlgoConfigGetAttribute(&p.algo, CUBLASLT_ALGO_CONFIG_TILE_ID, &u32, sizeof(u32), &written) ==
      CUBLAS_STATUS_SUCCESS)
    p.tile_id = static_cast<int>(u32);
  if (cublasLtMatmulAlgoConfigGetAttribute(&p.algo, CUBLASLT_ALGO_CONFIG_STAGES_ID, &u32, sizeof(u32), &written) ==
      CUBLAS_STATUS_SUCCESS)
    p.stages_id = static_cast<int>(u32);
  if (cublasLtMatmulAlgoConfigGetAttribute(&p.algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, &u32, sizeof(u32), &written) ==
      CUBLAS_STATUS_SUCCESS)
    p.splitk = static_cast<int>(u32);
}

/// The sweep over the dtypes `want` selects, then (when `wmma`) the own kernel.
void gemm_sweep(const options& opt, results& out, bool (*want)(const gemm_dtype&), bool wmma) {
  timer tm(opt.device);
  const device_facts& f = tm.facts();
  const int cc = f.cc_major * 10 + f.cc_minor;
  const auto shapes = nk_shapes(opt.quick);
  std::size_t max_nk = 0;
  int max_n = 0, max_k = 0;
  for (const auto& s : shapes) {
    max_nk = std::max(max_nk, static_cast<std::size_t>(s.n) * static_cast<std::size_t>(s.k));
    max_n = std::max(max_n, s.n);
    max_k = std::max(max_k, s.k);
  }
  // Largest M whose buffers (W, X, int32 Y, workspace) take at most half the free memory.
  const std::size_t workspace_bytes = std::size_t{32} << 20;
  int m_max = 8192;
  auto need = [&](int mm) {
    return max_nk * 2 + static_cast<std::size_t>(mm) * static_cast<std::size_t>(max_k) * 2 +
           static_cast<std::size_t>(mm) * static_cast<std::size_t>(max_n) * 4 + workspace_bytes;
  };
  while (m_max > 256 && need(m_max) > static_cast<std::size_t>(f.free_bytes) / 2) m_max /= 2;
  if (m_max < 8192) out.skips.push_back({"gemm", "sizes", "M capped at " + std::to_string(m_max) + " by free memory"});
  const auto ms = m_values(opt.quick, m_max);

  device_buffer w(max_nk * 2);
  device_buffer x(static_cast<std::size_t>(m_max) * static_cast<std::size_t>(max_k) * 2);
  device_buffer y(static_cast<std::size_t>(m_max) * static_cast<std::size_t>(max_n) * 4);
  device_buffer ws(workspace_bytes);

  cublasLtHandle_t lt = nullptr;
  check_lt(cublasLtCreate(&lt), "Create");
  timing_options to;
  to.max_time_s = opt.quick ? 0.06 : 0.15;

  try {
    for (const gemm_dtype& dt : gemm_dtypes()) {
      if (!want(dt)) continue;
      if (cc < dt.min_cc) {
        out.skips.push_back({"gemm", std::string("cublaslt_") + dt.name,
                             "needs compute capability " + std::to_string(dt.min_cc / 10) + "." +
                                 std::to_string(dt.min_cc % 10)});
        continue;
      }
      const auto t0 = std::chrono::steady_clock::now();
      fill_random(w.get(), max_nk, dt.init, 21);
      fill_random(x.get(), static_cast<std::size_t>(m_max) * static_cast<std::size_t>(max_k), dt.init, 22);
      int done = 0;
      for (const nk_shape& s : shapes) {
        for (const int m : ms) {
          if (budget_stop(opt, out, "gemm", std::string("cublaslt_") + dt.name)) break;
          lt_plan p;
          std::string why;
          plan_lt(lt, dt, m, s.n, s.k, workspace_bytes, p, why);
          if (!p.ok) {
            std::ostringstream nm;
            nm << "cublaslt_" << dt.name << " m=" << m << " n=" << s.n << " k=" << s.k;
            out.skips.push_back({"gemm", nm.str(), why});
            continue;
          }
          // alpha = 1, beta = 0 in the scale type (int32 for int8, float otherwise).
          const float alpha_f = 1.0f, beta_f = 0.0f;
          const std::int32_t alpha_i = 1, beta_i = 0;
          const void* alpha = dt.scale == CUDA_R_32I ? static_cast<const void*>(&alpha_i) : &alpha_f;
          const void* beta = dt.scale == CUDA_R_32I ? static_cast<const void*>(&beta_i) : &beta_f;
          auto launch = [&](cudaStream_t st) {
            check_lt(cublasLtMatmul(lt, p.op, alpha, w.get(), p.a, x.get(), p.b, beta, y.get(), p.c, y.get(), p.c,
                                    &p.algo, ws.get(), p.workspace, st),
                     "Matmul");
          };
          record r;
          r.bench = "gemm";
          r.name = "cublaslt";
          r.params = {{"m", static_cast<double>(m)},         {"n", static_cast<double>(s.n)},
                      {"k", static_cast<double>(s.k)},       {"algo_id", static_cast<double>(p.algo_id)},
                      {"tile_id", static_cast<double>(p.tile_id)}, {"stages_id", static_cast<double>(p.stages_id)},
                      {"splitk", static_cast<double>(p.splitk)}, {"waves_count", static_cast<double>(p.waves)}};
          // The tile in our orientation (cuBLAS m x n = our N x M) and the
          // resident CTAs per SM its wavesCount implies (0 when not derivable).
          const lt_tile_dims td = lt_tile(p.tile_id);
          if (td.rows > 0) {
            const double ctas = std::ceil(static_cast<double>(m) / td.cols) * std::ceil(static_cast<double>(s.n) / td.rows) *
                                std::max(1, p.splitk);
            const int per_sm = ctas_from_waves(ctas, f.sm_count, p.waves);
            r.params.emplace_back("tile_m", td.cols);
            r.params.emplace_back("tile_n", td.rows);
            r.params.emplace_back("ctas_per_sm", per_sm > 0 ? per_sm : 1);
          }
          r.tags = {{"dtype", dt.name}, {"library", "cublasLt"}, {"model", s.model}, {"layer", s.layer},
                    {"tile", lt_tile_name(p.tile_id)}};
          // Analytic work: 2 M N K (multiply-add = 2); compulsory bytes: W and X once, Y once.
          r.flops = 2.0 * m * static_cast<double>(s.n) * s.k;
          r.bytes = static_cast<double>(dt.ab_bytes) * (static_cast<double>(s.n) * s.k + static_cast<double>(m) * s.k) +
                    static_cast<double>(dt.cd_bytes) * m * static_cast<double>(s.n);
          try {
            r.time = tm.measure(launch, to);
          } catch (const std::exception& e) {
            // A cuBLASLt refusal skips this configuration; a CUDA fault ends the benchmark.
            if (cudaDeviceSynchronize() != cudaSuccess) throw;
            std::ostringstream nm;
            nm << "cublaslt_" << dt.name << " m=" << m << " n=" << s.n << " k=" << s.k;
            out.skips.push_back({"gemm", nm.str(), e.what()});
            continue;
          }
          out.records.push_back(std::move(r));
          ++done;
        }
      }
      progress(opt, std::string("gemm ") + dt.name + ": " + std::to_string(done) + " configurations in " +
                        std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) +
                        " s");
    }
  } catch (...) {
    (void)cublasLtDestroy(lt);
    throw;
  }
  (void)cublasLtDestroy(lt);
  if (!wmma) return;

  // Our own fixed-tile kernel, fp16, same shapes and M values (checked first).
  const auto t0 = std::chrono::steady_clock::now();
  // Resident CTAs per SM as the hardware will schedule them: the fit's wave model needs it.
  int blocks_per_sm = 0;
  EDGEPERF_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks_per_sm, wmma_gemm_kernel, wm_threads, 0));
  out.checks.push_back(check_wmma());
  if (!out.checks.back().passed) {
    out.skips.push_back({"gemm", "wmma_128x128x32", "failed its correctness check: not timed"});
    return;
  }
  fill_random(w.get(), max_nk, elem::f16, 31);
  fill_random(x.get(), static_cast<std::size_t>(m_max) * static_cast<std::size_t>(max_k), elem::f16, 32);
  int done = 0;
  for (const nk_shape& s : shapes) {
    if (s.k % wm_tile_k != 0) {
      out.skips.push_back({"gemm", "wmma_128x128x32", "K not a multiple of 32"});
      continue;
    }
    for (const int m : ms) {
      if (budget_stop(opt, out, "gemm", "wmma_128x128x32")) break;
      const dim3 grid(static_cast<unsigned>((s.n + wm_tile_n - 1) / wm_tile_n),
                      static_cast<unsigned>((m + wm_tile_m - 1) / wm_tile_m));
      auto launch = [&](cudaStream_t st) {
        wmma_gemm_kernel<<<grid, wm_threads, 0, st>>>(x.as<__half>(), w.as<__half>(), y.as<__half>(), m, s.n, s.k);
      };
      record r;
      r.bench = "gemm";
      r.name = "wmma_128x128x32";
      const double tiles = static_cast<double>(grid.x) * grid.y;
      r.params = {{"m", static_cast<double>(m)},        {"n", static_cast<double>(s.n)},
                  {"k", static_cast<double>(s.k)},      {"tile_m", wm_tile_m},
                  {"tile_n", wm_tile_n},                {"tile_k", wm_tile_k},
                  {"ctas", tiles},                      {"threads", wm_threads},
                  {"blocks_per_sm", static_cast<double>(blocks_per_sm)}};
      r.tags = {{"dtype", "fp16"}, {"library", "own"}, {"model", s.model}, {"layer", s.layer}};
      r.flops = 2.0 * m * static_cast<double>(s.n) * s.k;
      r.bytes = 2.0 * (static_cast<double>(s.n) * s.k + static_cast<double>(m) * s.k + static_cast<double>(m) * s.n);
      // The work the tiles actually do, padding included.
      r.extra = {{"padded_flops", 2.0 * tiles * wm_tile_m * wm_tile_n * static_cast<double>(s.k)}};
      r.time = tm.measure(launch, to);
      out.records.push_back(std::move(r));
      ++done;
    }
  }
  progress(opt, "gemm wmma_128x128x32: " + std::to_string(done) + " configurations in " +
                    std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) +
                    " s");
}

bool is_fp16(const gemm_dtype& d) { return std::string(d.name) == "fp16"; }
bool is_not_fp16(const gemm_dtype& d) { return !is_fp16(d); }

}  // namespace

void run_gemm(const options& opt, results& out) { gemm_sweep(opt, out, is_fp16, true); }
void run_gemm_dtypes(const options& opt, results& out) { gemm_sweep(opt, out, is_not_fp16, false); }

}  // namespace edgeperf::calib
