// Tests for the Hugging Face config.json loader: every hand-written config under
// tests/data/hf/<catalog-id>/ loads to exactly the catalog spec; quirks
// (text_config nesting, rope_parameters, layer_types, MoE fields, unknown
// model types) are read as documented; quantization_config is parsed; and
// malformed files fail with an error naming the file and the field.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "edgeperf/accounting/memory.hpp"
#include "edgeperf/accounting/params.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/io/hf_config.hpp"
#include "edgeperf/io/resolve.hpp"
#include "edgeperf/io/io_error.hpp"

namespace ep = edgeperf;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

const fs::path kData = fs::path(EDGEPERF_SOURCE_DIR) / "tests" / "data" / "hf";

/// `m` with the id of `ref`, so that operator== compares everything else.
ep::model_spec with_id(ep::model_spec m, const ep::model_spec& ref) {
  m.id = ref.id;
  return m;
}

/// The message of the io_error thrown by `f`; fails the test if none is thrown.
template <class F>
ep::io::io_error expect_io_error(F&& f) {
  try {
    f();
  } catch (const ep::io::io_error& e) {
    return e;
  }
  FAIL("no io_error thrown");
  return ep::io::io_error("", "", "");
}

/// A minimal valid Llama-like config to derive variants from.
json llama_like() {
  return json{{"model_type", "llama"},         {"hidden_size", 2048},
              {"intermediate_size", 8192},     {"num_hidden_layers", 16},
              {"num_attention_heads", 32},     {"num_key_value_heads", 8},
              {"vocab_size", 128256},          {"max_position_embeddings", 131072},
              {"tie_word_embeddings", true},   {"rope_theta", 500000.0}};
}

}  // namespace

TEST_CASE("each hand-written config.json loads to its catalog spec", "[io][hf_config]") {
  for (const ep::model_spec& ref : ep::model_catalog()) {
    const fs::path file = kData / std::string(ref.id.view()) / "config.json";
    CAPTURE(file.string());
    REQUIRE(fs::exists(file));
    const ep::io::hf_model h = ep::io::load_hf_model(file);
    const ep::model_spec& m = h.model;
    // Field-by-field first, so that a mismatch says which field.
    CHECK(m.family == ref.family);
    CHECK(m.layers == ref.layers);
    CHECK(m.hidden == ref.hidden);
    CHECK(m.heads == ref.heads);
    CHECK(m.kv_heads == ref.kv_heads);
    CHECK(m.head_dim == ref.head_dim);
    CHECK(m.ffn == ref.ffn);
    CHECK(m.vocab == ref.vocab);
    CHECK(m.max_context == ref.max_context);
    CHECK(m.mlp == ref.mlp);
    CHECK(m.norm == ref.norm);
    CHECK(m.tied_embeddings == ref.tied_embeddings);
    CHECK(m.qkv_bias == ref.qkv_bias);
    CHECK(m.o_bias == ref.o_bias);
    CHECK(m.mlp_bias == ref.mlp_bias);
    CHECK(m.lm_head_bias == ref.lm_head_bias);
    CHECK(m.parallel_attn_mlp == ref.parallel_attn_mlp);
    CHECK(m.qk_norm == ref.qk_norm);
    CHECK(m.norms_per_layer == ref.norms_per_layer);
    CHECK(m.sliding_window == ref.sliding_window);
    CHECK(m.sliding_pattern == ref.sliding_pattern);
    CHECK(m.rope_theta == ref.rope_theta);
    CHECK(m.partial_rotary == ref.partial_rotary);
    CHECK(m.moe == ref.moe);
    // ... and the whole aggregate (all fields but the id).
    CHECK(with_id(m, ref) == ref);
    // The id is _name_or_path when present, else the directory name.
    CHECK_FALSE(m.id.empty());
    CHECK(h.dtype.size() > 0);
    // load_hf_config / a directory path give the same spec.
    CHECK(ep::io::load_hf_config(file.parent_path()) == m);
  }
}

