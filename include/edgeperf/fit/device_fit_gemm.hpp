#pragma once
/// @file
/// GEMM part of the device fit: tensor rate, tensor efficiency and tile
/// efficiencies from the M-sweeps.
///
/// cuBLASLt records of schema 2 carry the tile the heuristic chose (our
/// M × N orientation) and so are modelled with that tile alone: per dtype,
/// the tile used most at M ≥ `gemm_rate_min_m` is the reference (efficiency
/// 1 by definition) and its rows fix the sustained per-SM-per-clock rate
/// (Levenberg–Marquardt in log space through `gemm_cost`); the reference
/// dtype (fp16, else bf16) turns it into `tensor_efficiency` = sustained /
/// per-clock rate of the base. Every other tile gets an efficiency relative
/// to the reference from its compute-bound rows (compute time above memory
/// time by `compute_bound_margin`); tiles seen only on memory-bound rows are
/// not identifiable and are said to be. Schema 1 records lack the tile: they
/// are modelled with `cublas_like_runtime()`'s assumed tile list, with a note.
/// The suite's own WMMA kernel has a fixed 128×128 tile and records its
/// resident CTAs per SM (cudaOccupancyMaxActiveBlocksPerMultiprocessor), so
/// its padding staircase is modelled with the occupancy it really has; one
/// kernel efficiency is fitted and the staircase over all M is a check.

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "edgeperf/cost/op_cost.hpp"
#include "edgeperf/fit/device_fit_detail.hpp"

