// Output-length models: makers, closed forms, truncation, expected maximum of
// N samples against Monte Carlo, cost expectations, fits.
#include "edgeperf/plan/output_length.hpp"

#include <cmath>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

using namespace edgeperf;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

/// Monte Carlo E[f(max of n draws of min(L, B))] with a fixed seed.
template <class Draw, class F>
double mc_max(Draw draw, unsigned n, double budget, F f, std::size_t trials = 200000,
              std::uint64_t seed = 12345) {
  std::mt19937_64 rng(seed);
  double sum = 0.0;
  for (std::size_t t = 0; t < trials; ++t) {
    double mx = 0.0;
    for (unsigned i = 0; i < n; ++i) mx = std::max(mx, std::min(draw(rng), budget));
    sum += f(mx);
  }
  return sum / static_cast<double>(trials);
}

const double inf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("Output-length makers validate their inputs", "[plan][output_length]") {
  CHECK(output_length::fixed(100).has_value());
  CHECK_FALSE(output_length::fixed(-1).has_value());
  CHECK_FALSE(output_length::fixed(inf).has_value());
  const auto bad_sigma = output_length::lognormal(5.0, 0.0);
  REQUIRE_FALSE(bad_sigma.has_value());
  CHECK(bad_sigma.error_value().code == errc::invalid_argument);
  CHECK_THAT(bad_sigma.error_value().message,
             Contains("sigma") && Contains("> 0") && Contains("0"));
  CHECK_FALSE(output_length::lognormal(NAN, 1.0).has_value());
  CHECK_FALSE(output_length::gamma(0.0, 10.0).has_value());
  CHECK_FALSE(output_length::gamma(2.0, -1.0).has_value());
  CHECK_THAT(output_length::gamma_mean_cv(500, -0.1).error_value().message,
             Contains("coefficient of variation") && Contains("-0.1"));
  CHECK_THAT(output_length::lognormal_mean_cv(0, 1).error_value().message, Contains("mean"));

  const std::vector<double> v{1, 2}, w1{1}, wneg{1, -1}, wzero{0, 0}, vneg{-3, 2};
  CHECK_THAT(output_length::histogram(v, w1).error_value().message,
             Contains("2 values but 1 weights"));
  CHECK_THAT(output_length::histogram(v, wneg).error_value().message, Contains("weight[1]"));
  CHECK_THAT(output_length::histogram(v, wzero).error_value().message, Contains("sum to 0"));
  CHECK_THAT(output_length::histogram(vneg, v).error_value().message,
             Contains("value[0]") && Contains("-3"));
  CHECK_FALSE(output_length::histogram(std::vector<double>{}).has_value());

  const auto ln = output_length::lognormal(6.0, 0.5).value();
  CHECK_THAT(ln.with_budget(0).error_value().message, Contains("budget") && Contains("> 0"));
  CHECK_FALSE(ln.with_budget(NAN).has_value());
  CHECK(*ln.with_budget(512).value().with_budget(1024).value().budget_tokens() == 512.0);
  CHECK_FALSE(ln.with_budget(512).value().without_budget().budget_tokens());

  CHECK_THROWS_AS(expected_max(ln, 0), std::invalid_argument);
  CHECK_THROWS_WITH(expectation_of_max(ln, 0, [](double x) { return x; }),
                    Contains("n (number of samples)"));
  CHECK_THROWS_AS(quantile(ln, 1.5), std::invalid_argument);

  const std::vector<double> one{5}, same{5, 5, 5};
  CHECK_THAT(output_length::fit_gamma(one).error_value().message, Contains("at least 2"));
  CHECK_THAT(output_length::fit_lognormal(same).error_value().message,
             Contains("all samples equal"));
  const std::vector<double> has_zero{1, 0, 3};
  CHECK_THAT(output_length::fit_lognormal(has_zero).error_value().message, Contains("sample[1]"));
}

