#pragma once
/// @file
/// A sweep: the cartesian product of lists of descriptions and workload sizes,
/// estimated point by point (the basis of `edgeperf sweep`). The descriptions
/// come in already resolved (io/resolve.hpp turns ids, paths and JSON text
/// into specs; this header includes nothing from io/), each once per axis
/// value; a value that failed to resolve carries its error, and every point
/// that uses it becomes a row with that error instead of an estimate.
///
/// Order: models, quants, devices, modes, runtimes, KV dtypes, batches,
/// samples, input lengths, output lengths, the first axis outermost and the
/// last innermost (the CLI's row order). Point `index` counts from 0 in that
/// order.
///
/// Per point, the first failure in the order KV dtype, model, device, mode,
/// runtime, quant is the row's error; then `estimate_request` runs, and its
/// error (if any) is the row's error. Power modes are looked up once per
/// (device, mode) pair.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/descriptions/workload.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/result.hpp"

namespace edgeperf {

/// One value of a description axis: the text it was given as (echoed in the
/// rows), and either the resolved value or why it did not resolve.
template <class T>
struct sweep_value {
  std::string label;  ///< as given (catalog id, path, ...)
  T value{};          ///< meaningful when `ok()`
  std::string error;  ///< empty when the value resolved

  [[nodiscard]] bool ok() const noexcept { return error.empty(); }
};

/// A resolved model of a sweep, with the quant to use when the quant axis
/// value is "the model's own" (an unquantized config.json's dtype).
struct sweep_model {
  model_spec spec{};
  std::optional<quant_spec> default_quant;
};

/// The axes of a sweep. Description axes hold resolved values; `modes` holds
/// power-mode names ("" = each device's default), `quants` an empty optional
/// for "the model's default quant", `kv_dtypes` an empty optional for "the
/// default KV dtype". Every axis needs at least one value for any point.
struct sweep_grid {
  std::vector<sweep_value<sweep_model>> models;
  std::vector<sweep_value<std::optional<quant_spec>>> quants;
  std::vector<sweep_value<device_spec>> devices;
  std::vector<std::string> modes{std::string()};
  std::vector<sweep_value<runtime_spec>> runtimes;
  std::vector<sweep_value<std::optional<dtype>>> kv_dtypes{sweep_value<std::optional<dtype>>{}};
  std::vector<int> batches{1};
  std::vector<int> samples{1};
  std::vector<int> input_tokens;
  std::vector<int> output_tokens;

  /// The number of points (the product of the axis lengths), as a double so
  /// that a huge grid can be refused before it is enumerated.
  [[nodiscard]] double size() const noexcept {
    return static_cast<double>(models.size()) * static_cast<double>(quants.size()) *
           static_cast<double>(devices.size()) * static_cast<double>(modes.size()) *
           static_cast<double>(runtimes.size()) * static_cast<double>(kv_dtypes.size()) *
           static_cast<double>(batches.size()) * static_cast<double>(samples.size()) *
           static_cast<double>(input_tokens.size()) * static_cast<double>(output_tokens.size());
  }
};

/// A point of the grid: its position in the enumeration and the index of its
/// value on each axis.
struct sweep_point {
  std::size_t index{0};
  std::size_t model{0}, quant{0}, device{0}, mode{0}, runtime{0}, kv_dtype{0};
  std::size_t batch{0}, samples{0}, input{0}, output{0};
};

/// One row of a sweep: the point, the names it resolved to, the workload and
/// the estimate or the error.
struct sweep_row {
  sweep_point at{};
  std::string mode;   ///< the power-mode name (the device's name once it resolved, else as given)
  std::string quant;  ///< the quant id (the model's default once it resolved, else as given)
  workload load{};
  std::optional<request_estimate<double>> estimate;  ///< empty when the point failed
  std::string error;                                  ///< empty when it did not

