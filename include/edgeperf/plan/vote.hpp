#pragma once
/// @file
/// Accuracy of test-time scaling by parallel sampling: N independent samples
/// of a model whose single-sample accuracy on a benchmark is p, combined by
/// majority (self-consistency) vote, plurality vote over k answer options,
/// or best-of-N selection by a verifier. These turn one measured accuracy
/// (accuracy.hpp) into the accuracy of every sample count the planner tries.
///
/// Model assumptions, stated once: samples are independent and identically
/// distributed given the question, and every question has the same p (a
/// per-question spread of p changes the vote gain; feed measured N-sample
/// accuracies through the accuracy table when you have them). Tie rule
/// everywhere: when several answers share the top count, the vote picks one
/// of them uniformly at random, so the expected credit of a tie among j + 1
/// answers that include the correct one is 1/(j + 1).
///
/// Errors: the arguments are checked (p, v ∈ [0, 1], n ≥ 1, k ≥ 2, n ≤ 64 for
/// the exact multinomial sum) and violations throw std::invalid_argument
/// naming the value, like the queries of output_length.hpp.
///
/// Source: self-consistency is Wang et al., "Self-Consistency Improves Chain of
/// Thought Reasoning in Language Models" (ICLR 2023); the binomial/multinomial
/// sums are standard (Condorcet's jury theorem for the binary case).

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/special_functions/factorials.hpp>

