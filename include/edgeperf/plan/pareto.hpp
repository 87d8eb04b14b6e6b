#pragma once
/// @file
/// The exact Pareto frontier of n points over k objectives, each minimised
/// (latency, energy, memory) or maximised (accuracy). Point a dominates b when
/// a is at least as good in every objective and strictly better in one; the
/// frontier is the set of points no other point dominates. Among equal points
/// only the first (lowest index) is kept, so the result is deterministic and
/// free of duplicates.
///
/// Algorithms (all exact):
///  * every k: sort the indices lexicographically (objectives turned into
///    minimisation, ties by index). A point can only be dominated by — or equal
///    to — a point that comes earlier in this order, so one pass that keeps a
///    point iff no kept point weakly dominates it is exact
///    (Kung, Luccio & Preparata, J. ACM 22(4), 1975);
///  * k = 2: the pass keeps a point iff its second objective is strictly below
///    the best so far: O(n log n);
///  * k = 3: the kept points' (y, z) form a staircase in an ordered map; each
///    query and insertion is O(log n), O(n log n) in all;
///  * k ≥ 4: the pass compares against the kept points, O(n log n + n·h) for h
///    frontier points, with the last dominating point checked first;
///  * k = 4 with a large frontier (the planner's case: latency, energy,
///    accuracy, memory): past a work budget the pass switches to an offline
///    two-level Fenwick tree over the ranks of y and z holding prefix minima
///    of w — a point is dominated iff min{w' : y' ≤ y, z' ≤ z} ≤ w —
///    O(n log² n) time and O(n log n) memory.
///
/// Precondition: no NaN objective (checked: std::invalid_argument).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace edgeperf {

/// Whether an objective is better low or high.
enum class sense : unsigned char {
  minimize,  ///< latency, energy, memory
  maximize,  ///< accuracy
};

namespace detail {

/// a weakly dominates b (≤ in every objective, minimisation form).
[[nodiscard]] inline bool weakly_dominates(const double* a, const double* b, std::size_t k) {
  for (std::size_t j = 0; j < k; ++j)
    if (a[j] > b[j]) return false;
  return true;
}

/// The k ≥ 4 pass against the kept points (most recently dominating ones move
/// toward the front of the check list). Returns false, leaving `kept` partial,
/// once more than `budget` point comparisons were made.
inline bool linear_filter(const std::vector<double>& v, std::size_t k,
                          const std::vector<std::size_t>& order, std::size_t budget,
                          std::vector<std::size_t>& kept) {
  std::vector<std::size_t> check;
  std::size_t work = 0;
  for (std::size_t i : order) {
    const double* p = &v[i * k];
    bool dominated = false;
    for (std::size_t c = 0; c < check.size(); ++c) {
      if (weakly_dominates(&v[check[c] * k], p, k)) {
        dominated = true;
        if (c > 0) std::swap(check[c], check[c / 2]);
        work += c + 1;
        break;
      }
    }
    if (!dominated) {
      work += check.size();
      kept.push_back(i);
      check.push_back(i);
    }
    if (work > budget) return false;
  }
  return true;
}

/// The exact k = 4 pass in O(n log² n).
inline void fenwick_filter_4d(const std::vector<double>& v, std::size_t n,
                              const std::vector<std::size_t>& order,
                              std::vector<std::size_t>& kept) {
  // Kept (y, z, w) in an offline 2-D Fenwick tree over (rank y, rank z) holding
  // prefix minima of w: p is weakly dominated iff min{w' : y' ≤ y, z' ≤ z} ≤ w.
  const auto dense_rank = [&](std::size_t col) {
    std::vector<double> vals(n);
    for (std::size_t i = 0; i < n; ++i) vals[i] = v[i * 4 + col];
    std::sort(vals.begin(), vals.end());
    vals.erase(std::unique(vals.begin(), vals.end()), vals.end());
    std::vector<std::size_t> r(n);
    for (std::size_t i = 0; i < n; ++i)
      r[i] = static_cast<std::size_t>(std::lower_bound(vals.begin(), vals.end(), v[i * 4 + col]) -
                                      vals.begin()) +
             1;
    return std::make_pair(r, vals.size());
  };
  const auto [ry, ny] = dense_rank(1);
  const std::vector<std::size_t> rz = dense_rank(2).first;
  // Outer node t covers the y-ranks (t − lowbit(t), t]; it stores the sorted
  // z-ranks of every point that could be inserted there and an inner Fenwick
  // tree of prefix minima of w over them.
  std::vector<std::vector<std::size_t>> zs(ny + 1);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t t = ry[i]; t <= ny; t += t & (~t + 1)) zs[t].push_back(rz[i]);
  std::vector<std::vector<double>> mins(ny + 1);
  for (std::size_t t = 1; t <= ny; ++t) {
    std::sort(zs[t].begin(), zs[t].end());
    zs[t].erase(std::unique(zs[t].begin(), zs[t].end()), zs[t].end());
    mins[t].assign(zs[t].size() + 1, INFINITY);
  }
  for (std::size_t i : order) {
    const double w = v[i * 4 + 3];
    double best = INFINITY;
    for (std::size_t t = ry[i]; t > 0; t -= t & (~t + 1)) {
      const auto& z = zs[t];
      auto u = static_cast<std::size_t>(std::upper_bound(z.begin(), z.end(), rz[i]) - z.begin());
      for (; u > 0; u -= u & (~u + 1)) best = std::min(best, mins[t][u]);
    }
    if (best <= w) continue;
    kept.push_back(i);
    for (std::size_t t = ry[i]; t <= ny; t += t & (~t + 1)) {
      const auto& z = zs[t];
      auto u =
          static_cast<std::size_t>(std::lower_bound(z.begin(), z.end(), rz[i]) - z.begin()) + 1;
      for (; u < mins[t].size(); u += u & (~u + 1)) mins[t][u] = std::min(mins[t][u], w);
    }
  }
}

