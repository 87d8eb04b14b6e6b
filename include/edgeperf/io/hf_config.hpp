#pragma once
/// @file
/// Loader for Hugging Face `config.json` files: reads the architecture of a
/// decoder-only checkpoint into a `model_spec`, plus its `quantization_config`
/// (AWQ / GPTQ / compressed-tensors / bitsandbytes) when present. Follows the
/// field dictionary and quirks of data/models.md:
///
/// - `num_key_value_heads` absent or null → multi-head attention (KV = H);
/// - an explicit `head_dim` wins over `hidden_size / num_attention_heads`;
/// - `text_config` (multimodal wrappers such as Gemma 3 4B+) holds the text model;
///   fields missing there fall back to the top level;
/// - `tie_word_embeddings` defaults to true (the transformers default);
/// - `rope_theta`, or `rope_parameters` / `rope_scaling` carrying `rope_theta`
///   (newer transformers; per-layer-type `full_attention` sub-objects too);
/// - family quirks keyed on `model_type`: qwen2/qwen2_moe → q/k/v biases;
///   qwen3/qwen3_moe → q/k norms; gemma2/gemma3 → 4 norms per block, GeGLU;
///   gemma3 → q/k norms; phi (Phi-2) → parallel attention + MLP, plain GELU MLP,
///   one LayerNorm per block, biases everywhere including the LM head;
/// - sliding windows from `sliding_window` + `use_sliding_window` (+ Qwen2
///   `max_window_layers`), `sliding_window_pattern` (Gemma 3) or `layer_types`;
/// - MoE fields of mixtral/gpt_oss (`num_local_experts`), qwen2_moe/qwen3_moe
///   (`num_experts`, `moe_intermediate_size`, `shared_expert_intermediate_size`,
///   `decoder_sparse_step`, `mlp_only_layers`: exact or refused) and DeepSeek
///   (`n_routed_experts`, `n_shared_experts`, `first_k_dense_replace`);
/// - DeepSeek-V2/V3 multi-head latent attention (`kv_lora_rank`, `q_lora_rank`,
///   `qk_nope_head_dim`, `qk_rope_head_dim`, `v_head_dim`);
/// - vision-language wrappers (gemma3, qwen2_5_vl): the text model plus the
///   vision tower's parameter count (`model_spec::vision_params`);
/// - every other `model_type`, a missing one, and fields that change the
///   architecture in ways `model_spec` cannot hold (state-space and
///   linear-attention layers, hybrid layer patterns, other low-rank
///   projections, other multimodal towers) are refused: `io_error` with
///   `unsupported architecture: <what>` naming the field
///   (docs/robustness.md "Architectures").
///
/// The steps are one function each (`detail::hf::read_identity`,
/// `read_shapes`, `read_block_structure`, `read_sliding_window`, `read_rope`,
/// `read_mla`, `read_moe`, `vision_tower_params`); `parse_hf_model` runs them.
/// Everything that was assumed or defaulted is listed in `hf_model::notes`
/// (front ends show them: `io::resolved_case::notes`). Malformed input throws
/// `io_error` naming the file, the field, the value and what was expected.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/io/io_error.hpp"
#include "edgeperf/io/json_file.hpp"

namespace edgeperf::io {

/// Weight quantization declared by a checkpoint's `quantization_config`.
struct hf_quantization {
  std::string method;     ///< `quant_method`: "awq", "gptq", "compressed-tensors", "bitsandbytes", ...
  int bits{0};            ///< bits per stored weight (0 = not stated)
  int group_size{0};      ///< weights per scale group; -1 = one scale per output channel; 0 = none/not stated
  bool desc_act{false};   ///< GPTQ act-order / compressed-tensors `actorder` (adds a g_idx per input row)
  bool sym{true};         ///< symmetric, no zero points (AWQ `zero_point: true` → false)

  friend bool operator==(const hf_quantization&, const hf_quantization&) = default;
};

/// A loaded checkpoint description: the architecture, its quantization (if
/// any), the storage dtype, and notes on defaults and approximations applied.
struct hf_model {
  model_spec model{};                   ///< the architecture
  std::optional<hf_quantization> quant; ///< from `quantization_config`; empty for 16-bit checkpoints
  std::vector<std::string> notes;       ///< quirks applied, defaults used, approximations made
  std::string dtype;                    ///< `torch_dtype` (newer: `dtype`), e.g. "bfloat16"; empty if absent
};

namespace detail::hf {

using json = nlohmann::json;

/// Short rendering of a JSON value for error messages.
[[nodiscard]] inline std::string show(const json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

/// Field lookup with a dotted path prefix (`text_config.`) and an optional
/// fallback object (the top level of a multimodal config). Null counts as absent.
class reader {
 public:
  reader(const json& primary, const json* fallback, std::string prefix, std::string file)
      : primary_(primary), fallback_(fallback), prefix_(std::move(prefix)), file_(std::move(file)) {}

  struct found {
    const json* value;
    std::string path;  ///< dotted path for messages
  };

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] std::string path(std::string_view key) const { return prefix_ + std::string(key); }

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw io_error(file_, field, message);
  }

  /// The non-null value of `key` (primary first, then the fallback), if any.
  [[nodiscard]] std::optional<found> get(std::string_view key) const {
    const std::string k(key);
    if (auto it = primary_.find(k); it != primary_.end() && !it->is_null())
      return found{&*it, prefix_ + k};
    if (fallback_ != nullptr) {
      if (auto it = fallback_->find(k); it != fallback_->end() && !it->is_null())
        return found{&*it, k};
    }
    return std::nullopt;
  }

  /// An integer >= `min`, or nullopt when absent.
  [[nodiscard]] std::optional<int> opt_int(std::string_view key, int min = 1) const {
    const auto f = get(key);
    if (!f) return std::nullopt;
    return as_int(*f->value, f->path, min);
  }

