#pragma once
/// @file
/// Output-length models for generated answers and reasoning traces, the
/// random variable L (tokens) that latency and energy are integrated over
/// when planning. A model is one of four laws, each optionally cut at a token
/// budget B:
///
///  * fixed: L = v;
///  * empirical histogram: P(L = v_i) = w_i / Σw (exact sums everywhere);
///  * lognormal(μ, σ): ln L ~ Normal(μ, σ²);
///  * gamma(k, θ): shape k, scale θ tokens.
///
/// Truncation is a hard cut, the way a runtime stops generating at
/// `max_tokens`: the observed length is L_B = min(L, B), so the mass
/// P(L ≥ B) sits as an atom at B and E[L_B] = ∫₀ᴮ (1 − F(x)) dx.
///
/// The planner needs more than E[L]: decode time grows with context, so the
/// latency of a request is a non-linear f(L) and E[f(L)] ≠ f(E[L]); and with
/// N parallel samples the request ends when the longest sample does, so it
/// needs E[f(max of N)]. `expectation` and `expectation_of_max` integrate an
/// arbitrary cost over the law (quadrature over quantiles for the continuous
/// laws, exact sums for the discrete ones, plus the atom at B).
///
/// Error convention (shared by the plan/ headers): the makers that take user
/// data (`output_length::lognormal`, `fit_gamma`, `with_budget`, ...) return
/// `result<output_length>` with an `errc::invalid_argument` naming the value;
/// the queries on an already valid model (`expected_max`, `quantile`, ...)
/// throw `std::invalid_argument` when a scalar argument is out of its domain
/// (n = 0, p ∉ [0, 1]) — a programming error the caller can avoid.
///
/// Sources: the laws and moment formulas are textbook (e.g. Johnson, Kotz &
/// Balakrishnan, Continuous Univariate Distributions, ch. 14 and 17); the
/// gamma MLE iteration is Minka (2002), "Estimating a Gamma distribution".

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include "edgeperf/result.hpp"

namespace edgeperf {

/// L = v tokens with probability 1.
struct fixed_law {
  double tokens{0.0};  ///< v ≥ 0
};

/// An empirical distribution: sorted distinct values with normalized
/// probabilities and their running CDF (cdf.back() == 1 exactly).
struct histogram_law {
  std::vector<double> tokens;  ///< v_1 < v_2 < ... (tokens, ≥ 0)
  std::vector<double> prob;    ///< P(L = v_i), sums to 1
  std::vector<double> cdf;     ///< F(v_i) = Σ_{j ≤ i} prob_j
};

/// ln L ~ Normal(μ, σ²): E[L] = exp(μ + σ²/2), CV² = exp(σ²) − 1.
struct lognormal_law {
  double mu{0.0};     ///< μ, location of ln L (ln tokens)
  double sigma{1.0};  ///< σ > 0, scale of ln L
};

/// L ~ Gamma(k, θ): density x^{k−1} e^{−x/θ} / (Γ(k) θ^k); E[L] = kθ, CV² = 1/k.
struct gamma_law {
  double shape{1.0};         ///< k > 0
  double scale_tokens{1.0};  ///< θ > 0 (tokens)
};

/// How to fit a law to samples.
enum class fit_method {
  moments,  ///< match the sample mean and (population) variance
  mle,      ///< maximum likelihood
};

/// An output-length model: a law plus an optional hard cut at a token budget.
/// Built only through the static makers, which validate their inputs, so every
/// `output_length` value is a valid distribution on [0, ∞).
class output_length {
 public:
  using law_type = std::variant<fixed_law, histogram_law, lognormal_law, gamma_law>;

  /// L = `tokens` (≥ 0, finite).
  [[nodiscard]] static result<output_length> fixed(double tokens) {
    if (!(tokens >= 0.0) || !std::isfinite(tokens))
      return bad("fixed length: tokens must be finite and >= 0, got " + num(tokens));
    return output_length(fixed_law{tokens});
  }

