#pragma once
/// @file
/// Everything in the core: descriptions (devices, models, quant formats,
/// runtimes, workloads, their catalogs and checks), accounting (parameters,
/// weights, ops, memory), cost (device state, per-op roofline) and phases
/// (steps, decode, requests, energy rails, sensors), plus `result` and the
/// version. Standard library only. The edge layers, each with its own
/// dependency and CMake target, are included on their own: plan/ (Boost,
/// `edgeperf::plan`), fit/ (Eigen, `edgeperf::fit`), io/ (nlohmann_json,
/// `edgeperf::io`), report/ (fmt, `edgeperf::report`). docs/architecture.md
/// draws the layers.

#include "edgeperf/fwd.hpp"
#include "edgeperf/result.hpp"
#include "edgeperf/version.hpp"

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/provenance.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/descriptions/spec_ranges.hpp"
#include "edgeperf/descriptions/validate.hpp"
#include "edgeperf/descriptions/workload.hpp"

#include "edgeperf/accounting/memory.hpp"
#include "edgeperf/accounting/ops.hpp"
#include "edgeperf/accounting/params.hpp"
#include "edgeperf/accounting/weights.hpp"

#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/cost/op_cost.hpp"

#include "edgeperf/phases/decode.hpp"
#include "edgeperf/phases/interval.hpp"
#include "edgeperf/phases/power_cap.hpp"
#include "edgeperf/phases/rails.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/phases/sensor.hpp"
#include "edgeperf/phases/step.hpp"
