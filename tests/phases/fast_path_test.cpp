// The lean request paths (issue 13) against the straightforward one they
// replace, `estimate_reference`, to the last bit: `estimate_unchecked` and
// `estimate_request` with and without the per-op breakdown, and
// `prepare_request` + `finish_request` over several output lengths, in double
// and float, over a grid of catalog cases: dense, MoE (Mixtral), sliding
// window (Gemma 3), GGUF Q4_K_M and W4A16, batch × samples with and without
// prefix sharing, every power mode of an AGX Orin 64GB and an Orin Nano 8GB
// (the capped ones throttle some of these cases), five runtimes, O = 1 … 6000.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/request.hpp"

using namespace edgeperf;

namespace {

/// Bit-identical (NaN-safe: compares the representation).
template <class T>
bool same(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    if constexpr (sizeof(T) == 8) return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
    else return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
  } else {
    return a == b;
  }
}

/// Counts fields that differ (and names the first one in `first`).
struct differ {
  int count{0};
  std::string first;
  template <class T>
  void operator()(const char* name, const T& a, const T& b) {
    if (same(a, b)) return;
    if (count++ == 0) first = name;
  }
};

template <class T>
void compare_step(differ& d, const std::string& at, const step_result<T>& a, const step_result<T>& b,
                  bool ops) {
  const auto f = [&](const char* n, const auto& x, const auto& y) { d((at + n).c_str(), x, y); };
  f(".time_s", a.time_s, b.time_s);
  f(".device_s", a.device_s, b.device_s);
  f(".launch_gaps_s", a.launch_gaps_s, b.launch_gaps_s);
  f(".host_launch_s", a.host_launch_s, b.host_launch_s);
  f(".host_serial_s", a.host_serial_s, b.host_serial_s);
  f(".binds", a.binds, b.binds);
  f(".dynamic_j", a.dynamic_j, b.dynamic_j);
  f(".static_j", a.static_j, b.static_j);
  f(".host_j", a.host_j, b.host_j);
  f(".energy_j", a.energy_j, b.energy_j);
  f(".module_energy_j", a.module_energy_j, b.module_energy_j);
  f(".avg_power_w", a.avg_power_w, b.avg_power_w);
  f(".launches", a.launches, b.launches);
  f(".flops", a.flops, b.flops);
  f(".bytes", a.bytes, b.bytes);
  f(".weight_bytes", a.weight_bytes, b.weight_bytes);
  f(".kv_read_bytes", a.kv_read_bytes, b.kv_read_bytes);
  f(".kv_write_bytes", a.kv_write_bytes, b.kv_write_bytes);
  if (!ops) return;
  f(".op_count", a.op_count, b.op_count);
  for (std::size_t i = 0; i < a.op_count && i < b.op_count; ++i) {
    const op_breakdown<T>& x = a.ops[i];
    const op_breakdown<T>& y = b.ops[i];
    const std::string o = at + ".ops[" + std::to_string(i) + "]";
    d((o + ".name").c_str(), std::string(x.name), std::string(y.name));
    d((o + ".kind").c_str(), x.kind, y.kind);
    d((o + ".count").c_str(), x.count, y.count);
    d((o + ".flops").c_str(), x.flops, y.flops);
    d((o + ".bytes").c_str(), x.bytes, y.bytes);
    d((o + ".cost.compute_s").c_str(), x.cost.compute_s, y.cost.compute_s);
    d((o + ".cost.memory_s").c_str(), x.cost.memory_s, y.cost.memory_s);
    d((o + ".cost.time_s").c_str(), x.cost.time_s, y.cost.time_s);
    d((o + ".cost.binds").c_str(), x.cost.binds, y.cost.binds);
    d((o + ".cost.tile").c_str(), x.cost.tile, y.cost.tile);
    d((o + ".time_s").c_str(), x.time_s, y.time_s);
    d((o + ".energy_j").c_str(), x.energy_j, y.energy_j);
  }
}

