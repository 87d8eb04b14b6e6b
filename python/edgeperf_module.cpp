// The Python module `edgeperf` (issue 14): the library's estimate, sweep,
// planner and catalogs with Python conventions (snake_case keywords, SI units,
// a ValueError with the library's message for bad input).
//
// A thin shell over library calls: ids, paths and dicts are resolved by
// python/resolve.hpp, the result fields are the CLI's JSON columns
// (report/), the sweep runs the grid in C++ with the GIL released. numpy is
// needed by `sweep` only, and imported when it is called.

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <fmt/format.h>

#include "edgeperf/accounting/params.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/rails.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/io/accuracy_csv.hpp"
#include "edgeperf/plan/accuracy.hpp"
#include "edgeperf/plan/cost.hpp"
#include "edgeperf/plan/planner.hpp"
#include "edgeperf/plan/vote.hpp"
#include "edgeperf/plan/sweep.hpp"
#include "edgeperf/report/fields.hpp"
#include "resolve.hpp"

namespace py = pybind11;
using namespace edgeperf;
using edgeperf::python::input_error;
using edgeperf::io::io_error;

namespace {

/// A number in messages, as the CLI writes it ({:g}).
std::string num_text(double v) { return fmt::format("{:g}", v); }

// ---- the result fields: the CLI's JSON columns ---------------------------------------------

/// Every field of a result, in the CLI's order: the case (`sweep`'s leading
/// columns) then the estimate columns of `estimate --format json`.
/// The fields of an estimate result: the sweep's, then the ±1σ band
/// (phases/interval.hpp) that `edgeperf estimate` adds; a sweep computes none.
const std::vector<column>& result_columns() {
  static const std::vector<column> cols = [] {
    std::vector<column> c = sweep_columns();
    for (column s : estimate_columns())
      if (is_sigma_column(s)) c.push_back(s);
    return c;
  }();
  return cols;
}

/// Columns whose values are whole numbers (ints in Python, int64 in a sweep).
bool integer_column(column c) {
  return c == column::batch || c == column::samples || c == column::input_tokens ||
         c == column::output_tokens;
}

py::object cell_to_py(const cell& v, bool integer) {
  if (const auto* d = std::get_if<double>(&v)) {
    if (!std::isfinite(*d)) return py::none();
    if (integer) return py::int_(static_cast<long long>(*d));
    return py::float_(*d);
  }
  if (const auto* s = std::get_if<std::string>(&v)) return py::str(*s);
  if (const auto* b = std::get_if<bool>(&v)) return py::bool_(*b);
  return py::none();
}

// ---- cost arguments -------------------------------------------------------------------------

/// The cost keywords of estimate/sweep: plan/cost.hpp's `cost_inputs` (names
/// and defaults) with the device price taken from the profile when not given.
struct cost_args {
  cost_inputs in{};
  bool device_price_given{false};

  [[nodiscard]] cost_inputs for_device(const device_spec& d) const {
    cost_inputs c = in;
    if (!device_price_given && d.price_usd.value > 0) c.device_price_usd = d.price_usd.value;
    return c;
  }
  void check() const {
    auto ok = validate_cost_inputs(in);
    if (!ok) throw input_error(ok.error_value().message);
  }
};

cost_args make_cost(double kwh, const std::optional<double>& device_price, double life, double utilization,
                    double cloud_in, double cloud_out) {
  cost_args c{};
  c.in.electricity_usd_per_kwh = kwh;
  c.device_price_given = device_price.has_value();
  c.in.device_price_usd = device_price.value_or(0.0);
  c.in.service_life_years = life;
  c.in.utilization = utilization;
  c.in.cloud_input_usd_per_1m = cloud_in;
  c.in.cloud_output_usd_per_1m = cloud_out;
  c.check();
  return c;
}

// ---- the result object ----------------------------------------------------------------------

/// One estimated request: the case as named, the estimate, its cost and the
/// device (for the per-rail split).
struct estimate_result {
  case_description desc;
  request_estimate<double> est;
  cost_breakdown cost{};
  device_spec device{};
  request_interval interval{};     ///< the ±1σ band (phases/interval.hpp)
  std::vector<std::string> notes;  ///< loader notes and profile warnings (the CLI's JSON `notes`)