TEST_CASE("model id: _name_or_path, else the directory name", "[io][hf_config]") {
  CHECK(ep::io::load_hf_config(kData / "phi-2" / "config.json").id.view() == "microsoft/phi-2");
  CHECK(ep::io::load_hf_config(kData / "tinyllama-1.1b" / "config.json").id.view() == "tinyllama-1.1b");
  CHECK(ep::io::parse_hf_config(llama_like(), "inline.json").id.view() == "inline.json");
}

TEST_CASE("field quirks of the hand-written configs", "[io][hf_config]") {
  SECTION("Phi-2: absent num_key_value_heads means MHA, noted") {
    const auto h = ep::io::load_hf_model(kData / "phi-2" / "config.json");
    CHECK(h.model.kv_heads == 32);
    CHECK(h.model.partial_rotary == 0.4);
    bool noted = false;
    for (const auto& n : h.notes) noted = noted || n.find("num_key_value_heads") != std::string::npos;
    CHECK(noted);
    CHECK_FALSE(h.quant.has_value());
  }
  SECTION("Gemma 3: absent tie_word_embeddings means tied") {
    const auto h = ep::io::load_hf_model(kData / "gemma-3-1b" / "config.json");
    CHECK(h.model.tied_embeddings);
    CHECK(ep::window_layer_count(h.model) == 22);
  }
  SECTION("Qwen2.5-0.5B: rope_parameters, dtype and all-full layer_types") {
    const auto h = ep::io::load_hf_model(kData / "qwen2.5-0.5b" / "config.json");
    CHECK(h.model.rope_theta == 1.0e6);
    CHECK(h.model.sliding_window == 0);
    CHECK(h.dtype == "bfloat16");
  }
  SECTION("Phi-3.5: a window longer than the context is no window") {
    const auto h = ep::io::load_hf_model(kData / "phi-3.5-mini" / "config.json");
    CHECK(h.model.sliding_window == 0);
    CHECK(h.model.sliding_pattern == 0);
  }
}

TEST_CASE("text_config nesting reads the text model", "[io][hf_config]") {
  const auto h = ep::io::load_hf_model(kData / "gemma-3-1b-multimodal" / "config.json");
  // Per-layer-type rope_parameters and layer_types, in the newer spelling, give
  // the same text model as the flat gemma3_text config; the vision tower adds weights.
  CHECK(h.model.vision_params > 0);
  ep::model_spec text = h.model;
  text.vision_params = 0;
  CHECK(with_id(text, ep::models::gemma_3_1b) == ep::models::gemma_3_1b);
  CHECK(h.model.family.view() == "gemma3_text");
  CHECK(h.model.id.view() == "gemma-3-1b-multimodal");
  CHECK(h.dtype == "bfloat16");  // top-level dtype, read through the fallback
  bool noted = false;
  for (const auto& n : h.notes) noted = noted || n.find("text_config") != std::string::npos;
  CHECK(noted);

  SECTION("errors inside text_config name the nested field") {
    json j = json::parse(R"({"model_type": "gemma3", "text_config": {"model_type": "gemma3_text"}})");
    const auto e = expect_io_error([&] { (void)ep::io::parse_hf_config(j, "mm.json"); });
    CHECK(e.field() == "text_config.num_hidden_layers");
    CHECK_THAT(std::string(e.what()), Contains("mm.json") && Contains("text_config.num_hidden_layers"));
  }
}

