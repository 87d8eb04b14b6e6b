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
///
/// Nothing is rebuilt along an axis it does not depend on: device states are
/// computed once per (device, mode, runtime); the prefill step and the decode
/// plan once per run of output lengths of a (model, quant, device, mode,
/// runtime, KV dtype, batch, samples, I) (`prepare_request`), and only the
/// closed-form decode total and the memory footprint per output length
/// (`finish_request`). The numbers are those of `estimate_request` point by
/// point, to the last bit (tests/plan/sweep_test.cpp).
///
/// `sweep_map` evaluates the grid on several threads (`sweep_options::threads`)
/// in chunks of consecutive points and hands the results to the caller in
/// row order, whatever the thread count.

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/descriptions/validate.hpp"
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

/// How to run a sweep.
struct sweep_options {
  unsigned threads{0};    ///< worker threads; 0 = every core the work pays for (sweep_map); 1 = serial
  std::size_t chunk{0};   ///< consecutive points per task; 0 = automatic
};

namespace detail::sweep {

/// What every point of a grid shares: the power modes per (device, mode name)
/// and the device states per (device, mode, runtime). Read-only once built.
struct shared {
  const sweep_grid& g;
  std::vector<result<int>> mode_of;
  std::vector<device_state<double>> state;  ///< [(device · modes + mode) · runtimes + runtime]
  std::array<std::size_t, 10> radix{};      ///< axis lengths, outermost first

  explicit shared(const sweep_grid& grid) : g(grid) {
    mode_of.reserve(g.devices.size() * g.modes.size());
    for (const auto& d : g.devices)
      for (const std::string& m : g.modes) mode_of.push_back(d.ok() ? find_mode(d.value, m) : result<int>{0});
    state.resize(mode_of.size() * g.runtimes.size());
    for (std::size_t dv = 0; dv < g.devices.size(); ++dv)
      for (std::size_t md = 0; md < g.modes.size(); ++md)
        for (std::size_t rt = 0; rt < g.runtimes.size(); ++rt) {
          const result<int>& mode = mode_of[dv * g.modes.size() + md];
          if (g.devices[dv].ok() && mode && g.runtimes[rt].ok())
            state[(dv * g.modes.size() + md) * g.runtimes.size() + rt] =
                case_device_state<double>(g.devices[dv].value, *mode, g.runtimes[rt].value);
        }
    radix = {g.models.size(),   g.quants.size(),    g.devices.size(), g.modes.size(),
             g.runtimes.size(), g.kv_dtypes.size(), g.batches.size(), g.samples.size(),
             g.input_tokens.size(), g.output_tokens.size()};
  }
  /// The number of points (0 when an axis is empty or the count overflows).
  [[nodiscard]] std::size_t count() const noexcept {
    std::size_t n = 1;
    for (std::size_t r : radix) {
      if (r == 0) return 0;
      if (n > std::numeric_limits<std::size_t>::max() / r) return 0;
      n *= r;
    }
    return n;
  }
};

/// The checks of `validate_case` that involve the output length (its value,
/// the token count of the request, the model's context), for a workload whose
/// other checks passed with another output length.
[[nodiscard]] inline bool output_ok(const model_spec& m, const workload& w) {
  if (w.output_tokens < 1) return false;
  const double tokens = static_cast<double>(w.batch) * w.samples *
                        (static_cast<double>(w.input_tokens) + w.output_tokens);
  if (tokens > edgeperf::detail::max_request_tokens) return false;
  return !(m.max_context > 0 && static_cast<std::int64_t>(w.input_tokens) + w.output_tokens > m.max_context);
}

/// The checks of `validate_case` that involve the workload (its sizes, KV
/// dtype, token count and the model's context), for a case whose description
/// checks passed with another workload: when these pass too, `validate_case`
/// passes (the description checks do not read the workload).
[[nodiscard]] inline bool workload_ok(const model_spec& m, const workload& w) {
  if (w.batch < 1 || w.samples < 1 || w.input_tokens < 1) return false;
  if (w.kv_dtype && dtype_bits(*w.kv_dtype) <= 0) return false;
  return output_ok(m, w);
}

/// Evaluates consecutive points of a grid, keeping the prepared (case, I)
/// state between output lengths, the (model, quant) parts between cases of
/// one (model, quant), and which descriptions passed validation. One per
/// thread.
class evaluator {
 public:
  explicit evaluator(const shared& s) : s_(s) {}

