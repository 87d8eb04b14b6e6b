// Majority / plurality vote and best-of-N accuracy of N parallel samples.
#include "edgeperf/plan/vote.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

using namespace edgeperf;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

/// Brute force: enumerate all kⁿ answer vectors (option 0 is correct), apply
/// the plurality rule with uniform random tie-breaking.
double brute_force_plurality(double p, unsigned n, unsigned k) {
  const double q = (1.0 - p) / (k - 1);
  std::vector<unsigned> answer(n, 0);
  double acc = 0.0;
  while (true) {
    double prob = 1.0;
    std::vector<unsigned> count(k, 0);
    for (unsigned a : answer) {
      prob *= a == 0 ? p : q;
      ++count[a];
    }
    unsigned top = 0;
    for (unsigned c : count) top = std::max(top, c);
    unsigned tied = 0;
    for (unsigned c : count) tied += c == top ? 1 : 0;
    if (count[0] == top) acc += prob / tied;
    // next answer vector (odometer)
    unsigned i = 0;
    while (i < n && ++answer[i] == k) answer[i++] = 0;
    if (i == n) break;
  }
  return acc;
}

}  // namespace

TEST_CASE("Majority vote equals the hand-written binomial sums", "[plan][vote]") {
  const double p = 0.6, w = 0.4;
  // N = 3: P(X ≥ 2) = 3 p² w + p³ = 0.432 + 0.216
  CHECK_THAT(majority_vote_accuracy(p, 3), WithinAbs(3 * p * p * w + p * p * p, 1e-14));
  CHECK_THAT(majority_vote_accuracy(p, 3), WithinAbs(0.648, 1e-14));
  // N = 5: P(X ≥ 3) = 10 p³ w² + 5 p⁴ w + p⁵ = 0.3456 + 0.2592 + 0.07776
  CHECK_THAT(
      majority_vote_accuracy(p, 5),
      WithinAbs(10 * std::pow(p, 3) * w * w + 5 * std::pow(p, 4) * w + std::pow(p, 5), 1e-14));
  CHECK_THAT(majority_vote_accuracy(p, 5), WithinAbs(0.68256, 1e-14));
  // N = 4: P(X ≥ 3) + ½ P(X = 2) = 4 p³ w + p⁴ + ½ · 6 p² w² = 0.3456 + 0.1296 + 0.1728
  CHECK_THAT(majority_vote_accuracy(p, 4),
             WithinAbs(4 * std::pow(p, 3) * w + std::pow(p, 4) + 0.5 * 6 * p * p * w * w, 1e-14));
  // N = 2: p² + ½ · 2 p w = p.
  CHECK_THAT(majority_vote_accuracy(p, 2), WithinAbs(p, 1e-14));
  CHECK(majority_vote_accuracy(p, 1) == p);
  // p = 0.3 (a weak model): voting hurts. N = 3: 3 · 0.09 · 0.7 + 0.027 = 0.216.
  CHECK_THAT(majority_vote_accuracy(0.3, 3), WithinAbs(0.216, 1e-14));
  CHECK(majority_vote_accuracy(0.0, 9) == 0.0);
  CHECK(majority_vote_accuracy(1.0, 9) == 1.0);
  CHECK_THAT(majority_vote_accuracy(0.5, 7), WithinAbs(0.5, 1e-14));
}

TEST_CASE("Majority vote: half-credit ties make A(2m) = A(2m − 1), Condorcet trend",
          "[plan][vote]") {
  for (double p : {0.2, 0.55, 0.8}) {
    double prev = majority_vote_accuracy(p, 1);
    for (unsigned m = 1; m <= 30; ++m) {
      CAPTURE(p, m);
      CHECK_THAT(majority_vote_accuracy(p, 2 * m),
                 WithinAbs(majority_vote_accuracy(p, 2 * m - 1), 1e-13));
      const double next = majority_vote_accuracy(p, 2 * m + 1);
      if (p > 0.5) CHECK(next > prev);
      if (p < 0.5) CHECK(next < prev);
      prev = next;
    }
  }
  CHECK(majority_vote_accuracy(0.6, 1001) > 0.999);
}

