#pragma once
/// @file
/// Reading an input file for the io/ loaders, safely (standard library only,
/// so that io/csv.hpp and the plan/ CSV readers need no JSON library):
/// `read_input_file` checks that the path exists, is not a directory, is no
/// larger than `max_input_bytes` (a huge or endless file cannot exhaust
/// memory) and can be read, and throws `edgeperf::io::io_error` naming the file
/// otherwise.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "edgeperf/io/io_error.hpp"

namespace edgeperf::io {

/// Largest input file the loaders read (256 MiB): configs, profiles, case
/// lists and measurement files are far smaller; anything bigger is refused
/// before it is read into memory. A guard, not a format limit.
inline constexpr std::uintmax_t max_input_bytes = std::uintmax_t{256} << 20;

/// The whole file as bytes. Throws io_error (file = `path`) when it does not
/// exist, is a directory or not a regular file, is larger than `max_bytes`,
/// or cannot be read.
[[nodiscard]] inline std::string read_input_file(const std::filesystem::path& path,
                                                 std::uintmax_t max_bytes = max_input_bytes) {
  const std::string file = path.string();
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) throw io_error(file, "", "cannot open file: it does not exist");
  if (std::filesystem::is_directory(st)) throw io_error(file, "", "is a directory, expected a file");
  if (std::filesystem::is_regular_file(st)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_bytes)
      throw io_error(file, "", "file is " + std::to_string(size) + " bytes; expected at most " +
                                   std::to_string(max_bytes) + " (" + std::to_string(max_bytes >> 20) +
                                   " MiB)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(file, "", "cannot open file for reading");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {  // also bounds pipes and /dev/* files
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
      throw io_error(file, "", "input larger than " + std::to_string(max_bytes) + " bytes");
  }
  if (in.bad()) throw io_error(file, "", "error while reading the file");
  return text;
}

}  // namespace edgeperf::io
