// Host-side telemetry: see telemetry.hpp.

#include "telemetry.hpp"

#include <dirent.h>
#include <dlfcn.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace edgeperf::calib {

namespace {

/// Whole file as a string with trailing whitespace and NULs removed; empty when unreadable.
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

/// A number read from a /sys file, or false.
bool read_number(const std::string& path, double& value) {
  const std::string s = read_file(path);
  if (s.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return false;
  value = v;
  return true;
}

/// Output of a shell command (stdout and stderr), empty on failure.
std::string run_command(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr) out += buf.data();
  (void)pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

bool file_exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

/// Entries of a directory whose name starts with `prefix`, sorted.
std::vector<std::string> list_dir(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n.compare(0, prefix.size(), prefix) == 0) names.push_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

// ---- NVML: the handful of entry points we use, declared by hand -------------
// (nvml.h is not needed to build; signatures from the NVML API reference.)
using nvml_return = int;  // nvmlReturn_t, 0 = NVML_SUCCESS
using nvml_device = void*;
using fn_init = nvml_return (*)();
using fn_shutdown = nvml_return (*)();
using fn_by_pci = nvml_return (*)(const char*, nvml_device*);
using fn_uint = nvml_return (*)(nvml_device, unsigned*);
using fn_ull = nvml_return (*)(nvml_device, unsigned long long*);
using fn_clock = nvml_return (*)(nvml_device, int, unsigned*);
using fn_int = nvml_return (*)(nvml_device, int*);
using fn_driver = nvml_return (*)(char*, unsigned);

/// dlsym into a typed function pointer (memcpy: object-to-function pointer
/// conversion without a cast -Wpedantic would flag).
template <class Fn>
Fn sym(void* lib, const char* name) {
  Fn f = nullptr;
  if (lib == nullptr) return f;
  void* p = dlsym(lib, name);
  static_assert(sizeof(Fn) == sizeof(void*), "function pointers must be pointer-sized");
  std::memcpy(&f, &p, sizeof(f));
  return f;
}

constexpr int nvml_clock_graphics = 0;
constexpr int nvml_clock_sm = 1;
constexpr int nvml_clock_mem = 2;
constexpr int nvml_temperature_gpu = 0;

}  // namespace

// ---- host -------------------------------------------------------------------

host_info query_host() {
  host_info h;
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) == 0) h.hostname = name.data();
  utsname u{};
  if (uname(&u) == 0) h.kernel = std::string(u.sysname) + " " + u.release + " " + u.machine;
  std::istringstream os(read_file("/etc/os-release"));
  for (std::string line; std::getline(os, line);) {
    if (line.rfind("PRETTY_NAME=", 0) == 0) {
      h.os = line.substr(12);
      h.os.erase(std::remove(h.os.begin(), h.os.end(), '"'), h.os.end());
    }
  }
  h.board_model = read_file("/proc/device-tree/model");
  const std::string tegra = read_file("/etc/nv_tegra_release");
  h.l4t_release = tegra.substr(0, tegra.find('\n'));
  if (!h.l4t_release.empty())
    h.jetpack = run_command("dpkg-query -W -f='${Version}' nvidia-jetpack 2>/dev/null");
  for (const char* p : {"/usr/sbin/nvpmodel", "/usr/bin/nvpmodel"}) {
    if (file_exists(p)) {
      h.has_nvpmodel = true;
      h.nvpmodel_q = run_command(std::string(p) + " -q 2>&1");
      break;
    }
  }
  for (const char* p : {"/usr/bin/jetson_clocks", "/usr/sbin/jetson_clocks"}) {
    if (file_exists(p)) {
      // Needs root; without it the output says so, which is what gets recorded.
      h.jetson_clocks = run_command(std::string(p) + " --show 2>&1");
      break;
    }
  }
  return h;
}

// ---- NVML -------------------------------------------------------------------

nvml_lib& nvml_lib::instance() {
  static nvml_lib lib;
  return lib;
}

nvml_lib::nvml_lib() {
  lib_ = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib_ == nullptr) return;
  const auto init = sym<fn_init>(lib_, "nvmlInit_v2");
  initialised_ = init != nullptr && init() == 0;
}

nvml_lib::~nvml_lib() {
  if (initialised_) {
    if (const auto shutdown = sym<fn_shutdown>(lib_, "nvmlShutdown")) (void)shutdown();
  }
  if (lib_ != nullptr) dlclose(lib_);
}

