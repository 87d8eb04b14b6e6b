#pragma once
/// @file
/// Kernel part of the device fit: dequantising GEMVs and attention.
///
/// Dequant. The production W4A16 GEMV (`w4a16_gemv`, schema 2: 8 weights per
/// 32-bit load, unpacked two at a time into half2 the way Marlin, AWQ and
/// llama.cpp kernels do) is what runtimes run, so it alone identifies the
/// device's CUDA-core `cuda_efficiency` — and only when it is dequant-bound
/// (slower than the memory curve at the fp16 GEMV's fraction of it by
/// `dequant_margin`). When it is memory-bound (the usual case on a fast
/// GPU) its achieved fraction of the memory curve is fitted instead
/// (`dequant.w4a16_gemv.memory_fraction`) and `cuda_efficiency` is kept with
/// a lower bound in the report. The naive kernel (`w4a16_gemv_naive`, one
/// weight converted at a time) only reports what efficiency it would imply.
/// In schema 1 files `w4a16_gemv` is the older per-weight kernel: treated as
/// naive, with a note.
///
/// Attention. Prefill and decode records are checks, not parameters: their
/// achieved tensor-rate and bandwidth fractions are reported.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "edgeperf/cost/op_cost.hpp"
#include "edgeperf/fit/device_fit_detail.hpp"

