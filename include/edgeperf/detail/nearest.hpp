#pragma once
/// @file
/// Nearest-name suggestions for unknown ids ("did you mean ...").

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace edgeperf::detail {

/// Levenshtein edit distance between two short strings.
[[nodiscard]] inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// Up to `k` candidates closest to `query`, closest first; a candidate that
/// contains the query as a substring counts as close.
template <class Range>
[[nodiscard]] std::vector<std::string> nearest_names(std::string_view query, const Range& names,
                                                     std::size_t k = 3) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& n : names) {
    const std::string_view sv{n};
    std::size_t d = edit_distance(query, sv);
    if (!query.empty() && sv.find(query) != std::string_view::npos) d = std::min<std::size_t>(d, 1);
    scored.emplace_back(d, std::string(sv));
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < k; ++i) out.push_back(scored[i].second);
  return out;
}

/// "unknown <what> 'q'; nearest: a, b, c; all: ..." message.
template <class Range>
[[nodiscard]] std::string unknown_id_message(std::string_view what, std::string_view query,
                                             const Range& names) {
  std::string msg = "unknown " + std::string(what) + " '" + std::string(query) + "'";
  const auto near = nearest_names(query, names);
  if (!near.empty()) {
    msg += "; nearest: ";
    for (std::size_t i = 0; i < near.size(); ++i) msg += (i ? ", " : "") + near[i];
  }
  return msg;
}

}  // namespace edgeperf::detail
