#pragma once
/// @file
/// Expected, data-dependent failures as values (does not fit in memory,
/// unsupported combination, unknown id), in the spirit of `std::expected`
/// (C++23, which GCC 11 lacks). Programmer errors use EDGEPERF_ASSERT instead,
/// and malformed files throw at the io/ boundary.

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace edgeperf {

/// What kind of expected failure happened.
enum class errc {
  invalid_argument,  ///< a value outside its domain (negative size, zero batch, ...)
  unknown_id,        ///< a catalog id that does not exist
  unsupported,       ///< a valid but unsupported combination (fp8 on Orin, ...)
  does_not_fit,      ///< the case does not fit in the device's memory
  parse_error,       ///< a malformed input file or row
};

[[nodiscard]] constexpr const char* to_string(errc e) {
  switch (e) {
    case errc::invalid_argument: return "invalid_argument";
    case errc::unknown_id: return "unknown_id";
    case errc::unsupported: return "unsupported";
    case errc::does_not_fit: return "does_not_fit";
    case errc::parse_error: return "parse_error";
  }
  return "unknown";
}

/// An error value: a kind and a message naming the value and the constraint.
struct error {
  errc code{errc::invalid_argument};
  std::string message;
};

/// Thrown by `result::value()` when it holds an error.
class bad_result_access : public std::runtime_error {
 public:
  explicit bad_result_access(const error& e)
      : std::runtime_error(std::string(to_string(e.code)) + ": " + e.message), err_(e) {}
  [[nodiscard]] const error& err() const noexcept { return err_; }

 private:
  error err_;
};

/// Either a `T` or an `error`.
template <class T>
class [[nodiscard]] result {
 public:
  result(T v) : v_(std::move(v)) {}          // NOLINT(google-explicit-constructor)
  result(error e) : v_(std::move(e)) {}      // NOLINT(google-explicit-constructor)
  /// A value-initialised `T` in place, for callers that fill it through
  /// `operator*` (no copy of a large `T`, such as a request estimate).
  explicit result(std::in_place_t) : v_(std::in_place_index<0>) {}
  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] const T& value() const& {
    if (!has_value()) throw bad_result_access(std::get<1>(v_));
    return std::get<0>(v_);
  }
  [[nodiscard]] T& value() & {
    if (!has_value()) throw bad_result_access(std::get<1>(v_));
    return std::get<0>(v_);
  }
  [[nodiscard]] T&& value() && {
    if (!has_value()) throw bad_result_access(std::get<1>(v_));
    return std::get<0>(std::move(v_));
  }
  [[nodiscard]] const error& error_value() const& { return std::get<1>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }

 private:
  std::variant<T, error> v_;
};

/// Convenience maker for an error value.
[[nodiscard]] inline error make_error(errc code, std::string message) {
  return error{code, std::move(message)};
}

}  // namespace edgeperf
