// Consumer smoke test: includes a core header from the installed (or
// add_subdirectory'd) package and counts the parameters of a tiny model whose
// count is derived by hand below, at compile time and at run time.
#include <cstdio>

#include <edgeperf/accounting/params.hpp>

namespace {

// 2 layers, hidden 64, 4 query heads and 2 KV heads of 64/4 = 16, gated FFN 128,
// vocab 1000, untied head, RMSNorm.
constexpr edgeperf::model_spec tiny_model() {
  edgeperf::model_spec m{};
  m.id = "consumer-tiny";
  m.layers = 2;
  m.hidden = 64;
  m.heads = 4;
  m.kv_heads = 2;
  m.head_dim = 16;
  m.ffn = 128;
  m.vocab = 1000;
  m.tied_embeddings = false;
  return m;
}

// Per layer: q 64·64 + k 32·64 + v 32·64 + o 64·64 = 12 288; gate+up+down
// 3·128·64 = 24 576; two norms 2·64 = 128 -> 36 992. Two layers 73 984, final
// norm 64, embedding 1000·64 = 64 000, LM head 64 000 -> 202 048.
constexpr long long expected_total = 202'048;

}  // namespace

static_assert(edgeperf::count_params(tiny_model()).total == expected_total);

int main() {
  const auto p = edgeperf::count_params(tiny_model());
  std::printf("consumer: %s has %lld parameters (expected %lld)\n", tiny_model().id.c_str(),
              static_cast<long long>(p.total), expected_total);
  return p.total == expected_total && p.lm_head == 64'000 ? 0 : 1;
}