  /// A required integer >= `min`.
  [[nodiscard]] int req_int(std::string_view key, int min = 1) const {
    const auto v = opt_int(key, min);
    if (!v) fail(path(key), std::string("required field is missing (expected ") + expectation(min) + ")");
    return *v;
  }

  [[nodiscard]] std::optional<bool> opt_bool(std::string_view key) const {
    const auto f = get(key);
    if (!f) return std::nullopt;
    if (!f->value->is_boolean()) fail(f->path, "expected true or false, got " + show(*f->value));
    return f->value->get<bool>();
  }

  [[nodiscard]] std::optional<std::string> opt_string(std::string_view key) const {
    const auto f = get(key);
    if (!f) return std::nullopt;
    if (!f->value->is_string()) fail(f->path, "expected a string, got " + show(*f->value));
    return f->value->get<std::string>();
  }

  /// A number in (lo, hi] (lo exclusive), or nullopt when absent.
  [[nodiscard]] std::optional<double> opt_number(std::string_view key, double lo, double hi) const {
    const auto f = get(key);
    if (!f) return std::nullopt;
    return as_number(*f->value, f->path, lo, hi);
  }

  /// An object-valued field, or nullptr when absent; another type is an error.
  [[nodiscard]] const json* opt_object(std::string_view key, std::string* where = nullptr) const {
    const auto f = get(key);
    if (!f) return nullptr;
    if (!f->value->is_object()) fail(f->path, "expected an object, got " + show(*f->value));
    if (where != nullptr) *where = f->path;
    return f->value;
  }

  [[nodiscard]] static const char* expectation(int min) {
    return min >= 1 ? "a positive integer" : (min == 0 ? "a non-negative integer" : "an integer");
  }

  [[nodiscard]] int as_int(const json& v, const std::string& field, int min) const {
    const std::string want = expectation(min);
    if (!v.is_number_integer()) fail(field, "expected " + want + ", got " + show(v));
    if (v.is_number_unsigned()) {
      if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
        fail(field, "expected " + want + " below 2^31, got " + show(v));
      const int x = static_cast<int>(v.get<std::uint64_t>());
      if (x < min) fail(field, "expected " + want + ", got " + show(v));
      return x;
    }
    const std::int64_t x = v.get<std::int64_t>();
    if (x > std::numeric_limits<int>::max())
      fail(field, "expected " + want + " below 2^31, got " + show(v));
    if (x < min) fail(field, "expected " + want + ", got " + show(v));
    return static_cast<int>(x);
  }

  [[nodiscard]] double as_number(const json& v, const std::string& field, double lo,
                                 double hi) const {
    if (!v.is_number()) fail(field, "expected a number, got " + show(v));
    const double x = v.get<double>();
    if (!(x > lo && x <= hi))
      fail(field, "expected a number in (" + json(lo).dump() + ", " + json(hi).dump() +
                      "], got " + show(v));
    return x;
  }

 private:
  const json& primary_;
  const json* fallback_;
  std::string prefix_;
  std::string file_;
};

/// Number of windowed layers for pattern `p` over `layers` layers (see is_window_layer).
[[nodiscard]] inline int window_count_for(int layers, int p) {
  model_spec m{};
  m.layers = layers;
  m.sliding_window = 1;
  m.sliding_pattern = p;
  return window_layer_count(m);
}

/// Derives `sliding_pattern` from per-layer window flags. Exact when the flags
/// follow "p − 1 windowed then 1 full"; otherwise picks the pattern whose
/// windowed-layer count is closest (fewer windowed layers on ties) and adds a note.
[[nodiscard]] inline int pattern_from_flags(const std::vector<bool>& win, const std::string& what,
                                            std::vector<std::string>& notes) {
  const int n = static_cast<int>(win.size());
  int w = 0;
  for (bool b : win) w += b ? 1 : 0;
  if (w == 0) return 0;
  if (w == n) return 1;
  for (int p = 2; p <= n; ++p) {
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) ok = win[static_cast<std::size_t>(i)] == ((i % p) != p - 1);
    if (ok) return p;
  }
  // Candidates in order 0 (no window), 1 (all), 2.. ; ties keep the earlier,
  // i.e. the one with fewer windowed layers (the conservative choice for cost).
  int best = 0;
  int best_diff = w;
  for (int p = 1; p <= n; ++p) {
    const int d = std::abs(window_count_for(n, p) - w);
    if (d < best_diff) {
      best = p;
      best_diff = d;
    }
  }
  notes.push_back(what + " gives " + std::to_string(w) + " windowed layers of " +
                  std::to_string(n) +
                  " in an order model_spec cannot express; approximated as sliding_pattern " +
                  std::to_string(best) + " (" + std::to_string(window_count_for(n, best)) +
                  " windowed layers)");
  return best;
}