TEST_CASE("Closed-form moments of the uncut laws", "[plan][output_length]") {
  const auto identity = [](double x) { return x; };
  const auto square = [](double x) { return x * x; };
  for (const auto& [mu, sigma] :
       std::vector<std::pair<double, double>>{{6.5, 0.3}, {6.0, 0.8}, {5.0, 1.2}}) {
    CAPTURE(mu, sigma);
    const auto m = output_length::lognormal(mu, sigma).value();
    const double mean = std::exp(mu + sigma * sigma / 2);
    CHECK_THAT(expected(m), WithinRel(mean, 1e-12));
    CHECK_THAT(expectation(m, identity), WithinRel(mean, 1e-7));
    CHECK_THAT(expectation(m, square), WithinRel(std::exp(2 * mu + 2 * sigma * sigma), 1e-6));
    CHECK_THAT(expectation_of_max(m, 1, identity), WithinRel(mean, 1e-7));
    CHECK_THAT(cdf(m, std::exp(mu)), WithinAbs(0.5, 1e-12));  // the median is e^μ
    CHECK_THAT(quantile(m, 0.5), WithinRel(std::exp(mu), 1e-12));
    CHECK(quantile(m, 1.0) == inf);
  }
  for (const auto& [k, th] :
       std::vector<std::pair<double, double>>{{0.7, 900}, {2.0, 300}, {9.0, 50}}) {
    CAPTURE(k, th);
    const auto m = output_length::gamma(k, th).value();
    CHECK_THAT(expected(m), WithinRel(k * th, 1e-12));
    CHECK_THAT(expectation(m, identity), WithinRel(k * th, 1e-7));
    CHECK_THAT(expectation(m, square), WithinRel(k * (k + 1) * th * th, 1e-6));
    CHECK_THAT(cdf(m, quantile(m, 0.3)), WithinAbs(0.3, 1e-10));
  }
  // mean + CV parameterizations reproduce the mean and the CV.
  for (double cv : {0.2, 0.6, 1.5}) {
    CAPTURE(cv);
    for (const auto& m : {output_length::lognormal_mean_cv(800, cv).value(),
                          output_length::gamma_mean_cv(800, cv).value()}) {
      CHECK_THAT(expected(m), WithinRel(800.0, 1e-12));
      const double var = expectation(m, square) - 800.0 * 800.0;
      CHECK_THAT(std::sqrt(var) / 800.0, WithinRel(cv, 1e-5));
    }
  }
}

TEST_CASE("Discrete laws are exact", "[plan][output_length]") {
  const auto fx = output_length::fixed(300).value();
  CHECK(expected(fx) == 300.0);
  CHECK(expected_max(fx, 7) == 300.0);
  CHECK(expected(fx.with_budget(128).value()) == 128.0);
  CHECK(mass_at_budget(fx.with_budget(128).value()) == 1.0);
  CHECK(mass_at_budget(fx.with_budget(512).value()) == 0.0);
  CHECK(cdf(fx, 299.9) == 0.0);
  CHECK(cdf(fx, 300) == 1.0);

  // values 1, 2 with probability 1/2 each: E[max of 2] = 1·(1/4) + 2·(3/4) = 1.75,
  // E[max of 3] = 1·(1/8) + 2·(7/8) = 1.875.
  const std::vector<double> v{2, 1, 2}, w{1, 2, 1};  // unsorted, repeated value merged
  const auto h = output_length::histogram(v, w).value();
  const auto& law = std::get<histogram_law>(h.law());
  CHECK(law.tokens == std::vector<double>{1, 2});
  CHECK(expected(h) == 1.5);
  CHECK_THAT(expected_max(h, 2), WithinRel(1.75, 1e-15));
  CHECK_THAT(expected_max(h, 3), WithinRel(1.875, 1e-15));
  CHECK_THAT(expectation_of_max(h, 2, [](double x) { return x * x; }),
             WithinRel(0.25 + 4 * 0.75, 1e-15));
  CHECK(quantile(h, 0.0) == 1.0);
  CHECK(quantile(h, 0.5) == 1.0);
  CHECK(quantile(h, 0.51) == 2.0);
  CHECK(quantile(h, 1.0) == 2.0);

  // Truncation of a histogram: {100, 200, 400} with weights {1, 1, 2}, budget 300:
  // E = (100 + 200 + 2·300)/4 = 225, and half the mass sits at 300.
  const std::vector<double> hv{100, 200, 400}, hw{1, 1, 2};
  const auto t = output_length::histogram(hv, hw).value().with_budget(300).value();
  CHECK(expected(t) == 225.0);
  CHECK(mass_at_budget(t) == 0.5);
  CHECK(cdf(t, 299) == 0.5);
  CHECK(cdf(t, 300) == 1.0);
  CHECK(quantile(t, 0.9) == 300.0);
  // E[max of 2] cut: 100·(1/16) + 200·(1/4 − 1/16) + 300·(1 − 1/4) = 268.75.
  CHECK_THAT(expected_max(t, 2), WithinRel(268.75, 1e-15));
}