  /// Moves to point `index` (any order; consecutive calls of `next` are cheapest).
  void seek(std::size_t index) {
    sweep_point& p = row_.at;
    p.index = index;
    std::size_t* axes[10] = {&p.model, &p.quant,    &p.device, &p.mode,  &p.runtime,
                             &p.kv_dtype, &p.batch, &p.samples, &p.input, &p.output};
    for (int i = 9; i >= 0; --i) {
      const std::size_t r = s_.radix[static_cast<std::size_t>(i)];
      *axes[i] = index % r;
      index /= r;
    }
  }
  /// Moves to the next point (odometer order, the last axis fastest).
  void next() {
    sweep_point& p = row_.at;
    ++p.index;
    std::size_t* axes[10] = {&p.model, &p.quant,    &p.device, &p.mode,  &p.runtime,
                             &p.kv_dtype, &p.batch, &p.samples, &p.input, &p.output};
    for (int i = 9; i >= 0; --i) {
      if (++*axes[i] < s_.radix[static_cast<std::size_t>(i)]) return;
      *axes[i] = 0;
    }
  }
  /// Evaluates the current point; the row stays valid until the next call.
  const sweep_row& eval() {
    const sweep_grid& g = s_.g;
    const sweep_point& p = row_.at;
    row_.mode = g.modes[p.mode];
    row_.quant = g.quants[p.quant].label;
    row_.load = workload{};
    row_.load.batch = g.batches[p.batch];
    row_.load.samples = g.samples[p.samples];
    row_.load.input_tokens = g.input_tokens[p.input];
    row_.load.output_tokens = g.output_tokens[p.output];
    row_.error.clear();
    const std::size_t mode_at = p.device * g.modes.size() + p.mode;
    const result<int>& mode = s_.mode_of[mode_at];
    const quant_spec* q = resolve(g, p, mode, row_);
    if (!q) {
      row_.estimate.reset();
      return row_;
    }
    const model_spec& m = g.models[p.model].value.spec;
    const device_spec& dev = g.devices[p.device].value;
    const runtime_spec& r = g.runtimes[p.runtime].value;
    // Everything but the output length: one prepared state serves a run of O.
    const std::size_t group = p.index / g.output_tokens.size();
    const bool same = row_.estimate && group == prepared_;
    // A point of this run already passed `validate_case`: only its checks
    // that involve O can fail now, and when one does, it is the first
    // failure `validate_case` reports (every check before it passed).
    // Likewise once a point of these descriptions (model, quant, device,
    // mode, runtime) passed, only the workload checks can fail.
    const std::array<std::size_t, 5> descs{p.model, p.quant, p.device, p.mode, p.runtime};
    const bool checked = same ? output_ok(m, row_.load) : (descs == validated_ && workload_ok(m, row_.load));
    if (!checked) {
      if (auto ok = validate_case(m, *q, dev, *mode, r, row_.load); !ok) {
        row_.estimate.reset();
        row_.error = ok.error_value().message;
        return row_;
      }
      validated_ = descs;
    }
    if (!same) {
      if (!row_.estimate) row_.estimate.emplace();
      const std::array<std::size_t, 2> mq{p.model, p.quant};
      if (mq != mq_at_) {  // the GEMM shapes and weight bytes once per (model, quant)
        mq_ = model_quant_of(m, *q);
        mq_at_ = mq;
      }
      prepare_request(m, *q, mq_, s_.state[mode_at * g.runtimes.size() + p.runtime], *mode, r, row_.load,
                      *row_.estimate, prep_);
      prepared_ = group;
    }
    finish_request(m, *q, dev, r, row_.load, prep_, *row_.estimate);
    return row_;
  }

