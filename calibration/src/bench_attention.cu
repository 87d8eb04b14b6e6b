// Benchmark 3: attention, fp16, head dim 128, grouped-query heads.
//
// Prefill: our own causal flash-style kernel (WMMA): one CTA per (64-query
// block, q head, sequence), 4 warps of 16 query rows; it walks 64-key blocks
// up to the diagonal, keeps the running max / sum per row and rescales the
// output, so the score matrix never reaches DRAM (Q, K, V, O move once, K/V
// re-reads hit L2). Not tuned like FlashAttention-2/3 (no pipelining, O goes
// through shared memory): it calibrates the shape of prefill attention cost
// (quadratic in context, causal half), and the fit scales it.
//
// Decode: one query per sequence over a KV cache of c tokens, split-K
// ("flash-decoding"): CTAs per (sequence, kv head, context chunk), each KV
// row read once for all q heads of its group, then a small combine kernel.
// Both kernels are timed together: it is a KV-cache read.

#include <cuda_fp16.h>
#include <mma.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "cuda_util.cuh"

namespace edgeperf::calib {

namespace {

constexpr int head_dim = 128;
constexpr float log2e = 1.4426950408889634f;

// ---- prefill -----------------------------------------------------------------

constexpr int pf_q_block = 64;
constexpr int pf_k_block = 64;
constexpr int pf_threads = 128;
constexpr int pf_kv_ld = head_dim + 8;   // halves per K/V row in shared memory
constexpr int pf_p_ld = pf_k_block + 8;  // halves per P row
constexpr int pf_s_ld = pf_k_block + 4;  // floats per score row (padding: fewer bank conflicts)
constexpr int pf_o_ld = head_dim + 4;    // floats per P V row
constexpr std::size_t pf_kv_bytes = std::size_t{pf_k_block} * pf_kv_ld * 2;
constexpr std::size_t pf_tmp_bytes_per_warp = std::size_t{16} * pf_o_ld * 4;  // scores, then P V
constexpr std::size_t pf_p_bytes_per_warp = std::size_t{16} * pf_p_ld * 2;
constexpr std::size_t pf_smem_bytes = 2 * pf_kv_bytes + 4 * pf_tmp_bytes_per_warp + 4 * pf_p_bytes_per_warp;

/// Causal attention O = softmax(Q K^T / sqrt(d)) V. Layouts: Q, O [B, S, Hq, d];
/// K, V [B, S, Hkv, d]; S % 64 == 0; q head h reads kv head h / (Hq / Hkv).
__global__ void __launch_bounds__(pf_threads) flash_prefill_kernel(const __half* __restrict__ q,
                                                                    const __half* __restrict__ k,
                                                                    const __half* __restrict__ v,
                                                                    __half* __restrict__ o, int s, int hq,
                                                                    int hkv) {
  using namespace nvcuda;
  extern __shared__ __align__(128) unsigned char smem[];
  __half* sk = reinterpret_cast<__half*>(smem);
  __half* sv = reinterpret_cast<__half*>(smem + pf_kv_bytes);
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  float* tmp = reinterpret_cast<float*>(smem + 2 * pf_kv_bytes + warp * pf_tmp_bytes_per_warp);
  __half* sp = reinterpret_cast<__half*>(smem + 2 * pf_kv_bytes + 4 * pf_tmp_bytes_per_warp +
                                         warp * pf_p_bytes_per_warp);

  const int qb = static_cast<int>(blockIdx.x);
  const int h = static_cast<int>(blockIdx.y);
  const int b = static_cast<int>(blockIdx.z);
  const int hk = h / (hq / hkv);
  const std::size_t q_ld = static_cast<std::size_t>(hq) * head_dim;
  const std::size_t kv_ld = static_cast<std::size_t>(hkv) * head_dim;
  const int row0 = qb * pf_q_block + warp * 16;  // first query row of this warp

  // Q fragments of this warp's 16 rows stay in registers.
  wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> fq[head_dim / 16];
  const __half* qp = q + (static_cast<std::size_t>(b) * s + row0) * q_ld + static_cast<std::size_t>(h) * head_dim;
#pragma unroll
  for (int kk = 0; kk < head_dim / 16; ++kk) wmma::load_matrix_sync(fq[kk], qp + kk * 16, static_cast<unsigned>(q_ld));

  // Each lane owns row r = lane / 2 and output columns [64 * (lane % 2), +64).
  const int r = lane / 2;
  const int half_id = lane % 2;
  const int my_q = row0 + r;
  float acc[64];
#pragma unroll
  for (int c = 0; c < 64; ++c) acc[c] = 0.0f;
  float m_run = -INFINITY;
  float l_run = 0.0f;
  const float scale = log2e / sqrtf(static_cast<float>(head_dim));

  for (int kb = 0; kb <= qb; ++kb) {
    __syncthreads();  // previous block's K/V no longer read
    // 64 rows x 128 halves = 1024 16-byte chunks per operand, 8 per thread.
    for (int idx = static_cast<int>(threadIdx.x); idx < pf_k_block * head_dim / 8; idx += pf_threads) {
      const int row = idx / (head_dim / 8);
      const int col = (idx % (head_dim / 8)) * 8;
      const std::size_t g = (static_cast<std::size_t>(b) * s + kb * pf_k_block + row) * kv_ld +
                            static_cast<std::size_t>(hk) * head_dim + col;
      *reinterpret_cast<uint4*>(sk + row * pf_kv_ld + col) = *reinterpret_cast<const uint4*>(k + g);
      *reinterpret_cast<uint4*>(sv + row * pf_kv_ld + col) = *reinterpret_cast<const uint4*>(v + g);
    }
    __syncthreads();

    // Scores S = Q K^T for 16 rows x 64 keys, into tmp (ld pf_s_ld).
#pragma unroll
    for (int j = 0; j < pf_k_block / 16; ++j) {
      wmma::fragment<wmma::accumulator, 16, 16, 16, float> fs;
      wmma::fill_fragment(fs, 0.0f);
#pragma unroll
      for (int kk = 0; kk < head_dim / 16; ++kk) {
        wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::col_major> fk;
        wmma::load_matrix_sync(fk, sk + j * 16 * pf_kv_ld + kk * 16, pf_kv_ld);
        wmma::mma_sync(fs, fq[kk], fk, fs);
      }
      wmma::store_matrix_sync(tmp + j * 16, fs, pf_s_ld, wmma::mem_row_major);
    }
    __syncwarp();

    // Online softmax: this lane's 32 of the row's 64 keys, partner lane has the rest.
    float smax = -INFINITY;
    float sc[32];
#pragma unroll
    for (int c = 0; c < 32; ++c) {
      const int key = kb * pf_k_block + half_id * 32 + c;
      sc[c] = key <= my_q ? tmp[r * pf_s_ld + half_id * 32 + c] * scale : -INFINITY;
      smax = fmaxf(smax, sc[c]);
    }
    smax = fmaxf(smax, __shfl_xor_sync(0xffffffffu, smax, 1));
    const float m_new = fmaxf(m_run, smax);
    const float alpha = exp2f(m_run - m_new);
    float psum = 0.0f;
#pragma unroll
    for (int c = 0; c < 32; ++c) {
      const float p = exp2f(sc[c] - m_new);
      psum += p;
      sp[r * pf_p_ld + half_id * 32 + c] = __float2half(p);
    }
    psum += __shfl_xor_sync(0xffffffffu, psum, 1);
    l_run = l_run * alpha + psum;
    m_run = m_new;
    __syncwarp();

    // P V for 16 rows x 128 dims into tmp (ld pf_o_ld), then acc = alpha acc + tmp.
#pragma unroll
    for (int j = 0; j < head_dim / 16; ++j) {
      wmma::fragment<wmma::accumulator, 16, 16, 16, float> fo;
      wmma::fill_fragment(fo, 0.0f);
#pragma unroll
      for (int kk = 0; kk < pf_k_block / 16; ++kk) {
        wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> fp;
        wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> fv;
        wmma::load_matrix_sync(fp, sp + kk * 16, pf_p_ld);
        wmma::load_matrix_sync(fv, sv + kk * 16 * pf_kv_ld + j * 16, pf_kv_ld);
        wmma::mma_sync(fo, fp, fv, fo);
      }
      wmma::store_matrix_sync(tmp + j * 16, fo, pf_o_ld, wmma::mem_row_major);
    }
    __syncwarp();
#pragma unroll
    for (int c = 0; c < 64; ++c) acc[c] = acc[c] * alpha + tmp[r * pf_o_ld + half_id * 64 + c];
    __syncwarp();
  }

  const float inv_l = 1.0f / l_run;
  __half* op = o + (static_cast<std::size_t>(b) * s + my_q) * q_ld + static_cast<std::size_t>(h) * head_dim + half_id * 64;
#pragma unroll
  for (int c = 0; c < 64; c += 2)
    *reinterpret_cast<__half2*>(op + c) = __floats2half2_rn(acc[c] * inv_l, acc[c + 1] * inv_l);
}

// ---- decode ------------------------------------------------------------------

constexpr int dc_threads = 128;       // 4 warps = 8 half-warps, one key per half-warp at a time
constexpr int dc_half_warps = dc_threads / 16;
constexpr int dc_max_group = 8;       // q heads per kv head handled by one CTA

/// Partial attention of one context chunk. q [B, Hq, d]; K, V [B, C, Hkv, d]
/// (C = allocated context, c = used); partials [B*Hkv, splits, g] (m, l) and
/// [B*Hkv, splits, g, d] (unnormalised o).
__global__ void __launch_bounds__(dc_threads) decode_split_kernel(const __half* __restrict__ q,
                                                                   const __half* __restrict__ k,
                                                                   const __half* __restrict__ v, float* __restrict__ pm,
                                                                   float* __restrict__ pl, float* __restrict__ po,
                                                                   int cap, int c, int hq, int hkv, int chunk) {
  __shared__ float s_m[dc_half_warps][dc_max_group];
  __shared__ float s_l[dc_half_warps][dc_max_group];
  __shared__ float s_o[dc_half_warps][dc_max_group][head_dim];
  const int bh = static_cast<int>(blockIdx.x);  // b * hkv + hk
  const int split = static_cast<int>(blockIdx.y);
  const int splits = static_cast<int>(gridDim.y);
  const int b = bh / hkv;
  const int hk = bh % hkv;
  const int g = hq / hkv;
  const int hw = static_cast<int>(threadIdx.x) / 16;
  const int hl = static_cast<int>(threadIdx.x) % 16;  // lane in half-warp: dims [8 hl, 8 hl + 8)
  const float scale = log2e / sqrtf(static_cast<float>(head_dim));

  float qv[dc_max_group][8];
  float m_run[dc_max_group], l_run[dc_max_group], acc[dc_max_group][8];
#pragma unroll
  for (int gi = 0; gi < dc_max_group; ++gi) {
    m_run[gi] = -INFINITY;
    l_run[gi] = 0.0f;
#pragma unroll
    for (int e = 0; e < 8; ++e) {
      acc[gi][e] = 0.0f;
      qv[gi][e] = 0.0f;
    }
    if (gi < g) {
      const uint4 raw = *reinterpret_cast<const uint4*>(q + (static_cast<std::size_t>(b) * hq + hk * g + gi) * head_dim + hl * 8);
      const __half2* h2 = reinterpret_cast<const __half2*>(&raw);
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const float2 f = __half22float2(h2[e]);
        qv[gi][2 * e] = f.x * scale;
        qv[gi][2 * e + 1] = f.y * scale;
      }
    }
  }