namespace edgeperf::fit::detail {

/// A tile cuBLASLt chose, in our orientation, with its resident CTAs per SM.
struct tile_key {
  int m{0};
  int n{0};
  int ctas{1};
  friend bool operator<(const tile_key& a, const tile_key& b) {
    return std::tie(a.m, a.n, a.ctas) < std::tie(b.m, b.n, b.ctas);
  }
  friend bool operator==(const tile_key& a, const tile_key& b) {
    return a.m == b.m && a.n == b.n && a.ctas == b.ctas;
  }
  [[nodiscard]] std::string name() const {
    return std::to_string(m) + "x" + std::to_string(n) + (ctas > 1 ? "x" + std::to_string(ctas) + "cta" : "");
  }
};

/// The record's tile, or {0, 0} when it does not say (schema 1).
[[nodiscard]] inline tile_key record_tile(const fit::benchmark_record& r) {
  return {static_cast<int>(r.param("tile_m")), static_cast<int>(r.param("tile_n")),
          std::max(1, static_cast<int>(r.param("ctas_per_sm", 1)))};
}

/// The runtime one cuBLASLt record is modelled with.
[[nodiscard]] inline runtime_spec record_runtime(const fit::benchmark_record& r, const std::map<tile_key, double>& eff) {
  const tile_key k = record_tile(r);
  if (k.m <= 0 || k.n <= 0) return cublas_like_runtime();
  const auto it = eff.find(k);
  return fixed_tile_runtime(k.m, k.n, 1.0, k.ctas, it != eff.end() ? it->second : 1.0);
}

/// Fits the sustained per-SM-per-clock rate of one dtype (efficiency folded in) on `rows`.
[[nodiscard]] inline lm_result fit_gemm_rate(const device_fitter& f, const gemm_dtype_info& dt,
                                             const std::vector<const fit::benchmark_record*>& rows,
                                             const std::map<tile_key, double>& eff, double start) {
  const auto residuals = [&](const std::vector<double>& th) {
    device_spec x = f.d;
    x.tensor_efficiency.value = 1.0;
    (x.*dt.rate).value = start * th[0];
    const auto s = resolve<double>(x, f.mode);
    Eigen::VectorXd r(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i)
      r(static_cast<Eigen::Index>(i)) = std::log(
          f.with_gaps(*rows[i], gemm_cost(gemm_op(*rows[i], dt), s, record_runtime(*rows[i], eff)).time_s) /
          rows[i]->time_s.median);
    return r;
  };
  lm_result lm = levenberg_marquardt({{"rate", 1.0, 1.0, 0.0}}, residuals);
  lm.values[0] *= start;
  return lm;
}

inline void fit_wmma(device_fitter& f) {
  std::vector<const fit::benchmark_record*> rows, large;
  for (const auto* r : f.records("gemm"))
    if (r->name.rfind("wmma", 0) == 0 && r->param("m") > 0 && r->param("n") > 0 && r->param("k") > 0) {
      rows.push_back(r);
      if (r->param("m") >= f.opt.gemm_rate_min_m) large.push_back(r);
    }
  if (rows.empty()) return;
  if (large.empty()) {
    f.note("gemm wmma: no rows with large M; kernel efficiency not fitted");
    return;
  }
  const int tm = static_cast<int>(rows.front()->param("tile_m", 128));
  const int tn = static_cast<int>(rows.front()->param("tile_n", 128));
  const int ctas = static_cast<int>(rows.front()->param("blocks_per_sm", 0));
  if (ctas <= 0) f.note("gemm wmma: no blocks_per_sm recorded (schema 1); 1 resident CTA per SM assumed");
  const gemm_dtype_info& dt = *find_gemm_dtype("fp16");
  const auto s = f.state();
  const auto residuals = [&](const std::vector<double>& th) {
    const runtime_spec rt = fixed_tile_runtime(tm, tn, th[0], std::max(1, ctas));
    Eigen::VectorXd r(static_cast<Eigen::Index>(large.size()));
    for (std::size_t i = 0; i < large.size(); ++i)
      r(static_cast<Eigen::Index>(i)) =
          std::log(f.with_gaps(*large[i], gemm_cost(gemm_op(*large[i], dt), s, rt).time_s) / large[i]->time_s.median);
    return r;
  };
  const auto lm = levenberg_marquardt({{"kernel_efficiency", 0.5, 0.5, 0.0}}, residuals);
  const double e = lm.values[0];
  f.measured("gemm.wmma.kernel_efficiency", e, "");
  f.figure("gemm.wmma.kernel_efficiency", e, e * lm.rel_sigma[0],
           "gemm " + rows.front()->name + ", M >= " + std::to_string(static_cast<int>(f.opt.gemm_rate_min_m)) + ", " +
               std::to_string(std::max(1, ctas)) + " CTA(s)/SM from the occupancy API");
  const runtime_spec rt = fixed_tile_runtime(tm, tn, e, std::max(1, ctas));
  std::vector<double> p, t;
  std::vector<std::string> w;
  for (const auto* r : rows) {
    p.push_back(f.with_gaps(*r, gemm_cost(gemm_op(*r, dt), s, rt).time_s));
    t.push_back(r->time_s.median);
    w.push_back(gemm_where(*r));
  }
  f.res.residuals.push_back(residual_stats("gemm/" + rows.front()->name + " staircase (all M)", p, t, w, false));
}

inline void fit_gemm(device_fitter& f) {
  const auto s0 = f.state();
  const double sm_clk = s0.sms * s0.gpu_clock_hz;
  const std::string min_m = std::to_string(static_cast<int>(f.opt.gemm_rate_min_m));
  std::map<std::string, double> sustained;  // dtype tag → per-SM-per-clock sustained rate
  std::map<std::string, double> sustained_sigma;
  std::map<std::string, std::map<tile_key, double>> tile_eff;  // dtype tag → tile → efficiency
  std::map<std::string, std::vector<const fit::benchmark_record*>> rows_of;
  const gemm_dtype_info* ref = nullptr;
  bool tiles_recorded = false;
  for (const auto& dt : gemm_dtypes) {
    std::vector<const fit::benchmark_record*> rows;
    for (const auto* r : f.records("gemm", "cublaslt"))
      if (r->tag("dtype") == dt.tag && r->param("m") > 0 && r->param("n") > 0 && r->param("k") > 0) rows.push_back(r);
    if (rows.empty()) continue;
    rows_of[dt.tag] = rows;
    // The reference tile: the one cuBLASLt used most at large M.
    std::map<tile_key, int> uses;
    for (const auto* r : rows)
      if (r->param("m") >= f.opt.gemm_rate_min_m) ++uses[record_tile(*r)];
    if (uses.empty()) {
      f.note(std::string("gemm ") + dt.tag + ": no rows with M >= " + min_m + "; rate not fitted");
      continue;
    }
    tile_key ref_tile = uses.begin()->first;
    for (const auto& [k, n] : uses)
      if (n > uses[ref_tile] || (n == uses[ref_tile] && k.m * k.n > ref_tile.m * ref_tile.n)) ref_tile = k;
    const bool has_tile = ref_tile.m > 0 && ref_tile.n > 0;
    tiles_recorded = tiles_recorded || has_tile;
    std::vector<const fit::benchmark_record*> large;
    for (const auto* r : rows)
      if (r->param("m") >= f.opt.gemm_rate_min_m && record_tile(*r) == ref_tile) large.push_back(r);
    std::map<tile_key, double>& eff = tile_eff[dt.tag];
    if (has_tile) eff[ref_tile] = 1.0;
    std::vector<double> guess;
    for (const auto* r : large) guess.push_back(r->flops / f.kernel_time(*r) / sm_clk);
    const lm_result lm = fit_gemm_rate(f, dt, large, eff, median(guess));
    sustained[dt.tag] = lm.values[0];
    sustained_sigma[dt.tag] = lm.values[0] * lm.rel_sigma[0];
    f.measured(std::string("gemm.") + dt.tag + ".sustained_flops_per_s", lm.values[0] * sm_clk, "FLOP/s");
    if (has_tile)
      f.measured(std::string("gemm.") + dt.tag + ".reference_tile_m", ref_tile.m, ""),
          f.measured(std::string("gemm.") + dt.tag + ".reference_tile_n", ref_tile.n, "");
    if (!ref && (dt.math == dtype::fp16 || dt.math == dtype::bf16)) ref = &dt;
  }
  if (sustained.empty()) {
    f.note("gemm: no cuBLASLt rows; tensor rates and tensor_efficiency kept");
    fit_wmma(f);
    return;
  }
  if (!tiles_recorded)
    f.note("gemm: cuBLASLt records carry no tile (schema 1); modelled with the assumed cuBLAS-like tile list");
  if (!ref) ref = find_gemm_dtype(sustained.begin()->first);
  const double y_ref = sustained.at(ref->tag);
  const double y_sigma = sustained_sigma.at(ref->tag);
  sourced& ref_rate = f.d.*(ref->rate);
  double eff = f.d.tensor_efficiency.value > 0 ? f.d.tensor_efficiency.value : 1.0;
  const std::string from = std::string("gemm cublaslt ") + ref->tag + ", M >= " + min_m + ", reference tile";
  if (ref_rate.value > 0) {
    eff = y_ref / ref_rate.value;
    if (eff > 1) {
      f.note(std::string("gemm ") + ref->tag + ": sustained rate exceeds the base per-clock rate x clock; "
             "tensor_efficiency set to 1 and the per-clock rate calibrated");
      f.set(ref->field, ref_rate, y_ref, y_sigma, from);
      eff = 1;
    }
    f.set("tensor_efficiency", f.d.tensor_efficiency, eff, eff * y_sigma / y_ref, from);
  } else {
    f.set(ref->field, ref_rate, y_ref / eff, y_sigma / eff, from);
  }
  for (const auto& [tag, y] : sustained) {
    const gemm_dtype_info& dt = *find_gemm_dtype(tag);
    sourced& rate = f.d.*(dt.rate);
    if (&dt == ref) continue;
    if (rate.value > 0) f.measured(std::string("gemm.") + tag + ".implied_efficiency", y / rate.value, "");
    if (!(rate.value > 0) || f.opt.fit_dtype_rates)
      f.set(dt.field, rate, y / f.d.tensor_efficiency.value, sustained_sigma[tag] / f.d.tensor_efficiency.value,
            std::string("gemm cublaslt ") + tag + " large M");
  }

  // Tile efficiencies of the reference dtype from the compute-bound rows of each other tile.
  const auto s = f.state();
  if (tiles_recorded) {
    std::map<tile_key, double>& eff_ref = tile_eff[ref->tag];
    std::map<tile_key, std::vector<const fit::benchmark_record*>> by_tile;
    for (const auto* r : rows_of[ref->tag]) by_tile[record_tile(*r)].push_back(r);
    for (const auto& entry : by_tile) {
      const tile_key k = entry.first;  // a copy, not a structured binding: the lambda below captures it
      const auto& rows = entry.second;
      if (k.m <= 0 || eff_ref.count(k)) continue;
      std::vector<const fit::benchmark_record*> bound;
      for (const auto* r : rows) {
        const auto c = gemm_cost(gemm_op(*r, *ref), s, fixed_tile_runtime(k.m, k.n, 1.0, k.ctas));
        if (c.compute_s > (1 + f.opt.compute_bound_margin) * c.memory_s) bound.push_back(r);
      }
      if (bound.empty()) {
        f.note("gemm tile " + k.name() + ": used on " + std::to_string(rows.size()) +
               " memory-bound row(s) only; its efficiency is not identifiable (1 kept)");
        continue;
      }
      const auto residuals = [&](const std::vector<double>& th) {
        const runtime_spec rt = fixed_tile_runtime(k.m, k.n, 1.0, k.ctas, th[0]);
        Eigen::VectorXd r(static_cast<Eigen::Index>(bound.size()));
        for (std::size_t i = 0; i < bound.size(); ++i)
          r(static_cast<Eigen::Index>(i)) = std::log(
              f.with_gaps(*bound[i], gemm_cost(gemm_op(*bound[i], *ref), s, rt).time_s) / bound[i]->time_s.median);
        return r;
      };
      const auto lm = levenberg_marquardt({{"tile_efficiency", 0.8, 0.8, 0.0}}, residuals);
      eff_ref[k] = lm.values[0];
      f.figure("gemm.tile." + k.name() + ".efficiency", lm.values[0], lm.values[0] * lm.rel_sigma[0],
               std::string("gemm cublaslt ") + ref->tag + ", " + std::to_string(bound.size()) +
                   " compute-bound row(s) with this tile, relative to the reference tile");
    }
    for (const auto& [k, e] : eff_ref) f.res.cublas_tiles.push_back(gemm_tile{k.m, k.n, k.ctas, e});
    // Other dtypes use the reference dtype's tile efficiencies where they share a tile.
    for (auto& [tag, m] : tile_eff)
      if (tag != ref->tag)
        for (const auto& [k, e] : eff_ref)
          if (!m.count(k)) m[k] = e;
  }

  // Residuals per dtype over all M, with the profile as fitted.
  for (const auto& [tag, y] : sustained) {
    const gemm_dtype_info& dt = *find_gemm_dtype(tag);
    std::vector<double> p, t, pl, tl;
    std::vector<std::string> w, wl;
    for (const auto* r : rows_of[tag]) {
      p.push_back(f.with_gaps(*r, gemm_cost(gemm_op(*r, dt), s, record_runtime(*r, tile_eff[tag])).time_s));
      t.push_back(r->time_s.median);
      w.push_back(gemm_where(*r));
      if (r->param("m") >= f.opt.gemm_rate_min_m) pl.push_back(p.back()), tl.push_back(t.back()), wl.push_back(w.back());
    }
    f.res.residuals.push_back(residual_stats("gemm/cublaslt/" + tag + " (M >= " + min_m + ")", pl, tl, wl, true));
    f.res.residuals.push_back(residual_stats("gemm/cublaslt/" + tag + " (all M)", p, t, w, false));
  }
  fit_wmma(f);
}

}  // namespace edgeperf::fit::detail