 private:
  const shared& s_;
  sweep_row row_{};
  request_prep<double> prep_{};
  std::size_t prepared_{std::numeric_limits<std::size_t>::max()};
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  std::array<std::size_t, 5> validated_{none, none, none, none, none};  ///< descriptions that passed
  model_quant_parts mq_{};
  std::array<std::size_t, 2> mq_at_{none, none};  ///< the (model, quant) of `mq_`
};

/// The number of threads `o` asks for.
[[nodiscard]] inline unsigned thread_count(const sweep_options& o) {
  if (o.threads > 0) return o.threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? hw : 1;
}

/// The most threads worth starting for `total` points in runs of `per_o`
/// output lengths: one per ~2 ms of estimated work, at ≈ 3 µs a run (its
/// `prepare_request`) and ≈ 0.1 µs a point (`finish_request` and the row),
/// since starting a worker and handing chunks between threads cost 0.1–0.5 ms
/// on the 2-core dev VM (docs/performance.md). Used when the thread count is
/// automatic (`sweep_options::threads` = 0).
[[nodiscard]] inline unsigned useful_threads(std::size_t total, std::size_t per_o) {
  const double runs = static_cast<double>(total) / static_cast<double>(per_o > 0 ? per_o : 1);
  const double work_us = 3.0 * runs + 0.1 * static_cast<double>(total);
  const double n = work_us / 2000.0;
  if (!(n >= 1)) return 1;
  return n >= 1024 ? 1024u : static_cast<unsigned>(n);
}

}  // namespace detail::sweep