/// Every field of two estimates; the breakdowns when `ops` (else `a` must have none).
template <class T>
differ compare(const request_estimate<T>& a, const request_estimate<T>& b, bool ops) {
  differ d;
  compare_step(d, "prefill", a.prefill, b.prefill, ops);
  compare_step(d, "first_decode", a.first_decode, b.first_decode, ops);
  if (!ops) {
    d("prefill.op_count (lean)", a.prefill.op_count, std::size_t{0});
    d("first_decode.op_count (lean)", a.first_decode.op_count, std::size_t{0});
  }
  d("ttft_s", a.ttft_s, b.ttft_s);
  d("decode_s", a.decode_s, b.decode_s);
  d("total_s", a.total_s, b.total_s);
  d("tpot_s", a.tpot_s, b.tpot_s);
  d("output_tokens_per_s", a.output_tokens_per_s, b.output_tokens_per_s);
  d("prefill_flops", a.prefill_flops, b.prefill_flops);
  d("prefill_bytes", a.prefill_bytes, b.prefill_bytes);
  d("decode_flops", a.decode_flops, b.decode_flops);
  d("decode_bytes", a.decode_bytes, b.decode_bytes);
  d("decode_steps", a.decode_steps, b.decode_steps);
  d("prefill_energy_j", a.prefill_energy_j, b.prefill_energy_j);
  d("decode_energy_j", a.decode_energy_j, b.decode_energy_j);
  d("energy_j", a.energy_j, b.energy_j);
  d("module_energy_j", a.module_energy_j, b.module_energy_j);
  d("prefill_power_w", a.prefill_power_w, b.prefill_power_w);
  d("decode_power_w", a.decode_power_w, b.decode_power_w);
  d("avg_power_w", a.avg_power_w, b.avg_power_w);
  d("peak_power_w", a.peak_power_w, b.peak_power_w);
  d("host_busy_s", a.host_busy_s, b.host_busy_s);
  d("j_per_token", a.j_per_token, b.j_per_token);
  d("tokens_per_j", a.tokens_per_j, b.tokens_per_j);
  d("memory.weights_bytes", a.memory.weights_bytes, b.memory.weights_bytes);
  d("memory.kv_cache_bytes", a.memory.kv_cache_bytes, b.memory.kv_cache_bytes);
  d("memory.activation_bytes", a.memory.activation_bytes, b.memory.activation_bytes);
  d("memory.runtime_overhead_bytes", a.memory.runtime_overhead_bytes, b.memory.runtime_overhead_bytes);
  d("memory.total_bytes", a.memory.total_bytes, b.memory.total_bytes);
  d("memory.budget_bytes", a.memory.budget_bytes, b.memory.budget_bytes);
  d("memory.fits", a.memory.fits, b.memory.fits);
  d("memory.params", a.memory.params, b.memory.params);
  d("memory.active_params", a.memory.active_params, b.memory.active_params);
  d("memory.kv_bytes_per_token", a.memory.kv_bytes_per_token, b.memory.kv_bytes_per_token);
  d("cold_start_s", a.cold_start_s, b.cold_start_s);
  d("kv", a.kv, b.kv);
  d("mode_index", a.mode_index, b.mode_index);
  d("prefill_clock_scale", a.prefill_clock_scale, b.prefill_clock_scale);
  d("decode_clock_scale", a.decode_clock_scale, b.decode_clock_scale);
  return d;
}

struct grid_stats {
  int cases{0};
  int throttled{0};  ///< cases whose decode or prefill clock the budget lowered
};

/// Runs `check(m, q, d, mode, r, w)` over the grid's valid cases.
template <class Check>
grid_stats for_each_grid_case(Check&& check) {
  grid_stats st;
  for (const char* model : {"dsr1-qwen-14b", "mixtral-8x7b", "gemma-3-1b", "llama-3.2-3b"})
    for (const char* quant : {"bf16", "q4_k_m", "w4a16"})
      for (const char* device : {"agx-orin-64gb", "orin-nano-8gb"}) {
        const device_spec& dev = *find_device_or_null(device);
        for (int mode = 0; mode < dev.mode_count; ++mode)
          for (const char* runtime : {"vllm", "llama.cpp", "mlc", "trtllm", "hf-eager"})
            for (const auto& [b, n] : {std::pair{1, 1}, std::pair{2, 4}, std::pair{8, 4}})
              for (int input : {128, 2048}) {
                const model_spec m = find_model(model).value();
                const quant_spec q = find_quant(quant).value();
                const runtime_spec r = find_runtime(runtime).value();
                const workload w{b, n, input, 6000, {}};
                if (!validate_case(m, q, dev, mode, r, w)) continue;
                ++st.cases;
                st.throttled += check(m, q, dev, mode, r, w) ? 1 : 0;
              }
      }
  return st;
}

