#pragma once
/// @file
/// Forward declarations of the core's public types (descriptions, accounting,
/// cost, phases, result), for headers that only pass them by reference or
/// pointer. Include edgeperf/edgeperf.hpp (or the layer header) for the
/// definitions. Class templates are declared here without their default
/// argument (`T = double`), which their definitions add.

#include <cstdint>

namespace edgeperf {

// ---- result.hpp ----
enum class errc;
struct error;
class bad_result_access;
template <class T>
class result;

// ---- descriptions/ ----
enum class source : std::uint8_t;
struct sourced;
enum class device_kind : std::uint8_t;
struct power_mode;
struct device_spec;
enum class mlp_kind : std::uint8_t;
enum class norm_kind : std::uint8_t;
struct moe_spec;
struct model_spec;
enum class dtype : std::uint8_t;
enum class compute_path : std::uint8_t;
struct weight_format;
struct quant_spec;
enum class attention_kind : std::uint8_t;
struct gemm_tile;
struct runtime_spec;
struct workload;

// ---- accounting/ ----
struct param_counts;
struct weight_bytes;
struct memory_footprint;
enum class op_kind : std::uint8_t;
struct op_instance;
struct op_list;
struct step_shape;
struct gemm_shapes;

// ---- cost/ ----
template <class T>
struct device_state;
enum class bound : std::uint8_t;
template <class T>
struct op_cost;

// ---- phases/ ----
template <class T>
struct op_breakdown;
template <class T>
struct step_result;
template <class T>
struct decode_plan;
template <class T>
struct decode_totals;
template <class T>
struct request_estimate;
struct rail_energy;
struct power_sensor;

}  // namespace edgeperf
