// Tests for the built-in model catalog: parameter counts against the published
// totals (data/models.md, "published params"), compile-time facts, and
// lookup by id with nearest-id suggestions.

#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <string_view>

#include "edgeperf/accounting/params.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"

namespace ep = edgeperf;

// ---- compile-time facts ------------------------------------------------------
static_assert(ep::model_catalog().size() == 20);
static_assert(ep::model_ids()[0] == "dsr1-qwen-1.5b");
static_assert(ep::find_model_or_null("phi-2") != nullptr);
static_assert(ep::find_model_or_null("phi-3") == nullptr);
static_assert(ep::find_model_or_null("gemma-3-1b")->head_dim == 256);
// Gemma 3: head_dim is explicit and differs from hidden / heads (1152 / 4 = 288).
static_assert(ep::models::gemma_3_1b.hidden / ep::models::gemma_3_1b.heads == 288);
static_assert(ep::q_width(ep::models::gemma_3_1b) == 1024);
// 5 windowed + 1 full per 6 layers over 26 layers: full layers 5, 11, 17, 23.
static_assert(ep::window_layer_count(ep::models::gemma_3_1b) == 22);
static_assert(!ep::is_window_layer(ep::models::gemma_3_1b, 5));
static_assert(ep::is_window_layer(ep::models::gemma_3_1b, 24));
// DSR1-Qwen-1.5B is Qwen2.5-1.5B's shape with an untied head.
static_assert(ep::models::dsr1_qwen_1_5b.hidden == ep::models::qwen2_5_1_5b.hidden);
static_assert(!ep::models::dsr1_qwen_1_5b.tied_embeddings && ep::models::qwen2_5_1_5b.tied_embeddings);
// Every qwen2-family entry has q/k/v biases; nothing else except Phi-2.
static_assert(ep::models::qwen1_5_moe_a2_7b.qkv_bias && !ep::models::llama_3_1_8b.qkv_bias);
// Phi-2 quirks.
static_assert(ep::models::phi_2.parallel_attn_mlp && ep::models::phi_2.mlp == ep::mlp_kind::plain);
static_assert(ep::models::phi_2.norm == ep::norm_kind::layer && ep::models::phi_2.norms_per_layer == 1);
// MoE layers: every layer of Mixtral and Qwen1.5-MoE.
static_assert(ep::moe_layer_count(ep::models::mixtral_8x7b) == 32);
static_assert(ep::moe_layer_count(ep::models::qwen1_5_moe_a2_7b) == 24);
static_assert(ep::moe_layer_count(ep::models::llama_3_1_8b) == 0);
// Parameter counting is constexpr over the catalog.
static_assert(ep::count_params(ep::models::tinyllama_1_1b).total > 1'000'000'000);

namespace {

struct published {
  std::string_view id;
  double total_b;   ///< published total, billions (models.md)
  double active_b;  ///< published active (MoE); 0 = same as total
};

// models.md, "published params" column (E).
constexpr published kPublished[] = {
    {"dsr1-qwen-1.5b", 1.78, 0},   {"dsr1-qwen-7b", 7.62, 0},     {"dsr1-llama-8b", 8.03, 0},
    {"dsr1-qwen-14b", 14.8, 0},    {"dsr1-qwen-32b", 32.8, 0},    {"llama-3.1-8b", 8.03, 0},
    {"llama-3.2-1b", 1.24, 0},     {"llama-3.2-3b", 3.21, 0},     {"qwen2.5-0.5b", 0.49, 0},
    {"qwen2.5-1.5b", 1.54, 0},     {"qwen2.5-3b", 3.09, 0},       {"qwen2.5-7b", 7.61, 0},
    {"qwen2.5-14b", 14.7, 0},      {"phi-2", 2.78, 0},            {"phi-3.5-mini", 3.82, 0},
    {"gemma-3-1b", 1.0, 0},        {"tinyllama-1.1b", 1.1, 0},    {"mistral-7b-v0.3", 7.25, 0},
    {"mixtral-8x7b", 46.7, 12.9},  {"qwen1.5-moe-a2.7b", 14.3, 2.7},
};

}  // namespace

TEST_CASE("catalog parameter counts match the published totals within 1 %",
          "[descriptions][model][catalog]") {
  STATIC_REQUIRE(std::size(kPublished) == ep::model_catalog_entries.size());
  for (const published& p : kPublished) {
    CAPTURE(p.id, p.total_b, p.active_b);
    const auto m = ep::find_model(p.id);
    REQUIRE(m.has_value());
    const ep::param_counts c = ep::count_params(*m);
    CAPTURE(c.total, c.active);
    CHECK_THAT(static_cast<double>(c.total), Catch::Matchers::WithinRel(p.total_b * 1e9, 0.01));
    if (p.active_b > 0) {
      CHECK_THAT(static_cast<double>(c.active), Catch::Matchers::WithinRel(p.active_b * 1e9, 0.01));
      CHECK(c.active < c.total);
    } else {
      CHECK(c.active == c.total);
    }
  }
}

TEST_CASE("hand-derived parameter counts of small reference models", "[descriptions][model][catalog]") {
  SECTION("Qwen2.5-1.5B, exactly") {
    // per layer: q 1536·1536 + 1536, k/v 2·(256·1536 + 256), o 1536·1536,
    // MLP 3·1536·8960, 2 RMSNorms 2·1536  = 46 797 824
    // + 28 layers, embedding 151936·1536 (tied), final norm 1536.
    constexpr std::int64_t per_layer = 1536LL * 1536 + 1536 + 2 * (256LL * 1536 + 256) +
                                       1536LL * 1536 + 3LL * 1536 * 8960 + 2 * 1536;
    STATIC_REQUIRE(per_layer == 46'797'824);
    constexpr std::int64_t expected = 28 * per_layer + 151936LL * 1536 + 1536;
    STATIC_REQUIRE(ep::count_params(ep::models::qwen2_5_1_5b).total == expected);
  }
  SECTION("DSR1-Qwen-1.5B adds exactly one untied vocab × hidden head") {
    const auto a = ep::count_params(ep::models::qwen2_5_1_5b);
    const auto b = ep::count_params(ep::models::dsr1_qwen_1_5b);
    CHECK(b.total - a.total == 151936LL * 1536);
    CHECK(b.lm_head == 151936LL * 1536);
    CHECK(a.lm_head == 0);
  }
  SECTION("Phi-2 LM head carries a bias") {
    const auto c = ep::count_params(ep::models::phi_2);
    CHECK(c.lm_head == 51200LL * 2560 + 51200);
  }
}

TEST_CASE("catalog entries are consistent", "[descriptions][model][catalog]") {
  std::set<std::string> seen;
  for (const ep::model_spec& m : ep::model_catalog()) {
    CAPTURE(m.id.view());
    CHECK(seen.insert(std::string(m.id.view())).second);  // unique ids
    CHECK_FALSE(m.id.truncated());
    CHECK(m.layers > 0);
    CHECK(m.hidden > 0);
    CHECK(m.heads > 0);
    CHECK(m.kv_heads > 0);
    CHECK(m.heads % m.kv_heads == 0);
    CHECK(m.head_dim > 0);
    CHECK(m.vocab > 0);
    CHECK(m.max_context > 0);
    CHECK((m.sliding_window > 0) == (m.sliding_pattern > 0));
    CHECK(m.partial_rotary > 0.0);
    CHECK(m.partial_rotary <= 1.0);
    if (m.moe.enabled()) {
      CHECK(m.moe.top_k > 0);
      CHECK(m.moe.top_k <= m.moe.experts);
      CHECK(m.moe.expert_ffn > 0);
    }
    const auto r = ep::find_model(m.id.view());
    REQUIRE(r.has_value());
    CHECK(*r == m);
  }
  const auto ids = ep::model_ids();
  CHECK(ids.size() == ep::model_catalog().size());
}

TEST_CASE("unknown model id lists the nearest ids", "[descriptions][model][catalog]") {
  SECTION("a near miss") {
    const auto r = ep::find_model("qwen2.5-1.5");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error_value().code == ep::errc::unknown_id);
    const std::string& msg = r.error_value().message;
    CAPTURE(msg);
    CHECK_THAT(msg, Catch::Matchers::Contains("'qwen2.5-1.5'"));
    CHECK_THAT(msg, Catch::Matchers::Contains("nearest: qwen2.5-1.5b"));
    CHECK_THROWS_AS(r.value(), ep::bad_result_access);
  }
  SECTION("a different spelling") {
    const auto r = ep::find_model("Llama-3.1-8B");
    REQUIRE_FALSE(r.has_value());
    const std::string& msg = r.error_value().message;
    CAPTURE(msg);
    CHECK_THAT(msg, Catch::Matchers::Contains("llama-3.1-8b"));
  }
  SECTION("a substring suggests its completions") {
    const auto r = ep::find_model("mixtral");
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error_value().message, Catch::Matchers::Contains("mixtral-8x7b"));
  }
}
