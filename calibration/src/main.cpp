// edgeperf_calibrate: runs the calibration microbenchmarks on one GPU and
// writes one measurements JSON (schema "edgeperf.measurements/2", documented
// field by field in docs/calibration.md). `edgeperf fit` turns that file into
// a device profile.
//
//   edgeperf_calibrate [--out measurements.json] [--quick] [--budget S] [--only a,b] [--device N] [--list]

#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "suite.hpp"
#include "telemetry.hpp"

namespace edgeperf::calib {

const std::vector<bench_entry>& all_benchmarks() {
  // Priority order: what a short --budget must keep comes first.
  static const std::vector<bench_entry> list = {
      {"memory", "bandwidth over sizes 64 KiB..>=1 GiB: read-only, write-only, copy, scale, triad; cache flushed and warm",
       run_memory},
      {"launch", "empty-kernel launches: device-side gap (queued behind a blocking kernel), host issue cost, "
                 "sync round trip, CUDA graph nodes",
       run_launch},
      {"power_idle", "rail/NVML power with the GPU idle", run_power_idle},
      {"gemm", "fp16 cuBLASLt GEMM sweep over M (chosen tile recorded) + own WMMA 128x128x32 kernel (occupancy recorded)",
       run_gemm},
      {"dequant", "W4A16 GEMV, production (8 weights per 32-bit load, half2 unpack) and naive, against fp16 GEMV",
       run_dequant},
      {"attention", "own flash-style causal prefill and split-KV decode, fp16, head dim 128", run_attention},
      {"gemm_dtypes", "cuBLASLt GEMM sweeps over M for bf16, int8, fp8", run_gemm_dtypes},
      {"power_loaded", "rail/NVML power under a compute-bound GEMM and a memory-bound copy", run_power_loaded},
  };
  return list;
}

namespace {

using json = nlohmann::ordered_json;

std::string utc_stamp(std::time_t t, const char* fmt) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), fmt, &tm);
  return buf;
}

json kv_json(const std::vector<std::pair<std::string, double>>& kv) {
  json j = json::object();
  for (const auto& [k, v] : kv) j[k] = v;
  return j;
}

json stats_json(const sample_stats& s, bool with_stable) {
  json j = {{"median", s.median_s}, {"min", s.min_s}, {"max", s.max_s}, {"p10", s.p10_s},
            {"p90", s.p90_s},       {"mean", s.mean_s}, {"count", s.count}};
  if (with_stable) j["stable"] = s.stable;
  j["iqr"] = s.iqr_s;
  j["mad"] = s.mad_s;
  return j;
}

json clocks_json(const clock_summary& c) {
  return {{"source", c.source},
          {"sm_hz_min", c.sm_hz_min},
          {"sm_hz_max", c.sm_hz_max},
          {"mem_hz_min", c.mem_hz_min},
          {"mem_hz_max", c.mem_hz_max},
          {"throttle_mask", static_cast<double>(c.throttle_mask)},
          {"throttled_samples", c.throttled_samples},
          {"readings", c.readings}};
}

json record_json(const record& r) {
  json j;
  j["bench"] = r.bench;
  j["name"] = r.name;
  j["params"] = kv_json(r.params);
  json tags = json::object();
  for (const auto& [k, v] : r.tags) tags[k] = v;
  j["tags"] = tags;
  j["flops"] = r.flops;
  j["bytes"] = r.bytes;
  j["units_per_sample"] = r.units_per_sample;
  j["time_s"] = stats_json(r.time, true);
  j["batch"] = r.time.batch;
  j["clocks"] = clocks_json(r.time.clocks);
  const double t = r.time.median_s;
  j["derived"] = {{"flops_per_s", t > 0 ? r.flops / t : 0.0},
                  {"bytes_per_s", t > 0 ? r.bytes / t : 0.0},
                  {"time_per_unit_s", r.units_per_sample > 0 ? t / r.units_per_sample : t}};
  j["extra"] = kv_json(r.extra);
  return j;
}

