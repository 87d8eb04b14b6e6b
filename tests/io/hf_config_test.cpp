// Tests for the Hugging Face config.json loader: every hand-written config under
// tests/data/hf/<catalog-id>/ loads to exactly the catalog spec; quirks
// (text_config nesting, rope_parameters, layer_types, MoE fields, unknown
// model types) are read as documented; quantization_config is parsed; and
// malformed files fail with an error naming the file and the field.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/io/hf_config.hpp"
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
  // the same spec as the flat gemma3_text config.
  CHECK(with_id(h.model, ep::models::gemma_3_1b) == ep::models::gemma_3_1b);
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
  SECTION("an unknown model_type is read as Llama-like, with a note") {
    json j = llama_like();
    j["model_type"] = "my_new_llm";
    const auto h = ep::io::parse_hf_model(j, "x.json");
    CHECK(h.model.family.view() == "my_new_llm");
    CHECK(h.model.mlp == ep::mlp_kind::gated);
    CHECK(h.model.norm == ep::norm_kind::rms);
    REQUIRE_FALSE(h.notes.empty());
    CHECK_THAT(h.notes.front(), Contains("my_new_llm"));
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
  SECTION("mlp_only_layers is approximated and noted") {
    json j = llama_like();
    j["model_type"] = "qwen2_moe";
    j["num_experts"] = 60;
    j["num_experts_per_tok"] = 4;
    j["moe_intermediate_size"] = 1408;
    j["shared_expert_intermediate_size"] = 5632;
    j["mlp_only_layers"] = {1, 3, 5, 7, 9, 11, 13, 15};  // exactly every 2nd layer dense
    const auto h = ep::io::parse_hf_model(j, "x.json");
    CHECK(h.model.moe.shared_expert_gate);
    CHECK(h.model.moe.sparse_step == 2);
    CHECK(ep::moe_layer_count(h.model) == 8);
    bool noted = false;
    for (const auto& n : h.notes) noted = noted || n.find("mlp_only_layers") != std::string::npos;
    CHECK(noted);
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