/// Evaluates every point of `g` and calls `emit(make(row))` for each, in row
/// order. `make(const sweep_row&)` runs on the worker threads (it must be safe
/// to call concurrently; the row is only valid during the call) and turns a
/// row into whatever the caller keeps (a formatted line, a few numbers);
/// `emit` runs on the calling thread, in order. With one thread everything runs
/// on the calling thread.
///
/// `sweep_options::threads` = 0 uses every core, but no more threads than
/// the grid's estimated work pays for (`detail::sweep::useful_threads`: one
/// per ~2 ms), so a small grid runs on the calling thread.
///
/// With several, `threads` workers live for the whole sweep and claim chunks
/// of consecutive points in order (automatic chunks are a multiple of the
/// output axis when it is shorter than a chunk, so a run of output lengths
/// shares its prepared state; each worker keeps its evaluator,
/// and with it the (model, quant) parts and validated descriptions, across
/// its chunks); the calling thread hands the finished chunks to `emit` in
/// order. Workers stay at most `4 × threads` chunks ahead of `emit`, so
/// memory stays bounded however large the grid. An exception from `make` or
/// `emit` stops the workers and is rethrown here.
template <class Make, class Emit>
void sweep_map(const sweep_grid& g, const sweep_options& o, Make&& make, Emit&& emit) {
  using R = std::decay_t<std::invoke_result_t<Make&, const sweep_row&>>;
  const detail::sweep::shared s(g);
  const std::size_t total = s.count();
  if (total == 0) return;
  unsigned threads = detail::sweep::thread_count(o);
  if (o.threads == 0)  // automatic: no more threads than the work pays for
    threads = std::min(threads, detail::sweep::useful_threads(total, g.output_tokens.size()));
  if (threads <= 1) {
    detail::sweep::evaluator ev(s);
    ev.seek(0);
    for (std::size_t i = 0; i < total; ++i, ev.next()) emit(make(ev.eval()));
    return;
  }
  // Chunks (sweep_options::chunk, else automatic): a multiple of the output
  // axis when it is shorter than a chunk, so that runs of O are not split; a
  // longer axis is split (each chunk then prepares its run once: the same
  // numbers, one prepare_request more).
  const std::size_t per_o = g.output_tokens.size();
  std::size_t chunk = o.chunk;
  if (chunk == 0) {
    chunk = std::clamp<std::size_t>(total / (std::size_t{threads} * 16), 64, 4096);
    if (per_o <= chunk) chunk = (chunk + per_o - 1) / per_o * per_o;
  }
  const std::size_t chunks = (total + chunk - 1) / chunk;
  const std::size_t window = std::size_t{threads} * 4;  // chunks in flight at most

  struct slot {
    std::vector<R> rows;
    bool done{false};
  };
  std::vector<slot> ring(window);  // chunk c lives in ring[c % window] until emitted
  std::mutex mu;
  std::condition_variable finished, freed;  // a chunk is done; a slot is free (or stop)
  std::size_t claimed = 0, emitted = 0;
  bool stop = false;
  std::exception_ptr error;
  const auto fail = [&](std::exception_ptr e) {
    const std::lock_guard<std::mutex> lock(mu);
    if (!error) error = e;
    stop = true;
    finished.notify_all();
    freed.notify_all();
  };
  const auto work = [&] {
    try {
      detail::sweep::evaluator ev(s);
      std::vector<R> rows;
      for (;;) {
        std::size_t c = 0;
        {
          std::unique_lock<std::mutex> lock(mu);
          freed.wait(lock, [&] { return stop || claimed >= chunks || claimed < emitted + window; });
          if (stop || claimed >= chunks) return;
          c = claimed++;
        }
        const std::size_t lo = c * chunk, hi = std::min(total, lo + chunk);
        rows.clear();
        rows.reserve(hi - lo);
        ev.seek(lo);
        for (std::size_t i = lo; i < hi; ++i, ev.next()) rows.push_back(make(ev.eval()));
        const std::lock_guard<std::mutex> lock(mu);
        slot& sl = ring[c % window];
        sl.rows.swap(rows);
        sl.done = true;
        finished.notify_all();
      }
    } catch (...) {
      fail(std::current_exception());
    }
  };
  {
    // std::thread joined by hand, not std::jthread: Emscripten's libc++
    // (Debian bookworm, the browser page) has no jthread. The guard stops and
    // joins the started workers on every exit, also when starting one throws.
    std::vector<std::thread> workers;
    struct join_all {
      std::vector<std::thread>& w;
      std::mutex& mu;
      bool& stop;
      std::condition_variable& freed;
      ~join_all() {
        {
          const std::lock_guard<std::mutex> lock(mu);
          stop = true;
        }
        freed.notify_all();
        for (std::thread& t : w)
          if (t.joinable()) t.join();
      }
    } guard{workers, mu, stop, freed};
    workers.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) workers.emplace_back(work);
    std::vector<R> rows;
    for (std::size_t c = 0; c < chunks; ++c) {
      {
        std::unique_lock<std::mutex> lock(mu);
        slot& sl = ring[c % window];
        finished.wait(lock, [&] { return stop || sl.done; });
        if (!sl.done) break;  // a worker failed
        rows.clear();
        rows.swap(sl.rows);
        sl.done = false;
        emitted = c + 1;
        freed.notify_all();
      }
      try {
        for (R& r : rows) emit(std::move(r));
      } catch (...) {
        fail(std::current_exception());
        break;
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

/// Calls `f(const sweep_row&)` for every point of `g`, in order, on the
/// calling thread. The row is only valid during the call.
template <class F>
void for_each_case(const sweep_grid& g, F&& f) {
  const detail::sweep::shared s(g);
  const std::size_t total = s.count();
  if (total == 0) return;
  detail::sweep::evaluator ev(s);
  ev.seek(0);
  for (std::size_t i = 0; i < total; ++i, ev.next()) f(std::as_const(ev.eval()));
}

/// Every row of `g`, in order (see `for_each_case`); `o.threads` > 1
/// evaluates on that many threads (`sweep_map`), with the same rows.
[[nodiscard]] inline std::vector<sweep_row> run_sweep(const sweep_grid& g, const sweep_options& o = {1, 0}) {
  std::vector<sweep_row> rows;
  const double n = g.size();
  if (n > 0 && n < 1e7) rows.reserve(static_cast<std::size_t>(n));
  sweep_map(g, o, [](const sweep_row& r) { return r; }, [&](sweep_row&& r) { rows.push_back(std::move(r)); });
  return rows;
}

}  // namespace edgeperf