std::string version_string(int v) {  // CUDA encodes 1000 * major + 10 * minor
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

json device_json(int dev) {
  cudaDeviceProp p{};
  if (cudaGetDeviceProperties(&p, dev) != cudaSuccess) throw std::runtime_error("cudaGetDeviceProperties failed");
  int clock_khz = 0, mem_clock_khz = 0;
  (void)cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, dev);
  (void)cudaDeviceGetAttribute(&mem_clock_khz, cudaDevAttrMemoryClockRate, dev);
  std::size_t free_b = 0, total_b = 0;
  (void)cudaMemGetInfo(&free_b, &total_b);
  int driver = 0, runtime = 0;
  (void)cudaDriverGetVersion(&driver);
  (void)cudaRuntimeGetVersion(&runtime);
  char pci[32] = {};
  (void)cudaDeviceGetPCIBusId(pci, sizeof(pci), dev);
  json j;
  j["name"] = p.name;
  j["index"] = dev;
  j["pci_bus_id"] = pci;
  j["cc_major"] = p.major;
  j["cc_minor"] = p.minor;
  j["compute_capability"] = std::to_string(p.major) + "." + std::to_string(p.minor);
  j["sm_count"] = p.multiProcessorCount;
  j["integrated"] = p.integrated != 0;
  j["total_memory_bytes"] = static_cast<double>(p.totalGlobalMem);
  j["free_memory_bytes"] = static_cast<double>(free_b);
  j["l2_bytes"] = p.l2CacheSize;
  j["persisting_l2_max_bytes"] = p.persistingL2CacheMaxSize;
  j["memory_bus_bits"] = p.memoryBusWidth;
  j["clock_hz"] = clock_khz * 1e3;
  j["memory_clock_hz"] = mem_clock_khz * 1e3;
  j["shared_memory_per_sm_bytes"] = static_cast<double>(p.sharedMemPerMultiprocessor);
  j["shared_memory_per_block_optin_bytes"] = static_cast<double>(p.sharedMemPerBlockOptin);
  j["registers_per_sm"] = p.regsPerMultiprocessor;
  j["max_threads_per_sm"] = p.maxThreadsPerMultiProcessor;
  j["warp_size"] = p.warpSize;
  j["ecc_enabled"] = p.ECCEnabled != 0;
  j["cuda_driver_version"] = version_string(driver);
  j["cuda_runtime_version"] = version_string(runtime);
  j["cublaslt_version"] = static_cast<double>(cublasLtGetVersion());
  j["nvml_driver_version"] = nvml_lib::instance().driver_version();
  return j;
}

void usage(std::ostream& os) {
  os << "usage: edgeperf_calibrate [--out FILE] [--quick] [--budget SECONDS] [--only BENCH[,BENCH...]] [--device N] [--list] [--quiet]\n"
        "  --out FILE   measurements JSON to write (default measurements.json)\n"
        "  --quick      reduced sweeps (about a minute on an H100)\n"
        "  --budget S   stop starting configurations after S seconds (priority order: see --list); what ran is written\n"
        "  --only LIST  run only these benchmarks (see --list; `power` = power_idle,power_loaded)\n"
        "  --device N   CUDA device index (default 0)\n"
        "  --list       list the benchmarks and exit\n";
}

}  // namespace