bool nvml_lib::bind(const std::string& pci_bus_id) {
  if (!initialised_) return false;
  const auto by_pci = sym<fn_by_pci>(lib_, "nvmlDeviceGetHandleByPciBusId_v2");
  nvml_device dev = nullptr;
  if (by_pci == nullptr || by_pci(pci_bus_id.c_str(), &dev) != 0) return false;
  device_ = dev;
  // Jetson (JetPack 6) exposes NVML but answers NOT_SUPPORTED for power: keep
  // the binding anyway, the getters report -1.
  return true;
}

std::string nvml_lib::driver_version() const {
  const auto f = sym<fn_driver>(lib_, "nvmlSystemGetDriverVersion");
  std::array<char, 96> buf{};
  if (!initialised_ || f == nullptr || f(buf.data(), static_cast<unsigned>(buf.size())) != 0) return {};
  return buf.data();
}

double nvml_lib::power_w() const {
  const auto f = sym<fn_uint>(lib_, "nvmlDeviceGetPowerUsage");
  unsigned mw = 0;
  if (device_ == nullptr || f == nullptr || f(device_, &mw) != 0) return -1.0;
  return mw * 1e-3;
}

double nvml_lib::energy_j() const {
  const auto f = sym<fn_ull>(lib_, "nvmlDeviceGetTotalEnergyConsumption");
  unsigned long long mj = 0;
  if (device_ == nullptr || f == nullptr || f(device_, &mj) != 0) return -1.0;
  return static_cast<double>(mj) * 1e-3;
}

key_values nvml_lib::snapshot() const {
  key_values kv;
  if (device_ == nullptr) return kv;
  const auto clock = sym<fn_clock>(lib_, "nvmlDeviceGetClockInfo");
  const auto max_clock = sym<fn_clock>(lib_, "nvmlDeviceGetMaxClockInfo");
  const auto temp = sym<fn_clock>(lib_, "nvmlDeviceGetTemperature");
  const auto limit = sym<fn_uint>(lib_, "nvmlDeviceGetEnforcedPowerLimit");
  const auto pstate = sym<fn_int>(lib_, "nvmlDeviceGetPerformanceState");
  const auto persist = sym<fn_int>(lib_, "nvmlDeviceGetPersistenceMode");
  const auto reasons = sym<fn_ull>(lib_, "nvmlDeviceGetCurrentClocksThrottleReasons");
  unsigned u = 0;
  int i = 0;
  unsigned long long ull = 0;
  const std::pair<const char*, int> clocks[] = {
      {"graphics", nvml_clock_graphics}, {"sm", nvml_clock_sm}, {"mem", nvml_clock_mem}};
  for (const auto& c : clocks) {
    if (clock != nullptr && clock(device_, c.second, &u) == 0)
      kv.emplace_back(std::string("nvml.clock_") + c.first + "_hz", u * 1e6);
    if (max_clock != nullptr && max_clock(device_, c.second, &u) == 0)
      kv.emplace_back(std::string("nvml.max_clock_") + c.first + "_hz", u * 1e6);
  }
  if (temp != nullptr && temp(device_, nvml_temperature_gpu, &u) == 0) kv.emplace_back("nvml.temperature_gpu_c", u);
  const double p = power_w();
  if (p >= 0) kv.emplace_back("nvml.power_w", p);
  if (limit != nullptr && limit(device_, &u) == 0) kv.emplace_back("nvml.enforced_power_limit_w", u * 1e-3);
  if (pstate != nullptr && pstate(device_, &i) == 0) kv.emplace_back("nvml.pstate", i);
  if (persist != nullptr && persist(device_, &i) == 0) kv.emplace_back("nvml.persistence_mode", i);
  if (reasons != nullptr && reasons(device_, &ull) == 0)
    kv.emplace_back("nvml.clocks_event_reasons", static_cast<double>(ull));
  return kv;
}

bool nvml_lib::clocks(double& sm_hz, double& mem_hz, unsigned long long& reasons) const {
  if (device_ == nullptr) return false;
  static const auto clock = sym<fn_clock>(lib_, "nvmlDeviceGetClockInfo");
  // The reasons call was renamed in recent drivers; the old name stays exported.
  static const auto events = [this] {
    auto f = sym<fn_ull>(lib_, "nvmlDeviceGetCurrentClocksEventReasons");
    return f != nullptr ? f : sym<fn_ull>(lib_, "nvmlDeviceGetCurrentClocksThrottleReasons");
  }();
  unsigned u = 0;
  sm_hz = clock != nullptr && clock(device_, nvml_clock_sm, &u) == 0 ? u * 1e6 : 0.0;
  mem_hz = clock != nullptr && clock(device_, nvml_clock_mem, &u) == 0 ? u * 1e6 : 0.0;
  unsigned long long r = 0;
  reasons = events != nullptr && events(device_, &r) == 0 ? r : 0;
  return sm_hz > 0;
}