  [[nodiscard]] cell value(column c) const {
    row_extras x{};
    x.cost = &cost;
    x.interval = &interval;
    return column_value(c, desc, &est, {}, x);
  }
};

py::list ops_list(const step_result<double>& s) {
  py::list out;
  for (std::size_t i = 0; i < s.op_count; ++i) {
    const op_breakdown<double>& op = s.ops[i];
    py::dict d;
    d["name"] = op.name;
    d["kind"] = to_string(op.kind);
    d["count"] = op.count;
    d["time_s"] = op.time_s;
    d["flops"] = op.flops;
    d["bytes"] = op.bytes;
    d["energy_j"] = op.energy_j;
    d["compute_s"] = op.cost.compute_s * op.count;
    d["memory_s"] = op.cost.memory_s * op.count;
    d["bound"] = to_string(op.cost.binds);
    if (op.kind == op_kind::gemm) {
      d["tile_m"] = op.cost.tile.m;
      d["tile_n"] = op.cost.tile.n;
    } else {
      d["tile_m"] = py::none();
      d["tile_n"] = py::none();
    }
    out.append(std::move(d));
  }
  return out;
}

py::dict step_dict(const step_result<double>& s) {
  py::dict d;
  d["time_s"] = s.time_s;
  d["device_s"] = s.device_s;
  d["launch_gaps_s"] = s.launch_gaps_s;
  d["host_launch_s"] = s.host_launch_s;
  d["host_serial_s"] = s.host_serial_s;
  d["bound"] = to_string(s.binds);
  d["energy_j"] = s.energy_j;
  d["static_j"] = s.static_j;
  d["dynamic_j"] = s.dynamic_j;
  d["host_j"] = s.host_j;
  d["module_energy_j"] = s.module_energy_j;
  d["avg_power_w"] = s.avg_power_w;
  d["launches"] = s.launches;
  d["flops"] = s.flops;
  d["bytes"] = s.bytes;
  d["weight_bytes"] = s.weight_bytes;
  d["kv_read_bytes"] = s.kv_read_bytes;
  d["kv_write_bytes"] = s.kv_write_bytes;
  d["ops"] = ops_list(s);
  return d;
}

py::list rails_list(const estimate_result& r) {
  py::list out;
  for (const rail_energy& e : request_rails(r.device, r.est)) {
    py::dict d;
    d["rail"] = e.rail;
    d["energy_j"] = e.energy_j;
    d["covers"] = e.covers;
    out.append(std::move(d));
  }
  return out;
}

py::dict result_dict(const estimate_result& r) {
  py::dict d;
  for (column c : result_columns()) d[column_name(c)] = cell_to_py(r.value(c), integer_column(c));
  d["notes"] = r.notes;
  d["rails"] = rails_list(r);
  d["prefill"] = step_dict(r.est.prefill);
  d["first_decode"] = step_dict(r.est.first_decode);
  return d;
}

// ---- estimate -------------------------------------------------------------------------------

/// The arguments of one case, as given.
struct case_args {
  py::object model, device, runtime, quant, mode, kv_dtype;
  int input_tokens{0}, output_tokens{0}, batch{1}, samples{1};
};

/// One case through the library: io::resolve_case, estimate_request, request_cost.
estimate_result run_estimate(python::resolver& res, const case_args& a, const cost_args& cost) {
  const python::source ms = python::source_of(a.model, "model"), ds = python::source_of(a.device, "device"),
                       rs = python::source_of(a.runtime, "runtime");
  io::case_input in{};
  in.model = ms.text;
  in.device = ds.text;
  in.runtime = rs.text;
  in.mode = python::optional_text(a.mode, "mode");
  in.quant = python::optional_text(a.quant, "quant");
  in.kv_dtype = python::optional_text(a.kv_dtype, "kv_dtype");
  in.batch = a.batch;
  in.samples = a.samples;
  in.input_tokens = a.input_tokens;
  in.output_tokens = a.output_tokens;
  const io::resolved_case rc = io::resolve_case(res.library(), in);
  if (!rc.ok()) throw input_error(rc.error);

  estimate_result r{};
  r.desc.model = ms.label.empty() ? std::string(rc.model->id.view()) : ms.label;
  r.desc.device = ds.label.empty() ? std::string(rc.device->id.view()) : ds.label;
  r.desc.runtime = rs.label.empty() ? std::string(rc.runtime->id.view()) : rs.label;
  r.desc.mode = rc.mode_name;
  r.desc.quant = rc.quant_name;
  r.desc.load = rc.load;
  r.device = *rc.device;
  std::optional<result<request_estimate<double>>> e;
  {
    py::gil_scoped_release nogil;
    e = estimate_request<double>(*rc.model, rc.quant, *rc.device, rc.mode, *rc.runtime, rc.load,
                                 request_options{.breakdown = true});  // ops_list reads it
    if (*e) r.interval = estimate_interval(*rc.model, rc.quant, *rc.device, rc.mode, *rc.runtime, rc.load);
  }
  if (!*e) throw input_error(e->error_value().message);
  r.est = **e;
  r.notes = rc.notes;
  auto c = request_cost(r.est, r.desc.load, cost.for_device(*rc.device));
  if (!c) throw input_error(c.error_value().message);
  r.cost = *c;
  return r;
}

// ---- sweep ----------------------------------------------------------------------------------

/// A keyword given as one value or as a list of values (list, tuple, range,
/// numpy array, any iterable that is not a str, bytes, dict or path).
std::vector<py::object> as_list(const py::object& v) {
  std::vector<py::object> out;
  if (v.is_none() || py::isinstance<py::str>(v) || py::isinstance<py::bytes>(v) ||
      py::isinstance<py::dict>(v) || python::is_pathlike(v) || !py::isinstance<py::iterable>(v)) {
    out.push_back(v);
    return out;
  }
  for (py::handle h : v) out.push_back(py::reinterpret_borrow<py::object>(h));
  return out;
}

std::vector<int> as_int_list(const py::object& v, const char* what) {
  std::vector<int> out;
  for (const py::object& o : as_list(v)) {
    if (py::isinstance<py::bool_>(o) || !py::hasattr(o, "__index__"))
      throw input_error(std::string(what) + ": expected integers, got " + std::string(py::repr(o)));
    const long long x = py::cast<long long>(o.attr("__index__")());
    if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
      throw input_error(std::string(what) + " = " + std::to_string(x) + ": out of range");
    out.push_back(static_cast<int>(x));
  }
  if (out.empty()) throw input_error(std::string(what) + ": empty list");
  return out;
}

/// A description axis of the grid: each value resolved once by the library;
/// one that does not resolve keeps its error (its rows fail, as in the CLI).
template <class T, class Resolve, class Id>
std::vector<sweep_value<T>> axis(const std::vector<py::object>& given, const char* what, Resolve&& resolve, Id&& id) {
  std::vector<sweep_value<T>> out;
  for (const py::object& o : given) {
    const python::source s = python::source_of(o, what);
    sweep_value<T> v{};
    v.label = s.label;
    const auto& r = resolve(s.text);
    if (r) {
      v.value = T{*r};
      if (v.label.empty()) v.label = id(*r);
    } else {
      v.error = r.error_value().message;
      if (v.label.empty()) v.label = s.text;
    }
    out.push_back(std::move(v));
  }
  return out;
}

/// The grid of a sweep() call, through io::resolver and plan/sweep.hpp.
sweep_grid make_grid(python::resolver& res, const py::object& model, const py::object& device,
                     const py::object& runtime, const py::object& quant, const py::object& mode,
                     const py::object& input_tokens, const py::object& output_tokens, const py::object& batch,
                     const py::object& samples, const py::object& kv_dtype) {
  io::resolver& lib = res.library();
  sweep_grid g;
  for (const py::object& o : as_list(model)) {
    const python::source s = python::source_of(o, "model");
    sweep_value<sweep_model> v{};
    v.label = s.label;
    const auto& r = lib.model(s.text);
    if (r) v.value = sweep_model{r->spec, r->config_quant};
    else v.error = r.error_value().message;
    if (v.label.empty()) v.label = r ? std::string(r->spec.id.view()) : s.text;
    g.models.push_back(std::move(v));
  }
  g.devices = axis<device_spec>(as_list(device), "device", [&](const std::string& t) -> const auto& { return lib.device(t); },
                                [](const device_spec& d) { return std::string(d.id.view()); });
  g.runtimes = axis<runtime_spec>(as_list(runtime), "runtime",
                                  [&](const std::string& t) -> const auto& { return lib.runtime(t); },
                                  [](const runtime_spec& r) { return std::string(r.id.view()); });
  g.quants.clear();
  for (const py::object& o : as_list(quant)) {
    sweep_value<std::optional<quant_spec>> v{};
    v.label = python::optional_text(o, "quant");
    if (!v.label.empty()) {
      const auto& r = lib.quant(v.label);
      if (r) v.value = *r;
      else v.error = r.error_value().message;
    }
    g.quants.push_back(std::move(v));
  }
  g.modes.clear();
  for (const py::object& o : as_list(mode)) g.modes.push_back(python::optional_text(o, "mode"));
  g.kv_dtypes.clear();
  for (const py::object& o : as_list(kv_dtype)) {
    sweep_value<std::optional<dtype>> v{};
    v.label = python::optional_text(o, "kv_dtype");
    const auto r = io::resolve_kv_dtype(v.label);
    if (r) v.value = *r;
    else v.error = r.error_value().message;
    g.kv_dtypes.push_back(std::move(v));
  }
  g.input_tokens = as_int_list(input_tokens, "input_tokens");
  g.output_tokens = as_int_list(output_tokens, "output_tokens");
  g.batches = as_int_list(batch, "batch");
  g.samples = as_int_list(samples, "samples");
  return g;
}

/// The axes of a grid as (size, pointer to the point's index), in the
/// enumeration order (the first outermost).
constexpr std::size_t axis_count = 10;
std::array<std::size_t, axis_count> axis_sizes(const sweep_grid& g) {
  return {g.models.size(),  g.quants.size(),  g.devices.size(),      g.modes.size(),       g.runtimes.size(),
          g.kv_dtypes.size(), g.batches.size(), g.samples.size(), g.input_tokens.size(), g.output_tokens.size()};
}
std::array<std::size_t, axis_count> point_indices(const sweep_point& p) {
  return {p.model, p.quant, p.device, p.mode, p.runtime, p.kv_dtype, p.batch, p.samples, p.input, p.output};
}

/// `g` with axis `a` cut to [begin, end).
sweep_grid slice(const sweep_grid& g, std::size_t a, std::size_t begin, std::size_t end) {
  sweep_grid s = g;
  const auto cut = [&](auto& v) { v = std::vector(v.begin() + static_cast<std::ptrdiff_t>(begin),
                                                  v.begin() + static_cast<std::ptrdiff_t>(end)); };
  switch (a) {
    case 0: cut(s.models); break;
    case 1: cut(s.quants); break;
    case 2: cut(s.devices); break;
    case 3: cut(s.modes); break;
    case 4: cut(s.runtimes); break;
    case 5: cut(s.kv_dtypes); break;
    case 6: cut(s.batches); break;
    case 7: cut(s.samples); break;
    case 8: cut(s.input_tokens); break;
    default: cut(s.output_tokens); break;
  }
  return s;
}

py::dict python_sweep(py::object model, py::object device, py::object runtime, py::object quant, py::object mode,
                   py::object input_tokens, py::object output_tokens, py::object batch, py::object samples,
                   py::object kv_dtype, double kwh, std::optional<double> device_price, double life,
                   double utilization, double cloud_in, double cloud_out, std::string errors, int threads) {
  try {
    py::module_::import("numpy");
  } catch (py::error_already_set&) {
    throw py::import_error(
        "edgeperf.sweep returns numpy arrays and needs numpy (Debian: apt-get install python3-numpy; "
        "or pip install numpy); estimate(), plan(), pareto() and the catalogs work without it");
  }
  if (errors != "raise" && errors != "keep")
    throw input_error("errors = '" + errors + "': expected 'raise' or 'keep'");
  if (threads < 0) throw input_error("threads = " + std::to_string(threads) + ": expected >= 0 (0: one per core)");
  const cost_args cost = make_cost(kwh, device_price, life, utilization, cloud_in, cloud_out);

  python::resolver res;
  const sweep_grid grid =
      make_grid(res, model, device, runtime, quant, mode, input_tokens, output_tokens, batch, samples, kv_dtype);
  const std::array<std::size_t, axis_count> sizes = axis_sizes(grid);
  for (std::size_t s : sizes)
    if (s == 0) throw input_error("sweep: every list needs at least one value");
  // About 300 bytes a row (44 columns): 1e7 rows are 3 GB.
  constexpr double max_rows = 1e7;
  if (grid.size() > max_rows)
    throw input_error("sweep: " + num_text(grid.size()) + " cases; at most " + num_text(max_rows) + " in one call");
  const auto n = static_cast<std::size_t>(grid.size());
  std::array<std::size_t, axis_count> stride{};
  stride[axis_count - 1] = 1;
  for (std::size_t a = axis_count - 1; a > 0; --a) stride[a - 1] = stride[a] * sizes[a];

  // Column kinds from the field list: a dummy estimate with a cost shows
  // which columns are numbers, flags or text.
  const std::vector<column> cols = sweep_columns();
  enum class kind : std::uint8_t { f64, i64, flag, text, label, id };
  std::vector<kind> kinds;
  {
    const request_estimate<double> dummy{};
    cost_breakdown dc{};
    dc.cloud_usd = 1;
    row_extras x{};
    x.cost = &dc;
    const case_description c{};
    for (column col : cols) {
      const cell v = column_value(col, c, &dummy, {}, x);
      if (col == column::id) kinds.push_back(kind::id);
      else if (col == column::model || col == column::device || col == column::runtime) kinds.push_back(kind::label);
      else if (integer_column(col)) kinds.push_back(kind::i64);
      else if (std::holds_alternative<bool>(v)) kinds.push_back(kind::flag);
      else if (std::holds_alternative<double>(v)) kinds.push_back(kind::f64);
      else kinds.push_back(kind::text);
    }
  }
  // Numeric and flag columns are filled in place without the GIL; text columns
  // are kept as C++ strings and become Python objects afterwards.
  std::vector<py::array> arrays(cols.size());
  std::vector<void*> data(cols.size(), nullptr);
  // Text columns hold few distinct values (mode, quant, kv dtype, bounds,
  // errors): each row stores a code, (thread << 24) | the value's index in the
  // thread's own list, and the lists become Python strs at the end.
  std::vector<std::vector<std::uint32_t>> codes(cols.size());
  constexpr std::size_t max_threads = 255;
  std::vector<std::vector<std::vector<std::string>>> values(max_threads + 1,
                                                           std::vector<std::vector<std::string>>(cols.size()));
  const std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(n)};
  for (std::size_t k = 0; k < cols.size(); ++k) {
    switch (kinds[k]) {
      case kind::f64: arrays[k] = py::array_t<double>(shape); break;
      case kind::i64:
      case kind::id: arrays[k] = py::array_t<std::int64_t>(shape); break;
      case kind::flag: arrays[k] = py::array_t<bool>(shape); break;
      case kind::text: codes[k].resize(n); break;
      case kind::label: break;
    }
    if (arrays[k]) data[k] = arrays[k].mutable_data();
  }
  std::vector<std::uint32_t> row_model(n), row_device(n), row_runtime(n);
  std::vector<std::uint8_t> failed(n, 0);