  /// Empirical law: P(L = values[i]) ∝ weights[i]. Values finite ≥ 0, weights
  /// finite ≥ 0 with a positive sum, both the same non-zero size. Repeated
  /// values are merged; zero-weight values are dropped.
  [[nodiscard]] static result<output_length> histogram(std::span<const double> values,
                                                       std::span<const double> weights) {
    if (values.empty()) return bad("histogram: no values");
    if (values.size() != weights.size())
      return bad("histogram: " + std::to_string(values.size()) + " values but " +
                 std::to_string(weights.size()) + " weights");
    double total = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!(values[i] >= 0.0) || !std::isfinite(values[i]))
        return bad("histogram: value[" + std::to_string(i) + "] must be finite and >= 0, got " +
                   num(values[i]));
      if (!(weights[i] >= 0.0) || !std::isfinite(weights[i]))
        return bad("histogram: weight[" + std::to_string(i) + "] must be finite and >= 0, got " +
                   num(weights[i]));
      total += weights[i];
    }
    if (!(total > 0.0)) return bad("histogram: the weights sum to 0");
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    histogram_law h;
    for (std::size_t i : order) {
      if (weights[i] == 0.0) continue;
      if (!h.tokens.empty() && h.tokens.back() == values[i]) {
        h.prob.back() += weights[i] / total;
      } else {
        h.tokens.push_back(values[i]);
        h.prob.push_back(weights[i] / total);
      }
    }
    double run = 0.0;
    for (double p : h.prob) h.cdf.push_back(run += p);
    h.cdf.back() = 1.0;  // absorb rounding: F(max value) is exactly 1
    return output_length(std::move(h));
  }

  /// Empirical law of raw samples, each with weight 1.
  [[nodiscard]] static result<output_length> histogram(std::span<const double> samples) {
    const std::vector<double> ones(samples.size(), 1.0);
    return histogram(samples, ones);
  }

  /// Lognormal with ln L ~ Normal(μ, σ²); μ finite, σ > 0 finite.
  [[nodiscard]] static result<output_length> lognormal(double mu, double sigma) {
    if (!std::isfinite(mu)) return bad("lognormal: mu must be finite, got " + num(mu));
    if (!(sigma > 0.0) || !std::isfinite(sigma))
      return bad("lognormal: sigma must be finite and > 0, got " + num(sigma));
    return output_length(lognormal_law{mu, sigma});
  }

  /// Lognormal with the given mean (tokens, > 0) and coefficient of variation
  /// (CV = sd/mean, > 0): σ² = ln(1 + CV²), μ = ln(mean) − σ²/2.
  [[nodiscard]] static result<output_length> lognormal_mean_cv(double mean_tokens, double cv) {
    if (auto e = check_mean_cv("lognormal", mean_tokens, cv)) return *e;
    const double s2 = std::log1p(cv * cv);
    return lognormal(std::log(mean_tokens) - 0.5 * s2, std::sqrt(s2));
  }

  /// Gamma with shape k > 0 and scale θ > 0 (tokens).
  [[nodiscard]] static result<output_length> gamma(double shape, double scale_tokens) {
    if (!(shape > 0.0) || !std::isfinite(shape))
      return bad("gamma: shape must be finite and > 0, got " + num(shape));
    if (!(scale_tokens > 0.0) || !std::isfinite(scale_tokens))
      return bad("gamma: scale must be finite and > 0, got " + num(scale_tokens));
    return output_length(gamma_law{shape, scale_tokens});
  }

  /// Gamma with the given mean (tokens, > 0) and CV (> 0): k = 1/CV², θ = mean·CV².
  [[nodiscard]] static result<output_length> gamma_mean_cv(double mean_tokens, double cv) {
    if (auto e = check_mean_cv("gamma", mean_tokens, cv)) return *e;
    return gamma(1.0 / (cv * cv), mean_tokens * cv * cv);
  }

  /// Fits a lognormal to samples (finite, > 0, at least two distinct values).
  /// `mle`: μ = mean(ln x), σ² = mean((ln x − μ)²) (the 1/n MLE);
  /// `moments`: `lognormal_mean_cv` of the sample mean and CV (1/n variance).
  [[nodiscard]] static result<output_length> fit_lognormal(std::span<const double> samples,
                                                           fit_method method = fit_method::mle) {
    if (auto e = check_samples("fit_lognormal", samples)) return *e;
    if (method == fit_method::moments) {
      const auto [mean, var] = mean_var(samples);
      return lognormal_mean_cv(mean, std::sqrt(var) / mean);
    }
    std::vector<double> logs(samples.size());
    std::transform(samples.begin(), samples.end(), logs.begin(),
                   [](double x) { return std::log(x); });
    const auto [mu, var] = mean_var(logs);
    return lognormal(mu, std::sqrt(var));
  }

  /// Fits a gamma to samples (finite, > 0, at least two distinct values).
  /// `moments`: k = mean²/var, θ = var/mean. `mle`: solve ln k − ψ(k) = s with
  /// s = ln(mean) − mean(ln x) by Newton's method from Minka's start
  /// k₀ = (3 − s + √((s − 3)² + 24 s)) / (12 s); then θ = mean/k.
  [[nodiscard]] static result<output_length> fit_gamma(std::span<const double> samples,
                                                       fit_method method = fit_method::mle) {
    if (auto e = check_samples("fit_gamma", samples)) return *e;
    const auto [mean, var] = mean_var(samples);
    if (method == fit_method::moments) return gamma(mean * mean / var, var / mean);
    double mean_log = 0.0;
    for (double x : samples) mean_log += std::log(x);
    mean_log /= static_cast<double>(samples.size());
    const double s = std::log(mean) - mean_log;  // > 0 by Jensen when the samples differ
    if (!(s > 0.0))
      return bad("fit_gamma: samples too concentrated for the MLE (s = " + num(s) + ")");
    double k = (3.0 - s + std::sqrt((s - 3.0) * (s - 3.0) + 24.0 * s)) / (12.0 * s);
    for (int it = 0; it < 100; ++it) {
      const double g = std::log(k) - boost::math::digamma(k) - s;
      const double dg = 1.0 / k - boost::math::trigamma(k);
      double next = k - g / dg;
      if (!(next > 0.0)) next = 0.5 * k;  // stay in the domain
      const bool done = std::abs(next - k) <= 1e-14 * k;
      k = next;
      if (done) break;
    }
    return gamma(k, mean / k);
  }

  /// This law cut at `budget_tokens` (finite, > 0): L_B = min(L, B). Cutting an
  /// already cut law keeps the smaller budget.
  [[nodiscard]] result<output_length> with_budget(double budget_tokens) const {
    if (!(budget_tokens > 0.0) || !std::isfinite(budget_tokens))
      return bad("token budget must be finite and > 0, got " + num(budget_tokens));
    output_length out = *this;
    out.budget_ = budget_ ? std::min(*budget_, budget_tokens) : budget_tokens;
    return out;
  }

  /// The same law without a budget.
  [[nodiscard]] output_length without_budget() const {
    output_length out = *this;
    out.budget_.reset();
    return out;
  }

  /// The underlying (uncut) law.
  [[nodiscard]] const law_type& law() const noexcept { return law_; }
  /// The hard-cut budget B in tokens, if any.
  [[nodiscard]] std::optional<double> budget_tokens() const noexcept { return budget_; }
  /// True for the fixed and histogram laws (all queries are exact sums).
  [[nodiscard]] bool is_discrete() const noexcept { return law_.index() < 2; }

 private:
  explicit output_length(law_type law) : law_(std::move(law)) {}

  static error bad(std::string msg) { return make_error(errc::invalid_argument, std::move(msg)); }
  static std::string num(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
  }
  static std::optional<error> check_mean_cv(const char* what, double mean, double cv) {
    if (!(mean > 0.0) || !std::isfinite(mean))
      return bad(std::string(what) + ": mean tokens must be finite and > 0, got " + num(mean));
    if (!(cv > 0.0) || !std::isfinite(cv))
      return bad(std::string(what) + ": coefficient of variation must be finite and > 0, got " +
                 num(cv));
    return std::nullopt;
  }
  static std::optional<error> check_samples(const char* what, std::span<const double> xs) {
    if (xs.size() < 2)
      return bad(std::string(what) + ": need at least 2 samples, got " + std::to_string(xs.size()));
    for (std::size_t i = 0; i < xs.size(); ++i)
      if (!(xs[i] > 0.0) || !std::isfinite(xs[i]))
        return bad(std::string(what) + ": sample[" + std::to_string(i) +
                   "] must be finite and > 0, got " + num(xs[i]));
    if (std::all_of(xs.begin(), xs.end(), [&](double x) { return x == xs[0]; }))
      return bad(std::string(what) + ": all samples equal " + num(xs[0]) +
                 " (zero variance: use output_length::fixed)");
    return std::nullopt;
  }
  static std::pair<double, double> mean_var(std::span<const double> xs) {
    const double n = static_cast<double>(xs.size());
    double mean = 0.0;
    for (double x : xs) mean += x;
    mean /= n;
    double var = 0.0;
    for (double x : xs) var += (x - mean) * (x - mean);
    return {mean, var / n};
  }

  law_type law_;
  std::optional<double> budget_;
};