TEST_CASE("quantization_config is parsed", "[io][hf_config][quant]") {
  SECTION("AWQ (Qwen2.5-7B-Instruct-AWQ)") {
    const auto h = ep::io::load_hf_model(kData / "qwen2.5-7b" / "config.json");
    REQUIRE(h.quant.has_value());
    CHECK(*h.quant == ep::io::hf_quantization{"awq", 4, 128, false, false});  // zero_point → asymmetric
  }
  SECTION("GPTQ with act-order") {
    const auto h = ep::io::load_hf_model(kData / "quantized" / "dsr1-llama-8b-gptq" / "config.json");
    REQUIRE(h.quant.has_value());
    CHECK(*h.quant == ep::io::hf_quantization{"gptq", 4, 128, true, true});
    CHECK(with_id(h.model, ep::models::dsr1_llama_8b) == ep::models::dsr1_llama_8b);
  }
  SECTION("compressed-tensors W4A16") {
    const auto h = ep::io::load_hf_model(kData / "quantized" / "llama-3.1-8b-w4a16" / "config.json");
    REQUIRE(h.quant.has_value());
    CHECK(*h.quant == ep::io::hf_quantization{"compressed-tensors", 4, 128, false, true});
  }
  SECTION("older AWQ spelling and per-channel GPTQ") {
    json j = llama_like();
    j["quantization_config"] = {{"w_bit", 4}, {"q_group_size", 64}, {"zero_point", true}};
    auto h = ep::io::parse_hf_model(j, "awq-old.json");
    REQUIRE(h.quant.has_value());
    CHECK(*h.quant == ep::io::hf_quantization{"awq", 4, 64, false, false});
    j["quantization_config"] = {{"quant_method", "gptq"}, {"bits", 8}, {"group_size", -1}};
    h = ep::io::parse_hf_model(j, "gptq-pc.json");
    REQUIRE(h.quant.has_value());
    CHECK(*h.quant == ep::io::hf_quantization{"gptq", 8, -1, false, true});
  }
  SECTION("a 16-bit checkpoint has none") {
    CHECK_FALSE(ep::io::load_hf_model(kData / "llama-3.1-8b" / "config.json").quant.has_value());
  }
}