// ---- /sys ---------------------------------------------------------------------

namespace {

/// The Jetson GPU's devfreq directory (…ga10b or …gpu), empty elsewhere.
const std::string& gpu_devfreq_dir() {
  static const std::string dir = [] {
    for (const std::string& n : list_dir("/sys/class/devfreq", ""))
      if (n.find("ga10b") != std::string::npos || n.find(".gpu") != std::string::npos)
        return "/sys/class/devfreq/" + n + "/";
    return std::string();
  }();
  return dir;
}

}  // namespace

clock_reading read_clocks() {
  clock_reading c;
  double sm = 0, mem = 0;
  unsigned long long reasons = 0;
  if (nvml_lib::instance().clocks(sm, mem, reasons)) {
    c.source = "nvml";
    c.sm_hz = sm;
    c.mem_hz = mem;
    c.reasons = reasons;
    return c;
  }
  const std::string& dir = gpu_devfreq_dir();
  double v = 0;
  if (!dir.empty() && read_number(dir + "cur_freq", v)) {
    c.source = "devfreq";
    c.sm_hz = v;
    if (read_number("/sys/kernel/debug/bpmp/debug/clk/emc/rate", v)) c.mem_hz = v;
  }
  return c;
}

bool gpu_clocks_pinned() {
  const std::string& dir = gpu_devfreq_dir();
  double lo = 0, hi = 0, cur = 0;
  if (dir.empty() || !read_number(dir + "min_freq", lo) || !read_number(dir + "max_freq", hi) ||
      !read_number(dir + "cur_freq", cur))
    return false;
  return lo > 0 && lo == hi && cur == hi;
}

key_values power_sampling_settings(int cc_major) {
  key_values kv;
  double v = 0;
  for (const std::string& h : list_dir("/sys/class/hwmon", "hwmon")) {
    const std::string base = "/sys/class/hwmon/" + h + "/";
    if (read_file(base + "name") != "ina3221") continue;
    if (read_number(base + "update_interval", v)) kv.emplace_back("ina3221." + h + ".update_interval_ms", v);
    if (read_number(base + "samples", v)) kv.emplace_back("ina3221." + h + ".samples", v);
  }
  if (nvml_lib::instance().bound() && nvml_lib::instance().power_w() >= 0)
    // NVML documents nvmlDeviceGetPowerUsage as a 1 s average on Ampere
    // (except GA100) and newer, Hopper included (-1: not known for this GPU);
    // the fit prefers the energy counter over the phase.
    kv.emplace_back("nvml.power_usage_average_window_s", cc_major >= 9 ? 1.0 : -1.0);
  return kv;
}

key_values sysfs_snapshot() {
  key_values kv;
  double v = 0;
  // devfreq: GPU (…ga10b / …gpu) and, on some releases, EMC; frequencies in Hz.
  for (const std::string& n : list_dir("/sys/class/devfreq", "")) {
    if (n == "." || n == "..") continue;
    const std::string base = "/sys/class/devfreq/" + n + "/";
    if (read_number(base + "cur_freq", v)) kv.emplace_back("devfreq." + n + ".cur_freq_hz", v);
    if (read_number(base + "max_freq", v)) kv.emplace_back("devfreq." + n + ".max_freq_hz", v);
    if (read_number(base + "min_freq", v)) kv.emplace_back("devfreq." + n + ".min_freq_hz", v);
  }
  // EMC rate (root only on most releases).
  if (read_number("/sys/kernel/debug/bpmp/debug/clk/emc/rate", v)) kv.emplace_back("emc.rate_hz", v);
  // CPU0 frequency (kHz in sysfs).
  if (read_number("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", v)) kv.emplace_back("cpu0.cur_freq_hz", v * 1e3);
  if (read_number("/sys/devices/system/cpu/cpu0/cpufreq/scaling_max_freq", v)) kv.emplace_back("cpu0.max_freq_hz", v * 1e3);
  kv.emplace_back("cpu.online_cores", static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN)));
  // GPU rail-gating switch (1 = the GPU rail powers off when idle).
  for (const char* p : {"/sys/devices/platform/gpu.0/railgate_enable", "/sys/devices/gpu.0/railgate_enable",
                        "/sys/devices/platform/17000000.ga10b/railgate_enable",
                        "/sys/devices/platform/17000000.gpu/railgate_enable"}) {
    if (read_number(p, v)) {
      kv.emplace_back("gpu.railgate_enable", v);
      break;
    }
  }
  // Thermal zones: millidegrees C.
  for (const std::string& z : list_dir("/sys/class/thermal", "thermal_zone")) {
    const std::string base = "/sys/class/thermal/" + z + "/";
    const std::string type = read_file(base + "type");
    if (!type.empty() && read_number(base + "temp", v)) kv.emplace_back("thermal." + type + "_c", v * 1e-3);
  }
  return kv;
}

