#pragma once
/// @file
/// JSON input for the io/ loaders: `read_input_file` (io/input_file.hpp)
/// bounds and reads the file, and `parse_json_text`
/// turns every nlohmann exception the parser can raise (syntax errors,
/// invalid UTF-8, number overflow such as `1e999`, which nlohmann reports as
/// `out_of_range`, not `parse_error`) into an `edgeperf::io::io_error` naming the
/// file and the byte position. Used by the HF config, profile and measurements
/// loaders.

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "edgeperf/io/input_file.hpp"
#include "edgeperf/io/io_error.hpp"

namespace edgeperf::io {

namespace detail {
/// `s` with every byte outside printable ASCII written as `\xNN`: parser
/// messages quote the offending input, which may be invalid UTF-8.
inline std::string printable(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F) {
      out += ch;
    } else {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}
}  // namespace detail

/// Parses JSON `text`; any parser exception becomes an io_error naming `file`
/// (the parser's message with non-ASCII bytes escaped, so it is valid UTF-8).
[[nodiscard]] inline nlohmann::json parse_json_text(std::string_view text, const std::string& file) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw io_error(file, "", "empty file: expected a JSON object");
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw io_error(file, "", "invalid JSON at byte " + std::to_string(e.byte) + ": " + detail::printable(e.what()));
  } catch (const nlohmann::json::exception& e) {  // out_of_range.406: number overflow (1e999)
    throw io_error(file, "", "invalid JSON: " + detail::printable(e.what()));
  }
}

/// `parse_json_text(read_input_file(path), path)`.
[[nodiscard]] inline nlohmann::json read_json_file(const std::filesystem::path& path) {
  return parse_json_text(read_input_file(path), path.string());
}

}  // namespace edgeperf::io