namespace detail {

/// Boost.Math policy for the length laws: no promotion to long double (speed),
/// and overflow returns ±∞ instead of throwing: the incomplete gamma of a large
/// shape at a tiny x overflows an intermediate Γ(k) although F(x) is simply 0
/// (e.g. Gamma(200, 5) at x = 1e-300). The parameters are validated before
/// they reach Boost.
using length_policy = boost::math::policies::policy<
    boost::math::policies::promote_double<false>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>>;

[[nodiscard]] inline boost::math::lognormal_distribution<double, length_policy> boost_dist(
    const lognormal_law& l) {
  return {l.mu, l.sigma};
}
[[nodiscard]] inline boost::math::gamma_distribution<double, length_policy> boost_dist(
    const gamma_law& g) {
  return {g.shape, g.scale_tokens};
}

/// Standard normal CDF Φ(z) = erfc(−z/√2)/2.
[[nodiscard]] inline double std_normal_cdf(double z) {
  return 0.5 * boost::math::erfc(-z / std::sqrt(2.0), length_policy());
}

/// 1 − F^n from F and S = 1 − F without cancellation.
[[nodiscard]] inline double one_minus_pow(double F, double S, unsigned n) {
  if (F < 0.5) return -std::expm1(static_cast<double>(n) * std::log(F));
  return -std::expm1(static_cast<double>(n) * std::log1p(-S));
}

inline void require_n(unsigned n, const char* what) {
  if (n < 1)
    throw std::invalid_argument(std::string(what) + ": n (number of samples) must be >= 1, got 0");
}

/// The shared tanh-sinh / exp-sinh integrators. Their abscissa tables grow
/// lazily under a mutex, so sharing them across threads is safe. (Non-const:
/// Boost 1.74 declares `integrate` as `auto ... -> decltype(...) const`, which
/// makes the return type const, not the member function.)
[[nodiscard]] inline boost::math::quadrature::tanh_sinh<double>& tanh_sinh_integrator() {
  static boost::math::quadrature::tanh_sinh<double> q;
  return q;
}
[[nodiscard]] inline boost::math::quadrature::exp_sinh<double>& exp_sinh_integrator() {
  static boost::math::quadrature::exp_sinh<double> q;
  return q;
}

/// Relative tolerance of the quadratures (well below the 1 % the planner needs).
inline constexpr double quad_tolerance = 1e-9;

/// E[f(min(M, B))] for M the max of n iid draws of the continuous law `d`:
///   E = ∫₀^{F(B)ⁿ} f(Q(t^{1/n})) dt + (1 − F(B)ⁿ) f(B),
/// the substitution t = uⁿ of ∫₀¹ f(Q(u)) n u^{n−1} du. Without a budget the
/// upper end t → 1 is evaluated through the complement 1 − u so that heavy
/// tails keep their precision.
template <class Dist, class F>
[[nodiscard]] double continuous_expectation_of_max(const Dist& d, unsigned n,
                                                   std::optional<double> budget, F&& f) {
  using boost::math::cdf;
  using boost::math::complement;
  using boost::math::quantile;
  const double dn = static_cast<double>(n);
  double upper = 1.0, atom = 0.0, fB = 0.0;
  if (budget) {
    const double FB = cdf(d, *budget), SB = cdf(complement(d, *budget));
    upper = std::pow(FB, dn);
    atom = one_minus_pow(FB, SB, n);
    fB = static_cast<double>(f(*budget));
  }
  const bool open_top = !budget;
  auto g = [&](double t, double tc) -> double {
    double x;
    if (open_top && t > 0.5) {
      const double c = tc > 0.0 ? tc : 1.0 - t;  // 1 − t
      const double uc = n == 1 ? c : -std::expm1(std::log1p(-c) / dn);
      x = quantile(complement(d, uc));
    } else {
      const double u = n == 1 ? t : std::exp(std::log(t) / dn);
      // u ≥ 1 only by rounding just below a budget whose F(B) ≈ 1 (t ≤ F(B)ⁿ there).
      x = (u >= 1.0 && budget) ? *budget : quantile(d, u);
    }
    if (budget) x = std::min(x, *budget);
    return static_cast<double>(f(x));
  };
  double integral = 0.0;
  if (upper > 0.0) integral = tanh_sinh_integrator().integrate(g, 0.0, upper, quad_tolerance);
  return integral + (atom > 0.0 ? atom * fB : 0.0);
}

/// E[f(min(M, B))] for M the max of n draws of the histogram law: exact,
/// Σ_i f(min(v_i, B)) (F(v_i)ⁿ − F(v_{i−1})ⁿ).
template <class F>
[[nodiscard]] double discrete_expectation_of_max(const histogram_law& h, unsigned n,
                                                 std::optional<double> budget, F&& f) {
  double sum = 0.0, prev = 0.0;
  for (std::size_t i = 0; i < h.tokens.size(); ++i) {
    const double cur = n == 1 ? h.cdf[i] : std::pow(h.cdf[i], static_cast<double>(n));
    const double x = budget ? std::min(h.tokens[i], *budget) : h.tokens[i];
    if (cur > prev) sum += (cur - prev) * static_cast<double>(f(x));
    prev = cur;
  }
  return sum;
}

}  // namespace detail