  const int t_begin = split * chunk;
  const int t_end = min(c, t_begin + chunk);
  const std::size_t kv_ld = static_cast<std::size_t>(hkv) * head_dim;
  // Half-warp hw takes keys t_begin + hw + 8 i. The loop bound is per warp (the
  // two halves of a warp iterate together, the shuffles need all 32 lanes);
  // the odd half's last key may lie past the chunk and is masked.
  const int warp = hw / 2;
  for (int base = t_begin + 2 * warp; base < t_end; base += dc_half_warps) {
    const int t = base + (hw & 1);
    const bool valid = t < t_end;
    const std::size_t off = (static_cast<std::size_t>(b) * cap + (valid ? t : base)) * kv_ld +
                            static_cast<std::size_t>(hk) * head_dim + hl * 8;
    const uint4 kraw = *reinterpret_cast<const uint4*>(k + off);
    const uint4 vraw = *reinterpret_cast<const uint4*>(v + off);
    float kf[8], vf[8];
    const __half2* k2 = reinterpret_cast<const __half2*>(&kraw);
    const __half2* v2 = reinterpret_cast<const __half2*>(&vraw);
#pragma unroll
    for (int e = 0; e < 4; ++e) {
      const float2 a = __half22float2(k2[e]);
      const float2 bb = __half22float2(v2[e]);
      kf[2 * e] = a.x;
      kf[2 * e + 1] = a.y;
      vf[2 * e] = bb.x;
      vf[2 * e + 1] = bb.y;
    }
#pragma unroll
    for (int gi = 0; gi < dc_max_group; ++gi) {
      if (gi < g) {
        float dot = 0.0f;
#pragma unroll
        for (int e = 0; e < 8; ++e) dot += qv[gi][e] * kf[e];
#pragma unroll
        for (int off2 = 8; off2 > 0; off2 >>= 1) dot += __shfl_xor_sync(0xffffffffu, dot, off2);
        if (!valid) continue;
        const float m_new = fmaxf(m_run[gi], dot);
        const float alpha = exp2f(m_run[gi] - m_new);
        const float p = exp2f(dot - m_new);
        l_run[gi] = l_run[gi] * alpha + p;
        m_run[gi] = m_new;
#pragma unroll
        for (int e = 0; e < 8; ++e) acc[gi][e] = acc[gi][e] * alpha + p * vf[e];
      }
    }
  }