TEST_CASE("Truncated continuous laws: closed form, quadrature, atom at the budget",
          "[plan][output_length]") {
  const auto identity = [](double x) { return x; };
  const double B = 1024;
  const auto ln = output_length::lognormal_mean_cv(900, 0.9).value();
  const auto ga = output_length::gamma_mean_cv(900, 0.9).value();
  for (const auto& base : {ln, ga}) {
    const auto m = base.with_budget(B).value();
    const double atom = mass_at_budget(m);
    CAPTURE(atom);
    CHECK(atom > 0.1);
    CHECK(atom < 0.6);
    CHECK_THAT(atom, WithinAbs(1.0 - cdf(base, B), 1e-12));
    CHECK(cdf(m, B) == 1.0);
    CHECK(quantile(m, 0.999) == B);
    const double e = expected(m);
    CHECK(e < expected(base));
    CHECK(e < B);
    // The closed form against the quantile quadrature + atom, and against ∫₀ᴮ(1 − F).
    CHECK_THAT(expectation(m, identity), WithinRel(e, 1e-8));
    CHECK_THAT(expectation_of_max(m, 1, identity), WithinRel(e, 1e-8));
    // E[1{L_B = B}] = mass at the budget: the quadrature part integrates to 0 for f = 1{x ≥ B}.
    CHECK_THAT(expectation(m, [&](double x) { return x >= B ? 1.0 : 0.0; }), WithinAbs(atom, 1e-9));
  }
  // Monte Carlo of min(L, B).
  std::lognormal_distribution<double> dl(std::get<lognormal_law>(ln.law()).mu,
                                         std::get<lognormal_law>(ln.law()).sigma);
  CHECK_THAT(mc_max([&](auto& r) { return dl(r); }, 1, B, identity),
             WithinRel(expected(ln.with_budget(B).value()), 0.01));
  const auto& gl = std::get<gamma_law>(ga.law());
  std::gamma_distribution<double> dg(gl.shape, gl.scale_tokens);
  CHECK_THAT(mc_max([&](auto& r) { return dg(r); }, 1, B, identity),
             WithinRel(expected(ga.with_budget(B).value()), 0.01));
}

TEST_CASE("Expected maximum of N samples matches Monte Carlo within 1 %", "[plan][output_length]") {
  const auto identity = [](double x) { return x; };
  const auto ln = output_length::lognormal(6.4, 0.7).value();
  const auto ga = output_length::gamma(1.6, 450).value();
  const std::vector<double> hv{40, 120, 300, 800, 1500, 3000}, hw{5, 20, 30, 25, 15, 5};
  const auto hi = output_length::histogram(hv, hw).value();
  std::lognormal_distribution<double> dl(6.4, 0.7);
  std::gamma_distribution<double> dg(1.6, 450);
  std::discrete_distribution<int> dh(hw.begin(), hw.end());
  for (unsigned n : {2U, 4U, 8U, 32U}) {
    for (double B : {inf, 1500.0}) {
      CAPTURE(n, B);
      const auto lnb = std::isinf(B) ? ln : ln.with_budget(B).value();
      const auto gab = std::isinf(B) ? ga : ga.with_budget(B).value();
      const auto hib = std::isinf(B) ? hi : hi.with_budget(B).value();
      const std::size_t trials = n >= 32 ? 40000 : 200000;
      const double mc_ln = mc_max([&](auto& r) { return dl(r); }, n, B, identity, trials);
      const double mc_ga = mc_max([&](auto& r) { return dg(r); }, n, B, identity, trials);
      const double mc_hi = mc_max([&](auto& r) { return hv[static_cast<std::size_t>(dh(r))]; }, n,
                                  B, identity, trials);
      CHECK_THAT(expected_max(lnb, n), WithinRel(mc_ln, 0.01));
      CHECK_THAT(expected_max(gab, n), WithinRel(mc_ga, 0.01));
      CHECK_THAT(expected_max(hib, n), WithinRel(mc_hi, 0.01));
      // The x-space integral ∫(1 − Fⁿ) and the quantile-space E[max] agree tightly.
      CHECK_THAT(expectation_of_max(lnb, n, identity), WithinRel(expected_max(lnb, n), 1e-7));
      CHECK_THAT(expectation_of_max(gab, n, identity), WithinRel(expected_max(gab, n), 1e-7));
      // More samples never shorten the longest one, and the cut caps it.
      CHECK(expected_max(lnb, n) > expected_max(lnb, n / 2));
      if (!std::isinf(B)) CHECK(expected_max(lnb, n) < B);
    }
  }
}

