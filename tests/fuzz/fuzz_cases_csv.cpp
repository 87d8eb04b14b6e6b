// libFuzzer harness: the CSV case reader of `edgeperf estimate --cases`
// (io::parse_csv + the column extraction apps/edgeperf/estimate.cpp does: ids as
// text, batch/samples/input_tokens/output_tokens as integers). A row whose
// catalog ids resolve is estimated; a bad row is an io_error or an error
// value for that row only, and the other rows go on.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgeperf/io/csv.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeperf;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  io::csv_table t;
  try {
    t = io::parse_csv(text, "fuzz/cases.csv");
    io::require_columns(t, {"model", "device", "runtime", "quant", "input_tokens", "output_tokens"});
  } catch (const io::io_error& e) {
    if (std::string_view(e.what()).find("fuzz/cases.csv") == std::string_view::npos)
      fuzz::finding(std::string("io_error without the file name: ") + e.what());
    return 0;
  }
  for (const io::csv_row& row : t.rows) {
    workload w{};
    try {
      w.batch = t.int_cell(row, "batch", 1, 1);
      w.samples = t.int_cell(row, "samples", 1, 1);
      w.input_tokens = t.int_cell(row, "input_tokens", 1);
      w.output_tokens = t.int_cell(row, "output_tokens", 1);
      (void)t.number(row, "input_tokens");  // the generic number reader on the same cell
    } catch (const io::io_error&) {
      continue;  // this row only
    }
    const auto m = find_model(t.cell(row, "model"));
    const auto q = find_quant(t.cell(row, "quant"));
    const auto d = find_device(t.cell(row, "device"));
    const auto r = find_runtime(t.cell(row, "runtime"));
    if (!m || !q || !d || !r) continue;
    int mode = 0;
    const std::string mode_name = t.cell(row, "mode");
    if (!mode_name.empty()) {
      const auto mi = find_mode(*d, mode_name);
      if (!mi) continue;
      mode = *mi;
    }
    // Keep each input fast: the closed form is O(1) in the sizes, but cap the
    // batch so that one run stays well under the per-input timeout.
    fuzz::check_estimate(*m, *q, *d, mode, *r, w);
  }
  return 0;
}