  // Runs the rows of `part` (the grid cut on axis `a` from `offset`) through
  // plan/sweep.hpp's for_each_case and writes them at their global index.
  const auto work = [&](const sweep_grid& part, std::size_t a, std::size_t offset, std::size_t thread) {
    case_description desc{};  // model, device, runtime come from the indices
    std::vector<std::unordered_map<std::string, std::uint32_t>> seen(cols.size());
    std::vector<std::vector<std::string>>& own = values[thread];
    for_each_case(part, [&](const sweep_row& row) {
      std::array<std::size_t, axis_count> at = point_indices(row.at);
      at[a] += offset;
      std::size_t i = 0;
      for (std::size_t k = 0; k < axis_count; ++k) i += at[k] * stride[k];
      row_model[i] = static_cast<std::uint32_t>(at[0]);
      row_device[i] = static_cast<std::uint32_t>(at[2]);
      row_runtime[i] = static_cast<std::uint32_t>(at[4]);
      desc.mode = row.mode;
      desc.quant = row.quant;
      desc.load = row.load;
      std::string error = row.error;
      cost_breakdown cb{};
      row_extras x{};
      const request_estimate<double>* e = row.estimate ? &*row.estimate : nullptr;
      if (e) {
        auto c = request_cost(*e, row.load, cost.for_device(grid.devices[at[2]].value));
        if (c) {
          cb = *c;
          x.cost = &cb;
        } else {
          error = c.error_value().message;
          e = nullptr;
        }
      }
      failed[i] = e ? 0 : 1;
      for (std::size_t k = 0; k < cols.size(); ++k) {
        switch (kinds[k]) {
          case kind::id: static_cast<std::int64_t*>(data[k])[i] = static_cast<std::int64_t>(i) + 1; break;
          case kind::i64: {
            const cell v = column_value(cols[k], desc, e, error, x);
            const double* d = std::get_if<double>(&v);
            static_cast<std::int64_t*>(data[k])[i] = d ? static_cast<std::int64_t>(*d) : 0;
            break;
          }
          case kind::f64: {
            const cell v = column_value(cols[k], desc, e, error, x);
            const double* d = std::get_if<double>(&v);
            static_cast<double*>(data[k])[i] = d ? *d : std::numeric_limits<double>::quiet_NaN();
            break;
          }
          case kind::flag: {
            const cell v = column_value(cols[k], desc, e, error, x);
            const bool* b = std::get_if<bool>(&v);
            static_cast<bool*>(data[k])[i] = b ? *b : false;
            break;
          }
          case kind::text: {
            const cell v = column_value(cols[k], desc, e, error, x);
            const auto* s = std::get_if<std::string>(&v);
            const std::string text = s ? *s : std::string();
            auto it = seen[k].find(text);
            if (it == seen[k].end()) {
              if (own[k].size() >= (std::size_t{1} << 24))
                throw input_error(std::string("sweep: more than 2^24 distinct values in column ") + column_name(cols[k]));
              it = seen[k].emplace(text, static_cast<std::uint32_t>(own[k].size())).first;
              own[k].push_back(text);
            }
            codes[k][i] = static_cast<std::uint32_t>(thread << 24) | it->second;
            break;
          }
          case kind::label: break;
        }
      }
    });
  };

