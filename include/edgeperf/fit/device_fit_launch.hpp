#pragma once
/// @file
/// Launch part of the device fit, run first: every other part takes the
/// device-side gap off its kernels' times.
///
/// Device side (schema 2): N empty kernels (or a CUDA graph of N nodes) are
/// queued behind a blocking kernel that spins on a host-mapped flag; the
/// events bracket the queued work only, so the slope of event time over N is
/// the gap the GPU leaves between kernels it already has (`launch_overhead_s`,
/// `graph_node_overhead_s`), not the host's issue rate. Host side: wall time
/// per launch call (`host_issue`) and per graph launch (`host_graph`) are
/// reported, as is the launch + synchronise round trip (`sync`). Schema 1
/// files only have back-to-back launches on an idle GPU (`plain`, `graph`):
/// they are fitted with a note that they bound the gap from above.

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "edgeperf/fit/device_fit_detail.hpp"

namespace edgeperf::fit::detail {

/// Fits t = a + b·count over the records `name` of the launch benchmark and
/// sets `field` to b (referred to the profile's reference clock). False when
/// there are no such records.
inline bool fit_launch_line(device_fitter& f, const char* name, const char* count_key, sourced& field,
                            const char* field_name, const char* intercept_name) {
  const auto rows = f.records("launch", name);
  if (rows.empty()) return false;
  std::vector<double> x, t;
  for (const auto* r : rows) x.push_back(r->param(count_key, r->units_per_sample)), t.push_back(r->time_s.median);
  line_fit lf{};
  const bool distinct = *std::min_element(x.begin(), x.end()) < *std::max_element(x.begin(), x.end());
  if (distinct) {
    lf = nonneg_line_fit(x, t);
  } else {
    lf.b = t.front() / x.front();
  }
  if (!(lf.b > 0)) {
    f.note(std::string("launch ") + name + ": no per-unit term; " + field_name + " kept");
    return true;
  }
  f.measured(std::string("launch.") + name + ".per_unit_s", lf.b, "s");
  if (intercept_name) f.measured(intercept_name, lf.a, "s");
  f.set(field_name, field, lf.b * f.clk_ratio(), lf.sigma_b * f.clk_ratio(),
        std::string("launch ") + name + ": slope of event time over " + count_key);
  std::vector<double> p;
  std::vector<std::string> w;
  for (std::size_t i = 0; i < x.size(); ++i)
    p.push_back(lf.a + lf.b * x[i]),
        w.push_back(std::string(name) + " " + count_key + "=" + std::to_string(static_cast<long long>(x[i])));
  f.res.residuals.push_back(residual_stats(std::string("launch/") + name, p, t, w, true));
  return true;
}

inline void fit_launch(device_fitter& f) {
  if (!fit_launch_line(f, "queued", "launches", f.d.launch_overhead_s, "launch_overhead_s", "launch.queued.intercept_s") &&
      fit_launch_line(f, "plain", "launches", f.d.launch_overhead_s, "launch_overhead_s", "launch.plain.intercept_s"))
    f.note("launch: no blocking-kernel launches (schema 1); launch_overhead_s from back-to-back launches on an idle "
           "GPU, which the host's issue rate may bound: an upper bound of the device-side gap");
  if (!fit_launch_line(f, "graph_queued", "nodes", f.d.graph_node_overhead_s, "graph_node_overhead_s",
                       "launch.graph.launch_s") &&
      fit_launch_line(f, "graph", "nodes", f.d.graph_node_overhead_s, "graph_node_overhead_s", "launch.graph.launch_s"))
    f.note("launch: no blocking-kernel graph launches (schema 1); graph_node_overhead_s from graphs on an idle GPU");
  std::vector<double> sync, issue, graph_host;
  for (const auto* r : f.records("launch", "sync")) sync.push_back(r->time_s.median / r->units_per_sample);
  for (const auto* r : f.records("launch", "host_issue")) issue.push_back(r->time_s.median / r->units_per_sample);
  for (const auto* r : f.records("launch", "host_graph")) graph_host.push_back(r->time_s.median);
  if (issue.empty())  // schema 1: the host time rode along in `extra`
    for (const auto* r : f.records("launch", "plain")) {
      const auto it = r->extra.find("host_issue_s_per_launch_median");
      if (it != r->extra.end()) issue.push_back(it->second);
    }
  if (graph_host.empty())
    for (const auto* r : f.records("launch", "graph")) {
      const auto it = r->extra.find("host_graph_launch_s_median");
      if (it != r->extra.end()) graph_host.push_back(it->second);
    }
  if (!sync.empty()) f.measured("launch.sync_round_trip_s", median(sync), "s");
  if (!issue.empty()) f.measured("launch.host_issue_s_per_launch", median(issue), "s");
  if (!graph_host.empty()) f.measured("launch.host_graph_launch_s", median(graph_host), "s");
}

}  // namespace edgeperf::fit::detail
