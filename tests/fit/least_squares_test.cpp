// Levenberg–Marquardt in log space (fit/least_squares.hpp): recovers known
// parameters from exact and noisy data, keeps them positive, lets a prior
// pull an unidentified parameter, and reports uncertainties that shrink with
// more data.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "edgeperf/fit/least_squares.hpp"

using namespace edgeperf::fit;
using Catch::Matchers::WithinRel;

namespace {
/// Log-ratio residuals of y = a · x + b against data generated with (a, b).
residual_fn line(const std::vector<double>& x, const std::vector<double>& y) {
  return [x, y](const std::vector<double>& t) {
    Eigen::VectorXd r(static_cast<Eigen::Index>(x.size()));
    for (std::size_t i = 0; i < x.size(); ++i)
      r(static_cast<Eigen::Index>(i)) = std::log((t[0] * x[i] + t[1]) / y[i]);
    return r;
  };
}
}  // namespace

TEST_CASE("recovers exact parameters from exact data", "[fit][least_squares]") {
  std::vector<double> x, y;
  for (int i = 1; i <= 20; ++i) {
    x.push_back(i * 1e6);
    y.push_back(2.5e-9 * i * 1e6 + 3e-4);  // seconds = bytes / (400 MB/s) + 0.3 ms
  }
  const auto r = levenberg_marquardt({{"a", 1e-8}, {"b", 1e-3}}, line(x, y));
  CHECK(r.converged);
  CHECK_THAT(r.values[0], WithinRel(2.5e-9, 1e-6));
  CHECK_THAT(r.values[1], WithinRel(3e-4, 1e-6));
  CHECK(r.cost < 1e-12);
}

TEST_CASE("noisy data: estimates near the truth, uncertainty shrinks with more data", "[fit][least_squares]") {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 0.02);
  const auto fit_n = [&](int n) {
    std::vector<double> x, y;
    for (int i = 1; i <= n; ++i) {
      x.push_back(i);
      y.push_back((4.0 * i + 10.0) * std::exp(noise(rng)));
    }
    return levenberg_marquardt({{"a", 1.0}, {"b", 1.0}}, line(x, y));
  };
  const auto small = fit_n(10), large = fit_n(1000);
  CHECK_THAT(large.values[0], WithinRel(4.0, 0.02));
  CHECK_THAT(large.values[1], WithinRel(10.0, 0.1));
  REQUIRE(small.rel_sigma.size() == 2);
  CHECK(large.rel_sigma[0] < small.rel_sigma[0]);
  CHECK(large.rel_sigma[0] > 0);
}

TEST_CASE("a prior holds a parameter the data cannot see", "[fit][least_squares]") {
  // The residuals depend on a only; b is unidentified and stays at its prior mean.
  const residual_fn only_a = [](const std::vector<double>& t) {
    Eigen::VectorXd r(1);
    r(0) = std::log(t[0] / 3.0);
    return r;
  };
  const auto r = levenberg_marquardt({{"a", 1.0}, {"b", 2.0, 5.0, 0.1}}, only_a);
  CHECK_THAT(r.values[0], WithinRel(3.0, 1e-6));
  CHECK_THAT(r.values[1], WithinRel(5.0, 1e-6));
}

TEST_CASE("parameters stay positive", "[fit][least_squares]") {
  // The best fit of y = a with data near 0 drives a towards 0, never below.
  const residual_fn tiny = [](const std::vector<double>& t) {
    Eigen::VectorXd r(1);
    r(0) = t[0] - 1e-12;
    return r;
  };
  const auto r = levenberg_marquardt({{"a", 1.0}}, tiny);
  CHECK(r.values[0] > 0);
  CHECK(r.values[0] < 1e-3);
}