TEST_CASE("family rules and derived fields", "[io][hf_config]") {
  SECTION("explicit head_dim wins over hidden / heads") {
    json j = llama_like();
    j["head_dim"] = 128;  // 32 × 128 = 4096 ≠ hidden 2048
    const auto m = ep::io::parse_hf_config(j, "x.json");
    CHECK(m.head_dim == 128);
    CHECK(ep::q_width(m) == 4096);
  }
  SECTION("qwen3 implies q/k norms but no q/k/v bias") {
    json j = llama_like();
    j["model_type"] = "qwen3";
    j["attention_bias"] = false;
    const auto m = ep::io::parse_hf_config(j, "x.json");
    CHECK(m.qk_norm);
    CHECK_FALSE(m.qkv_bias);
  }
  SECTION("attention_bias and mlp_bias on a Llama-like model") {
    json j = llama_like();
    j["attention_bias"] = true;
    j["mlp_bias"] = true;
    const auto m = ep::io::parse_hf_config(j, "x.json");
    CHECK(m.qkv_bias);
    CHECK(m.o_bias);
    CHECK(m.mlp_bias);
  }
  SECTION("an unknown model_type is refused by name") {
    json j = llama_like();
    j["model_type"] = "my_new_llm";
    const auto e = expect_io_error([&] { (void)ep::io::parse_hf_model(j, "x.json"); });
    CHECK(e.field() == "model_type");
    CHECK_THAT(e.message(), Contains("unsupported architecture") && Contains("my_new_llm"));
    j.erase("model_type");
    const auto e2 = expect_io_error([&] { (void)ep::io::parse_hf_model(j, "x.json"); });
    CHECK_THAT(e2.message(), Contains("unsupported architecture: no model_type"));
  }
  SECTION("Mistral v0.1 style: a window on every layer") {
    json j = llama_like();
    j["model_type"] = "mistral";
    j["sliding_window"] = 4096;
    const auto m = ep::io::parse_hf_config(j, "x.json");
    CHECK(m.sliding_window == 4096);
    CHECK(m.sliding_pattern == 1);
  }
  SECTION("Qwen2 with use_sliding_window true windows layers from max_window_layers on") {
    json j = llama_like();
    j["model_type"] = "qwen2";
    j["sliding_window"] = 4096;
    j["use_sliding_window"] = true;
    j["max_window_layers"] = 0;
    auto m = ep::io::parse_hf_config(j, "x.json");
    CHECK(m.sliding_pattern == 1);
    // Layers 12..15 windowed: not expressible. Patterns give 0, 16, 8, 11, ...
    // windowed layers; 0 and 8 are equally far from 4, and the tie goes to
    // fewer windowed layers (more KV traffic: the conservative side).
    j["max_window_layers"] = 12;
    auto h = ep::io::parse_hf_model(j, "x.json");
    CHECK(h.model.sliding_pattern == 0);
    CHECK(h.model.sliding_window == 0);
    bool noted = false;
    for (const auto& n : h.notes) noted = noted || n.find("max_window_layers") != std::string::npos;
    CHECK(noted);
    // Layers 6..15 windowed (10 of 16): closest is pattern 3 (11 windowed; pattern 2 gives 8).
    j["max_window_layers"] = 6;
    h = ep::io::parse_hf_model(j, "x.json");
    CHECK(h.model.sliding_pattern == 3);
    CHECK(h.model.sliding_window == 4096);
    CHECK(ep::window_layer_count(h.model) == 11);
  }
  SECTION("layer_types with a regular pattern is read exactly") {
    json j = llama_like();
    j["model_type"] = "gemma2";
    j["sliding_window"] = 4096;
    j["layer_types"] = json::array();
    for (int i = 0; i < 16; ++i) j["layer_types"].push_back(i % 2 == 0 ? "sliding_attention" : "full_attention");
    const auto h = ep::io::parse_hf_model(j, "x.json");
    CHECK(h.model.sliding_pattern == 2);
    CHECK(h.model.norms_per_layer == 4);
    CHECK(h.notes.empty());
  }
  SECTION("rope_theta inside rope_scaling, and its absence") {
    json j = llama_like();
    j.erase("rope_theta");
    auto h = ep::io::parse_hf_model(j, "x.json");
    CHECK(h.model.rope_theta == 10000.0);
    j["rope_scaling"] = {{"rope_type", "default"}, {"rope_theta", 250000.0}};
    h = ep::io::parse_hf_model(j, "x.json");
    CHECK(h.model.rope_theta == 250000.0);
  }
  SECTION("qwen3_moe: experts, top-k, expert width, no shared expert") {
    json j = llama_like();
    j["model_type"] = "qwen3_moe";
    j["num_experts"] = 128;
    j["num_experts_per_tok"] = 8;
    j["moe_intermediate_size"] = 768;
    j["decoder_sparse_step"] = 1;
    j["mlp_only_layers"] = json::array();
    const auto m = ep::io::parse_hf_config(j, "x.json");
    CHECK(m.moe == ep::moe_spec{128, 8, 768, 0, false, 1});
    CHECK(m.qk_norm);
  }
  SECTION("mlp_only_layers: exact when a step and dense first layers express it, else refused") {
    json j = llama_like();
    j["model_type"] = "qwen2_moe";
    j["num_experts"] = 60;
    j["num_experts_per_tok"] = 4;
    j["moe_intermediate_size"] = 1408;
    j["shared_expert_intermediate_size"] = 5632;
    j["mlp_only_layers"] = {0, 2, 4, 6, 8, 10, 12, 14};  // MoE on odd layers: step 2
    auto h = ep::io::parse_hf_model(j, "x.json");
    CHECK(h.model.moe.shared_expert_gate);
    CHECK(h.model.moe.sparse_step == 2);
    CHECK(h.model.moe.first_dense == 0);
    CHECK(ep::moe_layer_count(h.model) == 8);
    bool noted = false;
    for (const auto& n : h.notes) noted = noted || n.find("mlp_only_layers") != std::string::npos;
    CHECK(noted);
    j["mlp_only_layers"] = {0, 1, 2};  // dense first three layers
    h = ep::io::parse_hf_model(j, "x.json");
    CHECK(h.model.moe.sparse_step == 1);
    CHECK(h.model.moe.first_dense == 3);
    CHECK(ep::moe_layer_count(h.model) == 13);
    j["mlp_only_layers"] = {1, 3, 5, 7, 9, 11, 13, 15};  // MoE on even layers: not expressible
    const auto e = expect_io_error([&] { (void)ep::io::parse_hf_model(j, "x.json"); });
    CHECK(e.field() == "mlp_only_layers");
    CHECK_THAT(e.message(), Contains("unsupported architecture"));
  }
}

