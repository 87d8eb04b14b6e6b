#pragma once
/// @file
/// Accuracy as data: what a model scores on a benchmark in a given mode, token
/// budget and number of samples, with where the number comes from. The planner
/// never computes an accuracy it was not given: a (model, benchmark, mode,
/// budget, samples) cell is either a row of a table or missing, and a missing
/// cell stays missing (`find_accuracy` returns std::nullopt) so the planner can
/// say so. (Extrapolating from one sample to N by the vote formulas of
/// vote.hpp is a separate, explicit step.)
///
/// Two sources of rows:
///  * a CSV the user supplies, columns `model,benchmark,mode,budget,samples,
///    accuracy,source` in any order (optional `tag`, `latency_s`; other
///    columns ignored). `accuracy` is a fraction in [0, 1] or a percentage
///    with a `%` sign (`61.7%`); `budget` is a token count ≥ 1 or empty/`none`
///    for no budget; `samples` an integer ≥ 1 (empty = 1). Reading it is
///    io's job: `io::read_accuracy_csv` (io/accuracy_csv.hpp) throws
///    `io::io_error` naming file:line, the column and the value;
///  * a small built-in table of published values, `published_accuracies`,
///    copied from data/accuracy.md with their citation and tag
///    (E = copied from the source, E2 = a paper value quoted by a third party).
///
/// Also built in: the mean output tokens per question that EdgeReasoning
/// measured per model and token-budget setting (`published_output_lengths`),
/// which the planner uses as expected output lengths.
///
/// Model names use the catalog ids of descriptions/model_catalog.hpp where the
/// model is in the catalog (dsr1-llama-8b, dsr1-qwen-14b, dsr1-qwen-1.5b,
/// llama-3.1-8b = Llama-3.1-8B-Instruct, qwen2.5-7b = Qwen2.5-7B-Instruct);
/// others get a lower-case id of their published name (gemma-7b,
/// l1-qwen-1.5b-max, deepscaler-1.5b-preview, openai-o1-preview).
/// Benchmarks: `mmlu-redux`, `math500`. Modes: `reasoning` (the model's
/// default thinking), `no-reasoning` (reasoning section suppressed),
/// `direct` (an instruction model answering directly).

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>


namespace edgeperf {

// ---- the row type and the table ---------------------------------------------------

/// The key of an accuracy cell. `budget_tokens` empty = no token budget;
/// `samples` = N parallel samples combined as the source describes (1 = single).
struct accuracy_key {
  std::string model;
  std::string benchmark;
  std::string mode;
  std::optional<long long> budget_tokens{};
  unsigned samples{1};

