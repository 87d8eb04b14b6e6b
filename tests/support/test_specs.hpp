#pragma once
// Small, round-number device and runtime specs for hand-derived cost-model
// expectations (independent of the catalogs, whose values change with fits).
#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/runtime.hpp"

namespace edgeperf::test {

/// A toy GPU: 4 SMs, 1000 FLOP/clk/SM at 1 GHz (1 TFLOP/s per SM), 100 GB/s,
/// no latency, no L2 fast path. Two modes: "FULL" and "HALF" (half GPU, EMC
/// and CPU clocks).
inline device_spec toy_gpu() {
  device_spec d{};
  d.id = "toy-gpu";
  d.kind = device_kind::jetson;
  d.sm_count = {4};
  d.tensor_fp16_flops_per_clk = {1000};
  d.tensor_bf16_flops_per_clk = {1000};
  d.tensor_int8_ops_per_clk = {2000};
  d.cuda_fp32_flops_per_clk = {100};
  d.cuda_fp16_flops_per_clk = {200};
  d.gpu_clock_hz = {1e9};
  d.tensor_efficiency = {1};
  d.cuda_efficiency = {1};
  d.mem_bus_bits = {64};
  d.emc_clock_hz = {6.25e9};  // 64/8 × 2 × 6.25e9 = 100 GB/s
  d.mem_transfers_per_clk = {2};
  d.mem_efficiency = {1};
  d.mem_latency_s = {0};
  d.l2_bytes = {0};
  d.memory_bytes = {64e9};
  d.reserved_bytes = {0};
  d.storage_bytes_per_s = {1e9};
  d.launch_overhead_s = {0};
  d.graph_node_overhead_s = {0};
  d.cpu_cores = {4};
  d.cpu_clock_hz = {2.2e9};
  d.host_speed = {1};
  // Energy (round numbers): 2 W idle, 1 pJ/tensor FLOP, 4 pJ/CUDA FLOP,
  // 100 pJ/byte, 10 W while the host works, 2 W CPU rail; HALF runs at 0.5×
  // the energy per op and idles at 1.5 W.
  d.pj_per_flop_tensor = {1};
  d.pj_per_flop_cuda = {4};
  d.pj_per_byte_dram = {100};
  d.host_active_power_w = {10};
  d.cpu_active_power_w = {2};
  d.modes[0].static_power_w = {2};
  d.modes[0].module_static_power_w = {3};
  d.modes[1].static_power_w = {1.5};
  d.modes[1].module_static_power_w = {2.5};
  d.modes[1].dyn_energy_scale = {0.5};
  d.mode_count = 2;
  d.modes[0].name = "FULL";
  d.modes[0].gpu_clock_hz = {1e9};
  d.modes[0].emc_clock_hz = {6.25e9};
  d.modes[0].active_sms = {4};
  d.modes[0].cpu_cores = {4};
  d.modes[0].cpu_clock_hz = {2.2e9};
  d.modes[1].name = "HALF";
  d.modes[1].gpu_clock_hz = {0.5e9};
  d.modes[1].emc_clock_hz = {3.125e9};
  d.modes[1].active_sms = {4};
  d.modes[1].cpu_cores = {4};
  d.modes[1].cpu_clock_hz = {1.1e9};
  return d;
}

/// A toy runtime with one 128 × 128 tile, no host costs, no KV padding.
inline runtime_spec toy_runtime() {
  runtime_spec r{};
  r.id = "toy-rt";
  r.launches_per_layer_prefill = 10;
  r.launches_per_layer_decode = 10;
  r.launches_head = 3;
  r.attention = attention_kind::flash;
  r.attn_q_block = 128;
  r.attn_kv_block = 1;
  r.tiles[0] = gemm_tile{128, 128, 1, 1.0};
  r.tile_count = 1;
  r.kernel_efficiency = {1};
  r.dequant_efficiency = {1};
  r.last_position_logits = true;
  r.default_kv = dtype::fp16;
  return r;
}

/// A small Llama-like model (hand-checkable shapes).
inline model_spec toy_model() {
  model_spec m{};
  m.id = "toy";
  m.family = "llama";
  m.layers = 2;
  m.hidden = 512;
  m.heads = 8;
  m.kv_heads = 2;
  m.head_dim = 64;
  m.ffn = 1024;
  m.vocab = 1000;
  m.max_context = 1 << 20;
  return m;
}

}  // namespace edgeperf::test
