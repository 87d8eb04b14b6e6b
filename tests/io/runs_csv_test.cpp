// Measured runs in long format (io/runs_csv.hpp) parsed into
// fit::run_measurement: every column lands in its field, rows keep their
// file:line, and bad rows name the file, line, column and value.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "edgeperf/io/runs_csv.hpp"

using namespace edgeperf;
using Catch::Matchers::Contains;

TEST_CASE("Run measurements parse with their locations", "[io][runs_csv]") {
  const auto t = io::parse_csv(
      "model,device,mode,runtime,quant,batch,samples,input_tokens,output_tokens,metric,value,unit\n"
      "m,d,MAXN,vllm,bf16,1,1,3,1,ttft_s,0.1,s\n",
      "runs.csv");
  const auto rows = io::parse_runs(t);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].metric == "ttft_s");
  CHECK(rows[0].where == "runs.csv:2");
  CHECK_THROWS_WITH(io::parse_runs(io::parse_csv("model,device\nm,d\n", "r.csv")),
                    Catch::Matchers::Contains("missing required column"));
}

TEST_CASE("Run measurements: every column lands in its field", "[io][runs_csv]") {
  const auto rows = io::parse_runs(io::parse_csv(
      "unit,value,metric,output_tokens,input_tokens,samples,batch,quant,runtime,mode,device,model\n"
      "W,12.5,decode_avg_power_w,256,512,4,2,w4a16,vllm,30W,agx-orin-64gb,dsr1-llama-8b\n",
      "reordered.csv"));
  REQUIRE(rows.size() == 1);
  const fit::run_measurement& r = rows[0];
  CHECK(r.model == "dsr1-llama-8b");
  CHECK(r.device == "agx-orin-64gb");
  CHECK(r.mode == "30W");
  CHECK(r.runtime == "vllm");
  CHECK(r.quant == "w4a16");
  CHECK(r.batch == 2);
  CHECK(r.samples == 4);
  CHECK(r.input_tokens == 512);
  CHECK(r.output_tokens == 256);
  CHECK(r.metric == "decode_avg_power_w");
  CHECK(r.value == 12.5);
  CHECK(r.unit == "W");
}

TEST_CASE("Run measurements: bad rows are refused with their location", "[io][runs_csv]") {
  const std::string head =
      "model,device,mode,runtime,quant,batch,samples,input_tokens,output_tokens,metric,value,unit\n";
  CHECK_THROWS_WITH(io::parse_runs(io::parse_csv(head + "m,d,M,r,q,0,1,3,1,ttft_s,0.1,s\n", "b.csv")),
                    Contains("b.csv:2") && Contains("'batch'"));
  CHECK_THROWS_WITH(io::parse_runs(io::parse_csv(head + "m,d,M,r,q,1,1,3,1,,0.1,s\n", "m.csv")),
                    Contains("m.csv:2") && Contains("'metric'"));
  CHECK_THROWS_WITH(io::parse_runs(io::parse_csv(head + "m,d,M,r,q,1,1,3,1,ttft_s,inf,s\n", "v.csv")),
                    Contains("v.csv:2") && Contains("'value'"));
  CHECK_THROWS_WITH(io::load_runs("/nonexistent/runs.csv"), Contains("/nonexistent/runs.csv"));
}

TEST_CASE("Run measurements: the repository's EdgeReasoning file loads", "[io][runs_csv]") {
  const auto rows = io::load_runs(std::string(EDGEPERF_DATA_DIR) + "/edgereasoning-dsr1-llama-8b.csv");
  REQUIRE(rows.size() > 10);
  for (const auto& r : rows) {
    CAPTURE(r.where);
    CHECK(std::isfinite(r.value));
    CHECK(r.batch >= 1);
    CHECK_FALSE(r.metric.empty());
  }
}