TEST_CASE("malformed config files give clear errors", "[io][hf_config][errors]") {
  struct bad_case {
    const char* file;
    const char* field;    ///< expected io_error::field()
    const char* snippet;  ///< expected part of the message
  };
  const bad_case cases[] = {
      {"bad-json.json", "", "invalid JSON at byte"},
      {"not-an-object.json", "", "expected a JSON object"},
      {"missing-field.json", "hidden_size", "required field is missing"},
      {"wrong-type.json", "num_hidden_layers", "expected a positive integer, got \"28\""},
      {"negative-size.json", "num_attention_heads", "expected a positive integer, got -4"},
      {"zero-size.json", "vocab_size", "expected a positive integer, got 0"},
      {"heads-not-divisible.json", "num_key_value_heads", "must be divisible by num_key_value_heads, got 5"},
      {"bad-sliding-window.json", "use_sliding_window", "expected true or false, got \"no\""},
      {"bad-text-config.json", "text_config", "expected an object, got [1,2]"},
      {"bad-quantization.json", "quantization_config.bits", "expected a positive integer, got \"four\""},
      {"bad-layer-types.json", "layer_types", "expected a list of 28 layer types"},
  };
  for (const bad_case& c : cases) {
    const fs::path file = kData / "bad" / c.file;
    CAPTURE(file.string());
    REQUIRE(fs::exists(file));
    const ep::io::io_error e = expect_io_error([&] { (void)ep::io::load_hf_model(file); });
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(e.file() == file.string());
    CHECK(e.field() == c.field);
    CHECK_THAT(what, Contains(file.string()));
    CHECK_THAT(e.message(), Contains(c.snippet));
    if (std::string(c.field).size() > 0) CHECK_THAT(what, Contains(std::string("field '") + c.field + "'"));
  }
  SECTION("the documented message format") {
    json j = llama_like();
    j["num_attention_heads"] = -4;
    const auto e = expect_io_error([&] { (void)ep::io::parse_hf_config(j, "config.json"); });
    CHECK(std::string(e.what()) ==
          "config.json: field 'num_attention_heads': expected a positive integer, got -4");
  }
  SECTION("a file that does not exist") {
    const auto e = expect_io_error([&] { (void)ep::io::load_hf_model(kData / "no-such-model" / "config.json"); });
    CHECK_THAT(std::string(e.what()), Contains("no-such-model") && Contains("does not exist"));
  }
  SECTION("more consistency checks") {
    json j = llama_like();
    j["num_key_value_heads"] = 64;
    CHECK_THROWS_WITH(ep::io::parse_hf_config(j, "c.json"),
                      Contains("'num_key_value_heads'") && Contains("at most num_attention_heads (32)"));
    j = llama_like();
    j["num_attention_heads"] = 30;  // 2048 / 30 is not an integer and no head_dim
    j["num_key_value_heads"] = 30;
    CHECK_THROWS_WITH(ep::io::parse_hf_config(j, "c.json"), Contains("not divisible") && Contains("head_dim"));
    j = llama_like();
    j["model_type"] = "mixtral";
    j["num_local_experts"] = 8;
    j["num_experts_per_tok"] = 9;
    CHECK_THROWS_WITH(ep::io::parse_hf_config(j, "c.json"),
                      Contains("'num_experts_per_tok'") && Contains("at most num_local_experts (8)"));
    j = llama_like();
    j["partial_rotary_factor"] = 1.5;
    CHECK_THROWS_WITH(ep::io::parse_hf_config(j, "c.json"), Contains("'partial_rotary_factor'"));
    j = llama_like();
    j["hidden_size"] = 3000000000LL;
    CHECK_THROWS_WITH(ep::io::parse_hf_config(j, "c.json"), Contains("'hidden_size'") && Contains("2^31"));
  }
}

// ---- real configs (data/hf-configs) -------------------------------------------