/// F(x) = P(L_B ≤ x): 0 for x < 0, 1 for x ≥ B; otherwise the law's CDF
/// (a step function for fixed/histogram).
[[nodiscard]] inline double cdf(const output_length& m, double x) {
  if (std::isnan(x)) throw std::invalid_argument("cdf: x is NaN");
  if (x < 0.0) return 0.0;
  if (m.budget_tokens() && x >= *m.budget_tokens()) return 1.0;
  return std::visit(
      [&](const auto& law) -> double {
        using T = std::decay_t<decltype(law)>;
        if constexpr (std::is_same_v<T, fixed_law>) {
          return x >= law.tokens ? 1.0 : 0.0;
        } else if constexpr (std::is_same_v<T, histogram_law>) {
          const auto it = std::upper_bound(law.tokens.begin(), law.tokens.end(), x);
          return it == law.tokens.begin()
                     ? 0.0
                     : law.cdf[static_cast<std::size_t>(it - law.tokens.begin()) - 1];
        } else {
          if (x == 0.0) return 0.0;
          if (std::isinf(x)) return 1.0;
          return boost::math::cdf(detail::boost_dist(law), x);
        }
      },
      m.law());
}

/// P(L ≥ B): the probability mass the hard cut piles at the budget (0 without one).
[[nodiscard]] inline double mass_at_budget(const output_length& m) {
  if (!m.budget_tokens()) return 0.0;
  const double B = *m.budget_tokens();
  return std::visit(
      [&](const auto& law) -> double {
        using T = std::decay_t<decltype(law)>;
        if constexpr (std::is_same_v<T, fixed_law>) {
          return law.tokens >= B ? 1.0 : 0.0;
        } else if constexpr (std::is_same_v<T, histogram_law>) {
          const auto it = std::lower_bound(law.tokens.begin(), law.tokens.end(), B);
          const auto i = static_cast<std::size_t>(it - law.tokens.begin());
          return i == 0 ? 1.0 : 1.0 - law.cdf[i - 1];
        } else {
          return boost::math::cdf(boost::math::complement(detail::boost_dist(law), B));
        }
      },
      m.law());
}

