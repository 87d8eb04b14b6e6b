// Nearest-name suggestions (detail/nearest.hpp) behind every "unknown id"
// message: edit distance, substring matches, order and the message format.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "edgeperf/detail/nearest.hpp"

using namespace edgeperf::detail;
using Catch::Matchers::Equals;

TEST_CASE("edit distance", "[detail][nearest]") {
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("vllm", "vllm") == 0);
  CHECK(edit_distance("flaw", "lawn") == 2);
}

TEST_CASE("nearest names: closest first, substrings count as close, at most k", "[detail][nearest]") {
  const std::vector<std::string> ids{"agx-orin-64gb", "agx-orin-32gb", "orin-nano-8gb", "h100-sxm", "rtx-4090"};
  const auto near = nearest_names("agx-orin-65gb", ids);
  REQUIRE(near.size() == 3);
  CHECK(near[0] == "agx-orin-64gb");
  CHECK(near[1] == "agx-orin-32gb");
  // "h100" is far by edit distance from "h100-sxm" (4) but a substring of it.
  CHECK(nearest_names("h100", ids, 1) == std::vector<std::string>{"h100-sxm"});
  CHECK(nearest_names("x", ids, 10).size() == ids.size());
  CHECK(nearest_names("x", std::vector<std::string>{}).empty());
}

TEST_CASE("unknown-id message names the kind, the id and the nearest ids", "[detail][nearest]") {
  const std::vector<std::string> ids{"vllm", "llama.cpp", "mlc"};
  CHECK_THAT(unknown_id_message("runtime id", "vlm", ids),
             Equals("unknown runtime id 'vlm'; nearest: vllm, mlc, llama.cpp"));
  CHECK_THAT(unknown_id_message("runtime id", "vlm", std::vector<std::string>{}),
             Equals("unknown runtime id 'vlm'"));
}