constexpr int output_lengths[] = {1, 2, 300, 6000};

/// estimate_unchecked / estimate_request (both breakdown settings) against the
/// reference at each output length; true when some O was throttled.
template <class T>
bool check_request(const model_spec& m, const quant_spec& q, const device_spec& dev, int mode,
                   const runtime_spec& r, workload w) {
  bool throttled = false;
  for (int O : output_lengths) {
    w.output_tokens = O;
    const request_estimate<T> ref = estimate_reference<T>(m, q, dev, mode, r, w);
    throttled = throttled || ref.decode_clock_scale < 1 || ref.prefill_clock_scale < 1;
    const std::string what = std::string(m.id.view()) + " " + std::string(q.id.view()) + " " +
                             std::string(dev.id.view()) + " mode " + std::to_string(mode) + " " +
                             std::string(r.id.view()) + " b" + std::to_string(w.batch) + " n" +
                             std::to_string(w.samples) + " I" + std::to_string(w.input_tokens) + " O" +
                             std::to_string(O);
    for (const bool ops : {false, true}) {
      INFO(what << (ops ? " with breakdown" : " lean"));
      const differ u = compare(estimate_unchecked<T>(m, q, dev, mode, r, w, {.breakdown = ops}), ref, ops);
      INFO("estimate_unchecked: first difference " << u.first);
      CHECK(u.count == 0);
      const auto e = estimate_request<T>(m, q, dev, mode, r, w, {.breakdown = ops});
      REQUIRE(e);
      const differ v = compare(*e, ref, ops);
      INFO("estimate_request: first difference " << v.first);
      CHECK(v.count == 0);
    }
  }
  return throttled;
}

/// prepare_request once, then finish_request over the output lengths in an
/// order that goes from throttled to not and back.
template <class T>
bool check_prepared(const model_spec& m, const quant_spec& q, const device_spec& dev, int mode,
                    const runtime_spec& r, workload w) {
  bool throttled = false;
  for (const bool ops : {false, true}) {
    request_estimate<T> e{};
    request_prep<T> p{};
    prepare_request(m, q, case_device_state<T>(dev, mode, r), mode, r, w, e, p, {.breakdown = ops});
    for (int O : {6000, 1, 300, 6000, 2, 6000}) {
      w.output_tokens = O;
      finish_request(m, q, dev, r, w, p, e);
      const request_estimate<T> ref = estimate_reference<T>(m, q, dev, mode, r, w);
      throttled = throttled || ref.decode_clock_scale < 1;
      INFO(m.id.view() << " " << q.id.view() << " " << dev.id.view() << " mode " << mode << " "
                       << r.id.view() << " b" << w.batch << " n" << w.samples << " I" << w.input_tokens
                       << " O" << O << (ops ? " with breakdown" : " lean"));
      const differ d = compare(e, ref, ops);
      INFO("first difference " << d.first);
      CHECK(d.count == 0);
    }
  }
  return throttled;
}

}  // namespace

TEMPLATE_TEST_CASE("the lean request path equals estimate_reference to the last bit", "", double, float) {
  const grid_stats st = for_each_grid_case([](const auto&... a) { return check_request<TestType>(a...); });
  // The grid must reach the cases it is meant to cover.
  CHECK(st.cases > 500);
  CHECK(st.throttled > 20);
}

TEMPLATE_TEST_CASE("prepare_request + finish_request equal estimate_reference to the last bit", "", double,
                   float) {
  const grid_stats st = for_each_grid_case([](const auto&... a) { return check_prepared<TestType>(a...); });
  CHECK(st.cases > 500);
  CHECK(st.throttled > 20);
}