namespace {

const fs::path kConfigs = fs::path(EDGEPERF_SOURCE_DIR) / "data" / "hf-configs";

struct real_config {
  const char* file;          ///< under data/hf-configs/
  std::int64_t computed;     ///< data/hf-configs/README.md "computed" (count_params.py for beyond-dense)
  double published;          ///< published total (model card / HF API); 0 = only a rounded name size
};

}  // namespace

TEST_CASE("real configs: parameter counts match the published totals", "[io][hf_config][real]") {
  // Computed totals from data/hf-configs/README.md (table 2) and
  // beyond-dense/README.md (count_params.py, an independent implementation);
  // published totals from the cards/HF API cited there. Every modelled config
  // must match its computed total exactly and its published total within 0.5 %
  // (0 below: the card gives only two significant digits, e.g. "1.7B", where
  // 0.5 % is finer than the rounding; the exact computed total is checked).
  const real_config cases[] = {
      {"qwen3-0.6b.json", 596049920, 0},
      {"qwen3-1.7b.json", 1720574976, 0},
      {"qwen3-4b.json", 4022468096, 0},
      {"qwen3-8b.json", 8190735360, 8.2e9},
      {"qwen3-14b.json", 14768307200, 14.8e9},
      {"qwen3-32b.json", 32762123264, 32.8e9},
      {"qwen3-30b-a3b.json", 30532122624, 30.5e9},
      {"llama-3.2-3b.json", 3212749824, 3.21e9},
      {"llama-3.1-8b.json", 8030261248, 8030261248.0},
      {"llama-3.3-70b.json", 0, 70.6e9},
      {"gemma-2-2b.json", 2614341888, 0},
      {"gemma-2-9b.json", 9241705984, 9241705984.0},
      {"phi-3.5-mini.json", 3821079552, 0},
      {"smollm2-1.7b.json", 1711376384, 0},
      {"qwen2.5-7b.json", 7615616512, 7615616512.0},
      {"dsr1-qwen-1.5b.json", 1777088000, 0},
      {"dsr1-llama-8b.json", 8030261248, 8030261248.0},
      {"dsr1-qwen-7b.json", 7615616512, 0},
      {"beyond-dense/deepseek-v2.json", 235741434880, 236e9},
      {"beyond-dense/deepseek-v3.json", 671026419200, 671e9},
      {"beyond-dense/gpt-oss-20b.json", 20914757184, 21e9},
      {"beyond-dense/qwen2.5-vl-3b-instruct.json", 3754622976, 0},
      {"beyond-dense/gemma-3-1b-it.json", 999885952, 1e9},
      {"beyond-dense/phi-4-mini-instruct.json", 3836021760, 0},
  };
  for (const real_config& c : cases) {
    const fs::path file = kConfigs / c.file;
    CAPTURE(file.string());
    REQUIRE(fs::exists(file));
    const ep::io::hf_model h = ep::io::load_hf_model(file);
    const auto p = ep::count_params(h.model);
    CAPTURE(p.total);
    if (c.computed > 0) {
      // gpt-oss: the 64 attention-sink logits per layer (no config field) are not counted.
      const std::int64_t sinks = std::string(c.file).find("gpt-oss") != std::string::npos ? 64 * 24 : 0;
      CHECK(p.total + sinks == c.computed);
    }
    if (c.published > 0) CHECK(std::abs(static_cast<double>(p.total) / c.published - 1) <= 0.005);
  }
}

TEST_CASE("real configs: active parameters of the MoE models", "[io][hf_config][real]") {
  // beyond-dense/README.md: active counts incl. embedding + head.
  const auto active = [](const char* f) {
    return ep::count_params(ep::io::load_hf_model(kConfigs / f).model).active;
  };
  CHECK(active("beyond-dense/deepseek-v3.json") == 37552297472);
  CHECK(active("beyond-dense/deepseek-v2.json") == 21375800320);
  CHECK(active("qwen3-30b-a3b.json") == 3353032704);
  // gpt-oss: 4,187,440,704 with both embeddings, less the uncounted sinks.
  CHECK(active("beyond-dense/gpt-oss-20b.json") == 4187440704 - 64 * 24);
}

