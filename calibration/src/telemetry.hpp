#pragma once
/// @file
/// Host-side telemetry of the calibration suite, no CUDA needed: the host and
/// Jetson release facts (hostname, L4T, JetPack, `nvpmodel -q`), clocks and
/// temperatures (NVML on discrete GPUs, loaded with dlopen so there is no link
/// dependency; /sys devfreq and thermal zones on Jetson), the Jetson INA3221
/// power rails found by label under /sys/class/hwmon, and a sampler thread
/// that reads rails or NVML power while a load runs. See
/// data/jetson-devices.md "Power rails".

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "suite.hpp"

namespace edgeperf::calib {

/// Named numbers (clocks in Hz, temperatures in degrees C, power in W, ...).
using key_values = std::vector<std::pair<std::string, double>>;

/// Facts about the host and, on Jetson, the L4T/JetPack release and power mode.
struct host_info {
  std::string hostname;
  std::string kernel;        ///< uname -srm
  std::string os;            ///< PRETTY_NAME from /etc/os-release
  std::string board_model;   ///< /proc/device-tree/model (Jetson), else empty
  std::string l4t_release;   ///< first line of /etc/nv_tegra_release, else empty
  std::string jetpack;       ///< version of the nvidia-jetpack package, else empty
  std::string nvpmodel_q;    ///< output of `nvpmodel -q`, empty when nvpmodel is absent
  bool has_nvpmodel{false};
  std::string jetson_clocks;  ///< output of `jetson_clocks --show` (needs root), empty when absent or refused
};

/// Reads the host facts (runs `nvpmodel -q` and `dpkg-query` when present).
[[nodiscard]] host_info query_host();

/// NVML, loaded at run time from libnvidia-ml.so.1. Every getter returns a
/// negative value when NVML or the query is unavailable (Jetson: always).
class nvml_lib {
 public:
  /// The process-wide instance; loads and initialises NVML on first use.
  static nvml_lib& instance();

  /// Binds to the GPU with this PCI bus id (cudaDeviceGetPCIBusId); false when unavailable.
  bool bind(const std::string& pci_bus_id);
  [[nodiscard]] bool bound() const { return device_ != nullptr; }
  [[nodiscard]] std::string driver_version() const;
  [[nodiscard]] double power_w() const;          ///< nvmlDeviceGetPowerUsage, W
  [[nodiscard]] double energy_j() const;         ///< nvmlDeviceGetTotalEnergyConsumption, J since driver load
  [[nodiscard]] key_values snapshot() const;     ///< clocks, max clocks, temperature, power, limit, ...
  /// Current SM and memory clocks (Hz) and clocks-event reasons; false when unavailable.
  bool clocks(double& sm_hz, double& mem_hz, unsigned long long& reasons) const;

  nvml_lib(const nvml_lib&) = delete;
  nvml_lib& operator=(const nvml_lib&) = delete;

 private:
  nvml_lib();
  ~nvml_lib();
  void* lib_{nullptr};
  void* device_{nullptr};
  bool initialised_{false};
};

/// Clocks (devfreq), CPU frequency, thermal zones and GPU rail-gating from
/// /sys; on a discrete GPU the thermal zones are the host's.
[[nodiscard]] key_values sysfs_snapshot();

/// NVML snapshot when bound, plus the /sys snapshot.
[[nodiscard]] key_values telemetry_snapshot();

/// One clock reading, taken before every timed sample.
struct clock_reading {
  std::string source{"none"};  ///< "nvml", "devfreq" (Jetson), or "none": not readable (said in the record)
  double sm_hz{0};
  double mem_hz{0};            ///< 0 where not readable (Jetson EMC needs root: debugfs)
  unsigned long long reasons{0};  ///< NVML clocks-event reasons (0 on Jetson: not exposed)
};

/// Reads the clocks: NVML when bound, else the Jetson GPU devfreq node
/// (cur_freq) and EMC rate where readable.
[[nodiscard]] clock_reading read_clocks();

/// True when the GPU clock is pinned: on Jetson, devfreq min = max = cur
/// (what `jetson_clocks` does); on NVML, locked clocks (current = max
/// application clock under no load cannot be told apart, so false).
[[nodiscard]] bool gpu_clocks_pinned();

/// Power-sensor sampling settings: per INA3221 hwmon `update_interval` (ms)
/// and `samples` (averaging), and NVML's averaging window on this GPU.
[[nodiscard]] key_values power_sampling_settings(int cc_major);

/// One INA3221 channel found by label.
struct rail {
  std::string label;      ///< e.g. "VDD_GPU_SOC"
  std::string volt_path;  ///< .../in{n}_input, mV
  std::string curr_path;  ///< .../curr{n}_input, mA
};

/// Scans /sys/class/hwmon/hwmon*/in*_label for INA3221 channels (skips "NC").
[[nodiscard]] std::vector<rail> find_rails();

/// Samples every rail (and NVML board power when bound) on a thread until stop().
class power_sampler {
 public:
  power_sampler(std::vector<rail> rails, bool use_nvml, double period_s);
  ~power_sampler();
  power_sampler(const power_sampler&) = delete;
  power_sampler& operator=(const power_sampler&) = delete;

  void start();
  /// Stops the thread; per rail the power statistics and the integrated energy.
  [[nodiscard]] std::vector<rail_stats> stop(double& mean_period_s);

 private:
  void loop();
  std::vector<rail> rails_;
  bool use_nvml_;
  double period_s_;
  std::atomic<bool> running_{false};
  std::thread thread_;
  std::vector<double> t_s_;                  // sample times since start
  std::vector<std::vector<double>> power_w_;  // [channel][sample]; channel rails_.size() = NVML
  double nvml_energy0_j_{-1};
  double nvml_energy1_j_{-1};
};

}  // namespace edgeperf::calib