int run_main(int argc, char** argv) {
  options opt;
  std::string out_path = "measurements.json";
  std::set<std::string> only;
  std::string command_line;
  double budget_s = 0;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
      return argv[++i];
    };
    if (a == "--out" || a == "-o") {
      out_path = value("--out");
    } else if (a == "--quick") {
      opt.quick = true;
    } else if (a == "--budget") {
      const std::string v = value("--budget");
      std::size_t used = 0;
      double secs = 0;
      try {
        secs = std::stod(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size() || !(secs > 0))
        throw std::invalid_argument("--budget: expected seconds > 0, got '" + v + "'");
      budget_s = secs;
    } else if (a == "--quiet") {
      opt.verbose = false;
    } else if (a == "--device") {
      opt.device = std::stoi(value("--device"));
    } else if (a == "--only") {
      std::stringstream ss(value("--only"));
      for (std::string item; std::getline(ss, item, ',');) {
        if (item == "power") {
          only.insert("power_idle");
          only.insert("power_loaded");
          continue;
        }
        bool known = false;
        for (const auto& b : all_benchmarks()) known = known || item == b.name;
        if (!known) throw std::invalid_argument("--only: unknown benchmark '" + item + "' (see --list)");
        only.insert(item);
      }
    } else if (a == "--list") {
      for (const auto& b : all_benchmarks()) std::cout << b.name << "\t" << b.description << "\n";
      return 0;
    } else if (a == "--help" || a == "-h") {
      usage(std::cout);
      return 0;
    } else {
      usage(std::cerr);
      throw std::invalid_argument("unknown argument '" + a + "'");
    }
  }

  using clock = std::chrono::steady_clock;
  const auto t_start = clock::now();
  if (budget_s > 0) opt.deadline = t_start + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(budget_s));
  const std::time_t started = std::time(nullptr);
  if (cudaSetDevice(opt.device) != cudaSuccess || cudaFree(nullptr) != cudaSuccess)
    throw std::runtime_error("cannot use CUDA device " + std::to_string(opt.device));
  char pci[32] = {};
  if (cudaDeviceGetPCIBusId(pci, sizeof(pci), opt.device) == cudaSuccess) (void)nvml_lib::instance().bind(pci);

  const host_info host = query_host();
  json doc;
  doc["schema"] = "edgeperf.measurements/2";
  doc["run"] = {{"id", utc_stamp(started, "%Y%m%dT%H%M%SZ") + "-" + host.hostname},
                {"hostname", host.hostname},
                {"started_utc", utc_stamp(started, "%Y-%m-%dT%H:%M:%SZ")},
                {"finished_utc", nullptr},
                {"wall_s", nullptr},
                {"suite_version", EDGEPERF_CALIBRATION_VERSION},
                {"quick", opt.quick},
                {"budget_s", budget_s > 0 ? json(budget_s) : json(nullptr)},
                {"command_line", command_line},
                {"bench_wall_s", json::object()},
                {"errors", json::array()}};
  doc["device"] = device_json(opt.device);
  doc["host"] = {{"kernel", host.kernel}, {"os", host.os}, {"board_model", host.board_model},
                 {"l4t_release", host.l4t_release}, {"jetpack", host.jetpack}};
  doc["power_mode"] = {{"nvpmodel_present", host.has_nvpmodel},
                       {"nvpmodel_q", host.has_nvpmodel ? json(host.nvpmodel_q) : json(nullptr)},
                       {"jetson_clocks", host.jetson_clocks},
                       {"clocks_pinned", gpu_clocks_pinned()}};
  doc["telemetry"] = {{"start", kv_json(telemetry_snapshot())}, {"end", nullptr}};
  json rails = json::array();
  for (const rail& r : find_rails()) rails.push_back({{"label", r.label}, {"volt_path", r.volt_path}, {"curr_path", r.curr_path}});
  int cc_major = 0;
  (void)cudaDeviceGetAttribute(&cc_major, cudaDevAttrComputeCapabilityMajor, opt.device);
  key_values sampling = power_sampling_settings(cc_major);
  sampling.emplace_back("sampler.period_s", rails.empty() ? 0.02 : 0.01);
  doc["power_sensors"] = {{"rails", rails},
                          {"nvml_power", nvml_lib::instance().bound() && nvml_lib::instance().power_w() >= 0},
                          {"sampling", kv_json(sampling)}};

  results res;
  auto write = [&]() {
    doc["benchmarks"] = json::array();
    for (const record& r : res.records) doc["benchmarks"].push_back(record_json(r));
    json phases = json::array();
    for (const power_phase& ph : res.power) {
      json rj = json::array();
      for (const rail_stats& rs : ph.rails)
        rj.push_back({{"rail", rs.rail}, {"source", rs.source}, {"power_w", stats_json(rs.power_w, false)},
                      {"energy_j", rs.energy_j}});
      phases.push_back({{"name", ph.name},     {"load", ph.load},   {"duration_s", ph.duration_s},
                        {"busy_s", ph.busy_s}, {"flops", ph.flops}, {"bytes", ph.bytes},
                        {"sample_period_s", ph.sample_period_s},    {"rails", rj},
                        {"telemetry_end", kv_json(ph.telemetry_end)}});
    }
    doc["power"] = {{"phases", phases}};
    json sk = json::array();
    for (const skipped& s : res.skips) sk.push_back({{"bench", s.bench}, {"name", s.name}, {"reason", s.reason}});
    doc["skipped"] = sk;
    json ck = json::array();
    for (const check_result& c : res.checks)
      ck.push_back({{"name", c.name}, {"max_abs_err", c.max_abs_err}, {"max_abs_ref", c.max_abs_ref},
                    {"tolerance", c.tolerance}, {"passed", c.passed}});
    doc["checks"] = ck;
    const std::string tmp = out_path + ".partial";
    {
      std::ofstream os(tmp);
      if (!os) throw std::runtime_error("cannot write " + tmp);
      os << doc.dump(1) << "\n";
    }
    if (std::rename(tmp.c_str(), out_path.c_str()) != 0) throw std::runtime_error("cannot rename " + tmp + " to " + out_path);
  };

  int failures = 0;
  for (const bench_entry& b : all_benchmarks()) {
    if (!only.empty() && only.count(b.name) == 0) continue;
    if (out_of_time(opt)) {
      res.skips.push_back({b.name, "all", "time budget (--budget) spent before this benchmark"});
      continue;
    }
    progress(opt, std::string("running ") + b.name + (opt.quick ? " (quick)" : ""));
    const auto t0 = clock::now();
    try {
      b.run(opt, res);
    } catch (const std::exception& e) {
      ++failures;
      doc["run"]["errors"].push_back({{"bench", b.name}, {"what", e.what()}});
      std::cerr << "[edgeperf_calibrate] " << b.name << " failed: " << e.what() << std::endl;
      if (cudaDeviceSynchronize() != cudaSuccess) {  // sticky error: the context is gone
        std::cerr << "[edgeperf_calibrate] CUDA context lost, stopping" << std::endl;
        break;
      }
    }
    doc["run"]["bench_wall_s"][b.name] = std::chrono::duration<double>(clock::now() - t0).count();
    doc["run"]["wall_s"] = std::chrono::duration<double>(clock::now() - t_start).count();
    write();  // after every benchmark, so an interrupted run keeps what it measured
  }
  doc["telemetry"]["end"] = kv_json(telemetry_snapshot());
  doc["run"]["finished_utc"] = utc_stamp(std::time(nullptr), "%Y-%m-%dT%H:%M:%SZ");
  doc["run"]["wall_s"] = std::chrono::duration<double>(clock::now() - t_start).count();
  write();
  progress(opt, "wrote " + out_path + " (" + std::to_string(res.records.size()) + " records, " +
                    std::to_string(doc["run"]["wall_s"].get<double>()) + " s)");
  return failures == 0 ? 0 : 1;
}

}  // namespace edgeperf::calib

int main(int argc, char** argv) {
  try {
    return edgeperf::calib::run_main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "edgeperf_calibrate: " << e.what() << std::endl;
    return 2;
  }
}