TEST_CASE("the breakdown is filled only when asked for") {
  const model_spec m = find_model("dsr1-qwen-14b").value();
  const quant_spec q = find_quant("bf16").value();
  const device_spec dev = find_device("agx-orin-64gb").value();
  const runtime_spec r = find_runtime("vllm").value();
  const workload w{1, 1, 512, 1024, {}};
  const auto lean = estimate_request(m, q, dev, 0, r, w);
  const auto full = estimate_request(m, q, dev, 0, r, w, {.breakdown = true});
  REQUIRE(lean);
  REQUIRE(full);
  CHECK(lean->prefill.op_count == 0);
  CHECK(lean->first_decode.op_count == 0);
  CHECK(full->prefill.op_count > 5);
  CHECK(full->first_decode.op_count == full->prefill.op_count);
  CHECK(full->prefill.ops[1].kind == op_kind::gemm);
}

TEST_CASE("a cached GEMM cost is the computed cost, to the last bit") {
  // gemm_cost with an unidentified table (id 0: always computed) against the
  // same table identified (the per-thread GEMM cost cache: first a miss, then hits).
  int gemms = 0, differences = 0;
  for (const char* model : {"dsr1-qwen-14b", "mixtral-8x7b", "gemma-3-1b"})
    for (const char* quant : {"bf16", "q4_k_m", "w4a16"})
      for (const char* runtime : {"vllm", "llama.cpp", "mlc", "trtllm", "hf-eager"})
        for (const char* device : {"agx-orin-64gb", "orin-nano-8gb"}) {
          const model_spec m = find_model(model).value();
          const quant_spec q = find_quant(quant).value();
          const runtime_spec r = find_runtime(runtime).value();
          const device_spec& dev = *find_device_or_null(device);
          const tile_table cached = make_tile_table(r);
          REQUIRE(cached.id != 0);
          tile_table search = cached;
          search.id = 0;
          for (int mode = 0; mode < dev.mode_count; ++mode)
            for (const double phi : {1.0, 0.6})
              for (const std::int64_t tokens : {1, 4, 32, 33, 512}) {
                const device_state<double> d = throttle_clocks(case_device_state<double>(dev, mode, r), phi);
                for (const bool decode : {false, true}) {
                  step_shape s{};
                  s.seqs = decode ? tokens : 1;
                  s.prompts = s.seqs;
                  s.new_tokens = decode ? 1 : tokens;
                  s.context = 600;
                  s.decode = decode;
                  const op_list ops = step_ops(m, q, r, s, case_kv_dtype(workload{}, q, r));
                  for (const op_instance& op : ops) {
                    if (op.kind != op_kind::gemm) continue;
                    const op_cost<double> a = gemm_cost(op, d, r, search, decode);
                    for (int rep = 0; rep < 2; ++rep) {
                      const op_cost<double> b = gemm_cost(op, d, r, cached, decode);
                      ++gemms;
                      if (!same(a.compute_s, b.compute_s) || !same(a.memory_s, b.memory_s) ||
                          !same(a.time_s, b.time_s) || a.binds != b.binds || !(a.tile == b.tile))
                        ++differences;
                    }
                  }
                }
              }
        }
  CHECK(gemms > 10000);
  CHECK(differences == 0);
}

TEST_CASE("model_quant_of walks the weights once and gives layer_gemm_shapes and count_weight_bytes, to the last bit") {
  int pairs = 0;
  for (const model_spec& m : model_catalog()) {
    for (const quant_spec& q : quant_catalog()) {
      INFO(std::string(m.id.view()) << " " << std::string(q.id.view()));
      const model_quant_parts mq = model_quant_of(m, q);
      const gemm_shapes shapes = layer_gemm_shapes(m, q);
      const weight_bytes wb = count_weight_bytes(m, q);
      REQUIRE(mq.shapes.size == shapes.size);
      for (std::size_t i = 0; i < shapes.size; ++i) {
        const gemm_shape& a = mq.shapes.items[i];
        const gemm_shape& b = shapes.items[i];
        CHECK(std::string(a.name) == b.name);
        CHECK(a.cls == b.cls);
        CHECK(a.routed == b.routed);
        CHECK(a.n == b.n);
        CHECK(a.k == b.k);
        CHECK(same(a.layers, b.layers));
        CHECK(same(a.bytes_sum, b.bytes_sum));
        CHECK(same(a.dq_ops_sum, b.dq_ops_sum));
        CHECK(same(a.experts, b.experts));
        CHECK(same(a.top_k, b.top_k));
        CHECK(same(a.bytes_per_layer, b.bytes_per_layer));
        CHECK(same(a.dq_ops_per_layer, b.dq_ops_per_layer));
        CHECK(same(a.bytes_per_layer, a.bytes_sum / a.layers));
      }
      const weight_bytes& w = mq.weights;
      CHECK(same(w.total_bytes, wb.total_bytes));
      CHECK(same(w.linear_bytes, wb.linear_bytes));
      CHECK(same(w.embedding_bytes, wb.embedding_bytes));
      CHECK(same(w.lm_head_bytes, wb.lm_head_bytes));
      CHECK(same(w.other_bytes, wb.other_bytes));
      CHECK(same(w.vision_bytes, wb.vision_bytes));
      CHECK(same(w.active_bytes, wb.active_bytes));
      CHECK(same(w.bits_per_weight, wb.bits_per_weight));
      CHECK(w.params == wb.params);
      CHECK(w.active_params == wb.active_params);
      CHECK(w.total_bytes > 0);
      ++pairs;
    }
  }
  CHECK(pairs >= 100);
}