  std::exception_ptr worker_error;
  std::mutex worker_mutex;
  {
    py::gil_scoped_release nogil;
    // Threads split the longest axis; each runs its slice of the grid.
    const std::size_t split = static_cast<std::size_t>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
    std::size_t nt = threads > 0 ? static_cast<std::size_t>(threads) : std::max(1u, std::thread::hardware_concurrency());
    nt = std::min({nt, sizes[split], std::max<std::size_t>(1, n / 256), max_threads});
    if (nt <= 1) {
      work(grid, 0, 0, 0);
    } else {
      std::vector<std::thread> pool;
      for (std::size_t t = 0; t < nt; ++t) {
        const std::size_t b = sizes[split] * t / nt, e = sizes[split] * (t + 1) / nt;
        pool.emplace_back([&, b, e, t] {
          try {
            work(slice(grid, split, b, e), split, b, t);
          } catch (...) {
            const std::lock_guard<std::mutex> lock(worker_mutex);
            if (!worker_error) worker_error = std::current_exception();
          }
        });
      }
      for (std::thread& th : pool) th.join();
    }
  }
  if (worker_error) std::rethrow_exception(worker_error);

  const auto text_of = [&](std::size_t k, std::size_t row) -> const std::string& {
    const std::uint32_t c = codes[k][row];
    return values[c >> 24][k][c & 0xFFFFFFu];
  };
  if (errors == "raise")
    for (std::size_t k = 0; k < cols.size(); ++k)
      if (cols[k] == column::error)
        for (std::size_t row = 0; row < n; ++row)
          if (failed[row]) throw input_error(text_of(k, row));

  // Text columns: one Python str per distinct value.
  py::dict out;
  std::unordered_map<std::string, py::object> interned;
  const auto intern = [&](const std::string& s) -> py::object {
    auto it = interned.find(s);
    if (it == interned.end()) it = interned.emplace(s, py::str(s)).first;
    return it->second;
  };
  const auto object_column = [&](auto&& value_of) {
    py::array a(py::dtype("O"), shape);  // filled with None by numpy
    auto** p = static_cast<PyObject**>(a.mutable_data());
    for (std::size_t row = 0; row < n; ++row) {
      PyObject* old = p[row];
      p[row] = intern(value_of(row)).inc_ref().ptr();
      Py_XDECREF(old);
    }
    return a;
  };
  for (std::size_t k = 0; k < cols.size(); ++k) {
    const column c = cols[k];
    const char* name = column_name(c);
    if (kinds[k] == kind::text) {
      out[name] = object_column([&](std::size_t r) -> const std::string& { return text_of(k, r); });
    } else if (c == column::model) {
      out[name] = object_column([&](std::size_t r) -> const std::string& { return grid.models[row_model[r]].label; });
    } else if (c == column::device) {
      out[name] = object_column([&](std::size_t r) -> const std::string& { return grid.devices[row_device[r]].label; });
    } else if (c == column::runtime) {
      out[name] = object_column([&](std::size_t r) -> const std::string& { return grid.runtimes[row_runtime[r]].label; });
    } else {
      out[name] = arrays[k];
    }
  }
  return out;
}

// ---- plan and pareto ------------------------------------------------------------------------

/// Reasoning budgets as the CLI's --budgets: None or "none" (no budget), an
/// int or "128" (generation cut at the budget), "256nc" (budget in the prompt
/// only); no-reasoning and direct answers are always added.
std::vector<answer_mode> answer_modes_of(const py::object& budgets) {
  std::vector<answer_mode> out;
  for (const py::object& b : as_list(budgets)) {
    if (b.is_none()) {
      out.push_back({"reasoning", std::nullopt, true});
      continue;
    }
    if (!py::isinstance<py::bool_>(b) && py::hasattr(b, "__index__") && !py::isinstance<py::str>(b)) {
      const long long v = py::cast<long long>(b.attr("__index__")());
      if (v < 1) throw input_error("budgets: expected token counts >= 1, got " + std::to_string(v));
      out.push_back({"reasoning", v, true});
      continue;
    }
    const std::string s = py::str(b);
    if (s == "none") {
      out.push_back({"reasoning", std::nullopt, true});
      continue;
    }
    const bool nc = s.size() > 2 && (s.compare(s.size() - 2, 2, "nc") == 0);
    const std::string digits = nc ? s.substr(0, s.size() - 2) : s;
    const bool all_digits = !digits.empty() && digits.size() < 12 &&
                            std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    const long long v = all_digits ? std::stoll(digits) : 0;
    if (v < 1)
      throw input_error("budgets: expected None, 'none', a token count >= 1 (hard cut) or a count with 'nc' "
                        "(prompt budget, no cut), got '" + s + "'");
    out.push_back({"reasoning", v, !nc});
  }
  out.push_back({"no-reasoning", std::nullopt, true});
  out.push_back({"direct", std::nullopt, true});
  return out;
}