  [[nodiscard]] bool ok() const noexcept { return estimate.has_value(); }
};

namespace detail::sweep {

/// Checks the axis values of point `p` in the order KV dtype, model, device,
/// mode, runtime, quant, filling `row.load.kv_dtype`, `row.mode` and
/// `row.quant` as they resolve. Returns the quant to estimate with, or null
/// with `row.error` set.
inline const quant_spec* resolve(const sweep_grid& g, const sweep_point& p, const result<int>& mode,
                                 sweep_row& row) {
  const auto fail = [&row](std::string message) -> const quant_spec* {
    row.error = std::move(message);
    return nullptr;
  };
  const auto& kv = g.kv_dtypes[p.kv_dtype];
  if (!kv.ok()) return fail(kv.error);
  row.load.kv_dtype = kv.value;
  const auto& model = g.models[p.model];
  if (!model.ok()) return fail(model.error);
  const auto& device = g.devices[p.device];
  if (!device.ok()) return fail(device.error);
  if (!mode) return fail(mode.error_value().message);
  row.mode = std::string(device.value.modes[static_cast<std::size_t>(*mode)].name.view());
  const auto& runtime = g.runtimes[p.runtime];
  if (!runtime.ok()) return fail(runtime.error);
  const auto& quant = g.quants[p.quant];
  if (!quant.ok()) return fail(quant.error);
  if (quant.value) return &*quant.value;
  if (!model.value.default_quant)
    return fail("quant: no quant given and model '" + model.label +
                "' names no 16-bit dtype; give a quant id (e.g. bf16, w4a16)");
  row.quant = std::string(model.value.default_quant->id.view());
  return &*model.value.default_quant;
}

}  // namespace detail::sweep

/// Calls `f(const sweep_row&)` for every point of `g`, in order. The row is
/// only valid during the call.
template <class F>
void for_each_case(const sweep_grid& g, F&& f) {
  // Power modes, once per (device, mode name).
  std::vector<result<int>> mode_of;
  mode_of.reserve(g.devices.size() * g.modes.size());
  for (const auto& d : g.devices)
    for (const std::string& m : g.modes)
      mode_of.push_back(d.ok() ? find_mode(d.value, m) : result<int>{0});

  sweep_row row{};
  sweep_point& p = row.at;
  p.index = 0;
  for (p.model = 0; p.model < g.models.size(); ++p.model)
    for (p.quant = 0; p.quant < g.quants.size(); ++p.quant)
      for (p.device = 0; p.device < g.devices.size(); ++p.device)
        for (p.mode = 0; p.mode < g.modes.size(); ++p.mode)
          for (p.runtime = 0; p.runtime < g.runtimes.size(); ++p.runtime)
            for (p.kv_dtype = 0; p.kv_dtype < g.kv_dtypes.size(); ++p.kv_dtype)
              for (p.batch = 0; p.batch < g.batches.size(); ++p.batch)
                for (p.samples = 0; p.samples < g.samples.size(); ++p.samples)
                  for (p.input = 0; p.input < g.input_tokens.size(); ++p.input)
                    for (p.output = 0; p.output < g.output_tokens.size(); ++p.output, ++p.index) {
                      row.mode = g.modes[p.mode];
                      row.quant = g.quants[p.quant].label;
                      row.load = workload{};
                      row.load.batch = g.batches[p.batch];
                      row.load.samples = g.samples[p.samples];
                      row.load.input_tokens = g.input_tokens[p.input];
                      row.load.output_tokens = g.output_tokens[p.output];
                      row.estimate.reset();
                      row.error.clear();
                      const result<int>& mode = mode_of[p.device * g.modes.size() + p.mode];
                      if (const quant_spec* q = detail::sweep::resolve(g, p, mode, row)) {
                        auto e = estimate_request<double>(g.models[p.model].value.spec, *q,
                                                          g.devices[p.device].value, *mode,
                                                          g.runtimes[p.runtime].value, row.load);
                        if (e)
                          row.estimate = std::move(*e);
                        else
                          row.error = e.error_value().message;
                      }
                      f(std::as_const(row));
                    }
}

/// Every row of `g`, in order (see `for_each_case`).
[[nodiscard]] inline std::vector<sweep_row> run_sweep(const sweep_grid& g) {
  std::vector<sweep_row> rows;
  const double n = g.size();
  if (n > 0 && n < 1e7) rows.reserve(static_cast<std::size_t>(n));
  for_each_case(g, [&](const sweep_row& r) { rows.push_back(r); });
  return rows;
}

}  // namespace edgeperf