TEST_CASE("model_quant_recent keeps the last (model, quant) and walks changed descriptions anew") {
  const model_spec qwen14 = find_model("dsr1-qwen-14b").value();
  const quant_spec bf16 = find_quant("bf16").value();
  const quant_spec w4 = find_quant("w4a16").value();
  const auto total = [](const model_quant_parts& p) { return p.weights.total_bytes; };
  const double base = total(model_quant_of(qwen14, bf16));
  // A hit returns what a walk returns.
  CHECK(same(total(model_quant_recent(qwen14, bf16)), base));
  CHECK(same(total(model_quant_recent(qwen14, bf16)), base));
  // Another quant, then back.
  CHECK(same(total(model_quant_recent(qwen14, w4)), total(model_quant_of(qwen14, w4))));
  CHECK(same(total(model_quant_recent(qwen14, bf16)), base));
  // The same id with one field changed (a user's edited copy) is another model.
  model_spec wider = qwen14;
  wider.ffn += 128;
  const double wider_total = total(model_quant_of(wider, bf16));
  REQUIRE(wider_total > base);
  CHECK(same(total(model_quant_recent(wider, bf16)), wider_total));
  CHECK(same(total(model_quant_recent(qwen14, bf16)), base));
  // And a request on the edited copy gives its own numbers, not the memo's.
  const device_spec dev = find_device("agx-orin-64gb").value();
  const runtime_spec r = find_runtime("vllm").value();
  const workload w{1, 1, 512, 256, {}};
  const auto a = estimate_unchecked<double>(qwen14, bf16, dev, 0, r, w);
  const auto b = estimate_unchecked<double>(wider, bf16, dev, 0, r, w);
  const auto a_again = estimate_unchecked<double>(qwen14, bf16, dev, 0, r, w);
  CHECK(b.memory.weights_bytes > a.memory.weights_bytes);
  CHECK(b.total_s > a.total_s);
  CHECK(same(a_again.total_s, a.total_s));
  CHECK(same(a_again.memory.weights_bytes, a.memory.weights_bytes));
  CHECK(same(b.total_s, estimate_reference<double>(wider, bf16, dev, 0, r, w).total_s));
}