namespace edgeperf {

/// Largest N for which `plurality_vote_accuracy` sums the multinomial exactly
/// (the cost is O(k·N³) multiply-adds: about 10⁷ for k = 4, N = 64).
inline constexpr unsigned max_exact_vote_samples = 64;

namespace detail {

inline void check_probability(double p, const char* fn, const char* name) {
  if (!(p >= 0.0 && p <= 1.0))
    throw std::invalid_argument(std::string(fn) + ": " + name + " must be in [0, 1], got " +
                                std::to_string(p));
}
inline void check_samples(unsigned n, const char* fn) {
  if (n < 1)
    throw std::invalid_argument(std::string(fn) + ": n (number of samples) must be >= 1, got 0");
}

}  // namespace detail

/// Majority vote of n samples between the correct answer and a single wrong
/// one (binary case). With X ~ Binomial(n, p) correct samples:
///   A(n, p) = P(X > n/2) + ½ P(X = n/2)   (the ½ term only for even n),
/// i.e. a tie is broken by a fair coin. A(1, p) = A(2, p) = p; A is
/// increasing in n for p > ½ and decreasing for p < ½ (Condorcet).
[[nodiscard]] inline double majority_vote_accuracy(double p, unsigned n) {
  detail::check_probability(p, "majority_vote_accuracy", "per-sample accuracy p");
  detail::check_samples(n, "majority_vote_accuracy");
  if (p == 0.0 || p == 1.0) return p;
  const boost::math::binomial_distribution<double> x(static_cast<double>(n), p);
  const unsigned half = n / 2;  // P(X > ⌊n/2⌋)
  double a = boost::math::cdf(boost::math::complement(x, static_cast<double>(half)));
  if (n % 2 == 0) a += 0.5 * boost::math::pdf(x, static_cast<double>(half));
  return a;
}

/// Plurality vote of n samples over k ≥ 2 answer options (multiple choice):
/// each sample is correct with probability p and otherwise picks one of the
/// k − 1 wrong options uniformly, q = (1 − p)/(k − 1) each. With counts
/// (c, w₁, …, w_{k−1}) ~ Multinomial(n; p, q, …, q), the vote is correct when
/// c ≥ max wᵢ, with credit 1/(1 + #{i : wᵢ = c}) under the random tie rule:
///   A = Σ_c P(c) · E[ 1{max w ≤ c} / (1 + #{wᵢ = c}) | c ],
/// summed exactly: for j options tied at c and the other k − 1 − j below c,
///   Σ_j C(k−1, j) (q^c/c!)^j · [x^{m−jc}] (Σ_{w<c} (q x)^w/w!)^{k−1−j},
/// times n! p^c / c!, with m = n − c. k = 2 reduces to
/// `majority_vote_accuracy`. Uniform wrong answers are the favourable case for
/// the vote (a dominant wrong distractor lowers A). Exact for n ≤ 64
/// (`max_exact_vote_samples`); throws std::invalid_argument beyond that, or
/// for k < 2, n < 1, p ∉ [0, 1].
[[nodiscard]] inline double plurality_vote_accuracy(double p, unsigned n, unsigned k) {
  detail::check_probability(p, "plurality_vote_accuracy", "per-sample accuracy p");
  detail::check_samples(n, "plurality_vote_accuracy");
  if (k < 2)
    throw std::invalid_argument("plurality_vote_accuracy: k (answer options) must be >= 2, got " +
                                std::to_string(k));
  if (n > max_exact_vote_samples)
    throw std::invalid_argument("plurality_vote_accuracy: n = " + std::to_string(n) +
                                " samples exceeds the exact-sum limit of " +
                                std::to_string(max_exact_vote_samples));
  if (k == 2) return majority_vote_accuracy(p, n);
  if (p == 0.0 || p == 1.0) return p;
  const unsigned r = k - 1;  // wrong options
  const double q = (1.0 - p) / static_cast<double>(r);
  std::vector<double> inv_fact(n + 1);  // 1/i!
  for (unsigned i = 0; i <= n; ++i) inv_fact[i] = 1.0 / boost::math::factorial<double>(i);
  const double n_fact = boost::math::factorial<double>(n);
  // C(r, j) as a double (r may be large; j ≤ n).
  auto choose = [](unsigned a, unsigned b) {
    return boost::math::binomial_coefficient<double>(a, b);
  };

  double acc = 0.0;
  for (unsigned c = 1; c <= n; ++c) {  // c = 0 can only win if every count is 0, impossible (n ≥ 1)
    const unsigned m = n - c;
    // base[w] = q^w / w! for w < c: one wrong option strictly below c.
    std::vector<double> base(std::min(c, m + 1));
    for (unsigned w = 0; w < base.size(); ++w) base[w] = std::pow(q, w) * inv_fact[w];
    // pw[j] = coefficients (degree ≤ m) of base(x)^{r−j}: the r − j options below c.
    // Tied options j: each takes exactly c, so j ≤ m / c and j ≤ r.
    const unsigned j_max = std::min<unsigned>(r, m / c);
    const unsigned t_min = r - j_max;
    std::vector<double> poly(m + 1, 0.0);
    poly[0] = 1.0;                                   // base^0
    std::vector<std::vector<double>> pw(j_max + 1);  // pw[j] = base^{r - j}
    if (t_min == 0) pw[r] = poly;
    for (unsigned t = 1; t <= r; ++t) {
      std::vector<double> next(m + 1, 0.0);
      for (unsigned a = 0; a <= m; ++a) {
        if (poly[a] == 0.0) continue;
        for (unsigned w = 0; w < base.size() && a + w <= m; ++w) next[a + w] += poly[a] * base[w];
      }
      poly.swap(next);
      if (t >= t_min) pw[r - t] = poly;
    }
    const double tie_term = std::pow(q, c) * inv_fact[c];
    double inner = 0.0;
    for (unsigned j = 0; j <= j_max; ++j) {
      const unsigned rest = m - j * c;
      inner += choose(r, j) * std::pow(tie_term, j) * pw[j][rest] / static_cast<double>(j + 1);
    }
    acc += n_fact * std::pow(p, c) * inv_fact[c] * inner;
  }
  return acc;
}

/// pass@n: the probability that at least one of n samples is correct,
/// 1 − (1 − p)ⁿ (an oracle selector; the upper bound of any selection rule).
[[nodiscard]] inline double pass_at_n(double p, unsigned n) {
  detail::check_probability(p, "pass_at_n", "per-sample accuracy p");
  detail::check_samples(n, "pass_at_n");
  return -std::expm1(static_cast<double>(n) * std::log1p(-p));
}

/// Best-of-n with a verifier of accuracy v. Definition: independently of the
/// samples, the verifier succeeds with probability v; when it succeeds it
/// returns a correct sample if at least one of the n is correct (and a wrong
/// one otherwise); when it fails it returns one of the n samples uniformly at
/// random, which is correct with probability p. Hence
///   A = v · (1 − (1 − p)ⁿ) + (1 − v) · p,
/// with A = p at v = 0 (no better than one sample) and A = pass@n at v = 1.
[[nodiscard]] inline double best_of_n_accuracy(double p, unsigned n, double v) {
  detail::check_probability(v, "best_of_n_accuracy", "verifier accuracy v");
  detail::check_probability(p, "best_of_n_accuracy", "per-sample accuracy p");
  detail::check_samples(n, "best_of_n_accuracy");
  return v * pass_at_n(p, n) + (1.0 - v) * p;
}

}  // namespace edgeperf