key_values telemetry_snapshot() {
  key_values kv = nvml_lib::instance().snapshot();
  key_values sys = sysfs_snapshot();
  kv.insert(kv.end(), sys.begin(), sys.end());
  return kv;
}

// ---- rails --------------------------------------------------------------------

std::vector<rail> find_rails() {
  std::vector<rail> rails;
  for (const std::string& h : list_dir("/sys/class/hwmon", "hwmon")) {
    const std::string base = "/sys/class/hwmon/" + h + "/";
    for (const std::string& f : list_dir(base, "in")) {
      const std::string suffix = "_label";
      if (f.size() <= suffix.size() + 2 || f.compare(f.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
      const std::string chan = f.substr(2, f.size() - 2 - suffix.size());  // "in{n}_label" -> n
      const std::string label = read_file(base + f);
      if (label.empty() || label == "NC") continue;
      rail r{label, base + "in" + chan + "_input", base + "curr" + chan + "_input"};
      if (file_exists(r.volt_path) && file_exists(r.curr_path)) rails.push_back(r);
    }
  }
  return rails;
}

// ---- sampler ------------------------------------------------------------------

power_sampler::power_sampler(std::vector<rail> rails, bool use_nvml, double period_s)
    : rails_(std::move(rails)), use_nvml_(use_nvml), period_s_(period_s) {}

power_sampler::~power_sampler() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

void power_sampler::start() {
  t_s_.clear();
  power_w_.assign(rails_.size() + 1, {});
  nvml_energy0_j_ = use_nvml_ ? nvml_lib::instance().energy_j() : -1.0;
  running_ = true;
  thread_ = std::thread([this] { loop(); });
}

void power_sampler::loop() {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  auto next = t0;
  while (running_) {
    t_s_.push_back(std::chrono::duration<double>(clock::now() - t0).count());
    for (std::size_t i = 0; i < rails_.size(); ++i) {
      double mv = 0, ma = 0;
      const bool ok = read_number(rails_[i].volt_path, mv) && read_number(rails_[i].curr_path, ma);
      power_w_[i].push_back(ok ? mv * ma * 1e-6 : -1.0);  // mV x mA = uW
    }
    power_w_[rails_.size()].push_back(use_nvml_ ? nvml_lib::instance().power_w() : -1.0);
    next += std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(period_s_));
    std::this_thread::sleep_until(next);
  }
}

std::vector<rail_stats> power_sampler::stop(double& mean_period_s) {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  nvml_energy1_j_ = use_nvml_ ? nvml_lib::instance().energy_j() : -1.0;
  mean_period_s = t_s_.size() > 1 ? (t_s_.back() - t_s_.front()) / static_cast<double>(t_s_.size() - 1) : 0.0;
  std::vector<rail_stats> out;
  for (std::size_t i = 0; i <= rails_.size(); ++i) {
    const bool is_nvml = i == rails_.size();
    if (is_nvml && !use_nvml_) continue;
    std::vector<double> w, t;
    for (std::size_t j = 0; j < power_w_[i].size(); ++j) {
      if (power_w_[i][j] >= 0) {
        w.push_back(power_w_[i][j]);
        t.push_back(t_s_[j]);
      }
    }
    if (w.empty()) continue;
    rail_stats rs;
    rs.rail = is_nvml ? "board" : rails_[i].label;
    rs.source = is_nvml ? "nvml:nvmlDeviceGetPowerUsage" : rails_[i].volt_path + " x " + rails_[i].curr_path;
    // Trapezoid energy over the sampled window.
    double e = 0;
    for (std::size_t j = 1; j < w.size(); ++j) e += 0.5 * (w[j] + w[j - 1]) * (t[j] - t[j - 1]);
    rs.energy_j = w.size() > 1 ? e : -1.0;
    if (is_nvml && nvml_energy0_j_ >= 0 && nvml_energy1_j_ >= nvml_energy0_j_) {
      rs.energy_j = nvml_energy1_j_ - nvml_energy0_j_;
      rs.source += "; energy:nvmlDeviceGetTotalEnergyConsumption";
    }
    rs.power_w = summarize(std::move(w));
    out.push_back(std::move(rs));
  }
  return out;
}

}  // namespace edgeperf::calib