/// Parses `quantization_config`.
[[nodiscard]] inline hf_quantization parse_quantization(const json& q, const std::string& file,
                                                        std::vector<std::string>& notes) {
  const reader r(q, nullptr, "quantization_config.", file);
  hf_quantization out;
  const auto method = r.opt_string("quant_method");
  out.method = method ? *method : std::string();
  if (out.method == "awq" || (!method && r.get("w_bit"))) {
    if (!method) {
      out.method = "awq";
      notes.push_back("quantization_config without quant_method but with w_bit: read as AWQ");
    }
    // Newer AWQ configs say bits/group_size; older quant_config.json w_bit/q_group_size.
    const auto bits = r.get("bits") ? r.opt_int("bits") : r.opt_int("w_bit");
    const auto group = r.get("group_size") ? r.opt_int("group_size", -1) : r.opt_int("q_group_size", -1);
    if (!bits) r.fail(r.path("bits"), "required field is missing (expected a positive integer)");
    out.bits = *bits;
    out.group_size = group ? *group : 0;
    out.sym = !r.opt_bool("zero_point").value_or(true);
    out.desc_act = false;
  } else if (out.method == "gptq") {
    out.bits = r.req_int("bits");
    const auto group = r.opt_int("group_size", -1);
    out.group_size = group ? *group : 0;
    out.desc_act = r.opt_bool("desc_act").value_or(false);
    out.sym = r.opt_bool("sym").value_or(true);
  } else if (out.method == "compressed-tensors") {
    std::string groups_path;
    const json* groups = r.opt_object("config_groups", &groups_path);
    if (groups == nullptr || groups->empty())
      r.fail(r.path("config_groups"), "required field is missing (expected an object of quantization groups)");
    if (groups->size() > 1)
      notes.push_back("compressed-tensors config has " + std::to_string(groups->size()) +
                      " config_groups; the first one is used");
    const auto first = groups->begin();  // items() proxies would dangle here
    const std::string gname = first.key();
    const json& g = first.value();
    const std::string gpath = groups_path + "." + gname;
    if (!g.is_object()) r.fail(gpath, "expected an object, got " + show(g));
    const reader gr(g, nullptr, gpath + ".", file);
    std::string wpath;
    const json* w = gr.opt_object("weights", &wpath);
    if (w == nullptr) {
      out.bits = 16;
      notes.push_back("compressed-tensors group '" + gname + "' leaves weights unquantized");
    } else {
      const reader wr(*w, nullptr, wpath + ".", file);
      out.bits = wr.req_int("num_bits");
      const auto strategy = wr.opt_string("strategy").value_or("group");
      const auto group = wr.opt_int("group_size", -1);
      if (strategy == "channel")
        out.group_size = -1;
      else if (strategy == "tensor")
        out.group_size = 0;
      else
        out.group_size = group ? *group : 0;
      out.sym = wr.opt_bool("symmetric").value_or(true);
      if (const auto ao = wr.get("actorder")) {
        if (ao->value->is_boolean())
          out.desc_act = ao->value->get<bool>();
        else if (ao->value->is_string())
          out.desc_act = true;  // "group" or "weight"
        else
          wr.fail(ao->path, "expected a string, true/false or null, got " + show(*ao->value));
      }
    }
    if (gr.get("input_activations"))
      notes.push_back("compressed-tensors group '" + gname +
                      "' also quantizes activations (W8A8-style)");
  } else if (out.method == "bitsandbytes") {
    const bool b4 = r.opt_bool("load_in_4bit").value_or(false);
    const bool b8 = r.opt_bool("load_in_8bit").value_or(false);
    out.bits = b4 ? 4 : (b8 ? 8 : 0);
    out.group_size = 0;
    notes.push_back("bitsandbytes: block size is not stated in the config (group_size 0)");
  } else {
    out.bits = r.opt_int("bits").value_or(0);
    const auto group = r.opt_int("group_size", -1);
    out.group_size = group ? *group : 0;
    notes.push_back("quantization method '" + out.method +
                    "' is not interpreted beyond bits/group_size");
  }
  if (out.bits > 32) r.fail(r.path("bits"), "expected at most 32 bits, got " + std::to_string(out.bits));
  return out;
}

/// Whether `s` is one of `set`.
[[nodiscard]] inline bool one_of(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view x : set)
    if (s == x) return true;
  return false;
}

/// What the loader knows about a `model_type` (the family rules of the file comment).
struct family {
  std::string type;
  bool qwen2{false}, qwen3{false}, phi2{false}, gemma1{false}, gemma2{false}, gemma3{false};
  bool deepseek{false};  ///< deepseek_v2 / deepseek_v3: MLA + routed/shared experts
  bool gpt_oss{false};   ///< expert and router biases, attention sinks
  bool qwen2_5_vl{false};  ///< text fields at the top level + a vision_config
};

/// The model types edgeperf models, and for the ones it refuses, why.
[[nodiscard]] inline family classify(const std::string& type) {
  family f;
  f.type = type;
  f.qwen2 = one_of(type, {"qwen2", "qwen2_moe", "qwen2_5_vl", "qwen2_5_vl_text"});
  f.qwen3 = one_of(type, {"qwen3", "qwen3_moe"});
  f.phi2 = type == "phi";
  f.gemma1 = type == "gemma";
  f.gemma2 = type == "gemma2";
  f.gemma3 = one_of(type, {"gemma3", "gemma3_text"});
  f.deepseek = one_of(type, {"deepseek_v2", "deepseek_v3"});
  f.gpt_oss = type == "gpt_oss";
  f.qwen2_5_vl = one_of(type, {"qwen2_5_vl", "qwen2_5_vl_text"});
  return f;
}

/// Model types that are refused with the reason: the families of
/// docs/robustness.md "Architectures" that edgeperf does not model.
[[nodiscard]] inline std::string refused_family_reason(std::string_view type) {
  if (one_of(type, {"mamba", "mamba2", "falcon_mamba", "nemotron_h", "jamba", "falcon_h1",
                    "zamba", "zamba2", "bamba", "granitemoehybrid", "plamo2", "lfm2"}))
    return "state-space / hybrid layers (recurrent state instead of a KV cache) are not modelled";
  if (one_of(type, {"qwen3_next", "rwkv", "recurrent_gemma", "minimax", "minimax_m1"}))
    return "linear-attention / recurrent layers are not modelled";
  if (one_of(type, {"llava", "llava_next", "llava_onevision", "idefics2", "idefics3", "smolvlm",
                    "mllama", "qwen2_vl", "paligemma", "pixtral", "internvl", "internvl_chat",
                    "phi4_multimodal", "gemma3n", "llama4", "mistral3", "kimi_vl"}))
    return "this vision-language / multimodal wrapper is not modelled (modelled: gemma3, qwen2_5_vl)";
  return "edgeperf models llama, mistral, mixtral, phi, phi3, gemma, gemma2, gemma3(_text), qwen2, "
         "qwen2_moe, qwen2_5_vl, qwen3, qwen3_moe, gpt_oss, deepseek_v2 and deepseek_v3";
}