TEST_CASE("real configs of unmodelled architectures are refused by name", "[io][hf_config][real]") {
  struct refused {
    const char* file;
    const char* field;
    const char* snippet;
  };
  const refused cases[] = {
      {"beyond-dense/jamba-1.5-mini.json", "model_type", "model_type 'jamba'"},
      {"beyond-dense/nemotron-h-8b-base-8k.json", "model_type", "model_type 'nemotron_h'"},
      {"beyond-dense/qwen3-next-80b-a3b.json", "model_type", "model_type 'qwen3_next'"},
      {"beyond-dense/mamba2-2.7b.json", "model_type", "no model_type"},
  };
  for (const refused& c : cases) {
    const fs::path file = kConfigs / c.file;
    CAPTURE(file.string());
    REQUIRE(fs::exists(file));
    const ep::io::io_error e = expect_io_error([&] { (void)ep::io::load_hf_model(file); });
    CHECK(e.file() == file.string());
    CHECK(e.field() == c.field);
    CHECK_THAT(e.message(), Contains("unsupported architecture: ") && Contains(c.snippet));
  }
}

TEST_CASE("DeepSeek-V2-Lite: 15.7B parameters and the latent KV cache", "[io][hf_config][mla]") {
  const ep::io::hf_model h = ep::io::load_hf_model(kData / "deepseek-v2-lite" / "config.json");
  const ep::model_spec& m = h.model;
  CHECK(m.mla.kv_lora_rank == 512);
  CHECK(m.mla.q_lora_rank == 0);  // null: a plain q_proj
  CHECK(m.head_dim == 192);
  CHECK(m.moe.experts == 64);
  CHECK(m.moe.top_k == 6);
  CHECK(m.moe.shared_ffn == 2 * 1408);
  CHECK(m.moe.first_dense == 1);
  CHECK(ep::moe_layer_count(m) == 26);
  const auto p = ep::count_params(m);
  // DeepSeek-V2 paper (arXiv 2405.04434) appendix B / model card: 15.7B total, 2.4B activated.
  CHECK(std::abs(static_cast<double>(p.total) / 15.7e9 - 1) <= 0.005);
  CHECK(std::abs(static_cast<double>(p.active - p.embedding) / 2.4e9 - 1) <= 0.05);
  // Cache: (kv_lora_rank + qk_rope_head_dim) × 2 bytes × 27 layers per token, not
  // 2 × 16 × 128 × 2 × 27 as a dense reading would give (7.1× more).
  CHECK(ep::kv_bytes_per_token(m, ep::dtype::bf16) == (512 + 64) * 2.0 * 27);
  bool noted = false;
  for (const auto& n : h.notes) noted = noted || n.find("latent") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("vision-language configs: text model plus the vision tower's weights", "[io][hf_config][vision]") {
  const ep::io::hf_model h = ep::io::load_hf_model(kConfigs / "beyond-dense" / "qwen2.5-vl-3b-instruct.json");
  // beyond-dense/README.md: text 3,085,938,688 + vision 668,684,288.
  const auto p = ep::count_params(h.model);
  CHECK(p.vision == 668684288);
  CHECK(p.total - p.vision == 3085938688);
  CHECK(p.active < p.total - p.vision + 1);  // no text token uses the tower
  bool noted = false;
  for (const auto& n : h.notes) noted = noted || n.find("text-only") != std::string::npos;
  CHECK(noted);
  // Gemma 3 wrapper: SigLIP-So400m (27 × 1152, patch 14 at 896 px) + projector.
  const ep::io::hf_model g = ep::io::load_hf_model(kData / "gemma-3-1b-multimodal" / "config.json");
  const std::int64_t h_v = 1152, ffn = 4304;
  const std::int64_t block = 4 * h_v + 4 * (h_v * h_v + h_v) + h_v * ffn + ffn + ffn * h_v + h_v;
  const std::int64_t siglip = 3 * 14 * 14 * h_v + h_v + 64 * 64 * h_v + 27 * block + 2 * h_v;
  CHECK(g.model.vision_params == siglip + h_v + h_v * 1152);
  CHECK(std::abs(static_cast<double>(siglip) / 417e6 - 1) < 0.01);  // "SigLIP 400M" ≈ 417M (Gemma 3 report)
}

TEST_CASE("fields that change the architecture are refused by name", "[io][hf_config][errors]") {
  struct bad_field {
    const char* key;
    json value;
    const char* snippet;
  };
  const bad_field cases[] = {
      {"kv_lora_rank", 512, "'kv_lora_rank'"},
      {"o_lora_rank", 64, "'o_lora_rank'"},
      {"ssm_state_size", 128, "'ssm_state_size'"},
      {"mamba_d_state", 16, "'mamba_d_state'"},
      {"hybrid_override_pattern", "M-M*", "'hybrid_override_pattern'"},
      {"linear_num_key_heads", 16, "'linear_num_key_heads'"},
      {"full_attention_interval", 4, "'full_attention_interval'"},
      {"attn_layer_period", 8, "'attn_layer_period'"},
      {"expert_layer_period", 2, "'expert_layer_period'"},
      {"n_routed_experts", 64, "'n_routed_experts'"},
      {"audio_config", json::object(), "'audio_config'"},
      {"vision_config", json::object(), "vision tower of model_type 'llama'"},
  };
  for (const bad_field& c : cases) {
    json j = llama_like();
    j[c.key] = c.value;
    CAPTURE(c.key);
    const auto e = expect_io_error([&] { (void)ep::io::parse_hf_model(j, "c.json"); });
    CHECK(e.field() == c.key);
    CHECK_THAT(e.message(), Contains("unsupported architecture: ") && Contains(c.snippet));
  }
  SECTION("a layer type other than sliding/full attention") {
    json j = llama_like();
    j["layer_types"] = json::array();
    for (int i = 0; i < 16; ++i) j["layer_types"].push_back(i == 3 ? "linear_attention" : "full_attention");
    const auto e = expect_io_error([&] { (void)ep::io::parse_hf_model(j, "c.json"); });
    CHECK(e.field() == "layer_types[3]");
    CHECK_THAT(e.message(), Contains("unsupported architecture: layer type 'linear_attention'"));
  }
  SECTION("a multimodal wrapper of another family") {
    json j = json{{"model_type", "llava"}, {"text_config", llama_like()}};
    const auto e = expect_io_error([&] { (void)ep::io::parse_hf_model(j, "c.json"); });
    CHECK(e.field() == "model_type");
    CHECK_THAT(e.message(), Contains("unsupported architecture: model_type 'llava'"));
  }
  SECTION("DeepSeek moe_layer_freq other than 1") {
    json j = json::parse(ep::io::read_input_file(kData / "deepseek-v2-lite" / "config.json"));
    j["moe_layer_freq"] = 2;
    const auto e = expect_io_error([&] { (void)ep::io::parse_hf_model(j, "c.json"); });
    CHECK(e.field() == "moe_layer_freq");
    CHECK_THAT(e.message(), Contains("unsupported architecture"));
  }
}

TEST_CASE("loader notes reach the resolved case", "[io][hf_config][notes]") {
  ep::io::resolver res;
  ep::io::case_input in;
  in.model = (kData / "deepseek-v2-lite" / "config.json").string();
  in.device = "agx-orin-64gb";
  in.runtime = "llama.cpp";
  in.quant = "q4_k_m";
  in.input_tokens = 128;
  in.output_tokens = 16;
  const ep::io::resolved_case rc = ep::io::resolve_case(res, in);
  REQUIRE(rc.ok());
  bool latent = false;
  for (const auto& n : rc.notes) latent = latent || (n.find(in.model + ": ") == 0 && n.find("latent") != std::string::npos);
  CHECK(latent);
  in.model = "llama-3.1-8b";  // catalog models carry no notes
  CHECK(ep::io::resolve_case(res, in).notes.empty());
}