TEST_CASE("the GEMM cost cache keys on every input a GEMM's cost reads") {
  // Warm the cache with a GEMM, change one input at a time and compare the
  // cached path with the computed one: a key that missed the input would
  // return the warm entry's cost.
  const model_spec m = find_model("dsr1-qwen-14b").value();
  const device_spec& dev = *find_device_or_null("agx-orin-64gb");
  for (const char* quant : {"bf16", "w4a16"}) {
    const quant_spec q = find_quant(quant).value();
    for (const bool decode : {false, true}) {
      INFO(quant << (decode ? " decode" : " prefill"));
      const runtime_spec r0 = find_runtime("vllm").value();
      step_shape s{};
      s.seqs = decode ? 40 : 1;  // above vLLM's gemv_max_m in decode: the M-rule floor runs too
      s.prompts = s.seqs;
      s.new_tokens = decode ? 1 : 300;
      s.context = 600;
      s.decode = decode;
      const op_list ops = step_ops(m, q, r0, s, dtype::fp16);
      const op_instance* g = nullptr;
      for (const op_instance& op : ops)
        if (op.kind == op_kind::gemm) g = &op;
      REQUIRE(g != nullptr);
      const device_state<double> d0 = case_device_state<double>(dev, 0, r0);
      using change = void (*)(op_instance&, device_state<double>&, runtime_spec&);
      const change changes[] = {
          [](op_instance& op, device_state<double>&, runtime_spec&) { op.m += 1; },
          [](op_instance& op, device_state<double>&, runtime_spec&) { op.n += 64; },
          [](op_instance& op, device_state<double>&, runtime_spec&) { op.k += 64; },
          [](op_instance& op, device_state<double>&, runtime_spec&) { op.weight_bytes *= 1.5; },
          [](op_instance& op, device_state<double>&, runtime_spec&) { op.kv_read_bytes += 1e6; },
          [](op_instance& op, device_state<double>&, runtime_spec&) { op.act_bytes *= 3; },
          [](op_instance& op, device_state<double>&, runtime_spec&) { op.dequant_ops = op.dequant_ops * 2 + 1e9; },
          [](op_instance& op, device_state<double>&, runtime_spec&) { op.math = dtype::fp16; },
          [](op_instance&, device_state<double>& d, runtime_spec&) { d.tensor_fp16_sm *= 0.5; d.tensor_bf16_sm *= 0.5; },
          [](op_instance&, device_state<double>& d, runtime_spec&) { d.cuda_fp16_sm *= 0.5; },
          [](op_instance&, device_state<double>& d, runtime_spec&) { d.dram_bytes_per_s *= 0.5; },
          [](op_instance&, device_state<double>& d, runtime_spec&) { d.l2_bytes_per_s *= 0.5; },
          [](op_instance&, device_state<double>& d, runtime_spec&) { d.l2_bytes = 1; },
          [](op_instance&, device_state<double>& d, runtime_spec&) { d.mem_latency_s += 1e-3; },
          [](op_instance&, device_state<double>& d, runtime_spec&) { d.sms -= 2; },
          [](op_instance&, device_state<double>& d, runtime_spec&) { d.jetson = !d.jetson; },
          [](op_instance&, device_state<double>&, runtime_spec& r) { r.gemm_serial_fraction.value *= 0.5; },
          [](op_instance&, device_state<double>&, runtime_spec& r) { r.gemv_max_m = 64; },
          [](op_instance&, device_state<double>&, runtime_spec& r) { r.dequant_efficiency.value = 0.25; },
          [](op_instance&, device_state<double>&, runtime_spec& r) { r.kernel_efficiency_jetson.value *= 0.5; },
          [](op_instance&, device_state<double>&, runtime_spec& r) { r.kernel_efficiency.value = 0.5; },
      };
      int changed_cost = 0, i = 0;
      for (const change& c : changes) {
        INFO("change " << i++);
        op_instance op = *g;
        device_state<double> d = d0;
        runtime_spec r = r0;
        c(op, d, r);
        const tile_table cached = make_tile_table(r);  // the same id as r0's: the tiles did not change
        REQUIRE(cached.id == make_tile_table(r0).id);
        (void)gemm_cost(*g, d0, r0, cached, decode);  // the warm entry
        const op_cost<double> want = gemm_cost(op, d, r, detail::uncached(cached), decode);
        const op_cost<double> got = gemm_cost(op, d, r, cached, decode);
        CHECK(same(got.time_s, want.time_s));
        CHECK(same(got.compute_s, want.compute_s));
        CHECK(same(got.memory_s, want.memory_s));
        CHECK(got.tile == want.tile);
        const op_cost<double> warm = gemm_cost(*g, d0, r0, detail::uncached(cached), decode);
        if (!same(want.time_s, warm.time_s) || !same(want.compute_s, warm.compute_s) ||
            !same(want.memory_s, warm.memory_s) || !(want.tile == warm.tile))
          ++changed_cost;
      }
      CHECK(changed_cost >= 12);  // most changes move the cost (else the test tests nothing)
    }
  }
}
