// Benchmark 6: power. A sampler thread reads the Jetson INA3221 rails (found
// by label under /sys/class/hwmon) or NVML board power on discrete GPUs while
// the GPU is (a) idle, (b) running a compute-bound fp16 GEMM loop through
// cuBLAS (m = n = k = 8192, tensor cores) and (c) running a memory-bound copy
// loop over arrays far larger than L2. Each phase declares the FLOPs and bytes
// it executed, so the fit can read static power (idle) and the dynamic energy
// per FLOP and per DRAM byte: (P_load - P_idle) x t / work, the two loaded
// phases solved together (the GEMM moves some bytes too).
// The idle phase runs early (run_power_idle: a short budget keeps it), the
// loaded phases last (run_power_loaded). On discrete GPUs NVML's power
// reading is a 1 s moving average on Ampere and newer, so each phase settles
// for at least 1.5 s before sampling, and the energy counter
// (nvmlDeviceGetTotalEnergyConsumption) over the window is what the fit
// prefers.

#include <cublas_v2.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "cuda_util.cuh"
#include "telemetry.hpp"

namespace edgeperf::calib {

namespace {

void check_cublas(cublasStatus_t st, const char* what) {
  if (st != CUBLAS_STATUS_SUCCESS)
    throw std::runtime_error(std::string("cuBLAS: ") + what + " failed with status " + std::to_string(static_cast<int>(st)));
}

/// Runs `step` (which enqueues work and returns its analytic FLOPs and bytes)
/// for `settle_s` unsampled, then for `duration_s` under the sampler.
power_phase run_phase(const std::string& name, const std::string& load, double settle_s, double duration_s,
                      const std::vector<rail>& rails, bool use_nvml, double period_s, cudaStream_t stream,
                      const std::function<std::pair<double, double>(cudaStream_t)>& step) {
  using clock = std::chrono::steady_clock;
  power_phase ph;
  ph.name = name;
  ph.load = load;
  auto run_for = [&](double seconds, bool count) {
    const auto t0 = clock::now();
    while (std::chrono::duration<double>(clock::now() - t0).count() < seconds) {
      if (!step) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      const auto work = step(stream);
      EDGEPERF_CUDA_CHECK(cudaStreamSynchronize(stream));  // keep the queue short: the phase ends on time
      if (count) {
        ph.flops += work.first;
        ph.bytes += work.second;
      }
    }
  };
  run_for(settle_s, false);
  cudaEvent_t e0 = nullptr, e1 = nullptr;
  EDGEPERF_CUDA_CHECK(cudaEventCreate(&e0));
  EDGEPERF_CUDA_CHECK(cudaEventCreate(&e1));
  power_sampler sampler(rails, use_nvml, period_s);
  const auto t0 = clock::now();
  sampler.start();
  EDGEPERF_CUDA_CHECK(cudaEventRecord(e0, stream));
  run_for(duration_s, true);
  EDGEPERF_CUDA_CHECK(cudaEventRecord(e1, stream));
  EDGEPERF_CUDA_CHECK(cudaEventSynchronize(e1));
  ph.rails = sampler.stop(ph.sample_period_s);
  ph.duration_s = std::chrono::duration<double>(clock::now() - t0).count();
  float ms = 0;
  EDGEPERF_CUDA_CHECK(cudaEventElapsedTime(&ms, e0, e1));
  ph.busy_s = step ? ms * 1e-3 : 0.0;
  (void)cudaEventDestroy(e0);
  (void)cudaEventDestroy(e1);
  ph.telemetry_end = telemetry_snapshot();
  return ph;
}

/// Sensors and phase lengths shared by the idle and loaded phases.
struct power_setup {
  std::vector<rail> rails;
  bool use_nvml{false};
  double period_s{0.01};
  double settle_s{1.0};
  double duration_s{4.0};
};

/// False (and a skip) when there is nothing to read power from.
bool setup_power(const options& opt, results& out, power_setup& p) {
  p.rails = find_rails();
  p.use_nvml = nvml_lib::instance().bound() && nvml_lib::instance().power_w() >= 0;
  if (p.rails.empty() && !p.use_nvml) {
    out.skips.push_back({"power", "all", "no INA3221 rails under /sys/class/hwmon and no NVML power reading"});
    return false;
  }
  // INA3221 refreshes every few ms; NVML power updates every 20-100 ms (a 1 s average on Ampere+).
  p.period_s = p.rails.empty() ? 0.02 : 0.01;
  p.settle_s = p.rails.empty() ? (opt.quick ? 1.5 : 2.0) : (opt.quick ? 0.5 : 1.0);
  p.duration_s = opt.quick ? 2.0 : 4.0;
  return true;
}

}  // namespace

void run_power_idle(const options& opt, results& out) {
  timer tm(opt.device);
  power_setup p;
  if (!setup_power(opt, out, p)) return;
  // Idle: nothing queued (the context stays alive, so a Jetson GPU rail may
  // or may not be gated: gpu.railgate_enable in the telemetry says which).
  EDGEPERF_CUDA_CHECK(cudaDeviceSynchronize());
  out.power.push_back(run_phase("idle", "none", p.settle_s, p.duration_s, p.rails, p.use_nvml, p.period_s, tm.stream(), {}));
  progress(opt, "power idle: done");
}

void run_power_loaded(const options& opt, results& out) {
  timer tm(opt.device);
  const device_facts& f = tm.facts();
  power_setup p;
  if (!setup_power(opt, out, p)) return;
  const std::vector<rail>& rails = p.rails;
  const bool use_nvml = p.use_nvml;
  const double period_s = p.period_s, settle_s = p.settle_s, duration_s = p.duration_s;
  if (time_left_s(opt) < 2 * (settle_s + duration_s)) {
    out.skips.push_back({"power", "compute,memory", "time budget (--budget): too little left for the loaded phases"});
    return;
  }

  // (b) compute-bound: fp16 GEMM, fp32 accumulate, tensor cores.
  {
    const int n = 8192;
    const std::size_t elems = static_cast<std::size_t>(n) * n;
    device_buffer a(elems * 2), b(elems * 2), c(elems * 2);
    fill_random(a.get(), elems, elem::f16, 71);
    fill_random(b.get(), elems, elem::f16, 72);
    cublasHandle_t h = nullptr;
    check_cublas(cublasCreate(&h), "Create");
    try {
      check_cublas(cublasSetStream(h, tm.stream()), "SetStream");
      const float alpha = 1.0f, beta = 0.0f;
      auto gemm = [&](cudaStream_t) {
        check_cublas(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, n, n, n, &alpha, a.get(), CUDA_R_16F, n, b.get(),
                                  CUDA_R_16F, n, &beta, c.get(), CUDA_R_16F, n, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
                     "GemmEx");
      };
      // Size a step to ~50 ms of work so the phase ends close to on time.
      timing_options once;
      once.min_samples = 3;
      once.max_samples = 3;
      once.max_time_s = 2.0;
      once.rel_tol = 1.0;
      once.flush_l2 = false;
      once.blocking = false;
      once.max_batch = 1;
      once.warmup_launches = 1;
      once.warmup_k = 1;
      const sample_stats one = tm.measure(gemm, once);
      const int per_step = std::max(1, static_cast<int>(0.05 / std::max(one.median_s, 1e-6)));
      // Analytic: 2 n^3 FLOPs per GEMM; compulsory bytes: A, B read and C written once.
      const double gemm_flops = 2.0 * n * static_cast<double>(n) * n;
      const double gemm_bytes = 3.0 * 2.0 * static_cast<double>(elems);
      auto step = [&](cudaStream_t st) {
        for (int i = 0; i < per_step; ++i) gemm(st);
        return std::make_pair(per_step * gemm_flops, per_step * gemm_bytes);
      };
      out.power.push_back(run_phase("compute", "cublasGemmEx fp16 tensor m=n=k=8192", settle_s, duration_s, rails,
                                    use_nvml, period_s, tm.stream(), step));
    } catch (...) {
      (void)cublasDestroy(h);
      throw;
    }
    (void)cublasDestroy(h);
  }
  progress(opt, "power compute: done");

  // (c) memory-bound: float4 copy over two arrays of up to 512 MiB each.
  {
    std::size_t bytes = std::min<std::size_t>(std::size_t{512} << 20, static_cast<std::size_t>(f.free_bytes) / 8);
    bytes &= ~std::size_t{4095};
    device_buffer src(bytes), dst(bytes);
    fill_random(src.get(), bytes / 4, elem::f32, 73);
    const std::size_t n4 = bytes / 16;
    const int grid = grid_for(n4, 256, f.sm_count);
    auto copy = [&](cudaStream_t st) { launch_copy(src.get(), dst.get(), n4, grid, st); };
    timing_options once;
    once.min_samples = 3;
    once.max_samples = 3;
    once.max_time_s = 2.0;
    once.rel_tol = 1.0;
    once.flush_l2 = false;
    once.blocking = false;
    once.max_batch = 1;
    once.warmup_launches = 1;
    once.warmup_k = 1;
    const sample_stats one = tm.measure(copy, once);
    const int per_step = std::max(1, static_cast<int>(0.05 / std::max(one.median_s, 1e-6)));
    // Analytic: one read and one write of the array per copy, no FLOPs.
    auto step = [&](cudaStream_t st) {
      for (int i = 0; i < per_step; ++i) copy(st);
      return std::make_pair(0.0, per_step * 2.0 * static_cast<double>(bytes));
    };
    out.power.push_back(run_phase("memory", "float4 copy of " + std::to_string(bytes >> 20) + " MiB", settle_s,
                                  duration_s, rails, use_nvml, period_s, tm.stream(), step));
  }
  progress(opt, "power memory: done");
}

}  // namespace edgeperf::calib