  // Merge the 8 half-warps through shared memory.
#pragma unroll
  for (int gi = 0; gi < dc_max_group; ++gi) {
    if (gi < g) {
      if (hl == 0) {
        s_m[hw][gi] = m_run[gi];
        s_l[hw][gi] = l_run[gi];
      }
#pragma unroll
      for (int e = 0; e < 8; ++e) s_o[hw][gi][hl * 8 + e] = acc[gi][e];
    }
  }
  __syncthreads();
  const int d = static_cast<int>(threadIdx.x);  // one output dim per thread (128 = head_dim)
  for (int gi = 0; gi < g; ++gi) {
    float mx = -INFINITY;
    for (int w = 0; w < dc_half_warps; ++w) mx = fmaxf(mx, s_m[w][gi]);
    float l = 0.0f, ov = 0.0f;
    for (int w = 0; w < dc_half_warps; ++w) {
      const float f = s_m[w][gi] == -INFINITY ? 0.0f : exp2f(s_m[w][gi] - mx);
      l += s_l[w][gi] * f;
      ov += s_o[w][gi][d] * f;
    }
    const std::size_t pidx = (static_cast<std::size_t>(bh) * splits + split) * g + gi;
    po[pidx * head_dim + d] = ov;
    if (d == 0) {
      pm[pidx] = mx;
      pl[pidx] = l;
    }
  }
}

/// Combines the per-chunk partials into O [B, Hq, d].
__global__ void __launch_bounds__(head_dim) decode_combine_kernel(const float* __restrict__ pm,
                                                                   const float* __restrict__ pl,
                                                                   const float* __restrict__ po, __half* __restrict__ o,
                                                                   int splits, int hq, int hkv) {
  const int bh = static_cast<int>(blockIdx.x);
  const int b = bh / hkv;
  const int hk = bh % hkv;
  const int g = hq / hkv;
  const int d = static_cast<int>(threadIdx.x);
  for (int gi = 0; gi < g; ++gi) {
    float mx = -INFINITY;
    for (int sp = 0; sp < splits; ++sp) mx = fmaxf(mx, pm[(static_cast<std::size_t>(bh) * splits + sp) * g + gi]);
    float l = 0.0f, ov = 0.0f;
    for (int sp = 0; sp < splits; ++sp) {
      const std::size_t pidx = (static_cast<std::size_t>(bh) * splits + sp) * g + gi;
      const float f = exp2f(pm[pidx] - mx);
      l += pl[pidx] * f;
      ov += po[pidx * head_dim + d] * f;
    }
    o[(static_cast<std::size_t>(b) * hq + hk * g + gi) * head_dim + d] = __float2half(ov / l);
  }
}

/// Host reference of one attention output row: softmax(q K^T / sqrt(d)) V over keys [0, n_keys).
void reference_row(const double* qrow, const std::vector<double>& k, const std::vector<double>& v, std::size_t k_stride,
                   std::size_t k_offset, int n_keys, double* out) {
  std::vector<double> sc(static_cast<std::size_t>(n_keys));
  double mx = -INFINITY;
  for (int j = 0; j < n_keys; ++j) {
    double dot = 0;
    for (int e = 0; e < head_dim; ++e) dot += qrow[e] * k[k_offset + j * k_stride + e];
    sc[static_cast<std::size_t>(j)] = dot / std::sqrt(static_cast<double>(head_dim));
    mx = std::max(mx, sc[static_cast<std::size_t>(j)]);
  }
  double l = 0;
  for (double& x : sc) l += (x = std::exp(x - mx));
  for (int e = 0; e < head_dim; ++e) {
    double o = 0;
    for (int j = 0; j < n_keys; ++j) o += sc[static_cast<std::size_t>(j)] * v[k_offset + j * k_stride + e];
    out[e] = o / l;
  }
}

/// Prefill kernel against the host reference: S = 128, 4 q heads over 2 kv heads.
check_result check_prefill() {
  const int s = 128, hq = 4, hkv = 2;
  const std::size_t nq = std::size_t{1} * s * hq * head_dim, nkv = std::size_t{1} * s * hkv * head_dim;
  device_buffer dq(2 * nq), dk(2 * nkv), dv(2 * nkv), dout(2 * nq);
  fill_random(dq.get(), nq, elem::f16, 94);
  fill_random(dk.get(), nkv, elem::f16, 95);
  fill_random(dv.get(), nkv, elem::f16, 96);
  flash_prefill_kernel<<<dim3(s / pf_q_block, hq, 1), pf_threads, pf_smem_bytes>>>(
      dq.as<__half>(), dk.as<__half>(), dv.as<__half>(), dout.as<__half>(), s, hq, hkv);
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
  const auto q = download_f16(dq.get(), nq), k = download_f16(dk.get(), nkv), v = download_f16(dv.get(), nkv);
  const auto o = download_f16(dout.get(), nq);
  std::vector<double> ref(nq);
  for (int i = 0; i < s; ++i)
    for (int h = 0; h < hq; ++h) {
      const std::size_t qo = (static_cast<std::size_t>(i) * hq + h) * head_dim;
      reference_row(&q[qo], k, v, static_cast<std::size_t>(hkv) * head_dim,
                    static_cast<std::size_t>(h / (hq / hkv)) * head_dim, i + 1, &ref[qo]);
    }
  return compare("flash_prefill s=128 hq=4 hkv=2", o, ref, 1e-2);
}

/// Decode kernels against the host reference: 2 sequences, c = 300 of 320, 3 splits.
check_result check_decode() {
  const int b = 2, cap = 320, c = 300, hq = 4, hkv = 2, splits = 3, chunk = 100;
  const std::size_t nq = std::size_t{1} * b * hq * head_dim, nkv = std::size_t{1} * b * cap * hkv * head_dim;
  const std::size_t np = std::size_t{1} * b * hkv * splits * (hq / hkv);
  device_buffer dq(2 * nq), dk(2 * nkv), dv(2 * nkv), dout(2 * nq), pm(4 * np), pl(4 * np), po(4 * np * head_dim);
  fill_random(dq.get(), nq, elem::f16, 97);
  fill_random(dk.get(), nkv, elem::f16, 98);
  fill_random(dv.get(), nkv, elem::f16, 99);
  decode_split_kernel<<<dim3(b * hkv, splits), dc_threads>>>(dq.as<__half>(), dk.as<__half>(), dv.as<__half>(),
                                                             pm.as<float>(), pl.as<float>(), po.as<float>(), cap, c,
                                                             hq, hkv, chunk);
  decode_combine_kernel<<<b * hkv, head_dim>>>(pm.as<float>(), pl.as<float>(), po.as<float>(), dout.as<__half>(),
                                               splits, hq, hkv);
  EDGEPERF_CUDA_CHECK(cudaGetLastError());
  const auto q = download_f16(dq.get(), nq), k = download_f16(dk.get(), nkv), v = download_f16(dv.get(), nkv);
  const auto o = download_f16(dout.get(), nq);
  std::vector<double> ref(nq);
  for (int bi = 0; bi < b; ++bi)
    for (int h = 0; h < hq; ++h) {
      const std::size_t qo = (static_cast<std::size_t>(bi) * hq + h) * head_dim;
      const std::size_t ko = static_cast<std::size_t>(bi) * cap * hkv * head_dim +
                             static_cast<std::size_t>(h / (hq / hkv)) * head_dim;
      reference_row(&q[qo], k, v, static_cast<std::size_t>(hkv) * head_dim, ko, c, &ref[qo]);
    }
  return compare("decode_split_kv b=2 c=300 hq=4 hkv=2 splits=3", o, ref, 1e-2);
}

/// Attention head configuration of a model (head_dim 128 for both).
struct head_cfg {
  const char* model;
  int hq;
  int hkv;
};

}  // namespace

