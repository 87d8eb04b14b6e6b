#pragma once
/// @file
/// Strict number parsing for every text input (CSV cells, command-line flags):
/// integers are decimal only (an optional sign, then digits: a leading zero is
/// still decimal, never octal; no hex, no exponent, no blanks) and are
/// range-checked before any narrowing, so a token count past 2^31 or 2^32 is
/// refused instead of wrapping. Errors quote the text as the user wrote it.

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace edgeperf::io {

/// A parsed integer, or the reason it was refused (`error` non-empty).
struct parsed_integer {
  long long value{0};
  std::string error;  ///< "expected ..., got '<text>'"; empty on success
  [[nodiscard]] explicit operator bool() const { return error.empty(); }
};

/// Parses `text` as a decimal integer in [`lo`, `hi`]. Accepts an optional
/// leading `+` or `-` and the digits 0-9 only.
[[nodiscard]] inline parsed_integer parse_decimal_integer(std::string_view text, long long lo,
                                                          long long hi) {
  parsed_integer out;
  const std::string range = "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
  const auto fail = [&](const std::string& want) {
    out.error = "expected " + want + ", got '" + std::string(text) + "'";
    return out;
  };
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return fail("a decimal integer");
  for (char c : digits)
    if (c < '0' || c > '9') return fail("a decimal integer");
  unsigned long long magnitude = 0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, 10);
  if (r.ec == std::errc::result_out_of_range) return fail(range);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return fail("a decimal integer");
  constexpr auto max_ll = static_cast<unsigned long long>(std::numeric_limits<long long>::max());
  if (magnitude > max_ll + (negative ? 1ULL : 0ULL)) return fail(range);
  long long v = 0;
  if (negative)
    v = magnitude == max_ll + 1ULL ? std::numeric_limits<long long>::min()
                                   : -static_cast<long long>(magnitude);
  else
    v = static_cast<long long>(magnitude);
  if (v < lo || v > hi) return fail(range);
  out.value = v;
  return out;
}

/// A parsed finite number, or the reason it was refused.
struct parsed_number {
  double value{0};
  std::string error;
  [[nodiscard]] explicit operator bool() const { return error.empty(); }
};

/// Parses `text` as a finite decimal number (strtod syntax without blanks,
/// hex floats, inf or nan) in [`lo`, `hi`].
[[nodiscard]] inline parsed_number parse_finite_number(std::string_view text, double lo,
                                                       double hi) {
  parsed_number out;
  const auto fail = [&](const std::string& want) {
    out.error = "expected " + want + ", got '" + std::string(text) + "'";
    return out;
  };
  for (char c : text)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return fail("a decimal number");
  const std::string s(text);
  char* end = nullptr;
  const double v = s.empty() ? 0.0 : std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) return fail("a decimal number");
  if (!std::isfinite(v)) return fail("a finite number");
  if (!(v >= lo && v <= hi)) {
    char buf[64];
    const auto a = std::to_chars(buf, buf + sizeof buf, lo);
    std::string want = "a number in [" + std::string(buf, a.ptr) + ", ";
    const auto b = std::to_chars(buf, buf + sizeof buf, hi);
    return fail(want + std::string(buf, b.ptr) + "]");
  }
  out.value = v;
  return out;
}

}  // namespace edgeperf::io