/// Throws `unsupported architecture: <what>` for the field `field` of `file`.
[[noreturn]] inline void refuse(const std::string& file, const std::string& field,
                                const std::string& what) {
  throw io_error(file, field, "unsupported architecture: " + what);
}

/// Refuses fields that change the architecture in ways `model_spec` cannot
/// describe, wherever they appear (top level or text_config): low-rank
/// attention outside DeepSeek, state-space and linear-attention layers,
/// hybrid layer patterns, and multimodal towers other than the modelled ones.
inline void refuse_unmodelled_fields(const json& obj, const std::string& prefix,
                                     const family& fam, const std::string& file) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& k = it.key();
    if (it->is_null()) continue;
    const std::string where = prefix + k;
    const auto ends_with = [&](std::string_view suf) {
      return k.size() >= suf.size() && k.compare(k.size() - suf.size(), suf.size(), suf) == 0;
    };
    const auto starts_with = [&](std::string_view pre) { return k.rfind(pre, 0) == 0; };
    if (ends_with("_lora_rank") && !(fam.deepseek && (k == "kv_lora_rank" || k == "q_lora_rank")))
      refuse(file, where, "low-rank (latent) projection '" + k + "' is modelled only for deepseek_v2/v3");
    if ((starts_with("ssm_") || starts_with("mamba_") || k == "ssm_cfg" || starts_with("linear_num_") ||
         starts_with("linear_key_") || starts_with("linear_value_") || starts_with("linear_conv_")) )
      refuse(file, where, "state-space / linear-attention field '" + k + "' (recurrent layers are not modelled)");
    if (one_of(k, {"hybrid_override_pattern", "attn_layer_period", "attn_layer_offset",
                   "full_attention_interval", "layers_block_type", "attn_layer_idx",
                   "full_attn_idxs", "block_types"}))
      refuse(file, where, "hybrid layer pattern '" + k + "' (non-attention layers are not modelled)");
    if (one_of(k, {"expert_layer_period", "expert_layer_offset"}))
      refuse(file, where, "per-layer expert pattern '" + k + "' is not modelled");
    if (one_of(k, {"audio_config", "speech_config", "vision_tower", "mm_projector_type",
                   "cross_attention_layers", "perceiver_config"}))
      refuse(file, where, "multimodal component '" + k + "' is not modelled");
    if (k == "vision_config" && !(fam.gemma3 || fam.qwen2_5_vl))
      refuse(file, where, "vision tower of model_type '" + fam.type + "' is not modelled");
    if (one_of(k, {"n_routed_experts", "n_shared_experts", "first_k_dense_replace"}) && !fam.deepseek)
      refuse(file, where, "DeepSeek-style MoE field '" + k + "' outside deepseek_v2/v3");
  }
}

/// Reads the identity: id (from `_name_or_path`, else `default_id`, else the
/// file), family and storage dtype.
inline void read_identity(const json& top, const reader& r, std::string_view default_id,
                          hf_model& out) {
  const reader t(top, nullptr, "", r.file());
  const auto name = t.opt_string("_name_or_path");
  const std::string id = (name && !name->empty())
                             ? *name
                             : (!default_id.empty() ? std::string(default_id) : r.file());
  // Truncation to the fixed-size name keeps whole UTF-8 characters (half of
  // one would make JSON output of the id throw).
  const auto utf8_name = [](std::string_view s) {
    std::size_t n = std::min<std::size_t>(s.size(), 47);
    if (n < s.size())
      while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return name_string(s.substr(0, n));
  };
  out.model.id = utf8_name(id);
  if (id.size() > 47) out.notes.push_back("model id '" + id + "' truncated to 47 characters");
  out.model.family = utf8_name(r.opt_string("model_type").value_or(""));
  if (auto d = r.opt_string("torch_dtype")) out.dtype = *d;
  else if (auto d2 = r.opt_string("dtype")) out.dtype = *d2;
}

/// Layers, widths, heads, vocabulary, context, tied embeddings.
inline void read_shapes(const reader& r, const family& fam, hf_model& out) {
  model_spec& m = out.model;
  auto& notes = out.notes;
  m.layers = r.req_int("num_hidden_layers");
  m.hidden = r.req_int("hidden_size");
  m.heads = r.req_int("num_attention_heads");
  if (const auto kv = r.opt_int("num_key_value_heads")) {
    if (*kv > m.heads)
      r.fail(r.path("num_key_value_heads"),
             "expected at most num_attention_heads (" + std::to_string(m.heads) + "), got " +
                 std::to_string(*kv));
    if (m.heads % *kv != 0)
      r.fail(r.path("num_key_value_heads"),
             "num_attention_heads (" + std::to_string(m.heads) +
                 ") must be divisible by num_key_value_heads, got " + std::to_string(*kv));
    m.kv_heads = *kv;
  } else {
    m.kv_heads = m.heads;
    notes.push_back("num_key_value_heads absent or null: multi-head attention (KV heads = " +
                    std::to_string(m.heads) + ")");
  }
  if (fam.deepseek) {
    m.head_dim = 0;  // set by read_mla
  } else if (const auto hd = r.opt_int("head_dim")) {
    m.head_dim = *hd;
  } else {
    if (m.hidden % m.heads != 0)
      r.fail(r.path("num_attention_heads"),
             "hidden_size (" + std::to_string(m.hidden) + ") is not divisible by " +
                 std::to_string(m.heads) + " heads and no head_dim is given");
    m.head_dim = m.hidden / m.heads;
  }
  m.ffn = r.req_int("intermediate_size");
  m.vocab = r.req_int("vocab_size");
  if (const auto ctx = r.opt_int("max_position_embeddings")) {
    m.max_context = *ctx;
  } else {
    m.max_context = 0;
    notes.push_back("max_position_embeddings absent: max_context 0 (unknown)");
  }
  if (const auto tie = r.opt_bool("tie_word_embeddings")) {
    m.tied_embeddings = *tie;
  } else {
    m.tied_embeddings = true;
    notes.push_back("tie_word_embeddings absent: tied (transformers default)");
  }
}