void run_attention(const options& opt, results& out) {
  timer tm(opt.device);
  const device_facts& f = tm.facts();
  // Llama-3.1-8B: 32 q / 8 kv heads; Qwen2.5-1.5B: 12 q / 2 kv heads (data/models.md).
  const head_cfg heads[] = {{"llama-8b", 32, 8}, {"qwen-1.5b", 12, 2}};
  timing_options to;
  to.max_time_s = opt.quick ? 0.1 : 0.25;

  // ---- prefill: batch 1, S = 128 .. 8192 ---------------------------------------
  EDGEPERF_CUDA_CHECK(cudaFuncSetAttribute(flash_prefill_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                           static_cast<int>(pf_smem_bytes)));
  out.checks.push_back(check_prefill());
  out.checks.push_back(check_decode());
  const bool prefill_ok = out.checks[out.checks.size() - 2].passed;
  const bool decode_ok = out.checks.back().passed;
  if (!prefill_ok) out.skips.push_back({"attention", "prefill_causal", "failed its correctness check: not timed"});
  if (!decode_ok) out.skips.push_back({"attention", "decode", "failed its correctness check: not timed"});
  const std::vector<int> prefill_s = opt.quick ? std::vector<int>{512, 2048, 8192}
                                               : std::vector<int>{128, 256, 512, 1024, 2048, 4096, 8192};
  const int s_max = prefill_s.back();
  if (prefill_ok) {
    const int hq_max = 32, hkv_max = 8;
    device_buffer q(std::size_t{2} * s_max * hq_max * head_dim);
    device_buffer o(std::size_t{2} * s_max * hq_max * head_dim);
    device_buffer k(std::size_t{2} * s_max * hkv_max * head_dim);
    device_buffer v(std::size_t{2} * s_max * hkv_max * head_dim);
    fill_random(q.get(), q.bytes() / 2, elem::f16, 41);
    fill_random(k.get(), k.bytes() / 2, elem::f16, 42);
    fill_random(v.get(), v.bytes() / 2, elem::f16, 43);
    for (const head_cfg& hc : heads) {
      for (const int s : prefill_s) {
        if (budget_stop(opt, out, "attention", "prefill_causal")) break;
        const int batch = 1;
        const dim3 grid(static_cast<unsigned>(s / pf_q_block), static_cast<unsigned>(hc.hq), static_cast<unsigned>(batch));
        auto launch = [&](cudaStream_t st) {
          flash_prefill_kernel<<<grid, pf_threads, pf_smem_bytes, st>>>(q.as<__half>(), k.as<__half>(), v.as<__half>(),
                                                                        o.as<__half>(), s, hc.hq, hc.hkv);
        };
        record r;
        r.bench = "attention";
        r.name = "prefill_causal";
        r.params = {{"batch", batch}, {"seq_len", static_cast<double>(s)}, {"q_heads", static_cast<double>(hc.hq)},
                    {"kv_heads", static_cast<double>(hc.hkv)}, {"head_dim", head_dim},
                    {"q_block", pf_q_block}, {"k_block", pf_k_block}};
        r.tags = {{"dtype", "fp16"}, {"library", "own"}, {"kernel", "flash_wmma"}, {"model", hc.model}};
        // Analytic: QK^T and PV over the causal triangle, 2 FLOPs per MAC each:
        // 4 d Hq B S(S+1)/2. Bytes: Q and O once per q head, K and V once per kv head.
        const double sd = static_cast<double>(s);
        r.flops = 4.0 * head_dim * hc.hq * batch * sd * (sd + 1.0) / 2.0;
        r.bytes = 2.0 * batch * sd * head_dim * (2.0 * hc.hq + 2.0 * hc.hkv);
        const double nb = sd / pf_k_block;
        r.extra = {{"block_flops", 4.0 * head_dim * hc.hq * batch * pf_q_block * pf_k_block * nb * (nb + 1.0) / 2.0}};
        r.time = tm.measure(launch, to);
        out.records.push_back(std::move(r));
      }
    }
  }
  progress(opt, "attention prefill: done");
  if (!decode_ok) return;

  // ---- decode: batch {1, 8} over context c -----------------------------------------
  std::vector<int> contexts = opt.quick ? std::vector<int>{512, 4096, 32768}
                                        : std::vector<int>{128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};
  const std::vector<int> batches = opt.quick ? std::vector<int>{1} : std::vector<int>{1, 8};
  const int b_max = batches.back();
  int cap = contexts.back();
  // K and V for the largest batch x context of llama-8b (8 kv heads) within a quarter of free memory.
  while (cap > 1024 && 2.0 * 2.0 * b_max * cap * 8 * head_dim > static_cast<double>(f.free_bytes) / 4) cap /= 2;
  if (cap < contexts.back()) {
    out.skips.push_back({"attention", "decode", "context capped at " + std::to_string(cap) + " by free memory"});
    contexts.erase(std::remove_if(contexts.begin(), contexts.end(), [&](int c) { return c > cap; }), contexts.end());
  }
  const std::size_t kv_elems = static_cast<std::size_t>(b_max) * cap * 8 * head_dim;
  device_buffer k(2 * kv_elems), v(2 * kv_elems);
  device_buffer q(std::size_t{2} * b_max * 32 * head_dim), o(std::size_t{2} * b_max * 32 * head_dim);
  fill_random(k.get(), kv_elems, elem::f16, 51);
  fill_random(v.get(), kv_elems, elem::f16, 52);
  fill_random(q.get(), q.bytes() / 2, elem::f16, 53);
  // Partials: at most 4 CTAs per SM worth of splits, g <= 8.
  const int max_ctas = 4 * f.sm_count + 64;
  device_buffer pm(std::size_t{4} * max_ctas * dc_max_group), pl(std::size_t{4} * max_ctas * dc_max_group);
  device_buffer po(std::size_t{4} * max_ctas * dc_max_group * head_dim);
  for (const head_cfg& hc : heads) {
    // Llama/Qwen KV layouts differ only in Hkv: same buffers, cap stride kept.
    for (const int batch : batches) {
      for (const int c : contexts) {
        if (budget_stop(opt, out, "attention", "decode")) break;
        const int bh = batch * hc.hkv;
        int splits = std::max(1, (2 * f.sm_count + bh - 1) / bh);
        splits = std::min(splits, (c + 31) / 32);                 // at least 32 keys per chunk
        splits = std::min(splits, std::max(1, max_ctas / bh));    // partial buffers
        const int chunk = (c + splits - 1) / splits;
        splits = (c + chunk - 1) / chunk;                         // no empty chunk
        const dim3 grid(static_cast<unsigned>(bh), static_cast<unsigned>(splits));
        auto launch = [&](cudaStream_t st) {
          decode_split_kernel<<<grid, dc_threads, 0, st>>>(q.as<__half>(), k.as<__half>(), v.as<__half>(), pm.as<float>(),
                                                           pl.as<float>(), po.as<float>(), cap, c, hc.hq, hc.hkv, chunk);
          decode_combine_kernel<<<bh, head_dim, 0, st>>>(pm.as<float>(), pl.as<float>(), po.as<float>(), o.as<__half>(),
                                                        splits, hc.hq, hc.hkv);
        };
        record r;
        r.bench = "attention";
        r.name = "decode";
        r.params = {{"batch", static_cast<double>(batch)}, {"context", static_cast<double>(c)},
                    {"q_heads", static_cast<double>(hc.hq)}, {"kv_heads", static_cast<double>(hc.hkv)},
                    {"head_dim", head_dim}, {"splits", static_cast<double>(splits)}};
        r.tags = {{"dtype", "fp16"}, {"library", "own"}, {"kernel", "split_kv"}, {"model", hc.model}};
        r.units_per_sample = 2;  // two kernels per sample
        // Analytic: q.k and p.v per q head per key (4 d FLOPs); bytes: K and V of
        // every kv head once, plus q and o.
        r.flops = 4.0 * batch * hc.hq * static_cast<double>(c) * head_dim;
        r.bytes = 2.0 * 2.0 * batch * static_cast<double>(c) * hc.hkv * head_dim + 2.0 * 2.0 * batch * hc.hq * head_dim;
        r.time = tm.measure(launch, to);
        out.records.push_back(std::move(r));
      }
    }
  }
  progress(opt, "attention decode: done");
}

}  // namespace edgeperf::calib