TEST_CASE("Plurality vote over k options matches brute-force enumeration", "[plan][vote]") {
  for (unsigned k : {2U, 3U, 4U, 5U}) {
    for (unsigned n = 1; n <= 7; ++n) {
      if (std::pow(k, n) > 1e5) continue;
      for (double p : {0.0, 0.15, 0.3, 0.6, 0.9, 1.0}) {
        CAPTURE(k, n, p);
        CHECK_THAT(plurality_vote_accuracy(p, n, k),
                   WithinAbs(brute_force_plurality(p, n, k), 1e-12));
      }
    }
  }
  // Hand case: k = 3, N = 2, p = 0.5, q = 0.25. Correct when both correct (0.25), or one
  // correct + one wrong (2·0.5·0.5 = 0.5, a 2-way tie → ½); two different wrong answers
  // give no credit: A = 0.25 + 0.25 = 0.5.
  CHECK_THAT(plurality_vote_accuracy(0.5, 2, 3), WithinAbs(0.5, 1e-15));
  // With more options a wrong answer splits its votes, so the vote beats the binary case.
  CHECK(plurality_vote_accuracy(0.4, 9, 4) > majority_vote_accuracy(0.4, 9));
  CHECK(plurality_vote_accuracy(0.4, 9, 4) > 0.4);
  // k = 2 is the binary vote; large N stays a probability and grows for p > q.
  CHECK_THAT(plurality_vote_accuracy(0.6, 64, 2),
             WithinAbs(majority_vote_accuracy(0.6, 64), 1e-15));
  const double a64 = plurality_vote_accuracy(0.35, 64, 4);
  CHECK(a64 > plurality_vote_accuracy(0.35, 32, 4));
  CHECK(a64 <= 1.0);
  // Sum over all options equals 1: by symmetry each wrong option wins with the same
  // probability, so A(correct) + (k − 1) A(one wrong) = 1 when p equals q.
  CHECK_THAT(plurality_vote_accuracy(0.25, 10, 4), WithinAbs(0.25, 1e-13));
}

TEST_CASE("Best-of-N with a verifier and pass@N", "[plan][vote]") {
  // p = 0.6, N = 3, v = 0.8: 0.8 · (1 − 0.4³) + 0.2 · 0.6 = 0.7488 + 0.12.
  CHECK_THAT(best_of_n_accuracy(0.6, 3, 0.8), WithinAbs(0.8688, 1e-14));
  CHECK_THAT(pass_at_n(0.6, 3), WithinAbs(0.936, 1e-14));
  CHECK_THAT(best_of_n_accuracy(0.6, 3, 1.0), WithinAbs(pass_at_n(0.6, 3), 1e-15));
  CHECK_THAT(best_of_n_accuracy(0.6, 3, 0.0), WithinAbs(0.6, 1e-15));
  CHECK(best_of_n_accuracy(0.3, 1, 0.7) == Approx(0.3));
}

TEST_CASE("Vote functions reject out-of-domain arguments", "[plan][vote]") {
  CHECK_THROWS_WITH(majority_vote_accuracy(1.2, 3),
                    Contains("per-sample accuracy p") && Contains("1.2"));
  CHECK_THROWS_WITH(majority_vote_accuracy(0.5, 0), Contains("n (number of samples)"));
  CHECK_THROWS_WITH(plurality_vote_accuracy(0.5, 3, 1), Contains("k (answer options)"));
  CHECK_THROWS_WITH(plurality_vote_accuracy(0.5, 65, 4), Contains("65") && Contains("64"));
  CHECK_THROWS_WITH(best_of_n_accuracy(0.5, 3, -0.1), Contains("verifier accuracy v"));
  CHECK_THROWS_AS(pass_at_n(NAN, 3), std::invalid_argument);
}