  friend bool operator==(const accuracy_key&, const accuracy_key&) = default;
  friend bool operator<(const accuracy_key& a, const accuracy_key& b) {
    return std::tie(a.model, a.benchmark, a.mode, a.budget_tokens, a.samples) <
           std::tie(b.model, b.benchmark, b.mode, b.budget_tokens, b.samples);
  }
};

/// One accuracy cell with its provenance.
struct accuracy_row {
  accuracy_key key;
  double accuracy{0.0};  ///< fraction of questions answered correctly, in [0, 1]
  std::string source;    ///< citation (paper, table, code file) or user text
  std::string tag;       ///< "E", "E2", "D" for built-in rows; the CSV `tag` column or ""
  std::optional<double> latency_per_question_s;  ///< reported alongside, if any (seconds)
  std::string where;  ///< "file.csv:line" for loaded rows, "built-in" otherwise
};

/// A set of accuracy rows with unique keys.
struct accuracy_table {
  std::vector<accuracy_row> rows;
};

/// The row with exactly this key, or std::nullopt (missing: nothing is interpolated).
[[nodiscard]] inline std::optional<accuracy_row> find_accuracy(const accuracy_table& t,
                                                               const accuracy_key& key) {
  for (const accuracy_row& r : t.rows)
    if (r.key == key) return r;
  return std::nullopt;
}

/// All rows of a model on a benchmark (any mode, budget, samples), in table order.
[[nodiscard]] inline std::vector<accuracy_row> accuracies_of(const accuracy_table& t,
                                                             std::string_view model,
                                                             std::string_view benchmark) {
  std::vector<accuracy_row> out;
  for (const accuracy_row& r : t.rows)
    if (r.key.model == model && r.key.benchmark == benchmark) out.push_back(r);
  return out;
}

/// `base` with the rows of `overrides` added; a row of `overrides` replaces the
/// row of `base` with the same key (user data over built-in data).
[[nodiscard]] inline accuracy_table with_overrides(accuracy_table base,
                                                   const accuracy_table& overrides) {
  for (const accuracy_row& r : overrides.rows) {
    bool replaced = false;
    for (accuracy_row& b : base.rows) {
      if (b.key == r.key) {
        b = r;
        replaced = true;
        break;
      }
    }
    if (!replaced) base.rows.push_back(r);
  }
  return base;
}

// ---- the built-in published values --------------------------------------------------

/// A published accuracy value (the constexpr form of an `accuracy_row`).
struct published_accuracy {
  std::string_view model;
  std::string_view benchmark;
  std::string_view mode;
  std::optional<long long> budget_tokens{};  ///< empty: no token budget
  unsigned samples{1};
  double accuracy{0.0};  ///< fraction in [0, 1] (the sources print percent)
  std::optional<double> latency_per_question_s{};  ///< seconds, when the source reports it
  std::string_view source;
  std::string_view tag;  ///< E or E2, as in accuracy.md
};

namespace detail {
inline constexpr std::string_view edgereasoning_table2 =
    "EdgeReasoning (arXiv 2511.01866), Table II: MMLU-Redux 150-question subset on a Jetson AGX "
    "Orin (data/accuracy.md)";
inline constexpr std::string_view edgereasoning_code =
    "EdgeReasoning (arXiv 2511.01866) code release, plotting/insights.py: MMLU-Redux 3,000 "
    "questions (data/accuracy.md)";
inline constexpr std::string_view edgereasoning_seed =
    "EdgeReasoning seed summary, comparison table; also the DeepScaleR-1.5B-Preview model card "
    "(data/accuracy.md)";
inline constexpr std::string_view edgereasoning_tokens =
    "EdgeReasoning (arXiv 2511.01866), measured output-token counts on the full MMLU-Redux set "
    "(data/accuracy.md)";
}  // namespace detail

/// The built-in accuracy table: every value of data/accuracy.md, as a fraction.
inline constexpr std::array<published_accuracy, 9> published_accuracies{{
    // MMLU-Redux, 150-question subset, Table II of EdgeReasoning (E2: quoted, not checked).
    {.model = "dsr1-llama-8b",  // DeepSeek-R1-Distill-Llama-8B: 61.7 %, 143.3 s (E2)
     .benchmark = "mmlu-redux",
     .mode = "reasoning",
     .budget_tokens = std::nullopt,
     .samples = 1,
     .accuracy = 0.617,
     .latency_per_question_s = 143.3,
     .source = detail::edgereasoning_table2,
     .tag = "E2"},
    {.model = "dsr1-qwen-14b",  // DeepSeek-R1-Distill-Qwen-14B: 80.6 %, 207.0 s (E2)
     .benchmark = "mmlu-redux",
     .mode = "reasoning",
     .budget_tokens = std::nullopt,
     .samples = 1,
     .accuracy = 0.806,
     .latency_per_question_s = 207.0,
     .source = detail::edgereasoning_table2,
     .tag = "E2"},
    {.model = "llama-3.1-8b",  // Llama-3.1-8B-Instruct: 58.3 %, 2.5 s (E2)
     .benchmark = "mmlu-redux",
     .mode = "direct",
     .budget_tokens = std::nullopt,
     .samples = 1,
     .accuracy = 0.583,
     .latency_per_question_s = 2.5,
     .source = detail::edgereasoning_table2,
     .tag = "E2"},
    {.model = "qwen2.5-7b",  // Qwen2.5-7B-Instruct: 60.8 %, 0.6 s (E2)
     .benchmark = "mmlu-redux",
     .mode = "direct",
     .budget_tokens = std::nullopt,
     .samples = 1,
     .accuracy = 0.608,
     .latency_per_question_s = 0.6,
     .source = detail::edgereasoning_table2,
     .tag = "E2"},
    // MMLU-Redux, 3,000 questions, no-reasoning mode (E).
    {.model = "dsr1-qwen-1.5b",  // DeepSeek-R1-Distill-Qwen-1.5B NR: 41.0 % (E)
     .benchmark = "mmlu-redux",
     .mode = "no-reasoning",
     .budget_tokens = std::nullopt,
     .samples = 1,
     .accuracy = 0.410,
     .latency_per_question_s = std::nullopt,
     .source = detail::edgereasoning_code,
     .tag = "E"},
    {.model = "dsr1-llama-8b",  // DeepSeek-R1-Distill-Llama-8B NR: 51.0 % (E)
     .benchmark = "mmlu-redux",
     .mode = "no-reasoning",
     .budget_tokens = std::nullopt,
     .samples = 1,
     .accuracy = 0.510,
     .latency_per_question_s = std::nullopt,
     .source = detail::edgereasoning_code,
     .tag = "E"},
    {.model = "dsr1-qwen-14b",  // DeepSeek-R1-Distill-Qwen-14B NR: 69.0 % (E)
     .benchmark = "mmlu-redux",
     .mode = "no-reasoning",
     .budget_tokens = std::nullopt,
     .samples = 1,
     .accuracy = 0.690,
     .latency_per_question_s = std::nullopt,
     .source = detail::edgereasoning_code,
     .tag = "E"},
    // MATH500 (E).
    {.model = "deepscaler-1.5b-preview",  // DeepScaleR-1.5B-Preview: 87.8 % (E)
     .benchmark = "math500",
     .mode = "reasoning",
     .budget_tokens = std::nullopt,
     .samples = 1,
     .accuracy = 0.878,
     .latency_per_question_s = std::nullopt,
     .source = detail::edgereasoning_seed,
     .tag = "E"},
    {.model = "openai-o1-preview",  // OpenAI o1-preview: 81.4 % (E)
     .benchmark = "math500",
     .mode = "reasoning",
     .budget_tokens = std::nullopt,
     .samples = 1,
     .accuracy = 0.814,
     .latency_per_question_s = std::nullopt,
     .source = detail::edgereasoning_seed,
     .tag = "E"},
}};

/// The built-in table as an `accuracy_table` (rows marked `where = "built-in"`).
[[nodiscard]] inline accuracy_table builtin_accuracy_table() {
  accuracy_table t;
  for (const published_accuracy& p : published_accuracies) {
    t.rows.push_back(accuracy_row{
        .key = {std::string(p.model), std::string(p.benchmark), std::string(p.mode),
                p.budget_tokens, p.samples},
        .accuracy = p.accuracy,
        .source = std::string(p.source),
        .tag = std::string(p.tag),
        .latency_per_question_s = p.latency_per_question_s,
        .where = "built-in",
    });
  }
  return t;
}

// ---- published output lengths ---------------------------------------------------------

/// Mean output tokens per question measured for one model and budget setting.
struct published_output_length {
  std::string_view model;
  std::string_view benchmark;
  std::string_view mode;     ///< reasoning | no-reasoning | direct
  std::string_view setting;  ///< the source's label: base, 128t, 128t_NC, 256t, 256t_NC, NR, direct
  std::optional<long long> budget_tokens{};  ///< the budget stated in the prompt; empty = none
  bool hard_cut{
      false};  ///< true when generation is also cut at the budget ("128t"), false for "_NC"
  double mean_output_tokens{0.0};
  std::string_view source;
  std::string_view tag;
};

/// Mean input tokens per MMLU-Redux question in the EdgeReasoning runs (E,
/// data/accuracy.md: "Mean input ≈ 169.6 tokens").
inline constexpr double mmlu_redux_mean_input_tokens = 169.6;

namespace detail {
/// The five budget settings of one reasoning model (E, data/accuracy.md).
struct budget_row {
  std::string_view model;
  double base, t128, t128_nc, t256, t256_nc;
};
inline constexpr std::array<budget_row, 4> edgereasoning_budget_rows{{
    {"dsr1-qwen-1.5b", 740.2, 91.5, 1474.0, 144.1, 734.8},
    {"dsr1-llama-8b", 811.1, 76.3, 437.0, 143.6, 933.0},
    {"dsr1-qwen-14b", 1317.8, 78.2, 599.0, 112.9, 374.2},
    {"l1-qwen-1.5b-max", 312.6, 40.7, 54.3, 48.9, 62.3},  // L1-Qwen-1.5B-Max (budget-aware)
}};

[[nodiscard]] constexpr std::array<published_output_length, 26> make_output_lengths() {
  std::array<published_output_length, 26> out{};
  std::size_t i = 0;
  for (const budget_row& r : edgereasoning_budget_rows) {
    const auto row = [&](std::string_view setting, std::optional<long long> b, bool cut, double v) {
      return published_output_length{.model = r.model,
                                     .benchmark = "mmlu-redux",
                                     .mode = "reasoning",
                                     .setting = setting,
                                     .budget_tokens = b,
                                     .hard_cut = cut,
                                     .mean_output_tokens = v,
                                     .source = edgereasoning_tokens,
                                     .tag = "E"};
    };
    out[i++] = row("base", std::nullopt, false, r.base);
    out[i++] = row("128t", 128, true, r.t128);
    out[i++] = row("128t_NC", 128, false, r.t128_nc);
    out[i++] = row("256t", 256, true, r.t256);
    out[i++] = row("256t_NC", 256, false, r.t256_nc);
  }
  const auto single = [](std::string_view model, std::string_view mode, std::string_view setting,
                         double v, std::string_view src) {
    return published_output_length{.model = model,
                                   .benchmark = "mmlu-redux",
                                   .mode = mode,
                                   .setting = setting,
                                   .mean_output_tokens = v,
                                   .source = src,
                                   .tag = "E"};
  };
  // No-reasoning mode, 3,000 questions (E).
  out[i++] = single("dsr1-qwen-1.5b", "no-reasoning", "NR", 234.9, edgereasoning_code);
  out[i++] = single("dsr1-llama-8b", "no-reasoning", "NR", 182.9, edgereasoning_code);
  out[i++] = single("dsr1-qwen-14b", "no-reasoning", "NR", 180.7, edgereasoning_code);
  // Direct (non-reasoning) models (E).
  out[i++] = single("llama-3.1-8b", "direct", "direct", 63.5, edgereasoning_tokens);
  out[i++] = single("qwen2.5-7b", "direct", "direct", 40.2, edgereasoning_tokens);
  out[i++] = single("gemma-7b", "direct", "direct", 44.7, edgereasoning_tokens);
  return out;
}
}  // namespace detail

/// The built-in output-length table: 4 models × 5 budget settings, 3
/// no-reasoning and 3 direct rows, all mean tokens per question (E).
inline constexpr std::array<published_output_length, 26> published_output_lengths =
    detail::make_output_lengths();

/// The published mean output length for a model, benchmark, mode and budget
/// (`hard_cut` picks "128t" over "128t_NC"; ignored without a budget), or
/// std::nullopt when the source has no such cell.
[[nodiscard]] constexpr std::optional<published_output_length> find_output_length(
    std::string_view model, std::string_view benchmark, std::string_view mode,
    std::optional<long long> budget_tokens = std::nullopt, bool hard_cut = true) {
  for (const published_output_length& r : published_output_lengths) {
    if (r.model != model || r.benchmark != benchmark || r.mode != mode) continue;
    if (r.budget_tokens != budget_tokens) continue;
    if (budget_tokens && r.hard_cut != hard_cut) continue;
    return r;
  }
  return std::nullopt;
}

}  // namespace edgeperf
