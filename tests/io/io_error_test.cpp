// io_error (io/io_error.hpp), the one exception type of the io boundary:
// file, field and message kept apart and joined in what().
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "edgeperf/io/io_error.hpp"

using edgeperf::io::io_error;
using Catch::Matchers::Equals;

TEST_CASE("what() joins file, field and message", "[io][io_error]") {
  const io_error e("config.json", "num_attention_heads", "expected a positive integer, got -4");
  CHECK_THAT(std::string(e.what()),
             Equals("config.json: field 'num_attention_heads': expected a positive integer, got -4"));
  CHECK(e.file() == "config.json");
  CHECK(e.field() == "num_attention_heads");
  CHECK(e.message() == "expected a positive integer, got -4");
}

TEST_CASE("file-level errors and unnamed inputs", "[io][io_error]") {
  CHECK_THAT(std::string(io_error("runs.csv", "", "empty file").what()), Equals("runs.csv: empty file"));
  CHECK_THAT(std::string(io_error("", "x", "bad").what()), Equals("<input>: field 'x': bad"));
}

TEST_CASE("io_error is a std::runtime_error", "[io][io_error]") {
  try {
    throw io_error("a.json", "b", "c");
  } catch (const std::runtime_error& e) {
    CHECK_THAT(std::string(e.what()), Equals("a.json: field 'b': c"));
  }
}