/// Q(p) = inf{x : F(x) ≥ p} of the cut law, p ∈ [0, 1]: min(Q_L(p), B).
/// Q(0) is the bottom of the support (0 for the continuous laws); Q(1) is B,
/// or +∞ for an uncut continuous law.
[[nodiscard]] inline double quantile(const output_length& m, double p) {
  if (!(p >= 0.0 && p <= 1.0))
    throw std::invalid_argument("quantile: probability must be in [0, 1], got " +
                                std::to_string(p));
  const auto B = m.budget_tokens();
  const double q = std::visit(
      [&](const auto& law) -> double {
        using T = std::decay_t<decltype(law)>;
        if constexpr (std::is_same_v<T, fixed_law>) {
          return law.tokens;
        } else if constexpr (std::is_same_v<T, histogram_law>) {
          const auto it = std::lower_bound(law.cdf.begin(), law.cdf.end(), p);
          return law.tokens[std::min(static_cast<std::size_t>(it - law.cdf.begin()),
                                     law.tokens.size() - 1)];
        } else {
          if (p == 0.0) return 0.0;
          if (p == 1.0) return std::numeric_limits<double>::infinity();
          return boost::math::quantile(detail::boost_dist(law), p);
        }
      },
      m.law());
  return B ? std::min(q, *B) : q;
}