/// Biases, norms and MLP form by family.
inline void read_block_structure(const reader& r, const family& fam, hf_model& out) {
  model_spec& m = out.model;
  const bool attn_bias = r.opt_bool("attention_bias").value_or(false);
  m.mlp = fam.phi2 ? mlp_kind::plain : mlp_kind::gated;
  m.norm = fam.phi2 ? norm_kind::layer : norm_kind::rms;
  m.qkv_bias = fam.qwen2 || fam.phi2 || attn_bias;
  m.o_bias = fam.phi2 || (attn_bias && !fam.qwen2);  // qwen2 hard-codes q/k/v bias only
  m.mlp_bias = fam.phi2 || fam.gpt_oss || r.opt_bool("mlp_bias").value_or(false);
  m.lm_head_bias = fam.phi2;
  m.parallel_attn_mlp = fam.phi2;
  m.qk_norm = fam.qwen3 || fam.gemma3;
  if (fam.phi2 && r.opt_bool("qk_layernorm").value_or(false)) {
    m.qk_norm = true;
    out.notes.push_back(
        "phi qk_layernorm: counted as q/k norms over head_dim (LayerNorm biases ignored)");
  }
  m.norms_per_layer = fam.phi2 ? 1 : ((fam.gemma2 || fam.gemma3) ? 4 : 2);
  if (fam.gpt_oss)
    out.notes.push_back("gpt_oss: the per-head attention-sink logits (heads × layers "
                        "parameters) are not counted; expert and router biases are");
}

/// Per-layer window flags from `layer_types`: true = sliding_attention. Any
/// other entry than sliding/full attention is an architecture edgeperf does
/// not model and is refused.
[[nodiscard]] inline std::vector<bool> window_flags_from_layer_types(const reader& r,
                                                                     const reader::found& lt,
                                                                     int layers) {
  const json& arr = *lt.value;
  if (!arr.is_array() || static_cast<int>(arr.size()) != layers)
    r.fail(lt.path, "expected a list of " + std::to_string(layers) +
                        " layer types (one per layer), got " +
                        (arr.is_array() ? "a list of " + std::to_string(arr.size()) : show(arr)));
  std::vector<bool> win(static_cast<std::size_t>(layers), false);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string where = lt.path + "[" + std::to_string(i) + "]";
    if (!arr[i].is_string()) r.fail(where, "expected a string, got " + show(arr[i]));
    const auto s = arr[i].get<std::string>();
    if (s != "sliding_attention" && s != "full_attention")
      refuse(r.file(), where,
             "layer type '" + s + "' (modelled: sliding_attention, full_attention)");
    win[i] = s == "sliding_attention";
  }
  return win;
}

/// Sliding windows: `layer_types`, `sliding_window_pattern`, Qwen2's
/// `max_window_layers`, or a window on every layer.
inline void read_sliding_window(const reader& r, const family& fam, hf_model& out) {
  model_spec& m = out.model;
  auto& notes = out.notes;
  std::vector<bool> win(static_cast<std::size_t>(m.layers), false);
  std::string how;
  auto window = r.opt_int("sliding_window", 0);
  if (window && *window == 0) window.reset();  // 0 reads as "no window"
  if (const auto lt = r.get("layer_types")) {
    win = window_flags_from_layer_types(r, *lt, m.layers);
    how = "layer_types";
  } else if (window) {
    const bool use = r.opt_bool("use_sliding_window").value_or(!(fam.qwen2 || fam.qwen3));
    if (use) {
      const auto pat = r.get("sliding_window_pattern") ? r.opt_int("sliding_window_pattern")
                                                        : r.opt_int("_sliding_window_pattern");
      int p = 0;
      if (pat) {
        p = *pat;
      } else if (fam.gemma3) {
        p = 6;
        notes.push_back("sliding_window_pattern absent: Gemma 3 default 6 (5 windowed + 1 full)");
      } else if (fam.gemma2) {
        p = 2;
        notes.push_back("Gemma 2: windowed and full layers alternate (sliding_pattern 2)");
      }
      if (p > 0) {
        for (int i = 0; i < m.layers; ++i)
          win[static_cast<std::size_t>(i)] = p == 1 || (i % p) != p - 1;
        how = "sliding_window_pattern";
      } else if (fam.qwen2 || fam.qwen3) {
        // Qwen2: layers at index >= max_window_layers use the window.
        const int first = r.opt_int("max_window_layers", 0).value_or(m.layers);
        for (int i = first; i < m.layers; ++i) win[static_cast<std::size_t>(i)] = true;
        how = "max_window_layers";
      } else {
        std::fill(win.begin(), win.end(), true);
        how = "sliding_window";
      }
    }
  }
  m.sliding_pattern = pattern_from_flags(win, how, notes);
  if (m.sliding_pattern > 0) {
    if (!window)
      r.fail(r.path("sliding_window"),
             "required field is missing (" + how + " asks for windowed layers)");
    m.sliding_window = *window;
    if (m.max_context > 0 && m.sliding_window >= m.max_context) {
      notes.push_back("sliding_window " + std::to_string(m.sliding_window) +
                      " >= max_position_embeddings: no layer is windowed");
      m.sliding_window = 0;
      m.sliding_pattern = 0;
    }
  } else {
    m.sliding_window = 0;
  }
}