py::dict point_dict(const plan_point& p) {
  py::dict d;
  d["model"] = p.model;
  d["answer"] = p.answer;
  d["budget_tokens"] = p.budget_tokens ? py::object(py::int_(*p.budget_tokens)) : py::object(py::none());
  d["hard_cut"] = p.hard_cut;
  d["quant"] = p.quant;
  d["device"] = p.device;
  d["power_mode"] = p.power_mode;
  d["samples"] = p.samples;
  const auto num = [](double v) { return std::isfinite(v) ? py::object(py::float_(v)) : py::object(py::none()); };
  d["mean_output_tokens"] = num(p.mean_output_tokens);
  d["latency_s"] = num(p.latency_s);
  d["energy_j"] = num(p.energy_j);
  d["memory_bytes"] = num(p.memory_bytes);
  d["fits"] = p.fits;
  d["accuracy"] = p.accuracy ? num(*p.accuracy) : py::object(py::none());
  d["accuracy_source"] = p.accuracy_source;
  d["usable"] = p.usable;
  d["error"] = p.error;
  return d;
}

struct plan_args {
  py::object device, mode, accuracy, models, quants, samples, budgets, runtime;
  std::string benchmark;
  int input_tokens{170};
  double length_cv{1.0};
  unsigned vote_options{2};
};

plan_request make_plan_request(python::resolver& res, const plan_args& a) {
  if (a.input_tokens < 1)
    throw input_error("input_tokens = " + std::to_string(a.input_tokens) + ": expected prompt tokens >= 1");
  if (!(a.length_cv > 0) || !std::isfinite(a.length_cv))
    throw input_error("length_cv = " + num_text(a.length_cv) + ": expected a coefficient of variation > 0");
  if (a.vote_options < 2) throw input_error("vote_options = " + std::to_string(a.vote_options) + ": expected >= 2");
  plan_request r;
  r.accuracy = builtin_accuracy_table();
  if (!a.accuracy.is_none()) r.accuracy = with_overrides(std::move(r.accuracy), io::read_accuracy_csv(python::path_text(a.accuracy)));
  r.benchmark = a.benchmark;
  r.input_tokens = a.input_tokens;
  r.length_cv = a.length_cv;
  r.vote_options = a.vote_options;
  if (a.models.is_none()) {
    for (const accuracy_row& row : r.accuracy.rows)
      if (row.key.benchmark == a.benchmark && find_model_or_null(row.key.model) &&
          std::none_of(r.models.begin(), r.models.end(), [&](const model_spec& m) { return m.id.view() == row.key.model; }))
        r.models.push_back(*find_model_or_null(row.key.model));
    if (r.models.empty())
      throw input_error("no models to plan with: the accuracy table has no rows on benchmark '" + a.benchmark +
                        "' for a model in the catalog (give models=, or accuracy= with rows for it)");
  } else {
    for (const py::object& m : as_list(a.models)) r.models.push_back(res.model(m).spec);
    if (r.models.empty()) throw input_error("models: no model given");
  }
  for (const py::object& q : as_list(a.quants)) r.quants.push_back(res.quant(q));
  if (r.quants.empty()) throw input_error("quants: no quant given");
  r.samples.clear();
  for (const int s : as_int_list(a.samples, "samples")) {
    if (s < 1 || s > static_cast<int>(max_exact_vote_samples))
      throw input_error("samples: expected integers in [1, " + std::to_string(max_exact_vote_samples) + "], got " +
                        std::to_string(s));
    if (std::find(r.samples.begin(), r.samples.end(), static_cast<unsigned>(s)) == r.samples.end())
      r.samples.push_back(static_cast<unsigned>(s));
  }
  r.answer_modes = answer_modes_of(a.budgets);
  const device_spec& d = res.device(a.device);
  r.devices = {d};
  if (!a.mode.is_none()) {
    const int mi = res.mode(d, a.mode);
    r.power_modes = {std::string(d.modes[static_cast<std::size_t>(mi)].name.view())};
  }
  r.runtime = res.runtime(a.runtime);
  return r;
}

std::vector<plan_point> enumerate(const plan_request& req) {
  py::gil_scoped_release nogil;
  return enumerate_plans(req);
}

// ---- profiles -------------------------------------------------------------------------------

py::object json_to_py(const nlohmann::ordered_json& j) {
  return py::module_::import("json").attr("loads")(j.dump());
}

std::string device_repr(const device_spec& d) {
  std::string out = "edgeperf.Device('";
  out += d.id.view();
  out += "', modes=[";
  for (int i = 0; i < d.mode_count; ++i) {
    if (i > 0) out += ", ";
    out += d.modes[static_cast<std::size_t>(i)].name.view();
  }
  out += "])";
  return out;
}

std::vector<std::string> mode_names(const device_spec& d) {
  std::vector<std::string> out;
  for (int i = 0; i < d.mode_count; ++i) out.emplace_back(d.modes[static_cast<std::size_t>(i)].name.view());
  return out;
}

// ---- docstrings ---------------------------------------------------------------------------

constexpr const char* case_doc = R"(
    model: a catalog id (``edgeperf.models()``), a path to a Hugging Face
        ``config.json`` (or its folder), or a dict with a config.json's contents.
    device: a catalog id (``edgeperf.devices()``), a path to a device profile
        JSON, a dict with one, or an ``edgeperf.Device``.
    runtime: a catalog id (``edgeperf.runtimes()``), a path to a runtime profile
        JSON, a dict with one, or an ``edgeperf.Runtime``.
    quant: a quant id (``edgeperf.quants()``), e.g. ``'bf16'``, ``'w4a16'``,
        ``'q4_k_m'``; None takes the 16-bit dtype a config.json names.
    mode: a power mode of the device (``edgeperf.modes(device)``); None: the
        device's default (highest) mode.
    input_tokens: prompt tokens I (>= 1).
    output_tokens: generated tokens O per sample (>= 1).
    batch: distinct prompts decoded together (>= 1).
    samples: parallel samples per prompt (>= 1).
    kv_dtype: KV-cache dtype ('fp16', 'bf16', 'fp8', 'int8', ...); None: the
        quant's or the runtime's default.
    electricity_usd_per_kwh: electricity price applied to the module energy
        (default 0.15, as the CLI's --kwh-price).
    device_price_usd: device purchase price amortized over the service life;
        None: the profile's price_usd (the catalog has none: electricity only).
    service_life_years: amortization period (default 3).
    utilization: fraction of the service life spent generating, in (0, 1].
    cloud_input_usd_per_1m, cloud_output_usd_per_1m: your cloud prices per 1M
        input / output tokens (0: none; no prices are built in).)";

}  // namespace

