#pragma once
/// @file
/// What a sampled power monitor reports, so that predictions can be compared
/// honestly with such measurements (the physical energy stays the primary
/// output). Model: the rail's reading ramps linearly from the idle power P0
/// to the phase's power P over `ramp_s` after the phase starts (tegrastats on
/// Jetson samples once per second and measured decode power ramps up over
/// ~1–1.5 s: data/README.md). Over a window of length T:
///   T ≥ ramp: E_meas = E − (P − P0) · ramp / 2
///   T < ramp: E_meas = P0 · T + (P − P0) · T² / (2 · ramp)
/// and the reported average power is E_meas / T. See docs/energy.md.

namespace edgeperf {

/// A sampled power sensor.
struct power_sensor {
  double ramp_s{1.25};  ///< time for the reading to reach the true power (1–1.5 s on Jetson)
};

/// Energy a ramping sensor integrates over a phase of `time_s` at true average
/// power `power_w` on a rail idling at `idle_w`.
template <class T>
[[nodiscard]] constexpr T sensed_energy(const power_sensor& s, const T& power_w, const T& idle_w,
                                        const T& time_s) {
  const T ramp = T(s.ramp_s);
  if (!(ramp > T(0))) return power_w * time_s;
  if (time_s >= ramp) return power_w * time_s - (power_w - idle_w) * ramp / T(2);
  return idle_w * time_s + (power_w - idle_w) * time_s * time_s / (T(2) * ramp);
}

/// Average power a ramping sensor reports over a phase (see `sensed_energy`).
template <class T>
[[nodiscard]] constexpr T sensed_power(const power_sensor& s, const T& power_w, const T& idle_w,
                                       const T& time_s) {
  return time_s > T(0) ? sensed_energy(s, power_w, idle_w, time_s) / time_s : idle_w;
}

}  // namespace edgeperf
