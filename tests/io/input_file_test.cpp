// Reading input files (io/input_file.hpp): the whole file as bytes, and clear
// errors for a missing file, a directory, and a file over the size guard.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "edgeperf/io/input_file.hpp"

namespace fs = std::filesystem;
using edgeperf::io::io_error;
using edgeperf::io::read_input_file;
using Catch::Matchers::Contains;

namespace {
fs::path scratch() {
  const fs::path d = fs::temp_directory_path() / "edgeperf_input_file_test";
  fs::create_directories(d);
  return d;
}
fs::path write(const std::string& name, const std::string& bytes) {
  const fs::path p = scratch() / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}
}  // namespace

TEST_CASE("reads every byte, binary-safe", "[io][input_file]") {
  const std::string bytes("a\0b\r\nc\xff", 7);
  CHECK(read_input_file(write("bytes.bin", bytes)) == bytes);
  CHECK(read_input_file(write("empty.txt", "")).empty());
  // Larger than the 64 KiB read buffer.
  const std::string big(200000, 'x');
  CHECK(read_input_file(write("big.txt", big)) == big);
}

TEST_CASE("missing file, directory, over the size guard", "[io][input_file]") {
  try {
    (void)read_input_file(scratch() / "nope.json");
    FAIL("no error");
  } catch (const io_error& e) {
    CHECK_THAT(e.file(), Contains("nope.json"));
    CHECK_THAT(e.message(), Contains("does not exist"));
  }
  CHECK_THROWS_WITH(read_input_file(scratch()), Contains("is a directory"));
  const fs::path p = write("eleven.txt", "01234567890");
  CHECK_THROWS_WITH(read_input_file(p, 10), Contains("file is 11 bytes; expected at most 10"));
  CHECK(read_input_file(p, 11) == "01234567890");
}
