#pragma once
/// @file
/// A fixed-capacity, constexpr-friendly string used for names and provenance
/// notes inside descriptions, so that catalog entries can be `inline constexpr`
/// aggregates and loaded specs carry their own storage (no dangling views).

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace edgeperf {

/// Null-terminated string of at most `N - 1` characters stored inline.
/// Longer input is truncated (names and notes are for people, not keys that
/// must round-trip); `truncated()` tells when that happened.
template <std::size_t N>
struct fixed_string {
  char data_[N]{};
  std::size_t size_{0};
  bool truncated_{false};

  constexpr fixed_string() = default;
  constexpr fixed_string(const char* s) : fixed_string(std::string_view{s}) {}  // NOLINT
  constexpr fixed_string(std::string_view s) {                                  // NOLINT
    size_ = std::min(s.size(), N - 1);
    truncated_ = s.size() > N - 1;
    for (std::size_t i = 0; i < size_; ++i) data_[i] = s[i];
    data_[size_] = '\0';
  }
  [[nodiscard]] constexpr std::string_view view() const { return {data_, size_}; }
  [[nodiscard]] constexpr const char* c_str() const { return data_; }
  [[nodiscard]] constexpr std::size_t size() const { return size_; }
  [[nodiscard]] constexpr bool empty() const { return size_ == 0; }
  [[nodiscard]] constexpr bool truncated() const { return truncated_; }
  constexpr operator std::string_view() const { return view(); }  // NOLINT
  friend constexpr bool operator==(const fixed_string& a, const fixed_string& b) {
    return a.view() == b.view();
  }
  friend constexpr bool operator==(const fixed_string& a, std::string_view b) {
    return a.view() == b;
  }
  friend constexpr bool operator==(const fixed_string& a, const char* b) {
    return a.view() == std::string_view{b};
  }
};

/// Names of catalog entities (models, devices, modes, runtimes, quant formats).
using name_string = fixed_string<48>;
/// Provenance notes (data sheet section, paper table, calibration run id).
using note_string = fixed_string<112>;

}  // namespace edgeperf