/// RoPE base and the rotated fraction of each head.
inline void read_rope(const reader& r, const family& fam, hf_model& out) {
  model_spec& m = out.model;
  std::optional<double> theta = r.opt_number("rope_theta", 0.0, 1e12);
  const json* rope_obj = nullptr;
  std::string rope_path;
  for (const char* key : {"rope_parameters", "rope_scaling"}) {
    std::string where;
    const json* o = r.opt_object(key, &where);
    if (o == nullptr) continue;
    if (rope_obj == nullptr) {
      rope_obj = o;
      rope_path = where;
    }
    if (!theta) {
      // Per-layer-type parameters (Gemma 3 in newer transformers): use the full-attention one.
      const json* src = o;
      std::string src_path = where;
      if (auto fa = o->find("full_attention"); fa != o->end() && fa->is_object()) {
        src = &*fa;
        src_path += ".full_attention";
      }
      const reader rr(*src, nullptr, src_path + ".", r.file());
      theta = rr.opt_number("rope_theta", 0.0, 1e12);
    }
  }
  if (theta) {
    m.rope_theta = *theta;
  } else {
    m.rope_theta = 10000.0;
    out.notes.push_back("rope_theta absent: 10000 assumed (no effect on cost)");
  }
  std::optional<double> prf = r.opt_number("partial_rotary_factor", 0.0, 1.0);
  if (!prf && rope_obj != nullptr)
    prf = reader(*rope_obj, nullptr, rope_path + ".", r.file())
              .opt_number("partial_rotary_factor", 0.0, 1.0);
  if (!prf && fam.phi2) {
    prf = 0.5;
    out.notes.push_back("partial_rotary_factor absent: PhiConfig default 0.5");
  }
  m.partial_rotary = prf.value_or(1.0);
}

/// `mlp_only_layers` (qwen2_moe/qwen3_moe): the listed layers keep the dense
/// MLP. Read exactly when the dense layers are the first k (`first_dense`) or
/// every layer off a `sparse_step` grid; any other set is refused.
inline void read_mlp_only_layers(const reader& r, model_spec& m, std::vector<std::string>& notes) {
  const auto ml = r.get("mlp_only_layers");
  if (!ml) return;
  const json& arr = *ml->value;
  if (!arr.is_array()) r.fail(ml->path, "expected a list of layer indices, got " + show(arr));
  std::vector<bool> dense(static_cast<std::size_t>(m.layers), false);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string where = ml->path + "[" + std::to_string(i) + "]";
    const int li = r.as_int(arr[i], where, 0);
    if (li >= m.layers)
      r.fail(where, "expected a layer index below num_hidden_layers (" + std::to_string(m.layers) +
                        "), got " + std::to_string(li));
    dense[static_cast<std::size_t>(li)] = true;
  }
  if (arr.empty()) return;
  std::vector<bool> moe(static_cast<std::size_t>(m.layers));
  for (int i = 0; i < m.layers; ++i)
    moe[static_cast<std::size_t>(i)] = is_moe_layer(m, i) && !dense[static_cast<std::size_t>(i)];
  // Candidates: a step s (MoE on (i + 1) % s == 0) with the first k layers dense.
  model_spec c = m;
  for (int s = 1; s <= m.layers; ++s) {
    for (int k = 0; k <= m.layers; ++k) {
      c.moe.sparse_step = s;
      c.moe.first_dense = k;
      bool same = true;
      for (int i = 0; i < m.layers && same; ++i)
        same = is_moe_layer(c, i) == moe[static_cast<std::size_t>(i)];
      if (same) {
        m.moe.sparse_step = s;
        m.moe.first_dense = k;
        notes.push_back("mlp_only_layers read exactly as decoder_sparse_step " + std::to_string(s) +
                        " with " + std::to_string(k) + " dense first layers (" +
                        std::to_string(moe_layer_count(m)) + " MoE layers)");
        return;
      }
    }
  }
  refuse(r.file(), ml->path,
         "mlp_only_layers lists dense layers in an order model_spec cannot express (it "
         "marks MoE layers by a step and a number of dense first layers)");
}

/// Routed and shared experts: mixtral / gpt_oss (`num_local_experts`),
/// qwen2_moe / qwen3_moe (`num_experts`, ...), DeepSeek (`n_routed_experts`,
/// `n_shared_experts`, `first_k_dense_replace`, `moe_layer_freq`).
inline void read_moe(const reader& r, const family& fam, hf_model& out) {
  model_spec& m = out.model;
  std::string experts_field;
  if (fam.deepseek) {
    if (const auto e = r.opt_int("n_routed_experts", 0); e && *e > 0) {
      m.moe.experts = *e;
      m.moe.expert_ffn = r.req_int("moe_intermediate_size");
      // n_shared_experts experts of moe_intermediate_size, always on: one MLP of
      // the summed width (same weights, same FLOPs).
      const int shared = r.opt_int("n_shared_experts", 0).value_or(0);
      if (static_cast<std::int64_t>(shared) * m.moe.expert_ffn > std::numeric_limits<int>::max())
        r.fail(r.path("n_shared_experts"), "expected n_shared_experts × moe_intermediate_size "
                                           "below 2^31, got " + std::to_string(shared));
      m.moe.shared_ffn = shared * m.moe.expert_ffn;
      m.moe.first_dense = r.opt_int("first_k_dense_replace", 0).value_or(0);
      if (m.moe.first_dense > m.layers)
        r.fail(r.path("first_k_dense_replace"),
               "expected at most num_hidden_layers (" + std::to_string(m.layers) + "), got " +
                   std::to_string(m.moe.first_dense));
      if (const auto freq = r.opt_int("moe_layer_freq"); freq && *freq != 1)
        refuse(r.file(), r.path("moe_layer_freq"),
               "moe_layer_freq " + std::to_string(*freq) + " (modelled: 1, every layer after "
               "first_k_dense_replace)");
      const auto method = r.opt_string("topk_method").value_or("");
      m.moe.router_bias = method == "noaux_tc";  // e_score_correction_bias
      experts_field = "n_routed_experts";
    }
  } else if (const auto e = r.opt_int("num_local_experts", 0); e && *e > 0) {
    m.moe.experts = *e;
    m.moe.expert_ffn = m.ffn;  // mixtral / gpt_oss: every expert has intermediate_size
    m.moe.router_bias = fam.gpt_oss;
    experts_field = "num_local_experts";
  } else if (const auto e2 = r.opt_int("num_experts", 0); e2 && *e2 > 0) {
    m.moe.experts = *e2;
    m.moe.expert_ffn = r.req_int("moe_intermediate_size");
    m.moe.shared_ffn = r.opt_int("shared_expert_intermediate_size", 0).value_or(0);
    m.moe.shared_expert_gate = m.moe.shared_ffn > 0 && fam.type == "qwen2_moe";
    m.moe.sparse_step = r.opt_int("decoder_sparse_step").value_or(1);
    experts_field = "num_experts";
  }
  if (!m.moe.enabled()) return;
  m.moe.top_k = r.req_int("num_experts_per_tok");
  if (m.moe.top_k > m.moe.experts)
    r.fail(r.path("num_experts_per_tok"),
           "expected at most " + experts_field + " (" + std::to_string(m.moe.experts) + "), got " +
               std::to_string(m.moe.top_k));
  if (!fam.deepseek) read_mlp_only_layers(r, m, out.notes);
}