namespace edgeperf::fit::detail {

inline void fit_dequant(device_fitter& f) {
  const auto f16 = f.records("dequant", "f16_gemv");
  auto prod = f.records("dequant", "w4a16_gemv");
  auto naive = f.records("dequant", "w4a16_gemv_naive");
  if (f.schema < 2 && !prod.empty()) {
    f.note("dequant: schema 1 w4a16_gemv is the per-weight kernel; treated as naive, cuda_efficiency not fitted from it");
    naive.insert(naive.end(), prod.begin(), prod.end());
    prod.clear();
  }
  if (f16.empty() && prod.empty() && naive.empty()) return;
  const runtime_spec rt = gemv_runtime();
  auto s = f.state();
  // The fp16 GEMV's achieved fraction of the memory curve (its kernel quality).
  std::vector<double> frac;
  for (const auto* r : f16) frac.push_back(gemm_cost(gemv_op(*r, false), s, rt).memory_s / f.kernel_time(*r));
  const double f16_frac = frac.empty() ? 1.0 : std::min(1.0, median(frac));
  if (!frac.empty()) f.measured("dequant.f16_gemv_memory_fraction", median(frac), "");
  const auto ratio_to_f16 = [&](const std::vector<const fit::benchmark_record*>& w4, const char* name) {
    std::vector<double> ratio;
    for (const auto* a : w4)
      for (const auto* b : f16)
        if (a->param("n") == b->param("n") && a->param("k") == b->param("k"))
          ratio.push_back(a->time_s.median / b->time_s.median);
    if (!ratio.empty()) f.measured(std::string("dequant.") + name + "_over_f16_time", median(ratio), "");
  };
  ratio_to_f16(prod, "w4a16");
  ratio_to_f16(naive, "w4a16_naive");
  const double cuda_rate = f.d.cuda_fp16_flops_per_clk.value * s.gpu_clock_hz * s.sms;  // at efficiency 1
  // Splits rows into dequant-bound and memory-bound; a lower bound of the efficiency from the latter.
  const auto classify = [&](const std::vector<const fit::benchmark_record*>& rows, double& lower) {
    std::vector<const fit::benchmark_record*> bound;
    lower = 0;
    for (const auto* r : rows) {
      const op_instance op = gemv_op(*r, true);
      const auto c = gemm_cost(op, s, rt);
      const double t = f.kernel_time(*r);
      const double math_s = op.flops / (math_rate_sm(s, op.math) * s.sms);
      if (t > (1 + f.opt.dequant_margin) * c.memory_s / f16_frac) bound.push_back(r);
      else if (t > math_s && cuda_rate > 0) lower = std::max(lower, op.dequant_ops / (cuda_rate * (t - math_s)));
    }
    return bound;
  };
  const auto fit_eff = [&](const std::vector<const fit::benchmark_record*>& bound) {
    const auto residuals = [&](const std::vector<double>& th) {
      device_spec x = f.d;
      x.cuda_efficiency.value = th[0];
      const auto sx = resolve<double>(x, f.mode);
      Eigen::VectorXd r(static_cast<Eigen::Index>(bound.size()));
      for (std::size_t i = 0; i < bound.size(); ++i)
        r(static_cast<Eigen::Index>(i)) =
            std::log(gemm_cost(gemv_op(*bound[i], true), sx, rt).compute_s / f.kernel_time(*bound[i]));
      return r;
    };
    const double start = f.d.cuda_efficiency.value > 0 ? f.d.cuda_efficiency.value : 0.5;
    return levenberg_marquardt({{"cuda_efficiency", start, start, 0.0}}, residuals);
  };
  // Naive kernel: what it would imply (reported only).
  double naive_lower = 0;
  const auto naive_bound = classify(naive, naive_lower);
  if (!naive_bound.empty() && cuda_rate > 0) f.measured("dequant.naive.implied_cuda_efficiency", fit_eff(naive_bound).values[0], "");
  // Production kernel: cuda_efficiency when dequant-bound, its memory fraction when not.
  double lower = 0;
  const auto bound = classify(prod, lower);
  bool fitted = false;
  if (!prod.empty() && bound.empty()) {
    f.note("dequant: the production W4A16 GEMV is memory-bound; cuda_efficiency not identifiable, kept "
           "(lower bound in the report)");
    f.measured("dequant.cuda_efficiency_lower_bound", lower, "");
    std::vector<double> mf;
    for (const auto* r : prod) mf.push_back(gemm_cost(gemv_op(*r, true), s, rt).memory_s / f.kernel_time(*r));
    double sd = 0;
    const double mu = median(mf);
    for (double v : mf) sd += (v - mu) * (v - mu);
    sd = mf.size() > 1 ? std::sqrt(sd / static_cast<double>(mf.size() - 1) / static_cast<double>(mf.size())) : 0.0;
    f.figure("dequant.w4a16_gemv.memory_fraction", mu, sd, "dequant w4a16_gemv (production), memory-bound rows");
  } else if (!bound.empty() && cuda_rate > 0) {
    const auto lm = fit_eff(bound);
    double ce = lm.values[0];
    if (ce > 1) {
      f.note("dequant: fitted cuda_efficiency > 1 (CUDA-core rate of the base too low?); clamped to 1");
      ce = 1;
    }
    f.set("cuda_efficiency", f.d.cuda_efficiency, ce, ce * lm.rel_sigma[0],
          "dequant w4a16_gemv (production, 8 weights per 32-bit load), " + std::to_string(bound.size()) +
              " dequant-bound row(s)");
    s = f.state();
    fitted = true;
  }
  const auto resid = [&](const std::vector<const fit::benchmark_record*>& rows, bool w4, const char* name, bool fit) {
    std::vector<double> p, t;
    std::vector<std::string> w;
    for (const auto* r : rows) {
      p.push_back(f.with_gaps(*r, gemm_cost(gemv_op(*r, w4), s, rt).time_s));
      t.push_back(r->time_s.median);
      w.push_back(gemm_where(*r));
    }
    if (!t.empty()) f.res.residuals.push_back(residual_stats(name, p, t, w, fit));
  };
  resid(f16, false, "dequant/f16_gemv", false);
  resid(prod, true, "dequant/w4a16_gemv", fitted);
}

inline void fit_attention(device_fitter& f) {
  const auto s = f.state();
  std::vector<double> prefill, decode;
  for (const auto* r : f.records("attention", "prefill_causal"))
    if (r->flops > 0) prefill.push_back(r->flops / f.kernel_time(*r) / (math_rate_sm(s, dtype::fp16) * s.sms));
  for (const auto* r : f.records("attention", "decode"))
    if (r->bytes > 0) decode.push_back(r->bytes / f.kernel_time(*r) / s.dram_bytes_per_s);
  if (!prefill.empty()) f.measured("attention.prefill.tensor_rate_fraction", median(prefill), "");
  if (!decode.empty()) f.measured("attention.decode.dram_bandwidth_fraction", median(decode), "");
}

}  // namespace edgeperf::fit::detail
