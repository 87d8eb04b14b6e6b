#pragma once
// The EdgeReasoning fitting set and a resolver of its catalog ids, shared by
// the latency and energy fit tests.
#include <string>

#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/fit/latency_fit.hpp"

namespace edgeperf::test {

/// The repo copy of data/edgereasoning-dsr1-llama-8b.csv.
inline const std::string edgereasoning_csv =
    std::string(EDGEPERF_SOURCE_DIR) + "/data/edgereasoning-dsr1-llama-8b.csv";

/// Resolves the rows' model and quant ids through the catalogs.
inline fit::case_resolver catalog_resolver() {
  return {[](const fit::run_measurement& r) { return find_model(r.model).value(); },
          [](const fit::run_measurement& r) { return find_quant(r.quant).value(); }};
}

}  // namespace edgeperf::test
