// Exact Pareto frontier: a hand-checked set and O(n²) brute force in 2-D to 5-D.
#include "edgeperf/plan/pareto.hpp"

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

using namespace edgeperf;
using Catch::Matchers::Contains;

namespace {

/// O(n²) reference: keep i unless some j dominates it, or j < i equals it.
std::vector<std::size_t> brute_force(const std::vector<std::vector<double>>& pts,
                                     const std::vector<sense>& senses) {
  const auto better_eq = [&](const std::vector<double>& a, const std::vector<double>& b,
                             std::size_t j) {
    return senses[j] == sense::minimize ? a[j] <= b[j] : a[j] >= b[j];
  };
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    bool keep = true;
    for (std::size_t o = 0; o < pts.size() && keep; ++o) {
      if (o == i) continue;
      bool weak = true;
      for (std::size_t j = 0; j < senses.size(); ++j) weak = weak && better_eq(pts[o], pts[i], j);
      if (!weak) continue;
      const bool equal = pts[o] == pts[i];
      if (!equal || o < i) keep = false;
    }
    if (keep) out.push_back(i);
  }
  return out;
}

}  // namespace

TEST_CASE("Pareto frontier of a hand-checked set", "[plan][pareto]") {
  // (latency_s ↓, accuracy ↑)
  const std::vector<std::array<double, 2>> pts{
      {1.0, 0.50},   // 0: fastest — kept
      {2.0, 0.60},   // 1: kept
      {2.5, 0.55},   // 2: dominated by 1 (slower, less accurate)
      {2.0, 0.60},   // 3: duplicate of 1 — dropped (first kept)
      {4.0, 0.80},   // 4: kept
      {4.0, 0.70},   // 5: dominated by 4 (same latency, less accurate)
      {1.0, 0.40},   // 6: dominated by 0 (same latency, less accurate)
      {10.0, 0.80},  // 7: dominated by 4 (same accuracy, slower)
      {12.0, 0.81},  // 8: kept (most accurate)
  };
  const std::array<sense, 2> s{sense::minimize, sense::maximize};
  CHECK(pareto_front(pts, s) == std::vector<std::size_t>{0, 1, 4, 8});

  // 4 objectives: latency ↓, energy ↓, accuracy ↑, memory ↓.
  const std::vector<std::vector<double>> cfg{
      {5, 50, 0.60, 8},   // 0: kept
      {5, 50, 0.60, 9},   // 1: dominated by 0 (more memory only)
      {3, 80, 0.60, 8},   // 2: kept (faster, more energy)
      {6, 60, 0.55, 10},  // 3: dominated by 0
      {9, 90, 0.80, 16},  // 4: kept (most accurate)
      {2, 20, 0.30, 2},   // 5: kept (cheapest)
      {9, 90, 0.80, 16},  // 6: duplicate of 4
  };
  const std::array<sense, 4> s4{sense::minimize, sense::minimize, sense::maximize, sense::minimize};
  CHECK(pareto_front(cfg, s4) == std::vector<std::size_t>{0, 2, 4, 5});
  // Flipping the accuracy sense changes the answer (the sense is honoured).
  const std::array<sense, 4> all_min{sense::minimize, sense::minimize, sense::minimize,
                                     sense::minimize};
  CHECK(pareto_front(cfg, all_min) == std::vector<std::size_t>{5});

  // Flat row-major input, 3 objectives.
  const std::vector<double> flat{1, 2, 3, 3, 2, 1, 2, 2, 2, 3, 3, 3, 1, 2, 3};
  const std::array<sense, 3> s3{sense::minimize, sense::minimize, sense::minimize};
  CHECK(pareto_front(std::span<const double>(flat), s3) == std::vector<std::size_t>{0, 1, 2});

  CHECK(pareto_front(std::vector<std::array<double, 2>>{}, s).empty());
  const std::array<sense, 1> s1{sense::maximize};
  CHECK(pareto_front(std::vector<std::array<double, 1>>{{1}, {3}, {2}, {3}}, s1) ==
        std::vector<std::size_t>{1});
}