TEST_CASE("Expectation of a non-linear cost of the longest sample", "[plan][output_length]") {
  // A decode-time-like cost: a per-token term plus a context-growth term.
  const auto cost_s = [](double L) { return 0.02 * L + 4e-6 * L * L; };
  const auto ga = output_length::gamma_mean_cv(700, 0.8).value().with_budget(2048).value();
  const auto& gl = std::get<gamma_law>(ga.law());
  std::gamma_distribution<double> dg(gl.shape, gl.scale_tokens);
  for (unsigned n : {1U, 4U, 16U}) {
    CAPTURE(n);
    const double mc = mc_max([&](auto& r) { return dg(r); }, n, 2048, cost_s, 100000);
    CHECK_THAT(expectation_of_max(ga, n, cost_s), WithinRel(mc, 0.01));
    // Jensen: E[f(L)] > f(E[L]) for a convex cost.
    if (n == 1) CHECK(expectation(ga, cost_s) > cost_s(expected(ga)));
  }
}

TEST_CASE("Fitting lognormal and gamma to samples", "[plan][output_length]") {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dl(6.0, 0.6);
  std::gamma_distribution<double> dg(2.5, 300.0);
  std::vector<double> xl(50000), xg(50000);
  for (auto& x : xl) x = dl(rng);
  for (auto& x : xg) x = dg(rng);
  const auto fl = output_length::fit_lognormal(xl).value();
  CHECK_THAT(std::get<lognormal_law>(fl.law()).mu, WithinAbs(6.0, 0.01));
  CHECK_THAT(std::get<lognormal_law>(fl.law()).sigma, WithinRel(0.6, 0.02));
  const auto fm = output_length::fit_lognormal(xl, fit_method::moments).value();
  CHECK_THAT(std::get<lognormal_law>(fm.law()).sigma, WithinRel(0.6, 0.05));
  const auto gm = output_length::fit_gamma(xg).value();
  CHECK_THAT(std::get<gamma_law>(gm.law()).shape, WithinRel(2.5, 0.03));
  CHECK_THAT(expected(gm), WithinRel(750.0, 0.02));  // the MLE keeps the sample mean
  const auto gmm = output_length::fit_gamma(xg, fit_method::moments).value();
  CHECK_THAT(std::get<gamma_law>(gmm.law()).shape, WithinRel(2.5, 0.05));

  // The gamma MLE solves ln k − ψ(k) = ln(mean) − mean(ln x) on a hand-checkable set:
  // {1, 4}: mean 2.5, mean(ln x) = ln 2, s = ln(1.25).
  const std::vector<double> two{1, 4};
  const auto g2 = output_length::fit_gamma(two).value();
  const double k = std::get<gamma_law>(g2.law()).shape;
  CHECK_THAT(std::log(k) - boost::math::digamma(k), WithinRel(std::log(1.25), 1e-10));
  CHECK_THAT(expected(g2), WithinRel(2.5, 1e-12));
}