/// E[f(L_B)] for a cost f(tokens) → double (seconds, joules, ...):
///   discrete laws: Σ_i p_i f(min(v_i, B)) (exact);
///   continuous laws: ∫₀^{F(B)} f(Q(u)) du + P(L ≥ B) f(B) by tanh-sinh
///   quadrature over the quantile (relative tolerance ~1e-9 for smooth f).
/// f must be finite on the support (and integrable against the law's tail
/// when there is no budget).
template <class F>
[[nodiscard]] double expectation(const output_length& m, F&& f) {
  return std::visit(
      [&](const auto& law) -> double {
        using T = std::decay_t<decltype(law)>;
        if constexpr (std::is_same_v<T, fixed_law>) {
          const auto B = m.budget_tokens();
          return static_cast<double>(f(B ? std::min(law.tokens, *B) : law.tokens));
        } else if constexpr (std::is_same_v<T, histogram_law>) {
          return detail::discrete_expectation_of_max(law, 1, m.budget_tokens(), f);
        } else {
          return detail::continuous_expectation_of_max(detail::boost_dist(law), 1,
                                                       m.budget_tokens(), f);
        }
      },
      m.law());
}

/// E[f(max(L_1, ..., L_n))] for n ≥ 1 iid draws of the cut law, f non-decreasing
/// (the latency of n parallel samples follows the longest one). The max has
/// CDF Fⁿ, so with t = uⁿ:
///   continuous: ∫₀^{F(B)ⁿ} f(Q(t^{1/n})) dt + (1 − F(B)ⁿ) f(B);
///   discrete:   Σ_i f(min(v_i, B)) (F(v_i)ⁿ − F(v_{i−1})ⁿ) (exact).
/// (Monotonicity makes f(max) = max f, which is what the caller means; the
/// formulas themselves hold for any f.) Throws std::invalid_argument if n = 0.
template <class F>
[[nodiscard]] double expectation_of_max(const output_length& m, unsigned n, F&& f) {
  detail::require_n(n, "expectation_of_max");
  return std::visit(
      [&](const auto& law) -> double {
        using T = std::decay_t<decltype(law)>;
        if constexpr (std::is_same_v<T, fixed_law>) {
          const auto B = m.budget_tokens();
          return static_cast<double>(f(B ? std::min(law.tokens, *B) : law.tokens));
        } else if constexpr (std::is_same_v<T, histogram_law>) {
          return detail::discrete_expectation_of_max(law, n, m.budget_tokens(), f);
        } else {
          return detail::continuous_expectation_of_max(detail::boost_dist(law), n,
                                                       m.budget_tokens(), f);
        }
      },
      m.law());
}