PYBIND11_MODULE(edgeperf, mod) {
  mod.doc() = R"(edgeperf: LLM inference latency, energy and memory on edge GPUs.

The C++ model of the edgeperf library (header-only C++20) as a Python module:

    >>> import edgeperf
    >>> r = edgeperf.estimate(model='dsr1-qwen-14b', device='agx-orin-64gb',
    ...                       runtime='vllm', quant='bf16',
    ...                       input_tokens=512, output_tokens=1024)
    >>> r.total_s, r.ttft_s, r.j_per_token, r.fits

Functions: estimate, sweep (numpy columns), plan, pareto, models, devices,
quants, runtimes, modes, load_device_profile, load_runtime_profile.
Results carry the fields of the CLI's ``edgeperf estimate --format json`` in
SI units (seconds, bytes, FLOPs, joules, watts, US dollars). Bad input raises
``edgeperf.Error`` (a ValueError) with the same message the CLI prints.)";
  mod.attr("__version__") = EDGEPERF_VERSION_STRING;

  static py::exception<input_error> error_type(mod, "Error", PyExc_ValueError);
  error_type.doc() = "Bad input (unknown id, malformed file, unsupported case): a ValueError with the library's message.";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const input_error& e) {
      error_type(e.what());
    } catch (const io_error& e) {
      error_type(e.what());
    }
  });

  // ---- profiles ----
  py::class_<device_spec>(mod, "Device", "A device profile (catalog entry or loaded JSON); pass it as device=.")
      .def_property_readonly("id", [](const device_spec& d) { return std::string(d.id.view()); }, "The profile's id.")
      .def_property_readonly("modes", &mode_names, "Power mode names, the default (highest) first.")
      .def_property_readonly("memory_bytes", [](const device_spec& d) { return d.memory_bytes.value; },
                             "Memory capacity, bytes.")
      .def("to_dict", [](const device_spec& d) { nlohmann::ordered_json j; to_json(j, d); return json_to_py(j); },
           "Every field of the profile as a dict (the profile JSON's schema; "
           "``estimate(device=d.to_dict())`` gives the same results).")
      .def("save", [](const device_spec& d, const py::object& path) { io::save_device_profile(d, python::path_text(path)); },
           py::arg("path"), "Writes the profile as JSON (the format load_device_profile and the CLI read).")
      .def("__repr__", &device_repr);
  py::class_<runtime_spec>(mod, "Runtime", "A runtime profile (catalog entry or loaded JSON); pass it as runtime=.")
      .def_property_readonly("id", [](const runtime_spec& r) { return std::string(r.id.view()); }, "The profile's id.")
      .def("to_dict", [](const runtime_spec& r) { nlohmann::ordered_json j; to_json(j, r); return json_to_py(j); },
           "Every field of the profile as a dict (the profile JSON's schema).")
      .def("save", [](const runtime_spec& r, const py::object& path) { io::save_runtime_profile(r, python::path_text(path)); },
           py::arg("path"), "Writes the profile as JSON.")
      .def("__repr__", [](const runtime_spec& r) { return "edgeperf.Runtime('" + std::string(r.id.view()) + "')"; });

  mod.def("load_device_profile", [](const py::object& path) { return io::load_device_profile(python::path_text(path)); },
          py::arg("path"),
          R"(Loads a device profile JSON (a fitted one from ``edgeperf fit -o``, or a
hand-written one with ``"base"``) into an ``edgeperf.Device``.