TEST_CASE("Pareto frontier rejects malformed input", "[plan][pareto]") {
  const std::array<sense, 2> s{sense::minimize, sense::maximize};
  const std::vector<double> odd{1, 2, 3};
  CHECK_THROWS_WITH(pareto_front(std::span<const double>(odd), s), Contains("multiple of 2"));
  const std::vector<double> nan{1, 2, NAN, 3};
  CHECK_THROWS_WITH(pareto_front(std::span<const double>(nan), s),
                    Contains("point 1, objective 0 is NaN"));
  CHECK_THROWS_WITH(pareto_front(std::span<const double>(odd), std::span<const sense>()),
                    Contains("no objectives"));
  const std::vector<std::vector<double>> ragged{{1, 2}, {1}};
  CHECK_THROWS_WITH(pareto_front(ragged, s), Contains("point 1 has 1 objectives"));
}

TEST_CASE("Pareto frontier equals an O(n²) brute force on random points", "[plan][pareto]") {
  std::mt19937_64 rng(2024);
  for (std::size_t k : {2U, 3U, 4U, 5U}) {
    for (int trial = 0; trial < 40; ++trial) {
      const std::size_t n = 1 + rng() % 300;
      // Alternate continuous values and a coarse grid (many ties and duplicates).
      const bool grid = trial % 2 == 1;
      std::uniform_real_distribution<double> u(0.0, 1.0);
      std::vector<std::vector<double>> pts(n, std::vector<double>(k));
      for (auto& p : pts)
        for (auto& x : p) x = grid ? std::floor(u(rng) * 4.0) : u(rng);
      // Anti-correlate the first two objectives sometimes, which makes fronts large.
      if (trial % 4 == 0)
        for (auto& p : pts) p[1] = (grid ? 3.0 : 1.0) - p[0] + (grid ? 0.0 : 0.01 * p[1]);
      std::vector<sense> s(k);
      for (std::size_t j = 0; j < k; ++j) s[j] = (rng() % 2) ? sense::maximize : sense::minimize;
      CAPTURE(k, n, trial);
      const auto fast = pareto_front(pts, s);
      const auto slow = brute_force(pts, s);
      CHECK(fast == slow);
    }
  }
}

TEST_CASE("4-D frontier with a large front (the Fenwick-tree path) equals brute force",
          "[plan][pareto]") {
  // Points near a simplex (sum 1) are mostly mutually non-dominated, which pushes
  // the linear pass past its work budget; grid values add ties and duplicates.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (const bool grid : {false, true}) {
    std::vector<std::vector<double>> pts(3000, std::vector<double>(4));
    for (auto& p : pts) {
      double sum = 0.0;
      for (auto& x : p) sum += (x = u(rng));
      for (auto& x : p) x = grid ? std::round(x / sum * 200.0) : x / sum;
      if (u(rng) < 0.1) p[3] += 0.5;  // some clearly dominated points
    }
    for (std::size_t i = 0; i < 200; ++i) pts.push_back(pts[i * 7]);  // exact duplicates
    std::vector<sense> s{sense::minimize, sense::maximize, sense::minimize, sense::maximize};
    for (auto& p : pts) p[1] = -p[1], p[3] = -p[3];  // honour the maximised senses
    CAPTURE(grid);
    const auto fast = pareto_front(pts, s);
    CHECK(fast.size() > 1000);  // large enough to have switched algorithms
    CHECK(fast == brute_force(pts, s));
  }
}

TEST_CASE("Pareto frontier handles 1e5 points", "[plan][pareto]") {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t k : {2U, 3U, 4U}) {
    std::vector<double> flat(100000 * k);
    for (auto& x : flat) x = u(rng);
    std::vector<sense> s(k, sense::minimize);
    const auto front = pareto_front(std::span<const double>(flat), s);
    CAPTURE(k, front.size());
    CHECK(!front.empty());
    CHECK(front.size() < 5000);
    // Spot-check: no kept point is dominated by a sample of other points.
    for (std::size_t f = 0; f < front.size(); f += std::max<std::size_t>(1, front.size() / 20)) {
      const double* p = &flat[front[f] * k];
      bool dominated = false;
      for (std::size_t o = 0; o < 100000; o += 7) {
        if (o == front[f]) continue;
        const double* q = &flat[o * k];
        bool dom = true, strict = false;
        for (std::size_t j = 0; j < k; ++j) {
          dom = dom && q[j] <= p[j];
          strict = strict || q[j] < p[j];
        }
        dominated = dominated || (dom && strict);
      }
      CAPTURE(f);
      CHECK_FALSE(dominated);
    }
  }
}