/// E[L_B] in tokens, in closed form:
///   lognormal: e^{μ+σ²/2} Φ((ln B − μ − σ²)/σ) + B (1 − Φ((ln B − μ)/σ));
///   gamma:     kθ P(k+1, B/θ) + B Q(k, B/θ) (regularized incomplete gammas);
///   histogram: Σ p_i min(v_i, B).
/// Without a budget: e^{μ+σ²/2}, kθ, Σ p_i v_i.
[[nodiscard]] inline double expected(const output_length& m) {
  const auto B = m.budget_tokens();
  return std::visit(
      [&](const auto& law) -> double {
        using T = std::decay_t<decltype(law)>;
        if constexpr (std::is_same_v<T, fixed_law>) {
          return B ? std::min(law.tokens, *B) : law.tokens;
        } else if constexpr (std::is_same_v<T, histogram_law>) {
          return detail::discrete_expectation_of_max(law, 1, B, [](double x) { return x; });
        } else if constexpr (std::is_same_v<T, lognormal_law>) {
          const double s2 = law.sigma * law.sigma;
          const double mean = std::exp(law.mu + 0.5 * s2);
          if (!B) return mean;
          const double z = (std::log(*B) - law.mu) / law.sigma;
          return mean * detail::std_normal_cdf(z - law.sigma) + *B * detail::std_normal_cdf(-z);
        } else {
          const double k = law.shape, th = law.scale_tokens;
          if (!B) return k * th;
          const detail::length_policy pol;
          return k * th * boost::math::gamma_p(k + 1.0, *B / th, pol) +
                 *B * boost::math::gamma_q(k, *B / th, pol);
        }
      },
      m.law());
}

/// E[max(L_1, ..., L_n)] of n ≥ 1 iid draws of the cut law, in tokens.
///   discrete: exact, Σ_i min(v_i, B) (F(v_i)ⁿ − F(v_{i−1})ⁿ);
///   continuous: ∫₀^{B or ∞} (1 − F(x)ⁿ) dx, integrated numerically (tanh-sinh
///   on [0, median], exp-sinh on the tail, tanh-sinh up to B when cut),
///   with 1 − Fⁿ evaluated as −expm1(n ln F) to keep the tail accurate.
/// n = 1 gives `expected(m)`. Throws std::invalid_argument if n = 0.
[[nodiscard]] inline double expected_max(const output_length& m, unsigned n) {
  detail::require_n(n, "expected_max");
  if (n == 1) return expected(m);
  const auto B = m.budget_tokens();
  return std::visit(
      [&](const auto& law) -> double {
        using T = std::decay_t<decltype(law)>;
        if constexpr (std::is_same_v<T, fixed_law>) {
          return B ? std::min(law.tokens, *B) : law.tokens;
        } else if constexpr (std::is_same_v<T, histogram_law>) {
          return detail::discrete_expectation_of_max(law, n, B, [](double x) { return x; });
        } else {
          const auto d = detail::boost_dist(law);
          // Beyond x_far (S < 1e-250) the integrand is < n·1e-250: treat it as 0, which
          // also keeps Boost away from incomplete gammas of astronomically large x.
          const double x_far = boost::math::quantile(boost::math::complement(d, 1e-250));
          auto tail = [&](double x) -> double {
            if (x <= 0.0) return 1.0;
            if (!(x < x_far)) return 0.0;
            return detail::one_minus_pow(boost::math::cdf(d, x),
                                         boost::math::cdf(boost::math::complement(d, x)), n);
          };
          const double median = boost::math::median(d);
          const double split = B ? std::min(median, *B) : median;
          double sum =
              detail::tanh_sinh_integrator().integrate(tail, 0.0, split, detail::quad_tolerance);
          if (B) {
            if (*B > split)
              sum +=
                  // Integrated from 0 (shifted): Boost 1.74's tanh-sinh asserts on some
                  // intervals whose lower end is far from zero.
                  detail::tanh_sinh_integrator().integrate(
                      [&](double t) { return tail(split + t); }, 0.0, *B - split,
                      detail::quad_tolerance);
          } else {
            sum += detail::exp_sinh_integrator().integrate(
                tail, split, std::numeric_limits<double>::infinity(), detail::quad_tolerance);
          }
          return sum;
        }
      },
      m.law());
}

}  // namespace edgeperf
