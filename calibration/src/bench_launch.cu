// Benchmark 4: launch latency of an empty kernel, three ways:
//  - "plain": N launches back to back on one stream; event time / N is the
//    steady launch interval (max of the host issue rate and the device-side
//    gap), host time / N what the CPU spends per launch;
//  - "sync": each launch followed by cudaDeviceSynchronize, wall time per
//    round trip (what an eager runtime pays when it waits on every kernel);
//  - "graph": one CUDA graph of N empty-kernel nodes, event time per graph
//    launch for several N; the slope over N is the per-node cost.
// Feeds launch_overhead_s and graph_node_overhead_s of the profile.

#include <algorithm>
#include <chrono>
#include <string>

#include "cuda_util.cuh"

namespace edgeperf::calib {

namespace {

__global__ void empty_kernel() {}

}  // namespace

void run_launch(const options& opt, results& out) {
  timer tm(opt.device);
  using clock = std::chrono::steady_clock;
  timing_options to;
  to.flush_l2 = false;  // nothing to flush: the kernels touch no memory
  to.max_time_s = opt.quick ? 0.15 : 0.5;
  to.min_samples = 10;

  // ---- plain: back to back --------------------------------------------------
  for (const int n : {100, 1000}) {
    std::vector<double> host_s;
    auto launch = [&](cudaStream_t st) {
      const auto t0 = clock::now();
      for (int i = 0; i < n; ++i) empty_kernel<<<1, 32, 0, st>>>();
      host_s.push_back(std::chrono::duration<double>(clock::now() - t0).count());
    };
    record r;
    r.bench = "launch";
    r.name = "plain";
    r.params = {{"launches", static_cast<double>(n)}, {"grid", 1}, {"threads", 32}};
    r.tags = {{"kernel", "empty"}};
    r.units_per_sample = n;
    // Analytic work: none. The sample is n launches.
    r.flops = 0;
    r.bytes = 0;
    r.time = tm.measure(launch, to);
    const sample_stats hs = summarize(host_s);
    r.extra = {{"host_issue_s_per_launch_median", hs.median_s / n},
               {"host_issue_s_per_launch_min", hs.min_s / n}};
    out.records.push_back(std::move(r));
  }

  // ---- with a device synchronise after every launch --------------------------
  {
    const int n = 200;
    std::vector<double> per_launch_s;
    const auto t_begin = clock::now();
    for (int warm = 0; warm < 20; ++warm) {
      empty_kernel<<<1, 32, 0, tm.stream()>>>();
      EDGEPERF_CUDA_CHECK(cudaDeviceSynchronize());
    }
    while (per_launch_s.size() < 30 &&
           (per_launch_s.size() < 10 || std::chrono::duration<double>(clock::now() - t_begin).count() < to.max_time_s)) {
      const auto t0 = clock::now();
      for (int i = 0; i < n; ++i) {
        empty_kernel<<<1, 32, 0, tm.stream()>>>();
        EDGEPERF_CUDA_CHECK(cudaDeviceSynchronize());
      }
      per_launch_s.push_back(std::chrono::duration<double>(clock::now() - t0).count());
    }
    EDGEPERF_CUDA_CHECK(cudaGetLastError());
    record r;
    r.bench = "launch";
    r.name = "sync";
    r.params = {{"launches", static_cast<double>(n)}, {"grid", 1}, {"threads", 32}};
    r.tags = {{"kernel", "empty"}, {"timer", "host steady_clock"}};
    r.units_per_sample = n;
    r.time = summarize(per_launch_s);
    r.time.stable = true;
    out.records.push_back(std::move(r));
  }

  // ---- CUDA graph of N nodes ---------------------------------------------------
  const std::vector<int> nodes = opt.quick ? std::vector<int>{1, 100, 1000} : std::vector<int>{1, 10, 100, 300, 1000};
  for (const int n : nodes) {
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t exec = nullptr;
    EDGEPERF_CUDA_CHECK(cudaStreamBeginCapture(tm.stream(), cudaStreamCaptureModeThreadLocal));
    for (int i = 0; i < n; ++i) empty_kernel<<<1, 32, 0, tm.stream()>>>();
    EDGEPERF_CUDA_CHECK(cudaStreamEndCapture(tm.stream(), &graph));
    EDGEPERF_CUDA_CHECK(cudaGraphInstantiateWithFlags(&exec, graph, 0));
    std::vector<double> host_s;
    auto launch = [&](cudaStream_t st) {
      const auto t0 = clock::now();
      EDGEPERF_CUDA_CHECK(cudaGraphLaunch(exec, st));
      host_s.push_back(std::chrono::duration<double>(clock::now() - t0).count());
    };
    record r;
    r.bench = "launch";
    r.name = "graph";
    r.params = {{"nodes", static_cast<double>(n)}, {"grid", 1}, {"threads", 32}};
    r.tags = {{"kernel", "empty"}};
    r.units_per_sample = n;
    r.time = tm.measure(launch, to);
    const sample_stats hs = summarize(host_s);
    r.extra = {{"host_graph_launch_s_median", hs.median_s}};
    out.records.push_back(std::move(r));
    EDGEPERF_CUDA_CHECK(cudaGraphExecDestroy(exec));
    EDGEPERF_CUDA_CHECK(cudaGraphDestroy(graph));
  }
  progress(opt, "launch: done");
}

}  // namespace edgeperf::calib