[[nodiscard]] inline std::vector<std::size_t> pareto_front_min(const std::vector<double>& v,
                                                               std::size_t n, std::size_t k) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double* pa = &v[a * k];
    const double* pb = &v[b * k];
    for (std::size_t j = 0; j < k; ++j) {
      if (pa[j] < pb[j]) return true;
      if (pb[j] < pa[j]) return false;
    }
    return a < b;
  });
  std::vector<std::size_t> kept;
  if (k == 1) {
    if (n > 0) kept.push_back(order.front());
  } else if (k == 2) {
    double best_y = INFINITY;
    for (std::size_t i : order) {
      const double y = v[i * 2 + 1];
      if (y < best_y) {
        kept.push_back(i);
        best_y = y;
      }
    }
  } else if (k == 3) {
    // Staircase of kept (y, z): y ascending, z strictly descending. A point is
    // weakly dominated iff the staircase entry with the largest y ≤ its y has z ≤ its z.
    std::map<double, double> stair;
    for (std::size_t i : order) {
      const double y = v[i * 3 + 1], z = v[i * 3 + 2];
      auto it = stair.upper_bound(y);
      if (it != stair.begin() && std::prev(it)->second <= z) continue;
      kept.push_back(i);
      // Remove the entries this point now covers: y' ≥ y and z' ≥ z.
      auto first = stair.lower_bound(y);
      auto last = first;
      while (last != stair.end() && last->second >= z) ++last;
      stair.erase(first, last);
      stair.emplace(y, z);
    }
  } else {
    // Linear filter first: cheap when dominated points are found quickly. For
    // k = 4, past a work budget (a large frontier) switch to the Fenwick tree.
    const std::size_t budget =
        k == 4 ? 64 * n + 1'000'000 : std::numeric_limits<std::size_t>::max();
    if (!linear_filter(v, k, order, budget, kept)) {
      kept.clear();
      fenwick_filter_4d(v, n, order, kept);
    }
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

}  // namespace detail

/// Indices (ascending) of the Pareto-optimal points. `values` holds n points
/// row-major, k = senses.size() objectives each (values.size() must be a
/// multiple of k); `senses[j]` says whether objective j is minimised or
/// maximised. Equal points: only the first is kept. n = 0 gives an empty
/// result. Throws std::invalid_argument for k = 0, a size that is not a
/// multiple of k, or a NaN.
[[nodiscard]] inline std::vector<std::size_t> pareto_front(std::span<const double> values,
                                                           std::span<const sense> senses) {
  const std::size_t k = senses.size();
  if (k == 0) throw std::invalid_argument("pareto_front: no objectives (senses is empty)");
  if (values.size() % k != 0)
    throw std::invalid_argument("pareto_front: " + std::to_string(values.size()) +
                                " values is not a multiple of " + std::to_string(k) +
                                " objectives");
  const std::size_t n = values.size() / k;
  std::vector<double> v(values.begin(), values.end());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i]))
      throw std::invalid_argument("pareto_front: point " + std::to_string(i / k) + ", objective " +
                                  std::to_string(i % k) + " is NaN");
    if (senses[i % k] == sense::maximize) v[i] = -v[i];
  }
  return detail::pareto_front_min(v, n, k);
}

/// The same for points given as a range of rows with `operator[]` and `size()`
/// (std::vector<std::array<double, K>>, std::vector<std::vector<double>>, ...);
/// every row must have senses.size() entries.
template <class Points>
requires requires(const Points& ps) {
  std::size(*std::begin(ps));
}
[[nodiscard]] std::vector<std::size_t> pareto_front(const Points& points,
                                                    std::span<const sense> senses) {
  const std::size_t k = senses.size();
  std::vector<double> flat;
  flat.reserve(std::size(points) * k);
  std::size_t i = 0;
  for (const auto& p : points) {
    if (std::size(p) != k)
      throw std::invalid_argument("pareto_front: point " + std::to_string(i) + " has " +
                                  std::to_string(std::size(p)) + " objectives, expected " +
                                  std::to_string(k));
    for (std::size_t j = 0; j < k; ++j) flat.push_back(static_cast<double>(p[j]));
    ++i;
  }
  return pareto_front(std::span<const double>(flat), senses);
}

}  // namespace edgeperf
