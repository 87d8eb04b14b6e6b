// Benchmark 2: launch cost, device side and host side measured apart.
//  - "queued": N empty kernels queued behind the timer's blocking kernel,
//    bracketed by CUDA events, then released: event time over N is the gap
//    the GPU leaves between kernels it already holds (the profile's
//    launch_overhead_s), free of the host's issue rate;
//  - "graph_queued": one CUDA graph of N empty-kernel nodes queued the same
//    way: slope over N = graph_node_overhead_s, intercept = graph launch;
//  - "host_issue": host wall time of N launch calls (GPU idle, no sync):
//    what the CPU pays per launch, which limits small models on edge CPUs;
//  - "host_graph": host wall time of one cudaGraphLaunch of N nodes;
//  - "sync": launch + cudaDeviceSynchronize round trip (eager runtimes that wait).

#include <algorithm>
#include <chrono>
#include <string>

#include "cuda_util.cuh"

namespace edgeperf::calib {

namespace {

__global__ void empty_kernel() {}

using steady = std::chrono::steady_clock;

/// Host wall times of `samples` calls of `body`, after `warm` unrecorded ones;
/// the stream is synchronised after each call so every call starts with the GPU idle.
sample_stats host_times(int warm, int samples, cudaStream_t st, const std::function<void()>& body) {
  std::vector<double> t;
  for (int i = 0; i < warm + samples; ++i) {
    const auto t0 = steady::now();
    body();
    const double s = std::chrono::duration<double>(steady::now() - t0).count();
    EDGEPERF_CUDA_CHECK(cudaStreamSynchronize(st));
    if (i >= warm) t.push_back(s);
  }
  sample_stats r = summarize(t);
  r.stable = median_converged(t, 10, 0.02);
  return r;
}

}  // namespace

void run_launch(const options& opt, results& out) {
  timer tm(opt.device);
  timing_options to;
  to.flush_l2 = false;  // nothing to flush: the kernels touch no memory
  to.max_batch = 1;     // the sample is already N launches
  to.max_time_s = opt.quick ? 0.15 : 0.4;
  to.min_samples = 10;
  const int samples = opt.quick ? 20 : 50;

  // ---- device side: N launches queued behind the blocking kernel -----------------
  // N stays well below the launch queue (about a thousand entries): a deeper
  // queue would block the host before it releases the blocking kernel.
  for (const int n : {10, 100, 400}) {
    if (budget_stop(opt, out, "launch", "queued")) return;
    record r;
    r.bench = "launch";
    r.name = "queued";
    r.params = {{"launches", static_cast<double>(n)}, {"grid", 1}, {"threads", 32}};
    r.tags = {{"kernel", "empty"}, {"timer", "cuda events behind a blocking kernel"}};
    r.units_per_sample = n;
    r.time = tm.measure([&](cudaStream_t st) { for (int i = 0; i < n; ++i) empty_kernel<<<1, 32, 0, st>>>(); }, to);
    out.records.push_back(std::move(r));
  }

  // ---- host side: N launch calls, wall clock --------------------------------------
  for (const int n : {10, 100, 400}) {
    if (budget_stop(opt, out, "launch", "host_issue")) return;
    record r;
    r.bench = "launch";
    r.name = "host_issue";
    r.params = {{"launches", static_cast<double>(n)}, {"grid", 1}, {"threads", 32}};
    r.tags = {{"kernel", "empty"}, {"timer", "host steady_clock around the launch calls"}};
    r.units_per_sample = n;
    r.time = host_times(5, samples, tm.stream(), [&] {
      for (int i = 0; i < n; ++i) empty_kernel<<<1, 32, 0, tm.stream()>>>();
    });
    EDGEPERF_CUDA_CHECK(cudaGetLastError());
    out.records.push_back(std::move(r));
  }

  // ---- launch + device synchronise round trip --------------------------------------
  {
    const int n = 200;
    record r;
    r.bench = "launch";
    r.name = "sync";
    r.params = {{"launches", static_cast<double>(n)}, {"grid", 1}, {"threads", 32}};
    r.tags = {{"kernel", "empty"}, {"timer", "host steady_clock"}};
    r.units_per_sample = n;
    r.time = host_times(2, opt.quick ? 10 : 20, tm.stream(), [&] {
      for (int i = 0; i < n; ++i) {
        empty_kernel<<<1, 32, 0, tm.stream()>>>();
        EDGEPERF_CUDA_CHECK(cudaDeviceSynchronize());
      }
    });
    out.records.push_back(std::move(r));
  }

  // ---- CUDA graphs of N nodes: device side (queued) and host side --------------------
  const std::vector<int> nodes = opt.quick ? std::vector<int>{1, 100, 1000} : std::vector<int>{1, 10, 100, 300, 1000};
  for (const int n : nodes) {
    if (budget_stop(opt, out, "launch", "graph")) return;
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t exec = nullptr;
    EDGEPERF_CUDA_CHECK(cudaStreamBeginCapture(tm.stream(), cudaStreamCaptureModeThreadLocal));
    for (int i = 0; i < n; ++i) empty_kernel<<<1, 32, 0, tm.stream()>>>();
    EDGEPERF_CUDA_CHECK(cudaStreamEndCapture(tm.stream(), &graph));
    EDGEPERF_CUDA_CHECK(cudaGraphInstantiateWithFlags(&exec, graph, 0));
    record r;
    r.bench = "launch";
    r.name = "graph_queued";
    r.params = {{"nodes", static_cast<double>(n)}, {"grid", 1}, {"threads", 32}};
    r.tags = {{"kernel", "empty"}, {"timer", "cuda events behind a blocking kernel"}};
    r.units_per_sample = n;
    r.time = tm.measure([&](cudaStream_t st) { EDGEPERF_CUDA_CHECK(cudaGraphLaunch(exec, st)); }, to);
    out.records.push_back(std::move(r));
    record h;
    h.bench = "launch";
    h.name = "host_graph";
    h.params = {{"nodes", static_cast<double>(n)}};
    h.tags = {{"kernel", "empty"}, {"timer", "host steady_clock around cudaGraphLaunch"}};
    h.units_per_sample = 1;
    h.time = host_times(3, samples, tm.stream(), [&] { EDGEPERF_CUDA_CHECK(cudaGraphLaunch(exec, tm.stream())); });
    out.records.push_back(std::move(h));
    EDGEPERF_CUDA_CHECK(cudaGraphExecDestroy(exec));
    EDGEPERF_CUDA_CHECK(cudaGraphDestroy(graph));
  }
  progress(opt, "launch: done");
}

}  // namespace edgeperf::calib