/// Multi-head latent attention (deepseek_v2 / deepseek_v3).
inline void read_mla(const reader& r, hf_model& out) {
  model_spec& m = out.model;
  m.mla.kv_lora_rank = r.req_int("kv_lora_rank");
  m.mla.q_lora_rank = r.opt_int("q_lora_rank").value_or(0);  // null: a plain q_proj (V2-Lite)
  m.mla.qk_nope_head_dim = r.req_int("qk_nope_head_dim");
  m.mla.qk_rope_head_dim = r.req_int("qk_rope_head_dim");
  m.mla.v_head_dim = r.req_int("v_head_dim");
  if (m.kv_heads != m.heads)
    r.fail(r.path("num_key_value_heads"),
           "expected num_attention_heads (" + std::to_string(m.heads) +
               ") with multi-head latent attention, got " + std::to_string(m.kv_heads));
  m.head_dim = m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim;
  m.partial_rotary = 1.0;  // the RoPE part is its own width (qk_rope_head_dim)
  out.notes.push_back(
      "multi-head latent attention: cache of kv_lora_rank + qk_rope_head_dim = " +
      std::to_string(m.mla.kv_lora_rank + m.mla.qk_rope_head_dim) +
      " elements per token and layer; prefill unabsorbed, decode absorbed");
  if (const auto mtp = r.opt_int("num_nextn_predict_layers", 0); mtp && *mtp > 0)
    out.notes.push_back("num_nextn_predict_layers " + std::to_string(*mtp) +
                        ": the multi-token-prediction module is not counted (transformers does "
                        "not load it; it is used only for speculative decoding)");
}

/// Parameters of a vision tower (with its projector into the text model),
/// from `vision_config`: Qwen2.5-VL's ViT (qwen2_5_vl) or Gemma 3's SigLIP
/// (gemma3). Formulas in data/hf-configs/beyond-dense/README.md and
/// docs/model.md "Vision tower".
[[nodiscard]] inline std::int64_t vision_tower_params(const json& top, const family& fam,
                                                      int text_hidden, const std::string& file) {
  // The wrapper's model_type (top level) says which tower it is; the text
  // model's family only decides when there is no wrapper type.
  std::string wrapper = fam.type;
  if (auto t = top.find("model_type"); t != top.end() && t->is_string()) wrapper = t->get<std::string>();
  const bool qwen_vit = one_of(wrapper, {"qwen2_5_vl", "qwen2_5_vl_text"});
  const auto v = top.find("vision_config");
  if (v == top.end() || v->is_null()) return 0;
  if (!v->is_object()) throw io_error(file, "vision_config", "expected an object, got " + show(*v));
  const reader r(*v, nullptr, "vision_config.", file);
  if (qwen_vit) {
    const std::int64_t h = r.req_int("hidden_size");
    const std::int64_t ffn = r.req_int("intermediate_size");
    const std::int64_t depth = r.req_int("depth");
    const std::int64_t patch = r.req_int("patch_size");
    const std::int64_t tp = r.opt_int("temporal_patch_size").value_or(2);
    const std::int64_t ch = r.opt_int("in_chans").value_or(3);
    const std::int64_t merge = r.opt_int("spatial_merge_size").value_or(2);
    const std::int64_t out_h = r.opt_int("out_hidden_size").value_or(text_hidden);
    const std::int64_t block = 2 * h                       // two RMSNorms
                               + h * 3 * h + 3 * h          // qkv with bias
                               + h * h + h                  // proj with bias
                               + 2 * (h * ffn + ffn)        // SwiGLU gate, up
                               + ffn * h + h;               // down
    const std::int64_t mh = h * merge * merge;
    const std::int64_t merger = h + mh * mh + mh + mh * out_h + out_h;
    return ch * tp * patch * patch * h + depth * block + merger;
  }
  if (wrapper != "gemma3")
    refuse(file, "vision_config", "vision tower of model_type '" + wrapper + "' is not modelled");
  // Gemma 3: SigLIP (LayerNorms with bias, q/k/v/o and fc1/fc2 with bias, learned
  // position embedding) + the projector: RMSNorm over the vision width and a
  // vision_hidden × text_hidden matrix.
  const std::int64_t h = r.req_int("hidden_size");
  const std::int64_t ffn = r.req_int("intermediate_size");
  const std::int64_t depth = r.req_int("num_hidden_layers");
  const std::int64_t patch = r.req_int("patch_size");
  const std::int64_t image = r.req_int("image_size");
  const std::int64_t ch = r.opt_int("num_channels").value_or(3);
  if (r.opt_bool("vision_use_head").value_or(false))
    refuse(file, "vision_config.vision_use_head", "SigLIP attention-pooling head is not modelled");
  const std::int64_t positions = (image / patch) * (image / patch);
  const std::int64_t block = 2 * 2 * h + 4 * (h * h + h) + (h * ffn + ffn) + (ffn * h + h);
  return ch * patch * patch * h + h + positions * h + depth * block + 2 * h + h +
         h * static_cast<std::int64_t>(text_hidden);
}

}  // namespace detail::hf

