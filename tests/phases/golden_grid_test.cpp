// A fixed grid of cases (every catalog model, quant, device, mode, runtime and
// a few request shapes, thinned deterministically) against the numbers
// committed in tests/data/golden/grid.csv, to the last bit. Refactors must
// leave every number unchanged; a change to the model itself regenerates the
// file on purpose (EDGEPERF_UPDATE_GOLDEN=1 ctest -R golden) in the same
// commit, and the commit says why the numbers moved.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/request.hpp"

using namespace edgeperf;

namespace {

const std::string golden_file = std::string(EDGEPERF_SOURCE_DIR) + "/tests/data/golden/grid.csv";

std::string num(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

struct shape {
  int batch, samples, input, output;
};
constexpr shape shapes[] = {{1, 1, 128, 256}, {1, 8, 512, 1024}, {4, 1, 2000, 300}, {1, 1, 4097, 33}};

/// The ids of one case and its numbers (or its error code), as one CSV line.
std::string evaluate(const model_spec& m, const quant_spec& q, const device_spec& d, int mode,
                     const runtime_spec& r, const shape& s) {
  std::string line = std::string(m.id.view()) + ',' + std::string(q.id.view()) + ',' +
                     std::string(d.id.view()) + ',' +
                     std::string(d.modes[static_cast<std::size_t>(mode)].name.view()) + ',' +
                     std::string(r.id.view()) + ',' + std::to_string(s.batch) + ',' +
                     std::to_string(s.samples) + ',' + std::to_string(s.input) + ',' +
                     std::to_string(s.output);
  workload w{};
  w.batch = s.batch;
  w.samples = s.samples;
  w.input_tokens = s.input;
  w.output_tokens = s.output;
  const auto e = estimate_request(m, q, d, mode, r, w);
  if (!e) return line + ",error:" + to_string(e.error_value().code) + ",,,,,,,,";
  const auto& v = e.value();
  for (double x : {v.ttft_s, v.decode_s, v.energy_j, v.module_energy_j, v.peak_power_w,
                   v.prefill_flops, v.decode_bytes, v.memory.total_bytes, v.host_busy_s})
    line += ',' + num(x);
  return line;
}

/// Every 97th case of the full product, in catalog order.
std::vector<std::string> grid() {
  std::vector<std::string> rows;
  std::size_t k = 0;
  for (const auto& m : model_catalog())
    for (const auto& q : quant_catalog())
      for (const auto& d : device_catalog())
        for (int mode = 0; mode < d.mode_count; ++mode)
          for (const auto& r : runtime_catalog())
            for (const auto& s : shapes)
              if (k++ % 97 == 0) rows.push_back(evaluate(m, q, d, mode, r, s));
  return rows;
}

}  // namespace

TEST_CASE("A fixed grid of cases gives the committed numbers", "[phases][golden]") {
  const char* update = std::getenv("EDGEPERF_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    const auto rows = grid();
    std::ofstream out(golden_file, std::ios::binary);
    REQUIRE(out);
    out << "model,quant,device,mode,runtime,batch,samples,input,output,ttft_s,decode_s,energy_j,"
           "module_energy_j,peak_power_w,prefill_flops,decode_bytes,memory_bytes,host_busy_s\n";
    for (const auto& r : rows) out << r << '\n';
    WARN("rewrote " << golden_file);
    return;
  }
  std::ifstream in(golden_file, std::ios::binary);
  REQUIRE(in);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string> want;
  while (std::getline(in, line)) want.push_back(line);
  // Each listed row is re-evaluated from its ids, so catalog entries added
  // later change nothing here; every listed row must be reproduced exactly.
  std::size_t n = 0;
  for (const auto& w : want) {
    std::vector<std::string> f;
    std::stringstream ss(w);
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    REQUIRE(f.size() >= 9);
    const model_spec* m = find_model_or_null(f[0]);
    const quant_spec* q = find_quant_or_null(f[1]);
    const device_spec* d = find_device_or_null(f[2]);
    const runtime_spec* r = find_runtime_or_null(f[4]);
    CAPTURE(w);
    REQUIRE((m && q && d && r));
    const int mode = find_mode_index(*d, f[3]);
    REQUIRE(mode >= 0);
    const shape s{std::stoi(f[5]), std::stoi(f[6]), std::stoi(f[7]), std::stoi(f[8])};
    const std::string got = evaluate(*m, *q, *d, mode, *r, s);
    CAPTURE(got);
    CHECK(got == w);
    ++n;
  }
  CHECK(n == want.size());
  CHECK(n > 1000);
}
