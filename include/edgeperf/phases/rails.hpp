#pragma once
/// @file
/// Energy of a request per power rail the device reports (docs/energy.md):
///   - the accelerator rail (`device_spec::accel_rail`: VDD_GPU_SOC on AGX
///     Orin, VDD_CPU_GPU_CV + VDD_SOC on Orin NX/Nano, the board on discrete
///     GPUs): idle + dynamic + host-work power, `request_estimate::energy_j`;
///   - the CPU rail where the CPU has one of its own (VDD_CPU_CV on AGX Orin):
///     the CPU's active power in the request's mode over the host time (its
///     idle share is part of the module's idle and not split out);
///   - the module (`device_spec::module_rail`: VIN_SYS_5V0, VDD_IN, board):
///     `request_estimate::module_energy_j`.

#include <string>
#include <vector>

#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/phases/request.hpp"

namespace edgeperf {

/// Energy on one rail.
struct rail_energy {
  std::string rail;
  double energy_j{0};
  std::string covers;  ///< what the model puts on this rail
};

/// The CPU rail's name for devices whose CPU has its own rail.
[[nodiscard]] inline std::string cpu_rail_name(const device_spec& d) {
  if (d.accel_rail.view() == "VDD_GPU_SOC") return "VDD_CPU_CV";
  return d.kind == device_kind::discrete_gpu ? "host CPU" : "";
}

/// Per-rail energies of an estimated request.
[[nodiscard]] inline std::vector<rail_energy> request_rails(const device_spec& d,
                                                            const request_estimate<double>& e) {
  std::vector<rail_energy> out;
  out.push_back({std::string(d.accel_rail.view()), e.energy_j,
                 "accelerator rail: idle + op energy + host-work power"});
  const std::string cpu = cpu_rail_name(d);
  if (!cpu.empty() && d.cpu_active_power_w.value > 0) {
    // The CPU's host-work power in the request's mode (f·V² of its CPU clock).
    const double cpu_w = resolve<double>(d, d.mode_count > 0 ? e.mode_index : 0).cpu_active_w;
    out.push_back({cpu, cpu_w * e.host_busy_s, "CPU active power over the host time (idle not split out)"});
  }
  out.push_back({std::string(d.module_rail.view()), e.module_energy_j, "whole module"});
  return out;
}

}  // namespace edgeperf