/// Parses a Hugging Face config (already read as JSON) into an `hf_model`.
/// `source_name` names the input in errors (file path or label); the model id
/// is `_name_or_path` when present, else `default_id` (else `source_name`).
/// Throws `io_error` for a missing required field, a wrong type, a
/// non-positive size, heads not divisible by KV heads, and similar, and
/// `unsupported architecture: <what>` (naming the field) for a model_type or
/// field edgeperf does not model (docs/robustness.md "Architectures").
[[nodiscard]] inline hf_model parse_hf_model(const nlohmann::json& j, std::string_view source_name,
                                             std::string_view default_id = {}) {
  namespace hf = detail::hf;
  using json = nlohmann::json;
  const std::string file(source_name);
  if (!j.is_object())
    throw io_error(file, "", "expected a JSON object at the top level, got " + hf::show(j));

  hf_model out;
  // Multimodal wrappers: the text model lives under text_config.
  const json* text = &j;
  const json* fallback = nullptr;
  std::string prefix;
  if (auto it = j.find("text_config"); it != j.end() && !it->is_null()) {
    if (!it->is_object())
      throw io_error(file, "text_config", "expected an object, got " + hf::show(*it));
    text = &*it;
    fallback = &j;
    prefix = "text_config.";
    out.notes.push_back("text model read from text_config");
  }
  const hf::reader r(*text, fallback, prefix, file);

  // Architecture first: refuse what is not modelled before reading any size.
  const auto type = r.opt_string("model_type");
  if (!type || type->empty())
    hf::refuse(file, r.path("model_type"),
               "no model_type (the architecture cannot be told; " +
                   hf::refused_family_reason("") + ")");
  const hf::family fam = hf::classify(*type);
  const bool known = fam.qwen2 || fam.qwen3 || fam.phi2 || fam.gemma1 || fam.gemma2 ||
                     fam.gemma3 || fam.deepseek || fam.gpt_oss ||
                     hf::one_of(*type, {"llama", "mistral", "mixtral", "phi3"});
  if (!known)
    hf::refuse(file, r.get("model_type")->path,
               "model_type '" + *type + "': " + hf::refused_family_reason(*type));
  if (fallback != nullptr) {  // a wrapper: its own model_type must be a modelled one
    const hf::reader top(j, nullptr, "", file);
    if (const auto wt = top.opt_string("model_type");
        wt && !hf::one_of(*wt, {"gemma3", "qwen2_5_vl"}) && *wt != *type)
      hf::refuse(file, "model_type",
                 "model_type '" + *wt + "' (wrapper of a '" + *type + "' text model): " +
                     hf::refused_family_reason(*wt));
  }
  hf::refuse_unmodelled_fields(*text, prefix, fam, file);
  if (fallback != nullptr) hf::refuse_unmodelled_fields(*fallback, "", fam, file);

  hf::read_identity(j, r, default_id, out);
  hf::read_shapes(r, fam, out);
  hf::read_block_structure(r, fam, out);
  hf::read_sliding_window(r, fam, out);
  hf::read_rope(r, fam, out);
  if (fam.deepseek) hf::read_mla(r, out);
  hf::read_moe(r, fam, out);

  // Vision tower: weights in memory; text-only cost.
  out.model.vision_params = hf::vision_tower_params(j, fam, out.model.hidden, file);
  if (out.model.vision_params > 0)
    out.notes.push_back("vision tower: " + std::to_string(out.model.vision_params) +
                        " parameters held in memory (16-bit); estimates are for text-only "
                        "prompts (image tokens are not costed)");

  if (auto it = j.find("quantization_config"); it != j.end() && !it->is_null()) {
    if (!it->is_object())
      throw io_error(file, "quantization_config", "expected an object, got " + hf::show(*it));
    out.quant = hf::parse_quantization(*it, file, out.notes);
  }
  return out;
}


/// Parses a Hugging Face config into a `model_spec` (see `parse_hf_model`);
/// the id is `_name_or_path` when present, else `source_name`.
[[nodiscard]] inline model_spec parse_hf_config(const nlohmann::json& j,
                                                std::string_view source_name) {
  return parse_hf_model(j, source_name).model;
}

/// Reads and parses a `config.json` file (or `<dir>/config.json` when `path`
/// is a directory). The model id is `_name_or_path` when present, else the
/// name of the file's parent directory. Throws `io_error` when the file cannot
/// be read, is not valid JSON (the message gives the parser's byte position),
/// or does not describe a model (see `parse_hf_model`).
[[nodiscard]] inline hf_model load_hf_model(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path p = path;
  if (std::filesystem::is_directory(p, ec)) p /= "config.json";
  const std::string file = p.string();
  // io_error for a missing, unreadable or huge file and for every parser error
  // (syntax, invalid UTF-8, number overflow such as 1e999).
  const nlohmann::json j = io::parse_json_text(io::read_input_file(p), file);
  std::string dir = p.parent_path().filename().string();
  if (dir.empty()) dir = p.stem().string();
  return parse_hf_model(j, file, dir);
}

/// Reads a `config.json` into a `model_spec` (see `load_hf_model`).
[[nodiscard]] inline model_spec load_hf_config(const std::filesystem::path& path) {
  return load_hf_model(path).model;
}

}  // namespace edgeperf::io
