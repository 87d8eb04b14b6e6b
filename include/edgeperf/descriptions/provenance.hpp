#pragma once
/// @file
/// Provenance for every number in a device or runtime profile: where it came
/// from (data sheet, derived arithmetic, published measurement, calibration run,
/// fit to a named data set, or an assumption) and a note naming the source.

#include <cstdint>
#include <string_view>

#include "edgeperf/detail/fixed_string.hpp"

namespace edgeperf {

/// Where a number comes from. Measured numbers are kept apart from data-sheet ones.
enum class source : std::uint8_t {
  datasheet,   ///< copied from a vendor data sheet or spec page (tag E in data/)
  derived,     ///< arithmetic on cited numbers (tag D)
  published,   ///< a published measurement by someone else
  calibrated,  ///< measured by our calibration suite (note carries the run id)
  fitted,      ///< fitted to a named data set by code in this repo (note names it)
  assumed,     ///< an engineering assumption, stated in the note
};

[[nodiscard]] constexpr const char* to_string(source s) {
  switch (s) {
    case source::datasheet: return "datasheet";
    case source::derived: return "derived";
    case source::published: return "published";
    case source::calibrated: return "calibrated";
    case source::fitted: return "fitted";
    case source::assumed: return "assumed";
  }
  return "?";
}

/// Parses the names produced by `to_string(source)`; returns false if unknown.
[[nodiscard]] constexpr bool parse_source(std::string_view s, source& out) {
  constexpr source all[] = {source::datasheet, source::derived,  source::published,
                            source::calibrated, source::fitted, source::assumed};
  for (source x : all) {
    if (s == to_string(x)) {
      out = x;
      return true;
    }
  }
  return false;
}

/// A number with its provenance.
struct sourced {
  double value{0.0};
  source src{source::assumed};
  note_string note{};
  /// 1-σ uncertainty of log(value) (≈ relative σ) when known: a fit's σ
  /// (fit/joint_fit.hpp). 0 = not stated; prediction intervals then use the
  /// default of the value's provenance (phases/interval.hpp).
  double rel_sigma{0.0};

  friend constexpr bool operator==(const sourced& a, const sourced& b) {
    return a.value == b.value && a.src == b.src && a.note == b.note && a.rel_sigma == b.rel_sigma;
  }
};

}  // namespace edgeperf