Raises edgeperf.Error (ValueError) naming the file, field and value when the
file cannot be read or is malformed.)");
  mod.def("load_runtime_profile", [](const py::object& path) { return io::load_runtime_profile(python::path_text(path)); },
          py::arg("path"),
          R"(Loads a runtime profile JSON (e.g. from ``edgeperf fit --runtime-out``)
into an ``edgeperf.Runtime``. Raises edgeperf.Error (ValueError) on a bad file.)");

  // ---- the result ----
  auto cls = py::class_<estimate_result>(mod, "Estimate", R"(One estimated request.

Attributes are the fields of the CLI's ``edgeperf estimate --format json`` (SI
units: s, bytes, FLOPs, J, W, USD) and the case (model, device, mode, runtime,
quant, batch, samples, input_tokens, output_tokens). ``rails`` splits the
energy per power rail; ``prefill`` and ``first_decode`` hold the steps with
their per-op breakdown. ``to_dict()`` gives all of it as a dict.)");
  for (column c : result_columns()) {
    const bool integer = integer_column(c);
    cls.def_property_readonly(
        column_name(c), [c, integer](const estimate_result& r) { return cell_to_py(r.value(c), integer); },
        (std::string("The CLI's JSON field '") + column_name(c) + "' (SI units; None when empty).").c_str());
  }
  cls.def_property_readonly("notes", [](const estimate_result& r) { return r.notes; },
                            "Loader notes and profile warnings (a list of str; the CLI's JSON 'notes', "
                            "which the CLI also prints on stderr).");
  cls.def_property_readonly("rails", &rails_list,
                            "Energy per power rail: a list of dicts {rail, energy_j, covers} "
                            "(accelerator rail, CPU rail where it has its own, whole module).");
  cls.def_property_readonly("prefill", [](const estimate_result& r) { return step_dict(r.est.prefill); },
                            "The prefill step: time, energy split, bytes and its per-op breakdown ('ops').");
  cls.def_property_readonly("first_decode", [](const estimate_result& r) { return step_dict(r.est.first_decode); },
                            "The first decode step (context I + 1) with its per-op breakdown ('ops').");
  cls.def("to_dict", &result_dict,
          "Every field as a dict: the CLI's JSON fields (same names, units and values), "
          "then 'notes', 'rails', 'prefill' and 'first_decode'.");
  cls.def("__repr__", [](const estimate_result& r) {
    return "edgeperf.Estimate(" + r.desc.model + " · " + r.desc.quant + " · " + r.desc.device + " (" + r.desc.mode +
           ") · " + r.desc.runtime + " · I=" + std::to_string(r.desc.load.input_tokens) +
           " O=" + std::to_string(r.desc.load.output_tokens) + ": total_s=" + num_text(r.est.total_s) + ")";
  });

  // ---- estimate ----
  mod.def(
      "estimate",
      [](py::object model, py::object device, py::object runtime, py::object quant, py::object mode, int input_tokens,
         int output_tokens, int batch, int samples, py::object kv_dtype, double kwh, std::optional<double> device_price,
         double life, double utilization, double cloud_in, double cloud_out) {
        const cost_args cost = make_cost(kwh, device_price, life, utilization, cloud_in, cloud_out);
        python::resolver res;
        return run_estimate(res, case_args{model, device, runtime, quant, mode, kv_dtype, input_tokens, output_tokens,
                                           batch, samples},
                            cost);
      },
      py::kw_only(), py::arg("model"), py::arg("device"), py::arg("runtime"), py::arg("quant") = py::none(),
      py::arg("mode") = py::none(), py::arg("input_tokens"), py::arg("output_tokens"), py::arg("batch") = 1,
      py::arg("samples") = 1, py::arg("kv_dtype") = py::none(), py::arg("electricity_usd_per_kwh") = 0.15,
      py::arg("device_price_usd") = py::none(), py::arg("service_life_years") = 3.0, py::arg("utilization") = 1.0,
      py::arg("cloud_input_usd_per_1m") = 0.0, py::arg("cloud_output_usd_per_1m") = 0.0,
      (std::string(R"(Estimates one request: latency, FLOPs, bytes, energy per rail, memory, cost.

Returns an edgeperf.Estimate whose fields are those of the CLI's
``edgeperf estimate --format json`` for the same case (same values), e.g.
``total_s``, ``ttft_s``, ``tpot_s``, ``energy_j``, ``peak_memory_bytes``,
``fits``, ``cost_per_1m_usd``; ``.to_dict()`` has them all.

Args (keywords only):)") + case_doc + R"(

Raises:
    edgeperf.Error (a ValueError): unknown id (with the nearest ids), malformed
        file, unsupported combination, bad size; the CLI's message.)")
          .c_str());

  mod.def("sweep", &python_sweep, py::kw_only(), py::arg("model"), py::arg("device"), py::arg("runtime"),
          py::arg("quant") = py::none(), py::arg("mode") = py::none(), py::arg("input_tokens"),
          py::arg("output_tokens"), py::arg("batch") = 1, py::arg("samples") = 1, py::arg("kv_dtype") = py::none(),
          py::arg("electricity_usd_per_kwh") = 0.15, py::arg("device_price_usd") = py::none(),
          py::arg("service_life_years") = 3.0, py::arg("utilization") = 1.0, py::arg("cloud_input_usd_per_1m") = 0.0,
          py::arg("cloud_output_usd_per_1m") = 0.0, py::arg("errors") = "raise", py::arg("threads") = 0,
          (std::string(R"(Estimates the cartesian product of lists: a dict of numpy column arrays.

Every case argument takes one value or a list (list, tuple, range, numpy
array). The grid runs in C++ with the GIL released (on ``threads`` threads;
0: one per core), in the CLI's ``edgeperf sweep`` order (model, quant,
device, mode, runtime, kv_dtype, batch, samples, input_tokens,
output_tokens; the last varies fastest). The columns are the CLI's sweep
columns: ``id`` (1-based row number), the case, and every estimate field.
Numbers are float64 (int64 for id, batch, samples, input_tokens,
output_tokens), flags bool, text an object array of str;
``pandas.DataFrame(edgeperf.sweep(...))`` takes it as is. At most 10 million
configurations per call (about 300 bytes each); split larger grids.

Needs numpy (imported on the first call; the rest of the module does not).

Args (keywords only; the case arguments as in ``estimate``, each a value or a list):)") +
           case_doc + R"(
    errors: 'raise' (default): the first case that cannot be estimated raises
        edgeperf.Error with its message; 'keep': such rows stay, with NaN
        numbers, False flags and the message in the 'error' column (as the
        CLI's sweep writes them).
    threads: worker threads (0: one per core).

Raises:
    edgeperf.Error (ValueError) for unknown ids, bad files and bad values;
    ImportError when numpy is missing.)")
              .c_str());

  // ---- plan and pareto ----
  const char* plan_doc = R"(
    device: catalog id, profile path, dict or edgeperf.Device.
    mode: only this power mode (None: every mode of the device).
    accuracy: path to an accuracy CSV (model,benchmark,mode,budget,samples,
        accuracy,source) whose rows replace or extend the built-in table.
    benchmark: benchmark of the accuracy cells (default 'mmlu-redux').
    models: model ids or config paths (None: the accuracy table's models on
        the benchmark that are in the catalog).
    quants: quant ids (default bf16, w8a16, w4a16).
    samples: parallel sample counts in [1, 64] (default 1, 2, 4, 8).
    budgets: reasoning token budgets: None/'none' (no budget), N or 'N'
        (generation cut at N), 'Nnc' (budget in the prompt only); no-reasoning
        and direct answers are always added (default none, 128, 256).
    runtime: runtime id or profile (default 'vllm').
    input_tokens: prompt tokens I (default 170, the MMLU-Redux mean 169.6).
    length_cv: assumed coefficient of variation of the output length (1.0).
    vote_options: answer options of the vote over n samples (2: binary
        majority, conservative; 4: MMLU's choices, optimistic).)";
  mod.def(
      "plan",
      [](py::object device, double latency_budget_s, std::optional<double> energy_budget_j,
         std::optional<double> memory_budget_bytes, py::object mode, py::object accuracy, std::string benchmark,
         py::object models, py::object quants, py::object samples, py::object budgets, py::object runtime,
         int input_tokens, double length_cv, unsigned vote_options, std::size_t runners_up) {
        plan_budget b{};
        if (!(latency_budget_s > 0) || !std::isfinite(latency_budget_s))
          throw input_error("latency_budget_s = " + num_text(latency_budget_s) + ": expected seconds > 0");
        b.latency_s = latency_budget_s;
        if (energy_budget_j) {
          if (!(*energy_budget_j > 0) || !std::isfinite(*energy_budget_j))
            throw input_error("energy_budget_j = " + num_text(*energy_budget_j) + ": expected joules > 0");
          b.energy_j = energy_budget_j;
        }
        if (memory_budget_bytes) {
          if (!(*memory_budget_bytes > 0) || !std::isfinite(*memory_budget_bytes))
            throw input_error("memory_budget_bytes = " + num_text(*memory_budget_bytes) + ": expected bytes > 0");
          b.memory_bytes = memory_budget_bytes;
        }
        python::resolver res;
        const plan_request req = make_plan_request(
            res, plan_args{device, mode, accuracy, models, quants, samples, budgets, runtime, benchmark, input_tokens,
                           length_cv, vote_options});
        const std::vector<plan_point> pts = enumerate(req);
        auto c = edgeperf::plan(pts, b, runners_up);
        if (!c) throw input_error(c.error_value().message);
        py::dict out;
        out["choice"] = c->best ? py::object(point_dict(*c->best)) : py::object(py::none());
        py::list ru;
        for (const plan_point& p : c->runners_up) ru.append(point_dict(p));
        out["runners_up"] = ru;
        out["reason"] = c->reason;
        out["evaluated"] = c->evaluated;
        out["usable"] = c->usable;
        out["feasible"] = c->feasible;
        out["missing_accuracy"] = c->missing_accuracy;
        return out;
      },
      py::kw_only(), py::arg("device"), py::arg("latency_budget_s"), py::arg("energy_budget_j") = py::none(),
      py::arg("memory_budget_bytes") = py::none(), py::arg("mode") = py::none(), py::arg("accuracy") = py::none(),
      py::arg("benchmark") = "mmlu-redux", py::arg("models") = py::none(),
      py::arg("quants") = std::vector<std::string>{"bf16", "w8a16", "w4a16"},
      py::arg("samples") = std::vector<int>{1, 2, 4, 8},
      py::arg("budgets") = std::vector<std::string>{"none", "128", "256"}, py::arg("runtime") = "vllm",
      py::arg("input_tokens") = 170, py::arg("length_cv") = 1.0, py::arg("vote_options") = 2u,
      py::arg("runners_up") = 4,
      (std::string(R"(The most accurate configuration within a latency (and energy, memory) budget.

The CLI's ``edgeperf plan``: enumerates model x answer mode (reasoning with
budgets, no-reasoning, direct) x quant x power mode x samples, estimates each
(expected latency and energy over the output-length distribution), and picks
the most accurate usable one within the budget, then the fastest.

Returns a dict: 'choice' (a point dict, or None when nothing fits), 'reason'
(why), 'runners_up' (point dicts), 'evaluated', 'usable', 'feasible',
'missing_accuracy'. A point dict has the columns of ``edgeperf pareto``:
model, answer, budget_tokens, hard_cut, quant, device, power_mode, samples,
mean_output_tokens, latency_s, energy_j, memory_bytes, fits, accuracy,
accuracy_source, usable, error.

Args (keywords only):
    latency_budget_s: expected latency budget, seconds (> 0).
    energy_budget_j: expected energy budget on the accelerator rail, joules.
    memory_budget_bytes: memory budget, bytes.
    runners_up: how many runners-up to return (default 4).)") +
       plan_doc)
          .c_str());
  mod.def(
      "pareto",
      [](py::object device, py::object mode, py::object accuracy, std::string benchmark, py::object models,
         py::object quants, py::object samples, py::object budgets, py::object runtime, int input_tokens,
         double length_cv, unsigned vote_options, bool all) {
        python::resolver res;
        const plan_request req = make_plan_request(
            res, plan_args{device, mode, accuracy, models, quants, samples, budgets, runtime, benchmark, input_tokens,
                           length_cv, vote_options});
        const std::vector<plan_point> pts = enumerate(req);
        py::list out;
        if (all) {
          for (const plan_point& p : pts) out.append(point_dict(p));
          return out;
        }
        std::vector<std::size_t> front = plan_frontier(pts);
        std::sort(front.begin(), front.end(),
                  [&](std::size_t x, std::size_t y) { return pts[x].latency_s < pts[y].latency_s; });
        for (std::size_t i : front) out.append(point_dict(pts[i]));
        return out;
      },
      py::kw_only(), py::arg("device"), py::arg("mode") = py::none(), py::arg("accuracy") = py::none(),
      py::arg("benchmark") = "mmlu-redux", py::arg("models") = py::none(),
      py::arg("quants") = std::vector<std::string>{"bf16", "w8a16", "w4a16"},
      py::arg("samples") = std::vector<int>{1, 2, 4, 8},
      py::arg("budgets") = std::vector<std::string>{"none", "128", "256"}, py::arg("runtime") = "vllm",
      py::arg("input_tokens") = 170, py::arg("length_cv") = 1.0, py::arg("vote_options") = 2u,
      py::arg("all") = false,
      (std::string(R"(The exact Pareto frontier (latency, energy, accuracy, memory) of the plan space.

The CLI's ``edgeperf pareto``: a list of point dicts (the CSV's columns:
model, answer, budget_tokens, hard_cut, quant, device, power_mode, samples,
mean_output_tokens, latency_s, energy_j, memory_bytes, fits, accuracy,
accuracy_source, usable, error), fastest first; ``pandas.DataFrame(...)``
takes it as is.

Args (keywords only; the options of ``plan`` without the budgets):
    all: every evaluated configuration (usable or not), not only the frontier.)") +
       plan_doc)
          .c_str());

  // ---- catalogs ----
  mod.def("models", [] {
    std::vector<std::string> out;
    for (const model_spec& m : model_catalog()) out.emplace_back(m.id.view());
    return out;
  }, "The model catalog's ids (``edgeperf list models``).");
  mod.def("devices", [] {
    std::vector<std::string> out;
    for (const device_spec& d : device_catalog()) out.emplace_back(d.id.view());
    return out;
  }, "The device catalog's ids (``edgeperf list devices``).");
  mod.def("quants", [] {
    std::vector<std::string> out;
    for (const quant_spec& q : quant_catalog()) out.emplace_back(q.id.view());
    return out;
  }, "The quant catalog's ids (``edgeperf list quants``).");
  mod.def("runtimes", [] {
    std::vector<std::string> out;
    for (const runtime_spec& r : runtime_catalog()) out.emplace_back(r.id.view());
    return out;
  }, "The runtime catalog's ids (``edgeperf list runtimes``).");
  mod.def("modes", [](const py::object& device) {
    python::resolver res;
    return mode_names(res.device(device));
  }, py::arg("device"),
  "The power modes of a device (catalog id, profile path, dict or edgeperf.Device), the default "
  "(highest) first (``edgeperf list modes --device D``).");
  mod.def("device", [](const py::object& device) {
    python::resolver res;
    return res.device(device);
  }, py::arg("device"), "A device as an edgeperf.Device (catalog id, profile path or dict): to inspect, "
                        "change via to_dict(), or save.");
  mod.def("runtime", [](const py::object& runtime) {
    python::resolver res;
    return res.runtime(runtime);
  }, py::arg("runtime"), "A runtime as an edgeperf.Runtime (catalog id, profile path or dict).");
  mod.attr("fields") = [] {
    std::vector<std::string> out;
    for (column c : result_columns()) out.emplace_back(column_name(c));
    return out;
  }();
  mod.attr("sweep_fields") = [] {
    std::vector<std::string> out;
    for (column c : sweep_columns()) out.emplace_back(column_name(c));
    return out;
  }();
}
